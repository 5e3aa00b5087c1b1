/**
 * The registry: each row of the protocol table (`layers.ts`) bound to its home, the view class the
 * parser pools, the text printer and the Repr (the JSON shape), plus where the JSON schema places it.
 * `HOMES` must name every `LayerName` (a missing or extra protocol is a compile error), and the typed
 * accessors (`LayerParser.at`, `LayerParser.get`) take their view types from here.
 */
import type { LayerParser } from './parser.js';
import { DecodeStatus, u16, u32, type ByteView } from './status.js';
import type { Printer } from './print.js';
import type { JsonWriter } from './json-writer.js';
import type { PlainReset, Reach, Walk } from './walk.js';
import { LAYER_TABLE, Layer, Port, type LayerName, type NameOf } from './layers.js';
import { EtherType, IpProto, LinkType } from '../numbers.js';
import { nflogPayloadOffset } from './nflog.js';
import { PppProtocol } from './pppoe.js';
import { ETHERTYPE_MIN, EthernetView, ethernetRepr, printEthernet, writeEthernetJson } from './ethernet.js';
import { SllView, printSll, sllRepr, writeSllJson } from './sll.js';
import { LoopbackView, loopbackRepr, printLoopback, writeLoopbackJson } from './loopback.js';
import { VlanView, printVlan, vlanRepr, writeVlanJson } from './vlan.js';
import { MplsView, mplsRepr, printMpls, writeMplsJson } from './mpls.js';
import { PppoeView, pppoeRepr, printPppoe } from './pppoe.js';
import { CISCO_SNAP, LlcSap, LlcView, llcRepr, printLlc } from './llc.js';
import { ArpView, arpRepr, printArp, writeArpJson } from './arp.js';
import { Ipv4View, ipv4Repr, printIpv4, writeIpv4Json } from './ipv4.js';
import { Ipv6View, ipv6Repr, printIpv6, writeIpv6Json } from './ipv6.js';
import { TcpView, printTcp, tcpRepr, writeTcpJson } from './tcp.js';
import { UdpView, printUdp, udpRepr, writeUdpJson } from './udp.js';
import { IcmpView, icmpRepr, printIcmp, writeIcmpJson } from './icmp.js';
import { Icmpv6View, icmpv6Repr, printIcmpv6, writeIcmpv6Json } from './icmpv6.js';
import { IgmpView, igmpRepr, printIgmp } from './igmp.js';
import { SctpView, printSctp, sctpRepr } from './sctp.js';
import { GreFlag, GreView, greRepr, printGre } from './gre.js';
import { GeneveView, VxlanView, geneveRepr, printGeneve, printVxlan, vxlanRepr } from './vxlan.js';
import { DnsView, dnsRepr, printDns, writeDnsJson } from './dns.js';
import { DhcpView, dhcpRepr, printDhcp } from './dhcp.js';
import { NtpView, ntpRepr, printNtp } from './ntp.js';
import { AhView, EspView, ipsecRepr, printAh, printEsp } from './ipsec.js';
import { Dhcp6View, dhcp6Repr, printDhcp6 } from './dhcp6.js';
import { SyslogView, printSyslog, syslogRepr } from './syslog.js';
import { TftpView, printTftp, tftpRepr } from './tftp.js';
import { RadiusView, printRadius, radiusRepr } from './radius.js';
import { SnmpView, printSnmp, snmpRepr } from './snmp.js';
import { SshView, printSsh, sshRepr } from './ssh.js';
import { TlsView, printTls, tlsRepr } from './tls.js';
import { QuicView, printQuic, quicRepr } from './quic.js';
import { IkeView, ikeRepr, printIke } from './ike.js';
import { PPTP_MAGIC_COOKIE, PptpView, pptpRepr, printPptp } from './pptp.js';
import { L2tpView, l2tpPppOffset, l2tpRepr, printL2tp } from './l2tp.js';
import { VXLAN_GPE_ETHERTYPE, VxlanGpeNext, VxlanGpeView, printVxlanGpe, vxlanGpeRepr } from './vxlangpe.js';
import { NshNext, NshView, nshRepr, printNsh } from './nsh.js';
import { StpView, printStp, stpRepr } from './stp.js';
import { LldpView, lldpRepr, printLldp } from './lldp.js';
import { SlowView, printSlow, slowRepr } from './slow.js';
import { EapolView, eapolRepr, printEapol } from './eapol.js';
import { AarpView, aarpRepr, printAarp } from './aarp.js';
import { PtpView, printPtp, ptpRepr } from './ptp.js';
import { VrrpView, printVrrp, vrrpRepr } from './vrrp.js';
import { HsrpView, hsrpRepr, printHsrp } from './hsrp.js';
import { RipView, printRip, ripRepr } from './rip.js';
import { PPP_CONTROL_PROTOS, PppCtlView, PppProto, PppView, PppFraming, pppCtlRepr, pppNextEtherType, pppRepr, printPpp, printPppCtl } from './ppp.js';
import { CHDLC_OSI, CHDLC_SLARP, CHDLC_UNPRINTED, ChdlcAddress, ChdlcView, SlarpView, chdlcRepr, printChdlc, printSlarp, slarpRepr } from './chdlc.js';
import { FrEncap, FrelayView, LmiView, MfrView, Q933View, frelayRepr, lmiRepr, mfrRepr, printFrelay, printLmi, printMfr, printQ933, q933Repr } from './frelay.js';
import { Nlpid, OSI_PDU_NLPIDS } from './nlpid.js';
import { SlipView, printSlip, slipRepr } from './slip.js';
import { ArcType, ArcnetView, arcnetRepr, printArcnet } from './arcnet.js';
import { Mtp2View, mtp2Repr, printMtp2 } from './mtp2.js';
import { BgpView, bgpRepr, printBgp } from './bgp.js';
import { AutoRpView, PimView, autoRpRepr, pimRepr, printAutoRp, printPim } from './pim.js';
import { RipngView, printRipng, ripngRepr } from './ripng.js';
import { LdpView, ldpRepr, printLdp } from './ldp.js';
import { LspPingView, lspPingRepr, printLspPing } from './lspping.js';
import { CdpView, cdpRepr, printCdp } from './cdp.js';
import { DtpView, dtpRepr, printDtp } from './dtp.js';
import { UdldView, printUdld, udldRepr } from './udld.js';
import { VtpView, printVtp, vtpRepr } from './vtp.js';
import { ErspanProto, ErspanView, erspanRepr, printErspan } from './erspan.js';
import { OspfView, ospfRepr, printOspf } from './ospf.js';
import { WlanArg, WlanView, printWlan, wlanRepr } from './wlan.js';
import { RadiotapView, printRadiotap, radiotapRepr } from './radiotap.js';
import { PpiView, ppiRepr, printPpi } from './ppi.js';
import { IpxView, ipxRepr, printIpx } from './ipx.js';
import { CfmView, cfmRepr, printCfm } from './cfm.js';
import { CtpView, ctpRepr, printCtp } from './ctp.js';
import { DecnetView, decnetRepr, printDecnet } from './decnet.js';
import { DdpOffsets, DdpType, DdpView, LlapOffsets, LlapType, LlapView, ddpRepr, llapRepr, printDdp, printLlap } from './ddp.js';
import { AoeView, aoeRepr, printAoe } from './aoe.js';
import { MacsecOffsets, MacsecTci, MacsecView, macsecRepr, printMacsec } from './macsec.js';
import { TipcView, printTipc, tipcRepr } from './tipc.js';
import { EigrpView, eigrpRepr, printEigrp } from './eigrp.js';
import { MobilityView, mobilityRepr, printMobility } from './mobility.js';
import { ClnpView, EsisView, IsisView, OsiNlpid, clnpRepr, esisRepr, isisRepr, printClnp, printEsis, printIsis } from './osi.js';

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
  /** The stack ends after this layer when this holds for it. */
  lastIf?(v: V): boolean;
  /** A header with bad length fields is still shown, as carried, when this holds (then the stack ends). */
  malformedShown?(v: V): boolean;
  /** For `app`: whether this occurrence is covered by the schema. */
  accept?(p: LayerParser, i: number, ipIdx: number): boolean;
  /** The schema object when it differs from the Repr. */
  json?(v: V, p: LayerParser, i: number): object;
  /**
   * Writes the layer's schema object straight into `w`, equal byte for byte to `JSON.stringify` of
   * `json` (or the Repr). Optional: without it the JSON sink stringifies the Repr for this layer only.
   */
  write?(w: JsonWriter, v: V, p: LayerParser, i: number): void;
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
  /** The numbers in a carrier's header that announce this layer (the parser's tables are built from these). */
  readonly reach?: Reach;
  /**
   * Resets `v` at `p`, pushes it and hands what follows to the walk. `arg` is the number that reached
   * the layer: the link type, EtherType, IP protocol, PPP protocol or SAP, or for ports the carrier
   * (17 UDP, 6 TCP); a home calling `w.next` passes its own.
   */
  decode(w: Walk, v: NoInfer<V>, p: number, end: number, declared: number, arg: number): void;
}

