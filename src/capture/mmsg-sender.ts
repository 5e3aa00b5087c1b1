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
import { CMSGHDR, ERRNO, IOVEC, MMSGHDR, MSGHDR, MSG_DONTWAIT, allocNative, lastErrno, raw, type NativeBuffer } from '../syscalls/index.js';
import type { NativeMemory } from './gather.js';
import { etherLinkEnd } from './gro.js';
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
  /**
   * UDP only: datagrams of equal length go out together, as one send with UDP segmentation offload
   * (`UDP_SEGMENT`, see `GsoGrouping`). The kernel splits them into the same datagrams.
   */
  gso?: boolean;
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
  // With GSO: the groups' own mmsghdrs, iovecs (a copy of their members') and control messages.
  const gso = opts.gso === true && prefixLen > 0;
  const gMsgAt = slotsAt + MMSG_BATCH * SLOT;
  const gIovAt = gMsgAt + (gso ? MMSG_BATCH * MMSGHDR.SIZE : 0);
  const gCtlAt = gIovAt + (gso ? MMSG_BATCH * perMsg * IOVEC.SIZE : 0);
  const mem: NativeBuffer = allocNative(gCtlAt + (gso ? MMSG_BATCH * GSO_CMSG : 0));
  const b = mem.bytes;
  // The headers' fields left unset (name, control, flags) must read as zero.
  b.fill(0, 0, slotsAt);
  b.fill(0, gMsgAt);
  const u32 = new Uint32Array(b.buffer, b.byteOffset, b.length >> 2);
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
  const grouping = gso ? new GsoGrouping(prefixLen) : undefined;
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
  /** Frame `i` of the batch went out, as one datagram. */
  const sentFrame = (i: number): void => {
    counts.frames += framesIn[i] ?? 1;
    counts.packets++;
    counts.bytes += lens[i] ?? 0;
  };
  /**
   * sendmmsg over the `n` messages at `msgAt`, telling `fate(k, errno)` each one's end: 0 sent,
   * EAGAIN dropped (a full socket, waited for at most `patienceMs`), any other errno failed. A failed
   * message (ECONNREFUSED and the like report an earlier datagram's fate; ENETDOWN a link gone) does
   * not stop the rest.
   */
  const sendAll = (msgAt: number, n: number, fate: (k: number, errno: number) => void): void => {
    let off = 0;
    const deadline = opts.patienceMs > 0 ? performance.now() + opts.patienceMs : 0;
    while (off < n) {
      const sent = raw.sendmmsg(fd, mem.ptr + BigInt(msgAt + off * MMSGHDR.SIZE), n - off, MSG_DONTWAIT);
      if (sent > 0) {
        for (let k = off; k < off + sent; k++) fate(k, 0);
        off += sent;
        continue;
      }
      const errno = lastErrno();
      if (errno === ERRNO.EAGAIN || errno === ERRNO.ENOBUFS) {
        if (performance.now() < deadline) {
          pause(0.05);
          continue;
        }
        for (let k = off; k < n; k++) fate(k, ERRNO.EAGAIN);
        break;
      }
      fate(off++, errno);
    }
  };
  const frameFate = (i: number, errno: number): void => {
    if (errno === 0) sentFrame(i);
    else if (errno === ERRNO.EAGAIN) counts.dropped += framesIn[i] ?? 1;
    else counts.errors += framesIn[i] ?? 1;
  };
  const send = (): void => {
    if (grouping !== undefined && grouping.enabled && pending > 1) sendGrouped(grouping);
    else sendAll(0, pending, frameFate);
    pending = 0;
  };
  /**
   * The batch as groups of equal-length datagrams (`GsoGrouping.plan`): one mmsghdr per group, whose
   * iovecs are copies of its members' and whose control message gives the segment size.
   */
  const sendGrouped = (g: GsoGrouping): void => {
    const groups = g.plan(pending, lens);
    const words = (perMsg * IOVEC.SIZE) >> 2;
    let iov = gIovAt;
    for (let k = 0; k < groups; k++) {
      const m = gMsgAt + k * MMSGHDR.SIZE;
      const members = g.size[k] as number;
      put64(m + MSGHDR.iov, mem.ptr + BigInt(iov));
      put64(m + MSGHDR.iovlen, BigInt(members * perMsg));
      for (let j = g.first[k] as number; j >= 0; j = g.next[j] as number) {
        const from = (iovAt + j * perMsg * IOVEC.SIZE) >> 2;
        u32.copyWithin(iov >> 2, from, from + words);
        iov += perMsg * IOVEC.SIZE;
      }
      if (members > 1) {
        const c = gCtlAt + k * GSO_CMSG;
        put64(c + CMSGHDR.len, BigInt(CMSGHDR.SIZE + 2));
        u32[(c + CMSGHDR.level) >> 2] = SOL_UDP;
        u32[(c + CMSGHDR.type) >> 2] = UDP_SEGMENT;
        const seg = prefixLen + (lens[g.first[k] as number] as number);
        b[c + CMSGHDR.data] = seg & 0xff;
        b[c + CMSGHDR.data + 1] = seg >> 8;
        put64(m + MSGHDR.control, mem.ptr + BigInt(c));
        put64(m + MSGHDR.controllen, BigInt(GSO_CMSG));
      } else {
        put64(m + MSGHDR.control, 0n);
        put64(m + MSGHDR.controllen, 0n);
      }
    }
    sendAll(gMsgAt, groups, (k, errno) => {
      const first = g.first[k] as number;
      if (errno !== 0 && (g.size[k] as number) > 1 && (errno === ERRNO.EMSGSIZE || errno === ERRNO.EINVAL || errno === ERRNO.EIO)) {
        // Segmentation refused. EMSGSIZE: a segment over the path MTU, which only a datagram of its
        // own can be (the kernel fragments it), so lengths from this one up are no longer grouped.
        // EINVAL, EIO (no checksum offload on the route's device): GSO is off from now on. The
        // group's members go out one by one, through their own messages.
        if (errno === ERRNO.EMSGSIZE) g.maxLen = Math.min(g.maxLen, (lens[first] as number) - 1);
        else g.enabled = false;
        for (let j = first; j >= 0; j = g.next[j] as number) sendAll(j * MMSGHDR.SIZE, 1, (_k, e) => frameFate(j, e));
        return;
      }
      for (let j = first; j >= 0; j = g.next[j] as number) frameFate(j, errno);
    });
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
      if (grouping !== undefined) grouping.key[i] = flowKey(p.buf, p.offset, len);
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

/** SOL_UDP and its UDP_SEGMENT option (linux/udp.h): the segment size of a GSO send. */
const SOL_UDP = 17;
const UDP_SEGMENT = 103;
/** CMSG_SPACE(sizeof(uint16_t)). */
const GSO_CMSG = 24;
/** Segments per GSO send: UDP_MAX_SEGMENTS of kernels before 6.x (later ones take 128). */
const GSO_MAX_SEGMENTS = 64;
/** Payload bytes per GSO send: one IPv4 UDP datagram's most, with room for the headers. */
const GSO_MAX_BYTES = 65000;
/** Flow slots of the ordering check; slot 0 holds every frame without an IP header. */
const FLOW_SLOTS = 1024;

/**
 * Which flow a frame belongs to, for ordering only: a hash of its IP source and destination (IPv4 or
 * IPv6 behind Ethernet and up to two VLAN tags), 0 for anything else. Frames of different flows may
 * share a key; that only keeps more of them in their order.
 */
export function flowKey(buf: Uint8Array, off: number, len: number): number {
  const link = etherLinkEnd(buf, off, len);
  const at = off + (link >>> 16);
  const type = link & 0xffff;
  const end = off + len;
  let from: number;
  let to: number;
  if (type === 0x0800) [from, to] = [at + 12, at + 20];
  else if (type === 0x86dd) [from, to] = [at + 8, at + 40];
  else return 0;
  if (to > end) return 0;
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
  return (h >>> 0) % (FLOW_SLOTS - 1) + 1;
}

/**
 * Groups a batch's datagrams for UDP GSO, keeping each flow's order. Datagrams of equal length join
 * one group (one send, the kernel cuts it into the same datagrams), so a bulk transfer's full-size
 * frames go out together, and its ACKs together. Groups go out in the order they were opened, each
 * in its members' order. A frame joins the open group of its length only if no earlier frame of its
 * flow (by `flowKey`) went into a later group: then every flow's frames leave in capture order, and
 * only frames of different flows (the two directions of a connection included) may change places,
 * within one batch. A group holds at most 64 datagrams and 65000 bytes, and only datagrams that fit
 * the path MTU (the kernel cuts segments, it does not fragment them): a length refused once is sent
 * alone from then on.
 */
export class GsoGrouping {
  enabled = true;
  /** Frames longer than this go alone (their datagrams exceed the path MTU). */
  maxLen = Infinity;
  /** Per frame of the batch: its flow key (set by the writer), the next member of its group or -1. */
  readonly key = new Uint32Array(MMSG_BATCH);
  readonly next = new Int32Array(MMSG_BATCH);
  /** Per group: its first member and member count. */
  readonly first = new Int32Array(MMSG_BATCH);
  readonly size = new Uint32Array(MMSG_BATCH);
  private readonly last = new Int32Array(MMSG_BATCH);
  /** The open group of each datagram length and each flow's latest group, valid when stamped with this batch. */
  private readonly openOfLen = new Map<number, number>();
  private readonly flowGroup = new Int32Array(FLOW_SLOTS);
  private readonly flowStamp = new Uint32Array(FLOW_SLOTS);
  private stamp = 0;

  constructor(private readonly prefixLen: number) {}

  /** Groups frames 0..n-1 of lengths `lens`; returns the group count. */
  plan(n: number, lens: Uint32Array): number {
    this.openOfLen.clear();
    const stamp = (this.stamp = (this.stamp + 1) >>> 0 || 1);
    let groups = 0;
    for (let i = 0; i < n; i++) {
      const len = lens[i] as number;
      const seg = this.prefixLen + len;
      const f = this.key[i] as number;
      const after = this.flowStamp[f] === stamp ? (this.flowGroup[f] as number) : -1;
      let k = this.openOfLen.get(len) ?? -1;
      if (k < 0 || k < after || len > this.maxLen || (this.size[k] as number) >= GSO_MAX_SEGMENTS || ((this.size[k] as number) + 1) * seg > GSO_MAX_BYTES) {
        k = groups++;
        this.first[k] = i;
        this.size[k] = 0;
        this.openOfLen.set(len, k);
      } else this.next[this.last[k] as number] = i;
      this.last[k] = i;
      this.next[i] = -1;
      this.size[k] = (this.size[k] as number) + 1;
      this.flowGroup[f] = k;
      this.flowStamp[f] = stamp;
    }
    return groups;
  }
}
