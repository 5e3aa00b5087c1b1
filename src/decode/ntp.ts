/** NTP v3/v4 packet header (RFC 5905). */
import { ByteView, DecodeStatus, u32 } from './status.js';
import type { Printer } from './print.js';

/** Field offsets of the 48-byte header. */
export const NtpOffsets = {
  liVnMode: 0, stratum: 1, poll: 2, precision: 3, rootDelay: 4, rootDispersion: 8, refId: 12, refTs: 16, origTs: 24,
  rxTs: 32, txTs: 40, headerLen: 48,
} as const;

/** Mode names as tcpdump prints them. */
export const NTP_MODE_NAMES = ['Reserved', 'Symmetric Active', 'Symmetric Passive', 'Client', 'Server', 'Broadcast', 'Control Message', 'Reserved'] as const;

/** Zero-copy view of an NTP header. */
export class NtpView extends ByteView {
  /**
   * Points at an NTP header; Truncated below 48 bytes.
   * @example ntp.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < NtpOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Leap indicator. */
  get li(): number {
    return (this.bytes[this.offset] ?? 0) >> 6;
  }
  /** Version. */
  get version(): number {
    return ((this.bytes[this.offset] ?? 0) >> 3) & 7;
  }
  /** Mode (3 client, 4 server, ...). */
  get mode(): number {
    return (this.bytes[this.offset] ?? 0) & 7;
  }
  /** Stratum. */
  get stratum(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** Poll exponent (signed). */
  get poll(): number {
    return ((this.bytes[this.offset + 2] ?? 0) << 24) >> 24;
  }
  /** Precision exponent (signed). */
  get precision(): number {
    return ((this.bytes[this.offset + 3] ?? 0) << 24) >> 24;
  }
  /** Seconds half of a 64-bit timestamp at `field` (one of the *Ts offsets). */
  tsSeconds(field: number): number {
    return u32(this.bytes, this.offset + field);
  }
  /** Fraction half of a 64-bit timestamp at `field`. */
  tsFraction(field: number): number {
    return u32(this.bytes, this.offset + field + 4);
  }
}

/** Parsed NTP header. */
export interface NtpRepr {
  version: number;
  mode: number;
  stratum: number;
  poll: number;
  precision: number;
  txTs: string;
}

/** Builds the sink representation (timestamps as `seconds.fraction` in NTP era 0 seconds). */
export function ntpRepr(v: NtpView): NtpRepr {
  const frac = v.tsFraction(NtpOffsets.txTs) / 4294967296;
  return {
    version: v.version, mode: v.mode, stratum: v.stratum, poll: v.poll, precision: v.precision,
    txTs: `${v.tsSeconds(NtpOffsets.txTs)}.${frac.toFixed(9).slice(2)}`,
  };
}

/** tcpdump's NTP summary line. */
export function printNtp(c: Printer, v: NtpView, _i: number, len: number): void {
  if (v.length < 1) {
    c.s += ' [|ntp]';
    return;
  }
  const mode = v.mode;
  c.s += `NTPv${v.version}, ${NTP_MODE_NAMES[mode]}, length ${len}`;
}
