/**
 * Cisco UniDirectional Link Detection (RFC 5171; LLC/SNAP, OUI 00000c, protocol id 0x0111): version
 * and opcode, flags, checksum, then type/length/value records (the length counts the 4-byte header):
 * device id, port id, echo, message and timeout intervals, device name, sequence number.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { type Printer, latin1, longjmpCut } from './print.js';
import { printJnp, printText } from './cdp.js';

/** Field offsets of the header. */
export const UdldOffsets = { verOpcode: 0, flags: 1, checksum: 2, headerLen: 4 } as const;

/** TLV types. */
export const UdldTlv = { DEVICE_ID: 1, PORT_ID: 2, ECHO: 3, MESSAGE_INTERVAL: 4, TIMEOUT_INTERVAL: 5, DEVICE_NAME: 6, SEQUENCE: 7 } as const;

/** Zero-copy view of a UDLD message. */
export class UdldView extends ByteView {
  /**
   * Points at a UDLD header; Truncated below its 4 bytes.
   * @example udld.reset(bytes, 22, bytes.length - 22);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, UdldOffsets.headerLen);
  }
  /** Version (top 3 bits). */
  get version(): number {
    return (this.bytes[this.offset] ?? 0) >> 5;
  }
  /** Opcode (low 5 bits). */
  get opcode(): number {
    return (this.bytes[this.offset] ?? 0) & 0x1f;
  }
  /** Flags (RT 0x01, RSY 0x02). */
  get flags(): number {
    return this.bytes[this.offset + UdldOffsets.flags] ?? 0;
  }
  /** Checksum as carried. */
  get checksum(): number {
    return u16(this.bytes, this.offset + UdldOffsets.checksum);
  }
}

/** Parsed UDLD message (each TLV's value when it is whole and captured). */
export interface UdldRepr {
  version: number;
  opcode: number;
  flags: number;
  checksum: number;
  deviceId?: string;
  portId?: string;
  messageInterval?: number;
  timeoutInterval?: number;
  deviceName?: string;
  sequence?: number;
  tlvs: Array<{ type: number; length: number }>;
}

/** Builds the sink representation. */
export function udldRepr(v: UdldView): UdldRepr {
  const r: UdldRepr = { version: v.version, opcode: v.opcode, flags: v.flags, checksum: v.checksum, tlvs: [] };
  if (v.status !== DecodeStatus.Ok) return r;
  const b = v.bytes;
  const end = v.offset + v.length;
  let p = v.offset + UdldOffsets.headerLen;
  while (p + 4 <= end) {
    const type = u16(b, p);
    const len = u16(b, p + 2);
    r.tlvs.push({ type, length: len });
    if (len <= 4 || p + len > end) break;
    const o = p + 4;
    const n = len - 4;
    switch (type) {
      case UdldTlv.DEVICE_ID: r.deviceId = latin1(b, o, o + n); break;
      case UdldTlv.PORT_ID: r.portId = latin1(b, o, o + n); break;
      case UdldTlv.DEVICE_NAME: r.deviceName = latin1(b, o, o + n); break;
      case UdldTlv.MESSAGE_INTERVAL: if (n === 1) r.messageInterval = b[o]!; break;
      case UdldTlv.TIMEOUT_INTERVAL: if (n === 1) r.timeoutInterval = b[o]!; break;
      case UdldTlv.SEQUENCE: if (n === 4) r.sequence = u32(b, o); break;
    }
    p += len;
  }
  return r;
}

const CODES = ['Reserved', 'Probe message', 'Echo message', 'Flush message'];
const FLAG_NAMES = ['RT', 'RSY', 'MBZ-2', 'MBZ-3', 'MBZ-4', 'MBZ-5', 'MBZ-6', 'MBZ-7'];
const TLV_NAMES: Readonly<Record<number, string>> = {
  1: 'Device-ID TLV', 2: 'Port-ID TLV', 3: 'Echo TLV', 4: 'Message Interval TLV', 5: 'Timeout Interval TLV', 6: 'Device Name TLV', 7: 'Sequence Number TLV',
};

/** tcpdump's UDLD text (`len`: the message length from the 802.3 header); checksum and TLVs at -v. */
export function printUdld(c: Printer, v: UdldView, _i: number, len: number): void {
  const b = v.bytes;
  const cap = v.offset + v.length;
  const trunc = (): void => longjmpCut(c, 'udld');
  const invalid = (p: number, n: number): void => {
    c.s += ' (invalid)';
    if (p + n > cap) trunc();
  };
  let p = v.offset;
  if (len < UdldOffsets.headerLen) return invalid(p, len);
  if (p + 2 > cap) return trunc();
  const f = v.flags;
  const names = FLAG_NAMES.filter((_, k) => f & (1 << k));
  c.s += `UDLDv${v.version}, Code ${CODES[v.opcode] ?? 'Reserved'} (${v.opcode.toString(16)}), Flags [${names.length ? names.join(', ') : 'none'}] (0x${f.toString(16).padStart(2, '0')}), length ${len}`;
  p += 2;
  let left = len - 2;
  if (c.opts.verbose === 0) {
    if (p + left > cap) trunc();
    return;
  }
  if (p + 2 > cap) return trunc();
  c.s += `\n\tChecksum 0x${v.checksum.toString(16).padStart(4, '0')} (unverified)`;
  p += 2;
  left -= 2;
  while (left > 0) {
    if (left < 4) return invalid(p, left);
    if (p + 4 > cap) return trunc();
    const type = u16(b, p);
    let n = u16(b, p + 2);
    p += 4;
    left -= 4;
    c.s += `\n\t${TLV_NAMES[type] ?? 'Unknown'} (0x${type.toString(16).padStart(4, '0')}) TLV, length ${n}`;
    if (n <= 4) return invalid(p, left);
    n -= 4;
    if (left < n) return invalid(p, left);
    switch (type) {
      case UdldTlv.DEVICE_ID:
      case UdldTlv.PORT_ID:
      case UdldTlv.DEVICE_NAME:
        c.s += ', ';
        if (!printJnp(c, b, p, n, cap)) return trunc();
        break;
      case UdldTlv.ECHO:
        c.s += ', ';
        if (!printText(c, b, p, n, cap)) return trunc();
        break;
      case UdldTlv.MESSAGE_INTERVAL:
      case UdldTlv.TIMEOUT_INTERVAL:
        if (n !== 1) return invalid(p, left);
        if (p + 1 > cap) return trunc();
        c.s += `, ${b[p]!}s`;
        break;
      case UdldTlv.SEQUENCE:
        if (n !== 4) return invalid(p, left);
        if (p + 4 > cap) return trunc();
        c.s += `, ${u32(b, p)}`;
        break;
      default:
        if (p + n > cap) return trunc();
    }
    p += n;
    left -= n;
  }
}
