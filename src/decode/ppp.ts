/**
 * PPP as a link type: LINKTYPE_PPP (9, RFC 1661 frames, address/control optional, pppd's In/Out
 * marker) and LINKTYPE_PPP_HDLC (50, RFC 1662 HDLC-like framing), plus the control protocols
 * tcpdump decodes in them: LCP, IPCP, IP6CP, CCP, BACP, OSICP, MPLSCP (RFC 1661 packet format with
 * options at -v), PAP (RFC 1334), CHAP (RFC 1994) and multilink fragments (RFC 1990).
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { type Printer, hex4, hex8, hexDump, hostName, longjmpCut, safeText, wireFrom } from './print.js';
import { hex2, ipv4Text, macText } from './addr.js';
import { Layer } from './layers.js';
import { osiPayload } from './nlpid.js';

/** PPP protocol numbers (RFC 1661 and the IANA PPP DLL protocol registry) tcpdump names. */
export const PppProto = {
  IP: 0x0021, OSI: 0x0023, NS: 0x0025, DECNET: 0x0027, APPLE: 0x0029, IPX: 0x002b, VJC: 0x002d, VJNC: 0x002f,
  BRPDU: 0x0031, ML: 0x003d, IPV6: 0x0057, COMP: 0x00fd, MPLS_UCAST: 0x0281, MPLS_MCAST: 0x0283,
  IPCP: 0x8021, OSICP: 0x8023, IPV6CP: 0x8057, CCP: 0x80fd, MPLSCP: 0x8281,
  LCP: 0xc021, PAP: 0xc023, LQM: 0xc025, SPAP: 0xc027, CHAP: 0xc223, BACP: 0xc02b, BAP: 0xc02d, SPAP_OLD: 0xc123, EAP: 0xc227,
} as const;

/** tcpdump's names of PPP protocol numbers. */
export const PPP_PROTO_NAMES: Readonly<Record<number, string>> = {
  0x0021: 'IP', 0x0023: 'OSI', 0x0025: 'NS', 0x0027: 'DECNET', 0x0029: 'APPLE', 0x002b: 'IPX', 0x002d: 'VJC IP', 0x002f: 'VJNC IP',
  0x0031: 'BRPDU', 0x0033: 'STII', 0x0035: 'VINES', 0x0281: 'MPLS', 0x0283: 'MPLS', 0x00fd: 'Compressed', 0x003d: 'MLPPP', 0x0057: 'IP6',
  0x0201: 'HELLO', 0x0231: 'LUXCOM', 0x0233: 'SNS', 0x8021: 'IPCP', 0x8023: 'OSICP', 0x8025: 'NSCP', 0x8027: 'DECNETCP',
  0x8029: 'APPLECP', 0x802b: 'IPXCP', 0x8033: 'STIICP', 0x8035: 'VINESCP', 0x8057: 'IP6CP', 0x8281: 'MPLSCP',
  0xc021: 'LCP', 0xc023: 'PAP', 0xc025: 'LQM', 0xc223: 'CHAP', 0xc227: 'EAP', 0xc027: 'SPAP', 0xc123: 'Old-SPAP', 0xc02b: 'BACP',
  0xc02d: 'BAP', 0xc03d: 'MLPPP-CP', 0x80fd: 'CCP',
};

/** How the frame starts: RFC 1662 address/control, pppd's In/Out marker, none (ACFC), or (HDLC) another address. */
export const PppFraming = { HDLC: 0, IN: 1, OUT: 2, BARE: 3, UNKNOWN_ADDR: 4 } as const;

/** Offsets of the fixed part: address and control (when present), then the protocol field. */
export const PppOffsets = { address: 0, control: 1, protocol: 2, minCapture: 4 } as const;

/** Zero-copy view of a PPP link header (LINKTYPE_PPP or LINKTYPE_PPP_HDLC). */
export class PppView extends ByteView {
  /** True for LINKTYPE_PPP_HDLC (50). */
  hdlc = false;
  /** One of PppFraming. */
  framing: number = PppFraming.HDLC;
  /** Header bytes before the payload (address, control, protocol). */
  headerLen = 0;
  /** PPP protocol number (one byte when protocol-field compressed). */
  protocol = 0;
  /**
   * Points at a PPP frame; Truncated below the 4 bytes tcpdump requires (2 for HDLC's address check).
   * @example ppp.reset(bytes, 0, bytes.length, false);
   */
  reset(bytes: Uint8Array, offset: number, length: number, hdlc = false): DecodeStatus {
    this.point(bytes, offset, length);
    this.hdlc = hdlc;
    this.protocol = 0;
    this.headerLen = 0;
    const b = bytes;
    const o = offset;
    if (this.length < PppOffsets.minCapture) {
      this.framing = this.length >= 1 && hdlc && b[o] !== 0xff ? PppFraming.UNKNOWN_ADDR : PppFraming.HDLC;
      this.status = DecodeStatus.Truncated;
      return this.status;
    }
    this.status = DecodeStatus.Ok;
    if (hdlc) {
      this.framing = b[o] === 0xff ? PppFraming.HDLC : PppFraming.UNKNOWN_ADDR;
      this.headerLen = this.framing === PppFraming.HDLC ? 4 : 2;
      this.protocol = this.framing === PppFraming.HDLC ? u16(b, o + 2) : 0;
      return this.status;
    }
    const ac = u16(b, o);
    this.framing = ac === 0xff03 ? PppFraming.HDLC : ac === 0x0003 ? PppFraming.IN : ac === 0x0103 ? PppFraming.OUT : PppFraming.BARE;
    let q = this.framing === PppFraming.BARE ? 0 : 2;
    // protocol-field compression: an odd first byte is the whole (one-byte) protocol
    if ((b[o + q] ?? 0) % 2 === 1) {
      this.protocol = b[o + q] ?? 0;
      q += 1;
    } else {
      this.protocol = u16(b, o + q);
      q += 2;
    }
    this.headerLen = q;
    return this.status;
  }
}

