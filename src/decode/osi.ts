/**
 * The OSI network layer a router LAN carries, by its NLPID (ISO/TR 9577): IS-IS (ISO 10589, with the
 * TLVs of RFC 1195, 5305, 5308, 5120, 3567/5304, 3847, 6232, 6329, 7981 and 8667), ES-IS (ISO 9542) and CLNP
 * (ISO 8473). They ride on LLC (DSAP and SSAP 0xfe, UI), PPP (protocol 0x0023), Cisco HDLC (0xfefe and a
 * pad byte) and Frame Relay (the NLPID in the RFC 2427 header). The text follows tcpdump 4.99's
 * isoclns printer, including its ` [|isis]` on a read past the capture and its hex dumps at -vv.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { hex2, ipv4Text, ipv6Text, macText } from './addr.js';
import { CheckedText } from './checked.js';
import { type Printer, hex4, hex8, safeChar, wireFrom } from './print.js';
import { OUI_NAMES } from './llc.js';
import { Layer } from './layers.js';
import { NLPID_NAMES, osiNlpidPrefix } from './nlpid.js';

/** NLPIDs of the OSI protocols (ISO/TR 9577). */
export const OsiNlpid = { CLNP: 0x81, ESIS: 0x82, ISIS: 0x83 } as const;

/** Field offsets of the IS-IS common header and of each PDU type's fixed part (after the 8 common bytes). */
export const IsisOffsets = {
  nlpid: 0, fixedLen: 1, version: 2, idLength: 3, pduType: 4, pduVersion: 5, maxArea: 7, headerLen: 8,
  // LAN and point-to-point hellos
  circuitType: 8, sourceId: 9, holdingTime: 15, iihPduLen: 17, priority: 19, lanId: 20, circuitId: 19,
  // LSPs
  lspPduLen: 8, lifetime: 10, lspId: 12, sequence: 20, checksum: 24, typeBlock: 26,
  // CSNPs and PSNPs
  snpPduLen: 8, snpSourceId: 10, startLspId: 17, endLspId: 25,
} as const;

/** IS-IS PDU types. */
export const IsisPdu = { L1_LAN_IIH: 15, L2_LAN_IIH: 16, PTP_IIH: 17, L1_LSP: 18, L2_LSP: 20, L1_CSNP: 24, L2_CSNP: 25, L1_PSNP: 26, L2_PSNP: 27 } as const;

/** The fixed header length each PDU type must carry. */
const FIXED_LEN: Readonly<Record<number, number>> = { 15: 27, 16: 27, 17: 20, 18: 27, 20: 27, 24: 33, 25: 33, 26: 17, 27: 17 };

/** A view over an OSI PDU that starts with its NLPID and length indicator. */
abstract class OsiView extends ByteView {
  /**
   * Points at the NLPID byte; Truncated below `min` captured bytes.
   * @example isis.reset(bytes, 17, bytes.length - 17);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, this.minLen);
  }
  /** Bytes the fixed header needs. */
  protected abstract readonly minLen: number;
  /** Length indicator (IS-IS: the fixed header length). */
  get li(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** Protocol version. */
  get version(): number {
    return this.bytes[this.offset + 2] ?? 0;
  }
  /** Byte `k` of the PDU. */
  u8(k: number): number {
    return this.bytes[this.offset + k] ?? 0;
  }
  /** Big-endian 16 bits at byte `k` of the PDU. */
  u16(k: number): number {
    return u16(this.bytes, this.offset + k);
  }
}

/** Zero-copy view of an IS-IS PDU. */
export class IsisView extends OsiView {
  protected readonly minLen = IsisOffsets.headerLen;
  /** PDU type (the whole byte; the top three bits are reserved). */
  get pduType(): number {
    return this.u8(IsisOffsets.pduType);
  }
  /** True when the PDU type's fixed part was captured (the getters below read it). */
  get hasFixed(): boolean {
    const f = FIXED_LEN[this.pduType];
    return f !== undefined && this.length >= f && this.li === f;
  }
}

/** Zero-copy view of an ES-IS PDU. */
export class EsisView extends OsiView {
  protected readonly minLen = 9;
  /** PDU type (ESH 2, ISH 4, redirect 6). */
  get type(): number {
    return this.u8(4) & 0x1f;
  }
}

/** Zero-copy view of a CLNP PDU. */
export class ClnpView extends OsiView {
  protected readonly minLen = 9;
  /** PDU type (data 28, error report 1, echo request 30, echo response 31). */
  get type(): number {
    return this.u8(4) & 0x1f;
  }
  /** Flags: segmentation permitted 0x80, more segments 0x40, error report 0x20. */
  get flags(): number {
    return this.u8(4) & 0xe0;
  }
}

/** An IS-IS system id (`1921.6800.0001`), node id (`.00`) or LSP id (`-00`) from `n` bytes at `o`. */
export function isisId(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let k = 0; k < Math.min(6, n); k++) {
    s += hex2(b[o + k] ?? 0);
    if (k === 1 || k === 3) s += '.';
  }
  if (n >= 7) s += `.${hex2(b[o + 6] ?? 0)}`;
  if (n === 8) s += `-${hex2(b[o + 7] ?? 0)}`;
  return s;
}

/** An NSAP or area address as tcpdump writes it: hex digits, a dot after the first byte and then every two. */
export function nsapText(b: Uint8Array, o: number, n: number): string {
  if (n < 1 || n > 20) return 'isonsap_string: illegal length';
  let s = '';
  for (let k = 0; k < n; k++) {
    s += hex2(b[o + k] ?? 0);
    if ((k & 1) === 0 && k + 1 < n) s += '.';
  }
  return s;
}

/** One IS-IS TLV as the Repr lists it. */
export interface IsisTlvRepr {
  type: number;
  length: number;
}

/** Parsed IS-IS PDU (the fixed header; the TLVs by type and length). */
export interface IsisRepr {
  pduType: number;
  fixedLen: number;
  version: number;
  idLength: number;
  maxArea: number;
  circuitType?: number;
  sourceId?: string;
  holdingTime?: number;
  pduLength?: number;
  priority?: number;
  lanId?: string;
  circuitId?: number;
  sourceCircuit?: number;
  lspId?: string;
  sequence?: number;
  lifetime?: number;
  checksum?: number;
  startLspId?: string;
  endLspId?: string;
  tlvs?: IsisTlvRepr[];
}

/** Builds the sink representation. */
export function isisRepr(v: IsisView): IsisRepr {
  const t = v.pduType;
  const r: IsisRepr = { pduType: t, fixedLen: v.li, version: v.version, idLength: v.u8(IsisOffsets.idLength), maxArea: v.u8(IsisOffsets.maxArea) };
  if (v.status !== DecodeStatus.Ok || !v.hasFixed) return r;
  const b = v.bytes;
  const o = v.offset;
  let pduLen = 0;
  if (t === IsisPdu.L1_LAN_IIH || t === IsisPdu.L2_LAN_IIH || t === IsisPdu.PTP_IIH) {
    r.circuitType = v.u8(IsisOffsets.circuitType) & 0x03;
    r.sourceId = isisId(b, o + IsisOffsets.sourceId, 6);
    r.holdingTime = v.u16(IsisOffsets.holdingTime);
    r.pduLength = pduLen = v.u16(IsisOffsets.iihPduLen);
    if (t === IsisPdu.PTP_IIH) r.circuitId = v.u8(IsisOffsets.circuitId);
    else {
      r.priority = v.u8(IsisOffsets.priority) & 0x7f;
      r.lanId = isisId(b, o + IsisOffsets.lanId, 7);
    }
  } else if (t === IsisPdu.L1_LSP || t === IsisPdu.L2_LSP) {
    r.pduLength = pduLen = v.u16(IsisOffsets.lspPduLen);
    r.lifetime = v.u16(IsisOffsets.lifetime);
    r.lspId = isisId(b, o + IsisOffsets.lspId, 8);
    r.sequence = u32(b, o + IsisOffsets.sequence);
    r.checksum = v.u16(IsisOffsets.checksum);
  } else {
    r.pduLength = pduLen = v.u16(IsisOffsets.snpPduLen);
    r.sourceId = isisId(b, o + IsisOffsets.snpSourceId, 6);
    r.sourceCircuit = v.u8(IsisOffsets.snpSourceId + 6);
    if (t === IsisPdu.L1_CSNP || t === IsisPdu.L2_CSNP) {
      r.startLspId = isisId(b, o + IsisOffsets.startLspId, 8);
      r.endLspId = isisId(b, o + IsisOffsets.endLspId, 8);
    }
  }
  // the TLVs that were captured whole, inside the PDU length
  const tlvs: IsisTlvRepr[] = [];
  const end = o + Math.min(v.length, pduLen);
  for (let q = o + v.li; q + 2 <= end && q + 2 + (b[q + 1] ?? 0) <= end; q += 2 + (b[q + 1] ?? 0)) tlvs.push({ type: b[q] ?? 0, length: b[q + 1] ?? 0 });
  r.tlvs = tlvs;
  return r;
}

/** Parsed ES-IS PDU header. */
export interface EsisRepr {
  type: number;
  li: number;
  version: number;
  holdingTime: number;
  checksum: number;
}

/** Builds the sink representation. */
export function esisRepr(v: EsisView): EsisRepr {
  return { type: v.type, li: v.li, version: v.version, holdingTime: v.u16(5), checksum: v.u16(7) };
}

/** Parsed CLNP header. */
export interface ClnpRepr {
  type: number;
  flags: number;
  li: number;
  version: number;
  lifetime: number;
  segmentLength: number;
  checksum: number;
  dst?: string;
  src?: string;
}

