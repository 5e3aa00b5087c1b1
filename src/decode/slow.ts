/**
 * IEEE 802.3 slow protocols (EtherType 0x8809, IEEE 802.1AX-2020 clause 6): LACPDUs (subtype 1) and
 * marker PDUs (subtype 2), each a version byte and a list of TLVs whose length byte counts the
 * 2-byte TLV header; type 0 ends the list.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { macText } from './addr.js';
import { type Printer, flagNames, hex8, hexDump } from './print.js';

/** Field offsets of the PDU header, an actor/partner TLV and a marker TLV (from the TLV start). */
export const SlowOffsets = {
  subtype: 0, version: 1, headerLen: 2,
  sysPriority: 2, system: 4, key: 10, portPriority: 12, port: 14, state: 16,
  collectorMaxDelay: 2,
  reqPort: 2, reqSystem: 4, reqTransactionId: 10,
} as const;

/** Slow protocol subtypes decoded here. */
export const SlowSubtype = { Lacp: 1, Marker: 2 } as const;

/** Zero-copy view of a slow protocols PDU. */
export class SlowView extends ByteView {
  /**
   * Points at a slow protocols PDU; Truncated below its 2-byte header.
   * @example slow.reset(bytes, 14, bytes.length - 14);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, SlowOffsets.headerLen);
  }
  /** Subtype (1 LACP, 2 marker, 3 OAM, ...). */
  get subtype(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Protocol version. */
  get version(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
}

/** One actor or partner TLV of a LACPDU. */
export interface LacpPartyRepr {
  system: string;
  systemPriority: number;
  key: number;
  port: number;
  portPriority: number;
  state: number;
}

/** Parsed slow protocols PDU. */
export interface SlowRepr {
  subtype: number;
  version: number;
  actor?: LacpPartyRepr;
  partner?: LacpPartyRepr;
  tlvs: Array<{ type: number; length: number }>;
}

function party(b: Uint8Array, t: number): LacpPartyRepr {
  const O = SlowOffsets;
  return {
    system: macText(b, t + O.system), systemPriority: u16(b, t + O.sysPriority), key: u16(b, t + O.key),
    port: u16(b, t + O.port), portPriority: u16(b, t + O.portPriority), state: b[t + O.state] ?? 0,
  };
}

/** Builds the sink representation. */
export function slowRepr(v: SlowView): SlowRepr {
  const r: SlowRepr = { subtype: v.subtype, version: v.version, tlvs: [] };
  const b = v.bytes;
  const end = v.offset + v.length;
  for (let t = v.offset + SlowOffsets.headerLen; t + 2 <= end; ) {
    const type = b[t] ?? 0;
    const len = b[t + 1] ?? 0;
    r.tlvs.push({ type, length: len });
    if (type === 0 || len < 2) break;
    if (v.subtype === SlowSubtype.Lacp && len >= 18 && t + 18 <= end) {
      if (type === 1) r.actor = party(b, t);
      else if (type === 2) r.partner = party(b, t);
    }
    t += len;
  }
  return r;
}

const LACP_TLVS: Readonly<Record<number, string>> = { 0: 'Terminator', 1: 'Actor Information', 2: 'Partner Information', 3: 'Collector Information' };
const MARKER_TLVS: Readonly<Record<number, string>> = { 0: 'Terminator', 1: 'Marker Information' };
const STATE_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x01, 'Activity'], [0x02, 'Timeout'], [0x04, 'Aggregation'], [0x08, 'Synchronization'], [0x10, 'Collecting'], [0x20, 'Distributing'],
  [0x40, 'Default'], [0x80, 'Expired'],
];

/** tcpdump's slow protocols text: `LACPv1, length N`, the TLVs at -v, their bytes at -vv. */
export function printSlow(c: Printer, v: SlowView, _i: number, _n: number): void {
  const len = c.pkt.wireLen - (v.offset - c.pkt.offset);
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|slow]';
    return;
  }
  const st = v.subtype;
  const lacp = st === SlowSubtype.Lacp;
  if (!lacp && st !== SlowSubtype.Marker) {
    c.s += `Slow Protocols, subtype ${st}, length ${len}`;
    return;
  }
  c.s += `${lacp ? 'LACP' : 'MARKER'}v${v.version}, length ${len}`;
  if (c.opts.verbose === 0) return;
  const b = v.bytes;
  const end = v.offset + v.length;
  const names = lacp ? LACP_TLVS : MARKER_TLVS;
  for (let t = v.offset + SlowOffsets.headerLen; ; ) {
    if (t + 2 > end) {
      c.s += ' [|slow]';
      return;
    }
    const type = b[t] ?? 0;
    const tl = b[t + 1] ?? 0;
    c.s += `\n\t${names[type] ?? 'Unknown'} TLV (0x${(type).toString(16).padStart(2, '0')}), length ${tl}`;
    if (type === 0) return;
    if (tl < 2 || t + tl > end) {
      c.s += ' [|slow]';
      return;
    }
    let decoded = true;
    if (lacp && (type === 1 || type === 2) && tl >= 18) {
      const p = party(b, t);
      c.s += `\n\t  System ${p.system}, System Priority ${p.systemPriority}, Key ${p.key}, Port ${p.port}, Port Priority ${p.portPriority}`;
      c.s += `\n\t  State Flags [${flagNames(STATE_FLAGS, p.state)}]`;
    } else if (lacp && type === 3 && tl >= 4) {
      c.s += `\n\t  Max Delay ${u16(b, t + SlowOffsets.collectorMaxDelay)}`;
    } else if (!lacp && type === 1 && tl >= 14) {
      const O = SlowOffsets;
      c.s += `\n\t  Request System ${macText(b, t + O.reqSystem)}, Request Port ${u16(b, t + O.reqPort)}, Request Transaction ID 0x${hex8(u32(b, t + O.reqTransactionId))}`;
    } else decoded = false;
    if (!decoded || c.opts.verbose > 1) c.s += hexDump(b, t + 2, tl - 2, '\n\t  ');
    t += tl;
  }
}
