/**
 * Link Layer Discovery Protocol (IEEE 802.1AB-2016): a list of type/length/value records (7-bit type,
 * 9-bit length) after EtherType 0x88cc, with the organisationally specific TLVs of IEEE 802.1
 * (annex D) and IEEE 802.3 (clause 79).
 */
import { DecodeStatus, FixedHeaderView, u16, u32 } from './status.js';
import { hex2, ipv4Text, ipv6Text, macText } from './addr.js';
import { type Printer, flagNames, hex4, hexDump, safeText, wireFrom } from './print.js';

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
  /** LLDP-MED capabilities TLV: the capability bits and the device class. */
  med?: { capabilities: number; deviceType: number };
  /** LLDP-MED network policies, in order. */
  policies?: LldpPolicyRepr[];
  /** LLDP-MED location identifications: the data format, and the civic address's country or the ELIN. */
  locations?: Array<{ format: number; country?: string; elin?: string }>;
  /** LLDP-MED extended power via MDI: type (0 PSE, 1 PD), source, priority, value in 0.1 W. */
  power?: { type: number; source: number; priority: number; value: number };
  /** LLDP-MED inventory strings by name. */
  inventory?: Partial<Record<(typeof INVENTORY_KEYS)[number], string>>;
  /** IEEE 802.1 ETS configuration and recommendation. */
  ets?: LldpEtsRepr;
  etsRecommendation?: LldpEtsRepr;
  /** IEEE 802.1 PFC configuration: willing, MACsec bypass capability, PFC capability, enabled priorities (bit n: priority n). */
  pfc?: { willing: number; mbc: number; cap: number; enable: number };
  /** IEEE 802.1 application priority table. */
  appPriority?: Array<{ priority: number; selector: number; protocol: number }>;
  /** Pre-standard DCBX (OUI 00-1b-21, subtype 2 = version 1.01): its TLVs wholly captured, in order. */
  dcbx?: LldpDcbxTlvRepr[];
}

/**
 * One DCBX 1.01 TLV: type (1 control, 2 priority groups, 3 PFC, 4 application), versions; control:
 * sequence and acknowledgement numbers; features: the enable, willing and error bits and subtype, then
 * the priority group ids and percentages, the PFC enable bitmap, the application entries, the TC count.
 */
export interface LldpDcbxTlvRepr {
  type: number;
  operVersion: number;
  maxVersion: number;
  sequence?: number;
  ack?: number;
  enabled?: number;
  willing?: number;
  error?: number;
  subtype?: number;
  pgIds?: number[];
  pgPercent?: number[];
  pfcEnable?: number;
  numTcs?: number;
  apps?: Array<{ protocol: number; selector: number; oui: number; priorityMap: number }>;
}

/** One LLDP-MED network policy. */
export interface LldpPolicyRepr {
  application: number;
  unknown: number;
  tagged: number;
  vlan: number;
  priority: number;
  dscp: number;
}

/** An ETS TLV's fields: priority-to-TC table, TC bandwidth percentages and TSA per TC (eight each); the configuration's flags. */
export interface LldpEtsRepr {
  willing?: number;
  cbs?: number;
  maxTcs?: number;
  priorities: number[];
  bandwidth: number[];
  tsa: number[];
}

const INVENTORY_KEYS = ['hardware', 'firmware', 'software', 'serial', 'manufacturer', 'model', 'asset'] as const;

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
    else if (t === LldpTlv.OrgSpecific && len >= 4) orgRepr(r, b, v.offset + o + 2, len);
    if (t === LldpTlv.End) break;
  }
  return r;
}

