/** L2TPv2 (RFC 2661): the header and, for control messages, the attribute-value pairs. */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { type Printer, hexBytes, safeChar } from './print.js';
import { PPP_FRAME_HEADERS, printPppFrame } from './ppp.js';

/** Field offsets of the flags word; the optional fields follow as the flags say. */
export const L2tpOffsets = { flags: 0, minHeaderLen: 6 } as const;

/** Flag bits of the first word (RFC 2661 section 3.1). */
export const L2tpFlag = { TYPE: 0x8000, LENGTH: 0x4000, SEQUENCE: 0x0800, OFFSET: 0x0200, PRIORITY: 0x0100, VERSION_MASK: 0x000f } as const;

/** AVP names as tcpdump prints them (RFC 2661 section 4.4), by attribute type. */
const AVP_NAMES = [
  'MSGTYPE', 'RESULT_CODE', 'PROTO_VER', 'FRAMING_CAP', 'BEARER_CAP', 'TIE_BREAKER', 'FIRM_VER', 'HOST_NAME', 'VENDOR_NAME',
  'ASSND_TUN_ID', 'RECV_WIN_SIZE', 'CHALLENGE', 'Q931_CC', 'CHALLENGE_RESP', 'ASSND_SESS_ID', 'CALL_SER_NUM', 'MINIMUM_BPS',
  'MAXIMUM_BPS', 'BEARER_TYPE', 'FRAMING_TYPE', 'PACKET_PROC_DELAY', 'CALLED_NUMBER', 'CALLING_NUMBER', 'SUB_ADDRESS',
  'TX_CONN_SPEED', 'PHY_CHANNEL_ID', 'INI_RECV_LCP', 'LAST_SENT_LCP', 'LAST_RECV_LCP', 'PROXY_AUTH_TYPE', 'PROXY_AUTH_NAME',
  'PROXY_AUTH_CHAL', 'PROXY_AUTH_ID', 'PROXY_AUTH_RESP', 'CALL_ERRORS', 'ACCM', 'RANDOM_VECTOR', 'PRIVATE_GRP_ID', 'RX_CONN_SPEED',
  'SEQ_REQUIRED', '', '', '', '', '', '', 'PPP_DISCON_CC',
] as const;

/** Control message type names (RFC 2661 section 3.2). */
const MSG_NAMES: Readonly<Record<number, string>> = {
  1: 'SCCRQ', 2: 'SCCRP', 3: 'SCCCN', 4: 'StopCCN', 6: 'HELLO', 7: 'OCRQ', 8: 'OCRP', 9: 'OCCN', 10: 'ICRQ', 11: 'ICRP', 12: 'ICCN',
  14: 'CDN', 15: 'WEN', 16: 'SLI',
};

const DIRECTIONS = ['global error', 'at peer', 'at local'] as const;
const AUTH_TYPES: Readonly<Record<number, string>> = { 0: 'Reserved', 1: 'Textual', 2: 'CHAP', 3: 'PAP', 4: 'No Auth', 5: 'MS-CHAPv1' };

/** How each AVP's value is shown: by attribute type. */
const STRING_AVPS: ReadonlySet<number> = new Set([7, 8, 21, 22, 23, 30, 37]);
const OCTET_AVPS: ReadonlySet<number> = new Set([11, 26, 27, 28, 31, 33, 36]);
const U16_AVPS: ReadonlySet<number> = new Set([6, 9, 10, 14]);
const U32_AVPS: ReadonlySet<number> = new Set([15, 16, 17, 24, 25, 38]);

/** Zero-copy view of an L2TP header; `reset` reads the optional fields once. */
export class L2tpView extends ByteView {
  /** Header length (flags and the optional fields present). */
  headerLen = 0;
  /**
   * Points at an L2TP header; Truncated when the fields its flags announce were not captured.
   * @example l.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.headerLen = 0;
    if (this.length < 2) return (this.status = DecodeStatus.Truncated);
    const f = this.flags;
    let n = 2 + (f & L2tpFlag.LENGTH ? 2 : 0) + 4 + (f & L2tpFlag.SEQUENCE ? 4 : 0);
    if (f & L2tpFlag.OFFSET) {
      if (n + 2 > this.length) return (this.status = DecodeStatus.Truncated);
      n += 2 + u16(bytes, offset + n);
    }
    if (n > this.length) return (this.status = DecodeStatus.Truncated);
    this.headerLen = n;
    return (this.status = DecodeStatus.Ok);
  }
  /** Flags and version word. */
  get flags(): number {
    return u16(this.bytes, this.offset);
  }
  /** True for a control message. */
  get isControl(): boolean {
    return (this.flags & L2tpFlag.TYPE) !== 0;
  }
  /** Length field, or -1 when absent. */
  get len(): number {
    return this.flags & L2tpFlag.LENGTH ? u16(this.bytes, this.offset + 2) : -1;
  }
  /** Tunnel id. */
  get tunnelId(): number {
    return u16(this.bytes, this.offset + (this.flags & L2tpFlag.LENGTH ? 4 : 2));
  }
  /** Session id. */
  get sessionId(): number {
    return u16(this.bytes, this.offset + (this.flags & L2tpFlag.LENGTH ? 6 : 4));
  }
}

