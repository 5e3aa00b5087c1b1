/**
 * Cisco VLAN Trunking Protocol (LLC/SNAP, OUI 00000c, protocol id 0x2003): a 36-byte header (version,
 * message code, followers or sequence number, domain name length, 32-byte domain name), then per code:
 * a summary advertisement (configuration revision, updater, timestamp, MD5 digest), a subset
 * advertisement (revision and VLAN information records with their TLVs) or an advertisement request
 * (start value). Cisco's; the layout as tcpdump and Wireshark decode it.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { ipv4Text } from './addr.js';
import { type Printer, hex8, hexDumpText, latin1, longjmpCut } from './print.js';
import { printJnp } from './cdp.js';

/** Field offsets of the header and of the message bodies after it. */
export const VtpOffsets = { version: 0, code: 1, followers: 2, domainLen: 3, domain: 4, headerLen: 36, revision: 36, updater: 40, timestamp: 44, md5: 56, vlans: 40, startValue: 36 } as const;

/** Message codes. */
export const VtpCode = { SUMMARY: 1, SUBSET: 2, REQUEST: 3, JOIN: 4 } as const;

/** Length of a VLAN information record before its name. */
const VLAN_FIXED = 12;

/** Zero-copy view of a VTP message. */
export class VtpView extends ByteView {
  /**
   * Points at a VTP message; Truncated below its 36-byte header.
   * @example vtp.reset(bytes, 22, bytes.length - 22);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, VtpOffsets.headerLen);
  }
  /** Byte field at field offset `f` (version, code, followers, domainLen). */
  field(f: number): number {
    return this.bytes[this.offset + f] ?? 0;
  }
  /** Management domain name (up to its length and the first NUL). */
  get domain(): string {
    const o = this.offset + VtpOffsets.domain;
    const n = Math.min(this.field(VtpOffsets.domainLen), 32);
    let e = o;
    while (e < o + n && this.bytes[e] !== 0) e++;
    return latin1(this.bytes, o, e);
  }
}

/** One VLAN information record of a subset advertisement. */
export interface VtpVlanRepr {
  status: number;
  type: number;
  id: number;
  mtu: number;
  said: number;
  name: string;
}

/** Parsed VTP message. */
export interface VtpRepr {
  version: number;
  code: number;
  /** Followers (summary) or sequence number (subset): the header's third byte. */
  followers: number;
  domain: string;
  revision?: number;
  updater?: string;
  startValue?: number;
  vlans?: VtpVlanRepr[];
}

/** Builds the sink representation (the body's fields when captured). */
export function vtpRepr(v: VtpView): VtpRepr {
  const O = VtpOffsets;
  const r: VtpRepr = { version: v.field(O.version), code: v.field(O.code), followers: v.field(O.followers), domain: '' };
  if (v.status !== DecodeStatus.Ok) return r;
  r.domain = v.domain;
  const b = v.bytes;
  const o = v.offset;
  const n = v.length;
  const code = r.code;
  if (code === VtpCode.SUMMARY && n >= O.updater + 4) {
    r.revision = u32(b, o + O.revision);
    r.updater = ipv4Text(b, o + O.updater);
  } else if (code === VtpCode.SUBSET && n >= O.vlans) {
    r.revision = u32(b, o + O.revision);
    r.vlans = [];
    let p = O.vlans;
    while (p + VLAN_FIXED <= n) {
      const len = b[o + p]!;
      if (len < VLAN_FIXED || p + len > n) break;
      const q = o + p;
      const nameLen = b[q + 3]!;
      let e = q + VLAN_FIXED;
      while (e < Math.min(q + VLAN_FIXED + nameLen, q + len) && b[e] !== 0) e++;
      r.vlans.push({ status: b[q + 1]!, type: b[q + 2]!, id: u16(b, q + 4), mtu: u16(b, q + 6), said: u32(b, q + 8), name: latin1(b, q + VLAN_FIXED, e) });
      p += len;
    }
  } else if (code === VtpCode.REQUEST && n >= O.startValue + 4) r.startValue = u32(b, o + O.startValue);
  return r;
}

const CODES = ['', 'Summary advertisement', 'Subset advertisement', 'Advertisement request', 'Join message'];
const HEADER_BYTE = ['', 'Followers', 'Seq number', 'Rsvd', 'Rsvd'];
const VLAN_TYPES = ['', 'Ethernet', 'FDDI', 'TrCRF', 'FDDI-net', 'TrBRF'];
const VLAN_STATUS = ['Operational', 'Suspended'];
const VLAN_TLVS = [
  '', 'Source-Routing Ring Number TLV', 'Source-Routing Bridge Number TLV', 'STP type TLV', 'Parent VLAN TLV', 'Translationally bridged VLANs TLV',
  'Pruning TLV', 'Bridge Type TLV', 'Max ARP Hop Count TLV', 'Max STE Hop Count TLV', 'Backup CRF Mode TLV',
];
const STP_TYPES = ['', 'SRT', 'SRB', 'Auto'];

