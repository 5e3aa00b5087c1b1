/**
 * BOOTP / DHCPv4 (RFC 951, RFC 2131; options RFC 2132, relay agent information RFC 3046, classless
 * static routes RFC 3442, user class RFC 3004, client FQDN RFC 4702), printed as tcpdump 4.99 prints it.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { type Printer, hex4, hex8, hexDumpText, longjmpCut, safeText } from './print.js';
import { hex2, ipv4Text, macText } from './addr.js';

/** Field offsets of the fixed BOOTP part; options start after the magic cookie. */
export const DhcpOffsets = {
  op: 0, htype: 1, hlen: 2, hops: 3, xid: 4, secs: 8, flags: 10, ciaddr: 12, yiaddr: 16, siaddr: 20, giaddr: 24,
  chaddr: 28, sname: 44, file: 108, magic: 236, options: 240,
} as const;

/** The DHCP magic cookie 99.130.83.99. */
export const DHCP_MAGIC = 0x63825363;

/** Option codes the Repr and the printer name (RFC 2132 and later). */
export const DhcpOpt = {
  PAD: 0, SUBNET_MASK: 1, ROUTER: 3, DNS: 6, HOSTNAME: 12, DOMAIN_NAME: 15, BROADCAST: 28, NTP: 42, NETBIOS_NODE: 46,
  REQUESTED_IP: 50, LEASE_TIME: 51, OVERLOAD: 52, MESSAGE_TYPE: 53, SERVER_ID: 54, PARAM_REQUEST: 55, MAX_MSG_SIZE: 57,
  RENEWAL_TIME: 58, REBINDING_TIME: 59, VENDOR_CLASS: 60, CLIENT_ID: 61, USER_CLASS: 77, CLIENT_FQDN: 81, AGENT_INFO: 82,
  CLASSLESS_ROUTE: 121, CLASSLESS_ROUTE_MS: 249, END: 255,
} as const;

