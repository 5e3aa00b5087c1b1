/**
 * Constants from linux/socket.h, linux/if_packet.h, linux/if_ether.h, asm-generic/socket.h,
 * asm-generic/mman-common.h and poll.h, for x86_64 and aarch64 Linux (the values are the same on both).
 */

export const AF_PACKET = 17;
export const SOCK_RAW = 3;
export const SOCK_DGRAM = 2;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;

/** ETH_P_ALL in host order; `bind()` wants it in network order (see `htons`). */
export const ETH_P_ALL = 0x0003;

export const SOL_SOCKET = 1;
export const SOL_PACKET = 263;

/** Socket-level options (asm-generic/socket.h). */
export const SO = {
  ERROR: 4,
  SNDBUF: 7,
  RCVBUF: 8,
  SNDBUFFORCE: 32,
  ATTACH_FILTER: 26,
  DETACH_FILTER: 27,
  TIMESTAMPNS: 35,
  RCVBUFFORCE: 33,
  LOCK_FILTER: 44,
  BPF_EXTENSIONS: 48,
} as const;

/** SOL_PACKET options (linux/if_packet.h). */
export const PACKET = {
  ADD_MEMBERSHIP: 1,
  DROP_MEMBERSHIP: 2,
  RX_RING: 5,
  STATISTICS: 6,
  AUXDATA: 8,
  VERSION: 10,
  HDRLEN: 11,
  RESERVE: 12,
  TX_RING: 13,
  FANOUT: 18,
  IGNORE_OUTGOING: 23,
  TIMESTAMP: 17,
  QDISC_BYPASS: 20,
} as const;

/** PACKET_FANOUT modes and flags (linux/if_packet.h). */
export const PACKET_FANOUT = {
  HASH: 0,
  LB: 1,
  CPU: 2,
  ROLLOVER: 3,
  RND: 4,
  QM: 5,
  FLAG_ROLLOVER: 0x1000,
  FLAG_UNIQUEID: 0x2000,
  FLAG_IGNORE_OUTGOING: 0x4000,
  FLAG_DEFRAG: 0x8000,
} as const;

/** packet_mreq.mr_type values. */
export const PACKET_MR_PROMISC = 1;

/** tpacket_versions. */
export const TPACKET_V2 = 1;
export const TPACKET_V3 = 2;

/** TX ring frame status values (tpacket2_hdr.tp_status). */
export const TP_TX_STATUS = {
  AVAILABLE: 0,
  SEND_REQUEST: 1,
  SENDING: 2,
  WRONG_FORMAT: 4,
} as const;

export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_DGRAM_INET = 2;
export const IPPROTO_UDP = 17;

/** tp_status / block_status bits. */
export const TP_STATUS = {
  KERNEL: 0,
  USER: 1,
  COPY: 1 << 1,
  LOSING: 1 << 2,
  CSUMNOTREADY: 1 << 3,
  VLAN_VALID: 1 << 4,
  BLK_TMO: 1 << 5,
  VLAN_TPID_VALID: 1 << 6,
  CSUM_VALID: 1 << 7,
} as const;

/** Alignment of ring frames and packet headers (TPACKET_ALIGNMENT). */
export const TPACKET_ALIGNMENT = 16;

export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
/** mmap's failure value, as koffi returns pointers (BigInt). */
export const MAP_FAILED = 0xffffffffffffffffn;

export const POLLIN = 0x001;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;

export const MSG_DONTWAIT = 0x40;
export const MSG_TRUNC = 0x20;

/** The SCM_TIMESTAMPNS control message type equals the option number. */
export const SCM_TIMESTAMPNS = SO.TIMESTAMPNS;

/** Network interface flags (linux/if.h) as read from /sys/class/net/IF/flags. */
export const IFF = {
  UP: 0x1,
  BROADCAST: 0x2,
  LOOPBACK: 0x8,
  RUNNING: 0x40,
  PROMISC: 0x100,
  MULTICAST: 0x1000,
} as const;

/** The page size of x86_64 and aarch64-4k kernels; ring blocks must be a multiple of it. */
export const PAGE_SIZE = 4096;

/** Converts a 16-bit value to network byte order on a little-endian host. */
export function htons(v: number): number {
  return ((v & 0xff) << 8) | ((v >> 8) & 0xff);
}

/** Hardware timestamping (linux/sockios.h, linux/ethtool.h, linux/net_tstamp.h). */
export const TSTAMP = {
  SIOCETHTOOL: 0x8946,
  SIOCSHWTSTAMP: 0x89b0,
  ETHTOOL_GET_TS_INFO: 0x41,
  SOF_SOFTWARE: 1 << 4,
  SOF_SYS_HARDWARE: 1 << 5,
  SOF_RAW_HARDWARE: 1 << 6,
  HWTSTAMP_TX_OFF: 0,
  HWTSTAMP_FILTER_ALL: 1,
} as const;

/** The netlink address family (linux/socket.h). */
export const AF_NETLINK = 16;
/** The routing netlink protocol: links, qdiscs, tc filters (linux/netlink.h). */
export const NETLINK_ROUTE = 0;
/** The netfilter netlink protocol: nfnetlink_queue, nfnetlink_log (linux/netlink.h). */
export const NETLINK_NETFILTER = 12;
/** The socket level of netlink options (linux/socket.h). */
export const SOL_NETLINK = 270;
/** SOL_NETLINK options (linux/netlink.h). */
export const NETLINK_OPT = {
  NO_ENOBUFS: 5,
  CAP_ACK: 10,
  EXT_ACK: 11,
} as const;
