/** GRE (RFC 2784, RFC 2890 key and sequence; version 1 is PPTP's enhanced GRE, RFC 2637). */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { Layer } from './layers.js';
import type { Printer } from './print.js';
import { etherTypeText } from './ethertype.js';

/** Field offsets of the 4-byte base header; optional words follow in C, K, S order. */
export const GreOffsets = { flagsVer: 0, protocol: 2, optional: 4, baseLen: 4 } as const;

/** Flag bits of the first word. */
export const GreFlag = { C: 0x8000, R: 0x4000, K: 0x2000, S: 0x1000, A: 0x0080 } as const;

/** Zero-copy view of a GRE header. */
export class GreView extends ByteView {
  /**
   * Points at a GRE header; Truncated unless the base header and the optional words it announces were captured.
   * @example gre.reset(bytes, 34, bytes.length - 34);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    if (this.length < GreOffsets.baseLen) return (this.status = DecodeStatus.Truncated);
    this.status = this.length < this.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Flags and version word. */
  get flagsVer(): number {
    return u16(this.bytes, this.offset);
  }
  /** Version (0 GRE, 1 enhanced GRE). */
  get version(): number {
    return this.flagsVer & 7;
  }
  /** Protocol type (an EtherType). */
  get protocol(): number {
    return u16(this.bytes, this.offset + 2);
  }
  /** Header length with the optional words. */
  get headerLen(): number {
    const f = this.flagsVer;
    let n = 4;
    if (f & (GreFlag.C | GreFlag.R)) n += 4;
    if (f & GreFlag.K) n += 4;
    if (f & GreFlag.S) n += 4;
    if (this.version === 1 && f & GreFlag.A) n += 4;
    return n;
  }
  /** Offset of an optional word, or -1 when that flag is clear (`which`: C, K or S). */
  fieldOffset(which: number): number {
    const f = this.flagsVer;
    let o = this.offset + 4;
    if (which === GreFlag.C) return f & (GreFlag.C | GreFlag.R) ? o : -1;
    if (f & (GreFlag.C | GreFlag.R)) o += 4;
    if (which === GreFlag.K) return f & GreFlag.K ? o : -1;
    if (f & GreFlag.K) o += 4;
    if (which === GreFlag.S) return f & GreFlag.S ? o : -1;
    return -1;
  }
  /** Key (0 when absent). */
  get key(): number {
    const o = this.fieldOffset(GreFlag.K);
    return o < 0 ? 0 : u32(this.bytes, o);
  }
  /** Sequence number (0 when absent). */
  get seq(): number {
    const o = this.fieldOffset(GreFlag.S);
    return o < 0 ? 0 : u32(this.bytes, o);
  }
  /** Offset of the payload. */
  get payloadOffset(): number {
    return this.offset + this.headerLen;
  }
}

/** Parsed GRE header. */
export interface GreRepr {
  flags: number;
  version: number;
  protocol: number;
  key?: number;
  seq?: number;
}

/** Builds the sink representation. */
export function greRepr(v: GreView): GreRepr {
  const r: GreRepr = { flags: v.flagsVer & 0xfff8, version: v.version, protocol: v.protocol };
  if (v.flagsVer & GreFlag.K) r.key = v.key;
  if (v.flagsVer & GreFlag.S) r.seq = v.seq;
  return r;
}

function greFlagText(f: number): string {
  const parts: string[] = [];
  if (f & 0x8000) parts.push('checksum present');
  if (f & 0x2000) parts.push('key present');
  if (f & 0x1000) parts.push('sequence# present');
  return parts.length ? parts.join(', ') : 'none';
}

/** tcpdump's GRE text, then the encapsulated frame or packet. */
export function printGre(c: Printer, v: GreView, i: number, len: number): void {
  const p = c.parser;
  if (v.length < 2) {
    c.s += ' [|gre]';
    return;
  }
  const f = v.flagsVer;
  const ver = v.version;
  c.s += `GREv${ver}`;
  if (p.status[i] !== DecodeStatus.Ok) {
    c.s += ' [|gre]';
    return;
  }
  if (ver !== 0) {
    c.s += `, length ${len}`;
    return;
  }
  const b = v.bytes;
  if (c.opts.verbose > 0) c.s += `, Flags [${greFlagText(f)}]`;
  const co = v.fieldOffset(GreFlag.C);
  if (co >= 0) {
    if (c.opts.verbose > 0) c.s += `, sum 0x${u16(b, co).toString(16)}`;
    c.s += `, off 0x${u16(b, co + 2).toString(16)}`;
  }
  if (f & GreFlag.K) c.s += `, key=0x${v.key.toString(16)}`;
  if (f & GreFlag.S) c.s += `, seq ${v.seq}`;
  if (c.opts.linkHeader) c.s += `, proto ${etherTypeText(v.protocol, 'unknown')}`;
  // tcpdump goes on a new line at -v
  c.s += `, length ${len}${c.opts.verbose > 0 ? '\n\t' : ': '}`;
  if (i + 1 < p.count) {
    const next = p.kinds[i + 1];
    if (next === Layer.Ethernet) c.ether(i + 1, len - v.headerLen);
    else if (next === Layer.Erspan) c.layer(i + 1, len - v.headerLen);
    else c.network(i + 1, v.protocol);
  } else c.s += `gre-proto-0x${v.protocol.toString(16)}`;
}
