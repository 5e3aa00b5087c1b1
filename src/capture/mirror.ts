/**
 * Mirroring captured frames out of another interface, in one of two ways:
 * - with a sender thread (`sendThread: true`, the default with 4 CPUs or more): the capture thread
 *   only copies each frame into the hand-off ring (`handoff.ts`); the sender thread copies it into a
 *   TPACKET_V2 TX ring slot, marks it TP_STATUS_SEND_REQUEST, and one `sendto` per batch asks the kernel
 *   to send every pending slot. When the TX ring is full the sender thread waits for the kernel
 *   (briefly, then drops and counts); the capture thread never waits for either ring.
 * - inline (`sendThread: false`, the default below 4 CPUs): the capture thread sends with sendmmsg on
 *   a packet socket, from the capture ring in place (`inline-send.ts`, `mmsg-sender.ts`), one call per
 *   ring walk or block; a full socket costs counted drops, never a wait.
 * Both sockets bypass the qdisc layer (PACKET_QDISC_BYPASS): a copy of traffic needs no queueing
 * discipline, and the bypass saves its locking per frame. It skips the packet taps on the interface
 * too, so a capture on it (or on `any`) does not take the mirrored frames in again.
 */
import { availableParallelism } from 'node:os';
import type { PacketSink, PacketView } from '../packet.js';
import {
  IFF,
  MAP_FAILED,
  MAP_SHARED,
  MSG_DONTWAIT,
  PACKET,
  PAGE_SIZE,
  PROT_READ,
  PROT_WRITE,
  SOCKADDR_LL,
  SOL_PACKET,
  TPACKET2_HDR,
  TPACKET_REQ,
  TPACKET_V2,
  TP_TX_STATUS,
  AF_PACKET,
  ERRNO,
  SyscallError,
  check,
  lastErrno,
  nativeView,
  raw,
  type Pointer,
} from '../syscalls/index.js';
import { CaptureOptionError } from './capture.js';
import { startHandoff, type ForwardStats, type HandoffOptions, type SenderSpec } from './handoff.js';
import type { NativeMemory } from './gather.js';
import { defaultSendThread, startInline } from './inline-send.js';
import { interfaceInfo, type InterfaceInfo } from './interfaces.js';
import { mmsgSender } from './mmsg-sender.js';
import { closeQuietly, openPacketSocket, setIntOption } from './socket.js';
import { newSenderCounts, pause, type FrameSender } from './sender.js';

export type { ForwardStats } from './handoff.js';

/** TX ring geometry, hand-off and GRO. */
export interface MirrorOptions {
  /** Bytes per slot, header included (default 2048: any 1514-byte frame with a tag fits; with GRO, room for the largest merged frame). */
  frameSize?: number;
  /** Number of slots (default 4096; with GRO and large slots, 32 MiB worth). */
  frames?: number;
  /** Bytes of the hand-off ring between the capture thread and the sender thread (default 32 MiB). */
  queueBytes?: number;
  /** Merge consecutive TCP segments of a flow before sending (application-level GRO), up to the interface MTU and 64 KiB. */
  gro?: boolean;
  /** GRO hold time in nanoseconds (default 2 ms). */
  groWindowNs?: number;
  /** Receives the sender thread's warnings (default: none). */
  onWarning?: (msg: string) => void;
  /** Send from a thread of its own (true) or from the capture thread (false); default: a thread with 4 CPUs or more. */
  sendThread?: boolean;
}

/** A sink that sends every frame it is given out of one interface. */
export interface Mirror extends PacketSink {
  readonly iface: InterfaceInfo;
  /** The largest IP packet GRO builds (the interface MTU, at most 65535), when GRO is on. */
  readonly groMaxIpLen: number | undefined;
  /** Resolves once the sender thread runs. */
  readonly ready: Promise<void>;
  /** Whether a sender thread sends (otherwise the capture thread does). */
  readonly sendThread: boolean;
  stats(): ForwardStats;
  /** Inline only: frames lying in `mem` (the capture ring) are sent from it without a copy. */
  gatherFrom?(mem: NativeMemory | undefined): void;
  /** Inline only: sends what still points into the ring; call before a ring block goes back to the kernel. */
  flushGathered?(): void;
}

const BLOCK = 1 << 16;

/**
 * Opens a mirror on `ifname`: throws when the interface does not exist, is down, or has no Ethernet
 * link type. The TX ring is set up here (errors surface at once); a sender thread drives it.
 * @example
 * const mirror = createMirror('veth-ids', { gro: true });
 * for await (const p of capture) mirror.write(p);
 */
