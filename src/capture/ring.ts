/**
 * The TPACKET_V3 receive ring (Documentation/networking/packet_mmap.rst): the kernel fills blocks of
 * packets in a shared mapping, flips a block's status to TP_STATUS_USER when it is full or its timer
 * retires it, and tscap walks the block and stores TP_STATUS_KERNEL to hand it back. The ring is one
 * Uint8Array made once; the walk re-points one PacketView and allocates nothing.
 */
import type { PacketView } from '../packet.js';
import { PacketType, emptyPacket } from '../packet.js';
import { LinkType } from '../pcap/linktype.js';
import { nativeSource, type NativeMemory } from './gather.js';
import type { NativeSource } from '../pcap/writer.js';
import {
  BLOCK_DESC,
  MAP_ANONYMOUS,
  MAP_FAILED,
  MAP_FIXED,
  MAP_PRIVATE,
  MAP_SHARED,
  PACKET,
  PAGE_SIZE,
  PROT_READ,
  PROT_WRITE,
  SOL_PACKET,
  TPACKET3_HDR,
  TPACKET_ALIGNMENT,
  TPACKET_REQ3,
  TPACKET_V3,
  TP_STATUS,
  SOCKADDR_LL,
  SyscallError,
  check,
  lastErrno,
  nativeView,
  raw,
  type Pointer,
} from '../syscalls/index.js';
import { setIntOption } from './socket.js';

/** Ring geometry: `blockSize × blockCount` bytes shared with the kernel. */
export interface RingOptions {
  /** Bytes per block; a multiple of the page size. */
  blockSize: number;
  /** Number of blocks. */
  blockCount: number;
  /** Frame size for the kernel's bookkeeping (V3 packs packets of any size into blocks). */
  frameSize: number;
  /** Milliseconds after which the kernel retires a block that is not full (retire_blk_tov). */
  blockTimeoutMs: number;
}

/**
 * 64 blocks of 512 KiB (32 MiB): a 100 ms stall at 1 Mpps of 64-byte frames needs ~16 MB (160 ring
 * bytes a frame), and at 100 kpps of 1514-byte frames ~16 MB too. The 10 ms block timeout keeps
 * interactive output prompt; at low rates the ring still covers 64 × 10 ms of stall.
 */
export const DEFAULT_RING: RingOptions = {
  blockSize: 512 * 1024,
  blockCount: 64,
  frameSize: 2048,
  blockTimeoutMs: 10,
};

/** Takes packets as coordinates in a ring (`RingWalker.walkRecords`): `capLen` bytes at `offset`. */
export interface RingRecordSink {
  /** `headroom`: bytes before `offset` that the sink may overwrite (ring padding after the sockaddr_ll). */
  record(tsSec: number, tsNsec: number, capLen: number, wireLen: number, offset: number, headroom: number): void;
}

/** Where a frame's padding may start: after tpacket3_hdr and the sockaddr_ll that follows it. */
const FRAME_PAD_START = TPACKET3_HDR.sll + SOCKADDR_LL.SIZE;

/** Bytes kept free in front of every frame so a stripped VLAN tag can be put back in place. */
export const VLAN_RESERVE = 4;

/** What is wrong with a ring geometry: the `RingOptions` field at fault and a message that starts with it. */
export interface RingGeometryProblem {
  /** The library option, as `CaptureOptions` names it (`ring.blockSize`, `ring.blockCount`, ...). */
  option: string;
  message: string;
}

