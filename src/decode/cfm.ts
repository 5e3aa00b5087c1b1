/**
 * Connectivity Fault Management (IEEE 802.1ag / 802.1Q-2014 clause 21), EtherType 0x8902: the common
 * header (MD level, version, opcode, flags, first TLV offset), the continuity check message with its
 * maintenance domain and association names, loopback message and reply, linktrace message and reply,
 * and the TLVs after them (sender ID with chassis ID and management address, port and interface
 * status, data, reply ingress/egress, organization specific). The printer walks the message the way
 * tcpdump 4.99 does, quirks included: the loopback and unknown messages dump their bytes up to the
 * first TLV offset counted from the end of the common header, and a sender ID TLV too short for its
 * chassis ID resumes one byte early. The ITU-T Y.1731 (G.8013) OAM PDUs on the same header (AIS,
 * LCK, TST, loss and delay measurement, synthetic loss, client signal fail, ...) are printed as tcpdump
 * 4.99 prints them, as unknown opcodes, and their fixed fields are decoded into the Repr.
 */
import { DecodeStatus, FixedHeaderView, u16, u32 } from './status.js';
import { ipv4Text, ipv6Text, macText } from './addr.js';
import { type Printer, flagNames, hexBytes, hexDump, longjmpCut, safeText, wireFrom } from './print.js';
import { ouiName } from './llc.js';

/** Field offsets of the common header and of the message bodies (from the end of the common header). */
export const CfmOffsets = {
  levelVersion: 0, opcode: 1, flags: 2, firstTlvOffset: 3, headerLen: 4,
  ccmSequence: 0, ccmMepId: 4, ccmNames: 6, ccmNamesLen: 48, ccmLen: 70,
  transactionId: 0, ttl: 4, ltmOriginal: 5, ltmTarget: 11, ltmLen: 17, ltrRelayAction: 5, ltrLen: 6,
  tstSequence: 0, tstLen: 4, lmTxFCf: 0, lmRxFCf: 4, lmTxFCb: 8, lmLen: 12,
  dmTxf: 0, dmRxf: 8, dmTxb: 16, dmRxb: 24, dm1Len: 16, dmLen: 32,
  slSrcMep: 0, slRspMep: 2, slTestId: 4, slTxFCf: 8, slTxFCb: 12, slLen: 16,
} as const;

/** CFM opcodes: IEEE 802.1ag's, then ITU-T Y.1731's. */
export const CfmOpcode = {
  CCM: 1, LBR: 2, LBM: 3, LTR: 4, LTM: 5,
  AIS: 33, LCK: 35, TST: 37, APS: 39, RAPS: 40, MCC: 41, LMR: 42, LMM: 43, DM1: 45, DMR: 46, DMM: 47,
  EXR: 48, EXM: 49, VSR: 50, VSM: 51, CSF: 52, SL1: 53, SLR: 54, SLM: 55,
} as const;

/** Zero-copy view of a CFM PDU. */
export class CfmView extends FixedHeaderView {
  protected readonly headerLen = CfmOffsets.headerLen;
  /** Maintenance domain level (0-7). */
  get level(): number {
    return this.u8(CfmOffsets.levelVersion) >> 5;
  }
  /** Protocol version (0). */
  get version(): number {
    return this.u8(CfmOffsets.levelVersion) & 0x1f;
  }
  /** Opcode (1 CCM, 2 LBR, 3 LBM, 4 LTR, 5 LTM). */
  get opcode(): number {
    return this.u8(CfmOffsets.opcode);
  }
  /** Flags (CCM: RDI bit and interval; LTM/LTR: UseFDBonly, FwdYes, TerminalMEP). */
  get flags(): number {
    return this.u8(CfmOffsets.flags);
  }
  /** Offset of the first TLV from the end of the common header. */
  get firstTlvOffset(): number {
    return this.u8(CfmOffsets.firstTlvOffset);
  }
}