/** Parsed PPP link header. */
export interface PppRepr {
  /** Address byte (0xff), absent when compressed away or a pppd direction marker. */
  address?: number;
  /** pppd's direction marker: 'in' or 'out'. */
  direction?: string;
  /** PPP protocol number. */
  protocol?: number;
}

/** Builds the sink representation. */
export function pppRepr(v: PppView): PppRepr {
  const r: PppRepr = {};
  if (v.framing === PppFraming.HDLC || v.framing === PppFraming.UNKNOWN_ADDR) r.address = v.bytes[v.offset] ?? 0;
  if (v.framing === PppFraming.IN) r.direction = 'in';
  if (v.framing === PppFraming.OUT) r.direction = 'out';
  if (v.status === DecodeStatus.Ok && v.framing !== PppFraming.UNKNOWN_ADDR) r.protocol = v.protocol;
  return r;
}

/** tcpdump's text of a PPP frame (ppp_if_print / ppp_hdlc_if_print). */
export function printPpp(c: Printer, v: PppView, i: number): void {
  const b = v.bytes;
  const o = v.offset;
  const e = c.opts.linkHeader;
  const trunc = v.hdlc ? ' [|ppp_hdlc]' : ' [|ppp]';
  // after an Ethernet type (0x880b) tcpdump's Ethernet printer puts ': ' before the PPP frame, whose
  // reads past the capture then end the packet
  const k = i > 0 ? c.parser.kinds[i - 1] : Layer.None;
  const onEther = k === Layer.Ethernet || k === Layer.Vlan || k === Layer.Macsec;
  if (onEther) c.s += ': ';
  if (v.status !== DecodeStatus.Ok) {
    if (onEther) longjmpCut(c, 'ppp');
    else c.s += trunc;
    return;
  }
  const wire = wireFrom(c, o);
  if (v.hdlc) {
    if (e) c.s += `${hex2(b[o] ?? 0)} ${hex2(b[o + 1] ?? 0)} ${wire} `;
    if (v.framing === PppFraming.UNKNOWN_ADDR) {
      c.s += `unknown addr ${hex2(b[o + 2] ?? 0)}; ctrl ${hex2(b[o + 3] ?? 0)}`;
      return;
    }
    c.s += `${PPP_PROTO_NAMES[v.protocol] ?? `unknown PPP protocol (0x${hex4(v.protocol)})`}: `;
  } else {
    if (e && v.framing === PppFraming.IN) c.s += 'In  ';
    if (e && v.framing === PppFraming.OUT) c.s += 'Out ';
    if (e) {
      const name = PPP_PROTO_NAMES[v.protocol];
      c.s += `${name ?? 'unknown'} (0x${hex4(v.protocol)}), length ${wire}`;
      if (name === undefined) return;
      c.s += ': ';
    }
  }
  pppPayload(c, v.protocol, i, o + v.headerLen, wire - v.headerLen);
}

/** The address and control octets tcpdump's ppp_print skips: FF 03, and pppd's In (00 03) and Out (01 03). */
export const PPP_FRAME_HEADERS: readonly number[] = [0xff03, 0x0003, 0x0103];

/**
 * tcpdump's ppp_print: a PPP frame of `length` bytes at `off` inside another protocol (L2TP data),
 * optional address and control, a 1- or 2-byte protocol field, then what it carries (layer i + 1).
 */
export function printPppFrame(c: Printer, i: number, off: number, length: number): void {
  const b = c.parser.bytes;
  const cap = c.pkt.offset + c.pkt.capLen;
  const e = c.opts.linkHeader;
  const olen = length;
  if (length < 2 || off + 2 > cap) {
    c.s += ' [|ppp]';
    return;
  }
  const h = u16(b, off);
  if (PPP_FRAME_HEADERS.includes(h)) {
    if (e && h !== 0xff03) c.s += h === 0x0003 ? 'In  ' : 'Out ';
    off += 2;
    length -= 2;
  }
  if (length < 2 || off + 2 > cap) {
    c.s += ' [|ppp]';
    return;
  }
  const wide = ((b[off] ?? 0) & 1) === 0;
  const proto = wide ? u16(b, off) : (b[off] ?? 0);
  off += wide ? 2 : 1;
  length -= wide ? 2 : 1;
  if (e) {
    const name = PPP_PROTO_NAMES[proto];
    c.s += `${name ?? 'unknown'} (0x${hex4(proto)}), length ${olen}`;
    if (name === undefined) return;
    c.s += ': ';
  }
  pppPayload(c, proto, i, off, length);
}