/** Builds the sink representation (the addresses when the header holds them). */
export function clnpRepr(v: ClnpView): ClnpRepr {
  const r: ClnpRepr = { type: v.type, flags: v.flags, li: v.li, version: v.version, lifetime: v.u8(3), segmentLength: v.u16(5), checksum: v.u16(7) };
  const dl = v.u8(9);
  const sl = v.u8(10 + dl);
  if (v.length >= 11 + dl + sl && v.li >= 11 + dl + sl) {
    r.dst = nsapText(v.bytes, v.offset + 10, dl);
    r.src = nsapText(v.bytes, v.offset + 11 + dl, sl);
  }
  return r;
}

// ------------------------------------------------------------------ names (tcpdump's tables)

type Names = Readonly<Record<number, string>>;
type Bits = ReadonlyArray<readonly [number, string]>;

const PDU_NAMES: Names = { 15: 'L1 Lan IIH', 16: 'L2 Lan IIH', 17: 'p2p IIH', 18: 'L1 LSP', 20: 'L2 LSP', 24: 'L1 CSNP', 25: 'L2 CSNP', 26: 'L1 PSNP', 27: 'L2 PSNP' };
const TLV_NAMES: Names = {
  1: 'Area address(es)', 2: 'IS Reachability', 3: 'ES Neighbor(s)', 4: 'Partition DIS', 5: 'Prefix Neighbors', 6: 'IS Neighbor(s)',
  7: 'Instance Identifier', 8: 'Padding', 9: 'LSP entries', 10: 'Authentication', 12: 'Checksum', 13: 'Purge Originator Identifier',
  14: 'LSP Buffersize', 22: 'Extended IS Reachability', 24: 'IS Alias ID', 42: 'DECnet Phase IV', 66: 'Lucent Proprietary',
  128: 'IPv4 Internal Reachability', 129: 'Protocols supported', 130: 'IPv4 External Reachability', 131: 'Inter-Domain Information Type',
  132: 'IPv4 Interface address(es)', 133: 'IPv4 authentication (deprecated)', 134: 'Traffic Engineering Router ID',
  135: 'Extended IPv4 Reachability', 138: 'Shared Risk Link Group', 143: 'Multi-Topology-Aware Port Capability',
  144: 'Multi-Topology Capability', 176: 'Nortel Proprietary', 177: 'Nortel Proprietary', 137: 'Hostname', 211: 'Restart Signaling',
  222: 'Multi Topology IS Reachability', 229: 'Multi Topology', 232: 'IPv6 Interface address(es)', 235: 'Multi-Topology IPv4 Reachability',
  236: 'IPv6 reachability', 237: 'Multi-Topology IP6 Reachability', 240: 'Point-to-point Adjacency State', 241: 'Hello PDU Sequence Number',
  242: 'IS-IS Router Capability', 250: 'Vendor Private',
};
const EXT_IS_SUBTLVS: Names = {
  3: 'Administrative groups', 4: 'Link Local/Remote Identifier', 5: 'Link Remote Identifier', 6: 'IPv4 interface address',
  8: 'IPv4 neighbor address', 9: 'Maximum link bandwidth', 10: 'Reservable link bandwidth', 11: 'Unreserved bandwidth',
  18: 'Traffic Engineering Metric', 19: 'Link Attribute', 20: 'Link Protection Type', 21: 'Interface Switching Capability',
  12: 'Bandwidth Constraints (old)', 22: 'Bandwidth Constraints', 32: 'LAN Adjacency Segment Identifier', 29: 'SPB Metric',
  250: 'Reserved for cisco specific extensions', 251: 'Reserved for cisco specific extensions', 252: 'Reserved for cisco specific extensions',
  253: 'Reserved for cisco specific extensions', 254: 'Reserved for cisco specific extensions', 255: 'Reserved for future expansion',
};
const EXT_IP_SUBTLVS: Names = { 1: '32-Bit Administrative tag', 2: '64-Bit Administrative tag', 3: 'Prefix SID', 117: 'Management Prefix Color' };
const PREFIX_SID_FLAGS: Bits = [[0x80, 'Readvertisement'], [0x40, 'Node'], [0x20, 'No-PHP'], [0x10, 'Explicit NULL'], [0x08, 'Value'], [0x04, 'Local']];
const LINK_ATTR_FLAGS: Bits = [[0x01, 'Local Protection Available'], [0x02, 'Link excluded from local protection path'], [0x04, 'Local maintenance required']];
const LAN_ADJ_SID_FLAGS: Bits = [[0x80, 'Address family IPv6'], [0x40, 'Backup'], [0x20, 'Value'], [0x10, 'Local significance'], [0x08, 'Set of adjacencies'], [0x04, 'Persistent']];
const AUTH_NAMES: Names = { 1: 'simple text password', 3: 'Generic Crypto key-id', 54: 'HMAC-MD5 password', 255: 'Routing Domain private password' };
const IDRP_NAMES: Names = { 0: 'Reserved', 1: 'Routing-Domain Specific', 2: 'AS Number Tag' };
const MT_NAMES: Names = { 0: 'IPv4 unicast', 1: 'In-Band Management', 2: 'IPv6 unicast', 3: 'Multicast', 4095: 'Development, Experimental or Proprietary' };
const MT_FLAGS: Bits = [[0x4000, 'ATT bit set'], [0x8000, 'Overload bit set']];
const CIRCUIT_TYPES: Names = { 1: 'Level 1 only', 2: 'Level 2 only', 3: 'Level 1, Level 2' };
const LSP_IS_TYPES: Names = { 0: 'Unused 0x0 (invalid)', 1: 'L1 IS', 2: 'Unused 0x2 (invalid)', 3: 'L2 IS' };
const PTP_ADJ_STATES: Names = { 0: 'Up', 1: 'Initializing', 2: 'Down' };
const RESTART_FLAGS: Bits = [[0x1, 'Restart Request'], [0x2, 'Restart Acknowledgement'], [0x4, 'Suppress adjacency advertisement']];
const ROUTER_CAP_FLAGS: Bits = [[0x01, 'S bit'], [0x02, 'D bit']];
const SR_FLAGS: Bits = [[0x80, 'ipv4'], [0x40, 'ipv6']];
const BC_MODELS: Names = { 0: 'Russian dolls', 1: 'Maximum allocation', 254: 'Maximum allocation with E-LSP support' };
const LINK_PROT: Bits = [[0x01, 'Extra Traffic'], [0x02, 'Unprotected'], [0x04, 'Shared'], [0x08, 'Dedicated 1:1'], [0x10, 'Dedicated 1+1'], [0x20, 'Enhanced'], [0x40, 'Reserved'], [0x80, 'Reserved']];
const SWITCH_CAPS: Names = {
  1: 'Packet-Switch Capable-1', 2: 'Packet-Switch Capable-2', 3: 'Packet-Switch Capable-3', 4: 'Packet-Switch Capable-4',
  51: 'Layer-2 Switch Capable', 100: 'Time-Division-Multiplex', 150: 'Lambda-Switch Capable', 200: 'Fiber-Switch Capable',
};
const ENCODINGS: Names = {
  1: 'Packet', 2: 'Ethernet V2/DIX', 3: 'ANSI/ETSI PDH', 4: 'Reserved', 5: 'SDH ITU-T G.707/SONET ANSI T1.105', 6: 'Reserved',
  7: 'Digital Wrapper', 8: 'Lambda (photonic)', 9: 'Fiber', 10: 'Reserved', 11: 'FiberChannel',
};
const TSC_INDICATIONS: Names = { 0: 'Standard SONET/SDH', 1: 'Arbitrary SONET/SDH' };

/** tcpdump's bittok2str: the names of the bits set, joined by ', ', or `none`. */
function bits(t: Bits, v: number, none = 'none'): string {
  const parts = t.filter(([bit]) => (v & bit) === bit).map(([, n]) => n);
  return parts.length ? parts.join(', ') : none;
}

// ------------------------------------------------------------------ text

/** The text being built, with tcpdump's checked reads; `len` is the PDU length the printer trusts. */
class OsiText extends CheckedText {
  /** Prints an id of `n` bytes at `o` (abandons past the capture). */
  id(o: number, n: number): string {
    return this.has(o, n) ? isisId(this.b, o, n) : '';
  }
  /** GET_ISONSAP_STRING: an NSAP of `n` bytes at `o` (abandons past the capture). */
  nsap(o: number, n: number): string {
    return this.has(o, n) ? nsapText(this.b, o, n) : '';
  }
  /** nd_printjnp: up to `n` bytes at `o`, stopping at a NUL, unprintable bytes escaped (printed as read). */
  jnp(o: number, n: number): void {
    for (let k = 0; k < n; k++) {
      const c = this.g1(o + k);
      if (this.aborted || c === 0) break;
      this.emit(safeChar(c));
    }
  }
  /** Bytes as hex digits, printed one by one as tcpdump reads them. */
  hexRun(o: number, n: number): void {
    for (let k = 0; k < n && !this.aborted; k++) this.emit(hex2(this.g1(o + k)));
  }
  /** A list of NLPIDs with their names, printed one by one as tcpdump reads them. */
  nlpids(o: number, n: number): void {
    for (let k = 0; k < n && !this.aborted; k++) {
      const id = this.g1(o + k);
      this.emit(`${NLPID_NAMES[id] ?? 'unknown'} (0x${hex2(id)})${k + 1 < n ? ', ' : ''}`);
    }
  }
  /** osi_print_cksum: the Fletcher checksum at `off` of `n` bytes from `o` verified, or `(unverified)`. */
  cksum(o: number, carried: number, off: number, n: number): string {
    if (carried === 0 || off < 0 || !this.test(o + off, 2) || off > n || n < 0 || !this.test(o, n)) return ' (unverified)';
    const calc = osiChecksum(this.b, o, off, n);
    return carried === calc ? ' (correct)' : ` (incorrect should be 0x${hex4(calc)})`;
  }
}

const T = new OsiText();

/**
 * The ISO 8473 checksum a sender would put at `off` into `n` bytes from `o` (the field itself counted
 * as zero), as tcpdump computes it to check the carried one.
 */
