/**
 * Cisco Discovery Protocol (LLC/SNAP, OUI 00000c, protocol id 0x2000, sent to 01:00:0c:cc:cc:cc): a
 * 4-byte header (version, hold time, checksum) and type/length/value records whose length counts their
 * own 4-byte header. No RFC: the record layout and the type numbers are Cisco's, as tcpdump and
 * Wireshark decode them.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { ipv4Text, ipv6Text } from './addr.js';
import { type Printer, hex8, hexDumpText, latin1, safeChar, safeText, longjmpCut } from './print.js';

/** Field offsets of the header and of a TLV header. */
export const CdpOffsets = { version: 0, ttl: 1, checksum: 2, headerLen: 4, tlvType: 0, tlvLength: 2, tlvHeaderLen: 4 } as const;

/** TLV type numbers. */
export const CdpTlv = {
  DEVICE_ID: 0x01, ADDRESS: 0x02, PORT_ID: 0x03, CAPABILITY: 0x04, VERSION: 0x05, PLATFORM: 0x06, PREFIXES: 0x07,
  PROTOCOL_HELLO: 0x08, VTP_DOMAIN: 0x09, NATIVE_VLAN: 0x0a, DUPLEX: 0x0b, ATA186_REPLY: 0x0e, ATA186_QUERY: 0x0f,
  POWER: 0x10, MTU: 0x11, TRUST_BITMAP: 0x12, UNTRUSTED_COS: 0x13, SYSTEM_NAME: 0x14, SYSTEM_OID: 0x15, MGMT_ADDRESS: 0x16,
  LOCATION: 0x17,
} as const;

