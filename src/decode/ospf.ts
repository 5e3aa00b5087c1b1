/**
 * Open Shortest Path First, IP protocol 89: version 2 over IPv4 (RFC 2328; NSSA RFC 3101, opaque
 * LSAs RFC 5250 with traffic engineering RFC 3630/4203/4124, Router Information RFC 7770, graceful
 * restart RFC 3623, link-local signalling RFC 5613, cryptographic authentication RFC 2328 D.3) and
 * version 3 over IPv6 (RFC 5340; authentication trailer RFC 7166). The printers follow tcpdump's
 * wording and its reading order: a read past the captured bytes ends the text with ` [|ospf2]` or
 * ` [|ospf3]`, while the checks tcpdump makes on lengths end only the current LSA or TLV.
 */
import { ByteView, DecodeStatus, EMPTY_BYTES, u16, u32 } from './status.js';
import { ipv4Text, ipv6Text } from './addr.js';
import { Layer } from './layers.js';
import { type Printer, hexDump, hostName, safeChar } from './print.js';

/** Field offsets of the common headers and of an LSA header (from its start). */
export const OspfOffsets = {
  version: 0, type: 1, length: 2, routerId: 4, areaId: 8, checksum: 12,
  /** v2: authentication type and 8 bytes of data; the body at 24. */
  authType: 14, authData: 16, v2Body: 24,
  /** v3: instance id; the body at 16. */
  instance: 14, v3Body: 16,
  lsaAge: 0, lsaType: 2, lsaHeaderLen: 20, lsaSeq: 12, lsaChecksum: 16, lsaLength: 18,
} as const;

/** OSPF packet types (both versions). */
export const OspfType = { HELLO: 1, DD: 2, LS_REQUEST: 3, LS_UPDATE: 4, LS_ACK: 5 } as const;