/** Keeps V consistent across a home's members. */
function home<V>(h: Home<V>): Home<V> {
  return h;
}

/** The decoder of a layer that ends the walk: `hdr` header bytes, or all of it when negative. */
function leaf(kind: Layer, hdr: number): (w: Walk, v: PlainReset, p: number, end: number, declared: number) => void {
  return (w, v, p, end, declared) => {
    w.push(kind, v.reset(w.bytes, p, end - p), declared, hdr < 0 ? end - p : hdr);
  };
}

/**
 * A whole-payload leaf reached by a port that other traffic uses too: pushed only when the first bytes
 * look like the protocol, so an empty segment or other data on the port stays plain TCP/UDP payload.
 */
function leafIf(kind: Layer, looks: (b: Uint8Array, p: number, end: number) => boolean): (w: Walk, v: PlainReset, p: number, end: number, declared: number) => void {
  return (w, v, p, end, declared) => {
    if (p < end && looks(w.bytes, p, end)) w.push(kind, v.reset(w.bytes, p, end - p), declared, end - p);
  };
}

/**
 * JSON placement of a service carried by UDP directly inside the outermost IP header (optionally on
 * one of `ports`, either side); the layer ends the stack.
 */
function overUdp(ports?: readonly number[]): JsonPlace<never> {
  return {
    at: 'app',
    last: true,
    accept(p: LayerParser, i: number, ipIdx: number): boolean {
      const u: UdpView | undefined = ipIdx === i - 2 ? p.at(i - 1, Layer.Udp) : undefined;
      return u !== undefined && (ports === undefined || ports.includes(u.srcPort) || ports.includes(u.dstPort));
    },
  };
}

const PTP_UDP = overUdp();
/** Layers whose EtherType field hands on a frame's payload: the MAC header, a VLAN tag, a SecTAG. */
const ETHER_CARRIERS: readonly number[] = [Layer.Ethernet, Layer.Vlan, Layer.Macsec];

/** A TLS record header: content type 20..24 (change cipher spec .. heartbeat), major version 3. */
const looksTls = (b: Uint8Array, p: number, end: number): boolean => b[p]! >= 20 && b[p]! <= 24 && (end - p < 2 || b[p + 1] === 3);
/** The SSH identification line's `SSH-` prefix (as much of it as the payload holds). */
const looksSsh = (b: Uint8Array, p: number, end: number): boolean => {
  for (let i = 0; i < 4 && p + i < end; i++) if (b[p + i] !== 'SSH-'.charCodeAt(i)) return false;
  return true;
};
/** A QUIC long header (first bit set); short headers carry nothing recognisable without the connection. */
const looksQuicLong = (b: Uint8Array, p: number): boolean => (b[p]! & 0x80) !== 0;

/** What follows a MAC header, a VLAN tag or a SecTAG, as tcpdump's Ethernet printer reads it: LLC for an 802.3 length or the jumbo type, PPP, else an EtherType. */
function afterMac(w: Walk, t: number, p: number, end: number, declared: number): void {
  if (t < ETHERTYPE_MIN) w.next(Layer.Llc, p, Math.min(end, p + t), t, 0);
  else if (t === EtherType.JUMBO) w.next(Layer.Llc, p, end, declared, 0);
  // PPP straight after a MAC header or tag (tcpdump's Ethernet printer; a GRE or Geneve type 0x880b is not read so)
  else if (t === EtherType.PPP) w.next(Layer.Ppp, p, end, declared, t);
  // transparent Ethernet bridging is a tunnel's payload type (GRE): after a MAC header tcpdump decodes no frame there
  else if (t !== EtherType.TEB) w.etherType(t, p, end, declared);
}

/** JSON place of an application layer carried directly by the outermost IP header's TCP or UDP (the stack ends there). */
const appAfterTransport = <V>(ok?: (v: V) => boolean): JsonPlace<V> => ({
  at: 'app', last: true, accept: (p, i, ipIdx) => ipIdx === i - 2 && (ok === undefined || ok(p.view(i) as V)),
});
/** AppleTalk DDP under SNAP: Apple's OUI 08-00-07 and EtherType 0x809b. */
const APPLETALK_SNAP = 0x080007 * 65536 + 0x809b;
/** SNAP numbers (OUI * 65536 + type) of the LAN protocols the JSON stack continues to after LLC: Cisco's LAN control protocols, IPX and AppleTalk DDP. */
const LAN_SNAP: readonly number[] = [CISCO_SNAP.PVST, CISCO_SNAP.VLAN_BRIDGE, CISCO_SNAP.CDP, CISCO_SNAP.DTP, CISCO_SNAP.UDLD, CISCO_SNAP.VTP, EtherType.IPX, APPLETALK_SNAP];
/**
 * LLC ends the JSON stack unless it carries spanning tree (SAP 0x42), OSI (SAP 0xfe: IS-IS, ES-IS, CLNP), IPX (SAP 0xe0) or a
 * LAN protocol under SNAP (the SAPs' low bits masked, as the walk reads them).
 */
const llcEnds = (v: LlcView): boolean => {
  if (v.isSnap) return !LAN_SNAP.includes(v.oui * 65536 + v.snapType);
  const d = v.dsap & 0xfe;
  return d !== 0x42 && d !== 0xe0 && (d !== LlcSap.OSI || !osiPduAt(v, 3));
};
/**
 * Whether an OSI PDU's NLPID (CLNP, ES-IS, IS-IS) is at byte `k` of layer `v`. What other NLPIDs name
 * after an OSI carrier (IPv4, IPv6, PPP, Q.933) is not placed in JSON: the stack ends at the carrier, as
 * before those were decoded (tshark reads the Cisco HDLC pad byte otherwise than tcpdump, and files
 * the NULL NLPID under clnp).
 */
const osiPduAt = (v: ByteView, k: number): boolean => v.length > k && OSI_PDU_NLPIDS.includes(v.bytes[v.offset + k] ?? -1);
/** JSON place of a layer before any IP header (after the link header, a VLAN tag or LLC/SNAP) that ends the stack: what it carries is not decoded to JSON. */
const BELOW_IP_LAST: JsonPlace<never> = { at: 'belowIp', last: true };
/** GRE ends the JSON stack unless it carries ERSPAN (a tunnel's inner packet is outside the schema). */
const greEnds = (v: GreView): boolean => v.version !== 0 || (v.protocol !== ErspanProto.TYPE_II && v.protocol !== ErspanProto.TYPE_III);
/** JSON place of ERSPAN: directly after a placed GRE header (the stack ends there). */
const AFTER_GRE: JsonPlace<never> = { at: 'app', last: true, accept: (p, i, ipIdx) => ipIdx === i - 2 && p.kinds[i - 1] === Layer.Gre };

/** A wireless link header's length on the wire: the frame's when it is outermost (it strips an FCS by it). */
function wireDeclared(w: Walk, p: number, declared: number): number {
  return p === w.frameStart ? w.wireLen : declared;
}

