/** IGMP v1 (RFC 1112), v2 (RFC 2236), v3 (RFC 3376). */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { relTime, type Printer } from './print.js';
import { ipv4Text, ipv6Text } from './addr.js';
import { onesSum } from './ipv4.js';
import { pimv1Repr, printPimv1, type Pimv1Repr } from './pim.js';

/** Field offsets of the 8-byte message (v3 queries and reports continue after it). */
export const IgmpOffsets = { type: 0, maxResp: 1, checksum: 2, group: 4, v3Flags: 8, v3Qqic: 9, v3NumSrc: 10, v3ReportRecords: 6, headerLen: 8 } as const;

/** Zero-copy view of an IGMP message. */
export class IgmpView extends ByteView {
  /**
   * Points at an IGMP message; Truncated below 8 bytes.
   * @example igmp.reset(bytes, 38, bytes.length - 38);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < IgmpOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Type (0x11 query, 0x12 v1 report, 0x14 PIMv1, 0x16 v2 report, 0x17 leave, 0x22 v3 report). */
  get type(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Max response code. */
  get maxResp(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** Checksum as carried. */
  get checksum(): number {
    return u16(this.bytes, this.offset + 2);
  }
  /** Offset of the group address. */
  get groupOffset(): number {
    return this.offset + IgmpOffsets.group;
  }
  /** Number of group records of a v3 report. */
  get v3Records(): number {
    return u16(this.bytes, this.offset + IgmpOffsets.v3ReportRecords);
  }
}

/** Parsed IGMP header. */
export interface IgmpRepr {
  type: number;
  maxResp: number;
  checksum: number;
  /** The PIMv1 message of type 0x14 (its code is `maxResp`'s byte). */
  pimv1?: Pimv1Repr;
}

/** Builds the sink representation. */
export function igmpRepr(v: IgmpView): IgmpRepr {
  const r: IgmpRepr = { type: v.type, maxResp: v.maxResp, checksum: v.checksum };
  if (v.type === IGMP_PIMV1 && v.status === DecodeStatus.Ok) r.pimv1 = pimv1Repr(v.bytes, v.offset, v.length);
  return r;
}

/** The IGMP type carrying PIM version 1. */
const IGMP_PIMV1 = 0x14;

/** tcpdump's IGMP text (v1-v3 and PIMv1; v3 group records at -v, a wrong checksum noted at -v). */
export function printIgmp(c: Printer, v: IgmpView, _i: number, len: number): void {
  if (!igmpText(c, v, len)) return;
  // tcpdump checks the message's checksum at -v when all of it was captured
  if (c.opts.verbose > 0 && !c.opts.quiet && len >= 4 && v.length >= len && onesSum(v.bytes, v.offset, len, 0) !== 0xffff) {
    c.s += ` bad igmp cksum ${v.checksum.toString(16)}!`;
  }
}

/** The message's text; false when it ended early (a header cut short, -q, a read past the capture). */
function igmpText(c: Printer, v: IgmpView, len: number): boolean {
  const b = v.bytes;
  if (v.length < 1) {
    c.s += ' [|igmp]';
    return false;
  }
  if (v.length < 8) {
    c.s += 'igmp [|igmp]';
    return false;
  }
  if (c.opts.quiet) {
    c.s += 'igmp';
    return false;
  }
  const g = ipv4Text(b, v.groupOffset);
  switch (v.type) {
    case 0x11: {
      if (len >= 12) {
        c.s += 'igmp query v3';
        // RFC 3376 4.1.1: codes from 128 on are a mantissa and exponent, in tenths of a second
        const mrc = v.maxResp;
        const mrt = mrc < 128 ? mrc : ((mrc & 15) | 16) << (((mrc >> 4) & 7) + 3);
        if (mrc !== 100) c.s += ` [max resp time ${mrt < 600 ? (mrt / 10).toFixed(1) + 's' : relTime(Math.floor(mrt / 10))}]`;
        const ns = v.length >= 12 ? u16(b, v.offset + 10) : 0;
        if (u32(b, v.groupOffset) !== 0) {
          c.s += ` [gaddr ${g}`;
          if (ns && c.opts.verbose > 1) {
            c.s += ' {';
            for (let k = 0, a = v.offset + 12; k < ns; k++, a += 4) {
              if (a + 4 > v.offset + v.length) {
                c.s += ' [|igmp]';
                return false;
              }
              c.s += ` ${ipv4Text(b, a)}`;
            }
            c.s += ' }';
          } else if (ns) c.s += `, ${ns} source(s)`;
          c.s += ']';
        } else if (ns && c.opts.verbose > 0) c.s += ` ${ns} source(s)`;
        return true;
      }
      if (v.maxResp === 0) c.s += 'igmp query v1';
      else {
        c.s += 'igmp query v2';
        if (v.maxResp !== 100) c.s += ` [max resp time ${v.maxResp}]`;
      }
      if (u32(b, v.groupOffset) !== 0) c.s += ` [gaddr ${g}]`;
      if (len !== 8) c.s += ` [len ${len}]`;
      return true;
    }
    case 0x12:
      c.s += `igmp v1 report ${g}`;
      if (len !== 8) c.s += ` [len ${len}]`;
      return true;
    case 0x16:
      c.s += `igmp v2 report ${g}`;
      return true;
    case 0x17:
      c.s += `igmp leave ${g}`;
      return true;
    case IGMP_PIMV1:
      c.s += 'igmp pimv1';
      // the message as far as the IP datagram and the capture go
      return printPimv1(c, b, v.offset, len, v.offset + v.length);
    case 0x22:
      c.s += `igmp v3 report, ${v.v3Records} group record(s)`;
      if (c.opts.verbose > 0) printGroupRecords(c, v.offset + 8, v.offset + Math.min(v.length, len), v.v3Records, 4);
      return true;
    default:
      c.s += `igmp-${v.type}`;
      return true;
  }
}


/** IGMPv3 / MLDv2 group records: ` [gaddr G mode, N source(s)]` each at -v, ` [gaddr G mode { S ... }]` at -vv (`alen`: 4 or 16). */
export function printGroupRecords(c: Printer, q: number, end: number, n: number, alen: number): void {
  const b = c.parser.bytes;
  const MODES = ['', 'is_in', 'is_ex', 'to_in', 'to_ex', 'allow', 'block'];
  for (let k = 0; k < n && k < 1024; k++) {
    if (q + 4 + alen > end) {
      c.s += ' [|igmp]';
      return;
    }
    const type = b[q] ?? 0;
    const aux = (b[q + 1] ?? 0) * 4;
    const ns = u16(b, q + 2);
    const g = alen === 4 ? ipv4Text(b, q + 4) : ipv6Text(b, q + 4);
    const mode = MODES[type] || ` [v${alen === 4 ? 3 : 2}-report-#${type}]`;
    if (c.opts.verbose < 2) c.s += ` [gaddr ${g} ${mode}, ${ns} source(s)]`;
    else {
      // -vv lists the sources, as tcpdump does
      c.s += ` [gaddr ${g} ${mode} {`;
      for (let j = 0; j < ns; j++) {
        const at = q + 4 + alen + j * alen;
        if (at + alen > end) {
          c.s += ' [|igmp]';
          return;
        }
        c.s += ` ${alen === 4 ? ipv4Text(b, at) : ipv6Text(b, at)}`;
      }
      c.s += ' }]';
    }
    q += 4 + alen + ns * alen + aux;
  }
}
