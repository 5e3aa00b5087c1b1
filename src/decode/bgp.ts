/**
 * Border Gateway Protocol 4 (RFC 4271), TCP port 179: messages behind a 16-byte all-ones marker, any
 * number per segment. OPEN with optional parameters and capabilities (RFC 5492: multiprotocol RFC 4760,
 * route refresh RFC 2918, 4-octet AS RFC 6793, graceful restart RFC 4724, add-path RFC 7911), UPDATE
 * with withdrawn routes, path attributes (communities RFC 1997, route reflection RFC 4456, extended
 * communities RFC 4360, large communities RFC 8092, MP_REACH/MP_UNREACH_NLRI) and NLRI, NOTIFICATION
 * (RFC 4486 cease subcodes, RFC 9003 shutdown communication), KEEPALIVE and ROUTE-REFRESH.
 *
 * The text follows tcpdump's: a message is decoded only when all of it was captured, reads that run
 * past the capture end the packet's text with ` [|bgp]`.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { ipv4Text, ipv6Text } from './addr.js';
import { type Printer, hexDump, safeText } from './print.js';
import { CheckedText } from './checked.js';

/** Field offsets of the common message header, an OPEN, a NOTIFICATION and a ROUTE-REFRESH (from the message start). */
export const BgpOffsets = {
  marker: 0, length: 16, type: 18, headerLen: 19,
  openVersion: 19, openMyAs: 20, openHoldTime: 22, openId: 24, openOptLen: 28, openLen: 29,
  notifyCode: 19, notifySubcode: 20, notifyLen: 21,
  refreshAfi: 19, refreshSafi: 22, refreshLen: 23,
} as const;

/** Message types (RFC 4271 4.1, RFC 2918). */
export const BgpType = { OPEN: 1, UPDATE: 2, NOTIFICATION: 3, KEEPALIVE: 4, ROUTE_REFRESH: 5 } as const;

/** Zero-copy view of the BGP bytes of one TCP segment (any number of messages, possibly partial). */
export class BgpView extends ByteView {
  /**
   * Points at a TCP payload on port 179; always Ok (a segment may hold the middle of a message).
   * @example bgp.reset(bytes, 66, bytes.length - 66);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, 0);
  }
  /** Offset in `bytes` of the first message header (marker) at or after `from`, or -1. */
  nextMarker(from: number): number {
    const b = this.bytes;
    const end = this.offset + this.length;
    for (let p = from; p + BgpOffsets.headerLen <= end; p++) {
      if (b[p] !== 0xff) continue;
      let k = 1;
      while (k < 16 && b[p + k] === 0xff) k++;
      if (k === 16) return p;
    }
    return -1;
  }
}

/** One message of a segment, as far as it was captured. */
export interface BgpMessageRepr {
  type: number;
  length: number;
  /** OPEN: version, my AS, hold time, BGP identifier. */
  version?: number;
  myAs?: number;
  holdTime?: number;
  bgpId?: string;
  /** NOTIFICATION: error code and subcode. */
  errorCode?: number;
  errorSubcode?: number;
  /** ROUTE-REFRESH: address family and subsequent address family. */
  afi?: number;
  safi?: number;
  /** UPDATE: withdrawn IPv4 prefixes, path attribute type codes, IPv4 NLRI (add-path ids left out). */
  withdrawn?: string[];
  attributes?: number[];
  nlri?: string[];
}

/** Parsed BGP segment: the messages wholly or partly captured. */
export interface BgpRepr {
  messages: BgpMessageRepr[];
}

/** IPv4 prefixes `p..end` in NLRI encoding (length byte, then the significant bytes; path ids skipped when add-path is guessed). */
function prefixes4(b: Uint8Array, p: number, end: number): string[] {
  const out: string[] = [];
  const ids = looksAddPath(b, p, end - p, 32, end);
  while (p < end) {
    if (ids) p += 4;
    const plen = b[p] ?? 0;
    const n = (plen + 7) >> 3;
    if (plen > 32 || p + 1 + n > end) break;
    out.push(`${prefix4Text(b, p + 1, plen)}/${plen}`);
    p += 1 + n;
  }
  return out;
}

/**
 * Builds the sink representation. `segmentLen` is the TCP payload length: a message running past it
 * continues in a later segment and shows only its type and length (fields of a message cut by the
 * snapshot length but within the segment show as far as captured).
 */
export function bgpRepr(v: BgpView, segmentLen: number = v.length): BgpRepr {
  const b = v.bytes;
  const O = BgpOffsets;
  const end = v.offset + v.length;
  const segEnd = v.offset + segmentLen;
  const messages: BgpMessageRepr[] = [];
  let p = v.nextMarker(v.offset);
  while (p >= 0 && messages.length < 64) {
    const len = u16(b, p + O.length);
    const type = b[p + O.type] ?? 0;
    const m: BgpMessageRepr = { type, length: len };
    // the fixed fields show when captured, even if the rest was cut
    const has = (n: number): boolean => len >= n && p + n <= end && p + len <= segEnd;
    if (type === BgpType.OPEN && has(O.openLen)) {
      m.version = b[p + O.openVersion] ?? 0;
      m.myAs = u16(b, p + O.openMyAs);
      m.holdTime = u16(b, p + O.openHoldTime);
      m.bgpId = ipv4Text(b, p + O.openId);
    } else if (type === BgpType.NOTIFICATION && has(O.notifyLen)) {
      m.errorCode = b[p + O.notifyCode] ?? 0;
      m.errorSubcode = b[p + O.notifySubcode] ?? 0;
    } else if (type === BgpType.ROUTE_REFRESH && has(O.refreshLen)) {
      m.afi = u16(b, p + O.refreshAfi);
      m.safi = b[p + O.refreshSafi] ?? 0;
    } else if (type === BgpType.UPDATE && has(21)) {
      // as far as captured: a snapshot cut leaves the fields before it
      const mEnd = Math.min(end, p + len);
      const wl = u16(b, p + 19);
      const aStart = p + 21 + wl + 2;
      m.withdrawn = prefixes4(b, p + 21, Math.min(mEnd, p + 21 + wl));
      if (aStart <= mEnd) {
        const al = u16(b, aStart - 2);
        const attributes: number[] = [];
        let q = aStart;
        const aEnd = Math.min(mEnd, aStart + al);
        while (q + 2 <= aEnd) {
          const fl = b[q] ?? 0;
          attributes.push(b[q + 1] ?? 0);
          q += fl & 0x10 ? 4 + u16(b, q + 2) : 3 + (b[q + 2] ?? 0);
        }
        m.attributes = attributes;
        m.nlri = prefixes4(b, aStart + al, mEnd);
      }
    }
    messages.push(m);
    if (len < O.headerLen) break;
    p = v.nextMarker(p + len);
  }
  return { messages };
}

// ---------------------------------------------------------------- tcpdump's text

