/**
 * Cisco HDLC (LINKTYPE_C_HDLC 104; also what a PPP_HDLC capture holds when its address is 0x0f or
 * 0x8f, RFC 1547 4.3.1): address, control, an EtherType-valued protocol field; and SLARP, Cisco's
 * serial-line address resolution and keepalive (protocol 0x8035, which is RARP's EtherType
 * elsewhere).
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { type Printer, hex4, hex8, hexDump, wireFrom } from './print.js';
import { hex2, ipv4Text } from './addr.js';
import { etherTypeText } from './ethertype.js';
import { OSI_PDU_NLPIDS, osiPayload } from './nlpid.js';

/** Field offsets of the 4-byte Cisco HDLC header. */
export const ChdlcOffsets = { address: 0, control: 1, protocol: 2, headerLen: 4 } as const;

/** Address values: unicast and broadcast. */
export const ChdlcAddress = { UNICAST: 0x0f, BCAST: 0x8f } as const;

/** The protocol value of SLARP frames. */
export const CHDLC_SLARP = 0x8035;

/** The protocol value of OSI frames (a pad byte, then the NLPID). */
export const CHDLC_OSI = 0xfefe;

/**
 * EtherTypes decoded after a Cisco HDLC header for the Repr (IPX, DECnet, AppleTalk, AARP) that tcpdump
 * 4.99's chdlc_print does not decode: the text stays `unknown CHDLC protocol (0x....)`, as there.
 */
export const CHDLC_UNPRINTED: readonly number[] = [0x8137, 0x6003, 0x809b, 0x80f3];

