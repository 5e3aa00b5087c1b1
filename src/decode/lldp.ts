/**
 * Link Layer Discovery Protocol (IEEE 802.1AB-2016): a list of type/length/value records (7-bit type,
 * 9-bit length) after EtherType 0x88cc, with the organisationally specific TLVs of IEEE 802.1
 * (annex D) and IEEE 802.3 (clause 79).
 */
import { DecodeStatus, FixedHeaderView, u16, u32 } from './status.js';
import { ipv4Text, ipv6Text, macText } from './addr.js';
import { type Printer, flagNames, hex4, hexDump, safeText } from './print.js';

/** TLV header layout and the TLV types of the base standard. */
export const LldpOffsets = { tlvHeader: 2, typeShift: 9, lengthMask: 0x1ff } as const;

/** TLV types. */
export const LldpTlv = {
  End: 0, ChassisId: 1, PortId: 2, Ttl: 3, PortDescription: 4, SystemName: 5, SystemDescription: 6, Capabilities: 7,
  ManagementAddress: 8, OrgSpecific: 127,
} as const;

/** Zero-copy view of an LLDPDU; TLVs are walked with `find`. Truncated when not even one TLV header was captured. */
export class LldpView extends FixedHeaderView {
  protected readonly headerLen = LldpOffsets.tlvHeader;
  /** Type of the TLV at byte `o` of the PDU. */
  tlvType(o: number): number {
    return this.u16(o) >> LldpOffsets.typeShift;
  }
  /** Value length of the TLV at byte `o`. */
  tlvLength(o: number): number {
    return this.u16(o) & LldpOffsets.lengthMask;
  }
  /** Byte offset (in the PDU) of the first TLV of `type`, or -1. */
  find(type: number): number {
    for (let o = 0; o + 2 <= this.length; o += 2 + this.tlvLength(o)) {
      const t = this.tlvType(o);
      if (t === type) return o;
      if (t === LldpTlv.End) break;
    }
    return -1;
  }
}

/** One TLV as the Repr lists it. */
export interface LldpTlvRepr {
  type: number;
  length: number;
}

/** Parsed LLDPDU: the mandatory TLVs' values when captured, and the list of TLVs. */
export interface LldpRepr {
  chassisIdSubtype?: number;
  chassisId?: string;
  portIdSubtype?: number;
  portId?: string;
  ttl?: number;
  systemName?: string;
  tlvs: LldpTlvRepr[];
}

function idText(v: LldpView, o: number, len: number, macSubtype: number): string {
  const b = v.bytes;
  const p = v.offset + o + 3;
  return (b[p - 1] ?? 0) === macSubtype && len === 7 ? macText(b, p) : safeText(b, p, p + len - 1);
}

/** Builds the sink representation. */
export function lldpRepr(v: LldpView): LldpRepr {
  const r: LldpRepr = { tlvs: [] };
  const b = v.bytes;
  for (let o = 0; o + 2 <= v.length; o += 2 + v.tlvLength(o)) {
    const t = v.tlvType(o);
    const len = v.tlvLength(o);
    r.tlvs.push({ type: t, length: len });
    if (o + 2 + len > v.length) break;
    if (t === LldpTlv.ChassisId && len >= 2) {
      r.chassisIdSubtype = b[v.offset + o + 2] ?? 0;
      r.chassisId = idText(v, o, len, 4);
    } else if (t === LldpTlv.PortId && len >= 2) {
      r.portIdSubtype = b[v.offset + o + 2] ?? 0;
      r.portId = idText(v, o, len, 3);
    } else if (t === LldpTlv.Ttl && len >= 2) r.ttl = u16(b, v.offset + o + 2);
    else if (t === LldpTlv.SystemName) r.systemName = safeText(b, v.offset + o + 2, v.offset + o + 2 + len);
    if (t === LldpTlv.End) break;
  }
  return r;
}

