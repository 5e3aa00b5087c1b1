/** DHCPv6 messages and options (RFC 8415; DNS options RFC 3646, prefix delegation RFC 3633, relay fields). */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { ipv6Text } from './addr.js';
import { type Printer, hexBytes, safeText } from './print.js';
import { dnsNameText, dnsSkipName } from './dns.js';

/** Field offsets of the client/server header and of the relay header. */
export const Dhcp6Offsets = { msgType: 0, xid: 1, optionsOffset: 4, hopCount: 1, linkAddr: 2, peerAddr: 18, relayOptionsOffset: 34, optHeaderLen: 4 } as const;

/** Message types (RFC 8415 section 7.3). */
export const Dhcp6Msg = { RELAY_FORW: 12, RELAY_REPL: 13 } as const;

/** Option codes this printer reads (RFC 8415 section 21, RFC 3646, RFC 3633, RFC 4649). */
export const Dhcp6Opt = {
  CLIENTID: 1, SERVERID: 2, IA_NA: 3, IA_TA: 4, IAADDR: 5, ORO: 6, PREFERENCE: 7, ELAPSED_TIME: 8, RELAY_MSG: 9, UNICAST: 12,
  STATUS_CODE: 13, RAPID_COMMIT: 14, INTERFACE_ID: 18, RECONF_MSG: 19, RECONF_ACCEPT: 20, SIP_SERVER_D: 21, SIP_SERVER_A: 22,
  DNS_SERVERS: 23, DOMAIN_LIST: 24, IA_PD: 25, IAPREFIX: 26, NIS_SERVERS: 27, NISP_SERVERS: 28, SNTP_SERVERS: 31,
  INFORMATION_REFRESH_TIME: 32, BCMCS_SERVER_A: 34, REMOTE_ID: 37, SUBSCRIBER_ID: 38, PANA_AGENT: 40, ERO: 43,
  AUTH: 11, NEW_POSIX_TIMEZONE: 41, NEW_TZDB_TIMEZONE: 42, LQ_QUERY: 44, CLIENT_DATA: 45, CLT_TIME: 46, LQ_RELAY_DATA: 47,
  LQ_CLIENT_LINK: 48, NTP_SERVER: 56, AFTR_NAME: 64, MUDURL: 112,
} as const;

/** Message type names as tcpdump prints them. */
const MSG_NAMES: Readonly<Record<number, string>> = {
  1: 'solicit', 2: 'advertise', 3: 'request', 4: 'confirm', 5: 'renew', 6: 'rebind', 7: 'reply', 8: 'release', 9: 'decline',
  10: 'reconfigure', 11: 'inf-req', 12: 'relay-fwd', 13: 'relay-reply', 14: 'leasequery', 15: 'leasequery-reply',
};

/** Option names as tcpdump prints them. */
const OPT_NAMES: Readonly<Record<number, string>> = {
  1: 'client-ID', 2: 'server-ID', 3: 'IA_NA', 4: 'IA_TA', 5: 'IA_ADDR', 6: 'option-request', 7: 'preference', 8: 'elapsed-time',
  9: 'relay-message', 11: 'authentication', 12: 'server-unicast', 13: 'status-code', 14: 'rapid-commit', 15: 'user-class',
  16: 'vendor-class', 17: 'vendor-specific-info', 18: 'interface-ID', 19: 'reconfigure-message', 20: 'reconfigure-accept',
  21: 'SIP-servers-domain', 22: 'SIP-servers-address', 23: 'DNS-server', 24: 'DNS-search-list', 25: 'IA_PD', 26: 'IA_PD-prefix',
  27: 'NIS-server', 28: 'NIS+-server', 29: 'NIS-domain-name', 30: 'NIS+-domain-name', 31: 'SNTP-servers', 32: 'lifetime',
  33: 'BCMCS-domain-name', 34: 'BCMCS-server', 36: 'Geoconf-Civic', 37: 'Remote-ID', 38: 'Subscriber-ID', 39: 'Client-FQDN',
  40: 'PANA-agent', 41: 'POSIX-timezone', 42: 'POSIX-tz-database', 43: 'Echo-request-option', 44: 'Lease-query',
  45: 'LQ-client-data', 46: 'Clt-time', 47: 'LQ-relay-data', 48: 'LQ-client-link', 56: 'NTP-server', 64: 'AFTR-Name', 112: 'MUD-URL',
};

