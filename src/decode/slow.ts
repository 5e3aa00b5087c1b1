/**
 * IEEE 802.3 slow protocols (EtherType 0x8809, IEEE 802.1AX-2020 clause 6): LACPDUs (subtype 1) and
 * marker PDUs (subtype 2), each a version byte and a list of TLVs whose length byte counts the
 * 2-byte TLV header; type 0 ends the list. OAM PDUs (subtype 3, IEEE 802.3-2018 clause 57): flags, a
 * code, then information TLVs, link event TLVs after a sequence number, or a loopback command.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { macText } from './addr.js';
import { type Printer, flagNames, hex8, hexDump, longjmpCut, wireFrom } from './print.js';

/** Field offsets of the PDU header, an actor/partner TLV and a marker TLV (from the TLV start). */
export const SlowOffsets = {
  subtype: 0, version: 1, headerLen: 2,
  sysPriority: 2, system: 4, key: 10, portPriority: 12, port: 14, state: 16,
  collectorMaxDelay: 2,
  reqPort: 2, reqSystem: 4, reqTransactionId: 10,
} as const;

/** Slow protocol subtypes decoded here. */
export const SlowSubtype = { Lacp: 1, Marker: 2, Oam: 3 } as const;

/** OAM PDU layout (from the subtype byte) and its codes. */
export const OamOffsets = {
  flags: 1, code: 3, body: 4,
  infoVersion: 2, infoRevision: 3, infoState: 5, infoConfig: 6, infoPduConfig: 7, infoOui: 9, infoVendor: 12, infoLen: 16,
  eventTimestamp: 2, eventLen: 40,
} as const;
/** OAM codes. */
export const OamCode = { Info: 0, Event: 1, VarRequest: 2, VarResponse: 3, Loopback: 4, Private: 0xfe } as const;

