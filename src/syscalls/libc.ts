/**
 * libc through koffi: the only file in tscap that loads native code. Every binding takes raw buffers or
 * pointers (never JS objects marshalled into structs) so a call costs tens of nanoseconds plus the
 * syscall. Failures become `SyscallError`, which carries the call, errno, its name and strerror text.
 */
import koffi from 'koffi';

const lib = koffi.load('libc.so.6');

/** A pointer as koffi returns it. */
export type Pointer = bigint;

/** Raw bindings; prefer the checked wrappers below. */
export const raw = {
  socket: lib.func('int socket(int domain, int type, int protocol)') as (d: number, t: number, p: number) => number,
  bind: lib.func('int bind(int fd, const void *addr, uint32_t len)') as (fd: number, addr: Uint8Array, len: number) => number,
  setsockopt: lib.func('int setsockopt(int fd, int level, int name, const void *val, uint32_t len)') as (
    fd: number,
    level: number,
    name: number,
    val: Uint8Array,
    len: number,
  ) => number,
  getsockopt: lib.func('int getsockopt(int fd, int level, int name, void *val, void *len)') as (
    fd: number,
    level: number,
    name: number,
    val: Uint8Array,
    len: Uint8Array,
  ) => number,
  mmap: lib.func('void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off)') as (
    addr: Pointer | null,
    len: number,
    prot: number,
    flags: number,
    fd: number,
    off: number,
  ) => Pointer,
  munmap: lib.func('int munmap(void *addr, size_t len)') as (addr: Pointer, len: number) => number,
  poll: lib.func('int poll(void *fds, uint64_t nfds, int timeout)') as (fds: Uint8Array, n: number, timeout: number) => number,
  recvmsg: lib.func('long recvmsg(int fd, void *msg, int flags)') as (fd: number, msg: Pointer, flags: number) => number,
  recvmmsg: lib.func('int recvmmsg(int fd, void *msgvec, unsigned int vlen, int flags, void *timeout)') as (
    fd: number,
    msgvec: Pointer,
    vlen: number,
    flags: number,
    timeout: null,
  ) => number,
  sendto: lib.func('long sendto(int fd, const void *buf, size_t len, int flags, const void *addr, uint32_t alen)') as (
    fd: number,
    buf: Uint8Array,
    len: number,
    flags: number,
    addr: Uint8Array | null,
    alen: number,
  ) => number,
  send: lib.func('long send(int fd, const void *buf, size_t len, int flags)') as (fd: number, buf: Uint8Array, len: number, flags: number) => number,
  recv: lib.func('long recv(int fd, void *buf, size_t len, int flags)') as (fd: number, buf: Uint8Array, len: number, flags: number) => number,
  getsockname: lib.func('int getsockname(int fd, void *addr, void *len)') as (fd: number, addr: Uint8Array, len: Uint8Array) => number,
  writev: lib.func('long writev(int fd, const void *iov, int iovcnt)') as (fd: number, iov: Pointer, iovcnt: number) => number,
  close: lib.func('int close(int fd)') as (fd: number) => number,
  schedYield: lib.func('int sched_yield(void)') as () => number,
  connect: lib.func('int connect(int fd, const void *addr, uint32_t len)') as (fd: number, addr: Uint8Array, len: number) => number,
  sendmmsg: lib.func('int sendmmsg(int fd, void *msgvec, unsigned int vlen, int flags)') as (fd: number, msgvec: Pointer, vlen: number, flags: number) => number,
  sendtoPtr: lib.func('long sendto(int fd, const void *buf, size_t len, int flags, const void *addr, uint32_t alen)') as (
    fd: number,
    buf: Pointer | null,
    len: number,
    flags: number,
    addr: Uint8Array | null,
    alen: number,
  ) => number,
  ifNameToIndex: lib.func('unsigned int if_nametoindex(const char *name)') as (name: string) => number,
  ifIndexToName: lib.func('char *if_indextoname(unsigned int index, void *buf)') as (index: number, buf: Uint8Array) => string | null,
  strerror: lib.func('const char *strerror(int errnum)') as (errnum: number) => string,
  /** ioctl with a pointer argument (an ifreq laid out in native memory). */
  ioctl: lib.func('int ioctl(int fd, unsigned long req, void *arg)') as (fd: number, req: number, arg: Pointer) => number,
};

const errnoNames = new Map<number, string>();
for (const [name, value] of Object.entries(koffi.os.errno)) if (!errnoNames.has(value)) errnoNames.set(value, name);

