/**
 * Spanning tree BPDUs (IEEE 802.1D-2004 clause 9: configuration, topology change notification and
 * RST BPDUs; IEEE 802.1Q-2018 clause 14: MST BPDUs with their MSTI configuration messages, and SPT
 * BPDUs, version 4, whose version 4 fields follow the MST ones (IEEE 802.1aq)), reached by LLC SAP 0x42.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { macText, hex2 } from './addr.js';
import { type Printer, flagNames, hex4, hexBytes, latin1 } from './print.js';

/** Field offsets of a BPDU (from the protocol identifier), its MST extension and one MSTI message. */
export const StpOffsets = {
  protocol: 0, version: 2, type: 3, flags: 4, rootId: 5, rootPathCost: 13, bridgeId: 17, portId: 25, messageAge: 27,
  maxAge: 29, helloTime: 31, forwardDelay: 33, configLen: 35, v1Len: 35, rstLen: 36, v3Len: 36,
  mcidFormat: 38, mcidName: 39, mcidRevision: 71, mcidDigest: 73, cistIntCost: 89, cistBridgeId: 93, cistHops: 101, mstiStart: 102,
  mstiFlags: 0, mstiRegionalRoot: 1, mstiCost: 9, mstiBridgePrio: 13, mstiPortPrio: 14, mstiHops: 15, mstiLen: 16,
} as const;

/** SPT BPDU version 4 fields, from the version 4 length field (right after the version 3 data). */
export const SpbOffsets = {
  auxName: 3, auxRevision: 35, auxDigest: 37, agreement: 53, format: 55, convention: 56, edgeCount: 57, agreementDigest: 67, minLen: 87,
} as const;

/** BPDU types. */
export const StpType = { Config: 0x00, Rst: 0x02, Tcn: 0x80 } as const;

/** Zero-copy view of a BPDU. */
export class StpView extends ByteView {
  /**
   * Points at a BPDU; Truncated below the 4 bytes that name its type (the printer checks the rest).
   * @example stp.reset(bytes, 17, bytes.length - 17);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, 4);
  }
  /** Protocol version (0 STP, 2 RSTP, 3 MSTP, 4 SPB). */
  get version(): number {
    return this.bytes[this.offset + StpOffsets.version] ?? 0;
  }
  /** BPDU type. */
  get type(): number {
    return this.bytes[this.offset + StpOffsets.type] ?? 0;
  }
  /** Flags byte (the CIST flags for MSTP). */
  get flags(): number {
    return this.bytes[this.offset + StpOffsets.flags] ?? 0;
  }
  /** Captured bytes a complete BPDU of this type and version needs. */
  get needed(): number {
    if (this.type === StpType.Tcn) return 4;
    if (this.version < 2) return StpOffsets.configLen;
    if (this.version === 2) return StpOffsets.rstLen;
    return StpOffsets.v3Len + 2 + u16(this.bytes, this.offset + StpOffsets.v3Len);
  }
  /** `prio.mac` text of the 8-byte bridge identifier at field offset `o`. */
  bridgeIdText(o: number): string {
    return `${hex4(u16(this.bytes, this.offset + o))}.${macText(this.bytes, this.offset + o + 2)}`;
  }
  /** Unsigned 16-bit field at field offset `o`. */
  u16(o: number): number {
    return u16(this.bytes, this.offset + o);
  }
  /** Unsigned 32-bit field at field offset `o`. */
  u32(o: number): number {
    return u32(this.bytes, this.offset + o);
  }
}

/** Parsed BPDU (the fixed fields of configuration and RST BPDUs when captured). */
export interface StpRepr {
  version: number;
  type: number;
  flags?: number;
  rootId?: string;
  rootPathCost?: number;
  bridgeId?: string;
  portId?: number;
  messageAge?: number;
  maxAge?: number;
  helloTime?: number;
  forwardDelay?: number;
  /** SPT BPDUs (version 4): the version 4 length when captured; the other version 4 fields when the BPDU holds them all. */
  spb?: StpSpbRepr;
}

/**
 * SPT BPDU version 4 fields (IEEE 802.1aq 14): the agreement flags byte (from its least significant bit: agreement number,
 * 2 bits; discarded agreement number, 2; agreement valid; restricted role), digest format and convention bytes (identifier
 * in the high nibble), edge count, agreement digest (hex).
 */
export interface StpSpbRepr {
  v4Length: number;
  agreement?: number;
  format?: number;
  convention?: number;
  edgeCount?: number;
  agreementDigest?: string;
}

/** Byte offset (in the BPDU) of an SPT BPDU's version 4 length when captured, else -1. */
function v4At(v: StpView): number {
  if (v.version !== 4 || v.type !== StpType.Rst || v.length < StpOffsets.mstiStart) return -1;
  const at = StpOffsets.v3Len + 2 + v.u16(StpOffsets.v3Len);
  return at + 2 > v.length ? -1 : at;
}