export function osiChecksum(b: Uint8Array, o: number, off: number, n: number): number {
  let c0 = 0;
  let c1 = 0;
  for (let k = 0; k < n; k++) {
    if (k !== off && k !== off + 1) c0 += b[o + k] ?? 0;
    c1 += c0;
  }
  c0 %= 255;
  c1 %= 255;
  const mul = (n - off) * c0;
  let x = mul - c0 - c1;
  let y = c1 - mul - 1;
  if (y >= 0) y++;
  if (x < 0) x--;
  x %= 255;
  y %= 255;
  if (x === 0) x = 255;
  if (y === 0) y = 255;
  return ((x & 0xff) << 8) | (y & 0xff);
}

/** Starts the text of the OSI PDU at layer i; returns the PDU length tcpdump hands the printer. */
function begin(c: Printer, v: OsiView, i: number): number {
  osiNlpidPrefix(c, v.u8(0));
  T.begin(v.bytes, v.offset + v.length, c.opts.verbose);
  // after LLC the 802.3 length counts; on serial links the frame runs to its end on the wire
  return i > 0 && c.parser.kinds[i - 1] === Layer.Llc ? c.parser.lens[i] ?? v.length : wireFrom(c, v.offset);
}

/** Hands the text over; a read past the capture ends it like tcpdump's longjmp (` [|proto]`). */
function finish(c: Printer, proto: string): void {
  c.s += T.out;
  if (T.aborted) {
    c.s += ` [|${proto}]`;
    c.earlyEnd = true;
  }
}

/** tcpdump's IS-IS text (isoclns_print and isis_print). */
export function printIsis(c: Printer, v: IsisView, i: number): void {
  const len = begin(c, v, i);
  if (!isis(c, v.offset, len)) T.unknown(v.offset, '\n\t', len);
  finish(c, 'isis');
}

/** tcpdump's ES-IS text (esis_print). */
export function printEsis(c: Printer, v: EsisView, i: number): void {
  const len = begin(c, v, i);
  esis(c, v.offset, len);
  finish(c, 'esis');
}

/** tcpdump's CLNP text (clnp_print). */
export function printClnp(c: Printer, v: ClnpView, i: number): void {
  const len = begin(c, v, i);
  if (!clnp(c, v.offset, len)) T.unknown(v.offset, '\n\t', len);
  finish(c, 'clnp');
}

const TRUNC_ISIS = ' [|isis]';

/** isis_print: false where tcpdump returns 0 (the caller dumps the PDU). */
function isis(c: Printer, p: number, length: number): boolean {
  const e = c.opts.linkHeader;
  const vb = T.verbose;
  let packetLen = length;
  if (!T.test(p, 8) || length < 8) {
    T.emit(TRUNC_ISIS);
    return true;
  }
  if (!e) T.emit('IS-IS');
  const version = T.g1(p + 2);
  if (version !== 1) {
    T.emit(`version ${version} packet not supported`);
    return false;
  }
  const idLen = T.g1(p + 3);
  if (idLen !== 6 && idLen !== 0) {
    T.emit(`system ID length of ${idLen} is not supported`);
    return false;
  }
  const pduVersion = T.g1(p + 5);
  if (pduVersion !== 1) {
    T.emit(`version ${pduVersion} packet not supported`);
    return false;
  }
  const fixed = T.g1(p + 1);
  if (length < fixed) {
    T.emit(`fixed header length ${fixed} > packet length ${length}`);
    return false;
  }
  if (fixed < 8) {
    T.emit(`fixed header length ${fixed} < minimum header size 8`);
    return false;
  }
  const maxAreaRaw = T.g1(p + 7);
  if (maxAreaRaw === 255) {
    T.emit('bad packet -- 255 areas');
    return false;
  }
  const maxArea = maxAreaRaw === 0 ? 3 : maxAreaRaw;
  const type = T.g1(p + 4);
  const sep = e ? '' : ', ';
  if (vb === 0) T.emit(`${sep}${PDU_NAMES[type] ?? `unknown PDU-Type ${type}`}`);
  else {
    T.emit(`${sep}length ${length}`);
    T.emit(`\n\t${PDU_NAMES[type] ?? `unknown, type ${type}`}, hlen: ${fixed}, v: ${version}, pdu-v: ${pduVersion}, sys-id-len: 6 (${idLen}), max-area: ${maxArea} (${maxAreaRaw})`);
    if (vb > 1) T.unknown(p, '\n\t', 8);
  }
  const h = p + 8;
  const want = FIXED_LEN[type];
  if (want === undefined) {
    if (vb === 0) {
      T.emit(`, length ${length}`);
      return true;
    }
    T.unknown(h, '\n\t  ', length);
    return false;
  }
  if (fixed !== want) {
    const lsp = type === IsisPdu.L1_LSP || type === IsisPdu.L2_LSP;
    const psnp = type === IsisPdu.L1_PSNP || type === IsisPdu.L2_PSNP;
    // tcpdump names the LSP's fixed part without the common header here
    T.emit(`${psnp ? '-' : ','} bogus fixed header length ${fixed} should be ${lsp ? want - 8 : want}`);
    return false;
  }
  if (!T.test(h, want - 8) || length < want) {
    T.emit(TRUNC_ISIS);
    return true;
  }
  let pduLen = 0;
  switch (type) {
    case IsisPdu.L1_LAN_IIH:
    case IsisPdu.L2_LAN_IIH:
      if (vb === 0) {
        T.emit(`, src-id ${T.id(h + 1, 6)}, lan-id ${T.id(h + 12, 7)}, prio ${T.g1(h + 11)}, length ${length}`);
        return true;
      }
      pduLen = T.g2(h + 9);
      if (packetLen > pduLen) packetLen = length = pduLen;
      T.emit(`\n\t  source-id: ${T.id(h + 1, 6)},  holding time: ${T.g2(h + 7)}s, Flags: [${circuitType(T.g1(h))}]`);
      T.emit(`\n\t  lan-id:    ${T.id(h + 12, 7)}, Priority: ${T.g1(h + 11) & 0x7f}, PDU length: ${pduLen}`);
      break;
    case IsisPdu.PTP_IIH:
      if (vb === 0) {
        T.emit(`, src-id ${T.id(h + 1, 6)}, length ${length}`);
        return true;
      }
      pduLen = T.g2(h + 9);
      if (packetLen > pduLen) packetLen = length = pduLen;
      T.emit(`\n\t  source-id: ${T.id(h + 1, 6)}, holding time: ${T.g2(h + 7)}s, Flags: [${circuitType(T.g1(h))}]`);
      T.emit(`\n\t  circuit-id: 0x${hex2(T.g1(h + 11))}, PDU length: ${pduLen}`);
      break;
    case IsisPdu.L1_LSP:
    case IsisPdu.L2_LSP: {
      if (vb === 0) {
        T.emit(`, lsp-id ${T.id(h + 4, 8)}, seq 0x${hex8(T.g4(h + 12))}, lifetime ${String(T.g2(h + 2)).padStart(5)}s, length ${length}`);
        return true;
      }
      pduLen = T.g2(h);
      if (packetLen > pduLen) packetLen = length = pduLen;
      const ck = T.g2(h + 16);
      T.emit(`\n\t  lsp-id: ${T.id(h + 4, 8)}, seq: 0x${hex8(T.g4(h + 12))}, lifetime: ${String(T.g2(h + 2)).padStart(5)}s\n\t  chksum: 0x${hex4(ck)}`);
      T.emit(T.cksum(h + 4, ck, 12, length - 12));
      const tb = T.g1(h + 18);
      let f = `, PDU length: ${pduLen}, Flags: [ ${tb & 0x4 ? 'Overload bit set, ' : ''}`;
      if (tb & 0x78) f += `${tb & 0x8 ? 'default ' : ''}${tb & 0x10 ? 'delay ' : ''}${tb & 0x20 ? 'expense ' : ''}${tb & 0x40 ? 'error ' : ''}ATT bit set, `;
      f += `${tb & 0x80 ? 'P bit set, ' : ''}${LSP_IS_TYPES[tb & 3]} ]`;
      T.emit(f);
      break;
    }
    default:
      // CSNP and PSNP: the source id, and for a CSNP the range of LSP ids it describes
      if (vb === 0) {
        T.emit(`, src-id ${T.id(h + 2, 7)}, length ${length}`);
        return true;
      }
      pduLen = T.g2(h);
      if (packetLen > pduLen) packetLen = length = pduLen;
      T.emit(`\n\t  source-id:    ${T.id(h + 2, 7)}, PDU length: ${pduLen}`);
      if (type === IsisPdu.L1_CSNP || type === IsisPdu.L2_CSNP) {
        T.emit(`\n\t  start lsp-id: ${T.id(h + 9, 8)}`);
        T.emit(`\n\t  end lsp-id:   ${T.id(h + 17, 8)}`);
      }
  }
  if (vb > 1) T.unknown(h, '\n\t  ', want - 8);
  if (packetLen < want) {
    T.emit(` [packet length ${packetLen} < ${want}] (invalid)`);
    return true;
  }
  packetLen -= want;
  let q = p + want;
  while (packetLen > 0 && !T.aborted) {
    if (!T.test(q, 2) || packetLen < 2) {
      T.emit(TRUNC_ISIS);
      return true;
    }
    const tt = T.g1(q);
    const tl = T.g1(q + 1);
    q += 2;
    packetLen -= 2;
    T.emit(`\n\t    ${TLV_NAMES[tt] ?? 'unknown'} TLV #${tt}, length: ${tl}`);
    if (packetLen < tl) {
      T.emit(TRUNC_ISIS);
      return true;
    }
    const r = tlv(tt, q, tl, p, length);
    if (r === TlvEnd.TRUNC) {
      T.emit(TRUNC_ISIS);
      return true;
    }
    if (r === TlvEnd.QUIET) return true;
    if (vb > 1) T.unknown(q, '\n\t      ', tl);
    q += tl;
    packetLen -= tl;
  }
  return true;
}

