/**
 * Cisco Hot Standby Router Protocol version 0/1 (RFC 2281), UDP port 1985: a 20-byte message with
 * the group's state, timers, priority, 8 bytes of clear-text authentication and the virtual address.
 */
import { ByteView, DecodeStatus } from './status.js';
import { ipv4Text } from './addr.js';
import { type Printer, safeText } from './print.js';

/** Field offsets of an HSRP message. */
export const HsrpOffsets = {
  version: 0, opcode: 1, state: 2, helloTime: 3, holdTime: 4, priority: 5, group: 6, auth: 8, virtualIp: 16, headerLen: 20,
} as const;

/** Zero-copy view of an HSRP message. */
export class HsrpView extends ByteView {
  /**
   * Points at an HSRP message; Truncated below its 20 bytes.
   * @example hsrp.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, HsrpOffsets.headerLen);
  }
  /** Byte field at field offset `f` (one of HsrpOffsets). */
  field(f: number): number {
    return this.bytes[this.offset + f] ?? 0;
  }
  /** Virtual IPv4 address text. */
  get virtualIp(): string {
    return ipv4Text(this.bytes, this.offset + HsrpOffsets.virtualIp);
  }
}

/** Parsed HSRP message. */
export interface HsrpRepr {
  version: number;
  opcode: number;
  state: number;
  helloTime: number;
  holdTime: number;
  priority: number;
  group: number;
  virtualIp: string;
}

/** Builds the sink representation. */
export function hsrpRepr(v: HsrpView): HsrpRepr {
  const O = HsrpOffsets;
  return {
    version: v.field(O.version), opcode: v.field(O.opcode), state: v.field(O.state), helloTime: v.field(O.helloTime),
    holdTime: v.field(O.holdTime), priority: v.field(O.priority), group: v.field(O.group), virtualIp: v.virtualIp,
  };
}

const OPCODES = ['hello', 'coup', 'resign'];
const STATES: Readonly<Record<number, string>> = { 0: 'initial', 1: 'learn', 2: 'listen', 4: 'speak', 8: 'standby', 16: 'active' };

/** tcpdump's HSRP line (`len`: the UDP payload length); timers, priority and authentication at -v. */
export function printHsrp(c: Printer, v: HsrpView, _i: number, len: number): void {
  const O = HsrpOffsets;
  const b = v.bytes;
  if (v.length < 2) {
    c.s += ' [|hsrp]';
    return;
  }
  const op = v.field(O.opcode);
  c.s += `HSRPv${v.field(O.version)}-${OPCODES[op] ?? `unknown (${op})`} ${len}: `;
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|hsrp]';
    return;
  }
  const st = v.field(O.state);
  c.s += `state=${STATES[st] ?? `Unknown (${st})`} group=${v.field(O.group)} addr=${v.virtualIp}`;
  if (c.opts.verbose === 0) return;
  const a = v.offset + O.auth;
  let e = a;
  while (e < a + 8 && b[e] !== 0) e++;
  c.s += ` hellotime=${v.field(O.helloTime)}s holdtime=${v.field(O.holdTime)}s priority=${v.field(O.priority)} auth="${safeText(b, a, e)}"`;
}