/** Every protocol's home, by short name. */
export const HOMES = {
  eth: home({
    View: EthernetView, print: printEthernet, repr: ethernetRepr, json: { at: 'frame', write: writeEthernetJson },
    reach: { link: [LinkType.EN10MB], ether: [EtherType.TEB] },
    decode(w, v, p, end, declared) {
      if (!w.push(Layer.Ethernet, v.reset(w.bytes, p, end - p), declared, 14)) return;
      // a SecTAG is read only here, right after the MAC addresses, as tcpdump reads it; its ICV and
      // short length are checked against the frame's length on the wire
      if (v.etherType === EtherType.MACSEC) w.next(Layer.Macsec, p + 14, end, wireDeclared(w, p, declared) - 14, 0);
      else afterMac(w, v.etherType, p + 14, end, declared - 14);
    },
  }),
  sll: home({
    View: SllView, print: printSll, repr: sllRepr,
    reach: { link: [LinkType.LINUX_SLL, LinkType.LINUX_SLL2] },
    decode(w, v, p, end, declared, arg) {
      const st = v.reset(w.bytes, p, end - p, arg === LinkType.LINUX_SLL2 ? 2 : 1);
      if (!w.push(Layer.Sll, st, declared, v.headerLen)) return;
      const proto = v.protocol;
      const q = v.payloadOffset;
      if (proto >= ETHERTYPE_MIN) w.etherType(proto, q, end, end - q);
      else if (proto === 4) w.next(Layer.Llc, q, end, end - q, 0);
    },
    json: {
      at: 'link',
      write: writeSllJson,
      json(v) {
        // the schema's sll object has no ifindex
        const { ifindex: _ifindex, ...rest } = sllRepr(v);
        return rest;
      },
    },
  }),
  loopback: home({
    View: LoopbackView, print: printLoopback, repr: loopbackRepr, json: { at: 'link', write: writeLoopbackJson },
    reach: { link: [LinkType.NULL, LinkType.LOOP] },
    decode(w, v, p, end, declared, arg) {
      if (!w.push(Layer.Loopback, v.reset(w.bytes, p, end - p, arg === LinkType.LOOP), declared, 4)) return;
      const f = v.family;
      // BSDs number AF_INET6 24, 28 or 30
      if (f === 2) w.next(Layer.Ipv4, p + 4, end, end - p - 4, f);
      else if (f === 24 || f === 28 || f === 30) w.next(Layer.Ipv6, p + 4, end, end - p - 4, f);
    },
  }),
  vlan: home({
    View: VlanView, print: printVlan, repr: vlanRepr, json: { at: 'belowIp', list: true, write: writeVlanJson },
    reach: { ether: [EtherType.VLAN, EtherType.QINQ, EtherType.VLAN9100, EtherType.VLAN9200] },
    decode(w, v, p, end, declared, arg) {
      if (w.push(Layer.Vlan, v.reset(w.bytes, p, end - p, arg), declared, 4)) afterMac(w, v.etherType, p + 4, end, declared - 4);
    },
  }),
  mpls: home({
    View: MplsView, print: printMpls, repr: mplsRepr, json: { at: 'belowIp', list: true, write: writeMplsJson },
    reach: { ether: [EtherType.MPLS, EtherType.MPLS_MC] },
    decode(w, v, p, end, declared) {
      if (!w.push(Layer.Mpls, v.reset(w.bytes, p, end - p), declared, 4)) return;
      // the next label, until bottom of stack; RFC 3032 leaves the payload type to the label, the
      // first nibble is the usual guess
      if (!v.s) w.next(Layer.Mpls, p + 4, end, declared - 4, 0);
      // the explicit NULL labels name their payload (RFC 3032 2.1), as tcpdump reads them
      else if (v.label === 0) w.next(Layer.Ipv4, p + 4, end, declared - 4, 0);
      else if (v.label === 2) w.next(Layer.Ipv6, p + 4, end, declared - 4, 0);
      else if (p + 4 < end) w.ipByVersion(p + 4, end);
    },
  }),
  pppoe: home({
    View: PppoeView, print: printPppoe, repr: pppoeRepr, json: { at: 'belowIp', last: true },
    reach: { ether: [EtherType.PPPOE_DISC, EtherType.PPPOE_SESS] },
    decode(w, v, p, end, declared, arg) {
      const sess = arg === EtherType.PPPOE_SESS;
      if (!w.push(Layer.Pppoe, v.reset(w.bytes, p, end - p, sess), declared, sess ? 8 : 6) || !sess) return;
      const lim = Math.min(end, p + 6 + v.payloadLength);
      // the PPP frame's length is the session's, cut to what the frame holds (less the protocol field)
      pppNext(w, v.pppProtocol, p + 8, lim, Math.min(v.payloadLength, declared - 6) - 2);
    },
  }),
  llc: home({
    View: LlcView, print: printLlc, repr: llcRepr, json: { at: 'belowIp', lastIf: llcEnds },
    // reached by an 802.3 length (Ethernet, VLAN) or the cooked header's protocol 4
    decode(w, v, p, end, declared) {
      const ok = v.reset(w.bytes, p, end - p) === DecodeStatus.Ok;
      // Novell's raw 802.3: IPX (its checksum 0xffff) right after the length, no LLC header
      if (ok && v.dsap === 0xff && v.ssap === 0xff) return w.next(Layer.Ipx, p, end, declared, 0xffff);
      const snap = ok && v.isSnap;
      if (!w.push(Layer.Llc, v.status, declared, snap ? 8 : ok ? v.headerLen : end - p)) return;
      // only a UI frame between equal SAPs carries a protocol (I, S and other U frames are LLC's own)
      if (!v.carries) return;
      // the SAPs' low bits (group, response) do not change the protocol, as tcpdump reads them
      if (!snap) w.sap(v.dsap & 0xfe, p + 3, end, declared - 3);
      else if (v.oui === 0) w.etherType(v.snapType, p + 8, end, declared - 8);
      else w.snap(v.oui * 65536 + v.snapType, p + 8, end, declared - 8);
    },
  }),
  arp: home({
    View: ArpView, print: printArp, repr: arpRepr, json: { at: 'belowIp', write: writeArpJson },
    reach: { ether: [EtherType.ARP, EtherType.RARP] },
    decode(w, v, p, end, declared) {
      const st = v.reset(w.bytes, p, end - p);
      w.push(Layer.Arp, st, declared, v.totalLen);
    },
  }),
  ipv4: home({
    View: Ipv4View, print: printIpv4, repr: ipv4Repr,
    reach: { link: [LinkType.IPV4], ether: [EtherType.IPv4], ip: [IpProto.IPIP], ppp: [PppProtocol.IPv4], sap: [LlcSap.IP] },
    decode(w, v, p, end) {
      const st = v.reset(w.bytes, p, end - p);
      const ok = st === DecodeStatus.Ok;
      if (!w.push(Layer.Ipv4, st, ok ? v.totalLen : end - p, ok ? v.headerLen : 0) || v.fragOffset !== 0) return;
      const lim = Math.min(end, p + v.totalLen);
      w.restLen = Math.max(0, lim - v.payloadOffset);
      w.ipProto(v.proto, v.payloadOffset, lim, v.payloadLen);
    },
    json: { at: 'ip', malformedShown: (v) => v.length >= 20 && v.version === 4, write: writeIpv4Json },
  }),
  ipv6: home({
    View: Ipv6View, print: printIpv6, repr: ipv6Repr, json: { at: 'ip', write: writeIpv6Json },
    reach: { link: [LinkType.IPV6], ether: [EtherType.IPv6], ip: [IpProto.IPV6], ppp: [PppProtocol.IPv6] },
    decode(w, v, p, end) {
      const st = v.reset(w.bytes, p, end - p);
      if (!w.push(Layer.Ipv6, st, st === DecodeStatus.Ok ? 40 + v.effectivePayloadLen : end - p, 40)) return;
      w.restOffset = v.upperOffset;
      if (v.chainTruncated) {
        w.truncated = true;
        w.restLen = Math.max(0, end - v.upperOffset);
        return;
      }
      if (v.fragOffset !== 0) return;
      const lim = Math.min(end, p + 40 + v.effectivePayloadLen);
      w.restLen = Math.max(0, lim - v.upperOffset);
      // the Mobility Header (135, or 62 before RFC 6275) is IPv6's alone
      if (v.upperProto === IpProto.MOBILITY || v.upperProto === IpProto.MOBILITY_OLD) w.next(Layer.Mobility, v.upperOffset, lim, v.upperLen, v.upperProto);
      else w.ipProto(v.upperProto, v.upperOffset, lim, v.upperLen);
    },
  }),
  tcp: home({
    View: TcpView, print: printTcp, repr: (v, p, i) => tcpRepr(v, p.lens[i] ?? 0),
    reach: { ip: [IpProto.TCP] },
    decode(w, v, p, end, declared) {
      const st = v.reset(w.bytes, p, end - p);
      if (w.push(Layer.Tcp, st, declared, v.headerLen)) w.ports(IpProto.TCP, v.srcPort, v.dstPort, v.payloadOffset, end, declared - v.headerLen);
    },
    json: { at: 'transport', malformedShown: (v) => v.length >= 20, write: (w, v, p, i) => writeTcpJson(w, v, p.lens[i] ?? 0) },
  }),
  udp: home({
    View: UdpView, print: printUdp, repr: udpRepr, json: { at: 'transport', write: writeUdpJson },
    reach: { ip: [IpProto.UDP] },
    decode(w, v, p, end, declared) {
      if (!w.push(Layer.Udp, v.reset(w.bytes, p, end - p), declared, 8)) return;
      const lim = v.len >= 8 ? Math.min(end, p + v.len) : end;
      w.ports(IpProto.UDP, v.srcPort, v.dstPort, p + 8, lim, Math.max(0, Math.min(declared, v.len) - 8));
    },
  }),
  icmp: home({
    View: IcmpView, print: printIcmp, repr: icmpRepr, json: { at: 'transport', last: true, write: writeIcmpJson },
    reach: { ip: [IpProto.ICMP] }, decode: leaf(Layer.Icmp, 8),
  }),
  icmpv6: home({
    View: Icmpv6View, print: printIcmpv6, repr: icmpv6Repr, json: { at: 'transport', last: true, write: writeIcmpv6Json },
    reach: { ip: [IpProto.ICMPV6] }, decode: leaf(Layer.Icmpv6, 4),
  }),
  igmp: home({ View: IgmpView, print: printIgmp, repr: igmpRepr, json: { at: 'transport', last: true }, reach: { ip: [IpProto.IGMP] }, decode: leaf(Layer.Igmp, 8) }),
  sctp: home({
    View: SctpView, print: printSctp, repr: (v, p, i) => sctpRepr(v, Math.min(v.offset + v.length, v.offset + (p.lens[i] ?? 0))),
    json: { at: 'transport', last: true },
    reach: { ip: [IpProto.SCTP] }, decode: leaf(Layer.Sctp, 12),
  }),
  gre: home({
    View: GreView, print: printGre, repr: greRepr, json: { at: 'transport', lastIf: greEnds },
    reach: { ip: [IpProto.GRE] },
    decode(w, v, p, end, declared) {
      const st = v.reset(w.bytes, p, end - p);
      if (!w.push(Layer.Gre, st, declared, v.headerLen) || v.version !== 0) return;
      const pr = v.protocol;
      // ERSPAN is reached from GRE only (its numbers mean nothing after an Ethernet header); type I is 0x88be without a sequence number
      if (pr === ErspanProto.TYPE_II || pr === ErspanProto.TYPE_III) {
        w.next(Layer.Erspan, v.payloadOffset, end, declared - v.headerLen, pr === ErspanProto.TYPE_II && !(v.flagsVer & GreFlag.S) ? 1 : 0);
      } else w.etherType(pr, v.payloadOffset, end, declared - v.headerLen);
    },
  }),
  vxlan: home({
    View: VxlanView, print: printVxlan, repr: vxlanRepr, json: overUdp(),
    reach: { udp: [Port.VXLAN] },
    decode(w, v, p, end, declared) {
      if (w.push(Layer.Vxlan, v.reset(w.bytes, p, end - p), declared, 8)) w.next(Layer.Ethernet, p + 8, end, declared - 8, 0);
    },
  }),
  geneve: home({
    View: GeneveView, print: printGeneve, repr: geneveRepr, json: overUdp(),
    reach: { udp: [Port.GENEVE] },
    decode(w, v, p, end, declared) {
      const st = v.reset(w.bytes, p, end - p);
      if (w.push(Layer.Geneve, st, declared, v.headerLen)) w.etherType(v.protocol, v.payloadOffset, end, declared - v.headerLen);
    },
  }),
  dns: home({
    View: DnsView, print: printDns, repr: dnsRepr,
    // multicast DNS (RFC 6762) shares the message format
    reach: { udp: [Port.DNS, Port.MDNS], tcp: [Port.DNS] },
    decode(w, v, p, end, declared, arg) {
      // over TCP a 2-byte length precedes each message (RFC 1035 4.2.2)
      const skip = arg === IpProto.TCP ? 2 : 0;
      if (skip !== 0 && p + skip >= end) return;
      w.push(Layer.Dns, v.reset(w.bytes, p + skip, end - p - skip), declared - skip, end - p - skip);
    },
    json: {
      at: 'app',
      last: true,
      write: writeDnsJson,
      // the schema covers DNS over UDP port 53 only
      accept(p: LayerParser, i: number, ipIdx: number): boolean {
        const u: UdpView | undefined = ipIdx === i - 2 ? p.at(i - 1, Layer.Udp) : undefined;
        return u !== undefined && (u.srcPort === Port.DNS || u.dstPort === Port.DNS);
      },
    },
  }),
  dhcp: home({ View: DhcpView, print: printDhcp, repr: dhcpRepr, json: overUdp(), reach: { udp: [Port.BOOTPS, Port.BOOTPC] }, decode: leaf(Layer.Dhcp, -1) }),
  ntp: home({
    View: NtpView, print: printNtp, repr: ntpRepr, json: overUdp(), reach: { udp: [Port.NTP] },
    decode(w, v, p, end, declared) {
      w.push(Layer.Ntp, v.reset(w.bytes, p, end - p), declared, v.headerLen);
    },
  }),
  ah: home<AhView>({
    View: AhView, print: printAh, repr: ipsecRepr,
    reach: { ip: [IpProto.AH] },
    decode(w, v, p, end, declared) {
      const st = v.reset(w.bytes, p, end - p);
      if (w.push(Layer.Ah, st, declared, v.headerLen)) w.ipProto(v.nextHeader, p + v.headerLen, end, declared - v.headerLen);
    },
  }),
  esp: home<EspView>({
    View: EspView, print: printEsp, repr: ipsecRepr,
    reach: { ip: [IpProto.ESP], udp: [Port.IPSEC_NAT_T] },
    decode(w, v, p, end, declared, arg) {
      // RFC 3948 in UDP: a zero first word marks IKE (non-ESP), a lone 0xff a NAT keepalive
      if (arg === IpProto.UDP && (declared < 4 || p + 4 > end || u32(w.bytes, p) === 0)) {
        if (declared >= 4 && p + 4 <= end) w.next(Layer.Ike, p + 4, end, declared - 4, arg);
        return;
      }
      w.push(Layer.Esp, v.reset(w.bytes, p, end - p), declared, 8);
    },
  }),
  // LAN control
  // Cisco's per-VLAN spanning tree (PVST+) carries the same BPDU under SNAP
  stp: home({ View: StpView, print: printStp, repr: stpRepr,
    // a BPDU shorter than its type needs lacks fields the schema shows for that type (tshark shows its bytes as data)
    json: { at: 'app', last: true, accept: (p, i, ipIdx) => ipIdx < 0 && (p.view(i) as StpView).length >= (p.view(i) as StpView).needed },
 reach: { sap: [0x42], snap: [CISCO_SNAP.PVST, CISCO_SNAP.VLAN_BRIDGE] }, decode: leaf(Layer.Stp, -1) }),
  lldp: home({ View: LldpView, print: printLldp, repr: lldpRepr, json: { at: 'belowIp', last: true }, reach: { ether: [EtherType.LLDP] }, decode: leaf(Layer.Lldp, -1) }),
  slow: home({ View: SlowView, print: printSlow, repr: slowRepr, json: { at: 'belowIp', last: true }, reach: { ether: [EtherType.SLOW] }, decode: leaf(Layer.Slow, -1) }),
  eapol: home({ View: EapolView, print: printEapol, repr: eapolRepr, json: { at: 'belowIp', last: true }, reach: { ether: [EtherType.EAPOL] }, decode: leaf(Layer.Eapol, -1) }),
  aarp: home({ View: AarpView, print: printAarp, repr: aarpRepr, json: { at: 'belowIp', last: true }, reach: { ether: [EtherType.AARP] }, decode: leaf(Layer.Aarp, -1) }),
  ptp: home({
    View: PtpView, print: printPtp, repr: ptpRepr,
    // over Ethernet (after the MAC header, a tag or an integrity-only SecTAG, before any IP) or over UDP
    json: {
      at: 'app',
      last: true,
      accept: (p, i, ipIdx) => (ipIdx < 0 && i > 0 && ETHER_CARRIERS.includes(p.kinds[i - 1]!)) || PTP_UDP.accept!(p, i, ipIdx),
    },
    reach: { ether: [EtherType.PTP], udp: [Port.PTP_EVENT, Port.PTP_GENERAL] }, decode: leaf(Layer.Ptp, -1),
  }),
  // routing and redundancy
  vrrp: home({ View: VrrpView, print: printVrrp, repr: vrrpRepr, json: { at: 'transport', last: true }, reach: { ip: [IpProto.VRRP] }, decode: leaf(Layer.Vrrp, -1) }),
  hsrp: home({ View: HsrpView, print: printHsrp, repr: hsrpRepr, json: overUdp(), reach: { udp: [Port.HSRP] }, decode: leaf(Layer.Hsrp, -1) }),
  rip: home({ View: RipView, print: printRip, repr: ripRepr, json: overUdp(), reach: { udp: [Port.RIP] }, decode: leaf(Layer.Rip, -1) }),
  // services over UDP (issue 17)
  dhcp6: home({ View: Dhcp6View, print: printDhcp6, repr: dhcp6Repr, json: overUdp(), reach: { udp: [Port.DHCP6_CLIENT, Port.DHCP6_SERVER] }, decode: leaf(Layer.Dhcp6, -1) }),
  syslog: home({ View: SyslogView, print: printSyslog, repr: syslogRepr,
    // a message without its <PRI> prefix is still syslog (tshark's reading): its text is shown, without facility and severity
    json: { ...overUdp(), malformedShown: () => true, json: (v: SyslogView) => (v.pri < 0 ? { msg: syslogRepr(v).msg } : syslogRepr(v)) },
    reach: { udp: [Port.SYSLOG] }, decode: leaf(Layer.Syslog, -1) }),
  tftp: home({ View: TftpView, print: printTftp, repr: tftpRepr, json: overUdp(), reach: { udp: [Port.TFTP] }, decode: leaf(Layer.Tftp, -1) }),
  radius: home({
    View: RadiusView, print: printRadius, repr: radiusRepr, json: overUdp(),
    reach: { udp: [Port.RADIUS, Port.RADIUS_ACCT, Port.RADIUS_OLD, Port.RADIUS_OLD_ACCT, Port.RADIUS_CISCO_COA, Port.RADIUS_COA] },
    decode: leaf(Layer.Radius, -1),
  }),
  snmp: home({ View: SnmpView, print: printSnmp, repr: snmpRepr, json: overUdp(), reach: { udp: [Port.SNMP, Port.SNMP_TRAP] }, decode: leaf(Layer.Snmp, -1) }),
  ssh: home({ View: SshView, print: printSsh, repr: sshRepr, json: appAfterTransport<SshView>(), reach: { tcp: [Port.SSH] }, decode: leafIf(Layer.Ssh, looksSsh) }),
  tls: home({ View: TlsView, print: printTls, repr: tlsRepr, json: appAfterTransport<TlsView>(), reach: { tcp: [Port.HTTPS] }, decode: leafIf(Layer.Tls, looksTls) }),
  quic: home({ View: QuicView, print: printQuic, repr: quicRepr, json: overUdp(), reach: { udp: [Port.HTTPS] }, decode: leafIf(Layer.Quic, looksQuicLong) }),
  // tunnels (issue 17)
  vxlangpe: home({
    View: VxlanGpeView, print: printVxlanGpe, repr: vxlanGpeRepr, json: overUdp(),
    reach: { udp: [Port.VXLAN_GPE] },
    decode(w, v, p, end, declared) {
      if (!w.push(Layer.VxlanGpe, v.reset(w.bytes, p, end - p), declared, 8)) return;
      const next = v.nextProtocol;
      if (next === VxlanGpeNext.ETHERNET) w.next(Layer.Ethernet, p + 8, end, declared - 8, 0);
      else if (next === VxlanGpeNext.NSH) w.next(Layer.Nsh, p + 8, end, declared - 8, 0);
      else if (VXLAN_GPE_ETHERTYPE[next] !== undefined) w.etherType(VXLAN_GPE_ETHERTYPE[next]!, p + 8, end, declared - 8);
    },
  }),
  ike: home({ View: IkeView, print: printIke, repr: ikeRepr, json: overUdp([Port.ISAKMP]), reach: { udp: [Port.ISAKMP] }, decode: leaf(Layer.Ike, -1) }),
  l2tp: home({
    View: L2tpView, print: printL2tp, repr: l2tpRepr,
    // the tunnel rule: a control message ends the stack; a data message's PPP control frame (the
    // session's own LCP, authentication, NCP negotiation) is placed after it, its IP packet is not
    json: { ...overUdp(), last: false, lastIf: (v: L2tpView) => v.isControl },
    reach: { udp: [Port.L2TP] },
    decode(w, v, p, end, declared) {
      if (!w.push(Layer.L2tp, v.reset(w.bytes, p, end - p), declared, v.headerLen)) return;
      // a data message carries a PPP frame; its protocol field is 2 bytes unless compressed (odd first byte)
      const q = l2tpPppOffset(v);
      if (q < 0 || q >= end) return;
      const b = w.bytes;
      const wide = ((b[q] ?? 0) & 1) === 0;
      const proto = wide ? ((b[q] ?? 0) << 8) | (b[q + 1] ?? 0) : (b[q] ?? 0);
      const at = q + (wide ? 2 : 1);
      if (at <= end) pppNext(w, proto, at, end, declared - (at - p));
    },
  }),
  pptp: home({ View: PptpView, print: printPptp, repr: pptpRepr,
    // a segment that does not begin with a control message (no magic cookie) is the rest of one, not a header
    json: appAfterTransport<PptpView>((v) => v.magicCookie === PPTP_MAGIC_COOKIE), reach: { tcp: [Port.PPTP] }, decode: leaf(Layer.Pptp, -1) }),
  // serial and legacy link types (issue 17)
  ppp: home({
    View: PppView, print: printPpp, repr: pppRepr,
    // a Van Jacobson uncompressed TCP/IP header carries a connection id in its protocol field: tcpdump
    // prints it as IP, but it is no IPv4 header the schema (or tshark) shows
    // placed as the frame's link header only: after an Ethernet type 0x880b (see afterMac) tshark
    // decodes no PPP, and the stack ends at eth
    // and OSI's payload continues the JSON stack only with an OSI PDU (see osiPduAt)
    json: { at: 'frame', lastIf: (v) => v.protocol === PppProto.VJNC || (v.protocol === PppProto.OSI && !osiPduAt(v, v.headerLen)) },
    reach: { link: [LinkType.PPP, LinkType.PPP_HDLC] },
    decode(w, v, p, end, declared, arg) {
      const hdlc = arg === LinkType.PPP_HDLC;
      // PPP_HDLC frames addressed 0x0f or 0x8f are Cisco HDLC (RFC 1547 4.3.1), as tcpdump reads them
      const a = p < end ? w.bytes[p] : -1;
      if (hdlc && end - p >= 2 && (a === ChdlcAddress.UNICAST || a === ChdlcAddress.BCAST)) {
        w.next(Layer.Chdlc, p, end, declared, arg);
        return;
      }
      if (!w.push(Layer.Ppp, v.reset(w.bytes, p, end - p, hdlc), declared, v.headerLen) || v.framing === PppFraming.UNKNOWN_ADDR) return;
      pppNext(w, v.protocol, p + v.headerLen, end, declared - v.headerLen);
    },
  }),
  pppctl: home({
    View: PppCtlView, print: printPppCtl, repr: pppCtlRepr,
    // before any IP header, or in an L2TP data message (placed L2TP is the only carrier after IP)
    json: { at: 'app', last: true, accept: (p, i, ipIdx) => ipIdx < 0 || p.kinds[i - 1] === Layer.L2tp },
    decode(w, v, p, end, declared, arg) {
      w.push(Layer.PppCtl, v.reset(w.bytes, p, end - p, arg), declared, end - p);
    },
  }),
  chdlc: home({
    // OSI's payload continues the JSON stack only with an OSI PDU (see osiPduAt)
    View: ChdlcView, print: printChdlc, repr: chdlcRepr, json: { at: 'link', lastIf: (v) => v.protocol === CHDLC_OSI && !osiPduAt(v, 4) && !osiPduAt(v, 5) },
    reach: { link: [LinkType.C_HDLC] },
    decode(w, v, p, end, declared) {
      if (!w.push(Layer.Chdlc, v.reset(w.bytes, p, end - p), declared, 4)) return;
      const t = v.protocol;
      // 0x8035 is SLARP here, not RARP
      if (t === CHDLC_SLARP) w.next(Layer.Slarp, p + 4, end, declared - 4, t);
      else if (t === 0x0800 || t === 0x86dd || t === 0x8847 || t === 0x8848 || CHDLC_UNPRINTED.includes(t)) w.etherType(t, p + 4, end, declared - 4);
      else if (t === CHDLC_OSI && end - p >= 6) {
        // a pad byte usually precedes the NLPID; tcpdump looks for an OSI NLPID after it
        const pad = OSI_PDU_NLPIDS.includes(w.bytes[p + 5] ?? -1) ? 1 : 0;
        w.next(Layer.Isis, p + 4 + pad, end, declared - 4 - pad, 0);
      }
    },
  }),
  slarp: home({ View: SlarpView, print: printSlarp, repr: slarpRepr, json: { at: 'belowIp', last: true }, decode: leaf(Layer.Slarp, -1) }),
  fr: home({
    View: FrelayView, print: printFrelay, repr: frelayRepr, json: { at: 'link' },
    reach: { link: [LinkType.FRELAY] },
    decode(w, v, p, end, declared) {
      const st = v.reset(w.bytes, p, end - p);
      if (!w.push(Layer.Frelay, st, declared, v.headerLen)) return;
      const q = p + v.headerLen;
      const rest = declared - v.headerLen;
      if (v.encap === FrEncap.ETHERTYPE) {
        w.etherType(v.nlpid, q, end, rest);
        return;
      }
      if (nlpidNext(w, v.nlpid, q, end, rest)) return;
      switch (v.nlpid) {
        case Nlpid.LMI: w.next(Layer.Lmi, q, end, rest, 0); break;
        // the OSI PDU starts at the NLPID byte itself
        case Nlpid.CLNP: case Nlpid.ESIS: case Nlpid.ISIS: w.next(Layer.Isis, q - 1, end, rest + 1, 0); break;
        case Nlpid.SNAP:
          // RFC 2427 SNAP: OUI 0 carries an EtherType, other OUIs what they carry under LLC (Apple's AppleTalk,
          // Cisco's CDP, DTP, UDLD, VTP and PVST), as tcpdump's snap_print reads them
          if (end - q >= 5) {
            const oui = ((w.bytes[q] ?? 0) << 16) | ((w.bytes[q + 1] ?? 0) << 8) | (w.bytes[q + 2] ?? 0);
            const t = ((w.bytes[q + 3] ?? 0) << 8) | (w.bytes[q + 4] ?? 0);
            if (oui === 0) w.etherType(t, q + 5, end, rest - 5);
            else w.snap(oui * 65536 + t, q + 5, end, rest - 5);
          }
          break;
        default:
      }
    },
  }),
  q933: home({ View: Q933View, print: printQ933, repr: q933Repr, json: { at: 'belowIp', last: true }, decode: leaf(Layer.Q933, -1) }),
  lmi: home({ View: LmiView, print: printLmi, repr: lmiRepr, json: { at: 'belowIp', last: true }, decode: leaf(Layer.Lmi, -1) }),
  mfr: home({
    View: MfrView, print: printMfr, repr: mfrRepr, json: { at: 'link' },
    reach: { link: [LinkType.MFR] },
    decode(w, v, p, end, declared) {
      const st = v.reset(w.bytes, p, end - p);
      if (!w.push(Layer.Mfr, st, declared, v.control ? 3 : 2)) return;
      // a first (or only) fragment carries a Frame Relay frame from its Q.922 header on
      if (v.firstFragment && declared >= 4) w.next(Layer.Frelay, p + 2, end, declared - 2, LinkType.MFR);
    },
  }),
  slip: home({
    View: SlipView, print: printSlip, repr: slipRepr, json: { at: 'link' },
    reach: { link: [LinkType.SLIP] },
    decode(w, v, p, end, declared) {
      if (w.push(Layer.Slip, v.reset(w.bytes, p, end - p), declared, 16)) w.ipByVersion(p + 16, end);
    },
  }),
  arcnet: home({
    View: ArcnetView, print: printArcnet, repr: arcnetRepr, json: { at: 'link' },
    reach: { link: [LinkType.ARCNET_BSD, LinkType.ARCNET_LINUX] },
    decode(w, v, p, end, declared, arg) {
      if (!w.push(Layer.Arcnet, v.reset(w.bytes, p, end - p, arg === LinkType.ARCNET_LINUX), declared, v.headerLen) || v.laterFragment) return;
      const q = p + v.headerLen;
      const rest = declared - v.headerLen;
      switch (v.type) {
        case ArcType.IP: case ArcType.IP_OLD: w.next(Layer.Ipv4, q, end, rest, 0); break;
        case ArcType.INET6: w.next(Layer.Ipv6, q, end, rest, 0); break;
        case ArcType.ARP: case ArcType.ARP_OLD: case ArcType.REVARP: w.next(Layer.Arp, q, end, rest, 0); break;
        case ArcType.ATALK: w.next(Layer.Ddp, q, end, rest, 0); break;
        default:
      }
    },
  }),
  mtp2: home({
    View: Mtp2View, print: printMtp2, repr: mtp2Repr, json: { at: 'link', last: true },
    reach: { link: [LinkType.MTP2, LinkType.MTP2_WITH_PHDR] },
    decode(w, v, p, end, declared, arg) {
      w.push(Layer.Mtp2, v.reset(w.bytes, p, end - p, arg === LinkType.MTP2_WITH_PHDR), declared, end - p);
    },
  }),
  // routing and label distribution (issue 17)
  bgp: home({ View: BgpView, print: printBgp, repr: (v, p, i) => bgpRepr(v, p.lens[i] ?? v.length), json: appAfterTransport<BgpView>((v) => v.length > 0), reach: { tcp: [Port.BGP] }, decode: leaf(Layer.Bgp, -1) }),
  pim: home({
    View: PimView, print: printPim, repr: pimRepr, json: { at: 'transport', last: true },
    reach: { ip: [IpProto.PIM] },
    decode(w, v, p, end, declared) {
      const st = v.reset(w.bytes, p, end - p);
      // a Register carries the multicast data packet (RFC 7761 4.9.3)
      const inner = st === DecodeStatus.Ok && v.registersIp;
      if (w.push(Layer.Pim, st, declared, inner ? 8 : end - p) && inner) w.ipByVersion(p + 8, end);
    },
  }),
  // Cisco auto-RP: a routing protocol over UDP, ending the stack
  autorp: home({ View: AutoRpView, print: printAutoRp, repr: autoRpRepr, json: overUdp(), reach: { udp: [Port.AUTORP] }, decode: leaf(Layer.AutoRp, -1) }),
  ripng: home({ View: RipngView, print: printRipng, repr: ripngRepr, json: appAfterTransport<RipngView>(), reach: { udp: [Port.RIPNG] }, decode: leaf(Layer.Ripng, -1) }),
  ldp: home({ View: LdpView, print: printLdp, repr: ldpRepr, json: appAfterTransport<LdpView>((v) => v.version === 1), reach: { udp: [Port.LDP], tcp: [Port.LDP] }, decode: leaf(Layer.Ldp, -1) }),
  lspping: home({ View: LspPingView, print: printLspPing, repr: lspPingRepr, json: appAfterTransport<LspPingView>((v) => v.u16(0) === 1), reach: { udp: [Port.LSP_PING] }, decode: leaf(Layer.LspPing, -1) }),
  // Cisco (issue 17)
  cdp: home({ View: CdpView, print: printCdp, repr: cdpRepr, json: { at: 'belowIp', last: true }, reach: { snap: [CISCO_SNAP.CDP] }, decode: leaf(Layer.Cdp, -1) }),
  dtp: home({ View: DtpView, print: printDtp, repr: dtpRepr, json: { at: 'belowIp', last: true }, reach: { snap: [CISCO_SNAP.DTP] }, decode: leaf(Layer.Dtp, -1) }),
  udld: home({ View: UdldView, print: printUdld, repr: udldRepr, json: { at: 'belowIp', last: true }, reach: { snap: [CISCO_SNAP.UDLD] }, decode: leaf(Layer.Udld, -1) }),
  vtp: home({ View: VtpView, print: printVtp, repr: vtpRepr, json: { at: 'belowIp', last: true }, reach: { snap: [CISCO_SNAP.VTP] }, decode: leaf(Layer.Vtp, -1) }),
  erspan: home({
    View: ErspanView, print: printErspan, repr: erspanRepr, json: AFTER_GRE,
    // reached by GRE (arg 1: type I, no header); type III frame types other than 0 are not Ethernet
    decode(w, v, p, end, declared, arg) {
      if (!w.push(Layer.Erspan, v.reset(w.bytes, p, end - p, arg === 1), declared, v.headerLen)) return;
      if (v.version === 2 && v.frameType !== 0) return;
      const h = v.headerLen;
      if (p + h < end) w.next(Layer.Ethernet, p + h, end, declared - h, 0);
    },
  }),
  // routing protocols (issue 17)
  ospf: home({
    View: OspfView, print: printOspf, repr: ospfRepr, json: { at: 'transport', last: true },
    reach: { ip: [IpProto.OSPF] }, decode: leaf(Layer.Ospf, -1),
  }),
  // wireless LAN link types (issue 17)
  wlan: home({
    View: WlanView, print: printWlan, repr: wlanRepr,
    // a reserved type or subtype, or a header running into the FCS, is shown as carried
    json: { at: 'link', last: true, malformedShown: () => true },
    reach: { link: [LinkType.IEEE802_11] },
    decode(w, v, p, end, declared, arg) {
      // a radiotap header passes its Flags (padding, FCS); -H makes QoS data carry a mesh control field
      const st = v.reset(w.bytes, p, end - p, wireDeclared(w, p, declared), arg & WlanArg.FROM_RADIO ? arg : 0, w.wlanMesh);
      if (!w.push(Layer.Wlan, st, Math.max(0, v.frameLen), v.headerLen) || !v.carriesLlc) return;
      w.next(Layer.Llc, v.bodyOffset, v.end, v.bodyLen, 0);
    },
  }),
  radiotap: home({
    View: RadiotapView, print: printRadiotap, repr: radiotapRepr, json: { at: 'link' },
    reach: { link: [LinkType.IEEE802_11_RADIOTAP] },
    decode(w, v, p, end, declared) {
      const d = wireDeclared(w, p, declared);
      if (w.push(Layer.Radiotap, v.reset(w.bytes, p, end - p), d, v.headerLen)) w.next(Layer.Wlan, p + v.headerLen, end, d - v.headerLen, v.wlanArg);
    },
  }),
  ppi: home({
    View: PpiView, print: printPpi, repr: ppiRepr, json: { at: 'link' },
    reach: { link: [LinkType.PPI] },
    decode(w, v, p, end, declared) {
      const d = wireDeclared(w, p, declared);
      if (!w.push(Layer.Ppi, v.reset(w.bytes, p, end - p), d, v.headerLen)) return;
      // the inner packet's DLT is looked up like the file's link type (the table is built by then)
      const dlt = v.dlt;
      const k = dlt < 65536 ? (REACH.link[dlt] ?? 0) : 0;
      if (k !== 0) w.next(k, p + v.headerLen, end, d - v.headerLen, dlt);
    },
  }),
  ipx: home({ View: IpxView, print: printIpx, repr: ipxRepr, json: BELOW_IP_LAST, reach: { ether: [EtherType.IPX], sap: [0xe0], ppp: [PppProto.IPX] }, decode: leaf(Layer.Ipx, -1) }),
  cfm: home({ View: CfmView, print: printCfm, repr: cfmRepr, json: BELOW_IP_LAST, reach: { ether: [0x8902] }, decode: leaf(Layer.Cfm, -1) }),
  ctp: home({ View: CtpView, print: printCtp, repr: ctpRepr, json: BELOW_IP_LAST, reach: { ether: [EtherType.LOOPBACK] }, decode: leaf(Layer.Ctp, -1) }),
  // the Network Service Header (RFC 8300), also reached from VXLAN-GPE's next protocol 4
  nsh: home({
    // a header before an inner frame, like a tunnel's: the JSON stack ends at it (after VXLAN-GPE it is not placed)
    View: NshView, print: printNsh, repr: nshRepr, json: BELOW_IP_LAST, reach: { ether: [EtherType.NSH] },
    decode(w, v, p, end, declared) {
      const hl = v.reset(w.bytes, p, end - p) === DecodeStatus.Ok ? v.headerLen : 0;
      if (!w.push(Layer.Nsh, v.status, declared, hl)) return;
      const next = v.nextProtocol;
      if (next === NshNext.ETHERNET) w.next(Layer.Ethernet, p + hl, end, declared - hl, 0);
      else if (next === NshNext.IPV4 || next === NshNext.IPV6) w.etherType(next === NshNext.IPV4 ? EtherType.IPv4 : EtherType.IPv6, p + hl, end, declared - hl);
    },
  }),
  // the OSI network layer (issue 17): reached by LLC, PPP, Cisco HDLC and Frame Relay at the NLPID byte
  isis: home({
    View: IsisView, print: printIsis, repr: isisRepr, json: { at: 'belowIp', last: true },
    reach: { sap: [LlcSap.OSI], ppp: [PppProto.OSI] },
    decode(w, v, p, end, declared, arg) {
      const id = p < end ? (w.bytes[p] ?? -1) : -1;
      if (id === OsiNlpid.ISIS) w.push(Layer.Isis, v.reset(w.bytes, p, end - p), declared, end - p);
      else if (id === OsiNlpid.ESIS) w.next(Layer.Esis, p, end, declared, arg);
      else if (id === OsiNlpid.CLNP) w.next(Layer.Clnp, p, end, declared, arg);
      // tcpdump's isoclns_print hands IPv4, IPv6, PPP and Q.933 on (the carrier's printer writes the rest)
      else if (id >= 0) nlpidNext(w, id, p + 1, end, declared - 1);
    },
  }),
  esis: home({ View: EsisView, print: printEsis, repr: esisRepr, json: { at: 'belowIp', last: true }, decode: leaf(Layer.Esis, -1) }),
  clnp: home({ View: ClnpView, print: printClnp, repr: clnpRepr, json: { at: 'belowIp', last: true }, decode: leaf(Layer.Clnp, -1) }),
  // DECnet, AppleTalk, AoE, MACsec (issue 17)
  decnet: home({ View: DecnetView, print: printDecnet, repr: decnetRepr, json: BELOW_IP_LAST, reach: { ether: [0x6003] }, decode: leaf(Layer.Decnet, -1) }),
  ddp: home({
    View: DdpView, print: printDdp, repr: ddpRepr, json: { at: 'belowIp', lastIf: (v) => v.type !== DdpType.EIGRP }, reach: { ether: [0x809b], snap: [APPLETALK_SNAP] },
    decode(w, v, p, end, declared) {
      const st = v.reset(w.bytes, p, end - p);
      // EIGRP in a datagram of type 88 is a layer of its own (the DDP printer prints it)
      const eigrp = st === DecodeStatus.Ok && v.type === DdpType.EIGRP;
      if (w.push(Layer.Ddp, st, declared, eigrp ? DdpOffsets.headerLen : end - p) && eigrp) w.next(Layer.Eigrp, p + DdpOffsets.headerLen, end, declared - DdpOffsets.headerLen, 0);
    },
  }),
  eigrp: home({
    // placed in JSON right after its IP header, or its DDP header
    View: EigrpView, print: printEigrp, reach: { ip: [IpProto.EIGRP] },
    json: { at: 'app', last: true, accept: (p, i, ipIdx) => ipIdx === i - 1 || p.kinds[i - 1] === Layer.Ddp || p.kinds[i - 1] === Layer.Llap },
    repr: (v, p, i) => eigrpRepr(v, p.lens[i]),
    decode: leaf(Layer.Eigrp, -1),
  }),
  // LocalTalk: an extended DDP header follows type 2; the LLAP printer prints it (and a short one) itself
  llap: home({
    // the frame's link header: an extended DDP header follows as `ddp`, a short one is this layer's
    // own (and EIGRP in it a layer after it, as after `ddp`)
    View: LlapView, print: printLlap, repr: llapRepr, json: { at: 'frame' },
    reach: { link: [LinkType.LTALK] },
    decode(w, v, p, end, declared) {
      const st = v.reset(w.bytes, p, end - p);
      const ext = st === DecodeStatus.Ok && v.type === LlapType.DDP;
      const shortEigrp = st === DecodeStatus.Ok && v.shortDdpType === DdpType.EIGRP;
      const header = LlapOffsets.headerLen + (shortEigrp ? LlapOffsets.sddpHeaderLen : 0);
      if (w.push(Layer.Llap, st, declared, ext || shortEigrp ? header : end - p)) {
        if (ext) w.next(Layer.Ddp, p + header, end, declared - header, 0);
        else if (shortEigrp) w.next(Layer.Eigrp, p + header, end, declared - header, 0);
      }
    },
  }),
  // directly after the outermost IPv6 header (its extension headers are part of that layer), ending the stack
  mobility: home({ View: MobilityView, print: printMobility, repr: mobilityRepr, json: { at: 'transport', last: true }, decode: leaf(Layer.Mobility, -1) }),
  aoe: home({ View: AoeView, print: printAoe, repr: aoeRepr, json: BELOW_IP_LAST, reach: { ether: [0x88a2] }, decode: leaf(Layer.Aoe, -1) }),
  tipc: home({ View: TipcView, print: printTipc, repr: tipcRepr, json: BELOW_IP_LAST, reach: { ether: [EtherType.TIPC] }, decode: leaf(Layer.Tipc, -1) }),
  // reached from the Ethernet header only (see eth)
  macsec: home({
    // an integrity-only SecTAG's protected frame is cleartext: what its EtherType carries is placed as
    // after a VLAN tag (tshark decodes it so too); an encrypted frame, and an 802.3 length (tshark hands
    // the secure data to its EtherType table only, where no LLC is), end the stack at the SecTAG. A
    // reserved short-length bit leaves the SecTAG shown (tshark reads it), the version bit does not
    // (tshark reads no MACsec then)
    View: MacsecView, print: printMacsec, repr: macsecRepr,
    json: { at: 'belowIp', lastIf: (v) => v.protectedType < ETHERTYPE_MIN, malformedShown: (v) => (v.tciAn & MacsecTci.V) === 0 },
    decode(w, v, p, end, declared) {
      if (!w.push(Layer.Macsec, v.reset(w.bytes, p, end - p, declared), declared, v.headerLen) || v.confidential) return;
      const cap = v.dataCap;
      const q = p + v.headerLen;
      // the protected frame ends before the ICV (in the capture too) and at the short length
      const stop = end - MacsecOffsets.icvLen;
      if (cap < 2 || stop - q < 2) return;
      afterMac(w, u16(w.bytes, q), q + 2, stop, v.dataDeclared - 2);
    },
  }),
} satisfies { readonly [K in LayerName]: Home<ByteView> };

