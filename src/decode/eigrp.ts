/**
 * Cisco's Enhanced Interior Gateway Routing Protocol (RFC 7868): the 20-byte header and its TLVs
 * (general parameters, software version, IPv4 internal and external routes, AppleTalk routes and cable
 * setup), over IP protocol 88 or in an AppleTalk DDP datagram of type 88, printed as tcpdump's
 * eigrp_print prints them.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { hex2, ipv4Text } from './addr.js';
import { type Printer, flagNames, hex4, hex8, hexDump, hostName, longjmpCut } from './print.js';

/** Header field offsets (RFC 7868 section 6.4) and the TLVs' fixed sizes (tcpdump's structs). */
export const EigrpOffsets = {
  version: 0, opcode: 1, checksum: 2, flags: 4, seq: 8, ack: 12, vrid: 16, as: 18, headerLen: 20,
  tlvHeaderLen: 4, paramLen: 8, swVersionLen: 4, ipIntLen: 22, ipExtLen: 42, atCableLen: 8, atIntLen: 24, atExtLen: 40,
} as const;

/** TLV types tcpdump names. */
export const EigrpTlv = {
  PARAM: 0x0001, AUTH: 0x0002, SEQ: 0x0003, SW_VERSION: 0x0004, MCAST_SEQ: 0x0005,
  IP_INT: 0x0102, IP_EXT: 0x0103, AT_INT: 0x0202, AT_EXT: 0x0203, AT_CABLE: 0x0204, IPX_INT: 0x0302, IPX_EXT: 0x0303,
} as const;

const OPCODES: Readonly<Record<number, string>> = { 1: 'Update', 3: 'Query', 4: 'Reply', 5: 'Hello', 6: 'IPX SAP', 7: 'Probe' };
const FLAGS: ReadonlyArray<readonly [number, string]> = [[0x01, 'Init'], [0x02, 'Conditionally Received'], [0x04, 'Restart'], [0x08, 'End-of-Table']];
const TLV_NAMES: Readonly<Record<number, string>> = {
  0x0001: 'General Parameters', 0x0002: 'Authentication', 0x0003: 'Sequence', 0x0004: 'Software Version', 0x0005: 'Next Multicast Sequence',
  0x0102: 'IP Internal routes', 0x0103: 'IP External routes', 0x0202: 'AppleTalk Internal routes', 0x0203: 'AppleTalk External routes',
  0x0204: 'AppleTalk Cable setup', 0x0302: 'IPX Internal routes', 0x0303: 'IPX External routes',
};
const PROTO_NAMES: Readonly<Record<number, string>> = {
  1: 'IGRP', 2: 'EIGRP', 3: 'Static', 4: 'RIP', 5: 'Hello', 6: 'OSPF', 7: 'IS-IS', 8: 'EGP', 9: 'BGP', 10: 'IDRP', 11: 'Connected',
};

