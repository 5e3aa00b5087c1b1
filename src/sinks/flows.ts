/**
 * Traffic accounting shared by the end summaries and the live statistics: per-interface counters,
 * conversations and endpoints with the semantics of tshark's `-z conv,ip|ipv6|tcp|udp` and
 * `-z endpoints,ip|ipv6`, the protocol hierarchy of `-z io,phs`, and the frame/byte series of
 * `-z io,stat,SECONDS`. Bytes are wire lengths (`frame.len`), as tshark counts them.
 *
 * The per-packet path allocates nothing: one `LayerParser`, keys written into a scratch buffer and
 * looked up in open-addressing tables backed by typed arrays, protocol paths as a trie of numeric
 * nodes. Memory grows only when a new flow, endpoint, path or interval appears.
 */
import { LayerParser, Layer, LAYER_NAMES, MAX_LAYERS } from '../decode/parser.js';
import { DecodeStatus } from '../decode/status.js';
import { ipv4Text, ipv6Text } from '../decode/addr.js';
import type { PacketView, PacketSink } from '../packet.js';
import { LinkType } from '../numbers.js';
import { FlowMemo, HeaderWalk } from './flow-walk.js';
import { DistinctEstimate, IoSeries, KeyTable, topEntries, type FlowBudget, type IoInterval } from './flow-tables.js';

export { DistinctEstimate, IoSeries, KeyTable } from './flow-tables.js';
export type { FlowBudget, IoInterval } from './flow-tables.js';


/** Counter columns of a conversation row. */
const Conv = { framesAB: 0, bytesAB: 1, framesBA: 2, bytesBA: 3, firstNs: 4, lastNs: 5, aIsKeyFirst: 6, WIDTH: 7 } as const;
/** Counter columns of an endpoint row. */
const Ep = { txFrames: 0, txBytes: 1, rxFrames: 2, rxBytes: 3, WIDTH: 4 } as const;
/** Address-pair key in words: family, two 4-word addresses (IPv4 in the first word), ports A<<16|B. */
const PairKey = { family: 0, a: 1, b: 5, ports: 9, WORDS: 10 } as const;

/** One direction's counters. */
export interface DirectionCount {
  /** Frames sent this way. */
  frames: number;
  /** Bytes (wire lengths) sent this way. */
  bytes: number;
}

/** One conversation: both directions combined; A is the source of its first packet, as in tshark. */
export interface Conversation {
  /** Address of side A. */
  a: string;
  /** Address of side B. */
  b: string;
  /** Port of side A (TCP/UDP only). */
  aPort?: number;
  /** Port of side B (TCP/UDP only). */
  bPort?: number;
  /** Frames and bytes from A to B. */
  aToB: DirectionCount;
  /** Frames and bytes from B to A. */
  bToA: DirectionCount;
  /** Frames both ways. */
  frames: number;
  /** Bytes both ways. */
  bytes: number;
  /** Seconds from the first packet of the capture to the conversation's first packet. */
  start: number;
  /** Seconds from the conversation's first to its last packet. */
  duration: number;
}

/** One endpoint (address): what it sent and received. */
export interface Endpoint {
  /** Address text. */
  address: string;
  /** Frames sent and received. */
  frames: number;
  /** Bytes sent and received. */
  bytes: number;
  /** Frames sent. */
  txFrames: number;
  /** Bytes sent. */
  txBytes: number;
  /** Frames received. */
  rxFrames: number;
  /** Bytes received. */
  rxBytes: number;
}

/** A node of the protocol hierarchy: frames whose layer stack starts with the path to this node. */
export interface ProtocolNode {
  /** Layer name (`LAYER_NAMES`; the root is `frame`). */
  protocol: string;
  /** Frames carrying this path. */
  frames: number;
  /** Their bytes. */
  bytes: number;
  /** Deeper layers, most frames first. */
  children: ProtocolNode[];
}


/** Per-interface totals. */
export interface InterfaceCount {
  /** Interface index (0 for files). */
  ifindex: number;
  /** Interface name when known. */
  name?: string;
  /** Frames seen on the interface. */
  packets: number;
  /** Their bytes. */
  bytes: number;
}

/** Frames and bytes of frames carrying a protocol at least once (a flat breakdown). */
export interface ProtocolShare {
  /** Layer name. */
  protocol: string;
  /** Frames carrying it. */
  frames: number;
  /** Their bytes. */
  bytes: number;
}

/** The conversation tables: tshark's `conv,ip`, `conv,ipv6`, `conv,tcp`, `conv,udp`. */
export type ConversationKind = 'ipv4' | 'ipv6' | 'tcp' | 'udp';

/** The endpoint tables: tshark's `endpoints,ip` and `endpoints,ipv6`. */
export type EndpointKind = 'ipv4' | 'ipv6';


export { DEFAULT_MAX_FLOWS } from './summary-kind.js';
import { DEFAULT_MAX_FLOWS } from './summary-kind.js';

/**
 * A `TrafficAccounting`'s counters as plain data (numbers and typed arrays, copies), to send to another
 * thread and `merge` into an accounting there: fanout workers count their own packets, the main
 * thread adds up their summaries at the end.
 */