const circuitType = (t: number): string => CIRCUIT_TYPES[t] ?? `unknown circuit type 0x${hex2(t)}`;

/** How a TLV's decoding ended: normally (or at tcpdump's tlv_trunc), at its `trunc` label, or silently. */
const TlvEnd = { OK: 0, TRUNC: 1, QUIET: 2 } as const;
type TlvEnd = (typeof TlvEnd)[keyof typeof TlvEnd];

const I6 = '\n\t      ';
const I7 = '\n\t       ';

/** One TLV's value (`tl` bytes at `q`; the PDU at `p`, `length` bytes of it trusted). */
function tlv(tt: number, q: number, tl: number, p: number, length: number): TlvEnd {
  let t = q;
  let n = tl;
  switch (tt) {
    case 1:
      while (n !== 0 && !T.aborted) {
        const al = T.g1(t);
        t++;
        n--;
        if (n < al) break;
        T.emit(`${I6}Area address (length: ${al}): ${T.nsap(t, al)}`);
        t += al;
        n -= al;
      }
      return TlvEnd.OK;
    case 6:
      while (n !== 0 && !T.aborted) {
        if (n < 6) break;
        if (!T.test(t, 6)) return TlvEnd.TRUNC;
        T.emit(`${I6}SNPA: ${T.id(t, 6)}`);
        n -= 6;
        t += 6;
      }
      return TlvEnd.OK;
    case 7: {
      if (n < 4) return TlvEnd.OK;
      const k = (n - 2) >> 1;
      T.emit(`${I6}Instance ID: ${T.g2(t)}, ITIDs(${k})${k ? ':' : ''} `);
      for (let j = 0; j < k; j++) T.emit(`${T.g2(t + 2 + 2 * j)}${j < k - 1 ? ', ' : ''}`);
      return TlvEnd.OK;
    }
    case 8:
      return TlvEnd.OK;
    case 222: case 24: case 22:
      return reachList(t, n, tt === 222, (x, r) => extIsReach(x, tt, r));
    case 2:
      if (n < 1) return TlvEnd.OK;
      T.emit(`${I6}${({ 0: 'IsNotVirtual', 1: 'IsVirtual' } as Names)[T.g1(t)] ?? `bogus virtual flag 0x${hex2(T.g1(t))}`}`);
      t++;
      n--;
      return neighbors(t, n, 'IS', 7);
    case 3:
      return neighbors(t, n, 'ES', 6);
    case 128: case 130:
      return ipReach(t, n) ? TlvEnd.OK : TlvEnd.QUIET;
    case 135: case 235: case 236: case 237:
      return reachList(t, n, tt === 235 || tt === 237, (x) => extIpReach(x, tt === 236 || tt === 237));
    case 232:
      return interfaceAddrs(t, n, 16);
    case 10: {
      if (n < 1) return TlvEnd.OK;
      const at = T.g1(t);
      t++;
      n--;
      T.emit(`${I6}${AUTH_NAMES[at] ?? `unknown Authentication type 0x${hex2(at)}`}: `);
      if (at === 1) T.jnp(t, n);
      else if (at === 54) {
        T.hexRun(t, n);
        if (n !== 16) T.emit(', (invalid subTLV) ');
        // tcpdump checks the HMAC only with a secret (-M), which tscap does not take
        T.emit(' (unchecked)');
      } else if (at === 3) {
        if (n < 2) return TlvEnd.OK;
        T.emit(`${T.g2(t)}, password: `);
        T.hexRun(t + 2, n - 2);
      } else T.unknown(t, '\n\t\t  ', n);
      return TlvEnd.OK;
    }
    case 240:
      if (n >= 1) {
        T.emit(`${I6}Adjacency State: ${PTP_ADJ_STATES[T.g1(t)] ?? 'unknown'} (${T.g1(t)})`);
        n--;
      }
      if (n > 4) {
        T.emit(`${I6}Extended Local circuit-ID: 0x${hex8(T.g4(t + 1))}`);
        n -= 4;
      }
      if (n >= 6) {
        if (!T.test(t + 5, 6)) return TlvEnd.TRUNC;
        T.emit(`${I6}Neighbor System-ID: ${T.id(t + 5, 6)}`);
        n -= 6;
      }
      if (n >= 4) T.emit(`${I6}Neighbor Extended Local circuit-ID: 0x${hex8(T.g4(t + 11))}`);
      return TlvEnd.OK;
    case 129:
      T.emit(`${I6}NLPID(s): `);
      T.nlpids(t, n);
      return TlvEnd.OK;
    case 143:
      if (n < 2) return TlvEnd.OK;
      T.emit(`${I7}RES: ${T.g2(t) >> 12}, MTID(s): ${T.g2(t) & 0x0fff}`);
      spbSubTlvs(t + 2, n - 2, SPB_PORT);
      return TlvEnd.OK;
    case 144:
      if (n < 2) return TlvEnd.OK;
      T.emit(`${I6}O: ${(T.g2(t) >> 15) & 1}, RES: ${(T.g2(t) >> 12) & 7}, MTID(s): ${T.g2(t) & 0x0fff}`);
      spbSubTlvs(t + 2, n - 2, SPB_CAPAB);
      return TlvEnd.OK;
    case 134:
      if (n < 4) return TlvEnd.OK;
      T.emit(`${I6}Traffic Engineering Router ID: ${T.ip4(t)}`);
      return TlvEnd.OK;
    case 132:
      return interfaceAddrs(t, n, 4);
    case 137:
      T.emit(`${I6}Hostname: `);
      T.jnp(t, n);
      return TlvEnd.OK;
    case 138:
      if (n < 7) return TlvEnd.OK;
      if (!T.test(t, 7)) return TlvEnd.TRUNC;
      T.emit(`${I6}IS Neighbor: ${T.id(t, 7)}`);
      t += 7;
      n -= 7;
      if (n < 1) return TlvEnd.OK;
      T.emit(`, Flags: [${T.g1(t) & 1 ? 'numbered' : 'unnumbered'}]`);
      t++;
      n--;
      if (n < 4) return TlvEnd.OK;
      T.emit(`${I6}IPv4 interface address: ${T.ip4(t)}`);
      t += 4;
      n -= 4;
      if (n < 4) return TlvEnd.OK;
      T.emit(`${I6}IPv4 neighbor address: ${T.ip4(t)}`);
      t += 4;
      n -= 4;
      while (n >= 4 && !T.aborted) {
        T.emit(`${I6}Link-ID: 0x${hex8(T.g4(t))}`);
        t += 4;
        n -= 4;
      }
      return TlvEnd.OK;
    case 9:
      while (n !== 0 && !T.aborted) {
        if (n < 16) break;
        if (!T.test(t + 9, 1)) return TlvEnd.TRUNC;
        T.emit(`${I6}lsp-id: ${T.id(t + 2, 8)}, seq: 0x${hex8(T.g4(t + 10))}, lifetime: ${String(T.g2(t)).padStart(5)}s, chksum: 0x${hex4(T.g2(t + 14))}`);
        n -= 16;
        t += 16;
      }
      return TlvEnd.OK;
    case 12:
      if (n < 2) return TlvEnd.OK;
      if (!T.test(t, 2)) return TlvEnd.TRUNC;
      T.emit(`${I6}checksum: 0x${hex4(T.g2(t))} ${T.cksum(p, T.g2(t), t - p, length)}`);
      return TlvEnd.OK;
    case 13: {
      if (n < 1) return TlvEnd.OK;
      const ids = T.g1(t);
      t++;
      n--;
      if (ids === 0) {
        T.emit(' No system IDs supplied');
        return TlvEnd.OK;
      }
      if (n < 6) return TlvEnd.OK;
      if (!T.test(t, 6)) return TlvEnd.TRUNC;
      T.emit(`${I6}Purge Originator System-ID: ${T.id(t, 6)}`);
      t += 6;
      n -= 6;
      if (ids > 1) {
        if (n < 6) return TlvEnd.OK;
        if (!T.test(t, 13)) return TlvEnd.TRUNC;
        T.emit(`${I6}Received from System-ID: ${T.id(t, 6)}`);
      }
      return TlvEnd.OK;
    }
    case 229:
      while (n !== 0 && !T.aborted) {
        if (n === 1) {
          T.emit(`${I6}invalid MT-ID`);
          break;
        }
        mtid(t, n);
        t += 2;
        n -= 2;
      }
      return TlvEnd.OK;
    case 211:
      if (n < 1) return TlvEnd.OK;
      if (!T.test(t, 1)) return TlvEnd.TRUNC;
      T.emit(`${I6}Flags [${bits(RESTART_FLAGS, T.g1(t))}]`);
      t++;
      n--;
      if (n < 2) return TlvEnd.OK;
      if (!T.test(t, 2)) return TlvEnd.TRUNC;
      T.emit(`, Remaining holding time ${T.g2(t)}s`);
      if (n - 2 === 6) {
        if (!T.test(t + 2, 6)) return TlvEnd.TRUNC;
        T.emit(`, for ${T.id(t + 2, 6)}`);
      }
      return TlvEnd.OK;
    case 131: {
      if (n < 1) return TlvEnd.OK;
      const it = T.g1(t);
      T.emit(`${I6}Inter-Domain Information Type: ${IDRP_NAMES[it] ?? `Unknown (0x${hex2(it)})`}`);
      t++;
      n--;
      if (it === 2) {
        if (n >= 2) T.emit(`AS Number: ${T.g2(t)}`);
      } else T.unknown(t, I6, n);
      return TlvEnd.OK;
    }
    case 14:
      if (n >= 2) T.emit(`${I6}LSP Buffersize: ${T.g2(t)}`);
      return TlvEnd.OK;
    case 4:
      while (n !== 0 && !T.aborted) {
        if (n < 6) break;
        if (!T.test(t, 6)) return TlvEnd.TRUNC;
        T.emit(`${I6}${T.id(t, 6)}`);
        t += 6;
        n -= 6;
      }
      return TlvEnd.OK;
    case 5:
      if (n < 4) return TlvEnd.OK;
      if (!T.test(t, 4)) return TlvEnd.TRUNC;
      T.emit(`${I6}Metric Block`);
      metricBlock(t);
      t += 4;
      n -= 4;
      while (n !== 0 && !T.aborted) {
        const pl = T.g1(t);
        t++;
        n--;
        if (pl < 2) {
          T.emit(`\n\t\tAddress: prefix length ${pl} < 2`);
          break;
        }
        if (n < pl >> 1) break;
        T.emit(`\n\t\tAddress: ${T.nsap(t, pl >> 1)}/${pl * 4}`);
        t += pl >> 1;
        n -= pl >> 1;
      }
      return TlvEnd.OK;
    case 241:
      if (n >= 4) T.emit(`${I6}Sequence number: ${T.g4(t)}`);
      return TlvEnd.OK;
    case 242:
      if (n < 5) {
        T.emit(` [object length ${n} < 5] (invalid)`);
        return TlvEnd.OK;
      }
      T.emit(`${I6}Router-ID ${T.ip4(t)}, Flags [${bits(ROUTER_CAP_FLAGS, T.g1(t + 4))}]`);
      if (n > 5) routerCap(t + 5, n - 5);
      return TlvEnd.OK;
    case 250: {
      if (n < 3) return TlvEnd.OK;
      const vendor = T.g3(t);
      T.emit(`${I6}Vendor: ${OUI_NAMES[vendor] ?? 'Unknown'} (${vendor})`);
      if (n > 3) T.unknown(t + 3, '\n\t\t', n - 3);
      return TlvEnd.OK;
    }
    default:
      if (T.verbose <= 1) T.unknown(q, '\n\t\t', tl);
      return TlvEnd.OK;
  }
}

