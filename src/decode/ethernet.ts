/** Ethernet II and IEEE 802.3 MAC header (IEEE 802.3 clause 3). */
import { ByteView, DecodeStatus, u16 } from './status.js';
import { macText } from './addr.js';

/** Field offsets of the 14-byte MAC header. */
export const EthernetOffsets = { dst: 0, src: 6, etherType: 12, headerLen: 14 } as const;

/** EtherType values the decoders dispatch on (IEEE registry). */
export const EtherType = {
  IPv4: 0x0800,
  ARP: 0x0806,
  RARP: 0x8035,
  VLAN: 0x8100,
  QINQ: 0x88a8,
  VLAN9100: 0x9100,
  VLAN9200: 0x9200,
  IPv6: 0x86dd,
  MPLS: 0x8847,
  MPLS_MC: 0x8848,
  PPPOE_DISC: 0x8863,
  PPPOE_SESS: 0x8864,
  TEB: 0x6558,
} as const;

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
