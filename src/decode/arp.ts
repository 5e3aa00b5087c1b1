/** ARP and RARP (RFC 826, RFC 903). */
import { ByteView, DecodeStatus, u16 } from './status.js';
import { ipv4Text, macText } from './addr.js';
import { type Printer, hex4, hostName, linkAvail, macName } from './print.js';
import type { JsonWriter } from './json-writer.js';

/** Field offsets of the fixed part; addresses follow at `addrs`. */
export const ArpOffsets = { htype: 0, ptype: 2, hlen: 4, plen: 5, op: 6, addrs: 8 } as const;

/** Zero-copy view of an ARP packet. */
export class ArpView extends ByteView {
  /**
   * Points at an ARP packet; Truncated unless the fixed part and all four addresses were captured.
   * @example arp.reset(bytes, 14, bytes.length - 14);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    if (this.length < ArpOffsets.addrs) this.status = DecodeStatus.Truncated;
    else this.status = this.length < this.totalLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Hardware type. */
  get htype(): number {
    return u16(this.bytes, this.offset);
  }
  /** Protocol type. */
  get ptype(): number {
    return u16(this.bytes, this.offset + ArpOffsets.ptype);
  }
  /** Hardware address length. */
  get hlen(): number {
    return this.bytes[this.offset + ArpOffsets.hlen] ?? 0;
  }
  /** Protocol address length. */
  get plen(): number {
    return this.bytes[this.offset + ArpOffsets.plen] ?? 0;
  }
  /** Operation. */
  get op(): number {
    return u16(this.bytes, this.offset + ArpOffsets.op);
  }
  /** Bytes of the packet per its own length fields. */
  get totalLen(): number {
    return 8 + 2 * (this.hlen + this.plen);
  }
  /** Offset of the sender hardware address. */
  get shaOffset(): number {
    return this.offset + 8;
  }
  /** Offset of the sender protocol address. */
  get spaOffset(): number {
    return this.offset + 8 + this.hlen;
  }
  /** Offset of the target hardware address. */
  get thaOffset(): number {
    return this.offset + 8 + this.hlen + this.plen;
  }
  /** Offset of the target protocol address. */
  get tpaOffset(): number {
    return this.offset + 8 + 2 * this.hlen + this.plen;
  }
}

/** Parsed ARP packet. */
export interface ArpRepr {
  htype: number;
  ptype: number;
  op: number;
  senderMac?: string;
  senderIp?: string;
  targetMac?: string;
  targetIp?: string;
}

/** Builds the sink representation (addresses only when their lengths are 6 / 4 and captured). */
export function arpRepr(v: ArpView): ArpRepr {
  const r: ArpRepr = { htype: v.htype, ptype: v.ptype, op: v.op };
  if (v.status !== DecodeStatus.Ok) return r;
  if (v.hlen === 6) {
    r.senderMac = macText(v.bytes, v.shaOffset);
    r.targetMac = macText(v.bytes, v.thaOffset);
  }
  if (v.ptype === 0x0800 && v.plen === 4) {
    r.senderIp = ipv4Text(v.bytes, v.spaOffset);
    r.targetIp = ipv4Text(v.bytes, v.tpaOffset);
  }
  return r;
}

/** tcpdump's names of ARP hardware types. */
const ARPHRD_NAMES: Readonly<Record<number, string>> = {
  1: 'Ethernet', 6: 'TokenRing', 7: 'ArcNet', 15: 'FrameRelay', 23: 'Strip', 24: 'IEEE 1394', 19: 'ATM', 32: 'InfiniBand',
};

/** tcpdump's ARP/RARP text. */
export function printArp(c: Printer, v: ArpView, i: number): void {
  const p = c.parser;
  const pkt = c.pkt;
  const e = c.opts.linkHeader;
  if (!e) c.s += 'ARP, ';
  const len = linkAvail(c, i, v.offset);
  // tcpdump checks that the addresses, the target protocol address last, were captured before it prints anything
  if (p.status[i] !== DecodeStatus.Ok) {
    if (!e) c.s = c.s.slice(0, -'ARP, '.length);
    c.s += ' [|arp]';
    return;
  }
  const op = v.op;
  // tcpdump decodes IPv4 over any hardware with addresses (ARCNET's are 1 byte)
  const ipArp = v.ptype === 0x0800 && v.hlen !== 0 && v.plen === 4;
  if (!ipArp || c.opts.verbose > 0) {
    // tcpdump names the hardware and protocol types it does not decode
    c.s += `${ARPHRD_NAMES[v.htype] ?? `Unknown Hardware (${v.htype})`} (len ${v.hlen}), ${v.ptype === 0x0800 ? 'IPv4' : `Unknown Protocol (0x${hex4(v.ptype)})`} (len ${v.plen}), `;
  }
  if (!ipArp && c.opts.verbose === 0 && p.status[i] === DecodeStatus.Ok) {
    // tcpdump does not guess at other address formats
    c.s += `length ${len}`;
    return;
  }
  if (p.status[i] !== DecodeStatus.Ok) {
    c.s += ' [|arp]';
    return;
  }
  const b = v.bytes;
  // protocol addresses are looked up as tcpdump looks them up without -n
  const pa = (o: number): string => (v.plen === 4 ? hostName(c.opts, ipv4Text(b, o)) : `<wrong len>`);
  const ha = (o: number): string => (v.hlen === 6 ? macName(c.opts, macText(b, o)) : macText(b, o, v.hlen));
  switch (op) {
    case 1: {
      c.s += `Request who-has ${pa(v.tpaOffset)}`;
      let zero = true;
      for (let k = 0; k < v.hlen; k++) if (b[v.thaOffset + k]) zero = false;
      if (!zero) c.s += ` (${ha(v.thaOffset)})`;
      c.s += ` tell ${pa(v.spaOffset)}`;
      break;
    }
    case 2:
      c.s += `Reply ${pa(v.spaOffset)} is-at ${ha(v.shaOffset)}`;
      break;
    case 3:
      c.s += `Reverse Request who-is ${ha(v.thaOffset)} tell ${ha(v.shaOffset)}`;
      break;
    case 4:
      c.s += `Reverse Reply ${ha(v.thaOffset)} at ${pa(v.tpaOffset)}`;
      break;
    case 8:
      c.s += `Inverse Request who-is ${pa(v.tpaOffset)} tell ${ha(v.shaOffset)}`;
      break;
    case 9:
      c.s += `Inverse Reply ${ha(v.shaOffset)} at ${pa(v.spaOffset)}`;
      break;
    default:
      c.s += `Unknown (${op})`;
  }
  c.s += `, length ${len}`;
}

/** The schema's `arp` object (= `JSON.stringify(arpRepr(v))`), written straight into `w`. */
export function writeArpJson(w: JsonWriter, v: ArpView): void {
  w.field('{"htype":', v.htype);
  w.field(',"ptype":', v.ptype);
  w.field(',"op":', v.op);
  if (v.status === DecodeStatus.Ok) {
    if (v.hlen === 6) {
      w.raw(',"senderMac":');
      w.mac(v.bytes, v.shaOffset);
      w.raw(',"targetMac":');
      w.mac(v.bytes, v.thaOffset);
    }
    if (v.ptype === 0x0800 && v.plen === 4) {
      w.raw(',"senderIp":');
      w.ipv4(v.bytes, v.spaOffset);
      w.raw(',"targetIp":');
      w.ipv4(v.bytes, v.tpaOffset);
    }
  }
  w.raw('}');
}
