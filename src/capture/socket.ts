/**
 * AF_PACKET socket plumbing shared by both engines: open, bind, promiscuous membership, direction,
 * classic BPF attach in libpcap's order, and PACKET_STATISTICS kept as running totals.
 */
import type { BpfProgram } from '../filter/bpf.js';
import {
  AF_PACKET,
  ETH_P_ALL,
  PACKET,
  PACKET_MR_PROMISC,
  PACKET_MREQ,
  SOCK_CLOEXEC,
  SOCK_FILTER,
  SOCK_FPROG,
  SOCK_NONBLOCK,
  SOCK_DGRAM,
  SOCK_RAW,
  SOCKADDR_LL,
  SOL_PACKET,
  SOL_SOCKET,
  SO,
  TPACKET_STATS_V3,
  ERRNO,
  SyscallError,
  allocNative,
  check,
  htons,
  lastErrno,
  raw,
} from '../syscalls/index.js';

/** Which directions to capture, as tcpdump's `-Q`. */
export type Direction = 'in' | 'out' | 'inout';

/** Running totals of the kernel's counters, which reset on every read. */
export interface CaptureStats {
  /** Packets handed to the caller. */
  captured: number;
  /** Packets that passed the kernel filter (tcpdump's "received by filter"; includes drops). */
  received: number;
  /** Packets the kernel dropped because the ring or socket buffer was full. */
  dropped: number;
  /** Times the ring queue froze (TPACKET_V3 tp_freeze_q_cnt). */
  freezes: number;
}

/**
 * Opens a non-blocking AF_PACKET socket that receives nothing until bound: SOCK_RAW (frames with their
 * link-layer header) or, `cooked`, SOCK_DGRAM (from the network header on, as for `any`).
 */
export function openPacketSocket(cooked = false): number {
  const fd = raw.socket(AF_PACKET, (cooked ? SOCK_DGRAM : SOCK_RAW) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    const errno = lastErrno();
    if (errno === ERRNO.EPERM || errno === ERRNO.EACCES) {
      throw new SyscallError('socket', errno, 'socket: capturing needs root or the CAP_NET_RAW capability');
    }
    throw new SyscallError('socket', errno);
  }
  return fd;
}

/** Sets an integer socket option. */
export function setIntOption(fd: number, level: number, name: number, value: number, what: string): void {
  const buf = new Uint8Array(4);
  new DataView(buf.buffer).setInt32(0, value, true);
  check('setsockopt', raw.setsockopt(fd, level, name, buf, 4), `setsockopt(${what})`);
}

/** Reads an integer socket option. */
export function getIntOption(fd: number, level: number, name: number, what: string): number {
  const buf = new Uint8Array(4);
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, 4, true);
  check('getsockopt', raw.getsockopt(fd, level, name, buf, len), `getsockopt(${what})`);
  return new DataView(buf.buffer).getInt32(0, true);
}

/** Binds the socket to one interface for every protocol (ETH_P_ALL). */
export function bindToInterface(fd: number, ifindex: number, ifname: string): void {
  const sll = new Uint8Array(SOCKADDR_LL.SIZE);
  const dv = new DataView(sll.buffer);
  dv.setUint16(SOCKADDR_LL.family, AF_PACKET, true);
  dv.setUint16(SOCKADDR_LL.protocol, htons(ETH_P_ALL), true);
  dv.setInt32(SOCKADDR_LL.ifindex, ifindex, true);
  check('bind', raw.bind(fd, sll, SOCKADDR_LL.SIZE), `${ifname}: bind`);
}

/** Asks for promiscuous mode on the interface; the kernel drops the membership when the socket closes. */
export function addPromiscuous(fd: number, ifindex: number): void {
  const mreq = new Uint8Array(PACKET_MREQ.SIZE);
  const dv = new DataView(mreq.buffer);
  dv.setInt32(PACKET_MREQ.ifindex, ifindex, true);
  dv.setUint16(PACKET_MREQ.type, PACKET_MR_PROMISC, true);
  check('setsockopt', raw.setsockopt(fd, SOL_PACKET, PACKET.ADD_MEMBERSHIP, mreq, PACKET_MREQ.SIZE), 'setsockopt(PACKET_ADD_MEMBERSHIP)');
}

/** Makes the kernel skip frames this host sends (`-Q in`); falls back to userspace when unsupported. */
export function ignoreOutgoing(fd: number): boolean {
  const buf = new Uint8Array(4);
  new DataView(buf.buffer).setInt32(0, 1, true);
  return raw.setsockopt(fd, SOL_PACKET, PACKET.IGNORE_OUTGOING, buf, 4) === 0;
}

/** A program that accepts nothing, attached while the real one replaces the old. */
const REJECT_ALL: BpfProgram = [{ code: 0x06, jt: 0, jf: 0, k: 0 }];