/** Status code names (RFC 8415 section 21.13, RFC 5007). */
const STATUS_NAMES = ['Success', 'UnspecFail', 'NoAddrsAvail', 'NoBinding', 'NotOnLink', 'UseMulticast', 'NoPrefixAvail', 'UnknownQueryType', 'MalformedQuery', 'NotConfigured', 'NotAllowed'] as const;

/** Options whose data is a list of IPv6 addresses. */
const ADDR_LIST_OPTS: ReadonlySet<number> = new Set([
  Dhcp6Opt.SIP_SERVER_A, Dhcp6Opt.DNS_SERVERS, Dhcp6Opt.NIS_SERVERS, Dhcp6Opt.NISP_SERVERS, Dhcp6Opt.SNTP_SERVERS, Dhcp6Opt.BCMCS_SERVER_A,
  Dhcp6Opt.PANA_AGENT, Dhcp6Opt.LQ_CLIENT_LINK,
]);

/** Zero-copy view of a DHCPv6 message (client/server or relay). */
export class Dhcp6View extends ByteView {
  /**
   * Points at a DHCPv6 message; Truncated below the 4-byte header (34 bytes for relay messages).
   * @example d.reset(bytes, 62, bytes.length - 62);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    const need = this.length >= 1 && this.isRelay ? Dhcp6Offsets.relayOptionsOffset : Dhcp6Offsets.optionsOffset;
    this.status = this.length < need ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Message type. */
  get msgType(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** True for relay-forward and relay-reply messages. */
  get isRelay(): boolean {
    const t = this.msgType;
    return t === Dhcp6Msg.RELAY_FORW || t === Dhcp6Msg.RELAY_REPL;
  }
  /** Transaction id (24 bits; client/server messages). */
  get xid(): number {
    return u32(this.bytes, this.offset) & 0xffffff;
  }
  /** Hop count (relay messages). */
  get hopCount(): number {
    return this.bytes[this.offset + Dhcp6Offsets.hopCount] ?? 0;
  }
  /** Offset of the first option. */
  get optionsOffset(): number {
    return this.offset + (this.isRelay ? Dhcp6Offsets.relayOptionsOffset : Dhcp6Offsets.optionsOffset);
  }
}

/** One option as carried. */
export interface Dhcp6OptionRepr {
  code: number;
  len: number;
}

/** Parsed DHCPv6 message. */
export interface Dhcp6Repr {
  msgType: number;
  xid?: number;
  hopCount?: number;
  linkAddr?: string;
  peerAddr?: string;
  options: Dhcp6OptionRepr[];
}

/** Builds the sink representation: header fields and the top-level options that were captured whole. */
export function dhcp6Repr(v: Dhcp6View): Dhcp6Repr {
  const b = v.bytes;
  const r: Dhcp6Repr = { msgType: v.msgType, options: [] };
  if (v.status !== DecodeStatus.Ok) return r;
  if (v.isRelay) {
    r.hopCount = v.hopCount;
    r.linkAddr = ipv6Text(b, v.offset + Dhcp6Offsets.linkAddr);
    r.peerAddr = ipv6Text(b, v.offset + Dhcp6Offsets.peerAddr);
  } else r.xid = v.xid;
  const end = v.offset + v.length;
  for (let p = v.optionsOffset; p + 4 <= end; ) {
    const len = u16(b, p + 2);
    if (p + 4 + len > end) break;
    r.options.push({ code: u16(b, p), len });
    p += 4 + len;
  }
  return r;
}

/** tcpdump's DHCPv6 text: the message type, and at -v the transaction id (or relay addresses) and options. */
export function printDhcp6(c: Printer, v: Dhcp6View, _i: number, len: number): void {
  readEnd = v.offset + v.length;
  printMessage(c, v.bytes, v.offset, Math.min(readEnd, v.offset + len), 0);
}

function printMessage(c: Printer, b: Uint8Array, p: number, ep: number, depth: number): void {
  c.s += 'dhcp6';
  if (p + 4 > ep) {
    c.s += ' [|dhcp6]';
    return;
  }
  const t = b[p] ?? 0;
  const name = MSG_NAMES[t] ?? `msgtype-${t}`;
  if (c.opts.verbose === 0) {
    c.s += ` ${name}`;
    return;
  }
  c.s += ` ${name} (`;
  if (t !== Dhcp6Msg.RELAY_FORW && t !== Dhcp6Msg.RELAY_REPL) {
    c.s += `xid=${(u32(b, p) & 0xffffff).toString(16)}`;
    printOptions(c, b, p + 4, ep, depth);
  } else {
    if (p + 34 > ep) {
      c.s += ' [|dhcp6]';
      return;
    }
    c.s += `linkaddr=${ipv6Text(b, p + 2)} peeraddr=${ipv6Text(b, p + 18)}`;
    printOptions(c, b, p + 34, ep, depth);
  }
  c.s += ')';
}

/** The option list `[p, ep)`; nested lists (IA options, relayed messages) recurse, at most 8 deep. */
function printOptions(c: Printer, b: Uint8Array, p: number, ep: number, depth: number): void {
  if (depth > 8) return;
  while (p < ep) {
    if (p + 4 > ep) {
      c.s += ' [|dhcp6]';
      return;
    }
    const code = u16(b, p);
    const n = u16(b, p + 2);
    const d = p + 4;
    if (d + n > ep) {
      c.s += ' [|dhcp6]';
      return;
    }
    c.s += ` (${OPT_NAMES[code] ?? `opt_${code}`}`;
    // a name or NTP suboption cut inside its option ends tcpdump's whole list
    if (printOption(c, b, code, d, n, depth) === false) return;
    p = d + n;
  }
}

/** One option's text after its name; false when the rest of the list is not printed. */
function printOption(c: Printer, b: Uint8Array, code: number, d: number, n: number, depth: number): boolean | void {
  const bad = (): void => {
    c.s += ' ?)';
  };
  switch (code) {
    case Dhcp6Opt.CLIENTID:
    case Dhcp6Opt.SERVERID: {
      if (n < 2) return bad();
      const duid = u16(b, d);
      if (duid === 1) {
        if (n < 8) return bad();
        c.s += ` hwaddr/time type ${u16(b, d + 2)} time ${u32(b, d + 4)} ${hexBytes(b, d + 8, n - 8)})`;
      } else if (duid === 2) {
        if (n < 10) return bad();
        c.s += ` vid ${hexBytes(b, d + 2, 8)})`;
      } else if (duid === 3) {
        if (n < 4) return bad();
        c.s += ` hwaddr type ${u16(b, d + 2)} ${hexBytes(b, d + 4, n - 4)})`;
      } else c.s += ` type ${duid})`;
      return;
    }
    case Dhcp6Opt.IAADDR:
      if (n < 24) return bad();
      c.s += ` ${ipv6Text(b, d)} pltime:${u32(b, d + 16)} vltime:${u32(b, d + 20)}`;
      if (n > 24) printOptions(c, b, d + 24, d + n, depth + 1);
      c.s += ')';
      return;
    case Dhcp6Opt.ORO:
    case Dhcp6Opt.ERO:
      if (n % 2) return bad();
      for (let k = 0; k < n; k += 2) {
        const o = u16(b, d + k);
        c.s += ` ${OPT_NAMES[o] ?? `opt_${o}`}`;
      }
      c.s += ')';
      return;
    case Dhcp6Opt.PREFERENCE:
      if (n !== 1) return bad();
      c.s += ` ${b[d] ?? 0})`;
      return;
    case Dhcp6Opt.ELAPSED_TIME:
      if (n !== 2) return bad();
      c.s += ` ${u16(b, d)})`;
      return;
    case Dhcp6Opt.RELAY_MSG: {
      c.s += ' (';
      const saved = readEnd;
      readEnd = Math.min(d + n, readEnd);
      printMessage(c, b, d, d + n, depth + 1);
      readEnd = saved;
      c.s += ')';
      return;
    }
    case Dhcp6Opt.STATUS_CODE: {
      if (n < 2) return bad();
      const s = u16(b, d);
      c.s += ` ${s > 255 ? 'INVALID code' : STATUS_NAMES[s] ?? `code${s}`})`;
      return;
    }
    case Dhcp6Opt.AUTH:
      if (n < 11) return bad();
      printAuth(c, b, d, n);
      return;
    case Dhcp6Opt.LQ_QUERY: {
      if (n < 17) return bad();
      const t = b[d] ?? 0;
      c.s += ` ${t === 1 ? 'by-address' : t === 2 ? 'by-clientID' : `type_${t}`} ${ipv6Text(b, d + 1)}`;
      if (n > 17) printOptions(c, b, d + 17, d + n, depth + 1);
      c.s += ')';
      return;
    }
    case Dhcp6Opt.CLIENT_DATA:
      if (n > 0) printOptions(c, b, d, d + n, depth + 1);
      c.s += ')';
      return;
    case Dhcp6Opt.LQ_RELAY_DATA:
      if (n < 16) return bad();
      c.s += ` ${ipv6Text(b, d)} ${hexBytes(b, d + 16, Math.min(n - 16, 10))}...)`;
      return;
    case Dhcp6Opt.NTP_SERVER:
      if (n < 4) return bad();
      if (!printNtpServer(c, b, d, d + n)) return false;
      c.s += ')';
      return;
    case Dhcp6Opt.AFTR_NAME:
      if (n < 3) return bad();
      printAftr(c, b, d, n);
      return;
    case Dhcp6Opt.NEW_POSIX_TIMEZONE:
    case Dhcp6Opt.NEW_TZDB_TIMEZONE:
    case Dhcp6Opt.MUDURL: {
      if (n < 5) return bad();
      let e = d;
      while (e < d + n && b[e] !== 0) e++;
      c.s += ` ${safeText(b, d, e)})`;
      return;
    }
    case Dhcp6Opt.RAPID_COMMIT:
    case Dhcp6Opt.RECONF_ACCEPT:
      c.s += ')';
      return;
    case Dhcp6Opt.INTERFACE_ID:
    case Dhcp6Opt.SUBSCRIBER_ID:
      // tcpdump shows at most 10 bytes and always marks the rest as elided
      c.s += ` ${hexBytes(b, d, Math.min(n, 10))}...)`;
      return;
    case Dhcp6Opt.REMOTE_ID:
      if (n < 4) return bad();
      c.s += ` ${u32(b, d)} ${hexBytes(b, d + 4, Math.min(n - 4, 10))}...)`;
      return;
    case Dhcp6Opt.RECONF_MSG: {
      if (n !== 1) return bad();
      const m = b[d] ?? 0;
      c.s += m === 5 ? ' for renew)' : m === 11 ? ' for inf-req)' : ` for ???(${(m < 16 ? '0' : '') + m.toString(16)}))`;
      return;
    }
    case Dhcp6Opt.INFORMATION_REFRESH_TIME:
    case Dhcp6Opt.CLT_TIME:
      if (n !== 4) return bad();
      c.s += ` ${u32(b, d)})`;
      return;
    case Dhcp6Opt.SIP_SERVER_D:
    case Dhcp6Opt.DOMAIN_LIST: {
      for (let q = d; q < d + n; ) {
        c.s += ' ';
        q = printName(c, b, q);
        if (q < 0) return false;
      }
      c.s += ')';
      return;
    }
    case Dhcp6Opt.IA_NA:
    case Dhcp6Opt.IA_PD:
      if (n < 12) return bad();
      c.s += ` IAID:${u32(b, d)} T1:${u32(b, d + 4)} T2:${u32(b, d + 8)}`;
      if (n > 12) printOptions(c, b, d + 12, d + n, depth + 1);
      c.s += ')';
      return;
    case Dhcp6Opt.IA_TA:
      if (n < 4) return bad();
      c.s += ` IAID:${u32(b, d)}`;
      if (n > 4) printOptions(c, b, d + 4, d + n, depth + 1);
      c.s += ')';
      return;
    case Dhcp6Opt.IAPREFIX:
      if (n < 25) return bad();
      c.s += ` ${ipv6Text(b, d + 9)}/${b[d + 8] ?? 0} pltime:${u32(b, d)} vltime:${u32(b, d + 4)}`;
      if (n > 25) printOptions(c, b, d + 25, d + n, depth + 1);
      c.s += ')';
      return;
    default:
      if (ADDR_LIST_OPTS.has(code)) {
        if (n % 16) return bad();
        for (let k = 0; k < n; k += 16) c.s += ` ${ipv6Text(b, d + k)}`;
      }
      c.s += ')';
  }
}

/**
 * Where tcpdump's reads stop: the capture's end, or a relayed message's option end (it narrows its
 * snapshot end there). Names are read up to it, not to their option's end, as tcpdump's fqdn_print does.
 */
let readEnd = 0;

/** One uncompressed name (RFC 8415 section 10) at `q`, with its final dot; the position after it, or -1 (marked cut) when it runs past what may be read. */
function printName(c: Printer, b: Uint8Array, q: number): number {
  // a compression pointer fails as relative to the name itself
  const next = dnsSkipName(b, q, readEnd);
  const name = next < 0 ? null : dnsNameText(b, q, q, readEnd);
  if (name !== null) {
    c.s += name + '.';
    return next;
  }
  // tcpdump prints the labels it could read, then the cut one's bytes up to the end
  for (let k = q; k < readEnd && (b[k] ?? 0) !== 0 && (b[k] ?? 0) < 0x40; ) {
    const e = k + 1 + (b[k] ?? 0);
    c.s += safeText(b, k + 1, Math.min(e, readEnd)) + (e < readEnd ? '.' : '');
    k = e;
  }
  c.s += ' [|dhcp6]';
  return -1;
}

/** The authentication option (RFC 8415 section 21.11): protocol, algorithm, replay detection, and the delayed or reconfigure key information. */
function printAuth(c: Printer, b: Uint8Array, d: number, n: number): void {
  const proto = b[d] ?? 0;
  const alg = b[d + 1] ?? 0;
  const rdm = b[d + 2] ?? 0;
  c.s += ` proto: ${proto === 2 ? 'delayed' : proto === 3 ? 'reconfigure' : proto}, alg: ${alg === 1 ? 'HMAC-MD5' : alg}, RDM: ${rdm === 0 ? 'mono' : rdm}, RD:`;
  for (let k = 0; k < 8; k += 2) c.s += ` ${hexBytes(b, d + 3 + k, 2)}`;
  const words = (p: number): void => {
    for (let k = 0; k < 16; k += 4) c.s += ` ${hexBytes(b, p + k, 4)}`;
  };
  const info = n - 11;
  let p = d + 11;
  if (proto === 2) {
    if (info !== 0 && info < 20) c.s += ' ??';
    else if (info !== 0) {
      const realm = info - 20;
      if (realm > 0) c.s += `, realm: ${hexBytes(b, p, realm)}`;
      p += realm;
      c.s += `, key ID: ${hexBytes(b, p, 4)}, HMAC-MD5:`;
      words(p + 4);
    }
  } else if (proto === 3 && info === 17) {
    const t = b[p] ?? 0;
    c.s += `${t === 1 ? ' reconfig-key' : t === 2 ? ' type: HMAC-MD5' : ' type: ??'} value:`;
    words(p + 1);
  } else c.s += ' ??';
  c.s += ')';
}

/** The NTP server option's suboptions (RFC 5908 section 4); false where one runs past the option (marked cut, the option left open as tcpdump leaves it). */
function printNtpServer(c: Printer, b: Uint8Array, p: number, end: number): boolean {
  // tcpdump stops when fewer than 4 bytes are left, so a last suboption header alone is not read
  while (p < end - 4) {
    const code = u16(b, p);
    const len = u16(b, p + 2);
    p += 4;
    if (p + len > end) {
      c.s += ' [|dhcp6]';
      return false;
    }
    c.s += ` subopt:${code}`;
    if ((code === 1 || code === 2) && len === 16) c.s += ` ${ipv6Text(b, p)}`;
    else if (code === 3) {
      c.s += ' ';
      if (printName(c, b, p) < 0) return false;
    } else c.s += ' ?';
    p += len;
  }
  return true;
}

/** The AFTR name (RFC 6334 section 3): labels joined by dots, without the final one; ` ?` where a label runs past the option. */
function printAftr(c: Printer, b: Uint8Array, p: number, n: number): void {
  let left = n;
  c.s += ' ';
  while (left > 0 && b[p]) {
    const len = b[p] ?? 0;
    p++;
    if (len >= left - 1) {
      c.s += ' ?';
      break;
    }
    let e = p;
    while (e < p + len && b[e] !== 0) e++;
    c.s += safeText(b, p, e);
    p += len;
    left -= len + 1;
    if (b[p]) c.s += '.';
  }
  c.s += ')';
}
