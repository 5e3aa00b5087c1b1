/** RADIUS (RFC 2865 authentication, RFC 2866 accounting, RFC 5176 dynamic authorization). */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { hex2, ipv4Text, ipv6Text } from './addr.js';
import { type Printer, hexBytes, hexDumpText, pad2 } from './print.js';

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
 * How tcpdump shows each attribute's value, per type (index 1 to 129): s string, S tagged string,
 * n nothing, i integer, a IPv4 address, 6 IPv6 address, t duration, d date, e named integer, g tagged
 * named integer, x not decoded here (shown empty).
 */
const ATTR_KINDS = ' snnaieeaaesieaeinsssnsissxttesssssssiisetiisetiiesiiindxxxnseisggSSsxxxessiessxsSSxxtisssSSsnn6nx6ssxnssssssssssssssssssssxxxxxxx';

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
    r.attributes.push({ type: b[p] ?? 0, len });
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
    if (n > 2) printValue(c, b, type, p + 2, n - 2);
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

/** A tag (RFC 2868 section 3.1) in the first octet, when it is one. */
function printTag(c: Printer, t: number): void {
  c.s += t === 0 ? 'Tag[Unused] ' : `Tag[${t}] `;
}

function printValue(c: Printer, b: Uint8Array, type: number, p: number, n: number): void {
  const kind = type < ATTR_KINDS.length ? ATTR_KINDS[type] : 'n';
  const need = (want: number): boolean => {
    if (n === want) return true;
    c.s += `ERROR: length ${n} != ${want}`;
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
    case 'i':
      if (need(4)) c.s += String(u32(b, p));
      return;
    case 'a':
      if (need(4)) c.s += ipv4Text(b, p);
      return;
    case '6':
      if (need(16)) c.s += ipv6Text(b, p);
      return;
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
    default:
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