/**
 * The entries of a reachability TLV (after its topology when `mt`): `entry` prints one and returns the
 * bytes it used, 0 to stop the PDU at tcpdump's `trunc`.
 */
function reachList(t: number, n: number, mt: boolean, entry: (t: number, n: number) => number): TlvEnd {
  if (mt) {
    if (!mtid(t, n)) return TlvEnd.TRUNC;
    t += 2;
    n -= 2;
  }
  while (n !== 0 && !T.aborted) {
    const used = entry(t, n);
    if (used === 0) return TlvEnd.TRUNC;
    if (n < used) {
      T.emit(` [remaining tlv length ${n} < ${used}] (invalid)`);
      break;
    }
    // tcpdump keeps these counts in 8 bits
    n = (n - (used & 0xff)) & 0xff;
    t += used & 0xff;
  }
  return TlvEnd.OK;
}

/** The metric value, and whether it is internal or external, of one metric byte. */
const metricText = (m: number): string => `${m & 0x3f}, ${m & 0x40 ? 'External' : 'Internal'}`;

/** isis_print_metric_block: the default metric, and the others the block says are supported. */
function metricBlock(t: number): void {
  T.emit(`, Default Metric: ${metricText(T.g1(t))}`);
  for (const [k, name] of [[1, 'Delay'], [2, 'Expense'], [3, 'Error']] as const) {
    const m = T.g1(t + k);
    if (!(m & 0x80)) T.emit(`\n\t\t  ${name} Metric: ${metricText(m)}`);
  }
}

/** The interface addresses of TLV 132 (`size` 4) or 232 (16); a short rest is left unprinted. */
function interfaceAddrs(t: number, n: number, size: 4 | 16): TlvEnd {
  for (; n >= size && !T.aborted; t += size, n -= size) T.emit(`${I6}IPv${size === 4 ? 4 : 6} interface address: ${size === 4 ? T.ip4(t) : T.ip6(t)}`);
  return TlvEnd.OK;
}

/** The neighbors of TLV 2 (IS, node ids) or 3 (ES, system ids): a metric block and an id each. */
function neighbors(t: number, n: number, kind: string, idLen: number): TlvEnd {
  const size = 4 + idLen;
  while (n !== 0 && !T.aborted) {
    if (n < size) break;
    if (!T.test(t, size)) return TlvEnd.TRUNC;
    T.emit(`${I6}${kind} Neighbor: ${T.id(t + 4, idLen)}`);
    metricBlock(t);
    n -= size;
    t += size;
  }
  return TlvEnd.OK;
}

/** A netmask's prefix length, or -1 when its ones are not contiguous. */
function maskLen(m: number): number {
  for (let k = 0; k <= 32; k++) if ((k === 0 ? 0 : (0xffffffff << (32 - k)) >>> 0) === m) return k;
  return -1;
}

/** isis_print_tlv_ip_reach (TLVs 128 and 130): false where tcpdump stops the PDU without a mark. */
function ipReach(t: number, n: number): boolean {
  while (n > 0 && !T.aborted) {
    if (n < 12) {
      T.emit(`short IPv4 Reachability (${n} vs 12)`);
      return false;
    }
    if (!T.test(t, 12)) return false;
    const mask = u32(T.b, t + 8);
    const pl = maskLen(mask);
    T.emit(pl === -1 ? `${I6}IPv4 prefix: ${T.ip4(t + 4)} mask ${T.ip4(t + 8)}` : `${I6}IPv4 prefix: ${T.ip4(t + 4).padStart(15)}/${pl}`);
    const m = T.g1(t);
    T.emit(`, Distribution: ${m & 0x80 ? 'down' : 'up'}, Metric: ${metricText(m)}`);
    for (const [k, name] of [[1, 'Delay'], [2, 'Expense'], [3, 'Error']] as const) {
      const x = T.g1(t + k);
      if (!(x & 0x80)) T.emit(`${I6}  ${name} Metric: ${metricText(x)}`);
    }
    n -= 12;
    t += 12;
  }
  return true;
}

/** isis_print_mtid: the topology of a multi-topology TLV; false when fewer than 2 bytes are left. */
function mtid(t: number, n: number): boolean {
  if (n < 2) return false;
  const v = T.g2(t);
  T.emit(`${I6}${MT_NAMES[v & 0x0fff] ?? 'Reserved for IETF Consensus'} Topology (0x${(v & 0x0fff).toString(16).padStart(3, '0')}), Flags: [${bits(MT_FLAGS, v & 0xf000)}]`);
  return true;
}

const F32 = new DataView(new ArrayBuffer(4));

/** A float32 bandwidth in bytes per second as tcpdump prints it: `%.3f` of the bits per second in Mbps. */
function mbps(raw: number): string {
  F32.setUint32(0, raw);
  return Math.fround(Math.fround(F32.getFloat32(0) * 8) / 1000000).toFixed(3);
}

