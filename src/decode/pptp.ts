/** PPTP control connection messages (RFC 2637 section 2), on TCP port 1723. */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { type Printer, hexBytes, safeChar } from './print.js';

/** The magic cookie every PPTP control message carries (RFC 2637 section 1.4). */
export const PPTP_MAGIC_COOKIE = 0x1a2b3c4d;

/** Field offsets of the 12-byte header every control message starts with. */
export const PptpOffsets = { length: 0, messageType: 2, magicCookie: 4, controlType: 8, reserved0: 10, headerLen: 12 } as const;

/** Control message type names as tcpdump prints them (RFC 2637 section 2). */
const CTRL_NAMES = ['', 'SCCRQ', 'SCCRP', 'StopCCRQ', 'StopCCRP', 'ECHORQ', 'ECHORP', 'OCRQ', 'OCRP', 'ICRQ', 'ICRP', 'ICCN', 'CCRQ', 'CDN', 'WEN', 'SLI'] as const;

/**
 * How a field is shown: `_N` skips N reserved bytes; `1`, `2`, `4` unsigned integers; `v` protocol
 * version; `f`/`b` framing and bearer capabilities; `F`/`B` framing and bearer types; `s64`/`s128`
 * NUL-padded strings; `x` a 32-bit ACCM in hex.
 */
type Field = readonly [string, string];

/** Each control message's fields in order (RFC 2637 sections 2.1 to 2.15). */
const FIELDS: ReadonlyArray<readonly Field[]> = [
  [],
  [['PROTO_VER', 'v'], ['', '_2'], ['FRAME_CAP', 'f'], ['BEARER_CAP', 'b'], ['MAX_CHAN', '2'], ['FIRM_REV', '2'], ['HOSTNAME', 's64'], ['VENDOR', 's64']],
  [['PROTO_VER', 'v'], ['RESULT_CODE', '1'], ['ERR_CODE', '1'], ['FRAME_CAP', 'f'], ['BEARER_CAP', 'b'], ['MAX_CHAN', '2'], ['FIRM_REV', '2'], ['HOSTNAME', 's64'], ['VENDOR', 's64']],
  [['REASON', '1'], ['', '_3']],
  [['RESULT_CODE', '1'], ['ERR_CODE', '1'], ['', '_2']],
  [['ID', '4']],
  [['ID', '4'], ['RESULT_CODE', '1'], ['ERR_CODE', '1'], ['', '_2']],
  [['CALL_ID', '2'], ['CALL_SER_NUM', '2'], ['MIN_BPS', '4'], ['MAX_BPS', '4'], ['BEARER_TYPE', 'B'], ['FRAME_TYPE', 'F'], ['RECV_WIN', '2'], ['PROC_DELAY', '2'], ['PHONE_NO_LEN', '2'], ['', '_2'], ['PHONE_NO', 's64'], ['SUB_ADDR', 's64']],
  [['CALL_ID', '2'], ['PEER_CALL_ID', '2'], ['RESULT_CODE', '1'], ['ERR_CODE', '1'], ['CAUSE_CODE', '2'], ['CONN_SPEED', '4'], ['RECV_WIN', '2'], ['PROC_DELAY', '2'], ['PHY_CHAN_ID', '4']],
  [['CALL_ID', '2'], ['CALL_SER_NUM', '2'], ['BEARER_TYPE', 'B'], ['PHY_CHAN_ID', '4'], ['DIALED_NO_LEN', '2'], ['DIALING_NO_LEN', '2'], ['DIALED_NO', 's64'], ['DIALING_NO', 's64'], ['SUB_ADDR', 's64']],
  [['CALL_ID', '2'], ['PEER_CALL_ID', '2'], ['RESULT_CODE', '1'], ['ERR_CODE', '1'], ['RECV_WIN', '2'], ['PROC_DELAY', '2'], ['', '_2']],
  [['PEER_CALL_ID', '2'], ['', '_2'], ['CONN_SPEED', '4'], ['RECV_WIN', '2'], ['PROC_DELAY', '2'], ['FRAME_TYPE', 'F']],
  [['CALL_ID', '2'], ['', '_2']],
  [['CALL_ID', '2'], ['RESULT_CODE', '1'], ['ERR_CODE', '1'], ['CAUSE_CODE', '2'], ['', '_2'], ['CALL_STATS', 's128']],
  [['PEER_CALL_ID', '2'], ['', '_2'], ['CRC_ERR', '4'], ['FRAMING_ERR', '4'], ['HARDWARE_OVERRUN', '4'], ['BUFFER_OVERRUN', '4'], ['TIMEOUT_ERR', '4'], ['ALIGN_ERR', '4']],
  [['PEER_CALL_ID', '2'], ['', '_2'], ['SEND_ACCM', 'x'], ['RECV_ACCM', 'x']],
];

