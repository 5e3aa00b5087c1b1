/**
 * Frames the benchmark sends and writes: the fixed UDP test frame of the live runs (RFC 2544 test
 * addresses, 198.18.0.0/15) and the mixed traffic of the offline file. Checksums follow RFC 1071 (IPv4
 * header, UDP, TCP, ICMP) and RFC 8200 section 8.1 (the IPv6 pseudo-header).
 */

/** Locally administered MACs: the destination is nobody's, so the host stack drops the frame right after the taps. */
export const BENCH_SRC_MAC = [0x02, 0xbe, 0x0c, 0x00, 0x00, 0x01] as const;
/** See `BENCH_SRC_MAC`. */
export const BENCH_DST_MAC = [0x02, 0xbe, 0x0c, 0x00, 0x00, 0x02] as const;

const ETH = 14;
const IP4 = 20;
const IP6 = 40;
const UDP = 8;
const TCP = 20;

/** RFC 1071 one's complement sum of `b[from, to)` added to `acc` (not folded). */
function sum16(b: Uint8Array, from: number, to: number, acc = 0): number {
  let s = acc;
  let i = from;
  for (; i + 1 < to; i += 2) s += (b[i]! << 8) | b[i + 1]!;
  if (i < to) s += b[i]! << 8;
  return s;
}

function fold(s: number): number {
  let x = s;
  while (x > 0xffff) x = (x & 0xffff) + Math.floor(x / 0x10000);
  return ~x & 0xffff;
}

function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 8) & 0xff;
  b[at + 1] = v & 0xff;
}

function put32(b: Uint8Array, at: number, v: number): void {
  put16(b, at, v >>> 16);
  put16(b, at + 2, v & 0xffff);
}

function putEth(b: Uint8Array, dst: ArrayLike<number>, src: ArrayLike<number>, type: number): number {
  for (let i = 0; i < 6; i++) {
    b[i] = dst[i]!;
    b[6 + i] = src[i]!;
  }
  put16(b, 12, type);
  return ETH;
}

/** Writes an IPv4 header at `at` for a payload of `payloadLen` bytes; returns the header length. */
function putIp4(b: Uint8Array, at: number, proto: number, src: number, dst: number, payloadLen: number, id: number, ttl = 64): number {
  b[at] = 0x45;
  b[at + 1] = 0;
  put16(b, at + 2, IP4 + payloadLen);
  put16(b, at + 4, id & 0xffff);
  put16(b, at + 6, 0x4000); // DF
  b[at + 8] = ttl;
  b[at + 9] = proto;
  put16(b, at + 10, 0);
  put32(b, at + 12, src);
  put32(b, at + 16, dst);
  put16(b, at + 10, fold(sum16(b, at, at + IP4)));
  return IP4;
}

/** Writes an IPv6 header at `at`; `src`/`dst` are 16-byte addresses. */
function putIp6(b: Uint8Array, at: number, next: number, src: Uint8Array, dst: Uint8Array, payloadLen: number, flow: number): number {
  put32(b, at, (6 << 28) | (flow & 0xfffff));
  put16(b, at + 4, payloadLen);
  b[at + 6] = next;
  b[at + 7] = 64;
  b.set(src, at + 8);
  b.set(dst, at + 24);
  return IP6;
}

/** Fills the transport checksum at `csumAt` over `[l4, end)` with the pseudo-header of the IP header at `l3`. */
function l4Checksum(b: Uint8Array, l3: number, v6: boolean, proto: number, l4: number, end: number, csumAt: number): void {
  put16(b, csumAt, 0);
  const len = end - l4;
  let s = v6 ? sum16(b, l3 + 8, l3 + 40) : sum16(b, l3 + 12, l3 + 20);
  s += proto + len;
  s = sum16(b, l4, end, s);
  let c = fold(s);
  if (proto === 17 && c === 0) c = 0xffff;
  put16(b, csumAt, c);
}

/** IPv4 address from dotted quad. */
export function ip4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/**
 * The live benchmark's frame: Ethernet + IPv4 + UDP (198.18.0.1:4000 → 198.18.0.2:9) padded to exactly
 * `frameLen` bytes on the wire (no FCS), so 64 and 1514 mean what a packet generator means.
 */
export function udpTestFrame(frameLen: number): Uint8Array {
  if (frameLen < ETH + IP4 + UDP || frameLen > 9000) throw new RangeError(`frame length ${frameLen} out of range`);
  const b = new Uint8Array(frameLen);
  const payload = frameLen - ETH - IP4 - UDP;
  for (let i = 0; i < payload; i++) b[ETH + IP4 + UDP + i] = i & 0xff;
  putEth(b, BENCH_DST_MAC, BENCH_SRC_MAC, 0x0800);
  putIp4(b, ETH, 17, ip4(198, 18, 0, 1), ip4(198, 18, 0, 2), UDP + payload, 1);
  const l4 = ETH + IP4;
  put16(b, l4, 4000);
  put16(b, l4 + 2, 9);
  put16(b, l4 + 4, UDP + payload);
  l4Checksum(b, ETH, false, 17, l4, frameLen, l4 + 6);
  return b;
}