/** Parsed CFM PDU: the common header and the fixed fields of the message the opcode names, where captured. */
export interface CfmRepr {
  level: number;
  version: number;
  opcode: number;
  flags: number;
  firstTlvOffset: number;
  sequence?: number;
  mepId?: number;
  transactionId?: number;
  ttl?: number;
  originalMac?: string;
  targetMac?: string;
  relayAction?: number;
  /** Y.1731 AIS, LCK, CSF: the transmission period (flags & 7). */
  period?: number;
  /** Y.1731 CSF: the client signal fail type ((flags >> 3) & 7). */
  csfType?: number;
  /** Y.1731 LMM, LMR (all three), SLM, SLR, 1SL (TxFCf; SLM and SLR also TxFCb): frame counters. */
  txFCf?: number;
  rxFCf?: number;
  txFCb?: number;
  /** Y.1731 1DM (forward), DMM and DMR (all four): 8-byte PTP timestamps in hex. */
  txTimestampf?: string;
  rxTimestampf?: string;
  txTimestampb?: string;
  rxTimestampb?: string;
  /** Y.1731 SLM, SLR, 1SL: source MEP id (SLM, SLR: also the responder's), test id. */
  srcMepId?: number;
  rspMepId?: number;
  testId?: number;
}

/** Builds the sink representation. */
export function cfmRepr(v: CfmView): CfmRepr {
  const r: CfmRepr = { level: v.level, version: v.version, opcode: v.opcode, flags: v.flags, firstTlvOffset: v.firstTlvOffset };
  const b = v.bytes;
  const m = v.offset + CfmOffsets.headerLen;
  const has = (n: number): boolean => v.length - CfmOffsets.headerLen >= n;
  const O = CfmOffsets;
  if (v.opcode === CfmOpcode.CCM && has(O.ccmMepId + 2)) {
    r.sequence = u32(b, m + O.ccmSequence);
    r.mepId = u16(b, m + O.ccmMepId);
  } else if (v.opcode >= CfmOpcode.LBR && v.opcode <= CfmOpcode.LTM && has(4)) {
    r.transactionId = u32(b, m + O.transactionId);
    if (v.opcode === CfmOpcode.LTM && has(O.ltmLen)) {
      r.ttl = b[m + O.ttl]!;
      r.originalMac = macText(b, m + O.ltmOriginal);
      r.targetMac = macText(b, m + O.ltmTarget);
    } else if (v.opcode === CfmOpcode.LTR && has(O.ltrLen)) {
      r.ttl = b[m + O.ttl]!;
      r.relayAction = b[m + O.ltrRelayAction]!;
    }
  } else y1731Repr(r, v, m, has);
  return r;
}

/** The fixed fields of the Y.1731 PDUs (G.8013 clause 9) whose bytes were captured, into `r`. */
function y1731Repr(r: CfmRepr, v: CfmView, m: number, has: (n: number) => boolean): void {
  const b = v.bytes;
  const O = CfmOffsets;
  const op = v.opcode;
  const ts = (o: number): string => hexBytes(b, m + o, 8);
  switch (op) {
    case CfmOpcode.AIS:
    case CfmOpcode.LCK:
    case CfmOpcode.CSF:
      r.period = v.flags & 7;
      if (op === CfmOpcode.CSF) r.csfType = (v.flags >> 3) & 7;
      break;
    case CfmOpcode.TST:
      if (has(O.tstLen)) r.sequence = u32(b, m + O.tstSequence);
      break;
    case CfmOpcode.LMM:
    case CfmOpcode.LMR:
      if (!has(O.lmLen)) break;
      r.txFCf = u32(b, m + O.lmTxFCf);
      r.rxFCf = u32(b, m + O.lmRxFCf);
      r.txFCb = u32(b, m + O.lmTxFCb);
      break;
    case CfmOpcode.DM1:
    case CfmOpcode.DMM:
    case CfmOpcode.DMR:
      if (!has(op === CfmOpcode.DM1 ? O.dm1Len : O.dmLen)) break;
      r.txTimestampf = ts(O.dmTxf);
      r.rxTimestampf = ts(O.dmRxf);
      if (op === CfmOpcode.DM1) break;
      r.txTimestampb = ts(O.dmTxb);
      r.rxTimestampb = ts(O.dmRxb);
      break;
    case CfmOpcode.SLM:
    case CfmOpcode.SLR:
    case CfmOpcode.SL1:
      if (!has(O.slLen)) break;
      r.srcMepId = u16(b, m + O.slSrcMep);
      if (op !== CfmOpcode.SL1) r.rspMepId = u16(b, m + O.slRspMep);
      r.testId = u32(b, m + O.slTestId);
      r.txFCf = u32(b, m + O.slTxFCf);
      if (op !== CfmOpcode.SL1) r.txFCb = u32(b, m + O.slTxFCb);
      break;
  }
}

