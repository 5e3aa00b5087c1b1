/**
 * IPv6 fixed header (RFC 8200) and its extension-header chain: hop-by-hop (0), routing (43),
 * fragment (44) and destination options (60). The walk is bounded by the captured bytes (every
 * extension header is at least 8 bytes), so a chain of hundreds of headers ends without a hang.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { hex2, ipv6Text } from './addr.js';
import { onesSum } from './ipv4.js';
import { type Printer, hex4, hex8, hostName, linkAvail } from './print.js';
import { IP_PROTO_NAMES } from './ethertype.js';
import { jsonKeys, type JsonWriter } from './json-writer.js';

/** Field offsets of the fixed 40-byte header. */
export const Ipv6Offsets = { verTcFlow: 0, payloadLen: 4, nextHeader: 6, hopLimit: 7, src: 8, dst: 24, headerLen: 40 } as const;

/** Extension header numbers walked by the view. */
export const Ipv6Ext = { HOP_BY_HOP: 0, ROUTING: 43, FRAGMENT: 44, DEST_OPTS: 60, AH: 51, ESP: 50, NONE: 59 } as const;

/**
 * Extension headers whose types are remembered: every header is at least 8 bytes, so this covers
 * the largest capture (the walk itself is bounded by the captured bytes).
 */
export const IPV6_EXT_KEEP = 32768;

/** True for the extension headers the chain walk steps over. */
export function isIpv6Ext(nh: number): boolean {
  return nh === 0 || nh === 43 || nh === 44 || nh === 60;
}

/** Zero-copy view of an IPv6 header with its walked extension chain. */
export class Ipv6View extends ByteView {
  /** Extension headers walked (may exceed IPV6_EXT_KEEP). */
  extCount = 0;
  /** Types of the first IPV6_EXT_KEEP extension headers. */
  readonly extTypes = new Uint8Array(IPV6_EXT_KEEP);
  /** Next header after the chain (the upper-layer protocol, or an extension the capture cut). */
  upperProto = 0;
  /** Offset where the upper layer starts. */
  upperOffset = 0;
  /** Offset of the first fragment header, -1 if none. */
  fragHeaderOffset = -1;
  /** True when the chain was cut by the capture length (or an extension length points past it). */
  chainTruncated = false;
  /** Jumbo Payload option value (RFC 2675), 0 if none. */
  jumboLen = 0;
  /** Offset of the final destination named by a type 0 or 2 routing header, -1 if none. */
  finalDstOffset = -1;

  /**
   * Points at an IPv6 header and walks its extension chain.
   * @example if (ip6.reset(bytes, 14, bytes.length - 14) === DecodeStatus.Ok) ip6.upperProto;
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.extCount = 0;
    this.fragHeaderOffset = -1;
    this.chainTruncated = false;
    this.jumboLen = 0;
    this.finalDstOffset = -1;
    this.upperProto = 0;
    this.upperOffset = offset + Ipv6Offsets.headerLen;
    if (this.length < 1) return (this.status = DecodeStatus.Truncated);
    if (this.version !== 6) return (this.status = DecodeStatus.Malformed);
    if (this.length < Ipv6Offsets.headerLen) return (this.status = DecodeStatus.Truncated);
    this.walk();
    return (this.status = DecodeStatus.Ok);
  }

  private walk(): void {
    const b = this.bytes;
    const end = this.offset + this.length;
    let nh = this.nextHeader;
    let p = this.offset + Ipv6Offsets.headerLen;
    while (isIpv6Ext(nh)) {
      if (p + 8 > end) {
        this.chainTruncated = true;
        break;
      }
      const len = nh === Ipv6Ext.FRAGMENT ? 8 : ((b[p + 1] ?? 0) + 1) * 8;
      if (this.extCount < IPV6_EXT_KEEP) this.extTypes[this.extCount] = nh;
      this.extCount++;
      if (nh === Ipv6Ext.FRAGMENT && this.fragHeaderOffset < 0) this.fragHeaderOffset = p;
      if (nh === Ipv6Ext.HOP_BY_HOP) this.findJumbo(p, Math.min(p + len, end));
      if (nh === Ipv6Ext.ROUTING && p + len <= end) this.findFinalDst(p);
      if (p + len > end) {
        this.chainTruncated = true;
        break;
      }
      const nonFirstFragment = nh === Ipv6Ext.FRAGMENT && (u16(b, p + 2) & 0xfff8) !== 0;
      nh = b[p] ?? 0;
      p += len;
      // a non-first fragment carries no upper-layer header
      if (nonFirstFragment) break;
    }
    this.upperProto = nh;
    this.upperOffset = p;
  }

  /**
   * RFC 8200 8.1: with a routing header the pseudo-header names the final destination, the last address
   * of a type 0 or 2 list, the first segment of a segment routing header (RFC 8754, listed in reverse);
   * only the first routing header counts, as in tcpdump's ip6_finddst.
   */
  private findFinalDst(p: number): void {
    if (this.finalDstOffset >= 0) return;
    const type = this.bytes[p + 2] ?? 0;
    const hlen = this.bytes[p + 1] ?? 0;
    if ((type === 0 || type === 2) && hlen >= 2 && hlen % 2 === 0) this.finalDstOffset = p + 8 + 16 * ((hlen >> 1) - 1);
    else if (type === 4 && hlen >= 2 && hlen % 2 === 0) this.finalDstOffset = p + 8;
  }

