/**
 * Label Distribution Protocol (RFC 5036), UDP port 646 (hellos) and TCP port 646 (sessions): PDUs of a
 * 10-byte header (version, length, LSR id, label space) and messages of TLVs (RFC 5036 3.4, pseudowire
 * FECs RFC 4447, fault tolerance RFC 3479, MTU RFC 3988).
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { ipv4Text, ipv6Text } from './addr.js';
import { type Printer, safeChar } from './print.js';
import { CheckedText } from './checked.js';
import { AFI_NAMES } from './bgp.js';

/** Field offsets of the PDU header and of a message header (from the message start). */
export const LdpOffsets = { version: 0, pduLength: 2, lsrId: 4, labelSpace: 8, headerLen: 10, msgType: 0, msgLength: 2, msgId: 4, msgHeaderLen: 8 } as const;

/** Zero-copy view of the LDP PDUs of one UDP datagram or TCP segment. */
export class LdpView extends ByteView {
  /**
   * Points at the first PDU; Truncated below its 10-byte header.
   * @example ldp.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, LdpOffsets.headerLen);
  }
  /** Protocol version (1). */
  get version(): number {
    return u16(this.bytes, this.offset);
  }
  /** PDU length (bytes after this field). */
  get pduLength(): number {
    return u16(this.bytes, this.offset + LdpOffsets.pduLength);
  }
  /** LSR id text. */
  get lsrId(): string {
    return ipv4Text(this.bytes, this.offset + LdpOffsets.lsrId);
  }
  /** Label space id. */
  get labelSpace(): number {
    return u16(this.bytes, this.offset + LdpOffsets.labelSpace);
  }
}

/** One message of the first PDU, wholly captured. */
export interface LdpMessageRepr {
  type: number;
  length: number;
  id: number;
}

/** Parsed LDP PDU header and its messages (as far as captured). */
export interface LdpRepr {
  version: number;
  pduLength: number;
  lsrId: string;
  labelSpace: number;
  messages: LdpMessageRepr[];
}

/** Builds the sink representation. */
export function ldpRepr(v: LdpView): LdpRepr {
  const b = v.bytes;
  const messages: LdpMessageRepr[] = [];
  const end = Math.min(v.offset + v.length, v.offset + 4 + v.pduLength);
  for (let p = v.offset + LdpOffsets.headerLen; p + LdpOffsets.msgHeaderLen <= end && messages.length < 64; ) {
    const len = u16(b, p + 2);
    // a length below the message id's 4 bytes is no message (tcpdump and tshark stop there too)
    if (len < 4 || p + 4 + len > end) break;
    messages.push({ type: u16(b, p) & 0x7fff, length: len, id: u32(b, p + 4) });
    p += 4 + len;
  }
  return { version: v.version, pduLength: v.pduLength, lsrId: v.lsrId, labelSpace: v.labelSpace, messages };
}

