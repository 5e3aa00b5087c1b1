/** Sending whole frames out of an interface through an AF_PACKET socket (test rigs, replay). */
import { AF_PACKET, ERRNO, IOVEC, MMSGHDR, MSGHDR, SOCKADDR_LL, SyscallError, allocNative, lastErrno, raw, type NativeBuffer } from '../syscalls/index.js';
import { interfaceInfo } from './interfaces.js';
import { closeQuietly, openPacketSocket } from './socket.js';

/** A socket that sends raw link-layer frames out of one interface. */
export interface Injector {
  /** Sends one frame (with its link-layer header); waits while the socket buffer is full. */
  send(frame: Uint8Array): void;
  /**
   * Sends `count` copies of `frame`, up to 64 per sendmmsg(2) (load generation); waits while the
   * socket buffer is full.
   */
  sendCopies(frame: Uint8Array, count: number): void;
  close(): void;
}

/** Messages per sendmmsg in `sendCopies`. */
const COPIES = 64;
const NAME_AT = 0;
const IOV_AT = 24; // sockaddr_ll padded to 8
const VEC_AT = IOV_AT + IOVEC.SIZE;
const FRAME_AT = VEC_AT + COPIES * MMSGHDR.SIZE;

/** A sendmmsg vector of COPIES messages that all send the same frame to the same address. */
function copiesVector(addr: Uint8Array, frameCapacity: number): NativeBuffer {
  const mem = allocNative(FRAME_AT + frameCapacity);
  const dv = new DataView(mem.bytes.buffer, mem.bytes.byteOffset, mem.bytes.byteLength);
  mem.bytes.set(addr, NAME_AT);
  dv.setBigUint64(IOV_AT + IOVEC.base, mem.ptr + BigInt(FRAME_AT), true);
  for (let i = 0; i < COPIES; i++) {
    const m = VEC_AT + i * MMSGHDR.SIZE + MMSGHDR.hdr;
    dv.setBigUint64(m + MSGHDR.name, mem.ptr + BigInt(NAME_AT), true);
    dv.setUint32(m + MSGHDR.namelen, SOCKADDR_LL.SIZE, true);
    dv.setBigUint64(m + MSGHDR.iov, mem.ptr + BigInt(IOV_AT), true);
    dv.setBigUint64(m + MSGHDR.iovlen, 1n, true);
  }
  return mem;
}

/**
 * Opens an injector on `iface`. The socket is bound with protocol 0, so it receives nothing.
 * @example
 * const inj = openInjector('veth1'); inj.send(frame); inj.close();
 */
export function openInjector(iface: string): Injector {
  const info = interfaceInfo(iface);
  const fd = openPacketSocket();
  const addr = new Uint8Array(SOCKADDR_LL.SIZE);
  const dv = new DataView(addr.buffer);
  dv.setUint16(SOCKADDR_LL.family, AF_PACKET, true);
  dv.setInt32(SOCKADDR_LL.ifindex, info.index, true);
  // Never bound with a protocol, the socket receives nothing; sendto names the interface each time.
  let closed = false;
  let copies: NativeBuffer | undefined;
  return {
    send(frame: Uint8Array): void {
      if (closed) throw new Error('injector is closed');
      for (;;) {
        const n = raw.sendto(fd, frame, frame.length, 0, addr, SOCKADDR_LL.SIZE);
        if (n >= 0) return;
        const errno = lastErrno();
        if (errno === ERRNO.EAGAIN || errno === ERRNO.ENOBUFS) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
          continue;
        }
        throw new SyscallError('sendto', errno, `${iface}: sendto`);
      }
    },
    sendCopies(frame: Uint8Array, count: number): void {
      if (closed) throw new Error('injector is closed');
      if (copies === undefined || copies.bytes.length < FRAME_AT + frame.length) {
        copies?.free();
        copies = copiesVector(addr, Math.max(2048, frame.length));
      }
      copies.bytes.set(frame, FRAME_AT);
      new DataView(copies.bytes.buffer, copies.bytes.byteOffset).setBigUint64(IOV_AT + IOVEC.len, BigInt(frame.length), true);
      let left = count;
      while (left > 0) {
        const n = raw.sendmmsg(fd, copies.ptr + BigInt(VEC_AT), Math.min(left, COPIES), 0);
        if (n > 0) {
          left -= n;
          continue;
        }
        const errno = lastErrno();
        if (errno === ERRNO.EAGAIN || errno === ERRNO.ENOBUFS) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
          continue;
        }
        throw new SyscallError('sendmmsg', errno, `${iface}: sendmmsg`);
      }
    },
    close(): void {
      if (!closed) closeQuietly(fd);
      closed = true;
      copies?.free();
      copies = undefined;
    },
  };
}
