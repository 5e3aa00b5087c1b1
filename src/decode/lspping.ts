/**
 * Detecting MPLS data-plane failures: LSP ping (RFC 8029, formerly RFC 4379), UDP port 3503: a 32-byte
 * header (version, flags, message type, reply mode, return code and subcode, sender handle, sequence
 * number, two NTP timestamps) and TLVs: target FEC stack with its sub-TLVs, downstream mapping, pad,
 * vendor enterprise code, interface label stack, error code, reply TOS, BFD discriminator (RFC 5884).
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import type { Printer } from './print.js';
import { CheckedText } from './checked.js';
import { rdText } from './bgp.js';
import { PW_TYPES } from './ldp.js';

/** Field offsets of the common header. */
export const LspPingOffsets = {
  version: 0, flags: 2, msgType: 4, replyMode: 5, returnCode: 6, returnSubcode: 7, senderHandle: 8, sequence: 12, sentSec: 16, sentFrac: 20,
  rcvdSec: 24, rcvdFrac: 28, headerLen: 32,
} as const;

/** Zero-copy view of an LSP ping message. */
export class LspPingView extends ByteView {
  /**
   * Points at an LSP ping message; Truncated below its 32-byte header.
   * @example lsp.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, LspPingOffsets.headerLen);
  }
  /** 16-bit header field at field offset `f` (one of LspPingOffsets). */
  u16(f: number): number {
    return u16(this.bytes, this.offset + f);
  }
  /** 8-bit header field at field offset `f`. */
  u8(f: number): number {
    return this.bytes[this.offset + f] ?? 0;
  }
  /** 32-bit header field at field offset `f`. */
  u32(f: number): number {
    return u32(this.bytes, this.offset + f);
  }
}

/** Parsed LSP ping header. */
export interface LspPingRepr {
  version: number;
  flags: number;
  msgType: number;
  replyMode: number;
  returnCode: number;
  returnSubcode: number;
  senderHandle: number;
  sequence: number;
}

/** Builds the sink representation. */
export function lspPingRepr(v: LspPingView): LspPingRepr {
  const O = LspPingOffsets;
  return {
    version: v.u16(O.version), flags: v.u16(O.flags), msgType: v.u8(O.msgType), replyMode: v.u8(O.replyMode), returnCode: v.u8(O.returnCode),
    returnSubcode: v.u8(O.returnSubcode), senderHandle: v.u32(O.senderHandle), sequence: v.u32(O.sequence),
  };
}

