/** IGMP v1 (RFC 1112), v2 (RFC 2236), v3 (RFC 3376). */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { longjmpCut, relTime, type Printer } from './print.js';
import { CheckedText } from './checked.js';
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
  /** The DVMRP message of type 0x13, as far as captured. */
  dvmrp?: DvmrpRepr;
  /** The query of a multicast traceroute (0x1f) or response (0x1e), when captured. */
  mtrace?: { qid: number; source: string; destination: string; responseAddr: string; responseTtl: number };
}

/** A DVMRP message: its code, the version in the group field, and the addresses its code carries. */
export interface DvmrpRepr {
  /** 1 probe, 2 report, 3 ask neighbors, 4 neighbors, 5 ask neighbors2, 6 neighbors2, 7 prune, 8 graft, 9 graft-ack. */
  code: number;
  majorVersion: number;
  minorVersion: number;
  /** Probe: the generation id. */
  genid?: number;
  /** Probe: the neighbours listed; neighbors2: every neighbour of every local address. */
  neighbors?: string[];
  /** Prune, graft, graft-ack: source and group; prune: its lifetime in seconds. */
  source?: string;
  group?: string;
  lifetime?: number;
}

/** The DVMRP message at `o` of `n` captured bytes (at least the 8-byte header). */
function dvmrpRepr(b: Uint8Array, o: number, n: number): DvmrpRepr {
  const r: DvmrpRepr = { code: b[o + 1]!, majorVersion: b[o + 7]!, minorVersion: b[o + 6]! };
  const end = o + n;
  const p = o + 8;
  if (r.code === 1 && p + 4 <= end) {
    r.genid = u32(b, p);
    r.neighbors = [];
    for (let q = p + 4; q + 4 <= end; q += 4) r.neighbors.push(ipv4Text(b, q));
  } else if (r.code === 6) {
    r.neighbors = [];
    for (let q = p; q + 8 <= end;) {
      const count = b[q + 7]!;
      q += 8;
      for (let k = 0; k < count && q + 4 <= end; k++, q += 4) r.neighbors.push(ipv4Text(b, q));
    }
  } else if (r.code >= 7 && r.code <= 9 && p + 8 <= end) {
    r.source = ipv4Text(b, p);
    r.group = ipv4Text(b, p + 4);
    if (r.code === 7 && p + 12 <= end) r.lifetime = u32(b, p + 8);
  }
  return r;
}

/** Builds the sink representation. */
export function igmpRepr(v: IgmpView): IgmpRepr {
  const r: IgmpRepr = { type: v.type, maxResp: v.maxResp, checksum: v.checksum };
  if (v.status !== DecodeStatus.Ok) return r;
  const b = v.bytes;
  const o = v.offset;
  if (v.type === IGMP_PIMV1) r.pimv1 = pimv1Repr(b, o, v.length);
  else if (v.type === IGMP_DVMRP) r.dvmrp = dvmrpRepr(b, o, v.length);
  else if ((v.type === IGMP_MTRACE || v.type === IGMP_MTRACE_RESP) && v.length >= 24) {
    r.mtrace = { qid: (b[o + 21]! << 16) | u16(b, o + 22), source: ipv4Text(b, o + 8), destination: ipv4Text(b, o + 12), responseAddr: ipv4Text(b, o + 16), responseTtl: b[o + 20]! };
  }
  return r;
}

/** The IGMP type carrying PIM version 1. */
const IGMP_PIMV1 = 0x14;
/** DVMRP (RFC 1075, draft-ietf-idmr-dvmrp-v3), and multicast traceroute queries and responses. */
const IGMP_DVMRP = 0x13;
const IGMP_MTRACE_RESP = 0x1e;
const IGMP_MTRACE = 0x1f;

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
        // RFC 3376 4.1: 12 bytes and the sources, in 32-bit words
        if ((len & 3) !== 0) {
          c.s += ` [invalid len ${len}]`;
          return true;
        }
        // RFC 3376 4.1.1: codes from 128 on are a mantissa and exponent, in tenths of a second
        const mrc = v.maxResp;
        const mrt = mrc < 128 ? mrc : ((mrc & 15) | 16) << (((mrc >> 4) & 7) + 3);
        if (mrc !== 100) c.s += ` [max resp time ${mrt < 600 ? (mrt / 10).toFixed(1) + 's' : relTime(Math.floor(mrt / 10))}]`;
        // a general query (group 0) ends there, whatever its source count says
        if (u32(b, v.groupOffset) === 0) return true;
        c.s += ` [gaddr ${g}`;
        if (v.length < 12) {
          longjmpCut(c, 'igmp');
          return false;
        }
        if (!printQuerySources(c, v.offset + 12, u16(b, v.offset + 10), len - 12, v.offset + v.length, 4, 'igmp')) return false;
        c.s += ']';
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
    case IGMP_DVMRP:
      c.s += 'igmp dvmrp';
      return printDvmrp(c, b, v.offset, len, v.offset + v.length);
    case IGMP_MTRACE_RESP:
    case IGMP_MTRACE: {
      // RFC draft-ietf-idmr-traceroute-ipm: a 16-byte query (source, destination, response address, TTL, id) after the header
      if (len < 24) {
        c.s += ` [invalid len ${len}]`;
        return true;
      }
      if (v.length < 24) {
        longjmpCut(c, 'igmp');
        return false;
      }
      const q = v.offset + 8;
      c.s += `${v.type === IGMP_MTRACE ? 'mtrace' : 'mresp'} ${((b[q + 13] ?? 0) << 16) | u16(b, q + 14)}: ${ipv4Text(b, q)} to ${ipv4Text(b, q + 4)} reply-to ${ipv4Text(b, q + 8)}`;
      if (((b[q + 8] ?? 0) & 0xf0) === 0xe0) c.s += ` with-ttl ${b[q + 12] ?? 0}`;
      return true;
    }
    case 0x22:
      c.s += 'igmp v3 report';
      // RFC 3376 4.2: 8 header bytes and at least one 8-byte record, in 32-bit words
      if (len < 16 || (len & 3) !== 0) {
        c.s += ` [invalid len ${len}]`;
        return true;
      }
      c.s += `, ${v.v3Records} group record(s)`;
      if (c.opts.verbose > 0) printGroupRecords(c, v.offset, len, v.offset + v.length, v.v3Records, 4, 'igmp');
      return true;
    default:
      c.s += `igmp-${v.type}`;
      return true;
  }
}