  /** Ones' complement sum of the pseudo-header addresses: the source and the final destination. */
  pseudoSum(): number {
    const dst = this.finalDstOffset >= 0 ? this.finalDstOffset : this.dstOffset;
    return onesSum(this.bytes, dst, 16, onesSum(this.bytes, this.srcOffset, 16, 0));
  }

  private findJumbo(p: number, end: number): void {
    let q = p + 2;
    let guard = 0;
    while (q < end && guard++ < 256) {
      const t = this.bytes[q] ?? 0;
      if (t === 0) {
        q++;
        continue;
      }
      if (q + 2 > end) return;
      const l = this.bytes[q + 1] ?? 0;
      if (t === 0xc2 && l === 4 && q + 6 <= end) this.jumboLen = u32(this.bytes, q + 2);
      q += 2 + l;
    }
  }

  /** Version nibble. */
  get version(): number {
    return (this.bytes[this.offset] ?? 0) >> 4;
  }
  /** Traffic class byte. */
  get trafficClass(): number {
    return (u16(this.bytes, this.offset) >> 4) & 0xff;
  }
  /** 20-bit flow label. */
  get flowLabel(): number {
    return u32(this.bytes, this.offset) % 0x100000;
  }
  /** Payload length field. */
  get payloadLen(): number {
    return u16(this.bytes, this.offset + Ipv6Offsets.payloadLen);
  }
  /** Next header of the fixed header. */
  get nextHeader(): number {
    return this.bytes[this.offset + Ipv6Offsets.nextHeader] ?? 0;
  }
  /** Hop limit. */
  get hopLimit(): number {
    return this.bytes[this.offset + Ipv6Offsets.hopLimit] ?? 0;
  }
  /** Offset of the source address. */
  get srcOffset(): number {
    return this.offset + Ipv6Offsets.src;
  }
  /** Offset of the destination address. */
  get dstOffset(): number {
    return this.offset + Ipv6Offsets.dst;
  }
  /** Payload length in effect: the field, or the Jumbo Payload option when the field is 0. */
  get effectivePayloadLen(): number {
    return this.payloadLen === 0 && this.jumboLen > 0 ? this.jumboLen : this.payloadLen;
  }
  /** Upper-layer length per the header fields (payload length minus the walked extensions). */
  get upperLen(): number {
    const l = this.effectivePayloadLen - (this.upperOffset - this.offset - Ipv6Offsets.headerLen);
    return l < 0 ? 0 : l;
  }
  /** Fragment offset in bytes of the first fragment header (0 if none). */
  get fragOffset(): number {
    return this.fragHeaderOffset < 0 ? 0 : u16(this.bytes, this.fragHeaderOffset + 2) & 0xfff8;
  }
  /** M flag of the first fragment header. */
  get fragMore(): boolean {
    return this.fragHeaderOffset >= 0 && (u16(this.bytes, this.fragHeaderOffset + 2) & 1) === 1;
  }
  /** Identification of the first fragment header. */
  get fragId(): number {
    return this.fragHeaderOffset < 0 ? 0 : u32(this.bytes, this.fragHeaderOffset + 4);
  }
}

/** Parsed IPv6 header for sinks. */
export interface Ipv6Repr {
  trafficClass: number;
  flowLabel: number;
  payloadLen: number;
  nextHeader: number;
  hopLimit: number;
  src: string;
  dst: string;
  extHeaders: number[];
  frag?: { offset: number; more: boolean; id: number };
}

