/**
 * NTP (RFC 5905): the 48-byte time message of modes 0-5, the mode 6 control message (RFC 9327: R, E, M
 * bits, opcode, sequence, status, association id, offset, count, then data) and the mode 7
 * implementation-specific ("private") message of the reference implementation (R and M bits,
 * authentication bit and sequence, implementation, request code, error, item count and size).
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { ipv4Text } from './addr.js';
import { type Printer, hex8, safeText } from './print.js';

/** Field offsets of the 48-byte time message. */
export const NtpOffsets = {
  liVnMode: 0, stratum: 1, poll: 2, precision: 3, rootDelay: 4, rootDispersion: 8, refId: 12, refTs: 16, origTs: 24,
  rxTs: 32, txTs: 40, headerLen: 48,
} as const;

/** Field offsets of the mode 6 control message header (12 bytes, then `count` data bytes). */
export const NtpControlOffsets = { control: 1, sequence: 2, status: 4, assoc: 6, offset: 8, count: 10, data: 12, headerLen: 12 } as const;

/** Field offsets of the mode 7 private message header (8 bytes, then the items). */
export const NtpPrivateOffsets = { authSeq: 1, implementation: 2, requestCode: 3, errItems: 4, itemSize: 6, data: 8, headerLen: 8 } as const;

/** NTP modes. */
export const NtpMode = { CONTROL: 6, PRIVATE: 7 } as const;

/** Mode names as tcpdump 4.99 prints them. */
export const NTP_MODE_NAMES = ['unspecified', 'symmetric active', 'symmetric passive', 'Client', 'Server', 'Broadcast', 'Control Message', 'Reserved'] as const;

/** Header bytes a message of `mode` needs. */
function headerLenOf(mode: number): number {
  return mode === NtpMode.CONTROL ? NtpControlOffsets.headerLen : mode === NtpMode.PRIVATE ? NtpPrivateOffsets.headerLen : NtpOffsets.headerLen;
}