/** Checks a geometry before any socket is opened; returns the problem (naming the option), or undefined. */
export function ringGeometryProblem(r: RingOptions): RingGeometryProblem | undefined {
  const at = (option: string, value: number, text: string): RingGeometryProblem => ({ option, message: `${option} ${value}: ${text}` });
  if (!Number.isInteger(r.blockSize) || r.blockSize <= 0 || r.blockSize % PAGE_SIZE !== 0) {
    return at('ring.blockSize', r.blockSize, `must be a positive multiple of the page size (${PAGE_SIZE})`);
  }
  if (r.blockSize > 1 << 30) return at('ring.blockSize', r.blockSize, 'larger than 1 GiB');
  if (!Number.isInteger(r.blockCount) || r.blockCount < 1) return at('ring.blockCount', r.blockCount, 'must be at least 1');
  if (r.blockSize * r.blockCount > 2 ** 32 - PAGE_SIZE) return at('ring.blockCount', r.blockCount, 'the ring would exceed 4 GiB');
  if (!Number.isInteger(r.frameSize) || r.frameSize % TPACKET_ALIGNMENT !== 0 || r.frameSize < 128) {
    return at('ring.frameSize', r.frameSize, `must be a multiple of ${TPACKET_ALIGNMENT} and at least 128`);
  }
  if (r.frameSize > r.blockSize) return at('ring.frameSize', r.frameSize, `larger than the block size ${r.blockSize}`);
  if (!Number.isInteger(r.blockTimeoutMs) || r.blockTimeoutMs < 1 || r.blockTimeoutMs > 60_000) {
    return at('ring.blockTimeoutMs', r.blockTimeoutMs, 'must be 1..60000 ms');
  }
  return undefined;
}

/** Checks a geometry before any socket is opened; returns a message naming the option, or undefined. */
export function ringGeometryError(r: RingOptions): string | undefined {
  return ringGeometryProblem(r)?.message;
}

/** Userspace direction check for kernels or modes the socket option does not cover. */
export type PktTypeFilter = 0 | 1 | 2; // 0 any, 1 only incoming, 2 only outgoing

/**
 * Walks the blocks of a TPACKET_V3 ring held in `bytes` (the kernel's mapping, or any buffer laid out
 * the same way, as in the benchmark). Owns no socket.
 */
export class RingWalker {
  private readonly u32: Uint32Array;
  private readonly i32: Int32Array;
  private readonly u16: Uint16Array;
  private block = 0;
  private inBlock = false;
  private remaining = 0;
  private pkt = 0;
  /** Set once the ring is released: the walk stops for good. */
  stopped = false;
  private readonly scratch = emptyPacket();
  /** Called before a block goes back to the kernel (and before the ring is released). */
  onRelease: (() => void) | null = null;
  /** Index of the next record. */
  index = 0;

  constructor(
    readonly bytes: Uint8Array,
    readonly geometry: RingOptions,
    private readonly reinsertVlan: boolean,
    private readonly linkType: number,
    private readonly direction: PktTypeFilter,
  ) {
    const ab = bytes.buffer;
    this.u32 = new Uint32Array(ab, bytes.byteOffset, bytes.byteLength >> 2);
    this.i32 = new Int32Array(ab, bytes.byteOffset, bytes.byteLength >> 2);
    this.u16 = new Uint16Array(ab, bytes.byteOffset, bytes.byteLength >> 1);
  }

  private statusIndex(block: number): number {
    return (block * this.geometry.blockSize + BLOCK_DESC.blockStatus) >> 2;
  }

  /** True when a packet can be read without waiting. */
  ready(): boolean {
    if (this.stopped) return false;
    if (this.inBlock && this.remaining > 0) return true;
    const b = this.inBlock ? (this.block + 1) % this.geometry.blockCount : this.block;
    return (Atomics.load(this.i32, this.statusIndex(b)) & TP_STATUS.USER) !== 0;
  }

  /**
   * Packets the kernel has put so far into the block it is filling (the one the walk opens next), 0
   * when that block is already ours or empty. An open block's count is exact; a block handed back but
   * not yet reopened (after the ring was full) still shows its old count, which only errs towards
   * waiting for a retire that brings nothing.
   */
  filling(): number {
    if (this.stopped) return 0;
    const b = this.inBlock ? (this.block + 1) % this.geometry.blockCount : this.block;
    if ((Atomics.load(this.i32, this.statusIndex(b)) & TP_STATUS.USER) !== 0) return 0;
    return Atomics.load(this.i32, (b * this.geometry.blockSize + BLOCK_DESC.numPkts) >> 2);
  }

