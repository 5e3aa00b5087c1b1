/** TFTP (RFC 1350; option negotiation RFC 2347). */
import { ByteView, DecodeStatus, u16 } from './status.js';
import { type Printer, safeChar } from './print.js';

/** Field offsets: the opcode, then per opcode a block number or error code, or NUL-terminated strings. */
export const TftpOffsets = { opcode: 0, block: 2, errorCode: 2, errorMsg: 4, filename: 2, headerLen: 2 } as const;

/** Opcodes (RFC 1350 section 5, RFC 2347 OACK). */
export const TftpOp = { RRQ: 1, WRQ: 2, DATA: 3, ACK: 4, ERROR: 5, OACK: 6 } as const;

const OP_NAMES: Readonly<Record<number, string>> = { 1: 'RRQ', 2: 'WRQ', 3: 'DATA', 4: 'ACK', 5: 'ERROR', 6: 'OACK' };
const ERR_NAMES = ['EUNDEF', 'ENOTFOUND', 'EACCESS', 'ENOSPACE', 'EBADOP', 'EBADID', 'EEXISTS', 'ENOUSER'] as const;

/** Zero-copy view of a TFTP packet. */
export class TftpView extends ByteView {
  /**
   * Points at a TFTP packet; Truncated below the 2-byte opcode.
   * @example t.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < TftpOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Opcode. */
  get opcode(): number {
    return u16(this.bytes, this.offset);
  }
  /** Block number (DATA, ACK) or error code (ERROR); 0 when not captured. */
  get block(): number {
    return this.length >= 4 ? u16(this.bytes, this.offset + TftpOffsets.block) : 0;
  }
}

/** Parsed TFTP packet. */
export interface TftpRepr {
  opcode: number;
  /** RRQ/WRQ: the file name and mode; OACK: nothing. */
  filename?: string;
  mode?: string;
  /** DATA/ACK block, ERROR code. */
  block?: number;
  errorCode?: number;
  errorMsg?: string;
}

/** The NUL-terminated string at p (before end), or null when no NUL is captured. */
function zstr(b: Uint8Array, p: number, end: number): string | null {
  let s = '';
  for (let k = p; k < end; k++) {
    const ch = b[k] ?? 0;
    if (ch === 0) return s;
    s += String.fromCharCode(ch);
  }
  return null;
}

/** Builds the sink representation. */
export function tftpRepr(v: TftpView): TftpRepr {
  const op = v.opcode;
  const r: TftpRepr = { opcode: op };
  const b = v.bytes;
  const end = v.offset + v.length;
  if (op === TftpOp.RRQ || op === TftpOp.WRQ) {
    const f = zstr(b, v.offset + 2, end);
    if (f !== null) {
      r.filename = f;
      const m = zstr(b, v.offset + 3 + f.length, end);
      if (m !== null) r.mode = m;
    }
  } else if ((op === TftpOp.DATA || op === TftpOp.ACK) && v.length >= 4) r.block = v.block;
  else if (op === TftpOp.ERROR && v.length >= 4) {
    r.errorCode = v.block;
    const m = zstr(b, v.offset + 4, end);
    if (m !== null) r.errorMsg = m;
  }
  return r;
}

/** tcpdump's nd_printztn: the string up to its NUL within `n` bytes; bytes used (NUL included), 0 when none. */
function printZ(c: Printer, b: Uint8Array, p: number, n: number): number {
  for (let k = 0; k < n; k++) {
    const ch = b[p + k] ?? 0;
    if (ch === 0) return k + 1;
    c.s += safeChar(ch);
  }
  return 0;
}

/** tcpdump's TFTP text: length, opcode, then file name and mode, options, block or error. */
export function printTftp(c: Printer, v: TftpView, _i: number, len: number): void {
  c.s += `TFTP, length ${len}`;
  const b = v.bytes;
  const cap = Math.min(v.length, len);
  const trunc = (): void => {
    c.s += ' [|tftp]';
  };
  if (cap < 2) return trunc();
  const op = v.opcode;
  const name = OP_NAMES[op];
  if (name === undefined) {
    c.s += `, tftp-#${op}`;
    return;
  }
  c.s += `, ${name}`;
  let p = v.offset + 2;
  let n = cap - 2;
  let used: number;
  switch (op) {
    case TftpOp.RRQ:
    case TftpOp.WRQ:
      if (n === 0) return trunc();
      c.s += ' "';
      used = printZ(c, b, p, n);
      c.s += '"';
      if (used === 0) return trunc();
      p += used;
      n -= used;
      if (n === 0) return trunc();
      c.s += ' ';
      used = printZ(c, b, p, n);
      if (used === 0) return trunc();
      p += used;
      n -= used;
      printOptions(c, b, p, n);
      return;
    case TftpOp.OACK:
      printOptions(c, b, p, n);
      return;
    case TftpOp.DATA:
    case TftpOp.ACK:
      if (n < 2) return trunc();
      c.s += ` block ${v.block}`;
      return;
    default: {
      // ERROR
      if (n < 2) return trunc();
      const code = v.block;
      c.s += ` ${ERR_NAMES[code] ?? `tftp-err-#${code} "`}`;
      p += 2;
      n -= 2;
      if (n === 0) return trunc();
      c.s += ' "';
      used = printZ(c, b, p, n);
      c.s += '"';
      if (used === 0) trunc();
    }
  }
}

/** RFC 2347 options: names and values, each shown after a space unless empty. */
function printOptions(c: Printer, b: Uint8Array, p: number, n: number): void {
  while (n > 0) {
    if (b[p] !== 0) c.s += ' ';
    const used = printZ(c, b, p, n);
    if (used === 0) {
      c.s += ' [|tftp]';
      return;
    }
    p += used;
    n -= used;
  }
}
