/** RADIUS (RFC 2865 authentication, RFC 2866 accounting, RFC 5176 dynamic authorization). */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { hex2, ipv4Text, ipv6Text } from './addr.js';
import { printEap } from './eapol.js';
import { SMI_NAMES, ntpTimeText } from './lspping.js';
import { type Printer, flagNames, hexAsciiDump, hexBytes, hexDumpText, pad2, safeText } from './print.js';

/** Field offsets of the 20-byte header; attributes follow. */
export const RadiusOffsets = { code: 0, id: 1, length: 2, authenticator: 4, authLen: 16, headerLen: 20 } as const;

/** Packet type names as tcpdump prints them. */
const CODE_NAMES: Readonly<Record<number, string>> = {
  1: 'Access-Request', 2: 'Access-Accept', 3: 'Access-Reject', 4: 'Accounting-Request', 5: 'Accounting-Response', 11: 'Access-Challenge',
  12: 'Status-Server', 13: 'Status-Client', 40: 'Disconnect-Request', 41: 'Disconnect-ACK', 42: 'Disconnect-NAK', 43: 'CoA-Request',
  44: 'CoA-ACK', 45: 'CoA-NAK',
};

/** Attribute names for types 1 to 129, as tcpdump prints them (IANA's RADIUS attribute registry). */
const ATTR_NAMES: readonly string[] = [
  '',
  'User-Name', 'User-Password', 'CHAP-Password', 'NAS-IP-Address', 'NAS-Port', 'Service-Type', 'Framed-Protocol',
  'Framed-IP-Address', 'Framed-IP-Netmask', 'Framed-Routing', 'Filter-Id', 'Framed-MTU', 'Framed-Compression',
  'Login-IP-Host', 'Login-Service', 'Login-TCP-Port', 'Unassigned', 'Reply-Message', 'Callback-Number', 'Callback-Id',
  'Unassigned', 'Framed-Route', 'Framed-IPX-Network', 'State', 'Class', 'Vendor-Specific', 'Session-Timeout',
  'Idle-Timeout', 'Termination-Action', 'Called-Station-Id', 'Calling-Station-Id', 'NAS-Identifier', 'Proxy-State',
  'Login-LAT-Service', 'Login-LAT-Node', 'Login-LAT-Group', 'Framed-AppleTalk-Link', 'Framed-AppleTalk-Network',
  'Framed-AppleTalk-Zone', 'Acct-Status-Type', 'Acct-Delay-Time', 'Acct-Input-Octets', 'Acct-Output-Octets',
  'Acct-Session-Id', 'Acct-Authentic', 'Acct-Session-Time', 'Acct-Input-Packets', 'Acct-Output-Packets',
  'Acct-Terminate-Cause', 'Acct-Multi-Session-Id', 'Acct-Link-Count', 'Acct-Input-Gigawords', 'Acct-Output-Gigawords',
  'Unassigned', 'Event-Timestamp', 'Egress-VLANID', 'Ingress-Filters', 'Egress-VLAN-Name', 'User-Priority-Table',
  'CHAP-Challenge', 'NAS-Port-Type', 'Port-Limit', 'Login-LAT-Port', 'Tunnel-Type', 'Tunnel-Medium-Type',
  'Tunnel-Client-Endpoint', 'Tunnel-Server-Endpoint', 'Acct-Tunnel-Connection', 'Tunnel-Password', 'ARAP-Password',
  'ARAP-Features', 'ARAP-Zone-Access', 'ARAP-Security', 'ARAP-Security-Data', 'Password-Retry', 'Prompt',
  'Connect-Info', 'Configuration-Token', 'EAP-Message', 'Message-Authenticator', 'Tunnel-Private-Group-ID',
  'Tunnel-Assignment-ID', 'Tunnel-Preference', 'ARAP-Challenge-Response', 'Acct-Interim-Interval',
  'Acct-Tunnel-Packets-Lost', 'NAS-Port-Id', 'Framed-Pool', 'CUI', 'Tunnel-Client-Auth-ID', 'Tunnel-Server-Auth-ID',
  'NAS-Filter-Rule', 'Unassigned', 'Originating-Line-Info', 'NAS-IPv6-Address', 'Framed-Interface-ID',
  'Framed-IPv6-Prefix', 'Login-IPv6-Host', 'Framed-IPv6-Route', 'Framed-IPv6-Pool', 'Error-Cause', 'EAP-Key-Name',
  'Digest-Response', 'Digest-Realm', 'Digest-Nonce', 'Digest-Response-Auth', 'Digest-Nextnonce', 'Digest-Method',
  'Digest-URI', 'Digest-Qop', 'Digest-Algorithm', 'Digest-Entity-Body-Hash', 'Digest-CNonce', 'Digest-Nonce-Count',
  'Digest-Username', 'Digest-Opaque', 'Digest-Auth-Param', 'Digest-AKA-Auts', 'Digest-Domain', 'Digest-Stale',
  'Digest-HA1', 'SIP-AOR', 'Delegated-IPv6-Prefix', 'MIP6-Feature-Vector', 'MIP6-Home-Link-Prefix', 'Operator-Name',
  'Location-Information', 'Location-Data', 'Basic-Location-Policy-Rules',
];