  /**
   * Points `p` at the next packet and returns true, or returns false when the kernel has nothing more
   * yet. A block is handed back to the kernel as soon as the walk moves past its last packet.
   */
  next(p: PacketView): boolean {
    if (this.stopped) return false;
    const u32 = this.u32;
    for (;;) {
      if (this.remaining === 0) {
        if (!this.nextBlock()) return false;
        continue; // a block may hold no packets
      }
      const h = this.pkt;
      this.remaining--;
      this.pkt = h + (u32[h >> 2] ?? 0);
      const pktType = this.bytes[h + TPACKET3_HDR.sll + SOCKADDR_LL.pkttype] ?? 0;
      if (this.direction !== 0 && (pktType === PacketType.OUTGOING) !== (this.direction === 2)) continue;
      this.fill(p, h, pktType);
      p.index = this.index++;
      return true;
    }
  }

  /**
   * Like `next` for up to `max` packets, but hands each one to `sink.record` as coordinates in the
   * ring, without filling a PacketView: the walk a file writer needs and no more. Frames that need
   * work (a VLAN tag to put back, an SLL2 header) go through the same code as `next`.
   */
  walkRecords(sink: RingRecordSink, max: number): number {
    if (this.stopped) return 0;
    let n = 0;
    while (n < max) {
      if (this.remaining === 0) {
        if (!this.nextBlock()) break;
        continue;
      }
      n += this.walkChunk(sink, max - n);
    }
    return n;
  }

  /**
   * `walkRecords` for up to 256 packets of the current block, with the cursor in locals. Kept apart
   * and short so that every path in it has run before V8 optimizes it: a long loop optimized in the
   * middle of the first block would lack type feedback for the code after it, and be thrown away and
   * compiled again (about 40 ms of compiler time) when that code first ran.
   */
  private walkChunk(sink: RingRecordSink, max: number): number {
    const u32 = this.u32;
    const u16 = this.u16;
    const bytes = this.bytes;
    const direction = this.direction;
    const simple = this.linkType === LinkType.EN10MB;
    let h = this.pkt;
    let left = this.remaining;
    const stop = Math.max(0, left - 256);
    let n = 0;
    while (left > stop && n < max) {
      const cur = h;
      left--;
      h = cur + (u32[cur >> 2] ?? 0);
      const pktType = bytes[cur + TPACKET3_HDR.sll + SOCKADDR_LL.pkttype] ?? 0;
      if (direction !== 0 && (pktType === PacketType.OUTGOING) !== (direction === 2)) continue;
      const w = cur >> 2;
      if (simple && ((u32[w + (TPACKET3_HDR.tpStatus >> 2)] ?? 0) & TP_STATUS.VLAN_VALID) === 0 && (u32[w + (TPACKET3_HDR.tpVlanTci >> 2)] ?? 0) === 0) {
        const mac = u16[(cur + TPACKET3_HDR.tpMac) >> 1] ?? 0;
        sink.record(
          u32[w + (TPACKET3_HDR.tpSec >> 2)] ?? 0,
          u32[w + (TPACKET3_HDR.tpNsec >> 2)] ?? 0,
          u32[w + (TPACKET3_HDR.tpSnaplen >> 2)] ?? 0,
          u32[w + (TPACKET3_HDR.tpLen >> 2)] ?? 0,
          cur + mac,
          mac - FRAME_PAD_START,
        );
      } else {
        const p = this.scratch;
        this.fill(p, cur, pktType);
        sink.record(p.tsSec, p.tsNsec, p.capLen, p.wireLen, p.offset, p.offset - cur - FRAME_PAD_START);
      }
      n++;
    }
    this.pkt = h;
    this.remaining = left;
    this.index += n;
    return n;
  }

