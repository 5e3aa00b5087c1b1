/**
 * A direct read of the stacks most traffic has (Ethernet, up to two VLAN tags, IPv4 or IPv6 without
 * extension headers, then TCP, UDP, ICMP or ICMPv6), for the accounting behind `--stats` and
 * `--summary`: the layer kinds, the address offsets and the ports, straight from the bytes, in a
 * fraction of a full decode. It answers only where the layer parser (`decode/parser.ts`) would give
 * the same layers, every one complete; for anything else (tunnels, options it would have to walk,
 * ports that announce an application layer, cut or malformed headers) it answers 0 and the caller
 * decodes fully. `test/sinks/flows.test.ts` checks both give the same counts.
 */
import { Layer } from '../decode/layers.js';
import { REACH } from '../decode/registry.js';
import { EtherType } from '../decode/ethernet.js';
import { LinkType } from '../numbers.js';

/** VLAN tags read before giving up to the full decoder. */
const MAX_TAGS = 2;

/** The result of one `run`, kept in fields so nothing is allocated per packet. */
export class HeaderWalk {
  /** Layer kinds, outermost first (the first `run()` entries). */
  readonly kinds = new Uint8Array(2 + MAX_TAGS + 2);
  /** `Layer.Ipv4`, `Layer.Ipv6`, or 0 without an IP header. */
  ipKind = 0;
  /** Offset of the IP source address. */
  src = 0;
  /** Offset of the IP destination address. */
  dst = 0;
  /** `Layer.Tcp`, `Layer.Udp`, or 0. */
  l4Kind = 0;
  /** TCP/UDP source port. */
  srcPort = 0;
  /** TCP/UDP destination port. */
  dstPort = 0;

  /**
   * Reads the frame; returns its layer count, or 0 when the full decoder must do it.
   * @example if (w.run(buf, off, capLen, 1) > 0) w.kinds[0] // Layer.Ethernet
   */
  run(b: Uint8Array, offset: number, capLen: number, linkType: number): number {
    if (linkType !== LinkType.EN10MB) return 0;
    const end = offset + Math.max(0, Math.min(capLen, b.length - offset));
    if (offset + 14 > end) return 0;
    const kinds = this.kinds;
    let n = 0;
    kinds[n++] = Layer.Ethernet;
    let q = offset + 14;
    let t = (b[q - 2]! << 8) | b[q - 1]!;
    while (t === EtherType.VLAN || t === EtherType.QINQ || t === EtherType.VLAN9100 || t === EtherType.VLAN9200) {
      if (n > MAX_TAGS || q + 4 > end) return 0;
      kinds[n++] = Layer.Vlan;
      t = (b[q + 2]! << 8) | b[q + 3]!;
      q += 4;
    }
    this.l4Kind = 0;
    let proto: number;
    let l4: number;
    let lim: number;
    if (t === EtherType.IPv4) {
      if (q + 20 > end) return 0;
      const vihl = b[q]!;
      const hl = (vihl & 15) * 4;
      const total = (b[q + 2]! << 8) | b[q + 3]!;
      if (vihl >> 4 !== 4 || hl < 20 || total < hl || q + hl > end) return 0;
      kinds[n++] = Layer.Ipv4;
      this.ipKind = Layer.Ipv4;
      this.src = q + 12;
      this.dst = q + 16;
      // a later fragment carries no upper header: the parser stops at IP too
      if ((((b[q + 6]! << 8) | b[q + 7]!) & 0x1fff) !== 0) return n;
      proto = b[q + 9]!;
      l4 = q + hl;
      lim = Math.min(end, q + total);
    } else if (t === EtherType.IPv6) {
      if (q + 40 > end || b[q]! >> 4 !== 6) return 0;
      proto = b[q + 6]!;
      // extension headers (and jumbograms, which need one) are left to the parser's walk
      if (proto !== 6 && proto !== 17 && proto !== 1 && proto !== 58) return 0;
      kinds[n++] = Layer.Ipv6;
      this.ipKind = Layer.Ipv6;
      this.src = q + 8;
      this.dst = q + 24;
      l4 = q + 40;
      lim = Math.min(end, l4 + ((b[q + 4]! << 8) | b[q + 5]!));
    } else {
      return 0;
    }
    const room = lim - l4;
    switch (proto) {
      case 6: {
        if (room < 20) return 0;
        const hl = (b[l4 + 12]! >> 4) * 4;
        if (hl < 20 || room < hl) return 0;
        this.srcPort = (b[l4]! << 8) | b[l4 + 1]!;
        this.dstPort = (b[l4 + 2]! << 8) | b[l4 + 3]!;
        // ports that announce a layer (DNS, SSH, BGP, ...) need the parser
        if (REACH.tcp[this.srcPort] !== 0 || REACH.tcp[this.dstPort] !== 0) return 0;
        kinds[n++] = Layer.Tcp;
        this.l4Kind = Layer.Tcp;
        return n;
      }
      case 17: {
        if (room < 8) return 0;
        this.srcPort = (b[l4]! << 8) | b[l4 + 1]!;
        this.dstPort = (b[l4 + 2]! << 8) | b[l4 + 3]!;
        // ports that announce a layer (DNS, DHCP, VXLAN, ...) need the parser
        if (REACH.udp[this.srcPort] !== 0 || REACH.udp[this.dstPort] !== 0) return 0;
        kinds[n++] = Layer.Udp;
        this.l4Kind = Layer.Udp;
        return n;
      }
      case 1:
        if (room < 8 || this.ipKind !== Layer.Ipv4) return 0;
        kinds[n++] = Layer.Icmp;
        return n;
      case 58:
        if (room < 4 || this.ipKind !== Layer.Ipv6) return 0;
        kinds[n++] = Layer.Icmpv6;
        return n;
      default:
        return 0;
    }
  }
}