/** Zero-copy view of an EIGRP packet, checked once at reset. */
export class EigrpView extends ByteView {
  /**
   * Points at the header; Truncated below its 20 bytes.
   * @example eigrp.reset(bytes, 34, bytes.length - 34);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, EigrpOffsets.headerLen);
  }
  /** Version (2). */
  get version(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Opcode (1 Update, 3 Query, 4 Reply, 5 Hello, 6 IPX SAP, 7 Probe). */
  get opcode(): number {
    return this.bytes[this.offset + EigrpOffsets.opcode] ?? 0;
  }
}

/** One route of an IP internal or external route TLV. */
export interface EigrpRouteRepr {
  prefix: string;
  prefixLen: number;
  /** 0.0.0.0: the sender itself. */
  nexthop: string;
  delay: number;
  bandwidth: number;
  mtu: number;
  hopcount: number;
  reliability: number;
  load: number;
  /** External routes: where the route came from. */
  originRouter?: string;
  originAs?: number;
  originProto?: number;
  flags?: number;
  tag?: number;
  metric?: number;
}

/** Parsed EIGRP packet. */
export interface EigrpRepr {
  version: number;
  opcode: number;
  /** The other header fields, each when captured and within the packet. */
  checksum?: number;
  flags?: number;
  seq?: number;
  ack?: number;
  vrid?: number;
  as?: number;
  /** Every TLV's type and length, in order, as far as captured and declared. */
  tlvs: Array<{ type: number; length: number }>;
  /** General parameters TLV: K values and hold time (seconds). */
  params?: { k1: number; k2: number; k3: number; k4: number; k5: number; holdtime: number };
  /** IPv4 internal and external routes. */
  routes?: EigrpRouteRepr[];
}

/** The destination of an IPv4 route TLV (`d`: its plen byte): up to 4 bytes, zero-filled; undefined past `end`. */
function prefixAt(b: Uint8Array, d: number, end: number): { prefix: string; len: number } | undefined {
  const len = b[d] ?? 0;
  const n = (len + 7) >> 3;
  if (len > 32 || d + 1 + n > end) return undefined;
  const a = [0, 0, 0, 0];
  for (let k = 0; k < n; k++) a[k] = b[d + 1 + k] ?? 0;
  return { prefix: a.join('.'), len };
}

/** The metric fields of a route TLV whose delay starts at `m`. */
function metric(b: Uint8Array, m: number): Pick<EigrpRouteRepr, 'delay' | 'bandwidth' | 'mtu' | 'hopcount' | 'reliability' | 'load'> {
  return { delay: u32(b, m), bandwidth: u32(b, m + 4), mtu: ((b[m + 8] ?? 0) << 16) | u16(b, m + 9), hopcount: b[m + 11] ?? 0, reliability: b[m + 12] ?? 0, load: b[m + 13] ?? 0 };
}

/** Builds the sink representation (TLVs walked as far as captured and declared). */
export function eigrpRepr(v: EigrpView, declared = v.length): EigrpRepr {
  const b = v.bytes;
  const o = v.offset;
  const end = o + Math.min(v.length, declared);
  const r: EigrpRepr = { version: v.version, opcode: v.opcode, tlvs: [] };
  const has = (at: number, n: number): boolean => o + at + n <= end;
  if (has(EigrpOffsets.checksum, 2)) r.checksum = u16(b, o + EigrpOffsets.checksum);
  if (has(EigrpOffsets.flags, 4)) r.flags = u32(b, o + EigrpOffsets.flags);
  if (has(EigrpOffsets.seq, 4)) r.seq = u32(b, o + EigrpOffsets.seq);
  if (has(EigrpOffsets.ack, 4)) r.ack = u32(b, o + EigrpOffsets.ack);
  if (has(EigrpOffsets.vrid, 2)) r.vrid = u16(b, o + EigrpOffsets.vrid);
  if (has(EigrpOffsets.as, 2)) r.as = u16(b, o + EigrpOffsets.as);
  for (let q = o + EigrpOffsets.headerLen; q + 4 <= end && r.tlvs.length < 256;) {
    const type = u16(b, q);
    const len = u16(b, q + 2);
    if (len < 4 || q + len > end) break;
    r.tlvs.push({ type, length: len });
    const t = q + 4;
    const n = len - 4;
    if (type === EigrpTlv.PARAM && n >= EigrpOffsets.paramLen) {
      r.params = { k1: b[t] ?? 0, k2: b[t + 1] ?? 0, k3: b[t + 2] ?? 0, k4: b[t + 3] ?? 0, k5: b[t + 4] ?? 0, holdtime: u16(b, t + 6) };
    } else if (type === EigrpTlv.IP_INT && n >= EigrpOffsets.ipIntLen) {
      const p = prefixAt(b, t + 20, q + len);
      if (p) (r.routes ??= []).push({ prefix: p.prefix, prefixLen: p.len, nexthop: ipv4Text(b, t), ...metric(b, t + 4) });
    } else if (type === EigrpTlv.IP_EXT && n >= EigrpOffsets.ipExtLen) {
      const p = prefixAt(b, t + 40, q + len);
      if (p) {
        (r.routes ??= []).push({
          prefix: p.prefix, prefixLen: p.len, nexthop: ipv4Text(b, t), ...metric(b, t + 24),
          originRouter: ipv4Text(b, t + 4), originAs: u32(b, t + 8), tag: u32(b, t + 12), metric: u32(b, t + 16), originProto: b[t + 22] ?? 0, flags: b[t + 23] ?? 0,
        });
      }
    }
    q += len;
  }
  return r;
}

/** tcpdump's text of an EIGRP layer (`len`: its length from the carrier). */
export function printEigrp(c: Printer, v: EigrpView, _i: number, len: number): void {
  printEigrpAt(c, v.offset, len);
}

/**
 * eigrp_print for `len` bytes at `o` in the packet (also called by the DDP printer, whose datagrams
 * carry no layer of their own on LocalTalk): the opcode line, and at -v the header and every TLV.
 */
export function printEigrpAt(c: Printer, o: number, len: number): void {
  const b = c.parser.bytes;
  const capEnd = c.pkt.offset + c.pkt.capLen;
  const verbose = c.opts.verbose;
  if (o + EigrpOffsets.headerLen > capEnd) {
    c.s += ' [|eigrp]';
    return;
  }
  const ver = b[o] ?? 0;
  if (ver !== 2) {
    c.s += `EIGRP version ${ver} packet not supported`;
    return;
  }
  const op = b[o + EigrpOffsets.opcode] ?? 0;
  if (!verbose) {
    c.s += `EIGRP ${OPCODES[op] ?? `unknown (${op})`}, length: ${len}`;
    return;
  }
  if (len < EigrpOffsets.headerLen) {
    c.s += `EIGRP ${OPCODES[op] ?? `unknown (${op})`}, length: ${len} (too short, < ${EigrpOffsets.headerLen})`;
    return;
  }
  let tlen = len - EigrpOffsets.headerLen;
  c.s += `\n\tEIGRP v${ver}, opcode: ${OPCODES[op] ?? `unknown, type: ${op}`} (${op}), chksum: 0x${hex4(u16(b, o + EigrpOffsets.checksum))}, Flags: [${flagNames(FLAGS, u32(b, o + EigrpOffsets.flags))}]`;
  c.s += `\n\tseq: 0x${hex8(u32(b, o + EigrpOffsets.seq))}, ack: 0x${hex8(u32(b, o + EigrpOffsets.ack))}, VRID: ${u16(b, o + EigrpOffsets.vrid)}, AS: ${u16(b, o + EigrpOffsets.as)}, length: ${tlen}`;
  const dump = (q: number, n: number): void => {
    c.s += hexDump(b, q, Math.max(0, Math.min(n, capEnd - q)), '\n\t    ');
  };
  let q = o + EigrpOffsets.headerLen;
  while (tlen > 0) {
    if (q + 4 > capEnd) {
      c.s += ' [|eigrp]';
      return;
    }
    const type = u16(b, q);
    const tl = u16(b, q + 2);
    if (tl < 4 || tl > tlen) {
      dump(q + 4, tlen);
      return;
    }
    c.s += `\n\t  ${TLV_NAMES[type] ?? 'Unknown'} TLV (0x${hex4(type)}), length: ${tl}`;
    if (q + tl > capEnd) {
      c.s += ' [|eigrp]';
      return;
    }
    if (!eigrpTlv(c, type, q + 4, tl - 4)) return;
    if (verbose > 1) dump(q + 4, tl - 4);
    q += tl;
    tlen -= tl;
  }
}

/** One TLV's body (`n` bytes at `t`, captured); false when tcpdump's printer stopped on a read past the capture. */
function eigrpTlv(c: Printer, type: number, t: number, n: number): boolean {
  const b = c.parser.bytes;
  const need = (size: number): boolean => {
    if (n >= size) return true;
    c.s += ` (too short, < ${size + 4})`;
    return false;
  };
  const host = (at: number): string => hostName(c.opts, ipv4Text(b, at));
  const line = (m: number): void => {
    const x = metric(b, m);
    c.s += `\n\t      delay ${Math.floor(x.delay / 100)} ms, bandwidth ${x.bandwidth} Kbps, mtu ${x.mtu}, hop ${x.hopcount}, reliability ${x.reliability}, load ${x.load}`;
  };
  const route = (nexthop: number, plen: number): boolean => {
    const bits = b[plen] ?? 0;
    if (bits > 32) {
      c.s += `\n\t    illegal prefix length ${bits}`;
      return true;
    }
    const p = prefixAt(b, plen, c.pkt.offset + c.pkt.capLen);
    if (!p) {
      longjmpCut(c, 'eigrp');
      return false;
    }
    c.s += `\n\t    IPv4 prefix: ${hostName(c.opts, p.prefix).padStart(15, ' ')}/${bits}, nexthop: ${u32(b, nexthop) === 0 ? 'self' : host(nexthop)}`;
    return true;
  };
  const atNexthop = (at: number): string => (u32(b, at) === 0 ? 'self' : `${u16(b, at)}.${u16(b, at + 2)}`);
  const origin = (router: string, as: number, proto: number, flags: number, tag: number, m: number): void => {
    c.s += `\n\t      origin-router ${router}, origin-as ${as}, origin-proto ${PROTO_NAMES[proto] ?? 'unknown'}, flags [0x${hex2(flags)}], tag 0x${hex8(tag)}, metric ${m}`;
  };
  switch (type) {
    case EigrpTlv.PARAM:
      if (need(EigrpOffsets.paramLen)) c.s += `\n\t    holdtime: ${u16(b, t + 6)}s, k1 ${b[t] ?? 0}, k2 ${b[t + 1] ?? 0}, k3 ${b[t + 2] ?? 0}, k4 ${b[t + 3] ?? 0}, k5 ${b[t + 4] ?? 0}`;
      return true;
    case EigrpTlv.SW_VERSION:
      if (need(EigrpOffsets.swVersionLen)) c.s += `\n\t    IOS version: ${b[t] ?? 0}.${b[t + 1] ?? 0}, EIGRP version ${b[t + 2] ?? 0}.${b[t + 3] ?? 0}`;
      return true;
    case EigrpTlv.IP_INT:
      if (!need(EigrpOffsets.ipIntLen)) return true;
      if (!route(t, t + 20)) return false;
      if ((b[t + 20] ?? 0) <= 32) line(t + 4);
      return true;
    case EigrpTlv.IP_EXT:
      if (!need(EigrpOffsets.ipExtLen)) return true;
      if (!route(t, t + 40)) return false;
      if ((b[t + 40] ?? 0) > 32) return true;
      origin(host(t + 4), u32(b, t + 8), b[t + 22] ?? 0, b[t + 23] ?? 0, u32(b, t + 12), u32(b, t + 16));
      line(t + 24);
      return true;
    case EigrpTlv.AT_CABLE:
      if (need(EigrpOffsets.atCableLen)) c.s += `\n\t    Cable-range: ${u16(b, t)}-${u16(b, t + 2)}, Router-ID ${u32(b, t + 4)}`;
      return true;
    case EigrpTlv.AT_INT:
      if (!need(EigrpOffsets.atIntLen)) return true;
      c.s += `\n\t     Cable-Range: ${u16(b, t + 20)}-${u16(b, t + 22)}, nexthop: ${atNexthop(t)}`;
      line(t + 4);
      return true;
    case EigrpTlv.AT_EXT:
      if (!need(EigrpOffsets.atExtLen)) return true;
      c.s += `\n\t     Cable-Range: ${u16(b, t + 36)}-${u16(b, t + 38)}, nexthop: ${atNexthop(t)}`;
      origin(`${u32(b, t + 4)}`, u32(b, t + 8), b[t + 16] ?? 0, b[t + 17] ?? 0, u32(b, t + 12), u16(b, t + 18));
      line(t + 20);
      return true;
    default:
      if (c.opts.verbose <= 1) c.s += hexDump(b, t, Math.max(0, Math.min(n, c.pkt.offset + c.pkt.capLen - t)), '\n\t    ');
      return true;
  }
}
