/**
 * IEEE 802.2 LLC (ISO/IEC 8802-2): the SAP pair and the control field of the three frame formats —
 * information (I, two control bytes: N(S), N(R), poll/final), supervisory (S, two bytes: RR, RNR, REJ
 * and N(R)) and unnumbered (U, one byte: UI, SABME, DISC, UA, DM, FRMR, XID, TEST) — and the SNAP
 * extension of UI frames between SAPs 0xaa. Only a UI frame between equal SAPs hands its payload on
 * (spanning tree, IPX, SNAP), as tcpdump's printer does.
 */
import { ByteView, DecodeStatus, u16 } from './status.js';
import { Layer } from './layers.js';
import { type Printer, hex4, macName } from './print.js';
import { hex2, macText } from './addr.js';
import { ETHERTYPE_NAMES, etherTypeText } from './ethertype.js';
import { osiPayload } from './nlpid.js';
import { wlanSrcDst } from './wlan.js';

/** Field offsets of LLC (3 bytes, 4 with a two-byte I or S control field) and SNAP (5 more). */
export const LlcOffsets = { dsap: 0, ssap: 1, control: 2, headerLen: 3, longHeaderLen: 4, oui: 3, snapType: 6, snapLen: 8 } as const;

/** SAPs whose UI frames carry a network layer's packet directly (no SNAP header): IP and OSI. */
export const LlcSap = { IP: 0x06, OSI: 0xfe } as const;

/** Control field values: the U-frame format bits, UI, XID (poll/final bit clear) and the bits that mark the formats. */
export const LlcControl = { U: 0x03, S: 0x01, UI: 0x03, XID: 0xaf, UPoll: 0x10, IsPoll: 0x0100, XidFormat: 0x81 } as const;