  /**
   * Hands the block just walked back to the kernel (when there is one) and opens the next one if the
   * kernel has filled it; returns false when it has not.
   */
  private nextBlock(): boolean {
    if (this.inBlock) {
      if (this.onRelease !== null) this.onRelease();
      Atomics.store(this.i32, this.statusIndex(this.block), TP_STATUS.KERNEL);
      this.block = (this.block + 1) % this.geometry.blockCount;
      this.inBlock = false;
    }
    const base = this.block * this.geometry.blockSize;
    if ((Atomics.load(this.i32, (base + BLOCK_DESC.blockStatus) >> 2) & TP_STATUS.USER) === 0) return false;
    this.inBlock = true;
    this.remaining = this.u32[(base + BLOCK_DESC.numPkts) >> 2] ?? 0;
    this.pkt = base + (this.u32[(base + BLOCK_DESC.offsetToFirstPkt) >> 2] ?? 0);
    return true;
  }

  private fill(p: PacketView, h: number, pktType: number): void {
    const u32 = this.u32;
    const w = h >> 2;
    const status = u32[w + (TPACKET3_HDR.tpStatus >> 2)] ?? 0;
    const tci = u32[w + (TPACKET3_HDR.tpVlanTci >> 2)] ?? 0;
    let mac = h + (this.u16[(h + TPACKET3_HDR.tpMac) >> 1] ?? 0);
    let capLen = u32[w + (TPACKET3_HDR.tpSnaplen >> 2)] ?? 0;
    let wireLen = u32[w + (TPACKET3_HDR.tpLen >> 2)] ?? 0;
    const vlanValid = (status & TP_STATUS.VLAN_VALID) !== 0 || tci !== 0;
    const tpid = vlanValid ? ((status & TP_STATUS.VLAN_TPID_VALID) !== 0 ? (this.u16[(h + TPACKET3_HDR.tpVlanTpid) >> 1] ?? 0) : 0x8100) : 0;
    let inBytes = false;
    if (this.linkType === LinkType.LINUX_SLL2 || this.linkType === LinkType.LINUX_SLL) {
      // Cooked socket: the data starts at the network header; the SLL2 header (or with -y LINUX_SLL
      // the 16-byte v1 header) goes in front of it.
      const v1 = this.linkType === LinkType.LINUX_SLL;
      const tag = vlanValid && this.reinsertVlan;
      mac = (v1 ? writeSllHeader : writeSll2Header)(this.bytes, mac, h + TPACKET3_HDR.sll, tag ? tpid : 0, tci);
      const extra = (v1 ? SLL_HDR_LEN : SLL2_HDR_LEN) + (tag ? 4 : 0);
      capLen += extra;
      wireLen += extra;
      inBytes = tag;
    } else if (vlanValid && this.reinsertVlan && this.linkType === LinkType.EN10MB && capLen >= 12) {
      mac = insertVlanTag(this.bytes, mac, tpid, tci);
      capLen += 4;
      wireLen += 4;
      inBytes = true;
    }
    p.buf = this.bytes;
    p.offset = mac;
    p.capLen = capLen;
    p.wireLen = wireLen;
    p.tsSec = u32[w + (TPACKET3_HDR.tpSec >> 2)] ?? 0;
    p.tsNsec = u32[w + (TPACKET3_HDR.tpNsec >> 2)] ?? 0;
    p.linkType = this.linkType;
    p.ifindex = this.i32[(h + TPACKET3_HDR.sll + SOCKADDR_LL.ifindex) >> 2] ?? 0;
    p.pktType = pktType;
    p.vlanValid = vlanValid;
    p.vlanTci = vlanValid ? tci & 0xffff : 0;
    p.vlanTpid = tpid;
    p.vlanInBytes = inBytes;
  }

  /** Hands every block that is ready back to the kernel, dropping its packets; returns how many. */
  discardReady(): number {
    let n = 0;
    const scratch = emptyPacket();
    const index = this.index;
    while (this.next(scratch)) n++;
    this.index = index;
    return n;
  }
}

/**
 * Puts a stripped 802.1Q/802.1ad tag back between the MAC addresses and the EtherType, using the 4
 * bytes reserved in front of the frame; returns the frame's new start.
 */
