/** EtherType and IP protocol names as tcpdump prints them, in dense lookup tables. */

// every EtherType tcpdump 4.99 names (read from its -e output over all 0x0600-0xffff)
const ETHERTYPE_NAME_LIST: ReadonlyArray<readonly [number, string]> = [
  [0x0600, 'NS'], [0x0800, 'IPv4'], [0x0806, 'ARP'], [0x1000, 'Trail'], [0x1111, 'CALM FAST'],
  [0x6001, 'MOP DL'], [0x6002, 'MOP RC'], [0x6003, 'DN'], [0x6004, 'LAT'], [0x6007, 'SCA'], [0x6558, 'TEB'],
  [0x8035, 'Reverse ARP'], [0x8038, 'Lanbridge'], [0x803c, 'DEC DNS'], [0x803e, 'DEC DTS'], [0x805b, 'VEXP'],
  [0x805c, 'VPROD'], [0x809b, 'Appletalk'], [0x80f3, 'Appletalk ARP'], [0x8100, '802.1Q'], [0x8137, 'IPX'],
  [0x86dd, 'IPv6'], [0x8808, 'MPCP'], [0x8809, 'Slow Protocols'], [0x880b, 'PPP'], [0x8847, 'MPLS unicast'],
  [0x8848, 'MPLS multicast'], [0x8863, 'PPPoE D'], [0x8864, 'PPPoE S'], [0x886f, 'MS NLB heartbeat'],
  [0x888e, 'EAPOL'], [0x8899, 'Realtek protocols'], [0x88a2, 'AoE'], [0x88a8, '802.1Q-QinQ'],
  [0x88ca, 'TIPC'], [0x88cc, 'LLDP'], [0x88e5, '802.1AE MACsec'], [0x88f7, 'PTP'], [0x8902, 'CFM'],
  [0x893a, 'IEEE1905.1'], [0x8947, 'GeoNet'], [0x894f, 'NSH'], [0x9000, 'Loopback'], [0x9100, '802.1Q-9100'],
  [0x9200, '802.1Q-9200'], [0xd28b, 'Arista Vendor Specific Protocol'], [0xfefe, 'OSI'],
];

/** Indexed by EtherType; '' when tcpdump has no name (it then prints `Unknown`). */
export const ETHERTYPE_NAMES: string[] = new Array<string>(65536).fill('');
for (const [v, n] of ETHERTYPE_NAME_LIST) ETHERTYPE_NAMES[v] = n;

/** tcpdump's `ethertype NAME (0xXXXX)` text (`unknown`: the word for an unnamed type; GRE spells it in lower case). */
export function etherTypeText(t: number, unknown = 'Unknown'): string {
  const name = ETHERTYPE_NAMES[t] || unknown;
  return `${name} (0x${t.toString(16).padStart(4, '0')})`;
}

/** IP protocol names (IANA keywords as tcpdump prints them), indexed by protocol number. */
export const IP_PROTO_NAMES: string[] = new Array<string>(256).fill('');
const PROTOS: ReadonlyArray<readonly [number, string]> = [
  [0, 'Options'], [1, 'ICMP'], [2, 'IGMP'], [4, 'IPIP'], [6, 'TCP'], [8, 'EGP'], [9, 'IGRP'], [17, 'UDP'],
  [29, 'ISO-TP4'], [33, 'DCCP'], [41, 'IPv6'], [43, 'Routing'], [44, 'Frag'], [46, 'RSVP'], [47, 'GRE'],
  [50, 'ESP'], [51, 'AH'], [58, 'ICMPv6'], [80, 'ISO-IP'], [88, 'EIGRP'],
  [89, 'OSPF'], [94, 'ETHERIP'], [97, 'ETHERIP'], [103, 'PIM'], [108, 'IPComp'], [112, 'VRRP'],
  [113, 'PGM'], [132, 'SCTP'], [135, 'Mobility'], [136, 'UDPLite'], [62, 'Mobile IP (old)'],
];
for (const [v, n] of PROTOS) IP_PROTO_NAMES[v] = n;
