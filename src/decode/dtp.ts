/**
 * Cisco Dynamic Trunking Protocol (LLC/SNAP, OUI 00000c, protocol id 0x2004): a version byte, then
 * type/length/value records (the length counts the 4-byte record header): VTP domain, status, DTP
 * type, neighbor MAC. Cisco's; the layout as tcpdump and Wireshark decode it.
 */
import { ByteView, DecodeStatus, u16 } from './status.js';
import { macText } from './addr.js';
import { type Printer, latin1, longjmpCut } from './print.js';
import { printJnp } from './cdp.js';

/** TLV types. */
export const DtpTlv = { DOMAIN: 1, STATUS: 2, TYPE: 3, NEIGHBOR: 4 } as const;

/** Zero-copy view of a DTP message. */
export class DtpView extends ByteView {
  /**
   * Points at a DTP message; Truncated when not even the version byte was captured.
   * @example dtp.reset(bytes, 22, bytes.length - 22);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, 1);
  }
  /** Version. */
  get version(): number {
    return this.bytes[this.offset] ?? 0;
  }
}

/** Parsed DTP message (each TLV's value when it is whole and captured). */
export interface DtpRepr {
  version: number;
  domain?: string;
  status?: number;
  dtpType?: number;
  neighbor?: string;
  tlvs: Array<{ type: number; length: number }>;
}

/** Builds the sink representation. */
export function dtpRepr(v: DtpView): DtpRepr {
  const r: DtpRepr = { version: v.version, tlvs: [] };
  const b = v.bytes;
  const end = v.offset + v.length;
  let p = v.offset + 1;
  while (p + 4 <= end) {
    const type = u16(b, p);
    const len = u16(b, p + 2);
    r.tlvs.push({ type, length: len });
    if (len < 4 || p + len > end) break;
    const o = p + 4;
    if (type === DtpTlv.DOMAIN) {
      let e = o;
      while (e < p + len && b[e] !== 0) e++;
      r.domain = latin1(b, o, e);
    } else if (type === DtpTlv.STATUS && len === 5) r.status = b[o]!;
    else if (type === DtpTlv.TYPE && len === 5) r.dtpType = b[o]!;
    else if (type === DtpTlv.NEIGHBOR && len === 10) r.neighbor = macText(b, o);
    p += len;
  }
  return r;
}

const TLV_NAMES: Readonly<Record<number, string>> = { 1: 'Domain', 2: 'Status', 3: 'DTP type', 4: 'Neighbor' };

/** tcpdump's DTP text (`len`: the message length from the 802.3 header); the TLVs at -v. */
export function printDtp(c: Printer, v: DtpView, _i: number, len: number): void {
  const b = v.bytes;
  const cap = v.offset + v.length;
  const trunc = (): void => longjmpCut(c, 'dtp');
  const invalid = (p: number, n: number): void => {
    c.s += ' (invalid)';
    if (p + n > cap) trunc();
  };
  let p = v.offset;
  if (len < 1) {
    c.s += '[zero packet length]';
    return invalid(p, len);
  }
  if (v.status !== DecodeStatus.Ok) return trunc();
  c.s += `DTPv${v.version}, length ${len}`;
  if (c.opts.verbose === 0) return;
  p++;
  let left = len - 1;
  while (left > 0) {
    if (left < 4) {
      c.s += `[${left} bytes remaining]`;
      return invalid(p, left);
    }
    if (p + 4 > cap) return trunc();
    const type = u16(b, p);
    const n = u16(b, p + 2);
    // tcpdump stops quietly at a type 0 (seen as padding in real captures)
    if (type === 0) return;
    c.s += `\n\t${TLV_NAMES[type] ?? 'Unknown'} (0x${type.toString(16).padStart(4, '0')}) TLV, length ${n}`;
    if (n < 4 || n > left) {
      c.s += `[invalid TLV length ${n}]`;
      return invalid(p, left);
    }
    const o = p + 4;
    if (type === DtpTlv.DOMAIN) {
      c.s += ', ';
      if (!printJnp(c, b, o, n - 4, cap)) return trunc();
    } else if (type === DtpTlv.STATUS || type === DtpTlv.TYPE) {
      if (n !== 5) return invalid(p, left);
      if (o + 1 > cap) return trunc();
      c.s += `, 0x${b[o]!.toString(16)}`;
    } else if (type === DtpTlv.NEIGHBOR) {
      if (n !== 10) return invalid(p, left);
      if (o + 6 > cap) return trunc();
      c.s += `, ${macText(b, o)}`;
    } else if (p + n > cap) return trunc();
    p += n;
    left -= n;
  }
}