/** The network layers an NLPID names besides OSI's own (IPv4, IPv6, PPP, Q.933), at `q` after it; false for others. */
function nlpidNext(w: Walk, id: number, q: number, end: number, rest: number): boolean {
  switch (id) {
    case Nlpid.IP: w.next(Layer.Ipv4, q, end, rest, 0); return true;
    case Nlpid.IP6: w.next(Layer.Ipv6, q, end, rest, 0); return true;
    case Nlpid.PPP: w.next(Layer.Ppp, q, end, rest, LinkType.PPP); return true;
    case Nlpid.Q933: w.next(Layer.Q933, q, end, rest, 0); return true;
    default: return false;
  }
}

/** What follows a PPP protocol field: IP, IPv6, MPLS, a control protocol's packet, or what a home's `reach.ppp` names. */
function pppNext(w: Walk, proto: number, p: number, end: number, declared: number): void {
  const t = pppNextEtherType(proto);
  if (t !== 0) w.etherType(t, p, end, declared);
  else if (PPP_CONTROL_PROTOS.includes(proto)) w.next(Layer.PppCtl, p, end, declared, proto);
  else w.ppp(proto, p, end, declared);
}

/** The view class of layer kind L. */
export type ViewOf<L extends Layer> = NameOf<L> extends LayerName ? InstanceType<(typeof HOMES)[NameOf<L>]['View']> : never;