export function createMirror(ifname: string, opts: MirrorOptions = {}): Mirror {
  const info = interfaceInfo(ifname);
  if ((info.flags & IFF.UP) === 0) throw new SyscallError('bind', ERRNO.ENETDOWN, `--mirror ${ifname}: That device is not up`);
  const maxFrame = info.mtu + 14 + 4; // MTU plus Ethernet header plus one VLAN tag, as the kernel allows
  const groMaxIpLen = opts.gro === true ? Math.min(65535, info.mtu) : undefined;
  const sendThread = opts.sendThread ?? defaultSendThread(availableParallelism());
  const hopts: HandoffOptions = {
    ...(opts.queueBytes !== undefined ? { queueBytes: opts.queueBytes } : {}),
    ...(groMaxIpLen !== undefined ? { groMaxIpLen } : {}),
    ...(opts.groWindowNs !== undefined ? { groWindowNs: opts.groWindowNs } : {}),
  };
  if (!sendThread) {
    const fd = boundPacketSocket(ifname, info, () => undefined);
    const h = startInline(mmsgSender(fd, { maxLen: maxFrame, patienceMs: 0 }), hopts, () => closeQuietly(fd));
    return { iface: info, groMaxIpLen, sendThread, ...h };
  }
  const frameSize = opts.frameSize ?? (groMaxIpLen !== undefined ? Math.max(2048, (TPACKET2_HDR.TX_DATA + maxFrame + 15) & ~15) : 2048);
  if (frameSize % 16 !== 0 || frameSize < 128) throw new CaptureOptionError(`mirror frame size ${frameSize}: must be a multiple of 16 and at least 128`);
  const blockSize = Math.max(BLOCK, Math.ceil(frameSize / PAGE_SIZE) * PAGE_SIZE);
  const perBlock = Math.floor(blockSize / frameSize);
  const count = opts.frames ?? (frameSize <= 2048 ? 4096 : Math.max(64, Math.floor((32 << 20) / frameSize)));
  const blocks = Math.ceil(count / perBlock);
  const slots = blocks * perBlock;
  let ptr: Pointer = 0n;
  const fd = boundPacketSocket(ifname, info, (s) => {
    setIntOption(s, SOL_PACKET, PACKET.VERSION, TPACKET_V2, 'PACKET_VERSION');
    const req = new Uint8Array(TPACKET_REQ.SIZE);
    const dv = new DataView(req.buffer);
    dv.setUint32(TPACKET_REQ.blockSize, blockSize, true);
    dv.setUint32(TPACKET_REQ.blockNr, blocks, true);
    dv.setUint32(TPACKET_REQ.frameSize, frameSize, true);
    dv.setUint32(TPACKET_REQ.frameNr, slots, true);
    check('setsockopt', raw.setsockopt(s, SOL_PACKET, PACKET.TX_RING, req, TPACKET_REQ.SIZE), 'setsockopt(PACKET_TX_RING)');
    ptr = raw.mmap(null, blockSize * blocks, PROT_READ | PROT_WRITE, MAP_SHARED, s, 0);
    if (ptr === MAP_FAILED) throw new SyscallError('mmap', lastErrno(), 'mmap of the TX ring');
  });
  const spec: SenderSpec = { kind: 'mirror', fd, ring: { ptr, blockSize, blocks, frameSize }, maxFrame };
  const warn = opts.onWarning ?? (() => undefined);
  const h = startHandoff(spec, hopts, (m) => warn(`--mirror ${ifname}: ${m}`), () => {
    raw.munmap(ptr, blockSize * blocks);
    closeQuietly(fd);
  });
  return { iface: info, groMaxIpLen, sendThread, ready: h.ready, write: h.write, flush: h.flush, close: h.close, stats: h.stats };
}

/**
 * A packet socket that sends on `info`'s interface, past the qdisc layer; `setup` runs on it before
 * the bind (the TX ring). The socket is closed when anything fails.
 */
function boundPacketSocket(ifname: string, info: InterfaceInfo, setup: (fd: number) => void): number {
  const fd = openPacketSocket();
  try {
    setup(fd);
    setIntOption(fd, SOL_PACKET, PACKET.QDISC_BYPASS, 1, 'PACKET_QDISC_BYPASS');
    // Bound with protocol 0: the socket sends on the interface and receives nothing.
    const sll = new Uint8Array(SOCKADDR_LL.SIZE);
    const sdv = new DataView(sll.buffer);
    sdv.setUint16(SOCKADDR_LL.family, AF_PACKET, true);
    sdv.setInt32(SOCKADDR_LL.ifindex, info.index, true);
    check('bind', raw.bind(fd, sll, SOCKADDR_LL.SIZE), `--mirror ${ifname}: bind`);
  } catch (err) {
    closeQuietly(fd);
    throw err;
  }
  return fd;
}

