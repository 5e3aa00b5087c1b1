/**
 * The layer parser: decodes one frame into preallocated views, outermost first, without allocating.
 * Each decoded header is one entry in parallel typed arrays (kind, pool slot, status, declared
 * length); a header cut by the snapshot length is recorded with status Truncated and ends the walk,
 * so sinks print the outer layers and tcpdump's ` [|proto]`. It knows no protocol: each home decodes
 * its header and names its successor, and the dispatch tables (link type, EtherType, IP protocol,
 * ports, SAP, SNAP, PPP) are built once from the registry's `reach` declarations.
 */
import { DecodeStatus, type ByteView } from './status.js';
import { LAYER_TABLE, Layer, MAX_LAYERS } from './layers.js';
import { HEADERLESS_LINKS, HOMES, HOME_BY_KIND, REACH, type ViewOf } from './registry.js';
import type { Walk } from './walk.js';
import { LinkType } from '../numbers.js';

export { Layer, LAYER_NAMES, MAX_LAYERS } from './layers.js';

/** LINKTYPE_* values the parser understands (the shared numbers of src/numbers.ts). */
export const DecodeLinkType = LinkType;

/** The view type of each layer kind, as `LayerParser.layer` returns it (from the registry). */
export type LayerViews = { [L in Exclude<Layer, typeof Layer.None>]: ViewOf<L> };

function pool<T>(n: number, make: () => T): T[] {
  const a: T[] = [];
  for (let i = 0; i < n; i++) a.push(make());
  return a;
}

/**
 * Decodes frames into reusable views. Call `decode` per packet, then read `count`, `kinds[i]`,
 * `status[i]`, `lens[i]` and the view with `view(i)` (or the typed pools with `slots[i]`).
 * @example
 * const p = new LayerParser();
 * p.decode(bytes, 0, bytes.length, 1);
 * for (let i = 0; i < p.count; i++) console.log(LAYER_NAMES[p.kinds[i]!]);
 */
export class LayerParser implements Walk {
  /** Layers decoded for the current packet. */
  count = 0;
  /** `Layer` kind per layer. */
  readonly kinds = new Uint8Array(MAX_LAYERS);
  /** Index into the kind's view pool per layer. */
  readonly slots = new Uint8Array(MAX_LAYERS);
  /** `DecodeStatus` per layer. */
  readonly status = new Uint8Array(MAX_LAYERS);
  /**
   * Bytes of the layer (header and payload) per the enclosing length fields (IP total length, UDP
   * length), or the captured bytes when nothing declares them.
   */
  readonly lens = new Int32Array(MAX_LAYERS);
  /** True when some layer was cut by the capture length. */
  truncated = false;
  /** Start of the undecoded rest (payload of the last layer). */
  restOffset = 0;
  /** Captured bytes from `restOffset`. */
  restLen = 0;
  /** A layer kind every UDP payload is decoded as, whatever its ports (tcpdump's -T); 0: by port. */
  udpForce = 0;
  /** 802.11 QoS data frames are read with an 802.11s mesh control field (tcpdump's -H). */
  wlanMesh = false;
  /** Where the current frame starts in `bytes`. */
  frameStart = 0;
  /** The current frame's length on the wire (its captured length unless `decode` was told). */
  wireLen = 0;
  /** Current packet's bytes (borrowed). */
  bytes: Uint8Array = new Uint8Array(0);

  private readonly used = new Uint8Array(LAYER_TABLE.length);
  /** View pools indexed by layer kind, sized by the protocol table. */
  private readonly pools: ReadonlyArray<readonly ByteView[]> = LAYER_TABLE.map((r) =>
    r.name === '' ? [] : pool<ByteView>(r.pool, () => new HOMES[r.name].View()),
  );

  /** The view of layer `i`, untyped; prefer `at(i, kind)`. */
  view(i: number): ByteView | undefined {
    return i < this.count ? this.pools[this.kinds[i] ?? 0]?.[this.slots[i] ?? 0] : undefined;
  }

  /**
   * The view of layer `i` when it is of `kind`, else undefined.
   * @example const tcp = p.at(i, Layer.Tcp); if (tcp) tcp.srcPort;
   */
  at<L extends Layer>(i: number, kind: L): ViewOf<L> | undefined {
    if (i < 0 || i >= this.count || this.kinds[i] !== kind) return undefined;
    // the registry types each pool by its kind
    return this.pools[kind]![this.slots[i]!] as ViewOf<L> | undefined;
  }

  /**
   * The first layer of `kind`, or undefined.
   * @example const ip = p.get(Layer.Ipv4); if (ip) ip.ttl;
   */
  get<L extends Layer>(kind: L): ViewOf<L> | undefined {
    return this.layer(kind);
  }

  /**
   * The Repr (plain data, as the JSON sink and the library show it) of layer `i`, through the
   * registry; allocates.
   * @example p.repr(1) // { hdrLen: 20, dscp: 0, ... } for an IPv4 header
   */
  repr(i: number): object | undefined {
    const v = this.view(i);
    const h = HOME_BY_KIND[this.kinds[i] ?? 0];
    return v && h ? h.repr(v, this, i) : undefined;
  }

