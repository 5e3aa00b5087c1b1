/**
 * tscap/decode: zero-copy protocol views, the layer parser and address text helpers.
 * @example
 * import { LayerParser, LAYER_NAMES } from 'tscap/decode';
 * const p = new LayerParser();
 * p.decode(frame, 0, frame.length, 1);
 * for (let i = 0; i < p.count; i++) console.log(LAYER_NAMES[p.kinds[i]!]);
 */
export { DecodeStatus, ByteView, EMPTY_BYTES, u8, u16, u32, u32le } from './status.js';
export { macText, ipv4Text, ipv6Text, hex2 } from './addr.js';
export { ETHERTYPE_NAMES, IP_PROTO_NAMES, etherTypeText } from './ethertype.js';
export { EthernetView, EthernetOffsets, EtherType, ETHERTYPE_MIN, ethernetRepr, type EthernetRepr } from './ethernet.js';
export { VlanView, VlanOffsets, vlanRepr, type VlanRepr } from './vlan.js';
export { MplsView, MplsOffsets, mplsRepr, type MplsRepr } from './mpls.js';
export { SllView, SllOffsets, Sll2Offsets, sllRepr, type SllRepr } from './sll.js';
export { LoopbackView, LoopbackOffsets, LoopbackFamily, loopbackRepr, type LoopbackRepr } from './loopback.js';
export { PppoeView, PppoeOffsets, PppProtocol, pppoeRepr, type PppoeRepr } from './pppoe.js';
export { LlcView, LlcOffsets, llcRepr, type LlcRepr } from './llc.js';
export { ArpView, ArpOffsets, arpRepr, type ArpRepr } from './arp.js';
export { Ipv4View, Ipv4Offsets, ipv4Repr, onesSum, type Ipv4Repr } from './ipv4.js';
export { Ipv6View, Ipv6Offsets, Ipv6Ext, IPV6_EXT_KEEP, isIpv6Ext, ipv6Repr, type Ipv6Repr } from './ipv6.js';
export { AhView, EspView, AhOffsets, EspOffsets, ipsecRepr, type IpsecRepr } from './ipsec.js';
export { TcpView, TcpOffsets, TcpFlag, TcpOption, tcpFlagNames, tcpRepr, type TcpRepr } from './tcp.js';
export { UdpView, UdpOffsets, udpRepr, type UdpRepr } from './udp.js';
export { IcmpView, IcmpOffsets, IcmpType, icmpRepr, type IcmpRepr } from './icmp.js';
export { Icmpv6View, Icmpv6Offsets, Icmpv6Type, icmpv6Repr, type Icmpv6Repr } from './icmpv6.js';
export { IgmpView, IgmpOffsets, igmpRepr, type IgmpRepr } from './igmp.js';
export { SctpView, SctpOffsets, SCTP_CHUNK_NAMES, sctpRepr, type SctpRepr } from './sctp.js';
export { GreView, GreOffsets, GreFlag, greRepr, type GreRepr } from './gre.js';
export { VxlanView, GeneveView, VxlanOffsets, GeneveOffsets, vxlanRepr, geneveRepr, type TunnelRepr } from './vxlan.js';
export {
  DnsView, DnsOffsets, DnsType, DNS_MAX_POINTER_HOPS, DNS_MAX_NAME_OCTETS, dnsNameText, dnsSkipName, dnsRdataText, dnsRepr,
  type DnsRepr, type DnsQuestion, type DnsAnswer,
} from './dns.js';
export { DhcpView, DhcpOffsets, DhcpOpt, DHCP_MAGIC, dhcpRepr, type DhcpRepr, type DhcpOptionRepr } from './dhcp.js';
export { NtpView, NtpOffsets, NtpControlOffsets, NtpPrivateOffsets, NtpMode, NTP_MODE_NAMES, ntpRepr, type NtpRepr } from './ntp.js';
export { Dhcp6View, Dhcp6Offsets, Dhcp6Msg, Dhcp6Opt, dhcp6Repr, type Dhcp6Repr, type Dhcp6OptionRepr } from './dhcp6.js';
export { SyslogView, SyslogOffsets, syslogRepr, type SyslogRepr } from './syslog.js';
export { TftpView, TftpOffsets, TftpOp, tftpRepr, type TftpRepr } from './tftp.js';
export { SnmpView, SnmpOffsets, SnmpTag, SnmpPdu, snmpRepr, type SnmpRepr, type SnmpVarbindRepr } from './snmp.js';
export { SshView, SshOffsets, sshRepr, type SshRepr } from './ssh.js';
export { TlsView, TlsOffsets, TlsContentType, TlsExtension, tlsRepr, type TlsRepr } from './tls.js';
export { QuicView, QuicOffsets, QuicVersion, quicRepr, type QuicRepr } from './quic.js';
export { VxlanGpeView, VxlanGpeOffsets, VxlanGpeNext, vxlanGpeRepr, type VxlanGpeRepr } from './vxlangpe.js';
export { NshView, NshOffsets, NshNext, nshRepr, type NshRepr, type NshTlvRepr } from './nsh.js';
export { IkeView, IkeOffsets, ikeRepr, type IkeRepr } from './ike.js';
export { L2tpView, L2tpOffsets, L2tpFlag, l2tpRepr, type L2tpRepr } from './l2tp.js';
export { PptpView, PptpOffsets, pptpRepr, type PptpRepr } from './pptp.js';
export { BgpView, BgpOffsets, BgpType, bgpRepr, type BgpRepr, type BgpMessageRepr } from './bgp.js';
export { PimView, PimOffsets, PimType, pimRepr, type PimRepr, Pimv1Type, pimv1Repr, type Pimv1Repr, type Pimv1Group, AutoRpView, AutoRpOffsets, autoRpRepr, type AutoRpRepr, type AutoRpRp, type AutoRpGroup } from './pim.js';
export { RipngView, RipngOffsets, ripngRepr, type RipngRepr, type RipngEntryRepr } from './ripng.js';
export { LdpView, LdpOffsets, ldpRepr, type LdpRepr, type LdpMessageRepr } from './ldp.js';
export { LspPingView, LspPingOffsets, lspPingRepr, type LspPingRepr } from './lspping.js';
export { RadiusView, RadiusOffsets, radiusRepr, type RadiusRepr, type RadiusAttrRepr } from './radius.js';
export { StpView, StpOffsets, StpType, stpRepr, type StpRepr } from './stp.js';
export { LldpView, LldpOffsets, LldpTlv, lldpRepr, type LldpRepr, type LldpTlvRepr } from './lldp.js';
export { SlowView, SlowOffsets, SlowSubtype, slowRepr, type SlowRepr, type LacpPartyRepr } from './slow.js';
export { VrrpView, VrrpOffsets, vrrpRepr, type VrrpRepr } from './vrrp.js';
export { EapolView, EapolOffsets, EapolType, eapolRepr, type EapolRepr } from './eapol.js';
export { AarpView, AarpOffsets, aarpRepr, type AarpRepr } from './aarp.js';
export { HsrpView, HsrpOffsets, hsrpRepr, type HsrpRepr } from './hsrp.js';
export { RipView, RipOffsets, ripRepr, type RipRepr, type RipEntryRepr } from './rip.js';
export { PtpView, PtpOffsets, PtpType, ptpRepr, type PtpRepr } from './ptp.js';
export { CdpView, CdpOffsets, CdpTlv, cdpRepr, type CdpRepr, type CdpAddress } from './cdp.js';
export { DtpView, DtpTlv, dtpRepr, type DtpRepr } from './dtp.js';
export { UdldView, UdldOffsets, UdldTlv, udldRepr, type UdldRepr } from './udld.js';
export { VtpView, VtpOffsets, VtpCode, vtpRepr, type VtpRepr, type VtpVlanRepr } from './vtp.js';
export { ErspanView, ErspanOffsets, ErspanProto, erspanRepr, type ErspanRepr } from './erspan.js';
export { OspfView, OspfOffsets, OspfType, ospfRepr, type OspfRepr, type OspfLsaHeaderRepr } from './ospf.js';
export { AoeView, AoeOffsets, AoeCommand, aoeRepr, type AoeRepr } from './aoe.js';
export { MacsecView, MacsecOffsets, MacsecTci, macsecRepr, type MacsecRepr } from './macsec.js';
export { TipcView, TipcOffsets, TipcUser, tipcAddr, tipcRepr, type TipcRepr } from './tipc.js';
export { DdpView, DdpOffsets, DdpType, atAddr, ddpRepr, type DdpRepr, type NbpTupleRepr, LlapView, LlapOffsets, LlapType, llapRepr, type LlapRepr } from './ddp.js';
export { DecnetView, DecnetOffsets, NspOffsets, DecnetFlags, DecnetControl, dnAddr, decnetRepr, type DecnetRepr, type NspRepr } from './decnet.js';
export { LayerParser, Layer, LAYER_NAMES, MAX_LAYERS, DecodeLinkType, type LayerViews } from './parser.js';
export { LAYER_TABLE, Port, HTTP_PORTS, TEXT_PORTS, type LayerName } from './layers.js';
export { HOMES, REACH, UDP_PORT_LAYER, HEADERLESS_LINKS, type Home, type JsonPlace, type ViewOf } from './registry.js';
export type { Walk, Reach, DecodeFn } from './walk.js';
export {
  DEFAULT_PRINT_OPTIONS, FORCE_TYPES, type PrintOptions, type Printer, type PrintFn, type ForceType, type NameLookup, type EspDecryptor, type EspPlaintext,
} from './print.js';
