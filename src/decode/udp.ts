/** UDP header (RFC 768). */
import { ByteView, DecodeStatus, u16 } from './status.js';
import { Layer, Port } from './layers.js';
import { type Printer, cksumShouldBe, hex4, portName } from './print.js';
import { ipFragmented, l4Sum } from './ip.js';
import { jsonKeys, type JsonWriter } from './json-writer.js';

/** Field offsets of the 8-byte header. */
export const UdpOffsets = { srcPort: 0, dstPort: 2, length: 4, checksum: 6, headerLen: 8 } as const;

/** Zero-copy view of a UDP header. */
export class UdpView extends ByteView {
  /**
   * Points at a UDP header; Truncated below 8 captured bytes.
   * @example udp.reset(bytes, 34, bytes.length - 34);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < UdpOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Source port. */
  get srcPort(): number {
    return u16(this.bytes, this.offset);
  }
  /** Destination port. */
  get dstPort(): number {
    return u16(this.bytes, this.offset + 2);
  }
  /** Length field (header and data). */
  get len(): number {
    return u16(this.bytes, this.offset + UdpOffsets.length);
  }
  /** Checksum as carried. */
  get checksum(): number {
    return u16(this.bytes, this.offset + UdpOffsets.checksum);
  }
  /** Offset of the payload. */
  get payloadOffset(): number {
    return this.offset + UdpOffsets.headerLen;
  }
}

/** Parsed UDP header. */
export interface UdpRepr {
  srcPort: number;
  dstPort: number;
  len: number;
  checksum: number;
}

/** Builds the sink representation. */
export function udpRepr(v: UdpView): UdpRepr {
  return { srcPort: v.srcPort, dstPort: v.dstPort, len: v.len, checksum: v.checksum };
}

/** tcpdump's UDP text: ports, the -v checksum verdict, then the application or tunnel it carries. */
export function printUdp(c: Printer, v: UdpView, i: number, len: number): void {
  const { src, dst, ipIdx, addrDone } = c;
  const p = c.parser;
  const o = c.opts;
  if (p.status[i] !== DecodeStatus.Ok) {
    if (!addrDone) c.s += v.length >= 4 ? `${src}.${portName(o, v.srcPort, 'udp')} > ${dst}.${portName(o, v.dstPort, 'udp')}: ` : `${src} > ${dst}: `;
    c.s += ' [|udp]';
    return;
  }
  const sport = v.srcPort;
  const dport = v.dstPort;
  // RFC 2675 jumbograms carry UDP length 0: the IPv6 Jumbo Payload option gives it
  const ulen = v.len === 0 && (p.at(ipIdx, Layer.Ipv6)?.jumboLen ?? 0) >= 65536 ? len : v.len;
  const sp = portName(o, sport, 'udp');
  const dp = portName(o, dport, 'udp');
  const portText = addrDone ? `${sp} > ${dp}: ` : `${src}.${sp} > ${dst}.${dp}: `;
  if (ulen < 8 && len >= 8) {
    c.s += portText;
    c.s += `truncated-udplength ${ulen}`;
    return;
  }
  const fragmented = ipFragmented(p, ipIdx);
  if (ulen > len && !fragmented) {
    c.s += portText;
    c.s += `UDP, bad length ${ulen - 8} > ${len - 8}`;
    return;
  }
  const dlen = ulen - 8;
  if (len < 8) {
    c.s += portText;
    c.s += `truncated-udp ${len}`;
    return;
  }
  c.s += portText;
  const isV6 = p.kinds[ipIdx] === Layer.Ipv6;
  // tcpdump checks UDP checksums over IPv6 at -v, over IPv4 only at -vv
  // a payload type forced with -T is printed without the checksum verdict, as tcpdump does
  if ((isV6 ? o.verbose > 0 : o.verbose > 1) && o.noChecksum !== true && !fragmented && p.udpForce === 0) {
    const cs = v.checksum;
    if (cs === 0 && !isV6) c.s += '[no cksum] ';
    else if (v.length < ulen) {
      // not all captured: no verdict
    } else {
      const sum = l4Sum(p, ipIdx, 17, v.offset, ulen);
      if (sum === 0xffff) c.s += '[udp sum ok] ';
      else c.s += `[bad udp cksum 0x${hex4(cs)} -> 0x${hex4(cksumShouldBe(cs, sum))}!] `;
    }
  }
  const next = i + 1 < p.count ? p.kinds[i + 1]! : Layer.None;
  // -q names no application, tunnels included (tcpdump checks -q before its port table)
  if (o.quiet) {
    c.s += `UDP, length ${dlen}`;
    return;
  }
  if (next !== Layer.None) c.layer(i + 1, dlen);
  else if ((sport === Port.IPSEC_NAT_T || dport === Port.IPSEC_NAT_T) && dlen === 1 && v.bytes[v.offset + 8] === 0xff) c.s += 'isakmp-nat-keep-alive';
  // RFC 3948: too short for the non-ESP marker
  else if ((sport === Port.IPSEC_NAT_T || dport === Port.IPSEC_NAT_T) && dlen > 0 && dlen < 4) c.s += ' [|isakmp_rfc3948]';
  else c.s += `UDP, length ${dlen}`;
}

/** The keys and punctuation `writeUdpJson` writes, encoded once. */
const UDP_JSON = jsonKeys({
  srcPort: '{"srcPort":',
  dstPort: ',"dstPort":',
  len: ',"len":',
  checksum: ',"checksum":',
});

/** The schema's `udp` object (= `JSON.stringify(udpRepr(v))`), written straight into `w`. */
export function writeUdpJson(w: JsonWriter, v: UdpView): void {
  w.key(UDP_JSON.srcPort, v.srcPort);
  w.key(UDP_JSON.dstPort, v.dstPort);
  w.key(UDP_JSON.len, v.len);
  w.key(UDP_JSON.checksum, v.checksum);
  w.raw('}');
}
