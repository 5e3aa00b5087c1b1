/**
 * Virtual Router Redundancy Protocol, IP protocol 112: version 2 (RFC 3768, IPv4 only, with an
 * authentication type and 8 bytes of authentication data) and version 3 (RFC 9568, IPv4 or IPv6,
 * a 12-bit advertisement interval in centiseconds, checksum over the IP pseudo-header).
 */
import { ByteView, DecodeStatus, u16 } from './status.js';
import { ipv4Text, ipv6Text } from './addr.js';
import { Layer } from './layers.js';
import { l4Sum, ipFragmented } from './ip.js';
import { onesSum } from './ipv4.js';
import { type Printer, latin1 } from './print.js';

/** Field offsets of the fixed header (v2 names; v3 puts the interval where v2 has authtype and interval). */
export const VrrpOffsets = { verType: 0, vrid: 1, priority: 2, count: 3, authType: 4, advInt: 5, v3AdvInt: 4, checksum: 6, addrs: 8, headerLen: 8, authLen: 8 } as const;

/** Zero-copy view of a VRRP advertisement. */
export class VrrpView extends ByteView {
  /**
   * Points at a VRRP header; Truncated below its 8 fixed bytes.
   * @example vrrp.reset(bytes, 34, bytes.length - 34);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, VrrpOffsets.headerLen);
  }
  /** Version (2 or 3). */
  get version(): number {
    return (this.bytes[this.offset] ?? 0) >> 4;
  }
  /** Type (1: advertisement). */
  get type(): number {
    return (this.bytes[this.offset] ?? 0) & 0x0f;
  }
  /** Virtual router id. */
  get vrid(): number {
    return this.bytes[this.offset + VrrpOffsets.vrid] ?? 0;
  }
  /** Priority. */
  get priority(): number {
    return this.bytes[this.offset + VrrpOffsets.priority] ?? 0;
  }
  /** Number of addresses. */
  get count(): number {
    return this.bytes[this.offset + VrrpOffsets.count] ?? 0;
  }
  /** v2 authentication type. */
  get authType(): number {
    return this.bytes[this.offset + VrrpOffsets.authType] ?? 0;
  }
  /** Advertisement interval: seconds (v2) or centiseconds (v3). */
  get interval(): number {
    return this.version === 3 ? u16(this.bytes, this.offset + VrrpOffsets.v3AdvInt) & 0x0fff : this.bytes[this.offset + VrrpOffsets.advInt] ?? 0;
  }
  /** Checksum as carried. */
  get checksum(): number {
    return u16(this.bytes, this.offset + VrrpOffsets.checksum);
  }
}

/** Parsed VRRP advertisement. */
export interface VrrpRepr {
  version: number;
  type: number;
  vrid: number;
  priority: number;
  count: number;
  authType?: number;
  interval: number;
  checksum: number;
}

/** Builds the sink representation. */
export function vrrpRepr(v: VrrpView): VrrpRepr {
  const r: VrrpRepr = { version: v.version, type: v.type, vrid: v.vrid, priority: v.priority, count: v.count, interval: v.interval, checksum: v.checksum };
  if (v.version === 2) r.authType = v.authType;
  return r;
}

const AUTH_TYPES = ['none', 'simple', 'ah'];

/** tcpdump's VRRP text (`len`: the IP payload length); addresses, auth and checksum at -v. */
export function printVrrp(c: Printer, v: VrrpView, _i: number, len: number): void {
  const p = c.parser;
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|vrrp]';
    return;
  }
  const ver = v.version;
  c.s += `VRRPv${ver}, ${v.type === 1 ? 'Advertisement' : `unknown type ${v.type}`}`;
  const ip6 = p.at(c.ipIdx, Layer.Ipv6);
  const ttl = ip6 ? ip6.hopLimit : p.at(c.ipIdx, Layer.Ipv4)?.ttl ?? 255;
  if (ttl !== 255) c.s += `, (ttl ${ttl})`;
  if (v.type !== 1) return;
  c.s += `, vrid ${v.vrid}, prio ${v.priority}`;
  if (ver === 2) c.s += `, authtype ${AUTH_TYPES[v.authType] ?? `unknown ${v.authType}`}, intvl ${v.interval}s`;
  else c.s += `, intvl ${v.interval}cs`;
  c.s += `, length ${len}`;
  if (c.opts.verbose === 0) return;
  const b = v.bytes;
  const alen = ip6 ? 16 : 4;
  const n = v.count;
  const addrEnd = VrrpOffsets.addrs + n * alen;
  if (v.length >= len && !ipFragmented(p, c.ipIdx)) {
    const sum = ver === 3 ? l4Sum(p, c.ipIdx, 112, v.offset, len) : onesSum(b, v.offset, len, 0);
    if (sum !== 0xffff) c.s += `, (bad vrrp cksum ${v.checksum.toString(16)})`;
  }
  c.s += `, addrs${n > 1 ? `(${n})` : ''}: `;
  for (let k = 0; k < n; k++) {
    const o = v.offset + VrrpOffsets.addrs + k * alen;
    if (o + alen > v.offset + v.length) {
      c.s += ' [|vrrp]';
      return;
    }
    c.s += (k ? ',' : '') + (ip6 ? ipv6Text(b, o) : ipv4Text(b, o));
  }
  if (ver === 2 && v.authType === 1) {
    const a = v.offset + addrEnd;
    if (a + VrrpOffsets.authLen > v.offset + v.length) {
      c.s += ' [|vrrp]';
      return;
    }
    let e = a;
    while (e < a + VrrpOffsets.authLen && b[e] !== 0) e++;
    c.s += ` auth "${latin1(b, a, e)}"`;
  }
}
