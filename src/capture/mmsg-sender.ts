/**
 * Sending frames as datagrams with sendmmsg(2), up to 1024 a call: the VXLAN exporter (an 8-byte
 * header in front of each frame, on a UDP socket) and the inline mirror (the frame alone, on a packet
 * socket bound to the interface). Each message has an iovec for the prefix, shared by all, and one for
 * the frame. A frame that lies in the capture ring the sender was told of (`gatherFrom`) is sent from
 * there: the iovec points into the ring and JavaScript copies nothing (the kernel copies once, into
 * the skb). Any other frame (a GRO merge, a frame from a file or a merged multi-interface capture) is
 * copied into one of the batch's slots; one larger than a slot goes alone through sendto.
 *
 * The owner sends the batch (`flush`) after each ring walk and before a ring block goes back to the
 * kernel. A full socket is waited for at most `patienceMs` (0 on the capture thread), then the rest of
 * the batch is dropped and counted.
 */
import type { PacketView } from '../packet.js';
import { ERRNO, IOVEC, MMSGHDR, MSGHDR, MSG_DONTWAIT, allocNative, lastErrno, raw, type NativeBuffer } from '../syscalls/index.js';
import type { NativeMemory } from './gather.js';
import { newSenderCounts, pause, type FrameSender } from './sender.js';

/** A sender that can send frames lying in a capture ring without copying them. */
export interface GatheringSender extends FrameSender {
  /** Frames whose bytes are `mem.bytes` are sent from `mem` in place (undefined: copy every frame). */
  gatherFrom(mem: NativeMemory | undefined): void;
}

/** Options of `mmsgSender`. */
export interface MmsgOptions {
  /** Bytes sent in front of every frame (the VXLAN header), or none. */
  prefix?: Uint8Array;
  /** Frames longer than this are dropped and counted (the MTU, or the largest UDP payload). */
  maxLen: number;
  /** How long a full socket is waited for before the batch's rest is dropped (0: never wait). */
  patienceMs: number;
}

/** Messages per sendmmsg call (UIO_MAXIOV). */
export const MMSG_BATCH = 1024;
/** Bytes of a copy slot: a jumbo frame. */
const SLOT = 9216;
const TWO32 = 2 ** 32;