/** The DCBX 1.01 TLVs from `o` to `end`, each with the fields its type needs (a shorter one ends the list, as in tcpdump). */
function dcbxRepr(b: Uint8Array, o: number, end: number): LldpDcbxTlvRepr[] {
  const out: LldpDcbxTlvRepr[] = [];
  while (o + 2 <= end) {
    const h = u16(b, o);
    const type = h >> LldpOffsets.typeShift;
    const n = h & LldpOffsets.lengthMask;
    o += 2;
    if (type === 0 || n === 0 || o + n > end || n < (DCBX_MIN[type] ?? 2)) break;
    const e: LldpDcbxTlvRepr = { type, operVersion: b[o] ?? 0, maxVersion: b[o + 1] ?? 0 };
    const info = b[o + 2] ?? 0;
    if (type === 1) {
      e.sequence = u32(b, o + 2);
      e.ack = u32(b, o + 6);
    } else if (type >= 2 && type <= 4) {
      Object.assign(e, { enabled: info >> 7, willing: (info >> 6) & 1, error: (info >> 5) & 1, subtype: b[o + 3] ?? 0 });
      if (type === 2) {
        e.pgIds = nibbles(b, o + 4);
        e.pgPercent = Array.from(b.subarray(o + 8, o + 16));
        e.numTcs = b[o + 16] ?? 0;
      } else if (type === 3) {
        e.pfcEnable = b[o + 4] ?? 0;
        e.numTcs = b[o + 5] ?? 0;
      } else {
        e.apps = [];
        for (let k = o + 4; k + 6 <= o + n; k += 6) {
          e.apps.push({ protocol: u16(b, k), selector: (b[k + 2] ?? 0) >> 6, oui: (((b[k + 2] ?? 0) & 0x3f) << 16) | u16(b, k + 3), priorityMap: b[k + 5] ?? 0 });
        }
      }
    }
    out.push(e);
    o += n;
  }
  return out;
}

/** The least length of each DCBX 1.01 TLV type tcpdump decodes. */
const DCBX_MIN: Readonly<Record<number, number>> = { 1: 10, 2: 17, 3: 6, 4: 4 };

/** The organisationally specific TLVs' OUIs this file decodes. */
const OUI = { Dot1: 0x0080c2, Dot3: 0x00120f, Tia: 0x0012bb, Dcbx: 0x001b21, Iana: 0x00005e } as const;