export interface AccountingState {
  packets: number;
  bytes: number;
  untracked: number;
  /** The first packet's timestamp; every relative time below counts from it. */
  firstSec: number;
  firstNs: number;
  lastRelNs: number;
  /** The registers of `untrackedKeys`. */
  untrackedRegisters: Uint8Array;
  ifPackets: Float64Array;
  ifBytes: Float64Array;
  /** Protocol trie: a node's parent has a smaller id. */
  nodeParent: Int32Array;
  nodeKind: Uint8Array;
  nodeFrames: Float64Array;
  nodeBytes: Float64Array;
  kindFrames: Float64Array;
  kindBytes: Float64Array;
  /** Conversations (IPv4, IPv6, TCP, UDP) then endpoints (IPv4, IPv6): `size` entries of keys and counters. */
  tables: { size: number; keys: Uint32Array; vals: Float64Array }[];
}

/** Options of `TrafficAccounting`. */
export interface AccountingOptions {
  /** io intervals in seconds, one series each (none by default). */
  ioIntervals?: readonly number[];
  /**
   * Most conversations and endpoints kept, all tables together (default `DEFAULT_MAX_FLOWS`); the
   * packets of others count in the totals and in `untracked`, and the others are counted (estimated).
   */
  maxEntries?: number;
  /**
   * Decode every packet with the full layer parser, never the direct byte walk of common stacks
   * (tests compare the two; the counts are the same).
   */
  fullDecode?: boolean;
}


const MAX_IF = 1 << 16;
const NKIND = LAYER_NAMES.length;

const textBytes = new Uint8Array(16);

/** Address text of the `family === 4 ? 1 : 4` words at `w[o]` (only for output, never per packet). */
function ipText(family: number, w: Uint32Array, o: number): string {
  const n = family === 4 ? 1 : 4;
  for (let i = 0; i < n; i++) {
    const x = w[o + i]!;
    textBytes[4 * i] = x >>> 24;
    textBytes[4 * i + 1] = (x >>> 16) & 255;
    textBytes[4 * i + 2] = (x >>> 8) & 255;
    textBytes[4 * i + 3] = x & 255;
  }
  return family === 4 ? ipv4Text(textBytes, 0) : ipv6Text(textBytes, 0);
}