/** isis_print_ext_is_reach: one neighbor of TLV 22, 24 or 222; the bytes used, 0 on a cut. */
function extIsReach(t: number, tt: number, rem: number): number {
  if (!T.test(t, 7) || rem < 7) return 0;
  T.emit(`${I6}IS Neighbor: ${T.id(t, 7)}`);
  t += 7;
  rem -= 7;
  let used = 7;
  if (tt !== 24) {
    if (!T.test(t, 3) || rem < 3) return 0;
    T.emit(`, Metric: ${T.g3(t)}`);
    t += 3;
    rem -= 3;
    used += 3;
  }
  if (!T.test(t, 1) || rem < 1) return 0;
  let sum = T.g1(t);
  t++;
  rem--;
  used++;
  T.emit(`, ${sum ? '' : 'no '}sub-TLVs present`);
  if (!sum) return used;
  T.emit(` (${sum})`);
  const ind = `${I6}  `;
  while (sum !== 0 && !T.aborted) {
    if (!T.test(t, 2)) return 0;
    if (rem < 2) {
      T.emit(`${ind}Remaining data in TLV shorter than a subTLV header`);
      used += rem;
      break;
    }
    if (sum < 2) {
      T.emit(`${ind}Remaining data in subTLVs shorter than a subTLV header`);
      used += sum;
      break;
    }
    const st = T.g1(t);
    let sl = T.g1(t + 1);
    t += 2;
    rem -= 2;
    sum -= 2;
    used += 2;
    T.emit(`${ind}${EXT_IS_SUBTLVS[st] ?? 'unknown'} subTLV #${st}, length: ${sl}`);
    if (sum < sl) {
      T.emit(' (remaining data in subTLVs shorter than the current subTLV)');
      used += sum;
      break;
    }
    if (rem < sl) {
      T.emit(' (> remaining tlv length)');
      used += rem;
      break;
    }
    if (!T.test(t, sl)) return 0;
    // a few cases consume part of the sub-TLV as they print it, as tcpdump's do
    const take = (k: number): void => {
      t += k;
      sl -= k;
      sum -= k;
      used += k;
    };
    switch (st) {
      case 3: case 4: case 5:
        if (sl >= 4) {
          T.emit(`, 0x${hex8(T.g4(t))}`);
          if (sl === 8) T.emit(`, 0x${hex8(T.g4(t + 4))}`);
        }
        break;
      case 6: case 8:
        if (sl >= 4) T.emit(`, ${T.ip4(t)}`);
        break;
      case 9: case 10:
        if (sl >= 4) T.emit(`, ${mbps(T.g4(t))} Mbps`);
        break;
      case 11:
        if (sl >= 32) {
          for (let k = 0; k < 8; k++) {
            T.emit(`${ind}  TE-Class ${k}: ${mbps(T.g4(t))} Mbps`);
            take(4);
          }
        }
        break;
      case 22: case 12:
        if (sl === 0) break;
        T.emit(`${ind}Bandwidth Constraints Model ID: ${BC_MODELS[T.g1(t)] ?? 'unknown'} (${T.g1(t)})`);
        take(1);
        for (let k = 0; sl !== 0 && sl >= 4; k++) {
          T.emit(`${ind}  Bandwidth constraint CT${k}: ${mbps(T.g4(t))} Mbps`);
          take(4);
        }
        break;
      case 18:
        if (sl >= 3) T.emit(`, ${T.g3(t)}`);
        break;
      case 19:
        if (sl === 2) T.emit(`, [ ${bits(LINK_ATTR_FLAGS, T.g2(t), 'Unknown')} ] (0x${hex4(T.g2(t))})`);
        break;
      case 20:
        if (sl >= 2) T.emit(`, ${bits(LINK_PROT, T.g1(t))}, Priority ${T.g1(t + 1)}`);
        break;
      case 29:
        if (sl >= 6) {
          T.emit(`, LM: ${T.g3(t)}`);
          take(3);
          T.emit(`, P: ${T.g1(t)}`);
          take(1);
          T.emit(`, P-ID: ${T.g2(t)}`);
        }
        break;
      case 21:
        if (sl >= 36) {
          const cap = T.g1(t);
          T.emit(`${ind}  Interface Switching Capability:${SWITCH_CAPS[cap] ?? 'Unknown'}, LSP Encoding: ${ENCODINGS[T.g1(t + 1)] ?? 'Unknown'}`);
          take(4);
          T.emit(`${ind}  Max LSP Bandwidth:`);
          for (let k = 0; k < 8; k++) {
            T.emit(`${ind}    priority level ${k}: ${mbps(T.g4(t))} Mbps`);
            take(4);
          }
          if (cap >= 1 && cap <= 4) {
            if (sl >= 6) T.emit(`${ind}  Min LSP Bandwidth: ${mbps(T.g4(t))} Mbps${ind}  Interface MTU: ${T.g2(t + 4)}`);
          } else if (cap === 100) {
            if (sl >= 8) T.emit(`${ind}  Min LSP Bandwidth: ${mbps(T.g4(t))} Mbps${ind}  Indication ${TSC_INDICATIONS[T.g1(t + 4)] ?? `Unknown (${T.g1(t + 4)})`}`);
          } else if (sl !== 0) T.unknown(t, '\n\t\t    ', sl);
        }
        break;
      case 32:
        if (sl >= 8) {
          const fl = T.g1(t);
          T.emit(`${ind}  Flags: [${bits(LAN_ADJ_SID_FLAGS, fl)}]`);
          take(1);
          T.emit(`${ind}  Weight: ${T.g1(t)}`);
          take(1);
          if (sl >= 6) T.emit(`${ind}  Neighbor System-ID: ${T.id(t, 6)}`);
          const vf = fl & 0x20;
          const lf = fl & 0x10;
          if (vf && lf) T.emit(`${ind}  Label: ${T.g3(t + 6)}`);
          else if (!vf && !lf) T.emit(`${ind}  Index: ${T.g4(t + 6)}`);
          else T.emit(' (invalid)');
        }
        break;
      default:
        T.unknown(t, '\n\t\t    ', sl);
    }
    t += sl;
    rem -= sl;
    sum -= sl;
    used += sl;
  }
  return used;
}

/** isis_print_extd_ip_reach: one prefix of TLV 135, 235, 236 or 237; the bytes used, 0 to stop the PDU. */
function extIpReach(t: number, v6: boolean): number {
  const metric = T.g4(t);
  let used = 4;
  t += 4;
  let status: number;
  let bl: number;
  if (!v6) {
    status = T.g1(t);
    t++;
    bl = status & 0x3f;
    if (bl > 32) {
      T.emit(`${I6}IPv4 prefix: bad bit length ${bl}`);
      return 0;
    }
    used++;
  } else {
    status = T.g1(t);
    bl = T.g1(t + 1);
    if (bl > 128) {
      T.emit(`${I6}IPv6 prefix: bad bit length ${bl}`);
      return 0;
    }
    t += 2;
    used += 2;
  }
  const bytes = (bl + 7) >> 3;
  if (!T.has(t, bytes)) return 0;
  const prefix = new Uint8Array(16);
  prefix.set(T.b.subarray(t, t + bytes));
  t += bytes;
  used += bytes;
  if (!v6) T.emit(`${I6}IPv4 prefix: ${ipv4Text(prefix, 0).padStart(15)}/${bl}`);
  else T.emit(`${I6}IPv6 prefix: ${ipv6Text(prefix, 0)}/${bl}`);
  T.emit(`, Distribution: ${status & 0x80 ? 'down' : 'up'}, Metric: ${metric}`);
  const sub = v6 ? status & 0x20 : status & 0x40;
  if (!v6 && sub) T.emit(', sub-TLVs present');
  else if (v6) T.emit(`, ${status & 0x40 ? 'External' : 'Internal'}${sub ? ', sub-TLVs present' : ''}`);
  if (sub) {
    let sl = T.g1(t);
    t++;
    used += sl + 1;
    T.emit(` (${sl})`);
    while (sl > 0 && !T.aborted) {
      const st = T.g1(t);
      const sn = T.g1(t + 1);
      t += 2;
      if (!ipReachSubTlv(t, st, sn)) return 0;
      t += sn;
      sl = (sl - (sn + 2)) >>> 0;
    }
  }
  return T.aborted ? 0 : used;
}

/** isis_print_ip_reach_subtlv; false after a cut (tcpdump has printed its ` [|isis]` already). */
function ipReachSubTlv(t: number, st: number, sl: number): boolean {
  const ind = `${I6}  `;
  T.emit(`${ind}${EXT_IP_SUBTLVS[st] ?? 'unknown'} subTLV #${st}, length: ${sl}`);
  if (!T.test(t, sl)) {
    T.emit(TRUNC_ISIS);
    return false;
  }
  switch (st) {
    case 117: case 1:
      for (; sl >= 4; sl -= 4, t += 4) T.emit(`, 0x${hex8(T.g4(t))} (=${T.g4(t)})`);
      break;
    case 2:
      for (; sl >= 8; sl -= 8, t += 8) T.emit(`, 0x${hex8(T.g4(t))}${hex8(T.g4(t + 4))}`);
      break;
    case 3: {
      const fl = T.g1(t);
      const algo = T.g1(t + 1);
      let sid: number;
      if (fl & 0x08) {
        if (sl < 5) {
          T.emit(TRUNC_ISIS);
          return false;
        }
        sid = T.g3(t + 2);
      } else {
        if (sl < 6) {
          T.emit(TRUNC_ISIS);
          return false;
        }
        sid = T.g4(t + 2);
      }
      T.emit(`, Flags [${bits(PREFIX_SID_FLAGS, fl, 'None')}], Algo ${({ 0: 'SPF', 1: 'strict-SPF' } as Names)[algo] ?? 'Unknown'} (${algo}), ${fl & 0x08 ? 'label' : 'index'} ${sid}`);
      break;
    }
    default:
      T.unknown(t, '\n\t\t    ', sl);
  }
  return true;
}

/** isis_print_router_cap_subtlv: the sub-TLVs of a router capability TLV (`n` is a byte count, as there). */
function routerCap(t: number, n: number): void {
  while (n >= 2 && !T.aborted) {
    const st = T.g1(t);
    const sl = T.g1(t + 1);
    n -= 2;
    t += 2;
    T.emit(`\n\t\t${st === 2 ? 'SR-Capabilities' : 'unknown'} subTLV #${st}, length: ${sl}`);
    if (sl > n) break;
    if (!T.test(t, sl)) return;
    if (st === 2) {
      T.emit(`, Flags [${bits(SR_FLAGS, T.g1(t), 'None')}], Range ${T.g3(t + 1)}`);
      let sp = t + 4;
      let sn = (sl - 4) & 0xff;
      while (sn >= 5 && !T.aborted) {
        const ty = T.g1(sp);
        const ln = T.g1(sp + 1);
        sn -= 2;
        sp += 2;
        if (ln > sn) break;
        if (ty === 1) {
          if (ln === 3) T.emit(`, SID value ${T.g3(sp)}`);
          else if (ln === 4) T.emit(`, SID value ${T.g4(sp)}`);
          else T.emit(`, Unknown SID length${ln}`);
        } else T.unknown(sp, '\n\t\t  ', ln);
        sp += ln;
        sn -= ln;
      }
    } else T.unknown(t, '\n\t\t', sl);
    n -= sl;
    t += sl;
  }
}

/** The SPB sub-TLVs of one of the two MT capability TLVs: their names, the indent of their lines and their printer. */
interface SpbTable {
  names: Names;
  indent: string;
  print: (st: number, t: number, sl: number) => boolean;
}

/** TLV 143 (MT-Port-Cap, RFC 6329): the port's MCID, agreement digest and base VIDs. */
const SPB_PORT: SpbTable = { names: { 4: 'SPB MCID', 5: 'SPB Digest', 6: 'SPB BVID' }, indent: I7, print: spbPortSubTlv };
/** TLV 144 (MT-Capability, RFC 6329): the bridge's SPB instance and its SPBM services. */
const SPB_CAPAB: SpbTable = { names: { 1: 'SPB Instance', 3: 'SPBM Service Identifier and Unicast Address' }, indent: I6, print: spbCapabSubTlv };

const TOO_SHORT = ' (too short)';

/**
 * The sub-TLVs after the MTID of TLV 143 or 144 (`n` bytes at `t`). As in tcpdump, a sub-TLV is
 * looked for only while more than its two header bytes are left (an empty last one is not shown); a
 * sub-TLV longer than what is left, or one its printer finds too short, ends the list (the TLV's
 * -vv dump still follows).
 */
