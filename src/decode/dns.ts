/**
 * DNS message header, questions and resource records (RFC 1035; AAAA RFC 3596, SRV RFC 2782).
 * Names are read with two limits: a compression pointer must point strictly before the previous
 * one (so pointer loops end) and at most DNS_MAX_POINTER_HOPS pointers and DNS_MAX_NAME_OCTETS
 * octets are followed.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { ipv4Text, ipv6Text } from './addr.js';
import { type Printer, hexBytes, latin1, relTime } from './print.js';
import { Layer, Port } from './layers.js';
import type { JsonWriter } from './json-writer.js';

/** Field offsets of the 12-byte header. */
export const DnsOffsets = { id: 0, flags: 2, qdcount: 4, ancount: 6, nscount: 8, arcount: 10, headerLen: 12 } as const;

/** Record types the decoders name. */
export const DnsType = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, OPT: 41 } as const;

/** Compression pointers followed per name at most. */
export const DNS_MAX_POINTER_HOPS = 64;
/** Wire octets of a name at most (RFC 1035 section 3.1). */
export const DNS_MAX_NAME_OCTETS = 255;

/** Zero-copy view of a DNS message (for DNS over TCP, point it after the 2-byte length). */
export class DnsView extends ByteView {
  /**
   * Points at a DNS message; Truncated below 12 bytes.
   * @example dns.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < DnsOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Transaction id. */
  get id(): number {
    return u16(this.bytes, this.offset);
  }
  /** Flags word. */
  get flags(): number {
    return u16(this.bytes, this.offset + 2);
  }
  /** True for a response. */
  get qr(): boolean {
    return (this.flags & 0x8000) !== 0;
  }
  /** Opcode. */
  get opcode(): number {
    return (this.flags >> 11) & 15;
  }
  /** Authoritative answer. */
  get aa(): boolean {
    return (this.flags & 0x400) !== 0;
  }
  /** Truncated. */
  get tc(): boolean {
    return (this.flags & 0x200) !== 0;
  }
  /** Recursion desired. */
  get rd(): boolean {
    return (this.flags & 0x100) !== 0;
  }
  /** Recursion available. */
  get ra(): boolean {
    return (this.flags & 0x80) !== 0;
  }
  /** Authentic data. */
  get ad(): boolean {
    return (this.flags & 0x20) !== 0;
  }
  /** Checking disabled. */
  get cd(): boolean {
    return (this.flags & 0x10) !== 0;
  }
  /** Header RCODE. */
  get rcode(): number {
    return this.flags & 15;
  }
  /** Question count. */
  get qdcount(): number {
    return u16(this.bytes, this.offset + 4);
  }
  /** Answer count. */
  get ancount(): number {
    return u16(this.bytes, this.offset + 6);
  }
  /** Authority count. */
  get nscount(): number {
    return u16(this.bytes, this.offset + 8);
  }
  /** Additional count. */
  get arcount(): number {
    return u16(this.bytes, this.offset + 10);
  }
  /** Offset of the first question. */
  get questionsOffset(): number {
    return this.offset + DnsOffsets.headerLen;
  }
  /** End of the captured message. */
  get end(): number {
    return this.offset + this.length;
  }
}

/**
 * Offset just past the name at `pos` (labels up to a zero octet or a pointer), or -1 when it runs
 * past `end` or uses a reserved label type.
 */
export function dnsSkipName(b: Uint8Array, pos: number, end: number): number {
  let p = pos;
  for (let guard = 0; guard < 256 && p < end; guard++) {
    const l = b[p] ?? 0;
    if (l === 0) return p + 1;
    if ((l & 0xc0) === 0xc0) return p + 2 <= end ? p + 2 : -1;
    if (l & 0xc0) return -1;
    p += l + 1;
  }
  return -1;
}

/** Why the last `dnsNameText` failed: 'trunc', 'ptr' (bad or looping pointer), 'long', 'label'. */
export let dnsNameError = '';

/**
 * Presentation form (no trailing dot, root = '') of the name at `pos`, following compression
 * pointers relative to `msg`; null on a bad pointer, a loop, an over-long name or truncation.
 * @example dnsNameText(bytes, dns.offset, dns.questionsOffset, dns.end) // 'example.org'
 */
