/**
 * Application-level GRO for hand-off (the idea of Linux's tcp_gro_receive, net/ipv4/tcp_offload.c,
 * applied to captured frames): consecutive in-order TCP segments of one flow are merged into one
 * larger packet before they are mirrored or exported, so an analyzer receives fewer packets for the
 * same TCP byte stream (RFC 9293 sequence space).
 *
 * A segment joins the packet held for its flow when it has the same link header (MACs, VLAN tags),
 * addresses, ports, IP TOS/TTL (IPv6 traffic class, flow label, hop limit), ACK number, window and
 * options (none, or the timestamp option laid out NOP NOP TS with TSval and TSecr equal, as Linux
 * requires), the same flags apart from PSH, the next sequence number, a timestamp within the window
 * of the held packet's first segment, and the merged IP packet stays within the size limit. A PSH
 * segment is merged and ends the packet. FIN, RST, URG, SYN, CWR or ECE, a segment without payload,
 * a gap, a retransmission or an out-of-order segment flushes the flow; such a segment passes unmerged.
 * Anything not TCP over IPv4/IPv6 (no IP options or IPv6 extension headers, no fragments) passes
 * unchanged. A merged packet gets its IPv4 total length and header checksum (IPv6 payload length)
 * rewritten and a full TCP checksum computed over the merged segment; a packet of one segment leaves
 * exactly as it came.
 */
import type { PacketView } from '../packet.js';
import { emptyPacket } from '../packet.js';

/** Options of `TcpGro`. */
export interface GroOptions {
  /** Largest IP packet (total length) a merge may produce; at most 65535. */
  maxIpLen: number;
  /** How long a flow's packet may be held, in nanoseconds of capture time (default 2 ms). */
  windowNs?: number;
  /** Flows tracked at once (default 64); the least recently used one is flushed to make room. */
  flows?: number;
  /** Receives every packet that leaves, merged or not, and how many captured frames it carries. */
  emit: (p: PacketView, frames: number) => void;
}

/** Counters of a GRO engine. */
export interface GroStats {
  /** Frames given to `push`. */
  framesIn: number;
  /** Packets handed to `emit`. */
  packetsOut: number;
  /** TCP payload bytes of the frames given to `push`. */
  payloadIn: number;
  /** TCP payload bytes of the packets emitted. */
  payloadOut: number;
}

/** The default hold time: 2 ms. */
export const GRO_WINDOW_NS = 2_000_000;

const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_PSH = 0x08;
const TCP_ACK = 0x10;
const TCP_URG = 0x20;
const TCP_ECE = 0x40;
const TCP_CWR = 0x80;
/** Flags that end a merge and pass their segment unmerged. */
const TCP_NO_MERGE = TCP_FIN | TCP_SYN | TCP_RST | TCP_URG | TCP_ECE | TCP_CWR;
const MAX_KEY = 14 + 8 + 32 + 4; // link header with two tags, IPv6 addresses, ports
/** Room for the largest link header (two tags) in front of a 64 KiB IP packet, plus alignment. */
const FLOW_BUF = 4 + 14 + 8 + 65535;

/** What `parse` learns of a frame (one reused object). */
interface Seg {
  l2: number; // bytes of link header incl. tags
  ip: number; // offset of the IP header in the frame
  v6: boolean;
  ipHdr: number;
  tcp: number; // offset of the TCP header in the frame
  tcpHdr: number;
  payload: number;
  seq: number;
  flags: number;
  end: number; // offset just past the IP packet in the frame
}

interface Flow {
  key: Uint8Array;
  keyLen: number;
  hash: number;
  used: number;
  /** Next expected sequence number, when known. */
  next: number;
  known: boolean;
  /** The packet being built: `buf[start, start + len)`, or none when `held` is false. */
  held: boolean;
  buf: Uint8Array;
  /** `buf` as 32-bit words, for the checksum. */
  words: Uint32Array;
  start: number;
  len: number;
  segs: number;
  payload: number;
  tsSec: number;
  tsNsec: number;
  /** The held packet's first segment, for the comparisons. */
  l2: number;
  ipHdr: number;
  tcpHdr: number;
  v6: boolean;
  /** Whether the held bytes are still the first segment's frame exactly as captured. */
  pristine: boolean;
}