const OPCODES: Readonly<Record<number, string>> = { 1: 'Continuity Check Message', 2: 'Loopback Reply', 3: 'Loopback Message', 4: 'Linktrace Reply', 5: 'Linktrace Message' };
const MD_FORMATS: Readonly<Record<number, string>> = { 1: 'No MD Name present', 2: 'DNS string', 3: 'MAC + 16Bit Integer', 4: 'Character string' };
const MA_FORMATS: Readonly<Record<number, string>> = { 1: 'Primary VID', 2: 'Character string', 3: '16Bit Integer', 4: 'RFC2685 VPN-ID' };
const TLV_NAMES: Readonly<Record<number, string>> = {
  0: 'End', 1: 'Sender ID', 2: 'Port status', 3: 'Interface status', 4: 'Data', 5: 'Reply Ingress', 6: 'Reply Egress', 31: 'Organization Specific',
};
const PORT_STATUS: Readonly<Record<number, string>> = { 1: 'Blocked', 2: 'Up' };
const IF_STATUS: Readonly<Record<number, string>> = { 1: 'Up', 2: 'Down', 3: 'Testing', 4: 'Unknown', 5: 'Dormant', 6: 'not present', 7: 'lower Layer down' };
const CHASSIS_TYPES: Readonly<Record<number, string>> = {
  1: 'Chassis component', 2: 'Interface alias', 3: 'Port component', 4: 'MAC address', 5: 'Network address', 6: 'Interface name', 7: 'Locally assigned',
};
const RELAY_ACTIONS: Readonly<Record<number, string>> = { 1: 'Exact Match', 2: 'Filtering DB', 3: 'MIP CCM DB' };
const LTM_FLAGS: ReadonlyArray<readonly [number, string]> = [[0x80, 'Use Forwarding-DB only']];
const LTR_FLAGS: ReadonlyArray<readonly [number, string]> = [[0x80, 'UseFDB Only'], [0x40, 'FwdYes'], [0x20, 'Terminal MEP']];
/** CCM interval codes in seconds (code 0 is invalid). */
const CCM_INTERVALS = [0, 0.003333, 0.01, 0.1, 1, 10, 60, 600];

/** A counted, zero-padded name as tcpdump's nd_printjnp prints it. */
function paddedName(b: Uint8Array, o: number, n: number): string {
  let e = o;
  while (e < o + n && b[e] !== 0) e++;
  return safeText(b, o, e);
}

/** Thrown inside the printer where tcpdump's GET macros longjmp: a read past the capture. */
class Cut {}
const CUT = new Cut();

/** tcpdump's CFM text: one line with the PDU's length on the wire, then at -v the message fields and the TLVs. */
export function printCfm(c: Printer, v: CfmView): void {
  const len = wireFrom(c, v.offset);
  if (len < CfmOffsets.headerLen) {
    c.s += '\n\t\t packet is too short';
    return;
  }
  if (v.status !== DecodeStatus.Ok) return longjmpCut(c, 'cfm');
  const op = v.opcode;
  if (v.version !== 0) {
    c.s += `CFMv${v.version} not supported, length ${len}`;
    return;
  }
  c.s += `CFMv0 ${OPCODES[op] ?? `unknown (${op})`}, MD Level ${v.level}, length ${len}`;
  if (c.opts.verbose < 1) return;
  try {
    printCfmBody(c, v, len);
  } catch (e) {
    if (e !== CUT) throw e;
    longjmpCut(c, 'cfm');
  }
}

