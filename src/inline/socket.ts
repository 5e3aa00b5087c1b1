/**
 * The AF_NETLINK NETLINK_NETFILTER socket under NFQUEUE and NFLOG: non-blocking, a receive buffer
 * forced large (SO_RCVBUFFORCE), NETLINK_NO_ENOBUFS on request, and datagrams read up to `batch` at a
 * time with recvmmsg(2) into one native buffer made once. Readiness comes from libuv (`watchFd`), so
 * Node's event loop never blocks.
 */
import { readFileSync } from 'node:fs';
import {
  AF_NETLINK,
  ERRNO,
  IOVEC,
  MMSGHDR,
  MSGHDR,
  MSG_DONTWAIT,
  MSG_TRUNC,
  NETLINK_NETFILTER,
  NETLINK_OPT,
  SOCKADDR_NL,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_RAW,
  SOL_NETLINK,
  SOL_SOCKET,
  SO,
  SyscallError,
  allocNative,
  lastErrno,
  raw,
  watchFd,
  type FdWatcher,
  type NativeBuffer,
} from '../syscalls/index.js';

/** CAP_NET_ADMIN's bit in /proc/self/status CapEff. */
const CAP_NET_ADMIN = 12;

/** Whether this process holds CAP_NET_ADMIN (read from /proc/self/status; true when unreadable). */
export function hasNetAdmin(): boolean {
  try {
    const m = /^CapEff:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (!m) return true;
    return ((BigInt(`0x${m[1] as string}`) >> BigInt(CAP_NET_ADMIN)) & 1n) === 1n;
  } catch {
    return true;
  }
}

/** What one `receive` call found. */
export const RecvResult = { Empty: 0, Got: 1, Overrun: 2 } as const;

/** Options of `NetlinkSocket`. */
export interface NetlinkSocketOptions {
  /** Receive buffer in bytes (SO_RCVBUFFORCE, falling back to SO_RCVBUF). */
  rcvbuf: number;
  /** Set NETLINK_NO_ENOBUFS: the kernel drops silently instead of reporting overruns. */
  noEnobufs: boolean;
  /** Datagrams per recvmmsg. */
  batch: number;
  /** Bytes per datagram slot (messages larger are cut and flagged). */
  slotSize: number;
}

/**
 * One netfilter netlink socket. After `receive` returns Got, datagram `i < count` is
 * `bytes[slotOffset(i), slotOffset(i) + length(i))`, borrowed until the next `receive`.
 */
export class NetlinkSocket {
  readonly fd: number;
  /** The native receive area; datagram bytes are borrowed from here. */
  readonly bytes: Uint8Array;
  /** A DataView over `bytes`. */
  readonly dv: DataView;
  /** Datagrams the last `receive` got. */
  count = 0;
  /** Times the kernel reported ENOBUFS (the socket overflowed; messages were lost). */
  overruns = 0;
  /** Datagrams cut because they did not fit a slot. */
  truncated = 0;
  private readonly mem: NativeBuffer;
  private readonly batch: number;
  private readonly slotSize: number;
  private readonly slotsAt: number;
  private watcher: FdWatcher | undefined;
  private closedFlag = false;