/** Zero-copy view of a PPTP control message. */
export class PptpView extends ByteView {
  /**
   * Points at a PPTP message; Truncated below the 12-byte header.
   * @example t.reset(bytes, 54, bytes.length - 54);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < PptpOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Length field. */
  get len(): number {
    return u16(this.bytes, this.offset);
  }
  /** PPTP message type (1 control, 2 management). */
  get messageType(): number {
    return u16(this.bytes, this.offset + PptpOffsets.messageType);
  }
  /** Magic cookie (0x1a2b3c4d). */
  get magicCookie(): number {
    return u32(this.bytes, this.offset + PptpOffsets.magicCookie);
  }
  /** Control message type. */
  get controlType(): number {
    return u16(this.bytes, this.offset + PptpOffsets.controlType);
  }
}

/** Parsed PPTP header. */
export interface PptpRepr {
  length: number;
  messageType: number;
  magicCookie: number;
  controlType: number;
}

/** Builds the sink representation (zeros when the header was not captured). */
export function pptpRepr(v: PptpView): PptpRepr {
  if (v.status !== DecodeStatus.Ok) return { length: 0, messageType: 0, magicCookie: 0, controlType: 0 };
  return { length: v.len, messageType: v.messageType, magicCookie: v.magicCookie, controlType: v.controlType };
}

/** -v names of result codes per control message type, error codes and stop reasons (RFC 2637 section 2). */
const RESULTS: Readonly<Record<number, readonly string[]>> = {
  2: ['', 'Successful channel establishment', 'General error', 'Command channel already exists', 'Requester is not authorized to establish a command channel', 'The protocol version of the requester is not supported'],
  4: ['', 'OK', 'General Error'],
  6: ['', 'OK', 'General Error'],
  8: ['', 'Connected', 'General Error', 'No Carrier', 'Busy', 'No Dial Tone', 'Time-out', 'Do Not Accept'],
  10: ['', 'Connect', 'General Error', 'Do Not Accept'],
  13: ['', 'Lost Carrier', 'General Error', 'Admin Shutdown', 'Request'],
};
const ERRORS = ['None', 'Not-Connected', 'Bad-Format', 'Bad-Value', 'No-Resource', 'Bad-Call-ID', 'PAC-Error'] as const;
const REASONS = ['', 'None', 'Stop-Protocol', 'Stop-Local-Shutdown'] as const;

/** `N:name` at -v for the coded fields, `N` otherwise. */
function coded(c: Printer, t: number, label: string, x: number): string {
  if (c.opts.verbose === 0) return String(x);
  const table = label === 'RESULT_CODE' ? RESULTS[t] : label === 'ERR_CODE' ? ERRORS : label === 'REASON' ? REASONS : undefined;
  if (table === undefined) return String(x);
  return `${x}:${table[x] || '?'}`;
}

const capBits = (x: number, one: string, two: string): string => `${x & 1 ? one : ''}${x & 2 ? two : ''}`;
const FRAMING_TYPES = ['?', 'A', 'S', 'E'] as const;
const BEARER_TYPES = ['?', 'A', 'D', 'Any'] as const;

/** tcpdump's PPTP text after the TCP length: the control message type and its fields (-v: length, type and cookie first). */
export function printPptp(c: Printer, v: PptpView, _i: number, _len: number): void {
  const b = v.bytes;
  const cap = v.offset + v.length;
  c.s += ': pptp';
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|pptp]';
    return;
  }
  if (c.opts.verbose > 0) c.s += ` Length=${v.len} ${v.messageType === 1 ? 'CTRL-MSG' : v.messageType === 2 ? 'MGMT-MSG' : 'UNKNOWN-MSG-TYPE'} Magic-Cookie=${hexBytes(b, v.offset + 4, 4)}`;
  const t = v.controlType;
  const name = CTRL_NAMES[t];
  if (name === undefined || t === 0) {
    c.s += ` UNKNOWN_CTRL_MSGTYPE(${t})`;
    return;
  }
  c.s += ` CTRL_MSGTYPE=${name}`;
  let p = v.offset + PptpOffsets.headerLen;
  for (const [label, kind] of FIELDS[t] ?? []) {
    const size = kind === 's64' ? 64 : kind === 's128' ? 128 : kind === '1' ? 1 : kind === '2' || kind === 'v' ? 2 : kind.startsWith('_') ? Number(kind.slice(1)) : 4;
    if (p + size > cap) {
      c.s += ' [|pptp]';
      return;
    }
    if (label !== '') {
      c.s += ` ${label}(`;
      switch (kind) {
        case '1':
          c.s += coded(c, t, label, b[p] ?? 0);
          break;
        case '2':
          c.s += String(u16(b, p));
          break;
        case '4':
          c.s += String(u32(b, p));
          break;
        case 'v':
          c.s += `${b[p] ?? 0}.${b[p + 1] ?? 0}`;
          break;
        case 'f':
          c.s += capBits(u32(b, p), 'A', 'S');
          break;
        case 'b':
          c.s += capBits(u32(b, p), 'A', 'D');
          break;
        case 'F':
          c.s += FRAMING_TYPES[u32(b, p)] ?? '?';
          break;
        case 'B':
          c.s += BEARER_TYPES[u32(b, p)] ?? '?';
          break;
        case 'x':
          c.s += `0x${hexBytes(b, p, 4)}`;
          break;
        default:
          for (let k = 0; k < size && b[p + k] !== 0; k++) c.s += safeChar(b[p + k] ?? 0);
      }
      c.s += ')';
    }
    p += size;
  }
}