function spbSubTlvs(t: number, n: number, tab: SpbTable): void {
  while (n > 2 && !T.aborted) {
    const st = T.g1(t);
    const sl = T.g1(t + 1);
    t += 2;
    n -= 2;
    T.emit(`${tab.indent}${tab.names[st] ?? 'unknown'} subTLV #${st}, length: ${sl}`);
    if (sl > n) {
      T.emit(' (> containing TLV length)');
      return;
    }
    if (!T.test(t, sl)) {
      T.emit(TRUNC_ISIS);
      return;
    }
    if (!tab.print(st, t, sl)) return;
    t += sl;
    n -= sl;
  }
}

/** One MCID (RFC 6329: format selector, 32-byte name, revision level, 16-byte digest) at `t`. */
function spbMcid(t: number, label: string): void {
  T.emit(`\n\t         ${label}: ID: ${T.g1(t)}, Name: `);
  T.jnp(t + 1, 32);
  T.emit(`\n\t              Lvl: ${T.g2(t + 33)}, Digest: `);
  for (let k = 0; k < 16 && !T.aborted; k++) T.emit(`${hex2(T.g1(t + 35 + k))} `);
}

/** A TLV 143 sub-TLV's value (`sl` bytes at `t`); false ends the list. */
function spbPortSubTlv(st: number, t: number, sl: number): boolean {
  switch (st) {
    case 4:
      if (sl < 102) {
        T.emit(TOO_SHORT);
        return false;
      }
      spbMcid(t, 'MCID');
      spbMcid(t + 51, 'AUX-MCID');
      return true;
    case 5: {
      if (sl < 33) {
        T.emit(TOO_SHORT);
        return false;
      }
      const f = T.g1(t);
      T.emit(`\n\t        RES: ${f >> 5} V: ${(f >> 4) & 1} A: ${(f >> 2) & 3} D: ${f & 3}\n\t         Digest: `);
      for (let k = 0; k < 8 && !T.aborted; k++) T.emit(`${hex8(T.g4(t + 1 + 4 * k))} ${k === 3 ? '\n\t                 ' : ''}`);
      return true;
    }
    case 6:
      // the ECT algorithm is printed before the VID that should follow it is looked for
      for (; sl > 0 && !T.aborted; sl -= 6, t += 6) {
        if (sl < 4) break;
        T.emit(`\n\t           ECT: ${hex8(T.g4(t))}`);
        if (sl < 6) break;
        const v = T.g2(t + 4);
        T.emit(` BVID: ${v >> 4}, U:${(v >> 3) & 1} M:${(v >> 2) & 1} `);
      }
      if (sl <= 0) return true;
      T.emit(TOO_SHORT);
      return false;
    default:
      return true;
  }
}

/** A TLV 144 sub-TLV's value (`sl` bytes at `t`); false ends the list. */
function spbCapabSubTlv(st: number, t: number, sl: number): boolean {
  switch (st) {
    case 1: {
      if (sl < 19) {
        T.emit(TOO_SHORT);
        return false;
      }
      const src = T.g4(t + 14);
      T.emit(`\n\t        CIST Root-ID: ${hex8(T.g4(t))} ${hex8(T.g4(t + 4))}, Path Cost: ${hex8(T.g4(t + 8))}, Prio: ${T.g2(t + 12)}`);
      T.emit(`\n\t        RES: ${src >>> 21}, V: ${(src >> 20) & 1}, SPSource-ID: ${src & 0xfffff}, No of Trees: ${T.g1(t + 18).toString(16)}`);
      // the VLAN-ID tuples the count announces must fit the sub-TLV
      let trees = T.g1(t + 18);
      for (t += 19, sl -= 19; trees > 0 && !T.aborted; trees--, t += 8, sl -= 8) {
        if (sl < 8) {
          T.emit(TRUNC_ISIS);
          return false;
        }
        const f = T.g1(t);
        const vids = T.g3(t + 5);
        T.emit(`\n\t         U:${f >> 7}, M:${(f >> 6) & 1}, A:${(f >> 5) & 1}, RES:${f & 0x1f}, ECT: ${hex8(T.g4(t + 1))}, BVID: ${vids >> 12}, SPVID: ${vids & 0xfff}`);
      }
      return true;
    }
    case 3:
      if (sl < 8) {
        T.emit(TRUNC_ISIS);
        return false;
      }
      T.emit(`\n\t        BMAC: ${hex8(T.g4(t))}${hex4(T.g2(t + 4))}, RES: ${T.g2(t + 6) >> 12}, VID: ${T.g2(t + 6) & 0xfff}`);
      for (t += 8, sl -= 8; sl >= 4 && !T.aborted; t += 4, sl -= 4) {
        const v = T.g4(t);
        T.emit(`\n\t        T: ${v >>> 31}, R: ${(v >> 30) & 1}, RES: ${(v >> 24) & 0x3f}, ISID: ${v & 0xffffff}`);
      }
      return true;
    default:
      return true;
  }
}

// ------------------------------------------------------------------ ES-IS

const ESIS_TYPES: Names = { 6: 'redirect', 2: 'ESH', 4: 'ISH' };
const ESIS_OPTIONS: Names = { 129: 'Protocols supported', 195: 'QoS Maintenance', 197: 'Security', 198: 'ES Configuration Time', 205: 'Priority', 225: 'Addressk Mask', 226: 'SNPA Mask' };

/** esis_print. */
function esis(c: Printer, p: number, length: number): void {
  const e = c.opts.linkHeader;
  if (!e) T.emit('ES-IS');
  if (length <= 2) {
    T.emit(c.opts.quiet ? 'bad pkt!' : 'no header at all!');
    return;
  }
  if (!T.test(p, 9)) {
    T.emit(' [|esis]');
    return;
  }
  let li = T.g1(p + 1);
  const version = T.g1(p + 2);
  if (version !== 1) {
    T.emit(` version ${version} packet not supported`);
    return;
  }
  if (li > length) {
    T.emit(` length indicator(${li}) > PDU size (${length})!`);
    return;
  }
  if (li < 11) {
    T.emit(` length indicator ${li} < min PDU size:${rawHex(p)}`);
    return;
  }
  const type = T.g1(p + 4) & 0x1f;
  const sep = e ? '' : ', ';
  if (T.verbose < 1) {
    T.emit(`${sep}${ESIS_TYPES[type] ?? `unknown type (${type})`}, length ${length}`);
    return;
  }
  T.emit(`${sep}length ${length}\n\t${ESIS_TYPES[type] ?? `unknown type: ${type}`} (${type})`);
  const ck = T.g2(p + 7);
  T.emit(`, v: ${version}, checksum: 0x${hex4(ck)}${T.cksum(p, ck, 7, li)}, holding time: ${T.g2(p + 5)}s, length indicator: ${li}`);
  if (T.verbose > 1) T.unknown(p, '\n\t', 9);
  let q = p + 9;
  li -= 9;
  /**
   * One length-prefixed field: its length with `q` at its bytes, or -1 after tcpdump's complaint
   * (`counted` false: tcpdump does not take the length byte off the length indicator).
   */
  const field = (what: string, counted = true): number => {
    if (!T.test(q, 1)) return T.emit(' [|esis]'), -1;
    if (li < 1) return T.emit(`, bad ${what}/li`), -1;
    const n = T.g1(q);
    q++;
    if (counted) li--;
    if (!T.test(q, n)) return T.emit(' [|esis]'), -1;
    if (li < n) return T.emit(`, bad ${what}/li`), -1;
    return n;
  };
  /** Skips a field of `n` bytes. */
  const skip = (n: number): void => {
    q += n;
    li -= n;
  };
  switch (type) {
    case 6: {
      const dl = field('redirect');
      if (dl < 0) return;
      T.emit(`\n\t  ${T.nsap(q, dl)}`);
      skip(dl);
      const sl = field('redirect');
      if (sl < 0) return;
      const snpa = q;
      skip(sl);
      const nl = field('redirect', false);
      if (nl < 0) return;
      const net = q;
      skip(nl);
      T.emit(`\n\t  SNPA (length: ${sl}): ${sl === 6 ? macText(T.b, snpa) : linkAddr(snpa, sl)}`);
      if (nl !== 0) T.emit(`\n\t  NET (length: ${nl}) ${T.nsap(net, nl)}`);
      break;
    }
    case 2: {
      if (!T.test(q, 1)) return T.emit(' [|esis]');
      if (li < 1) return T.emit(', bad esh/li');
      let k = T.g1(q);
      skip(1);
      T.emit(`\n\t  Number of Source Addresses: ${k}`);
      for (; k > 0; k--) {
        const al = field('esh');
        if (al < 0) return;
        T.emit(`\n\t  NET (length: ${al}): ${T.nsap(q, al)}`);
        skip(al);
      }
      break;
    }
    case 4: {
      const al = field('ish');
      if (al < 0) return;
      T.emit(`\n\t  NET (length: ${al}): ${T.nsap(q, al)}`);
      skip(al);
      break;
    }
    default:
      if (T.verbose <= 1 && T.test(q, 1)) T.unknown(q, '\n\t  ', T.cap - q);
      return;
  }
  while (li !== 0 && !T.aborted) {
    if (li < 2) return T.emit(', bad opts/li');
    const op = T.g1(q);
    let ol = T.g1(q + 1);
    q += 2;
    li -= 2;
    if (ol > li) return T.emit(`, opt (${op}) too long`);
    li -= ol;
    let t = q;
    T.emit(`\n\t  ${ESIS_OPTIONS[op] ?? 'Unknown'} Option #${op}, length ${ol}, value: `);
    if (op === 198) {
      if (ol === 2) {
        if (!T.test(q, 2)) return T.emit(' [|esis]');
        T.emit(`${T.g2(t)}s`);
      } else T.emit('(bad length)');
    } else if (op === 129) {
      T.nlpids(t, ol);
      ol = 0;
    } else T.unknown(t, '\n\t  ', ol);
    // the NLPID list counts `ol` down to 0 as it prints, so tcpdump neither dumps nor skips it after
    if (T.verbose > 1) T.unknown(q, '\n\t  ', ol);
    q += ol;
  }
}