/** Zero-copy view of an OSPF packet (either version). */
export class OspfView extends ByteView {
  /**
   * Points at an OSPF header; Truncated below the 16 bytes both versions share.
   * @example ospf.reset(bytes, 34, bytes.length - 34);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, OspfOffsets.v3Body);
  }
  /** Version (2 or 3). */
  get version(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Packet type (OspfType). */
  get type(): number {
    return this.bytes[this.offset + OspfOffsets.type] ?? 0;
  }
  /** Packet length field (header and body, no trailer). */
  get packetLength(): number {
    return u16(this.bytes, this.offset + OspfOffsets.length);
  }
  /** Body offset in `bytes`. */
  get bodyOffset(): number {
    return this.offset + (this.version === 2 ? OspfOffsets.v2Body : OspfOffsets.v3Body);
  }
  /** End of the captured bytes that belong to the packet body (length field, captured bytes). */
  get dataEnd(): number {
    return this.offset + Math.min(this.length, this.packetLength);
  }
}

// ---------------------------------------------------------------- Repr

/** One LSA header (DD, LS update, LS ack). */
export interface OspfLsaHeaderRepr {
  age: number;
  /** v2: options byte; absent in v3. */
  options?: number;
  /** v2: the LS type byte; v3: the 16-bit LS type with its scope bits. */
  type: number;
  id: string;
  advRouter: string;
  seq: number;
  checksum: number;
  length: number;
}

/** Parsed OSPF packet: the header, the hello or DD fields, LS requests and LSA headers. */
export interface OspfRepr {
  version: number;
  type: number;
  /** The fields below need the 16 header bytes both versions share. */
  length?: number;
  routerId?: string;
  areaId?: string;
  checksum?: number;
  /** v2 only. */
  authType?: number;
  /** v3 only. */
  instanceId?: number;
  hello?: {
    /** v2: the network mask; v3: absent. */
    mask?: string;
    /** v3: the interface id; v2: absent. */
    interfaceId?: number;
    helloInterval: number;
    deadInterval: number;
    options: number;
    priority: number;
    dr: string;
    bdr: string;
    neighbors: string[];
  };
  dd?: { mtu: number; options: number; flags: number; sequence: number };
  requests?: Array<{ type: number; id: string; advRouter: string }>;
  /** LS update: the LSA count field. */
  lsaCount?: number;
  lsas?: OspfLsaHeaderRepr[];
}

/** LSA header at `o` (20 bytes captured). */
function lsaHeaderRepr(b: Uint8Array, o: number, v3: boolean): OspfLsaHeaderRepr {
  const age = u16(b, o);
  const rest = {
    type: v3 ? u16(b, o + 2) : b[o + 3] ?? 0, id: ipv4Text(b, o + 4), advRouter: ipv4Text(b, o + 8),
    seq: u32(b, o + 12), checksum: u16(b, o + 16), length: u16(b, o + 18),
  };
  return v3 ? { age, ...rest } : { age, options: b[o + 2] ?? 0, ...rest };
}

/** Builds the sink representation (the header, plus what the captured body holds). */
export function ospfRepr(v: OspfView): OspfRepr {
  const b = v.bytes;
  const o = v.offset;
  const O = OspfOffsets;
  // a header cut short: what the schema promises only with 16 bytes is left out
  if (v.length < O.v3Body) return { version: v.version, type: v.type };
  const v3 = v.version === 3;
  const r: OspfRepr = {
    version: v.version, type: v.type, length: v.packetLength, routerId: ipv4Text(b, o + O.routerId), areaId: ipv4Text(b, o + O.areaId),
    checksum: u16(b, o + O.checksum),
  };
  if (v3) r.instanceId = b[o + O.instance] ?? 0;
  else if (v.version === 2 && v.length >= O.v2Body) r.authType = u16(b, o + O.authType);
  if (v.version !== 2 && !v3) return r;
  if (!v3 && v.length < O.v2Body) return r;
  const q = v.bodyOffset;
  const end = v.dataEnd;
  switch (v.type) {
    case OspfType.HELLO: {
      // both versions hold 20 bytes before the neighbours
      const fixed = 20;
      if (q + fixed > end) break;
      const neighbors: string[] = [];
      for (let a = q + fixed; a + 4 <= end; a += 4) neighbors.push(ipv4Text(b, a));
      r.hello = v3
        ? { interfaceId: u32(b, q), helloInterval: u16(b, q + 8), deadInterval: u16(b, q + 10), options: u32(b, q + 4) & 0xffffff, priority: b[q + 4] ?? 0, dr: ipv4Text(b, q + 12), bdr: ipv4Text(b, q + 16), neighbors }
        : { mask: ipv4Text(b, q), helloInterval: u16(b, q + 4), deadInterval: u32(b, q + 8), options: b[q + 6] ?? 0, priority: b[q + 7] ?? 0, dr: ipv4Text(b, q + 12), bdr: ipv4Text(b, q + 16), neighbors };
      break;
    }
    case OspfType.DD: {
      const h = v3 ? 12 : 8;
      if (q + h > end) break;
      r.dd = v3
        ? { mtu: u16(b, q + 4), options: u32(b, q) & 0xffffff, flags: b[q + 7] ?? 0, sequence: u32(b, q + 8) }
        : { mtu: u16(b, q), options: b[q + 2] ?? 0, flags: b[q + 3] ?? 0, sequence: u32(b, q + 4) };
      r.lsas = headers(b, q + h, end, v3);
      break;
    }
    case OspfType.LS_REQUEST: {
      r.requests = [];
      for (let a = q; a + 12 <= end; a += 12) r.requests.push({ type: v3 ? u16(b, a + 2) : u32(b, a), id: ipv4Text(b, a + 4), advRouter: ipv4Text(b, a + 8) });
      break;
    }
    case OspfType.LS_UPDATE: {
      if (q + 4 > end) break;
      r.lsaCount = u32(b, q);
      r.lsas = [];
      let a = q + 4;
      for (let k = 0; k < r.lsaCount && a + O.lsaHeaderLen <= end; k++) {
        const h = lsaHeaderRepr(b, a, v3);
        r.lsas.push(h);
        if (h.length < O.lsaHeaderLen) break;
        a += h.length;
      }
      break;
    }
    case OspfType.LS_ACK:
      r.lsas = headers(b, q, end, v3);
      break;
    default:
      break;
  }
  return r;
}

/** The LSA headers from `from` that fit before `end`. */
function headers(b: Uint8Array, from: number, end: number, v3: boolean): OspfLsaHeaderRepr[] {
  const out: OspfLsaHeaderRepr[] = [];
  for (let a = from; a + OspfOffsets.lsaHeaderLen <= end; a += OspfOffsets.lsaHeaderLen) out.push(lsaHeaderRepr(b, a, v3));
  return out;
}

// ---------------------------------------------------------------- name tables (tcpdump's wording)

type Tok = ReadonlyArray<readonly [number, string]>;

const tok = (t: Tok, v: number, dflt: string): string => {
  for (const [k, s] of t) if (k === v) return s;
  return dflt;
};
/** tcpdump's bittok2str: the names of the set bits joined by ', ', else `none`. */
const bittok = (t: Tok, v: number, none: string): string => {
  let s = '';
  for (const [k, n] of t) if (k !== 0 && (v & k) >>> 0 === k) s += (s ? ', ' : '') + n;
  return s || none;
};

const PACKET_TYPES: Tok = [[1, 'Hello'], [2, 'Database Description'], [3, 'LS-Request'], [4, 'LS-Update'], [5, 'LS-Ack']];
const OPTIONS: Tok = [[0x01, 'MultiTopology'], [0x02, 'External'], [0x04, 'Multicast'], [0x08, 'NSSA'], [0x10, 'LLS'], [0x20, 'Demand Circuit'], [0x40, 'Opaque'], [0x80, 'Up/Down']];
const AUTH_TYPES: Tok = [[0, 'none'], [1, 'simple'], [2, 'MD5']];
const RLA_FLAGS: Tok = [[0x01, 'ABR'], [0x02, 'ASBR'], [0x04, 'Virtual'], [0x08, 'Wildcard'], [0x10, 'Nt'], [0x80, 'Host']];
const LSA_TYPES: Tok = [[1, 'Router'], [2, 'Network'], [3, 'Summary'], [4, 'ASBR Summary'], [5, 'External'], [6, 'Multicast Group'], [7, 'NSSA'], [9, 'Link Local Opaque'], [10, 'Area Local Opaque'], [11, 'Domain Wide Opaque']];
const DD_FLAGS: Tok = [[0x04, 'Init'], [0x02, 'More'], [0x01, 'Master'], [0x08, 'OOBResync']];
const OPAQUE_TYPES: Tok = [[1, 'Traffic Engineering'], [3, 'Graceful restart'], [4, 'Router Information']];
const TE_TLVS: Tok = [[1, 'Router Address'], [2, 'Link']];
const TE_SUBTLVS: Tok = [
  [1, 'Link Type'], [2, 'Link ID'], [3, 'Local Interface IP address'], [4, 'Remote Interface IP address'], [5, 'Traffic Engineering Metric'],
  [6, 'Maximum Bandwidth'], [7, 'Maximum Reservable Bandwidth'], [8, 'Unreserved Bandwidth'], [9, 'Administrative Group'],
  [11, 'Link Local/Remote Identifier'], [14, 'Link Protection Type'], [15, 'Interface Switching Capability'], [16, 'Shared Risk Link Group'],
  [17, 'Bandwidth Constraints'],
];
const GRACE_TLVS: Tok = [[1, 'Grace Period'], [2, 'Graceful restart Reason'], [3, 'IPv4 interface address']];
const GRACE_REASONS: Tok = [[0, 'Unknown'], [1, 'Software Restart'], [2, 'Software Reload/Upgrade'], [3, 'Control Processor Switch']];
const TE_LINK_TYPES: Tok = [[1, 'Point-to-point'], [2, 'Multi-Access']];
const RI_TLVS: Tok = [[1, 'Router Capabilities']];
const RI_CAPS: Tok = [[1, 'Reserved'], [2, 'Reserved'], [4, 'Reserved'], [8, 'Reserved'], [16, 'graceful restart capable'], [32, 'graceful restart helper'], [64, 'Stub router support'], [128, 'Traffic engineering'], [256, 'p2p over LAN'], [512, 'path computation server']];
const LLS_TLVS: Tok = [[1, 'Extended Options'], [2, 'MD5 Authentication']];
const LLS_EO: Tok = [[1, 'LSDB resync'], [2, 'Restart']];
const TOPOLOGIES: Tok = [[0, 'default'], [1, 'multicast'], [2, 'management']];
// GMPLS (RFC 3471, 4124)
const LINK_PROTECTION: Tok = [[0x01, 'Extra Traffic'], [0x02, 'Unprotected'], [0x04, 'Shared'], [0x08, 'Dedicated 1:1'], [0x10, 'Dedicated 1+1'], [0x20, 'Enhanced'], [0x40, 'Reserved'], [0x80, 'Reserved']];
const SWITCH_CAPS: Tok = [[1, 'Packet-Switch Capable-1'], [2, 'Packet-Switch Capable-2'], [3, 'Packet-Switch Capable-3'], [4, 'Packet-Switch Capable-4'], [51, 'Layer-2 Switch Capable'], [100, 'Time-Division-Multiplex'], [150, 'Lambda-Switch Capable'], [200, 'Fiber-Switch Capable']];
const ENCODINGS: Tok = [[1, 'Packet'], [2, 'Ethernet V2/DIX'], [3, 'ANSI/ETSI PDH'], [4, 'Reserved'], [5, 'SDH ITU-T G.707/SONET ANSI T1.105'], [6, 'Reserved'], [7, 'Digital Wrapper'], [8, 'Lambda (photonic)'], [9, 'Fiber'], [10, 'Reserved'], [11, 'FiberChannel']];
const BC_MODELS: Tok = [[0, 'Russian dolls'], [1, 'Maximum allocation'], [254, 'Maximum allocation with E-LSP support']];
// OSPFv3
const OPTIONS6: Tok = [[0x01, 'V6'], [0x02, 'External'], [0x04, 'Deprecated'], [0x08, 'NSSA'], [0x10, 'Router'], [0x20, 'Demand Circuit'], [0x100, 'AFs Support'], [0x200, 'LLS'], [0x400, 'Authentication Trailer']];
const RLA_FLAGS6: Tok = [[0x01, 'ABR'], [0x02, 'External'], [0x04, 'Virtual-Link Endpoint'], [0x08, 'Deprecated'], [0x10, 'NSSA Translator']];
const ASLA_FLAGS6: Tok = [[0x80000000, 'External Type 2'], [0x02000000, 'Forwarding'], [0x01000000, 'Tag']];
const LSA_TYPES6: Tok = [[1, 'Router'], [2, 'Network'], [3, 'Inter-Area Prefix'], [4, 'Inter-Area Router'], [5, 'External'], [6, 'Deprecated'], [7, 'NSSA'], [8, 'Link'], [9, 'Intra-Area Prefix'], [10, 'Intra-Area TE'], [11, 'Grace'], [12, 'Router Information'], [13, 'Inter-AS-TE'], [14, 'Layer 1 VPN']];
const SCOPES6: Tok = [[0, 'Link Local'], [0x2000, 'Area Local'], [0x4000, 'Domain Wide']];
const DD_FLAGS6: Tok = [[0x04, 'Init'], [0x02, 'More'], [0x01, 'Master'], [0x10, 'IPv6 MTU']];
const PREFIX_OPTIONS6: Tok = [[0x01, 'No Unicast'], [0x02, 'Local address'], [0x04, 'Deprecated'], [0x08, 'Propagate'], [0x10, 'Down'], [0x20, 'N-bit']];

// ---------------------------------------------------------------- text

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');
const hex4 = (n: number): string => n.toString(16).padStart(4, '0');
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
/** tcpdump's `%.3f Mbps` of an IEEE float in bytes per second, computed in single precision as C does. */
function mbps(bits: number): string {
  U32[0] = bits;
  return `${Math.fround(Math.fround(F32[0]! * 8) / 1000000).toFixed(3)} Mbps`;
}
/** `%zu` of `n - 20` for a 16-bit n: size_t arithmetic wraps below zero. */
const lsaBodyLen = (n: number): string => (n >= 20 ? String(n - 20) : (BigInt(n) - 20n + (1n << 64n)).toString());

/** Failure codes of the inner printers: a length check that ends the current LSA or TLV. */
const BAD = -1;

/**
 * One packet's printing state: the bytes, where tcpdump's snapshot end lies, and `cut`, set by the
 * first read past it (tcpdump's GET macros longjmp there; here every reader returns and the caller
 * checks `cut`). Reused for every packet.
 */
class Text {
  c!: Printer;
  b: Uint8Array = EMPTY_BYTES;
  start = 0;
  end = 0;
  verbose = 0;
  cut = false;
  /** The cut was a read past the capture (tcpdump's longjmp), not a length check. */
  jump = false;
  /** What is left of the current OSPFv3 LSA body, as tcpdump counts it down. */
  rem = 0;
  readonly prefix6 = new Uint8Array(16);