export function insertVlanTag(b: Uint8Array, mac: number, tpid: number, tci: number): number {
  b.copyWithin(mac - 4, mac, mac + 12);
  const at = mac - 4;
  b[at + 12] = tpid >> 8;
  b[at + 13] = tpid & 0xff;
  b[at + 14] = (tci >> 8) & 0xff;
  b[at + 15] = tci & 0xff;
  return at;
}

/** Length of a LINKTYPE_LINUX_SLL2 header. */
export const SLL2_HDR_LEN = 20;

/**
 * Writes a LINKTYPE_LINUX_SLL2 header (protocol, reserved, ifindex, ARPHRD type, packet type, address
 * length, address; all big-endian) in front of the network header at `net`, from the packet's
 * sockaddr_ll at `sll`. With `tpid` non-zero the VLAN tag follows the header, as libpcap does for
 * cooked captures. Returns where the record now starts.
 */
export function writeSll2Header(b: Uint8Array, net: number, sll: number, tpid: number, tci: number): number {
  const start = net - SLL2_HDR_LEN - (tpid !== 0 ? 4 : 0);
  const proto0 = b[sll + SOCKADDR_LL.protocol] ?? 0; // sll_protocol is in network order already
  const proto1 = b[sll + SOCKADDR_LL.protocol + 1] ?? 0;
  if (tpid !== 0) {
    b[start] = tpid >> 8;
    b[start + 1] = tpid & 0xff;
    b[net - 4] = (tci >> 8) & 0xff;
    b[net - 3] = tci & 0xff;
    b[net - 2] = proto0;
    b[net - 1] = proto1;
  } else {
    b[start] = proto0;
    b[start + 1] = proto1;
  }
  b[start + 2] = 0;
  b[start + 3] = 0;
  const ifindex = (b[sll + 4] ?? 0) | ((b[sll + 5] ?? 0) << 8) | ((b[sll + 6] ?? 0) << 16) | ((b[sll + 7] ?? 0) << 24);
  b[start + 4] = (ifindex >>> 24) & 0xff;
  b[start + 5] = (ifindex >>> 16) & 0xff;
  b[start + 6] = (ifindex >>> 8) & 0xff;
  b[start + 7] = ifindex & 0xff;
  b[start + 8] = b[sll + SOCKADDR_LL.hatype + 1] ?? 0; // sll_hatype is host (little-endian) order
  b[start + 9] = b[sll + SOCKADDR_LL.hatype] ?? 0;
  b[start + 10] = b[sll + SOCKADDR_LL.pkttype] ?? 0;
  const halen = Math.min(8, b[sll + SOCKADDR_LL.halen] ?? 0);
  b[start + 11] = halen;
  for (let i = 0; i < 8; i++) b[start + 12 + i] = i < halen ? (b[sll + SOCKADDR_LL.addr + i] ?? 0) : 0;
  return start;
}

/** The kernel's ring on a socket: set up, mapped once, walked by a RingWalker, released on close. */
export class RxRing {
  private readonly ptr: Pointer;
  private readonly size: number;
  /** The walker over the mapping. */
  readonly walker: RingWalker;