  /**
   * The view of the first layer of `kind` at or after layer `from`, typed for that kind, or undefined
   * when the packet has none. Borrowed like the packet: re-pointed by the next `decode`.
   * @example
   * const ip = parser.layer(Layer.Ipv4);
   * if (ip !== undefined) console.log(ip.ttl, ip.proto);
   */
  layer<L extends Layer>(kind: L, from = 0): ViewOf<L> | undefined {
    return this.at(this.find(kind, from), kind);
  }

  /** Index of the first layer of `kind` at or after `from`, or -1. */
  find(kind: number, from = 0): number {
    for (let i = from; i < this.count; i++) if (this.kinds[i] === kind) return i;
    return -1;
  }

  /**
   * Decodes the frame `bytes[offset, offset + capLen)` of link type `linkType` (`wireLen` bytes on the
   * wire, for the link headers that need it); returns the layer count. Never throws: unknown link
   * types and payloads end the walk.
   */
  decode(bytes: Uint8Array, offset: number, capLen: number, linkType: number, wireLen = capLen): number {
    this.count = 0;
    this.truncated = false;
    this.used.fill(0);
    this.bytes = bytes;
    this.restOffset = offset;
    const cap = Math.max(0, Math.min(capLen, bytes.length - offset));
    this.restLen = cap;
    const end = offset + cap;
    this.frameStart = offset;
    this.wireLen = Math.max(wireLen, cap);
    const k = REACH.link[linkType] ?? 0;
    if (k !== 0) this.next(k, offset, end, cap, linkType);
    else HEADERLESS_LINKS.get(linkType)?.(this, offset, end);
    return this.count;
  }

  private take<L extends Layer>(kind: L): ViewOf<L> | undefined {
    if (this.count >= MAX_LAYERS) return undefined;
    const p = this.pools[kind]!;
    const u = this.used[kind]!;
    if (u >= p.length) return undefined;
    return p[u] as ViewOf<L>;
  }

  /** Records the layer just reset (for protocol homes); returns true when decoding may go on past its header. */
  push(kind: number, st: DecodeStatus, len: number, headerLen: number): boolean {
    const i = this.count++;
    this.kinds[i] = kind;
    this.slots[i] = this.used[kind]!++;
    this.status[i] = st;
    this.lens[i] = len;
    const v = this.pools[kind]![this.slots[i]!]!;
    if (st !== DecodeStatus.Ok) {
      if (st === DecodeStatus.Truncated) this.truncated = true;
      this.restOffset = v.offset;
      this.restLen = v.length;
      return false;
    }
    this.restOffset = v.offset + headerLen;
    this.restLen = v.length > headerLen ? v.length - headerLen : 0;
    return true;
  }

  /** Decodes a layer of `kind` at `p` through its home (for protocol homes). */
  next(kind: number, p: number, end: number, declared: number, arg: number): void {
    const v = this.take(kind as Layer);
    if (v !== undefined) HOME_BY_KIND[kind]!.decode(this, v, p, end, declared, arg);
  }

  /** Dispatches on an EtherType (for protocol homes). */
  etherType(t: number, p: number, end: number, declared: number): void {
    const k = REACH.ether[t] ?? 0;
    if (k !== 0) this.next(k, p, end, declared, t);
  }

  /** Dispatches on an IP protocol number (for protocol homes). */
  ipProto(proto: number, p: number, end: number, declared: number): void {
    const k = REACH.ip[proto] ?? 0;
    if (k !== 0 && p <= end) this.next(k, p, end, declared, proto);
  }

  /** Dispatches a UDP (17) or TCP (6) payload on its ports, the lower kind first (for protocol homes). */
  ports(carrier: number, sport: number, dport: number, p: number, end: number, declared: number): void {
    const t = carrier === 6 ? REACH.tcp : REACH.udp;
    const ks = t[sport] ?? 0;
    const kd = t[dport] ?? 0;
    const k = (carrier === 6 ? 0 : this.udpForce) || (ks !== 0 && kd !== 0 ? Math.min(ks, kd) : ks || kd);
    if (k !== 0) this.next(k, p, end, declared, carrier);
  }

  /** Dispatches an LLC payload on its DSAP (for protocol homes). */
  sap(dsap: number, p: number, end: number, declared: number): void {
    const k = REACH.sap[dsap] ?? 0;
    if (k !== 0) this.next(k, p, end, declared, dsap);
  }

  /** Dispatches a SNAP payload on `oui * 65536 + type` (for protocol homes). */
  snap(code: number, p: number, end: number, declared: number): void {
    const k = REACH.snap.get(code);
    if (k !== undefined) this.next(k, p, end, declared, code);
  }

  /** Dispatches on a PPP protocol number (for protocol homes). */
  ppp(proto: number, p: number, end: number, declared: number): void {
    const k = REACH.ppp[proto] ?? 0;
    if (k !== 0) this.next(k, p, end, declared, proto);
  }

  /** IPv4 or IPv6 by the version nibble at `p` (for protocol homes). */
  ipByVersion(p: number, end: number): void {
    const ver = p < end ? (this.bytes[p] ?? 0) >> 4 : 0;
    if (ver === 4) this.next(Layer.Ipv4, p, end, end - p, 0);
    else if (ver === 6) this.next(Layer.Ipv6, p, end, end - p, 0);
  }
}