/**
 * The interface, layers, addresses and ports of the last packet the walk read and the accounting
 * counted, so a packet of the same flow skips key building and table lookups. Valid only while the entries it
 * stands for exist (tables keep entries until the accounting is dropped).
 */
export class FlowMemo {
  /** Trie nodes of the remembered path, by layer. */
  readonly nodes = new Int32Array(8);
  /** Entries the remembered packet was counted in: IP conversation (as `countConv` returns it), endpoints, TCP/UDP conversation. */
  ipConv = -1;
  /** Source endpoint entry. */
  epSrc = -1;
  /** Destination endpoint entry. */
  epDst = -1;
  /** TCP/UDP conversation (as `countConv` returns it), -1 without one. */
  l4Conv = -1;
  /** Layers of the remembered packet. */
  n = 0;
  /** Their kinds, outermost first. */
  readonly kinds = new Uint8Array(8);
  /** Address words: 1 for IPv4, 4 for IPv6. */
  words = 0;
  /** `Layer.Tcp`, `Layer.Udp`, or 0. */
  l4 = 0;
  /** Interface index the remembered packet came in on. */
  ifindex = 0;
  private readonly addr = new Int32Array(8);
  private ports = 0;
  // The remembered packet's shape, for `sameFlow`: 0 when it has none (an IPv4 fragment), else its
  // IP version; the EtherTypes up to the IP header, where IP and the next header start, its first
  // byte (IPv4: version and header length) and protocol.
  private shape = 0;
  private readonly etypes = new Int32Array(MAX_TAGS + 1);
  private ipAt = 0;
  private l4At = 0;
  private ipByte = 0;
  private proto = 0;
  private dvOf: Uint8Array | undefined;
  private dv: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  /** Forgets the remembered packet (its entries are gone). */
  forget(): void {
    this.shape = 0;
  }