/** A tiny deterministic PRNG (xorshift32) so the offline file is the same on every machine. */
export class Rng {
  private s: number;
  /** Seeds the generator (0 is replaced, xorshift needs a non-zero state). */
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  /** A 32-bit unsigned value. */
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.s = x;
    return x;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return this.next() % n;
  }
}

/** The kinds of frame in the offline mix, with their weights (per 100). */
export const MIX = [
  ['ipv4-tcp', 30],
  ['ipv4-udp', 14],
  ['ipv4-dns', 10],
  ['ipv4-icmp', 6],
  ['ipv6-tcp', 12],
  ['ipv6-udp', 6],
  ['ipv6-dns', 4],
  ['ipv6-icmp', 4],
  ['arp', 4],
  ['vlan-ipv4-tcp', 6],
  ['vlan-ipv4-udp', 4],
] as const;

/** One kind of frame in `MIX`. */
export type MixKind = (typeof MIX)[number][0];

const MIX_TABLE: MixKind[] = MIX.flatMap(([k, w]) => Array<MixKind>(w).fill(k));

const HOST_MACS = [
  [0x02, 0x00, 0x5e, 0x10, 0x00, 0x01],
  [0x02, 0x00, 0x5e, 0x10, 0x00, 0x02],
  [0x02, 0x00, 0x5e, 0x10, 0x00, 0x03],
  [0x02, 0x00, 0x5e, 0x10, 0x00, 0x04],
] as const;

const DNS_NAMES = ['example.com', 'www.example.org', 'mail.example.net', 'a.b.example.com', 'cdn.example.org'];

function v6addr(host: number): Uint8Array {
  // 2001:db8::/32 documentation prefix (RFC 3849).
  const a = new Uint8Array(16);
  a[0] = 0x20;
  a[1] = 0x01;
  a[2] = 0x0d;
  a[3] = 0xb8;
  a[15] = host & 0xff;
  a[14] = (host >>> 8) & 0xff;
  return a;
}

const V6_HOSTS = [v6addr(1), v6addr(2), v6addr(3), v6addr(0x100)];

/** Writes a DNS query (or response with one A/AAAA answer) at `at`; returns its length. */
function putDns(b: Uint8Array, at: number, rng: Rng, response: boolean, aaaa: boolean): number {
  put16(b, at, rng.int(65536));
  put16(b, at + 2, response ? 0x8180 : 0x0100);
  put16(b, at + 4, 1);
  put16(b, at + 6, response ? 1 : 0);
  put16(b, at + 8, 0);
  put16(b, at + 10, 0);
  let p = at + 12;
  const name = DNS_NAMES[rng.int(DNS_NAMES.length)]!;
  for (const label of name.split('.')) {
    b[p++] = label.length;
    for (let i = 0; i < label.length; i++) b[p++] = label.charCodeAt(i);
  }
  b[p++] = 0;
  put16(b, p, aaaa ? 28 : 1);
  put16(b, p + 2, 1);
  p += 4;
  if (response) {
    put16(b, p, 0xc00c); // pointer to the question's name
    put16(b, p + 2, aaaa ? 28 : 1);
    put16(b, p + 4, 1);
    put32(b, p + 6, 300);
    const rdlen = aaaa ? 16 : 4;
    put16(b, p + 10, rdlen);
    p += 12;
    if (aaaa) b.set(v6addr(0x200 + rng.int(100)), p);
    else put32(b, p, ip4(192, 0, 2, 1 + rng.int(200)));
    p += rdlen;
  }
  return p - at;
}

/**
 * Writes one frame of the mix into `out` (at least 1600 bytes) and returns its length. Same seed, same
 * sequence: the file is reproducible.
 */
