/** ICMPv6 (RFC 4443), neighbour discovery (RFC 4861) and MLD (RFC 2710, RFC 3810). */
import { ByteView, DecodeStatus, u16 } from './status.js';
import { ipv6Text } from './addr.js';

/** Field offsets of the header and of the ND target / MLD group address. */
export const Icmpv6Offsets = { type: 0, code: 1, checksum: 2, id: 4, seq: 6, ndTarget: 8, mldGroup: 8, headerLen: 8 } as const;

/** Message types. */
export const Icmpv6Type = {
  DEST_UNREACH: 1, PACKET_TOO_BIG: 2, TIME_EXCEEDED: 3, PARAM_PROBLEM: 4, ECHO_REQUEST: 128, ECHO_REPLY: 129,
  MLD_QUERY: 130, MLD_REPORT: 131, MLD_DONE: 132, ROUTER_SOLICIT: 133, ROUTER_ADVERT: 134, NEIGHBOR_SOLICIT: 135,
  NEIGHBOR_ADVERT: 136, REDIRECT: 137, MLD2_REPORT: 143,
} as const;

/** Zero-copy view of an ICMPv6 message. */
export class Icmpv6View extends ByteView {
  /**
   * Points at an ICMPv6 message; Truncated below 4 bytes.
   * @example icmp6.reset(bytes, 54, bytes.length - 54);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < 4 ? DecodeStatus.Truncated : DecodeStatus.Ok;
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
    return u16(this.bytes, this.offset + 2);
  }
  /** Echo identifier. */
  get id(): number {
    return u16(this.bytes, this.offset + 4);
  }
  /** Echo sequence. */
  get seq(): number {
    return u16(this.bytes, this.offset + 6);
  }
  /** True when an ND target (NS, NA, redirect) was captured. */
  get hasTarget(): boolean {
    const t = this.type;
    return (t === 135 || t === 136 || t === 137) && this.length >= 24;
  }
}

/** Parsed ICMPv6 header. */
export interface Icmpv6Repr {
  type: number;
  code: number;
  checksum: number;
  id?: number;
  seq?: number;
  target?: string;
}

/** Builds the sink representation. */
export function icmpv6Repr(v: Icmpv6View): Icmpv6Repr {
  const r: Icmpv6Repr = { type: v.type, code: v.code, checksum: v.checksum };
  if ((v.type === 128 || v.type === 129) && v.length >= 8) {
    r.id = v.id;
    r.seq = v.seq;
  }
  if ((v.type === 135 || v.type === 136) && v.length >= 24) r.target = ipv6Text(v.bytes, v.offset + Icmpv6Offsets.ndTarget);
  return r;
}