  /** Takes `n` bytes off `rem`; false (no cut) when fewer are left. */
  take(n: number): boolean {
    if (this.rem < n) return false;
    this.rem -= n;
    return true;
  }

  /** GET: true when [o, o+n) was captured; otherwise marks the print cut (tcpdump longjmps). */
  has(o: number, n: number): boolean {
    if (o >= this.start && o + n <= this.end) return true;
    this.cut = true;
    this.jump = true;
    return false;
  }
  /** ND_TTEST: a check that does not cut. */
  test(o: number, n: number): boolean {
    return o >= this.start && o + n <= this.end;
  }
  /** GET_IPADDR_STRING: the IPv4 address at `o`, as a name without -n. */
  ip(o: number): string {
    return hostName(this.c.opts, ipv4Text(this.b, o));
  }
  /** GET_IP6ADDR_STRING: the IPv6 address at `o` of `b`, as a name without -n. */
  ip6(b: Uint8Array, o: number): string {
    return hostName(this.c.opts, ipv6Text(b, o));
  }
  /** print_unknown_data: a hex dump of what was captured of `n` bytes at `o`; false past the end. */
  unknown(o: number, indent: string, n: number): boolean {
    if (o < this.start || o > this.end) {
      this.c.s += `${indent}Dissector error: print_unknown_data called with pointer past end of packet`;
      return false;
    }
    this.c.s += hexDump(this.b, o, Math.min(n, this.end - o), indent);
    return true;
  }

  // ------------------------------------------------------------ shared TLV printers

  private tlvType = 0;
  private tlvLen = 0;

  /** Reads the TLV header at `t` into tlvType/tlvLen; false (after tcpdump's note when the LSA is short) ends the TLVs. */
  private tlvHead(t: number, lsLen: number): boolean {
    if (!this.test(t, 4)) return false;
    if (lsLen < 4) {
      this.c.s += `\n\t    Remaining LS length ${lsLen} < 4`;
      return false;
    }
    this.tlvType = u16(this.b, t);
    this.tlvLen = u16(this.b, t + 2);
    return true;
  }

  /** The checks after a TLV's header line: longer than what remains of the LSA, or a zero type or length. */
  private tlvBad(type: number, len: number, lsLen: number): boolean {
    if (len > lsLen) {
      this.c.s += `\n\t    Bogus length ${len} > ${lsLen}`;
      return true;
    }
    return type === 0 || len === 0;
  }

  /** The grace LSA TLVs (RFC 3623); 0, or BAD when a check failed or the TLVs ran out of capture. */
  grace(t: number, lsLen: number): number {
    const b = this.b;
    while (lsLen > 0) {
      if (!this.tlvHead(t, lsLen)) return BAD;
      const type = this.tlvType;
      let len = this.tlvLen;
      t += 4;
      lsLen -= 4;
      this.c.s += `\n\t    ${tok(GRACE_TLVS, type, 'unknown')} TLV (${type}), length ${len}, value: `;
      if (this.tlvBad(type, len, lsLen)) return BAD;
      if (!this.test(t, len)) return BAD;
      switch (type) {
        case 1:
          if (len !== 4) return this.bogus(len, 4);
          this.c.s += `${u32(b, t)}s`;
          break;
        case 2:
          if (len !== 1) return this.bogus(len, 1);
          this.c.s += `${tok(GRACE_REASONS, b[t]!, 'Unknown')} (${b[t]!})`;
          break;
        case 3:
          if (len !== 4) return this.bogus(len, 4);
          this.c.s += this.ip(t);
          break;
        default:
          if (this.verbose <= 1 && !this.unknown(t, '\n\t      ', len)) return BAD;
      }
      if (len % 4 !== 0) len += 4 - (len % 4);
      lsLen = (lsLen - len) >>> 0;
      t += len;
    }
    return 0;
  }

  private bogus(len: number, want: number): number {
    this.c.s += `\n\t    Bogus length ${len} != ${want}`;
    return BAD;
  }

