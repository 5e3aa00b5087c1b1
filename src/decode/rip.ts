/**
 * Routing Information Protocol versions 1 and 2 (RFC 1058, RFC 2453), UDP port 520: a 4-byte header
 * and 20-byte route entries; an entry with address family 0xffff carries authentication (RFC 2453
 * section 4.1: type 2 is a 16-byte clear-text password).
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { ipv4Text } from './addr.js';
import { type Printer, hex4, hexDump, safeText } from './print.js';

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
}

/** Builds the sink representation. */
export function ripRepr(v: RipView): RipRepr {
  const b = v.bytes;
  const O = RipOffsets;
  const entries: RipEntryRepr[] = [];
  for (let k = 0; k < v.entries; k++) {
    const e = v.entryAt(k);
    entries.push({
      afi: u16(b, e), address: ipv4Text(b, e + O.address), mask: ipv4Text(b, e + O.mask), nextHop: ipv4Text(b, e + O.nextHop),
      metric: u32(b, e + O.metric), routeTag: u16(b, e + O.routeTag),
    });
  }
  return { command: v.command, version: v.version, entries };
}

const COMMANDS = ['', 'Request', 'Response', 'Trace on', 'Trace off', 'Poll', 'Poll Entry'];

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
    for (let k = 0; k < n; k++) {
      const e = v.entryAt(k);
      if (e + O.entryLen > v.offset + v.length) {
        c.s += ' [|rip]';
        return;
      }
      const afi = u16(b, e);
      if (ver === 1) {
        c.s += `\n\t  ${ipv4Text(b, e + O.address)}, metric: ${u32(b, e + O.metric)}`;
        continue;
      }
      if (afi === 0xffff) {
        const at = u16(b, e + O.authType);
        if (at === 2) {
          const p = e + O.password;
          let q = p;
          while (q < p + 16 && b[q] !== 0) q++;
          c.s += `\n\t  Simple Text Authentication data: ${safeText(b, p, q)}`;
        } else c.s += `\n\t  Unknown (${at}) Authentication data:${hexDump(b, e + 4, 16, '\n\t  ')}`;
        continue;
      }
      const ml = maskLen(u32(b, e + O.mask));
      const nh = u32(b, e + O.nextHop);
      c.s += `\n\t  AFI ${afi === 2 ? 'IPv4' : afi}, ${ipv4Text(b, e + O.address).padStart(15)}/${String(ml).padEnd(2)}, tag 0x${hex4(u16(b, e + O.routeTag))}, metric: ${u32(b, e + O.metric)}, next-hop: ${nh === 0 ? 'self' : ipv4Text(b, e + O.nextHop)}`;
    }
  }
  if (c.opts.verbose > 1) c.s += hexDump(v.bytes, v.offset, Math.min(len, v.length), '\n\t');
}
