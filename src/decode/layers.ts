/**
 * The protocol table: one row per layer kind, in the order of the `Layer` numbers. The layer enum,
 * the short names, the view pool sizes, tcpdump's truncation markers and the well-known ports are all
 * derived from it; `registry.ts` binds each row's name to its home (view class, printer, Repr) and the
 * compiler rejects a row without one. This module is a leaf (no imports) so every protocol home may
 * read `Layer` without an import cycle.
 */

/**
 * One row per layer kind. `key` names the `Layer` member, `name` is the short name (stack entries,
 * JSON keys), `pool` the number of views preallocated per parser, `trunc` tcpdump's ` [|x]` marker
 * name, `ipProto` the IP protocol number reaching it (for the upper-layer fallback text), `net` true for
 * what may follow a link header or tag, `ports` true for upper layers that print the addresses with
 * their ports, `ip6Only` true for an upper layer only IPv6 reaches (its home decides).
 */
export const LAYER_TABLE = [
  { key: 'None', name: '', pool: 0, trunc: '', ipProto: -1, net: false, ports: false },
  { key: 'Ethernet', name: 'eth', pool: 4, trunc: 'ether', ipProto: -1, net: true, ports: false },
  { key: 'Sll', name: 'sll', pool: 1, trunc: 'linux_sll', ipProto: -1, net: false, ports: false },
  { key: 'Loopback', name: 'loopback', pool: 1, trunc: 'null', ipProto: -1, net: false, ports: false },
  { key: 'Vlan', name: 'vlan', pool: 8, trunc: 'vlan', ipProto: -1, net: true, ports: false },
  { key: 'Mpls', name: 'mpls', pool: 8, trunc: 'mpls', ipProto: -1, net: true, ports: false },
  { key: 'Pppoe', name: 'pppoe', pool: 2, trunc: 'pppoe', ipProto: -1, net: true, ports: false },
  { key: 'Llc', name: 'llc', pool: 4, trunc: 'llc', ipProto: -1, net: false, ports: false },
  { key: 'Arp', name: 'arp', pool: 4, trunc: 'arp', ipProto: -1, net: true, ports: false },
  { key: 'Ipv4', name: 'ipv4', pool: 4, trunc: 'ip', ipProto: 4, net: true, ports: false },
  { key: 'Ipv6', name: 'ipv6', pool: 4, trunc: 'ip6', ipProto: 41, net: true, ports: false },
  { key: 'Tcp', name: 'tcp', pool: 2, trunc: 'tcp', ipProto: 6, net: false, ports: true },
  { key: 'Udp', name: 'udp', pool: 4, trunc: 'udp', ipProto: 17, net: false, ports: true },
  { key: 'Icmp', name: 'icmp', pool: 2, trunc: 'icmp', ipProto: 1, net: false, ports: false },
  { key: 'Icmpv6', name: 'icmpv6', pool: 2, trunc: 'icmp6', ipProto: 58, net: false, ports: false },
  { key: 'Igmp', name: 'igmp', pool: 2, trunc: 'igmp', ipProto: 2, net: false, ports: false },
  { key: 'Sctp', name: 'sctp', pool: 2, trunc: 'sctp', ipProto: 132, net: false, ports: true },
  { key: 'Gre', name: 'gre', pool: 4, trunc: 'gre', ipProto: 47, net: false, ports: false },
  { key: 'Vxlan', name: 'vxlan', pool: 2, trunc: 'vxlan', ipProto: -1, net: false, ports: false },
  { key: 'Geneve', name: 'geneve', pool: 2, trunc: 'geneve', ipProto: -1, net: false, ports: false },
  { key: 'Dns', name: 'dns', pool: 2, trunc: 'domain', ipProto: -1, net: false, ports: false },
  { key: 'Dhcp', name: 'dhcp', pool: 2, trunc: 'bootp', ipProto: -1, net: false, ports: false },
  { key: 'Ntp', name: 'ntp', pool: 2, trunc: 'ntp', ipProto: -1, net: false, ports: false },
  { key: 'Ah', name: 'ah', pool: 2, trunc: 'ah', ipProto: 51, net: false, ports: false },
  { key: 'Esp', name: 'esp', pool: 2, trunc: 'esp', ipProto: 50, net: false, ports: false },
  // LAN control (IEEE 802.1/802.3, vendor L2)
  { key: 'Stp', name: 'stp', pool: 1, trunc: 'stp', ipProto: -1, net: false, ports: false },
  { key: 'Lldp', name: 'lldp', pool: 1, trunc: 'lldp', ipProto: -1, net: true, ports: false },
  { key: 'Slow', name: 'slow', pool: 1, trunc: 'slow', ipProto: -1, net: true, ports: false },
  { key: 'Eapol', name: 'eapol', pool: 1, trunc: 'eap', ipProto: -1, net: true, ports: false },
  { key: 'Aarp', name: 'aarp', pool: 1, trunc: 'aarp', ipProto: -1, net: true, ports: false },
  { key: 'Ptp', name: 'ptp', pool: 1, trunc: 'ptp', ipProto: -1, net: true, ports: false },
  // routing and redundancy
  { key: 'Vrrp', name: 'vrrp', pool: 1, trunc: 'vrrp', ipProto: 112, net: false, ports: false },
  { key: 'Hsrp', name: 'hsrp', pool: 1, trunc: 'hsrp', ipProto: -1, net: false, ports: false },
  { key: 'Rip', name: 'rip', pool: 1, trunc: 'rip', ipProto: -1, net: false, ports: false },
  // services over UDP (issue 17)
  { key: 'Dhcp6', name: 'dhcp6', pool: 2, trunc: 'dhcp6', ipProto: -1, net: false, ports: false },
  { key: 'Syslog', name: 'syslog', pool: 1, trunc: 'syslog', ipProto: -1, net: false, ports: false },
  { key: 'Tftp', name: 'tftp', pool: 1, trunc: 'tftp', ipProto: -1, net: false, ports: false },
  { key: 'Radius', name: 'radius', pool: 1, trunc: 'radius', ipProto: -1, net: false, ports: false },
  { key: 'Snmp', name: 'snmp', pool: 1, trunc: 'snmp', ipProto: -1, net: false, ports: false },
  { key: 'Ssh', name: 'ssh', pool: 1, trunc: 'ssh', ipProto: -1, net: false, ports: false },
  { key: 'Tls', name: 'tls', pool: 1, trunc: 'tls', ipProto: -1, net: false, ports: false },
  { key: 'Quic', name: 'quic', pool: 1, trunc: 'quic', ipProto: -1, net: false, ports: false },
  // tunnels (issue 17)
  { key: 'VxlanGpe', name: 'vxlangpe', pool: 2, trunc: 'vxlan_gpe', ipProto: -1, net: false, ports: false },
  { key: 'Ike', name: 'ike', pool: 2, trunc: 'isakmp', ipProto: -1, net: false, ports: false },
  { key: 'L2tp', name: 'l2tp', pool: 2, trunc: 'l2tp', ipProto: -1, net: false, ports: false },
  { key: 'Pptp', name: 'pptp', pool: 1, trunc: 'pptp', ipProto: -1, net: false, ports: false },
  // serial and legacy link types (issue 17)
  { key: 'Ppp', name: 'ppp', pool: 2, trunc: 'ppp', ipProto: -1, net: true, ports: false },
  { key: 'PppCtl', name: 'pppctl', pool: 1, trunc: 'ppp', ipProto: -1, net: true, ports: false },
  { key: 'Chdlc', name: 'chdlc', pool: 1, trunc: 'chdlc', ipProto: -1, net: false, ports: false },
  { key: 'Slarp', name: 'slarp', pool: 1, trunc: 'chdlc_slarp', ipProto: -1, net: true, ports: false },
  { key: 'Frelay', name: 'fr', pool: 1, trunc: 'fr', ipProto: -1, net: false, ports: false },
  { key: 'Q933', name: 'q933', pool: 1, trunc: 'q.933', ipProto: -1, net: true, ports: false },
  { key: 'Slip', name: 'slip', pool: 1, trunc: 'slip', ipProto: -1, net: false, ports: false },
  { key: 'Arcnet', name: 'arcnet', pool: 1, trunc: 'arcnet', ipProto: -1, net: false, ports: false },
  { key: 'Mtp2', name: 'mtp2', pool: 1, trunc: 'mtp2', ipProto: -1, net: false, ports: false },
  // routing and label distribution (issue 17)
  { key: 'Bgp', name: 'bgp', pool: 1, trunc: 'bgp', ipProto: -1, net: false, ports: false },
  { key: 'Pim', name: 'pim', pool: 2, trunc: 'pim', ipProto: 103, net: false, ports: false },
  { key: 'Ripng', name: 'ripng', pool: 1, trunc: 'ripng', ipProto: -1, net: false, ports: false },
  { key: 'Ldp', name: 'ldp', pool: 1, trunc: 'ldp', ipProto: -1, net: false, ports: false },
  { key: 'LspPing', name: 'lspping', pool: 1, trunc: 'lspping', ipProto: -1, net: false, ports: false },
  // Cisco (issue 17)
  { key: 'Cdp', name: 'cdp', pool: 1, trunc: 'cdp', ipProto: -1, net: false, ports: false },
  { key: 'Erspan', name: 'erspan', pool: 2, trunc: 'erspan', ipProto: -1, net: false, ports: false },
  { key: 'Dtp', name: 'dtp', pool: 1, trunc: 'dtp', ipProto: -1, net: false, ports: false },
  { key: 'Udld', name: 'udld', pool: 1, trunc: 'udld', ipProto: -1, net: false, ports: false },
  { key: 'Vtp', name: 'vtp', pool: 1, trunc: 'vtp', ipProto: -1, net: false, ports: false },
  // routing protocols (issue 17); over IPv6 the OSPF printer writes its own [|ospf3]
  { key: 'Ospf', name: 'ospf', pool: 1, trunc: 'ospf2', ipProto: 89, net: false, ports: false },
  // wireless LAN link types (issue 17)
  { key: 'Wlan', name: 'wlan', pool: 1, trunc: '802.11', ipProto: -1, net: false, ports: false },
  { key: 'Radiotap', name: 'radiotap', pool: 1, trunc: '802.11_radio', ipProto: -1, net: false, ports: false },
  { key: 'Ppi', name: 'ppi', pool: 1, trunc: 'ppi', ipProto: -1, net: false, ports: false },
  // legacy LAN protocols (issue 17)
  { key: 'Ipx', name: 'ipx', pool: 1, trunc: 'ipx', ipProto: -1, net: true, ports: false },
  { key: 'Cfm', name: 'cfm', pool: 1, trunc: 'cfm', ipProto: -1, net: true, ports: false },
  { key: 'Ctp', name: 'ctp', pool: 1, trunc: 'loopback', ipProto: -1, net: true, ports: false },
  // the OSI network layer: IS-IS, ES-IS, CLNP (issue 17)
  { key: 'Isis', name: 'isis', pool: 1, trunc: 'isis', ipProto: -1, net: true, ports: false },
  { key: 'Esis', name: 'esis', pool: 1, trunc: 'esis', ipProto: -1, net: true, ports: false },
  { key: 'Clnp', name: 'clnp', pool: 1, trunc: 'clnp', ipProto: -1, net: true, ports: false },
  // DECnet, AppleTalk DDP, AoE (issue 17)
  { key: 'Decnet', name: 'decnet', pool: 1, trunc: 'decnet', ipProto: -1, net: true, ports: false },
  { key: 'Ddp', name: 'ddp', pool: 1, trunc: 'atalk', ipProto: -1, net: true, ports: false },
  { key: 'Aoe', name: 'aoe', pool: 1, trunc: 'aoe', ipProto: -1, net: true, ports: false },
  // the Network Service Header after Ethernet or VXLAN-GPE (issue 17)
  { key: 'Nsh', name: 'nsh', pool: 2, trunc: 'nsh', ipProto: -1, net: true, ports: false },
  // LocalTalk (issue 17)
  { key: 'Llap', name: 'llap', pool: 1, trunc: 'llap', ipProto: -1, net: false, ports: false },
  // Cisco auto-RP over UDP (issue 17)
  { key: 'AutoRp', name: 'autorp', pool: 1, trunc: 'cisco_autorp', ipProto: -1, net: false, ports: false },
  // the IPv6 Mobility Header: reached from IPv6 only (IPv4 protocol 135 stays unknown, as in tcpdump)
  { key: 'Mobility', name: 'mobility', pool: 1, trunc: 'mobility', ipProto: -1, net: false, ports: false, ip6Only: true },
  // MACsec's SecTAG, right after the MAC addresses (issue 17)
  { key: 'Macsec', name: 'macsec', pool: 1, trunc: 'macsec', ipProto: -1, net: true, ports: false },
  { key: 'Tipc', name: 'tipc', pool: 1, trunc: 'tipc', ipProto: -1, net: true, ports: false },
  // Frame Relay link management and multilink (issue 17)
  { key: 'Lmi', name: 'lmi', pool: 1, trunc: 'lmi', ipProto: -1, net: true, ports: false },
  { key: 'Mfr', name: 'mfr', pool: 1, trunc: 'mfr', ipProto: -1, net: false, ports: false },
  { key: 'Eigrp', name: 'eigrp', pool: 1, trunc: 'eigrp', ipProto: 88, net: false, ports: false },
] as const;

