/**
 * Network Service Header (RFC 8300): the base and service path headers, MD type 1 fixed context
 * headers and MD type 2 variable-length context headers, then the IPv4, IPv6 or Ethernet packet it
 * carries. Reached by EtherType 0x894f and by VXLAN-GPE's next protocol 4.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { hex2 } from './addr.js';
import { EtherType } from '../numbers.js';
import { type Printer, hex8, hexBytes, longjmpCut, pad2 } from './print.js';

/** Field offsets of the base header (a 32-bit word: version, O bit, TTL, length, MD type, next protocol) and the service path header. */
export const NshOffsets = { base: 0, mdType: 2, nextProtocol: 3, spi: 4, si: 7, headerLen: 8, word: 4 } as const;

/** Next-protocol values (RFC 8300 section 2.2; IANA's NSH Next Protocol registry). */
export const NshNext = { IPV4: 1, IPV6: 2, ETHERNET: 3, NSH: 4, MPLS: 5 } as const;

/** Zero-copy view of an NSH header. */
export class NshView extends ByteView {
  /**
   * Points at an NSH header; Truncated below its base and service path headers or its declared
   * header length, Malformed for a version other than 0 or a length below 2 words.
   * @example n.reset(bytes, 14, bytes.length - 14);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    if (this.length < NshOffsets.headerLen) return (this.status = DecodeStatus.Truncated);
    if (this.version !== 0 || this.words < 2) return (this.status = DecodeStatus.Malformed);
    this.status = this.headerLen > this.length ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Version (2 bits; 0 is RFC 8300's). */
  get version(): number {
    return (this.bytes[this.offset] ?? 0) >> 6;
  }
  /** O bit: an OAM packet. */
  get oam(): boolean {
    return ((this.bytes[this.offset] ?? 0) & 0x20) !== 0;
  }
  /** Time to live (6 bits). */
  get ttl(): number {
    return (u16(this.bytes, this.offset) >> 6) & 0x3f;
  }
  /** Length of all NSH headers in 4-byte words. */
  get words(): number {
    return (this.bytes[this.offset + 1] ?? 0) & 0x3f;
  }
  /** Length of all NSH headers in bytes. */
  get headerLen(): number {
    return this.words * NshOffsets.word;
  }
  /** Metadata type (1 fixed, 2 variable). */
  get mdType(): number {
    return (this.bytes[this.offset + NshOffsets.mdType] ?? 0) & 0x0f;
  }
  /** Next protocol. */
  get nextProtocol(): number {
    return this.bytes[this.offset + NshOffsets.nextProtocol] ?? 0;
  }
  /** Service path identifier (24 bits). */
  get spi(): number {
    return u32(this.bytes, this.offset + NshOffsets.spi) >>> 8;
  }
  /** Service index. */
  get si(): number {
    return this.bytes[this.offset + NshOffsets.si] ?? 0;
  }
}

/** One MD type 2 context header. */
export interface NshTlvRepr {
  class: number;
  type: number;
  len: number;
}

/** Parsed NSH header. */
export interface NshRepr {
  version: number;
  oam: boolean;
  ttl: number;
  length: number;
  mdType: number;
  nextProtocol: number;
  spi?: number;
  si?: number;
  /** MD type 1: the four fixed context headers, each as 8 hex digits. */
  contexts?: string[];
  /** MD type 2: the headers of the variable-length context headers, up to the NSH length (a value may run past it). */
  tlvs?: NshTlvRepr[];
}

/** Builds the sink representation: the base header, and the service path and context headers when captured. */
export function nshRepr(v: NshView): NshRepr {
  const b = v.bytes;
  const r: NshRepr = { version: 0, oam: false, ttl: 0, length: 0, mdType: 0, nextProtocol: 0 };
  if (v.length < 4) return r;
  Object.assign(r, { version: v.version, oam: v.oam, ttl: v.ttl, length: v.words, mdType: v.mdType, nextProtocol: v.nextProtocol });
  if (v.length < NshOffsets.headerLen) return r;
  r.spi = v.spi;
  r.si = v.si;
  const end = v.offset + Math.min(v.length, v.headerLen);
  const o = v.offset + NshOffsets.headerLen;
  if (v.mdType === 1) {
    r.contexts = [];
    for (let q = o; q + 4 <= end; q += 4) r.contexts.push(hexBytes(b, q, 4));
  } else if (v.mdType === 2) {
    r.tlvs = [];
    for (let q = o; q + 4 <= end; ) {
      const len = (b[q + 3] ?? 0) & 0x7f;
      r.tlvs.push({ class: u16(b, q), type: b[q + 2] ?? 0, len });
      q += 4 + ((len + 3) & ~3);
    }
  }
  return r;
}

