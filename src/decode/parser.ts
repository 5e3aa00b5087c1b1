/**
 * The layer parser: decodes one frame into preallocated views, outermost first, without allocating.
 * Each decoded header is one entry in parallel typed arrays (kind, pool slot, status, declared
 * length); a header cut by the snapshot length is recorded with status Truncated and ends the walk,
 * so sinks print the outer layers and tcpdump's ` [|proto]`.
 */
import { DecodeStatus, u32, type ByteView } from './status.js';
import { EtherType, ETHERTYPE_MIN } from './ethernet.js';
import { PppProtocol } from './pppoe.js';
import { LAYER_TABLE, Layer, MAX_LAYERS, Port, UDP_PORT_LAYER } from './layers.js';
import { HOMES, HOME_BY_KIND, type ViewOf } from './registry.js';
import { LinkType } from '../numbers.js';
import { nflogPayloadOffset } from './nflog.js';

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
export class LayerParser {
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
   * Decodes the frame `bytes[offset, offset + capLen)` of link type `linkType`; returns the layer count.
   * Never throws: unknown link types and payloads end the walk.
   */
  decode(bytes: Uint8Array, offset: number, capLen: number, linkType: number): number {
    this.count = 0;
    this.truncated = false;
    this.used.fill(0);
    this.bytes = bytes;
    this.restOffset = offset;
    const cap = Math.max(0, Math.min(capLen, bytes.length - offset));
    this.restLen = cap;
    const end = offset + cap;
    switch (linkType) {
      case DecodeLinkType.EN10MB:
        this.ether(offset, end, cap);
        break;
      case DecodeLinkType.LINUX_SLL:
      case DecodeLinkType.LINUX_SLL2: {
        const v = this.take(Layer.Sll);
        if (!v) break;
        const st = v.reset(bytes, offset, cap, linkType === DecodeLinkType.LINUX_SLL2 ? 2 : 1);
        if (!this.push(Layer.Sll, st, cap, v.headerLen)) break;
        const proto = v.protocol;
        if (proto >= ETHERTYPE_MIN) this.etherType(proto, v.payloadOffset, end, end - v.payloadOffset);
        else if (proto === 4) this.llcLayer(v.payloadOffset, end, end - v.payloadOffset);
        break;
      }
      case DecodeLinkType.NULL:
      case DecodeLinkType.LOOP: {
        const v = this.take(Layer.Loopback);
        if (!v) break;
        const st = v.reset(bytes, offset, cap, linkType === DecodeLinkType.LOOP);
        if (!this.push(Layer.Loopback, st, cap, 4)) break;
        const f = v.family;
        if (f === 2) this.ip4(offset + 4, end);
        else if (f === 24 || f === 28 || f === 30) this.ip6(offset + 4, end);
        break;
      }
      case DecodeLinkType.RAW:
      case DecodeLinkType.IPV4:
      case DecodeLinkType.IPV6: {
        const ver = cap > 0 ? (bytes[offset] ?? 0) >> 4 : 0;
        if (linkType === DecodeLinkType.IPV6 || (linkType === DecodeLinkType.RAW && ver === 6)) this.ip6(offset, end);
        else this.ip4(offset, end);
        break;
      }
      case DecodeLinkType.NFLOG: {
        // The NFLOG header and TLVs are not a layer of their own: the walk starts at the logged packet.
        const pl = nflogPayloadOffset(bytes, offset, cap);
        const fam = cap > 0 ? bytes[offset] : 0;
        if (pl >= 0 && fam === 2) this.ip4(pl, end);
        else if (pl >= 0 && fam === 10) this.ip6(pl, end);
        break;
      }
      default:
        break;
    }
    return this.count;
  }

  private take<L extends Layer>(kind: L): ViewOf<L> | undefined {
    if (this.count >= MAX_LAYERS) return undefined;
    const p = this.pools[kind]!;
    const u = this.used[kind]!;
    if (u >= p.length) return undefined;
    return p[u] as ViewOf<L>;
  }

