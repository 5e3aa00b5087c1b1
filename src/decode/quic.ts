/**
 * QUIC packet headers (RFC 9000 section 17; version 2, RFC 9369): the long header's version, type and
 * connection ids. tcpdump 4.99 prints QUIC as plain UDP, so the text stays `UDP, length N`; the Repr
 * carries the fields for JSON and the library.
 */
import { ByteView, DecodeStatus, u32 } from './status.js';
import { hexBytes, type Printer } from './print.js';

/** Field offsets of a long header (the connection ids have variable lengths after `dcidLen`). */
export const QuicOffsets = { first: 0, version: 1, dcidLen: 5, dcid: 6, longMin: 7, maxCidLen: 20 } as const;

/** Versions whose packet types are read here. */
export const QuicVersion = { NEGOTIATION: 0, V1: 1, V2: 0x6b3343cf } as const;

/** Zero-copy view of a QUIC packet's header; `reset` locates the connection ids once. */
export class QuicView extends ByteView {
  /** Offset of the source connection id length octet (long headers), or -1. */
  scidLenOffset = -1;
  /**
   * Points at a QUIC packet; Truncated when a long header's connection ids are not all captured,
   * Malformed when a connection id is longer than 20 bytes (not QUIC version 1 or 2).
   * @example q.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.scidLenOffset = -1;
    if (this.length < 1) return (this.status = DecodeStatus.Truncated);
    if (!this.longHeader) return (this.status = DecodeStatus.Ok);
    if (this.length < QuicOffsets.longMin) return (this.status = DecodeStatus.Truncated);
    const dl = bytes[offset + QuicOffsets.dcidLen] ?? 0;
    if (dl > QuicOffsets.maxCidLen) return (this.status = DecodeStatus.Malformed);
    const s = offset + QuicOffsets.dcid + dl;
    if (s + 1 > offset + this.length) return (this.status = DecodeStatus.Truncated);
    const sl = bytes[s] ?? 0;
    if (sl > QuicOffsets.maxCidLen) return (this.status = DecodeStatus.Malformed);
    if (s + 1 + sl > offset + this.length) return (this.status = DecodeStatus.Truncated);
    this.scidLenOffset = s;
    return (this.status = DecodeStatus.Ok);
  }
  /** True for a long header (the first bit). */
  get longHeader(): boolean {
    return ((this.bytes[this.offset] ?? 0) & 0x80) !== 0;
  }
  /** Version (long headers; 0 for version negotiation). */
  get version(): number {
    return u32(this.bytes, this.offset + QuicOffsets.version);
  }
  /**
   * Long packet type as carried (two bits): version 1 numbers 0 Initial, 1 0-RTT, 2 Handshake, 3 Retry;
   * version 2 (RFC 9369 section 3.2) numbers them 1, 2, 3, 0.
   */
  get packetType(): number {
    return ((this.bytes[this.offset] ?? 0) >> 4) & 3;
  }
}

/** Parsed QUIC header. */
export interface QuicRepr {
  longHeader: boolean;
  version?: number;
  /** The two type bits as carried (absent for version negotiation); see `QuicView.packetType`. */
  packetType?: number;
  dcid?: string;
  scid?: string;
}

/** Builds the sink representation (connection ids as hex). */
export function quicRepr(v: QuicView): QuicRepr {
  if (v.status !== DecodeStatus.Ok || !v.longHeader) return { longHeader: v.length > 0 && v.longHeader };
  const b = v.bytes;
  const s = v.scidLenOffset;
  const dl = b[v.offset + QuicOffsets.dcidLen] ?? 0;
  const r: QuicRepr = {
    longHeader: true, version: v.version, dcid: hexBytes(b, v.offset + QuicOffsets.dcid, dl), scid: hexBytes(b, s + 1, b[s] ?? 0),
  };
  if (v.version !== QuicVersion.NEGOTIATION) r.packetType = v.packetType;
  return r;
}

/** tcpdump 4.99 has no QUIC printer: the UDP summary. */
export function printQuic(c: Printer, _v: QuicView, _i: number, len: number): void {
  c.s += `UDP, length ${len}`;
}