/** tcpdump's handle_ppp: what follows a PPP protocol field at `off` (`len` wire bytes). */
export function pppPayload(c: Printer, proto: number, i: number, off: number, len: number): void {
  const p = c.parser;
  const capEnd = c.pkt.offset + c.pkt.capLen;
  // tcpdump hands PPP's OSI protocol to isoclns_print whatever its NLPID
  if (proto === PppProto.OSI) {
    if (osiPayload(c, i, off, len, capEnd) >= 0) c.network(i + 1, 0);
    return;
  }
  if (i + 1 < p.count) {
    c.network(i + 1, 0);
    return;
  }
  const b = p.bytes;
  switch (proto) {
    case PppProto.IP: case PppProto.VJNC: case 0x0800:
      c.s += len < 0 || off >= capEnd ? ' [|ip]' : 'IP [|ip]';
      return;
    case PppProto.IPV6: case 0x86dd:
      c.s += ' [|ip6]';
      return;
    case PppProto.MPLS_UCAST: case PppProto.MPLS_MCAST:
      c.s += ' [|mpls]';
      return;
    case PppProto.COMP:
      c.s += 'compressed PPP data';
      return;
    case PppProto.BAP:
      return;
    default:
      c.s += `${PPP_PROTO_NAMES[proto] ?? `unknown PPP protocol (0x${hex4(proto)})`} `;
      c.s += hexDump(b, off, Math.max(0, Math.min(len, capEnd - off)), '\n\t');
  }
}

// ------------------------------------------------------------------ control protocols

/** Control protocols the PppCtl layer covers (handle_ctrl_proto's list, PAP, CHAP, multilink). */
export const PPP_CONTROL_PROTOS: readonly number[] = [
  PppProto.LCP, PppProto.IPCP, PppProto.OSICP, PppProto.MPLSCP, PppProto.IPV6CP, PppProto.CCP, PppProto.BACP, PppProto.PAP, PppProto.CHAP, PppProto.ML,
];

/** Offsets of the RFC 1661 control packet header. */
export const PppCtlOffsets = { code: 0, id: 1, length: 2, headerLen: 4 } as const;

