/**
 * What upper-layer printers ask of the IP header that carried them: whether it is a fragment (no
 * checksum verdict then) and the RFC 768/793/8200 pseudo-header sum for their checksum.
 */
import type { LayerParser } from './parser.js';
import { Layer } from './layers.js';
import { onesSum } from './ipv4.js';

/** True when the IP header at ipIdx is a fragment (IPv4 MF or offset, or an IPv6 fragment header). */
export function ipFragmented(p: LayerParser, ipIdx: number): boolean {
  const v6 = p.at(ipIdx, Layer.Ipv6);
  if (v6) return v6.fragHeaderOffset >= 0;
  const v4 = p.at(ipIdx, Layer.Ipv4);
  if (v4) return v4.mf || v4.fragOffset !== 0;
  return false;
}

/**
 * Ones' complement sum of an upper-layer segment of `len` bytes at `off` with the pseudo-header of the
 * IP header at ipIdx: 0xffff when the segment's checksum is right.
 */
export function l4Sum(p: LayerParser, ipIdx: number, proto: number, off: number, len: number): number {
  const b = p.bytes;
  let init: number;
  const v6 = p.at(ipIdx, Layer.Ipv6);
  if (v6) init = v6.pseudoSum() + Math.floor(len / 65536) + (len & 0xffff) + proto;
  else {
    const v4 = p.at(ipIdx, Layer.Ipv4);
    init = v4 ? onesSum(b, v4.srcOffset, 8, 0) + proto + len : 0;
  }
  return onesSum(b, off, len, init);
}