const MD_TYPES: Readonly<Record<number, string>> = { 0: 'reserved', 1: '1', 2: '2', 15: 'experimental' };
const NEXT_NAMES: Readonly<Record<number, string>> = { 1: 'IPv4', 2: 'IPv6', 3: 'Ethernet', 4: 'NSH', 5: 'MPLS', 254: 'Experiment 1', 255: 'Experiment 2' };

/**
 * tcpdump's NSH text: flags, the service path (-vv: version and next protocol; -vvv: TTL, length, MD
 * type and the context headers), then the packet carried, on a new line at -v.
 */
export function printNsh(c: Printer, v: NshView, i: number, _n: number): void {
  const p = c.parser;
  const len = p.lens[i] ?? v.length;
  const vb = c.opts.verbose;
  if (len < NshOffsets.headerLen) {
    c.s += ` (packet length ${len} < 8) (invalid)`;
    return;
  }
  if (v.length < 4) return longjmpCut(c, 'nsh');
  const b = v.bytes;
  const o = v.offset;
  const cap = o + v.length;
  const words = v.words;
  const md = v.mdType;
  const next = v.nextProtocol;
  c.s += 'NSH, ';
  if (vb > 1) c.s += `ver ${v.version}, `;
  if (v.version !== 0) return;
  c.s += `flags [${v.oam ? 'O' : 'none'}], `;
  if (vb > 2) c.s += `TTL ${v.ttl}, length ${words}, md type ${MD_TYPES[md] ?? `unknown (0x${hex2(md)})`}, `;
  if (vb > 1) c.s += `next-protocol ${NEXT_NAMES[next] ?? `unknown (0x${hex2(next)})`}, `;
  if (len < words * 4) {
    c.s += ` (too many headers for packet length ${len}) (invalid)`;
    return;
  }
  if (v.length < NshOffsets.headerLen) return longjmpCut(c, 'nsh');
  c.s += `service-path-id 0x${v.spi.toString(16).padStart(6, '0')}, service-index 0x${v.si.toString(16)}`;
  if (words < 2) {
    c.s += ' (less than two headers) (invalid)';
    return;
  }
  if (vb > 2 && (md === 1 || md === 2) && !printContexts(c, b, o + NshOffsets.headerLen, cap, words - 2, md)) return;
  if (o + words * 4 > cap) return longjmpCut(c, 'nsh');
  c.s += vb ? '\n    ' : ': ';
  if (next === NshNext.ETHERNET) c.ether(i + 1, len - words * 4);
  else if (next === NshNext.IPV4 || next === NshNext.IPV6) {
    if (i + 1 < p.count) c.network(i + 1, next === NshNext.IPV4 ? EtherType.IPv4 : EtherType.IPv6);
  } else c.s += 'ERROR: unknown-next-protocol';
}

/** The context headers at -vvv (`n` words from `q`): MD type 1's four words, MD type 2's TLVs; false where the text ends. */
function printContexts(c: Printer, b: Uint8Array, q: number, cap: number, n: number, md: number): boolean {
  if (md === 1) {
    if (n !== 4) {
      c.s += ' (invalid length for the MD type) (invalid)';
      return false;
    }
    for (let k = 0; k < 4; k++, q += 4) {
      if (q + 4 > cap) return cut(c);
      c.s += `\n        Context[${pad2(k)}]: 0x${hex8(u32(b, q))}`;
    }
    return true;
  }
  for (let w = 0; w < n; ) {
    if (q + 4 > cap) return cut(c);
    const len = (b[q + 3] ?? 0) & 0x7f;
    const padded = (len + 3) & ~3;
    c.s += `\n        TLV Class ${u16(b, q)}, Type ${b[q + 2] ?? 0}, Len ${len}`;
    q += 4;
    w += 1;
    if (n < w + padded / 4) {
      c.s += ' (length too big) (invalid)';
      return false;
    }
    if (len === 0) continue;
    c.s += '\n            Value: ';
    for (let k = 0; k < len; k++) {
      if (q + k >= cap) return cut(c);
      c.s += `${k ? ':' : '0x'}${hex2(b[q + k] ?? 0)}`;
    }
    if (q + padded > cap) return cut(c);
    q += padded;
    w += padded / 4;
  }
  return true;
}

function cut(c: Printer): false {
  longjmpCut(c, 'nsh');
  return false;
}