/** Zero-copy view of a CDP message. */
export class CdpView extends ByteView {
  /**
   * Points at a CDP header; Truncated below its 4 bytes (the TLVs are walked by the printer and the Repr).
   * @example cdp.reset(bytes, 22, bytes.length - 22);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, CdpOffsets.headerLen);
  }
  /** Protocol version (1 or 2). */
  get version(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Hold time in seconds. */
  get ttl(): number {
    return this.bytes[this.offset + CdpOffsets.ttl] ?? 0;
  }
  /** Checksum as carried. */
  get checksum(): number {
    return u16(this.bytes, this.offset + CdpOffsets.checksum);
  }
}

/** One address record of an Address or Management Addresses TLV. */
export interface CdpAddress {
  /** Protocol type: 1 NLPID, 2 IEEE 802.2. */
  protocolType: number;
  /** Protocol bytes in hex (`cc` for IPv4, `aaaa03000000 86dd` for IPv6). */
  protocol: string;
  /** IPv4 or IPv6 text for those protocols, else the address bytes in hex. */
  address: string;
}

/** Parsed CDP message. */
export interface CdpRepr {
  version: number;
  ttl: number;
  checksum: number;
  deviceId?: string;
  addresses?: CdpAddress[];
  portId?: string;
  capabilities?: number;
  softwareVersion?: string;
  platform?: string;
  prefixes?: string[];
  vtpDomain?: string;
  nativeVlan?: number;
  duplex?: 'full' | 'half';
  power?: number;
  mtu?: number;
  systemName?: string;
  managementAddresses?: CdpAddress[];
  location?: string;
  tlvs: Array<{ type: number; length: number }>;
}

/** The address records of an Address TLV value at `o` (`n` bytes), as far as they are whole. */
function addressList(b: Uint8Array, o: number, n: number): CdpAddress[] {
  const out: CdpAddress[] = [];
  if (n < 4) return out;
  let count = u32(b, o);
  let p = o + 4;
  const end = o + n;
  while (count-- > 0 && p + 2 <= end) {
    const pt = b[p]!;
    const pl = b[p + 1]!;
    if (p + 2 + pl + 2 > end) break;
    const al = u16(b, p + 2 + pl);
    const a = p + 4 + pl;
    if (a + al > end) break;
    const proto = hexText(b, p + 2, pl);
    const address = pt === 1 && proto === 'cc' && al === 4 ? ipv4Text(b, a) : pt === 2 && proto === IPV6_SNAP && al === 16 ? ipv6Text(b, a) : hexText(b, a, al);
    out.push({ protocolType: pt, protocol: proto, address });
    p = a + al;
  }
  return out;
}

function hexText(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += (b[o + k] ?? 0).toString(16).padStart(2, '0');
  return s;
}

/** LLC/SNAP header with the IPv6 EtherType: the protocol of an IPv6 address record. */
const IPV6_SNAP = 'aaaa0300000086dd';

/** Builds the sink representation: the header, the value of each TLV it knows, and every TLV header (all within the captured bytes). */
export function cdpRepr(v: CdpView): CdpRepr {
  const r: CdpRepr = { version: v.version, ttl: v.ttl, checksum: v.checksum, tlvs: [] };
  if (v.status !== DecodeStatus.Ok) return r;
  const b = v.bytes;
  const end = v.offset + v.length;
  let p = v.offset + CdpOffsets.headerLen;
  while (p + 4 <= end) {
    const type = u16(b, p);
    const len = u16(b, p + 2);
    r.tlvs.push({ type, length: len });
    if (len < 4 || p + len > end) break;
    const o = p + 4;
    const n = len - 4;
    switch (type) {
      case CdpTlv.DEVICE_ID: r.deviceId = latin1(b, o, o + n); break;
      case CdpTlv.ADDRESS: r.addresses = addressList(b, o, n); break;
      case CdpTlv.PORT_ID: r.portId = latin1(b, o, o + n); break;
      case CdpTlv.CAPABILITY: if (n === 4) r.capabilities = u32(b, o); break;
      case CdpTlv.VERSION: r.softwareVersion = latin1(b, o, o + n); break;
      case CdpTlv.PLATFORM: r.platform = latin1(b, o, o + n); break;
      case CdpTlv.PREFIXES:
        if (n % 5 === 0) r.prefixes = Array.from({ length: n / 5 }, (_, k) => `${ipv4Text(b, o + 5 * k)}/${b[o + 5 * k + 4]!}`);
        break;
      case CdpTlv.VTP_DOMAIN: r.vtpDomain = latin1(b, o, o + n); break;
      case CdpTlv.NATIVE_VLAN: if (n === 2) r.nativeVlan = u16(b, o); break;
      case CdpTlv.DUPLEX: if (n === 1) r.duplex = b[o] ? 'full' : 'half'; break;
      case CdpTlv.POWER: if (n >= 1 && n <= 3) r.power = uintN(b, o, n); break;
      case CdpTlv.MTU: if (n === 4) r.mtu = u32(b, o); break;
      case CdpTlv.SYSTEM_NAME: r.systemName = latin1(b, o, o + n); break;
      case CdpTlv.MGMT_ADDRESS: if (n >= 4) r.managementAddresses = addressList(b, o, n); break;
      case CdpTlv.LOCATION: if (n > 1) r.location = latin1(b, o + 1, o + n); break;
    }
    p += len;
  }
  return r;
}

/** Big-endian unsigned value of `n` (1..4) bytes. */
function uintN(b: Uint8Array, o: number, n: number): number {
  let x = 0;
  for (let k = 0; k < n; k++) x = x * 256 + (b[o + k] ?? 0);
  return x;
}

// ---- text ----

/**
 * A TLV value printer: appends the text of `n` value bytes at `o` to `c.s` (captured bytes end at
 * `cap`); false when the capture ended first (the caller then writes the truncation marker).
 */
type ValuePrint = (c: Printer, b: Uint8Array, o: number, n: number, cap: number) => boolean;

/** tcpdump's nd_printn: the captured part of the text, false when it was cut. */
export function printText(c: Printer, b: Uint8Array, o: number, n: number, cap: number): boolean {
  const e = Math.min(o + n, cap);
  c.s += safeText(b, o, e);
  return e === o + n;
}

/** tcpdump's nd_printjnp: the text up to a NUL or `n` bytes, false when the capture ended first. */
export function printJnp(c: Printer, b: Uint8Array, o: number, n: number, cap: number): boolean {
  for (let k = o; k < o + n; k++) {
    if (k >= cap) return false;
    if (b[k] === 0) break;
    c.s += safeChar(b[k]!);
  }
  return true;
}

const quoted: ValuePrint = (c, b, o, n, cap) => {
  c.s += "'";
  if (!printText(c, b, o, n, cap)) return false;
  c.s += "'";
  return true;
};

/** The software version, each of its lines indented. */
const versionText: ValuePrint = (c, b, o, n, cap) => {
  c.s += '\n\t  ';
  for (let k = o; k < o + n; k++) {
    if (k >= cap) return false;
    const ch = b[k]!;
    c.s += ch === 0x0a ? '\n\t  ' : safeChar(ch);
  }
  return true;
};

const CAPABILITIES: ReadonlyArray<[number, string]> = [
  [0x01, 'Router'], [0x02, 'Transparent Bridge'], [0x04, 'Source Route Bridge'], [0x08, 'L2 Switch'], [0x10, 'L3 capable'],
  [0x20, 'IGMP snooping'], [0x40, 'L1 capable'],
];

const capability: ValuePrint = (c, b, o, _n, cap) => {
  if (o + 4 > cap) return false;
  const val = u32(b, o);
  const names = CAPABILITIES.filter(([bit]) => val & bit).map(([, name]) => name);
  c.s += `(0x${hex8(val)}): ${names.length ? names.join(', ') : 'none'}`;
  return true;
};

/** A fixed-size number printed by `fmt` (the TLV table guarantees `n` bytes are declared). */
function fixed(size: number, fmt: (val: number, n: number) => string): ValuePrint {
  return (c, b, o, n, cap) => {
    const want = size > 0 ? size : n;
    if (o + want > cap) return false;
    c.s += fmt(uintN(b, o, want), n);
    return true;
  };
}

/** Milliwatts as watts with two decimals, rounded as C's printf rounds the double (ties to even). */
function watts(mw: number): string {
  // mw / 1000 is an exact binary tie only for odd multiples of 125 (0.125, 0.375, ...)
  if (mw % 250 === 125) {
    let cents = (mw - 5) / 10;
    if (cents % 2 === 1) cents++;
    return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}W`;
  }
  return `${(mw / 1000).toFixed(2)}W`;
}

const ata186: ValuePrint = (c, b, o, n, cap) => {
  if (n === 2) {
    if (o + 2 > cap) return false;
    c.s += `unknown 0x${u16(b, o).toString(16).padStart(4, '0')}`;
    return true;
  }
  if (o + 3 > cap) return false;
  c.s += `app ${b[o]!}, vlan ${u16(b, o + 1)}`;
  return true;
};

const location: ValuePrint = (c, b, o, n, cap) => {
  if (o + 1 > cap) return false;
  c.s += `0x${(b[o]!).toString(16).padStart(2, '0')}`;
  if (n <= 1) return true;
  c.s += '/';
  return printText(c, b, o + 1, n - 1, cap);
};

const prefixes: ValuePrint = (c, b, o, n, cap) => {
  if (n % 5 !== 0) {
    c.s += ` [length ${n} is not a multiple of 5]`;
    return o + n <= cap;
  }
  c.s += ` IPv4 Prefixes (${n / 5}):`;
  for (let p = o; p < o + n; p += 5) {
    if (p + 5 > cap) return false;
    c.s += ` ${ipv4Text(b, p)}/${b[p + 4]!}`;
  }
  return true;
};

/** The address records; a record that does not fit is named and the rest of the TLV skipped. */
const addresses: ValuePrint = (c, b, o, n, cap) => {
  let p = o;
  let l = n;
  // a short record list ends this TLV, not the message; only a capture cut stops the walk
  const bad = (why: string): boolean => {
    c.s += ` (not enough space for ${why})`;
    return p + l <= cap;
  };
  if (l < 4) return bad('num');
  if (p + 4 > cap) return false;
  let num = u32(b, p);
  p += 4;
  l -= 4;
  while (num > 0) {
    if (l < 2) return bad('PT+PL');
    if (p + 2 > cap) return false;
    const pt = b[p]!;
    const pl = b[p + 1]!;
    p += 2;
    l -= 2;
    if (l < pl + 2) return bad('P+AL');
    if (p + pl + 2 > cap) return false;
    const al = u16(b, p + pl);
    if (pt === 1 && pl === 1 && b[p] === 0xcc && al === 4) {
      p += pl + 2;
      l -= pl + 2;
      if (l < al) return bad('A');
      if (p + 4 > cap) return false;
      c.s += `IPv4 (${num}) ${ipv4Text(b, p)}`;
    } else if (pt === 2 && pl === 8 && hexText(b, p, 8) === IPV6_SNAP && al === 16) {
      p += pl + 2;
      l -= pl + 2;
      if (l < al) return bad('A');
      if (p + 16 > cap) return false;
      c.s += `IPv6 (${num}) ${ipv6Text(b, p)}`;
    } else {
      c.s += `pt=0x${pt.toString(16).padStart(2, '0')}, pl=${pl}, pb=`;
      for (let k = 0; k < pl; k++) c.s += ` ${hexText(b, p + k, 1)}`;
      p += pl + 2;
      l -= pl + 2;
      c.s += `, al=${al}, a=`;
      if (l < al) return bad('A');
      for (let k = 0; k < al; k++) {
        if (p + k >= cap) return false;
        c.s += ` ${hexText(b, p + k, 1)}`;
      }
    }
    p += al;
    l -= al;
    num--;
    if (num) c.s += ' ';
  }
  if (l) c.s += ` (${l} bytes of stray data)`;
  return true;
};

/** A value tcpdump names but does not print: only its presence in the capture is checked. */
const silent: ValuePrint = (_c, _b, o, n, cap) => o + n <= cap;

/** tcpdump's table of the types it knows: name, value printer, smallest and largest value length (-1: any). */
const TLV_INFO: ReadonlyArray<readonly [string, ValuePrint, number, number] | undefined> = [
  undefined,
  ['Device-ID', quoted, -1, -1],
  ['Address', addresses, -1, -1],
  ['Port-ID', quoted, -1, -1],
  ['Capability', capability, 4, 4],
  ['Version String', versionText, -1, -1],
  ['Platform', quoted, -1, -1],
  ['Prefixes', prefixes, -1, -1],
  ['Protocol-Hello option', silent, -1, -1],
  ['VTP Management Domain', quoted, -1, -1],
  ['Native VLAN ID', fixed(2, (x) => String(x)), 2, 2],
  ['Duplex', fixed(1, (x) => (x ? 'full' : 'half')), 1, 1],
  undefined,
  undefined,
  ['ATA-186 VoIP VLAN assignment', ata186, 3, 3],
  ['ATA-186 VoIP VLAN request', ata186, 2, 3],
  ['power consumption', fixed(0, watts), 1, 3],
  ['MTU', fixed(4, (x) => `${x} bytes`), 4, 4],
  ['AVVID trust bitmap', fixed(1, (x) => `0x${x.toString(16).padStart(2, '0')}`), 1, 1],
  ['AVVID untrusted ports CoS', fixed(1, (x) => `0x${x.toString(16).padStart(2, '0')}`), 1, 1],
  ['System Name', quoted, -1, -1],
  ['System Object ID (not decoded)', silent, -1, -1],
  ['Management Addresses', addresses, 4, -1],
  ['Physical Location', location, 1, -1],
];
/** Highest type in the table: types up to it without an entry are known but unnamed (no hex dump at -v). */
const TLV_MAX = TLV_INFO.length - 1;

const plural = (n: number): string => (n === 1 ? '' : 's');
const typeHex = (t: number): string => t.toString(16).padStart(2, '0');

/**
 * tcpdump's CDP text (`len`: the message length from the 802.3 header): version and hold time with the
 * device id and length; at -v the checksum and one line per TLV. Values tcpdump does not print show as
 * a hex dump; a cut capture ends in ` [|cdp]`, a bad length in ` (invalid)`.
 */
export function printCdp(c: Printer, v: CdpView, _i: number, len: number): void {
  const b = v.bytes;
  const cap = v.offset + v.length;
  const vb = c.opts.verbose > 0;
  const trunc = (): void => longjmpCut(c, 'cdp');
  // after a bad length tcpdump still checks the rest was captured
  const invalid = (p: number, n: number): void => {
    c.s += ' (invalid)';
    if (p + n > cap) trunc();
  };
  let p = v.offset;
  if (len < CdpOffsets.headerLen) {
    c.s += ` (packet length ${len} < ${CdpOffsets.headerLen})`;
    invalid(p, len);
    return;
  }
  if (p + 2 > cap) return trunc();
  c.s += `CDPv${v.version}, ttl: ${v.ttl}s`;
  if (p + 4 > cap) return trunc();
  if (vb) c.s += `, checksum: 0x${v.checksum.toString(16).padStart(4, '0')} (unverified), length ${len}`;
  p += 4;
  let left = len - 4;
  while (left > 0) {
    if (left < 4) {
      c.s += ` (remaining packet length ${left} < 4)`;
      return invalid(p, left);
    }
    if (p + 4 > cap) return trunc();
    const type = u16(b, p);
    let n = u16(b, p + 2);
    const info = type <= TLV_MAX ? TLV_INFO[type] : undefined;
    const name = info ? info[0] : 'unknown field type';
    if (n < 4) {
      c.s += vb ? `\n\t${name} (0x${typeHex(type)}), TLV length: ${n} byte${plural(n)} (too short)` : `, ${name} TLV length ${n} too short`;
      return invalid(p, left);
    }
    if (n > left) {
      c.s += ` (TLV length ${n} > ${left})`;
      return invalid(p, left);
    }
    p += 4;
    left -= 4;
    n -= 4;
    if (!vb && type === CdpTlv.DEVICE_ID) c.s += ', Device-ID ';
    else if (vb) c.s += `\n\t${name} (0x${typeHex(type)}), value length: ${n} byte${plural(n)}: `;
    let covered = false;
    if (type <= TLV_MAX) {
      if (info && ((info[2] > 0 && n < info[2]) || (info[3] > 0 && n > info[3]))) c.s += ' (malformed TLV)';
      else if (vb || type === CdpTlv.DEVICE_ID) {
        if (!(info ? info[1] : silent)(c, b, p, n, cap)) return trunc();
        covered = true;
      }
    }
    if (!covered) {
      if (p + n > cap) return trunc();
      c.s += hexDumpText(b, p, n, '\n\t  ');
    }
    p += n;
    left -= n;
  }
  if (!vb) c.s += `, length ${len}`;
}
