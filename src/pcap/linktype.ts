import { LinkType } from '../numbers.js';

/** LINKTYPE_* values (defined once in src/numbers.ts). */
export { LinkType };

/** Names as tcpdump prints them (`-L`, `-y`), indexed by value. */
export const LINK_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'NULL',
  1: 'EN10MB',
  7: 'ARCNET',
  8: 'SLIP',
  9: 'PPP',
  50: 'PPP_SERIAL',
  101: 'RAW',
  104: 'C_HDLC',
  105: 'IEEE802_11',
  107: 'FRELAY',
  108: 'LOOP',
  113: 'LINUX_SLL',
  127: 'IEEE802_11_RADIO',
  129: 'ARCNET_LINUX',
  139: 'MTP2_WITH_PHDR',
  140: 'MTP2',
  182: 'MFR',
  192: 'PPI',
  228: 'IPV4',
  229: 'IPV6',
  239: 'NFLOG',
  276: 'LINUX_SLL2',
};

/** Descriptions as tcpdump prints them after "link-type NAME (...)". */
export const LINK_TYPE_DESCRIPTIONS: Readonly<Record<number, string>> = {
  0: 'BSD loopback',
  1: 'Ethernet',
  7: 'BSD ARCNET',
  8: 'SLIP',
  9: 'PPP',
  50: 'PPP over serial',
  101: 'Raw IP',
  104: 'Cisco HDLC',
  105: '802.11',
  107: 'Frame Relay',
  108: 'OpenBSD loopback',
  113: 'Linux cooked v1',
  127: '802.11 plus radiotap header',
  129: 'Linux ARCNET',
  139: 'SS7 MTP2 with Pseudo-header',
  140: 'SS7 MTP2',
  182: 'FRF.16 Frame Relay',
  192: 'Per-Packet Information',
  228: 'Raw IPv4',
  229: 'Raw IPv6',
  239: 'Linux netfilter log messages',
  276: 'Linux cooked v2',
};

/** Looks a link type up by name (`EN10MB`, `LINUX_SLL2`, case-insensitive) or number; undefined if unknown. */
export function parseLinkType(name: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  const upper = name.toUpperCase();
  for (const [value, n] of Object.entries(LINK_TYPE_NAMES)) if (n === upper) return Number(value);
  return undefined;
}

/**
 * ARPHRD_* types libpcap maps to link types tscap does not decode (token ring, FDDI, CAN, 802.11 and
 * its monitor headers, IrDA, LAPD, 802.15.4, netlink, vsock, Fibre Channel, AX.25, LocalTalk ...):
 * capture on them is refused rather than given a link type tcpdump would not give.
 */
const ARPHRD_ELSEWHERE = new Set([2, 3, 4, 5, 6, 18, 280, 773, 774, 783, 784, 785, 786, 787, 800, 801, 802, 803, 804, 824, 826, 8445]);

/**
 * ARPHRD_* (linux/if_arp.h) to LINKTYPE_*, for live interfaces, as libpcap 1.10's pcap-linux.c maps
 * them: Ethernet-framed types to EN10MB; tun (NONE), ipip (TUNNEL), sit, SLIP and CSLIP, raw HDLC
 * and DLCI devices, which hand up bare IP, to RAW; Cisco HDLC, FRAD and ARCNET to their own link
 * types; PPP, ATM and every type libpcap does not know (GRE, ip6tnl, ip6gre, raw IP ...) to a cooked
 * capture, LINUX_SLL. Undefined for types libpcap maps to a link type tscap does not decode.
 */
export function linkTypeFromArphrd(arphrd: number): number | undefined {
  switch (arphrd) {
    case 1: // ARPHRD_ETHER
    case 23: // ARPHRD_METRICOM
    case 772: // ARPHRD_LOOPBACK: Linux loopback carries Ethernet headers
      return LinkType.EN10MB;
    case 65534: // ARPHRD_NONE (tun)
    case 768: // ARPHRD_TUNNEL (ipip)
    case 776: // ARPHRD_SIT
    case 256: case 257: case 258: case 259: // ARPHRD_SLIP, CSLIP, SLIP6, CSLIP6
    case 264: // ARPHRD_ADAPT
    case 518: // ARPHRD_RAWHDLC
    case 15: // ARPHRD_DLCI
      return LinkType.RAW;
    case 513: // ARPHRD_CISCO
      return LinkType.C_HDLC;
    case 770: // ARPHRD_FRAD
      return LinkType.FRELAY;
    case 7: // ARPHRD_ARCNET
      return LinkType.ARCNET_LINUX;
    default:
      // ARPHRD_PPP, ARPHRD_ATM and the types libpcap does not know: a cooked socket
      return ARPHRD_ELSEWHERE.has(arphrd) ? undefined : LinkType.LINUX_SLL;
  }
}