/** Zero-copy view of an NTP message. */
export class NtpView extends ByteView {
  /**
   * Points at an NTP message; Truncated below the header its mode needs (48 bytes for a time
   * message, 12 for control, 8 for private).
   * @example ntp.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < 1 || this.length < this.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Header length for this message's mode. */
  get headerLen(): number {
    return headerLenOf(this.mode);
  }
  /** Leap indicator. */
  get li(): number {
    return (this.bytes[this.offset] ?? 0) >> 6;
  }
  /** Version. */
  get version(): number {
    return ((this.bytes[this.offset] ?? 0) >> 3) & 7;
  }
  /** Mode (3 client, 4 server, 6 control, 7 private, ...). */
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
  /** Second byte: control (R, E, M, opcode) in mode 6, authentication bit and sequence in mode 7. */
  get byte1(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** Big-endian 16-bit field at `field` (one of the NtpControlOffsets / NtpPrivateOffsets). */
  field16(field: number): number {
    return u16(this.bytes, this.offset + field);
  }
}

/** Parsed NTP message: the time fields for modes 0-5, the control or private header for modes 6 and 7. */
export interface NtpRepr {
  version: number;
  mode: number;
  leap: number;
  stratum?: number;
  poll?: number;
  precision?: number;
  txTs?: string;
  response?: boolean;
  error?: boolean;
  more?: boolean;
  opcode?: number;
  sequence?: number;
  status?: number;
  associationId?: number;
  offset?: number;
  count?: number;
  authenticated?: boolean;
  implementation?: number;
  requestCode?: number;
  errorCode?: number;
  items?: number;
  itemSize?: number;
}

/** Builds the sink representation (timestamps as `seconds.fraction` in NTP era 0 seconds); each field only when captured. */
export function ntpRepr(v: NtpView): NtpRepr {
  const r: NtpRepr = { version: v.version, mode: v.mode, leap: v.li };
  const m = v.mode;
  const b1 = v.byte1;
  const n = v.length;
  if (m === NtpMode.CONTROL) {
    if (n < 2) return r;
    Object.assign(r, { response: (b1 & 0x80) !== 0, error: (b1 & 0x40) !== 0, more: (b1 & 0x20) !== 0, opcode: b1 & 0x1f });
    const C = NtpControlOffsets;
    const fields = [['sequence', C.sequence], ['status', C.status], ['associationId', C.assoc], ['offset', C.offset], ['count', C.count]] as const;
    for (const [name, f] of fields) if (f + 2 <= n) r[name] = v.field16(f);
  } else if (m === NtpMode.PRIVATE) {
    if (n < NtpPrivateOffsets.headerLen) return r;
    const P = NtpPrivateOffsets;
    const b0 = v.bytes[v.offset] ?? 0;
    const ei = v.field16(P.errItems);
    Object.assign(r, {
      response: (b0 & 0x80) !== 0, more: (b0 & 0x40) !== 0, authenticated: (b1 & 0x80) !== 0, sequence: b1 & 0x7f,
      implementation: v.bytes[v.offset + P.implementation] ?? 0, requestCode: v.bytes[v.offset + P.requestCode] ?? 0,
      errorCode: ei >> 12, items: ei & 0x0fff, itemSize: v.field16(P.itemSize) & 0x0fff,
    });
  } else {
    if (n >= 4) Object.assign(r, { stratum: v.stratum, poll: v.poll, precision: v.precision });
    if (n >= NtpOffsets.headerLen) {
      const frac = v.tsFraction(NtpOffsets.txTs) / 4294967296;
      r.txTs = `${v.tsSeconds(NtpOffsets.txTs)}.${frac.toFixed(9).slice(2)}`;
    }
  }
  return r;
}

// ---- text ----

const LEAP_NAMES = ['', '+1s', '-1s', 'clock unsynchronized'];
const FMAXINT = 4294967296;
/** Seconds from the NTP era 0 epoch (1900) to the Unix epoch. */
const JAN_1970 = 2208988800;

/** tcpdump's p_sfix: a 16.16 fixed-point value as `int.micro`. */
function sfix(b: Uint8Array, o: number): string {
  return `${u16(b, o)}.${String(Math.trunc((u16(b, o + 2) / 65536) * 1000000)).padStart(6, '0')}`;
}

/** Nanoseconds of a 32-bit fraction, truncated as tcpdump computes them through a double. */
const nanos = (frac: number): string => String(Math.trunc((frac / FMAXINT) * 1e9) >>> 0).padStart(9, '0');

/** tcpdump's p_ntp_time: `seconds.nanoseconds`, and the UTC time when the seconds are not 0. */
function ntpTime(b: Uint8Array, o: number): string {
  const i = u32(b, o);
  let s = `${i}.${nanos(u32(b, o + 4))}`;
  if (i) s += ` (${new Date((i - JAN_1970) * 1000).toISOString().slice(0, 19)}Z)`;
  return s;
}

/** tcpdump's p_ntp_delta: the signed difference of the timestamps at `oo` and `o`, or the latter alone when the former is 0. */
function ntpDelta(b: Uint8Array, oo: number, o: number): string {
  const u = u32(b, o);
  const ou = u32(b, oo);
  const uf = u32(b, o + 4);
  const ouf = u32(b, oo + 4);
  if (ou === 0 && ouf === 0) return ntpTime(b, o);
  let neg: boolean;
  let i: number;
  let f: number;
  if (u > ou) {
    neg = false;
    i = u - ou;
    f = (uf - ouf) >>> 0;
    if (ouf > uf) i = (i - 1) >>> 0;
  } else if (u < ou) {
    neg = true;
    i = ou - u;
    f = (ouf - uf) >>> 0;
    if (uf > ouf) i = (i - 1) >>> 0;
  } else {
    i = 0;
    neg = !(uf > ouf);
    f = neg ? ouf - uf : uf - ouf;
  }
  return `${neg ? '-' : '+'}${i}.${nanos(f)}`;
}

const STRATUM_NAMES: Readonly<Record<number, string>> = { 0: 'unspecified', 1: 'primary reference' };

/** tcpdump's ntp_time_print (at -v): false when the capture ended first. */
function printTime(c: Printer, v: NtpView, len: number): boolean {
  const b = v.bytes;
  const o = v.offset;
  const has = (n: number): boolean => n <= v.length;
  const O = NtpOffsets;
  if (len < O.headerLen) {
    c.s += ' (invalid)';
    return has(len);
  }
  if (!has(4)) return false;
  const st = v.stratum;
  c.s += `, Stratum ${st} (${STRATUM_NAMES[st] ?? (st >= 2 && st <= 15 ? 'secondary reference' : 'reserved')})`;
  const poll = v.poll;
  c.s += `, poll ${poll}`;
  if (poll > -32 && poll < 32) c.s += poll >= 0 ? ` (${2 ** poll}s)` : ` (1/${2 ** -poll}s)`;
  c.s += `, precision ${v.precision}`;
  if (!has(O.rootDelay + 4)) return false;
  c.s += `\n\tRoot Delay: ${sfix(b, o + O.rootDelay)}`;
  if (!has(O.rootDispersion + 4)) return false;
  c.s += `, Root dispersion: ${sfix(b, o + O.rootDispersion)}`;
  if (!has(O.refId + 4)) return false;
  c.s += ', Reference-ID: ';
  const ref = o + O.refId;
  if (st === 0) c.s += '(unspec)';
  else if (st === 1) c.s += safeText(b, ref, ref + 4);
  else if (st === 62 || st === 63) {
    c.s += `${ipv4Text(b, ref)} ${st === 62 ? 'INFO_QUERY' : 'INFO_REPLY'}`;
    return true;
  } else c.s += `0x${hex8(u32(b, ref))}`;
  const stamps: Array<[number, string]> = [[O.refTs, 'Reference Timestamp:  '], [O.origTs, 'Originator Timestamp: '], [O.rxTs, 'Receive Timestamp:    '], [O.txTs, 'Transmit Timestamp:   ']];
  for (const [f, label] of stamps) {
    if (!has(f + 8)) return false;
    c.s += `\n\t  ${label}${ntpTime(b, o + f)}`;
  }
  c.s += `\n\t    Originator - Receive Timestamp:  ${ntpDelta(b, o + O.origTs, o + O.rxTs)}`;
  c.s += `\n\t    Originator - Transmit Timestamp: ${ntpDelta(b, o + O.origTs, o + O.txTs)}`;
  const key = o + O.headerLen;
  const digest = (n: number): boolean => {
    if (!has(O.headerLen + 4)) return false;
    c.s += `\n\tKey id: ${u32(b, key)}`;
    if (n === 0) return true;
    if (!has(O.headerLen + 4 + n)) return false;
    let d = '';
    for (let k = 0; k < n; k += 4) d += hex8(u32(b, key + 4 + k));
    c.s += `\n\tAuthentication: ${d}`;
    return true;
  };
  // tcpdump knows no extension fields: the length alone says what follows
  if (len === O.headerLen + 4) return digest(0);
  if (len === O.headerLen + 20) return digest(16);
  if (len === O.headerLen + 24) return digest(20);
  if (len > O.headerLen) c.s += `\n\t(${len - O.headerLen} more bytes after the header)`;
  return true;
}

/** tcpdump's ntp_control_print (at -v): false when the capture ended first. */
function printControl(c: Printer, v: NtpView, len: number): boolean {
  const C = NtpControlOffsets;
  const has = (n: number): boolean => n <= v.length;
  if (len < C.headerLen) {
    c.s += ' (invalid)';
    return has(len);
  }
  if (!has(2)) return false;
  const ctl = v.byte1;
  c.s += `, ${ctl & 0x80 ? 'Response' : 'Request'}, ${ctl & 0x40 ? 'Error' : 'OK'}, ${ctl & 0x20 ? 'More' : 'Last'}, OpCode=${ctl & 0x1f}\n`;
  const fields: Array<[number, string]> = [[C.sequence, '\tSequence='], [C.status, ', Status='], [C.assoc, ', Assoc.='], [C.offset, ', Offset='], [C.count, ', Count=']];
  for (const [f, label] of fields) {
    if (!has(f + 2)) return false;
    const x = v.field16(f);
    // C's %#hx: no 0x for zero
    c.s += label + (f === C.status && x !== 0 ? `0x${x.toString(16)}` : String(x));
  }
  const count = v.field16(C.count);
  if (C.headerLen + count > len) {
    c.s += ' (invalid)';
    return has(len);
  }
  if (count !== 0) {
    if (!has(C.headerLen + count)) return false;
    c.s += '\n\tTO-BE-DONE: data not interpreted';
  }
  return true;
}

/**
 * tcpdump's NTP text (`len`: the UDP payload length): version, mode and length; at -v the leap
 * indicator and the time message's fields or the control message's header (mode 7 shows no more).
 */
export function printNtp(c: Printer, v: NtpView, _i: number, len: number): void {
  if (v.length < 1) {
    c.s += ' [|ntp]';
    return;
  }
  const mode = v.mode;
  c.s += `NTPv${v.version}, ${NTP_MODE_NAMES[mode]}, length ${len}`;
  if (c.opts.verbose === 0) return;
  const li = v.li;
  c.s += `\n\tLeap indicator: ${LEAP_NAMES[li]} (${li << 6})`;
  let ok = true;
  if (mode <= 5) ok = printTime(c, v, len);
  else if (mode === NtpMode.CONTROL) ok = printControl(c, v, len);
  if (!ok) c.s += ' [|ntp]';
}