/**
 * How tcpdump shows each attribute's value, per type (index 1 to 129): s string (up to a NUL), n
 * nothing, i integer, a IPv4 address, A IPv4 address with its two special values, 6 IPv6 address, t
 * duration, d date, e named integer, g tagged named integer, S tagged string, T tagged integer, P
 * tunnel password, V vendor-specific, E EAP message, N/L egress VLAN id/name, X IPX network, k/K
 * AppleTalk link/network, m IPv6 prefix, v MIP6 feature vector, h MIP6 home link prefix, o operator
 * name, l/D location information/data, B location policy rules, w/f/c ARAP password/features/
 * challenge response, C error cause.
 */
const ATTR_KINDS = ' snnaieeAaesieAeinsssnsXssVttessssssskKsetiisetiiesiiindNeLnseisggSSsPwfessiessEsSSTctisssSSsnn6nm6ssCnssssssssssssssssssssmvholDB';

/** Names of the values of the enumerated attributes (RFC 2865 section 5, RFC 2866 section 5, RFC 2868). */
const ENUMS: Readonly<Record<number, readonly string[]>> = {
  6: ['', 'Login', 'Framed', 'Callback Login', 'Callback Framed', 'Outbound', 'Administrative', 'NAS Prompt', 'Authenticate Only',
    'Callback NAS Prompt', 'Call Check', 'Callback Administrative', 'Voice', 'Fax', 'Modem Relay', 'IAPP-Register', 'IAPP-AP-Check',
    'Authorize Only', 'Framed-Management', 'Additional-Authorization'],
  7: ['', 'PPP', 'SLIP', 'ARAP', 'Gandalf proprietary', 'Xylogics IPX/SLIP', 'X.75 Synchronous', 'GPRS PDP Context'],
  10: ['None', 'Send', 'Listen', 'Send&Listen'],
  13: ['None', 'VJ TCP/IP', 'IPX', 'Stac-LZS'],
  15: ['Telnet', 'Rlogin', 'TCP Clear', 'PortMaster(proprietary)', 'LAT', 'X.25-PAD', 'X.25-T3POS', 'Unassigned', 'TCP Clear Quiet'],
  29: ['Default', 'RADIUS-Request'],
  40: ['', 'Start', 'Stop', 'Interim-Update', 'Unassigned', 'Unassigned', 'Unassigned', 'Accounting-On', 'Accounting-Off', 'Tunnel-Start',
    'Tunnel-Stop', 'Tunnel-Reject', 'Tunnel-Link-Start', 'Tunnel-Link-Stop', 'Tunnel-Link-Reject', 'Failed'],
  45: ['', 'RADIUS', 'Local', 'Remote', 'Diameter'],
  49: ['', 'User Request', 'Lost Carrier', 'Lost Service', 'Idle Timeout', 'Session Timeout', 'Admin Reset', 'Admin Reboot', 'Port Error',
    'NAS Error', 'NAS Request', 'NAS Reboot', 'Port Unneeded', 'Port Preempted', 'Port Suspended', 'Service Unavailable', 'Callback',
    'User Error', 'Host Request', 'Supplicant Restart', 'Reauthentication Failure', 'Port Reinitialized', 'Port Administratively Disabled',
    'Lost Power'],
  61: ['Async', 'Sync', 'ISDN Sync', 'ISDN Async V.120', 'ISDN Async V.110', 'Virtual', 'PIAFS', 'HDLC Clear Channel', 'X.25', 'X.75',
    'G.3 Fax', 'SDSL', 'ADSL-CAP', 'ADSL-DMT', 'ISDN-DSL', 'Ethernet', 'xDSL', 'Cable', 'Wireless - Other', 'Wireless - IEEE 802.11',
    'Token-Ring', 'FDDI', 'Wireless - CDMA200', 'Wireless - UMTS', 'Wireless - 1X-EV', 'IAPP', 'FTTP', 'Wireless - IEEE 802.16',
    'Wireless - IEEE 802.20', 'Wireless - IEEE 802.22', 'PPPoA', 'PPPoEoA', 'PPPoEoE', 'PPPoEoVLAN', 'PPPoEoQinQ', 'xPON', 'Wireless - XGP',
    'WiMAX Pre-Release 8 IWK Function', 'WIMAX-WIFI-IWK', 'WIMAX-SFF', 'WIMAX-HA-LMA', 'WIMAX-DHCP', 'WIMAX-LBS', 'WIMAX-WVS'],
  64: ['', 'PPTP', 'L2F', 'L2TP', 'ATMP', 'VTP', 'AH', 'IP-IP', 'MIN-IP-IP', 'ESP', 'GRE', 'DVS', 'IP-in-IP Tunneling', 'VLAN'],
  65: ['', 'IPv4', 'IPv6', 'NSAP', 'HDLC', 'BBN 1822', '802', 'E.163', 'E.164', 'F.69', 'X.121', 'IPX', 'Appletalk', 'Decnet IV',
    'Banyan Vines', 'E.164 with NSAP subaddress'],
  57: ['', 'Enabled', 'Disabled'],
  72: ['', 'Only access to dfl zone', 'Use zone filter inc.', 'Not used', 'Use zone filter exc.'],
  76: ['No Echo', 'Echo'],
};