/** Zero-copy view of a slow protocols PDU. */
export class SlowView extends ByteView {
  /**
   * Points at a slow protocols PDU; Truncated when not even its subtype byte was captured.
   * @example slow.reset(bytes, 14, bytes.length - 14);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, 1);
  }
  /** Subtype (1 LACP, 2 marker, 3 OAM, ...). */
  get subtype(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Protocol version (LACP, marker); 0 when not captured. */
  get version(): number {
    return this.length > 1 ? (this.bytes[this.offset + 1] ?? 0) : 0;
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
  /** OAM PDU (subtype 3): its header and what its code carries. */
  oam?: OamRepr;
}

/** An OAM PDU: flags and code; local/remote information TLVs; the event sequence number and link events; the loopback command; a vendor's OUI. */
export interface OamRepr {
  flags: number;
  code: number;
  infos?: Array<{ type: number; version: number; revision: number; state: number; config: number; pduConfig: number; oui: number }>;
  sequence?: number;
  events?: Array<{ type: number; length: number; timestamp: number }>;
  loopback?: number;
  /** Vendor private PDUs: the OUI they start with. */
  oui?: number;
}

function party(b: Uint8Array, t: number): LacpPartyRepr {
  const O = SlowOffsets;
  return {
    system: macText(b, t + O.system), systemPriority: u16(b, t + O.sysPriority), key: u16(b, t + O.key),
    port: u16(b, t + O.port), portPriority: u16(b, t + O.portPriority), state: b[t + O.state] ?? 0,
  };
}

function oamRepr(r: SlowRepr, b: Uint8Array, o: number, end: number): void {
  const O = OamOffsets;
  if (o + O.body > end) return;
  const oam: OamRepr = { flags: u16(b, o + O.flags), code: b[o + O.code] ?? 0 };
  r.oam = oam;
  let t = o + O.body;
  if (oam.code === OamCode.Loopback) {
    if (t < end) oam.loopback = b[t] ?? 0;
    return;
  }
  if (oam.code === OamCode.Private) {
    if (t + 3 <= end) oam.oui = ((b[t] ?? 0) << 16) | u16(b, t + 1);
    return;
  }
  if (oam.code === OamCode.Event) {
    if (t + 2 > end) return;
    oam.sequence = u16(b, t);
    t += 2;
  } else if (oam.code !== OamCode.Info) return;
  for (; t + 2 <= end; ) {
    const type = b[t] ?? 0;
    const len = b[t + 1] ?? 0;
    r.tlvs.push({ type, length: len });
    if (type === 0 || len < 2 || t + len > end) break;
    if (oam.code === OamCode.Info && (type === 1 || type === 2) && len === O.infoLen) {
      (oam.infos ??= []).push({
        type, version: b[t + O.infoVersion] ?? 0, revision: u16(b, t + O.infoRevision), state: b[t + O.infoState] ?? 0,
        config: b[t + O.infoConfig] ?? 0, pduConfig: u16(b, t + O.infoPduConfig), oui: ((b[t + O.infoOui] ?? 0) << 16) | u16(b, t + O.infoOui + 1),
      });
    } else if (oam.code === OamCode.Event && type >= 1 && type <= 4) {
      (oam.events ??= []).push({ type, length: len, timestamp: u16(b, t + O.eventTimestamp) });
    }
    t += len;
  }
}

/** Builds the sink representation. */
export function slowRepr(v: SlowView): SlowRepr {
  const r: SlowRepr = { subtype: v.subtype, version: v.version, tlvs: [] };
  if (v.subtype === SlowSubtype.Oam) {
    oamRepr(r, v.bytes, v.offset, v.offset + v.length);
    return r;
  }
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

/** tcpdump's slow protocols text: `LACPv1, length N` or `OAM, length N`, the TLVs at -v, their bytes at -vv. */
export function printSlow(c: Printer, v: SlowView, _i: number, _n: number): void {
  const len = wireFrom(c, v.offset);
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|slow]';
    return;
  }
  const st = v.subtype;
  const lacp = st === SlowSubtype.Lacp;
  if (st === SlowSubtype.Oam) {
    c.s += `OAM, length ${len}`;
    if (c.opts.verbose > 0) printOam(c, v.bytes, v.offset, len, v.offset + v.length);
    return;
  }
  if (!lacp && st !== SlowSubtype.Marker) {
    c.s += `unknown (${st}), length ${len}${hexDump(v.bytes, v.offset, Math.min(len, v.length), '\n\t')}`;
    return;
  }
  if (v.length < 2) {
    c.s += c.opts.verbose ? `\n\t\t packet is too short` : ' (packet is too short)';
    return;
  }
  if (v.version !== 1) {
    c.s += `${lacp ? 'LACP' : 'MARKER'} version ${v.version} packet not supported`;
    return;
  }
  c.s += `${lacp ? 'LACP' : 'MARKER'}v${v.version}, length ${len}`;
  if (c.opts.verbose === 0) return;
  const b = v.bytes;
  const end = v.offset + v.length;
  const names = lacp ? LACP_TLVS : MARKER_TLVS;
  const O = SlowOffsets;
  // TLVs run to the PDU's end on the wire; a capture that ends first cuts the text
  for (let t = v.offset + O.headerLen, left = len - O.headerLen; left !== 0; ) {
    if (left < 2) {
      c.s += '\n\t\t packet is too short';
      return;
    }
    if (t + 2 > end) return longjmpCut(c, 'slow');
    const type = b[t] ?? 0;
    const tl = b[t + 1] ?? 0;
    c.s += `\n\t${names[type] ?? 'Unknown'} TLV (0x${(type).toString(16).padStart(2, '0')}), length ${tl}`;
    if (type === 0) return;
    if (tl < 2) {
      c.s += '\n\t    ERROR: illegal length - should be >= 2';
      return;
    }
    if (left < tl) {
      c.s += '\n\t\t packet is too short';
      return;
    }
    if (t + tl > end) return longjmpCut(c, 'slow');
    // each known TLV has one length (tcpdump: an ERROR line, and the bytes at -vv only); unknown ones are dumped at -v
    const want = lacp ? (type === 1 || type === 2 ? 20 : type === 3 ? 16 : 0) : type === 1 ? 16 : 0;
    if (want === 0) {
      if (c.opts.verbose <= 1) c.s += hexDump(b, t + 2, tl - 2, '\n\t  ');
    } else if (tl !== want) {
      c.s += `\n\t    ERROR: illegal length - should be ${want}`;
    } else if (lacp && type !== 3) {
      const p = party(b, t);
      c.s += `\n\t  System ${p.system}, System Priority ${p.systemPriority}, Key ${p.key}, Port ${p.port}, Port Priority ${p.portPriority}`;
      c.s += `\n\t  State Flags [${flagNames(STATE_FLAGS, p.state)}]`;
    } else if (lacp) {
      c.s += `\n\t  Max Delay ${u16(b, t + O.collectorMaxDelay)}`;
    } else {
      c.s += `\n\t  Request System ${macText(b, t + O.reqSystem)}, Request Port ${u16(b, t + O.reqPort)}, Request Transaction ID 0x${hex8(u32(b, t + O.reqTransactionId))}`;
    }
    if (c.opts.verbose > 1) c.s += hexDump(b, t + 2, tl - 2, '\n\t  ');
    t += tl;
    left -= tl;
  }
}

const OAM_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x01, 'Link Fault'], [0x02, 'Dying Gasp'], [0x04, 'Critical Event'], [0x08, 'Local Evaluating'], [0x10, 'Local Stable'],
  [0x20, 'Remote Evaluating'], [0x40, 'Remote Stable'],
];
const OAM_CODES: Readonly<Record<number, string>> = {
  0: 'Information', 1: 'Event Notification', 2: 'Variable Request', 3: 'Variable Response', 4: 'Loopback Control', 0xfe: 'Vendor Private',
};
const OAM_INFO_TYPES: Readonly<Record<number, string>> = { 0: 'End of TLV marker', 1: 'Local', 2: 'Remote', 0xfe: 'Organization specific' };
const OAM_EVENTS: Readonly<Record<number, string>> = {
  0: 'End of TLV marker', 1: 'Errored Symbol Period Event', 2: 'Errored Frame Event', 3: 'Errored Frame Period Event',
  4: 'Errored Frame Seconds Summary Event', 0xfe: 'Organization specific',
};
const PARSER_ACTIONS = ['forwarding', 'looping back', 'discarding', 'reserved'];
const OAM_CONFIG: ReadonlyArray<readonly [number, string]> = [
  [0x01, 'Active'], [0x02, 'Unidirectional'], [0x04, 'Remote-Loopback'], [0x08, 'Link-Events'], [0x10, 'Variable-Retrieval'],
];
const LOOPBACK_COMMANDS = ['Unknown', 'Enable OAM Remote Loopback', 'Disable OAM Remote Loopback'];
/** OUI names as tcpdump's table gives them, for the information TLVs. */
const OUI_NAMES: Readonly<Record<number, string>> = {
  0x000000: 'Ethernet', 0x0000f8: 'Cisco', 0x00000c: 'Cisco', 0x0080c2: 'Ethernet bridged', 0x00120f: 'IEEE 802.3 Private', 0x0012bb: 'ANSI/TIA',
  0x001b21: 'DCBX', 0x00005e: 'IANA',
};

