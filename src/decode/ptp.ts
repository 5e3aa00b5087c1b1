/**
 * Precision Time Protocol version 2 (IEEE 1588-2008 clause 13): the 34-byte common header and the
 * bodies of the event and general messages, over Ethernet (EtherType 0x88f7) or UDP (ports 319 and
 * 320, IEEE 1588 annex D).
 */
import { DecodeStatus, FixedHeaderView } from './status.js';
import { hex2 } from './addr.js';
import { type Printer, flagNames } from './print.js';

/** Field offsets of the common header and of the message bodies (from the header start). */
export const PtpOffsets = {
  typeByte: 0, versionByte: 1, messageLength: 2, domain: 4, reserved1: 5, flags: 6, correction: 8, reserved2: 16,
  clockIdentity: 20, portNumber: 28, sequenceId: 30, control: 32, logInterval: 33, headerLen: 34,
  timestamp: 34, requestingPort: 44,
  currentUtcOffset: 44, reserved3: 46, gmPriority1: 47, gmClockClass: 48, gmClockAccuracy: 49, gmClockVariance: 50,
  gmPriority2: 52, gmIdentity: 53, stepsRemoved: 61, timeSource: 63, announceLen: 64,
  targetPort: 34, startingBoundaryHops: 44, boundaryHops: 45, mgmtFlags: 46, mgmtReserved: 47,
} as const;

/** Message types. */
export const PtpType = {
  Sync: 0, DelayReq: 1, PdelayReq: 2, PdelayResp: 3, FollowUp: 8, DelayResp: 9, PdelayRespFollowUp: 0xa, Announce: 0xb,
  Signaling: 0xc, Management: 0xd,
} as const;

/** Zero-copy view of a PTPv2 message; Truncated below the 34-byte common header. */
export class PtpView extends FixedHeaderView {
  protected readonly headerLen = PtpOffsets.headerLen;
  /** Message type (low nibble of the first byte). */
  get messageType(): number {
    return this.u8(0) & 0x0f;
  }
  /** PTP version (low nibble of the second byte). */
  get version(): number {
    return this.u8(1) & 0x0f;
  }
  /** An 8-byte clock identity at field offset `f` as a hex number without leading zeros (`0x200000000000001`). */
  clockIdText(f: number): string {
    let s = '';
    for (let k = 0; k < 8; k++) s += hex2(this.u8(f + k));
    return `0x${s.replace(/^0+(?=.)/, '')}`;
  }
  /** `S seconds, N nanoseconds` of the 10-byte timestamp at field offset `f` (48-bit seconds). */
  seconds(f: number): number {
    return this.u16(f) * 4294967296 + this.u32(f + 2);
  }
}

/** Parsed PTP common header. */
export interface PtpRepr {
  messageType: number;
  version: number;
  messageLength: number;
  domain: number;
  flags: number;
  clockIdentity: string;
  portNumber: number;
  sequenceId: number;
  control: number;
  /** log2 of the message interval, signed (tcpdump's text prints the byte unsigned). */
  logInterval: number;
}

/** Builds the sink representation. */
export function ptpRepr(v: PtpView): PtpRepr {
  const O = PtpOffsets;
  return {
    messageType: v.messageType, version: v.version, messageLength: v.u16(O.messageLength), domain: v.u8(O.domain), flags: v.u16(O.flags),
    clockIdentity: v.clockIdText(O.clockIdentity), portNumber: v.u16(O.portNumber), sequenceId: v.u16(O.sequenceId), control: v.u8(O.control),
    logInterval: (v.u8(O.logInterval) << 24) >> 24,
  };
}

const TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'sync msg', 1: 'delay req msg', 2: 'peer delay req msg', 3: 'peer delay resp msg', 8: 'follow up msg', 9: 'delay resp msg',
  10: 'pdelay resp fup msg', 11: 'announce msg', 12: 'signalling msg', 13: 'management msg',
};
const CONTROL_NAMES = ['Sync', 'Delay_Req', 'Follow_Up', 'Delay_Resp', 'Management', 'Other'];
const FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x0001, 'l1 61'], [0x0002, 'l1 59'], [0x0004, 'utc reasonable'], [0x0008, 'timescale'], [0x0010, 'time tracable'],
  [0x0020, 'frequency tracable'], [0x0100, 'alternate master'], [0x0200, 'two step'], [0x0400, 'unicast'],
  [0x1000, 'profile specific 1'], [0x2000, 'profile specific 2'], [0x4000, 'security mask'],
];