/** Zero-copy view of a RADIUS packet. */
export class RadiusView extends ByteView {
  /**
   * Points at a RADIUS packet; Truncated below the 20-byte header.
   * @example r.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < RadiusOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Packet type. */
  get code(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Identifier. */
  get id(): number {
    return this.bytes[this.offset + RadiusOffsets.id] ?? 0;
  }
  /** Length field (header and attributes). */
  get len(): number {
    return u16(this.bytes, this.offset + RadiusOffsets.length);
  }
}

/** One attribute as carried. */
export interface RadiusAttrRepr {
  type: number;
  len: number;
  /** Vendor-Specific (26): the vendor's SMI enterprise number. */
  vendor?: number;
}

/** Parsed RADIUS packet. */
export interface RadiusRepr {
  code: number;
  id: number;
  len: number;
  authenticator: string;
  attributes: RadiusAttrRepr[];
}

/** Builds the sink representation: header fields and the attributes captured whole. */
export function radiusRepr(v: RadiusView): RadiusRepr {
  const b = v.bytes;
  const ok = v.status === DecodeStatus.Ok;
  const r: RadiusRepr = { code: v.code, id: v.id, len: ok ? v.len : 0, authenticator: ok ? hexBytes(b, v.offset + 4, 16) : '', attributes: [] };
  if (!ok) return r;
  const end = Math.min(v.offset + v.length, v.offset + v.len);
  for (let p = v.offset + RadiusOffsets.headerLen; p + 2 <= end; ) {
    const len = b[p + 1] ?? 0;
    if (len < 2 || p + len > end) break;
    const a: RadiusAttrRepr = { type: b[p] ?? 0, len };
    if (a.type === 26 && len >= 6) a.vendor = u32(b, p + 2);
    r.attributes.push(a);
    p += len;
  }
  return r;
}

/** tcpdump's RADIUS text: type, id and length; at -v the authenticator and each attribute (-vv: with a hex dump). */
export function printRadius(c: Printer, v: RadiusView, _i: number, length: number): void {
  if (length < RadiusOffsets.headerLen || v.status !== DecodeStatus.Ok || v.len < RadiusOffsets.headerLen) {
    c.s += ' [|radius]';
    return;
  }
  const b = v.bytes;
  const len = Math.min(v.len, length);
  const code = v.code;
  const name = CODE_NAMES[code] ?? 'Unknown Command';
  if (c.opts.verbose === 0) {
    c.s += `RADIUS, ${name} (${code}), id: 0x${hex2(v.id)} length: ${len}`;
    return;
  }
  c.s += `RADIUS, length: ${len}\n\t${name} (${code}), id: 0x${hex2(v.id)}, Authenticator: ${hexBytes(b, v.offset + 4, 16)}`;
  let p = v.offset + RadiusOffsets.headerLen;
  let left = len - RadiusOffsets.headerLen;
  const cap = v.offset + v.length;
  while (left > 0) {
    if (left < 2 || p + 2 > cap) {
      c.s += ' [|radius]';
      return;
    }
    const type = b[p] ?? 0;
    const n = b[p + 1] ?? 0;
    c.s += `\n\t  ${(type !== 0 ? ATTR_NAMES[type] : undefined) ?? 'Unknown'} Attribute (${type}), length: ${n}`;
    if (n < 2) {
      c.s += ' (bogus, must be >= 2)';
      return;
    }
    if (n > left) {
      c.s += ' (bogus, goes past end of packet)';
      return;
    }
    if (p + n > cap) {
      c.s += ', Value:  [|radius]';
      return;
    }
    c.s += ', Value: ';
    if (n > 2) printValue(c, b, type, p + 2, n - 2, cap);
    if (c.opts.verbose > 1) c.s += hexDumpText(b, p + 2, n - 2, '\n\t    ');
    p += n;
    left -= n;
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Printable ASCII as is, other bytes as '.', up to a NUL. */
function printString(c: Printer, b: Uint8Array, p: number, n: number): void {
  for (let k = 0; k < n; k++) {
    const ch = b[p + k] ?? 0;
    if (ch === 0) return;
    c.s += ch >= 0x20 && ch < 0x7f ? String.fromCharCode(ch) : '.';
  }
}

/** A tag (RFC 2868 section 3.1) in the first octet. */
function printTag(c: Printer, t: number): void {
  c.s += t === 0 ? 'Tag[Unused] ' : `Tag[${t}] `;
}

/** The VLAN tag indication of RFC 4675 (Egress-VLANID, Egress-VLAN-Name). */
function printVlanTag(c: Printer, t: number): void {
  c.s += `${t === 0x31 ? 'Tagged' : t === 0x32 ? 'Untagged' : 'Unknown tag'} (0x${hex2(t)}) `;
}

/** Error-Cause values (RFC 5176 section 3.6). */
const ERROR_CAUSES: Readonly<Record<number, string>> = {
  201: 'Residual Session Context Removed', 202: 'Invalid EAP Packet (Ignored)', 401: 'Unsupported Attribute', 402: 'Missing Attribute',
  403: 'NAS Identification Mismatch', 404: 'Invalid Request', 405: 'Unsupported Service', 406: 'Unsupported Extension',
  407: 'Invalid Attribute Value', 501: 'Administratively Prohibited', 502: 'Request Not Routable (Proxy)', 503: 'Session Context Not Found',
  504: 'Session Context Not Removable', 505: 'Other Proxy Processing Error', 506: 'Resources Unavailable', 507: 'Request Initiated',
  508: 'Multiple Session Selection Unsupported', 509: 'Location Info Required',
};

/** MIP6-Feature-Vector bits (RFC 5447, 5779, 6920...): [high word bits, low word bits, name]. */
const MIP6_FEATURES: ReadonlyArray<readonly [number, number, string]> = [
  [0, 1, 'MIP6_INTEGRATED'], [0, 2, 'LOCAL_HOME_AGENT_ASSIGNMENT'], [0x100, 0, 'PMIP6_SUPPORTED'], [0x200, 0, 'IP4_HOA_SUPPORTED'],
  [0x400, 0, 'LOCAL_MAG_ROUTING_SUPPORTED'], [0x800, 0, 'ASSIGN_LOCAL_IP'], [0x1000, 0, 'MIP4_SUPPORTED'], [0x2000, 0, 'OPTIMIZED_IDLE_MODE_MOBILITY'],
  [0x4000, 0, 'GTPv2_SUPPORTED'], [0x8000, 0, 'IP4_TRANSPORT_SUPPORTED'], [0x10000, 0, 'IP4_HOA_ONLY_SUPPORTED'], [0x20000, 0, 'INTER_MAG_ROUTING_SUPPORTED'],
];

/** Basic-Location-Policy-Rules flags (RFC 5580 section 4.3): bit 15 first, as tcpdump lists them. */
const BLPR_FLAGS: ReadonlyArray<readonly [number, string]> = [
  ...Array.from({ length: 15 }, (_, k) => [1 << k, `MBZ-${15 - k}`] as const), [0x8000, 'Retransmission Allowed'],
];

const OPERATOR_NAMESPACES: Readonly<Record<number, string>> = { 0x30: 'TADIG', 0x31: 'REALM', 0x32: 'E212', 0x33: 'ICC' };

/** Bytes as upper-case hex digits (tcpdump's ARAP values). */
function hexUpper(b: Uint8Array, p: number, n: number): string {
  return hexBytes(b, p, n).toUpperCase();
}

/** Scratch for a prefix's address (made once). */
const PREFIX = new Uint8Array(16);

/** An IPv6 prefix of `n` octets (at most 16) at `p`, the rest zero. */
function prefix6(b: Uint8Array, p: number, n: number): string {
  PREFIX.fill(0);
  PREFIX.set(b.subarray(p, p + Math.min(n, 16)));
  return ipv6Text(PREFIX, 0);
}

const ntpAt = (b: Uint8Array, p: number): string => ntpTimeText(u32(b, p), u32(b, p + 4));

function printValue(c: Printer, b: Uint8Array, type: number, p: number, n: number, cap: number): void {
  const kind = type < ATTR_KINDS.length ? ATTR_KINDS[type] : 'n';
  const need = (want: number, word = 'ERROR'): boolean => {
    if (n === want) return true;
    c.s += `${word}: length ${n} != ${want}`;
    return false;
  };
  const least = (want: number): boolean => {
    if (n >= want) return true;
    c.s += `ERROR: length ${n} < ${want}`;
    return false;
  };
  switch (kind) {
    case 's':
      printString(c, b, p, n);
      return;
    case 'S': {
      const t = b[p] ?? 0;
      if (t <= 0x1f) {
        printTag(c, t);
        printString(c, b, p + 1, n - 1);
      } else printString(c, b, p, n);
      return;
    }
    case 'P': {
      if (n < 3) {
        c.s += ' [|radius]';
        return;
      }
      const t = b[p] ?? 0;
      printTag(c, t <= 0x1f ? t : 0);
      c.s += `Salt ${u16(b, p + 1)} `;
      printString(c, b, p + 3, n - 3);
      return;
    }
    case 'L':
      printVlanTag(c, b[p] ?? 0);
      printString(c, b, p + 1, n - 1);
      return;
    case 'E':
      if (!printEap(c, b, p, n, cap)) c.s += ' [|radius]';
      return;
    case 'V':
      printVendor(c, b, p, n);
      return;
    case 'i':
      if (need(4)) c.s += String(u32(b, p));
      return;
    case 'X':
      if (need(4)) c.s += u32(b, p) === 0xfffffffe ? 'NAS Select' : String(u32(b, p));
      return;
    case 'k':
    case 'K':
      if (need(4)) c.s += u32(b, p) !== 0 ? String(u32(b, p)) : kind === 'k' ? 'Unnumbered' : 'NAS assigned';
      return;
    case 'T':
    case 'N':
      if (!need(4)) return;
      if (kind === 'T') printTag(c, b[p] ?? 0);
      else printVlanTag(c, b[p] ?? 0);
      c.s += String(u32(b, p) & 0xffffff);
      return;
    case 'a':
      if (need(4)) c.s += ipv4Text(b, p);
      return;
    case 'A': {
      if (!need(4)) return;
      const x = u32(b, p);
      c.s += x === 0xffffffff ? 'User Selected' : x === 0xfffffffe ? 'NAS Select' : ipv4Text(b, p);
      return;
    }
    case '6':
      if (need(16)) c.s += ipv6Text(b, p);
      return;
    case 'm': {
      if (n < 2 || n > 18) {
        c.s += `ERROR: length ${n} not in range (2..18)`;
        return;
      }
      const plen = b[p + 1] ?? 0;
      if (plen > 128) {
        c.s += `ERROR: netmask ${plen} not in range (0..128)`;
        return;
      }
      c.s += `${prefix6(b, p + 2, n - 2)}/${plen}${plen > 8 * (n - 2) ? ' (inconsistent prefix length)' : ''}`;
      return;
    }
    case 'h': {
      if (!need(17)) return;
      const plen = b[p] ?? 0;
      c.s += plen > 128 ? `ERROR: netmask ${plen} not in range (0..128)` : `${ipv6Text(b, p + 1)}/${plen}`;
      return;
    }
    case 'v': {
      if (!need(8)) return;
      const hi = u32(b, p);
      const lo = u32(b, p + 4);
      c.s += `[${MIP6_FEATURES.filter(([h, l]) => hi & h || lo & l).map(([, , name]) => name).join(', ')}]`;
      return;
    }
    case 't':
      if (need(4)) c.s += duration(u32(b, p));
      return;
    case 'd':
      if (need(4)) c.s += asctime(u32(b, p));
      return;
    case 'e': {
      if (!need(4)) return;
      const x = u32(b, p);
      c.s += ENUMS[type]?.[x] || `#${x}`;
      return;
    }
    case 'g': {
      if (!need(4)) return;
      printTag(c, b[p] ?? 0);
      const x = u32(b, p) & 0xffffff;
      c.s += ENUMS[type]?.[x] || `#${x}`;
      return;
    }
    case 'o':
      if (!least(2)) return;
      c.s += `[${OPERATOR_NAMESPACES[b[p] ?? 0] ?? `unknown namespace ${b[p] ?? 0}`}] ${safeText(b, p + 1, p + n)}`;
      return;
    case 'l': {
      if (!least(21)) return;
      const code = b[p + 2] ?? 0;
      const entity = b[p + 3] ?? 0;
      c.s += `index ${u16(b, p)}, code ${['Civic', 'Geospatial'][code] ?? `Unknown (${code})`}, entity ${['User', 'RADIUS'][entity] ?? `Unknown (${entity})`}, `;
      c.s += `sighting time ${ntpAt(b, p + 4)}, time to live ${ntpAt(b, p + 12)}, method "${safeText(b, p + 20, p + n)}"`;
      return;
    }
    case 'D':
      if (!least(3)) return;
      c.s += `index ${u16(b, p)}, location${hexAsciiDump(b, p + 2, n - 2, '\n\t    ')}`;
      return;
    case 'B':
      if (!least(10)) return;
      c.s += `flags [${flagNames(BLPR_FLAGS, u16(b, p))}], retention expires ${ntpAt(b, p + 2)}`;
      if (n > 10) c.s += `, note well "${safeText(b, p + 10, p + n)}"`;
      return;
    case 'w':
      if (need(16)) c.s += `User_challenge (${hexUpper(b, p, 8)}) User_resp(${hexUpper(b, p + 8, 8)})`;
      return;
    case 'f':
      if (!need(14)) return;
      c.s += `User ${b[p] ? 'can' : 'cannot'} change password, Min password length: ${b[p + 1] ?? 0}, created at: ${hexUpper(b, p + 2, 4)}`;
      c.s += `, expires in: ${hexUpper(b, p + 6, 4)}, Current Time: ${hexUpper(b, p + 10, 4)}`;
      return;
    case 'c':
      if (n < 8) c.s += `ERROR: length ${n} != 8`;
      else c.s += hexUpper(b, p, 8);
      return;
    case 'C': {
      if (!need(4, 'Error')) return;
      const x = u32(b, p);
      c.s += `Error cause ${x}: ${ERROR_CAUSES[x] ?? `Error-Cause ${x} not known`}`;
      return;
    }
    default:
  }
}

/** A Vendor-Specific attribute (RFC 2865 section 5.26): the vendor, then its sub-attributes as text. */
function printVendor(c: Printer, b: Uint8Array, p: number, n: number): void {
  if (n < 4) {
    c.s += ' [|radius]';
    return;
  }
  const id = u32(b, p);
  c.s += `Vendor: ${SMI_NAMES[id] ?? 'Unknown'} (${id})`;
  let q = p + 4;
  let left = n - 4;
  while (left >= 2) {
    const t = b[q] ?? 0;
    const len = b[q + 1] ?? 0;
    if (len < 2 || len > left) {
      c.s += `\n\t    Vendor Attribute: ${t}, Length: ${len} (bogus, ${len < 2 ? 'must be >= 2' : 'goes past end of vendor-specific attribute'})`;
      return;
    }
    c.s += `\n\t    Vendor Attribute: ${t}, Length: ${len - 2}, Value: `;
    for (let k = q + 2; k < q + len; k++) {
      const ch = b[k] ?? 0;
      c.s += ch >= 0x20 && ch < 0x7f ? String.fromCharCode(ch) : '.';
    }
    q += len;
    left -= len;
  }
}

/** tcpdump's RADIUS durations: `SS secs`, `MM:SS min` or `HH:MM:SS hours`. */
function duration(s: number): string {
  if (s < 60) return `${pad2(s)} secs`;
  if (s < 3600) return `${pad2(Math.floor(s / 60))}:${pad2(s % 60)} min`;
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)} hours`;
}

/** C's asctime in local time, without the newline: `Thu Jan  1 00:00:07 1970`. */
function asctime(secs: number): string {
  const d = new Date(secs * 1000);
  const day = d.getDate();
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${day < 10 ? ' ' : ''}${day} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${d.getFullYear()}`;
}
