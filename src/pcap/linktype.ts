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

/** ARPHRD_* (linux/if_arp.h) to LINKTYPE_*, for live interfaces; undefined for types tscap does not map. */
export function linkTypeFromArphrd(arphrd: number): number | undefined {
  switch (arphrd) {
    case 1: // ARPHRD_ETHER
    case 772: // ARPHRD_LOOPBACK: Linux loopback carries Ethernet headers
      return LinkType.EN10MB;
    case 65534: // ARPHRD_NONE (tun)
    case 519: // ARPHRD_RAWIP
      return LinkType.RAW;
    default:
      return undefined;
  }
}