/** Attaches a classic BPF program to the socket (SO_ATTACH_FILTER); the kernel copies it. */
export function attachFilter(fd: number, prog: BpfProgram): void {
  const insns = allocNative(Math.max(1, prog.length) * SOCK_FILTER.SIZE);
  try {
    const dv = new DataView(insns.bytes.buffer, insns.bytes.byteOffset, insns.bytes.byteLength);
    prog.forEach((ins, i) => {
      const at = i * SOCK_FILTER.SIZE;
      dv.setUint16(at + SOCK_FILTER.code, ins.code, true);
      dv.setUint8(at + SOCK_FILTER.jt, ins.jt);
      dv.setUint8(at + SOCK_FILTER.jf, ins.jf);
      dv.setUint32(at + SOCK_FILTER.k, ins.k >>> 0, true);
    });
    const fprog = new Uint8Array(SOCK_FPROG.SIZE);
    const fdv = new DataView(fprog.buffer);
    fdv.setUint16(SOCK_FPROG.len, prog.length, true);
    fdv.setBigUint64(SOCK_FPROG.filter, insns.ptr, true);
    check('setsockopt', raw.setsockopt(fd, SOL_SOCKET, SO.ATTACH_FILTER, fprog, SOCK_FPROG.SIZE), 'setsockopt(SO_ATTACH_FILTER)');
  } finally {
    insns.free();
  }
}

/** Attaches the program that rejects everything (first step of libpcap's filter replacement). */
export function attachRejectAll(fd: number): void {
  attachFilter(fd, REJECT_ALL);
}

/**
 * Whether the kernel's classic BPF has the Linux ancillary loads (SO_BPF_EXTENSIONS > 0), which `vlan`
 * filters need on live sockets because the tag is stripped before the filter runs.
 */
export function hasBpfExtensions(fd: number): boolean {
  try {
    return getIntOption(fd, SOL_SOCKET, SO.BPF_EXTENSIONS, 'SO_BPF_EXTENSIONS') > 0;
  } catch {
    return false;
  }
}

/**
 * Caps every accepting RET of a program at `snaplen`, so the kernel copies no more than asked: the same
 * effect as libpcap, which compiles the snap length into the program's return values.
 */
export function capSnaplen(prog: BpfProgram, snaplen: number): BpfProgram {
  return prog.map((ins) => {
    // BPF_RET|BPF_K with a non-zero length: accept, at most snaplen bytes.
    if (ins.code === 0x06 && ins.k !== 0 && ins.k > snaplen) return { ...ins, k: snaplen };
    return ins;
  });
}

/** The socket's pending error (SO_ERROR), 0 when none; reading it clears it. */
export function pendingError(fd: number): number {
  try {
    return getIntOption(fd, SOL_SOCKET, SO.ERROR, 'SO_ERROR');
  } catch {
    return 0;
  }
}

/** Accumulates PACKET_STATISTICS across reads (the kernel zeroes them on every read). */
export class KernelStats {
  private readonly buf = new Uint8Array(TPACKET_STATS_V3.SIZE);
  private readonly len = new Uint8Array(4);
  private readonly dv = new DataView(this.buf.buffer);
  received = 0;
  dropped = 0;
  freezes = 0;

  /** Reads and adds the kernel's counters since the last read; a closed socket keeps the last totals. */
  update(fd: number): void {
    if (fd < 0) return;
    new DataView(this.len.buffer).setUint32(0, TPACKET_STATS_V3.SIZE, true);
    if (raw.getsockopt(fd, SOL_PACKET, PACKET.STATISTICS, this.buf, this.len) < 0) return;
    // For both TPACKET_V3 and plain sockets, tp_packets already includes tp_drops.
    this.received += this.dv.getUint32(TPACKET_STATS_V3.tpPackets, true);
    this.dropped += this.dv.getUint32(TPACKET_STATS_V3.tpDrops, true);
    const lenNow = new DataView(this.len.buffer).getUint32(0, true);
    if (lenNow >= TPACKET_STATS_V3.SIZE) this.freezes += this.dv.getUint32(TPACKET_STATS_V3.tpFreezeQCnt, true);
  }
}

/** Closes a descriptor, ignoring errors (used on cleanup paths). */
export function closeQuietly(fd: number): void {
  if (fd >= 0) raw.close(fd);
}

/**
 * Whether this kernel's classic BPF has the Linux ancillary loads, asked on a throwaway socket, so a
 * filter can be compiled for it before the capture socket exists. Throws like `openPacketSocket`.
 */
export function probeBpfExtensions(): boolean {
  const fd = openPacketSocket();
  try {
    return hasBpfExtensions(fd);
  } finally {
    closeQuietly(fd);
  }
}