/** The value text of a VLAN TLV (one 16-bit word), or undefined for those shown as a hex dump. */
function vlanTlvValue(type: number, x: number): string | undefined {
  switch (type) {
    case 9: return `, ${x}`;
    case 6: return `, ${x === 1 ? 'Enabled' : 'Disabled'} (${x})`;
    case 3: return `, ${STP_TYPES[x] ?? 'Unknown'} (${x})`;
    case 7: return `, ${x === 1 ? 'SRB' : 'SRT'} (${x})`;
    case 10: return `, ${x === 1 ? 'Backup' : 'Not backup'} (${x})`;
    default: return undefined;
  }
}

/** tcpdump's VTP text (`len`: the message length from the 802.3 header); the header's and body's fields at -v. */
export function printVtp(c: Printer, v: VtpView, _i: number, len: number): void {
  const O = VtpOffsets;
  const b = v.bytes;
  const o = v.offset;
  const has = (n: number): boolean => n <= v.length;
  const trunc = (): void => longjmpCut(c, 'vtp');
  // after a bad field tcpdump checks the whole message was captured
  const invalid = (): void => {
    c.s += ' (invalid)';
    if (!has(len)) trunc();
  };
  if (len < O.headerLen) return invalid();
  if (!has(O.headerLen)) return trunc();
  const code = v.field(O.code);
  c.s += `VTPv${v.field(O.version)}, Message ${CODES[code] || 'Unknown message type'} (0x${code.toString(16).padStart(2, '0')}), length ${len}`;
  if (c.opts.verbose === 0) {
    if (!has(len)) trunc();
    return;
  }
  c.s += '\n\tDomain name: ';
  const dl = v.field(O.domainLen);
  if (dl < 1 || dl > 32) {
    c.s += ` [invalid MgmtD Len ${dl}]`;
    return invalid();
  }
  printJnp(c, b, o + O.domain, dl, o + v.length);
  c.s += `, ${HEADER_BYTE[code] || 'Unknown'}: ${v.field(O.followers)}`;
  if (code === VtpCode.SUMMARY) {
    if (!has(O.updater + 4)) return trunc();
    c.s += `\n\t  Config Rev ${u32(b, o + O.revision).toString(16)}, Updater ${ipv4Text(b, o + O.updater)}`;
    if (!has(O.timestamp + 12)) return trunc();
    c.s += `, Timestamp 0x${hex8(u32(b, o + O.timestamp))} 0x${hex8(u32(b, o + O.timestamp + 4))} 0x${hex8(u32(b, o + O.timestamp + 8))}`;
    if (!has(O.md5 + 16)) return trunc();
    c.s += `, MD5 digest: ${hex8(u32(b, o + O.md5))}${hex8(u32(b, o + O.md5 + 4))}${hex8(u32(b, o + O.md5 + 8))}${hex8(u32(b, o + O.md5 + 12))}`;
  } else if (code === VtpCode.SUBSET) {
    if (!has(O.revision + 4)) return trunc();
    c.s += `, Config Rev ${u32(b, o + O.revision).toString(16)}`;
    let p = O.vlans;
    while (p < len) {
      if (!has(p + 1)) return trunc();
      let n = b[o + p]!;
      if (n === 0) break;
      if (!has(p + n)) return trunc();
      if (n < VLAN_FIXED) return invalid();
      const q = o + p;
      c.s += `\n\tVLAN info status ${VLAN_STATUS[b[q + 1]!] ?? 'Unknown'}, type ${VLAN_TYPES[b[q + 2]!] || 'Unknown'}, VLAN-id ${u16(b, q + 4)}, MTU ${u16(b, q + 6)}, SAID 0x${hex8(u32(b, q + 8))}, Name `;
      n -= VLAN_FIXED;
      p += VLAN_FIXED;
      const nameLen = b[q + 3]!;
      const padded = 4 * Math.floor((nameLen + 3) / 4);
      if (n < padded) return invalid();
      if (!printJnp(c, b, o + p, nameLen, o + v.length)) return trunc();
      n -= padded;
      p += padded;
      while (n > 0) {
        if (n < 2) return invalid();
        if (!has(p + 2)) return trunc();
        const type = b[o + p]!;
        const tl = b[o + p + 1]!;
        c.s += `\n\t\t${VLAN_TLVS[type] || 'Unknown'} (0x${type.toString(16).padStart(4, '0')}) TLV`;
        if (n < tl * 2 + 2) {
          c.s += ' (TLV goes past the end of the packet)';
          return invalid();
        }
        if (!has(p + tl * 2 + 2)) return trunc();
        if (tl !== 1) {
          c.s += ` (invalid TLV length ${tl} != 1)`;
          return invalid();
        }
        c.s += vlanTlvValue(type, u16(b, o + p + 2)) ?? hexDumpText(b, o + p, 4, '\n\t\t  ');
        n -= 4;
        p += 4;
      }
    }
  } else if (code === VtpCode.REQUEST) {
    if (!has(O.startValue + 4)) return trunc();
    c.s += `\n\tStart value: ${u32(b, o + O.startValue)}`;
  }
}
