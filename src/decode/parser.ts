/**
 * The layer parser: decodes one frame into preallocated views, outermost first, without allocating.
 * Each decoded header is one entry in parallel typed arrays (kind, pool slot, status, declared
 * length); a header cut by the snapshot length is recorded with status Truncated and ends the walk,
 * so sinks print the outer layers and tcpdump's ` [|proto]`.
 */
import { DecodeStatus, type ByteView } from './status.js';
import { EthernetView, EtherType, ETHERTYPE_MIN } from './ethernet.js';
import { VlanView } from './vlan.js';
import { MplsView } from './mpls.js';
import { SllView } from './sll.js';
import { LoopbackView } from './loopback.js';
import { PppoeView, PppProtocol } from './pppoe.js';
import { LlcView } from './llc.js';
import { ArpView } from './arp.js';
import { Ipv4View } from './ipv4.js';
import { Ipv6View } from './ipv6.js';
import { TcpView } from './tcp.js';
import { UdpView } from './udp.js';
import { IcmpView } from './icmp.js';
import { Icmpv6View } from './icmpv6.js';
import { IgmpView } from './igmp.js';
import { SctpView } from './sctp.js';
import { GreView } from './gre.js';
import { VxlanView, GeneveView } from './vxlan.js';
import { DnsView } from './dns.js';
import { DhcpView } from './dhcp.js';
import { NtpView } from './ntp.js';
import { AhView, EspView } from './ipsec.js';
import { nflogPayloadOffset } from './nflog.js';

/** Layer kinds recorded by the parser. */
export const Layer = {
  None: 0, Ethernet: 1, Sll: 2, Loopback: 3, Vlan: 4, Mpls: 5, Pppoe: 6, Llc: 7, Arp: 8, Ipv4: 9, Ipv6: 10, Tcp: 11,
  Udp: 12, Icmp: 13, Icmpv6: 14, Igmp: 15, Sctp: 16, Gre: 17, Vxlan: 18, Geneve: 19, Dns: 20, Dhcp: 21, Ntp: 22,
  Ah: 23, Esp: 24,
} as const;

/** One of the `Layer` values. */
export type Layer = (typeof Layer)[keyof typeof Layer];

/** Short names of the layer kinds, indexed by value. */
export const LAYER_NAMES: readonly string[] = [
  '', 'eth', 'sll', 'loopback', 'vlan', 'mpls', 'pppoe', 'llc', 'arp', 'ipv4', 'ipv6', 'tcp', 'udp', 'icmp', 'icmpv6',
  'igmp', 'sctp', 'gre', 'vxlan', 'geneve', 'dns', 'dhcp', 'ntp', 'ah', 'esp',
];

/** Most layers recorded per packet; deeper stacks stop decoding there (the rest is payload). */
export const MAX_LAYERS = 32;

