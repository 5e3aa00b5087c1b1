/** IPv4 header with options and fragmentation fields (RFC 791). */
import { ByteView, DecodeStatus, u16 } from './status.js';
import { ipv4Text } from './addr.js';
import { type Printer, cksumShouldBe, hostName, linkAvail, protoName } from './print.js';
import { IP_PROTO_NAMES } from './ethertype.js';
import { jsonKeys, type JsonWriter } from './json-writer.js';

/** Field offsets of the fixed 20-byte header. */
export const Ipv4Offsets = {
  verIhl: 0, tos: 1, totalLen: 2, id: 4, flagsFrag: 6, ttl: 8, proto: 9, checksum: 10, src: 12, dst: 16, headerLen: 20,
} as const;

/** Zero-copy view of an IPv4 header. */
export class Ipv4View extends ByteView {
  /**
   * Points at an IPv4 header. Malformed for a version other than 4, an IHL below 5 or a total length
   * shorter than the header; Truncated when the header (with options) was not captured.
   * @example if (ip.reset(bytes, 14, bytes.length - 14) === DecodeStatus.Ok) ip.proto;
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    if (this.length < 1) return (this.status = DecodeStatus.Truncated);
    if (this.version !== 4) return (this.status = DecodeStatus.Malformed);
    if (this.length < Ipv4Offsets.headerLen) return (this.status = DecodeStatus.Truncated);
    if (this.ihl < 5 || this.totalLen < this.headerLen) return (this.status = DecodeStatus.Malformed);
    this.status = this.length < this.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Version nibble. */
  get version(): number {
    return (this.bytes[this.offset] ?? 0) >> 4;
  }
  /** Header length in 32-bit words. */
  get ihl(): number {
    return (this.bytes[this.offset] ?? 0) & 15;
  }
  /** Header length in bytes. */
  get headerLen(): number {
    return this.ihl * 4;
  }
  /** Type of service byte (DSCP and ECN). */
  get tos(): number {
    return this.bytes[this.offset + Ipv4Offsets.tos] ?? 0;
  }
  /** Differentiated services code point. */
  get dscp(): number {
    return this.tos >> 2;
  }
  /** Explicit congestion notification bits. */
  get ecn(): number {
    return this.tos & 3;
  }
  /** Total length field. */
  get totalLen(): number {
    return u16(this.bytes, this.offset + Ipv4Offsets.totalLen);
  }
  /** Identification. */
  get id(): number {
    return u16(this.bytes, this.offset + Ipv4Offsets.id);
  }
  /** Flags (3 high bits of the fragment word: RB, DF, MF). */
  get flags(): number {
    return u16(this.bytes, this.offset + Ipv4Offsets.flagsFrag) >> 13;
  }
  /** Reserved bit. */
  get rb(): boolean {
    return (this.flags & 4) !== 0;
  }
  /** Don't fragment. */
  get df(): boolean {
    return (this.flags & 2) !== 0;
  }
  /** More fragments. */
  get mf(): boolean {
    return (this.flags & 1) !== 0;
  }
  /** Fragment offset in bytes. */
  get fragOffset(): number {
    return (u16(this.bytes, this.offset + Ipv4Offsets.flagsFrag) & 0x1fff) * 8;
  }
  /** Time to live. */
  get ttl(): number {
    return this.bytes[this.offset + Ipv4Offsets.ttl] ?? 0;
  }
  /** Protocol of the payload. */
  get proto(): number {
    return this.bytes[this.offset + Ipv4Offsets.proto] ?? 0;
  }
  /** Header checksum as carried. */
  get checksum(): number {
    return u16(this.bytes, this.offset + Ipv4Offsets.checksum);
  }
  /** Offset of the source address. */
  get srcOffset(): number {
    return this.offset + Ipv4Offsets.src;
  }
  /** Offset of the destination address. */
  get dstOffset(): number {
    return this.offset + Ipv4Offsets.dst;
  }
  /** Offset of the payload. */
  get payloadOffset(): number {
    return this.offset + this.headerLen;
  }
  /** Payload length declared by the header (total length minus header length). */
  get payloadLen(): number {
    return this.totalLen - this.headerLen;
  }
  /** Ones' complement sum of the captured header: 0xffff (or 0) when the checksum is right. */
  headerChecksumOk(): boolean {
    return onesSum(this.bytes, this.offset, this.headerLen, 0) === 0xffff;
  }
}