/**
 * The source list of an IGMPv3 or MLDv2 query at `q` (`ns` sources of `alen` bytes, `room` bytes left
 * of the message, captured up to `capEnd`), as tcpdump prints it: nothing for none, ` [invalid number
 * of sources]` when the message cannot hold them, `, N source(s)` at -v and below, ` { S ... }` at -vv.
 * False when a read past the capture ended the packet (` [|proto]`).
 */
export function printQuerySources(c: Printer, q: number, ns: number, room: number, capEnd: number, alen: number, proto: string): boolean {
  if (ns === 0) return true;
  if (room < ns * alen) c.s += ' [invalid number of sources]';
  else if (c.opts.verbose < 2) c.s += `, ${ns} source(s)`;
  else {
    const b = c.parser.bytes;
    c.s += ' {';
    for (let k = 0; k < ns; k++) {
      const a = q + k * alen;
      if (a + alen > capEnd) {
        longjmpCut(c, proto);
        return false;
      }
      c.s += ` ${alen === 4 ? ipv4Text(b, a) : ipv6Text(b, a)}`;
    }
    c.s += ' }';
  }
  return true;
}

/**
 * IGMPv3 / MLDv2 group records of the report at `m` (`len`: its length, `capEnd`: where the capture
 * ends): ` [gaddr G mode, N source(s)]` each at -v, ` [gaddr G mode { S ... }]` at -vv (`alen`: 4 or
 * 16). As tcpdump, records and source lists are checked against the message's length first (a count
 * beyond it prints ` [invalid number of groups]` or ` [invalid number of sources N]` and ends the
 * list), then read from the capture (` [|proto]` where it ends); auxiliary data is not skipped.
 */
