/**
 * The tcpdump-style printer: one line per packet in tcpdump 4.99's `-n` wording, with `-e`, `-v`,
 * `-q`, `-x/-xx/-X/-XX/-A`, `-t...-ttttt`, nanosecond precision and `-#`. It walks the layers the
 * LayerParser found and prints each one the way tcpdump's printer for that protocol does; a layer
 * cut by the snapshot length ends the line with ` [|proto]`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { emptyPacket, type PacketSink, type PacketView } from '../packet.js';
import type { TextOutput } from './output.js';
import { LayerParser, Layer, DecodeLinkType } from '../decode/parser.js';
import { DecodeStatus, u16, u32 } from '../decode/status.js';
import { hex2, ipv4Text, ipv6Text, macText } from '../decode/addr.js';
import { etherTypeText, ETHERTYPE_NAMES, IP_PROTO_NAMES } from '../decode/ethertype.js';
import type { EthernetView } from '../decode/ethernet.js';
import type { VlanView } from '../decode/vlan.js';
import type { MplsView } from '../decode/mpls.js';
import type { SllView } from '../decode/sll.js';
import type { LoopbackView } from '../decode/loopback.js';
import type { PppoeView } from '../decode/pppoe.js';
import type { LlcView } from '../decode/llc.js';
import type { ArpView } from '../decode/arp.js';
import { Ipv4View, onesSum } from '../decode/ipv4.js';
import { Ipv6View } from '../decode/ipv6.js';
import type { TcpView } from '../decode/tcp.js';
import type { UdpView } from '../decode/udp.js';
import type { IcmpView } from '../decode/icmp.js';
import type { Icmpv6View } from '../decode/icmpv6.js';
import type { IgmpView } from '../decode/igmp.js';
import { SCTP_CHUNK_NAMES, type SctpView } from '../decode/sctp.js';
import { GreFlag, type GreView } from '../decode/gre.js';
import type { VxlanView, GeneveView } from '../decode/vxlan.js';
import { dnsNameText, dnsNameError, dnsSkipName, type DnsView } from '../decode/dns.js';
import { DhcpOffsets, type DhcpView } from '../decode/dhcp.js';
import { NTP_MODE_NAMES, type NtpView } from '../decode/ntp.js';
import type { AhView, EspView } from '../decode/ipsec.js';
import { NFLOG_HDR, nflogPayloadOffset } from '../decode/nflog.js';

/** Printing options, named after tcpdump's flags. */
export interface PrintOptions {
  /** `-n`: numeric addresses and ports (tscap never resolves names; accepted for habit). */
  numeric: boolean;
  /** `-e`: print the link-level header. */
  linkHeader: boolean;
  /** `-v` count. */
  verbose: number;
  /** `-q`: less protocol information. */
  quiet: boolean;
  /** `-x` count: hex dump (2: with the link header). */
  hex: number;
  /** `-X` count: hex and ASCII dump (2: with the link header). */
  hexAscii: number;
  /** `-A`: ASCII dump. */
  ascii: boolean;
  /** 0 default, 1 `-t` (none), 2 `-tt`, 3 `-ttt`, 4 `-tttt`, 5 `-ttttt`. */
  timeFormat: number;
  /** Nanosecond timestamps. */
  nano: boolean;
  /** `-#`: packet number first. */
  number: boolean;
  /** Interface name for an ifindex (LINUX_SLL2); defaults to this host's /sys/class/net, like tcpdump. */
  ifName?: (ifindex: number) => string | undefined;
  /**
   * With -e, name each Ethernet packet's interface and direction first, as for LINUX_SLL2 (set when
   * capturing several interfaces, whose frames carry no interface of their own).
   */
  showInterface?: boolean;
}

/** Default options: tcpdump with no flags. */
export const DEFAULT_PRINT_OPTIONS: PrintOptions = {
  numeric: true, linkHeader: false, verbose: 0, quiet: false, hex: 0, hexAscii: 0, ascii: false, timeFormat: 0, nano: false, number: false,
};

