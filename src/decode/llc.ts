/** IEEE 802.2 LLC header and the SNAP extension (enough to name the payload). */
import { ByteView, DecodeStatus, u16 } from './status.js';
import { Layer } from './layers.js';
import { type Printer, hex4, macName } from './print.js';
import { hex2, macText } from './addr.js';
import { etherTypeText } from './ethertype.js';

/** Field offsets of LLC (3 bytes) and SNAP (5 more). */
export const LlcOffsets = { dsap: 0, ssap: 1, control: 2, headerLen: 3, oui: 3, snapType: 6, snapLen: 8 } as const;

/** Zero-copy view of an LLC header. */
export class LlcView extends ByteView {
  /**
   * Points at an LLC header.
   * @example llc.reset(bytes, 14, bytes.length - 14);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < LlcOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
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
  /** True for SNAP (AA/AA/03 with the 5 SNAP bytes captured). */
  get isSnap(): boolean {
    return this.dsap === 0xaa && this.ssap === 0xaa && this.length >= LlcOffsets.snapLen;
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
  control: number;
  name: string;
  oui?: number;
  pid?: number;
}

/** Builds the sink representation. */
export function llcRepr(v: LlcView): LlcRepr {
  const r: LlcRepr = { dsap: v.dsap, ssap: v.ssap, control: v.control, name: v.name };
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
const CISCO_PIDS: Readonly<Record<number, string>> = { 0x2000: 'CDP', 0x2004: 'DTP', 0x2003: 'VTP', 0x010b: 'PVST', 0x010c: 'VLAN Bridge', 0x0111: 'UDLD' };
const LLC_SAPS: Readonly<Record<number, string>> = { 0x00: 'Null', 0x42: 'STP', 0xaa: 'SNAP', 0xe0: 'IPX', 0xf0: 'NetBeui', 0xfe: 'OSI', 0x06: 'IP', 0x04: 'SNA', 0x98: 'ARP', 0xbc: 'Banyan', 0xff: 'Global' };

/** `oui NAME (0x......), pid NAME (0x....)` of a SNAP header with a vendor's OUI. */
function snapText(v: LlcView): string {
  const oui = v.oui;
  const pid = (oui === 0x00000c ? CISCO_PIDS[v.snapType] : undefined) ?? 'Unknown';
  return `oui ${OUI_NAMES[oui] ?? 'Unknown'} (0x${oui.toString(16).padStart(6, '0')}), pid ${pid} (0x${hex4(v.snapType)})`;
}

/** Header bytes of an LLC layer for the dumps (what tcpdump skips with -x): SNAP 8, plain 3, cut: all. */
export function llcHeaderLen(v: LlcView): number {
  return v.status !== DecodeStatus.Ok ? v.length : v.isSnap ? 8 : 3;
}

/** tcpdump's LLC/SNAP text (`n`: the 802.3 length); what the SAP or SNAP code announces prints itself. */
export function printLlc(c: Printer, v: LlcView, i: number, n: number): void {
  const p = c.parser;
  if (p.status[i] !== DecodeStatus.Ok) {
    c.s += ' [|llc]';
    return;
  }
  const inVlan = i > 0 && p.kinds[i - 1] === Layer.Vlan;
  const name = (sap: number): string => `${LLC_SAPS[sap & 0xfe] ?? 'Unknown'} (0x${hex2(sap & 0xfe)})`;
  if (c.opts.linkHeader) {
    c.s += `${inVlan ? '' : 'LLC, '}dsap ${name(v.dsap)} ${v.dsap & 1 ? 'Group' : 'Individual'}, ssap ${name(v.ssap)} ${v.ssap & 1 ? 'Response' : 'Command'}, ctrl 0x${hex2(v.control)}: `;
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
    } else if (v.oui !== 0) {
      // nothing decodes it: the addresses and the SNAP header (unless -e printed them), then the frame from the LLC header
      if (!c.opts.linkHeader) {
        let k = i - 1;
        while (k >= 0 && p.kinds[k] !== Layer.Ethernet) k--;
        const e = k >= 0 ? p.at(k, Layer.Ethernet) : undefined;
        if (e) c.s += `${macName(c.opts, macText(e.bytes, e.offset + 6))} > ${macName(c.opts, macText(e.bytes, e.offset))} `;
        c.s += `SNAP, ${snapText(v)}, length ${n - 8}: `;
      }
      c.defaultDump(v.offset);
    }
    return;
  }
  // what the SAP announces (spanning tree, ...) prints itself
  if (i + 1 < p.count) c.layer(i + 1, n - 3);
  else c.s += `LLC, dsap ${name(v.dsap)}, ssap ${name(v.ssap)}, length ${n}`;
}