type Tok = Readonly<Record<number, string>>;
const MSG: Tok = { 1: 'MPLS Echo Request', 2: 'MPLS Echo Reply' };
const REPLY: Tok = { 1: 'Do not reply', 2: 'Reply via an IPv4/IPv6 UDP packet', 3: 'Reply via an IPv4/IPv6 UDP packet with Router Alert', 4: 'Reply via application level control channel' };
const RETURN: Tok = {
  0: 'No return code or return code contained in the Error Code TLV', 1: 'Malformed echo request received', 2: 'One or more of the TLVs was not understood',
  3: 'Replying router is an egress for the FEC at stack depth', 4: 'Replying router has no mapping for the FEC at stack depth', 5: 'Reserved', 6: 'Reserved',
  7: 'Reserved', 8: 'Label switched at stack-depth', 9: 'Label switched but no MPLS forwarding at stack-depth',
  10: 'Mapping for this FEC is not the given label at stack depth', 11: 'No label entry at stack-depth', 12: 'Protocol not associated with interface at FEC stack depth',
  13: 'Premature termination of ping due to label stack shrinking to a single label',
};
const TLVS: Tok = {
  1: 'Target FEC Stack', 2: 'Downstream Mapping', 3: 'Pad', 9: 'Error Code', 5: 'Vendor Enterprise Code', 7: 'Interface Label Stack', 10: 'Reply TOS Byte',
  15: 'BFD Discriminator', 0xfc00: 'Vendor Private Code',
};
const SUBTLVS: Tok = {
  1: 'LDP IPv4 prefix', 2: 'LDP IPv6 prefix', 3: 'RSVP IPv4 Session Query', 4: 'RSVP IPv6 Session Query', 5: 'Reserved', 6: 'VPN IPv4 prefix',
  7: 'VPN IPv6 prefix', 8: 'L2 VPN endpoint', 9: 'FEC 128 pseudowire (old)', 10: 'FEC 128 pseudowire', 12: 'BGP labeled IPv4 prefix', 13: 'BGP labeled IPv6 prefix',
};
const DS_ADDR: Tok = { 1: 'IPv4', 2: 'Unnumbered IPv4', 3: 'IPv6', 4: 'IPv6' };
/** SMI network management private enterprise codes, as tcpdump names them. */
export const SMI_NAMES: Readonly<Record<number, string>> = {
  0: 'IETF (reserved)', 5: 'ACC', 9: 'Cisco', 11: 'Hewlett Packard', 42: 'Sun Microsystems', 61: 'Merit', 74: 'AT&T',
  161: 'Motorola', 166: 'Shiva', 193: 'Ericsson AB', 255: 'Cisco VPN 5000', 307: 'Livingston', 311: 'Microsoft', 429: '3Com',
  529: 'Ascend', 1584: 'Bay Networks', 1991: 'Foundry', 2180: 'Versanet', 2352: 'Redback', 2636: 'Juniper Networks', 2637: 'Aptis',
  2937: 'Deutsche Telekom AG', 3054: 'Ixia Communications', 3076: 'Cisco VPN 3000', 3085: 'CoSine Communications',
  3224: 'Netscreen', 3199: 'Shasta', 3309: 'Nomadix', 3414: 'T-Mobile', 3561: 'The Broadband Forum', 3902: 'ZTE', 4329: 'Siemens',
  4491: 'CableLabs', 4874: 'Unisphere Networks', 5263: 'Cisco BBSM', 5535: '3rd Generation Partnership Project 2 (3GPP2)',
  5806: 'SK Telecom', 5925: 'ipUnplugged', 5948: 'Issanni Communications', 5951: 'Netscaler', 6490: 'T-Mobile', 6618: 'Quintum',
  6728: 'Interlink', 7951: 'CNCTC', 8164: 'Starent Networks', 8744: 'Colubris', 10415: '3GPP', 10529: 'Gemtek-Systems',
  10704: 'Barracuda Networks', 10923: 'Ericsson AB - Packet Core Networks', 11665: 'dacom', 11862: 'Columbia University',
  12356: 'Fortinet', 12951: 'Verizon Wireless', 13745: 'Plixer', 14122: 'Wi-Fi Alliance', 16787: 'T-Systems Nova',
  20942: 'China Telecom - Guangzhou Research Institute', 26866: 'Gigamon Systems', 32622: 'CACE Technologies', 35632: 'ntop',
  46098: 'Ericsson Canada',
};

/** An NTP timestamp as tcpdump's p_ntp_time prints it: seconds.nanoseconds and the UTC time. */
export function ntpTimeText(sec: number, frac: number): string {
  let s = `${sec}.${String(Math.floor((frac / 4294967296) * 1e9)).padStart(9, '0')}`;
  if (sec) s += ` (${new Date((sec - 2208988800) * 1000).toISOString().slice(0, 19)}Z)`;
  return s;
}

const T = new CheckedText();

/** tcpdump's LSP ping text (`len`: the UDP payload length); the TLVs at -v. */
export function printLspPing(c: Printer, v: LspPingView, _i: number, len: number): void {
  T.begin(v.bytes, v.offset + v.length, c.opts.verbose);
  body(v.offset, len);
  c.s += T.out + (T.aborted ? ' [|lspping]' : '');
}

const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');
const TOO_SHORT = '\n\t\t packet is too short';