type Tok = Readonly<Record<number, string>>;
const MSG: Tok = { 1: 'Open', 2: 'Update', 3: 'Notification', 4: 'Keepalive', 5: 'Route Refresh' };
const ATTR: Tok = {
  1: 'Origin', 2: 'AS Path', 17: 'AS4 Path', 3: 'Next Hop', 4: 'Multi Exit Discriminator', 5: 'Local Preference', 6: 'Atomic Aggregate',
  7: 'Aggregator', 18: 'Aggregator4', 8: 'Community', 9: 'Originator ID', 10: 'Cluster List', 11: 'DPA', 12: 'Advertisers',
  13: 'RCID Path / Cluster ID', 14: 'Multi-Protocol Reach NLRI', 15: 'Multi-Protocol Unreach NLRI', 16: 'Extended Community',
  22: 'PMSI Tunnel', 23: 'Tunnel Encapsulation', 24: 'Traffic Engineering', 25: 'IPv6 Extended Community', 26: 'Accumulated IGP Metric',
  27: 'PE Distinguisher Label', 28: 'Entropy Label', 32: 'Large Community', 128: 'Attribute Set', 255: 'Reserved for development',
};
const SEG_OPEN: Tok = { 2: '', 1: '{ ', 3: '( ', 4: '({ ' };
const SEG_CLOSE: Tok = { 2: '', 1: '}', 3: ')', 4: '})' };
const OPT: Tok = { 1: 'Authentication Information', 2: 'Capabilities Advertisement' };
const CAP: Tok = {
  1: 'Multiprotocol Extensions', 2: 'Route Refresh', 3: 'Cooperative Route Filtering', 4: 'Multiple Routes to a Destination',
  5: 'Extended Next Hop Encoding', 8: 'Multiple Labels', 64: 'Graceful Restart', 65: '32-Bit AS Number', 67: 'Dynamic Capability',
  68: 'Multisession BGP', 69: 'Multiple Paths', 70: 'Enhanced Route Refresh', 71: 'Long-lived Graceful Restart', 128: 'Route Refresh (Cisco)',
};
const NOTIFY: Tok = {
  1: 'Message Header Error', 2: 'OPEN Message Error', 3: 'UPDATE Message Error', 4: 'Hold Timer Expired', 5: 'Finite State Machine Error',
  6: 'Cease', 7: 'Capability Message Error',
};
/** Subcode names by error code, and the separator tcpdump puts before `subcode` (it omits the comma for 5 and 7). */
const SUBCODES: Readonly<Record<number, [string, Tok]>> = {
  1: [',', { 1: 'Connection Not Synchronized', 2: 'Bad Message Length', 3: 'Bad Message Type' }],
  2: [',', { 1: 'Unsupported Version Number', 2: 'Bad Peer AS', 3: 'Bad BGP Identifier', 4: 'Unsupported Optional Parameter', 5: 'Authentication Failure', 6: 'Unacceptable Hold Time', 7: 'Capability Message Error' }],
  3: [',', {
    1: 'Malformed Attribute List', 2: 'Unrecognized Well-known Attribute', 3: 'Missing Well-known Attribute', 4: 'Attribute Flags Error',
    5: 'Attribute Length Error', 6: 'Invalid ORIGIN Attribute', 7: 'AS Routing Loop', 8: 'Invalid NEXT_HOP Attribute', 9: 'Optional Attribute Error',
    10: 'Invalid Network Field', 11: 'Malformed AS_PATH',
  }],
  5: ['', { 0: 'Unspecified Error', 1: 'In OpenSent State', 2: 'In OpenConfirm State', 3: 'In Established State' }],
  6: [',', {
    1: 'Maximum Number of Prefixes Reached', 2: 'Administrative Shutdown', 3: 'Peer Unconfigured', 4: 'Administrative Reset', 5: 'Connection Rejected',
    6: 'Other Configuration Change', 7: 'Connection Collision Resolution',
  }],
  7: ['', { 1: 'Invalid Action Value', 2: 'Invalid Capability Length', 3: 'Malformed Capability Value', 4: 'Unsupported Capability Code' }],
};
const ORIGIN: Tok = { 0: 'IGP', 1: 'EGP', 2: 'Incomplete' };
/** Address family numbers (IANA). */
export const AFI_NAMES: Tok = {
  0: 'Reserved', 1: 'IPv4', 2: 'IPv6', 3: 'NSAP', 4: 'HDLC', 5: 'BBN 1822', 6: '802', 7: 'E.163', 8: 'E.164', 9: 'F.69', 10: 'X.121',
  11: 'Novell IPX', 12: 'Appletalk', 13: 'Decnet IV', 14: 'Banyan Vines', 15: 'E.164 with NSAP subaddress', 25: 'VPLS', 196: 'Layer-2 VPN',
};
const SAFI: Tok = {
  0: 'Reserved', 1: 'Unicast', 2: 'Multicast', 3: 'Unicast+Multicast', 4: 'labeled Unicast', 64: 'Tunnel', 65: 'VPLS', 66: 'MDT', 70: 'EVPN',
  128: 'labeled VPN Unicast', 129: 'labeled VPN Multicast', 130: 'labeled VPN Unicast+Multicast', 132: 'Route Target Routing Information', 5: 'Multicast VPN',
};
const ADD_PATH: Tok = { 1: 'Receive', 2: 'Send', 3: 'Both' };
const EXT_SUBTYPE: Tok = {
  0x0002: 'target', 0x0102: 'target', 0x0202: 'target', 0x0003: 'origin', 0x0103: 'origin', 0x0203: 'origin', 0x4004: 'link-BW',
  0x0005: 'ospf-domain', 0x0105: 'ospf-domain', 0x0205: 'ospf-domain', 0x8005: 'ospf-domain', 0x0306: 'ospf-route-type', 0x8000: 'ospf-route-type',
  0x030c: 'encapsulation', 0x0107: 'ospf-router-id', 0x8001: 'ospf-router-id', 0x800a: 'layer2-info',
  0x8800: 'eigrp-general-route (flag, tag)', 0x8801: 'eigrp-route-metric (AS, delay)', 0x8802: 'eigrp-route-metric (reliability, nexthop, bandwidth)',
  0x8803: 'eigrp-route-metric (load, MTU)', 0x8804: 'eigrp-external-route (remote-AS, remote-ID)', 0x8805: 'eigrp-external-route (remote-proto, remote-metric)',
  0x0009: 'source-AS', 0x010b: 'vrf-route-import', 0x000a: 'l2vpn-id', 0xf10a: 'l2vpn-id',
};
const ENCAP_TUNNEL: Tok = {
  1: 'L2TPv3 over IP', 2: 'GRE', 3: 'Transmit Tunnel', 4: 'IPsec', 5: 'IP in IP with IPsec', 6: 'MPLS in IP with IPsec', 7: 'IP in IP', 8: 'VXLAN',
  9: 'NVGRE', 10: 'MPLS', 11: 'MPLS in GRE', 12: 'VXLAN GPE', 13: 'MPLS in UDP', 14: 'IPv6', 15: 'SR TE', 16: 'Bare', 17: 'SR',
};
const OSPF_RTYPE: Tok = { 1: 'Router', 2: 'Network', 3: 'Summary', 5: 'External', 7: 'NSSA External', 129: 'MPLS-VPN Sham' };
/** Layer-2 VPN encapsulation types (RFC 4446, as tcpdump names them). */
export const L2VPN_ENCAPS: Tok = {
  0: 'Reserved', 1: 'Frame Relay', 2: 'ATM AAL5 SDU VCC transport', 3: 'ATM transparent cell transport', 4: 'Ethernet (VLAN) Tagged Mode',
  5: 'Ethernet Raw Mode', 6: 'Cisco HDLC', 7: 'PPP', 8: 'SONET/SDH Circuit Emulation Service over MPLS', 9: 'ATM n-to-one VCC cell transport',
  10: 'ATM n-to-one VPC cell transport', 11: 'IP layer 2 transport', 15: 'Frame Relay Port mode', 17: 'Structure-agnostic E1 over packet',
  18: 'Structure-agnostic T1 (DS1) over packet', 19: 'VPLS', 20: 'Structure-agnostic T3 (DS3) over packet',
  21: 'Nx64kbit/s Basic Service using Structure-aware', 25: 'Frame Relay DLCI', 40: 'Structure-agnostic E3 over packet',
  41: 'Octet-aligned playload for Structure-agnostic DS1 circuits', 42: 'E1 Nx64kbit/s with CAS using Structure-aware',
  43: 'DS1 (ESF) Nx64kbit/s with CAS using Structure-aware', 44: 'DS1 (SF) Nx64kbit/s with CAS using Structure-aware',
};