  /**
   * Sets up the ring on a fresh socket: TPACKET_V3, a reserve for VLAN tags, the ring, the mapping.
   * Call before bind so no packet arrives before the ring exists.
   */
  constructor(fd: number, geometry: RingOptions, reinsertVlan: boolean, linkType: number, direction: PktTypeFilter) {
    setIntOption(fd, SOL_PACKET, PACKET.VERSION, TPACKET_V3, 'PACKET_VERSION');
    setIntOption(fd, SOL_PACKET, PACKET.RESERVE, VLAN_RESERVE, 'PACKET_RESERVE');
    const req = new Uint8Array(TPACKET_REQ3.SIZE);
    const dv = new DataView(req.buffer);
    const { blockSize, blockCount, frameSize, blockTimeoutMs } = geometry;
    dv.setUint32(TPACKET_REQ3.blockSize, blockSize, true);
    dv.setUint32(TPACKET_REQ3.blockNr, blockCount, true);
    dv.setUint32(TPACKET_REQ3.frameSize, frameSize, true);
    dv.setUint32(TPACKET_REQ3.frameNr, (blockSize / frameSize) * blockCount, true);
    dv.setUint32(TPACKET_REQ3.retireBlkTov, blockTimeoutMs, true);
    check('setsockopt', raw.setsockopt(fd, SOL_PACKET, PACKET.RX_RING, req, TPACKET_REQ3.SIZE), 'setsockopt(PACKET_RX_RING)');
    this.size = blockSize * blockCount;
    const ptr = raw.mmap(null, this.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (ptr === MAP_FAILED || ptr === 0n) throw new SyscallError('mmap', lastErrno(), `mmap of a ${this.size}-byte ring`);
    this.ptr = ptr;
    this.walker = new RingWalker(new Uint8Array(nativeView(ptr, this.size)), geometry, reinsertVlan, linkType, direction);
  }

  /** See RingWalker.next. */
  next(p: PacketView): boolean {
    return this.walker.next(p);
  }

  /** The mapping and its address: packets point into it until their block goes back to the kernel. */
  get native(): NativeSource & NativeMemory {
    return nativeSource({ bytes: this.walker.bytes, address: this.ptr });
  }

  /** See RingWalker.ready. */
  ready(): boolean {
    return this.walker.ready();
  }

  /** See RingWalker.discardReady. */
  discardReady(): number {
    return this.walker.discardReady();
  }

  /**
   * Releases the ring. The mapping is replaced by an anonymous one of the same size instead of being
   * unmapped at once, so a packet view kept by mistake reads zeros instead of faulting; the placeholder
   * is unmapped when the views are garbage-collected.
   */
  release(): void {
    if (this.walker.stopped) return;
    this.walker.onRelease?.();
    this.walker.stopped = true;
    const placeholder = raw.mmap(this.ptr, this.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (placeholder === MAP_FAILED) return; // keep the ring mapped rather than risk a fault
    placeholders.register(this.walker.bytes.buffer, { ptr: this.ptr, size: this.size });
  }
}

const placeholders = new FinalizationRegistry<{ ptr: Pointer; size: number }>(({ ptr, size }) => {
  raw.munmap(ptr, size);
});


/** Length of a LINKTYPE_LINUX_SLL (v1) header. */
export const SLL_HDR_LEN = 16;

/**
 * Writes a LINKTYPE_LINUX_SLL header (packet type, ARPHRD type, address length, 8 address bytes,
 * protocol; big-endian) in front of the network header at `net`, as `writeSll2Header` does for v2.
 * Returns where the record now starts.
 */
export function writeSllHeader(b: Uint8Array, net: number, sll: number, tpid: number, tci: number): number {
  const start = net - SLL_HDR_LEN - (tpid !== 0 ? 4 : 0);
  const proto0 = b[sll + SOCKADDR_LL.protocol] ?? 0;
  const proto1 = b[sll + SOCKADDR_LL.protocol + 1] ?? 0;
  if (tpid !== 0) {
    b[start + 14] = tpid >> 8;
    b[start + 15] = tpid & 0xff;
    b[net - 4] = (tci >> 8) & 0xff;
    b[net - 3] = tci & 0xff;
    b[net - 2] = proto0;
    b[net - 1] = proto1;
  } else {
    b[start + 14] = proto0;
    b[start + 15] = proto1;
  }
  b[start] = 0;
  b[start + 1] = b[sll + SOCKADDR_LL.pkttype] ?? 0;
  b[start + 2] = b[sll + SOCKADDR_LL.hatype + 1] ?? 0;
  b[start + 3] = b[sll + SOCKADDR_LL.hatype] ?? 0;
  const halen = b[sll + SOCKADDR_LL.halen] ?? 0;
  b[start + 4] = 0;
  b[start + 5] = halen;
  for (let i = 0; i < 8; i++) b[start + 6 + i] = i < Math.min(8, halen) ? (b[sll + SOCKADDR_LL.addr + i] ?? 0) : 0;
  return start;
}