export function mixedFrame(out: Uint8Array, rng: Rng, seq: number): number {
  const kind = MIX_TABLE[rng.int(MIX_TABLE.length)]!;
  const a = rng.int(HOST_MACS.length);
  const bIdx = (a + 1 + rng.int(HOST_MACS.length - 1)) % HOST_MACS.length;
  const srcMac = HOST_MACS[a]!;
  const dstMac = HOST_MACS[bIdx]!;
  const vlan = kind.startsWith('vlan-');
  let p = putEth(out, dstMac, srcMac, vlan ? 0x8100 : 0x0800);
  if (vlan) {
    put16(out, p, ((rng.int(8) << 13) | (100 + rng.int(4))) & 0xffff);
    put16(out, p + 2, 0x0800);
    p += 4;
  }
  const src4 = ip4(10, 1, 0, 1 + a);
  const dst4 = ip4(10, 1, 0, 1 + bIdx);
  switch (kind) {
    case 'arp': {
      put16(out, 12, 0x0806);
      const reply = rng.int(2) === 1;
      if (!reply) for (let i = 0; i < 6; i++) out[i] = 0xff;
      put16(out, p, 1);
      put16(out, p + 2, 0x0800);
      out[p + 4] = 6;
      out[p + 5] = 4;
      put16(out, p + 6, reply ? 2 : 1);
      out.set(srcMac, p + 8);
      put32(out, p + 14, src4);
      if (reply) out.set(dstMac, p + 18);
      else out.fill(0, p + 18, p + 24);
      put32(out, p + 24, dst4);
      const end = p + 28;
      out.fill(0, end, 60); // Ethernet minimum
      return 60;
    }
    case 'ipv4-tcp':
    case 'vlan-ipv4-tcp':
    case 'ipv6-tcp': {
      const v6 = kind === 'ipv6-tcp';
      if (v6) put16(out, 12, 0x86dd);
      const l3 = p;
      const l4 = l3 + (v6 ? IP6 : IP4);
      // Mostly small ACKs and full segments, as a bulk flow looks.
      const roll = rng.int(10);
      const payload = roll < 4 ? 0 : roll < 8 ? 1448 : rng.int(600);
      const sport = [443, 80, 8443, 8080][rng.int(4)]!;
      const dport = 32768 + rng.int(28000);
      const toServer = rng.int(2) === 0;
      put16(out, l4, toServer ? dport : sport);
      put16(out, l4 + 2, toServer ? sport : dport);
      put32(out, l4 + 4, rng.next());
      put32(out, l4 + 8, rng.next());
      const flags = roll === 9 && payload === 0 ? 0x02 : payload > 0 ? 0x18 : 0x10;
      out[l4 + 12] = (TCP / 4) << 4;
      out[l4 + 13] = flags;
      put16(out, l4 + 14, 64240);
      put16(out, l4 + 18, 0);
      for (let i = 0; i < payload; i++) out[l4 + TCP + i] = (seq + i) & 0xff;
      const end = l4 + TCP + payload;
      if (v6) putIp6(out, l3, 6, V6_HOSTS[a]!, V6_HOSTS[bIdx]!, TCP + payload, seq);
      else putIp4(out, l3, 6, src4, dst4, TCP + payload, seq);
      l4Checksum(out, l3, v6, 6, l4, end, l4 + 16);
      return Math.max(end, 60);
    }
    case 'ipv4-udp':
    case 'vlan-ipv4-udp':
    case 'ipv6-udp':
    case 'ipv4-dns':
    case 'ipv6-dns': {
      const v6 = kind.startsWith('ipv6');
      if (v6) put16(out, 12, 0x86dd);
      const l3 = p;
      const l4 = l3 + (v6 ? IP6 : IP4);
      const dns = kind.endsWith('dns');
      let payload: number;
      let sport: number;
      let dport: number;
      if (dns) {
        const response = rng.int(2) === 1;
        payload = putDns(out, l4 + UDP, rng, response, v6);
        const client = 40000 + rng.int(20000);
        sport = response ? 53 : client;
        dport = response ? client : 53;
      } else {
        payload = 16 + rng.int(1200);
        for (let i = 0; i < payload; i++) out[l4 + UDP + i] = (seq * 7 + i) & 0xff;
        // Dynamic ports (RFC 6335) on both sides: plain data to every decoder, no accidental protocol.
        sport = 49152 + rng.int(16000);
        dport = 49152 + rng.int(16000);
      }
      put16(out, l4, sport);
      put16(out, l4 + 2, dport);
      put16(out, l4 + 4, UDP + payload);
      const end = l4 + UDP + payload;
      if (v6) putIp6(out, l3, 17, V6_HOSTS[a]!, V6_HOSTS[bIdx]!, UDP + payload, seq);
      else putIp4(out, l3, 17, src4, dst4, UDP + payload, seq);
      l4Checksum(out, l3, v6, 17, l4, end, l4 + 6);
      if (end < 60) out.fill(0, end, 60);
      return Math.max(end, 60);
    }
    case 'ipv4-icmp':
    case 'ipv6-icmp': {
      const v6 = kind === 'ipv6-icmp';
      if (v6) put16(out, 12, 0x86dd);
      const l3 = p;
      const l4 = l3 + (v6 ? IP6 : IP4);
      const reply = rng.int(2) === 1;
      out[l4] = v6 ? (reply ? 129 : 128) : reply ? 0 : 8;
      out[l4 + 1] = 0;
      put16(out, l4 + 4, 0x1234);
      put16(out, l4 + 6, seq & 0xffff);
      const payload = 56;
      for (let i = 0; i < payload; i++) out[l4 + 8 + i] = (0x10 + i) & 0xff;
      const end = l4 + 8 + payload;
      if (v6) {
        putIp6(out, l3, 58, V6_HOSTS[a]!, V6_HOSTS[bIdx]!, 8 + payload, 0);
        l4Checksum(out, l3, true, 58, l4, end, l4 + 2);
      } else {
        putIp4(out, l3, 1, src4, dst4, 8 + payload, seq);
        put16(out, l4 + 2, 0);
        put16(out, l4 + 2, fold(sum16(out, l4, end)));
      }
      return end;
    }
  }
}