/** Zero-copy view of a BOOTP/DHCP message. */
export class DhcpView extends ByteView {
  /**
   * Points at a BOOTP message; Truncated unless the fixed part (236 bytes) was captured.
   * @example dhcp.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < DhcpOffsets.magic ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** 1 request, 2 reply. */
  get op(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Hardware address length. */
  get hlen(): number {
    return this.bytes[this.offset + 2] ?? 0;
  }
  /** Hardware type. */
  get htype(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** Hops. */
  get hops(): number {
    return this.bytes[this.offset + 3] ?? 0;
  }
  /** Transaction id. */
  get xid(): number {
    return u32(this.bytes, this.offset + DhcpOffsets.xid);
  }
  /** Seconds elapsed. */
  get secs(): number {
    return u16(this.bytes, this.offset + DhcpOffsets.secs);
  }
  /** Flags (0x8000 broadcast). */
  get flags(): number {
    return u16(this.bytes, this.offset + DhcpOffsets.flags);
  }
  /** True when the magic cookie is present, so options follow. */
  get hasMagic(): boolean {
    return this.length >= DhcpOffsets.options && u32(this.bytes, this.offset + DhcpOffsets.magic) === DHCP_MAGIC;
  }
  /**
   * Offset of the value of the next whole option at or after `p` (its code is at `result - 2`, its
   * length at `result - 1`), skipping PADs; -1 at END, at the end of the bytes or at an option that
   * runs past them. Start with `p = offset + DhcpOffsets.options` after checking `hasMagic`.
   */
  nextOption(p: number): number {
    const b = this.bytes;
    const end = this.offset + this.length;
    while (p < end && b[p] === DhcpOpt.PAD) p++;
    if (p + 2 > end || b[p] === DhcpOpt.END) return -1;
    return p + 2 + (b[p + 1] ?? 0) <= end ? p + 2 : -1;
  }
  /** Offset of the value of option `code` (its length byte is just before), or -1; bounded walk. */
  findOption(code: number): number {
    if (!this.hasMagic) return -1;
    for (let q = this.nextOption(this.offset + DhcpOffsets.options); q >= 0; q = this.nextOption(q + (this.bytes[q - 1] ?? 0))) {
      if (this.bytes[q - 2] === code) return q;
    }
    return -1;
  }
  /** DHCP message type (option 53), 0 when absent. */
  get messageType(): number {
    const o = this.findOption(DhcpOpt.MESSAGE_TYPE);
    return o < 0 ? 0 : (this.bytes[o] ?? 0);
  }
}

/** One option as it appears: code and length. */
export interface DhcpOptionRepr {
  code: number;
  len: number;
}

/** Parsed DHCP message. */
export interface DhcpRepr {
  op: number;
  xid: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  chaddr: string;
  messageType?: number;
  /** Options in order, PAD and END left out (present with the magic cookie). */
  options?: DhcpOptionRepr[];
  subnetMask?: string;
  routers?: string[];
  dnsServers?: string[];
  hostname?: string;
  domainName?: string;
  broadcast?: string;
  ntpServers?: string[];
  requestedIp?: string;
  leaseTime?: number;
  serverId?: string;
  paramRequest?: number[];
  maxMsgSize?: number;
  renewalTime?: number;
  rebindingTime?: number;
  vendorClass?: string;
  clientFqdn?: string;
  agentCircuitId?: string;
  agentRemoteId?: string;
}

/** Addresses in `n` bytes at `p` (whole groups of four). */
function ipList(b: Uint8Array, p: number, n: number): string[] {
  const out: string[] = [];
  for (let k = 0; k + 4 <= n; k += 4) out.push(ipv4Text(b, p + k));
  return out;
}

/** Bytes as Latin-1 text. */
function text(b: Uint8Array, p: number, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += String.fromCharCode(b[p + k] ?? 0);
  return s;
}

/** The values of the options the Repr carries, from the option at `p` of length `n`. */
function reprOption(r: DhcpRepr, b: Uint8Array, code: number, p: number, n: number): void {
  switch (code) {
    case DhcpOpt.SUBNET_MASK: if (n === 4) r.subnetMask = ipv4Text(b, p); break;
    case DhcpOpt.ROUTER: if (n >= 4) r.routers = ipList(b, p, n); break;
    case DhcpOpt.DNS: if (n >= 4) r.dnsServers = ipList(b, p, n); break;
    case DhcpOpt.HOSTNAME: r.hostname = text(b, p, n); break;
    case DhcpOpt.DOMAIN_NAME: r.domainName = text(b, p, n); break;
    case DhcpOpt.BROADCAST: if (n === 4) r.broadcast = ipv4Text(b, p); break;
    case DhcpOpt.NTP: if (n >= 4) r.ntpServers = ipList(b, p, n); break;
    case DhcpOpt.REQUESTED_IP: if (n === 4) r.requestedIp = ipv4Text(b, p); break;
    case DhcpOpt.LEASE_TIME: if (n === 4) r.leaseTime = u32(b, p); break;
    case DhcpOpt.SERVER_ID: if (n === 4) r.serverId = ipv4Text(b, p); break;
    case DhcpOpt.PARAM_REQUEST: r.paramRequest = Array.from(b.subarray(p, p + n)); break;
    case DhcpOpt.MAX_MSG_SIZE: if (n === 2) r.maxMsgSize = u16(b, p); break;
    case DhcpOpt.RENEWAL_TIME: if (n === 4) r.renewalTime = u32(b, p); break;
    case DhcpOpt.REBINDING_TIME: if (n === 4) r.rebindingTime = u32(b, p); break;
    case DhcpOpt.VENDOR_CLASS: r.vendorClass = text(b, p, n); break;
    case DhcpOpt.CLIENT_FQDN: if (n >= 3) r.clientFqdn = text(b, p + 3, n - 3); break;
    case DhcpOpt.AGENT_INFO:
      // RFC 3046 sub-options: 1 circuit id, 2 remote id, as hex (they are opaque octets)
      for (let q = p; q + 2 <= p + n && q + 2 + (b[q + 1] ?? 0) <= p + n; q += 2 + (b[q + 1] ?? 0)) {
        const hex = macText(b, q + 2, b[q + 1] ?? 0).replace(/:/g, '');
        if (b[q] === 1) r.agentCircuitId = hex;
        else if (b[q] === 2) r.agentRemoteId = hex;
      }
      break;
  }
}

/** Builds the sink representation. */
export function dhcpRepr(v: DhcpView): DhcpRepr {
  const b = v.bytes;
  const o = v.offset;
  const ip = (k: number): string => ipv4Text(b, o + k);
  const chaddr = macText(b, o + DhcpOffsets.chaddr, Math.min(v.hlen, 16));
  const r: DhcpRepr = { op: v.op, xid: v.xid, ciaddr: ip(DhcpOffsets.ciaddr), yiaddr: ip(DhcpOffsets.yiaddr), siaddr: ip(DhcpOffsets.siaddr), giaddr: ip(DhcpOffsets.giaddr), chaddr };
  const mt = v.messageType;
  if (mt) r.messageType = mt;
  if (!v.hasMagic) return r;
  // placed before the option values so that the list reads first in JSON
  const options: DhcpOptionRepr[] = [];
  r.options = options;
  for (let q = v.nextOption(o + DhcpOffsets.options); q >= 0; q = v.nextOption(q + (b[q - 1] ?? 0))) {
    const code = b[q - 2] ?? 0;
    const n = b[q - 1] ?? 0;
    options.push({ code, len: n });
    reprOption(r, b, code, q, n);
  }
  return r;
}

/**
 * How tcpdump's rfc1048 printer shows each option's value, by the letter before its name: i
 * addresses, l unsigned and L signed 32-bit numbers, s 16-bit numbers, b dotted bytes, a text, p
 * address pairs, B booleans, $ a layout of its own, ' ' none of these (dotted bytes); '?' unnamed.
 */
const OPTION_TABLE: ReadonlyArray<readonly [number, string]> = [
  [0, ' PAD'], [1, 'iSubnet-Mask'], [2, 'LTime-Zone'], [3, 'iDefault-Gateway'], [4, 'iTime-Server'], [5, 'iIEN-Name-Server'],
  [6, 'iDomain-Name-Server'], [7, 'iLOG'], [8, 'iCS'], [9, 'iLPR-Server'], [10, 'iIM'], [11, 'iRL'], [12, 'aHostname'],
  [13, 'sBS'], [14, 'aDP'], [15, 'aDomain-Name'], [16, 'iSS'], [17, 'aRP'], [18, 'aEP'], [19, 'BIPF'], [20, 'BSRT'],
  [21, 'pPF'], [22, 'sRSZ'], [23, 'bTTL'], [24, 'lMTU-Timeout'], [25, 'sMTU-Table'], [26, 'sMTU'], [27, 'BLSN'], [28, 'iBR'],
  [29, 'BMD'], [30, 'BMS'], [31, 'BRouter-Discovery'], [32, 'iRSA'], [33, 'pStatic-Route'], [34, 'BUT'], [35, 'lAT'],
  [36, 'BIE'], [37, 'bTT'], [38, 'lKI'], [39, 'BKG'], [40, 'aYD'], [41, 'iYS'], [42, 'iNTP'], [43, 'bVendor-Option'],
  [44, 'iNetbios-Name-Server'], [45, 'iWDD'], [46, '$Netbios-Node'], [47, 'aNetbios-Scope'], [48, 'iXFS'], [49, 'iXDM'],
  [50, 'iRequested-IP'], [51, 'lLease-Time'], [52, '$OO'], [53, ' DHCP-Message'], [54, 'iServer-ID'], [55, 'bParameter-Request'],
  [56, 'aMSG'], [57, 'sMSZ'], [58, 'lRN'], [59, 'lRB'], [60, 'aVendor-Class'], [61, '$Client-ID'], [64, 'sN+D'], [65, 'iN+S'],
  [66, 'aTFTP'], [67, 'aBF'], [68, 'iMH'], [69, 'iSMTP'], [70, 'iPOP3'], [71, 'iNNTP'], [72, 'iWWW'], [73, 'iFG'], [74, 'iIRC'],
  [75, 'iSTS'], [76, 'iSTDA'], [77, '$User-Class'], [78, 'bSLP-DA'], [79, 'bSLP-SCOPE'], [80, 'aSLP-NA'], [81, '$FQDN'],
  [82, '$Agent-Information'], [83, 'bARMT'], [88, 'aTZSTR'], [89, 'bFQDNS'], [90, 'bAUTH'], [91, 'LLast-Transaction-Time'],
  [92, 'iAssociated-IP'], [93, 'sARCH'], [94, 'bNDI'], [95, 'aLDAP'], [97, 'bGUID'], [98, 'aUAP'], [100, 'aPOSIX-TZ'],
  [101, 'aTZ-Name'], [112, 'iNI'], [113, 'aNITAG'], [114, 'aURL'], [116, 'BNOAUTO'], [117, 'sNSSEARCH'], [118, 'iSUBNET'],
  [121, '$Classless-Static-Route'], [150, 'iTFTP-Server-Address'], [161, 'aMUD-URL'], [249, '$Classless-Static-Route-Microsoft'],
  [255, ' END'],
];
/** Option names by code ('Unknown' where tcpdump has none). */
const OPTION_NAME: string[] = new Array<string>(256).fill('Unknown');
/** Option formats by code: the letters above. */
const OPTION_FMT: string[] = new Array<string>(256).fill('?');
for (const [code, entry] of OPTION_TABLE) {
  OPTION_NAME[code] = entry.slice(1);
  OPTION_FMT[code] = entry[0]!;
}

/** Message type names (RFC 2131; 10-13 RFC 4388 lease query); '' where tcpdump prints `Unknown (n)`. */
const MESSAGE_TYPES = ['', 'Discover', 'Offer', 'Request', 'Decline', 'ACK', 'NACK', 'Release', 'Inform', '', 'LeaseQuery', 'LeaseUnassigned', 'LeaseUnknown', 'LeaseActive'];
const NETBIOS_NODE: Record<number, string> = { 1: 'b-node', 2: 'p-node', 4: 'm-node', 8: 'h-node' };
const OVERLOAD: Record<number, string> = { 1: 'file', 2: 'sname', 3: 'file+sname' };
const CLIENT_ID_HW: Record<number, string> = { 1: 'ether', 6: 'ieee802', 7: 'arcnet', 15: 'frelay', 23: 'strip', 24: 'ieee1394' };
const AGENT_SUBOPTION: Record<number, string> = { 1: 'Circuit-ID', 2: 'Remote-ID', 6: 'Subscriber-ID' };

/** tcpdump's error for a value shorter than its layout needs: true (and the error written) when `n < min`. */
function tooShort(c: Printer, n: number, min: number): boolean {
  if (n >= min) return false;
  c.s += `[ERROR: length < ${min} bytes]`;
  return true;
}

/** The value of a `$` option (`n` bytes at `p`, all captured); returns the bytes left unprinted. */
function specialOption(c: Printer, b: Uint8Array, tag: number, p: number, n: number): number {
  switch (tag) {
    case DhcpOpt.NETBIOS_NODE:
    case DhcpOpt.OVERLOAD: {
      if (tooShort(c, n, 1)) return 0;
      const t = b[p] ?? 0;
      c.s += (tag === DhcpOpt.OVERLOAD ? OVERLOAD : NETBIOS_NODE)[t] ?? `#${t}`;
      return n - 1;
    }
    case DhcpOpt.CLIENT_FQDN: {
      if (tooShort(c, n, 3)) return 0;
      const f = b[p] ?? 0;
      if (f & 0xf0) c.s += `[ERROR: MBZ nibble 0x${(f >> 4).toString(16)} != 0] `;
      if (f & 0x0f) c.s += `[${f & 1 ? 'S' : ''}${f & 2 ? 'O' : ''}${f & 4 ? 'E' : ''}${f & 8 ? 'N' : ''}] `;
      if (b[p + 1] || b[p + 2]) c.s += `${b[p + 1] ?? 0}/${b[p + 2] ?? 0} `;
      c.s += `"${safeText(b, p + 3, p + n)}"`;
      return 0;
    }
    case DhcpOpt.CLIENT_ID: {
      if (tooShort(c, n, 1)) return 0;
      const t = b[p] ?? 0;
      if (t === 0) c.s += `"${safeText(b, p + 1, p + n)}"`;
      else c.s += `${CLIENT_ID_HW[t] ?? `hardware-type ${t},`} ${macText(b, p + 1, n - 1)}`;
      return 0;
    }
    case DhcpOpt.AGENT_INFO: {
      let q = p;
      let left = n;
      while (left >= 2) {
        const sub = b[q] ?? 0;
        const sl = b[q + 1] ?? 0;
        q += 2;
        left -= 2;
        c.s += `\n\t      ${AGENT_SUBOPTION[sub] ?? 'Unknown'} SubOption ${sub}, length ${sl}: `;
        if (sl > left) {
          c.s += 'length goes past end of option';
          return 0;
        }
        if (AGENT_SUBOPTION[sub]) c.s += safeText(b, q, q + sl);
        else c.s += hexDumpText(b, q, sl, '\n\t\t');
        q += sl;
        left -= sl;
      }
      return left;
    }
    case DhcpOpt.CLASSLESS_ROUTE:
    case DhcpOpt.CLASSLESS_ROUTE_MS: {
      if (tooShort(c, n, 5)) return 0;
      let q = p;
      let left = n;
      for (let first = true; left > 0; first = false) {
        if (!first) c.s += ',';
        const width = b[q++] ?? 0;
        left--;
        if (width > 32) {
          c.s += `[ERROR: Mask width (${width}) > 32]`;
          return 0;
        }
        const sig = (width + 7) >> 3;
        if (left < sig + 4) {
          c.s += `[ERROR: Remaining length (${left}) < ${sig + 4} bytes]`;
          return 0;
        }
        c.s += '(';
        if (width === 0) c.s += 'default';
        else {
          for (let k = 0; k < 4; k++) c.s += (k ? '.' : '') + (k < sig ? (b[q + k] ?? 0) : 0);
          c.s += `/${width}`;
        }
        c.s += `:${ipv4Text(b, q + sig)})`;
        q += sig + 4;
        left -= sig + 4;
      }
      return 0;
    }
    case DhcpOpt.USER_CLASS: {
      if (tooShort(c, n, 2)) return 0;
      let q = p;
      let left = n;
      for (let k = 1; left > 0; k++) {
        const sl = b[q++] ?? 0;
        left--;
        c.s += `\n\t      instance#${k}: `;
        if (sl === 0) {
          c.s += '[ERROR: suboption length must be non-zero]';
          return 0;
        }
        if (left < sl) {
          c.s += '[ERROR: invalid option]';
          return 0;
        }
        c.s += `"${safeText(b, q, q + sl)}", length ${sl}`;
        q += sl;
        left -= sl;
      }
      return 0;
    }
  }
  c.s += `[unknown special tag ${tag}, size ${n}]`;
  return 0;
}

/** The value of option `tag` in tcpdump's generic formats (`n` bytes at `p`, all captured); returns the bytes left unprinted. */
function optionValue(c: Printer, b: Uint8Array, tag: number, p: number, n: number): number {
  let f = OPTION_FMT[tag]!;
  // unnamed options: a format by the length
  if (f === '?') f = n & 1 ? 'b' : n & 2 ? 's' : 'l';
  let q = p;
  let left = n;
  const sep = (): string => (q === p ? '' : ',');
  switch (f) {
    case 'a':
      c.s += `"${safeText(b, p, p + n)}"`;
      return 0;
    case 'i':
    case 'l':
    case 'L':
      for (; left >= 4; q += 4, left -= 4) {
        const w = u32(b, q);
        c.s += sep() + (f === 'i' ? ipv4Text(b, q) : f === 'L' ? String(w | 0) : String(w));
      }
      return left;
    case 'p':
      for (; left >= 8; q += 8, left -= 8) c.s += `${sep()}(${ipv4Text(b, q)}:${ipv4Text(b, q + 4)})`;
      return left;
    case 's':
      for (; left >= 2; q += 2, left -= 2) c.s += sep() + u16(b, q);
      return left;
    case 'B':
      for (; left > 0; q++, left--) {
        const x = b[q] ?? 0;
        c.s += sep() + (x === 0 ? 'N' : x === 1 ? 'Y' : `${x}?`);
      }
      return 0;
    case '$':
      return specialOption(c, b, tag, p, n);
  }
  for (; left > 0; q++, left--) c.s += (q === p ? '' : '.') + (b[q] ?? 0);
  return 0;
}

/**
 * tcpdump's rfc1048_print: one line per option from `p` (after the cookie) to the end of the capture
 * `end`; PAD and END only at -vvv (where the options go on past END).
 */
function printOptions(c: Printer, b: Uint8Array, p: number, end: number): void {
  const vvv = c.opts.verbose >= 3;
  c.s += `\n\t  Vendor-rfc1048 Extensions\n\t    Magic Cookie 0x${hex8(u32(b, p - 4))}`;
  while (p < end) {
    const tag = b[p++] ?? 0;
    if (!vvv && tag === DhcpOpt.PAD) continue;
    if (!vvv && tag === DhcpOpt.END) return;
    let n = 0;
    if (tag !== DhcpOpt.PAD && tag !== DhcpOpt.END) {
      if (p >= end) return longjmpCut(c, 'bootp');
      n = b[p++] ?? 0;
    }
    c.s += `\n\t    ${OPTION_NAME[tag]!} (${tag}), length ${n}${n > 0 ? ': ' : ''}`;
    if (tag === DhcpOpt.PAD) {
      let run = 1;
      while (p < end && b[p] === DhcpOpt.PAD) {
        p++;
        run++;
      }
      if (run > 1) c.s += `, occurs ${run}`;
    }
    if (p + n > end) {
      c.s += ' [|bootp]';
      return;
    }
    if (tag === DhcpOpt.MESSAGE_TYPE && n === 1) {
      const t = b[p++] ?? 0;
      c.s += MESSAGE_TYPES[t] || `Unknown (${t})`;
      continue;
    }
    if (tag === DhcpOpt.PARAM_REQUEST) {
      for (let k = 0; k < n; k++) {
        const code = b[p + k] ?? 0;
        c.s += `${k % 4 === 0 ? '\n\t      ' : ', '}${OPTION_NAME[code]!} (${code})`;
      }
      p += n;
      continue;
    }
    const left = optionValue(c, b, tag, p, n);
    if (left) c.s += `\n\t  trailing data length ${left}`;
    p += n;
  }
}

/** The CMU vendor area's addresses (offset from its magic, label) in tcpdump's order. */
const CMU_FIELDS: ReadonlyArray<readonly [number, string]> = [[12, 'DG'], [8, 'SM'], [16, 'NS1'], [20, 'NS2'], [24, 'IEN1'], [28, 'IEN2'], [32, 'TS1'], [36, 'TS2']];

/** tcpdump's cmu_print: the CMU vendor area's addresses that are set, on the line so far. */
function printCmu(c: Printer, b: Uint8Array, p: number, end: number): void {
  c.s += ' vend-cmu';
  if (p + 8 > end) {
    c.s += ' [|bootp]';
    return;
  }
  const f = b[p + 4] ?? 0;
  if (f & ~1) c.s += ` F:0x${f.toString(16)}`;
  for (const [k, name] of CMU_FIELDS) {
    if (p + k + 4 > end) {
      c.s += ' [|bootp]';
      return;
    }
    // the subnet mask is marked unconfirmed unless the flags say it is valid
    if (u32(b, p + k)) c.s += ` ${name}${k === 8 && !(f & 1) ? '*' : ''}:${ipv4Text(b, p + k)}`;
  }
}

/**
 * A NUL-terminated name in a fixed field of `size` bytes at `p` (tcpdump's nd_printztn); false, with
 * the closing quote and ` [|bootp]` written, when no NUL comes before the field or the capture ends.
 */
function fixedName(c: Printer, label: string, b: Uint8Array, p: number, size: number, end: number): boolean {
  c.s += `\n\t  ${label} "`;
  const lim = Math.min(p + size, end);
  let q = p;
  while (q < lim && b[q] !== 0) q++;
  c.s += safeText(b, p, q) + '"';
  if (q < lim) return true;
  c.s += ' [|bootp]';
  return false;
}

/** The header's addresses and their labels, printed when not 0.0.0.0. */
const HEADER_ADDRS: ReadonlyArray<readonly [number, string]> = [[DhcpOffsets.ciaddr, 'Client-IP'], [DhcpOffsets.yiaddr, 'Your-IP'], [DhcpOffsets.siaddr, 'Server-IP'], [DhcpOffsets.giaddr, 'Gateway-IP']];

/** tcpdump's BOOTP/DHCP line; at -v the header fields, server and file names, and the vendor area. */
export function printDhcp(c: Printer, v: DhcpView, _i: number, len: number): void {
  const b = v.bytes;
  const o = v.offset;
  const end = o + v.length;
  // reads past the capture end the text as tcpdump's GET_ macros do (longjmp), TCHECKs with a plain marker
  const has = (k: number): boolean => o + k <= end;
  if (!has(1)) return longjmpCut(c, 'bootp');
  const op = v.op;
  c.s += `BOOTP/DHCP, ${op === 1 ? 'Request' : op === 2 ? 'Reply' : `unknown (0x${hex2(op)})`}`;
  if (!has(3)) return longjmpCut(c, 'bootp');
  const ether = v.htype === 1 && v.hlen === 6;
  if (ether && op === 1) {
    if (!has(DhcpOffsets.chaddr + 6)) return longjmpCut(c, 'bootp');
    c.s += ` from ${macText(b, o + DhcpOffsets.chaddr)}`;
  }
  c.s += `, length ${len}`;
  if (c.opts.verbose < 1) return;
  if (!has(DhcpOffsets.flags)) {
    c.s += ' [|bootp]';
    return;
  }
  if (v.htype !== 1) c.s += `, htype ${v.htype}`;
  if (!ether) c.s += `, hlen ${v.hlen}`;
  if (v.hops) c.s += `, hops ${v.hops}`;
  if (v.xid) c.s += `, xid 0x${v.xid.toString(16)}`;
  if (v.secs) c.s += `, secs ${v.secs}`;
  if (!has(DhcpOffsets.ciaddr)) return longjmpCut(c, 'bootp');
  c.s += `, Flags [${v.flags & 0x8000 ? 'Broadcast' : 'none'}]`;
  if (c.opts.verbose > 1) c.s += ` (0x${hex4(v.flags)})`;
  for (const [k, label] of HEADER_ADDRS) {
    if (!has(k + 4)) return longjmpCut(c, 'bootp');
    if (u32(b, o + k)) c.s += `\n\t  ${label} ${ipv4Text(b, o + k)}`;
  }
  if (ether) {
    if (!has(DhcpOffsets.chaddr + 6)) return longjmpCut(c, 'bootp');
    c.s += `\n\t  Client-Ethernet-Address ${macText(b, o + DhcpOffsets.chaddr)}`;
  }
  if (!has(DhcpOffsets.sname + 1)) return longjmpCut(c, 'bootp');
  if (b[o + DhcpOffsets.sname] && !fixedName(c, 'sname', b, o + DhcpOffsets.sname, 64, end)) return;
  if (!has(DhcpOffsets.file + 1)) return longjmpCut(c, 'bootp');
  if (b[o + DhcpOffsets.file] && !fixedName(c, 'file', b, o + DhcpOffsets.file, 128, end)) return;
  if (!has(DhcpOffsets.options)) {
    c.s += ' [|bootp]';
    return;
  }
  const magic = u32(b, o + DhcpOffsets.magic);
  if (magic === DHCP_MAGIC) printOptions(c, b, o + DhcpOffsets.options, end);
  else if (magic === 0x434d5500) printCmu(c, b, o + DhcpOffsets.magic, end);
  else if (magic !== 0) c.s += `\n\t  Vendor-#0x${magic.toString(16)}`;
}
