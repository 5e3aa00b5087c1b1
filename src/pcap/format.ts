/**
 * On-disk layout of pcap (draft-ietf-opsawg-pcap) and pcapng (draft-ietf-opsawg-pcapng): magic numbers,
 * header offsets, block types and option codes, named as in the drafts.
 */

/** pcap file magic numbers as read in the file's own byte order. */
export const PcapMagic = {
  MICRO: 0xa1b2c3d4,
  NANO: 0xa1b23c4d,
} as const;

/** pcap file header offsets (24 bytes). */
export const PcapFileHeader = {
  magic: 0,
  versionMajor: 4,
  versionMinor: 6,
  thiszone: 8,
  sigfigs: 12,
  snaplen: 16,
  linkType: 20,
  LENGTH: 24,
} as const;

/** pcap record header offsets (16 bytes before each frame). */
export const PcapRecordHeader = {
  tsSec: 0,
  tsFrac: 4,
  inclLen: 8,
  origLen: 12,
  LENGTH: 16,
} as const;

/** pcapng block types. */
export const BlockType = {
  SHB: 0x0a0d0d0a,
  IDB: 0x00000001,
  PB: 0x00000002,
  SPB: 0x00000003,
  NRB: 0x00000004,
  ISB: 0x00000005,
  EPB: 0x00000006,
  DSB: 0x0000000a,
  CB_COPY: 0x00000bad,
  CB_NOCOPY: 0x40000bad,
} as const;

/** Section Header Block byte-order magic, read little-endian. */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Same magic as it reads little-endian from a big-endian section. */
export const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;

/** Option codes valid in every block. */
export const Option = { ENDOFOPT: 0, COMMENT: 1 } as const;
/** Section Header Block options. */
export const ShbOption = { HARDWARE: 2, OS: 3, USERAPPL: 4 } as const;
/** Interface Description Block options. */
export const IdbOption = {
  NAME: 2,
  DESCRIPTION: 3,
  IPV4ADDR: 4,
  IPV6ADDR: 5,
  MACADDR: 6,
  EUIADDR: 7,
  SPEED: 8,
  TSRESOL: 9,
  TZONE: 10,
  FILTER: 11,
  OS: 12,
  FCSLEN: 13,
  TSOFFSET: 14,
  HARDWARE: 15,
} as const;
/** Enhanced Packet Block options (`pack_flags` of the obsolete Packet Block shares code 2). */
export const EpbOption = { FLAGS: 2, HASH: 3, DROPCOUNT: 4, PACKETID: 5, QUEUE: 6, VERDICT: 7 } as const;
/** Interface Statistics Block options. */
export const IsbOption = {
  STARTTIME: 2,
  ENDTIME: 3,
  IFRECV: 4,
  IFDROP: 5,
  FILTERACCEPT: 6,
  OSDROP: 7,
  USRDELIV: 8,
} as const;
/** Name Resolution Block record types. */
export const NrbRecord = { END: 0, IPV4: 1, IPV6: 2, EUI48: 3, EUI64: 4 } as const;

/** `epb_flags` direction bits (0-1). */
export const EpbDirection = { UNKNOWN: 0, INBOUND: 1, OUTBOUND: 2 } as const;
/** `epb_flags` reception type bits (2-4). */
export const EpbReception = { UNSPECIFIED: 0, UNICAST: 1, MULTICAST: 2, BROADCAST: 3, PROMISCUOUS: 4 } as const;

/** Largest captured length tscap accepts in one record (256 MiB); larger ones are corrupt files. */
export const MAX_CAPLEN = 256 * 1024 * 1024;
/** Largest pcapng block accepted: a maximal frame plus room for options. */
export const MAX_BLOCK = MAX_CAPLEN + 64 * 1024;