/** Builds the sink representation. */
export function ipv6Repr(v: Ipv6View): Ipv6Repr {
  const ext: number[] = [];
  const n = Math.min(v.extCount, IPV6_EXT_KEEP);
  for (let i = 0; i < n; i++) ext.push(v.extTypes[i]!);
  const r: Ipv6Repr = {
    trafficClass: v.trafficClass, flowLabel: v.flowLabel, payloadLen: v.payloadLen, nextHeader: v.nextHeader,
    hopLimit: v.hopLimit, src: ipv6Text(v.bytes, v.srcOffset), dst: ipv6Text(v.bytes, v.dstOffset), extHeaders: ext,
  };
  if (v.fragHeaderOffset >= 0 && v.fragHeaderOffset + 8 <= v.offset + v.length) r.frag = { offset: v.fragOffset, more: v.fragMore, id: v.fragId };
  return r;
}

const IP6_NH_NAMES: Readonly<Record<number, string>> = { 0: 'Options', 43: 'Routing', 44: 'Fragment' };

/** tcpdump's IPv6 text: -v header fields, the extension headers, then the upper layer. */
export function printIpv6(c: Printer, v: Ipv6View, i: number): void {
  const o = c.opts;
  const pkt = c.pkt;
  // tcpdump checks that the fixed header was captured before it looks at the version
  if (v.length < 40) {
    c.s += ' [|ip6]';
    return;
  }
  c.s += o.linkHeader ? '' : 'IP6 ';
  if (v.version !== 6) {
    c.s += `version error: ${v.version} != 6`;
    return;
  }
  const plen = v.effectivePayloadLen;
  const wireAvail = linkAvail(c, i, v.offset);
  if (plen + 40 > wireAvail) c.s += `truncated-ip6 - ${plen + 40 - wireAvail} bytes missing!`;
  if (o.verbose > 0) {
    c.s += '(';
    const tc = v.trafficClass;
    if (tc) c.s += `class 0x${hex2(tc)}, `;
    if (v.flowLabel) c.s += `flowlabel 0x${v.flowLabel.toString(16).padStart(5, '0')}, `;
    c.s += `hlim ${v.hopLimit}, next-header ${IP6_NH_NAMES[v.nextHeader] ?? (IP_PROTO_NAMES[v.nextHeader] || 'unknown')} (${v.nextHeader}) payload length: ${v.payloadLen}) `;
  }
  const src = hostName(c.opts, ipv6Text(v.bytes, v.srcOffset));
  const dst = hostName(c.opts, ipv6Text(v.bytes, v.dstOffset));
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
      if (!printedAddr) c.s += `${src} > ${dst}: `;
      printedAddr = true;
      if (q >= capEnd) {
        // tcpdump tries the header right after the fixed one, and gives up on the chain later
        c.s += q === v.offset + 40 && nh === 0 ? ' [|hbhopt]' : ' [|ip6]';
        return;
      }
      if (q + 2 > capEnd) {
        c.s += nh === 44 ? ' [|frag]' : nh === 43 ? ' [|rt6]' : nh === 0 ? ' [|hbhopt]' : ' [|dstopt]';
        return;
      }
      const len = nh === 44 ? 8 : ((b[q + 1] ?? 0) + 1) * 8;
      if (nh === 44) {
        if (q + 8 > capEnd) {
          c.s += ' [|frag]';
          return;
        }
        const off = u16(b, q + 2) & 0xfff8;
        const fl = declEnd - q - 8;
        c.s += o.verbose > 0 ? `frag (0x${hex8(u32(b, q + 4))}:${off}|${fl})` : `frag (${off}|${fl})`;
        if (off !== 0) return;
        c.s += ' ';
      } else if (nh === 43) {
        if (q + 4 > capEnd) {
          c.s += ' [|rt6]';
          return;
        }
        const type = b[q + 2] ?? 0;
        const segleft = b[q + 3] ?? 0;
        const hlen = b[q + 1] ?? 0;
        c.s += `RT6 (len=${hlen}, type=${type}${type === 0 ? ' [Deprecated]' : ''}, segleft=${segleft}`;
        // field by field, as tcpdump reads them: a field cut by the snapshot length ends the line
        const cut = (end: number): boolean => {
          if (end <= capEnd) return false;
          c.s += ' [|rt6]';
          return true;
        };
        // rt6_print (4.99): the reserved word (types 0, 2) or the SRH fields (type 4) when set or at -v,
        // an odd length or another type as invalid, then the address list
        if (type === 0 || type === 2) {
          if (cut(q + 8)) return;
          const rsv = u32(b, q + 4);
          if (rsv !== 0 || o.verbose > 0) c.s += `, rsv=0x${rsv.toString(16)}`;
        } else if (type === 4) {
          if (cut(q + 8)) return;
          const flags = b[q + 5] ?? 0;
          c.s += `, last-entry=${b[q + 4] ?? 0}${flags !== 0 || o.verbose > 0 ? `, flags=0x${flags.toString(16)}` : ''}, tag=${u16(b, q + 6).toString(16)}`;
        } else {
          c.s += ' (unknown type) (invalid)';
          return;
        }
        if (hlen % 2 === 1) {
          c.s += ` (invalid length ${hlen}) (invalid)`;
          return;
        }
        for (let k = 0; k < hlen >> 1; k++) {
          if (cut(q + 24 + 16 * k)) return;
          c.s += `, [${k}]${ipv6Text(b, q + 8 + 16 * k)}`;
        }
        c.s += ') ';
      } else {
        if (q + len > capEnd) {
          c.s += nh === 0 ? ' [|hbhopt]' : ' [|dstopt]';
          return;
        }
        c.s += nh === 0 ? 'HBH ' : 'DSTOPT ';
        if (o.verbose > 0) printIp6Options(c, b, q + 2, q + len, nh === 0 ? v.payloadLen : 0);
        // RFC 2675: payload length 0 needs a Jumbo Payload option of at least 65536 in this header
        if (nh === 0 && q === v.offset + 40 && v.payloadLen === 0 && v.jumboLen < 65536) {
          c.s += '[No valid Jumbo Payload Hop-by-Hop option found] (invalid)';
          return;
        }
      }
      nh = b[q] ?? 0;
      q += len;
      continue;
    }
    break;
  }
  if (nh === 59) {
    if (!printedAddr) c.s += `${src} > ${dst}: `;
    c.s += 'no next header';
    return;
  }
  // the upper layer: find its parser layer (the parser walked the same chain)
  const upperLen = Math.max(0, declEnd - q);
  void end;
  c.transport(i + 1, nh, src, dst, upperLen, i, printedAddr);
}

