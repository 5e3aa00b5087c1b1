/**
 * The registry: each row of the protocol table (`layers.ts`) bound to its home, the view class the
 * parser pools, the text printer and the Repr (the JSON shape), plus where the JSON schema places it.
 * `HOMES` must name every `LayerName` (a missing or extra protocol is a compile error), and the typed
 * accessors (`LayerParser.at`, `LayerParser.get`) take their view types from here.
 */
import type { LayerParser } from './parser.js';
import type { ByteView } from './status.js';
import type { Printer } from './print.js';
import { LAYER_TABLE, Layer, Port, type LayerName, type NameOf } from './layers.js';
import { EthernetView, ethernetRepr, printEthernet } from './ethernet.js';
import { SllView, printSll, sllRepr } from './sll.js';
import { LoopbackView, loopbackRepr, printLoopback } from './loopback.js';
import { VlanView, printVlan, vlanRepr } from './vlan.js';
import { MplsView, mplsRepr, printMpls } from './mpls.js';
import { PppoeView, pppoeRepr, printPppoe } from './pppoe.js';
import { LlcView, llcRepr, printLlc } from './llc.js';
import { ArpView, arpRepr, printArp } from './arp.js';
import { Ipv4View, ipv4Repr, printIpv4 } from './ipv4.js';
import { Ipv6View, ipv6Repr, printIpv6 } from './ipv6.js';
import { TcpView, printTcp, tcpRepr } from './tcp.js';
import { UdpView, printUdp, udpRepr } from './udp.js';
import { IcmpView, icmpRepr, printIcmp } from './icmp.js';
import { Icmpv6View, icmpv6Repr, printIcmpv6 } from './icmpv6.js';
import { IgmpView, igmpRepr, printIgmp } from './igmp.js';
import { SctpView, printSctp, sctpRepr } from './sctp.js';
import { GreView, greRepr, printGre } from './gre.js';
import { GeneveView, VxlanView, geneveRepr, printGeneve, printVxlan, vxlanRepr } from './vxlan.js';
import { DnsView, dnsRepr, printDns } from './dns.js';
import { DhcpView, dhcpRepr, printDhcp } from './dhcp.js';
import { NtpView, ntpRepr, printNtp } from './ntp.js';
import { AhView, EspView, ipsecRepr, printAh, printEsp } from './ipsec.js';
import { Dhcp6View, dhcp6Repr, printDhcp6 } from './dhcp6.js';
import { SyslogView, printSyslog, syslogRepr } from './syslog.js';
import { TftpView, printTftp, tftpRepr } from './tftp.js';
import { RadiusView, printRadius, radiusRepr } from './radius.js';
import { SnmpView, printSnmp, snmpRepr } from './snmp.js';

/**
 * Where the JSON schema (shared/SCHEMA.md) places a layer: `frame` only outermost, `link` anywhere
 * before IP, `belowIp` before the first IP header, `ip` the first IP header, `transport` directly
 * inside it, `app` where `accept` says. Layers without a place end the JSON stack.
 */
export interface JsonPlace<V> {
  readonly at: 'frame' | 'link' | 'belowIp' | 'ip' | 'transport' | 'app';
  /** Repeated layers collect into an array under the name. */
  readonly list?: boolean;
  /** The stack ends after this layer. */
  readonly last?: boolean;
  /** A header with bad length fields is still shown, as carried, when this holds (then the stack ends). */
  malformedShown?(v: V): boolean;
  /** For `app`: whether this occurrence is covered by the schema. */
  accept?(p: LayerParser, i: number, ipIdx: number): boolean;
  /** The schema object when it differs from the Repr. */
  json?(v: V, p: LayerParser, i: number): object;
}

/** A protocol's home as the registry sees it. */
export interface Home<V> {
  /** View class the parser preallocates. */
  readonly View: new () => V;
  /** Text printer (tcpdump's wording). */
  print(c: Printer, v: V, i: number, n: number): void;
  /** Plain-data representation of layer i (allocates; for sinks and the library). */
  repr(v: V, p: LayerParser, i: number): object;
  /** JSON schema placement, if the schema covers the protocol. */
  readonly json?: JsonPlace<V>;
}

/** Keeps V consistent across a home's members. */
function home<V>(h: Home<V>): Home<V> {
  return h;
}

