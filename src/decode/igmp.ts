/** IGMP v1 (RFC 1112), v2 (RFC 2236), v3 (RFC 3376). */
import { ByteView, DecodeStatus, u16 } from './status.js';

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
  /** Type (0x11 query, 0x12 v1 report, 0x16 v2 report, 0x17 leave, 0x22 v3 report). */
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
}

/** Builds the sink representation. */
export function igmpRepr(v: IgmpView): IgmpRepr {
  return { type: v.type, maxResp: v.maxResp, checksum: v.checksum };
}