/** The -v part; throws CUT where a read passes the capture. */
function printCfmBody(c: Printer, v: CfmView, len: number): void {
  const b = v.bytes;
  const cap = v.offset + v.length;
  const need = (o: number, n: number): void => {
    if (o + n > cap) throw CUT;
  };
  const O = CfmOffsets;
  const flags = v.flags;
  const fto = v.firstTlvOffset;
  c.s += `\n\tFirst TLV offset ${fto}`;
  let p = v.offset + O.headerLen;
  let tlen = len - O.headerLen;
  if (fto > tlen) {
    c.s += ` (too large, must be <= ${tlen})`;
    return;
  }
  const op = v.opcode;
  const tooShort = (): void => {
    c.s += '\n\t\t packet is too short';
  };
  if (op === CfmOpcode.CCM) {
    if (fto < O.ccmLen) {
      c.s += ` (too small 1, must be >= ${O.ccmLen})`;
      return;
    }
    if (tlen < O.ccmLen) return tooShort();
    need(p, O.ccmLen);
    const interval = flags & 7;
    c.s += `, Flags [CCM Interval ${interval}${flags & 0x80 ? ', RDI' : ''}]`;
    if (interval) {
      const t = CCM_INTERVALS[interval]!;
      c.s += `\n\t  CCM Interval ${t.toFixed(3)}s, min CCM Lifetime ${(t * 3.25).toFixed(3)}s, max CCM Lifetime ${(t * 3.5).toFixed(3)}s`;
    }
    c.s += `\n\t  Sequence Number 0x${u32(b, p).toString(16).padStart(8, '0')}, MA-End-Point-ID 0x${u16(b, p + 4).toString(16).padStart(4, '0')}`;
    let q = p + O.ccmNames;
    let left = O.ccmNamesLen;
    const mdFormat = b[q++]!;
    left--;
    if (mdFormat !== 1) {
      const mdLen = b[q++]!;
      left--;
      c.s += `\n\t  MD Name Format ${MD_FORMATS[mdFormat] ?? 'Unknown'} (${mdFormat}), MD Name length ${mdLen}`;
      // room for the MA name format, its length and one byte of name
      if (mdLen > left - 3) {
        c.s += ` (too large, must be <= ${left - 2})`;
        return;
      }
      c.s += '\n\t  MD Name: ';
      if (mdFormat === 2 || mdFormat === 4) c.s += paddedName(b, q, mdLen);
      else if (mdFormat === 3) c.s += mdLen === 6 ? `\n\t  MAC ${macText(b, q)}` : '\n\t  MAC (length invalid)';
      else c.s += hexDump(b, q, mdLen, '\n\t    ');
      q += mdLen;
      left -= mdLen;
    } else c.s += `\n\t  MD Name Format ${MD_FORMATS[mdFormat]} (${mdFormat})`;
    const maFormat = b[q++]!;
    const maLen = b[q++]!;
    left -= 2;
    c.s += `\n\t  MA Name-Format ${MA_FORMATS[maFormat] ?? 'Unknown'} (${maFormat}), MA name length ${maLen}`;
    if (maLen > left) {
      c.s += ` (too large, must be <= ${left})`;
      return;
    }
    c.s += '\n\t  MA Name: ';
    c.s += maFormat === 2 ? paddedName(b, q, maLen) : hexDump(b, q, maLen, '\n\t    ');
  } else if (op === CfmOpcode.LTM || op === CfmOpcode.LTR) {
    const size = op === CfmOpcode.LTM ? O.ltmLen : O.ltrLen;
    if (fto < size) {
      c.s += ` (too small ${op === CfmOpcode.LTM ? 4 : 5}, must be >= ${size})`;
      return;
    }
    if (tlen < size) return tooShort();
    need(p, size);
    c.s += `, Flags [${flagNames(op === CfmOpcode.LTM ? LTM_FLAGS : LTR_FLAGS, flags)}]`;
    c.s += `\n\t  Transaction-ID 0x${u32(b, p).toString(16).padStart(8, '0')}, ttl ${b[p + O.ttl]}`;
    if (op === CfmOpcode.LTM) c.s += `\n\t  Original-MAC ${macText(b, p + O.ltmOriginal)}, Target-MAC ${macText(b, p + O.ltmTarget)}`;
    else {
      const a = b[p + O.ltrRelayAction]!;
      c.s += `\n\t  Replay-Action ${RELAY_ACTIONS[a] ?? 'Unknown'} (${a})`;
    }
  } else {
    // no message decoder: tcpdump dumps from the message start, as many bytes as follow the first TLV
    // offset, or as were captured
    c.s += hexDump(b, p, Math.max(0, Math.min(tlen - fto, cap - p)), '\n\t  ');
  }
  p += fto;
  tlen -= fto;
  printTlvs(c, b, p, tlen, need);
}