  /** The traffic engineering LSA TLVs (RFC 3630); 0, or BAD (ending the LSA); may cut. */
  te(t: number, lsLen: number): number {
    const b = this.b;
    while (lsLen !== 0) {
      if (!this.tlvHead(t, lsLen)) return BAD;
      const type = this.tlvType;
      let len = this.tlvLen;
      t += 4;
      lsLen -= 4;
      this.c.s += `\n\t    ${tok(TE_TLVS, type, 'unknown')} TLV (${type}), length: ${len}`;
      if (this.tlvBad(type, len, lsLen)) return BAD;
      if (type === 2) {
        // the sub-TLVs; tcpdump leaves the TLV's length at zero here, so the LSA length keeps it
        while (len !== 0) {
          if (len < 4) {
            this.c.s += `\n\t    Remaining TLV length ${len} < 4`;
            return BAD;
          }
          if (!this.has(t, 4)) return BAD;
          const st = u16(b, t);
          let sl = u16(b, t + 2);
          t += 4;
          len -= 4;
          if (st === 0 || sl === 0) return this.invalid();
          this.c.s += `\n\t      ${tok(TE_SUBTLVS, st, 'unknown')} subTLV (${st}), length: ${sl}`;
          if (len < sl) {
            this.c.s += `\n\t    Remaining TLV length ${len + 4} < ${sl + 4}`;
            return BAD;
          }
          if (!this.test(t, sl)) return BAD;
          const r = this.teSub(st, t, sl);
          if (r === BAD) return BAD;
          t += r;
          if (sl % 4 !== 0) sl += 4 - (sl % 4);
          if (len < sl) {
            this.c.s += `\n\t    Remaining TLV length ${len + 4} < ${sl + 4}`;
            return BAD;
          }
          len -= sl;
          t += sl;
        }
      } else if (type === 1) {
        if (len < 4) {
          this.c.s += `\n\t    TLV length ${len} < 4`;
          return BAD;
        }
        if (!this.has(t, 4)) return BAD;
        this.c.s += `, ${this.ip(t)}`;
      } else if (this.verbose <= 1 && !this.unknown(t, '\n\t      ', len)) return BAD;
      if (len % 4 !== 0) len += 4 - (len % 4);
      if (len > lsLen) {
        this.c.s += `\n\t    Bogus padded length ${len} > ${lsLen}`;
        return BAD;
      }
      lsLen -= len;
      t += len;
    }
    return 0;
  }

  private invalid(): number {
    this.c.s += ' (invalid)';
    return BAD;
  }

  /** One TE link sub-TLV (captured); BAD, or the extra bytes tcpdump steps over (its SRLG loop moves the pointer too). */
  private teSub(st: number, t: number, sl: number): number {
    const b = this.b;
    const c = this.c;
    switch (st) {
      case 9:
        if (sl !== 4) return this.notLen(' != 4');
        c.s += `, 0x${hex8(u32(b, t))}`;
        return 0;
      case 2:
      case 11:
        if (sl !== 4 && sl !== 8) return this.notLen(' != 4 && != 8');
        c.s += `, ${this.ip(t)} (0x${hex8(u32(b, t))})`;
        if (sl === 8) c.s += `, ${this.ip(t + 4)} (0x${hex8(u32(b, t + 4))})`;
        return 0;
      case 3:
      case 4:
        if (sl !== 4) return this.notLen(' != 4');
        c.s += `, ${this.ip(t)}`;
        return 0;
      case 6:
      case 7:
        if (sl !== 4) return this.notLen(' != 4');
        c.s += `, ${mbps(u32(b, t))}`;
        return 0;
      case 8:
        if (sl !== 32) return this.notLen(' != 32');
        for (let k = 0; k < 8; k++) c.s += `\n\t\tTE-Class ${k}: ${mbps(u32(b, t + k * 4))}`;
        return 0;
      case 17: {
        if (sl < 4) return this.notLen(' < 4');
        c.s += `\n\t\tBandwidth Constraints Model ID: ${tok(BC_MODELS, b[t]!, 'unknown')} (${b[t]!})`;
        if (sl % 4 !== 0) return this.notLen(`\n\t\tlength ${sl} != N x 4`);
        if (sl > 36) return this.notLen(`\n\t\tlength ${sl} > 36`);
        for (let k = 0; k < (sl - 4) / 4; k++) c.s += `\n\t\t  Bandwidth constraint CT${k}: ${mbps(u32(b, t + 4 + k * 4))}`;
        return 0;
      }
      case 5:
        if (sl !== 4) return this.notLen(' != 4');
        c.s += `, Metric ${u32(b, t)}`;
        return 0;
      case 14:
        if (sl !== 4) return this.notLen(' != 4');
        c.s += `, ${bittok(LINK_PROTECTION, b[t]!, 'none')}`;
        return 0;
      case 15:
        if (sl < 36) return this.notLen(' < 36');
        c.s += `\n\t\tInterface Switching Capability: ${tok(SWITCH_CAPS, b[t]!, 'Unknown')}`;
        c.s += `\n\t\tLSP Encoding: ${tok(ENCODINGS, b[t + 1]!, 'Unknown')}\n\t\tMax LSP Bandwidth:`;
        for (let k = 0; k < 8; k++) c.s += `\n\t\t  priority level ${k}: ${mbps(u32(b, t + 4 + k * 4))}`;
        return 0;
      case 1:
        if (sl !== 1) return this.notLen(' != 1');
        c.s += `, ${tok(TE_LINK_TYPES, b[t]!, 'unknown')} (${b[t]!})`;
        return 0;
      case 16: {
        if (sl % 4 !== 0) return this.notLen(' != N x 4');
        const n = sl / 4;
        if (n !== 0) c.s += '\n\t\t  Shared risk group: ';
        for (let k = 0; k < n; k++) {
          if (!this.has(t + k * 4, 4)) return BAD;
          c.s += `${u32(b, t + k * 4)}${k < n - 1 ? ', ' : ''}`;
        }
        return sl;
      }
      default:
        if (this.verbose <= 1 && !this.unknown(t, '\n\t\t', sl)) return BAD;
        return 0;
    }
  }