/** Ones' complement sum (RFC 1071) of `len` bytes at `off` added to `init`, folded to 16 bits. */
export function onesSum(b: Uint8Array, off: number, len: number, init: number): number {
  let s = init;
  let i = 0;
  for (; i + 1 < len; i += 2) s += ((b[off + i] ?? 0) << 8) | (b[off + i + 1] ?? 0);
  if (i < len) s += (b[off + i] ?? 0) << 8;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 65536);
  return s;
}

/** Parsed IPv4 header for sinks. */
export interface Ipv4Repr {
  hdrLen: number;
  dscp: number;
  ecn: number;
  len: number;
  id: number;
  flags: string[];
  fragOffset: number;
  ttl: number;
  proto: number;
  checksum: number;
  src: string;
  dst: string;
}

/** Builds the sink representation. */
export function ipv4Repr(v: Ipv4View): Ipv4Repr {
  const flags: string[] = [];
  if (v.rb) flags.push('RB');
  if (v.df) flags.push('DF');
  if (v.mf) flags.push('MF');
  return {
    hdrLen: v.headerLen, dscp: v.dscp, ecn: v.ecn, len: v.totalLen, id: v.id, flags, fragOffset: v.fragOffset,
    ttl: v.ttl, proto: v.proto, checksum: v.checksum, src: ipv4Text(v.bytes, v.srcOffset), dst: ipv4Text(v.bytes, v.dstOffset),
  };
}

const IP_OPT_NAMES: Readonly<Record<number, string>> = { 0: 'EOL', 1: 'NOP', 7: 'RR', 68: 'TS', 130: 'SECURITY', 131: 'LSRR', 133: 'E-SEC', 134: 'CIPSO', 136: 'SATID', 137: 'SSRR', 148: 'RA' };

function ipv4FlagsText(v: Ipv4View): string {
  const parts: string[] = [];
  if (v.mf) parts.push('+');
  if (v.df) parts.push('DF');
  if (v.rb) parts.push('rsvd');
  return parts.length ? parts.join(', ') : 'none';
}

/** tcpdump's IPv4 text (-v: the header fields and options), then the upper layer. */
export function printIpv4(c: Printer, v: Ipv4View, i: number): void {
  const p = c.parser;
  const pkt = c.pkt;
  const o = c.opts;
  const st = p.status[i]!;
  if (v.length === 0) {
    c.s += ' [|ip]';
    return;
  }
  if (v.version !== 4) {
    c.s += v.version === 6 ? 'IP6, wrong link-layer encapsulation (invalid)' : `IP${v.version} (invalid)`;
    return;
  }
  c.s += o.linkHeader ? '' : 'IP ';
  if (v.length < 20) {
    c.s += ' [|ip]';
    return;
  }
  if (v.ihl < 5) {
    c.s += `bad-hlen ${v.headerLen}`;
    return;
  }
  const tl = v.totalLen;
  if (tl < v.headerLen) {
    c.s += `bad-len ${tl}`;
    return;
  }
  const wireAvail = linkAvail(c, i, v.offset);
  if (tl > wireAvail) c.s += `truncated-ip - ${tl - wireAvail} bytes missing! `;
  if (o.verbose > 0) {
    c.s += `(tos 0x${v.tos.toString(16)}`;
    const ecn = v.ecn;
    if (ecn) c.s += ecn === 3 ? ',CE' : ecn === 1 ? ',ECT(1)' : ',ECT(0)';
    c.s += `${v.ttl >= 1 ? `, ttl ${v.ttl}` : ''}, id ${v.id}, offset ${v.fragOffset}, flags [${ipv4FlagsText(v)}], proto ${IP_PROTO_NAMES[v.proto] || 'unknown'} (${v.proto}), length ${tl}`;
    if (v.headerLen > 20) {
      c.s += ', options (';
      if (st === DecodeStatus.Ok) printIpOptions(c, v);
      else c.s += ' [|ip]';
      c.s += ')';
    }
    if (st === DecodeStatus.Ok && c.opts.noChecksum !== true && !v.headerChecksumOk()) {
      c.s += `, bad cksum ${v.checksum.toString(16)} (->${cksumShouldBe(v.checksum, onesSum(v.bytes, v.offset, v.headerLen, 0)).toString(16)})!`;
    }
    c.s += ')\n    ';
  }
  if (st !== DecodeStatus.Ok) {
    c.s += ' [|ip]';
    return;
  }
  const src = hostName(c.opts, ipv4Text(v.bytes, v.srcOffset));
  const dst = hostName(c.opts, ipv4Text(v.bytes, v.dstOffset));
  if (v.fragOffset !== 0) {
    c.s += `${src} > ${dst}: ${protoName(c.opts, v.proto)}`;
    return;
  }
  c.transport(i + 1, v.proto, src, dst, v.payloadLen, i, false);
}

