/**
 * Byte layouts of the kernel structures tscap reads and writes (linux/if_packet.h, linux/filter.h,
 * bits/socket.h) for 64-bit Linux. Offsets are kept as `as const` tables and used with DataView on
 * buffers made once: koffi's object marshalling costs microseconds a call, raw buffers nanoseconds.
 * `structs.test.ts` checks every table against koffi's C ABI layout of the same struct.
 */

/** struct sockaddr_ll (20 bytes). */
export const SOCKADDR_LL = {
  SIZE: 20,
  family: 0, // u16
  protocol: 2, // be16
  ifindex: 4, // i32
  hatype: 8, // u16
  pkttype: 10, // u8
  halen: 11, // u8
  addr: 12, // u8[8]
} as const;

/** struct tpacket_req3 (28 bytes). */
export const TPACKET_REQ3 = {
  SIZE: 28,
  blockSize: 0,
  blockNr: 4,
  frameSize: 8,
  frameNr: 12,
  retireBlkTov: 16,
  sizeofPriv: 20,
  featureReqWord: 24,
} as const;

/** struct tpacket_block_desc with tpacket_hdr_v1 (the block header at the start of each ring block). */
export const BLOCK_DESC = {
  version: 0,
  offsetToPriv: 4,
  blockStatus: 8,
  numPkts: 12,
  offsetToFirstPkt: 16,
  blkLen: 20,
  seqNum: 24, // u64
  tsFirstSec: 32,
  tsFirstNsec: 36,
  tsLastSec: 40,
  tsLastNsec: 44,
  SIZE: 48,
} as const;

/** struct tpacket3_hdr (48 bytes once aligned), followed by struct sockaddr_ll. */
export const TPACKET3_HDR = {
  tpNextOffset: 0,
  tpSec: 4,
  tpNsec: 8,
  tpSnaplen: 12,
  tpLen: 16,
  tpStatus: 20,
  tpMac: 24, // u16
  tpNet: 26, // u16
  tpRxhash: 28,
  tpVlanTci: 32,
  tpVlanTpid: 36, // u16
  SIZE: 48,
  /** Where the sockaddr_ll that follows the header starts (TPACKET_ALIGN(sizeof(tpacket3_hdr))). */
  sll: 48,
} as const;

/** struct tpacket_stats_v3 (12 bytes). */
export const TPACKET_STATS_V3 = {
  SIZE: 12,
  tpPackets: 0,
  tpDrops: 4,
  tpFreezeQCnt: 8,
} as const;

/** struct tpacket_auxdata (20 bytes), the PACKET_AUXDATA control message payload. */
export const TPACKET_AUXDATA = {
  SIZE: 20,
  tpStatus: 0,
  tpLen: 4,
  tpSnaplen: 8,
  tpMac: 12, // u16
  tpNet: 14, // u16
  tpVlanTci: 16, // u16
  tpVlanTpid: 18, // u16
} as const;

/** struct packet_mreq (16 bytes). */
export const PACKET_MREQ = {
  SIZE: 16,
  ifindex: 0, // i32
  type: 4, // u16
  alen: 6, // u16
  address: 8, // u8[8]
} as const;

/** struct sock_filter (8 bytes) and struct sock_fprog (16 bytes, pointer at 8). */
export const SOCK_FILTER = { SIZE: 8, code: 0, jt: 2, jf: 3, k: 4 } as const;
export const SOCK_FPROG = { SIZE: 16, len: 0, filter: 8 } as const;

/** struct iovec (16 bytes). */
export const IOVEC = { SIZE: 16, base: 0, len: 8 } as const;

/** struct msghdr (56 bytes). */
export const MSGHDR = {
  SIZE: 56,
  name: 0,
  namelen: 8,
  iov: 16,
  iovlen: 24,
  control: 32,
  controllen: 40,
  flags: 48,
} as const;

/** struct cmsghdr (16 bytes); the data follows at CMSG_ALIGN(sizeof(cmsghdr)). */
export const CMSGHDR = { SIZE: 16, len: 0, level: 8, type: 12, data: 16 } as const;

/** struct timespec (16 bytes). */
export const TIMESPEC = { SIZE: 16, sec: 0, nsec: 8 } as const;

/** CMSG_ALIGN: control messages are aligned to sizeof(size_t). */
export function cmsgAlign(n: number): number {
  return (n + 7) & ~7;
}

/** struct tpacket_req (16 bytes), for TPACKET_V2 rings. */
export const TPACKET_REQ = { SIZE: 16, blockSize: 0, blockNr: 4, frameSize: 8, frameNr: 12 } as const;

/** struct tpacket2_hdr (32 bytes); TX frame data starts at `TX_DATA` (tp_hdrlen - sizeof(sockaddr_ll)). */
export const TPACKET2_HDR = {
  SIZE: 32,
  tpStatus: 0,
  tpLen: 4,
  tpSnaplen: 8,
  tpMac: 12,
  tpNet: 14,
  tpSec: 16,
  tpNsec: 20,
  tpVlanTci: 24,
  tpVlanTpid: 26,
  TX_DATA: 32,
} as const;

/** struct mmsghdr (64 bytes): a msghdr and the count sent. */
export const MMSGHDR = { SIZE: 64, hdr: 0, len: 56 } as const;

/** struct sockaddr_in (16 bytes) and sockaddr_in6 (28 bytes). */
export const SOCKADDR_IN = { SIZE: 16, family: 0, port: 2, addr: 4 } as const;
export const SOCKADDR_IN6 = { SIZE: 28, family: 0, port: 2, flowinfo: 4, addr: 8, scopeId: 24 } as const;

/** struct sockaddr_nl (12 bytes): family, pad, portid, groups. */
export const SOCKADDR_NL = { SIZE: 12, family: 0, pid: 4, groups: 8 } as const;