/** The captured bytes from `p` as `%02X` (the dump after a too-small length indicator). */
function rawHex(p: number): string {
  let s = '';
  for (let k = p; k < T.cap; k++) s += hex2(T.b[k] ?? 0).toUpperCase();
  return s;
}

/** A link-level address other than a MAC: its bytes as hex joined by ':'. */
function linkAddr(o: number, n: number): string {
  const parts: string[] = [];
  for (let k = 0; k < n; k++) parts.push(hex2(T.b[o + k] ?? 0));
  return parts.join(':');
}

// ------------------------------------------------------------------ CLNP

const CLNP_TYPES: Names = { 1: 'Error Report', 29: 'MD', 28: 'Data', 30: 'Echo Request', 31: 'Echo Response' };
const CLNP_FLAGS: Bits = [[0x80, 'Segmentation permitted'], [0x40, 'more Segments'], [0x20, 'request Error Report']];
const CLNP_OPTIONS: Names = { 193: 'Discard Reason', 205: 'Priority', 195: 'QoS Maintenance', 197: 'Security', 200: 'Source Routing', 203: 'Route Recording', 204: 'Padding' };
const RFD_CLASSES: Names = { 0x0: 'General', 0x8: 'Address', 0x9: 'Source Routeing', 0xa: 'Lifetime', 0xb: 'PDU Discarded', 0xc: 'Reassembly' };
const RFD_ERRORS: ReadonlyArray<Names | undefined> = [
  { 0: 'Reason not specified', 1: 'Protocol procedure error', 2: 'Incorrect checksum', 3: 'PDU discarded due to congestion', 4: 'Header syntax error (cannot be parsed)', 5: 'Segmentation needed but not permitted', 6: 'Incomplete PDU received', 7: 'Duplicate option' },
  undefined, undefined, undefined, undefined, undefined, undefined, undefined,
  { 0: 'Destination address unreachable', 1: 'Destination address unknown' },
  { 0: 'Unspecified source routeing error', 1: 'Syntax error in source routeing field', 2: 'Unknown address in source routeing field', 3: 'Path not acceptable' },
  { 0: 'Lifetime expired while data unit in transit', 1: 'Lifetime expired during reassembly' },
  { 0: 'Unsupported option not specified', 1: 'Unsupported protocol version', 2: 'Unsupported security option', 3: 'Unsupported source routeing option', 4: 'Unsupported recording of route option' },
  { 0: 'Reassembly interference' },
];
const SCOPES: Names = { 0x40: 'Source Address Specific', 0x80: 'Destination Address Specific', 0xc0: 'Globally unique' };
const QOS_GLOBAL: Bits = [[0x20, 'reserved'], [0x10, 'sequencing vs. delay'], [0x08, 'congested'], [0x04, 'delay vs. cost'], [0x02, 'error vs. delay'], [0x01, 'error vs. cost']];

/** clnp_print: false where tcpdump returns 0 (the caller dumps the PDU). */
function clnp(c: Printer, p: number, length: number, depth = 0): boolean {
  const e = c.opts.linkHeader;
  if (!T.test(p, 9)) {
    T.emit(' [|clnp]');
    return true;
  }
  const li = T.g1(p + 1);
  if (!e) T.emit('CLNP');
  const version = T.g1(p + 2);
  if (version !== 1) {
    T.emit(`version ${version} packet not supported`);
    return false;
  }
  if (li > length) {
    T.emit(` length indicator(${li}) > PDU size (${length})!`);
    return false;
  }
  if (li < 9) {
    T.emit(` length indicator ${li} < min PDU size:${rawHex(p)}`);
    return false;
  }
  const type = T.g1(p + 4) & 0x1f;
  const flags = T.g1(p + 4) & 0xe0;
  let q = p + 9;
  let rem = li - 9;
  /** One length-prefixed address: its length with `q` past it, -1 when the header is too short, -2 when cut. */
  const addr = (): number => {
    if (rem < 1) return -1;
    const n = T.g1(q);
    q++;
    rem--;
    if (rem < n) return -1;
    if (!T.test(q, n)) return -2;
    q += n;
    rem -= n;
    return n;
  };
  const dl = addr();
  const dst = q - dl;
  const sl = dl < 0 ? dl : addr();
  const src = q - sl;
  if (sl === -1) return T.emit('li < size of fixed part of CLNP header and addresses'), false;
  if (sl === -2) return T.emit(' [|clnp]'), true;
  const sep = e ? '' : ', ';
  const name = CLNP_TYPES[type] ?? `unknown (${type})`;
  if (T.verbose < 1) {
    T.emit(`${sep}${T.nsap(src, sl)} > ${T.nsap(dst, dl)}, ${name}, length ${length}`);
    return true;
  }
  T.emit(`${sep}length ${length}`);
  const lt = T.g1(p + 3);
  const ck = T.g2(p + 7);
  T.emit(`\n\t${name} PDU, hlen: ${li}, v: ${version}, lifetime: ${lt >> 1}.${(lt % 2) * 5}s, Segment PDU length: ${T.g2(p + 5)}, checksum: 0x${hex4(ck)}${T.cksum(p, ck, 7, li)}`);
  T.emit(`\n\tFlags [${bits(CLNP_FLAGS, flags)}]`);
  T.emit(`\n\tsource address (length ${sl}): ${T.nsap(src, sl)}\n\tdest   address (length ${dl}): ${T.nsap(dst, dl)}`);
  if (flags & 0x80) {
    if (rem < 6) return T.emit('li < size of fixed part of CLNP header, addresses, and segment part'), false;
    if (!T.test(q, 6)) return T.emit(' [|clnp]'), true;
    T.emit(`\n\tData Unit ID: 0x${hex4(T.g2(q))}, Segment Offset: ${T.g2(q + 2)}, Total PDU Length: ${T.g2(q + 4)}`);
    q += 6;
    rem -= 6;
  }
  while (rem !== 0 && !T.aborted) {
    if (rem < 2) return T.emit(', bad opts/li'), false;
    const op = T.g1(q);
    const ol = T.g1(q + 1);
    q += 2;
    rem -= 2;
    if (ol > rem) return T.emit(`, opt (${op}) too long`), false;
    if (!T.test(q, ol)) return T.emit(' [|clnp]'), true;
    rem -= ol;
    T.emit(`\n\t  ${CLNP_OPTIONS[op] ?? 'Unknown'} Option #${op}, length ${ol}, value: `);
    const r = clnpOption(op, q, ol);
    if (r !== undefined) return r;
    if (T.verbose > 1) T.unknown(q, '\n\t  ', ol);
    q += ol;
  }
  if ((type === 1 || type === 31) && T.g1(q) === OsiNlpid.CLNP && !T.aborted) {
    T.emit('\n\t-----original packet-----\n\t');
    // tcpdump recurses without a bound; the capture length bounds it here too
    if (depth < 64) clnp(c, q, (length - li) >>> 0, depth + 1);
    return true;
  }
  if (length > q - p) {
    T.emit(`\n\t  undecoded non-header data, length ${length - li}`);
    T.unknown(q, '\n\t  ', length - (q - p));
  }
  return true;
}

/** One CLNP option's value; a boolean when tcpdump returns from clnp_print there. */
function clnpOption(op: number, q: number, ol: number): boolean | undefined {
  let t = q;
  let n = ol;
  switch (op) {
    case 203: case 200: {
      if (n < 2) return T.emit(', bad opt len'), false;
      T.emit(`${({ 0: 'partial', 1: 'complete' } as Names)[T.g1(t)] ?? 'Unknown'} ${op === 200 ? 'source routing' : 'recording of route in progress'}`);
      let off = T.g1(t + 1);
      if (off === 0) {
        T.emit(' Bad NSAP offset (0)');
        return undefined;
      }
      off -= 1;
      if (off > n) {
        T.emit(' Bad NSAP offset (past end of option)');
        return undefined;
      }
      t += off;
      n -= off;
      while (n > 0 && !T.aborted) {
        const al = T.g1(t);
        if (n < al + 1) {
          T.emit('\n\t    NSAP address goes past end of option');
          break;
        }
        if (al > 0) T.emit(`\n\t    NSAP address (length ${al}): ${T.nsap(t + 1, al)}`);
        n -= al + 1;
      }
      return undefined;
    }
    case 205:
      if (n < 1) return T.emit(', bad opt len'), false;
      T.emit(`0x${(T.g1(t) & 0x0f).toString(16)}`);
      return undefined;
    case 195: {
      if (n < 1) return T.emit(', bad opt len'), false;
      const s = T.g1(t) & 0xc0;
      T.emit(`\n\t    Format Code: ${SCOPES[s] ?? 'Reserved'}`);
      if (s === 0xc0) T.emit(`\n\t    QoS Flags [${bits(QOS_GLOBAL, T.g1(t) & 0x3f)}]`);
      return undefined;
    }
    case 197:
      if (n < 2) return T.emit(', bad opt len'), false;
      T.emit(`\n\t    Format Code: ${SCOPES[T.g1(t) & 0xc0] ?? 'Reserved'}, Security-Level ${T.g1(t + 1)}`);
      return undefined;
    case 193: {
      if (n < 1) return T.emit(', bad opt len'), false;
      const r = T.g1(t);
      const major = r >> 4;
      const minor = r & 0x0f;
      T.emit(`\n\t    Class: ${RFD_CLASSES[major] ?? 'Unknown'} Error (0x${major.toString(16)}), ${RFD_ERRORS[major]?.[minor] ?? 'Unknown'} (0x${minor.toString(16)})`);
      return undefined;
    }
    case 204:
      T.emit('padding data');
      return undefined;
    default:
      T.unknown(t, '\n\t  ', ol);
      return undefined;
  }
}