type Tok = Readonly<Record<number, string>>;
const MSG: Tok = {
  0x0001: 'Notification', 0x0100: 'Hello', 0x0200: 'Initialization', 0x0201: 'Keepalive', 0x0300: 'Address', 0x0301: 'Address Withdraw',
  0x0400: 'Label Mapping', 0x0401: 'Label Request', 0x0402: 'Label Withdraw', 0x0403: 'Label Release', 0x0404: 'Label Abort Request',
};
const TLV: Tok = {
  0x0100: 'FEC', 0x0101: 'Address List', 0x0103: 'Hop Count', 0x0104: 'Path Vector', 0x0200: 'Generic Label', 0x0201: 'ATM Label',
  0x0202: 'Frame-Relay Label', 0x0300: 'Status', 0x0301: 'Extended Status', 0x0302: 'Returned PDU', 0x0303: 'Returned Message',
  0x0400: 'Common Hello Parameters', 0x0401: 'IPv4 Transport Address', 0x0402: 'Configuration Sequence Number', 0x0403: 'IPv6 Transport Address',
  0x0500: 'Common Session Parameters', 0x0501: 'ATM Session Parameters', 0x0502: 'Frame-Relay Session Parameters',
  0x0503: 'Fault-Tolerant Session Parameters', 0x0600: 'Label Request Message ID', 0x0601: 'MTU',
};
const FEC: Tok = { 1: 'Wildcard', 2: 'Prefix', 3: 'Host address', 0x80: 'Martini VC' };
const IFPARM: Tok = { 1: 'MTU', 3: 'Description', 0x0c: 'VCCV' };
/** Pseudowire types (RFC 4446), as tcpdump names them. */
export const PW_TYPES: Tok = {
  0x0000: 'Reserved', 0x0001: 'Frame Relay DLCI (Martini Mode)', 0x0002: 'ATM AAL5 SDU VCC transport', 0x0003: 'ATM transparent cell transport',
  0x0004: 'Ethernet VLAN', 0x0005: 'Ethernet', 0x0006: 'Cisco-HDLC', 0x0007: 'PPP', 0x0008: 'SONET/SDH Circuit Emulation Service over MPLS',
  0x0009: 'ATM n-to-one VCC cell transport', 0x000a: 'ATM n-to-one VPC cell transport', 0x000b: 'IP Layer2 Transport',
  0x000c: 'ATM one-to-one VCC Cell Mode', 0x000d: 'ATM one-to-one VPC Cell Mode', 0x000e: 'ATM AAL5 PDU VCC transport',
  0x000f: 'Frame-Relay Port mode', 0x0010: 'SONET/SDH Circuit Emulation over Packet', 0x0011: 'Structure-agnostic E1 over Packet',
  0x0012: 'Structure-agnostic T1 (DS1) over Packet', 0x0013: 'Structure-agnostic E3 over Packet', 0x0014: 'Structure-agnostic T3 (DS3) over Packet',
  0x0015: 'CESoPSN basic mode', 0x0016: 'TDMoIP basic mode', 0x0017: 'CESoPSN TDM with CAS', 0x0018: 'TDMoIP TDM with CAS',
  0x0019: 'Frame Relay DLCI', 0x0040: 'IP-interworking',
};
const VCCV_CC: ReadonlyArray<[number, string]> = [[1, 'PWE3 control word'], [2, 'MPLS Router Alert Label'], [4, 'MPLS inner label TTL = 1']];
const VCCV_CV: ReadonlyArray<[number, string]> = [[1, 'ICMP Ping'], [2, 'LSP Ping'], [4, 'BFD']];

/** tcpdump's bittok2str: the names of the set bits, or `none`. */
export function bitNames(t: ReadonlyArray<[number, string]>, v: number, none = 'none'): string {
  return t.filter(([bit]) => (v & bit) === bit).map(([, n]) => n).join(', ') || none;
}

const T = new CheckedText();

/** tcpdump's LDP text (`len`: the UDP or TCP payload length): the first PDU's header, at -v every PDU. */
export function printLdp(c: Printer, v: LdpView, _i: number, len: number): void {
  T.begin(v.bytes, v.offset + v.length, c.opts.verbose);
  let p = v.offset;
  while (len > LdpOffsets.headerLen + LdpOffsets.msgHeaderLen && !T.aborted) {
    const n = pdu(p);
    if (n === 0) break;
    if (len < n) {
      T.emit(` [remaining length ${len} < ${n}] (invalid)`);
      break;
    }
    len -= n;
    p += n;
  }
  c.s += T.out + (T.aborted ? ' [|ldp]' : '');
}

/** One PDU; its length with the first 4 bytes, or 0 to stop. */
function pdu(p: number): number {
  if (!T.has(p, LdpOffsets.headerLen)) return 0;
  const nl = T.verbose < 1 ? '' : '\n\t';
  const ver = T.g2(p);
  if (ver !== 1) {
    T.emit(`${nl}LDP version ${ver} packet not supported`);
    return 0;
  }
  const pduLen = T.g2(p + 2);
  if (pduLen < 6) {
    T.emit(`${nl}LDP, pdu-length: ${pduLen} (too short, < 6)`);
    return 0;
  }
  T.emit(`${nl}LDP, Label-Space-ID: ${T.ip4(p + 4)}:${T.g2(p + 8)}, pdu-length: ${pduLen}`);
  if (T.verbose < 1) return 0;
  let q = p + LdpOffsets.headerLen;
  // tcpdump keeps this count in 16 bits: a message running past the PDU wraps it
  let tlen = pduLen - 6;
  while (tlen > 0 && !T.aborted) {
    if (!T.has(q, LdpOffsets.msgHeaderLen)) return 0;
    const ml = T.g2(q + 2);
    const raw = T.g2(q);
    const mt = raw & 0x7fff;
    if (ml < 4) {
      T.emit(`\n\t  ${MSG[mt] ?? 'Unknown'} Message (0x${hex(mt, 4)}), length: ${ml} (too short, < 4)`);
      return 0;
    }
    T.emit(`\n\t  ${MSG[mt] ?? 'Unknown'} Message (0x${hex(mt, 4)}), length: ${ml}, Message ID: 0x${hex(T.g4(q + 4), 8)}, Flags: [${raw & 0x8000 ? 'continue processing' : 'ignore'} if unknown]`);
    let mp = q + LdpOffsets.msgHeaderLen;
    let mtl = ml - 4;
    if (!T.has(q, ml)) return 0;
    switch (mt) {
      case 0x0001:
      case 0x0100:
      case 0x0200:
      case 0x0201:
      case 0x0300:
      case 0x0400:
      case 0x0301:
      case 0x0402:
        while (mtl >= 4 && !T.aborted) {
          const n = tlv(mp, mtl);
          if (n === 0) break;
          mtl -= n;
          mp += n;
        }
        break;
      default:
        if (T.verbose <= 1) T.unknown(mp, '\n\t  ', mtl);
    }
    if (T.verbose > 1) T.unknown(q + LdpOffsets.msgHeaderLen, '\n\t  ', ml);
    q += ml + 4;
    tlen = (tlen - (ml + 4)) & 0xffff;
  }
  return pduLen + 4;
}