/** Byte offset of the version 4 length of an SPT BPDU of `len` bytes that holds all its fields, else -1. */
function spbAt(v: StpView, len: number): number {
  const at = v4At(v);
  if (at < 0) return -1;
  const spbLen = v.u16(at) + 2;
  return len < at + spbLen || spbLen < SpbOffsets.minLen ? -1 : at;
}

/** Builds the sink representation (times in seconds). */
export function stpRepr(v: StpView): StpRepr {
  const r: StpRepr = { version: v.version, type: v.type };
  if (v.type !== StpType.Tcn && v.length > StpOffsets.flags) r.flags = v.flags;
  if (v.type !== StpType.Tcn && v.length >= StpOffsets.configLen) {
    r.rootId = v.bridgeIdText(StpOffsets.rootId);
    r.rootPathCost = v.u32(StpOffsets.rootPathCost);
    r.bridgeId = v.bridgeIdText(StpOffsets.bridgeId);
    r.portId = v.u16(StpOffsets.portId);
    r.messageAge = v.u16(StpOffsets.messageAge) / 256;
    r.maxAge = v.u16(StpOffsets.maxAge) / 256;
    r.helloTime = v.u16(StpOffsets.helloTime) / 256;
    r.forwardDelay = v.u16(StpOffsets.forwardDelay) / 256;
  }
  const v4 = v4At(v);
  if (v4 >= 0) r.spb = { v4Length: v.u16(v4) };
  const at = spbAt(v, v.length);
  if (at >= 0) {
    const S = SpbOffsets;
    const b = v.bytes;
    const q = v.offset + at;
    r.spb = {
      v4Length: v.u16(at), agreement: b[q + S.agreement] ?? 0, format: b[q + S.format] ?? 0, convention: b[q + S.convention] ?? 0,
      edgeCount: v.u16(at + S.edgeCount), agreementDigest: hexBytes(b, q + S.agreementDigest, 20),
    };
  }
  return r;
}

const FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  [0x01, 'Topology change'], [0x02, 'Proposal'], [0x10, 'Learn'], [0x20, 'Forward'], [0x40, 'Agreement'], [0x80, 'Topology change ACK'],
];
const ROLES = ['Unknown', 'Alternate', 'Root', 'Designated'] as const;

function flagText(f: number): string {
  return flagNames(FLAG_NAMES, f);
}

function role(f: number): string {
  return ROLES[(f >> 2) & 3]!;
}

function timers(v: StpView): string {
  const t = (o: number): string => (v.u16(o) / 256).toFixed(2);
  return `message-age ${t(StpOffsets.messageAge)}s, max-age ${t(StpOffsets.maxAge)}s, hello-time ${t(StpOffsets.helloTime)}s, forwarding-delay ${t(StpOffsets.forwardDelay)}s`;
}

/** End of a configuration BPDU's timers (forward delay), the last field tcpdump reads from it. */
const CONFIG_TIMERS_END = 35;

/** tcpdump's BPDU text (`len`: the bytes after the LLC header). */
export function printStp(c: Printer, v: StpView, _i: number, len: number): void {
  // shorter on the wire than the protocol id, version and type: tcpdump's minimum BPDU
  if (len < 4) {
    c.s += ' (invalid)';
    return;
  }
  if (v.status !== DecodeStatus.Ok) {
    c.s += 'STP [|stp]';
    return;
  }
  const ver = v.version;
  const type = v.type;
  c.s += `STP ${ver === 0 ? '802.1d' : ver === 2 ? '802.1w' : ver === 3 ? '802.1s' : ver === 4 ? '802.1aq' : `unknown version ${ver}`}`;
  if (type === StpType.Tcn) {
    c.s += ', Topology Change';
    return;
  }
  if (type !== StpType.Config && type !== StpType.Rst) {
    c.s += `, unknown BPDU type 0x${hex2(type)}, length ${len}`;
    return;
  }
  // shorter on the wire than its type needs: invalid (tcpdump names the type first); cut short by the
  // snapshot length: truncated
  const needed = ver >= 3 ? Math.max(v.needed, StpOffsets.mstiStart) : v.needed;
  if (len < needed) {
    c.s += `, ${type === StpType.Config ? 'Config' : 'Rapid STP'} (invalid)`;
    return;
  }
  if (v.length < needed) {
    // a configuration or RST BPDU cut by the capture: tcpdump prints its fields up to the first one missing
    if (ver <= 2 && v.length < CONFIG_TIMERS_END && v.length > StpOffsets.flags) {
      c.s += `, ${type === StpType.Config ? 'Config' : 'Rapid STP'}, Flags [${flagText(v.flags)}]`;
      if (v.length >= StpOffsets.portId + 2) c.s += `, bridge-id ${v.bridgeIdText(StpOffsets.bridgeId)}.${hex4(v.u16(StpOffsets.portId))}, length ${len}`;
      // it longjmps out there: its -x dump starts at the link header
      c.earlyEnd = true;
    } else if (ver >= 3 && type === StpType.Rst && v.length <= StpOffsets.v1Len) {
      // an MST or SPT BPDU cut before its version 1 length, the first field tcpdump reads after the type
      c.s += ', Rapid STP';
      c.earlyEnd = true;
    }
    c.s += ' [|stp]';
    return;
  }
  const f = v.flags;
  const verbose = c.opts.verbose > 0;
  if (ver >= 3) {
    c.s += `, Rapid STP, CIST Flags [${flagText(f)}], length ${len}`;
    if (verbose) printMstp(c, v);
    if (ver === 3) return;
    const at = spbAt(v, len);
    if (at < 0) c.s += ' (invalid)';
    else if (verbose) printSpb(c, v, at);
    return;
  }
  c.s += `, ${type === StpType.Config ? 'Config' : 'Rapid STP'}, Flags [${flagText(f)}], bridge-id ${v.bridgeIdText(StpOffsets.bridgeId)}.${hex4(v.u16(StpOffsets.portId))}, length ${len}`;
  if (!verbose) return;
  c.s += `\n\t${timers(v)}\n\troot-id ${v.bridgeIdText(StpOffsets.rootId)}, root-pathcost ${v.u32(StpOffsets.rootPathCost)}`;
  if (type === StpType.Rst) c.s += `, port-role ${role(f)}`;
}

