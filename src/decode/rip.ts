/**
 * Routing Information Protocol versions 1 and 2 (RFC 1058, RFC 2453), UDP port 520: a 4-byte header
 * and 20-byte route entries; an entry with address family 0xffff carries authentication (RFC 2453
 * section 4.1: type 2 is a 16-byte clear-text password).
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { ipv4Text } from './addr.js';
import { type Printer, hex4, hexBytes, hexDump, safeText } from './print.js';

/** Field offsets of the header and of one route entry (from the entry start). */
export const RipOffsets = {
  command: 0, version: 1, headerLen: 4, entryLen: 20,
  afi: 0, routeTag: 2, authType: 2, address: 4, mask: 8, nextHop: 12, metric: 16, password: 4,
} as const;

/** Zero-copy view of a RIP message. */
export class RipView extends ByteView {
  /**
   * Points at a RIP message; Truncated below its 4-byte header.
   * @example rip.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, RipOffsets.headerLen);
  }
  /** Command (1 request, 2 response). */
  get command(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Version. */
  get version(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** Route entries (authentication entries included) wholly captured. */
  get entries(): number {
    return Math.floor((this.length - RipOffsets.headerLen) / RipOffsets.entryLen);
  }
  /** Byte offset in `bytes` of entry `k`. */
  entryAt(k: number): number {
    return this.offset + RipOffsets.headerLen + k * RipOffsets.entryLen;
  }
}

/** One route entry. */
export interface RipEntryRepr {
  afi: number;
  address: string;
  mask: string;
  nextHop: string;
  metric: number;
  routeTag: number;
}

/** Parsed RIP message. */
export interface RipRepr {
  command: number;
  version: number;
  entries: RipEntryRepr[];
  /** Version 2 authentication (entries of family 0xffff): the type (2 password, 3 keyed digest), and its fields. */
  auth?: RipAuthRepr;
}

/** RIPv2 authentication: RFC 2453's password, or RFC 4822's digest header and the trailer's digest (hex). */
export interface RipAuthRepr {
  type: number;
  password?: string;
  digestOffset?: number;
  keyId?: number;
  authDataLength?: number;
  sequence?: number;
  digest?: string;
}

/** Builds the sink representation. */
export function ripRepr(v: RipView): RipRepr {
  const b = v.bytes;
  const O = RipOffsets;
  const entries: RipEntryRepr[] = [];
  let auth: RipAuthRepr | undefined;
  for (let k = 0; k < v.entries; k++) {
    const e = v.entryAt(k);
    if (v.version === 2 && u16(b, e) === 0xffff) {
      const t = u16(b, e + O.authType);
      const p = e + O.password;
      if (t === 2) auth = { type: t, password: textz(b, p, p + 16) };
      else if (t === 3) auth = { type: t, digestOffset: u16(b, p), keyId: b[p + 2] ?? 0, authDataLength: b[p + 3] ?? 0, sequence: u32(b, p + 4) };
      else if (t === 1 && auth) auth.digest = hexBytes(b, p, 16);
    }
    entries.push({
      afi: u16(b, e), address: ipv4Text(b, e + O.address), mask: ipv4Text(b, e + O.mask), nextHop: ipv4Text(b, e + O.nextHop),
      metric: u32(b, e + O.metric), routeTag: u16(b, e + O.routeTag),
    });
  }
  return auth ? { command: v.command, version: v.version, entries, auth } : { command: v.command, version: v.version, entries };
}

const COMMANDS = ['', 'Request', 'Response', 'Trace on', 'Trace off', 'Poll', 'Poll Entry'];

/** The text up to a NUL or `end`. */
function textz(b: Uint8Array, p: number, end: number): string {
  let q = p;
  while (q < end && b[q] !== 0) q++;
  return safeText(b, p, q);
}

/** BSD address family names tcpdump gives RIP entries. */
const BSD_AF: Readonly<Record<number, string>> = { 2: 'IPv4', 6: 'NS', 7: 'ISO', 16: 'Appletalk', 23: 'IPX', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6' };

/**
 * Version 2 entries in the `rem` bytes after the header, as tcpdump walks them: authentication
 * entries (RFC 2453 password, RFC 4822 keyed-digest header and trailer) take their own sizes, the
 * trailer and unknown kinds the rest of the message. False when the text ends there (CUT).
 */
function printV2Entries(c: Printer, v: RipView, rem: number): boolean {
  const b = v.bytes;
  const O = RipOffsets;
  for (let e = v.offset + O.headerLen; rem > 0; ) {
    const size = v2Entry(c, b, e, rem, v.offset + v.length);
    if (size <= 0) {
      c.s += ' [|rip]';
      return size === 0;
    }
    if (rem < size) {
      c.s += ` [remaining entries length ${rem} < ${size}] (invalid)`;
      return true;
    }
    e += size;
    rem -= size;
  }
  return true;
}

/** A password that runs into the end of the capture: tcpdump's text ends there, without the -vv dump. */
const CUT = -1;

/** One version 2 entry at `e` with `rem` bytes left (captured up to `cap`); its size, 0 when the message is too short, CUT. */
function v2Entry(c: Printer, b: Uint8Array, e: number, rem: number, cap: number): number {
  const O = RipOffsets;
  if (rem < 4) return 0;
  const afi = u16(b, e);
  if (afi === 0xffff) {
    const at = u16(b, e + O.authType);
    const p = e + O.password;
    if (at === 2) {
      const lim = Math.min(p + 16, cap);
      let q = p;
      while (q < lim && b[q] !== 0) q++;
      c.s += `\n\t  Simple Text Authentication data: ${safeText(b, p, q)}`;
      return q === lim && lim < p + 16 ? CUT : O.entryLen;
    }
    if (at === 3) {
      if (rem - 4 < 16) return 0;
      c.s += `\n\t  Auth header: Packet Len ${u16(b, p)}, Key-ID ${b[p + 2] ?? 0}, Auth Data Len ${b[p + 3] ?? 0}, SeqNo ${u32(b, p + 4)}, MBZ ${u32(b, p + 8)}, MBZ ${u32(b, p + 12)}`;
      return O.entryLen;
    }
    c.s += at === 1 ? '\n\t  Auth trailer:' : `\n\t  Unknown (${at}) Authentication data:`;
    c.s += hexDump(b, p, rem - 4, '\n\t  ');
    return rem;
  }
  if (afi !== 2 && afi !== 0) {
    c.s += `\n\t  AFI ${BSD_AF[afi] ?? `Unknown (${afi})`}${hexDump(b, e + 4, 16, '\n\t  ')}`;
    return O.entryLen;
  }
  if (rem < O.entryLen) return 0;
  const ml = maskLen(u32(b, e + O.mask));
  const nh = u32(b, e + O.nextHop);
  c.s += `\n\t  AFI ${afi === 2 ? 'IPv4' : afi}, ${ipv4Text(b, e + O.address).padStart(15)}/${String(ml).padEnd(2)}, tag 0x${hex4(u16(b, e + O.routeTag))}, metric: ${u32(b, e + O.metric)}, next-hop: ${nh === 0 ? 'self' : ipv4Text(b, e + O.nextHop)}`;
  return O.entryLen;
}

/** Prefix length of a contiguous mask, or -1. */
function maskLen(m: number): number {
  let n = 0;
  while (n < 32 && m & (0x80000000 >>> n)) n++;
  return (m << n) >>> 0 === 0 || n === 32 ? n : -1;
}

/** tcpdump's RIP text (`len`: the UDP payload length); the route entries at -v, a dump at -vv. */
export function printRip(c: Printer, v: RipView, _i: number, len: number): void {
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|rip]';
    return;
  }
  const ver = v.version;
  const cmd = v.command;
  const verbose = c.opts.verbose > 0;
  const head = `RIPv${ver}, ${COMMANDS[cmd] || `unknown command (${cmd})`}, length: ${len}`;
  if (!verbose) {
    c.s += head;
    return;
  }
  c.s += `\n\t${head}`;
  if ((ver === 1 || ver === 2) && (cmd === 1 || cmd === 2)) {
    const n = Math.floor((len - RipOffsets.headerLen) / RipOffsets.entryLen);
    c.s += `, routes: ${n}${ver === 2 ? ' or less' : ''}`;
    const b = v.bytes;
    const O = RipOffsets;
    if (ver === 2) {
      if (!printV2Entries(c, v, Math.min(len, v.length) - RipOffsets.headerLen)) return;
    } else {
      for (let k = 0; k < n; k++) {
        const e = v.entryAt(k);
        if (e + O.entryLen > v.offset + v.length) {
          c.s += ' [|rip]';
          return;
        }
        c.s += `\n\t  ${ipv4Text(b, e + O.address)}, metric: ${u32(b, e + O.metric)}`;
      }
    }
  }
  if (c.opts.verbose > 1) c.s += hexDump(v.bytes, v.offset, Math.min(len, v.length), '\n\t');
}