type Table = typeof LAYER_TABLE;
type Index = Exclude<keyof Table, keyof readonly unknown[]>;
type IndexNum<I> = I extends `${infer N extends number}` ? N : never;

/** `Layer.Tcp` → 11 and so on: the table's row numbers by key. */
export type LayerEnum = { readonly [I in Index as Table[I]['key']]: IndexNum<I> };

/** Layer kinds recorded by the parser (row numbers of LAYER_TABLE). */
export const Layer = Object.freeze(Object.fromEntries(LAYER_TABLE.map((r, i) => [r.key, i]))) as LayerEnum;

/** One of the `Layer` values. */
export type Layer = LayerEnum[keyof LayerEnum];

/** The short name of a layer kind other than None (`'eth'`, `'tcp'`, ...). */
export type LayerName = Exclude<Table[number]['name'], ''>;

/** The short name of layer kind `L`. */
export type NameOf<L extends Layer> = Table[L]['name'];

/** Short names of the layer kinds, indexed by value. */
export const LAYER_NAMES: readonly string[] = LAYER_TABLE.map((r) => r.name);

/** tcpdump's truncation marker name per kind (`[|ip6]`, `[|domain]`), indexed by value. */
export const LAYER_TRUNC: readonly string[] = LAYER_TABLE.map((r) => r.trunc);

