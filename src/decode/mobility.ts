/**
 * The IPv6 Mobility Header (RFC 6275, next header 135; 62 in drafts before it): binding refresh
 * requests, home and care-of test (init) messages, binding updates, acknowledgements and errors,
 * with the mobility options after them (RFC 6275 section 6.2). Reached only from IPv6.
 */
import { ByteView, DecodeStatus, u16 } from './status.js';
import { ipv6Text } from './addr.js';
import { type Printer } from './print.js';

/** Field offsets: the 6-byte header, then each message's fields. */
export const MobilityOffsets = {
  payloadProto: 0, hdrLen: 1, type: 2, checksum: 4, data: 6, minLen: 8,
} as const;

/** Message types (RFC 6275 section 6.1). */
export const MhType = { BRR: 0, HoTI: 1, CoTI: 2, HoT: 3, CoT: 4, BU: 5, BA: 6, BE: 7 } as const;

const TYPE_NAMES = ['BRR', 'HoTI', 'CoTI', 'HoT', 'CoT', 'BU', 'BA', 'BE'];
/** The least header length of each type, in bytes. */
const MIN_LEN = [8, 16, 16, 24, 24, 12, 12, 24];

/** Zero-copy view of a Mobility Header. */
export class MobilityView extends ByteView {
  /**
   * Points at a Mobility Header; Truncated below its 6 fixed bytes.
   * @example mh.reset(bytes, 54, bytes.length - 54);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, MobilityOffsets.data);
  }
  /** Message type. */
  get type(): number {
    return this.bytes[this.offset + MobilityOffsets.type] ?? 0;
  }
  /** Header length in bytes (the field counts 8-byte units after the first 8). */
  get headerLen(): number {
    return ((this.bytes[this.offset + MobilityOffsets.hdrLen] ?? 0) + 1) * 8;
  }
  /** The payload protocol field (59, no next header, in every RFC 6275 message). */
  get payloadProto(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Checksum. */
  get checksum(): number {
    return u16(this.bytes, this.offset + MobilityOffsets.checksum);
  }
  /** Whether `n` bytes from the header's start are captured. */
  has(n: number): boolean {
    return n <= this.length;
  }
  /** Big-endian 16 bits at `o` from the header's start. */
  u16(o: number): number {
    return u16(this.bytes, this.offset + o);
  }
  /** Byte at `o` from the header's start. */
  u8(o: number): number {
    return this.bytes[this.offset + o] ?? 0;
  }
}

/** Parsed Mobility Header: the common fields and those of the message type. */
export interface MobilityRepr {
  type: number;
  /** `BU`, `BA`, ... or `type-#N`. */
  typeName: string;
  payloadProto: number;
  headerLen: number;
  checksum: number;
  /** BU and BA: sequence number. */
  seq?: number;
  /** BU and BA: lifetime in seconds. */
  lifetime?: number;
  /** BA and BE: status. */
  status?: number;
  /** HoT and CoT: nonce index. */
  nonceIndex?: number;
  /** BE: home address. */
  homeAddress?: string;
}

/** Builds the sink representation (fields the capture holds). */
export function mobilityRepr(v: MobilityView): MobilityRepr {
  const t = v.type;
  const r: MobilityRepr = { type: t, typeName: TYPE_NAMES[t] ?? `type-#${t}`, payloadProto: v.payloadProto, headerLen: v.headerLen, checksum: v.checksum };
  const D = MobilityOffsets.data;
  if ((t === MhType.BU || t === MhType.BA) && v.has(12)) {
    r.seq = v.u16(t === MhType.BU ? D : 8);
    r.lifetime = v.u16(10) * 4;
  }
  if ((t === MhType.BA || t === MhType.BE) && v.has(7)) r.status = v.u8(D);
  if ((t === MhType.HoT || t === MhType.CoT) && v.has(8)) r.nonceIndex = v.u16(D);
  if (t === MhType.BE && v.has(24)) r.homeAddress = ipv6Text(v.bytes, v.offset + 8);
  return r;
}

/** Two 32-bit words as tcpdump prints a cookie or token: `%08x:%08x`. */
function words(v: MobilityView, o: number): string {
  const w = (x: number): string => ((v.u16(x) * 65536 + v.u16(x + 2)) >>> 0).toString(16).padStart(8, '0');
  return `${w(o)}:${w(o + 4)}`;
}

/**
 * tcpdump's Mobility Header text: the type and its fields, at -v the cookies, tokens and options.
 * Fields are read in tcpdump's order, and one the capture lacks ends the line with ` [|mobility]`.
 */
export function printMobility(c: Printer, v: MobilityView): void {
  const trunc = ' [|mobility]';
  if (!v.has(2)) {
    c.s += trunc;
    return;
  }
  const mhlen = v.headerLen;
  if (!v.has(3)) {
    c.s += trunc;
    c.earlyEnd = true;
    return;
  }
  const t = v.type;
  if (t < MIN_LEN.length && mhlen < MIN_LEN[t]!) {
    c.s += `(header length ${mhlen} is too small for type ${t})${trunc}`;
    return;
  }
  const vb = c.opts.verbose > 0;
  c.s += `mobility: ${TYPE_NAMES[t] ?? `type-#${t}`}`;
  // each field needs `n` bytes captured, else the line ends truncated, as where tcpdump's read of a
  // field past the capture jumps out of the printer (then -x dumps the whole frame)
  const need = (n: number): boolean => {
    if (v.has(n)) return true;
    c.s += trunc;
    c.earlyEnd = true;
    return false;
  };
  let hlen: number = MobilityOffsets.minLen;
  switch (t) {
    case MhType.BRR:
      break;
    case MhType.HoTI:
    case MhType.CoTI:
      if (vb) {
        if (!need(16)) return;
        c.s += ` ${t === MhType.HoTI ? 'Home' : 'Care-of'} Init Cookie=${words(v, 8)}`;
      }
      hlen = 16;
      break;
    case MhType.HoT:
    case MhType.CoT: {
      if (!need(8)) return;
      c.s += ` nonce id=0x${v.u16(6).toString(16)}`;
      const who = t === MhType.HoT ? 'Home' : 'Care-of';
      if (vb) {
        if (!need(16)) return;
        c.s += ` ${who} Init Cookie=${words(v, 8)}`;
        if (!need(24)) return;
        c.s += ` ${who} Keygen Token=${words(v, 16)}`;
      }
      hlen = 24;
      break;
    }
    case MhType.BU: {
      if (!need(8)) return;
      c.s += ` seq#=${v.u16(6)}`;
      if (!need(10)) return;
      const f = v.u8(8);
      if (f & 0xf0) c.s += ` ${f & 0x80 ? 'A' : ''}${f & 0x40 ? 'H' : ''}${f & 0x20 ? 'L' : ''}${f & 0x10 ? 'K' : ''}`;
      if (!need(12)) return;
      c.s += ` lifetime=${v.u16(10) * 4}`;
      hlen = 12;
      break;
    }
    case MhType.BA:
      if (!need(7)) return;
      c.s += ` status=${v.u8(6)}`;
      if (!need(8)) return;
      if (v.u8(7) & 0x80) c.s += ' K';
      if (!need(10)) return;
      c.s += ` seq#=${v.u16(8)}`;
      if (!need(12)) return;
      c.s += ` lifetime=${v.u16(10) * 4}`;
      hlen = 12;
      break;
    case MhType.BE:
      if (!need(7)) return;
      c.s += ` status=${v.u8(6)}`;
      if (!need(24)) return;
      c.s += ` homeaddr ${ipv6Text(v.bytes, v.offset + 8)}`;
      hlen = 24;
      break;
    default:
      c.s += ` len=${v.u8(MobilityOffsets.hdrLen)}`;
      return;
  }
  if (!vb) return;
  const end = printOptions(c, v, hlen, mhlen - hlen);
  if (end === OptEnd.Ok) return;
  c.s += trunc;
  if (end === OptEnd.Jumped) c.earlyEnd = true;
}

/** How the options ended: whole, cut where tcpdump checks and marks the line, or cut where it jumps out. */
const OptEnd = { Ok: 0, Cut: 1, Jumped: 2 } as const;
type OptEnd = (typeof OptEnd)[keyof typeof OptEnd];

/** The mobility options in `len` bytes at `at` (RFC 6275 section 6.2), read in tcpdump's order. */
function printOptions(c: Printer, v: MobilityView, at: number, len: number): OptEnd {
  for (let i = 0; i < len; ) {
    const o = at + i;
    if (!v.has(o + 1)) return OptEnd.Cut;
    const type = v.u8(o);
    let optlen = 1;
    if (type !== 0) {
      if (i + 1 >= len) return OptEnd.Cut;
      if (!v.has(o + 2)) return OptEnd.Jumped;
      optlen = v.u8(o + 1) + 2;
    }
    // tcpdump also asks for the byte after the option, so an option that ends the capture is cut
    if (i + optlen > len || !v.has(o + optlen + 1)) return OptEnd.Cut;
    const room = len - i;
    // a field read past the capture
    const has = (n: number): boolean => v.has(o + n);
    switch (type) {
      case 0:
        c.s += '(pad1)';
        break;
      case 1:
        c.s += '(padn)';
        break;
      case 2:
        if (room < 4) {
          c.s += '(refresh: trunc)';
          return OptEnd.Cut;
        }
        if (!has(4)) return OptEnd.Jumped;
        c.s += `(refresh: ${v.u16(o + 2) * 4})`;
        break;
      case 3:
        if (room < 18) {
          c.s += '(altcoa: trunc)';
          return OptEnd.Cut;
        }
        if (!has(18)) return OptEnd.Jumped;
        c.s += `(alt-CoA: ${ipv6Text(v.bytes, v.offset + o + 2)})`;
        break;
      case 4:
        if (room < 6) {
          c.s += '(ni: trunc)';
          return OptEnd.Cut;
        }
        if (!has(6)) return OptEnd.Jumped;
        c.s += `(ni: ho=0x${v.u16(o + 2).toString(16).padStart(4, '0')} co=0x${v.u16(o + 4).toString(16).padStart(4, '0')})`;
        break;
      case 5:
        if (room < 12) {
          c.s += '(auth: trunc)';
          return OptEnd.Cut;
        }
        c.s += '(auth)';
        break;
      default:
        c.s += `(type-0x${type.toString(16).padStart(2, '0')}: len=${v.u8(o + 1)})`;
    }
    i += optlen;
  }
  return OptEnd.Ok;
}