/** Big-endian 32-bit word at `o` (unsigned). */
function word(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** Copies `words` address words from the packet into `dst[at]` (no subarray view: nothing allocated). */
function copyAddr(dst: Uint32Array, at: number, b: Uint8Array, from: number, words: number): void {
  for (let i = 0; i < words; i++) dst[at + i] = word(b, from + 4 * i);
}

/** Compares two addresses of `words` words in `b` as unsigned big-endian numbers (tshark's `cmp_address`). */
function cmpAddr(b: Uint8Array, x: number, y: number, words: number): number {
  for (let i = 0; i < words; i++) {
    const d = word(b, x + 4 * i) - word(b, y + 4 * i);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Counts packets into conversations, endpoints, a protocol hierarchy, an io series and per-interface
 * totals. `add` is the hot path; the `*()` readers build plain objects for tables and JSON.
 * @example
 * const acc = new TrafficAccounting({ ioIntervals: [1] });
 * for await (const p of readPackets('x.pcap')) acc.add(p);
 * console.log(acc.conversations('tcp'));
 */
export class TrafficAccounting {
  /** Frames counted. */
  packets = 0;
  /** Bytes (wire lengths) counted. */
  bytes = 0;
  /** Packet updates of conversations or endpoints not kept because the cap (`maxEntries`) was reached. */
  untracked = 0;
  /** The distinct conversations and endpoints not kept (estimated). */
  readonly untrackedKeys = new DistinctEstimate();
  /** The cap on conversations and endpoints kept, all tables together. */
  readonly maxEntries: number;
  /** io series, one per requested interval. */
  readonly ioSeries: IoSeries[];

  private readonly parser = new LayerParser();
  private readonly walk = new HeaderWalk();
  private readonly memo = new FlowMemo();
  /** Trie nodes of the last counted path, by layer. */
  private readonly pathNodes = new Int32Array(MAX_LAYERS);
  // entries of the packet being counted (conversations as `countConv` returns them), -1 when none
  private lastIpConv = -1;
  private lastEpSrc = -1;
  private lastEpDst = -1;
  private lastL4Conv = -1;
  private readonly fullDecode: boolean;
  private readonly convIp4: KeyTable;
  private readonly convIp6: KeyTable;
  private readonly convTcp: KeyTable;
  private readonly convUdp: KeyTable;
  private readonly epIp4: KeyTable;
  private readonly epIp6: KeyTable;
  private ifPackets = new Float64Array(16);
  private ifBytes = new Float64Array(16);
  private firstSec = 0;
  private firstNs = 0;
  private lastRelNs = 0;
  // protocol trie: node 0 is the root; child of (node, kind) at childOf[node * NKIND + kind] (0 = none)
  private childOf = new Int32Array(64 * NKIND);
  private nodeParent = new Int32Array(64);
  private nodeKind = new Uint8Array(64);
  private nodeFrames = new Float64Array(64);
  private nodeBytes = new Float64Array(64);
  private nodes = 1;
  private readonly kindFrames = new Float64Array(NKIND);
  private readonly kindBytes = new Float64Array(NKIND);
  private readonly seenKinds = new Uint8Array(NKIND);
  // frames of the memo's flow not yet added to its entries (`settle`), their bytes and time span
  private heldFrames = 0;
  private heldBytes = 0;
  private heldFirstNs = Number.POSITIVE_INFINITY;
  private heldLastNs = Number.NEGATIVE_INFINITY;

  constructor(opts: AccountingOptions = {}) {
    const max = opts.maxEntries ?? DEFAULT_MAX_FLOWS;
    this.maxEntries = max;
    this.fullDecode = opts.fullDecode === true;
    const budget: FlowBudget = { used: 0, max };
    const table = (stride: number, width: number): KeyTable => new KeyTable(stride, width, Number.POSITIVE_INFINITY, 256, budget);
    this.ioSeries = (opts.ioIntervals ?? []).map((s) => new IoSeries(s));
    this.convIp4 = table(2, Conv.WIDTH);
    this.convIp6 = table(8, Conv.WIDTH);
    this.convTcp = table(PairKey.WORDS, Conv.WIDTH);
    this.convUdp = table(PairKey.WORDS, Conv.WIDTH);
    this.epIp4 = table(1, Ep.WIDTH);
    this.epIp6 = table(4, Ep.WIDTH);
  }

  /** A sink that counts every packet written to it (flush and close do nothing). */
  sink(): PacketSink {
    return {
      write: (p) => this.add(p),
      flush: () => undefined,
      close: async () => undefined,
    };
  }

  /** Counts one packet. Never throws, allocates only for a new flow, endpoint, path or interval. */
  add(p: PacketView): void {
    this.addFrame(p.buf, p.offset, p.capLen, p.wireLen, p.tsSec, p.tsNsec, p.ifindex, p.linkType);
  }

  /**
   * `add` for a frame given by its fields, `capLen` bytes at `buf[offset]` (the live ring walk's
   * counting path fills no packet view).
   */
  addFrame(buf: Uint8Array, offset: number, capLen: number, wireLen: number, tsSec: number, tsNsec: number, ifindex: number, linkType: number): void {
    const len = wireLen;
    if (this.packets === 0) {
      this.firstSec = tsSec;
      this.firstNs = tsNsec;
    }
    this.packets++;
    this.bytes += len;
    const relNs = (tsSec - this.firstSec) * 1e9 + (tsNsec - this.firstNs);
    if (relNs > this.lastRelNs) this.lastRelNs = relNs;
    for (let i = 0; i < this.ioSeries.length; i++) this.ioSeries[i]!.add(relNs, len);

    // bursts of one flow (the usual case on a busy link) are only tallied here, and added to the
    // previous packet's entries when the flow changes or a reader asks (`settle`); the frame is
    // first compared with the last counted one's shape, then walked
    if (!this.fullDecode && linkType === LinkType.EN10MB && this.memo.sameFlow(buf, offset, capLen, ifindex)) {
      this.hold(len, relNs);
      return;
    }
    this.countNew(buf, offset, capLen, len, relNs, ifindex, linkType);
  }

  /** `addFrame` for a frame not of the memo's flow (kept apart so the burst path above stays small). */
  private countNew(buf: Uint8Array, offset: number, capLen: number, len: number, relNs: number, ifindex: number, linkType: number): void {
    // the common stacks are read straight from the bytes; anything else goes through the decoder
    const w = this.walk;
    const n = this.fullDecode ? 0 : w.run(buf, offset, capLen, linkType);
    if (n > 0) {
      this.settle();
      this.countInterface(ifindex, len);
      this.countPath(w.kinds, n, len);
      this.lastIpConv = this.lastEpSrc = this.lastEpDst = this.lastL4Conv = -1;
      const words = w.ipKind === Layer.Ipv4 ? 1 : 4;
      this.countIp(buf, w.src, w.dst, words, len, relNs);
      if (w.l4Kind !== 0) this.countPorts(buf, w.src, w.dst, words, w.l4Kind, w.srcPort, w.dstPort, len, relNs);
      this.memo.keep(w, buf, n, ifindex, this.pathNodes, this.lastIpConv, this.lastEpSrc, this.lastEpDst, this.lastL4Conv);
      return;
    }
    this.countInterface(ifindex, len);
    const ps = this.parser;
    const count = ps.decode(buf, offset, capLen, linkType);
    const kinds = ps.kinds;
    this.countPath(kinds, count, len);

    // conversations and endpoints: every IP header with a whole header, and every TCP/UDP header
    // with the innermost IP header before it (tunnels count inner and outer, as tshark's taps do)
    const b = ps.bytes;
    let src = -1;
    let dst = -1;
    let words = 0;
    for (let i = 0; i < count; i++) {
      const k = kinds[i]!;
      if (ps.status[i] !== DecodeStatus.Ok) continue;
      if (k === Layer.Ipv4) {
        const v4 = ps.at(i, Layer.Ipv4)!;
        src = v4.srcOffset;
        dst = v4.dstOffset;
        words = 1;
        this.countIp(b, src, dst, words, len, relNs);
      } else if (k === Layer.Ipv6) {
        const v6 = ps.at(i, Layer.Ipv6)!;
        src = v6.srcOffset;
        dst = v6.dstOffset;
        words = 4;
        // tshark taps an IPv6 header only once its extension chain leads somewhere: not for a
        // later fragment nor a chain cut short; conversation tables then agree with tshark's
        if (v6.chainTruncated || v6.fragOffset !== 0) continue;
        this.countIp(b, src, dst, words, len, relNs);
      } else if (k === Layer.Tcp && words > 0) {
        const t = ps.at(i, Layer.Tcp)!;
        this.countPorts(b, src, dst, words, k, t.srcPort, t.dstPort, len, relNs);
      } else if (k === Layer.Udp && words > 0) {
        const u = ps.at(i, Layer.Udp)!;
        this.countPorts(b, src, dst, words, k, u.srcPort, u.dstPort, len, relNs);
      }
    }
  }

  /** Counts the protocol path (the trie) and the flat breakdown of one packet's layer kinds. */
  private countPath(kinds: Uint8Array, n: number, len: number): void {
    let node = 0;
    this.nodeFrames[0]! += 1;
    this.nodeBytes[0]! += len;
    for (let i = 0; i < n; i++) {
      const k = kinds[i]!;
      node = this.child(node, k);
      this.pathNodes[i] = node;
      this.nodeFrames[node]! += 1;
      this.nodeBytes[node]! += len;
      if (this.seenKinds[k] === 0) {
        this.seenKinds[k] = 1;
        this.kindFrames[k]! += 1;
        this.kindBytes[k]! += len;
      }
    }
    for (let i = 0; i < n; i++) this.seenKinds[kinds[i]!] = 0;
  }

  private countInterface(ifindex: number, len: number, frames = 1): void {
    const i = ifindex >= 0 && ifindex < MAX_IF ? ifindex : 0;
    if (i >= this.ifPackets.length) {
      let cap = this.ifPackets.length;
      while (cap <= i) cap *= 2;
      const pk = new Float64Array(cap);
      pk.set(this.ifPackets);
      const by = new Float64Array(cap);
      by.set(this.ifBytes);
      this.ifPackets = pk;
      this.ifBytes = by;
    }
    this.ifPackets[i]! += frames;
    this.ifBytes[i]! += len;
  }

  private child(node: number, kind: number): number {
    const at = node * NKIND + kind;
    const c = this.childOf[at]!;
    if (c !== 0) return c;
    const id = this.nodes++;
    if (id >= this.nodeKind.length) this.growNodes();
    this.childOf[at] = id;
    this.nodeParent[id] = node;
    this.nodeKind[id] = kind;
    return id;
  }

  private growNodes(): void {
    const cap = this.nodeKind.length * 2;
    const co = new Int32Array(cap * NKIND);
    co.set(this.childOf);
    this.childOf = co;
    const par = new Int32Array(cap);
    par.set(this.nodeParent);
    this.nodeParent = par;
    const kd = new Uint8Array(cap);
    kd.set(this.nodeKind);
    this.nodeKind = kd;
    const fr = new Float64Array(cap);
    fr.set(this.nodeFrames);
    this.nodeFrames = fr;
    const by = new Float64Array(cap);
    by.set(this.nodeBytes);
    this.nodeBytes = by;
  }

  /** Counts an IP conversation and its two endpoints; addresses of `words` words at `src` and `dst`. */
  private countIp(b: Uint8Array, src: number, dst: number, words: number, len: number, relNs: number): void {
    const conv = words === 1 ? this.convIp4 : this.convIp6;
    const ep = words === 1 ? this.epIp4 : this.epIp6;
    // the key holds the smaller address first so both directions find one entry
    const order = cmpAddr(b, src, dst, words);
    const srcFirst = order < 0;
    const key = conv.key;
    copyAddr(key, 0, b, srcFirst ? src : dst, words);
    copyAddr(key, words, b, srcFirst ? dst : src, words);
    this.lastIpConv = this.countConv(conv, srcFirst, order === 0, len, relNs);

    let e = (this.lastEpSrc = this.endpoint(ep, b, src, words));
    if (e >= 0) {
      ep.vals[e * Ep.WIDTH + Ep.txFrames]! += 1;
      ep.vals[e * Ep.WIDTH + Ep.txBytes]! += len;
    }
    e = this.lastEpDst = this.endpoint(ep, b, dst, words);
    if (e >= 0) {
      ep.vals[e * Ep.WIDTH + Ep.rxFrames]! += 1;
      ep.vals[e * Ep.WIDTH + Ep.rxBytes]! += len;
    }
  }

  private endpoint(ep: KeyTable, b: Uint8Array, at: number, words: number): number {
    copyAddr(ep.key, 0, b, at, words);
    const e = ep.insert();
    if (e < 0) this.refused(ep);
    return e;
  }

  private refused(t: KeyTable): void {
    this.untracked++;
    // salted per table (TCP and UDP keys can be the same words) and mixed again
    const salt = t === this.convTcp ? 1 : t === this.convUdp ? 2 : t === this.convIp4 ? 3 : t === this.convIp6 ? 4 : t === this.epIp4 ? 5 : 6;
    let x = (t.lastHash ^ Math.imul(salt, 0x9e3779b9)) >>> 0;
    x ^= x >>> 16;
    x = Math.imul(x, 0x85ebca6b);
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35);
    x ^= x >>> 16;
    this.untrackedKeys.add(x >>> 0);
  }

  /** Counts a TCP (`kind` Tcp) or UDP conversation inside the IP header whose addresses are at `src`, `dst`. */
  private countPorts(b: Uint8Array, src: number, dst: number, words: number, kind: number, sport: number, dport: number, len: number, relNs: number): void {
    // key order (tshark's): the higher port first; equal ports fall back to the smaller address
    const order = sport !== dport ? 0 : cmpAddr(b, src, dst, words);
    const srcFirst = sport !== dport ? sport > dport : order < 0;
    const table = kind === Layer.Tcp ? this.convTcp : this.convUdp;
    const key = table.key;
    key[PairKey.family] = words === 1 ? 4 : 6;
    const aAt = srcFirst ? src : dst;
    const bAt = srcFirst ? dst : src;
    copyAddr(key, PairKey.a, b, aAt, words);
    copyAddr(key, PairKey.b, b, bAt, words);
    if (words === 1) {
      key[PairKey.a + 1] = key[PairKey.a + 2] = key[PairKey.a + 3] = 0;
      key[PairKey.b + 1] = key[PairKey.b + 2] = key[PairKey.b + 3] = 0;
    }
    key[PairKey.ports] = ((srcFirst ? sport : dport) * 65536 + (srcFirst ? dport : sport)) >>> 0;
    this.lastL4Conv = this.countConv(table, srcFirst, sport === dport && order === 0, len, relNs);
  }

  /**
   * Counts the packet in the conversation whose key is in `t.key`. `srcFirst`: the source is the
   * key's first side; `same`: both sides are equal (always A→B). A is the first packet's source.
   */
  private countConv(t: KeyTable, srcFirst: boolean, same: boolean, len: number, relNs: number): number {
    const e = t.insert();
    if (e < 0) {
      this.refused(t);
      return -1;
    }
    const v = t.vals;
    const o = e * Conv.WIDTH;
    let forward: boolean;
    if (v[o + Conv.framesAB]! + v[o + Conv.framesBA]! === 0) {
      v[o + Conv.firstNs] = relNs;
      v[o + Conv.lastNs] = relNs;
      v[o + Conv.aIsKeyFirst] = srcFirst || same ? 1 : 0;
      forward = true;
    } else {
      forward = same || srcFirst === (v[o + Conv.aIsKeyFirst] === 1);
      if (relNs < v[o + Conv.firstNs]!) v[o + Conv.firstNs] = relNs;
      if (relNs > v[o + Conv.lastNs]!) v[o + Conv.lastNs] = relNs;
    }
    this.countDirection(v, o, forward, len);
    return forward ? 2 * e + 1 : 2 * e;
  }

  private countDirection(v: Float64Array, o: number, forward: boolean, len: number, frames = 1): void {
    if (forward) {
      v[o + Conv.framesAB]! += frames;
      v[o + Conv.bytesAB]! += len;
    } else {
      v[o + Conv.framesBA]! += frames;
      v[o + Conv.bytesBA]! += len;
    }
  }

  /**
   * Adds the frames held for the memo's flow (`add`) to its entries, as `countPath`, `countIp` and
   * `countPorts` would have one by one: before the memo changes and before any reader.
   */
  /** Tallies a frame of the memo's flow (added to its entries by `settle`). */
  private hold(len: number, relNs: number): void {
    this.heldFrames++;
    this.heldBytes += len;
    if (relNs < this.heldFirstNs) this.heldFirstNs = relNs;
    if (relNs > this.heldLastNs) this.heldLastNs = relNs;
  }

  private settle(): void {
    const frames = this.heldFrames;
    if (frames === 0) return;
    const len = this.heldBytes;
    const first = this.heldFirstNs;
    const last = this.heldLastNs;
    this.heldFrames = this.heldBytes = 0;
    this.heldFirstNs = Number.POSITIVE_INFINITY;
    this.heldLastNs = Number.NEGATIVE_INFINITY;
    const m = this.memo;
    this.countInterface(m.ifindex, len, frames);
    this.nodeFrames[0]! += frames;
    this.nodeBytes[0]! += len;
    for (let i = 0; i < m.n; i++) {
      const node = m.nodes[i]!;
      this.nodeFrames[node]! += frames;
      this.nodeBytes[node]! += len;
      const k = m.kinds[i]!;
      if (this.seenKinds[k] === 0) {
        this.seenKinds[k] = 1;
        this.kindFrames[k]! += frames;
        this.kindBytes[k]! += len;
      }
    }
    for (let i = 0; i < m.n; i++) this.seenKinds[m.kinds[i]!] = 0;
    const v4 = m.words === 1;
    this.bumpConv(v4 ? this.convIp4 : this.convIp6, m.ipConv, frames, len, first, last);
    const ep = (v4 ? this.epIp4 : this.epIp6).vals;
    ep[m.epSrc * Ep.WIDTH + Ep.txFrames]! += frames;
    ep[m.epSrc * Ep.WIDTH + Ep.txBytes]! += len;
    ep[m.epDst * Ep.WIDTH + Ep.rxFrames]! += frames;
    ep[m.epDst * Ep.WIDTH + Ep.rxBytes]! += len;
    if (m.l4 !== 0) this.bumpConv(m.l4 === Layer.Tcp ? this.convTcp : this.convUdp, m.l4Conv, frames, len, first, last);
  }

  /** Counts frames seen between `first` and `last` on a conversation entry already known (`code` as `countConv` returns it). */
  private bumpConv(t: KeyTable, code: number, frames: number, len: number, first: number, last: number): void {
    const v = t.vals;
    const o = (code >>> 1) * Conv.WIDTH;
    if (first < v[o + Conv.firstNs]!) v[o + Conv.firstNs] = first;
    if (last > v[o + Conv.lastNs]!) v[o + Conv.lastNs] = last;
    this.countDirection(v, o, (code & 1) === 1, len, frames);
  }

  private tables(): KeyTable[] {
    return [this.convIp4, this.convIp6, this.convTcp, this.convUdp, this.epIp4, this.epIp6];
  }

  /**
   * The counters as plain data (copies) for `merge` elsewhere. The io series are not in it: their
   * intervals start at each accounting's own first packet and cannot be added up.
   * @example port.postMessage(acc.state())
   */
  state(): AccountingState {
    return this.stateOf(() => Infinity);
  }

  /**
   * `state()` with each table cut to its largest entries by bytes: `top` conversations of each kind
   * and up to `endpoints` endpoints of each family. What a fanout worker sends for the live
   * statistics of all workers several times a second: with hash fanout a flow stays on one worker, so
   * the top flows of all are among the workers' top flows; an address talks through several
   * workers, so the talkers are exact while each worker has at most `endpoints` of them.
   */
  topState(top: number, endpoints = 4096): AccountingState {
    return this.stateOf((table) => (table < 4 ? top : Math.max(top, endpoints)));
  }

  private stateOf(limit: (table: number) => number): AccountingState {
    this.settle();
    const n = this.nodes;
    return {
      packets: this.packets,
      bytes: this.bytes,
      untracked: this.untracked,
      firstSec: this.firstSec,
      firstNs: this.firstNs,
      lastRelNs: this.lastRelNs,
      untrackedRegisters: this.untrackedKeys.registers.slice(),
      ifPackets: this.ifPackets.slice(),
      ifBytes: this.ifBytes.slice(),
      nodeParent: this.nodeParent.slice(0, n),
      nodeKind: this.nodeKind.slice(0, n),
      nodeFrames: this.nodeFrames.slice(0, n),
      nodeBytes: this.nodeBytes.slice(0, n),
      kindFrames: this.kindFrames.slice(),
      kindBytes: this.kindBytes.slice(),
      tables: this.tables().map((t, i) => {
        const k = limit(i);
        if (k >= t.size) return { size: t.size, keys: t.keys.slice(0, t.size * t.stride), vals: t.vals.slice(0, t.size * t.width) };
        const pick = i < 4 ? topEntries(t, Conv.bytesAB, Conv.bytesBA, k) : topEntries(t, Ep.txBytes, Ep.rxBytes, k);
        const keys = new Uint32Array(pick.length * t.stride);
        const vals = new Float64Array(pick.length * t.width);
        pick.forEach((e, j) => {
          keys.set(t.keys.subarray(e * t.stride, (e + 1) * t.stride), j * t.stride);
          vals.set(t.vals.subarray(e * t.width, (e + 1) * t.width), j * t.width);
        });
        return { size: pick.length, keys, vals };
      }),
    };
  }

  /** Forgets every packet counted (storage is kept): as new, with the same options. */
  clear(): void {
    this.packets = this.bytes = this.untracked = 0;
    this.untrackedKeys.clear();
    this.firstSec = this.firstNs = this.lastRelNs = 0;
    this.heldFrames = this.heldBytes = 0;
    this.heldFirstNs = Number.POSITIVE_INFINITY;
    this.heldLastNs = Number.NEGATIVE_INFINITY;
    this.memo.forget();
    for (const t of this.tables()) t.clear();
    this.ifPackets.fill(0);
    this.ifBytes.fill(0);
    this.childOf.fill(0);
    this.nodeFrames.fill(0);
    this.nodeBytes.fill(0);
    this.nodes = 1;
    this.kindFrames.fill(0);
    this.kindBytes.fill(0);
    for (const s of this.ioSeries) s.clear();
  }

  /**
   * Adds another accounting's counters (`state()`, e.g. from a fanout worker): totals, interfaces,
   * protocols, conversations and endpoints come out as if one accounting had counted both packet
   * streams. A conversation seen by both keeps the side that sent its earliest packet as A. Not for
   * accountings with io series (throws): their intervals cannot be added up.
   * @example for (const s of workerStates) total.merge(s);
   */
  merge(s: AccountingState): void {
    if (this.ioSeries.length > 0) throw new Error('TrafficAccounting.merge: io series cannot be merged');
    this.settle();
    let shift = 0; // added to the other's relative times
    if (s.packets > 0) {
      if (this.packets === 0) {
        this.firstSec = s.firstSec;
        this.firstNs = s.firstNs;
      } else {
        const d = (s.firstSec - this.firstSec) * 1e9 + (s.firstNs - this.firstNs);
        if (d < 0) {
          // the other saw the earlier first packet: our times now count from it
          for (const t of [this.convIp4, this.convIp6, this.convTcp, this.convUdp]) {
            for (let e = 0; e < t.size; e++) {
              t.vals[e * Conv.WIDTH + Conv.firstNs]! -= d;
              t.vals[e * Conv.WIDTH + Conv.lastNs]! -= d;
            }
          }
          this.lastRelNs -= d;
          this.firstSec = s.firstSec;
          this.firstNs = s.firstNs;
        } else shift = d;
      }
      this.lastRelNs = Math.max(this.lastRelNs, s.lastRelNs + shift);
    }
    this.packets += s.packets;
    this.bytes += s.bytes;
    this.untracked += s.untracked;
    this.untrackedKeys.merge(s.untrackedRegisters);
    for (let i = 0; i < s.ifPackets.length; i++) if (s.ifPackets[i]! > 0) this.countInterface(i, s.ifBytes[i]!, s.ifPackets[i]!);
    const map = new Int32Array(s.nodeKind.length);
    for (let id = 0; id < s.nodeKind.length; id++) {
      const node = id === 0 ? 0 : this.child(map[s.nodeParent[id]!]!, s.nodeKind[id]!);
      map[id] = node;
      this.nodeFrames[node]! += s.nodeFrames[id]!;
      this.nodeBytes[node]! += s.nodeBytes[id]!;
    }
    for (let k = 0; k < NKIND; k++) {
      this.kindFrames[k]! += s.kindFrames[k] ?? 0;
      this.kindBytes[k]! += s.kindBytes[k] ?? 0;
    }
    this.tables().forEach((t, i) => {
      const from = s.tables[i];
      if (from !== undefined) (i < 4 ? this.mergeConversations(t, from, shift) : this.mergeEndpoints(t, from));
    });
  }

  /** Adds conversations (in the order of their first packets, as one accounting would have met them). */
  private mergeConversations(t: KeyTable, from: AccountingState['tables'][number], shift: number): void {
    const W = Conv.WIDTH;
    const fv = from.vals;
    const order = Array.from({ length: from.size }, (_, e) => e).sort((x, y) => fv[x * W + Conv.firstNs]! - fv[y * W + Conv.firstNs]! || x - y);
    for (const e of order) {
      const o = e * W;
      const frames = fv[o + Conv.framesAB]! + fv[o + Conv.framesBA]!;
      for (let k = 0; k < t.stride; k++) t.key[k] = from.keys[e * t.stride + k]!;
      const entry = t.insert();
      if (entry < 0) {
        this.refused(t);
        this.untracked += frames - 1;
        continue;
      }
      const v = t.vals;
      const m = entry * W;
      const first = fv[o + Conv.firstNs]! + shift;
      const last = fv[o + Conv.lastNs]! + shift;
      // both sides' counts with the key's first address as the sender
      const theirsKeyFirst = fv[o + Conv.aIsKeyFirst] === 1;
      let kfF = theirsKeyFirst ? fv[o + Conv.framesAB]! : fv[o + Conv.framesBA]!;
      let kfB = theirsKeyFirst ? fv[o + Conv.bytesAB]! : fv[o + Conv.bytesBA]!;
      let skF = theirsKeyFirst ? fv[o + Conv.framesBA]! : fv[o + Conv.framesAB]!;
      let skB = theirsKeyFirst ? fv[o + Conv.bytesBA]! : fv[o + Conv.bytesAB]!;
      let keyFirst = theirsKeyFirst;
      if (v[m + Conv.framesAB]! + v[m + Conv.framesBA]! === 0) {
        v[m + Conv.firstNs] = first;
        v[m + Conv.lastNs] = last;
      } else {
        const oursKeyFirst = v[m + Conv.aIsKeyFirst] === 1;
        kfF += oursKeyFirst ? v[m + Conv.framesAB]! : v[m + Conv.framesBA]!;
        kfB += oursKeyFirst ? v[m + Conv.bytesAB]! : v[m + Conv.bytesBA]!;
        skF += oursKeyFirst ? v[m + Conv.framesBA]! : v[m + Conv.framesAB]!;
        skB += oursKeyFirst ? v[m + Conv.bytesBA]! : v[m + Conv.bytesAB]!;
        // A is the sender of the earliest packet of both
        if (first < v[m + Conv.firstNs]!) v[m + Conv.firstNs] = first;
        else keyFirst = oursKeyFirst;
        if (last > v[m + Conv.lastNs]!) v[m + Conv.lastNs] = last;
      }
      v[m + Conv.aIsKeyFirst] = keyFirst ? 1 : 0;
      v[m + Conv.framesAB] = keyFirst ? kfF : skF;
      v[m + Conv.bytesAB] = keyFirst ? kfB : skB;
      v[m + Conv.framesBA] = keyFirst ? skF : kfF;
      v[m + Conv.bytesBA] = keyFirst ? skB : kfB;
    }
  }

  /** Adds endpoints, column by column. */
  private mergeEndpoints(t: KeyTable, from: AccountingState['tables'][number]): void {
    for (let e = 0; e < from.size; e++) {
      for (let k = 0; k < t.stride; k++) t.key[k] = from.keys[e * t.stride + k]!;
      const o = e * Ep.WIDTH;
      const entry = t.insert();
      if (entry < 0) {
        this.refused(t);
        this.untracked += from.vals[o + Ep.txFrames]! + from.vals[o + Ep.rxFrames]! - 1;
        continue;
      }
      for (let c = 0; c < Ep.WIDTH; c++) t.vals[entry * Ep.WIDTH + c]! += from.vals[o + c]!;
    }
  }

  /** Seconds from the first to the last packet. */
  get duration(): number {
    return this.lastRelNs / 1e9;
  }

  /** Timestamp of the first packet as [seconds, nanoseconds], or undefined before any packet. */
  get firstTimestamp(): [number, number] | undefined {
    return this.packets === 0 ? undefined : [this.firstSec, this.firstNs];
  }

  private convTable(kind: ConversationKind): KeyTable {
    return kind === 'ipv4' ? this.convIp4 : kind === 'ipv6' ? this.convIp6 : kind === 'tcp' ? this.convTcp : this.convUdp;
  }

  /** How many conversations of one kind are kept. */
  conversationCount(kind: ConversationKind): number {
    return this.convTable(kind).size;
  }

  /** How many endpoints of one family are kept. */
  endpointCount(kind: EndpointKind): number {
    return (kind === 'ipv4' ? this.epIp4 : this.epIp6).size;
  }

  /**
   * Conversations of one kind, most bytes first (at most `limit`).
   * @example acc.conversations('ipv4', 10)
   */
  conversations(kind: ConversationKind, limit = Infinity): Conversation[] {
    const out: Conversation[] = [];
    this.eachConversation(kind, (c) => out.push(c), limit);
    return out;
  }

  /** Calls `visit` for each conversation of one kind, most bytes first, making one object at a time. */
  eachConversation(kind: ConversationKind, visit: (c: Conversation) => void, limit = Infinity): void {
    this.settle();
    const t = this.convTable(kind);
    for (const e of topEntries(t, Conv.bytesAB, Conv.bytesBA, limit)) {
      const v = t.vals;
      const o = e * Conv.WIDTH;
      const k = t.keys;
      const base = e * t.stride;
      let c: Conversation;
      const aToB = { frames: v[o + Conv.framesAB]!, bytes: v[o + Conv.bytesAB]! };
      const bToA = { frames: v[o + Conv.framesBA]!, bytes: v[o + Conv.bytesBA]! };
      const common = {
        aToB,
        bToA,
        frames: aToB.frames + bToA.frames,
        bytes: aToB.bytes + bToA.bytes,
        start: v[o + Conv.firstNs]! / 1e9,
        duration: (v[o + Conv.lastNs]! - v[o + Conv.firstNs]!) / 1e9,
      };
      const keyFirstIsA = v[o + Conv.aIsKeyFirst] === 1;
      if (kind === 'ipv4' || kind === 'ipv6') {
        const words = kind === 'ipv4' ? 1 : 4;
        const fam = kind === 'ipv4' ? 4 : 6;
        const x = ipText(fam, k, base);
        const y = ipText(fam, k, base + words);
        c = { a: keyFirstIsA ? x : y, b: keyFirstIsA ? y : x, ...common };
      } else {
        const fam = k[base + PairKey.family]!;
        const x = ipText(fam, k, base + PairKey.a);
        const px = k[base + PairKey.ports]! >>> 16;
        const y = ipText(fam, k, base + PairKey.b);
        const py = k[base + PairKey.ports]! & 0xffff;
        c = keyFirstIsA ? { a: x, aPort: px, b: y, bPort: py, ...common } : { a: y, aPort: py, b: x, bPort: px, ...common };
      }
      visit(c);
    }
  }

  /**
   * IP endpoints of one family, most bytes first (at most `limit`).
   * @example acc.endpoints('ipv4', 10)
   */
  endpoints(kind: EndpointKind, limit = Infinity): Endpoint[] {
    const out: Endpoint[] = [];
    this.eachEndpoint(kind, (e) => out.push(e), limit);
    return out;
  }

  /** Calls `visit` for each endpoint of one family, most bytes first, making one object at a time. */
  eachEndpoint(kind: EndpointKind, visit: (e: Endpoint) => void, limit = Infinity): void {
    this.settle();
    const t = kind === 'ipv4' ? this.epIp4 : this.epIp6;
    for (const e of topEntries(t, Ep.txBytes, Ep.rxBytes, limit)) {
      const v = t.vals;
      const o = e * Ep.WIDTH;
      const txFrames = v[o + Ep.txFrames]!;
      const txBytes = v[o + Ep.txBytes]!;
      const rxFrames = v[o + Ep.rxFrames]!;
      const rxBytes = v[o + Ep.rxBytes]!;
      visit({
        address: ipText(kind === 'ipv4' ? 4 : 6, t.keys, e * t.stride),
        frames: txFrames + rxFrames,
        bytes: txBytes + rxBytes,
        txFrames,
        txBytes,
        rxFrames,
        rxBytes,
      });
    }
  }

  /**
   * The protocol hierarchy: the root `frame` counts every packet, children follow the layer stacks.
   * @example acc.protocolTree().children[0]?.protocol // 'eth'
   */
  protocolTree(): ProtocolNode {
    this.settle();
    const made: ProtocolNode[] = [];
    for (let id = 0; id < this.nodes; id++) {
      made.push({
        protocol: id === 0 ? 'frame' : LAYER_NAMES[this.nodeKind[id]!] ?? '?',
        frames: this.nodeFrames[id]!,
        bytes: this.nodeBytes[id]!,
        children: [],
      });
    }
    for (let id = 1; id < this.nodes; id++) made[this.nodeParent[id]!]!.children.push(made[id]!);
    for (const n of made) n.children.sort((x, y) => y.frames - x.frames || y.bytes - x.bytes);
    return made[0]!;
  }

  /**
   * Frames carrying each protocol at least once, most bytes first.
   * @example acc.protocolShares()[0] // { protocol: 'eth', frames: 10, bytes: 1200 }
   */
  protocolShares(): ProtocolShare[] {
    this.settle();
    const out: ProtocolShare[] = [];
    for (let k = 1; k < NKIND; k++) {
      if (this.kindFrames[k]! > 0) out.push({ protocol: LAYER_NAMES[k]!, frames: this.kindFrames[k]!, bytes: this.kindBytes[k]! });
    }
    return out.sort((x, y) => y.bytes - x.bytes || y.frames - x.frames);
  }

  /**
   * The io series of `interval` seconds (the first requested one by default): one entry per
   * interval from the first packet to the last, empty ones included.
   * @example acc.io(1)[0] // { start: 0, end: 1, frames: 5, bytes: 640 }
   */
  io(interval?: number): IoInterval[] {
    const s = interval === undefined ? this.ioSeries[0] : this.ioSeries.find((x) => x.interval === interval);
    return s ? s.intervals(this.duration) : [];
  }

  /**
   * Per-interface totals, by interface index.
   * @example acc.interfaces((i) => names.get(i))
   */
  interfaces(name?: (ifindex: number) => string | undefined): InterfaceCount[] {
    this.settle();
    const out: InterfaceCount[] = [];
    for (let i = 0; i < this.ifPackets.length; i++) {
      if (this.ifPackets[i] === 0) continue;
      const c: InterfaceCount = { ifindex: i, packets: this.ifPackets[i]!, bytes: this.ifBytes[i]! };
      const nm = name?.(i);
      if (nm !== undefined) c.name = nm;
      out.push(c);
    }
    return out;
  }

  /** Bytes counted on one interface so far. */
  interfaceBytes(ifindex: number): number {
    this.settle();
    return this.ifBytes[ifindex] ?? 0;
  }

  /** Number of conversations and endpoints tracked, per table. */
  get tableSizes(): { ipv4: number; ipv6: number; tcp: number; udp: number; endpointsIpv4: number; endpointsIpv6: number } {
    return {
      ipv4: this.convIp4.size,
      ipv6: this.convIp6.size,
      tcp: this.convTcp.size,
      udp: this.convUdp.size,
      endpointsIpv4: this.epIp4.size,
      endpointsIpv6: this.epIp6.size,
    };
  }
}
