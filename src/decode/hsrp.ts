/**
 * Cisco Hot Standby Router Protocol version 0/1 (RFC 2281), UDP port 1985: a 20-byte message with
 * the group's state, timers, priority, 8 bytes of clear-text authentication and the virtual address.
 */
import { DecodeStatus, FixedHeaderView } from './status.js';
import { ipv4Text } from './addr.js';
import { type Printer, safeText } from './print.js';

/** Field offsets of an HSRP message. */
export const HsrpOffsets = {
  version: 0, opcode: 1, state: 2, helloTime: 3, holdTime: 4, priority: 5, group: 6, auth: 8, virtualIp: 16, headerLen: 20,
} as const;

/** Zero-copy view of an HSRP message (fields read with `u8`); Truncated below its 20 bytes. */
export class HsrpView extends FixedHeaderView {
  protected readonly headerLen = HsrpOffsets.headerLen;
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
    version: v.u8(O.version), opcode: v.u8(O.opcode), state: v.u8(O.state), helloTime: v.u8(O.helloTime),
    holdTime: v.u8(O.holdTime), priority: v.u8(O.priority), group: v.u8(O.group), virtualIp: v.virtualIp,
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
  const op = v.u8(O.opcode);
  c.s += `HSRPv${v.u8(O.version)}-${OPCODES[op] ?? `unknown (${op})`} ${len}: `;
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|hsrp]';
    return;
  }
  const st = v.u8(O.state);
  c.s += `state=${STATES[st] ?? `Unknown (${st})`} group=${v.u8(O.group)} addr=${v.virtualIp}`;
  if (c.opts.verbose === 0) return;
  const a = v.offset + O.auth;
  let e = a;
  while (e < a + 8 && b[e] !== 0) e++;
  c.s += ` hellotime=${v.u8(O.helloTime)}s holdtime=${v.u8(O.holdTime)}s priority=${v.u8(O.priority)} auth="${safeText(b, a, e)}"`;
}