/** How long the sender thread waits for a free TX slot before it drops the frame (counted). */
const TX_PATIENCE_MS = 50;

/** The sender thread's side: fills TX ring slots from frames and kicks the kernel once per batch. */
export function txRingSender(spec: Extract<SenderSpec, { kind: 'mirror' }>): FrameSender {
  const { fd, maxFrame } = spec;
  const { ptr, blockSize, blocks, frameSize } = spec.ring;
  const perBlock = Math.floor(blockSize / frameSize);
  const slots = blocks * perBlock;
  const ringBytes = new Uint8Array(nativeView(ptr, blockSize * blocks));
  const u32 = new Uint32Array(ringBytes.buffer);
  const i32 = new Int32Array(ringBytes.buffer);
  const room = frameSize - TPACKET2_HDR.TX_DATA;
  const counts = newSenderCounts();
  let head = 0;
  let pending = 0;
  const slotAt = (i: number): number => Math.floor(i / perBlock) * blockSize + (i % perBlock) * frameSize;

  const kick = (): void => {
    if (pending === 0) return;
    const n = raw.sendtoPtr(fd, null, 0, MSG_DONTWAIT, null, 0);
    if (n < 0) {
      const errno = lastErrno();
      if (errno !== ERRNO.EAGAIN && errno !== ERRNO.ENOBUFS) counts.errors++;
    }
    pending = 0;
    // A veth delivers each sent frame into this CPU's receive backlog (1000 frames by default). When
    // the kernel has deferred that backlog to ksoftirqd, back-to-back kicks from this thread overflow it
    // and the frames are lost without a trace; yielding once per kick lets ksoftirqd drain it.
    raw.schedYield();
  };
  /** Waits (this thread may) until slot `at` is free again; false when the kernel does not free it in time. */
  const slotFree = (at: number): boolean => {
    kick();
    const deadline = performance.now() + TX_PATIENCE_MS;
    for (;;) {
      const s = Atomics.load(i32, at >> 2);
      if (s === TP_TX_STATUS.AVAILABLE || s === TP_TX_STATUS.WRONG_FORMAT) return true;
      if (performance.now() > deadline) return false;
      pause(0.05);
    }
  };

  return {
    counts,
    write(p: PacketView, frames: number): void {
      const len = p.capLen;
      if (len > maxFrame || len > room || len < 14) {
        counts.dropped += frames;
        return;
      }
      const at = slotAt(head);
      let status = Atomics.load(i32, at >> 2);
      if (status !== TP_TX_STATUS.AVAILABLE && status !== TP_TX_STATUS.WRONG_FORMAT) {
        if (!slotFree(at)) {
          counts.dropped += frames;
          return;
        }
        status = Atomics.load(i32, at >> 2);
      }
      if (status === TP_TX_STATUS.WRONG_FORMAT) counts.errors++; // the frame sent from this slot earlier was refused
      ringBytes.set(p.buf.subarray(p.offset, p.offset + len), at + TPACKET2_HDR.TX_DATA);
      u32[(at + TPACKET2_HDR.tpLen) >> 2] = len;
      Atomics.store(i32, at >> 2, TP_TX_STATUS.SEND_REQUEST);
      head = (head + 1) % slots;
      pending++;
      counts.frames += frames;
      counts.packets++;
      counts.bytes += len;
      if (pending >= 256) kick();
    },
    flush: kick,
    async close(): Promise<void> {
      kick();
      // Let the kernel finish what is queued (bounded) before the main thread releases the ring.
      for (let tries = 0; tries < 50; tries++) {
        let busy = false;
        for (let i = 0; i < slots && !busy; i++) {
          const s = Atomics.load(i32, slotAt(i) >> 2);
          if (s === TP_TX_STATUS.SEND_REQUEST || s === TP_TX_STATUS.SENDING) busy = true;
        }
        if (!busy) break;
        raw.sendtoPtr(fd, null, 0, MSG_DONTWAIT, null, 0);
        await new Promise((r) => setTimeout(r, 2));
      }
    },
  };
}