/** Zero-copy view of a Cisco HDLC header. */
export class ChdlcView extends ByteView {
  /**
   * Points at the header; Truncated below its 4 bytes.
   * @example chdlc.reset(bytes, 0, bytes.length);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, ChdlcOffsets.headerLen);
  }
  /** Header bytes before the payload. */
  get headerLen(): number {
    return ChdlcOffsets.headerLen;
  }
  /** Address byte (0x0f unicast, 0x8f broadcast). */
  get address(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Control byte. */
  get control(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** Protocol (an EtherType). */
  get protocol(): number {
    return u16(this.bytes, this.offset + ChdlcOffsets.protocol);
  }
}

/** Parsed Cisco HDLC header. */
export interface ChdlcRepr {
  address: number;
  control: number;
  protocol: number;
}

/** Builds the sink representation. */
export function chdlcRepr(v: ChdlcView): ChdlcRepr {
  return { address: v.address, control: v.control, protocol: v.protocol };
}

/** True when an OSI payload (after its pad byte) is too short for tcpdump's chdlc_print: ` [|chdlc]`. */
function osiCut(v: ChdlcView, wire: number, capEnd: number): boolean {
  return v.protocol === CHDLC_OSI && (wire - ChdlcOffsets.headerLen < 2 || v.offset + ChdlcOffsets.headerLen + 2 > capEnd);
}

/**
 * The bytes tcpdump's -x dump skips as the Cisco HDLC link header of a record that starts with it: its
 * 4 bytes (an OSI pad byte is dumped); for an OSI payload too short for chdlc_print, the whole record
 * when its length says so (nothing is dumped), none when the capture does (a read past it dumps all).
 */
export function chdlcHeaderBytes(v: ChdlcView, wireLen: number, capLen: number): number {
  if (osiCut(v, wireLen, v.offset + capLen)) return wireLen - ChdlcOffsets.headerLen < 2 ? capLen : 0;
  return Math.min(ChdlcOffsets.headerLen, capLen);
}

/** tcpdump's chdlc_print: -e the cast and EtherType, then the payload or `unknown CHDLC protocol`. */
export function printChdlc(c: Printer, v: ChdlcView, i: number): void {
  const wire = wireFrom(c, v.offset);
  if (wire < ChdlcOffsets.headerLen || v.length < 4) {
    c.s += ' [|chdlc]';
    return;
  }
  const proto = v.protocol;
  const a = v.address;
  if (c.opts.linkHeader) {
    const cast = a === ChdlcAddress.UNICAST ? 'unicast' : a === ChdlcAddress.BCAST ? 'bcast' : `0x${hex2(a)}`;
    c.s += `${cast}, ethertype ${etherTypeText(proto)}, length ${wire}: `;
  }
  const p = c.parser;
  if (proto === CHDLC_OSI) {
    // a pad byte usually precedes the NLPID: taken as one when an OSI PDU's NLPID follows it, as tcpdump does
    const q = v.offset + ChdlcOffsets.headerLen;
    const capEnd = c.pkt.offset + c.pkt.capLen;
    if (osiCut(v, wire, capEnd)) {
      c.s += ' [|chdlc]';
      return;
    }
    const pad = OSI_PDU_NLPIDS.includes(v.bytes[q + 1] ?? -1) ? 1 : 0;
    if (osiPayload(c, i, q + pad, wire - ChdlcOffsets.headerLen - pad, capEnd) >= 0) c.network(i + 1, proto);
    return;
  }
  if (i + 1 < p.count && !CHDLC_UNPRINTED.includes(proto)) {
    c.network(i + 1, proto);
    return;
  }
  switch (proto) {
    case 0x0800:
      c.s += ' [|ip]';
      return;
    case 0x86dd:
      c.s += ' [|ip6]';
      return;
    case 0x8847: case 0x8848:
      c.s += ' [|mpls]';
      return;
    case CHDLC_SLARP:
      c.s += `SLARP (length: ${wire - 4}),  [|chdlc_slarp]`;
      return;
    default:
      if (!c.opts.linkHeader) c.s += `unknown CHDLC protocol (0x${hex4(proto)})`;
  }
}

/** SLARP message codes. */
export const SlarpCode = { REQUEST: 0, REPLY: 1, KEEPALIVE: 2 } as const;

/** Field offsets of a SLARP message (address/mask for request and reply, sequence numbers for keepalives). */
export const SlarpOffsets = { code: 0, addr: 4, mask: 8, mySeq: 4, yourSeq: 8, reliability: 12, uptime: 14, minLen: 14, maxLen: 18 } as const;

/** Zero-copy view of a SLARP message. */
export class SlarpView extends ByteView {
  /**
   * Points at a SLARP message; Truncated below its 14 bytes.
   * @example slarp.reset(bytes, 4, bytes.length - 4);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, SlarpOffsets.minLen);
  }
  /** Message code (0 request, 1 reply, 2 keepalive). */
  get code(): number {
    return u32(this.bytes, this.offset);
  }
  /** 32-bit word at `off`. */
  word(off: number): number {
    return u32(this.bytes, this.offset + off);
  }
}

/** Parsed SLARP message. */
export interface SlarpRepr {
  code: number;
  address?: string;
  mask?: string;
  mySeq?: number;
  yourSeq?: number;
  reliability?: number;
}

/** Builds the sink representation. */
export function slarpRepr(v: SlarpView): SlarpRepr {
  const r: SlarpRepr = { code: v.code };
  if (v.status !== DecodeStatus.Ok) return r;
  const O = SlarpOffsets;
  if (r.code === SlarpCode.KEEPALIVE) {
    r.mySeq = v.word(O.mySeq);
    r.yourSeq = v.word(O.yourSeq);
    r.reliability = u16(v.bytes, v.offset + O.reliability);
  } else {
    r.address = ipv4Text(v.bytes, v.offset + O.addr);
    r.mask = ipv4Text(v.bytes, v.offset + O.mask);
  }
  return r;
}

/** tcpdump's SLARP text: request, reply address/mask, or keepalive sequence numbers and uptime. */
export function printSlarp(c: Printer, v: SlarpView): void {
  const O = SlarpOffsets;
  const length = wireFrom(c, v.offset);
  const b = v.bytes;
  const o = v.offset;
  c.s += `SLARP (length: ${length}), `;
  if (length < O.minLen || v.status !== DecodeStatus.Ok) {
    c.s += ' [|chdlc_slarp]';
    return;
  }
  const code = v.code;
  const capEnd = c.pkt.offset + c.pkt.capLen;
  // tcpdump's dump starts 4 bytes past its cursor, which a keepalive's uptime stamp has moved on by 14
  let from = o + 4;
  const dump = (): void => {
    c.s += hexDump(b, from, Math.max(0, Math.min(length - 4, capEnd - from)), '\n\t');
  };
  if (code === SlarpCode.REQUEST) c.s += 'request';
  else if (code === SlarpCode.REPLY) c.s += `reply ${ipv4Text(b, o + O.addr)}/${ipv4Text(b, o + O.mask)}`;
  else if (code === SlarpCode.KEEPALIVE) {
    c.s += `keepalive: mineseen=0x${hex8(v.word(O.mySeq))}, yourseen=0x${hex8(v.word(O.yourSeq))}, reliability=0x${hex4(u16(b, o + O.reliability))}`;
    if (length >= O.maxLen) {
      if (o + O.maxLen > capEnd) {
        c.s += ' [|chdlc_slarp]';
        return;
      }
      from = o + O.minLen + 4;
      let sec = Math.floor(v.word(O.uptime) / 1000);
      let min = Math.floor(sec / 60);
      sec -= min * 60;
      let hrs = Math.floor(min / 60);
      min -= hrs * 60;
      const days = Math.floor(hrs / 24);
      hrs -= days * 24;
      c.s += `, link uptime=${days}d${hrs}h${min}m${sec}s`;
    }
  } else {
    c.s += `0x${hex2(code)} unknown`;
    if (c.opts.verbose <= 1) dump();
  }
  if (O.maxLen < length && c.opts.verbose > 0) c.s += `, (trailing junk: ${length - O.maxLen} bytes)`;
  if (c.opts.verbose > 1) dump();
}