/** Kinds that may follow a link header, a tag or a tunnel (printed by the network-level dispatch). */
export const NETWORK_LAYER = Uint8Array.from(LAYER_TABLE, (r) => (r.net ? 1 : 0));

/** Upper layers that print the IP addresses themselves (with their ports). */
export const PRINTS_ADDRESSES = Uint8Array.from(LAYER_TABLE, (r) => (r.ports ? 1 : 0));

/** Kinds an IP header reaches by its protocol field. */
export const IP_REACHED = Uint8Array.from(LAYER_TABLE, (r) => (r.ipProto >= 0 || ('ip6Only' in r && r.ip6Only) ? 1 : 0));

/** Truncation marker of an IP protocol the printer names when its header is missing, '' otherwise. */
export const IP_PROTO_TRUNC: readonly string[] = (() => {
  const a = new Array<string>(256).fill('');
  for (const r of LAYER_TABLE) if (r.ipProto >= 0) a[r.ipProto] = r.trunc;
  return a;
})();

/**
 * Well-known ports, the one place that knows them: the homes' `reach` declarations and the printer's
 * port-based choices read these.
 */
export const Port = {
  DNS: 53, MDNS: 5353, BOOTPS: 67, BOOTPC: 68, NTP: 123, VXLAN: 4789, GENEVE: 6081, IPSEC_NAT_T: 4500,
  DHCP6_CLIENT: 546, DHCP6_SERVER: 547, SYSLOG: 514, TFTP: 69,
  RADIUS: 1812, RADIUS_ACCT: 1813, RADIUS_OLD: 1645, RADIUS_OLD_ACCT: 1646, RADIUS_CISCO_COA: 1700, RADIUS_COA: 3799, SNMP: 161, SNMP_TRAP: 162, SSH: 22, HTTPS: 443, VXLAN_GPE: 4790, ISAKMP: 500, L2TP: 1701, PPTP: 1723,
  FTP: 21, SMTP: 25, RTSP: 554, SIP: 5060, HTTP: 80, HTTP_ALT: 8080, SQUID: 3128,
  HSRP: 1985, RIP: 520, PTP_EVENT: 319, PTP_GENERAL: 320,
  BGP: 179, LDP: 646, LSP_PING: 3503, RIPNG: 521, AUTORP: 496,
} as const;

/** Ports tcpdump prints as HTTP. */
export const HTTP_PORTS: ReadonlySet<number> = new Set([Port.HTTP, Port.HTTP_ALT, Port.SQUID]);

/** Text protocols tcpdump prints line by line, by port. */
export const TEXT_PORTS: Readonly<Record<number, string>> = { [Port.FTP]: 'FTP', [Port.SMTP]: 'SMTP', [Port.RTSP]: 'RTSP', [Port.SIP]: 'SIP' };

/** Most layers recorded per packet; deeper stacks stop decoding there (the rest is payload). */
export const MAX_LAYERS = 32;