const tok = (t: Tok, v: number, dflt: string): string => t[v] ?? dflt;

/** tcpdump's text of an RFC 4364 route distinguisher (8 bytes at `o`), with -b's AS notation when `asdot`. */
export function rdText(b: Uint8Array, o: number, asdot = false): string {
  const a = (k: number): number => b[o + k] ?? 0;
  switch (u16(b, o)) {
    case 0:
      return `${u16(b, o + 2)}:${u32(b, o + 4)} (= ${a(4)}.${a(5)}.${a(6)}.${a(7)})`;
    case 1:
      return `${a(2)}.${a(3)}.${a(4)}.${a(5)}:${u16(b, o + 6)}`;
    case 2: {
      const as = u32(b, o + 2);
      return `${asdot && as > 0xffff ? `${as >>> 16}.${as & 0xffff}` : as}:${u16(b, o + 6)} (${a(2)}.${a(3)}.${a(4)}.${a(5)}:${u16(b, o + 6)})`;
    }
    default:
      return 'unknown RD format';
  }
}

/** The masked first `plen` bits at `o` as an IPv4 address. */
function prefix4Text(b: Uint8Array, o: number, plen: number): string {
  const n = (plen + 7) >> 3;
  const a = [0, 0, 0, 0];
  for (let k = 0; k < n; k++) a[k] = b[o + k] ?? 0;
  if (plen % 8) a[n - 1]! &= (0xff00 >> plen % 8) & 0xff;
  return a.join('.');
}

const SCRATCH6 = new Uint8Array(16);

/** The printing state of one segment, with -b's choice of AS notation. */
class BgpText extends CheckedText {
  asdot = false;

  asText(n: number): string {
    return this.asdot && n > 0xffff ? `${n >>> 16}.${n & 0xffff}` : String(n);
  }
  trunc(): void {
    this.emit(' [|bgp]');
  }
}

const T = new BgpText();

/** tcpdump's BGP text after the TCP length: ` BGP`, and at -v every message wholly captured. */
export function printBgp(c: Printer, v: BgpView, _i: number, _len: number): void {
  c.s += ': BGP';
  if (c.opts.verbose < 1) return;
  T.begin(v.bytes, v.offset + v.length, c.opts.verbose);
  T.asdot = c.opts.asdot === true;
  segment(v.offset);
  c.s += T.out + (T.aborted ? ' [|bgp]' : '');
}

function segment(from: number): void {
  const b = T.b;
  let p = from;
  let start = p;
  while (p < T.cap && !T.aborted) {
    if (b[p] !== 0xff) {
      p++;
      continue;
    }
    if (!T.test(p, 16)) break;
    let k = 1;
    while (k < 16 && b[p + k] === 0xff) k++;
    if (k < 16) {
      p++;
      continue;
    }
    if (!T.test(p, BgpOffsets.headerLen)) {
      T.trunc();
      return;
    }
    if (start !== p) T.trunc();
    const hlen = u16(b, p + BgpOffsets.length);
    if (hlen < BgpOffsets.headerLen) {
      T.emit(`\nmessage length ${hlen} < ${BgpOffsets.headerLen} (invalid)`);
      break;
    }
    if (!T.test(p, hlen)) {
      T.emit(`\n[|BGP ${tok(MSG, b[p + BgpOffsets.type]!, 'Unknown Message Type')}]`);
      break;
    }
    message(p, hlen);
    p += hlen;
    start = p;
  }
}

function message(p: number, len: number): void {
  const t = T.b[p + BgpOffsets.type]!;
  T.emit(`\n\t${tok(MSG, t, 'Unknown')} Message (${t}), length: ${len}`);
  switch (t) {
    case BgpType.OPEN:
      open(p, len);
      break;
    case BgpType.UPDATE:
      update(p, len);
      break;
    case BgpType.NOTIFICATION:
      notification(p, len);
      break;
    case BgpType.KEEPALIVE:
      break;
    case BgpType.ROUTE_REFRESH:
      routeRefresh(p, len);
      break;
    default:
      T.emit(`\n\t  no Message ${t} decoder`);
      T.unknown(p, '\n\t  ', len);
  }
}

function open(p: number, length: number): void {
  const O = BgpOffsets;
  if (!T.test(p, O.openLen) || length < O.openLen) return T.trunc();
  T.emit(`\n\t  Version ${T.g1(p + O.openVersion)}, my AS ${T.asText(T.g2(p + O.openMyAs))}, Holdtime ${T.g2(p + O.openHoldTime)}s, ID ${T.ip4(p + O.openId)}`);
  const optslen = T.g1(p + O.openOptLen);
  T.emit(`\n\t  Optional parameters, length: ${optslen}`);
  const opt = p + O.openLen;
  length -= O.openLen;
  let i = 0;
  while (i < optslen && !T.aborted) {
    if (!T.test(opt + i, 2) || length < 2 + i) return T.trunc();
    const ot = T.g1(opt + i);
    const ol = T.g1(opt + i + 1);
    if (2 + i + ol > optslen) {
      T.emit(`\n\t     Option ${ot}, length: ${ol}, goes past the end of the options`);
      break;
    }
    T.emit(`\n\t    Option ${tok(OPT, ot, 'Unknown')} (${ot}), length: ${ol}`);
    if (ot === 2) capabilities(opt + 2 + i, ol);
    else T.emit(`\n\t      no decoder for option ${ot}`);
    i += 2 + ol;
  }
}

const afiSafi = (afi: number, safi: number): string => `AFI ${tok(AFI_NAMES, afi, 'Unknown')} (${afi}), SAFI ${tok(SAFI, safi, 'Unknown')} (${safi})`;

function capabilities(opt: number, capsLen: number): void {
  let i = 0;
  while (i < capsLen && !T.aborted) {
    if (!T.test(opt + i, 2)) return T.trunc();
    const ct = T.g1(opt + i);
    const cl = T.g1(opt + i + 1);
    T.emit(`\n\t      ${tok(CAP, ct, 'Unknown')} (${ct}), length: ${cl}`);
    if (!T.test(opt + 2 + i, cl)) return T.trunc();
    const q = opt + i + 2;
    switch (ct) {
      case 1:
        if (cl < 4) return T.emit(' (too short, < 4)');
        T.emit(`\n\t\t${afiSafi(T.g2(q), T.g1(q + 3))}`);
        break;
      case 8:
        for (let n = cl, o = q; n >= 4; n -= 4, o += 4) T.emit(`\n\t\t${afiSafi(T.g2(o), T.g1(o + 2))}, Count: ${T.g1(o + 3)}`);
        break;
      case 64: {
        if (cl < 2) return T.emit(' (too short, < 2)');
        T.emit(`\n\t\tRestart Flags: [${T.g1(q) & 0x80 ? 'R' : 'none'}], Restart Time ${T.g2(q) & 0xfff}s`);
        for (let n = cl - 2, o = q + 2; n >= 4; n -= 4, o += 4) {
          T.emit(`\n\t\t  ${afiSafi(T.g2(o), T.g1(o + 2))}, Forwarding state preserved: ${T.g1(o + 3) & 0x80 ? 'yes' : 'no'}`);
        }
        break;
      }
      case 2:
      case 71:
      case 128:
        break;
      case 65:
        if (cl < 4) return T.emit(' (too short, < 4)');
        T.emit(`\n\t\t 4 Byte AS ${T.asText(T.g4(q))}`);
        break;
      case 69:
        if (cl === 0) {
          T.emit(' (bogus)');
          break;
        }
        for (let n = cl, o = q; n !== 0; n -= 4, o += 4) {
          if (n < 4) {
            T.emit(' (invalid)');
            break;
          }
          const rs = T.g1(o + 3);
          T.emit(`\n\t\t${afiSafi(T.g2(o), T.g1(o + 2))}, Send/Receive: ${tok(ADD_PATH, rs, `Bogus (0x${rs.toString(16).padStart(2, '0')})`)}`);
        }
        break;
      default:
        T.emit(`\n\t\tno decoder for Capability ${ct}`);
        if (T.verbose <= 1) T.unknown(q, '\n\t\t', cl);
    }
    if (T.verbose > 1 && cl !== 0) T.unknown(q, '\n\t\t', cl);
    i += 2 + cl;
  }
}