/** Zero-copy view of an LLC header. */
export class LlcView extends ByteView {
  /**
   * Points at an LLC header; Truncated below 3 bytes, or 4 for an I or S frame.
   * @example llc.reset(bytes, 14, bytes.length - 14);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < LlcOffsets.headerLen || this.length < this.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Destination SAP. */
  get dsap(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Source SAP. */
  get ssap(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** Control field (first byte). */
  get control(): number {
    return this.bytes[this.offset + 2] ?? 0;
  }
  /** True for an unnumbered (U) frame: one control byte. */
  get isU(): boolean {
    return (this.control & LlcControl.U) === LlcControl.U;
  }
  /** The whole control field: one byte for U frames, else two read little-endian (N(R) in the high byte). */
  get control16(): number {
    return this.isU ? this.control : this.control | ((this.bytes[this.offset + 3] ?? 0) << 8);
  }
  /** Header length: 3, or 4 for I and S frames. */
  get headerLen(): number {
    return this.isU ? LlcOffsets.headerLen : LlcOffsets.longHeaderLen;
  }
  /** True for a UI frame between equal SAPs (the individual/group and command/response bits aside): the payload is a protocol's. */
  get carries(): boolean {
    return this.control === LlcControl.UI && (this.dsap & 0xfe) === (this.ssap & 0xfe);
  }
  /** True for SNAP (a UI frame between SAPs 0xaa with the 5 SNAP bytes captured). */
  get isSnap(): boolean {
    return this.carries && (this.dsap & 0xfe) === 0xaa && this.length >= LlcOffsets.snapLen;
  }
  /** SNAP organisation code. */
  get oui(): number {
    const b = this.bytes;
    const o = this.offset + LlcOffsets.oui;
    return ((b[o] ?? 0) << 16) | ((b[o + 1] ?? 0) << 8) | (b[o + 2] ?? 0);
  }
  /** SNAP protocol id (an EtherType when the OUI is 0). */
  get snapType(): number {
    return u16(this.bytes, this.offset + LlcOffsets.snapType);
  }
  /** True for a UI frame between SAPs 0xaa whose 5 SNAP bytes are not all there (tcpdump's ` [|snap]`). */
  get snapCut(): boolean {
    return this.carries && (this.dsap & 0xfe) === 0xaa && this.length < LlcOffsets.snapLen;
  }
  /** Short name: `stp`, `snap`, `ipx`, `netbios`, `isis` or `llc`. */
  get name(): string {
    if (this.isSnap) return 'snap';
    switch (this.dsap) {
      case 0x42: return 'stp';
      case 0xe0: return 'ipx';
      case 0xf0: return 'netbios';
      case 0xfe: return 'osi';
      default: return 'llc';
    }
  }
}

/** Parsed LLC header. */
export interface LlcRepr {
  dsap: number;
  ssap: number;
  /** The control field: one byte (U frames) or two (I and S frames, read little-endian). */
  control: number;
  /** Frame format: `I` information, `S` supervisory, `U` unnumbered. */
  format: 'I' | 'S' | 'U';
  /** I frames: send sequence number N(S). */
  ns?: number;
  /** I and S frames: receive sequence number N(R). */
  nr?: number;
  /** S frames: 0 RR, 1 RNR, 2 REJ. */
  supervisory?: number;
  /** U frames: the command with the poll/final bit cleared (0x03 UI, 0xaf XID, ...). */
  command?: number;
  /** The poll (in a command) or final (in a response) bit. */
  pollFinal: boolean;
  name: string;
  oui?: number;
  pid?: number;
}

/** Builds the sink representation. */
export function llcRepr(v: LlcView): LlcRepr {
  const c = v.control16;
  const u = v.isU;
  const r: LlcRepr = { dsap: v.dsap, ssap: v.ssap, control: c, format: u ? 'U' : c & LlcControl.S ? 'S' : 'I', pollFinal: (c & (u ? LlcControl.UPoll : LlcControl.IsPoll)) !== 0, name: v.name };
  if (u) r.command = c & ~LlcControl.UPoll;
  else {
    if (r.format === 'I') r.ns = (c >> 1) & 0x7f;
    else r.supervisory = (c >> 2) & 3;
    r.nr = (c >> 9) & 0x7f;
  }
  if (v.isSnap) {
    r.oui = v.oui;
    r.pid = v.snapType;
  }
  return r;
}

/** SNAP codes (`oui * 65536 + protocol id`) of Cisco's protocols under OUI 00000c. */
export const CISCO_SNAP = { CDP: 0x0c * 65536 + 0x2000, VTP: 0x0c * 65536 + 0x2003, DTP: 0x0c * 65536 + 0x2004, UDLD: 0x0c * 65536 + 0x0111, PVST: 0x0c * 65536 + 0x010b, VLAN_BRIDGE: 0x0c * 65536 + 0x010c } as const;

/** tcpdump 4.99's OUI names by organisation code (0x0080c2 is listed twice there; the first name wins). */
export const OUI_NAMES: Readonly<Record<number, string>> = {
  0x000000: 'Ethernet', 0x00000c: 'Cisco', 0x00005e: 'IANA', 0x000081: 'Nortel Networks SONMP', 0x0000f8: 'Cisco bridged',
  0x0080c2: 'Ethernet bridged', 0x00a03e: 'ATM Forum', 0x00e02f: 'DOCSIS Spanning Tree', 0x080007: 'Appletalk', 0x009069: 'Juniper',
  0x080009: 'Hewlett-Packard', 0x00120f: 'IEEE 802.3 Private', 0x0012bb: 'ANSI/TIA', 0x001b21: 'DCBX', 0x002320: 'Nicira Networks',
  0x5c16c7: 'Big Switch Networks', 0xb0d2f5: 'Vello Systems', 0x002481: 'HP', 0x0004ea: 'HP-Labs', 0x748771: 'Infoblox Inc',
  0xa42305: 'Open Networking Lab', 0x00049f: 'Freescale', 0x0015ad: 'Netronome', 0x001018: 'Broadcom', 0x00e004: 'PMC-Sierra',
  0xd0f0db: 'Ericsson',
};
/** tcpdump's name of an organisation code, `Unknown` when it has none. */
export function ouiName(oui: number): string {
  return OUI_NAMES[oui] ?? 'Unknown';
}
const CISCO_PIDS: Readonly<Record<number, string>> = { 0x2000: 'CDP', 0x2004: 'DTP', 0x2003: 'VTP', 0x010b: 'PVST', 0x010c: 'VLAN Bridge', 0x0111: 'UDLD' };
const LLC_SAPS: Readonly<Record<number, string>> = {
  0x00: 'Null', 0xff: 'Global', 0x02: '802.1B I', 0x03: '802.1B G', 0x06: 'IP', 0x04: 'SNA', 0x0e: 'ProWay NM', 0x42: 'STP', 0x4e: 'RS511',
  0x7e: 'ISO8208', 0x8e: 'ProWay', 0xaa: 'SNAP', 0xe0: 'IPX', 0xf0: 'NetBeui', 0xfe: 'OSI',
};
/** U-frame commands (poll/final bit clear) by tcpdump's names. */
const U_COMMANDS: Readonly<Record<number, string>> = { 0x03: 'ui', 0xe3: 'test', 0xaf: 'xid', 0x63: 'ua', 0x43: 'disc', 0x0f: 'dm', 0x6f: 'sabme', 0x87: 'frmr' };
const S_FUNCTIONS = ['Receiver Ready', 'Receiver not Ready', 'Reject'];

/** `oui NAME (0x......), pid NAME (0x....)` of a SNAP header with a vendor's OUI. */
function snapText(v: LlcView): string {
  return snapHeaderText(v.oui, v.snapType);
}

/**
 * tcpdump's SNAP header at -e: `oui NAME (0x......), ethertype NAME (0x....)` for OUI 0, else `pid`;
 * Cisco's protocol ids by their names, AppleTalk's and Cisco-bridged ones as EtherTypes.
 */
export function snapHeaderText(oui: number, pid: number): string {
  const name = (oui === 0x00000c ? CISCO_PIDS[pid] : oui === 0 || oui === 0x0000f8 || oui === 0x080007 ? ETHERTYPE_NAMES[pid] || undefined : undefined) ?? 'Unknown';
  return `oui ${OUI_NAMES[oui] ?? 'Unknown'} (0x${oui.toString(16).padStart(6, '0')}), ${oui === 0 ? 'ethertype' : 'pid'} ${name} (0x${hex4(pid)})`;
}

/** Header bytes of an LLC layer for the dumps (what tcpdump skips with -x): SNAP 8, plain 3, cut: all. */
export function llcHeaderLen(v: LlcView): number {
  return v.status !== DecodeStatus.Ok ? v.length : v.isSnap || v.snapCut ? 8 : v.headerLen;
}

/** tcpdump's LLC/SNAP text (`n`: the 802.3 length); what a UI frame's SAP or SNAP code announces prints itself. */
export function printLlc(c: Printer, v: LlcView, i: number, n: number): void {
  const p = c.parser;
  const end = v.offset + v.length;
  if (p.status[i] !== DecodeStatus.Ok) {
    c.s += ' [|llc]';
    c.defaultDump(v.offset, end);
    return;
  }
  const name = (sap: number): string => `${LLC_SAPS[sap & 0xfe] ?? 'Unknown'} (0x${hex2(sap & 0xfe)})`;
  const ctl = v.control16;
  if (c.opts.linkHeader) {
    c.s += `LLC, dsap ${name(v.dsap)} ${v.dsap & 1 ? 'Group' : 'Individual'}, ssap ${name(v.ssap)} ${v.ssap & 1 ? 'Response' : 'Command'}, ctrl 0x${v.isU ? hex2(ctl) : hex4(ctl)}: `;
  }
  if (v.snapCut) {
    c.s += ' [|snap]';
    return;
  }
  if (v.isSnap) {
    if (c.opts.linkHeader) {
      const oui = v.oui;
      if (oui === 0) c.s += `oui ${OUI_NAMES[oui]} (0x000000), ethertype ${etherTypeText(v.snapType)}, length ${n - 8}: `;
      else c.s += `${snapText(v)}, length ${n - 8}: `;
    }
    // an EtherType (OUI 0) reaches a network layer; a vendor's protocol id (CDP) is printed with its length
    if (i + 1 < p.count) {
      if (v.oui === 0) c.network(i + 1, v.snapType);
      else c.layer(i + 1, n - 8);
    } else {
      // nothing decodes it: the addresses and the SNAP header (unless -e printed them), then the frame from the LLC header
      if (!c.opts.linkHeader) {
        const m = macs(c, i);
        const what = v.oui === 0 ? `ethertype ${etherTypeText(v.snapType)}` : snapText(v);
        c.s += `${m ? `${m[0]} > ${m[1]} ` : ''}SNAP, ${what}, length ${n - 8}: `;
      }
      c.defaultDump(v.offset);
    }
    return;
  }
  // OSI's UI frames go to isoclns_print whatever their NLPID
  if (v.carries && (v.dsap & 0xfe) === LlcSap.OSI) {
    const len = osiPayload(c, i, v.offset + LlcOffsets.headerLen, n - LlcOffsets.headerLen, end);
    if (len >= 0) c.layer(i + 1, len);
    return;
  }
  // what a UI frame's SAP announces (spanning tree, ...) prints itself
  if (i + 1 < p.count) {
    c.layer(i + 1, n - 3);
    return;
  }
  if (!c.opts.linkHeader) {
    // the addresses with the SAP names: `SRC > DST SAP` for equal SAPs, else `SRC SSAP > DST DSAP`
    const m = macs(c, i);
    const d = v.dsap & 0xfe;
    const s = v.ssap & 0xfe;
    const dn = LLC_SAPS[d] ?? `Unknown DSAP 0x${hex2(d)}`;
    const sn = d === s ? '' : LLC_SAPS[s] ?? `Unknown SSAP 0x${hex2(s)}`;
    if (m) c.s += `${m[0]}${sn ? ` ${sn}` : ''} > ${m[1]} ${dn} `;
    else c.s += `${sn ? `${sn} > ` : ''}${dn} `;
  }
  const flag = (poll: number): string => (ctl & poll ? (v.ssap & 1 ? 'Final' : 'Poll') : v.ssap & 1 ? 'Response' : 'Command');
  if (v.isU) {
    const cmd = ctl & ~LlcControl.UPoll;
    c.s += `Unnumbered, ${U_COMMANDS[cmd] ?? hex2(cmd)}, Flags [${flag(LlcControl.UPoll)}], length ${n}`;
    const body = v.offset + LlcOffsets.headerLen;
    if (cmd === LlcControl.XID && n > LlcOffsets.headerLen && body < end && v.bytes[body] === LlcControl.XidFormat) {
      // the 802.2 XID information field: format identifier, class of service, receive window
      if (end - body < 3 || n < LlcOffsets.headerLen + 3) {
        c.s += ' [|llc]';
        c.defaultDump(body, end);
      } else c.s += `: ${hex2(v.bytes[body + 1] ?? 0)} ${hex2(v.bytes[body + 2] ?? 0)}`;
      return;
    }
    if (cmd === LlcControl.XID && n <= LlcOffsets.headerLen) return;
  } else if (ctl & LlcControl.S) {
    c.s += `Supervisory, ${S_FUNCTIONS[(ctl >> 2) & 3] ?? '?'}, rcv seq ${(ctl >> 9) & 0x7f}, Flags [${flag(LlcControl.IsPoll)}], length ${n}`;
    return;
  } else {
    c.s += `Information, send seq ${(ctl >> 1) & 0x7f}, rcv seq ${(ctl >> 9) & 0x7f}, Flags [${flag(LlcControl.IsPoll)}], length ${n}`;
  }
  c.defaultDump(v.offset, end);
}

/** Source and destination address text of the Ethernet or 802.11 data header before layer i, if there is one. */
function macs(c: Printer, i: number): [string, string] | undefined {
  const p = c.parser;
  let k = i - 1;
  while (k >= 0 && p.kinds[k] !== Layer.Ethernet && p.kinds[k] !== Layer.Wlan) k--;
  if (k < 0) return undefined;
  const e = p.at(k, Layer.Ethernet);
  if (e) return [macName(c.opts, macText(e.bytes, e.offset + 6)), macName(c.opts, macText(e.bytes, e.offset))];
  // an 802.11 frame hands LLC the source and destination its DS bits name, as tcpdump's data printer does
  const w = p.at(k, Layer.Wlan)!;
  const [sa, da] = wlanSrcDst(w);
  return [macName(c.opts, w.addr(sa)), macName(c.opts, w.addr(da))];
}