function body(p: number, len: number): void {
  const O = LspPingOffsets;
  if (len < O.headerLen) return T.emit(TOO_SHORT);
  if (!T.has(p, O.headerLen)) return;
  const ver = T.g2(p);
  if (ver !== 1) return T.emit(`LSP-PING version ${ver} packet not supported`);
  const mt = T.g1(p + O.msgType);
  if (T.verbose < 1) return T.emit(`LSP-PINGv${ver}, ${MSG[mt] ?? `unknown (${mt})`}, seq ${T.g4(p + O.sequence)}, length: ${len}`);
  const rm = T.g1(p + O.replyMode);
  T.emit(`\n\tLSP-PINGv${ver}, msg-type: ${MSG[mt] ?? 'unknown'} (${mt}), length: ${len}\n\t  reply-mode: ${REPLY[rm] ?? 'unknown'} (${rm})`);
  const rc = T.g1(p + O.returnCode);
  const rs = T.g1(p + O.returnSubcode);
  const withDepth = rc === 3 || rc === 4 || rc === 8 || rc === 10 || rc === 11 || rc === 12;
  T.emit(`\n\t  Return Code: ${RETURN[rc] ?? 'unknown'}${withDepth ? ` ${rs}` : ''} (${rc})\n\t  Return Subcode: (${rs})`);
  T.emit(`\n\t  Sender Handle: 0x${hex(T.g4(p + O.senderHandle), 8)}, Sequence: ${T.g4(p + O.sequence)}`);
  T.emit(`\n\t  Sender Timestamp: ${ntpTimeText(T.g4(p + O.sentSec), T.g4(p + O.sentFrac))} `);
  const rsec = T.g4(p + O.rcvdSec);
  const rfrac = T.g4(p + O.rcvdFrac);
  T.emit(`Receiver Timestamp: ${rsec === 0 && rfrac === 0 ? 'no timestamp' : ntpTimeText(rsec, rfrac)}`);
  let q = p + O.headerLen;
  let tlen = len - O.headerLen;
  while (tlen !== 0 && !T.aborted) {
    if (tlen < 4) return T.emit(TOO_SHORT);
    const tt = T.g2(q);
    let tl = T.g2(q + 2);
    T.emit(`\n\t  ${TLVS[tt] ?? 'Unknown'} TLV (${tt}), length: ${tl}`);
    if (tl === 0) {
      q += 4;
      tlen -= 4;
      continue;
    }
    if (tlen < tl + 4) return T.emit(TOO_SHORT);
    if (!T.has(q + 4, tl)) return;
    const r = tlv(tt, q + 4, tl);
    if (r === STOP) return;
    if (T.verbose > 1 || r === DUMP) T.unknown(q + 4, '\n\t    ', tl);
    if (tl % 4) {
      tl += 4 - (tl % 4);
      if (tlen < tl + 4) return T.emit(TOO_SHORT);
    }
    q += tl + 4;
    tlen -= tl + 4;
  }
}

const DONE = 0;
const DUMP = 1;
const STOP = 2;

/** One TLV's value; DUMP when tcpdump dumps it whatever the -v, STOP when it ends the packet's text. */
function tlv(tt: number, p: number, tl: number): number {
  const short = (): number => {
    T.emit('\n\t      TLV is too short');
    return DUMP;
  };
  switch (tt) {
    case 1: {
      let q = p;
      let left = tl;
      while (left !== 0 && !T.aborted) {
        if (left < 4) return short();
        const st = T.g2(q);
        let sl = T.g2(q + 2);
        const sp = q + 4;
        if (left < sl + 4) return short();
        if (!T.has(sp, sl)) return DONE;
        T.emit(`\n\t    ${SUBTLVS[st] ?? 'Unknown'} subTLV (${st}), length: ${sl}`);
        const dump = subTlv(st, sp, sl);
        if (T.verbose > 1 || dump) T.unknown(sp, '\n\t      ', sl);
        if (sl % 4) {
          sl += 4 - (sl % 4);
          if (left < sl + 4) {
            T.emit('\n\t\t TLV is too short');
            return STOP;
          }
        }
        q += sl;
        left -= sl + 4;
      }
      return DONE;
    }
    case 2: {
      if (tl < 4) return short();
      if (!T.has(p, 4)) return DONE;
      const at = T.g1(p + 2);
      T.emit(`\n\t    MTU: ${T.g2(p)}, Address-Type: ${DS_ADDR[at] ?? 'unknown'} (${at})`);
      let left = tl;
      let q = p;
      if (at >= 1 && at <= 4) {
        const size = at === 1 || at === 2 ? 12 : at === 3 ? 36 : 24;
        if (left < size) return short();
        if (!T.has(p, size)) return DONE;
        const v6 = at >= 3;
        const numbered = at === 1 || at === 3;
        const ip = v6 ? T.ip6(p + 4) : T.ip4(p + 4);
        const itf = numbered ? (v6 ? T.ip6(p + 20) : T.ip4(p + 8)) : `0x${hex(T.g4(p + (v6 ? 20 : 8)), 8)}`;
        T.emit(`\n\t    Downstream IP: ${ip}\n\t    Downstream Interface ${numbered ? 'IP' : 'Index'}: ${itf}`);
        left -= size;
        q += size;
      }
      // the multipath header and the labels are not decoded: tcpdump dumps the TLV
      if (left < 4) return short();
      if (!T.has(q, 4)) return DONE;
      return DUMP;
    }
    case 15:
      if (tl < 4) return short();
      T.emit(`\n\t    BFD Discriminator 0x${hex(T.g4(p), 8)}`);
      return DONE;
    case 5: {
      if (tl < 4) return short();
      const id = T.g4(p);
      T.emit(`\n\t    Vendor: ${SMI_NAMES[id] ?? 'Unknown'} (0x${hex(id, 4)})`);
      return DONE;
    }
    default:
      if (T.verbose <= 1) T.unknown(p, '\n\t    ', tl);
      return DONE;
  }
}