const TLV_NAMES: Readonly<Record<number, string>> = {
  0: 'End', 1: 'Chassis ID', 2: 'Port ID', 3: 'Time to Live', 4: 'Port Description', 5: 'System Name', 6: 'System Description',
  7: 'System Capabilities', 8: 'Management Address', 127: 'Organization specific',
};
const CHASSIS_SUBTYPES = ['', 'Chassis component', 'Interface alias', 'Port component', 'MAC address', 'Network address', 'Interface name', 'Local'];
const PORT_SUBTYPES = ['', 'Interface alias', 'Port component', 'MAC address', 'Network Address', 'Interface Name', 'Agent circuit ID', 'Local'];
const CAPS: ReadonlyArray<readonly [number, string]> = [
  [0x01, 'Other'], [0x02, 'Repeater'], [0x04, 'Bridge'], [0x08, 'WLAN AP'], [0x10, 'Router'], [0x20, 'Telephone'], [0x40, 'Docsis'], [0x80, 'Station Only'],
];
const IF_NUMBERING = ['Unknown', 'Unknown', 'Interface Index', 'System Port Number'];
const OUI_NAMES: Readonly<Record<number, string>> = { 0x0080c2: 'Ethernet bridged', 0x00120f: 'IEEE 802.3 Private', 0x0012bb: 'ANSI/TIA' };
const DOT1_SUBTYPES: Readonly<Record<number, string>> = {
  1: 'Port VLAN Id', 2: 'Port and Protocol VLAN ID', 3: 'VLAN name', 4: 'Protocol Identity', 7: 'Link aggregation',
  8: 'Congestion Notification', 9: 'ETS Configuration', 10: 'ETS Recommendation', 11: 'Priority Flow Control Configuration',
  12: 'Application Priority', 13: 'EVB', 14: 'CDCP',
};
const MED_SUBTYPES: Readonly<Record<number, string>> = {
  1: 'LLDP-MED Capabilities', 2: 'Network policy', 3: 'Location identification', 4: 'Extended power-via-MDI',
  5: 'Inventory - hardware revision', 6: 'Inventory - firmware revision', 7: 'Inventory - software revision',
  8: 'Inventory - serial number', 9: 'Inventory - manufacturer name', 10: 'Inventory - model name', 11: 'Inventory - asset ID',
};
const MED_INVENTORY: Readonly<Record<number, string>> = {
  5: 'Hardware revision', 6: 'Firmware revision', 7: 'Software revision', 8: 'Serial number', 9: 'Manufacturer name', 10: 'Model name', 11: 'Asset ID',
};
const DOT3_SUBTYPES: Readonly<Record<number, string>> = { 1: 'MAC/PHY configuration/status', 2: 'Power via MDI', 3: 'Link aggregation', 4: 'Max frame size' };
const PMD_CAPS: ReadonlyArray<readonly [number, string]> = [
  [0x4000, '10BASE-T hdx'], [0x2000, '10BASE-T fdx'], [0x1000, '100BASE-T4'], [0x0800, '100BASE-TX hdx'], [0x0400, '100BASE-TX fdx'],
  [0x0200, '100BASE-T2 hdx'], [0x0100, '100BASE-T2 fdx'], [0x0080, 'Pause for fdx links'], [0x0040, 'Asym PAUSE for fdx'],
  [0x0020, 'Sym PAUSE for fdx'], [0x0010, 'Asym and Sym PAUSE for fdx'], [0x0008, '1000BASE-{X LX SX CX} hdx'],
  [0x0004, '1000BASE-{X LX SX CX} fdx'], [0x0002, '1000BASE-T hdx'], [0x0001, '1000BASE-T fdx'],
];
const MAU_TYPES = [
  'Unknown', 'AUI', '10BASE_5', 'FOIRL', '10BASE2', '10BASET duplex mode unknown', '10BASEFP', '10BASEFB', '10BASEFL duplex mode unknown',
  '10BROAD36', '10BASET hdx', '10BASET fdx', '10BASEFL hdx', '10BASEFL fdx', '100BASET4', '100BASETX hdx', '100BASETX fdx',
  '100BASEFX hdx', '100BASEFX fdx', '100BASET2 hdx', '100BASET2 fdx', '1000BASEX hdx', '1000BASEX fdx', '1000BASELX hdx',
  '1000BASELX fdx', '1000BASESX hdx', '1000BASESX fdx', '1000BASECX hdx', '1000BASECX fdx', '1000BASET hdx', '1000BASET fdx',
  '10GBASEX', '10GBASELX4', '10GBASER', '10GBASEER', '10GBASELR', '10GBASESR', '10GBASEW', '10GBASEEW', '10GBASELW', '10GBASESW',
];
const MDI_POWER: ReadonlyArray<readonly [number, string]> = [[0x01, 'PSE'], [0x02, 'supported'], [0x04, 'enabled'], [0x08, 'can be controlled']];
const SUPPORTED_ENABLED: ReadonlyArray<readonly [number, string]> = [[0x01, 'supported'], [0x02, 'enabled']];
const PPVID_FLAGS: ReadonlyArray<readonly [number, string]> = [[0x02, 'supported'], [0x04, 'enabled']];