/** tcpdump's PTPv2 line (the same at every -v level). */
export function printPtp(c: Printer, v: PtpView, _i: number, _n: number): void {
  const O = PtpOffsets;
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|ptp]';
    return;
  }
  if (v.version !== 2) {
    c.s += `PTPv${v.version}`;
    return;
  }
  const t = v.messageType;
  const f = v.u16(O.flags);
  const ctl = v.u8(O.control);
  const corrHi = v.u32(O.correction);
  const corrLo = v.u32(O.correction + 4);
  // the correction field is nanoseconds times 2^16: the upper 48 bits, then the sub-nanosecond 16
  const ns = corrHi * 65536 + Math.floor(corrLo / 65536);
  c.s += `PTPv2, v1 compat : no, msg type : ${TYPE_NAMES[t] ?? 'Reserved'}, length : ${v.u16(O.messageLength)}, domain : ${v.u8(O.domain)}, reserved1 : ${v.u8(O.reserved1)}`;
  c.s += `, Flags [${flagNames(FLAGS, f)}], NS correction : ${ns}, sub NS correction : ${corrLo & 0xffff}`;
  c.s += `, reserved2 : ${v.u32(O.reserved2)}, clock identity : ${v.clockIdText(O.clockIdentity)}, port id : ${v.u16(O.portNumber)}`;
  c.s += `, seq id : ${v.u16(O.sequenceId)}, control : ${ctl} (${CONTROL_NAMES[ctl] ?? 'Other'}), log message interval : ${v.u8(O.logInterval)}`;
  const need = t === PtpType.Announce ? O.announceLen : t === PtpType.Management ? 48 : t === PtpType.Signaling ? 44 : t <= 3 || (t >= 8 && t <= 10) ? 44 : 34;
  if (v.length < need) {
    c.s += ' [|ptp]';
    return;
  }
  const ts = (name: string, comma = ','): string => `, ${name} : ${v.seconds(O.timestamp)} seconds${comma} ${v.u32(O.timestamp + 6)} nanoseconds`;
  const port = (f0: number): string => `, port identity : ${v.clockIdText(f0)}, port id : ${v.u16(f0 + 8)}`;
  switch (t) {
    case PtpType.Sync:
    case PtpType.DelayReq:
      c.s += ts('originTimeStamp');
      break;
    case PtpType.FollowUp:
      c.s += ts('preciseOriginTimeStamp');
      break;
    case PtpType.PdelayReq:
    case PtpType.PdelayRespFollowUp:
      if (v.length < 54) break;
      c.s += ts('preciseOriginTimeStamp') + port(O.requestingPort);
      break;
    case PtpType.PdelayResp:
    case PtpType.DelayResp:
      if (v.length < 54) break;
      c.s += ts('receiveTimeStamp') + port(O.requestingPort);
      break;
    case PtpType.Announce:
      c.s += ts('originTimeStamp', '');
      c.s += `, origin cur utc :${v.u16(O.currentUtcOffset)}, rsvd : ${v.u8(O.reserved3)}, gm priority_1 : ${v.u8(O.gmPriority1)}`;
      c.s += `, gm clock class : ${v.u8(O.gmClockClass)}, gm clock accuracy : ${v.u8(O.gmClockAccuracy)}, gm clock variance : ${v.u16(O.gmClockVariance)}`;
      c.s += `, gm priority_2 : ${v.u8(O.gmPriority2)}, gm clock id : ${v.clockIdText(O.gmIdentity)}, steps removed : ${v.u16(O.stepsRemoved)}`;
      c.s += `, time source : 0x${v.u8(O.timeSource).toString(16)}`;
      break;
    case PtpType.Signaling:
      c.s += port(O.targetPort);
      break;
    case PtpType.Management:
      c.s += port(O.targetPort);
      c.s += `, , start boundary hops  ${v.u8(O.startingBoundaryHops)}, , boundary hops  ${v.u8(O.boundaryHops)}, , flags  0x${v.u8(O.mgmtFlags).toString(16)}, , reserved  0x${v.u8(O.mgmtReserved).toString(16)}`;
      break;
    default:
      break;
  }
}
