/**
 * The link types the filter compiler knows, one row each: where libpcap 1.10's init_linktype puts
 * the link-layer type field and payload, and which family of gen_linktype tests applies. Adding a
 * link type is adding a row here (and a family in gen-link.ts when none fits).
 */
import { LinkType } from '../numbers.js';

/** How the link layer says what it carries (the branches of libpcap's gen_linktype). */
export type LinkFamily =
  | 'ether' | 'sll' | 'sll2' | 'raw' | 'ipv4' | 'ipv6' | 'bsdloop' | 'ppp' | 'chdlc' | 'frelay' | 'wlan'
  | 'arcnet' | 'mtp2' | 'nflog' | 'ltalk' | 'mfr';

/** One link type's offsets (libpcap's off_linktype, off_linkpl, off_nl, off_nl_nosnap). */
export interface LinkLayer {
  family: LinkFamily;
  /** Offset of the type field; null where there is none (libpcap's OFFSET_NOT_SET). */
  linktype: number | null;
  /** Offset of the payload; 'variable' for 802.11, whose header length is read from the frame. */
  linkpl: number | 'variable';
  nl: number;
  nlNosnap: number;
  /** A radio header of variable length before the 802.11 header (its length is read from the packet). */
  prefix?: 'radiotap' | 'ppi';
}

const row = (family: LinkFamily, linktype: number | null, linkpl: number | 'variable', nl = 0, nlNosnap = 0): LinkLayer => ({ family, linktype, linkpl, nl, nlNosnap });
const wlan = (prefix?: 'radiotap' | 'ppi'): LinkLayer => ({ ...row('wlan', 24, 'variable', 8, 3), ...(prefix ? { prefix } : {}) });

/** Link layers by LINKTYPE_* value. */
export const LINK_LAYERS: Readonly<Record<number, LinkLayer>> = {
  [LinkType.EN10MB]: row('ether', 12, 14, 0, 3),
  [LinkType.LINUX_SLL]: row('sll', 14, 16),
  [LinkType.LINUX_SLL2]: row('sll2', 0, 20),
  [LinkType.NULL]: row('bsdloop', 0, 4),
  [LinkType.LOOP]: row('bsdloop', 0, 4),
  [LinkType.RAW]: row('raw', null, 0),
  [LinkType.IPV4]: row('ipv4', null, 0),
  [LinkType.IPV6]: row('ipv6', null, 0),
  // SLIP: a 16-byte pseudo-header; libpcap tests the IP version at the start of that header.
  [LinkType.SLIP]: row('raw', null, 16),
  [LinkType.PPP]: row('ppp', 2, 4),
  [LinkType.PPP_HDLC]: row('ppp', 2, 4),
  [LinkType.C_HDLC]: row('chdlc', 2, 4),
  [LinkType.FRELAY]: row('frelay', null, 0),
  [LinkType.ARCNET_BSD]: row('arcnet', 2, 6),
  [LinkType.ARCNET_LINUX]: row('arcnet', 4, 8),
  [LinkType.IEEE802_11]: wlan(),
  [LinkType.IEEE802_11_RADIOTAP]: wlan('radiotap'),
  [LinkType.PPI]: wlan('ppi'),
  [LinkType.MTP2]: row('mtp2', null, 0),
  [LinkType.MTP2_WITH_PHDR]: row('mtp2', null, 0),
  // FRF.16: libpcap filters only on link[] here
  [LinkType.MFR]: row('mfr', null, 0),
  [LinkType.NFLOG]: row('nflog', null, 0),
  // LocalTalk: LLAP carries AppleTalk only; libpcap sets no type field
  [LinkType.LTALK]: row('ltalk', null, 0),
};