/** Homes indexed by layer kind (None has none). */
export const HOME_BY_KIND: ReadonlyArray<Home<ByteView> | undefined> = LAYER_TABLE.map((r) =>
  r.name === '' ? undefined : (HOMES[r.name] as Home<ByteView>),
);


/** Link types whose header is no layer of its own: the walk starts at what they carry. */
export const HEADERLESS_LINKS: ReadonlyMap<number, (w: Walk, p: number, end: number) => void> = new Map([
  [LinkType.RAW, (w: Walk, p: number, end: number) => {
    // raw IP: the version nibble picks (anything but 6 is read as IPv4, so a bad header shows)
    w.next(p < end && (w.bytes[p] ?? 0) >> 4 === 6 ? Layer.Ipv6 : Layer.Ipv4, p, end, end - p, LinkType.RAW);
  }],
  [LinkType.NFLOG, (w: Walk, p: number, end: number) => {
    // the NFLOG header and TLVs are not a layer: the walk starts at the logged packet
    const pl = nflogPayloadOffset(w.bytes, p, end - p);
    const fam = p < end ? w.bytes[p] : 0;
    if (pl >= 0 && fam === 2) w.next(Layer.Ipv4, pl, end, end - pl, LinkType.NFLOG);
    else if (pl >= 0 && fam === 10) w.next(Layer.Ipv6, pl, end, end - pl, LinkType.NFLOG);
  }],
]);