  private notLen(s: string): number {
    this.c.s += s;
    return this.invalid();
  }
}

const T = new Text();

// ---------------------------------------------------------------- OSPFv2

/** ospf_print_lshdr: the LSA header at `h`; its length, or BAD for a length below 20 (may cut). */
function lsHeader2(t: Text, h: number): number {
  const b = t.b;
  if (!t.has(h, 20)) return BAD;
  const len = u16(b, h + 18);
  if (len < 20) {
    t.c.s += `\n\t    Bogus length ${len} < header (20)`;
    return BAD;
  }
  t.c.s += `\n\t  Advertising Router ${t.ip(h + 8)}, seq 0x${hex8(u32(b, h + 12))}, age ${u16(b, h)}s, length ${len - 20}`;
  const type = b[h + 3]!;
  if (type === 9 || type === 10 || type === 11) {
    t.c.s += `\n\t    ${tok(LSA_TYPES, type, 'unknown')} LSA (${type}), Opaque-Type ${tok(OPAQUE_TYPES, b[h + 4]!, 'unknown')} LSA (${b[h + 4]!}), Opaque-ID ${u32(b, h + 4) & 0xffffff}`;
  } else t.c.s += `\n\t    ${tok(LSA_TYPES, type, 'unknown')} LSA (${type}), LSA-ID: ${t.ip(h + 4)}`;
  t.c.s += `\n\t    Options: [${bittok(OPTIONS, b[h + 2]!, 'none')}]`;
  return len;
}

/** ospf_print_tos_metrics: the link's own metric and its TOS/topology metrics (may cut). */
function tosMetrics(t: Text, m: number): void {
  const b = t.b;
  if (!t.has(m + 1, 1)) return;
  let n = b[m + 1]! + 1;
  for (let k = 0; n !== 0; k++, n--, m += 4) {
    if (!t.has(m, 4)) return;
    const topo = k ? b[m]! : 0;
    t.c.s += `\n\t\ttopology ${tok(TOPOLOGIES, topo, 'Unknown')} (${topo}), metric ${u16(b, m + 2)}`;
  }
}

/** ospf_print_lsa: one LSA; the offset after it, or BAD when the print is over (cut or bogus length). */
function lsa2(t: Text, h: number): number {
  const b = t.b;
  const c = t.c;
  const len = lsHeader2(t, h);
  if (len === BAD) return BAD;
  const lsEnd = h + len;
  const lsLen = len - 20;
  const q = h + 20;
  const type = b[h + 3]!;
  switch (type) {
    case 1: {
      if (!t.has(q, 1)) return BAD;
      c.s += `\n\t    Router LSA Options: [${bittok(RLA_FLAGS, b[q]!, 'none')}]`;
      if (!t.has(q + 2, 2)) return BAD;
      let n = u16(b, q + 2);
      let l = q + 4;
      if (!t.has(l, 12)) return BAD;
      for (; n !== 0; n--) {
        if (!t.has(l, 12)) return BAD;
        const lt = b[l + 8]!;
        const id = t.ip(l);
        const data = t.ip(l + 4);
        if (lt === 4) c.s += `\n\t      Virtual Link: Neighbor Router-ID: ${id}, Interface Address: ${data}`;
        else if (lt === 1) c.s += `\n\t      Neighbor Router-ID: ${id}, Interface Address: ${data}`;
        else if (lt === 2) c.s += `\n\t      Neighbor Network-ID: ${id}, Interface Address: ${data}`;
        else if (lt === 3) c.s += `\n\t      Stub Network: ${id}, Mask: ${data}`;
        else {
          c.s += `\n\t      Unknown Router Link Type (${lt})`;
          return lsEnd;
        }
        tosMetrics(t, l + 8);
        if (t.cut || !t.has(l + 9, 1)) return BAD;
        l += 12 + b[l + 9]! * 4;
      }
      break;
    }
    case 2: {
      if (!t.has(q, 4)) return BAD;
      c.s += `\n\t    Mask ${t.ip(q)}\n\t    Connected Routers:`;
      for (let a = q + 4; a < lsEnd; a += 4) {
        if (!t.has(a, 4)) return BAD;
        c.s += `\n\t      ${t.ip(a)}`;
      }
      break;
    }
    case 3:
    case 4: {
      if (type === 3) {
        if (!t.has(q, 4)) return BAD;
        c.s += `\n\t    Mask ${t.ip(q)}`;
      }
      if (!t.has(q + 4, 4)) return BAD;
      for (let a = q + 4; a < lsEnd; a += 4) {
        if (!t.has(a, 4)) return BAD;
        const ul = u32(b, a);
        const topo = (ul & 0x7f000000) >>> 24;
        c.s += `\n\t\ttopology ${tok(TOPOLOGIES, topo, 'Unknown')} (${topo}) metric ${ul & 0xffffff}`;
      }
      break;
    }
    case 5:
    case 7: {
      if (!t.has(q, 4)) return BAD;
      c.s += `\n\t    Mask ${t.ip(q)}`;
      if (!t.has(q + 4, 4)) return BAD;
      for (let a = q + 4; a < lsEnd; a += 12) {
        if (!t.has(a, 4)) return BAD;
        const ul = u32(b, a);
        const topo = (ul & 0x7f000000) >>> 24;
        c.s += `\n\t\ttopology ${tok(TOPOLOGIES, topo, 'Unknown')} (${topo}), type ${ul & 0x80000000 ? 2 : 1}, metric`;
        c.s += (ul & 0xffffff) === 0xffffff ? ' infinite' : ` ${ul & 0xffffff}`;
        if (!t.has(a + 4, 4)) return BAD;
        if (u32(b, a + 4) !== 0) c.s += `, forward ${t.ip(a + 4)}`;
        if (!t.has(a + 8, 4)) return BAD;
        if (u32(b, a + 8) !== 0) c.s += `, tag ${t.ip(a + 8)}`;
      }
      break;
    }
    case 6: {
      for (let a = q; a < lsEnd; a += 8) {
        if (!t.has(a, 4)) return BAD;
        const vt = u32(b, a);
        if (vt === 1 || vt === 2) {
          if (!t.has(a + 4, 4)) return BAD;
          c.s += vt === 1 ? `\n\t    Router Router-ID ${t.ip(a + 4)}` : `\n\t    Network Designated Router ${t.ip(a + 4)}`;
        } else c.s += `\n\t    unknown VertexType (${vt})`;
      }
      break;
    }
    case 9:
    case 10:
    case 11: {
      const ot = b[h + 4]!;
      if (ot === 4) {
        let a = q;
        let rem = lsLen;
        while (rem !== 0) {
          if (!t.has(a, 4)) return BAD;
          if (rem < 4) {
            c.s += `\n\t    Remaining LS length ${rem} < 4`;
            return lsEnd;
          }
          const tt = u16(b, a);
          const tl = u16(b, a + 2);
          a += 4;
          rem -= 4;
          c.s += `\n\t    ${tok(RI_TLVS, tt, 'unknown')} TLV (${tt}), length: ${tl}, value: `;
          if (tl > rem) {
            c.s += `\n\t    Bogus length ${tl} > remaining LS length ${rem}`;
            return lsEnd;
          }
          if (!t.has(a, tl)) return BAD;
          if (tt === 1) {
            if (tl !== 4) {
              c.s += `\n\t    Bogus length ${tl} != 4`;
              return lsEnd;
            }
            c.s += `Capabilities: ${bittok(RI_CAPS, u32(b, a), 'Unknown')}`;
          } else if (t.verbose <= 1 && !t.unknown(a, '\n\t      ', tl)) return lsEnd;
          a += tl;
          rem -= tl;
        }
      } else if (ot === 3) {
        if (t.grace(q, lsLen) === BAD) return t.cut ? BAD : lsEnd;
      } else if (ot === 1) {
        if (t.te(q, lsLen) === BAD) return t.cut ? BAD : lsEnd;
      } else if (t.verbose <= 1 && !t.unknown(q, '\n\t    ', lsLen)) return lsEnd;
      break;
    }
    default:
      break;
  }
  if (t.verbose > 1 && !t.unknown(q, '\n\t    ', lsLen)) return lsEnd;
  return lsEnd;
}

/** ospf_decode_v2: the body by packet type; false when cut. */
function body2(t: Text, bp: number, dataEnd: number): boolean {
  const b = t.b;
  const c = t.c;
  switch (b[bp + 1]) {
    case OspfType.HELLO: {
      if (!t.has(bp + 30, 1)) return false;
      c.s += `\n\tOptions [${bittok(OPTIONS, b[bp + 30]!, 'none')}]`;
      if (!t.has(bp + 24, 12)) return false;
      c.s += `\n\t  Hello Timer ${u16(b, bp + 28)}s, Dead Timer ${u32(b, bp + 32)}s, Mask ${t.ip(bp + 24)}, Priority ${b[bp + 31]!}`;
      if (!t.has(bp + 36, 4)) return false;
      if (u32(b, bp + 36) !== 0) c.s += `\n\t  Designated Router ${t.ip(bp + 36)}`;
      if (!t.has(bp + 40, 4)) return false;
      if (u32(b, bp + 40) !== 0) c.s += `, Backup Designated Router ${t.ip(bp + 40)}`;
      if (bp + 44 < dataEnd) c.s += '\n\t  Neighbor List:';
      for (let a = bp + 44; a < dataEnd; a += 4) {
        if (!t.has(a, 4)) return false;
        c.s += `\n\t    ${t.ip(a)}`;
      }
      return true;
    }
    case OspfType.DD: {
      if (!t.has(bp + 26, 1)) return false;
      c.s += `\n\tOptions [${bittok(OPTIONS, b[bp + 26]!, 'none')}]`;
      if (!t.has(bp + 27, 1)) return false;
      c.s += `, DD Flags [${bittok(DD_FLAGS, b[bp + 27]!, 'none')}]`;
      if (!t.has(bp + 24, 2)) return false;
      if (u16(b, bp + 24)) c.s += `, MTU: ${u16(b, bp + 24)}`;
      if (!t.has(bp + 28, 4)) return false;
      c.s += `, Sequence: 0x${hex8(u32(b, bp + 28))}`;
      for (let h = bp + 32; h < dataEnd; h += 20) if (lsHeader2(t, h) === BAD) break;
      return !t.cut;
    }
    case OspfType.LS_REQUEST: {
      for (let r = bp + 24; r < dataEnd; r += 12) {
        if (!t.has(r, 12)) return false;
        const lt = u32(b, r);
        c.s += `\n\t  Advertising Router: ${t.ip(r + 8)}, ${tok(LSA_TYPES, lt, 'unknown')} LSA (${lt})`;
        if (lt === 9 || lt === 10 || lt === 11) {
          c.s += `, Opaque-Type: ${tok(OPAQUE_TYPES, b[r + 4]!, 'unknown')} LSA (${b[r + 4]!}), Opaque-ID: ${u32(b, r + 4) & 0xffffff}`;
        } else c.s += `, LSA-ID: ${t.ip(r + 4)}`;
      }
      return true;
    }
    case OspfType.LS_UPDATE: {
      if (!t.has(bp + 24, 4)) return false;
      const n = u32(b, bp + 24);
      c.s += `, ${n} LSA${n === 1 ? '' : 's'}`;
      let l = bp + 28;
      for (let k = 1; k <= n; k++) {
        c.s += `\n\t  LSA #${k}`;
        l = lsa2(t, l);
        if (l === BAD) {
          t.cut = true;
          return false;
        }
      }
      return true;
    }
    case OspfType.LS_ACK: {
      // tcpdump walks headers until one fails, whatever the packet length says
      for (let h = bp + 24; ; h += 20) if (lsHeader2(t, h) === BAD) break;
      return !t.cut;
    }
    default:
      return true;
  }
}

/** ospf_decode_lls: link-local signalling after the packet (RFC 5613), for Hello and DD with the L bit. */
function lls2(t: Text, bp: number, length: number): void {
  const b = t.b;
  const c = t.c;
  const type = b[bp + 1];
  const opt = type === OspfType.HELLO ? bp + 30 : type === OspfType.DD ? bp + 26 : -1;
  if (opt < 0) return;
  if (!t.has(opt, 1)) return;
  if (!(b[opt]! & 0x10)) return;
  let len2 = u16(b, bp + 2);
  let d = bp + len2;
  const dataEnd = bp + length;
  if (u16(b, bp + 14) === 2) {
    if (!t.has(bp + 19, 1)) return;
    d += b[bp + 19]!;
    len2 += b[bp + 19]!;
  }
  if (len2 >= length) {
    c.s += '\n\t[LLS truncated]';
    return;
  }
  if (!t.has(d, 2)) return;
  c.s += `\n\t  LLS: checksum: 0x${hex4(u16(b, d))}`;
  d += 2;
  if (!t.has(d, 2)) return;
  c.s += `, length: ${u16(b, d)}`;
  d += 2;
  while (d < dataEnd) {
    if (!t.has(d, 2)) return;
    const lt = u16(b, d);
    c.s += `\n\t    ${tok(LLS_TLVS, lt, 'Unknown TLV')} (${lt})`;
    d += 2;
    if (!t.has(d, 2)) return;
    let ll = u16(b, d);
    c.s += `, length: ${ll}`;
    d += 2;
    if (lt === 1) {
      if (ll !== 4) {
        c.s += ' [should be 4]';
        ll = 4;
      }
      if (!t.has(d, 4)) return;
      const f = u32(b, d);
      c.s += `\n\t      Options: 0x${hex8(f)} [${bittok(LLS_EO, f, '?')}]`;
    } else if (lt === 2) {
      if (ll !== 20) {
        c.s += ' [should be 20]';
        ll = 20;
      }
      if (!t.has(d, 4)) return;
      c.s += `\n\t      Sequence number: 0x${hex8(u32(b, d))}`;
    }
    d += ll;
  }
}

/** ospf_print: version 2 (or any version reached over IPv4). */
function print2(t: Text, bp: number, length: number): void {
  const b = t.b;
  const c = t.c;
  if (!t.has(bp + 14, 2)) return;
  if (u16(b, bp + 14) === 2) {
    // the cryptographic digest trails the packet: not part of its text, nor of what may be read
    length = (length - 16) >>> 0;
    t.end -= 16;
  }
  if (!t.has(bp + 1, 1)) return;
  const type = b[bp + 1]!;
  const name = tok(PACKET_TYPES, type, '');
  if (!t.has(bp, 1)) return;
  c.s += `OSPFv${b[bp]!}, ${name || `unknown LS-type ${type}`}, length ${length}`;
  if (!name || t.verbose === 0) return;
  if (!t.has(bp + 2, 2)) return;
  const plen = u16(b, bp + 2);
  if (length !== plen) c.s += ` [len ${plen}]`;
  const dataEnd = bp + (length > plen ? plen : length);
  if (!t.has(bp + 4, 4)) return;
  c.s += `\n\tRouter-ID ${t.ip(bp + 4)}`;
  if (!t.has(bp + 8, 4)) return;
  c.s += u32(b, bp + 8) !== 0 ? `, Area ${t.ip(bp + 8)}` : ', Backbone Area';
  if (!t.has(bp + 16, 8)) return;
  const at = u16(b, bp + 14);
  c.s += `, Authentication Type: ${tok(AUTH_TYPES, at, 'unknown')} (${at})`;
  if (at === 1) {
    c.s += '\n\tSimple text password: ';
    for (let k = bp + 16; k < bp + 24 && b[k] !== 0; k++) c.s += safeChar(b[k]!);
  } else if (at === 2) {
    c.s += `\n\tKey-ID: ${b[bp + 18]!}, Auth-Length: ${b[bp + 19]!}, Crypto Sequence Number: 0x${hex8(u32(b, bp + 20))}`;
  } else if (at !== 0) return;
  if (b[bp] !== 2) {
    c.s += ` ospf [version ${b[bp]!}]`;
    return;
  }
  if (!body2(t, bp, dataEnd)) return;
  if (length > plen) lls2(t, bp, length);
}

// ---------------------------------------------------------------- OSPFv3

/** ospf6_print_ls_type: the LS type with its scope and the LS id at `id` (may cut). */
function lsType6(t: Text, type: number, id: number): void {
  if (!t.has(id, 4)) return;
  t.c.s += `\n\t    ${tok(LSA_TYPES6, type & 0x1fff, 'Unknown')} LSA (${type & 0x1fff}), ${tok(SCOPES6, type & 0x6000, 'Unknown')} Scope${type & 0x8000 ? ', transitive' : ''}, LSA-ID ${t.ip(id)}`;
}

/** ospf6_print_lshdr: false when the header passes the data end or the capture. */
function lsHeader6(t: Text, h: number, dataEnd: number): boolean {
  const b = t.b;
  if (h + 20 > dataEnd) return false;
  if (!t.has(h, 20)) return false;
  t.c.s += `\n\t  Advertising Router ${t.ip(h + 8)}, seq 0x${hex8(u32(b, h + 12))}, age ${u16(b, h)}s, length ${lsaBodyLen(u16(b, h + 18))}`;
  lsType6(t, u16(b, h + 2), h + 4);
  return true;
}

/** ospf6_print_lsaprefix: one prefix, taken from `t.rem`; its size, or BAD (the caller ends the print). */
function prefix6(t: Text, p: number): number {
  const b = t.b;
  if (!t.take(4) || !t.test(p, 4)) return BAD;
  const plen = b[p]!;
  const words = Math.floor((plen + 31) / 32);
  if (words * 4 > 16) {
    t.c.s += ` bogus prefixlen /${plen}`;
    return BAD;
  }
  if (!t.take(words * 4) || !t.has(p + 4, words * 4)) return BAD;
  const a = t.prefix6;
  a.fill(0);
  a.set(b.subarray(p + 4, p + 4 + words * 4));
  t.c.s += `\n\t\t${t.ip6(a, 0)}/${plen}`;
  if (b[p + 1]) t.c.s += `, Options [${bittok(PREFIX_OPTIONS6, b[p + 1]!, 'none')}]`;
  t.c.s += `, metric ${u16(b, p + 2)}`;
  return 4 + words * 4;
}

/** `n` prefixes from `p` (-1: until `t.rem` is spent); false ends the print. */
function prefixes6(t: Text, p: number, n: number): boolean {
  for (; n < 0 ? t.rem !== 0 : n > 0; n--) {
    const k = prefix6(t, p);
    if (k === BAD) return false;
    p += k;
  }
  return true;
}

/**
 * An options word (`at`, 4 bytes taken from `t.rem`) as `Options [..]` on its own line; false ends
 * the print. `checked`: tcpdump tests the bytes first (a cut there is no longjmp).
 */
function options6(t: Text, at: number, checked = false): boolean {
  if (!t.take(4) || !(checked ? t.test(at, 4) : t.has(at, 4))) return false;
  t.c.s += `\n\t      Options [${bittok(OPTIONS6, u32(t.b, at), 'none')}]`;
  return true;
}

/** ospf6_print_lsa: one LSA; false ends the print with the truncation marker. */
function lsa6(t: Text, h: number, dataEnd: number): boolean {
  const b = t.b;
  const c = t.c;
  if (!lsHeader6(t, h, dataEnd)) return false;
  const length = u16(b, h + 18);
  if (length < 20 || h + length > dataEnd) return false;
  t.rem = length - 20;
  const q = h + 20;
  switch (u16(b, h + 2)) {
    case 0x2001: {
      if (!options6(t, q)) return false;
      c.s += `, RLA-Flags [${bittok(RLA_FLAGS6, b[q]!, 'none')}]`;
      for (let l = q + 4; t.rem !== 0; l += 16) {
        if (!t.take(16) || !t.test(l, 16)) return false;
        const lt = b[l]!;
        const ids = `\n\t      Neighbor Interface-ID ${t.ip(l + 8)}, Interface ${t.ip(l + 4)}`;
        if (lt === 4) c.s += `\n\t      Virtual Link: Neighbor Router-ID ${t.ip(l + 12)}${ids}`;
        else if (lt === 1) c.s += `\n\t      Neighbor Router-ID ${t.ip(l + 12)}${ids}`;
        else if (lt === 2) c.s += `\n\t      Neighbor Network-ID ${t.ip(l + 12)}${ids}`;
        else {
          c.s += `\n\t      Unknown Router Links Type 0x${lt.toString(16).padStart(2, '0')}`;
          return true;
        }
        c.s += `, metric ${u16(b, l + 2)}`;
      }
      return true;
    }
    case 0x2002: {
      if (!options6(t, q)) return false;
      c.s += '\n\t      Connected Routers:';
      for (let a = q + 4; t.rem !== 0; a += 4) {
        if (!t.take(4) || !t.has(a, 4)) return false;
        c.s += `\n\t\t${t.ip(a)}`;
      }
      return true;
    }
    case 0x2003:
      if (!t.take(4) || !t.has(q, 4)) return false;
      c.s += `, metric ${u32(b, q) & 0xffffff}`;
      return prefixes6(t, q + 4, -1);
    case 0x4005: {
      if (!t.take(4) || !t.has(q, 4)) return false;
      const f = u32(b, q);
      c.s += `\n\t     Flags [${bittok(ASLA_FLAGS6, f, 'none')}]`;
      c.s += ` metric ${f & 0xffffff}`;
      const pfx = q + 4;
      const n = prefix6(t, pfx);
      if (n === BAD) return false;
      let p = pfx + n;
      if (f & 0x02000000) {
        if (!t.take(16) || !t.has(p, 16)) return false;
        c.s += ` forward ${t.ip6(b, p)}`;
        p += 16;
      }
      if (f & 0x01000000) {
        if (!t.take(4) || !t.has(p, 4)) return false;
        c.s += ` tag ${t.ip(p)}`;
        p += 4;
      }
      if (b[pfx + 2]) {
        if (!t.take(4) || !t.has(p, 4)) return false;
        c.s += ` RefLSID: ${t.ip(p)}`;
      }
      return true;
    }
    case 0x0008: {
      if (!options6(t, q, true)) return false;
      if (!t.take(20) || !t.has(q + 20, 4) || !t.has(q + 4, 16)) return false;
      const n = u32(b, q + 20);
      c.s += `\n\t      Priority ${b[q]!}, Link-local address ${t.ip6(b, q + 4)}, Prefixes ${n}:`;
      return prefixes6(t, q + 24, n);
    }
    case 0x2009: {
      // tcpdump takes 6 of the 12 fixed bytes off the length
      if (!t.take(4) || !t.test(q + 8, 4)) return false;
      lsType6(t, u16(b, q + 2), q + 4);
      if (t.cut || !t.take(2)) return false;
      const n = u16(b, q);
      c.s += `\n\t      Prefixes ${n}:`;
      return prefixes6(t, q + 12, n);
    }
    case 0x000b:
      return t.grace(q, t.rem) !== BAD;
    case 0x000a:
      return t.te(q, t.rem) !== BAD;
    default:
      return t.unknown(q, '\n\t      ', t.rem);
  }
}

/** ospf6_decode_v3: the body by packet type; false when cut. */
function body6(t: Text, bp: number, dataEnd: number): boolean {
  const b = t.b;
  const c = t.c;
  const v2 = t.verbose > 1;
  switch (b[bp + 1]) {
    case OspfType.HELLO: {
      if (!t.has(bp + 20, 4)) return false;
      c.s += `\n\tOptions [${bittok(OPTIONS6, u32(b, bp + 20), 'none')}]`;
      if (!t.has(bp + 16, 12)) return false;
      c.s += `\n\t  Hello Timer ${u16(b, bp + 24)}s, Dead Timer ${u16(b, bp + 26)}s, Interface-ID ${t.ip(bp + 16)}, Priority ${b[bp + 20]!}`;
      if (!t.has(bp + 28, 4)) return false;
      if (u32(b, bp + 28) !== 0) c.s += `\n\t  Designated Router ${t.ip(bp + 28)}`;
      if (!t.has(bp + 32, 4)) return false;
      if (u32(b, bp + 32) !== 0) c.s += `, Backup Designated Router ${t.ip(bp + 32)}`;
      if (v2) {
        c.s += '\n\t  Neighbor List:';
        for (let a = bp + 36; a < dataEnd; a += 4) {
          if (!t.has(a, 4)) return false;
          c.s += `\n\t    ${t.ip(a)}`;
        }
      }
      return true;
    }
    case OspfType.DD: {
      if (!t.has(bp + 16, 4)) return false;
      c.s += `\n\tOptions [${bittok(OPTIONS6, u32(b, bp + 16), 'none')}]`;
      if (!t.has(bp + 23, 1)) return false;
      c.s += `, DD Flags [${bittok(DD_FLAGS6, b[bp + 23]!, 'none')}]`;
      if (!t.has(bp + 20, 8)) return false;
      c.s += `, MTU ${u16(b, bp + 20)}, DD-Sequence 0x${hex8(u32(b, bp + 24))}`;
      if (v2) for (let h = bp + 28; h < dataEnd; h += 20) if (!lsHeader6(t, h, dataEnd)) return false;
      return true;
    }
    case OspfType.LS_REQUEST:
      if (v2) {
        for (let r = bp + 16; r < dataEnd; r += 12) {
          if (!t.test(r, 12)) return false;
          c.s += `\n\t  Advertising Router ${t.ip(r + 8)}`;
          lsType6(t, u16(b, r + 2), r + 4);
        }
      }
      return true;
    case OspfType.LS_UPDATE:
      if (v2) {
        if (!t.has(bp + 16, 4)) return false;
        let n = u32(b, bp + 16);
        for (let l = bp + 20; l < dataEnd && n !== 0; n--) {
          if (!lsa6(t, l, dataEnd)) return false;
          if (!t.has(l + 18, 2)) return false;
          l += u16(b, l + 18);
        }
      }
      return true;
    case OspfType.LS_ACK:
      if (v2) for (let h = bp + 16; h < dataEnd; h += 20) if (!lsHeader6(t, h, dataEnd)) return false;
      return true;
    default:
      return true;
  }
}

/** ospf6_decode_v3_trailer: LLS data (Hello and DD with the L bit), then an authentication trailer; false when cut. */
function trailer6(t: Text, bp: number, cp: number, len: number): boolean {
  const b = t.b;
  const c = t.c;
  const type = b[bp + 1];
  let lls = false;
  if (type === OspfType.HELLO || type === OspfType.DD) {
    const o = type === OspfType.HELLO ? bp + 20 : bp + 16;
    if (!t.has(o, 4)) return false;
    lls = (u32(b, o) & 0x200) !== 0;
  }
  let llsLen = 0;
  if (lls && len !== 0) {
    if (len < 4) return false;
    if (!t.has(cp, 2)) return false;
    c.s += `\n\tLLS Checksum 0x${hex4(u16(b, cp))}`;
    if (!t.has(cp + 2, 2)) return false;
    llsLen = u16(b, cp + 2);
    c.s += `, Data Length ${llsLen}`;
    if (llsLen < 4 || llsLen > len) return false;
    if (!t.test(cp + 4, llsLen - 4)) return false;
  }
  cp += llsLen;
  len -= llsLen;
  if (len === 0) return true;
  if (len < 16) return false;
  if (!t.has(cp, 2)) return false;
  const at = u16(b, cp);
  c.s += `\n\tAuthentication Type ${at === 1 ? 'HMAC' : `unknown (0x${hex4(at)})`}`;
  if (!t.has(cp + 2, 2)) return false;
  const alen = u16(b, cp + 2);
  c.s += `, Length ${alen}`;
  if (alen < 16 || alen > len) return false;
  if (!t.has(cp + 6, 2)) return false;
  c.s += `, SAID ${u16(b, cp + 6)}`;
  if (!t.has(cp + 8, 4)) return false;
  c.s += `, CSN 0x${hex8(u32(b, cp + 8))}`;
  if (!t.has(cp + 12, 4)) return false;
  c.s += `:${hex8(u32(b, cp + 12))}`;
  if (!t.test(cp + 16, alen - 16)) return false;
  if (t.verbose > 1) t.unknown(cp + 16, '\n\tAuthentication Data ', alen - 16);
  return true;
}

/** ospf6_print: any OSPF packet reached over IPv6. */
function print6(t: Text, bp: number, length: number): void {
  const b = t.b;
  const c = t.c;
  if (!t.has(bp + 1, 1)) return;
  const type = b[bp + 1]!;
  const name = tok(PACKET_TYPES, type, '');
  if (!t.has(bp, 1)) return;
  c.s += `OSPFv${b[bp]!}, ${name || `unknown packet type (${type})`}, length ${length}`;
  if (!name || t.verbose === 0) return;
  if (!t.has(bp + 2, 2)) return;
  const dlen = u16(b, bp + 2);
  if (dlen > length) {
    c.s += ` [len ${dlen}]`;
    return;
  }
  const dataEnd = bp + dlen;
  if (!t.has(bp + 4, 4)) return;
  c.s += `\n\tRouter-ID ${t.ip(bp + 4)}`;
  if (!t.has(bp + 8, 4)) return;
  c.s += u32(b, bp + 8) !== 0 ? `, Area ${t.ip(bp + 8)}` : ', Backbone Area';
  if (!t.has(bp + 14, 1)) return;
  if (b[bp + 14]) c.s += `, Instance ${b[bp + 14]!}`;
  if (b[bp] !== 3) return;
  if (!body6(t, bp, dataEnd) || !trailer6(t, bp, dataEnd, length - dlen)) t.cut = true;
}

/**
 * tcpdump's OSPF text (`len`: the IP payload length): version 2 rules over IPv4, version 3 rules
 * over IPv6, whatever the version byte says; the header line, then the body from -v.
 */
export function printOspf(c: Printer, v: OspfView, _i: number, len: number): void {
  const t = T;
  const ip6 = c.parser.kinds[c.ipIdx] === Layer.Ipv6;
  t.c = c;
  t.b = v.bytes;
  t.start = v.offset;
  t.end = v.offset + v.length;
  t.verbose = c.opts.verbose;
  t.cut = false;
  t.jump = false;
  if (ip6) print6(t, v.offset, len);
  else print2(t, v.offset, len);
  if (t.cut) c.s += ip6 ? ' [|ospf3]' : ' [|ospf2]';
  // version 2 always leaves by longjmp; version 3 only on a read past the capture
  if (t.cut && (t.jump || !ip6)) c.earlyEnd = true;
}