/**
 * Whether `length` bytes of prefixes at `p` carry add-path ids (RFC 7911), guessed as tcpdump does
 * without the OPEN: they parse as prefixes each behind a 4-byte path id, and not as plain prefixes.
 * Bytes at or past `cap` were not captured: the scan stops there.
 */
export function looksAddPath(b: Uint8Array, p: number, length: number, maxLen: number, cap: number): boolean {
  if (length < 5) return false;
  let off = 0;
  while (off < length) {
    off += 4;
    if (p + off >= cap) break;
    const pl = b[p + off]!;
    if (pl > maxLen) return false;
    off += 1 + ((pl + 7) >> 3);
  }
  if (off > length) return false;
  off = 0;
  while (off < length) {
    if (p + off >= cap) break;
    const pl = b[p + off]!;
    if (pl < 1 || pl > maxLen) return true;
    off += 1 + ((pl + 7) >> 3);
  }
  return off > length;
}

const addPath = (p: number, length: number, maxLen: number): boolean => looksAddPath(T.b, p, length, maxLen, T.cap);

/** decode_prefix4/6: the text, or -1 (length over the family's) / -2 (fewer than its bytes left in `itemLen`); `adv` the bytes used. */
let pfxText = '';
function decodePrefix(p: number, itemLen: number, v6: boolean): number {
  if (itemLen < 1) return -2;
  const plen = T.g1(p);
  if (T.aborted) return -2;
  if (plen > (v6 ? 128 : 32)) return -1;
  const n = (plen + 7) >> 3;
  if (itemLen - 1 < n) return -2;
  if (!T.has(p + 1, n)) return -2;
  if (v6) {
    SCRATCH6.fill(0);
    for (let k = 0; k < n; k++) SCRATCH6[k] = T.b[p + 1 + k]!;
    if (plen % 8) SCRATCH6[n - 1]! &= (0xff00 >> plen % 8) & 0xff;
    pfxText = `${ipv6Text(SCRATCH6, 0)}/${plen}`;
  } else pfxText = `${prefix4Text(T.b, p + 1, plen)}/${plen}`;
  return 1 + n;
}

/**
 * Withdrawn routes or NLRI of an UPDATE (IPv4, maybe with path ids) at `p`, `n` bytes: whether it was
 * captured, where tcpdump's cursor stops and how many bytes its count still holds (it stops early on
 * an illegal prefix length and on a withdrawn tail too short for a path id).
 */
function routes(p: number, n: number, withdrawn: boolean): [boolean, number, number] {
  T.emit(withdrawn ? '\n\t  Withdrawn routes:' : '\n\t  Updated routes:');
  const ap = addPath(p, n, 32);
  while (n !== 0 && !T.aborted) {
    let id = 0;
    if (ap) {
      if (withdrawn && n < 4) return [true, p + n, n];
      if (!withdrawn && (!T.test(p, 4) || n < 4)) return [false, p, n];
      id = T.g4(p);
      p += 4;
      n -= 4;
    }
    const adv = decodePrefix(p, n, false);
    if (adv === -1) {
      T.emit('\n\t    (illegal prefix length)');
      break;
    }
    if (adv === -2) return [false, p, n];
    T.emit(`\n\t    ${pfxText}${ap ? `   Path Id: ${id}` : ''}`);
    p += adv;
    n -= adv;
  }
  return [true, p, n];
}

function update(m: number, length: number): void {
  const mEnd = m + length;
  let p = m + BgpOffsets.headerLen;
  if (mEnd - p < 2) return T.trunc();
  let wlen = T.g2(p);
  p += 2;
  if (p + wlen > mEnd) return T.trunc();
  if (wlen > 1) {
    const [ok, q, left] = routes(p, wlen, true);
    if (!ok) return T.trunc();
    p = q;
    wlen = left;
  } else p += wlen;
  if (mEnd - p < 2) return T.trunc();
  let alen = T.g2(p);
  p += 2;
  if (wlen === 0 && alen === 0 && p === mEnd) {
    T.emit('\n\t  End-of-Rib Marker (empty NLRI)');
    return;
  }
  if (alen) {
    if (mEnd - p < alen) return T.trunc();
    while (alen && !T.aborted) {
      if (mEnd - p < 2) return T.trunc();
      if (alen < 2) {
        T.emit('\n\t  [path attrs too short]');
        p += alen;
        break;
      }
      const fl = T.g1(p);
      const at = T.g1(p + 1);
      p += 2;
      alen -= 2;
      const ll = fl & 0x10 ? 2 : 1;
      if (mEnd - p < ll) return T.trunc();
      if (alen < ll) {
        T.emit('\n\t  [path attrs too short]');
        p += alen;
        break;
      }
      const al = ll === 2 ? T.g2(p) : T.g1(p);
      p += ll;
      alen -= ll;
      T.emit(`\n\t  ${tok(ATTR, at, 'Unknown Attribute')} (${at}), length: ${al}`);
      if (fl) T.emit(`, Flags [${flagLetters(fl)}]: `);
      if (alen < al) {
        T.emit(' [path attrs too short]');
        p += alen;
        break;
      }
      if (mEnd - p < al) return T.trunc();
      if (!attribute(at, p, al)) return T.trunc();
      p += al;
      alen -= al;
    }
  }
  if (p < mEnd && !T.aborted) {
    const [ok] = routes(p, mEnd - p, false);
    if (!ok) T.trunc();
  }
}

const flagLetters = (f: number): string =>
  `${f & 0x80 ? 'O' : ''}${f & 0x40 ? 'T' : ''}${f & 0x20 ? 'P' : ''}${f & 0x10 ? 'E' : ''}${f & 0xf ? `+${(f & 0xf).toString(16)}` : ''}`;

/** The AS size of an AS_PATH: 2 when the segments tile the attribute exactly as 2-byte numbers. */
function asSize(at: number, p: number, len: number): number {
  if (at === 17) return 4;
  let q = p;
  while (q < p + len) {
    if (!T.test(q, 2)) return 4;
    const st = T.b[q]!;
    if (st < 1 || st > 4) return 4;
    q += 2 + T.b[q + 1]! * 2;
  }
  return q === p + len ? 2 : 4;
}

const PMSI_TUNNEL: Tok = {
  1: 'RSVP-TE P2MP LSP', 2: 'LDP P2MP LSP', 3: 'PIM-SSM Tree', 4: 'PIM-SM Tree', 5: 'PIM-Bidir Tree', 6: 'Ingress Replication', 7: 'LDP MP2MP LSP',
};