/** The TLVs from `p` (`tlen` bytes by the PDU's length). */
function printTlvs(c: Printer, b: Uint8Array, p: number, tlen: number, need: (o: number, n: number) => void): void {
  const tooShort = (): void => {
    c.s += '\n\t\t packet is too short';
  };
  while (tlen > 0) {
    need(p, 1);
    const type = b[p]!;
    c.s += `\n\t${TLV_NAMES[type] ?? 'Unknown'} TLV (0x${type.toString(16).padStart(2, '0')})`;
    if (type === 0) return;
    if (tlen < 3) return tooShort();
    need(p, 3);
    let tl = u16(b, p + 1);
    c.s += `, length ${tl}`;
    p += 3;
    tlen -= 3;
    const tlv = p;
    if (tlen < tl) return tooShort();
    need(p, tl);
    let hexdump = false;
    let skip = false;
    switch (type) {
      case 2:
      case 3: {
        if (tl < 1) {
          c.s += ' (too short, must be >= 1)';
          return;
        }
        const st = b[p]!;
        c.s += `, Status: ${(type === 2 ? PORT_STATUS : IF_STATUS)[st] ?? 'Unknown'} (${st})`;
        break;
      }
      case 31: {
        if (tl < 4) {
          c.s += ' (too short, must be >= 4)';
          return;
        }
        const oui = (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
        c.s += `, Vendor: ${ouiName(oui)} (${oui}), Sub-Type ${b[p + 3]}`;
        hexdump = true;
        break;
      }
      case 1: {
        // the reads advance p and tlen and count tl down; a cut resumes at p + tl (one byte early after the chassis ID type)
        if (tl < 1) {
          c.s += ' (too short, must be >= 1)';
          skip = true;
          break;
        }
        const chassisLen = b[p++]!;
        tlen--;
        tl--;
        if (chassisLen) {
          if (tl < 1) {
            c.s += '\n\t  (TLV too short)';
            skip = true;
            break;
          }
          const ct = b[p]!;
          tl--;
          c.s += `\n\t  Chassis-ID Type ${CHASSIS_TYPES[ct] ?? 'Unknown'} (${ct}), Chassis-ID length ${chassisLen}`;
          if (tl < chassisLen) {
            c.s += '\n\t  (TLV too short)';
            skip = true;
            break;
          }
          if (ct === 4) {
            if (chassisLen !== 6) {
              c.s += ' (invalid MAC address length)';
              hexdump = true;
            } else c.s += `\n\t  MAC ${macText(b, p + 1)}`;
          } else if (ct === 5) hexdump = networkAddr(c, b, p + 1, chassisLen) || hexdump;
          else if (ct === 1 || ct === 2 || ct === 3 || ct === 6 || ct === 7) c.s += paddedName(b, p + 1, chassisLen);
          else hexdump = true;
          tl -= chassisLen;
          p += 1 + chassisLen;
          tlen -= 1 + chassisLen;
        }
        if (tl === 0) break;
        need(p, 1);
        let alen = b[p++]!;
        tlen--;
        tl--;
        c.s += `\n\t  Management Address Domain Length ${alen}`;
        if (alen) {
          if (tl < alen) {
            c.s += '\n\t  (TLV too short)';
            skip = true;
            break;
          }
          need(p, alen);
          tl -= alen;
          c.s += hexDump(b, p, alen, '\n\t  Management Address Domain: ');
          p += alen;
          tlen -= alen;
          if (tl < 1) {
            c.s += ' (Management Address Length is missing)';
            hexdump = true;
            break;
          }
          need(p, 1);
          alen = b[p++]!;
          tlen--;
          tl--;
          c.s += `\n\t  Management Address Length ${alen}`;
          if (alen) {
            if (tl < alen) {
              c.s += '\n\t  (TLV too short)';
              return;
            }
            need(p, alen);
            tl -= alen;
            c.s += hexDump(b, p, alen, '\n\t  Management Address: ');
            p += alen;
            tlen -= alen;
          }
        }
        break;
      }
      default:
        hexdump = true;
    }
    if (!skip && (hexdump || c.opts.verbose > 1)) c.s += hexDump(b, tlv, tl, '\n\t  ');
    p += tl;
    tlen -= tl;
  }
}

/** A network-address chassis ID (an address family byte, then the address): true when it is left to the hex dump. */
function networkAddr(c: Printer, b: Uint8Array, o: number, n: number): boolean {
  if (n < 1) {
    c.s += '\n\t  Network Address Type (invalid, no data';
    return false;
  }
  const af = b[o]!;
  c.s += `\n\t  Network Address Type ${af === 1 ? 'IPv4' : af === 2 ? 'IPv6' : 'Unknown'} (${af})`;
  const size = af === 1 ? 4 : af === 2 ? 16 : 0;
  if (size === 0) return true;
  if (n !== 1 + size) {
    c.s += `(invalid ${af === 1 ? 'IPv4' : 'IPv6'} address length ${n - 1})`;
    return true;
  }
  c.s += `, ${af === 1 ? ipv4Text(b, o + 1) : ipv6Text(b, o + 1)}`;
  return false;
}