/** A target FEC stack sub-TLV; true when tcpdump dumps it whatever the -v. */
function subTlv(st: number, p: number, sl: number): boolean {
  const want = (n: number): boolean => {
    if (sl === n) return true;
    T.emit(`\n\t      invalid subTLV length, should be ${n}`);
    return false;
  };
  const pw = (o: number): string => {
    const t = T.g2(o);
    return `${PW_TYPES[t] ?? 'unknown'} (${t})`;
  };
  switch (st) {
    case 1:
    case 12:
      if (!want(5)) return true;
      T.emit(`\n\t      ${T.ip4(p)}/${T.g1(p + 4)}`);
      return false;
    case 2:
    case 13:
      if (!want(17)) return true;
      T.emit(`\n\t      ${T.ip6(p)}/${T.g1(p + 16)}`);
      return false;
    case 3:
      if (!want(20)) return true;
      T.emit(`\n\t      tunnel end-point ${T.ip4(p)}, tunnel sender ${T.ip4(p + 12)}, lsp-id 0x${hex(T.g2(p + 18), 4)}\n\t      tunnel-id 0x${hex(T.g2(p + 6), 4)}, extended tunnel-id ${T.ip4(p + 8)}`);
      return false;
    case 4:
      if (!want(56)) return true;
      T.emit(`\n\t      tunnel end-point ${T.ip6(p)}, tunnel sender ${T.ip6(p + 36)}, lsp-id 0x${hex(T.g2(p + 54), 4)}\n\t      tunnel-id 0x${hex(T.g2(p + 18), 4)}, extended tunnel-id ${T.ip6(p + 20)}`);
      return false;
    case 6:
      if (!want(13)) return true;
      T.emit(`\n\t      RD: ${rdText(T.b, p)}, ${T.ip4(p + 8)}/${T.g1(p + 12)}`);
      return false;
    case 7:
      if (!want(25)) return true;
      T.emit(`\n\t      RD: ${rdText(T.b, p)}, ${T.ip6(p + 8)}/${T.g1(p + 24)}`);
      return false;
    case 8:
      if (!want(14)) return true;
      T.emit(`\n\t      RD: ${rdText(T.b, p)}, Sender VE ID: ${T.g2(p + 8)}, Receiver VE ID: ${T.g2(p + 10)}\n\t      Encapsulation Type: ${pw(p + 12)}`);
      return false;
    case 9:
      if (!want(10)) return true;
      T.emit(`\n\t      Remote PE: ${T.ip4(p)}\n\t      PW ID: 0x${hex(T.g4(p + 4), 8)}, PW Type: ${pw(p + 8)}`);
      return false;
    case 10:
      if (!want(14)) return true;
      T.emit(`\n\t      Sender PE: ${T.ip4(p)}, Remote PE: ${T.ip4(p + 4)}\n\t      PW ID: 0x${hex(T.g4(p + 8), 8)}, PW Type: ${pw(p + 12)}`);
      return false;
    default:
      return true;
  }
}