/** One path attribute's value (`level`: attribute-set nesting); false: truncated. */
function attribute(at: number, p: number, len: number, level = 0): boolean {
  let dumpLen = len;
  switch (at) {
    case 1:
      T.emit(len !== 1 ? 'invalid len' : tok(ORIGIN, T.g1(p), 'Unknown Origin Typecode'));
      break;
    case 2:
    case 17: {
      if (len % 2) {
        T.emit('invalid len');
        break;
      }
      if (!len) {
        T.emit('empty');
        break;
      }
      const size = asSize(at, p, len);
      let q = p;
      while (q < p + len && !T.aborted) {
        const st = T.g1(q);
        T.emit(tok(SEG_OPEN, st, '?'));
        const n = T.g1(q + 1) * size;
        for (let k = 0; k < n && !T.aborted; k += size) {
          if (!T.test(q + 2 + k, size)) return false;
          T.emit(`${T.asText(size === 2 ? T.g2(q + k + 2) : T.g4(q + k + 2))} `);
        }
        T.emit(tok(SEG_CLOSE, st, '?'));
        q += 2 + n;
      }
      break;
    }
    case 3:
    case 9:
      T.emit(len !== 4 ? 'invalid len' : T.ip4(p));
      break;
    case 4:
    case 5:
      T.emit(len !== 4 ? 'invalid len' : String(T.g4(p)));
      break;
    case 6:
      if (len !== 0) T.emit('invalid len');
      break;
    case 7:
    case 18:
      if (at === 7 ? len !== 6 && len !== 8 : len !== 8) {
        T.emit('invalid len');
        break;
      }
      if (!T.test(p, len)) return false;
      T.emit(len === 6 ? ` AS #${T.asText(T.g2(p))}, origin ${T.ip4(p + 2)}` : ` AS #${T.asText(T.g4(p))}, origin ${T.ip4(p + 4)}`);
      break;
    case 8:
      if (len % 4) {
        T.emit('invalid len');
        break;
      }
      for (let n = len, q = p; n !== 0 && !T.aborted; n -= 4, q += 4) {
        if (!T.test(q, 4)) return false;
        const cm = T.g4(q);
        if (cm === 0xffffff01) T.emit(' NO_EXPORT');
        else if (cm === 0xffffff02) T.emit(' NO_ADVERTISE');
        else if (cm === 0xffffff03) T.emit(' NO_EXPORT_SUBCONFED');
        else T.emit(`${cm >>> 16}:${cm & 0xffff}${n > 4 ? ', ' : ''}`);
      }
      break;
    case 10:
      if (len % 4) {
        T.emit('invalid len');
        break;
      }
      for (let n = len, q = p; n !== 0 && !T.aborted; n -= 4, q += 4) T.emit(`${T.ip4(q)}${n > 4 ? ', ' : ''}`);
      break;
    case 14:
    case 15: {
      const r = mpNlri(at === 14, p, len);
      if (r === -2) return false;
      break;
    }
    case 16:
      if (len % 8) {
        T.emit('invalid len');
        break;
      }
      for (let n = len, q = p; n !== 0 && !T.aborted; n -= 8, q += 8) {
        if (!T.test(q, 2)) return false;
        const ec = T.g2(q);
        const flags = [ec & 0x8000 ? 'vendor-specific' : '', ec & 0x4000 ? 'non-transitive' : ''].filter((x) => x).join(', ') || 'none';
        T.emit(`\n\t    ${tok(EXT_SUBTYPE, ec, 'unknown extd community typecode')} (0x${ec.toString(16).padStart(4, '0')}), Flags [${flags}]`);
        if (!T.test(q, 8)) return false;
        T.emit(': ');
        extCommunity(q);
      }
      break;
    case 32:
      if (len === 0 || len % 12) {
        T.emit('invalid len');
        break;
      }
      T.emit('\n\t    ');
      for (let n = len, q = p; n !== 0 && !T.aborted; n -= 12, q += 12) T.emit(`${T.g4(q)}:${T.g4(q + 4)}:${T.g4(q + 8)}${n > 12 ? ', ' : ''}`);
      // tcpdump counts the length down here, so no dump follows at -vv
      dumpLen = 0;
      break;
    case 22: {
      if (!T.test(p, 5) || len < 5) return false;
      const fl = T.g1(p);
      const tt = T.g1(p + 1);
      T.emit(`\n\t    Tunnel-type ${tok(PMSI_TUNNEL, tt, 'Unknown')} (${tt}), Flags [${fl & 1 ? 'Leaf Information required' : 'none'}], MPLS Label ${T.g3(p + 2) >>> 4}`);
      const q = p + 5;
      if (tt === 4 || tt === 5) T.emit(`\n\t      Sender ${T.ip4(q)}, P-Group ${T.ip4(q + 4)}`);
      else if (tt === 3) T.emit(`\n\t      Root-Node ${T.ip4(q)}, P-Group ${T.ip4(q + 4)}`);
      else if (tt === 6) T.emit(`\n\t      Tunnel-Endpoint ${T.ip4(q)}`);
      else if (tt === 2 || tt === 7) T.emit(`\n\t      Root-Node ${T.ip4(q)}, LSP-ID 0x${T.g4(q + 4).toString(16).padStart(8, '0')}`);
      else if (tt === 1) T.emit(`\n\t      Extended-Tunnel-ID ${T.ip4(q)}, P2MP-ID 0x${T.g4(q + 4).toString(16).padStart(8, '0')}`);
      else if (T.verbose <= 1) T.unknown(q, '\n\t      ', len - 5);
      break;
    }
    case 26: {
      let q = p;
      let n = len;
      while (n >= 3 && !T.aborted) {
        const ty = T.g1(q);
        let l = T.g2(q + 1);
        q += 3;
        n -= 3;
        T.emit(`\n\t    ${ty === 1 ? 'AIGP' : 'Unknown'} TLV (${ty}), length ${l}`);
        if (l < 3) return false;
        l -= 3;
        if (n < l) return false;
        if (ty === 1) {
          if (l < 8) return false;
          const hi = T.g4(q);
          const lo = T.g4(q + 4);
          T.emit(`, metric ${((BigInt(hi) << 32n) | BigInt(lo)).toString()}`);
        } else if (T.verbose <= 1) T.unknown(q, '\n\t      ', l);
        q += l;
        n -= l;
      }
      break;
    }
    case 128: {
      if (!T.test(p, 4) || len < 4) return false;
      T.emit(`\n\t    Origin AS: ${T.asText(T.g4(p))}`);
      let q = p + 4;
      let n = len - 4;
      while (n && !T.aborted) {
        if (!T.test(q, 2)) return false;
        if (n < 2) {
          T.emit(' [path attr too short]');
          break;
        }
        const fl = T.g1(q);
        const ty = T.g1(q + 1);
        q += 2;
        n -= 2;
        const ll = fl & 0x10 ? 2 : 1;
        if (!T.test(q, ll)) return false;
        if (n < ll) {
          T.emit(' [path attr too short]');
          break;
        }
        const al = ll === 2 ? T.g2(q) : T.g1(q);
        q += ll;
        n -= ll;
        T.emit(`\n\t      ${tok(ATTR, ty, 'Unknown Attribute')} (${ty}), length: ${al}${fl ? `, Flags [${flagLetters(fl)}]` : ''}: `);
        if (n < al) {
          T.emit(' [path attr too short]');
          break;
        }
        if (level === 10) T.emit('(too many nested levels, not recursing)');
        else if (!attribute(ty, q, al, level + 1)) return false;
        q += al;
        n -= al;
      }
      // tcpdump counts the length down as it goes: the -vv dump shows what is left of it
      dumpLen = n;
      break;
    }
    default:
      if (!T.test(p, len)) return false;
      T.emit(`\n\t    no Attribute ${at} decoder`);
      if (T.verbose <= 1) T.unknown(p, '\n\t    ', len);
  }
  if (T.verbose > 1 && dumpLen) {
    if (!T.test(p, dumpLen)) return false;
    T.unknown(p, '\n\t    ', dumpLen);
  }
  return true;
}

