/** BSD loopback encapsulation: LINKTYPE_NULL (host byte order family) and LINKTYPE_LOOP (network order). */
import { ByteView, DecodeStatus, u32, u32le } from './status.js';

/** The header is one 4-byte address family. */
export const LoopbackOffsets = { family: 0, headerLen: 4 } as const;

/** Address family values seen in loopback headers (BSD AF_INET6 differs per OS). */
export const LoopbackFamily = { INET: 2, INET6_BSD: 24, INET6_FREEBSD: 28, INET6_DARWIN: 30, OSI: 7 } as const;

/** Zero-copy view of the 4-byte family word. */
export class LoopbackView extends ByteView {
  /** True for LINKTYPE_LOOP (family in network order). */
  networkOrder = false;
  /**
   * Points at the family word.
   * @example lo.reset(bytes, 0, bytes.length, false);
   */
  reset(bytes: Uint8Array, offset: number, length: number, networkOrder = false): DecodeStatus {
    this.point(bytes, offset, length);
    this.networkOrder = networkOrder;
    this.status = this.length < LoopbackOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Address family; for NULL read little-endian and byte-swapped when that has bits above 0xFFFF. */
  get family(): number {
    if (this.networkOrder) return u32(this.bytes, this.offset);
    const le = u32le(this.bytes, this.offset);
    return le > 0xffff ? u32(this.bytes, this.offset) : le;
  }
}

/** Parsed loopback header. */
export interface LoopbackRepr {
  family: number;
}

/** Builds the sink representation. */
export function loopbackRepr(v: LoopbackView): LoopbackRepr {
  return { family: v.family };
}
