/**
 * DNS message header, questions and resource records (RFC 1035; AAAA RFC 3596, SRV RFC 2782).
 * Names are read with two limits: a compression pointer must point strictly before the previous
 * one (so pointer loops end) and at most DNS_MAX_POINTER_HOPS pointers and DNS_MAX_NAME_OCTETS
 * octets are followed.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { ipv4Text, ipv6Text } from './addr.js';

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
