/**
 * Mirroring captured frames out of another interface through a TPACKET_V2 TX ring: frames are copied
 * into ring slots from TypeScript, marked TP_STATUS_SEND_REQUEST, and one `sendto` per batch asks the
 * kernel to send every pending slot. A full ring never blocks the capture: the frame is counted as
 * dropped.
 */
import type { PacketSink, PacketView } from '../packet.js';
import {
  IFF,
  MAP_FAILED,
  MAP_SHARED,
  MSG_DONTWAIT,
  PACKET,
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
import { interfaceInfo, type InterfaceInfo } from './interfaces.js';
import { closeQuietly, openPacketSocket, setIntOption } from './socket.js';

/** Counters of a mirror or exporter. */
export interface ForwardStats {
  /** Frames handed to the kernel (mirror) or sent (exporter). */
  frames: number;
  /** Bytes of those frames. */
  bytes: number;
  /** Frames the kernel refused or a send failed for. */
  errors: number;
  /** Frames dropped because the ring or queue was full (backpressure), or too big for the MTU. */
  dropped: number;
}

/** TX ring geometry. */
export interface MirrorOptions {
  /** Bytes per slot, header included (default 2048: any 1514-byte frame with a tag fits; 65536 for jumbo). */
  frameSize?: number;
  /** Number of slots (default 4096). */
  frames?: number;
}

/** A sink that sends every frame it is given out of one interface. */
export interface Mirror extends PacketSink {
  readonly iface: InterfaceInfo;
  stats(): ForwardStats;
}

const BLOCK = 1 << 16;

/**
 * Opens a mirror on `ifname`: throws when the interface does not exist, is down, or has no Ethernet
 * link type.
 * @example
 * const mirror = createMirror('veth-ids');
 * for await (const p of capture) mirror.write(p);
 */
export function createMirror(ifname: string, opts: MirrorOptions = {}): Mirror {
  const info = interfaceInfo(ifname);
  if ((info.flags & IFF.UP) === 0) throw new SyscallError('bind', ERRNO.ENETDOWN, `--mirror ${ifname}: That device is not up`);
  const frameSize = opts.frameSize ?? 2048;
  const count = opts.frames ?? 4096;
  if (frameSize % 16 !== 0 || frameSize < 128 || BLOCK % frameSize !== 0) throw new CaptureOptionError(`mirror frame size ${frameSize}: must divide ${BLOCK} and be a multiple of 16`);
  const perBlock = BLOCK / frameSize;
  const blocks = Math.ceil(count / perBlock);
  const slots = blocks * perBlock;
  const fd = openPacketSocket();
  let ptr: Pointer;
  try {
    setIntOption(fd, SOL_PACKET, PACKET.VERSION, TPACKET_V2, 'PACKET_VERSION');
    const req = new Uint8Array(TPACKET_REQ.SIZE);
    const dv = new DataView(req.buffer);
    dv.setUint32(TPACKET_REQ.blockSize, BLOCK, true);
    dv.setUint32(TPACKET_REQ.blockNr, blocks, true);
    dv.setUint32(TPACKET_REQ.frameSize, frameSize, true);
    dv.setUint32(TPACKET_REQ.frameNr, slots, true);
    check('setsockopt', raw.setsockopt(fd, SOL_PACKET, PACKET.TX_RING, req, TPACKET_REQ.SIZE), 'setsockopt(PACKET_TX_RING)');
    ptr = raw.mmap(null, BLOCK * blocks, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (ptr === MAP_FAILED) throw new SyscallError('mmap', lastErrno(), 'mmap of the TX ring');
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
  const ringBytes = new Uint8Array(nativeView(ptr, BLOCK * blocks));
  const u32 = new Uint32Array(ringBytes.buffer);
  const i32 = new Int32Array(ringBytes.buffer);
  const maxFrame = info.mtu + 14 + 4; // MTU plus Ethernet header plus one VLAN tag, as the kernel allows
  const room = frameSize - TPACKET2_HDR.TX_DATA;
  const stats: ForwardStats = { frames: 0, bytes: 0, errors: 0, dropped: 0 };
  let head = 0;
  let pending = 0;
  let closed = false;
  const slotAt = (i: number): number => Math.floor(i / perBlock) * BLOCK + (i % perBlock) * frameSize;

  const kick = (): void => {
    if (pending === 0 || closed) return;
    const n = raw.sendtoPtr(fd, null, 0, MSG_DONTWAIT, null, 0);
    if (n < 0) {
      const errno = lastErrno();
      if (errno !== ERRNO.EAGAIN && errno !== ERRNO.ENOBUFS) stats.errors++;
    }
    pending = 0;
  };

  return {
    iface: info,
    write(p: PacketView): void {
      if (closed) return;
      const len = p.capLen;
      if (len > maxFrame || len > room || len < 14) {
        stats.dropped++;
        return;
      }
      const at = slotAt(head);
      const status = Atomics.load(i32, at >> 2);
      if (status === TP_TX_STATUS.WRONG_FORMAT) {
        stats.errors++;
      } else if (status !== TP_TX_STATUS.AVAILABLE) {
        kick();
        if (Atomics.load(i32, at >> 2) !== TP_TX_STATUS.AVAILABLE) {
          stats.dropped++;
          return;
        }
      }
      ringBytes.set(p.buf.subarray(p.offset, p.offset + len), at + TPACKET2_HDR.TX_DATA);
      u32[(at + TPACKET2_HDR.tpLen) >> 2] = len;
      Atomics.store(i32, at >> 2, TP_TX_STATUS.SEND_REQUEST);
      head = (head + 1) % slots;
      pending++;
      stats.frames++;
      stats.bytes += len;
      if (pending >= 256) kick();
    },
    flush(): void {
      kick();
    },
    async close(): Promise<void> {
      if (closed) return;
      kick();
      // Let the kernel finish what is queued (bounded), then release the ring and the socket.
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
      closed = true;
      raw.munmap(ptr, BLOCK * blocks);
      closeQuietly(fd);
    },
    stats: () => ({ ...stats }),
  };
}
