/** BSD syslog over UDP (RFC 3164; RFC 5424 messages share the `<PRI>` prefix). */
import { ByteView, DecodeStatus } from './status.js';
import { type Printer, hexDumpText, safeChar } from './print.js';

/** Layout of the priority prefix `<PRI>`: at most three digits between the angle brackets. */
export const SyslogOffsets = { open: 0, priDigits: 1, maxDigits: 3 } as const;

/** Facility names as tcpdump prints them (RFC 3164 section 4.1.1, with tcpdump's names for 13-15). */
const FACILITIES = [
  'kernel', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security',
  'console', 'cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
] as const;

/** Severity names as tcpdump prints them. */
const SEVERITIES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'] as const;

/** Zero-copy view of a syslog message; `reset` parses the priority once. */
export class SyslogView extends ByteView {
  /** The priority value, or -1 when the prefix is missing or malformed. */
  pri = -1;
  /** Offset of the message text after `<PRI>` (the start when the prefix is missing). */
  msgOffset = 0;
  /**
   * Points at a syslog message; Malformed when the `<PRI>` prefix is missing, Truncated when the capture
   * ends inside it.
   * @example s.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.pri = -1;
    this.msgOffset = offset;
    const b = bytes;
    const end = offset + this.length;
    if (this.length < 1) return (this.status = DecodeStatus.Truncated);
    if (b[offset] !== 0x3c) return (this.status = DecodeStatus.Malformed);
    let p = offset + 1;
    let pri = 0;
    while (p - offset <= SyslogOffsets.maxDigits && p < end && (b[p] ?? 0) >= 0x30 && (b[p] ?? 0) <= 0x39) pri = pri * 10 + (b[p++]! - 0x30);
    if (p >= end) return (this.status = DecodeStatus.Truncated);
    if (b[p] !== 0x3e) return (this.status = DecodeStatus.Malformed);
    this.pri = pri;
    this.msgOffset = p + 1;
    return (this.status = DecodeStatus.Ok);
  }
  /** Facility (priority / 8, over the 7 bits tcpdump keeps). */
  get facility(): number {
    return this.pri < 0 ? 0 : (this.pri & 0x3f8) >> 3;
  }
  /** Severity (priority mod 8). */
  get severity(): number {
    return this.pri < 0 ? 0 : this.pri & 7;
  }
}

/** Parsed syslog message. */
export interface SyslogRepr {
  facility: number;
  severity: number;
  msg: string;
}

/** Builds the sink representation (the message text as Latin-1). */
export function syslogRepr(v: SyslogView): SyslogRepr {
  let msg = '';
  for (let k = v.msgOffset; k < v.offset + v.length; k++) msg += String.fromCharCode(v.bytes[k] ?? 0);
  return { facility: v.facility, severity: v.severity, msg };
}

const facilityName = (f: number): string => FACILITIES[f] ?? `unknown (${f})`;

/** tcpdump's syslog text: facility.severity, and at -v the message (-vv: with a hex dump). */
export function printSyslog(c: Printer, v: SyslogView, _i: number, len: number): void {
  if (v.status === DecodeStatus.Malformed) {
    c.s += ' (invalid)';
    return;
  }
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|syslog]';
    return;
  }
  const f = v.facility;
  const sev = v.severity;
  if (c.opts.verbose === 0) {
    c.s += `SYSLOG ${facilityName(f)}.${SEVERITIES[sev]}, length: ${len}`;
    return;
  }
  c.s += `SYSLOG, length: ${len}\n\tFacility ${facilityName(f)} (${f}), Severity ${SEVERITIES[sev]} (${sev})\n\tMsg: `;
  const b = v.bytes;
  const end = Math.min(v.offset + v.length, v.offset + len);
  for (let k = v.msgOffset; k < end; k++) c.s += safeChar(b[k] ?? 0);
  if (v.offset + len > v.offset + v.length) {
    c.s += ' [|syslog]';
    return;
  }
  if (c.opts.verbose > 1) c.s += hexDumpText(b, v.offset, len, '\n\t');
}