/** Zero-copy view of a PPP control packet (LCP/IPCP/.../PAP/CHAP) or a multilink header. */
export class PppCtlView extends ByteView {
  /** The PPP protocol that carried it. */
  protocol = 0;
  /**
   * Points at the packet after the PPP protocol field; Truncated when its 4-byte header is cut.
   * @example ctl.reset(bytes, 4, bytes.length - 4, 0xc021);
   */
  reset(bytes: Uint8Array, offset: number, length: number, protocol: number = PppProto.LCP): DecodeStatus {
    this.protocol = protocol;
    return this.pointAtLeast(bytes, offset, length, protocol === PppProto.ML ? 2 : PppCtlOffsets.headerLen);
  }
  /** Code (Configure-Request 1 ...). */
  get code(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Identifier. */
  get id(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** Length field (whole packet). */
  get declaredLength(): number {
    return u16(this.bytes, this.offset + 2);
  }
}

/** One configuration option's header. */
export interface PppOptionRepr {
  type: number;
  length: number;
}

/** Parsed PPP control packet. */
export interface PppCtlRepr {
  protocol: number;
  code?: number;
  id?: number;
  length?: number;
  /** Configure-* options in order (LCP, IPCP, IP6CP, CCP, BACP). */
  options?: PppOptionRepr[];
  /** Echo, Discard, Identification, Time-Remaining: the magic number. */
  magic?: number;
  /** PAP Authenticate-Request peer id and password; PAP/CHAP reply message. */
  peerId?: string;
  password?: string;
  message?: string;
  /** CHAP challenge or response: value (hex) and name. */
  value?: string;
  name?: string;
  /** Multilink: sequence number (12-bit) and begin/end flags. */
  sequence?: number;
  flags?: number;
  /** Multilink: the 24-bit sequence number of RFC 1990's long format (bytes 1 to 3), when 4 bytes were captured. */
  longSequence?: number;
}

const CONF_CODES = new Set([1, 2, 3, 4]);

function text(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += String.fromCharCode(b[o + k] ?? 0);
  return s;
}

/** Builds the sink representation (fields past the capture are left out). */
export function pppCtlRepr(v: PppCtlView): PppCtlRepr {
  const r: PppCtlRepr = { protocol: v.protocol };
  const b = v.bytes;
  const o = v.offset;
  if (v.protocol === PppProto.ML) {
    if (v.length >= 1) r.flags = (b[o] ?? 0) & 0xc0;
    if (v.length >= 2) r.sequence = u16(b, o) & 0x0fff;
    if (v.length >= 4) r.longSequence = ((b[o + 1] ?? 0) << 16) | u16(b, o + 2);
    return r;
  }
  if (v.status !== DecodeStatus.Ok) return r;
  r.code = v.code;
  r.id = v.id;
  r.length = v.declaredLength;
  const end = o + Math.min(v.length, Math.max(4, v.declaredLength));
  const code = v.code;
  if (v.protocol === PppProto.PAP) {
    let q = o + 4;
    if (code === 1 && q < end) {
      const n = b[q] ?? 0;
      if (q + 1 + n <= end) r.peerId = text(b, q + 1, n);
      q += 1 + n;
      const m = b[q] ?? 0;
      if (q < end && q + 1 + m <= end) r.password = text(b, q + 1, m);
    } else if ((code === 2 || code === 3) && q < end) {
      const n = b[q] ?? 0;
      if (q + 1 + n <= end) r.message = text(b, q + 1, n);
    }
    return r;
  }
  if (v.protocol === PppProto.CHAP) {
    const q = o + 4;
    if ((code === 1 || code === 2) && q < end) {
      const n = b[q] ?? 0;
      if (q + 1 + n <= end) {
        let h = '';
        for (let k = 0; k < n; k++) h += hex2(b[q + 1 + k] ?? 0);
        r.value = h;
        r.name = text(b, q + 1 + n, end - (q + 1 + n));
      }
    } else if (code === 3 || code === 4) r.message = text(b, q, end - q);
    return r;
  }
  if (CONF_CODES.has(code)) {
    const opts: PppOptionRepr[] = [];
    for (let q = o + 4; q + 2 <= end && opts.length < 64; ) {
      const len = b[q + 1] ?? 0;
      opts.push({ type: b[q] ?? 0, length: len });
      if (len < 2) break;
      q += len;
    }
    r.options = opts;
  } else if (v.protocol === PppProto.LCP && code >= 9 && code <= 13 && end - o >= 8) r.magic = u32(b, o + 4);
  return r;
}

const CP_CODES: Readonly<Record<number, string>> = {
  0: 'Vendor-Extension', 1: 'Conf-Request', 2: 'Conf-Ack', 3: 'Conf-Nack', 4: 'Conf-Reject', 5: 'Term-Request', 6: 'Term-Ack',
  7: 'Code-Reject', 8: 'Prot-Reject', 9: 'Echo-Request', 10: 'Echo-Reply', 11: 'Disc-Req', 12: 'Ident', 13: 'Time-Rem', 14: 'Reset-Req', 15: 'Reset-Ack',
};
const LCP_OPTS = [
  'Vend-Ext', 'MRU', 'ACCM', 'Auth-Prot', 'Qual-Prot', 'Magic-Num', 'deprecated(6)', 'PFC', 'ACFC', 'FCS-Alt', 'SDP', 'Num-Mode',
  'deprecated(12)', 'Call-Back', 'deprecated(14)', 'deprecated(15)', 'deprecated(16)', 'MRRU', '12-Bit seq #', 'End-Disc',
  'Proprietary', 'DCE-Id', 'MP+', 'Link-Disc', 'LCP-Auth-Opt', 'COBS', 'Prefix-elision', 'Multilink-header-Form', 'I18N',
  'SDL-over-SONET/SDH', 'PPP-Muxing',
];
const IPCP_OPTS: Readonly<Record<number, string>> = {
  1: 'IP-Addrs', 2: 'IP-Comp', 3: 'IP-Addr', 4: 'Home-Addr', 129: 'Pri-DNS', 130: 'Pri-NBNS', 131: 'Sec-DNS', 132: 'Sec-NBNS',
};
const CCP_OPTS: Readonly<Record<number, string>> = {
  0: 'OUI', 1: 'Pred-1', 2: 'Pred-2', 3: 'Puddle', 16: 'HP-PPC', 17: 'Stac-LZS', 18: 'MPPC', 19: 'Gand-FZA', 20: 'V.42bis',
  21: 'BSD-Comp', 23: 'LZS-DCP', 24: 'MVRCA', 25: 'DEC', 26: 'Deflate', 255: 'Reserved',
};
const AUTH_ALGS: Readonly<Record<number, string>> = { 5: 'MD5', 128: 'MS-CHAPv1', 129: 'MS-CHAPv2' };
const CALLBACK_OPS: Readonly<Record<number, string>> = { 0: 'UserAuth', 1: 'DialString', 2: 'LocalID', 3: 'E.164', 4: 'X.500', 6: 'CBCP' };
const OUI_NAMES: Readonly<Record<number, string>> = { 0x000000: 'Ethernet', 0x00000c: 'Cisco', 0x0000f8: 'Cisco', 0x00005e: 'ICANN', 0x0080c2: 'IEEE', 0x00e02b: 'Extreme', 0x001a3f: 'Juniper', 0x00904c: 'Broadcom', 0x0000e0: 'Juniper' };

/** Bytes captured from `o` up to `n`. */
function avail(c: Printer, o: number, n: number): number {
  return Math.max(0, Math.min(n, c.pkt.offset + c.pkt.capLen - o));
}

/** print_unknown_data: a hex dump of what was captured of `n` bytes at `o`. */
function unknownData(c: Printer, o: number, n: number, indent: string): void {
  c.s += hexDump(c.parser.bytes, o, avail(c, o, n), indent);
}

/** tcpdump's text of a PPP control packet, PAP, CHAP or multilink header (`n` unused: lengths come from the frame). */
export function printPppCtl(c: Printer, v: PppCtlView, i: number, n: number): void {
  // in a PPPoE session the session header's length counts, else the rest of the frame
  const len = i > 0 && c.parser.kinds[i - 1] === Layer.Pppoe ? Math.max(0, n) : Math.max(0, wireFrom(c, v.offset));
  if (v.protocol === PppProto.PAP) return printPap(c, v, len);
  if (v.protocol === PppProto.CHAP) return printChap(c, v, len);
  if (v.protocol === PppProto.ML) return printMlppp(c, v, len);
  printCtrlProto(c, v, len);
}

function printMlppp(c: Printer, v: PppCtlView, len: number): void {
  if (!c.opts.linkHeader) c.s += 'MLPPP, ';
  if (len < 2 || v.length < 2) {
    c.s += '[|mlppp]';
    return;
  }
  const f = (v.bytes[v.offset] ?? 0) & 0xc0;
  const flags = [f & 0x80 ? 'begin' : '', f & 0x40 ? 'end' : ''].filter((x) => x).join(', ');
  c.s += `seq 0x${(u16(v.bytes, v.offset) & 0x0fff).toString(16).padStart(3, '0')}, Flags [${flags || 'none'}], length ${len}`;
}

/** tcpdump's handle_ctrl_proto. */
function printCtrlProto(c: Printer, v: PppCtlView, length: number): void {
  const b = v.bytes;
  const o = v.offset;
  const typestr = PPP_PROTO_NAMES[v.protocol] ?? `unknown ctrl-proto (0x${hex4(v.protocol)})`;
  c.s += `${typestr}, `;
  if (length < 4 || v.length < 2) {
    c.s += `[|${typestr}]`;
    return;
  }
  const code = v.code;
  c.s += `${CP_CODES[code] ?? 'Unknown Opcode'} (0x${hex2(code)}), id ${v.id}, length ${length + 2}`;
  if (c.opts.verbose === 0) return;
  if (v.length < 4) {
    longjmpCut(c, 'ppp');
    return;
  }
  const len = v.declaredLength;
  if (len < 4) {
    c.s += `\n\tencoded length ${len} (< 4))`;
    return;
  }
  if (len > length) {
    c.s += `\n\tencoded length ${len} (> packet length ${length}))`;
    return;
  }
  c.s += `\n\tencoded length ${len} (=Option(s) length ${len - 4})`;
  if (len === 4) return;
  if (c.opts.verbose > 1) unknownData(c, o - 2, 6, '\n\t');
  const t = o + 4;
  const capEnd = c.pkt.offset + c.pkt.capLen;
  const need = (n: number): boolean => {
    if (t + n <= capEnd) return true;
    longjmpCut(c, 'ppp');
    return false;
  };
  switch (code) {
    case 0:
      if (len < 11 || !need(7)) break;
      c.s += `\n\t  Magic-Num 0x${hex8(u32(b, t))} Vendor: ${OUI_NAMES[u24(b, t + 4)] ?? 'Unknown'} (${u24(b, t + 4)})`;
      break;
    case 1: case 2: case 3: case 4: {
      const opt = OPTION_PRINTERS[v.protocol];
      if (opt === undefined) break;
      let tlen = len - 4;
      let q = t;
      do {
        const adv = opt(c, q, len);
        if (adv === 0) break;
        if (tlen < adv) {
          c.s += ` [remaining options length ${tlen} < ${adv}] (invalid)`;
          break;
        }
        tlen -= adv;
        q += adv;
      } while (tlen !== 0);
      break;
    }
    case 8:
      if (len < 6 || !need(2)) break;
      c.s += `\n\t  Rejected ${PPP_PROTO_NAMES[u16(b, t)] ?? 'unknown'} Protocol (0x${hex4(u16(b, t))})`;
      if (len > 6) {
        c.s += '\n\t  Rejected Packet';
        unknownData(c, t + 2, len - 2, '\n\t    ');
      }
      break;
    case 9: case 10: case 11:
      if (len < 8 || !need(4)) break;
      c.s += `\n\t  Magic-Num 0x${hex8(u32(b, t))}`;
      if (len > 8) {
        c.s += '\n\t  -----trailing data-----';
        if (t + 4 + len - 8 > capEnd) {
          longjmpCut(c, 'ppp');
          break;
        }
        unknownData(c, t + 4, len - 8, '\n\t  ');
      }
      break;
    case 12:
      if (len < 8 || !need(4)) break;
      c.s += `\n\t  Magic-Num 0x${hex8(u32(b, t))}`;
      if (len > 8) {
        c.s += '\n\t  Message\n\t    ';
        // nd_printn over len - 4 bytes (tcpdump reads 4 past the message)
        const n = len - 4;
        const have = Math.min(n, capEnd - (t + 4));
        c.s += safeText(b, t + 4, t + 4 + have);
        if (have < n) c.s += `[|${typestr}]`;
      }
      break;
    case 13:
      if (len < 12 || !need(8)) break;
      c.s += `\n\t  Magic-Num 0x${hex8(u32(b, t))}, Seconds-Remaining ${u32(b, t + 4)}s`;
      break;
    case 5: case 6: case 7:
      break;
    default:
      if (c.opts.verbose <= 1) unknownData(c, o - 2, length + 2, '\n\t  ');
  }
}

function u24(b: Uint8Array, o: number): number {
  return ((b[o] ?? 0) << 16) | ((b[o + 1] ?? 0) << 8) | (b[o + 2] ?? 0);
}

/** An option printer: prints the option at `q` (the packet's options span `total` bytes); returns its length, 0 to stop. */
type OptionPrinter = (c: Printer, q: number, total: number) => number;

/** The option's type and length when both were captured and fit; undefined (and ` [|proto]`) otherwise. */
function optionHead(c: Printer, q: number, total: number, trunc: string): [number, number] | undefined {
  if (total < 2) return undefined;
  if (q + 2 > c.pkt.offset + c.pkt.capLen) {
    c.s += `[|${trunc}]`;
    return undefined;
  }
  const b = c.parser.bytes;
  const opt = b[q] ?? 0;
  const len = b[q + 1] ?? 0;
  if (total < len) return undefined;
  return [opt, len];
}

/**
 * tcpdump's option line `NAME Option (0xNN), length N`; with a length that cannot hold the option's
 * own two bytes it adds `(length bogus, should be >= 2)` and returns false (the option list ends).
 */
function optionLine(c: Printer, name: string, opt: number, len: number): boolean {
  c.s += `\n\t  ${name} Option (0x${hex2(opt)}), length ${len}`;
  if (len >= 2) return true;
  c.s += ' (length bogus, should be >= 2)';
  return false;
}

/** Reads `n` bytes at `q` when captured; else ends the packet the way tcpdump's GET macros do. */
function captured(c: Printer, q: number, n: number): boolean {
  if (q + n <= c.pkt.offset + c.pkt.capLen) return true;
  longjmpCut(c, 'ppp');
  return false;
}

function lcpOption(c: Printer, q: number, total: number): number {
  const h = optionHead(c, q, total, 'lcp');
  if (!h) return 0;
  const [opt, len] = h;
  const b = c.parser.bytes;
  const name = LCP_OPTS[opt];
  if (name === undefined) {
    c.s += `\n\tunknown LCP option 0x${hex2(opt)}`;
    return len < 2 ? 0 : len;
  }
  if (!optionLine(c, name, opt, len)) return 0;
  const bogus = (what: string, ret: number): number => {
    c.s += ` (length bogus, should be ${what})`;
    return ret;
  };
  switch (opt) {
    case 0:
      if (len < 6) return bogus('>= 6', len);
      if (!captured(c, q + 2, 3)) return 0;
      c.s += `: Vendor: ${OUI_NAMES[u24(b, q + 2)] ?? 'Unknown'} (${u24(b, q + 2)})`;
      break;
    case 1: case 17:
      if (len !== 4) return bogus('= 4', opt === 1 ? len : 0);
      if (!captured(c, q + 2, 2)) return 0;
      c.s += `: ${u16(b, q + 2)}`;
      break;
    case 2:
      if (len !== 6) return bogus('= 6', len);
      if (!captured(c, q + 2, 4)) return 0;
      c.s += `: 0x${hex8(u32(b, q + 2))}`;
      break;
    case 3: {
      if (len < 4) return bogus('>= 4', len);
      if (!captured(c, q + 2, 2)) return 0;
      const ap = u16(b, q + 2);
      // tcpdump's fallback format lacks its %: the text is literal
      c.s += `: ${PPP_PROTO_NAMES[ap] ?? 'Unknown Auth Proto (0x04x)'}`;
      if (ap === PppProto.CHAP) {
        if (!captured(c, q + 4, 1)) return 0;
        c.s += `, ${AUTH_ALGS[b[q + 4] ?? 0] ?? `Unknown Auth Alg ${b[q + 4] ?? 0}`}`;
      } else if (ap !== PppProto.PAP && ap !== PppProto.EAP && ap !== PppProto.SPAP && ap !== PppProto.SPAP_OLD) unknownData(c, q, len, '\n\t');
      break;
    }
    case 4:
      if (len < 4) return bogus('>= 4', 0);
      if (!captured(c, q + 2, 2)) return 0;
      c.s += u16(b, q + 2) === PppProto.LQM ? ': LQR' : ': unknown';
      break;
    case 5:
      if (len !== 6) return bogus('= 6', 0);
      if (!captured(c, q + 2, 4)) return 0;
      c.s += `: 0x${hex8(u32(b, q + 2))}`;
      break;
    case 7: case 8:
      break;
    case 23:
      if (len !== 4) return bogus('= 4', 0);
      if (!captured(c, q + 2, 2)) return 0;
      c.s += `: 0x${hex4(u16(b, q + 2))}`;
      break;
    case 13:
      if (len < 3) return bogus('>= 3', 0);
      if (!captured(c, q + 2, 1)) return 0;
      c.s += `: : Callback Operation ${CALLBACK_OPS[b[q + 2] ?? 0] ?? 'Unknown'} (${b[q + 2] ?? 0})`;
      break;
    case 19: {
      if (len < 3) return bogus('>= 3', 0);
      if (!captured(c, q + 2, 1)) return 0;
      const cls = b[q + 2] ?? 0;
      if (cls === 0) c.s += ': Null';
      else if (cls === 1) c.s += ': Local';
      else if (cls === 2) {
        if (len !== 7) return bogus('= 7', 0);
        if (!captured(c, q + 3, 4)) return 0;
        c.s += `: IPv4 ${hostName(c.opts, ipv4Text(b, q + 3))}`;
      } else if (cls === 3) {
        if (len !== 9) return bogus('= 9', 0);
        if (!captured(c, q + 3, 6)) return 0;
        c.s += `: MAC ${macText(b, q + 3)}`;
      } else if (cls === 4) c.s += ': Magic-Num-Block';
      else if (cls === 5) c.s += ': PSNDN';
      else c.s += `: Unknown class ${cls}`;
      break;
    }
    default:
      if (c.opts.verbose < 2) unknownData(c, q + 2, len - 2, '\n\t    ');
  }
  if (c.opts.verbose > 1) unknownData(c, q + 2, len - 2, '\n\t    ');
  return len;
}

function ipcpOption(c: Printer, q: number, total: number): number {
  const h = optionHead(c, q, total, 'ipcp');
  if (!h) return 0;
  const [opt, len] = h;
  const b = c.parser.bytes;
  const name = IPCP_OPTS[opt] ?? 'unknown';
  if (!optionLine(c, name, opt, len)) return 0;
  // tcpdump's -vv dump starts past the compression parameters when suboptions follow them
  let dumpAt = q + 2;
  switch (opt) {
    case 1:
      if (len !== 10) {
        c.s += ' (length bogus, should be = 10)';
        return len;
      }
      if (!captured(c, q + 2, 8)) return 0;
      c.s += `: src ${hostName(c.opts, ipv4Text(b, q + 2))}, dst ${hostName(c.opts, ipv4Text(b, q + 6))}`;
      break;
    case 2: {
      if (len < 4) {
        c.s += ' (length bogus, should be >= 4)';
        return 0;
      }
      if (!captured(c, q + 2, 2)) return 0;
      const cp = u16(b, q + 2);
      c.s += `: ${cp === PppProto.VJC ? 'VJ-Comp' : cp === 0x61 ? 'IP Header Compression' : 'Unknown'} (0x${hex2(cp)}):`;
      if (cp === 0x61) {
        if (len < 14) {
          c.s += ' (length bogus, should be >= 14)';
          return 0;
        }
        if (!captured(c, q + 2, 14)) return 0;
        c.s += `\n\t    TCP Space ${u16(b, q + 4)}, non-TCP Space ${u16(b, q + 6)}, maxPeriod ${u16(b, q + 8)}, maxTime ${u16(b, q + 10)}, maxHdr ${u16(b, q + 12)}`;
        if (len > 14) {
          let rest = len - 14;
          let s = q + 14;
          c.s += `\n\t      Suboptions, length ${rest}`;
          while (rest >= 2) {
            if (!captured(c, s, 2)) return 0;
            const so = b[s] ?? 0;
            const sl = b[s + 1] ?? 0;
            if (so === 0 || sl === 0) break;
            c.s += `\n\t\t${so === 1 ? 'RTP-Compression' : so === 2 ? 'Enhanced RTP-Compression' : 'Unknown'} Suboption #${so}, length ${sl}`;
            if (rest < sl) {
              c.s += ` [remaining suboptions length ${rest} < ${sl}] (invalid)`;
              break;
            }
            rest -= sl;
            s += sl;
          }
          dumpAt = s + 2;
        }
      }
      break;
    }
    case 3: case 4: case 129: case 130: case 131: case 132:
      if (len !== 6) {
        c.s += ' (length bogus, should be = 6)';
        return 0;
      }
      if (!captured(c, q + 2, 4)) return 0;
      c.s += `: ${hostName(c.opts, ipv4Text(b, q + 2))}`;
      break;
    default:
      if (c.opts.verbose < 2) unknownData(c, q + 2, len - 2, '\n\t    ');
  }
  if (c.opts.verbose > 1) unknownData(c, dumpAt, len - 2, '\n\t    ');
  return len;
}

function ip6cpOption(c: Printer, q: number, total: number): number {
  const h = optionHead(c, q, total, 'ip6cp');
  if (!h) return 0;
  const [opt, len] = h;
  const b = c.parser.bytes;
  const name = opt === 1 ? 'Interface-ID' : 'unknown';
  if (!optionLine(c, name, opt, len)) return 0;
  if (opt === 1) {
    if (len !== 10) {
      c.s += ' (length bogus, should be = 10)';
      return len;
    }
    if (q + 10 > c.pkt.offset + c.pkt.capLen) {
      c.s += '[|ip6cp]';
      return 0;
    }
    c.s += `: ${hex4(u16(b, q + 2))}:${hex4(u16(b, q + 4))}:${hex4(u16(b, q + 6))}:${hex4(u16(b, q + 8))}`;
  } else if (c.opts.verbose < 2) unknownData(c, q + 2, len - 2, '\n\t    ');
  if (c.opts.verbose > 1) unknownData(c, q + 2, len - 2, '\n\t    ');
  return len;
}

function ccpOption(c: Printer, q: number, total: number): number {
  const h = optionHead(c, q, total, 'ccp');
  if (!h) return 0;
  const [opt, len] = h;
  const b = c.parser.bytes;
  const name = CCP_OPTS[opt] ?? 'Unknown';
  if (!optionLine(c, name, opt, len)) return 0;
  switch (opt) {
    case 21:
      if (len < 3) {
        c.s += ' (length bogus, should be >= 3)';
        return len;
      }
      if (!captured(c, q + 2, 1)) return 0;
      c.s += `: Version: ${(b[q + 2] ?? 0) >> 5}, Dictionary Bits: ${(b[q + 2] ?? 0) & 0x1f}`;
      break;
    case 24:
      if (len < 4) {
        c.s += ' (length bogus, should be >= 4)';
        return len;
      }
      if (!captured(c, q + 2, 2)) return 0;
      c.s += `: Features: ${((b[q + 2] ?? 0) & 0xc0) >> 6}, PxP: ${(b[q + 2] ?? 0) & 0x20 ? 'Enabled' : 'Disabled'}, History: ${(b[q + 2] ?? 0) & 0x1f}, #CTX-ID: ${b[q + 3] ?? 0}`;
      break;
    case 26: {
      if (len < 4) {
        c.s += ' (length bogus, should be >= 4)';
        return len;
      }
      if (!captured(c, q + 2, 2)) return 0;
      const m = (b[q + 2] ?? 0) & 0x0f;
      c.s += `: Window: ${((b[q + 2] ?? 0) & 0xf0) >> 4}K, Method: ${m === 8 ? 'zlib' : 'unknown'} (0x${m.toString(16)}), MBZ: ${((b[q + 3] ?? 0) & 0xfc) >> 2}, CHK: ${(b[q + 3] ?? 0) & 3}`;
      break;
    }
    default:
      if (c.opts.verbose < 2) unknownData(c, q + 2, len - 2, '\n\t    ');
  }
  if (c.opts.verbose > 1) unknownData(c, q + 2, len - 2, '\n\t    ');
  return len;
}

function bacpOption(c: Printer, q: number, total: number): number {
  const h = optionHead(c, q, total, 'bacp');
  if (!h) return 0;
  const [opt, len] = h;
  const b = c.parser.bytes;
  const name = opt === 1 ? 'Favored-Peer' : 'Unknown';
  if (!optionLine(c, name, opt, len)) return 0;
  if (opt === 1) {
    if (len !== 6) {
      c.s += ' (length bogus, should be = 6)';
      return len;
    }
    if (!captured(c, q + 2, 4)) return 0;
    c.s += `: Magic-Num 0x${hex8(u32(b, q + 2))}`;
  } else if (c.opts.verbose < 2) unknownData(c, q + 2, len - 2, '\n\t    ');
  if (c.opts.verbose > 1) unknownData(c, q + 2, len - 2, '\n\t    ');
  return len;
}

const OPTION_PRINTERS: Readonly<Record<number, OptionPrinter>> = {
  [PppProto.LCP]: lcpOption, [PppProto.IPCP]: ipcpOption, [PppProto.IPV6CP]: ip6cpOption, [PppProto.CCP]: ccpOption, [PppProto.BACP]: bacpOption,
};

/** fn_print_char over `n` bytes, or false (and ` [|ppp]`) when they were not all captured. */
function chars(c: Printer, o: number, n: number): boolean {
  const have = avail(c, o, n);
  c.s += safeText(c.parser.bytes, o, o + have);
  if (have < n) {
    longjmpCut(c, 'ppp');
    return false;
  }
  return true;
}

function printChap(c: Printer, v: PppCtlView, length: number): void {
  const b = v.bytes;
  const o = v.offset;
  if (length < 1) {
    c.s += '[|chap]';
    return;
  }
  if (v.length < 1) {
    longjmpCut(c, 'ppp');
    return;
  }
  if (length < 4) {
    c.s += `[|chap 0x${hex2(b[o] ?? 0)}]`;
    return;
  }
  const code = v.code;
  c.s += `CHAP, ${['', 'Challenge', 'Response', 'Success', 'Fail'][code] || 'unknown'} (0x${hex2(code)})`;
  if (v.length < 2) {
    longjmpCut(c, 'ppp');
    return;
  }
  c.s += `, id ${v.id}`;
  if (v.length < 4) {
    longjmpCut(c, 'ppp');
    return;
  }
  const len = v.declaredLength;
  let q = o + 4;
  if (code === 1 || code === 2) {
    if (length - 4 < 1) return;
    if (!captured(c, q, 1)) return;
    const vs = b[q] ?? 0;
    q++;
    if (length - 5 < vs) return;
    c.s += ', Value ';
    const have = avail(c, q, vs);
    for (let k = 0; k < have; k++) c.s += hex2(b[q + k] ?? 0);
    if (have < vs) {
      longjmpCut(c, 'ppp');
      return;
    }
    q += vs;
    c.s += ', Name ';
    chars(c, q, Math.max(0, len - (q - o)));
  } else if (code === 3 || code === 4) {
    c.s += ', Msg ';
    chars(c, q, Math.max(0, len - 4));
  }
}

function printPap(c: Printer, v: PppCtlView, length: number): void {
  const b = v.bytes;
  const o = v.offset;
  if (length < 1) {
    c.s += '[|pap]';
    return;
  }
  if (v.length < 1) {
    longjmpCut(c, 'ppp');
    return;
  }
  if (length < 4) {
    c.s += `[|pap 0x${hex2(b[o] ?? 0)}]`;
    return;
  }
  const code = v.code;
  c.s += `PAP, ${['', 'Auth-Req', 'Auth-ACK', 'Auth-NACK'][code] || 'unknown'} (0x${hex2(code)})`;
  if (v.length < 2) {
    longjmpCut(c, 'ppp');
    return;
  }
  c.s += `, id ${v.id}`;
  if (v.length < 4) {
    longjmpCut(c, 'ppp');
    return;
  }
  const len = v.declaredLength;
  if (len > length) {
    c.s += `, length ${len} > packet size`;
    return;
  }
  if (len < 4) {
    c.s += `, length ${len} < PAP header length`;
    return;
  }
  let q = o + 4;
  const left = (): number => len - (q - o);
  if (code === 1) {
    if (len < 6) {
      c.s += '[|pap]';
      return;
    }
    if (left() < 1 || !captured(c, q, 1)) return;
    const n = b[q] ?? 0;
    q++;
    if (left() < n) return;
    c.s += ', Peer ';
    if (!chars(c, q, n)) return;
    q += n;
    if (left() < 1 || !captured(c, q, 1)) return;
    const m = b[q] ?? 0;
    q++;
    if (left() < m) return;
    c.s += ', Name ';
    chars(c, q, m);
  } else if (code === 2 || code === 3) {
    if (len < 5) {
      c.s += '[|pap]';
      return;
    }
    if (left() < 1 || !captured(c, q, 1)) return;
    const n = b[q] ?? 0;
    q++;
    if (left() < n) return;
    c.s += ', Msg ';
    chars(c, q, n);
  }
}

/** Where a PPP protocol number leads: a layer kind, an EtherType, or nothing. */
export function pppNextEtherType(proto: number): number {
  switch (proto) {
    case PppProto.IP: case PppProto.VJNC: case 0x0800: return 0x0800;
    case PppProto.IPV6: case 0x86dd: return 0x86dd;
    case PppProto.MPLS_UCAST: return 0x8847;
    case PppProto.MPLS_MCAST: return 0x8848;
    default: return 0;
  }
}
