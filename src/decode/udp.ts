/** UDP header (RFC 768). */
import { ByteView, DecodeStatus, u16 } from './status.js';

/** Field offsets of the 8-byte header. */
export const UdpOffsets = { srcPort: 0, dstPort: 2, length: 4, checksum: 6, headerLen: 8 } as const;

/** Zero-copy view of a UDP header. */
export class UdpView extends ByteView {
  /**
   * Points at a UDP header; Truncated below 8 captured bytes.
   * @example udp.reset(bytes, 34, bytes.length - 34);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < UdpOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Source port. */
  get srcPort(): number {
    return u16(this.bytes, this.offset);
  }
  /** Destination port. */
  get dstPort(): number {
    return u16(this.bytes, this.offset + 2);
  }
  /** Length field (header and data). */
  get len(): number {
    return u16(this.bytes, this.offset + UdpOffsets.length);
  }
  /** Checksum as carried. */
  get checksum(): number {
    return u16(this.bytes, this.offset + UdpOffsets.checksum);
  }
  /** Offset of the payload. */
  get payloadOffset(): number {
    return this.offset + UdpOffsets.headerLen;
  }
}

/** Parsed UDP header. */
export interface UdpRepr {
  srcPort: number;
  dstPort: number;
  len: number;
  checksum: number;
}

/** Builds the sink representation. */
export function udpRepr(v: UdpView): UdpRepr {
  return { srcPort: v.srcPort, dstPort: v.dstPort, len: v.len, checksum: v.checksum };
}
