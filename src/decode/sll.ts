/** Linux cooked capture headers: LINKTYPE_LINUX_SLL (16 bytes) and LINKTYPE_LINUX_SLL2 (20 bytes). */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { macText } from './addr.js';
import { Layer } from './layers.js';
import { type Printer, hex4, macName, wireFrom } from './print.js';
import { etherTypeText } from './ethertype.js';
import { printSllVlan } from './vlan.js';
import type { JsonWriter } from './json-writer.js';

/** Field offsets of the v1 header. */
export const SllOffsets = { pktType: 0, hatype: 2, halen: 4, addr: 6, protocol: 14, headerLen: 16 } as const;
/** Field offsets of the v2 header. */
export const Sll2Offsets = { protocol: 0, reserved: 2, ifindex: 4, hatype: 8, pktType: 10, halen: 11, addr: 12, headerLen: 20 } as const;

/** Zero-copy view of a cooked header, v1 or v2 (`version`). */
export class SllView extends ByteView {
  /** 1 for LINUX_SLL, 2 for LINUX_SLL2. */
  version = 1;
  /**
   * Points at a cooked header of the given version.
   * @example sll.reset(bytes, 0, bytes.length, 2).valueOf();
   */
  reset(bytes: Uint8Array, offset: number, length: number, version = 1): DecodeStatus {
    this.point(bytes, offset, length);
    this.version = version;
    const need = version === 2 ? Sll2Offsets.headerLen : SllOffsets.headerLen;
    this.status = this.length < need ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Header length (16 or 20). */
  get headerLen(): number {
    return this.version === 2 ? Sll2Offsets.headerLen : SllOffsets.headerLen;
  }
  /** Packet type (0 host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing). */
  get pktType(): number {
    return this.version === 2 ? (this.bytes[this.offset + Sll2Offsets.pktType] ?? 0) : u16(this.bytes, this.offset);
  }
  /** ARPHRD_* type. */
  get hatype(): number {
    return u16(this.bytes, this.offset + (this.version === 2 ? Sll2Offsets.hatype : SllOffsets.hatype));
  }
  /** Link-layer address length as carried (may exceed 8). */
  get halen(): number {
    return this.version === 2 ? (this.bytes[this.offset + Sll2Offsets.halen] ?? 0) : u16(this.bytes, this.offset + SllOffsets.halen);
  }
  /** Offset of the address bytes. */
  get addrOffset(): number {
    return this.offset + (this.version === 2 ? Sll2Offsets.addr : SllOffsets.addr);
  }
  /** Protocol: an EtherType, or a Linux "fake" protocol below 0x600 (2 = 802.3, 4 = 802.2 LLC). */
  get protocol(): number {
    return u16(this.bytes, this.offset + (this.version === 2 ? Sll2Offsets.protocol : SllOffsets.protocol));
  }
  /** Interface index (v2 only; 0 for v1). */
  get ifindex(): number {
    return this.version === 2 ? u32(this.bytes, this.offset + Sll2Offsets.ifindex) : 0;
  }
  /** Offset of the first byte after the header. */
  get payloadOffset(): number {
    return this.offset + this.headerLen;
  }
}

/** Parsed cooked header for sinks. */
export interface SllRepr {
  pktType: number;
  hatype: number;
  addr?: string;
  protocol?: number;
  ifindex?: number;
}

/** Builds the sink representation. */
export function sllRepr(v: SllView): SllRepr {
  const r: SllRepr = { pktType: v.pktType, hatype: v.hatype };
  if (v.halen === 6) r.addr = macText(v.bytes, v.addrOffset);
  if (v.protocol >= 0x600) r.protocol = v.protocol;
  if (v.version === 2) r.ifindex = v.ifindex;
  return r;
}

const SLL_DIR = [' In', '  B', '  M', '  P', 'Out'];
/** Direction column of LINUX_SLL2 lines (also used for Ethernet frames of several interfaces). */
export const SLL2_DIR = ['In ', 'B  ', 'M  ', 'P  ', 'Out'];

/** tcpdump's cooked-capture text: interface and direction (v2), -e header fields, then the payload. */
export function printSll(c: Printer, v: SllView, i: number): void {
  const p = c.parser;
  const pkt = c.pkt;
  const e = c.opts.linkHeader;
  if (p.status[i] !== DecodeStatus.Ok) {
    c.s += v.version === 2 ? '[|linux_sll2]' : '[|linux_sll]';
    return;
  }
  const proto = v.protocol;
  const pt = v.pktType;
  if (v.version === 2) {
    const name = c.ifName(v.ifindex);
    const dir = SLL2_DIR[pt] ?? String(pt);
    if (name !== undefined) c.s += `${name.padEnd(5, ' ')} ${dir} `;
    else c.s += `ifindex ${v.ifindex} ${dir} `;
    if (e) {
      if (name !== undefined) c.s += `ifindex ${v.ifindex} `;
      c.s += v.halen === 6 ? macName(c.opts, macText(v.bytes, v.addrOffset)) + ' ' : '';
    }
  } else if (e) {
    c.s += `${SLL_DIR[pt] ?? String(pt)} ${v.halen === 6 ? macName(c.opts, macText(v.bytes, v.addrOffset)) : ''} `;
  }
  if (e) {
    if (proto >= 0x600) c.s += `ethertype ${etherTypeText(proto)}, length ${pkt.wireLen}: `;
    else if (proto === 4) c.s += `802.2, length ${pkt.wireLen}: `;
    else c.s += `ethertype Unknown (0x${hex4(proto)}), length ${pkt.wireLen}: `;
  }
  const hl = v.headerLen;
  const vlan = p.at(i + 1, Layer.Vlan);
  if (vlan) printSllVlan(c, vlan, i + 1);
  // protocol 4 hands the frame to the LLC printer, with the rest of the frame as its length
  else if (p.kinds[i + 1] === Layer.Llc) c.layer(i + 1, wireFrom(c, v.offset + hl));
  else if (i + 1 < p.count) c.network(i + 1, proto);
  else c.unknownEtherType(proto, v.offset + hl);
}

/** The schema's `sll` object (the Repr without `ifindex`), written straight into `w`. */
export function writeSllJson(w: JsonWriter, v: SllView): void {
  w.field('{"pktType":', v.pktType);
  w.field(',"hatype":', v.hatype);
  if (v.halen === 6) {
    w.raw(',"addr":');
    w.mac(v.bytes, v.addrOffset);
  }
  if (v.protocol >= 0x600) {
    w.field(',"protocol":', v.protocol);
  }
  w.raw('}');
}