function extCommunity(q: number): void {
  const ec = T.g2(q);
  switch (ec) {
    case 0x0002:
    case 0x0003:
    case 0x000a:
      T.emit(`${T.g2(q + 2)}:${T.g4(q + 4)} (= ${T.ip4(q + 4)})`);
      break;
    case 0x0102:
    case 0x0103:
    case 0xf10a:
    case 0x010b:
      T.emit(`${T.ip4(q + 2)}:${T.g2(q + 6)}`);
      break;
    case 0x0202:
    case 0x0203:
      T.emit(`${T.asText(T.g4(q + 2))}:${T.g2(q + 6)}`);
      break;
    case 0x4004: {
      // an IEEE 754 single in bytes per second; tcpdump computes in float
      const f = new DataView(T.b.buffer, T.b.byteOffset + q + 4, 4).getFloat32(0);
      T.emit(`bandwidth: ${Math.fround(Math.fround(f * 8) / 1000000).toFixed(3)} Mbps`);
      break;
    }
    case 0x0005:
    case 0x0105:
    case 0x0205:
    case 0x8005:
    case 0x0107:
    case 0x8001:
      T.emit(T.ip4(q + 2));
      break;
    case 0x0306:
    case 0x8000: {
      const rt = T.g1(q + 6);
      T.emit(`area:${T.ip4(q + 2)}, router-type:${tok(OSPF_RTYPE, rt, `unknown (0x${rt.toString(16).padStart(2, '0')})`)}, metric-type:${T.g1(q + 7) & 1 ? 'E2' : ''}${rt === 5 || rt === 7 ? 'E1' : ''}`);
      break;
    }
    case 0x800a:
      T.emit(`${tok(L2VPN_ENCAPS, T.g1(q + 2), 'unknown encaps')} Control Flags [0x${T.g1(q + 3).toString(16).padStart(2, '0')}]:MTU ${T.g2(q + 4)}`);
      break;
    case 0x0009:
      T.emit(`AS ${T.g2(q + 2)}`);
      break;
    case 0x030c:
      T.emit(`Tunnel type: ${tok(ENCAP_TUNNEL, T.g2(q + 6), 'unknown encaps')}`);
      break;
    default: {
      let s = '';
      for (let k = 2; k < 8; k++) s += T.g1(q + k).toString(16).padStart(2, '0');
      T.emit(s);
    }
  }
}

/** How this printer treats an AFI/SAFI pair: prefixes of each kind, `other` (tcpdump decodes, this printer does not), `none` (neither). */
type AfKind = 'u4' | 'u6' | 'l4' | 'l6' | 'v4' | 'v6' | 'rt' | 'mdt' | 'mvpn' | 'l2' | 'n' | 'nv' | 'none';

function afKind(af: number, safi: number): AfKind {
  if (af === 1 || af === 2) {
    const v6 = af === 2;
    if (safi >= 1 && safi <= 3) return v6 ? 'u6' : 'u4';
    if (safi === 4) return v6 ? 'l6' : 'l4';
    if (safi >= 128 && safi <= 130) return v6 ? 'v6' : 'v4';
    if (!v6 && safi === 132) return 'rt';
    if (!v6 && safi === 66) return 'mdt';
    if (!v6 && safi === 5) return 'mvpn';
    return 'none';
  }
  if (af === 3) return safi >= 1 && safi <= 3 ? 'n' : safi >= 128 && safi <= 130 ? 'nv' : 'none';
  // AFI 196 is tcpdump's number for layer-2 VPN (never assigned by IANA), 25 is VPLS
  if (af === 196) return safi >= 128 && safi <= 130 ? 'l2' : 'none';
  return af === 25 && safi === 65 ? 'l2' : 'none';
}

/** The label and bottom-of-stack note tcpdump adds to a labeled prefix whose 3 label bytes are at `o`. */
const labelText = (o: number): string => `label:${T.g3(o) >>> 4} ${(T.g1(o + 2) & 1) === 0 ? '(BOGUS: Bottom of Stack NOT set!)' : '(bottom)'}`;

/** The masked first `plen` bits at `o` as an address of the family (reads past the capture abandon). */
function maskedText(o: number, plen: number, v6: boolean): string {
  const n = (plen + 7) >> 3;
  if (!T.has(o, n)) return '';
  SCRATCH6.fill(0);
  for (let k = 0; k < n; k++) SCRATCH6[k] = T.b[o + k]!;
  if (plen % 8) SCRATCH6[n - 1]! &= (0xff00 >> plen % 8) & 0xff;
  return v6 ? ipv6Text(SCRATCH6, 0) : `${SCRATCH6[0]}.${SCRATCH6[1]}.${SCRATCH6[2]}.${SCRATCH6[3]}`;
}

/**
 * decode_labeled_prefix4/6: one label (RFC 8277) and a prefix; its size, or -1 (bad length), -2 (not
 * captured), -3 (past `itemLen`).
 */
function labeledPrefix(p: number, itemLen: number, v6: boolean): number {
  if (!T.test(p, 4)) return -2;
  if (itemLen < 4) return -3;
  let plen = T.g1(p);
  if (plen < 24) return -1;
  plen -= 24;
  if (plen > (v6 ? 128 : 32)) return -1;
  const n = (plen + 7) >> 3;
  // tcpdump checks the bytes left for IPv4 only
  if (!v6 && itemLen - 4 < n) return -3;
  const a = maskedText(p + 4, plen, v6);
  pfxText = `${a}/${plen}, ${labelText(p + 1)}`;
  return 4 + n;
}

/** decode_labeled_vpn_prefix4/6: label, route distinguisher and prefix; its size, or -1 (bad length). */
function vpnPrefix(p: number, v6: boolean): number {
  let plen = T.g1(p);
  if (plen < 88) return -1;
  plen -= 88;
  if (plen > (v6 ? 128 : 32)) return -1;
  const a = maskedText(p + 12, plen, v6);
  const rd = T.has(p + 4, 8) ? rdText(T.b, p + 4, T.asdot) : '';
  pfxText = `RD: ${rd}, ${a}/${plen}, ${labelText(p + 1)}`;
  return 12 + ((plen + 7) >> 3);
}

/** decode_mdt_vpn_nlri (RFC 6037): route distinguisher, VPN address, group; its size, -1 (not 128 bits) or -2 (not captured). */
function mdtPrefix(p: number): number {
  if (T.g1(p) !== 128) return -1;
  if (!T.test(p + 1, 8)) return -2;
  const rd = rdText(T.b, p + 1, T.asdot);
  const ip = T.ip4(p + 9);
  pfxText = `RD: ${rd}, VPN IP Address: ${ip}, MC Group Address: ${T.ip4(p + 13)}`;
  return 17;
}

const MVPN_ROUTES: Tok = {
  1: 'Intra-AS I-PMSI', 2: 'Inter-AS I-PMSI', 3: 'S-PMSI', 4: 'Intra-AS Segment-Leaf', 5: 'Source-Active', 6: 'Shared Tree Join', 7: 'Source Tree Join',
};

/** bgp_vpn_ip_print: an address of `bits` bits (32 or 128). */
const vpnIp = (o: number, bits: number): string => (bits === 32 ? T.ip4(o) : bits === 128 ? T.ip6(o) : `bogus address length ${bits}`);

/** bgp_vpn_sg_print: the source and group of an MVPN route, appended to pfxText; the bytes tcpdump counts. */
function vpnSg(p: number): number {
  let total = 0;
  let bits = T.g1(p);
  p++;
  if (!T.test(p, bits >> 3)) return total;
  total += (bits >> 3) + 1;
  if (bits) {
    pfxText += `, Source ${vpnIp(p, bits)}`;
    p += bits >> 3;
  }
  bits = T.g1(p);
  p++;
  if (!T.test(p, bits >> 3)) return total;
  total += (bits >> 3) + 1;
  if (bits) pfxText += `, Group ${vpnIp(p, bits)}`;
  return total;
}