function printMstp(c: Printer, v: StpView): void {
  const O = StpOffsets;
  const b = v.bytes;
  const v3 = v.u16(O.v3Len);
  c.s += `\n\tport-role ${role(v.flags)}, CIST root-id ${v.bridgeIdText(O.rootId)}, CIST ext-pathcost ${v.u32(O.rootPathCost)}`;
  c.s += `\n\tCIST regional-root-id ${v.bridgeIdText(O.bridgeId)}, CIST port-id ${hex4(v.u16(O.portId))},`;
  c.s += `\n\t${timers(v)}`;
  const nameAt = v.offset + O.mcidName;
  let nameEnd = nameAt;
  while (nameEnd < nameAt + 32 && b[nameEnd] !== 0) nameEnd++;
  c.s += `\n\tv3len ${v3}, MCID Name ${latin1(b, nameAt, nameEnd)}, rev ${v.u16(O.mcidRevision)},\n\t\tdigest ${hexBytes(b, v.offset + O.mcidDigest, 16)}, CIST int-root-pathcost ${v.u32(O.cistIntCost)},`;
  c.s += `\n\tCIST bridge-id ${v.bridgeIdText(O.cistBridgeId)}, CIST remaining-hops ${b[v.offset + O.cistHops] ?? 0}`;
  const end = Math.min(v.length, O.v3Len + 2 + v3);
  for (let m = O.mstiStart; m + O.mstiLen <= end; m += O.mstiLen) {
    const mf = b[v.offset + m] ?? 0;
    c.s += `\n\tMSTI ${v.u16(m + O.mstiRegionalRoot) & 0x0fff}, Flags [${flagText(mf)}], port-role ${role(mf)}`;
    c.s += `\n\t\tMSTI regional-root-id ${v.bridgeIdText(m + O.mstiRegionalRoot)}, pathcost ${v.u32(m + O.mstiCost)}`;
    c.s += `\n\t\tMSTI bridge-prio ${(b[v.offset + m + O.mstiBridgePrio] ?? 0) >> 4}, port-prio ${(b[v.offset + m + O.mstiPortPrio] ?? 0) >> 4}, hops ${b[v.offset + m + O.mstiHops] ?? 0}`;
  }
}

/** The version 4 fields of an SPT BPDU, from its version 4 length at BPDU offset `at`. */
function printSpb(c: Printer, v: StpView, at: number): void {
  const S = SpbOffsets;
  const b = v.bytes;
  const q = v.offset + at;
  const nameAt = q + S.auxName;
  let nameEnd = nameAt;
  while (nameEnd < nameAt + 32 && b[nameEnd] !== 0) nameEnd++;
  const ag = b[q + S.agreement] ?? 0;
  const fm = b[q + S.format] ?? 0;
  const cv = b[q + S.convention] ?? 0;
  c.s += `\n\tv4len ${v.u16(at)}, AUXMCID Name ${latin1(b, nameAt, nameEnd)}, Rev ${v.u16(at + S.auxRevision)},\n\t\tdigest ${hexBytes(b, q + S.auxDigest, 16)}`;
  // as tcpdump: the agreement flags read from the most significant bit, each capability as the whole byte
  c.s += `\n\tAgreement num ${ag >> 6}, Discarded Agreement num ${(ag >> 4) & 3}, Agreement valid-flag ${(ag >> 3) & 1},\n\tRestricted role-flag: ${(ag >> 2) & 1}, Format id ${fm >> 4} cap ${fm}, Convention id ${cv >> 4} cap ${cv},`;
  c.s += `\n\tEdge count ${v.u16(at + S.edgeCount)}, Agreement digest ${hexBytes(b, q + S.agreementDigest, 20)}`;
}
