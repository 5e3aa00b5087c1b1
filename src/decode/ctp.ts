/**
 * Ethernet Configuration Testing Protocol ("Loopback", EtherType 0x9000; the Ethernet Version 2.0
 * specification, section 8): a little-endian skip count, then at that offset the message being
 * looped: its function (1 reply, 2 forward data), the receipt number of a reply or the address a
 * forward-data message goes to next, and data.
 */
import { ByteView, DecodeStatus, u16le } from './status.js';
import { macText } from './addr.js';
import { type Printer, longjmpCut, macName, wireFrom } from './print.js';

/** Field offsets: the skip count, then (from the message the skip count points at) function, receipt number or forwarding address. */
export const CtpOffsets = { skipCount: 0, message: 2, function: 0, receipt: 2, forward: 2, replyLen: 4, forwardLen: 8 } as const;

/** CTP functions. */
export const CtpFunction = { REPLY: 1, FORWARD: 2 } as const;

/** Zero-copy view of a CTP packet. */
export class CtpView extends ByteView {
  /**
   * Points at a CTP packet; Truncated below its 2-byte skip count.
   * @example ctp.reset(bytes, 14, bytes.length - 14);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, CtpOffsets.message);
  }
  /** Skip count: bytes from the end of this field to the current message. */
  get skipCount(): number {
    return u16le(this.bytes, this.offset);
  }
  /** Offset (in the packet) of the current message. */
  get messageOffset(): number {
    return this.offset + CtpOffsets.message + this.skipCount;
  }
}

/** Parsed CTP packet: the skip count and, where captured, the current message's function and its field. */
export interface CtpRepr {
  skipCount: number;
  function?: number;
  receiptNumber?: number;
  forwardingAddress?: string;
}

/** Builds the sink representation. */
export function ctpRepr(v: CtpView): CtpRepr {
  const r: CtpRepr = { skipCount: v.skipCount };
  const m = v.messageOffset;
  const end = v.offset + v.length;
  const b = v.bytes;
  if (m + 2 > end) return r;
  r.function = u16le(b, m);
  if (r.function === CtpFunction.REPLY && m + CtpOffsets.replyLen <= end) r.receiptNumber = u16le(b, m + CtpOffsets.receipt);
  else if (r.function === CtpFunction.FORWARD && m + CtpOffsets.forwardLen <= end) r.forwardingAddress = macText(b, m + CtpOffsets.forward);
  return r;
}

/** tcpdump's Loopback line: skip count, function, receipt number or forwarding address, and the data length. */
export function printCtp(c: Printer, v: CtpView): void {
  const len = wireFrom(c, v.offset);
  const cap = v.offset + v.length;
  const b = v.bytes;
  c.s += 'Loopback';
  // (invalid), and then tcpdump checks the whole claimed length against the capture
  const invalid = (from: number, n: number): void => {
    c.s += ' (invalid)';
    if (from + n > cap) longjmpCut(c, 'loopback');
  };
  if (len < 2) return invalid(v.offset, len);
  if (v.status !== DecodeStatus.Ok) return longjmpCut(c, 'loopback');
  const skip = v.skipCount;
  c.s += `, skipCount ${skip}`;
  if (skip % 8) c.s += ' (bogus)';
  if (skip > len - 2) return invalid(v.offset, len);
  const m = v.messageOffset;
  const n = len - 2 - skip;
  if (n < 2) return invalid(m, n);
  if (m + 2 > cap) return longjmpCut(c, 'loopback');
  const fn = u16le(b, m);
  c.s += `, ${fn === CtpFunction.REPLY ? 'Reply' : fn === CtpFunction.FORWARD ? 'Forward Data' : ` invalid (${fn})`}`;
  const p = m + 2;
  if (fn === CtpFunction.REPLY) {
    if (n < CtpOffsets.replyLen) return invalid(m, n);
    if (p + 2 > cap) return longjmpCut(c, 'loopback');
    c.s += `, receipt number ${u16le(b, p)}, data (${n - 4} octets)`;
    if (p + n - 2 > cap) longjmpCut(c, 'loopback');
  } else if (fn === CtpFunction.FORWARD) {
    if (n < CtpOffsets.forwardLen) return invalid(m, n);
    if (p + 6 > cap) return longjmpCut(c, 'loopback');
    c.s += `, forwarding address ${macName(c.opts, macText(b, p))}, data (${n - 8} octets)`;
    if (p + n - 2 > cap) longjmpCut(c, 'loopback');
  } else if (p + n - 2 > cap) longjmpCut(c, 'loopback');
}
