/** IEEE 802.1Q / 802.1ad VLAN tag (4 bytes after the TPID). */
import { ByteView, DecodeStatus, u16 } from './status.js';
import { Layer } from './layers.js';
import { type Printer, linkAvail } from './print.js';
import { etherTypeText, ETHERTYPE_NAMES } from './ethertype.js';
import { EtherType } from '../numbers.js';
import { jsonKeys, type JsonWriter } from './json-writer.js';

/** Field offsets within one tag (the TPID is the EtherType before it). */
export const VlanOffsets = { tci: 0, etherType: 2, headerLen: 4 } as const;

/** Zero-copy view of one VLAN tag. */
export class VlanView extends ByteView {
  /** TPID that introduced this tag (0x8100, 0x88a8, 0x9100). */
  tpid = 0;
  /**
   * Points at the 4 bytes after a TPID.
   * @example vlan.reset(bytes, 14, bytes.length - 14, 0x8100);
   */
  reset(bytes: Uint8Array, offset: number, length: number, tpid = 0x8100): DecodeStatus {
    this.point(bytes, offset, length);
    this.tpid = tpid;
    this.status = this.length < VlanOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Tag control information. */
  get tci(): number {
    return u16(this.bytes, this.offset);
  }
  /** Priority code point. */
  get pcp(): number {
    return this.tci >> 13;
  }
  /** Drop eligible indicator. */
  get dei(): boolean {
    return (this.tci & 0x1000) !== 0;
  }
  /** VLAN id. */
  get id(): number {
    return this.tci & 0xfff;
  }
  /** EtherType (or 802.3 length) after the tag. */
  get etherType(): number {
    return u16(this.bytes, this.offset + VlanOffsets.etherType);
  }
}

/** Parsed VLAN tag for sinks. */
export interface VlanRepr {
  tpid: number;
  pcp: number;
  dei: boolean;
  id: number;
  type?: number;
  len?: number;
}

/** Builds the sink representation. */
export function vlanRepr(v: VlanView): VlanRepr {
  const r: VlanRepr = { tpid: v.tpid, pcp: v.pcp, dei: v.dei, id: v.id };
  const t = v.etherType;
  if (t >= 0x600) r.type = t;
  else r.len = t;
  return r;
}

/** tcpdump's 802.1Q text: with -e the tag and the inner EtherType, then the payload. */
export function printVlan(c: Printer, v: VlanView, i: number): void {
  const p = c.parser;
  if (p.status[i] !== DecodeStatus.Ok) {
    c.s += ' [|vlan]';
    return;
  }
  const nt = v.etherType;
  if (c.opts.linkHeader) {
    c.s += `vlan ${v.id}, p ${v.pcp}${v.dei ? ', DEI' : ''}, `;
    // the LLC printer goes on with `LLC, ...` (tcpdump names no type before a jumbo frame's LLC header)
    if (nt < 0x600) c.s += '802.3';
    else if (nt !== EtherType.JUMBO || p.kinds[i + 1] !== Layer.Llc) c.s += `ethertype ${etherTypeText(nt)}, `;
  }
  if (i + 1 < p.count) {
    if (nt < 0x600 && (p.kinds[i + 1] === Layer.Llc || p.kinds[i + 1] === Layer.Ipx)) c.layer(i + 1, Math.min(nt, linkAvail(c, i + 1, v.offset + 4)));
    else if (nt === EtherType.JUMBO && p.kinds[i + 1] === Layer.Llc) c.layer(i + 1, linkAvail(c, i + 1, v.offset + 4));
    else c.network(i + 1, nt);
  } else c.unknownEtherType(nt, v.offset + 4);
}

/** Cooked (SLL) frames print a VLAN tag their own way: no hex EtherType. */
export function printSllVlan(c: Printer, v: VlanView, i: number): void {
  const p = c.parser;
  if (p.status[i] !== DecodeStatus.Ok) {
    c.s += ' [|vlan]';
    return;
  }
  if (c.opts.linkHeader) c.s += `vlan ${v.id}, p ${v.pcp}${v.dei ? ', DEI' : ''}, `;
  const nt = v.etherType;
  if (!c.opts.quiet) c.s += `ethertype ${ETHERTYPE_NAMES[nt] || 'Unknown'}, `;
  if (i + 1 < p.count) c.network(i + 1, nt);
}

/** The keys and punctuation `writeVlanJson` writes, encoded once. */
const VLAN_JSON = jsonKeys({
  tpid: '{"tpid":',
  pcp: ',"pcp":',
  id: ',"id":',
  dei: ',"dei":',
});

/** One `vlan` entry (= `JSON.stringify(vlanRepr(v))`), written straight into `w`. */
export function writeVlanJson(w: JsonWriter, v: VlanView): void {
  w.key(VLAN_JSON.tpid, v.tpid);
  w.key(VLAN_JSON.pcp, v.pcp);
  w.keyText(VLAN_JSON.dei);
  w.bool(v.dei);
  w.key(VLAN_JSON.id, v.id);
  const t = v.etherType;
  w.raw(t >= 0x600 ? ',"type":' : ',"len":');
  w.num(t);
  w.raw('}');
}