/** A 64-bit big-endian counter in decimal (text only, so BigInt is fine here). */
function u64Text(b: Uint8Array, p: number): string {
  return ((BigInt(u32(b, p)) << 32n) | BigInt(u32(b, p + 4))).toString();
}

/**
 * tcpdump's slow_oam_print over the `n` bytes (on the wire) of the PDU at `o` (its subtype byte),
 * captured up to `cap`: a read past the capture ends the text with ` [|slow]`.
 */
function printOam(c: Printer, b: Uint8Array, o: number, n: number, cap: number): void {
  const O = OamOffsets;
  const tooShort = (): void => {
    c.s += '\n\t\t packet is too short';
  };
  const cut = (p: number, k: number): boolean => {
    if (p + k <= cap) return false;
    longjmpCut(c, 'slow');
    return true;
  };
  if (n < O.body) return tooShort();
  if (cut(o, O.body)) return;
  const code = b[o + O.code] ?? 0;
  c.s += `\n\tCode ${OAM_CODES[code] ?? `Unknown (${code})`} OAM PDU, Flags [${flagNames(OAM_FLAGS, u16(b, o + O.flags))}]`;
  let t = o + O.body;
  let left = n - O.body;
  if (code === OamCode.Loopback) {
    if (left < 1) return tooShort();
    if (cut(t, 1)) return;
    const cmd = b[t] ?? 0;
    c.s += `\n\t  Command ${LOOPBACK_COMMANDS[cmd] ?? 'Unknown'} (${cmd})`;
    return;
  }
  if (code !== OamCode.Info && code !== OamCode.Event) {
    // a dump stops at the end of the capture without a mark, as tcpdump's does
    if (c.opts.verbose <= 1) c.s += hexDump(b, t, Math.max(0, Math.min(left, cap - t)), '\n\t  ');
    return;
  }
  const info = code === OamCode.Info;
  if (!info) {
    if (left < 2) return tooShort();
    if (cut(t, 2)) return;
    c.s += `\n\t  Sequence Number ${u16(b, t)}`;
    t += 2;
    left -= 2;
  }
  while (left !== 0) {
    if (left < 2) return tooShort();
    if (cut(t, 2)) return;
    const type = b[t] ?? 0;
    const len = b[t + 1] ?? 0;
    c.s += info
      ? `\n\t  ${OAM_INFO_TYPES[type] ?? 'Reserved'} Information Type (${type}), length ${len}`
      : `\n\t  ${OAM_EVENTS[type] ?? 'Reserved'} Link Event Type (${type}), length ${len}`;
    if (type === 0) return;
    if (len < 2) {
      c.s += '\n\t    ERROR: illegal length - should be >= 2';
      return;
    }
    if (left < len) return tooShort();
    if (cut(t, len)) return;
    let dump = false;
    if (info && (type === 1 || type === 2)) {
      if (len !== O.infoLen) {
        c.s += `\n\t    ERROR: illegal length - should be ${O.infoLen}`;
        dump = true;
      } else {
        const state = b[t + O.infoState] ?? 0;
        const oui = ((b[t + O.infoOui] ?? 0) << 16) | u16(b, t + O.infoOui + 1);
        c.s += `\n\t    OAM-Version ${b[t + O.infoVersion] ?? 0}, Revision ${u16(b, t + O.infoRevision)}`;
        c.s += `\n\t    State-Parser-Action ${PARSER_ACTIONS[state & 3]}, State-MUX-Action ${state & 4 ? 'discarding' : 'forwarding'}`;
        c.s += `\n\t    OAM-Config Flags [${flagNames(OAM_CONFIG, b[t + O.infoConfig] ?? 0)}], OAM-PDU-Config max-PDU size ${u16(b, t + O.infoPduConfig) & 0x7ff}`;
        c.s += `\n\t    OUI ${OUI_NAMES[oui] ?? 'Unknown'} (0x${oui.toString(16).padStart(6, '0')}), Vendor-Private 0x${hex8(u32(b, t + O.infoVendor))}`;
      }
    } else if (!info && type >= 1 && type <= 4) {
      if (len !== O.eventLen) {
        c.s += `\n\t    ERROR: illegal length - should be ${O.eventLen}`;
        dump = true;
      } else {
        // tcpdump reads all four events with one layout: window, threshold, errors and total as 64-bit counters
        c.s += `\n\t    Timestamp ${u16(b, t + O.eventTimestamp) * 100} ms, Errored Window ${u64Text(b, t + 4)}\n\t    Errored Threshold ${u64Text(b, t + 12)}`;
        c.s += `\n\t    Errors ${u64Text(b, t + 20)}\n\t    Error Running Total ${u64Text(b, t + 28)}\n\t    Event Running Total ${u32(b, t + 36)}`;
      }
    } else dump = true;
    if (dump || c.opts.verbose > 1) c.s += hexDump(b, t, len, '\n\t  ');
    t += len;
    left -= len;
  }
}
