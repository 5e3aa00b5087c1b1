/**
 * AppleTalk ARP (EtherType 0x80f3, Inside AppleTalk 2nd ed. chapter 2): an ARP layout with
 * hardware type 1, protocol type 0x809b and 4-byte AppleTalk addresses (a zero byte, the 16-bit
 * network number, the node id).
 */
import { atAddr } from './ddp.js';
import { ByteView, DecodeStatus, u16 } from './status.js';
import { macText } from './addr.js';
import { type Printer, macName, wireFrom } from './print.js';
import { Layer } from './layers.js';

/** Field offsets of an AARP packet. */
export const AarpOffsets = { htype: 0, ptype: 2, hlen: 4, plen: 5, op: 6, sha: 8, spa: 14, tha: 18, tpa: 24, len: 28 } as const;

/** Zero-copy view of an AARP packet. */
export class AarpView extends ByteView {
  /**
   * Points at an AARP packet; Truncated below its 28 bytes.
   * @example aarp.reset(bytes, 22, bytes.length - 22);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, AarpOffsets.len);
  }
  /** Operation (1 request, 2 reply, 3 probe). */
  get op(): number {
    return u16(this.bytes, this.offset + AarpOffsets.op);
  }
  /** True for the Ethernet/AppleTalk layout this decodes. */
  get isEthernetAtalk(): boolean {
    const b = this.bytes;
    const o = this.offset;
    return u16(b, o) === 1 && u16(b, o + 2) === 0x809b && b[o + 4] === 6 && b[o + 5] === 4;
  }
  /** `net.node` text of the AppleTalk address at field offset `f`. */
  atalkText(f: number): string {
    return atAddr(u16(this.bytes, this.offset + f + 1), this.bytes[this.offset + f + 3] ?? 0);
  }
}

/** Parsed AARP packet. */
export interface AarpRepr {
  op: number;
  senderHw: string;
  senderAddr: string;
  targetHw: string;
  targetAddr: string;
}

/** Builds the sink representation. */
export function aarpRepr(v: AarpView): AarpRepr {
  const b = v.bytes;
  return {
    op: v.op, senderHw: macText(b, v.offset + AarpOffsets.sha), senderAddr: v.atalkText(AarpOffsets.spa),
    targetHw: macText(b, v.offset + AarpOffsets.tha), targetAddr: v.atalkText(AarpOffsets.tpa),
  };
}

/** tcpdump's AARP line. */
export function printAarp(c: Printer, v: AarpView, i: number): void {
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|aarp]';
    return;
  }
  const O = AarpOffsets;
  switch (v.isEthernetAtalk ? v.op : 0) {
    case 1:
      c.s += `aarp who-has ${v.atalkText(O.tpa)} tell ${v.atalkText(O.spa)}`;
      return;
    case 2:
      c.s += `aarp reply ${v.atalkText(O.spa)} is-at ${macName(c.opts, macText(v.bytes, v.offset + O.sha))}`;
      return;
    case 3:
      c.s += `aarp probe ${v.atalkText(O.tpa)} tell ${v.atalkText(O.spa)}`;
      return;
    default: {
      // another layout or operation: the header fields as numbers (C's %#x prints a zero as `0`)
      const b = v.bytes;
      const o = v.offset;
      const ptype = u16(b, o + O.ptype);
      // after SNAP, the length the parser took from the 802.3 header (the rest is padding); after an
      // EtherType, the rest of the frame
      const len = c.parser.kinds[i - 1] === Layer.Llc ? (c.parser.lens[i] ?? v.length) : wireFrom(c, o);
      c.s += `aarp len ${len} op ${v.op} htype ${u16(b, o)} ptype ${ptype === 0 ? '0' : `0x${ptype.toString(16)}`} halen ${b[o + O.hlen]} palen ${b[o + O.plen]}`;
    }
  }
}