/** LINKTYPE_* values the parser understands (same numbers as src/pcap/linktype.ts). */
export const DecodeLinkType = { NULL: 0, EN10MB: 1, RAW: 101, LOOP: 108, LINUX_SLL: 113, IPV4: 228, IPV6: 229, NFLOG: 239, LINUX_SLL2: 276 } as const;

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
  /** Current packet's bytes (borrowed). */
  bytes: Uint8Array = new Uint8Array(0);

  readonly eth = pool(4, () => new EthernetView());
  readonly sll = pool(1, () => new SllView());
  readonly loopback = pool(1, () => new LoopbackView());
  readonly vlan = pool(8, () => new VlanView());
  readonly mpls = pool(8, () => new MplsView());
  readonly pppoe = pool(2, () => new PppoeView());
  readonly llc = pool(4, () => new LlcView());
  readonly arp = pool(4, () => new ArpView());
  readonly ipv4 = pool(4, () => new Ipv4View());
  readonly ipv6 = pool(4, () => new Ipv6View());
  readonly tcp = pool(2, () => new TcpView());
  readonly udp = pool(4, () => new UdpView());
  readonly icmp = pool(2, () => new IcmpView());
  readonly icmpv6 = pool(2, () => new Icmpv6View());
  readonly igmp = pool(2, () => new IgmpView());
  readonly sctp = pool(2, () => new SctpView());
  readonly gre = pool(4, () => new GreView());
  readonly vxlan = pool(2, () => new VxlanView());
  readonly geneve = pool(2, () => new GeneveView());
  readonly dns = pool(2, () => new DnsView());
  readonly dhcp = pool(2, () => new DhcpView());
  readonly ntp = pool(2, () => new NtpView());
  readonly ah = pool(2, () => new AhView());
  readonly esp = pool(2, () => new EspView());
  private readonly used = new Uint8Array(32);
  private readonly pools: ReadonlyArray<readonly unknown[]>;

  constructor() {
    this.pools = [
      [], this.eth, this.sll, this.loopback, this.vlan, this.mpls, this.pppoe, this.llc, this.arp, this.ipv4, this.ipv6,
      this.tcp, this.udp, this.icmp, this.icmpv6, this.igmp, this.sctp, this.gre, this.vxlan, this.geneve, this.dns,
      this.dhcp, this.ntp, this.ah, this.esp,
    ];
  }

  /** The view of layer `i` (typed by the caller from `kinds[i]`). */
  view(i: number): unknown {
    return this.pools[this.kinds[i] ?? 0]?.[this.slots[i] ?? 0];
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
        const v = this.take<SllView>(Layer.Sll);
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
        const v = this.take<LoopbackView>(Layer.Loopback);
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

  private take<T>(kind: number): T | undefined {
    if (this.count >= MAX_LAYERS) return undefined;
    const p = this.pools[kind]!;
    const u = this.used[kind]!;
    if (u >= p.length) return undefined;
    return p[u] as T;
  }

  /** Records the layer just reset; returns true when decoding may go on past its header. */
  private push(kind: number, st: DecodeStatus, len: number, headerLen: number): boolean {
    const i = this.count++;
    this.kinds[i] = kind;
    this.slots[i] = this.used[kind]!++;
    this.status[i] = st;
    this.lens[i] = len;
    const v = this.pools[kind]![this.slots[i]!] as ByteView;
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
    const v = this.take<EthernetView>(Layer.Ethernet);
    if (!v) return;
    if (!this.push(Layer.Ethernet, v.reset(this.bytes, p, end - p), declared, 14)) return;
    const t = v.etherType;
    if (t < ETHERTYPE_MIN) this.llcLayer(p + 14, Math.min(end, p + 14 + t), t);
    else this.etherType(t, p + 14, end, declared - 14);
  }

  private llcLayer(p: number, end: number, declared: number): void {
    const v = this.take<LlcView>(Layer.Llc);
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
        const v = this.take<ArpView>(Layer.Arp);
        if (v) this.push(Layer.Arp, v.reset(b, p, end - p), declared, v.totalLen);
        return;
      }
      case EtherType.VLAN:
      case EtherType.QINQ:
      case EtherType.VLAN9100:
      case EtherType.VLAN9200: {
        const v = this.take<VlanView>(Layer.Vlan);
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
          const v = this.take<MplsView>(Layer.Mpls);
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
        const v = this.take<PppoeView>(Layer.Pppoe);
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
    const v = this.take<Ipv4View>(Layer.Ipv4);
    if (!v) return;
    const st = v.reset(this.bytes, p, end - p);
    if (!this.push(Layer.Ipv4, st, st === DecodeStatus.Ok ? v.totalLen : end - p, st === DecodeStatus.Ok ? v.headerLen : 0)) return;
    if (v.fragOffset !== 0) return;
    const lim = Math.min(end, p + v.totalLen);
    this.restLen = Math.max(0, lim - v.payloadOffset);
    this.ipProto(v.proto, v.payloadOffset, lim, v.payloadLen);
  }

  private ip6(p: number, end: number): void {
    const v = this.take<Ipv6View>(Layer.Ipv6);
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
        const v = this.take<TcpView>(Layer.Tcp);
        if (!v) return;
        const st = v.reset(b, p, end - p);
        if (!this.push(Layer.Tcp, st, declared, v.headerLen)) return;
        if ((v.srcPort === 53 || v.dstPort === 53) && v.payloadOffset + 2 < end) this.dnsLayer(v.payloadOffset + 2, end, declared - v.headerLen - 2);
        return;
      }
      case 17: {
        const v = this.take<UdpView>(Layer.Udp);
        if (!v || !this.push(Layer.Udp, v.reset(b, p, end - p), declared, 8)) return;
        const lim = v.len >= 8 ? Math.min(end, p + v.len) : end;
        this.udpPayload(v.srcPort, v.dstPort, p + 8, lim, Math.max(0, Math.min(declared, v.len) - 8));
        return;
      }
      case 1: {
        const v = this.take<IcmpView>(Layer.Icmp);
        if (v) this.push(Layer.Icmp, v.reset(b, p, end - p), declared, 8);
        return;
      }
      case 58: {
        const v = this.take<Icmpv6View>(Layer.Icmpv6);
        if (v) this.push(Layer.Icmpv6, v.reset(b, p, end - p), declared, 4);
        return;
      }
      case 2: {
        const v = this.take<IgmpView>(Layer.Igmp);
        if (v) this.push(Layer.Igmp, v.reset(b, p, end - p), declared, 8);
        return;
      }
      case 132: {
        const v = this.take<SctpView>(Layer.Sctp);
        if (v) this.push(Layer.Sctp, v.reset(b, p, end - p), declared, 12);
        return;
      }
      case 47: {
        const v = this.take<GreView>(Layer.Gre);
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
        const v = this.take<AhView>(Layer.Ah);
        if (!v) return;
        const st = v.reset(b, p, end - p);
        if (!this.push(Layer.Ah, st, declared, v.headerLen)) return;
        this.ipProto(v.nextHeader, p + v.headerLen, end, declared - v.headerLen);
        return;
      }
      case 50: {
        const v = this.take<EspView>(Layer.Esp);
        if (v) this.push(Layer.Esp, v.reset(b, p, end - p), declared, 8);
        return;
      }
      default:
        return;
    }
  }

  private udpPayload(sport: number, dport: number, p: number, end: number, declared: number): void {
    const b = this.bytes;
    if (sport === 4789 || dport === 4789) {
      const v = this.take<VxlanView>(Layer.Vxlan);
      if (v && this.push(Layer.Vxlan, v.reset(b, p, end - p), declared, 8)) this.ether(p + 8, end, declared - 8);
      return;
    }
    if (sport === 6081 || dport === 6081) {
      const v = this.take<GeneveView>(Layer.Geneve);
      if (!v) return;
      const st = v.reset(b, p, end - p);
      if (!this.push(Layer.Geneve, st, declared, v.headerLen)) return;
      if (v.protocol === EtherType.TEB) this.ether(v.payloadOffset, end, declared - v.headerLen);
      else this.etherType(v.protocol, v.payloadOffset, end, declared - v.headerLen);
      return;
    }
    if (sport === 53 || dport === 53 || sport === 5353 || dport === 5353) {
      // multicast DNS (RFC 6762) shares the message format
      this.dnsLayer(p, end, declared);
      return;
    }
    if (sport === 67 || dport === 67 || sport === 68 || dport === 68) {
      const v = this.take<DhcpView>(Layer.Dhcp);
      if (v) this.push(Layer.Dhcp, v.reset(b, p, end - p), declared, end - p);
      return;
    }
    if (sport === 123 || dport === 123) {
      const v = this.take<NtpView>(Layer.Ntp);
      if (v) this.push(Layer.Ntp, v.reset(b, p, end - p), declared, 48);
    }
  }

  private dnsLayer(p: number, end: number, declared: number): void {
    const v = this.take<DnsView>(Layer.Dns);
    if (v) this.push(Layer.Dns, v.reset(this.bytes, p, end - p), declared, end - p);
  }
}