/** Where the PPP protocol field of a data message starts (after the optional address and control octets), or -1. */
export function l2tpPppOffset(v: L2tpView): number {
  if (v.status !== DecodeStatus.Ok || v.isControl) return -1;
  const p = v.offset + v.headerLen;
  const end = v.offset + v.length;
  if (p + 2 <= end && PPP_FRAME_HEADERS.includes(u16(v.bytes, p))) return p + 2;
  return p < end ? p : -1;
}

/** Parsed L2TP header. */
export interface L2tpRepr {
  control: boolean;
  version: number;
  length?: number;
  tunnelId: number;
  sessionId: number;
  ns?: number;
  nr?: number;
  /** Control messages: the message type (the first AVP's value). */
  msgType?: number;
  /** Control messages: the attribute types in order (vendor AVPs as vendor * 65536 + type). */
  avps?: number[];
}

/** Builds the sink representation. */
export function l2tpRepr(v: L2tpView): L2tpRepr {
  if (v.status !== DecodeStatus.Ok) return { control: v.length >= 2 && v.isControl, version: v.length >= 2 ? v.flags & 0xf : 0, tunnelId: 0, sessionId: 0 };
  const b = v.bytes;
  const f = v.flags;
  const r: L2tpRepr = { control: v.isControl, version: f & 0xf, tunnelId: v.tunnelId, sessionId: v.sessionId };
  if (f & L2tpFlag.LENGTH) r.length = v.len;
  if (f & L2tpFlag.SEQUENCE) {
    const q = v.offset + (f & L2tpFlag.LENGTH ? 8 : 6);
    r.ns = u16(b, q);
    r.nr = u16(b, q + 2);
  }
  if (v.isControl) {
    const end = Math.min(v.offset + v.length, v.len >= 0 ? v.offset + v.len : v.offset + v.length);
    r.avps = [];
    for (let p = v.offset + v.headerLen; p + 6 <= end; ) {
      const n = u16(b, p) & 0x3ff;
      if (n < 6 || p + n > end) break;
      const type = u16(b, p + 4);
      const vendor = u16(b, p + 2);
      r.avps.push(vendor * 65536 + type);
      if (vendor === 0 && type === 0 && n >= 8 && !(u16(b, p) & 0x4000) && r.msgType === undefined) r.msgType = u16(b, p + 6);
      p += n;
    }
  }
  return r;
}

/** tcpdump's L2TP text: flags, tunnel/session, sequence numbers, then the AVPs of a control message. */
export function printL2tp(c: Printer, v: L2tpView, i: number, length: number): void {
  const b = v.bytes;
  if (v.length < 2) {
    c.s += ' [|l2tp]';
    return;
  }
  const f = v.flags;
  const version = f & L2tpFlag.VERSION_MASK;
  // tcpdump names L2F (version 1, RFC 2341) and decodes nothing of it
  if (version !== 2) {
    c.s += version === 1 ? ' l2f:' : ' Unknown Version, neither L2F(1) nor L2TP(2)';
    return;
  }
  c.s += ' l2tp:';
  c.s += `[${f & L2tpFlag.TYPE ? 'T' : ''}${f & L2tpFlag.LENGTH ? 'L' : ''}${f & L2tpFlag.SEQUENCE ? 'S' : ''}${f & L2tpFlag.OFFSET ? 'O' : ''}${f & L2tpFlag.PRIORITY ? 'P' : ''}]`;
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|l2tp]';
    return;
  }
  let q = v.offset + 2;
  let declared = -1;
  if (f & L2tpFlag.LENGTH) {
    declared = u16(b, q);
    q += 2;
  }
  c.s += `(${u16(b, q)}/${u16(b, q + 2)})`;
  q += 4;
  if (f & L2tpFlag.SEQUENCE) {
    c.s += `Ns=${u16(b, q)},Nr=${u16(b, q + 2)}`;
    q += 4;
  }
  if (declared >= 0) {
    if (length < declared) {
      c.s += ` Length ${declared} larger than packet`;
      return;
    }
    length = declared;
  }
  if (length < v.headerLen) {
    c.s += ` Length ${length} smaller than header length`;
    return;
  }
  if (!(f & L2tpFlag.TYPE)) {
    // a data message: the PPP frame
    c.s += ' {';
    printPppFrame(c, i, v.offset + v.headerLen, length - v.headerLen);
    c.s += '}';
    return;
  }
  if (declared < 0) {
    c.s += ' No length';
    return;
  }
  if (length === v.headerLen) {
    c.s += ' ZLB';
    return;
  }
  printAvps(c, b, v.offset + v.headerLen, length - v.headerLen, v.offset + v.length);
}