export function printGroupRecords(c: Printer, m: number, len: number, capEnd: number, n: number, alen: number, proto: string): void {
  const b = c.parser.bytes;
  const MODES = ['', 'is_in', 'is_ex', 'to_in', 'to_ex', 'allow', 'block'];
  const rec = 4 + alen;
  let group = 8;
  for (let k = 0; k < n; k++) {
    if (len < group + rec) {
      c.s += ' [invalid number of groups]';
      return;
    }
    const q = m + group;
    if (q + rec > capEnd) return longjmpCut(c, proto);
    const type = b[q] ?? 0;
    const ns = u16(b, q + 2);
    const g = alen === 4 ? ipv4Text(b, q + 4) : ipv6Text(b, q + 4);
    c.s += ` [gaddr ${g} ${MODES[type] || ` [v${alen === 4 ? 3 : 2}-report-#${type}]`}`;
    if (len < group + rec + ns * alen) {
      c.s += ` [invalid number of sources ${ns}]`;
      return;
    }
    if (c.opts.verbose < 2) c.s += `, ${ns} source(s)`;
    else {
      // -vv lists the sources, as tcpdump does
      c.s += ' {';
      for (let j = 0; j < ns; j++) {
        const at = q + rec + j * alen;
        if (at + alen > capEnd) return longjmpCut(c, proto);
        c.s += ` ${alen === 4 ? ipv4Text(b, at) : ipv6Text(b, at)}`;
      }
      c.s += ' }';
    }
    group += rec + ns * alen;
    c.s += ']';
  }
}

const DVMRP_TYPES = ['', 'Probe', 'Report', 'Ask-neighbors(old)', 'Neighbors(old)', 'Ask-neighbors2', 'Neighbors2', 'Prune', 'Graft', 'Graft-ACK'];
const DVMRP_NEIGHBOR_FLAGS: ReadonlyArray<readonly [number, string]> = [[0x01, '/tunnel'], [0x02, '/srcrt'], [0x40, '/querier'], [0x20, '/disabled'], [0x10, '/down']];
const T = new CheckedText();

/**
 * tcpdump's dvmrp_print after `igmp dvmrp` (`len`: the IGMP length) for the message at `o` captured up
 * to `cap`: the type, a probe's generation id and neighbours, a report's routes (-vv), neighbour lists
 * (mrinfo's answers), prune, graft and graft-ack; false when a read ran past the capture (` [|dvmrp]`).
 */
function printDvmrp(c: Printer, b: Uint8Array, o: number, len: number, cap: number): boolean {
  T.begin(b, cap, c.opts.verbose);
  dvmrpBody(o, len);
  c.s += T.out;
  if (T.aborted) longjmpCut(c, 'dvmrp');
  return !T.aborted;
}

function dvmrpBody(o: number, len: number): void {
  const invalid = (): void => T.emit(' (invalid)');
  const type = T.g1(o + 1);
  let p = o + 8;
  len -= 8;
  T.emit(` ${DVMRP_TYPES[type] || `[type ${type}]`}`);
  switch (type) {
    case 1:
      if (!T.verbose) return;
      if (len < 4) return void (T.emit(` [full length ${len} < 4]`), invalid());
      T.emit(T.verbose > 1 ? '\n\t' : ' ');
      T.emit(`genid ${T.g4(p)}`);
      if (T.verbose < 2) return;
      for (p += 4, len -= 4; len > 0 && !T.aborted; p += 4, len -= 4) {
        if (len < 4) return void (T.emit(`[remaining length ${len} < 4]`), invalid());
        T.emit(`\n\tneighbor ${T.ip4(p)}`);
      }
      return;
    case 2:
      if (T.verbose > 1) dvmrpReport(p, len);
      return;
    case 4:
      while (len > 0 && !T.aborted) {
        if (len < 7) return void (T.emit(` [length ${len} < 7]`), invalid());
        const local = p;
        const metric = T.g1(p + 4);
        const thresh = T.g1(p + 5);
        let n = T.g1(p + 6);
        p += 7;
        len -= 7;
        for (; n > 0 && !T.aborted; n--, p += 4, len -= 4) {
          if (len < 4) return void (T.emit(` [length ${len} < 4]`), invalid());
          T.emit(` [${T.ip4(local)} ->`);
          T.emit(` ${T.ip4(p)}, (${metric}/${thresh})]`);
        }
      }
      return;
    case 6: {
      // the version is in the IGMP group address field
      T.emit(` (v ${T.g1(o + 7)}.${T.g1(o + 6)}):`);
      while (len > 0 && !T.aborted) {
        if (len < 8) return void (T.emit(` [length ${len} < 8]`), invalid());
        const local = p;
        const metric = T.g1(p + 4);
        const thresh = T.g1(p + 5);
        const flags = T.g1(p + 6);
        let n = T.g1(p + 7);
        p += 8;
        len -= 8;
        for (; n > 0 && len > 0 && !T.aborted; n--, p += 4, len -= 4) {
          if (len < 4) return void (T.emit(` [length ${len} < 4]`), invalid());
          T.emit(` [${T.ip4(local)} -> `);
          T.emit(`${T.ip4(p)} (${metric}/${thresh}${DVMRP_NEIGHBOR_FLAGS.filter(([f]) => flags & f).map(([, t]) => t).join('')})]`);
        }
        if (n !== 0) return void (T.emit(' [invalid ncount]'), invalid());
      }
      return;
    }
    case 7:
      T.emit(` src ${T.ip4(p)} grp ${T.ip4(p + 4)}`);
      T.emit(' timer ');
      T.emit(relTime(T.g4(p + 8)));
      return;
    case 8:
    case 9:
      T.emit(` src ${T.ip4(p)} grp ${T.ip4(p + 4)}`);
      return;
    default:
  }
}

/** print_report: per mask (its three low bytes carried), the origins of its width with their metrics. */
function dvmrpReport(p: number, len: number): void {
  const quad = (x: number): string => `${x >>> 24}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`;
  while (len > 0 && !T.aborted) {
    if (len < 3) return void T.emit(` [length ${len} < 3] (invalid)`);
    const m0 = T.g1(p);
    const m1 = T.g1(p + 1);
    const m2 = T.g1(p + 2);
    const width = m2 ? 4 : m1 ? 3 : m0 ? 2 : 1;
    T.emit(`\n\tMask ${quad(((0xff << 24) | (m0 << 16) | (m1 << 8) | m2) >>> 0)}`);
    p += 3;
    len -= 3;
    for (let done = 0; !done && !T.aborted;) {
      if (len < width + 1) return void T.emit('\n\t  [Truncated Report] (invalid)');
      let origin = 0;
      for (let k = 0; k < 4; k++) origin = origin * 256 + (k < width ? T.g1(p + k) : 0);
      const metric = T.g1(p + width);
      p += width + 1;
      done = metric & 0x80;
      T.emit(`\n\t  ${quad(origin)} metric ${metric & 0x7f}`);
      len -= width + 1;
    }
  }
}