const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');

/** One TLV of a message with `msgLen` bytes left; its size, or 0 to stop the message. */
function tlv(p: number, msgLen: number): number {
  if (!T.has(p, 4)) return 0;
  const tl = T.g2(p + 2);
  if (tl + 4 > msgLen) {
    T.emit('\n\t\t TLV contents go past end of message');
    return 0;
  }
  const raw = T.g2(p);
  const tt = raw & 0x3fff;
  T.emit(`\n\t    ${TLV[tt] ?? 'Unknown'} TLV (0x${hex(tt, 4)}), length: ${tl}, Flags: [${raw & 0x8000 ? 'continue processing' : 'ignore'} and ${raw & 0x4000 ? 'do' : "don't"} forward if unknown]`);
  let q = p + 4;
  let tlen = tl;
  const need = (n: number): boolean => {
    if (tlen >= n) return true;
    T.emit(` [tlv length ${tlen} < ${n}] (invalid)`);
    return false;
  };
  switch (tt) {
    case 0x0400: {
      if (!need(4)) break;
      const f = T.g2(q + 2);
      T.emit(`\n\t      Hold Time: ${T.g2(q)}s, Flags: [${f & 0x8000 ? 'Targeted' : 'Link'} Hello${f & 0x4000 ? ', Request for targeted Hellos' : ''}]`);
      break;
    }
    case 0x0401:
      if (need(4)) T.emit(`\n\t      IPv4 Transport Address: ${T.ip4(q)}`);
      break;
    case 0x0403:
      if (need(16)) T.emit(`\n\t      IPv6 Transport Address: ${T.ip6(q)}`);
      break;
    case 0x0402:
      if (need(4)) T.emit(`\n\t      Sequence Number: ${T.g4(q)}`);
      break;
    case 0x0101: {
      if (!need(2)) break;
      const af = T.g2(q);
      q += 2;
      tlen -= 2;
      T.emit(`\n\t      Address Family: ${AFI_NAMES[af] ?? `Unknown (${af})`}, addresses`);
      const w = af === 1 ? 4 : af === 2 ? 16 : 0;
      if (w) {
        for (; tlen >= w && !T.aborted; tlen -= w, q += w) T.emit(` ${w === 4 ? T.ip4(q) : T.ip6(q)}`);
      }
      break;
    }
    case 0x0500: {
      if (!need(8)) break;
      const f = T.g2(q + 6);
      T.emit(`\n\t      Version: ${T.g2(q)}, Keepalive: ${T.g2(q + 2)}s, Flags: [Downstream ${f & 0x8000 ? 'On Demand' : 'Unsolicited'}, Loop Detection ${f & 0x4000 ? 'Enabled' : 'Disabled'}]`);
      break;
    }
    case 0x0100:
      fec(q, tlen);
      break;
    case 0x0200:
      if (need(4)) T.emit(`\n\t      Label: ${T.g4(q) & 0xfffff}`);
      break;
    case 0x0300: {
      if (!need(8)) break;
      const st = T.g4(q);
      T.emit(`\n\t      Status: 0x${hex(st & 0x3fffffff, 2)}, Flags: [${st & 0x80000000 ? 'Fatal error' : 'Advisory Notification'} and ${st & 0x40000000 ? 'do' : "don't"} forward]`);
      const id = T.g4(q + 4);
      if (id) T.emit(`, causing Message ID: 0x${hex(id, 8)}`);
      break;
    }
    case 0x0503: {
      if (!need(12)) break;
      const f = T.g2(q);
      T.emit(`\n\t      Flags: [${f & 0x8000 ? '' : 'No '}Reconnect, ${f & 8 ? '' : "Don't "}Save State, ${f & 4 ? '' : 'No '}All-Label Protection, ${f & 2 ? 'Sequence Numbered Label' : 'All Labels'} Checkpoint, ${f & 1 ? '' : "Don't "}Re-Learn State]`);
      const rt = T.g4(q + 4);
      if (rt) T.emit(`, Reconnect Timeout: ${rt}ms`);
      const rc = T.g4(q + 8);
      if (rc) T.emit(`, Recovery Time: ${rc}ms`);
      break;
    }
    case 0x0601:
      if (need(2)) T.emit(`\n\t      MTU: ${T.g2(q)}`);
      break;
    default:
      if (T.verbose <= 1) T.unknown(q, '\n\t      ', tlen);
  }
  return tl + 4;
}