export function dnsNameText(b: Uint8Array, msg: number, pos: number, end: number, maxOctets = DNS_MAX_NAME_OCTETS): string | null {
  let p = pos;
  let out = '';
  let octets = 0;
  let hops = 0;
  let limit = pos; // pointers must go strictly before this
  for (;;) {
    if (p >= end) {
      dnsNameError = 'trunc';
      return null;
    }
    const l = b[p] ?? 0;
    if (l === 0) return out;
    if ((l & 0xc0) === 0xc0) {
      if (p + 2 > end) {
        dnsNameError = 'trunc';
        return null;
      }
      const target = msg + (((l & 0x3f) << 8) | (b[p + 1] ?? 0));
      if (target >= limit || ++hops > DNS_MAX_POINTER_HOPS) {
        dnsNameError = 'ptr';
        return null;
      }
      limit = target;
      p = target;
      continue;
    }
    if (l & 0xc0) {
      dnsNameError = 'label';
      return null;
    }
    octets += l + 1;
    if (octets > maxOctets) {
      dnsNameError = 'long';
      return null;
    }
    if (p + 1 + l > end) {
      dnsNameError = 'trunc';
      return null;
    }
    if (out !== '') out += '.';
    for (let i = 1; i <= l; i++) {
      const c = b[p + i] ?? 0;
      out += c === 0x2e || c === 0x5c ? '\\' + String.fromCharCode(c) : c > 0x20 && c < 0x7f ? String.fromCharCode(c) : '\\' + String(c).padStart(3, '0');
    }
    p += l + 1;
  }
}

/** A question as read from the message. */
export interface DnsQuestion {
  name: string;
  type: number;
  class: number;
}

/** An answer record as read from the message; `data` for A, AAAA, CNAME, NS, PTR. */
export interface DnsAnswer {
  name: string;
  type: number;
  class: number;
  ttl: number;
  data?: string;
}

/** Parsed DNS message for sinks. */
export interface DnsRepr {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
  rcode: number;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
  questions: DnsQuestion[];
  answers: DnsAnswer[];
}

/** Builds the sink representation: header, then questions and answers until the first bad one. */
export function dnsRepr(v: DnsView): DnsRepr {
  const r: DnsRepr = {
    id: v.id, qr: v.qr, opcode: v.opcode, aa: v.aa, tc: v.tc, rd: v.rd, ra: v.ra, ad: v.ad, cd: v.cd, rcode: v.rcode,
    qdcount: v.qdcount, ancount: v.ancount, nscount: v.nscount, arcount: v.arcount, questions: [], answers: [],
  };
  const b = v.bytes;
  const end = v.end;
  let p = v.questionsOffset;
  for (let i = 0; i < v.qdcount; i++) {
    const name = dnsNameText(b, v.offset, p, end);
    const q = dnsSkipName(b, p, end);
    if (name === null || q < 0 || q + 4 > end) return r;
    r.questions.push({ name, type: u16(b, q), class: u16(b, q + 2) });
    p = q + 4;
  }
  for (let i = 0; i < v.ancount; i++) {
    const name = dnsNameText(b, v.offset, p, end);
    const q = dnsSkipName(b, p, end);
    if (name === null || q < 0 || q + 10 > end) return r;
    const type = u16(b, q);
    const rdlen = u16(b, q + 8);
    const rd = q + 10;
    if (rd + rdlen > end) return r;
    const a: DnsAnswer = { name, type, class: u16(b, q + 2), ttl: u32(b, q + 4) };
    const data = dnsRdataText(b, v.offset, type, rd, rdlen, end);
    if (data !== null) a.data = data;
    r.answers.push(a);
    p = rd + rdlen;
  }
  return r;
}

const DNS_JSON_FLAG_KEYS = [',"aa":', ',"tc":', ',"rd":', ',"ra":', ',"ad":', ',"cd":'] as const;
const DNS_JSON_FLAG_BITS = [0x400, 0x200, 0x100, 0x80, 0x20, 0x10] as const;

/**
 * Writes the layer's JSON (the text of `JSON.stringify(dnsRepr(v))`) without building the Repr:
 * header fields from the bytes, then questions and answers until the first bad one.
 */