/** errno's symbolic name (`ENODEV`), or `E<number>` when unknown. */
export function errnoName(errno: number): string {
  return errnoNames.get(errno) ?? `E${errno}`;
}

/** errno values tscap reacts to. */
export const ERRNO = {
  EPERM: koffi.os.errno['EPERM'] ?? 1,
  ENOENT: koffi.os.errno['ENOENT'] ?? 2,
  EINTR: koffi.os.errno['EINTR'] ?? 4,
  EIO: koffi.os.errno['EIO'] ?? 5,
  EAGAIN: koffi.os.errno['EAGAIN'] ?? 11,
  ENOMEM: koffi.os.errno['ENOMEM'] ?? 12,
  EACCES: koffi.os.errno['EACCES'] ?? 13,
  EBUSY: koffi.os.errno['EBUSY'] ?? 16,
  ENODEV: koffi.os.errno['ENODEV'] ?? 19,
  EINVAL: koffi.os.errno['EINVAL'] ?? 22,
  ENETDOWN: koffi.os.errno['ENETDOWN'] ?? 100,
  ENXIO: koffi.os.errno['ENXIO'] ?? 6,
  ENOBUFS: koffi.os.errno['ENOBUFS'] ?? 105,
  ENOSPC: koffi.os.errno['ENOSPC'] ?? 28,
  EALREADY: koffi.os.errno['EALREADY'] ?? 114,
  EBADF: koffi.os.errno['EBADF'] ?? 9,
  EOPNOTSUPP: koffi.os.errno['EOPNOTSUPP'] ?? 95,
  EMSGSIZE: koffi.os.errno['EMSGSIZE'] ?? 90,
  EEXIST: koffi.os.errno['EEXIST'] ?? 17,
} as const;

/** A failed libc call: `call` names it, `errno`/`code` say why, `message` is `call: strerror (CODE)`. */
export class SyscallError extends Error {
  override readonly name = 'SyscallError';
  /** Symbolic errno name, e.g. `ENODEV`. */
  readonly code: string;
  /** strerror(3) text. */
  readonly reason: string;
  constructor(
    readonly call: string,
    readonly errno: number,
    detail?: string,
  ) {
    const reason = raw.strerror(errno);
    const code = errnoName(errno);
    super(`${detail ?? call}: ${reason} (${code})`);
    this.code = code;
    this.reason = reason;
  }
}

/** The errno of the last failed call on this thread. */
export function lastErrno(): number {
  return koffi.errno();
}

/** Throws a SyscallError when `ret` is negative; otherwise returns it. */
export function check(call: string, ret: number, detail?: string): number {
  if (ret < 0) throw new SyscallError(call, koffi.errno(), detail);
  return ret;
}

/** A zero-copy ArrayBuffer over native memory (a mapped ring, a buffer from `allocNative`). */
export function nativeView(ptr: Pointer, length: number): ArrayBuffer {
  return koffi.view(ptr, length);
}

/** Native memory with a stable address, for structures that hold pointers (msghdr, sock_fprog). */
export interface NativeBuffer {
  readonly ptr: Pointer;
  readonly bytes: Uint8Array;
  free(): void;
}

/** Allocates `length` bytes of native memory; call `free()` when done (JS views must not be used after). */
export function allocNative(length: number): NativeBuffer {
  const mem = koffi.alloc('uint8_t', length) as unknown;
  const ptr = koffi.address(mem);
  const bytes = new Uint8Array(koffi.view(mem, length));
  let freed = false;
  return {
    ptr,
    bytes,
    free: () => {
      if (!freed) koffi.free(mem);
      freed = true;
    },
  };
}

/** Readiness events as libuv reports them. */
export interface PollEvents {
  readable: boolean;
  writable: boolean;
  disconnect: boolean;
}

/** A libuv poll watcher on a file descriptor: no thread, the event loop stays free. */
export interface FdWatcher {
  start(callback: (ev: PollEvents) => void): void;
  stop(): void;
  close(): void;
  unref(): void;
  ref(): void;
}

/** Watches `fd` for readability on Node's event loop. The watcher starts stopped. */
export function watchFd(fd: number, callback: (ev: PollEvents) => void): FdWatcher {
  const handle = koffi.node.poll(fd, { readable: true }, callback);
  handle.stop();
  return {
    start: (cb) => handle.start({ readable: true }, cb),
    stop: () => handle.stop(),
    close: () => handle.close(),
    unref: () => handle.unref(),
    ref: () => handle.ref(),
  };
}
