/**
 * Shared pieces of every view: the reset status, an empty buffer to point at before the first packet,
 * and big-endian readers that do no bounds checks (a view validates once in `reset`, then trusts).
 */

/** Result of `View.reset`: how much of the header the captured bytes hold. */
export const DecodeStatus = {
  /** The whole fixed header is present and its length fields are sane. */
  Ok: 0,
  /** The capture stops inside the header (snaplen cut): fields past the cut are not readable. */
  Truncated: 1,
  /** The header is present but contradicts itself (length fields too small or pointing nowhere). */
  Malformed: 2,
} as const;

/** One of the `DecodeStatus` values. */
export type DecodeStatus = (typeof DecodeStatus)[keyof typeof DecodeStatus];

/** A zero-length buffer views point at before their first reset, so getters never see `undefined`. */
export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

/** Unsigned byte at `o` (0 past the end, so a fuzzed read never yields NaN). */
export function u8(b: Uint8Array, o: number): number {
  return b[o] ?? 0;
}

/** Big-endian unsigned 16-bit value at `o`. */
export function u16(b: Uint8Array, o: number): number {
  return ((b[o] ?? 0) << 8) | (b[o + 1] ?? 0);
}

/** Big-endian unsigned 32-bit value at `o` (a double, never negative). */
export function u32(b: Uint8Array, o: number): number {
  return (b[o] ?? 0) * 0x1000000 + (((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0));
}

/** Little-endian unsigned 16-bit value at `o`. */
export function u16le(b: Uint8Array, o: number): number {
  return (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
}

/** Little-endian unsigned 32-bit value at `o`. */
export function u32le(b: Uint8Array, o: number): number {
  return (b[o + 3] ?? 0) * 0x1000000 + (((b[o + 2] ?? 0) << 16) | ((b[o + 1] ?? 0) << 8) | (b[o] ?? 0));
}

/**
 * The part every view shares: where its header starts in the borrowed bytes and how many bytes of
 * it (and what follows) were captured. Subclasses add field getters and override `reset`.
 */
export class ByteView {
  /** Borrowed bytes; valid until the packet source moves on. */
  bytes: Uint8Array = EMPTY_BYTES;
  /** Start of the header in `bytes`. */
  offset = 0;
  /** Captured bytes from `offset` on (header and payload). */
  length = 0;
  /** Result of the last reset. */
  status: DecodeStatus = DecodeStatus.Ok;

  protected point(bytes: Uint8Array, offset: number, length: number): void {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length < 0 ? 0 : length;
  }

  /** Points the view; the status is Truncated when fewer than `min` bytes were captured. */
  protected pointAtLeast(bytes: Uint8Array, offset: number, length: number, min: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < min ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
}

/**
 * A view of a header whose `reset` needs only its fixed size (`headerLen`; Truncated below it), with
 * readers of its fields at offsets from the header start. Subclasses set `headerLen` and add getters.
 */
export abstract class FixedHeaderView extends ByteView {
  /** Bytes the fixed part of the header takes. */
  protected abstract readonly headerLen: number;

  /**
   * Points at the header; Truncated when fewer than `headerLen` bytes were captured.
   * @example view.reset(bytes, 14, bytes.length - 14);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, this.headerLen);
  }

  /** Unsigned byte at field offset `f`. */
  u8(f: number): number {
    return u8(this.bytes, this.offset + f);
  }

  /** Big-endian unsigned 16-bit field at field offset `f`. */
  u16(f: number): number {
    return u16(this.bytes, this.offset + f);
  }

  /** Big-endian unsigned 32-bit field at field offset `f`. */
  u32(f: number): number {
    return u32(this.bytes, this.offset + f);
  }
}