export function writeDnsJson(w: JsonWriter, v: DnsView): void {
  const flags = v.flags;
  w.field('{"id":', v.id);
  w.raw(',"qr":');
  w.bool((flags & 0x8000) !== 0);
  w.field(',"opcode":', v.opcode);
  // aa, tc, rd, ra, ad, cd in the Repr's order
  for (let k = 0; k < DNS_JSON_FLAG_KEYS.length; k++) {
    w.raw(DNS_JSON_FLAG_KEYS[k]!);
    w.bool((flags & DNS_JSON_FLAG_BITS[k]!) !== 0);
  }
  w.field(',"rcode":', v.rcode);
  w.field(',"qdcount":', v.qdcount);
  w.field(',"ancount":', v.ancount);
  w.field(',"nscount":', v.nscount);
  w.field(',"arcount":', v.arcount);
  w.raw(',"questions":[');
  const b = v.bytes;
  const end = v.end;
  let p = v.questionsOffset;
  // as dnsRepr: a bad question ends the questions and leaves the answers empty
  let ok = true;
  for (let i = 0; i < v.qdcount; i++) {
    const name = dnsNameText(b, v.offset, p, end);
    const q = dnsSkipName(b, p, end);
    if (name === null || q < 0 || q + 4 > end) {
      ok = false;
      break;
    }
    w.raw(i === 0 ? '{"name":' : ',{"name":');
    w.str(name);
    w.field(',"type":', u16(b, q));
    w.field(',"class":', u16(b, q + 2));
    w.raw('}');
    p = q + 4;
  }
  w.raw('],"answers":[');
  for (let i = 0; ok && i < v.ancount; i++) {
    const name = dnsNameText(b, v.offset, p, end);
    const q = dnsSkipName(b, p, end);
    if (name === null || q < 0 || q + 10 > end) break;
    const type = u16(b, q);
    const rdlen = u16(b, q + 8);
    const rd = q + 10;
    if (rd + rdlen > end) break;
    w.raw(i === 0 ? '{"name":' : ',{"name":');
    w.str(name);
    w.field(',"type":', type);
    w.field(',"class":', u16(b, q + 2));
    w.field(',"ttl":', u32(b, q + 4));
    if (type === DnsType.A && rdlen === 4) {
      w.raw(',"data":');
      w.ipv4(b, rd);
    } else if (type === DnsType.AAAA && rdlen === 16) {
      w.raw(',"data":');
      w.ipv6(b, rd);
    } else if (type !== DnsType.A && type !== DnsType.AAAA) {
      const data = dnsRdataText(b, v.offset, type, rd, rdlen, end);
      if (data !== null) {
        w.raw(',"data":');
        w.str(data);
      }
    }
    w.raw('}');
    p = rd + rdlen;
  }
  w.raw(']}');
}

/** Text of A, AAAA, CNAME, NS and PTR data; null for other types or bad data. */
export function dnsRdataText(b: Uint8Array, msg: number, type: number, rd: number, rdlen: number, end: number): string | null {
  switch (type) {
    case DnsType.A:
      return rdlen === 4 ? ipv4Text(b, rd) : null;
    case DnsType.AAAA:
      return rdlen === 16 ? ipv6Text(b, rd) : null;
    case DnsType.CNAME:
    case DnsType.NS:
    case DnsType.PTR:
      return dnsNameText(b, msg, rd, Math.min(end, rd + rdlen) === rd + rdlen ? end : end);
    default:
      return null;
  }
}

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
// tcpdump 4.99's response codes, extended by the OPT record to 12 bits (RFC 6891); 17 and 21 are
// printed there without the leading space, and so here
const DNS_RCODES = ['', ' FormErr', ' ServFail', ' NXDomain', ' NotImp', ' Refused', ' YXDomain', ' YXRRSet', ' NXRRSet', ' NotAuth', ' NotZone', ' Resp11', ' Resp12', ' Resp13', ' Resp14', ' NoChange',
  ' BadVers', 'Resp17', ' Resp18', ' Resp19', ' Resp20', 'Resp21', ' Resp22', ' BadCookie'];