function printAvps(c: Printer, b: Uint8Array, p: number, left: number, cap: number): void {
  for (let guard = 0; left > 0 && guard < 256; guard++) {
    c.s += ' ';
    if (p + 2 > cap) {
      c.s += ' [|l2tp]';
      return;
    }
    const w = u16(b, p);
    const n = w & 0x3ff;
    if (n < 6 || n > left || p + n > cap) {
      c.s += ' [|l2tp]';
      return;
    }
    if (w & 0x8000) c.s += '*';
    const hidden = (w & 0x4000) !== 0;
    if (hidden) c.s += '?';
    const vendor = u16(b, p + 2);
    const type = u16(b, p + 4);
    const d = p + 6;
    const dn = n - 6;
    if (vendor) c.s += `VENDOR${hex4(vendor)}:ATTR${hex4(type)}(${hexBytes(b, d, dn)})`;
    else {
      c.s += `${AVP_NAMES[type] || `AVP-#${type}`}(`;
      if (hidden) c.s += '???';
      else printValue(c, b, type, d, dn);
      c.s += ')';
    }
    p += n;
    left -= n;
  }
}

const hex4 = (x: number): string => x.toString(16).padStart(4, '0');

function printString(c: Printer, b: Uint8Array, p: number, n: number): void {
  for (let k = 0; k < n; k++) c.s += safeChar(b[p + k] ?? 0);
}

/** One IETF AVP's value in tcpdump's wording. */
function printValue(c: Printer, b: Uint8Array, type: number, d: number, n: number): void {
  const short = (need: number): boolean => {
    if (n >= need) return false;
    c.s += 'AVP too short';
    return true;
  };
  if (STRING_AVPS.has(type)) return printString(c, b, d, n);
  if (OCTET_AVPS.has(type)) {
    c.s += hexBytes(b, d, n);
    return;
  }
  if (U16_AVPS.has(type)) {
    if (!short(2)) c.s += String(u16(b, d));
    return;
  }
  if (U32_AVPS.has(type)) {
    if (!short(4)) c.s += String(u32(b, d));
    return;
  }
  switch (type) {
    case 0: {
      if (short(2)) return;
      const m = u16(b, d);
      c.s += MSG_NAMES[m] ?? `MSGTYPE-#${m}`;
      return;
    }
    case 1:
      if (short(2)) return;
      c.s += String(u16(b, d));
      if (n >= 4) c.s += `/${u16(b, d + 2)}`;
      if (n > 4) {
        c.s += ' ';
        printString(c, b, d + 4, n - 4);
      }
      return;
    case 2:
      if (!short(2)) c.s += `${b[d] ?? 0}.${b[d + 1] ?? 0}`;
      return;
    case 3:
    case 19:
      // framing: bit 1 asynchronous, bit 0 synchronous
      if (!short(4)) c.s += `${(b[d + 3] ?? 0) & 2 ? 'A' : ''}${(b[d + 3] ?? 0) & 1 ? 'S' : ''}`;
      return;
    case 4:
    case 18:
      // bearer: bit 1 analog, bit 0 digital
      if (!short(4)) c.s += `${(b[d + 3] ?? 0) & 2 ? 'A' : ''}${(b[d + 3] ?? 0) & 1 ? 'D' : ''}`;
      return;
    case 5:
      if (!short(8)) c.s += hexBytes(b, d, 8);
      return;
    case 12:
      if (short(3)) return;
      c.s += `${u16(b, d)}, ${hexBytes(b, d + 2, 1)}`;
      if (n > 3) {
        c.s += ' ';
        printString(c, b, d + 3, n - 3);
      }
      return;
    case 13:
      if (!short(16)) c.s += hexBytes(b, d, 16);
      return;
    case 20:
      c.s += 'obsolete';
      return;
    case 29: {
      if (short(2)) return;
      const a = u16(b, d);
      c.s += AUTH_TYPES[a] ?? `AuthType-#${a}`;
      return;
    }
    case 32:
      if (!short(2)) c.s += String(u16(b, d) & 0xff);
      return;
    case 34: {
      if (short(2)) return;
      const names = ['CRCErr', 'FrameErr', 'HardOver', 'BufOver', 'Timeout', 'AlignErr'] as const;
      for (let k = 0; k < names.length; k++) {
        if (short(2 + 4 * (k + 1))) return;
        c.s += `${names[k]}=${u32(b, d + 2 + 4 * k)} `;
      }
      return;
    }
    case 46: {
      if (short(5)) return;
      const dir = b[d + 4] ?? 0;
      c.s += `${hexBytes(b, d, 2)}, ${hexBytes(b, d + 2, 2)} ${DIRECTIONS[dir] ?? `Direction-#${dir}`}`;
      if (n > 5) {
        c.s += ' ';
        printString(c, b, d + 5, n - 5);
      }
      return;
    }
    case 35:
      if (short(2)) return;
      if (short(6)) return;
      c.s += `send=${hexBytes(b, d + 2, 4)} `;
      if (short(10)) return;
      c.s += `recv=${hexBytes(b, d + 6, 4)} `;
      return;
    default:
  }
}
