/**
 * The shared vocabulary of packet numbers, one definition each: LINKTYPE_* values (tcpdump.org
 * link-layer header types), EtherTypes (IEEE registry) and IP protocol numbers (IANA). `decode/`,
 * `filter/`, `pcap/` and `capture/` all read them from here.
 */

/** LINKTYPE_* values as registered for pcap and pcapng (tcpdump.org linktypes list). */
export const LinkType = {
  NULL: 0,
  EN10MB: 1,
  ARCNET_BSD: 7,
  SLIP: 8,
  PPP: 9,
  PPP_HDLC: 50,
  RAW: 101,
  C_HDLC: 104,
  IEEE802_11: 105,
  FRELAY: 107,
  LOOP: 108,
  LINUX_SLL: 113,
  LTALK: 114,
  IEEE802_11_RADIOTAP: 127,
  ARCNET_LINUX: 129,
  MTP2_WITH_PHDR: 139,
  MTP2: 140,
  MFR: 182,
  PPI: 192,
  IPV4: 228,
  IPV6: 229,
  NFLOG: 239,
  LINUX_SLL2: 276,
} as const;

/** EtherType values (IEEE registry) that tscap decodes or filters on. */
export const EtherType = {
  IPv4: 0x0800,
  ARP: 0x0806,
  RARP: 0x8035,
  VLAN: 0x8100,
  QINQ: 0x88a8,
  VLAN9100: 0x9100,
  VLAN9200: 0x9200,
  IPv6: 0x86dd,
  MPLS: 0x8847,
  MPLS_MC: 0x8848,
  PPPOE_DISC: 0x8863,
  PPPOE_SESS: 0x8864,
  TEB: 0x6558,
  ATALK: 0x809b,
  AARP: 0x80f3,
  DN: 0x6003,
  LAT: 0x6004,
  SCA: 0x6007,
  MOPDL: 0x6001,
  MOPRC: 0x6002,
  IPX: 0x8137,
  LOOPBACK: 0x9000,
  LLDP: 0x88cc,
  SLOW: 0x8809,
  EAPOL: 0x888e,
  PTP: 0x88f7,
  NSH: 0x894f,
  MACSEC: 0x88e5,
  PPP: 0x880b,
  TIPC: 0x88ca,
  /** Alteon jumbo frames (draft-ietf-isis-ext-eth): an LLC header follows the type. */
  JUMBO: 0x8870,
} as const;

/** IP protocol numbers (IANA) that tscap decodes or filters on. */
export const IpProto = {
  HOPOPTS: 0, ICMP: 1, IGMP: 2, IPIP: 4, TCP: 6, UDP: 17, IPV6: 41, ROUTING: 43, FRAGMENT: 44, GRE: 47, ESP: 50, AH: 51,
  ICMPV6: 58, NONE: 59, DSTOPTS: 60, MOBILITY_OLD: 62, SCTP: 132, OSPF: 89, EIGRP: 88, PIM: 103, VRRP: 112, MOBILITY: 135,
} as const;
