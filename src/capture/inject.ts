/** Sending whole frames out of an interface through an AF_PACKET socket (test rigs, replay). */
import { SOCKADDR_LL, AF_PACKET, ERRNO, SyscallError, lastErrno, raw } from '../syscalls/index.js';
import { interfaceInfo } from './interfaces.js';
import { closeQuietly, openPacketSocket } from './socket.js';

/** A socket that sends raw link-layer frames out of one interface. */
export interface Injector {
  /** Sends one frame (with its link-layer header); waits while the socket buffer is full. */
  send(frame: Uint8Array): void;
  close(): void;
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
    close(): void {
      if (!closed) closeQuietly(fd);
      closed = true;
    },
  };
}