/** tcpdump's LLDP text: the system name on one line, each TLV at -v, hex dumps at -vv. */
export function printLldp(c: Printer, v: LldpView, _i: number, _n: number): void {
  const len = c.pkt.wireLen - (v.offset - c.pkt.offset);
  c.s += `LLDP, length ${len}`;
  const b = v.bytes;
  const base = v.offset;
  if (c.opts.verbose === 0) {
    const o = v.find(LldpTlv.SystemName);
    const l = o >= 0 ? v.tlvLength(o) : 0;
    if (o >= 0 && o + 2 + l <= v.length) c.s += `: ${safeText(b, base + o + 2, base + o + 2 + l)}`;
    return;
  }
  for (let o = 0; o + 2 <= v.length; ) {
    const t = v.tlvType(o);
    const l = v.tlvLength(o);
    c.s += `\n\t${TLV_NAMES[t] ?? 'Unknown'} TLV (${t}), length ${l}`;
    const q = base + o + 2;
    if (o + 2 + l > v.length) {
      c.s += ' [|lldp]';
      return;
    }
    const done = printTlv(c, v, t, q, l);
    if (done === CUT) {
      c.s += ' [|lldp]';
      return;
    }
    if (!done || c.opts.verbose > 1) c.s += hexDump(b, q, l, '\n\t  ');
    if (t === LldpTlv.End) return;
    o += 2 + l;
  }
}

/** A TLV shorter than its subtype needs: the packet's text ends there, as tcpdump's does. */
const CUT = 2;

/** Prints one TLV's value; false when it was not decoded (then the caller dumps it), CUT when short. */
function printTlv(c: Printer, v: LldpView, t: number, q: number, l: number): boolean | typeof CUT {
  const b = v.bytes;
  switch (t) {
    case LldpTlv.End:
      return true;
    case LldpTlv.ChassisId:
    case LldpTlv.PortId: {
      if (l < 1) return false;
      const st = b[q] ?? 0;
      const names = t === LldpTlv.ChassisId ? CHASSIS_SUBTYPES : PORT_SUBTYPES;
      const macSt = t === LldpTlv.ChassisId ? 4 : 3;
      const netSt = t === LldpTlv.ChassisId ? 5 : 4;
      c.s += `\n\t  Subtype ${names[st] || 'Unknown'} (${st}): `;
      if (st === macSt) {
        if (l < 7) return CUT;
        c.s += macText(b, q + 1);
      } else if (st === netSt) {
        c.s += addrText(b, q + 1, l - 1);
      } else if (st >= 1 && st <= 7) c.s += safeText(b, q + 1, q + l);
      else return false;
      return true;
    }
    case LldpTlv.Ttl:
      if (l < 2) return false;
      c.s += `: TTL ${u16(b, q)}s`;
      return true;
    case LldpTlv.PortDescription:
    case LldpTlv.SystemName:
      c.s += `: ${safeText(b, q, q + l)}`;
      return true;
    case LldpTlv.SystemDescription:
      c.s += `\n\t  ${safeText(b, q, q + l)}`;
      return true;
    case LldpTlv.Capabilities: {
      if (l < 4) return false;
      const sys = u16(b, q);
      const en = u16(b, q + 2);
      c.s += `\n\t  System  Capabilities [${flagNames(CAPS, sys)}] (0x${hex4(sys)})\n\t  Enabled Capabilities [${flagNames(CAPS, en)}] (0x${hex4(en)})`;
      return true;
    }
    case LldpTlv.ManagementAddress: {
      const al = b[q] ?? 0;
      if (l < al + 7 || al < 1) return false;
      c.s += `\n\t  Management Address length ${al}, ${addrText(b, q + 1, al)}`;
      const p = q + 1 + al;
      const num = b[p] ?? 0;
      c.s += `\n\t  ${IF_NUMBERING[num] ?? 'Unknown'} Interface Numbering (${num}): ${u32(b, p + 1)}`;
      const oidLen = b[p + 5] ?? 0;
      if (oidLen > 0 && p + 6 + oidLen <= q + l) c.s += `\n\t  OID length ${oidLen}: ${safeText(b, p + 6, p + 6 + oidLen)}`;
      return true;
    }
    case LldpTlv.OrgSpecific:
      return printOrg(c, v, q, l);
    default:
      return false;
  }
}

