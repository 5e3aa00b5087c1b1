/** ICMP for IPv4 (RFC 792, RFC 1256 router discovery). */
import { ByteView, DecodeStatus, u16 } from './status.js';

/** Field offsets of the 8-byte header. */
export const IcmpOffsets = { type: 0, code: 1, checksum: 2, id: 4, seq: 6, rest: 4, headerLen: 8 } as const;

/** Message types. */
export const IcmpType = {
  ECHO_REPLY: 0, UNREACH: 3, SOURCE_QUENCH: 4, REDIRECT: 5, ECHO: 8, ROUTER_ADVERT: 9, ROUTER_SOLICIT: 10,
  TIME_EXCEEDED: 11, PARAM_PROBLEM: 12, TIMESTAMP: 13, TIMESTAMP_REPLY: 14, INFO_REQUEST: 15, INFO_REPLY: 16,
  MASK_REQUEST: 17, MASK_REPLY: 18,
} as const;

/** Zero-copy view of an ICMP message. */
export class IcmpView extends ByteView {
  /**
   * Points at an ICMP header; Truncated below 8 bytes (type and code stay readable from 2).
   * @example icmp.reset(bytes, 34, bytes.length - 34);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < IcmpOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Type. */
  get type(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Code. */
  get code(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** Checksum as carried. */
  get checksum(): number {
    return u16(this.bytes, this.offset + IcmpOffsets.checksum);
  }
  /** Identifier (echo, timestamp). */
  get id(): number {
    return u16(this.bytes, this.offset + IcmpOffsets.id);
  }
  /** Sequence (echo, timestamp). */
  get seq(): number {
    return u16(this.bytes, this.offset + IcmpOffsets.seq);
  }
  /** True for error messages, which quote the offending IP header after 8 bytes. */
  get isError(): boolean {
    const t = this.type;
    return t === 3 || t === 4 || t === 5 || t === 11 || t === 12;
  }
  /** Offset of the quoted packet (errors) or data. */
  get payloadOffset(): number {
    return this.offset + IcmpOffsets.headerLen;
  }
}

/** Parsed ICMP header. */
export interface IcmpRepr {
  type: number;
  code: number;
  checksum: number;
  id?: number;
  seq?: number;
}

/** Builds the sink representation. */
export function icmpRepr(v: IcmpView): IcmpRepr {
  const r: IcmpRepr = { type: v.type, code: v.code, checksum: v.checksum };
  if ((v.type === 0 || v.type === 8) && v.length >= 8) {
    r.id = v.id;
    r.seq = v.seq;
  }
  return r;
}
