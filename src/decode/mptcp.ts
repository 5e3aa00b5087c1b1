/**
 * Multipath TCP option (RFC 8684, TCP option 30) as tcpdump 4.99 prints it: the length, the
 * subtype's name and its fields; a length the subtype does not allow ends the options with
 * `[bad opt]` (the caller prints that when this returns false).
 */
import { u16, u32 } from './status.js';
import { ipv4Text, ipv6Text } from './addr.js';
import { hexBytes, type Printer } from './print.js';

const SUBTYPES = ['capable', 'join', 'dss', 'add-addr', 'rem-addr', 'prio', 'fail', 'fast-close', 'unknown'];
const SYN = 0x02;
const ACK = 0x10;

/** 64-bit big-endian value in decimal (BigInt: values past 2^53 are common in data sequence numbers). */
function u64(b: Uint8Array, o: number): bigint {
  return (BigInt(u32(b, o)) << 32n) | BigInt(u32(b, o + 4));
}

/** 64-bit big-endian value in hex without leading zeros. */
function u64hex(b: Uint8Array, o: number): string {
  return u64(b, o).toString(16);
}

/** Prints the option at `q` (its kind byte) of `len` bytes in a segment with TCP flags `flags`. */
export function printMptcp(c: Printer, b: Uint8Array, q: number, len: number, flags: number): boolean {
  if (len < 3) return false;
  const sub = Math.min((b[q + 2] ?? 0) >> 4, 8);
  c.s += ` ${len} ${SUBTYPES[sub]!}`;
  const x = b[q + 3] ?? 0;
  switch (sub) {
    case 0: {
      if (!((len === 12 || len === 4) && flags & SYN) && !((len === 20 || len === 22) && (flags & (SYN | ACK)) === ACK)) return false;
      const ver = (b[q + 2] ?? 0) & 15;
      if (ver > 1) {
        c.s += ` Unknown Version (${ver})`;
        return true;
      }
      c.s += ` v${ver}`;
      if (x & 0x80) c.s += ' csum';
      if (len === 12 || len >= 20) {
        c.s += ` {0x${u64hex(b, q + 4)}`;
        if (len >= 20) c.s += `,0x${u64hex(b, q + 12)}`;
        c.s += '}';
      }
      return true;
    }
    case 1:
      if (len !== 12 && len !== 16 && len !== 24) return false;
      if (len !== 24) {
        if ((b[q + 2] ?? 0) & 1) c.s += ' backup';
        c.s += ` id ${x}`;
      }
      if (len === 12) c.s += ` token 0x${u32(b, q + 4).toString(16)} nonce 0x${u32(b, q + 8).toString(16)}`;
      else if (len === 16) c.s += ` hmac 0x${u64hex(b, q + 4)} nonce 0x${u32(b, q + 12).toString(16)}`;
      else c.s += ` hmac 0x${hexBytes(b, q + 4, 20)}`;
      return true;
    case 2:
      return dss(c, b, q, len, flags);
    case 3: {
      if (![8, 10, 16, 18, 20, 22, 28, 30].includes(len)) return false;
      c.s += ` v1${(b[q + 2] ?? 0) & 1 ? '-echo' : ''} id ${x}`;
      const v4 = len <= 18;
      const a = q + 4;
      c.s += ` ${v4 ? ipv4Text(b, a) : ipv6Text(b, a)}`;
      const after = a + (v4 ? 4 : 16);
      const port = len === 10 || len === 18 || len === 22 || len === 30;
      if (port) c.s += `:${u16(b, after)}`;
      if (len === 16 || len === 18 || len === 28 || len === 30) c.s += ` hmac 0x${u64hex(b, after + (port ? 2 : 0))}`;
      return true;
    }
    case 4:
      c.s += ' id';
      for (let k = q + 3; k < q + len; k++) c.s += ` ${b[k] ?? 0}`;
      return true;
    case 5:
      if (len !== 3 && len !== 4) return false;
      c.s += (b[q + 2] ?? 0) & 1 ? ' backup' : ' non-backup';
      if (len === 4) c.s += ` id ${x}`;
      return true;
    case 6:
      if (len !== 12) return false;
      c.s += ` seq ${u64(b, q + 4)}`;
      return true;
    case 7:
      if (len !== 12) return false;
      c.s += ` key 0x${u64hex(b, q + 4)}`;
      return true;
    default:
      return true;
  }
}

/** Data Sequence Signal: flags F m M a A (RFC 8684 3.3). */
function dss(c: Printer, b: Uint8Array, q: number, len: number, flags: number): boolean {
  if (len < 4 || flags & SYN) return false;
  const f = b[q + 3] ?? 0;
  if (f & 0x10) c.s += ' fin';
  let o = q + 4;
  let left = len - 4;
  if (f & 0x01) {
    c.s += ' ack ';
    const n = f & 0x02 ? 8 : 4;
    if (left < n) return false;
    c.s += n === 8 ? String(u64(b, o)) : String(u32(b, o));
    o += n;
    left -= n;
  }
  if (f & 0x04) {
    c.s += ' seq ';
    const n = f & 0x08 ? 8 : 4;
    if (left < n) return false;
    c.s += n === 8 ? String(u64(b, o)) : String(u32(b, o));
    o += n;
    left -= n;
    if (left < 4) return false;
    c.s += ` subseq ${u32(b, o)}`;
    o += 4;
    left -= 4;
    if (left < 2) return false;
    c.s += ` len ${u16(b, o)}`;
    o += 2;
    left -= 2;
    if (left >= 2) {
      c.s += ` csum 0x${u16(b, o).toString(16)}`;
      left -= 2;
    }
  }
  return left === 0;
}