const EDNS_OPTS: Readonly<Record<number, string>> = {
  1: 'LLQ', 2: 'UL', 3: 'NSID', 5: 'DAU', 6: 'DHU', 7: 'N3U', 8: 'ECS', 9: 'EXPIRE', 10: 'COOKIE', 11: 'KEEPALIVE', 12: 'PADDING', 13: 'CHAIN',
  14: 'KEY-TAG', 15: 'EDE', 16: 'CLIENT-TAG', 17: 'SERVER-TAG',
};
const DNS_OPS = ['', ' inv_q', ' stat', ' op3', ' notify', ' update', ' op6', ' op7', ' op8', ' updateA', ' updateD', ' updateDA', ' updateM', ' updateMA', ' zoneInit', ' zoneRef'];
const PRINT_NAME_MAX = 4096;

function dnsChar(ch: number): string {
  if (ch === 0x22 || ch === 0x5c) return '\\' + String.fromCharCode(ch);
  if (ch >= 0x20 && ch < 0x7f) return String.fromCharCode(ch);
  return '\\' + String(ch).padStart(3, '0');
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

/**
 * True while a multicast DNS message (UDP port 5353) is printed: RFC 6762 takes the class's top bit
 * for the unicast-response (questions) and cache-flush (records) flags.
 */
let mdns = false;

/** tcpdump's DNS text: header summary, questions (-vv: of responses too) and answers. */
export function printDns(c: Printer, v: DnsView, i: number, len: number): void {
  const p = c.parser;
  const b = v.bytes;
  const o = c.opts;
  const u = p.at(i - 1, Layer.Udp);
  mdns = u !== undefined && (u.srcPort === Port.MDNS || u.dstPort === Port.MDNS);
  if (p.status[i] !== DecodeStatus.Ok) {
    if (len < 12) c.s += `domain [length ${len} < 12] (invalid)`;
    else c.s += ' [|domain]';
    return;
  }
  const end = Math.min(v.end, v.offset + len);
  const qd = v.qdcount;
  let an = v.ancount;
  const ns = v.nscount;
  const ar = v.arcount;
  let q = v.questionsOffset;
  if (v.qr) {
    // the OPT record's high 8 bits of the response code (RFC 6891 6.1.3)
    const opt = findOpt(v, end);
    const rcode = v.rcode | (opt >= 0 ? (b[opt + 4] ?? 0) << 4 : 0);
    c.s += `${v.id}${DNS_OPS[v.opcode]}${DNS_RCODES[rcode] ?? ` Resp${rcode}`}${v.aa ? '*' : ''}${v.ra ? '' : '-'}${v.tc ? '|' : ''}`;
    if (qd !== 1) c.s += ` [${qd}q]`;
    for (let k = 0; k < qd; k++) {
      if (k !== 0) c.s += ',';
      if (o.verbose > 1) {
        c.s += ' q: ';
        const r = printQuestion(c, q, v, end);
        if (r < 0) return;
        q = r;
      } else {
        const r = nskip(b, q, end);
        if (r < 0) {
          c.s += ' [|domain]';
          return;
        }
        q = r + 4;
      }
    }
    c.s += ` ${an}/${ns}/${ar}`;
    if (an) {
      q = printRecord(c, q, v, end);
      if (q < 0) return;
      while (--an > 0 && q < end) {
        c.s += ',';
        q = printRecord(c, q, v, end);
        if (q < 0) return;
      }
    }
    // the authority and additional sections at -vv
    if (o.verbose > 1) {
      q = printSection(c, v, q, end, ' ns:', ns);
      if (q >= 0) q = printSection(c, v, q, end, ' ar:', ar);
      if (q < 0) return;
    }
  } else {
    c.s += `${v.id}${DNS_OPS[v.opcode]}${v.rd ? '+' : ''}${v.cd ? '%' : ''}`;
    const b2 = v.flags;
    if (b2 & 0x6cf) c.s += ` [b2&3=0x${b2.toString(16)}]`;
    if (an) c.s += ` [${an}a]`;
    if (qd !== 1) c.s += ` [${qd}q]`;
    if (ns) c.s += ` [${ns}n]`;
    if (ar) c.s += ` [${ar}au]`;
    for (let k = 0; k < qd; k++) {
      if (q >= end) {
        c.s += ' [|domain]';
        return;
      }
      c.s += ' ';
      const r = printQuestion(c, q, v, end);
      if (r < 0) return;
      q = r;
    }
    // a query's other sections at -vv
    if (o.verbose > 1) {
      q = printSection(c, v, q, end, '', an);
      if (q >= 0) q = printSection(c, v, q, end, ' ns:', ns);
      if (q >= 0) q = printSection(c, v, q, end, ' ar:', ar);
      if (q < 0) return;
    }
  }
  c.s += ` (${len})`;
}

/** `count` records after `label` (tcpdump's -vv sections); -1 after a truncation marker. */
function printSection(c: Printer, v: DnsView, q: number, end: number, label: string, count: number): number {
  if (count === 0 || q >= end) return count > 0 ? truncated(c) : q;
  c.s += label;
  q = printRecord(c, q, v, end);
  let left = count - 1;
  while (q >= 0 && q < end && left > 0) {
    c.s += ',';
    q = printRecord(c, q, v, end);
    left--;
  }
  if (q < 0) return -1;
  return left > 0 ? truncated(c) : q;
}

function truncated(c: Printer): number {
  c.s += ' [|domain]';
  return -1;
}

/** Offset of the OPT record's type field in the additional section, or -1. */
function findOpt(v: DnsView, end: number): number {
  const b = v.bytes;
  let q = v.questionsOffset;
  for (let k = 0; k < v.qdcount; k++) {
    const r = dnsSkipName(b, q, end);
    if (r < 0) return -1;
    q = r + 4;
  }
  const before = v.ancount + v.nscount;
  for (let k = 0, n = before + v.arcount; k < n && k < 4096; k++) {
    const r = dnsSkipName(b, q, end);
    if (r < 0 || r + 10 > end) return -1;
    if (k >= before && u16(b, r) === 41) return r;
    q = r + 10 + u16(b, r + 8);
  }
  return -1;
}

/** EDNS options of an OPT record (RFC 6891): ` [NAME data,...]` as tcpdump prints them. */
function printEdnsOptions(c: Printer, b: Uint8Array, q: number, end: number): void {
  c.s += ' [';
  for (let first = true, guard = 0; q + 4 <= end && guard < 256; guard++, first = false) {
    const code = u16(b, q);
    const len = u16(b, q + 2);
    const d = q + 4;
    if (d + len > end) break;
    if (!first) c.s += ',';
    c.s += EDNS_OPTS[code] ?? `Opt${code}`;
    if (code === 10 && len >= 8) c.s += ` ${hexBytes(b, d, 8)}${len > 8 ? ' ' + hexBytes(b, d + 8, len - 8) : ''}`;
    else if (code === 12) c.s += ` (${len})`;
    else if (code === 8 && len >= 4) {
      const fam = u16(b, d);
      const addr = new Uint8Array(fam === 2 ? 16 : 4);
      for (let k = 0; k < len - 4 && k < addr.length; k++) addr[k] = b[d + 4 + k] ?? 0;
      c.s += ` ${fam === 2 ? ipv6Text(addr, 0) : ipv4Text(addr, 0)}/${b[d + 2] ?? 0}/${b[d + 3] ?? 0}`;
    } else if (len > 0) c.s += ` ${hexBytes(b, d, len)}`;
    q = d + len;
  }
  c.s += ']';
}

/** A name like tcpdump's fqdn_print (trailing dot); false after printing a failure marker. */
function printName(c: Printer, pos: number, v: DnsView, end: number): boolean {
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
    c.s += name.slice(0, cut) + '<DOMAIN NAME TOO LONG>';
    return true;
  }
  if (name === null) {
    if (dnsNameError === 'ptr') {
      // tcpdump prints the labels read before the bad pointer
      const partial = partialName(v.bytes, pos, end);
      c.s += `${partial}<BAD PTR> [|domain]`;
    } else c.s += ' [|domain]';
    return false;
  }
  c.s += name === '' ? '.' : name + '.';
  return true;
}
function printQuestion(c: Printer, q: number, v: DnsView, end: number): number {
  const b = v.bytes;
  const r = dnsSkipName(b, q, end);
  if (r < 0 || r + 4 > end) {
    if (r < 0 && dnsNameText(b, v.offset, q, end, PRINT_NAME_MAX) === null && dnsNameError === 'ptr') {
      printName(c, q, v, end);
      return -1;
    }
    c.s += '[|domain]';
    return -1;
  }
  const type = u16(b, r);
  const cls = u16(b, r + 2);
  c.s += DNS_TYPES[type] ?? `Type${type}`;
  const k = mdns ? cls & 0x7fff : cls;
  if (k !== 1) c.s += ` ${DNS_CLASSES[k] ?? `(Class ${k})`}`;
  if (mdns) c.s += cls & 0x8000 ? ' (QU)' : ' (QM)';
  c.s += '? ';
  if (!printName(c, q, v, end)) return -1;
  return r + 4;
}
function printRecord(c: Printer, q: number, v: DnsView, end: number): number {
  const b = v.bytes;
  const o = c.opts;
  if (o.verbose > 0) {
    c.s += ' ';
    if (!printName(c, q, v, end)) return -1;
  }
  if (q >= end) {
    c.s += ' [|domain]';
    return -1;
  }
  const r = o.verbose > 0 ? dnsSkipName(b, q, end) : nskip(b, q, end);
  if (r < 0 || r + 10 > end) return end;
  const type = u16(b, r);
  const cls = u16(b, r + 2);
  if (o.verbose > 2 && type !== 41) c.s += ` [${relTime(u32(b, r + 4))}]`;
  const k = mdns ? cls & 0x7fff : cls;
  if (k !== 1 && type !== 41) c.s += ` ${DNS_CLASSES[k] ?? `(Class ${k})`}`;
  if (mdns && cls & 0x8000) c.s += ' (Cache flush)';
  c.s += ` ${DNS_TYPES[type] ?? `Type${type}`}`;
  const rdlen = u16(b, r + 8);
  const rd = r + 10;
  const next = rd + rdlen;
  if (next > end) {
    c.s += ' [|domain]';
    return -1;
  }
  switch (type) {
    case 1:
      if (rdlen !== 4) return next;
      c.s += ` ${ipv4Text(b, rd)}`;
      break;
    case 28:
      if (rdlen !== 16) return next;
      c.s += ` ${ipv6Text(b, rd)}`;
      break;
    case 2:
    case 5:
    case 12:
    case 39:
      c.s += ' ';
      if (!printName(c, rd, v, end)) return -1;
      break;
    case 15:
      c.s += ' ';
      if (!printName(c, rd + 2, v, end)) return -1;
      c.s += ` ${u16(b, rd)}`;
      break;
    case 16: {
      let k = rd;
      while (k < next) {
        const l = b[k] ?? 0;
        c.s += ' "';
        for (let m = 1; m <= l && k + m < next; m++) c.s += dnsChar(b[k + m] ?? 0);
        c.s += '"';
        k += l + 1;
      }
      break;
    }
    case 33:
      c.s += ' ';
      if (!printName(c, rd + 6, v, end)) return -1;
      c.s += `:${u16(b, rd + 4)} ${u16(b, rd)} ${u16(b, rd + 2)}`;
      break;
    case 6:
      if (o.verbose === 0) break;
      {
        c.s += ' ';
        if (!printName(c, rd, v, end)) return -1;
        const a = dnsSkipName(b, rd, end);
        c.s += ' ';
        if (a < 0 || !printName(c, a, v, end)) return -1;
        const ce = dnsSkipName(b, a, end);
        if (ce < 0 || ce + 20 > end) {
          c.s += ' [|domain]';
          return -1;
        }
        c.s += ` ${u32(b, ce)} ${u32(b, ce + 4)} ${u32(b, ce + 8)} ${u32(b, ce + 12)} ${u32(b, ce + 16)}`;
      }
      break;
    case 41:
      c.s += ` UDPsize=${cls}`;
      if (u32(b, r + 4) & 0x8000) c.s += ' DO';
      if (rdlen > 0) printEdnsOptions(c, b, rd, next);
      break;
    default:
      break;
  }
  return next;
}