/** A sendmmsg sender on a connected UDP socket or a bound packet socket `fd` (owned by the caller). */
export function mmsgSender(fd: number, opts: MmsgOptions): GatheringSender {
  const prefixLen = opts.prefix?.length ?? 0;
  const perMsg = prefixLen > 0 ? 2 : 1;
  const iovAt = MMSG_BATCH * MMSGHDR.SIZE;
  const prefixAt = iovAt + MMSG_BATCH * perMsg * IOVEC.SIZE;
  const slotsAt = prefixAt + 16;
  const mem: NativeBuffer = allocNative(slotsAt + MMSG_BATCH * SLOT);
  const b = mem.bytes;
  const u32 = new Uint32Array(b.buffer, b.byteOffset, slotsAt >> 2);
  const base = (at: number): [number, number] => {
    const a = mem.ptr + BigInt(at);
    return [Number(a & 0xffffffffn), Number(a >> 32n)];
  };
  const put64 = (at: number, v: bigint): void => {
    u32[at >> 2] = Number(v & 0xffffffffn);
    u32[(at >> 2) + 1] = Number(v >> 32n);
  };
  for (let i = 0; i < MMSG_BATCH; i++) {
    const m = i * MMSGHDR.SIZE;
    put64(m + MSGHDR.iov, mem.ptr + BigInt(iovAt + i * perMsg * IOVEC.SIZE));
    put64(m + MSGHDR.iovlen, BigInt(perMsg));
    if (prefixLen > 0) {
      const v = iovAt + i * perMsg * IOVEC.SIZE;
      put64(v + IOVEC.base, mem.ptr + BigInt(prefixAt));
      put64(v + IOVEC.len, BigInt(prefixLen));
    }
  }
  if (opts.prefix !== undefined) b.set(opts.prefix, prefixAt);
  const [slotLo, slotHi] = base(slotsAt);
  const big = new Uint8Array(prefixLen + Math.max(opts.maxLen, 14));
  if (opts.prefix !== undefined) big.set(opts.prefix, 0);
  const counts = newSenderCounts();
  const framesIn = new Uint32Array(MMSG_BATCH);
  const lens = new Uint32Array(MMSG_BATCH);
  let pending = 0;
  let ring: Uint8Array | undefined;
  let ringLo = 0;
  let ringHi = 0;

  /** Points message `i`'s frame iovec at `lo + off` (`hi` the high half), `len` bytes. */
  const point = (i: number, lo: number, hi: number, off: number, len: number): void => {
    const w = (iovAt + (i * perMsg + perMsg - 1) * IOVEC.SIZE) >> 2;
    const a = lo + off;
    if (a < TWO32) {
      u32[w] = a;
      u32[w + 1] = hi;
    } else {
      u32[w] = a - TWO32;
      u32[w + 1] = hi + 1;
    }
    u32[w + 2] = len;
    u32[w + 3] = 0;
  };
  const dropRest = (from: number): void => {
    for (let i = from; i < pending; i++) counts.dropped += framesIn[i] ?? 1;
  };
  const send = (): void => {
    let off = 0;
    const deadline = opts.patienceMs > 0 ? performance.now() + opts.patienceMs : 0;
    while (off < pending) {
      const n = raw.sendmmsg(fd, mem.ptr + BigInt(off * MMSGHDR.SIZE), pending - off, MSG_DONTWAIT);
      if (n > 0) {
        for (let i = off; i < off + n; i++) {
          counts.frames += framesIn[i] ?? 1;
          counts.packets++;
          counts.bytes += lens[i] ?? 0;
        }
        off += n;
        continue;
      }
      const errno = lastErrno();
      if (errno === ERRNO.EAGAIN || errno === ERRNO.ENOBUFS) {
        if (performance.now() < deadline) {
          pause(0.05);
          continue;
        }
        dropRest(off);
        break;
      }
      // ECONNREFUSED and the like report an earlier datagram's fate (UDP); ENETDOWN a link gone: this
      // message is counted as an error and the rest still tried.
      counts.errors += framesIn[off] ?? 1;
      off++;
    }
    pending = 0;
  };
  /** A frame too large for a slot, not in the ring: alone, through sendto, after what is batched. */
  const sendBig = (p: PacketView, frames: number): void => {
    if (pending > 0) send();
    big.set(p.buf.subarray(p.offset, p.offset + p.capLen), prefixLen);
    const deadline = opts.patienceMs > 0 ? performance.now() + opts.patienceMs : 0;
    for (;;) {
      if (raw.sendto(fd, big, p.capLen + prefixLen, MSG_DONTWAIT, null, 0) >= 0) {
        counts.frames += frames;
        counts.packets++;
        counts.bytes += p.capLen;
        return;
      }
      const errno = lastErrno();
      if ((errno === ERRNO.EAGAIN || errno === ERRNO.ENOBUFS) && performance.now() < deadline) {
        pause(0.05);
        continue;
      }
      if (errno === ERRNO.EAGAIN || errno === ERRNO.ENOBUFS || errno === ERRNO.EMSGSIZE) counts.dropped += frames;
      else counts.errors += frames;
      return;
    }
  };

  return {
    counts,
    gatherFrom(m: NativeMemory | undefined): void {
      if (pending > 0) send();
      ring = m?.bytes;
      if (m !== undefined) [ringLo, ringHi] = [Number(m.address & 0xffffffffn), Number(m.address >> 32n)];
    },
    write(p: PacketView, frames: number): void {
      const len = p.capLen;
      if (len > opts.maxLen || len < 14) {
        counts.dropped += frames;
        return;
      }
      const i = pending;
      if (p.buf === ring) point(i, ringLo, ringHi, p.offset, len);
      else if (len <= SLOT) {
        b.set(p.buf.subarray(p.offset, p.offset + len), slotsAt + i * SLOT);
        point(i, slotLo, slotHi, i * SLOT, len);
      } else {
        sendBig(p, frames);
        return;
      }
      lens[i] = len;
      framesIn[i] = frames;
      if (++pending === MMSG_BATCH) send();
    },
    flush(): void {
      if (pending > 0) send();
    },
    async close(): Promise<void> {
      if (pending > 0) send();
      mem.free();
    },
  };
}