/** decode_multicast_vpn (RFC 6514): route type, length and the fields tcpdump prints; its size or -2. */
function mvpnRoute(p: number): number {
  const rt = T.g1(p);
  const rl = T.g1(p + 1);
  p += 2;
  pfxText = `Route-Type: ${tok(MVPN_ROUTES, rt, 'Unknown')} (${rt}), length: ${rl}`;
  const rd = (): string => rdText(T.b, p, T.asdot);
  switch (rt) {
    case 1:
      if (!T.test(p, 8)) return -2;
      pfxText += `, RD: ${rd()}, Originator ${vpnIp(p + 8, ((rl - 8) << 3) >>> 0)}`;
      break;
    case 2:
    case 6:
    case 7:
      if (!T.test(p, 12)) return -2;
      pfxText += `, RD: ${rd()}, Source-AS ${T.asText(T.g4(p + 8))}`;
      if (rt !== 2) vpnSg(p + 12);
      break;
    case 3: {
      if (!T.test(p, 8)) return -2;
      pfxText += `, RD: ${rd()}`;
      p += 8;
      // tcpdump subtracts only the source and group from the route length, and reads the
      // originator where the source starts
      const bytes = (rl - vpnSg(p)) >>> 0;
      if (!T.test(p, bytes)) return -2;
      pfxText += `, Originator ${vpnIp(p, (bytes << 3) >>> 0)}`;
      break;
    }
    case 5:
      if (!T.test(p, 8)) return -2;
      pfxText += `, RD: ${rd()}`;
      vpnSg(p + 8);
      break;
    default:
  }
  return rl + 2;
}

/**
 * decode_labeled_vpn_l2 (RFC 4761, 6074): a 12-byte auto-discovery route or the older VPLS format with
 * its TLVs; its size, or -2. tcpdump's TLV walk neither counts the 3-byte TLV headers nor skips an
 * unknown TLV's value; the text follows it.
 */
function l2vpnRoute(p: number): number {
  const plen = T.g2(p);
  let tlen = plen;
  p += 2;
  if (plen === 12) {
    if (!T.test(p, 12)) return -2;
    pfxText = `RD: ${rdText(T.b, p, T.asdot)}, BGPNH: ${T.ip4(p + 8)}`;
    return plen + 2;
  }
  if (plen <= 17) return -2;
  if (!T.test(p, 15)) return -2;
  // tcpdump builds this text in a 164-byte buffer (MAXHOSTNAMELEN + 100 on Linux) and stops adding
  // once it is full
  let room = 164;
  pfxText = '';
  const add = (t: string): void => {
    if (room === 0) return;
    pfxText += t.slice(0, room - 1);
    room = t.length > room ? 0 : room - t.length;
  };
  add(`RD: ${rdText(T.b, p, T.asdot)}, CE-ID: ${T.g2(p + 8)}, Label-Block Offset: ${T.g2(p + 10)}, Label Base ${T.g3(p + 12) >>> 4}`);
  p += 15;
  tlen -= 15;
  while (tlen !== 0 && !T.aborted) {
    if (tlen < 3) {
      add('\n\t\tran past the end');
      return plen + 2;
    }
    const ty = T.g1(p);
    const bits = T.g2(p + 1);
    let bytes = (bits + 7) >> 3;
    p += 3;
    if (ty === 1) {
      add(`\n\t\tcircuit status vector (${ty}) length: ${bits}: 0x`);
      for (; bytes !== 0 && !T.aborted; bytes--, tlen--) {
        if (tlen < 1) {
          add(' (ran past the end)');
          return plen + 2;
        }
        if (!T.test(p, 1)) return -2;
        // the byte is read (and the cursor moved) only while the buffer has room
        if (room !== 0) {
          add(T.g1(p).toString(16).padStart(2, '0'));
          p++;
        }
      }
    } else {
      add(`\n\t\tunknown TLV #${ty}, length: ${bits}`);
      if (tlen < bytes) {
        add(' (ran past the end)');
        return plen + 2;
      }
      tlen -= bytes;
    }
  }
  return plen + 2;
}

/** tcpdump's isonsap_string: `n` bytes in hex, a dot after the first and then after every second. */
function nsapText(b: Uint8Array, o: number, n: number): string {
  if (n < 1 || n > 20) return 'isonsap_string: illegal length';
  let t = '';
  for (let k = 0; k < n; k++) t += (b[o + k] ?? 0).toString(16).padStart(2, '0') + ((k & 1) === 0 && k + 1 < n ? '.' : '');
  return t;
}

/**
 * decode_clnp_prefix / decode_labeled_vpn_clnp_prefix: an NSAP prefix (with label and RD for the VPN
 * family); its size or -1. tcpdump reads the plain prefix 4 bytes in, past what the length counts.
 */
function clnpPrefix(p: number, vpn: boolean): number {
  let plen = T.g1(p);
  if (vpn) {
    if (plen < 88) return -1;
    plen -= 88;
  }
  if (plen > 152) return -1;
  const n = (plen + 7) >> 3;
  const at = p + (vpn ? 12 : 4);
  if (!T.has(at, n)) return -1;
  const a = new Uint8Array(19);
  for (let k = 0; k < n; k++) a[k] = T.b[at + k]!;
  if (plen % 8) a[n - 1]! &= (0xff00 >> plen % 8) & 0xff;
  const text = `${nsapText(a, 0, n)}/${plen}`;
  if (!vpn) {
    pfxText = text;
    return 1 + n;
  }
  const rd = T.has(p + 4, 8) ? rdText(T.b, p + 4, T.asdot) : '';
  pfxText = `RD: ${rd}, ${text}, ${labelText(p + 1)}`;
  return 12 + n;
}

/** decode_rt_routing_info (RFC 4684): origin AS and a route-target prefix, printed here; its size or -1. */
function rtMembership(p: number): number {
  let plen = T.g1(p);
  if (plen === 0) {
    T.emit('\n\t      default route target');
    return 1;
  }
  if (plen < 32) {
    T.emit('\n\t      (illegal prefix length)');
    return -1;
  }
  const origin = T.asText(T.g4(p + 1));
  plen -= 32;
  if (plen > 64) {
    T.emit('\n\t      (illegal prefix length)');
    return -1;
  }
  const n = (plen + 7) >> 3;
  if (!T.has(p + 5, n)) return -1;
  const rt = new Uint8Array(8);
  for (let k = 0; k < n; k++) rt[k] = T.b[p + 5 + k]!;
  if (plen % 8) rt[n - 1]! &= (0xff00 >> plen % 8) & 0xff;
  T.emit(`\n\t      origin AS: ${origin}, ${rtPrefixText(rt, plen)}`);
  return 5 + n;
}

/** bgp_rt_prefix_print: a route-target membership prefix of `plen` bits (the bytes zero-padded to 8). */
function rtPrefixText(rt: Uint8Array, plen: number): string {
  if (plen === 0) return 'route-target: 0:0/0';
  const n = (plen + 7) >> 3;
  let hex = '';
  for (let k = 0; k < n; k++) hex += rt[k]!.toString(16).padStart(2, '0') + (k % 2 === 1 && k < n - 1 ? ' ' : '');
  if (plen < 16) return `route-target: partial-type: (${hex}/${plen})`;
  const t = u16(rt, 0);
  switch (t) {
    case 0x0002:
      return `route-target: ${u16(rt, 2)}:${u32(rt, 4)}/${plen} (${hex})`;
    case 0x0102:
      return `route-target: ${rt[2]}.${rt[3]}.${rt[4]}.${rt[5]}:${u16(rt, 6)}/${plen} (${hex})`;
    case 0x0202:
      return `route-target: ${T.asText(u32(rt, 2))}:${u16(rt, 6)}/${plen} (${hex})`;
    default:
      return `route target: unknown-type(${t.toString(16).padStart(4, '0')}) (${hex}/${plen})`;
  }
}