function u16(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}

function u32(b: Uint8Array, at: number): number {
  return (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>> 0;
}

/**
 * The end of the link header of the Ethernet frame at `o` (`len` bytes captured), past up to two VLAN
 * tags, and the EtherType there, as `l2 * 0x10000 + type` (type 0 when the frame is cut before it).
 */
export function etherLinkEnd(b: Uint8Array, o: number, len: number): number {
  let l2 = 14;
  let type = len >= l2 ? u16(b, o + 12) : 0;
  for (let tags = 0; (type === 0x8100 || type === 0x88a8) && tags < 2; tags++) {
    l2 += 4;
    type = len >= l2 ? u16(b, o + l2 - 2) : 0;
  }
  return l2 * 0x10000 + type;
}

/** One's-complement sum of `b[from, to)` as big-endian 16-bit words, not folded or complemented. */
export function onesSum(b: Uint8Array, from: number, to: number, initial = 0): number {
  let s = initial;
  let i = from;
  for (; i + 1 < to; i += 2) s += ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
  if (i < to) s += (b[i] ?? 0) << 8;
  return s;
}

/**
 * `onesSum` of `b[from, to)` for `from` on a 4-byte boundary of `u32`'s buffer, four bytes at a time:
 * the sum of little-endian words folds to the byte-swapped big-endian sum (RFC 1071, byte-order
 * independence) on the little-endian hosts tscap runs on (x86_64, arm64), so it is folded and swapped
 * back at the end. Returns a 16-bit big-endian partial sum.
 *
 * The words' two 16-bit halves go into four small-integer accumulators (two words a step), which the
 * JIT keeps in registers without a chain of floating-point adds; each takes at most 65535 per step, so
 * they stay below 2^31 for spans up to 256 KiB (a merged packet is at most 64 KiB).
 */
export function onesSumAligned(b: Uint8Array, u32: Uint32Array, from: number, to: number): number {
  if (to - from > 0x40000) throw new RangeError(`onesSumAligned: ${to - from} bytes, at most 262144`);
  let a = 0;
  let c = 0;
  let d = 0;
  let e = 0;
  const w0 = from >> 2;
  const wEnd = w0 + ((to - from) >> 2);
  let w = w0;
  for (; w + 1 < wEnd; w += 2) {
    const x = u32[w] ?? 0;
    const y = u32[w + 1] ?? 0;
    a = (a + (x & 0xffff)) | 0;
    c = (c + (x >>> 16)) | 0;
    d = (d + (y & 0xffff)) | 0;
    e = (e + (y >>> 16)) | 0;
  }
  let s = a + c + d + e;
  if (w < wEnd) {
    const x = u32[w] ?? 0;
    s += (x & 0xffff) + (x >>> 16);
  }
  let i = from + (wEnd - w0) * 4;
  for (; i + 1 < to; i += 2) s += (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
  if (i < to) s += b[i] ?? 0;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ((s & 0xff) << 8) | (s >> 8);
}

/** Folds a sum to 16 bits and complements it: the value an IP, TCP or UDP checksum field holds. */
export function foldChecksum(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

/**
 * The GRO engine: `push` each frame in capture order, `flushExpired` when time passes without
 * traffic, `flushAll` at the end. Every frame leaves through `emit` exactly once, alone or inside a
 * merged packet, in order within its flow.
 * @example
 * const gro = new TcpGro({ maxIpLen: 65535, emit: (p, frames) => mirror.write(p) });
 * for await (const p of capture) gro.push(p);
 * gro.flushAll();
 */
export class TcpGro {
  readonly stats: GroStats = { framesIn: 0, packetsOut: 0, payloadIn: 0, payloadOut: 0 };
  private readonly maxIpLen: number;
  private readonly windowNs: number;
  private readonly table: Flow[] = [];
  private readonly size: number;
  private clock = 0;
  private readonly seg: Seg = { l2: 0, ip: 0, v6: false, ipHdr: 0, tcp: 0, tcpHdr: 0, payload: 0, seq: 0, flags: 0, end: 0 };
  private readonly out = emptyPacket();
  private readonly emit: (p: PacketView, frames: number) => void;
  private readonly keyScratch = new Uint8Array(MAX_KEY);

  constructor(opts: GroOptions) {
    this.maxIpLen = Math.min(65535, Math.max(0, Math.floor(opts.maxIpLen)));
    this.windowNs = opts.windowNs ?? GRO_WINDOW_NS;
    this.size = opts.flows ?? 64;
    this.emit = opts.emit;
  }

  /** Packets currently held (not yet emitted). */
  get holding(): number {
    let n = 0;
    for (const f of this.table) if (f.held) n++;
    return n;
  }

  /** Takes one frame (borrowed: it is copied if held). */
  push(p: PacketView): void {
    this.stats.framesIn++;
    const s = this.seg;
    if (!this.parse(p, s)) {
      this.pass(p);
      return;
    }
    this.stats.payloadIn += s.payload;
    const b = p.buf;
    const keyLen = this.makeKey(b, p.offset, s);
    const hash = this.hashKey(keyLen);
    const flow = this.lookup(hash, keyLen);
    const mergeable = s.payload > 0 && (s.flags & TCP_NO_MERGE) === 0 && (s.flags & TCP_ACK) !== 0 && p.capLen === p.wireLen;
    if (flow === undefined) {
      if (!mergeable) {
        this.pass(p);
        return;
      }
      this.start(this.claim(hash, keyLen), p, s);
      return;
    }
    flow.used = ++this.clock;
    if (flow.held && mergeable && this.fits(flow, p, s)) {
      this.append(flow, p, s);
      if ((s.flags & TCP_PSH) !== 0) this.flush(flow);
      return;
    }
    if (flow.held) this.flush(flow);
    if (!mergeable) {
      this.pass(p);
      return;
    }
    if (flow.known && s.seq !== flow.next) {
      // A retransmission or an out-of-order segment passes; after a gap, merging resumes from it.
      if (((s.seq - flow.next) | 0) > 0) flow.next = (s.seq + s.payload) >>> 0;
      this.pass(p);
      return;
    }
    this.start(flow, p, s);
  }

  /** Emits every packet held since before `nowNs` minus the window (capture-time nanoseconds). */
  flushExpired(nowSec: number, nowNsec: number): void {
    for (const f of this.table) {
      if (f.held && (nowSec - f.tsSec) * 1e9 + (nowNsec - f.tsNsec) >= this.windowNs) this.flush(f);
    }
  }

  /** Emits every packet held. */
  flushAll(): void {
    for (const f of this.table) if (f.held) this.flush(f);
  }

  private pass(p: PacketView): void {
    this.stats.packetsOut++;
    const s = this.seg;
    // Only TCP frames carry payload counted in; anything else counts nothing either way.
    if (s.payload > 0) this.stats.payloadOut += s.payload;
    this.emit(p, 1);
  }

  /** Reads the headers of a TCP segment; false for anything GRO leaves alone. */
  private parse(p: PacketView, s: Seg): boolean {
    s.payload = 0;
    if (p.linkType !== 1) return false;
    const b = p.buf;
    const o = p.offset;
    const len = p.capLen;
    const link = etherLinkEnd(b, o, len);
    const l2 = link >>> 16;
    const type = link & 0xffff;
    if (len < l2 + 40) return false;
    const ip = o + l2;
    let ipLen: number;
    let ipHdr: number;
    if (type === 0x0800) {
      if (b[ip] !== 0x45 || b[ip + 9] !== 6) return false;
      if ((u16(b, ip + 6) & 0x3fff) !== 0) return false; // MF or a fragment offset
      ipLen = u16(b, ip + 2);
      ipHdr = 20;
      s.v6 = false;
    } else if (type === 0x86dd) {
      if (((b[ip] ?? 0) >> 4) !== 6 || b[ip + 6] !== 6) return false;
      ipLen = 40 + u16(b, ip + 4);
      ipHdr = 40;
      s.v6 = true;
    } else return false;
    if (ipLen < ipHdr + 20 || l2 + ipLen > len) return false;
    const tcp = ip + ipHdr;
    const tcpHdr = ((b[tcp + 12] ?? 0) >> 4) * 4;
    if (tcpHdr < 20 || ipHdr + tcpHdr > ipLen) return false;
    s.l2 = l2;
    s.ip = ip;
    s.ipHdr = ipHdr;
    s.tcp = tcp;
    s.tcpHdr = tcpHdr;
    s.payload = ipLen - ipHdr - tcpHdr;
    s.seq = u32(b, tcp + 4);
    s.flags = b[tcp + 13] ?? 0;
    s.end = ip + ipLen;
    // Options other than NOP NOP TIMESTAMP: the segment is TCP but never merged.
    if (tcpHdr !== 20 && !(tcpHdr === 32 && b[tcp + 20] === 1 && b[tcp + 21] === 1 && b[tcp + 22] === 8 && b[tcp + 23] === 10)) s.flags |= TCP_URG;
    return true;
  }

  /** The flow key (link header, addresses, ports) into `keyScratch`; returns its length. */
  private makeKey(b: Uint8Array, o: number, s: Seg): number {
    const k = this.keyScratch;
    let n = 0;
    for (let i = 0; i < s.l2; i++) k[n++] = b[o + i] ?? 0;
    const addr = s.v6 ? s.ip + 8 : s.ip + 12;
    const addrLen = s.v6 ? 32 : 8;
    for (let i = 0; i < addrLen; i++) k[n++] = b[addr + i] ?? 0;
    for (let i = 0; i < 4; i++) k[n++] = b[s.tcp + i] ?? 0;
    return n;
  }

  private hashKey(n: number): number {
    const k = this.keyScratch;
    let h = 0x811c9dc5;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ (k[i] ?? 0), 0x01000193);
    return h >>> 0;
  }

  private lookup(hash: number, keyLen: number): Flow | undefined {
    const k = this.keyScratch;
    for (const f of this.table) {
      if (f.hash !== hash || f.keyLen !== keyLen) continue;
      let same = true;
      for (let i = 0; i < keyLen && same; i++) same = f.key[i] === k[i];
      if (same) return f;
    }
    return undefined;
  }

  /** A table entry for a new flow: a fresh one while there is room, else the least recently used. */
  private claim(hash: number, keyLen: number): Flow {
    let f: Flow | undefined;
    if (this.table.length < this.size) {
      f = {
        key: new Uint8Array(MAX_KEY),
        keyLen: 0,
        hash: 0,
        used: 0,
        next: 0,
        known: false,
        held: false,
        buf: new Uint8Array(FLOW_BUF),
        words: new Uint32Array(0),
        start: 0,
        len: 0,
        segs: 0,
        payload: 0,
        tsSec: 0,
        tsNsec: 0,
        l2: 0,
        ipHdr: 0,
        tcpHdr: 0,
        v6: false,
        pristine: false,
      };
      f.words = new Uint32Array(f.buf.buffer, 0, FLOW_BUF >> 2);
      this.table.push(f);
    } else {
      for (const e of this.table) if (f === undefined || e.used < f.used) f = e;
      f = f as Flow;
      if (f.held) this.flush(f);
    }
    f.key.set(this.keyScratch.subarray(0, keyLen));
    f.keyLen = keyLen;
    f.hash = hash;
    f.used = ++this.clock;
    f.known = false;
    return f;
  }

  /** Holds `p` as the first segment of a new packet for `f`. */
  private start(f: Flow, p: PacketView, s: Seg): void {
    // The TCP header lands on a 4-byte boundary of the flow buffer (cheap to read back).
    f.start = (4 - ((s.l2 + s.ipHdr) & 3)) & 3;
    f.buf.set(p.buf.subarray(p.offset, p.offset + p.capLen), f.start);
    f.len = p.capLen;
    f.segs = 1;
    f.payload = s.payload;
    f.tsSec = p.tsSec;
    f.tsNsec = p.tsNsec;
    f.l2 = s.l2;
    f.ipHdr = s.ipHdr;
    f.tcpHdr = s.tcpHdr;
    f.v6 = s.v6;
    f.held = true;
    f.pristine = true;
    f.next = (s.seq + s.payload) >>> 0;
    f.known = true;
  }

  /** Whether segment `s` of frame `p` may join the packet held for `f`. */
  private fits(f: Flow, p: PacketView, s: Seg): boolean {
    if (s.seq !== f.next || s.tcpHdr !== f.tcpHdr || s.l2 !== f.l2 || s.v6 !== f.v6) return false;
    if (f.ipHdr + f.tcpHdr + f.payload + s.payload > this.maxIpLen) return false;
    if ((p.tsSec - f.tsSec) * 1e9 + (p.tsNsec - f.tsNsec) > this.windowNs) return false;
    const b = p.buf;
    const h = f.buf;
    const ip = f.start + f.l2;
    // IPv4: TOS and TTL; IPv6: version, traffic class, flow label and hop limit.
    if (f.v6) {
      for (let i = 0; i < 4; i++) if (h[ip + i] !== b[s.ip + i]) return false;
      if (h[ip + 7] !== b[s.ip + 7]) return false;
    } else if (h[ip + 1] !== b[s.ip + 1] || h[ip + 8] !== b[s.ip + 8]) return false;
    const t = ip + f.ipHdr;
    // ACK number (8..11), data offset (12), flags apart from PSH (13), window (14..15), options.
    for (let i = 8; i < 12; i++) if (h[t + i] !== b[s.tcp + i]) return false;
    if (h[t + 12] !== b[s.tcp + 12] || ((h[t + 13] ?? 0) & ~TCP_PSH) !== (s.flags & ~TCP_PSH)) return false;
    if (h[t + 14] !== b[s.tcp + 14] || h[t + 15] !== b[s.tcp + 15]) return false;
    if (h[t + 18] !== b[s.tcp + 18] || h[t + 19] !== b[s.tcp + 19]) return false; // urgent pointer
    for (let i = 20; i < f.tcpHdr; i++) if (h[t + i] !== b[s.tcp + i]) return false;
    return true;
  }

  private append(f: Flow, p: PacketView, s: Seg): void {
    if (f.pristine) {
      // Ethernet padding after the first segment's IP packet goes: the payload follows directly.
      f.len = f.l2 + f.ipHdr + f.tcpHdr + f.payload;
      f.pristine = false;
    }
    const from = s.tcp + s.tcpHdr;
    f.buf.set(p.buf.subarray(from, from + s.payload), f.start + f.len);
    f.len += s.payload;
    f.payload += s.payload;
    f.segs++;
    f.next = (f.next + s.payload) >>> 0;
    f.buf[f.start + f.l2 + f.ipHdr + 13] = (f.buf[f.start + f.l2 + f.ipHdr + 13] ?? 0) | (s.flags & TCP_PSH);
  }

  /** Emits the packet held for `f`, with lengths and checksums made right when it was merged. */
  private flush(f: Flow): void {
    if (!f.held) return;
    f.held = false;
    const b = f.buf;
    const ip = f.start + f.l2;
    const tcp = ip + f.ipHdr;
    const tcpLen = f.tcpHdr + f.payload;
    if (!f.pristine) {
      let pseudo: number;
      if (f.v6) {
        b[ip + 4] = tcpLen >> 8;
        b[ip + 5] = tcpLen & 0xff;
        pseudo = onesSum(b, ip + 8, ip + 40) + tcpLen + 6;
      } else {
        const total = 20 + tcpLen;
        b[ip + 2] = total >> 8;
        b[ip + 3] = total & 0xff;
        b[ip + 10] = 0;
        b[ip + 11] = 0;
        const c = foldChecksum(onesSum(b, ip, ip + 20));
        b[ip + 10] = c >> 8;
        b[ip + 11] = c & 0xff;
        pseudo = onesSum(b, ip + 12, ip + 20) + tcpLen + 6;
      }
      b[tcp + 16] = 0;
      b[tcp + 17] = 0;
      const c = foldChecksum(onesSumAligned(b, f.words, tcp, tcp + tcpLen) + pseudo);
      b[tcp + 16] = c >> 8;
      b[tcp + 17] = c & 0xff;
    }
    const o = this.out;
    o.buf = b;
    o.offset = f.start;
    o.capLen = f.len;
    o.wireLen = f.len;
    o.tsSec = f.tsSec;
    o.tsNsec = f.tsNsec;
    o.linkType = 1;
    this.stats.packetsOut++;
    this.stats.payloadOut += f.payload;
    this.emit(o, f.segs);
  }
}