  /**
   * Whether the Ethernet frame at `b[offset]` is of the remembered flow, read in one pass over the
   * bytes the walk would read: true only when `HeaderWalk.run` would give the remembered layers,
   * addresses and ports (same EtherTypes, IP header length and protocol, every header whole), so a
   * burst of one flow costs a few compares per frame. False means "ask `run`", not "another flow".
   */
  sameFlow(b: Uint8Array, offset: number, capLen: number, ifindex: number): boolean {
    const shape = this.shape;
    if (shape === 0 || ifindex !== this.ifindex) return false;
    // big-endian words in one load each; the view is made once per buffer (a ring's stays)
    const dv = b === this.dvOf ? this.dv : this.view(b);
    const end = offset + Math.min(capLen, b.length - offset);
    const q = offset + this.ipAt;
    const l4 = offset + this.l4At;
    let lim: number;
    if (shape === 4) {
      if (q + 20 > end || b[q] !== this.ipByte || l4 > end || b[q + 9] !== this.proto) return false;
      const total = dv.getUint16(q + 2);
      if (total < l4 - q || (dv.getUint16(q + 6) & 0x1fff) !== 0) return false;
      if (dv.getInt32(q + 12) !== this.addr[0] || dv.getInt32(q + 16) !== this.addr[4]) return false;
      lim = Math.min(end, q + total);
    } else {
      if (q + 40 > end || b[q]! >> 4 !== 6 || b[q + 6] !== this.proto) return false;
      for (let i = 0; i < 4; i++) if (dv.getInt32(q + 8 + 4 * i) !== this.addr[i] || dv.getInt32(q + 24 + 4 * i) !== this.addr[4 + i]) return false;
      lim = Math.min(end, l4 + dv.getUint16(q + 4));
    }
    // the EtherTypes (the tags' and the last), all before the IP header and so inside the frame
    for (let i = 0, o = offset + 12; o < q; i++, o += 4) if (dv.getUint16(o) !== this.etypes[i]) return false;
    const room = lim - l4;
    switch (this.l4) {
      case Layer.Tcp: {
        if (room < 20) return false;
        const hl = (b[l4 + 12]! >> 4) * 4;
        return hl >= 20 && room >= hl && dv.getInt32(l4) === this.ports;
      }
      case Layer.Udp:
        return room >= 8 && dv.getInt32(l4) === this.ports;
      default:
        // ICMP (IPv4) or ICMPv6: the walk asks for 8 and 4 bytes
        return room >= (shape === 4 ? 8 : 4);
    }
  }

  /** A DataView over `b`, kept for the next frame of the same buffer. */
  private view(b: Uint8Array): DataView<ArrayBufferLike> {
    this.dvOf = b;
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return this.dv;
  }

  /**
   * Remembers the packet the walk just read, counted on trie `nodes` and in the entries given (a
   * negative one, refused by a full table, leaves the memo empty).
   */
  keep(w: HeaderWalk, b: Uint8Array, n: number, ifindex: number, nodes: Int32Array, ipConv: number, epSrc: number, epDst: number, l4Conv: number): void {
    this.shape = 0;
    if (ipConv < 0 || epSrc < 0 || epDst < 0 || (w.l4Kind !== 0 && l4Conv < 0)) return;
    this.ifindex = ifindex;
    this.ipConv = ipConv;
    this.epSrc = epSrc;
    this.epDst = epDst;
    this.l4Conv = l4Conv;
    this.n = n;
    for (let i = 0; i < n; i++) {
      this.kinds[i] = w.kinds[i]!;
      this.nodes[i] = nodes[i]!;
    }
    this.l4 = w.l4Kind;
    this.ports = (w.srcPort << 16) | w.dstPort;
    this.words = w.ipKind === Layer.Ipv4 ? 1 : 4;
    for (let i = 0; i < this.words; i++) {
      this.addr[i] = word(b, w.src + 4 * i);
      this.addr[4 + i] = word(b, w.dst + 4 * i);
    }
    // the shape `sameFlow` checks: only for a packet the walk read down to its transport or ICMP
    const last = w.kinds[n - 1];
    const q = w.src - (w.ipKind === Layer.Ipv4 ? 12 : 8);
    this.shape = last === Layer.Tcp || last === Layer.Udp || last === Layer.Icmp || last === Layer.Icmpv6 ? (w.ipKind === Layer.Ipv4 ? 4 : 6) : 0;
    if (this.shape === 0) return;
    const start = q - 14 - 4 * (n - 3);
    this.ipAt = q - start;
    this.ipByte = b[q]!;
    this.proto = b[q + (this.shape === 4 ? 9 : 6)]!;
    this.l4At = this.ipAt + (this.shape === 4 ? (b[q]! & 15) * 4 : 40);
    for (let i = 0, o = start + 12; o < q; i++, o += 4) this.etypes[i] = (b[o]! << 8) | b[o + 1]!;
  }
}

/** Big-endian 32-bit word at `o`, signed (compared only with itself). */
function word(b: Uint8Array, o: number): number {
  return (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
}