/** MP_REACH_NLRI / MP_UNREACH_NLRI; -2: truncated. */
function mpNlri(reach: boolean, pp: number, len: number): number {
  let p = pp;
  let tlen = len;
  if (reach) {
    if (!T.test(p, 3) || tlen < 3) return -2;
  } else if (!T.test(p, 3)) return -2;
  const af = T.g2(p);
  const safi = T.g1(p + 2);
  T.emit(`\n\t    AFI: ${tok(AFI_NAMES, af, 'Unknown AFI')} (${af}), ${safi > 128 ? 'vendor specific ' : ''}SAFI: ${tok(SAFI, safi, 'Unknown SAFI')} (${safi})`);
  const kind = afKind(af, safi);
  if (kind === 'none') {
    if (!T.test(p, tlen)) return -2;
    T.emit(`\n\t    no AFI ${af} / SAFI ${safi} decoder`);
    if (T.verbose <= 1) T.unknown(p, '\n\t    ', tlen);
    return -1;
  }
  const v6 = af === 2;
  if (!reach && len === 3) T.emit('\n\t      End-of-Rib Marker (empty NLRI)');
  p += 3;
  tlen -= 3;
  if (reach) {
    if (!T.test(p, 1) || tlen < 1) return -2;
    const nhlen = T.g1(p);
    p++;
    tlen--;
    if (nhlen) {
      if (tlen < nhlen) return -2;
      T.emit('\n\t    nexthop: ');
      if (kind === 'n') {
        T.emit(T.has(p, nhlen) ? nsapText(T.b, p, nhlen) : '');
        p += nhlen;
        tlen -= nhlen;
      } else if (kind === 'nv') {
        if (nhlen < 9) T.emit('invalid len');
        else {
          if (!T.test(p, nhlen)) return -2;
          let t = `RD: ${rdText(T.b, p, T.asdot)}, ${nsapText(T.b, p + 8, nhlen - 8)}`;
          // an IPv4 (RFC 986) or IPv6 (RFC 1888) address mapped into the NSAP
          if (T.g4(p + 8) === 0x47000601) t += ` = ${T.ip4(p + 12)}`;
          else if (T.g3(p + 8) === 0x350000) t += ` = ${T.ip6(p + 11)}`;
          T.emit(t);
        }
        p += nhlen;
        tlen -= nhlen;
      }
      const vpn = kind === 'v4' || kind === 'v6';
      const w = (v6 ? 16 : 4) + (vpn ? 8 : 0);
      for (let n = kind === 'n' || kind === 'nv' ? 0 : nhlen, k = 0; n !== 0 && !T.aborted; k++) {
        if (k > 0) T.emit(', ');
        if (n < w) {
          T.emit('invalid len');
          p += n;
          tlen -= n;
          n = 0;
        } else {
          const a = vpn ? p + 8 : p;
          const ip = v6 ? T.ip6(a) : T.ip4(a);
          T.emit(vpn ? `RD: ${T.has(p, 8) ? rdText(T.b, p, T.asdot) : ''}, ${ip}` : ip);
          p += w;
          tlen -= w;
          n -= w;
        }
      }
    }
    T.emit(`, nh-length: ${nhlen}`);
    if (tlen < 1) return -2;
    let snpa = T.g1(p);
    p++;
    tlen--;
    if (snpa) {
      T.emit(`\n\t    ${snpa} SNPA`);
      for (; snpa !== 0 && !T.aborted; snpa--) {
        if (tlen < 1) return -2;
        const sl = T.g1(p);
        T.emit(`\n\t      ${sl} bytes`);
        p++;
        tlen--;
        if (tlen < sl || !T.test(p, sl)) return -2;
        p += sl;
        tlen -= sl;
      }
    } else T.emit(', no SNPA');
  }
  const plain = kind === 'u4' || kind === 'u6';
  const ap = plain && addPath(p, len - (p - pp), v6 ? 128 : 32);
  while (p < pp + len && !T.aborted) {
    // tcpdump hands each prefix the attribute's whole length as what is left
    let id = 0;
    let adv: number;
    if (plain) {
      if (ap) id = T.g4(p);
      adv = decodePrefix(ap ? p + 4 : p, len, v6);
      if (adv === -1) T.emit('\n\t    (illegal prefix length)');
      else if (adv >= 0) T.emit(`\n\t      ${pfxText}`);
      if (ap) {
        T.emit(`   Path Id: ${id}`);
        adv += 4;
      }
    } else if (kind === 'rt') adv = rtMembership(p);
    else if (kind === 'n' || kind === 'nv') {
      adv = clnpPrefix(p, kind === 'nv');
      if (adv === -1) T.emit('\n\t    (illegal prefix length)');
      else if (adv >= 0) T.emit(`\n\t      ${pfxText}`);
    }
    else {
      adv = kind === 'l4' || kind === 'l6' ? labeledPrefix(p, len, v6) : kind === 'mdt' ? mdtPrefix(p) : kind === 'mvpn' ? mvpnRoute(p) : kind === 'l2' ? l2vpnRoute(p) : vpnPrefix(p, v6);
      if (adv === -1) T.emit(kind === 'l2' ? '\n\t    (illegal length)' : '\n\t    (illegal prefix length)');
      else if (adv >= 0) T.emit(`\n\t      ${pfxText}`);
    }
    if (adv === -2) return -2;
    if (adv < 0) break;
    p += adv;
  }
  return 0;
}

function notification(p: number, length: number): void {
  const O = BgpOffsets;
  if (!T.test(p, O.notifyLen)) return T.trunc();
  if (length < O.notifyLen) return;
  const major = T.g1(p + O.notifyCode);
  const minor = T.g1(p + O.notifySubcode);
  T.emit(`, ${tok(NOTIFY, major, 'Unknown Error')} (${major})`);
  const sub = SUBCODES[major];
  if (sub) T.emit(`${sub[0]} subcode ${tok(sub[1], minor, 'Unknown')} (${minor})`);
  if (major !== 6) return;
  const d = p + O.notifyLen;
  if (minor === 1 && length >= O.notifyLen + 7) {
    T.emit(`, ${afiSafi(T.g2(d), T.g1(d + 2))}, Max Prefixes: ${T.g4(d + 3)}`);
  }
  if ((minor === 2 || minor === 4) && length >= O.notifyLen + 1) {
    const cl = T.g1(d);
    let rem = 0;
    if (cl > length - (O.notifyLen + 1)) T.emit(', invalid Shutdown Communication length');
    else if (cl === 0) {
      T.emit(', empty Shutdown Communication');
      rem = 1;
    } else {
      if (!T.has(d + 1, cl)) return;
      T.emit(`, Shutdown Communication (length: ${cl}): "${safeText(T.b, d + 1, d + 1 + cl)}"`);
      rem = cl + 1;
    }
    const left = length - (rem + O.notifyLen);
    if (left > 0) {
      T.emit(`, Data: (length: ${left})`);
      if (!T.has(d + rem, left)) return;
      T.emit(hexDump(T.b, d + rem, left, '\n\t\t'));
    }
  }
}

function routeRefresh(p: number, len: number): void {
  const O = BgpOffsets;
  if (!T.test(p, O.refreshLen)) return T.trunc();
  if (len < O.refreshLen) return;
  T.emit(`\n\t  ${afiSafi(T.g2(p + O.refreshAfi), T.g1(p + O.refreshSafi))}`);
  if (T.verbose > 1) {
    if (!T.test(p, len)) return T.trunc();
    T.unknown(p, '\n\t  ', len);
  }
}