  constructor(opts: NetlinkSocketOptions) {
    const fd = raw.socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_NETFILTER);
    if (fd < 0) {
      const errno = lastErrno();
      if (errno === ERRNO.EPERM || errno === ERRNO.EACCES) throw new SyscallError('socket', errno, 'socket(AF_NETLINK): netfilter queues need root or the CAP_NET_ADMIN capability');
      throw new SyscallError('socket', errno, 'socket(AF_NETLINK, NETLINK_NETFILTER)');
    }
    this.fd = fd;
    this.batch = opts.batch;
    this.slotSize = (opts.slotSize + 63) & ~63;
    this.slotsAt = opts.batch * (MMSGHDR.SIZE + IOVEC.SIZE);
    try {
      const v = new Uint8Array(4);
      const vdv = new DataView(v.buffer);
      vdv.setInt32(0, opts.rcvbuf, true);
      if (raw.setsockopt(fd, SOL_SOCKET, SO.RCVBUFFORCE, v, 4) < 0) raw.setsockopt(fd, SOL_SOCKET, SO.RCVBUF, v, 4);
      if (opts.noEnobufs) {
        vdv.setInt32(0, 1, true);
        raw.setsockopt(fd, SOL_NETLINK, NETLINK_OPT.NO_ENOBUFS, v, 4);
      }
      const nl = new Uint8Array(SOCKADDR_NL.SIZE);
      new DataView(nl.buffer).setUint16(SOCKADDR_NL.family, AF_NETLINK, true);
      if (raw.bind(fd, nl, SOCKADDR_NL.SIZE) < 0) throw new SyscallError('bind', lastErrno(), 'bind(AF_NETLINK)');
      this.mem = allocNative(this.slotsAt + opts.batch * this.slotSize);
    } catch (err) {
      raw.close(fd);
      throw err;
    }
    this.bytes = this.mem.bytes;
    this.dv = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const base = this.mem.ptr;
    for (let i = 0; i < this.batch; i++) {
      const m = i * MMSGHDR.SIZE;
      const iov = this.batch * MMSGHDR.SIZE + i * IOVEC.SIZE;
      this.dv.setBigUint64(m + MSGHDR.iov, base + BigInt(iov), true);
      this.dv.setBigUint64(m + MSGHDR.iovlen, 1n, true);
      this.dv.setBigUint64(iov + IOVEC.base, base + BigInt(this.slotOffset(i)), true);
      this.dv.setBigUint64(iov + IOVEC.len, BigInt(this.slotSize), true);
    }
  }

  /** Where datagram `i` starts in `bytes`. */
  slotOffset(i: number): number {
    return this.slotsAt + i * this.slotSize;
  }

  /** Bytes of datagram `i` (at most the slot size). */
  length(i: number): number {
    return Math.min(this.dv.getUint32(i * MMSGHDR.SIZE + MMSGHDR.len, true), this.slotSize);
  }

  /** True once `close` has run. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /**
   * Reads what is queued, up to one batch, never waiting. Overrun means the kernel reported ENOBUFS
   * (counted; reading goes on). Other socket errors throw SyscallError.
   */
  receive(): number {
    this.count = 0;
    if (this.closedFlag) return RecvResult.Empty;
    const dv = this.dv;
    for (let i = 0; i < this.batch; i++) dv.setInt32(i * MMSGHDR.SIZE + MSGHDR.flags, 0, true);
    const n = raw.recvmmsg(this.fd, this.mem.ptr, this.batch, MSG_DONTWAIT, null);
    if (n < 0) {
      const errno = lastErrno();
      if (errno === ERRNO.EAGAIN || errno === ERRNO.EINTR) return RecvResult.Empty;
      if (errno === ERRNO.ENOBUFS) {
        this.overruns++;
        return RecvResult.Overrun;
      }
      throw new SyscallError('recvmmsg', errno, 'recvmmsg(netlink)');
    }
    for (let i = 0; i < n; i++) if ((dv.getInt32(i * MMSGHDR.SIZE + MSGHDR.flags, true) & MSG_TRUNC) !== 0) this.truncated++;
    this.count = n;
    return n > 0 ? RecvResult.Got : RecvResult.Empty;
  }

  /** Sends `buf` to the kernel; returns 0 or the errno (EAGAIN when the kernel is out of memory). */
  send(buf: Uint8Array, len = buf.length): number {
    if (this.closedFlag) return ERRNO.EBADF;
    return raw.send(this.fd, buf, len, 0) < 0 ? lastErrno() : 0;
  }

  /** Calls `cb` once the socket is readable (one-shot; call again to re-arm). */
  onReadable(cb: () => void): void {
    if (this.closedFlag) return;
    if (this.watcher === undefined) this.watcher = watchFd(this.fd, () => undefined);
    this.watcher.start(() => {
      this.watcher?.stop();
      cb();
    });
  }

  /** Closes the socket (the kernel unbinds its queues and groups) and frees the buffer. */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    if (this.watcher) {
      this.watcher.stop();
      this.watcher.close();
      this.watcher = undefined;
    }
    raw.close(this.fd);
    this.mem.free();
  }
}

/** Everyone waiting for a netlink socket to become readable, served by one one-shot poll registration. */
export class ReadableWaiters {
  private waiters: (() => void)[] = [];
  private watching = false;

  constructor(private readonly sock: NetlinkSocket) {}

  /** Resolves once the socket may be readable, or when `wake` is called. */
  wait(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      if (this.watching) return;
      this.watching = true;
      this.sock.onReadable(() => {
        this.watching = false;
        this.wake();
      });
    });
  }

  /** Resolves every pending wait (data came, or the owner closed). */
  wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