function printIpOptions(c: Printer, v: Ipv4View): void {
  const b = v.bytes;
  let q = v.offset + 20;
  const end = v.offset + v.headerLen;
  let first = true;
  for (let guard = 0; q < end && guard < 40; guard++) {
    const t = b[q] ?? 0;
    if (!first) c.s += ',';
    first = false;
    if (t === 0) {
      c.s += 'EOL';
      q++;
      // tcpdump prints the padding after EOL as further EOLs only when non-zero; stop here
      break;
    }
    if (t === 1) {
      c.s += 'NOP';
      q++;
      continue;
    }
    const name = IP_OPT_NAMES[t] ?? `unknown ${t}`;
    if (q + 1 >= end) {
      c.s += `${name} [bad length 0]`;
      return;
    }
    const l = b[q + 1] ?? 0;
    if (l < 2) {
      c.s += `${name} [bad length ${l}]`;
      return;
    }
    if (q + l > end) {
      c.s += `${name} [bad length ${l}]`;
      return;
    }
    c.s += name;
    if ((t === 7 || t === 131 || t === 137) && l >= 3) {
      // record route / source routes: pointer then addresses
      const ptr = b[q + 2] ?? 0;
      for (let a = q + 3, k = 4; a + 4 <= q + l; a += 4, k += 4) {
        c.s += ` ${ipv4Text(b, a)}${ptr === k ? '' : ''}`;
      }
      if ((l - 3) % 4 !== 0) c.s += ' [bad length]';
    } else if (t === 148 && l !== 4) c.s += ` [bad length ${l}]`;
    else if (t === 148) {
      const val = u16(b, q + 2);
      if (val) c.s += ` value ${val}`;
    } else if (t !== 148 && l > 2 && t !== 7) {
      // tcpdump prints unknown options' length only
      if (IP_OPT_NAMES[t] === undefined) c.s += ` [len ${l}]`;
    }
    q += l;
  }
}

/** The keys and punctuation `writeIpv4Json` writes, encoded once. */
const IPV4_JSON = jsonKeys({
  hdrLen: '{"hdrLen":',
  dscp: ',"dscp":',
  ecn: ',"ecn":',
  len: ',"len":',
  id: ',"id":',
  fragOffset: '],"fragOffset":',
  ttl: ',"ttl":',
  proto: ',"proto":',
  checksum: ',"checksum":',
  flags: ',"flags":[',
  RB: '"RB"',
  src: ',"src":',
  dst: ',"dst":',
});

/** The schema's `ipv4` object (= `JSON.stringify(ipv4Repr(v))`), written straight into `w`. */
export function writeIpv4Json(w: JsonWriter, v: Ipv4View): void {
  w.key(IPV4_JSON.hdrLen, v.headerLen);
  w.key(IPV4_JSON.dscp, v.dscp);
  w.key(IPV4_JSON.ecn, v.ecn);
  w.key(IPV4_JSON.len, v.totalLen);
  w.key(IPV4_JSON.id, v.id);
  w.keyText(IPV4_JSON.flags);
  // the names of the set flags, comma-separated, without building strings
  let any = false;
  if (v.rb) {
    w.keyText(IPV4_JSON.RB);
    any = true;
  }
  if (v.df) {
    w.raw(any ? ',"DF"' : '"DF"');
    any = true;
  }
  if (v.mf) w.raw(any ? ',"MF"' : '"MF"');
  w.key(IPV4_JSON.fragOffset, v.fragOffset);
  w.key(IPV4_JSON.ttl, v.ttl);
  w.key(IPV4_JSON.proto, v.proto);
  w.key(IPV4_JSON.checksum, v.checksum);
  w.keyText(IPV4_JSON.src);
  w.ipv4(v.bytes, v.srcOffset);
  w.keyText(IPV4_JSON.dst);
  w.ipv4(v.bytes, v.dstOffset);
  w.raw('}');
}