/** Every protocol's home, by short name. */
export const HOMES = {
  eth: home({ View: EthernetView, print: printEthernet, repr: ethernetRepr, json: { at: 'frame' } }),
  sll: home({
    View: SllView, print: printSll, repr: sllRepr,
    json: {
      at: 'link',
      json(v) {
        // the schema's sll object has no ifindex
        const { ifindex: _ifindex, ...rest } = sllRepr(v);
        return rest;
      },
    },
  }),
  loopback: home({ View: LoopbackView, print: printLoopback, repr: loopbackRepr, json: { at: 'link' } }),
  vlan: home({ View: VlanView, print: printVlan, repr: vlanRepr, json: { at: 'belowIp', list: true } }),
  mpls: home({ View: MplsView, print: printMpls, repr: mplsRepr, json: { at: 'belowIp', list: true } }),
  pppoe: home({ View: PppoeView, print: printPppoe, repr: pppoeRepr }),
  llc: home({ View: LlcView, print: printLlc, repr: llcRepr }),
  arp: home({ View: ArpView, print: printArp, repr: arpRepr, json: { at: 'belowIp' } }),
  ipv4: home({
    View: Ipv4View, print: printIpv4, repr: ipv4Repr,
    json: { at: 'ip', malformedShown: (v) => v.length >= 20 && v.version === 4 },
  }),
  ipv6: home({ View: Ipv6View, print: printIpv6, repr: ipv6Repr, json: { at: 'ip' } }),
  tcp: home({
    View: TcpView, print: printTcp, repr: (v, p, i) => tcpRepr(v, p.lens[i] ?? 0),
    json: { at: 'transport', malformedShown: (v) => v.length >= 20 },
  }),
  udp: home({ View: UdpView, print: printUdp, repr: udpRepr, json: { at: 'transport' } }),
  icmp: home({ View: IcmpView, print: printIcmp, repr: icmpRepr, json: { at: 'transport', last: true } }),
  icmpv6: home({ View: Icmpv6View, print: printIcmpv6, repr: icmpv6Repr, json: { at: 'transport', last: true } }),
  igmp: home({ View: IgmpView, print: printIgmp, repr: igmpRepr }),
  sctp: home({ View: SctpView, print: printSctp, repr: (v, p, i) => sctpRepr(v, Math.min(v.offset + v.length, v.offset + (p.lens[i] ?? 0))) }),
  gre: home({ View: GreView, print: printGre, repr: greRepr }),
  vxlan: home({ View: VxlanView, print: printVxlan, repr: vxlanRepr }),
  geneve: home({ View: GeneveView, print: printGeneve, repr: geneveRepr }),
  dns: home({
    View: DnsView, print: printDns, repr: dnsRepr,
    json: {
      at: 'app',
      last: true,
      // the schema covers DNS over UDP port 53 only
      accept(p: LayerParser, i: number, ipIdx: number): boolean {
        const u: UdpView | undefined = ipIdx === i - 2 ? p.at(i - 1, Layer.Udp) : undefined;
        return u !== undefined && (u.srcPort === Port.DNS || u.dstPort === Port.DNS);
      },
    },
  }),
  dhcp: home({ View: DhcpView, print: printDhcp, repr: dhcpRepr }),
  ntp: home({ View: NtpView, print: printNtp, repr: ntpRepr }),
  ah: home<AhView>({ View: AhView, print: printAh, repr: ipsecRepr }),
  esp: home<EspView>({ View: EspView, print: printEsp, repr: ipsecRepr }),
  dhcp6: home({ View: Dhcp6View, print: printDhcp6, repr: dhcp6Repr }),
  syslog: home({ View: SyslogView, print: printSyslog, repr: syslogRepr }),
  tftp: home({ View: TftpView, print: printTftp, repr: tftpRepr }),
  radius: home({ View: RadiusView, print: printRadius, repr: radiusRepr }),
  snmp: home({ View: SnmpView, print: printSnmp, repr: snmpRepr }),
} satisfies { readonly [K in LayerName]: Home<ByteView> };

/** The view class of layer kind L. */
export type ViewOf<L extends Layer> = NameOf<L> extends LayerName ? InstanceType<(typeof HOMES)[NameOf<L>]['View']> : never;

/** Homes indexed by layer kind (None has none). */
export const HOME_BY_KIND: ReadonlyArray<Home<ByteView> | undefined> = LAYER_TABLE.map((r) =>
  r.name === '' ? undefined : (HOMES[r.name] as Home<ByteView>),
);
