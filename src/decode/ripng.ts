/**
 * RIP next generation for IPv6 (RFC 2080), UDP port 521: a 4-byte header (command, version 1) and
 * 20-byte route table entries (prefix, route tag, prefix length, metric).
 */
import { ByteView, DecodeStatus, u16 } from './status.js';
import { ipv6Text } from './addr.js';
import type { Printer } from './print.js';
import { CheckedText } from './checked.js';

/** Field offsets of the header and of one route table entry (from the entry start). */
export const RipngOffsets = { command: 0, version: 1, headerLen: 4, entryLen: 20, prefix: 0, routeTag: 16, prefixLen: 18, metric: 19 } as const;

/** Zero-copy view of a RIPng message. */
export class RipngView extends ByteView {
  /**
   * Points at a RIPng message; Truncated when the version byte was not captured.
   * @example ripng.reset(bytes, 62, bytes.length - 62);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, 2);
  }
  /** Command (1 request, 2 response). */
  get command(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Version (1). */
  get version(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** Route table entries wholly captured. */
  get entries(): number {
    return Math.max(0, Math.floor((this.length - RipngOffsets.headerLen) / RipngOffsets.entryLen));
  }
  /** Byte offset in `bytes` of entry `k`. */
  entryAt(k: number): number {
    return this.offset + RipngOffsets.headerLen + k * RipngOffsets.entryLen;
  }
}

/** One route table entry. */
export interface RipngEntryRepr {
  prefix: string;
  prefixLen: number;
  routeTag: number;
  metric: number;
}

/** Parsed RIPng message. */
export interface RipngRepr {
  command: number;
  version: number;
  entries: RipngEntryRepr[];
}

/** Builds the sink representation. */
export function ripngRepr(v: RipngView): RipngRepr {
  const b = v.bytes;
  const O = RipngOffsets;
  const entries: RipngEntryRepr[] = [];
  for (let k = 0; k < v.entries; k++) {
    const e = v.entryAt(k);
    entries.push({ prefix: ipv6Text(b, e), prefixLen: b[e + O.prefixLen]!, routeTag: u16(b, e + O.routeTag), metric: b[e + O.metric]! });
  }
  return { command: v.command, version: v.version, entries };
}

const T = new CheckedText();

/** tcpdump's RIPng text (`len`: the UDP payload length): the entries, one per line at -vv. */
export function printRipng(c: Printer, v: RipngView, _i: number, len: number): void {
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|ripng]';
    return;
  }
  T.begin(v.bytes, v.offset + v.length, c.opts.verbose);
  body(v, len);
  c.s += T.out + (T.aborted ? ' [|ripng]' : '');
}

function body(v: RipngView, length: number): void {
  const O = RipngOffsets;
  const ver = v.version;
  if (ver !== 1) return T.emit(` [vers ${ver}] (invalid)`);
  const cmd = v.command;
  if (cmd !== 1 && cmd !== 2) return T.emit(` ripng-${cmd} ?? ${length} (invalid)`);
  if (length < O.headerLen) return T.emit(' (invalid)');
  let left = length - O.headerLen;
  const j = Math.floor(left / O.entryLen);
  const first = v.offset + O.headerLen;
  if (cmd === 1 && j === 1 && T.g1(first + O.metric) === 16 && !T.aborted) {
    let zero = true;
    for (let k = 0; k < 16; k++) if (v.bytes[first + k] !== 0) zero = false;
    if (zero) return T.emit(' ripng-req dump');
  }
  const name = cmd === 1 ? 'ripng-req' : 'ripng-resp';
  T.emit(j * O.entryLen !== left ? ` ${name} ${j}[${length}]:` : ` ${name} ${j}:`);
  for (let e = first; left >= O.entryLen && !T.aborted; left -= O.entryLen, e += O.entryLen) {
    T.emit(T.verbose > 1 ? '\n\t' : ' ');
    const a = T.ip6(e);
    const pl = T.g1(e + O.prefixLen);
    T.emit(`${a}/${pl}`);
    const tag = T.g2(e + O.routeTag);
    if (tag) T.emit(` [${tag}]`);
    const m = T.g1(e + O.metric);
    if (m && cmd === 2) T.emit(` (${m})`);
  }
  if (left !== 0) T.emit(' (invalid)');
}