/** `AFI name (n): address` of an IANA address-family-prefixed address. */
function addrText(b: Uint8Array, q: number, n: number): string {
  const afi = b[q] ?? 0;
  if (afi === 1 && n === 5) return `AFI IPv4 (1): ${ipv4Text(b, q + 1)}`;
  if (afi === 2 && n === 17) return `AFI IPv6 (2): ${ipv6Text(b, q + 1)}`;
  return `AFI ${afi === 1 ? 'IPv4' : afi === 2 ? 'IPv6' : 'Unknown'} (${afi}), no AF printer !`;
}

function printOrg(c: Printer, v: LldpView, q: number, l: number): boolean {
  const b = v.bytes;
  if (l < 4) return false;
  const oui = ((b[q] ?? 0) << 16) | ((b[q + 1] ?? 0) << 8) | (b[q + 2] ?? 0);
  const st = b[q + 3] ?? 0;
  c.s += `: OUI ${OUI_NAMES[oui] ?? 'Unknown'} (0x${oui.toString(16).padStart(6, '0')})`;
  const p = q + 4;
  const n = l - 4;
  if (oui === 0x0080c2) {
    const name = DOT1_SUBTYPES[st];
    c.s += `\n\t  ${name ?? 'unknown'} Subtype (${st})`;
    switch (st) {
      case 1:
        if (n < 2) return false;
        c.s += `\n\t    port vlan id (PVID): ${u16(b, p)}`;
        return true;
      case 2:
        if (n < 3) return false;
        c.s += `\n\t    port and protocol vlan id (PPVID): ${u16(b, p + 1)}, flags [${flagNames(PPVID_FLAGS, b[p] ?? 0)}] (0x${(b[p] ?? 0).toString(16).padStart(2, '0')})`;
        return true;
      case 3: {
        if (n < 3) return false;
        const nl = b[p + 2] ?? 0;
        c.s += `\n\t    vlan id (VID): ${u16(b, p)}\n\t    vlan name: ${safeText(b, p + 3, Math.min(p + 3 + nl, p + n))}`;
        return true;
      }
      case 4: {
        if (n < 1) return false;
        const pl = b[p] ?? 0;
        c.s += `\n\t    protocol identity: ${safeText(b, p + 1, Math.min(p + 1 + pl, p + n))}`;
        return true;
      }
      default:
        return name !== undefined;
    }
  }
  if (oui === 0x00120f) {
    const name = DOT3_SUBTYPES[st];
    c.s += `\n\t  ${name ?? 'unknown'} Subtype (${st})`;
    switch (st) {
      case 1: {
        if (n < 5) return false;
        const an = b[p] ?? 0;
        const pmd = u16(b, p + 1);
        const mau = u16(b, p + 3);
        c.s += `\n\t    autonegotiation [${flagNames(SUPPORTED_ENABLED, an)}] (0x${an.toString(16).padStart(2, '0')})`;
        c.s += `\n\t    PMD autoneg capability [${flagNames(PMD_CAPS, pmd, 'unknown')}] (0x${hex4(pmd)})`;
        c.s += `\n\t    MAU type ${MAU_TYPES[mau] ?? 'unknown'} (0x${hex4(mau)})`;
        return true;
      }
      case 2: {
        if (n < 3) return false;
        const pair = b[p + 1] ?? 0;
        const cls = b[p + 2] ?? 0;
        c.s += `\n\t    MDI power support [${flagNames(MDI_POWER, b[p] ?? 0)}], power pair ${pair === 1 ? 'signal' : pair === 2 ? 'spare' : 'unknown'}, power class ${cls >= 1 && cls <= 5 ? `class${cls - 1}` : 'unknown'}`;
        return true;
      }
      case 3:
        if (n < 5) return false;
        c.s += `\n\t    aggregation status [${flagNames(SUPPORTED_ENABLED, b[p] ?? 0)}], aggregation port ID ${u32(b, p + 1)}`;
        return true;
      case 4:
        if (n < 2) return false;
        c.s += `\n\t    MTU size ${u16(b, p)}`;
        return true;
      default:
        return false;
    }
  }
  if (oui === 0x0012bb) {
    const name = MED_SUBTYPES[st];
    c.s += `\n\t  ${name ?? 'unknown'} Subtype (${st})`;
    const inv = MED_INVENTORY[st];
    if (inv !== undefined) c.s += `\n\t  ${inv} ${safeText(b, p, p + n)}`;
    return name !== undefined;
  }
  return false;
}