let sysIfNames: Map<number, string> | undefined;
/** ifindex → name from /sys/class/net (read once; empty where unavailable). */
function hostIfName(ifindex: number): string | undefined {
  if (!sysIfNames) {
    sysIfNames = new Map();
    try {
      for (const n of readdirSync('/sys/class/net')) {
        try {
          sysIfNames.set(Number(readFileSync(`/sys/class/net/${n}/ifindex`, 'utf8').trim()), n);
        } catch {
          // interface went away while listing
        }
      }
    } catch {
      // not Linux or no sysfs: names stay unknown
    }
  }
  return sysIfNames.get(ifindex);
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
const THREE: string[] = [];
for (let k = 0; k < 1000; k++) THREE.push(String(k).padStart(3, '0'));
const padFrac = (n: number, digits: number): string => String(n).padStart(digits, '0');
const hex4 = (n: number): string => n.toString(16).padStart(4, '0');
const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

const SLL_DIR = [' In', '  B', '  M', '  P', 'Out'];
const SLL2_DIR = ['In ', 'B  ', 'M  ', 'P  ', 'Out'];

const HTTP_METHODS = new Set(['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT', 'PATCH',
  'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'ORDERPATCH', 'SEARCH']);

const DNS_TYPES: Readonly<Record<number, string>> = {
  1: 'A', 2: 'NS', 3: 'MD', 4: 'MF', 5: 'CNAME', 6: 'SOA', 7: 'MB', 8: 'MG', 9: 'MR', 10: 'NULL', 11: 'WKS', 12: 'PTR',
  13: 'HINFO', 14: 'MINFO', 15: 'MX', 16: 'TXT', 17: 'RP', 18: 'AFSDB', 19: 'X25', 20: 'ISDN', 21: 'RT', 22: 'NSAP',
  23: 'NSAP_PTR', 24: 'SIG', 25: 'KEY', 26: 'PX', 27: 'GPOS', 28: 'AAAA', 29: 'LOC', 30: 'NXT', 31: 'EID', 32: 'NIMLOC',
  33: 'SRV', 34: 'ATMA', 35: 'NAPTR', 36: 'KX', 37: 'CERT', 38: 'A6', 39: 'DNAME', 40: 'SINK', 41: 'OPT', 42: 'APL',
  43: 'DS', 44: 'SSHFP', 45: 'IPSECKEY', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 49: 'DHCID', 50: 'NSEC3',
  51: 'NSEC3PARAM', 52: 'TLSA', 53: 'SMIMEA', 55: 'HIP', 59: 'CDS', 60: 'CDNSKEY', 61: 'OPENPGPKEY', 62: 'CSYNC',
  63: 'ZONEMD', 64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 100: 'UINFO', 101: 'UID', 102: 'GID', 103: 'UNSPEC', 249: 'TKEY',
  250: 'TSIG', 251: 'IXFR', 252: 'AXFR', 253: 'MAILB', 254: 'MAILA', 255: 'ANY', 256: 'URI', 257: 'CAA',
};
const DNS_CLASSES: Readonly<Record<number, string>> = { 1: 'IN', 3: 'CHAOS', 4: 'HS', 255: 'ANY' };
const DNS_RCODES = ['', ' FormErr', ' ServFail', ' NXDomain', ' NotImp', ' Refused', ' YXDomain', ' YXRRSet', ' NXRRSet', ' NotAuth', ' NotZone', ' Resp11', ' Resp12', ' Resp13', ' Resp14', ' NoChange'];
const DNS_OPS = ['', ' inv_q', ' stat', ' op3', ' notify', ' update', ' op6', ' op7', ' op8', ' updateA', ' updateD', ' updateDA', ' updateM', ' updateMA', ' zoneInit', ' zoneRef'];

const ICMP_UNREACH = [
  'net %s unreachable', 'host %s unreachable', '%s protocol %p unreachable', '%s port %p unreachable',
  '%s unreachable - need to frag', '%s unreachable - source route failed', 'net %s unreachable - unknown',
  'host %s unreachable - unknown', 'host %s unreachable - isolated', 'net %s unreachable - admin prohibited',
  'host %s unreachable - admin prohibited', 'net %s unreachable - tos prohibited', 'host %s unreachable - tos prohibited',
  'host %s unreachable - admin prohibited filter', 'host %s unreachable - host precedence violation',
  'host %s unreachable - precedence cutoff',
];
const ICMP_TYPES: Readonly<Record<number, string>> = {
  0: 'echo reply', 3: 'destination unreachable', 4: 'source quench', 5: 'redirect', 8: 'echo request',
  9: 'router advertisement', 10: 'router solicitation', 11: 'time exceeded', 12: 'parameter problem',
  13: 'time stamp request', 14: 'time stamp reply', 15: 'information request', 16: 'information reply',
  17: 'address mask request', 18: 'address mask reply',
};
const ICMP6_TYPES: Readonly<Record<number, string>> = {
  1: 'destination unreachable', 2: 'packet too big', 3: 'time exceeded', 4: 'parameter problem', 128: 'echo request',
  129: 'echo reply', 130: 'multicast listener query', 131: 'multicast listener report', 132: 'multicast listener done',
  133: 'router solicitation', 134: 'router advertisement', 135: 'neighbor solicitation', 136: 'neighbor advertisement',
  137: 'redirect', 138: 'router renumbering', 139: 'node information query', 140: 'node information reply',
  141: 'inverse neighbor discovery solicitation', 142: 'inverse neighbor discovery advertisement',
  143: 'multicast listener report v2', 144: 'ha discovery request', 145: 'ha discovery reply',
  146: 'mobile router solicitation', 147: 'mobile router advertisement', 151: 'multicast router advertisement',
  152: 'multicast router solicitation', 153: 'multicast router termination', 200: 'mtrace response', 201: 'mtrace message',
  155: 'RPL',
};
const ICMP6_UNREACH = ['no route to', 'admin prohibited', 'beyond scope of source address', 'unreachable address', 'unreachable port', 'source address failed ingress/egress policy', 'reject route to'];
const PPPOE_CODES: Readonly<Record<number, string>> = { 0x09: 'PADI', 0x07: 'PADO', 0x19: 'PADR', 0x65: 'PADS', 0xa7: 'PADT', 0x00: '' };
const PPPOE_TAGS: Readonly<Record<number, string>> = {
  0x0000: 'End-Of-List', 0x0101: 'Service-Name', 0x0102: 'AC-Name', 0x0103: 'Host-Uniq', 0x0104: 'AC-Cookie',
  0x0105: 'Vendor-Specific', 0x0110: 'Relay-Session-ID', 0x0120: 'PPP-Max-Payload', 0x0201: 'Service-Name-Error',
  0x0202: 'AC-System-Error', 0x0203: 'Generic-Error',
};
const LCP_CODES = ['Vend-Ext', 'Conf-Request', 'Conf-Ack', 'Conf-Nack', 'Conf-Reject', 'Term-Request', 'Term-Ack', 'Code-Reject', 'Prot-Reject', 'Echo-Request', 'Echo-Reply', 'Disc-Req', 'Ident', 'Time-Rem', 'Reset-Req', 'Reset-Ack'];
const OUI_NAMES: Readonly<Record<number, string>> = { 0x000000: 'Ethernet', 0x00000c: 'Cisco', 0x0000f8: 'Cisco bridged', 0x0080c2: 'IEEE 802.1', 0x00e02b: 'Extreme', 0x080007: 'Appletalk' };
const CISCO_PIDS: Readonly<Record<number, string>> = { 0x2000: 'CDP', 0x2004: 'DTP', 0x2003: 'VTP', 0x010b: 'PVST', 0x0102: 'DRiP', 0x0111: 'UDLD' };
const PPP_PROTOS: Readonly<Record<number, string>> = { 0x0021: 'IP', 0x0057: 'IPV6', 0xc021: 'LCP', 0x8021: 'IPCP', 0x8057: 'IP6CP', 0xc023: 'PAP', 0xc223: 'CHAP' };
const LLC_SAPS: Readonly<Record<number, string>> = { 0x00: 'Null', 0x42: 'STP', 0xaa: 'SNAP', 0xe0: 'IPX', 0xf0: 'NetBeui', 0xfe: 'OSI', 0x06: 'IP', 0x04: 'SNA', 0x98: 'ARP', 0xbc: 'Banyan', 0xff: 'Global' };
const AF_NAMES: Readonly<Record<number, string>> = { 2: 'IPv4', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6', 7: 'ISO', 23: 'IPX', 16: 'Appletalk', 10: 'IPv6' };
const DHCP_TYPES = ['', 'Discover', 'Offer', 'Request', 'Decline', 'ACK', 'NACK', 'Release', 'Inform'];

interface FlowSeq {
  seq: number;
  ack: number;
  /** Canonical (lower, higher) address pair and ports, to tell hash collisions apart. */
  key: Uint8Array;
}

/**
 * Formats packets as tcpdump text; keeps the little state tcpdump keeps (previous timestamp for
 * `-ttt`, first one for `-ttttt`, TCP initial sequence numbers for relative numbering).
 * @example
 * const f = new TextFormatter({ ...DEFAULT_PRINT_OPTIONS, verbose: 1 });
 * process.stdout.write(f.format(pkt));
 */
export class TextFormatter {
  private readonly parser = new LayerParser();
  private readonly quoteIp4 = new Ipv4View();
  private readonly quoteIp6 = new Ipv6View();
  private s = '';
  private pkt: PacketView | undefined;
  private count = 0;
  private prevSec = -1;
  private prevNsec = 0;
  private firstSec = -1;
  private firstNsec = 0;
  private minuteKey = Number.NaN;
  private minutePrefix = '';
  private datePrefix = '';
  private lastSec = -1;
  private secPrefix = '';
  private readonly flows = new Map<number, FlowSeq[]>();
  private readonly flowKey = new Uint8Array(36);
  private readonly opts: PrintOptions;
  /** Packets whose printing hit an internal error (caught; the line ends with ` [|decode]`). */
  internalErrors = 0;
  private readonly ifName: (ifindex: number) => string | undefined;

  constructor(opts: PrintOptions) {
    this.opts = opts;
    this.ifName = opts.ifName ?? hostIfName;
  }

  /** The full text for one packet, newline included (and the dump lines for -x/-X/-A). */
  format(pkt: PacketView): string {
    this.pkt = pkt;
    this.s = '';
    this.count++;
    if (this.opts.number) this.s += String(this.count).padStart(5, ' ') + '  ';
    this.timestamp(pkt.tsSec, pkt.tsNsec);
    const p = this.parser;
    p.decode(pkt.buf, pkt.offset, pkt.capLen, pkt.linkType);
    let hdrLen = 0;
    try {
      hdrLen = this.link();
    } catch {
      // a printer bug must not lose the packet line: tcpdump's longjmp-style trunc marker instead
      this.internalErrors++;
      this.s += ' [|decode]';
    }
    this.dump(pkt, hdrLen);
    this.s += '\n';
    return this.s;
  }

  // ---------------------------------------------------------------- timestamps

  private timestamp(sec: number, nsec: number): void {
    const o = this.opts;
    const digits = o.nano ? 9 : 6;
    const frac = o.nano ? nsec : Math.floor(nsec / 1000);
    switch (o.timeFormat) {
      case 1:
        return;
      case 2:
        this.s += `${sec}.${padFrac(frac, digits)} `;
        return;
      case 3:
      case 5: {
        let bs: number;
        let bn: number;
        if (o.timeFormat === 3) {
          bs = this.prevSec < 0 ? sec : this.prevSec;
          bn = this.prevSec < 0 ? nsec : this.prevNsec;
          this.prevSec = sec;
          this.prevNsec = nsec;
        } else {
          if (this.firstSec < 0) {
            this.firstSec = sec;
            this.firstNsec = nsec;
          }
          bs = this.firstSec;
          bn = this.firstNsec;
        }
        let ds = sec - bs;
        let dn = nsec - bn;
        let neg = false;
        if (ds < 0 || (ds === 0 && dn < 0)) {
          neg = true;
          ds = -ds;
          dn = -dn;
        }
        if (dn < 0) {
          ds -= 1;
          dn += 1e9;
        }
        const f = o.nano ? dn : Math.floor(dn / 1000);
        this.s += `${neg ? '-' : ' '}${pad2(Math.floor(ds / 3600))}:${pad2(Math.floor(ds / 60) % 60)}:${pad2(ds % 60)}.${padFrac(f, digits)} `;
        return;
      }
      default: {
        const minute = Math.floor(sec / 60);
        if (minute !== this.minuteKey) {
          this.lastSec = -1;
          // DST and zone changes fall on minute boundaries, so one Date per minute is exact
          const d = new Date(minute * 60000);
          this.minuteKey = minute;
          this.minutePrefix = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:`;
          this.datePrefix = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} `;
        }
        if (o.timeFormat === 4) this.s += this.datePrefix;
        if (sec !== this.lastSec) {
          this.lastSec = sec;
          this.secPrefix = `${this.minutePrefix}${pad2(sec - minute * 60)}.`;
        }
        // fractions from a table of 3-digit groups: no padStart per packet
        this.s += this.secPrefix + (o.nano ? THREE[Math.floor(frac / 1e6)]! + THREE[Math.floor(frac / 1000) % 1000]! + THREE[frac % 1000]! : THREE[Math.floor(frac / 1000)]! + THREE[frac % 1000]!) + ' ';
      }
    }
  }

  // ---------------------------------------------------------------- dumps

  private dump(pkt: PacketView, hdrLen: number): void {
    const o = this.opts;
    const b = pkt.buf;
    const cap = Math.max(0, Math.min(pkt.capLen, b.length - pkt.offset));
    if (o.hexAscii > 0 || o.hex > 0) {
      const whole = (o.hexAscii > 0 ? o.hexAscii : o.hex) > 1;
      const start = whole ? 0 : Math.min(hdrLen, cap);
      if (!whole && cap <= hdrLen) return;
      this.hexLines(pkt.offset + start, cap - start, o.hexAscii > 0);
    } else if (o.ascii) {
      const start = Math.min(hdrLen, cap);
      if (cap <= hdrLen) return;
      let out = '\n';
      for (let i = pkt.offset + start, e = pkt.offset + cap; i < e; i++) {
        const c = b[i] ?? 0;
        if (c === 13) {
          if (e - i - 1 > 1 && b[i + 1] !== 10) out += '.';
        } else out += (c > 0x20 && c < 0x7f) || c === 9 || c === 32 || c === 10 ? String.fromCharCode(c) : '.';
      }
      this.s += out;
    }
  }

  // ---------------------------------------------------------------- link layer

  /** Prints from the link layer on; returns the link header length for -x/-X/-A. */
  private link(): number {
    const p = this.parser;
    const pkt = this.pkt!;
    const e = this.opts.linkHeader;
    if (e && this.opts.showInterface === true && pkt.ifindex > 0 && pkt.linkType === DecodeLinkType.EN10MB) {
      const name = this.ifName(pkt.ifindex) ?? `ifindex ${pkt.ifindex}`;
      this.s += `${name.padEnd(5, ' ')} ${SLL2_DIR[pkt.pktType] ?? String(pkt.pktType)} `;
    }
    switch (pkt.linkType) {
      case DecodeLinkType.EN10MB:
        return this.ether(0, pkt.wireLen);
      case DecodeLinkType.LINUX_SLL:
      case DecodeLinkType.LINUX_SLL2: {
        const v = p.sll[0]!;
        if (p.count < 1 || p.status[0] !== DecodeStatus.Ok) {
          this.s += pkt.linkType === DecodeLinkType.LINUX_SLL2 ? '[|linux_sll2]' : '[|linux_sll]';
          return pkt.capLen;
        }
        const proto = v.protocol;
        const pt = v.pktType;
        if (v.version === 2) {
          const name = this.ifName(v.ifindex);
          const dir = SLL2_DIR[pt] ?? String(pt);
          if (name !== undefined) this.s += `${name.padEnd(5, ' ')} ${dir} `;
          else this.s += `ifindex ${v.ifindex} ${dir} `;
          if (e) {
            if (name !== undefined) this.s += `ifindex ${v.ifindex} `;
            this.s += v.halen === 6 ? macText(v.bytes, v.addrOffset) + ' ' : '';
          }
        } else if (e) {
          this.s += `${SLL_DIR[pt] ?? String(pt)} ${v.halen === 6 ? macText(v.bytes, v.addrOffset) : ''} `;
        }
        if (e) {
          if (proto >= 0x600) this.s += `ethertype ${etherTypeText(proto)}, length ${pkt.wireLen}: `;
          else if (proto === 4) this.s += `802.2, length ${pkt.wireLen}: `;
          else this.s += `ethertype Unknown (0x${hex4(proto)}), length ${pkt.wireLen}: `;
        }
        const hl = v.headerLen;
        if (p.count > 1 && p.kinds[1] === Layer.Vlan) this.sllVlan(1);
        else if (p.count > 1) this.network(1, proto);
        else this.unknownEtherType(proto, hl, pkt.wireLen - hl);
        return hl + this.vlanBytes(1);
      }
      case DecodeLinkType.NULL:
      case DecodeLinkType.LOOP: {
        if (p.count < 1 || p.status[0] !== DecodeStatus.Ok) {
          this.s += pkt.linkType === DecodeLinkType.LOOP ? '[|loop]' : '[|null]';
          return pkt.capLen;
        }
        const fam = (p.loopback[0] as LoopbackView).family;
        if (e) this.s += `AF ${AF_NAMES[fam] ?? 'Unknown'} (${fam}), length ${pkt.wireLen}: `;
        if (p.count > 1) this.network(1, 0);
        else if (fam !== 7) this.s += `, length: ${pkt.capLen - 4}`;
        else if (fam === 7) this.s += `OSI NLPID ${this.opts.linkHeader ? 'Unknown (0x' + hex2(p.bytes[pkt.offset + 4] ?? 0) + '):' : '0x' + hex2(p.bytes[pkt.offset + 4] ?? 0) + ' unknown,'} length: ${pkt.capLen - 4}`;
        return 4;
      }
      case DecodeLinkType.RAW:
      case DecodeLinkType.IPV4:
      case DecodeLinkType.IPV6:
        if (e) this.s += 'ip: ';
        if (pkt.linkType === DecodeLinkType.RAW && pkt.capLen > 0 && ((p.bytes[pkt.offset] ?? 0) >> 4 !== 4 && (p.bytes[pkt.offset] ?? 0) >> 4 !== 6)) this.s += `unknown ip ${(p.bytes[pkt.offset] ?? 0) >> 4}`;
        else if (p.count > 0) this.network(0, 0);
        else if (pkt.capLen > 0) this.s += `unknown ip ${(p.bytes[pkt.offset] ?? 0) >> 4}`;
        else this.s += ' [|ip]';
        return 0;
      case DecodeLinkType.NFLOG: {
        const b = p.bytes;
        const o = pkt.offset;
        if (pkt.capLen < NFLOG_HDR.SIZE) {
          this.s += ' [|nflog]';
          return pkt.capLen;
        }
        const fam = b[o] ?? 0;
        const header = `version ${b[o + 1] ?? 0}, resource ID ${((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0)}, family ${fam === 2 ? 'IPv4' : fam === 10 ? 'IPv6' : 'Unknown'} (${fam}), length ${pkt.wireLen}: `;
        if (e) this.s += header;
        const pl = nflogPayloadOffset(b, o, pkt.capLen);
        if (pl < 0) this.s += ' [|nflog]';
        else if (p.count > 0) this.network(0, 0);
        else if (!e) this.s += header;
        return pl < 0 ? pkt.capLen : pl - o;
      }
      default:
        this.s += `unsupported link type ${pkt.linkType}`;
        return 0;
    }
  }

  private vlanBytes(from: number): number {
    let n = 0;
    const p = this.parser;
    for (let i = from; i < p.count && p.kinds[i] === Layer.Vlan; i++) n += 4;
    return n;
  }

  /** Ethernet at layer i (outer frame or inside a tunnel); returns the header length. */
  private ether(i: number, wireLen: number): number {
    const p = this.parser;
    const e = this.opts.linkHeader;
    if (i >= p.count || p.kinds[i] !== Layer.Ethernet) return 0;
    const v = p.view(i) as EthernetView;
    if (p.status[i] !== DecodeStatus.Ok) {
      this.s += ' [|ether]';
      return v.length;
    }
    const t = v.etherType;
    if (e) {
      this.s += `${macText(v.bytes, v.offset + 6)} > ${macText(v.bytes, v.offset)}, `;
      if (t < 0x600) this.s += `802.3, length ${t}: `;
      else this.s += `ethertype ${etherTypeText(t)}, length ${wireLen}: `;
    }
    let hl = 14 + this.vlanBytes(i + 1);
    if (t < 0x600) {
      if (i + 1 < p.count && p.kinds[i + 1] === Layer.Llc) hl += this.llc(i + 1, t);
      else this.s += ' [|llc]';
      return hl;
    }
    if (i + 1 < p.count) this.network(i + 1, t);
    else this.unknownEtherType(t, v.offset + 14, wireLen - 14);
    return hl;
  }

  private unknownEtherType(t: number, off: number, len: number): void {
    const e = this.opts.linkHeader;
    if (t === 0x0800) this.s += ' [|ip]';
    else if (t === 0x86dd) this.s += ' [|ip6]';
    else if (t === 0x0806 || t === 0x8035) this.s += ' [|arp]';
    else if (t === 0x8100 || t === 0x88a8 || t === 0x9100) this.s += ' [|vlan]';
    else if (t === 0x88cc && !this.opts.linkHeader && this.opts.verbose === 0) this.s += `LLDP, length ${this.pkt!.wireLen - (off - this.pkt!.offset)}`;
    else {
      // tcpdump's default print: the link header (unless -e printed it) and a hex/ASCII dump
      const pkt = this.pkt!;
      if (!e && pkt.linkType === DecodeLinkType.EN10MB && off - pkt.offset >= 14) {
        const b = this.parser.bytes;
        const eo = pkt.offset;
        this.s += `${macText(b, eo + 6)} > ${macText(b, eo)}, ethertype ${etherTypeText(t)}, length ${pkt.wireLen}: `;
      }
      if (!this.anyDump()) this.hexAsciiDump(off, Math.min(pkt.offset + pkt.capLen, this.parser.bytes.length) - off);
      void len;
    }
  }

  private anyDump(): boolean {
    const o = this.opts;
    return o.hex > 0 || o.hexAscii > 0 || o.ascii;
  }

  private hexAsciiDump(start: number, n: number): void {
    this.hexLines(start, n, true);
  }

  /** tcpdump's hex (and ASCII) dump lines: `\n\t0xOOOO: ` then 8 groups of 2 bytes. */
  private hexLines(start: number, n: number, withAscii: boolean): void {
    const b = this.parser.bytes;
    let out = '';
    for (let line = 0; line < n; line += 16) {
      let hex = '';
      let asc = '';
      const lim = Math.min(16, n - line);
      const base = start + line;
      let k = 0;
      for (; k + 1 < lim; k += 2) {
        hex += ' ' + HEX2_TABLE[b[base + k] ?? 0]! + HEX2_TABLE[b[base + k + 1] ?? 0]!;
        if (withAscii) asc += PRINTABLE[b[base + k] ?? 0]! + PRINTABLE[b[base + k + 1] ?? 0]!;
      }
      if (k < lim) {
        hex += ' ' + HEX2_TABLE[b[base + k] ?? 0]!;
        if (withAscii) asc += PRINTABLE[b[base + k] ?? 0]!;
      }
      out += '\n\t0x' + hex4(line) + ': ' + (withAscii ? (lim === 16 ? hex : hex.padEnd(40, ' ')) + '  ' + asc : hex);
    }
    this.s += out;
  }


  private llc(i: number, len: number, inVlan = false): number {
    const p = this.parser;
    const v = p.view(i) as LlcView;
    if (p.status[i] !== DecodeStatus.Ok) {
      this.s += ' [|llc]';
      return v.length;
    }
    const name = (sap: number): string => `${LLC_SAPS[sap & 0xfe] ?? 'Unknown'} (0x${hex2(sap & 0xfe)})`;
    if (this.opts.linkHeader) {
      this.s += `${inVlan ? '' : 'LLC, '}dsap ${name(v.dsap)} ${v.dsap & 1 ? 'Group' : 'Individual'}, ssap ${name(v.ssap)} ${v.ssap & 1 ? 'Response' : 'Command'}, ctrl 0x${hex2(v.control)}: `;
    }
    if (v.isSnap) {
      if (this.opts.linkHeader) {
        const oui = v.oui;
        const ouiText = `oui ${OUI_NAMES[oui] ?? 'Unknown'} (0x${oui.toString(16).padStart(6, '0')})`;
        if (oui === 0) this.s += `${ouiText}, ethertype ${etherTypeText(v.snapType)}, length ${len - 8}: `;
        else this.s += `${ouiText}, pid ${(oui === 0x00000c ? CISCO_PIDS[v.snapType] : undefined) ?? 'Unknown'} (0x${hex4(v.snapType)}), length ${len - 8}: `;
      }
      if (i + 1 < p.count) this.network(i + 1, v.snapType);
      return 8;
    }
    if (v.dsap === 0x42 && v.ssap === 0x42) this.stp(v.offset + 3, Math.min(v.offset + v.length, v.offset + len), len - 3);
    else this.s += `LLC, dsap ${name(v.dsap)}, ssap ${name(v.ssap)}, length ${len}`;
    return 3;
  }

  /** IEEE 802.1D configuration and topology-change BPDUs (802.1w/s named only). */
  private stp(q: number, end: number, len: number): void {
    const b = this.parser.bytes;
    if (q + 4 > end) {
      this.s += 'STP [|stp]';
      return;
    }
    const ver = b[q + 2] ?? 0;
    const type = b[q + 3] ?? 0;
    const vname = ver === 0 ? '802.1d' : ver === 2 ? '802.1w' : ver === 3 ? '802.1s' : `unknown version ${ver}`;
    this.s += `STP ${vname}`;
    const bid = (o: number): string => `${hex4(u16(b, o))}.${macText(b, o + 2)}`;
    if (type === 0x80) {
      this.s += `, Topology Change, length ${len}`;
      return;
    }
    if (type !== 0 && type !== 2) {
      this.s += `, unknown BPDU type 0x${hex2(type)}, length ${len}`;
      return;
    }
    if (q + 35 > end) {
      this.s += ' [|stp]';
      return;
    }
    const f = b[q + 4] ?? 0;
    const fl: string[] = [];
    if (f & 0x01) fl.push('Topology change');
    if (f & 0x80) fl.push('Topology change ACK');
    this.s += `, ${type === 0 ? 'Config' : 'Rapid STP'}, Flags [${fl.length ? fl.join(', ') : 'none'}], bridge-id ${bid(q + 17)}.${hex4(u16(b, q + 25))}, length ${len}`;
    if (this.opts.verbose > 0) {
      const t = (o: number): string => (u16(b, o) / 256).toFixed(2);
      this.s += `\n\tmessage-age ${t(q + 27)}s, max-age ${t(q + 29)}s, hello-time ${t(q + 31)}s, forwarding-delay ${t(q + 33)}s`;
      this.s += `\n\troot-id ${bid(q + 5)}, root-pathcost ${u32(b, q + 13)}`;
    }
  }

  /** Layer i is whatever followed a link header or tag (ethertype t, 0 when unknown). */
  private network(i: number, t: number): void {
    const p = this.parser;
    const e = this.opts.linkHeader;
    const pkt = this.pkt!;
    switch (p.kinds[i]) {
      case Layer.Vlan: {
        const v = p.view(i) as VlanView;
        if (p.status[i] !== DecodeStatus.Ok) {
          this.s += e ? ' [|vlan]' : ' [|vlan]';
          return;
        }
        const nt = v.etherType;
        if (e) {
          this.s += `vlan ${v.id}, p ${v.pcp}${v.dei ? ', DEI' : ''}, `;
          this.s += nt < 0x600 ? `802.3LLC, ` : `ethertype ${etherTypeText(nt)}, `;
        }
        if (i + 1 < p.count) {
          if (nt < 0x600 && p.kinds[i + 1] === Layer.Llc) this.llc(i + 1, nt, true);
          else this.network(i + 1, nt);
        } else this.unknownEtherType(nt, v.offset + 4, 0);
        return;
      }
      case Layer.Ipv4:
        this.ipv4(i);
        return;
      case Layer.Ipv6:
        this.ipv6(i);
        return;
      case Layer.Arp:
        this.arp(i);
        return;
      case Layer.Mpls:
        this.mpls(i);
        return;
      case Layer.Pppoe:
        this.pppoe(i);
        return;
      case Layer.Ethernet:
        this.ether(i, p.lens[i]!);
        return;
      default:
        this.s += `ethertype ${etherTypeText(t)}, length ${pkt.wireLen}`;
    }
  }

  /** Cooked (SLL) frames print a VLAN tag their own way: no hex EtherType. */
  private sllVlan(i: number): void {
    const p = this.parser;
    const v = p.view(i) as VlanView;
    if (p.status[i] !== DecodeStatus.Ok) {
      this.s += ' [|vlan]';
      return;
    }
    if (this.opts.linkHeader) this.s += `vlan ${v.id}, p ${v.pcp}${v.dei ? ', DEI' : ''}, `;
    const nt = v.etherType;
    if (!this.opts.quiet) this.s += `ethertype ${ETHERTYPE_NAMES[nt] || 'Unknown'}, `;
    if (i + 1 < p.count) this.network(i + 1, nt);
  }

  private mpls(i: number): void {
    const p = this.parser;
    this.s += 'MPLS';
    const vb = this.opts.verbose > 0;
    let j = i;
    for (; j < p.count && p.kinds[j] === Layer.Mpls; j++) {
      const v = p.view(j) as MplsView;
      // at -v every label after the first, and the payload, go on their own lines
      if (vb && j > i) this.s += '\n\t';
      if (p.status[j] !== DecodeStatus.Ok) {
        this.s += v.length === 0 ? ' (invalid)' : ' [|mpls]';
        return;
      }
      this.s += `${vb && j > i ? '' : ' '}(label ${v.label}, tc ${v.tc}${v.s ? ', [S]' : ''}, ttl ${v.ttl})`;
    }
    if (j < p.count) {
      this.s += vb ? '\n\t' : ' ';
      this.network(j, 0);
    } else this.s += `, length ${p.restLen}`;
  }

  private pppoe(i: number): void {
    const p = this.parser;
    const v = p.view(i) as PppoeView;
    if (v.length < 6) {
      this.s += ` (length ${v.length} < 6) (invalid)`;
      return;
    }
    if (p.status[i] !== DecodeStatus.Ok) {
      this.s += 'PPPoE  [|pppoe]';
      return;
    }
    const code = v.code;
    this.s += `PPPoE ${PPPOE_CODES[code] ?? `unknown (0x${hex2(code)})`}`;
    if (code === 0) {
      this.s += ` [ses 0x${v.sessionId.toString(16)}] `;
      const proto = v.pppProtocol;
      const name = PPP_PROTOS[proto] ?? `unknown`;
      if (this.opts.linkHeader) this.s += `${name} (0x${hex4(proto)}), length ${v.payloadLength}: `;
      if (i + 1 < p.count) this.network(i + 1, 0);
      else if (proto === 0xc021 && v.length >= 12) {
        const lb = v.bytes;
        const c = lb[v.offset + 8] ?? 0;
        this.s += `LCP, ${LCP_CODES[c] ?? 'unknown'} (0x${hex2(c)}), id ${lb[v.offset + 9] ?? 0}, length ${u16(lb, v.offset + 10)}`;
      } else if (!this.opts.linkHeader) this.s += `${name}`;
      return;
    }
    if (v.sessionId) this.s += ` [ses 0x${v.sessionId.toString(16)}]`;
    const b = v.bytes;
    const end = Math.min(v.offset + v.length, v.offset + 6 + v.payloadLength);
    let q = v.offset + 6;
    for (let guard = 0; q + 4 <= end && guard < 64; guard++) {
      const tag = u16(b, q);
      const len = u16(b, q + 2);
      q += 4;
      if (tag === 0) break;
      this.s += ` [${PPPOE_TAGS[tag] ?? `unknown-0x${hex4(tag)}`}`;
      if (len > 0) {
        let text = true;
        for (let k = 0; k < len && q + k < end; k++) {
          const c = b[q + k] ?? 0;
          if (c < 0x20 || c > 0x7e) text = false;
        }
        if (text) {
          this.s += ' "';
          for (let k = 0; k < len && q + k < end; k++) this.s += String.fromCharCode(b[q + k] ?? 0);
          this.s += '"';
        } else {
          this.s += ' 0x';
          for (let k = 0; k < len && q + k < end; k++) this.s += hex2(b[q + k] ?? 0).toUpperCase();
        }
      }
      this.s += ']';
      q += len;
    }
  }

  private arp(i: number): void {
    const p = this.parser;
    const v = p.view(i) as ArpView;
    const pkt = this.pkt!;
    const e = this.opts.linkHeader;
    if (!e) this.s += 'ARP, ';
    const len = pkt.wireLen - (v.offset - pkt.offset);
    if (v.length < 8) {
      if (!e) this.s = this.s.slice(0, -'ARP, '.length);
      this.s += ' [|arp]';
      return;
    }
    const op = v.op;
    const ethIp = v.htype === 1 && v.ptype === 0x0800 && v.hlen === 6 && v.plen === 4;
    if (!ethIp || this.opts.verbose > 0) {
      // tcpdump names the hardware and protocol types it does not decode
      this.s += `${v.htype === 1 ? 'Ethernet' : `Unknown Hardware (${v.htype})`} (len ${v.hlen}), ${v.ptype === 0x0800 ? 'IPv4' : `Unknown Protocol (0x${hex4(v.ptype)})`} (len ${v.plen}), `;
    }
    if (p.status[i] !== DecodeStatus.Ok) {
      this.s += ' [|arp]';
      return;
    }
    const b = v.bytes;
    const pa = (o: number): string => (v.plen === 4 ? ipv4Text(b, o) : `<wrong len>`);
    const ha = (o: number): string => macText(b, o, v.hlen);
    switch (op) {
      case 1: {
        this.s += `Request who-has ${pa(v.tpaOffset)}`;
        let zero = true;
        for (let k = 0; k < v.hlen; k++) if (b[v.thaOffset + k]) zero = false;
        if (!zero) this.s += ` (${ha(v.thaOffset)})`;
        this.s += ` tell ${pa(v.spaOffset)}`;
        break;
      }
      case 2:
        this.s += `Reply ${pa(v.spaOffset)} is-at ${ha(v.shaOffset)}`;
        break;
      case 3:
        this.s += `Reverse Request who-is ${ha(v.thaOffset)} tell ${ha(v.shaOffset)}`;
        break;
      case 4:
        this.s += `Reverse Reply ${ha(v.thaOffset)} at ${pa(v.tpaOffset)}`;
        break;
      case 8:
        this.s += `Inverse Request who-is ${pa(v.tpaOffset)} tell ${ha(v.shaOffset)}`;
        break;
      case 9:
        this.s += `Inverse Reply ${ha(v.shaOffset)} at ${pa(v.spaOffset)}`;
        break;
      default:
        this.s += `Unknown (${op})`;
    }
    this.s += `, length ${len}`;
  }

  // ---------------------------------------------------------------- IP

  private ipv4(i: number): void {
    const p = this.parser;
    const v = p.view(i) as Ipv4View;
    const pkt = this.pkt!;
    const o = this.opts;
    const st = p.status[i]!;
    if (v.length === 0) {
      this.s += ' [|ip]';
      return;
    }
    if (v.version !== 4) {
      this.s += v.version === 6 ? 'IP6, wrong link-layer encapsulation (invalid)' : `IP${v.version} (invalid)`;
      return;
    }
    this.s += o.linkHeader ? '' : 'IP ';
    if (v.length < 20) {
      this.s += ' [|ip]';
      return;
    }
    if (v.ihl < 5) {
      this.s += `bad-hlen ${v.headerLen}`;
      return;
    }
    const tl = v.totalLen;
    if (tl < v.headerLen) {
      this.s += `bad-len ${tl}`;
      return;
    }
    const wireAvail = pkt.wireLen - (v.offset - pkt.offset);
    if (tl > wireAvail) this.s += `truncated-ip - ${tl - wireAvail} bytes missing! `;
    if (o.verbose > 0) {
      this.s += `(tos 0x${v.tos.toString(16)}`;
      const ecn = v.ecn;
      if (ecn) this.s += ecn === 3 ? ',CE' : ecn === 1 ? ',ECT(1)' : ',ECT(0)';
      this.s += `, ttl ${v.ttl}, id ${v.id}, offset ${v.fragOffset}, flags [${ipv4FlagsText(v)}], proto ${IP_PROTO_NAMES[v.proto] || 'unknown'} (${v.proto}), length ${tl}`;
      if (v.headerLen > 20) {
        this.s += ', options (';
        if (st === DecodeStatus.Ok) this.ipOptions(v);
        else this.s += ' [|ip]';
        this.s += ')';
      }
      if (st === DecodeStatus.Ok && !v.headerChecksumOk()) {
        const should = (~onesSum(v.bytes, v.offset, v.headerLen, 0 - 0) + v.checksum) & 0xffff;
        this.s += `, bad cksum ${v.checksum.toString(16)} (->${ipCksumShouldBe(v)})!`;
        void should;
      }
      this.s += ')\n    ';
    }
    if (st !== DecodeStatus.Ok) {
      this.s += ' [|ip]';
      return;
    }
    const src = ipv4Text(v.bytes, v.srcOffset);
    const dst = ipv4Text(v.bytes, v.dstOffset);
    if (v.fragOffset !== 0) {
      this.s += `${src} > ${dst}: ip-proto-${v.proto}`;
      return;
    }
    this.transport(i + 1, v.proto, src, dst, v.payloadLen, i, false);
  }

  private ipOptions(v: Ipv4View): void {
    const b = v.bytes;
    let q = v.offset + 20;
    const end = v.offset + v.headerLen;
    let first = true;
    for (let guard = 0; q < end && guard < 40; guard++) {
      const t = b[q] ?? 0;
      if (!first) this.s += ',';
      first = false;
      if (t === 0) {
        this.s += 'EOL';
        q++;
        // tcpdump prints the padding after EOL as further EOLs only when non-zero; stop here
        break;
      }
      if (t === 1) {
        this.s += 'NOP';
        q++;
        continue;
      }
      const name = IP_OPT_NAMES[t] ?? `unknown (${t})`;
      if (q + 1 >= end) {
        this.s += `${name} [bad length 0]`;
        return;
      }
      const l = b[q + 1] ?? 0;
      if (l < 2) {
        this.s += `${name} [bad length ${l}]`;
        return;
      }
      if (q + l > end) {
        this.s += `${name} [bad length ${l}]`;
        return;
      }
      this.s += name;
      if ((t === 7 || t === 131 || t === 137) && l >= 3) {
        // record route / source routes: pointer then addresses
        const ptr = b[q + 2] ?? 0;
        for (let a = q + 3, k = 4; a + 4 <= q + l; a += 4, k += 4) {
          this.s += ` ${ipv4Text(b, a)}${ptr === k ? '' : ''}`;
        }
        if ((l - 3) % 4 !== 0) this.s += ' [bad length]';
      } else if (t === 148 && l !== 4) this.s += ` [bad length ${l}]`;
      else if (t === 148) {
        const val = u16(b, q + 2);
        if (val) this.s += ` value ${val}`;
      } else if (t !== 148 && l > 2 && t !== 7) {
        // tcpdump prints unknown options' length only
        if (IP_OPT_NAMES[t] === undefined) this.s += ` [len ${l}]`;
      }
      q += l;
    }
  }

  private ipv6(i: number): void {
    const p = this.parser;
    const v = p.view(i) as Ipv6View;
    const o = this.opts;
    const pkt = this.pkt!;
    if (v.length === 0 || (v.length < 40 && v.version === 6)) {
      this.s += ' [|ip6]';
      return;
    }
    this.s += o.linkHeader ? '' : 'IP6 ';
    if (v.version !== 6) {
      this.s += `version error: ${v.version} != 6`;
      return;
    }
    if (v.length < 40) {
      this.s += ' [|ip6]';
      return;
    }
    const plen = v.effectivePayloadLen;
    const wireAvail = pkt.wireLen - (v.offset - pkt.offset);
    if (plen + 40 > wireAvail) this.s += `truncated-ip6 - ${plen + 40 - wireAvail} bytes missing!`;
    if (o.verbose > 0) {
      this.s += '(';
      const tc = v.trafficClass;
      if (tc) this.s += `class 0x${hex2(tc)}, `;
      if (v.flowLabel) this.s += `flowlabel 0x${v.flowLabel.toString(16).padStart(5, '0')}, `;
      this.s += `hlim ${v.hopLimit}, next-header ${IP6_NH_NAMES[v.nextHeader] ?? (IP_PROTO_NAMES[v.nextHeader] || 'unknown')} (${v.nextHeader}) payload length: ${v.payloadLen}) `;
    }
    const src = ipv6Text(v.bytes, v.srcOffset);
    const dst = ipv6Text(v.bytes, v.dstOffset);
    // extension headers print before the upper layer, so defer the addresses like tcpdump does
    const b = v.bytes;
    let nh = v.nextHeader;
    let q = v.offset + 40;
    const capEnd = v.offset + v.length;
    const declEnd = v.offset + 40 + plen;
    const end = Math.min(capEnd, declEnd);
    let printedAddr = false;
    for (let guard = 0; guard < 100000; guard++) {
      if (nh === 0 || nh === 60 || nh === 43 || nh === 44) {
        if (!printedAddr) this.s += `${src} > ${dst}: `;
        printedAddr = true;
        if (q >= capEnd) {
          // tcpdump tries the header right after the fixed one, and gives up on the chain later
          this.s += q === v.offset + 40 && nh === 0 ? ' [|hbhopt]' : ' [|ip6]';
          return;
        }
        if (q + 2 > capEnd) {
          this.s += nh === 44 ? ' [|frag]' : nh === 43 ? ' [|rt6]' : nh === 0 ? ' [|hbhopt]' : ' [|dstopt]';
          return;
        }
        const len = nh === 44 ? 8 : ((b[q + 1] ?? 0) + 1) * 8;
        if (nh === 44) {
          if (q + 8 > capEnd) {
            this.s += ' [|frag]';
            return;
          }
          const off = u16(b, q + 2) & 0xfff8;
          const fl = declEnd - q - 8;
          this.s += o.verbose > 0 ? `frag (0x${hex8(u32(b, q + 4))}:${off}|${fl})` : `frag (${off}|${fl})`;
          if (off !== 0) return;
          this.s += ' ';
        } else if (nh === 43) {
          if (q + 4 > capEnd) {
            this.s += ' [|rt6]';
            return;
          }
          const type = b[q + 2] ?? 0;
          const segleft = b[q + 3] ?? 0;
          this.s += `RT6 (len=${b[q + 1] ?? 0}, type=${type}${type === 0 ? ' [Deprecated]' : ''}, segleft=${segleft}`;
          if (q + len > capEnd) {
            this.s += ' [|rt6]';
            return;
          }
          this.s += ', ';
          if (type === 0 || type === 2) {
            if (o.verbose > 0) this.s += `rsv=0x${u32(b, q + 4).toString(16)}, `;
            const n = (b[q + 1] ?? 0) >> 1;
            for (let k = 0; k < n; k++) this.s += `${k ? ', ' : ''}[${k}]${ipv6Text(b, q + 8 + 16 * k)}`;
          } else if (type === 4) {
            this.s += `last-entry=${b[q + 4] ?? 0}, tag=${u16(b, q + 6).toString(16)}, `;
            const n = (b[q + 1] ?? 0) >> 1;
            for (let k = 0; k < n; k++) this.s += `${k ? ', ' : ''}[${k}]${ipv6Text(b, q + 8 + 16 * k)}`;
          }
          this.s += ') ';
        } else {
          if (q + len > capEnd) {
            this.s += nh === 0 ? ' [|hbhopt]' : ' [|dstopt]';
            return;
          }
          this.s += nh === 0 ? 'HBH ' : 'DSTOPT ';
          if (o.verbose > 0) this.ip6Options(q + 2, q + len);
        }
        nh = b[q] ?? 0;
        q += len;
        continue;
      }
      break;
    }
    if (nh === 59) {
      if (!printedAddr) this.s += `${src} > ${dst}: `;
      this.s += 'no next header';
      return;
    }
    // the upper layer: find its parser layer (the parser walked the same chain)
    const upperLen = Math.max(0, declEnd - q);
    void end;
    this.transport(i + 1, nh, src, dst, upperLen, i, printedAddr);
  }

  private ip6Options(q: number, end: number): void {
    const b = this.parser.bytes;
    for (let guard = 0; q < end && guard < 64; guard++) {
      const t = b[q] ?? 0;
      if (t === 0) {
        this.s += '(pad1)';
        q++;
        continue;
      }
      if (q + 2 > end) {
        this.s += '[trunc]';
        return;
      }
      const l = b[q + 1] ?? 0;
      if (t === 1) this.s += '(padn)';
      else if (t === 5) this.s += `(rtalert: 0x${hex4(u16(b, q + 2))}) `;
      else if (t === 0xc2) this.s += `(jumbo: ${u32(b, q + 2)})`;
      else this.s += `(opt_type 0x${hex2(t)}: len=${l})`;
      q += 2 + l;
    }
    this.s += ' ';
  }

  // ---------------------------------------------------------------- transport

  /**
   * Layer i (if any) is the upper layer of an IP header at layer ipIdx carrying `proto`; `len` is its
   * length from the IP header. Ports are printed by TCP/UDP/SCTP, so addresses are passed down.
   */
  private transport(i: number, proto: number, src: string, dst: string, len: number, ipIdx: number, addrDone: boolean): void {
    const p = this.parser;
    const kind = i < p.count ? p.kinds[i] : Layer.None;
    const addrText = addrDone || kind === Layer.Tcp || kind === Layer.Udp || kind === Layer.Sctp ? '' : `${src} > ${dst}: `;
    switch (kind) {
      case Layer.Tcp:
        this.tcp(i, src, dst, len, ipIdx, addrDone);
        return;
      case Layer.Udp:
        this.udp(i, src, dst, len, ipIdx, addrDone);
        return;
      case Layer.Sctp:
        this.sctp(i, src, dst, addrDone);
        return;
      case Layer.Icmp:
        this.s += addrText;
        this.icmp(i, len, ipIdx);
        return;
      case Layer.Icmpv6:
        this.s += addrText;
        this.icmp6(i, len, ipIdx);
        return;
      case Layer.Igmp:
        this.s += addrText;
        this.igmp(i, len);
        return;
      case Layer.Gre:
        this.s += addrText;
        this.gre(i, len);
        return;
      case Layer.Ipv4:
      case Layer.Ipv6:
        this.s += addrText;
        this.network(i, 0);
        return;
      case Layer.Ah:
        this.s += addrText;
        this.ah(i, src, dst, len, ipIdx);
        return;
      case Layer.Esp: {
        this.s += addrText;
        const v = p.view(i) as EspView;
        if (p.status[i] !== DecodeStatus.Ok) this.s += 'ESP [|esp]';
        else this.s += `ESP(spi=0x${hex8(v.spi)},seq=0x${v.seq.toString(16)}), length ${len}`;
        return;
      }
      default: {
        this.s += addrText;
        const names: Readonly<Record<number, string>> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmp6', 2: 'igmp', 132: 'sctp', 47: 'gre', 51: 'ah', 50: 'esp', 4: 'ip', 41: 'ip6' };
        const n = names[proto];
        if (n !== undefined) this.s += ` [|${n}]`;
        else if (this.parser.kinds[ipIdx] === Layer.Ipv6) this.s += `ip-proto-${proto} ${len}`;
        else this.s += ` ip-proto-${proto} ${len}`;
      }
    }
  }

  private ah(i: number, src: string, dst: string, len: number, ipIdx: number): void {
    const p = this.parser;
    const v = p.view(i) as AhView;
    if (p.status[i] !== DecodeStatus.Ok) {
      this.s += 'AH [|ah]';
      return;
    }
    const b = v.bytes;
    let icv = '';
    for (let k = v.offset + 12; k < v.offset + v.headerLen; k++) icv += hex2(b[k] ?? 0);
    this.s += `AH(${this.opts.verbose > 0 ? `length=${(b[v.offset + 1] ?? 0)}(${v.headerLen}-bytes),` : ''}spi=0x${hex8(v.spi)},seq=0x${v.seq.toString(16)},icv=0x${icv}): `;
    this.transport(i + 1, v.nextHeader, src, dst, len - v.headerLen, ipIdx, true);
  }

  private tcp(i: number, src: string, dst: string, len: number, ipIdx: number, addrDone: boolean): void {
    const p = this.parser;
    const v = p.view(i) as TcpView;
    const o = this.opts;
    const b = v.bytes;
    if (v.length < 4) {
      this.s += `${src} > ${dst}: [|tcp]`;
      return;
    }
    const sport = v.srcPort;
    const dport = v.dstPort;
    this.s += addrDone ? `${sport} > ${dport}: ` : `${src}.${sport} > ${dst}.${dport}: `;
    const hlen = v.headerLen;
    if (v.length >= 13 && hlen < 20) {
      this.s += ` tcp ${len - hlen} [bad hdr length ${hlen} - too short, < 20]`;
      return;
    }
    if (v.length < 20) {
      this.s += ' [|tcp]';
      return;
    }
    let seq = v.seq;
    let ack = v.ack;
    const win = v.window;
    const flags = v.flags & 0xff;
    if (o.quiet) {
      this.s += `tcp ${len - hlen}`;
      if (hlen > len) this.s += ` [bad hdr length ${hlen} - too long, > ${len}]`;
      return;
    }
    this.s += `Flags [${tcpFlagText(flags)}]`;
    let rev = false;
    let thSeq = 0;
    let thAck = 0;
    if (flags & 0x10) {
      // tcpdump's relative numbering: the first packet of a conversation fixes both bases
      const ip = p.view(ipIdx) as { srcOffset: number; dstOffset: number };
      const alen = p.kinds[ipIdx] === Layer.Ipv6 ? 16 : 4;
      const c = cmpBytes(b, ip.srcOffset, ip.dstOffset, alen);
      rev = c > 0 || (c === 0 && sport > dport);
      // tcpdump's conversation table, keyed by the canonical address pair and ports (no string per packet)
      const k = this.flowKey;
      k.fill(0);
      const a1 = rev ? ip.dstOffset : ip.srcOffset;
      const a2 = rev ? ip.srcOffset : ip.dstOffset;
      let h = 0x811c9dc5;
      for (let j = 0; j < alen; j++) {
        k[j] = b[a1 + j] ?? 0;
        k[16 + j] = b[a2 + j] ?? 0;
        h = Math.imul(h ^ k[j]!, 16777619);
        h = Math.imul(h ^ k[16 + j]!, 16777619);
      }
      const pw = rev ? dport * 65536 + sport : sport * 65536 + dport;
      k[32] = pw >>> 24;
      k[33] = (pw >>> 16) & 0xff;
      k[34] = (pw >>> 8) & 0xff;
      k[35] = pw & 0xff;
      h = (Math.imul(h ^ pw, 16777619) ^ alen) >>> 0;
      let bucket = this.flows.get(h);
      let th: FlowSeq | undefined;
      if (bucket) {
        for (const e of bucket) {
          let same = e.key.length === 36;
          for (let j = 0; same && j < 36; j++) if (e.key[j] !== k[j]) same = false;
          if (same) {
            th = e;
            break;
          }
        }
      }
      if (th === undefined || flags & 0x02) {
        if (th === undefined) {
          th = { seq: 0, ack: 0, key: k.slice() };
          if (!bucket) {
            bucket = [];
            this.flows.set(h, bucket);
          }
          bucket.push(th);
        }
        if (!rev) {
          th.seq = seq;
          th.ack = (ack - 1) >>> 0;
        } else {
          th.ack = seq;
          th.seq = (ack - 1) >>> 0;
        }
      } else if (rev) {
        seq = (seq - th.ack) >>> 0;
        ack = (ack - th.seq) >>> 0;
      } else {
        seq = (seq - th.seq) >>> 0;
        ack = (ack - th.ack) >>> 0;
      }
      thSeq = th.seq;
      thAck = th.ack;
    }
    if (hlen > len) {
      this.s += ` [bad hdr length ${hlen} - too long, > ${len}]`;
      return;
    }
    // tcpdump verifies the checksum only of a whole, unfragmented segment
    if (o.verbose > 0 && !this.ipFragmented(ipIdx) && len <= v.length) {
      this.s += `, cksum 0x${hex4(v.checksum)}`;
      {
        const sum = this.l4Sum(ipIdx, 6, v.offset, len);
        if (sum === 0xffff) this.s += ' (correct)';
        else this.s += ` (incorrect -> 0x${hex4(cksumShouldBe(v.checksum, sum))})`;
      }
    }
    const dlen = len - hlen;
    if (o.verbose > 1 || dlen > 0 || flags & 0x07) {
      this.s += `, seq ${seq}`;
      if (dlen > 0) this.s += `:${(seq + dlen) >>> 0}`;
    }
    if (flags & 0x10) this.s += `, ack ${ack}`;
    this.s += `, win ${win}`;
    if (flags & 0x20) this.s += `, urg ${v.urgentPtr}`;
    if (hlen > 20) {
      this.s += ', options [';
      if (!this.tcpOptions(v, rev, thSeq, thAck)) return;
      this.s += ']';
    }
    this.s += `, length ${dlen}`;
    if (dlen <= 0) return;
    const pay = v.offset + hlen;
    const capEnd = v.offset + v.length;
    if (flags & 0x04 && o.verbose > 0) {
      // RST with data: the reason text, printable characters only
      this.s += ' [RST ';
      let k = pay;
      for (; k < capEnd && k < pay + dlen; k++) {
        const c = b[k] ?? 0;
        this.s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
      }
      this.s += k < pay + dlen ? '[|tcp]]' : ']';
      return;
    }
    if (sport === 53 || dport === 53) {
      if (dlen < 2) {
        this.s += ` [DNS over TCP: length ${dlen} < 2] (invalid)`;
        return;
      }
      if (pay + 2 > capEnd) {
        this.s += ' [|domain]';
        return;
      }
      if (u16(b, pay) !== dlen - 2) {
        this.s += ` [prefix length(${u16(b, pay)}) != length(${dlen - 2})] (invalid)`;
        return;
      }
      this.s += ' ';
      const di = p.find(Layer.Dns, i + 1);
      if (di >= 0) this.dns(di, dlen - 2);
      else this.s += ' [|domain]';
      return;
    }
    if (HTTP_PORTS.has(sport) || HTTP_PORTS.has(dport)) {
      this.s += ': ';
      this.txtproto(pay, Math.min(capEnd, pay + dlen), dlen, 'HTTP', true);
    } else {
      const tp = TXT_PORTS[sport] ?? TXT_PORTS[dport];
      if (tp !== undefined) {
        this.s += ': ';
        this.txtproto(pay, Math.min(capEnd, pay + dlen), dlen, tp, false);
      }
    }
  }

  /** Options of a TCP header; false when a bad option ended the line (tcpdump prints `[bad opt]`). */
  private tcpOptions(v: TcpView, rev: boolean, thSeq: number, thAck: number): boolean {
    const b = v.bytes;
    let q = v.offset + 20;
    let hlen = v.headerLen - 20;
    const capEnd = v.offset + v.length;
    let ch = false;
    for (let guard = 0; hlen > 0 && guard < 64; guard++) {
      if (ch) this.s += ',';
      if (q >= capEnd) {
        this.s += ' [|tcp]';
        return false;
      }
      const opt = b[q++] ?? 0;
      let len: number;
      if (opt === 0 || opt === 1) len = 1;
      else {
        if (q >= capEnd) {
          this.s += TCP_OPT_NAMES[opt] ?? `unknown-${opt}`;
          this.s += ' [|tcp]';
          return false;
        }
        len = b[q++] ?? 0;
        if (len < 2 || len > hlen) {
          this.s += ch ? '[bad opt]]' : '[bad opt]';
          return false;
        }
        hlen--;
      }
      hlen--;
      const name = TCP_OPT_NAMES[opt] ?? `unknown-${opt}`;
      this.s += name;
      let datalen = 0;

      switch (opt) {
        case 0:
        case 1:
        case 4:
          break;
        case 2:
          datalen = 2;
          if (!this.optNeed(2, hlen, q, capEnd, ch)) return false;
          this.s += ` ${u16(b, q)}`;
          break;
        case 3:
          datalen = 1;
          if (!this.optNeed(1, hlen, q, capEnd, ch)) return false;
          this.s += ` ${b[q] ?? 0}`;
          break;
        case 5: {
          datalen = len - 2;
          if (datalen % 8 !== 0) this.s += ' invalid sack';
          else {
            this.s += ` ${datalen / 8} `;
            for (let k = 0; k < datalen; k += 8) {
              if (!this.optNeed(k + 8, hlen, q, capEnd, ch)) return false;
              let s = u32(b, q + k);
              let e = u32(b, q + k + 4);
              if (rev) {
                s = (s - thSeq) >>> 0;
                e = (e - thSeq) >>> 0;
              } else {
                s = (s - thAck) >>> 0;
                e = (e - thAck) >>> 0;
              }
              this.s += `{${s}:${e}}`;
            }
          }
          break;
        }
        case 8:
          datalen = 8;
          if (!this.optNeed(8, hlen, q, capEnd, ch)) return false;
          this.s += ` val ${u32(b, q)} ecr ${u32(b, q + 4)}`;
          break;
        case 19:
          datalen = 16;
          if (!this.optNeed(16, hlen, q, capEnd, ch)) return false;
          this.s += " shared secret not supplied with -M, can't check - ";
          for (let k = 0; k < 16; k++) this.s += hex2(b[q + k] ?? 0);
          break;
        case 28:
          datalen = 2;
          if (!this.optNeed(2, hlen, q, capEnd, ch)) return false;
          {
            const u = u16(b, q);
            this.s += ` 0x${u.toString(16)} ${u & 1 ? (u >> 1) * 60 : u >> 1}`;
          }
          break;
        case 30:
          datalen = len - 2;
          if (!this.optNeed(datalen, hlen, q, capEnd, ch)) return false;
          if (!this.mptcp(q - 2, len)) {
            this.s += '[bad opt]';
            return false;
          }
          break;
        default:
          datalen = len - 2;
          if (datalen) this.s += ' 0x';
          for (let k = 0; k < datalen; k++) {
            if (!this.optNeed(k + 1, hlen, q, capEnd, ch)) return false;
            this.s += hex2(b[q + k] ?? 0);
          }
          break;
      }
      q += datalen;
      hlen -= datalen;
      let expect = datalen + 1;
      if (opt !== 0 && opt !== 1) expect++;
      if (expect !== len) this.s += `[len ${len}]`;
      ch = true;
      if (opt === 0) break;
    }
    return true;
  }

  /** tcpdump's LENCHECK: `n` option bytes must fit the header and the capture. */
  private optNeed(n: number, hlen: number, q: number, capEnd: number, ch: boolean): boolean {
    if (n > hlen) {
      this.s += '[bad opt]';
      return false;
    }
    if (q + n > capEnd) {
      // tcpdump's option truncation path closes the bracket with '>' once an option was printed
      this.s += ch ? ' [|tcp]>' : ' [|tcp]';
      return false;
    }
    return true;
  }

  private mptcp(q: number, len: number): boolean {
    const b = this.parser.bytes;
    const sub = (b[q + 2] ?? 0) >> 4;
    const names = ['capable', 'join', 'dss', 'add-addr', 'rem-addr', 'prio', 'fail', 'fast-close', 'tcprst'];
    this.s += ` ${len} ${names[sub] ?? 'unknown'}`;
    if (sub === 0) {
      const ver = (b[q + 2] ?? 0) & 15;
      const fl = b[q + 3] ?? 0;
      this.s += ` v${ver}`;
      if (fl & 0x80) this.s += ' csum';
      if (len === 12 || len === 20) {
        this.s += ` {0x${bigHex(b, q + 4)}`;
        if (len === 20) this.s += `,0x${bigHex(b, q + 12)}`;
        this.s += '}';
      }
      return len === 4 || len === 12 || len === 20 || len === 22 || len === 24;
    }
    return true;
  }

  private txtproto(start: number, end: number, len: number, proto: string, httpLike: boolean): void {
    const b = this.parser.bytes;
    const lim = start + len;
    // first token: a method, or (second token) a 3-digit status
    const tok = (from: number): [string, number] => {
      let t = '';
      let k = from;
      for (; k < lim; k++) {
        if (k >= end) return ['', 0];
        const c = b[k] ?? 0;
        if (c >= 0x80) return ['', 0];
        if (c === 32 || c === 9 || c === 13 || c === 10) break;
        if (c < 0x20 || c > 0x7e) return ['', 0];
        if (t.length + 2 > 128) return ['', 0];
        t += String.fromCharCode(c);
      }
      if (t === '') return ['', 0];
      for (; k < lim && k < end; k++) {
        const c = b[k] ?? 0;
        if (c === 13 || c === 10) break;
        if (c < 0x20 || c > 0x7e) break;
        if (c !== 32 && c !== 9) break;
      }
      return [t, k - start];
    };
    let show = !httpLike;
    let [t, idx] = tok(start);
    if (httpLike && idx !== 0) {
      if (HTTP_METHODS.has(t.toUpperCase())) show = true;
      [t, idx] = tok(start + idx);
      if (idx !== 0 && /^[0-9]{3}$/.test(t)) show = true;
    }
    this.s += proto;
    if (!show) return;
    if (this.opts.verbose > 0) {
      this.s += `, length: ${len}`;
      let k = start;
      for (let guard = 0; k < lim && guard < 10000; guard++) {
        const n = this.txtLine(k, lim, end, '\n\t', proto.toLowerCase());
        if (n === 0) break;
        k = n;
      }
      return;
    }
    this.txtLine(start, lim, end, ': ', proto.toLowerCase());
  }

  private txtLine(start: number, lim: number, end: number, prefix: string, proto: string): number {
    const b = this.parser.bytes;
    let k = start;
    for (; k < lim; k++) {
      if (k >= end) {
        // the capture ends inside the line: tcpdump's checked read gives up before printing it
        this.s += ` [|${proto}]`;
        return 0;
      }
      const c = b[k] ?? 0;
      if (c === 10) {
        this.s += prefix + latin1(b, start, k);
        return k + 1;
      }
      if (c === 13) {
        if (k + 1 >= lim) return 0;
        if (k + 1 >= end) {
          this.s += ` [|${proto}]`;
          return 0;
        }
        if (b[k + 1] === 10) {
          this.s += prefix + latin1(b, start, k);
          return k + 2;
        }
        return 0;
      }
      if ((c < 0x20 || c > 0x7e) && c !== 9) return 0;
    }
    this.s += prefix + latin1(b, start, k) + ` [|${proto}]`;
    return 0;
  }

  private udp(i: number, src: string, dst: string, len: number, ipIdx: number, addrDone: boolean): void {
    const p = this.parser;
    const v = p.view(i) as UdpView;
    const o = this.opts;
    if (p.status[i] !== DecodeStatus.Ok) {
      if (!addrDone) this.s += v.length >= 4 ? `${src}.${v.srcPort} > ${dst}.${v.dstPort}: ` : `${src} > ${dst}: `;
      this.s += ' [|udp]';
      return;
    }
    const sport = v.srcPort;
    const dport = v.dstPort;
    const ulen = v.len;
    const portText = addrDone ? `${sport} > ${dport}: ` : `${src}.${sport} > ${dst}.${dport}: `;
    if (ulen < 8 && len >= 8) {
      this.s += portText;
      this.s += `truncated-udplength ${ulen}`;
      return;
    }
    const ipv = p.view(ipIdx) as Ipv4View;
    const fragmented = (p.kinds[ipIdx] === Layer.Ipv4 && ipv.mf) || this.ipFragmented(ipIdx);
    if (ulen > len && !fragmented) {
      this.s += portText;
      this.s += `UDP, bad length ${ulen - 8} > ${len - 8}`;
      return;
    }
    const dlen = ulen - 8;
    if (len < 8) {
      this.s += portText;
      this.s += `truncated-udp ${len}`;
      return;
    }
    this.s += portText;
    const isV6 = p.kinds[ipIdx] === Layer.Ipv6;
    // tcpdump checks UDP checksums over IPv6 at -v, over IPv4 only at -vv
    if ((isV6 ? o.verbose > 0 : o.verbose > 1) && !fragmented) {
      const cs = v.checksum;
      if (cs === 0 && !isV6) this.s += '[no cksum] ';
      else if (v.length < ulen) {
        // not all captured: no verdict
      } else {
        const sum = this.l4Sum(ipIdx, 17, v.offset, ulen);
        if (sum === 0xffff) this.s += '[udp sum ok] ';
        else this.s += `[bad udp cksum 0x${hex4(cs)} -> 0x${hex4(cksumShouldBe(cs, sum))}!] `;
      }
    }
    const next = i + 1 < p.count ? p.kinds[i + 1] : Layer.None;
    if (o.quiet && next !== Layer.Vxlan && next !== Layer.Geneve) {
      this.s += `UDP, length ${dlen}`;
      return;
    }
    switch (next) {
      case Layer.Dns:
        this.dns(i + 1, dlen);
        return;
      case Layer.Vxlan: {
        const x = p.view(i + 1) as VxlanView;
        if (p.status[i + 1] !== DecodeStatus.Ok) {
          this.s += 'VXLAN [|vxlan]';
          return;
        }
        this.s += `VXLAN, flags [${x.flags & 0x08 ? 'I' : '.'}] (0x${hex2(x.flags)}), vni ${x.vni}\n`;
        if (i + 2 < p.count) this.ether(i + 2, dlen - 8);
        return;
      }
      case Layer.Geneve: {
        const g = p.view(i + 1) as GeneveView;
        if (p.status[i + 1] !== DecodeStatus.Ok) {
          this.s += dlen < 8 ? `Geneve [length ${dlen} < 8] (invalid)` : 'Geneve [|geneve]';
          return;
        }
        const fl: string[] = [];
        if (g.flags & 0x80) fl.push('O');
        if (g.flags & 0x40) fl.push('C');
        this.s += `Geneve, Flags [${fl.length ? fl.join(', ') : 'none'}], vni 0x${g.vni.toString(16)}`;
        if (o.linkHeader) this.s += `, proto ${etherTypeText(g.protocol)}`;
        if (g.optionsLen) this.s += `, options [${g.optionsLen} bytes]`;
        this.s += ': ';
        if (i + 2 < p.count) {
          if (p.kinds[i + 2] === Layer.Ethernet) this.ether(i + 2, dlen - g.headerLen);
          else this.network(i + 2, g.protocol);
        }
        return;
      }
      case Layer.Dhcp:
        this.dhcp(i + 1, dlen);
        return;
      case Layer.Ntp:
        this.ntp(i + 1, dlen);
        return;
      default:
        this.s += `UDP, length ${dlen}`;
    }
  }

  /** True when the IP header at ipIdx is a fragment (IPv4 MF or offset, or an IPv6 fragment header). */
  private ipFragmented(ipIdx: number): boolean {
    const p = this.parser;
    if (p.kinds[ipIdx] === Layer.Ipv6) return (p.view(ipIdx) as Ipv6View).fragHeaderOffset >= 0;
    if (p.kinds[ipIdx] === Layer.Ipv4) {
      const v = p.view(ipIdx) as Ipv4View;
      return v.mf || v.fragOffset !== 0;
    }
    return false;
  }

  private quoter: TextFormatter | undefined;
  /** Nesting level of ICMP quotes (a quote inside a quote is printed, deeper ones are not). */
  private quoteDepth = 0;

  /** The datagram quoted by an ICMP error, printed by a nested formatter like tcpdump's -v does. */
  private quotedIp(off: number, len: number): void {
    if (this.quoteDepth >= 2) return;
    if (!this.quoter) {
      this.quoter = new TextFormatter({ ...this.opts, timeFormat: 1, number: false, hex: 0, hexAscii: 0, ascii: false, linkHeader: false });
      this.quoter.quoteDepth = this.quoteDepth + 1;
    }
    this.s += '\n\t' + this.quoter.formatIp(this.parser.bytes, off, len);
  }

  /** Text of a bare IP packet (no timestamp, no newline), for quotes. */
  formatIp(bytes: Uint8Array, off: number, len: number): string {
    const saved = this.s;
    const pkt = this.quotePkt;
    pkt.buf = bytes;
    pkt.offset = off;
    pkt.capLen = len;
    pkt.wireLen = len;
    pkt.linkType = DecodeLinkType.RAW;
    this.pkt = pkt;
    this.s = '';
    try {
      this.parser.decode(bytes, off, len, DecodeLinkType.RAW);
      this.link();
    } catch {
      this.internalErrors++;
      this.s += ' [|decode]';
    }
    const out = this.s;
    this.s = saved;
    return out;
  }

  private readonly quotePkt: PacketView = emptyPacket();

  private l4Sum(ipIdx: number, proto: number, off: number, len: number): number {
    const p = this.parser;
    const b = p.bytes;
    let init: number;
    if (p.kinds[ipIdx] === Layer.Ipv6) {
      const ip = p.view(ipIdx) as Ipv6View;
      init = onesSum(b, ip.srcOffset, 32, 0) + Math.floor(len / 65536) + (len & 0xffff) + proto;
    } else {
      const ip = p.view(ipIdx) as Ipv4View;
      init = onesSum(b, ip.srcOffset, 8, 0) + proto + len;
    }
    return onesSum(b, off, len, init);
  }

  private sctp(i: number, src: string, dst: string, addrDone: boolean): void {
    const p = this.parser;
    const v = p.view(i) as SctpView;
    if (p.status[i] !== DecodeStatus.Ok) {
      if (!addrDone) this.s += `${src} > ${dst}:`;
      this.s += ' [|sctp]';
      return;
    }
    this.s += `${src}.${v.srcPort} > ${dst}.${v.dstPort}: sctp`;
    void addrDone;
    const b = v.bytes;
    const end = Math.min(v.offset + v.length, v.offset + p.lens[i]!);
    let q = v.chunksOffset;
    for (let n = 1; q + 4 <= end && n < 1000; n++) {
      const t = b[q] ?? 0;
      const fl = b[q + 1] ?? 0;
      const cl = u16(b, q + 2);
      this.s += `${n > 1 ? ',' : ''} (${n}) `;
      const name = SCTP_CHUNK_NAMES[t];
      if (name === undefined) this.s += `[Unknown chunk type: 0x${hex2(t)}] `;
      else this.s += `[${name}] `;
      if (cl < 4) {
        this.s += '[chunk length < 4]';
        return;
      }
      const body = q + 4;
      if (t === 0 && cl >= 16 && body + 12 <= end) {
        this.s += `${fl & 4 ? '(U)' : ''}${fl & 2 ? '(B)' : ''}${fl & 1 ? '(E)' : ''}${fl & 7 ? ' ' : ''}`;
        this.s += `[TSN: ${u32(b, body)}] [SID: ${u16(b, body + 4)}] [SSEQ ${u16(b, body + 6)}] [PPID 0x${u32(b, body + 8).toString(16)}] `;
      } else if ((t === 1 || t === 2) && cl >= 20 && body + 16 <= end) {
        this.s += `[init tag: ${u32(b, body)}] [rwnd: ${u32(b, body + 4)}] [OS: ${u16(b, body + 8)}] [MIS: ${u16(b, body + 10)}] [init TSN: ${u32(b, body + 12)}] `;
      } else if (t === 3 && cl >= 16 && body + 12 <= end) {
        this.s += `[cum ack ${u32(b, body)}] [a_rwnd ${u32(b, body + 4)}] [#gap acks ${u16(b, body + 8)}] [#dup tsns ${u16(b, body + 10)}] `;
      }
      q += (cl + 3) & ~3;
    }
  }

  // ---------------------------------------------------------------- ICMP family

  private icmp(i: number, len: number, _ipIdx: number): void {
    const p = this.parser;
    const v = p.view(i) as IcmpView;
    const b = v.bytes;
    if (v.length < 1) {
      this.s += ' [|icmp]';
      return;
    }
    const t = v.type;
    const c = v.code;
    let text: string;
    if (v.length < 8) {
      this.s += ' [|icmp]';
      return;
    }
    const quote = (): string | null => {
      // the quoted datagram: destination and the protocol/port where tcpdump shows them
      const q = this.quoteIp4;
      if (q.reset(b, v.offset + 8, v.length - 8) === DecodeStatus.Truncated && q.length < 20) return null;
      return ipv4Text(b, q.dstOffset);
    };
    switch (t) {
      case 0:
      case 8:
        if (v.length < 8) {
          this.s += ' [|icmp]';
          return;
        }
        text = `${t === 0 ? 'echo reply' : 'echo request'}, id ${v.id}, seq ${v.seq}`;
        break;
      case 3: {
        const dst = quote();
        if (dst === null) {
          this.s += ' [|icmp]';
          return;
        }
        if (c === 3 || c === 2) {
          const q = this.quoteIp4;
          const pr = q.proto;
          if (c === 2) text = `${dst} protocol ${pr} unreachable`;
          else {
            const po = q.offset + q.headerLen;
            if (po + 4 > v.offset + v.length) {
              this.s += ' [|icmp]';
              return;
            }
            const port = u16(b, po + 2);
            text = pr === 6 ? `${dst} tcp port ${port} unreachable` : pr === 17 ? `${dst} udp port ${port} unreachable` : `${dst} protocol ${pr} port ${port} unreachable`;
          }
        } else if (c === 4) {
          const mtu = u16(b, v.offset + 6);
          text = mtu ? `${dst} unreachable - need to frag (mtu ${mtu})` : `${dst} unreachable - need to frag`;
        } else {
          const f = ICMP_UNREACH[c];
          text = f !== undefined ? f.replace('%s', dst) : `${dst} unreachable - #${c}`;
        }
        break;
      }
      case 5: {
        const dst = quote();
        if (dst === null) {
          this.s += ' [|icmp]';
          return;
        }
        const gw = ipv4Text(b, v.offset + 4);
        const kinds = ['net', 'host', 'tos-net', 'tos-host'];
        text = `redirect ${dst} to ${kinds[c] !== undefined ? kinds[c] + ' ' : ''}${gw}`;
        if (kinds[c] === undefined) text = `redirect-#${c} ${dst} to ${gw}`;
        break;
      }
      case 11:
        text = c === 0 ? 'time exceeded in-transit' : c === 1 ? 'ip reassembly time exceeded' : `time exceeded-#${c}`;
        break;
      case 12:
        text = c === 0 ? `parameter problem - octet ${b[v.offset + 4] ?? 0}` : `parameter problem code ${c}`;
        break;
      case 13:
      case 14:
        text = `time stamp ${t === 13 ? 'query' : 'reply'} id ${v.id} seq ${v.seq}`;
        if (t === 14 && v.length >= 20) text += `: org ${tsText(u32(b, v.offset + 8))}, recv ${tsText(u32(b, v.offset + 12))}, xmit ${tsText(u32(b, v.offset + 16))}`;
        break;
      case 9: {
        const n = b[v.offset + 4] ?? 0;
        const sz = b[v.offset + 5] ?? 0;
        text = `router advertisement lifetime ${u16(b, v.offset + 6)}`;
        if (sz === 2 && n > 0) {
          let q = v.offset + 8;
          const parts: string[] = [];
          for (let k = 0; k < n && q + 8 <= v.offset + v.length; k++, q += 8) parts.push(`{${ipv4Text(b, q)} ${u32(b, q + 4)}}`);
          text += ` ${n}: ${parts.join(' ')}`;
        }
        break;
      }
      case 10:
        text = 'router solicitation';
        break;
      case 4:
        text = 'source quench';
        break;
      case 15:
      case 16:
        text = t === 15 ? 'information request' : 'information reply';
        break;
      case 17:
        text = `address mask request`;
        break;
      case 18:
        text = `address mask is 0x${hex8(u32(b, v.offset + 8))}`;
        break;
      default:
        text = ICMP_TYPES[t] ?? `type-#${t}`;
    }
    this.s += `ICMP ${text}, length ${len}`;
    if (this.opts.verbose > 0 && v.isError && v.length > 8) this.quotedIp(v.offset + 8, v.length - 8);
    if (this.opts.verbose > 0 && !this.ipFragmented(_ipIdx) && len <= v.length) {
      if (onesSum(b, v.offset, len, 0) !== 0xffff) this.s += ` (wrong icmp cksum ${v.checksum.toString(16)} (->${hex4(cksumShouldBe(v.checksum, onesSum(b, v.offset, len, 0)))})!)`;
    }
  }

  private icmp6(i: number, len: number, ipIdx: number): void {
    const p = this.parser;
    const v = p.view(i) as Icmpv6View;
    const b = v.bytes;
    const o = this.opts;
    if (v.length < 1) {
      this.s += ' [|icmp6]';
      return;
    }
    if (o.verbose > 0 && v.length >= len && !this.ipFragmented(ipIdx)) {
      const sum = this.l4Sum(ipIdx, 58, v.offset, len);
      if (sum === 0xffff) this.s += '[icmp6 sum ok] ';
      else this.s += `[bad icmp6 cksum 0x${hex4(v.checksum)} -> 0x${hex4(cksumShouldBe(v.checksum, sum))}!] `;
    }
    const t = v.type;
    const c = v.code;
    const end = v.offset + v.length;
    this.s += 'ICMP6, ';
    const name = ICMP6_TYPES[t];
    switch (t) {
      case 128:
      case 129:
        if (v.length < 8) {
          this.s += `${name} [|icmp6]`;
          return;
        }
        this.s += `${name}, id ${v.id}, seq ${v.seq}`;
        // at -v tcpdump leaves the length out of echo messages
        if (o.verbose > 0) return;
        break;
      case 1: {
        this.s += `destination unreachable, `;
        const q = this.quoteIp6;
        if (v.length < 8 + 40 || q.reset(b, v.offset + 8, v.length - 8) !== DecodeStatus.Ok) {
          this.s += (['unreachable route', 'unreachable prohibited', 'beyond scope', 'unreachable address', 'unreachable port'][c] ?? '') + ' [|icmp6]';
          return;
        }
        const dst = ipv6Text(b, q.dstOffset);
        if (c === 4) {
          const po = q.upperOffset;
          if (po + 4 > end) {
            this.s += ' [|icmp6]';
            return;
          }
          const pr = q.upperProto;
          const port = u16(b, po + 2);
          this.s += `unreachable port, ${dst} ${pr === 6 ? 'tcp' : pr === 17 ? 'udp' : `protocol ${pr}`} port ${port}`;
        } else if (c === 3) this.s += `unreachable address ${dst}`;
        else if (c === 0) this.s += `unreachable route ${dst}`;
        else if (c === 1) this.s += `unreachable prohibited ${dst}`;
        else if (c === 2) this.s += `beyond scope of source address ${ipv6Text(b, q.srcOffset)}`;
        else this.s += `unknown unreach code (${c})`;
        break;
      }
      case 2:
        if (v.length < 8) {
          this.s += `packet too big [|icmp6]`;
          return;
        }
        this.s += `packet too big, mtu ${u32(b, v.offset + 4)}`;
        break;
      case 3: {
        const q = this.quoteIp6;
        if (v.length < 48 || q.reset(b, v.offset + 8, v.length - 8) !== DecodeStatus.Ok) {
          this.s += 'time exceeded [|icmp6]';
          return;
        }
        const dst = ipv6Text(b, q.dstOffset);
        this.s += c === 0 ? `time exceeded in-transit for ${dst}` : c === 1 ? `time exceeded in-transit for ${dst}` : `time exceeded unknown code (${c})`;
        if (c === 1) this.s = this.s.replace(/in-transit for (\S+)$/, 'in-transit for $1');
        break;
      }
      case 4:
        this.s += `parameter problem, ${['erroneous - octet', 'next header - octet', 'option - octet'][c] ?? 'code-#' + c} ${u32(b, v.offset + 4)}`;
        break;
      case 135:
        if (v.length < 24) {
          this.s += 'neighbor solicitation [|icmp6]';
          return;
        }
        if (o.verbose > 0) this.s += `neighbor solicitation, length ${len}, who has ${ipv6Text(b, v.offset + 8)}`;
        else this.s += `neighbor solicitation, who has ${ipv6Text(b, v.offset + 8)}`;
        if (o.verbose > 0) {
          this.ndOptions(v.offset + 24, Math.min(end, v.offset + len));
          return;
        }
        break;
      case 136:
        if (v.length < 24) {
          this.s += 'neighbor advertisement [|icmp6]';
          return;
        }
        if (o.verbose > 0) {
          const f = b[v.offset + 4] ?? 0;
          const fl: string[] = [];
          if (f & 0x80) fl.push('router');
          if (f & 0x40) fl.push('solicited');
          if (f & 0x20) fl.push('override');
          this.s += `neighbor advertisement, length ${len}, tgt is ${ipv6Text(b, v.offset + 8)}, Flags [${fl.length ? fl.join(', ') : 'none'}]`;
          this.ndOptions(v.offset + 24, Math.min(end, v.offset + len));
          return;
        }
        this.s += `neighbor advertisement, tgt is ${ipv6Text(b, v.offset + 8)}`;
        break;
      case 137:
        if (v.length < 40) {
          this.s += 'redirect [|icmp6]';
          return;
        }
        this.s += `redirect, ${ipv6Text(b, v.offset + 24)} to ${ipv6Text(b, v.offset + 8)}`;
        break;
      case 130:
      case 131:
      case 132:
        if (t === 130 && len > 24) {
          if (v.length < 28) {
            this.s += `multicast listener query v2 [|icmp6]`;
            return;
          }
          this.s += `multicast listener query v2 [gaddr ${ipv6Text(b, v.offset + 8)}`;
          const ns = u16(b, v.offset + 26);
          if (ns) this.s += ` ${ns} source(s)`;
          this.s += ']';
          break;
        }
        if (v.length < 24) {
          this.s += `${name} [|icmp6]`;
          return;
        }
        this.s += `${name}max resp delay: ${u16(b, v.offset + 4)} addr: ${ipv6Text(b, v.offset + 8)}`;
        break;
      case 143:
        if (v.length < 8) {
          this.s += `${name} [|icmp6]`;
          return;
        }
        this.s += `${name}, ${u16(b, v.offset + 6)} group record(s)`;
        if (o.verbose > 0) {
          this.groupRecords(v.offset + 8, Math.min(end, v.offset + len), u16(b, v.offset + 6), 16);
          return;
        }
        break;
      case 133:
      case 134:
        this.s += `${name}, length ${len}`;
        if (o.verbose > 0) {
          if (t === 134 && v.length >= 16) {
            const f = b[v.offset + 5] ?? 0;
            const fl: string[] = [];
            if (f & 0x80) fl.push('managed');
            if (f & 0x40) fl.push('other stateful');
            if (f & 0x20) fl.push('home agent');
            const prf = ['medium', 'high', 'reserved', 'low'][(f >> 3) & 3];
            this.s += `\n\thop limit ${b[v.offset + 4] ?? 0}, Flags [${fl.length ? fl.join(', ') : 'none'}], pref ${prf}, router lifetime ${u16(b, v.offset + 6)}s, reachable time ${u32(b, v.offset + 8)}ms, retrans timer ${u32(b, v.offset + 12)}ms`;
          }
          this.ndOptions(v.offset + (t === 133 ? 8 : 16), Math.min(end, v.offset + len));
        }
        return;
      default:
        this.s += name ?? `type-#${t}`;
    }
    this.s += `, length ${len}`;
  }

  /** IGMPv3 / MLDv2 group records at -v: ` [gaddr G mode, N source(s)]` each. */
  private groupRecords(q: number, end: number, n: number, alen: number): void {
    const b = this.parser.bytes;
    const MODES = ['', 'is_in', 'is_ex', 'to_in', 'to_ex', 'allow', 'block'];
    for (let k = 0; k < n && k < 1024; k++) {
      if (q + 4 + alen > end) {
        this.s += ' [|igmp]';
        return;
      }
      const type = b[q] ?? 0;
      const aux = (b[q + 1] ?? 0) * 4;
      const ns = u16(b, q + 2);
      const g = alen === 4 ? ipv4Text(b, q + 4) : ipv6Text(b, q + 4);
      this.s += ` [gaddr ${g} ${MODES[type] ?? `unknown-${type}`}, ${ns} source(s)]`;
      q += 4 + alen + ns * alen + aux;
    }
  }

  private ndOptions(q: number, end: number): void {
    const b = this.parser.bytes;
    for (let guard = 0; q + 2 <= end && guard < 64; guard++) {
      const t = b[q] ?? 0;
      const l = (b[q + 1] ?? 0) * 8;
      if (l === 0) {
        this.s += `\n\t  ${ND_OPT_NAMES[t] ?? 'unknown option'} (${t}), length 0 (0) [|icmp6]`;
        return;
      }
      this.s += `\n\t  ${ND_OPT_NAMES[t] ?? 'unknown option'} (${t}), length ${l} (${l / 8}): `;
      if (q + l > end) {
        this.s += ' [|icmp6]';
        return;
      }
      if (t === 1 || t === 2) this.s += macText(b, q + 2, l - 2);
      else if (t === 5) this.s += ` ${u32(b, q + 4)}`;
      else if (t === 3 && l >= 32) this.s += `${ipv6Text(b, q + 16)}/${b[q + 2] ?? 0}, Flags [${prefixFlags(b[q + 3] ?? 0)}], valid time ${lifetime(u32(b, q + 4))}, pref. time ${lifetime(u32(b, q + 8))}`;
      q += l;
    }
  }

  private igmp(i: number, len: number): void {
    const p = this.parser;
    const v = p.view(i) as IgmpView;
    const b = v.bytes;
    if (v.length < 1) {
      this.s += ' [|igmp]';
      return;
    }
    if (v.length < 8) {
      this.s += 'igmp [|igmp]';
      return;
    }
    const g = ipv4Text(b, v.groupOffset);
    switch (v.type) {
      case 0x11: {
        if (len >= 12) {
          this.s += 'igmp query v3';
          const mrc = v.maxResp;
          const mrt = mrc < 128 ? mrc : ((mrc & 15) | 16) << (((mrc >> 4) & 7) + 3);
          if (mrt !== 100) this.s += ` [max resp time ${mrt / 10}${mrt % 10 ? '.' + (mrt % 10) : ''}s]`;
          if (u32(b, v.groupOffset) !== 0) this.s += ` [gaddr ${g}`;
          const ns = v.length >= 12 ? u16(b, v.offset + 10) : 0;
          if (u32(b, v.groupOffset) !== 0) this.s += ns ? ` ${ns} source(s)]` : ']';
          else if (ns && this.opts.verbose > 0) this.s += ` ${ns} source(s)`;
          return;
        }
        if (v.maxResp === 0) this.s += 'igmp query v1';
        else {
          this.s += 'igmp query v2';
          if (v.maxResp !== 100) this.s += ` [max resp time ${v.maxResp}]`;
        }
        if (u32(b, v.groupOffset) !== 0) this.s += ` [gaddr ${g}]`;
        if (len !== 8) this.s += ` [len ${len}]`;
        return;
      }
      case 0x12:
        this.s += `igmp v1 report ${g}`;
        break;
      case 0x16:
        this.s += `igmp v2 report ${g}`;
        break;
      case 0x17:
        this.s += `igmp leave ${g}`;
        break;
      case 0x22:
        this.s += `igmp v3 report, ${v.v3Records} group record(s)`;
        if (this.opts.verbose > 0) this.groupRecords(v.offset + 8, v.offset + Math.min(v.length, len), v.v3Records, 4);
        return;
      default:
        this.s += `igmp-${v.type}`;
        return;
    }
    if (len !== 8) this.s += ` [len ${len}]`;
  }

  private gre(i: number, len: number): void {
    const p = this.parser;
    const v = p.view(i) as GreView;
    if (v.length < 2) {
      this.s += ' [|gre]';
      return;
    }
    const f = v.flagsVer;
    const ver = v.version;
    this.s += `GREv${ver}`;
    if (p.status[i] !== DecodeStatus.Ok) {
      this.s += ' [|gre]';
      return;
    }
    if (ver !== 0) {
      this.s += `, length ${len}`;
      return;
    }
    const b = v.bytes;
    if (this.opts.verbose > 0) this.s += `, Flags [${greFlagText(f)}]`;
    const co = v.fieldOffset(GreFlag.C);
    if (co >= 0) {
      if (this.opts.verbose > 0) this.s += `, sum 0x${u16(b, co).toString(16)}`;
      this.s += `, off 0x${u16(b, co + 2).toString(16)}`;
    }
    if (f & GreFlag.K) this.s += `, key=0x${v.key.toString(16)}`;
    if (f & GreFlag.S) this.s += `, seq ${v.seq}`;
    if (this.opts.linkHeader) this.s += `, proto ${etherTypeText(v.protocol)}`;
    this.s += `, length ${len}: `;
    if (i + 1 < p.count) {
      if (p.kinds[i + 1] === Layer.Ethernet) this.ether(i + 1, len - v.headerLen);
      else this.network(i + 1, v.protocol);
    } else this.s += `gre-proto-0x${v.protocol.toString(16)}`;
  }

  // ---------------------------------------------------------------- applications

  private dns(i: number, len: number): void {
    const p = this.parser;
    const v = p.view(i) as DnsView;
    const b = v.bytes;
    const o = this.opts;
    if (p.status[i] !== DecodeStatus.Ok) {
      if (len < 12) this.s += `domain [length ${len} < 12] (invalid)`;
      else this.s += ' [|domain]';
      return;
    }
    const end = Math.min(v.end, v.offset + len);
    const qd = v.qdcount;
    let an = v.ancount;
    const ns = v.nscount;
    const ar = v.arcount;
    let q = v.questionsOffset;
    if (v.qr) {
      this.s += `${v.id}${DNS_OPS[v.opcode]}${DNS_RCODES[v.rcode]}${v.aa ? '*' : ''}${v.ra ? '' : '-'}${v.tc ? '|' : ''}`;
      if (qd !== 1) this.s += ` [${qd}q]`;
      for (let k = 0; k < qd; k++) {
        if (k !== 0) this.s += ',';
        if (o.verbose > 1) {
          this.s += ' q: ';
          const r = this.dnsQuestion(q, v, end);
          if (r < 0) return;
          q = r;
        } else {
          const r = nskip(b, q, end);
          if (r < 0) {
            this.s += ' [|domain]';
            return;
          }
          q = r + 4;
        }
      }
      this.s += ` ${an}/${ns}/${ar}`;
      if (an) {
        q = this.dnsRecord(q, v, end);
        if (q < 0) return;
        while (--an > 0 && q < end) {
          this.s += ',';
          q = this.dnsRecord(q, v, end);
          if (q < 0) return;
        }
      }
    } else {
      this.s += `${v.id}${DNS_OPS[v.opcode]}${v.rd ? '+' : ''}${v.cd ? '%' : ''}`;
      const b2 = v.flags;
      if (b2 & 0x6cf) this.s += ` [b2&3=0x${b2.toString(16)}]`;
      if (an) this.s += ` [${an}a]`;
      if (qd !== 1) this.s += ` [${qd}q]`;
      if (ns) this.s += ` [${ns}n]`;
      if (ar) this.s += ` [${ar}au]`;
      for (let k = 0; k < qd; k++) {
        if (q >= end) {
          this.s += ' [|domain]';
          return;
        }
        this.s += ' ';
        const r = this.dnsQuestion(q, v, end);
        if (r < 0) return;
        q = r;
      }
    }
    this.s += ` (${len})`;
  }

  /** Prints a name like tcpdump's fqdn_print (trailing dot); false after printing a failure marker. */
  private dnsName(pos: number, v: DnsView, end: number): boolean {
    let name = dnsNameText(v.bytes, v.offset, pos, end, PRINT_NAME_MAX);
    if (name !== null && name.length > 255) {
      // tcpdump stops once 255 characters were processed and says so
      let cut = 0;
      let processed = 0;
      for (const label of name.split('.')) {
        if (processed >= 255) break;
        processed += label.length + 1;
        cut += label.length + 1;
      }
      this.s += name.slice(0, cut) + '<DOMAIN NAME TOO LONG>';
      return true;
    }
    if (name === null) {
      if (dnsNameError === 'ptr') {
        // tcpdump prints the labels read before the bad pointer
        const partial = partialName(v.bytes, pos, end);
        this.s += `${partial}<BAD PTR> [|domain]`;
      } else this.s += ' [|domain]';
      return false;
    }
    this.s += name === '' ? '.' : name + '.';
    return true;
  }

  private dnsQuestion(q: number, v: DnsView, end: number): number {
    const b = v.bytes;
    const r = dnsSkipName(b, q, end);
    if (r < 0 || r + 4 > end) {
      if (r < 0 && dnsNameText(b, v.offset, q, end, PRINT_NAME_MAX) === null && dnsNameError === 'ptr') {
        this.dnsName(q, v, end);
        return -1;
      }
      this.s += '[|domain]';
      return -1;
    }
    const type = u16(b, r);
    const cls = u16(b, r + 2);
    this.s += DNS_TYPES[type] ?? `Type${type}`;
    if ((cls & 0x7fff) !== 1) this.s += ` ${DNS_CLASSES[cls & 0x7fff] ?? `CLASS${cls & 0x7fff}`}`;
    this.s += '? ';
    if (!this.dnsName(q, v, end)) return -1;
    return r + 4;
  }

  /** One resource record like tcpdump's ns_rprint: a record whose fixed part was not captured ends the list quietly. */
  private dnsRecord(q: number, v: DnsView, end: number): number {
    const b = v.bytes;
    const o = this.opts;
    if (o.verbose > 0) {
      this.s += ' ';
      if (!this.dnsName(q, v, end)) return -1;
    }
    if (q >= end) {
      this.s += ' [|domain]';
      return -1;
    }
    const r = o.verbose > 0 ? dnsSkipName(b, q, end) : nskip(b, q, end);
    if (r < 0 || r + 10 > end) return end;
    const type = u16(b, r);
    const cls = u16(b, r + 2);
    if ((cls & 0x7fff) !== 1) this.s += ` ${DNS_CLASSES[cls & 0x7fff] ?? `CLASS${cls & 0x7fff}`}`;
    this.s += ` ${DNS_TYPES[type] ?? `Type${type}`}`;
    const rdlen = u16(b, r + 8);
    const rd = r + 10;
    const next = rd + rdlen;
    if (next > end) {
      this.s += ' [|domain]';
      return -1;
    }
    switch (type) {
      case 1:
        if (rdlen !== 4) return next;
        this.s += ` ${ipv4Text(b, rd)}`;
        break;
      case 28:
        if (rdlen !== 16) return next;
        this.s += ` ${ipv6Text(b, rd)}`;
        break;
      case 2:
      case 5:
      case 12:
      case 39:
        this.s += ' ';
        if (!this.dnsName(rd, v, end)) return -1;
        break;
      case 15:
        this.s += ' ';
        if (!this.dnsName(rd + 2, v, end)) return -1;
        this.s += ` ${u16(b, rd)}`;
        break;
      case 16: {
        let k = rd;
        while (k < next) {
          const l = b[k] ?? 0;
          this.s += ' "';
          for (let m = 1; m <= l && k + m < next; m++) this.s += dnsChar(b[k + m] ?? 0);
          this.s += '"';
          k += l + 1;
        }
        break;
      }
      case 33:
        this.s += ' ';
        if (!this.dnsName(rd + 6, v, end)) return -1;
        this.s += `:${u16(b, rd + 4)} ${u16(b, rd)} ${u16(b, rd + 2)}`;
        break;
      case 6:
        if (o.verbose === 0) break;
        {
          this.s += ' ';
          if (!this.dnsName(rd, v, end)) return -1;
          const a = dnsSkipName(b, rd, end);
          this.s += ' ';
          if (a < 0 || !this.dnsName(a, v, end)) return -1;
          const c = dnsSkipName(b, a, end);
          if (c < 0 || c + 20 > end) {
            this.s += ' [|domain]';
            return -1;
          }
          this.s += ` ${u32(b, c)} ${u32(b, c + 4)} ${u32(b, c + 8)} ${u32(b, c + 12)} ${u32(b, c + 16)}`;
        }
        break;
      case 41:
        this.s += ` UDPsize=${cls}`;
        break;
      default:
        break;
    }
    return next;
  }

  private dhcp(i: number, len: number): void {
    const p = this.parser;
    const v = p.view(i) as DhcpView;
    const b = v.bytes;
    if (v.length < 1) {
      this.s += ' [|bootp]';
      return;
    }
    this.s += 'BOOTP/DHCP, ';
    const op = v.op;
    if (op === 1) {
      this.s += 'Request';
      if (v.length < DhcpOffsets.chaddr + 6) {
        this.s += ' [|bootp]';
        return;
      }
      if (v.htype === 1 && v.hlen === 6) this.s += ` from ${macText(b, v.offset + DhcpOffsets.chaddr)}`;
    } else if (op === 2) this.s += 'Reply';
    else this.s += `unknown (0x${hex2(op)})`;
    this.s += `, length ${len}`;
    if (this.opts.verbose > 0 && v.length >= 12) {
      if (v.hops) this.s += `, hops ${v.hops}`;
      this.s += `, xid 0x${v.xid.toString(16)}`;
      if (v.secs) this.s += `, secs ${v.secs}`;
      this.s += `, Flags [${v.flags & 0x8000 ? 'Broadcast' : 'none'}]`;
      if (v.flags & 0x7fff) this.s += ` (0x${hex4(v.flags)})`;
      const mt = v.messageType;
      void mt;
    }
  }

  private ntp(i: number, len: number): void {
    const p = this.parser;
    const v = p.view(i) as NtpView;
    if (v.length < 1) {
      this.s += ' [|ntp]';
      return;
    }
    const mode = v.mode;
    this.s += `NTPv${v.version}, ${NTP_MODE_NAMES[mode]}, length ${len}`;
  }
}

const HTTP_PORTS = new Set([80, 8080, 3128]);
const TXT_PORTS: Readonly<Record<number, string>> = { 21: 'FTP', 25: 'SMTP', 554: 'RTSP', 5060: 'SIP' };
const PRINT_NAME_MAX = 4096;
const MPLS_RESERVED: Readonly<Record<number, string>> = { 0: 'IPv4 explicit NULL', 1: 'router alert', 2: 'IPv6 explicit NULL', 3: 'implicit NULL', 7: 'ELI', 13: 'OAM', 14: 'OAM', 15: 'XL' };
const IP_OPT_NAMES: Readonly<Record<number, string>> = { 0: 'EOL', 1: 'NOP', 7: 'RR', 68: 'TS', 130: 'SECURITY', 131: 'LSRR', 133: 'E-SEC', 134: 'CIPSO', 136: 'SATID', 137: 'SSRR', 148: 'RA' };
const IP6_NH_NAMES: Readonly<Record<number, string>> = { 0: 'Options', 43: 'Routing', 44: 'Fragment', };
const TCP_OPT_NAMES: Readonly<Record<number, string>> = {
  0: 'eol', 1: 'nop', 2: 'mss', 3: 'wscale', 4: 'sackOK', 5: 'sack', 6: 'echo', 7: 'echoreply', 8: 'TS', 11: 'cc', 12: 'ccnew',
  13: 'ccecho', 19: 'md5', 20: 'scps', 28: 'uto', 29: 'tcp-ao', 30: 'mptcp', 34: 'tfo', 254: 'exp', 253: 'exp', 27: 'quickstart',
};
const ND_OPT_NAMES: Readonly<Record<number, string>> = {
  1: 'source link-address option', 2: 'destination link-address option', 3: 'prefix info option', 4: 'redirected header option',
  5: 'mtu option', 7: 'advertisement interval option', 8: 'homeagent information option', 24: 'route info option', 25: 'rdnss option',
  31: 'dnssl option',
};

function tcpFlagText(f: number): string {
  let s = '';
  if (f & 0x01) s += 'F';
  if (f & 0x02) s += 'S';
  if (f & 0x04) s += 'R';
  if (f & 0x08) s += 'P';
  if (f & 0x10) s += '.';
  if (f & 0x20) s += 'U';
  if (f & 0x40) s += 'E';
  if (f & 0x80) s += 'W';
  return s === '' ? 'none' : s;
}

function ipv4FlagsText(v: Ipv4View): string {
  const parts: string[] = [];
  if (v.mf) parts.push('+');
  if (v.df) parts.push('DF');
  if (v.rb) parts.push('rsvd');
  return parts.length ? parts.join(', ') : 'none';
}

function ipCksumShouldBe(v: Ipv4View): string {
  return cksumShouldBe(v.checksum, onesSum(v.bytes, v.offset, v.headerLen, 0)).toString(16);
}

/** RFC 1624 incremental update: the checksum value that would make `sum` come out right. */
function cksumShouldBe(carried: number, sum: number): number {
  // sum is the folded ones' complement sum including the carried checksum
  let s = (~carried & 0xffff) + (~(~sum & 0xffff) & 0xffff);
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

function greFlagText(f: number): string {
  const parts: string[] = [];
  if (f & 0x8000) parts.push('checksum present');
  if (f & 0x2000) parts.push('key present');
  if (f & 0x1000) parts.push('sequence# present');
  return parts.length ? parts.join(', ') : 'none';
}

function tsText(ms: number): string {
  const h = Math.floor(ms / 3600000);
  const m = Math.floor(ms / 60000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const f = ms % 1000;
  return `${pad2(h)}:${pad2(m)}:${pad2(s)}.${String(f).padStart(3, '0')}`;
}

function prefixFlags(f: number): string {
  const parts: string[] = [];
  if (f & 0x80) parts.push('onlink');
  if (f & 0x40) parts.push('auto');
  if (f & 0x20) parts.push('router');
  return parts.length ? parts.join(', ') : 'none';
}

function lifetime(t: number): string {
  return t === 0xffffffff ? 'infinity' : `${t}s`;
}

const HEX2_TABLE: string[] = [];
const PRINTABLE: string[] = [];
for (let c = 0; c < 256; c++) {
  HEX2_TABLE.push(c.toString(16).padStart(2, '0'));
  PRINTABLE.push(c > 0x20 && c < 0x7f ? String.fromCharCode(c) : '.');
}

function printable(c: number): string {
  return c > 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
}

function latin1(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let k = start; k < end; k++) s += String.fromCharCode(b[k] ?? 0);
  return s;
}

function dnsChar(c: number): string {
  if (c === 0x22 || c === 0x5c) return '\\' + String.fromCharCode(c);
  if (c >= 0x20 && c < 0x7f) return String.fromCharCode(c);
  return '\\' + String(c).padStart(3, '0');
}

/** tcpdump's question skip: label length bytes must be captured, the type and class need not be. */
function nskip(b: Uint8Array, p: number, end: number): number {
  if (p >= end) return -1;
  let i = b[p++] ?? 0;
  for (let guard = 0; i && guard < 256; guard++) {
    if ((i & 0xc0) === 0xc0) return p + 1;
    p += i;
    if (p >= end) return -1;
    i = b[p++] ?? 0;
  }
  return p;
}

function partialName(b: Uint8Array, pos: number, end: number): string {
  let s = '';
  let p = pos;
  for (let guard = 0; guard < 128 && p < end; guard++) {
    const l = b[p] ?? 0;
    if (l === 0 || (l & 0xc0) !== 0) break;
    if (p + 1 + l > end) break;
    s += latin1(b, p + 1, p + 1 + l) + '.';
    p += l + 1;
  }
  return s;
}

function bigHex(b: Uint8Array, o: number): string {
  let s = '';
  for (let k = 0; k < 8; k++) s += hex2(b[o + k] ?? 0);
  return s.replace(/^0+(?=.)/, '');
}

function cmpBytes(b: Uint8Array, x: number, y: number, n: number): number {
  for (let k = 0; k < n; k++) {
    const d = (b[x + k] ?? 0) - (b[y + k] ?? 0);
    if (d) return d;
  }
  return 0;
}

/**
 * A PacketSink that prints tcpdump-style text through a batched TextOutput.
 * @example
 * const sink = createTextSink(new TextOutput(process.stdout), { ...DEFAULT_PRINT_OPTIONS, verbose: 1 });
 * sink.write(pkt); await sink.close();
 */
export function createTextSink(out: TextOutput, opts: PrintOptions): PacketSink {
  const f = new TextFormatter(opts);
  return {
    write(pkt: PacketView): void {
      out.write(f.format(pkt));
    },
    flush(): Promise<void> {
      return out.flush();
    },
    async close(): Promise<void> {
      await out.flush();
    },
  };
}