/** The organisationally specific TLV at `q` (length `l`, at least 4) into `r`. */
function orgRepr(r: LldpRepr, b: Uint8Array, q: number, l: number): void {
  const oui = ((b[q] ?? 0) << 16) | u16(b, q + 1);
  const st = b[q + 3] ?? 0;
  const p = q + 4;
  const t = b[p] ?? 0;
  if (oui === OUI.Tia) {
    if (st === 1 && l >= 7) r.med = { capabilities: u16(b, p), deviceType: b[p + 2] ?? 0 };
    else if (st === 2 && l >= 8) {
      const f = u16(b, p + 1);
      const g = u16(b, p + 2);
      (r.policies ??= []).push({ application: t, unknown: f >> 15, tagged: (f >> 14) & 1, vlan: (f & 0x1ffe) >> 1, priority: (g & 0x1ff) >> 6, dscp: g & 0x3f });
    } else if (st === 3 && l >= 5) {
      const loc: { format: number; country?: string; elin?: string } = { format: t };
      if (t === 2 && l >= 9) loc.country = zText(b, p + 3, p + 5);
      else if (t === 3) loc.elin = zText(b, p + 1, q + l);
      (r.locations ??= []).push(loc);
    } else if (st === 4 && l >= 7) r.power = { type: t >> 6, source: (t >> 4) & 3, priority: t & 0x0f, value: u16(b, p + 1) };
    else if (st >= 5 && st <= 11) (r.inventory ??= {})[INVENTORY_KEYS[st - 5]!] = zText(b, p, q + l);
  } else if (oui === OUI.Dcbx && st === 2) {
    r.dcbx = dcbxRepr(b, p, q + l);
  } else if (oui === OUI.Dot1) {
    if ((st === 9 || st === 10) && l >= 25) {
      const tables = { priorities: nibbles(b, p + 1), bandwidth: Array.from(b.subarray(p + 5, p + 13)), tsa: Array.from(b.subarray(p + 13, p + 21)) };
      if (st === 9) r.ets = { willing: t >> 7, cbs: (t >> 6) & 1, maxTcs: t & 7, ...tables };
      else r.etsRecommendation = tables;
    } else if (st === 11 && l >= 6) r.pfc = { willing: t >> 7, mbc: (t >> 6) & 1, cap: t & 0x0f, enable: b[p + 1] ?? 0 };
    else if (st === 12 && l >= 5) {
      const a: Array<{ priority: number; selector: number; protocol: number }> = (r.appPriority ??= []);
      for (let k = p + 1; k + 3 <= q + l; k += 3) a.push({ priority: (b[k] ?? 0) >> 5, selector: (b[k] ?? 0) & 7, protocol: u16(b, k + 1) });
    }
  }
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
const OUI_NAMES: Readonly<Record<number, string>> = { 0x0080c2: 'Ethernet bridged', 0x00120f: 'IEEE 802.3 Private', 0x0012bb: 'ANSI/TIA', 0x001b21: 'DCBX', 0x00005e: 'IANA' };
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
const MED_CAPS: ReadonlyArray<readonly [number, string]> = [
  [0x01, 'LLDP-MED capabilities'], [0x02, 'network policy'], [0x04, 'location identification'], [0x08, 'extended power via MDI-PSE'],
  [0x10, 'extended power via MDI-PD'], [0x20, 'Inventory'],
];
const MED_DEVICES = ['', 'endpoint class 1', 'endpoint class 2', 'endpoint class 3', 'network connectivity'];
const MED_APPS = [
  '', 'voice', 'voice signaling', 'guest voice', 'guest voice signaling', 'softphone voice', 'video conferencing', 'streaming video', 'video signaling',
];
const POLICY_FLAGS: ReadonlyArray<readonly [number, string]> = [[0x80, 'Unknown'], [0x40, 'Tagged'], [0x20, 'reserved']];
const LOCATION_FORMATS = ['', 'coordinate-based LCI', 'civic address LCI', 'ECS ELIN'];
const ALTITUDE_TYPES = ['', 'meters', 'floors'];
const DATUMS = ['', 'World Geodesic System 1984', 'North American Datum 1983 (NAVD88)', 'North American Datum 1983 (MLLW)'];
const LCI_WHAT = ['location of DHCP server', 'location of the network element believed to be closest to the client', 'location of the client'];
const CA_TYPES = [
  '', 'national subdivisions (state,canton,region,province,prefecture)', 'county, parish, gun, district', 'city, township, shi',
  'city division, borough, city district, ward chou', 'neighborhood, block', 'street',
];
const POWER_SOURCES = ['', 'PSE - primary power source', 'local - backup power source', 'PSE+local - reserved'];
const POWER_PRIORITIES = ['', 'critical', 'high', 'low'];
const EVB_MODES = ['Not Supported', 'EVB Bridge', 'EVB Station', 'Reserved for future Standardization'];

/** tcpdump's LLDP text: the system name on one line, each TLV at -v, hex dumps at -vv. */
export function printLldp(c: Printer, v: LldpView, _i: number, _n: number): void {
  const len = wireFrom(c, v.offset);
  c.s += `LLDP, length ${len}`;
  const b = v.bytes;
  const base = v.offset;
  const verbose = c.opts.verbose > 0;
  // the TLVs run to the frame's end on the wire; a header or value past the capture cuts the text
  for (let o = 0, left = len; left >= 2; ) {
    if (o + 2 > v.length) {
      c.s += ' [|lldp]';
      return;
    }
    const t = v.tlvType(o);
    const l = v.tlvLength(o);
    left -= 2;
    if (verbose) c.s += `\n\t${TLV_NAMES[t] ?? 'Unknown'} TLV (${t}), length ${l}`;
    if (t === LldpTlv.End || l === 0) return;
    const q = base + o + 2;
    if (o + 2 + l > v.length || left < l) {
      c.s += ' [|lldp]';
      return;
    }
    if (!verbose) {
      // the system name is the one value printed without -v
      if (t === LldpTlv.SystemName) c.s += `: ${zText(b, q, q + l)}`;
    } else {
      const done = printTlv(c, v, t, q, l);
      if (done === CUT) {
        c.s += ' [|lldp]';
        return;
      }
      if (!done || c.opts.verbose > 1) c.s += hexDump(b, q, l, '\n\t  ');
    }
    o += 2 + l;
    left -= l;
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
      c.s += `: ${zText(b, q, q + l)}`;
      return true;
    case LldpTlv.SystemDescription:
      c.s += `\n\t  ${zText(b, q, q + l)}`;
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

/** tcpdump's nd_printzp: the text up to a NUL or the end. */
function zText(b: Uint8Array, start: number, end: number): string {
  let e = start;
  while (e < end && (b[e] ?? 0) !== 0) e++;
  return safeText(b, start, e);
}


function printOrg(c: Printer, v: LldpView, q: number, l: number): boolean | typeof CUT {
  const b = v.bytes;
  if (l < 3) return CUT;
  const oui = ((b[q] ?? 0) << 16) | ((b[q + 1] ?? 0) << 8) | (b[q + 2] ?? 0);
  c.s += `: OUI ${OUI_NAMES[oui] ?? 'Unknown'} (0x${oui.toString(16).padStart(6, '0')})`;
  switch (oui) {
    case OUI.Dot1:
      return l < 4 || printDot1(c, b, q, l);
    case OUI.Dot3:
      return l < 4 || printDot3(c, b, q, l);
    case OUI.Tia:
      return l < 4 || printMed(c, b, q, l);
    case OUI.Dcbx:
      return l < 4 || printDcbx(c, b, q, l);
    case OUI.Iana: {
      if (l < 8) return true;
      const st = b[q + 3] ?? 0;
      c.s += `\n\t  ${st === 1 ? 'MUD-URL' : 'unknown'} Subtype (${st})`;
      if (st !== 1) return false;
      c.s += `\n\t  MUD-URL=${safeText(b, q + 4, q + l)}`;
      return true;
    }
    default:
      return false;
  }
}

/** A subtype's header line: `name Subtype (n)`, and the subtype. */
function subtypeLine(c: Printer, names: Readonly<Record<number, string>>, st: number): number {
  c.s += `\n\t  ${names[st] ?? 'unknown'} Subtype (${st})`;
  return st;
}

/** Values left-aligned in `w` columns, separated by a space (`end`: one after the last too), as tcpdump's `%-3d` tables. */
function row(vals: ArrayLike<number>, w: number, end = ''): string {
  let s = '';
  for (let k = 0; k < vals.length; k++) s += `${k ? ' ' : ''}${String(vals[k]).padEnd(w)}`;
  return s + end;
}

/** The eight bits of a priority bitmap, bit 0 first. */
function bitRow(v: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < 8; k++) out.push((v >> k) & 1);
  return out;
}

/** The eight 4-bit priority-to-TC entries at `p`. */
function nibbles(b: Uint8Array, p: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < 4; k++) out.push((b[p + k] ?? 0) >> 4, (b[p + k] ?? 0) & 0x0f);
  return out;
}

/** The priority assignment, bandwidth and TSA tables of the ETS TLVs (802.1Q D.2.9), from `p`. */
function etsTables(c: Printer, b: Uint8Array, p: number): void {
  c.s += `\n\t    Priority Assignment Table\n\t     Priority : 0   1   2   3   4   5   6   7\n\t     Value    : ${row(nibbles(b, p), 3)}`;
  c.s += `\n\t    TC Bandwidth Table\n\t     TC%   : 0   1   2   3   4   5   6   7\n\t     Value : ${row(b.subarray(p + 4, p + 12), 3)}`;
  c.s += `\n\t    TSA Assignment Table\n\t     Traffic Class: 0   1   2   3   4   5   6   7\n\t     Value        : ${row(b.subarray(p + 12, p + 20), 3)}`;
}

/** A per-priority bit table under `title`. */
function priorityBits(title: string, v: number): string {
  return `\n\t    ${title}\n\t     Priority : 0  1  2  3  4  5  6  7\n\t     Value    : ${row(bitRow(v), 2, ' ')}`;
}

/** IEEE 802.1 subtypes (802.1Q annex D); `l` counts the OUI and subtype, as tcpdump's length checks do. */
function printDot1(c: Printer, b: Uint8Array, q: number, l: number): boolean {
  const st = subtypeLine(c, DOT1_SUBTYPES, b[q + 3] ?? 0);
  const p = q + 4;
  const t = b[p] ?? 0;
  switch (st) {
    case 1:
      if (l >= 6) c.s += `\n\t    port vlan id (PVID): ${u16(b, p)}`;
      return true;
    case 2:
      if (l >= 7) c.s += `\n\t    port and protocol vlan id (PPVID): ${u16(b, p + 1)}, flags [${flagNames(PPVID_FLAGS, t)}] (0x${t.toString(16).padStart(2, '0')})`;
      return true;
    case 3: {
      if (l < 6) return true;
      c.s += `\n\t    vlan id (VID): ${u16(b, p)}`;
      const nl = b[p + 2] ?? 0;
      if (l >= 7 && l >= 7 + nl) c.s += `\n\t    vlan name: ${zText(b, p + 3, p + 3 + nl)}`;
      return true;
    }
    case 4:
      if (l >= 5 && l >= 5 + t) c.s += `\n\t    protocol identity: ${zText(b, p + 1, p + 1 + t)}`;
      return true;
    case 7:
      if (l >= 9) c.s += `\n\t    aggregation status [${flagNames(SUPPORTED_ENABLED, t)}], aggregation port ID ${u32(b, p + 1)}`;
      return true;
    case 8:
      if (l >= 6) c.s += priorityBits('Pre-Priority CNPV Indicator', t) + priorityBits('Pre-Priority Ready Indicator', b[p + 1] ?? 0);
      return true;
    case 9:
      if (l < 25) return true;
      c.s += `\n\t    Willing:${t >> 7}, CBS:${(t >> 6) & 0x02}, RES:${(t >> 3) & 0x07}, Max TCs:${t & 0x07}`;
      etsTables(c, b, p + 1);
      return true;
    case 10:
      if (l < 25) return true;
      c.s += `\n\t    RES: ${t}`;
      etsTables(c, b, p + 1);
      return true;
    case 11:
      if (l < 6) return true;
      c.s += `\n\t    Willing: ${t >> 7}, MBC: ${(t >> 6) & 1}, RES: ${(t >> 4) & 3}, PFC cap:${t & 0x0f} ${priorityBits('PFC Enable', b[p + 1] ?? 0)}`;
      return true;
    case 12: {
      if (l < 5) return true;
      c.s += `\n\t    RES: ${t}`;
      const n = l - 5;
      if (n === 0 || n % 3 !== 0) return true;
      c.s += '\n\t    Application Priority Table';
      for (let k = p + 1; k < p + 1 + n; k += 3) {
        const e = b[k] ?? 0;
        c.s += `\n\t      Priority: ${e >> 5}, RES: ${(e >> 3) & 3}, Sel: ${e & 7}, Protocol ID: ${u16(b, k + 1)}`;
      }
      return true;
    }
    case 13: {
      if (l < 9) return true;
      const st2 = b[p + 1] ?? 0;
      const r = b[p + 2] ?? 0;
      const m = b[p + 3] ?? 0;
      const k = b[p + 4] ?? 0;
      c.s += `\n\t    EVB Bridge Status\n\t      RES: ${t >> 3}, BGID: ${(t >> 2) & 1}, RRCAP: ${(t >> 1) & 1}, RRCTR: ${t & 1}`;
      c.s += `\n\t    EVB Station Status\n\t      RES: ${st2 >> 4}, SGID: ${(st2 >> 3) & 1}, RRREQ: ${(st2 >> 2) & 1},RRSTAT: ${st2 & 3}`;
      c.s += `\n\t    R: ${r >> 5}, RTE: ${r & 0x1f}, EVB Mode: ${EVB_MODES[m >> 6]} [${m >> 6}]`;
      c.s += `\n\t    ROL: ${(m >> 5) & 1}, RWD: ${m & 0x1f}, RES: ${k >> 6}, ROL: ${(k >> 5) & 1}, RKA: ${k & 0x1f}`;
      return true;
    }
    case 14: {
      if (l < 8) return true;
      c.s += `\n\t    Role: ${t >> 7}, RES: ${(t >> 4) & 7}, Scomp: ${(t >> 3) & 1} ChnCap: ${u16(b, p + 2) & 0x0fff}`;
      const n = l - 8;
      if (n % 3 !== 0) return true;
      for (let k = p + 4; k < p + 4 + n; k += 3) {
        const e = ((b[k] ?? 0) << 16) | u16(b, k + 1);
        c.s += `\n\t    SCID: ${e >> 12}, SVID: ${e & 0xfff}`;
      }
      return true;
    }
    default:
      return false;
  }
}

/** IEEE 802.3 subtypes (802.3 clause 79). */
function printDot3(c: Printer, b: Uint8Array, q: number, l: number): boolean {
  const st = subtypeLine(c, DOT3_SUBTYPES, b[q + 3] ?? 0);
  const p = q + 4;
  switch (st) {
    case 1: {
      if (l < 9) return true;
      const an = b[p] ?? 0;
      const pmd = u16(b, p + 1);
      const mau = u16(b, p + 3);
      c.s += `\n\t    autonegotiation [${flagNames(SUPPORTED_ENABLED, an)}] (0x${an.toString(16).padStart(2, '0')})`;
      c.s += `\n\t    PMD autoneg capability [${flagNames(PMD_CAPS, pmd, 'unknown')}] (0x${hex4(pmd)})`;
      c.s += `\n\t    MAU type ${MAU_TYPES[mau] ?? 'unknown'} (0x${hex4(mau)})`;
      return true;
    }
    case 2: {
      if (l < 7) return true;
      const pair = b[p + 1] ?? 0;
      const cls = b[p + 2] ?? 0;
      c.s += `\n\t    MDI power support [${flagNames(MDI_POWER, b[p] ?? 0)}], power pair ${pair === 1 ? 'signal' : pair === 2 ? 'spare' : 'unknown'}, power class ${cls >= 1 && cls <= 5 ? `class${cls - 1}` : 'unknown'}`;
      return true;
    }
    case 3:
      if (l >= 9) c.s += `\n\t    aggregation status [${flagNames(SUPPORTED_ENABLED, b[p] ?? 0)}], aggregation port ID ${u32(b, p + 1)}`;
      return true;
    case 4:
      if (l >= 6) c.s += `\n\t    MTU size ${u16(b, p)}`;
      return true;
    default:
      return false;
  }
}

/** 34 bits of an LCI latitude or longitude (RFC 6225): the low two bits of `p`, then four bytes. */
function latLon(b: Uint8Array, p: number): number {
  return ((b[p] ?? 0) & 3) * 0x1_0000_0000 + u32(b, p + 1);
}

/** ANSI/TIA-1057 LLDP-MED subtypes. */
function printMed(c: Printer, b: Uint8Array, q: number, l: number): boolean {
  const st = subtypeLine(c, MED_SUBTYPES, b[q + 3] ?? 0);
  const p = q + 4;
  const t = b[p] ?? 0;
  switch (st) {
    case 1: {
      if (l < 7) return true;
      const caps = u16(b, p);
      const dev = b[p + 2] ?? 0;
      c.s += `\n\t    Media capabilities [${flagNames(MED_CAPS, caps)}] (0x${hex4(caps)})`;
      c.s += `\n\t    Device type [${MED_DEVICES[dev] || 'unknown'}] (0x${hex2(dev)})`;
      return true;
    }
    case 2:
      if (l < 8) return true;
      c.s += `\n\t    Application type [${MED_APPS[t] || 'none'}] (0x${hex2(t)}), Flags [${flagNames(POLICY_FLAGS, b[p + 1] ?? 0)}]`;
      c.s += `\n\t    Vlan id ${(u16(b, p + 1) & 0x1ffe) >> 1}, L2 priority ${(u16(b, p + 2) & 0x01ff) >> 6}, DSCP value ${u16(b, p + 2) & 0x3f}`;
      return true;
    case 3:
      if (l < 5) return true;
      c.s += `\n\t    Location data format ${LOCATION_FORMATS[t] || 'unknown'} (0x${hex2(t)})`;
      printLocation(c, b, p, l);
      return true;
    case 4: {
      if (l < 7) return true;
      const prio = t & 0x0f;
      const watts = u16(b, p + 1);
      // tcpdump tests `t & (0xC0 >> 6)`: the type is read from the two low bits
      c.s += `\n\t    Power type [${t & 3 ? 'PD device' : 'PSE device'}], Power source [${POWER_SOURCES[(t & 0x30) >> 4] || 'none'}]`;
      c.s += `\n\t    Power priority [${POWER_PRIORITIES[prio] || 'none'}] (0x${hex2(prio)}), Power ${watts < 1024 ? `${(Math.fround(watts) / 10).toFixed(1)} Watts` : `${watts} (Reserved)`}`;
      return true;
    }
    default: {
      const inv = MED_INVENTORY[st];
      if (inv === undefined) return false;
      c.s += `\n\t  ${inv} ${zText(b, p, q + l)}`;
      return true;
    }
  }
}

/** The body of a location identification TLV after its format byte at `p`; `l` is the TLV's length. */
function printLocation(c: Printer, b: Uint8Array, p: number, l: number): void {
  const fmt = b[p] ?? 0;
  if (fmt === 1) {
    if (l < 21) return;
    const at = b[p + 11] ?? 0;
    c.s += `\n\t    Latitude resolution ${(b[p + 1] ?? 0) >> 2}, latitude value ${latLon(b, p + 1)}`;
    c.s += `\n\t    Longitude resolution ${(b[p + 6] ?? 0) >> 2}, longitude value ${latLon(b, p + 6)}`;
    c.s += `\n\t    Altitude type ${ALTITUDE_TYPES[at >> 4] || 'unknown'} (${at >> 4})`;
    c.s += `\n\t    Altitude resolution ${(u16(b, p + 11) >> 6) & 0x3f}, altitude value 0x${(u32(b, p + 12) & 0x3fffffff).toString(16)}`;
    c.s += `\n\t    Datum ${DATUMS[b[p + 16] ?? 0] || 'unknown'} (0x${hex2(b[p + 16] ?? 0)})`;
  } else if (fmt === 2) {
    if (l < 6) return;
    let n = b[p + 1] ?? 0;
    if (n < 3 || l < 7 + n) return;
    const what = b[p + 2] ?? 0;
    c.s += `\n\t    LCI length ${n}, LCI what ${LCI_WHAT[what] ?? 'unknown'} (0x${hex2(what)}), Country-code ${zText(b, p + 3, p + 5)}`;
    n -= 3;
    for (let k = p + 5; n > 0; ) {
      if (n < 2) return;
      const ct = b[k] ?? 0;
      const cl = b[k + 1] ?? 0;
      k += 2;
      n -= 2;
      c.s += `\n\t      CA type '${CA_TYPES[ct] || 'unknown'}' (${ct}), length ${cl}: `;
      if (ct === 0 || cl === 0 || n < cl) return;
      c.s += zText(b, k, k + cl);
      k += cl;
      n -= cl;
    }
  } else if (fmt === 3) c.s += `\n\t    ECS ELIN id ${zText(b, p + 1, p + l - 4)}`;
  else c.s += `\n\t    Location ID ${hexDump(b, p + 1, l - 5, '\n\t      ')}`;
}

/** The pre-standard DCB exchange TLVs (DCBX 1.01) carried under OUI 00-1b-21: nested TLVs after the subtype. */
function printDcbx(c: Printer, b: Uint8Array, q: number, l: number): boolean {
  const st = b[q + 3] ?? 0;
  c.s += `\n\t  ${st === 1 ? 'DCB Capability Exchange Protocol Rev 1' : st === 2 ? 'DCB Capability Exchange Protocol Rev 1.01' : 'unknown'} Subtype (${st})`;
  if (st === 1) return false;
  let dump = false;
  for (let o = q + 4, left = l - 4; left >= 2; ) {
    const h = u16(b, o);
    const t = h >> LldpOffsets.typeShift;
    const n = h & LldpOffsets.lengthMask;
    dump = false;
    o += 2;
    left -= 2;
    if (t === 0 || n === 0 || left < n) break;
    const head = `\n\t      Oper_Version: ${b[o] ?? 0}\n\t      Max_Version: ${b[o + 1] ?? 0}`;
    const info = b[o + 2] ?? 0;
    const feature = `${head}\n\t      Info block(0x${hex2(info).toUpperCase()}): Enable bit: ${(info >> 7) & 1}, Willing bit: ${(info >> 6) & 1}, Error Bit: ${(info >> 5) & 1}\n\t      SubType: ${b[o + 3] ?? 0}`;
    if (t === 1) {
      if (n < 10) break;
      c.s += `\n\t    Control - Protocol Control (type 0x1, length ${n})${head}\n\t      Sequence Number: ${u32(b, o + 2)}\n\t      Acknowledgement Number: ${u32(b, o + 6)}`;
    } else if (t === 2) {
      if (n < 17) break;
      c.s += `\n\t    Feature - Priority Group (type 0x2, length ${n})${feature}\n\t      Priority Allocation`;
      const ids = nibbles(b, o + 4);
      for (let k = 0; k < 8; k++) c.s += `\n\t          PgId_${k}: ${ids[k]}`;
      c.s += '\n\t      Priority Group Allocation';
      for (let k = 0; k < 8; k++) c.s += `\n\t          Pg percentage[${k}]: ${b[o + 8 + k] ?? 0}`;
      c.s += `\n\t      NumTCsSupported: ${b[o + 16] ?? 0}`;
    } else if (t === 3) {
      if (n < 6) break;
      const cfg = b[o + 4] ?? 0;
      c.s += `\n\t    Feature - Priority Flow Control (type 0x3, length ${n})${feature}\n\t      PFC Config (0x${hex2(cfg).toUpperCase()})`;
      for (let k = 0; k < 8; k++) c.s += `\n\t          Priority Bit ${k}: ${(cfg >> k) & 1 ? 'Enabled' : 'Disabled'}`;
      c.s += `\n\t      NumTCPFCSupported: ${b[o + 5] ?? 0}`;
    } else if (t === 4) {
      if (n < 4) break;
      c.s += `\n\t    Feature - Application (type 0x4, length ${n})${feature}`;
      for (let k = o + 4, m = n - 4; m >= 6; k += 6, m -= 6) {
        const sf = (b[k + 2] ?? 0) >> 6;
        const oui = (((b[k + 2] ?? 0) & 0x3f) << 16) | u16(b, k + 3);
        c.s += `\n\t      Application Value\n\t          Application Protocol ID: 0x${hex4(u16(b, k))}\n\t          SF (0x${sf.toString(16)}) Application Protocol ID is ${sf ? 'Socket Number' : 'L2 EtherType'}`;
        c.s += `\n\t          OUI: 0x${oui.toString(16).padStart(6, '0')}\n\t          User Priority Map: 0x${hex2(b[k + 5] ?? 0)}`;
      }
    } else dump = true;
    if (c.opts.verbose > 1 || dump) c.s += hexDump(b, o, n, '\n\t    ');
    o += n;
    left -= n;
  }
  return !dump;
}
