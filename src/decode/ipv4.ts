/** IPv4 header with options and fragmentation fields (RFC 791). */
import { ByteView, DecodeStatus, u16 } from './status.js';
import { ipv4Text } from './addr.js';

/** Field offsets of the fixed 20-byte header. */
export const Ipv4Offsets = {
  verIhl: 0, tos: 1, totalLen: 2, id: 4, flagsFrag: 6, ttl: 8, proto: 9, checksum: 10, src: 12, dst: 16, headerLen: 20,
} as const;

/** Zero-copy view of an IPv4 header. */
export class Ipv4View extends ByteView {
  /**
   * Points at an IPv4 header. Malformed for a version other than 4, an IHL below 5 or a total length
   * shorter than the header; Truncated when the header (with options) was not captured.
   * @example if (ip.reset(bytes, 14, bytes.length - 14) === DecodeStatus.Ok) ip.proto;
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    if (this.length < 1) return (this.status = DecodeStatus.Truncated);
    if (this.version !== 4) return (this.status = DecodeStatus.Malformed);
    if (this.length < Ipv4Offsets.headerLen) return (this.status = DecodeStatus.Truncated);
    if (this.ihl < 5 || this.totalLen < this.headerLen) return (this.status = DecodeStatus.Malformed);
    this.status = this.length < this.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Version nibble. */
  get version(): number {
    return (this.bytes[this.offset] ?? 0) >> 4;
  }
  /** Header length in 32-bit words. */
  get ihl(): number {
    return (this.bytes[this.offset] ?? 0) & 15;
  }
  /** Header length in bytes. */
  get headerLen(): number {
    return this.ihl * 4;
  }
  /** Type of service byte (DSCP and ECN). */
  get tos(): number {
    return this.bytes[this.offset + Ipv4Offsets.tos] ?? 0;
  }
  /** Differentiated services code point. */
  get dscp(): number {
    return this.tos >> 2;
  }
  /** Explicit congestion notification bits. */
  get ecn(): number {
    return this.tos & 3;
  }
  /** Total length field. */
  get totalLen(): number {
    return u16(this.bytes, this.offset + Ipv4Offsets.totalLen);
  }
  /** Identification. */
  get id(): number {
    return u16(this.bytes, this.offset + Ipv4Offsets.id);
  }
  /** Flags (3 high bits of the fragment word: RB, DF, MF). */
  get flags(): number {
    return u16(this.bytes, this.offset + Ipv4Offsets.flagsFrag) >> 13;
  }
  /** Reserved bit. */
  get rb(): boolean {
    return (this.flags & 4) !== 0;
  }
  /** Don't fragment. */
  get df(): boolean {
    return (this.flags & 2) !== 0;
  }
  /** More fragments. */
  get mf(): boolean {
    return (this.flags & 1) !== 0;
  }
  /** Fragment offset in bytes. */
  get fragOffset(): number {
    return (u16(this.bytes, this.offset + Ipv4Offsets.flagsFrag) & 0x1fff) * 8;
  }
  /** Time to live. */
  get ttl(): number {
    return this.bytes[this.offset + Ipv4Offsets.ttl] ?? 0;
  }
  /** Protocol of the payload. */
  get proto(): number {
    return this.bytes[this.offset + Ipv4Offsets.proto] ?? 0;
  }
  /** Header checksum as carried. */
  get checksum(): number {
    return u16(this.bytes, this.offset + Ipv4Offsets.checksum);
  }
  /** Offset of the source address. */
  get srcOffset(): number {
    return this.offset + Ipv4Offsets.src;
  }
  /** Offset of the destination address. */
  get dstOffset(): number {
    return this.offset + Ipv4Offsets.dst;
  }
  /** Offset of the payload. */
  get payloadOffset(): number {
    return this.offset + this.headerLen;
  }
  /** Payload length declared by the header (total length minus header length). */
  get payloadLen(): number {
    return this.totalLen - this.headerLen;
  }
  /** Ones' complement sum of the captured header: 0xffff (or 0) when the checksum is right. */
  headerChecksumOk(): boolean {
    return onesSum(this.bytes, this.offset, this.headerLen, 0) === 0xffff;
  }
}

/** Ones' complement sum (RFC 1071) of `len` bytes at `off` added to `init`, folded to 16 bits. */
export function onesSum(b: Uint8Array, off: number, len: number, init: number): number {
  let s = init;
  let i = 0;
  for (; i + 1 < len; i += 2) s += ((b[off + i] ?? 0) << 8) | (b[off + i + 1] ?? 0);
  if (i < len) s += (b[off + i] ?? 0) << 8;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 65536);
  return s;
}

/** Parsed IPv4 header for sinks. */
export interface Ipv4Repr {
  hdrLen: number;
  dscp: number;
  ecn: number;
  len: number;
  id: number;
  flags: string[];
  fragOffset: number;
  ttl: number;
  proto: number;
  checksum: number;
  src: string;
  dst: string;
}

/** Builds the sink representation. */
export function ipv4Repr(v: Ipv4View): Ipv4Repr {
  const flags: string[] = [];
  if (v.rb) flags.push('RB');
  if (v.df) flags.push('DF');
  if (v.mf) flags.push('MF');
  return {
    hdrLen: v.headerLen, dscp: v.dscp, ecn: v.ecn, len: v.totalLen, id: v.id, flags, fragOffset: v.fragOffset,
    ttl: v.ttl, proto: v.proto, checksum: v.checksum, src: ipv4Text(v.bytes, v.srcOffset), dst: ipv4Text(v.bytes, v.dstOffset),
  };
}