/** IPv6 options at -v; `plen`: the fixed header's payload length, which a Jumbo Payload option needs to be 0. */
function printIp6Options(c: Printer, b: Uint8Array, q: number, end: number, plen: number): void {
  for (let guard = 0; q < end && guard < 64; guard++) {
    const t = b[q] ?? 0;
    if (t === 0) {
      c.s += '(pad1)';
      q++;
      continue;
    }
    if (q + 2 > end) {
      c.s += '[trunc]';
      return;
    }
    const l = b[q + 1] ?? 0;
    if (t === 1) c.s += '(padn)';
    else if (t === 5) c.s += `(rtalert: 0x${hex4(u16(b, q + 2))}) `;
    else if (t === 0xc2) {
      const j = u32(b, q + 2);
      c.s += `(jumbo: ${j}${plen !== 0 ? ' - payload len != 0' : j < 65536 ? ' - < 65536' : ''}) `;
    }
    else c.s += `(opt_type 0x${hex2(t)}: len=${l})`;
    q += 2 + l;
  }
  c.s += ' ';
}

/** The keys and punctuation `writeIpv6Json` writes, encoded once. */
const IPV6_JSON = jsonKeys({
  trafficClass: '{"trafficClass":',
  flowLabel: ',"flowLabel":',
  payloadLen: ',"payloadLen":',
  nextHeader: ',"nextHeader":',
  hopLimit: ',"hopLimit":',
  frag: ',"frag":{"offset":',
  id: ',"id":',
  src: ',"src":',
  dst: ',"dst":',
  extHeaders: ',"extHeaders":[',
  more: ',"more":',
});

/** The schema's `ipv6` object (= `JSON.stringify(ipv6Repr(v))`), written straight into `w`. */
export function writeIpv6Json(w: JsonWriter, v: Ipv6View): void {
  w.key(IPV6_JSON.trafficClass, v.trafficClass);
  w.key(IPV6_JSON.flowLabel, v.flowLabel);
  w.key(IPV6_JSON.payloadLen, v.payloadLen);
  w.key(IPV6_JSON.nextHeader, v.nextHeader);
  w.key(IPV6_JSON.hopLimit, v.hopLimit);
  w.keyText(IPV6_JSON.src);
  w.ipv6(v.bytes, v.srcOffset);
  w.keyText(IPV6_JSON.dst);
  w.ipv6(v.bytes, v.dstOffset);
  w.keyText(IPV6_JSON.extHeaders);
  const n = Math.min(v.extCount, IPV6_EXT_KEEP);
  for (let i = 0; i < n; i++) {
    if (i > 0) w.raw(',');
    w.num(v.extTypes[i]!);
  }
  w.raw(']');
  if (v.fragHeaderOffset >= 0 && v.fragHeaderOffset + 8 <= v.offset + v.length) {
    w.key(IPV6_JSON.frag, v.fragOffset);
    w.keyText(IPV6_JSON.more);
    w.bool(v.fragMore);
    w.key(IPV6_JSON.id, v.fragId);
    w.raw('}');
  }
  w.raw('}');
}