  /** Records the layer just reset; returns true when decoding may go on past its header. */
  private push(kind: number, st: DecodeStatus, len: number, headerLen: number): boolean {
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

  private ether(p: number, end: number, declared: number): void {
    const v = this.take(Layer.Ethernet);
    if (!v) return;
    if (!this.push(Layer.Ethernet, v.reset(this.bytes, p, end - p), declared, 14)) return;
    const t = v.etherType;
    if (t < ETHERTYPE_MIN) this.llcLayer(p + 14, Math.min(end, p + 14 + t), t);
    else this.etherType(t, p + 14, end, declared - 14);
  }

  private llcLayer(p: number, end: number, declared: number): void {
    const v = this.take(Layer.Llc);
    if (!v) return;
    const st = v.reset(this.bytes, p, end - p);
    if (!this.push(Layer.Llc, st, declared, v.isSnap ? 8 : 3)) return;
    if (v.isSnap && v.oui === 0) this.etherType(v.snapType, p + 8, end, declared - 8);
  }

  private etherType(t: number, p: number, end: number, declared: number): void {
    const b = this.bytes;
    switch (t) {
      case EtherType.IPv4:
        this.ip4(p, end);
        return;
      case EtherType.IPv6:
        this.ip6(p, end);
        return;
      case EtherType.ARP:
      case EtherType.RARP: {
        const v = this.take(Layer.Arp);
        if (v) this.push(Layer.Arp, v.reset(b, p, end - p), declared, v.totalLen);
        return;
      }
      case EtherType.VLAN:
      case EtherType.QINQ:
      case EtherType.VLAN9100:
      case EtherType.VLAN9200: {
        const v = this.take(Layer.Vlan);
        if (!v || !this.push(Layer.Vlan, v.reset(b, p, end - p, t), declared, 4)) return;
        const nt = v.etherType;
        if (nt < ETHERTYPE_MIN) this.llcLayer(p + 4, Math.min(end, p + 4 + nt), nt);
        else this.etherType(nt, p + 4, end, declared - 4);
        return;
      }
      case EtherType.MPLS:
      case EtherType.MPLS_MC: {
        let q = p;
        for (;;) {
          const v = this.take(Layer.Mpls);
          if (!v || !this.push(Layer.Mpls, v.reset(b, q, end - q), declared - (q - p), 4)) return;
          q += 4;
          if (v.s) break;
        }
        // RFC 3032 leaves the payload type to the label; the first nibble is the usual guess
        if (q < end) {
          const ver = (b[q] ?? 0) >> 4;
          if (ver === 4) this.ip4(q, end);
          else if (ver === 6) this.ip6(q, end);
        }
        return;
      }
      case EtherType.PPPOE_DISC:
      case EtherType.PPPOE_SESS: {
        const sess = t === EtherType.PPPOE_SESS;
        const v = this.take(Layer.Pppoe);
        if (!v || !this.push(Layer.Pppoe, v.reset(b, p, end - p, sess), declared, sess ? 8 : 6)) return;
        if (!sess) return;
        const lim = Math.min(end, p + 6 + v.payloadLength);
        if (v.pppProtocol === PppProtocol.IPv4) this.ip4(p + 8, lim);
        else if (v.pppProtocol === PppProtocol.IPv6) this.ip6(p + 8, lim);
        return;
      }
      case EtherType.TEB:
        this.ether(p, end, declared);
        return;
      default:
        return;
    }
  }

  private ip4(p: number, end: number): void {
    const v = this.take(Layer.Ipv4);
    if (!v) return;
    const st = v.reset(this.bytes, p, end - p);
    if (!this.push(Layer.Ipv4, st, st === DecodeStatus.Ok ? v.totalLen : end - p, st === DecodeStatus.Ok ? v.headerLen : 0)) return;
    if (v.fragOffset !== 0) return;
    const lim = Math.min(end, p + v.totalLen);
    this.restLen = Math.max(0, lim - v.payloadOffset);
    this.ipProto(v.proto, v.payloadOffset, lim, v.payloadLen);
  }

  private ip6(p: number, end: number): void {
    const v = this.take(Layer.Ipv6);
    if (!v) return;
    const st = v.reset(this.bytes, p, end - p);
    if (!this.push(Layer.Ipv6, st, st === DecodeStatus.Ok ? 40 + v.effectivePayloadLen : end - p, 40)) return;
    this.restOffset = v.upperOffset;
    if (v.chainTruncated) {
      this.truncated = true;
      this.restLen = Math.max(0, end - v.upperOffset);
      return;
    }
    if (v.fragOffset !== 0) return;
    const lim = Math.min(end, p + 40 + v.effectivePayloadLen);
    this.restLen = Math.max(0, lim - v.upperOffset);
    this.ipProto(v.upperProto, v.upperOffset, lim, v.upperLen);
  }

  private ipProto(proto: number, p: number, end: number, declared: number): void {
    const b = this.bytes;
    if (p > end) return;
    switch (proto) {
      case 6: {
        const v = this.take(Layer.Tcp);
        if (!v) return;
        const st = v.reset(b, p, end - p);
        if (!this.push(Layer.Tcp, st, declared, v.headerLen)) return;
        if ((v.srcPort === Port.DNS || v.dstPort === Port.DNS) && v.payloadOffset + 2 < end) this.dnsLayer(v.payloadOffset + 2, end, declared - v.headerLen - 2);
        return;
      }
      case 17: {
        const v = this.take(Layer.Udp);
        if (!v || !this.push(Layer.Udp, v.reset(b, p, end - p), declared, 8)) return;
        const lim = v.len >= 8 ? Math.min(end, p + v.len) : end;
        this.udpPayload(v.srcPort, v.dstPort, p + 8, lim, Math.max(0, Math.min(declared, v.len) - 8));
        return;
      }
      case 1: {
        const v = this.take(Layer.Icmp);
        if (v) this.push(Layer.Icmp, v.reset(b, p, end - p), declared, 8);
        return;
      }
      case 58: {
        const v = this.take(Layer.Icmpv6);
        if (v) this.push(Layer.Icmpv6, v.reset(b, p, end - p), declared, 4);
        return;
      }
      case 2: {
        const v = this.take(Layer.Igmp);
        if (v) this.push(Layer.Igmp, v.reset(b, p, end - p), declared, 8);
        return;
      }
      case 132: {
        const v = this.take(Layer.Sctp);
        if (v) this.push(Layer.Sctp, v.reset(b, p, end - p), declared, 12);
        return;
      }
      case 47: {
        const v = this.take(Layer.Gre);
        if (!v) return;
        const st = v.reset(b, p, end - p);
        if (!this.push(Layer.Gre, st, declared, v.headerLen)) return;
        if (v.version === 0) this.etherType(v.protocol, v.payloadOffset, end, declared - v.headerLen);
        return;
      }
      case 4:
        this.ip4(p, end);
        return;
      case 41:
        this.ip6(p, end);
        return;
      case 51: {
        const v = this.take(Layer.Ah);
        if (!v) return;
        const st = v.reset(b, p, end - p);
        if (!this.push(Layer.Ah, st, declared, v.headerLen)) return;
        this.ipProto(v.nextHeader, p + v.headerLen, end, declared - v.headerLen);
        return;
      }
      case 50: {
        const v = this.take(Layer.Esp);
        if (v) this.push(Layer.Esp, v.reset(b, p, end - p), declared, 8);
        return;
      }
      default:
        return;
    }
  }

  /** An application layer that ends the walk: its view covers the rest of the datagram. */
  private leaf(kind: number, p: number, end: number, declared: number): void {
    // every home's view takes (bytes, offset, length); the pool is typed by kind only through the registry
    const v = this.take(kind as Layer) as { reset(b: Uint8Array, o: number, l: number): DecodeStatus } | undefined;
    if (v) this.push(kind, v.reset(this.bytes, p, end - p), declared, end - p);
  }

  private udpPayload(sport: number, dport: number, p: number, end: number, declared: number): void {
    const b = this.bytes;
    const ks = UDP_PORT_LAYER[sport]!;
    const kd = UDP_PORT_LAYER[dport]!;
    const kind = this.udpForce || (ks && kd ? Math.min(ks, kd) : ks || kd);
    switch (kind) {
      case Layer.Vxlan: {
        const v = this.take(Layer.Vxlan);
        if (v && this.push(Layer.Vxlan, v.reset(b, p, end - p), declared, 8)) this.ether(p + 8, end, declared - 8);
        return;
      }
      case Layer.Geneve: {
        const v = this.take(Layer.Geneve);
        if (!v) return;
        const st = v.reset(b, p, end - p);
        if (!this.push(Layer.Geneve, st, declared, v.headerLen)) return;
        if (v.protocol === EtherType.TEB) this.ether(v.payloadOffset, end, declared - v.headerLen);
        else this.etherType(v.protocol, v.payloadOffset, end, declared - v.headerLen);
        return;
      }
      case Layer.Dns:
        // multicast DNS (RFC 6762) shares the message format
        this.dnsLayer(p, end, declared);
        return;
      case Layer.Dhcp: {
        const v = this.take(Layer.Dhcp);
        if (v) this.push(Layer.Dhcp, v.reset(b, p, end - p), declared, end - p);
        return;
      }
      case Layer.Ntp: {
        const v = this.take(Layer.Ntp);
        if (v) this.push(Layer.Ntp, v.reset(b, p, end - p), declared, 48);
        return;
      }
      case Layer.Esp: {
        // RFC 3948: a zero first word marks IKE (non-ESP), a lone 0xff a NAT keepalive
        if (declared < 4 || p + 4 > end || u32(b, p) === 0) return;
        const v = this.take(Layer.Esp);
        if (v) this.push(Layer.Esp, v.reset(b, p, end - p), declared, 8);
        return;
      }
      default:
        if (kind !== 0) this.leaf(kind, p, end, declared);
        return;
    }
  }

  private dnsLayer(p: number, end: number, declared: number): void {
    const v = this.take(Layer.Dns);
    if (v) this.push(Layer.Dns, v.reset(this.bytes, p, end - p), declared, end - p);
  }
}
