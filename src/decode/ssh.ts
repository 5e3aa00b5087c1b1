/** The SSH protocol version exchange (RFC 4253 section 4.2): the `SSH-protoversion-softwareversion` line. */
import { ByteView, DecodeStatus } from './status.js';
import type { Printer } from './print.js';

/** Layout of the identification line: the `SSH-` prefix, then printable text up to CR LF (or a lone LF). */
export const SshOffsets = { prefix: 0, prefixLen: 4 } as const;

/** Zero-copy view of a TCP payload on the SSH port; `reset` finds the identification line once. */
export class SshView extends ByteView {
  /**
   * Length of the identification line without its line end; -1 when the payload is not one (encrypted
   * packets, a line with non-printable characters or without an end), -2 when the capture ends first.
   */
  lineLen = -1;
  /**
   * Points at a TCP payload and looks for the identification line; never fails (most SSH packets are
   * encrypted and simply carry no line).
   * @example s.reset(bytes, 54, bytes.length - 54);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.lineLen = -1;
    this.status = DecodeStatus.Ok;
    const b = bytes;
    const end = offset + this.length;
    const prefix = [0x53, 0x53, 0x48, 0x2d];
    for (let k = 0; k < 4; k++) {
      if (offset + k >= end) {
        this.lineLen = -2;
        return this.status;
      }
      if (b[offset + k] !== prefix[k]) return this.status;
    }
    for (let p = offset + 4; p < end; p++) {
      const ch = b[p] ?? 0;
      if (ch === 0x0a) {
        this.lineLen = p - offset;
        return this.status;
      }
      if (ch === 0x0d) {
        if (p + 1 < end && b[p + 1] === 0x0a) this.lineLen = p - offset;
        return this.status;
      }
      if (ch < 0x20 || ch > 0x7e) return this.status;
    }
    return this.status;
  }
  /** The identification line, or undefined. */
  get banner(): string | undefined {
    if (this.lineLen < 0) return undefined;
    let s = '';
    for (let k = 0; k < this.lineLen; k++) s += String.fromCharCode(this.bytes[this.offset + k] ?? 0);
    return s;
  }
}

/** Parsed SSH payload: the identification line when the payload is one. */
export interface SshRepr {
  banner?: string;
}

/** Builds the sink representation. */
export function sshRepr(v: SshView): SshRepr {
  const banner = v.banner;
  return banner === undefined ? {} : { banner };
}

/** tcpdump's SSH text after the TCP length: `: SSH: ` and the identification line, nothing otherwise. */
export function printSsh(c: Printer, v: SshView, _i: number, _len: number): void {
  if (v.lineLen === -2) c.s += ' [|ssh]';
  else if (v.lineLen >= 0) c.s += `: SSH: ${v.banner ?? ''}`;
}