/** A dense table from one kind of number to the layer kind it announces; the lower kind wins a tie. */
function reachTable(size: number, pick: (r: Reach) => readonly number[] | undefined): Uint8Array {
  const a = new Uint8Array(size);
  LAYER_TABLE.forEach((row, kind) => {
    const r = row.name === '' ? undefined : HOMES[row.name].reach;
    for (const n of (r && pick(r)) ?? []) if (a[n] === 0) a[n] = kind;
  });
  return a;
}

/**
 * The parser's dispatch tables, built once from every home's `reach`: link type, EtherType, IP
 * protocol, UDP and TCP port, LLC SAP and PPP protocol to layer kind (0: none), SNAP codes in a map.
 */
export const REACH = {
  link: reachTable(65536, (r) => r.link),
  ether: reachTable(65536, (r) => r.ether),
  ip: reachTable(256, (r) => r.ip),
  udp: reachTable(65536, (r) => r.udp),
  tcp: reachTable(65536, (r) => r.tcp),
  sap: reachTable(256, (r) => r.sap),
  ppp: reachTable(65536, (r) => r.ppp),
  snap: new Map<number, number>(
    LAYER_TABLE.flatMap((row, kind) => (row.name === '' ? [] : (HOMES[row.name].reach?.snap ?? []).map((c): [number, number] => [c, kind]))).reverse(),
  ),
} as const;

/** Layer kind a UDP port announces (0: none); when both ports announce one, the lower kind wins. */
export const UDP_PORT_LAYER: Uint8Array = REACH.udp;
