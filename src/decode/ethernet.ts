/** Ethernet II and IEEE 802.3 MAC header (IEEE 802.3 clause 3). */
import { ByteView, DecodeStatus, u16 } from './status.js';
import { macText } from './addr.js';
import { Layer } from './layers.js';
import { type Printer, macName } from './print.js';
import { etherTypeText } from './ethertype.js';
import { jsonKeys, type JsonWriter } from './json-writer.js';

/** Field offsets of the 14-byte MAC header. */
export const EthernetOffsets = { dst: 0, src: 6, etherType: 12, headerLen: 14 } as const;

/** EtherType values (defined once in src/numbers.ts). */
export { EtherType } from '../numbers.js';
import { EtherType } from '../numbers.js';

/** Values below this are an 802.3 length, not an EtherType. */
export const ETHERTYPE_MIN = 0x600;

/** Zero-copy view of an Ethernet header. */
export class EthernetView extends ByteView {
  /**
   * Points the view at a frame; Truncated when fewer than 14 bytes were captured.
   * @example const eth = new EthernetView(); if (eth.reset(bytes, 0, bytes.length) === DecodeStatus.Ok) eth.etherType;
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < EthernetOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** EtherType (>= 0x600) or 802.3 length (< 0x600). */
  get etherType(): number {
    return u16(this.bytes, this.offset + EthernetOffsets.etherType);
  }
  /** Offset of the first byte after the MAC header. */
  get payloadOffset(): number {
    return this.offset + EthernetOffsets.headerLen;
  }
}

/** Parsed Ethernet header for sinks. */
export interface EthernetRepr {
  src: string;
  dst: string;
  type?: number;
  len?: number;
}

/** Builds the sink representation (allocates). */
export function ethernetRepr(v: EthernetView): EthernetRepr {
  const t = v.etherType;
  const r: EthernetRepr = { src: macText(v.bytes, v.offset + EthernetOffsets.src), dst: macText(v.bytes, v.offset) };
  // 0 is no valid 802.3 length (no LLC header fits), so it is reported as an EtherType, as Wireshark does
  if (t >= ETHERTYPE_MIN || t === 0) r.type = t;
  else r.len = t;
  return r;
}

/** tcpdump's Ethernet line: with -e the MAC addresses and EtherType, then the payload (`n`: frame length). */
export function printEthernet(c: Printer, v: EthernetView, i: number, n: number): void {
  const p = c.parser;
  if (p.status[i] !== DecodeStatus.Ok) {
    c.s += ' [|ether]';
    return;
  }
  const t = v.etherType;
  // an 802.3 length counts at most what the frame holds
  const len = Math.min(t, n - EthernetOffsets.headerLen);
  // tcpdump names no type before the LLC header of a jumbo frame
  const jumbo = t === EtherType.JUMBO && i + 1 < p.count && p.kinds[i + 1] === Layer.Llc;
  if (c.opts.linkHeader) {
    c.s += `${macName(c.opts, macText(v.bytes, v.offset + 6))} > ${macName(c.opts, macText(v.bytes, v.offset))}, `;
    if (t < ETHERTYPE_MIN) c.s += `802.3, length ${len}: `;
    else if (!jumbo) c.s += `ethertype ${etherTypeText(t)}, length ${n}: `;
  }
  if (jumbo) {
    c.layer(i + 1, n - EthernetOffsets.headerLen);
    return;
  }
  if (t < ETHERTYPE_MIN) {
    if (i + 1 < p.count && (p.kinds[i + 1] === Layer.Llc || p.kinds[i + 1] === Layer.Ipx)) c.layer(i + 1, len);
    else c.s += ' [|llc]';
    return;
  }
  if (i + 1 < p.count) c.network(i + 1, t);
  else c.unknownEtherType(t, v.offset + 14, i > 0 ? v.offset : -1, n);
}

/** The keys and punctuation `writeEthernetJson` writes, encoded once. */
const ETH_JSON = jsonKeys({
  src: '{"src":',
  dst: ',"dst":',
});

/** The schema's `eth` object (= `JSON.stringify(ethernetRepr(v))`), written straight into `w`. */
export function writeEthernetJson(w: JsonWriter, v: EthernetView): void {
  w.keyText(ETH_JSON.src);
  w.mac(v.bytes, v.offset + EthernetOffsets.src);
  w.keyText(ETH_JSON.dst);
  w.mac(v.bytes, v.offset);
  const t = v.etherType;
  w.raw(t >= ETHERTYPE_MIN || t === 0 ? ',"type":' : ',"len":');
  w.uint(t);
  w.raw('}');
}