/** The FEC TLV's first element (tcpdump decodes one). */
function fec(q: number, tlen: number): void {
  const need = (n: number): boolean => {
    if (tlen >= n) return true;
    T.emit(` [tlv length ${tlen} < ${n}] (invalid)`);
    return false;
  };
  if (!need(1)) return;
  const ft = T.g1(q);
  T.emit(`\n\t      ${FEC[ft] ?? 'Unknown'} FEC (0x${hex(ft, 2)})`);
  q += 1;
  tlen -= 1;
  if (ft === 2) {
    if (!need(2)) return;
    const af = T.g2(q);
    q += 2;
    tlen -= 2;
    if (af === 1 || af === 2) {
      const v6 = af === 2;
      if (tlen < 1) return void (T.aborted = true);
      const plen = T.g1(q);
      if (plen > (v6 ? 128 : 32)) return T.emit(`: IPv${v6 ? 6 : 4} prefix (invalid length)`);
      const n = (plen + 7) >> 3;
      // too few bytes in the TLV ends the packet's text, as a snapshot cut does
      if (tlen - 1 < n || !T.has(q + 1, n)) return void (T.aborted = true);
      const a = new Uint8Array(16);
      for (let k = 0; k < n; k++) a[k] = T.b[q + 1 + k]!;
      if (plen % 8) a[n - 1]! &= (0xff00 >> plen % 8) & 0xff;
      const text = v6 ? ipv6Text(a, 0) : ipv4Text(a, 0);
      T.emit(`: IPv${v6 ? 6 : 4} prefix ${text}/${plen}`);
    } else T.emit(`: Address family ${af} prefix`);
    return;
  }
  if (ft !== 0x80) return;
  if (!need(7)) return;
  let vl = T.g1(q + 2);
  const pw = T.g2(q);
  const cw = pw & 0x8000 ? '' : 'no ';
  if (vl === 0) {
    T.emit(`: ${PW_TYPES[pw & 0x7fff] ?? 'Unknown'}, ${cw}control word, group-ID ${T.g4(q + 3)}, VC-info-length: ${vl}`);
    return;
  }
  if (!need(11)) return;
  T.emit(`: ${PW_TYPES[pw & 0x7fff] ?? 'Unknown'}, ${cw}control word, group-ID ${T.g4(q + 3)}, VC-ID ${T.g4(q + 7)}, VC-info-length: ${vl}`);
  if (vl < 4) return T.emit(' (invalid, < 4');
  vl -= 4;
  q += 11;
  tlen -= 11;
  if (!need(vl)) return;
  while (vl > 2 && !T.aborted) {
    const it = T.g1(q);
    const il = T.g1(q + 1);
    if (il < 2 || vl < il) break;
    T.emit(`\n\t\tInterface Parameter: ${IFPARM[it] ?? 'Unknown'} (0x${hex(it, 2)}), len ${il}`);
    switch (it) {
      case 1:
        T.emit(`: ${T.g2(q + 2)}`);
        break;
      case 3: {
        T.emit(': ');
        for (let k = 2; k < il && !T.aborted; k++) {
          const ch = T.g1(q + k);
          T.emit(safeChar(ch));
        }
        break;
      }
      case 0x0c: {
        const cc = T.g1(q + 2);
        const cv = T.g1(q + 3);
        T.emit(`\n\t\t  Control Channels (0x${hex(cc, 2)}) = [${bitNames(VCCV_CC, cc)}]\n\t\t  CV Types (0x${hex(cv, 2)}) = [${bitNames(VCCV_CV, cv)}]`);
        break;
      }
      default:
        T.unknown(q + 2, '\n\t\t  ', il - 2);
    }
    vl -= il;
    q += il;
  }
}
