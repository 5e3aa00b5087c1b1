/**
 * Merging packets from several sources (interfaces, fanout workers) into timestamp order within a
 * bounded window: a packet is released once it is older than the window, by which time every source
 * has delivered anything earlier (sources are drained at least once per window). At the end, `drainAll`
 * releases the rest in order.
 */
import type { PacketView } from '../packet.js';

/** Packs packets into one transferable buffer (fanout workers → main thread). */
export class PacketBatchWriter {
  private buf: Uint8Array;
  private dv: DataView;
  private used = 0;
  /** Packets in the current batch. */
  count = 0;

  constructor(private readonly capacity = 1 << 20) {
    this.buf = new Uint8Array(capacity);
    this.dv = new DataView(this.buf.buffer);
  }

  /** Bytes used so far. */
  get size(): number {
    return this.used;
  }

  /** Appends a copy of `p`; returns false when it does not fit (take the batch first). */
  add(p: PacketView): boolean {
    const need = RECORD_HEADER + ((p.capLen + 3) & ~3);
    if (this.used + need > this.buf.length) {
      if (this.count > 0) return false;
      this.grow(need);
    }
    const dv = this.dv;
    const at = this.used;
    dv.setUint32(at, p.tsSec, true);
    dv.setUint32(at + 4, p.tsNsec, true);
    dv.setUint32(at + 8, p.capLen, true);
    dv.setUint32(at + 12, p.wireLen, true);
    dv.setInt32(at + 16, p.ifindex, true);
    dv.setUint16(at + 20, p.linkType, true);
    dv.setInt8(at + 22, p.pktType);
    dv.setUint8(at + 23, (p.vlanValid ? 1 : 0) | (p.vlanInBytes ? 2 : 0));
    dv.setUint16(at + 24, p.vlanTci, true);
    dv.setUint16(at + 26, p.vlanTpid, true);
    dv.setUint32(at + 28, p.index, true);
    this.buf.set(p.buf.subarray(p.offset, p.offset + p.capLen), at + RECORD_HEADER);
    this.used += need;
    this.count++;
    return true;
  }

  /** Hands the batch over (the buffer can be transferred) and starts a new one. */
  take(): ArrayBuffer {
    const out = (this.buf.buffer as ArrayBuffer).slice(0, this.used);
    this.used = 0;
    this.count = 0;
    return out;
  }

  private grow(need: number): void {
    this.buf = new Uint8Array(Math.max(this.capacity, need));
    this.dv = new DataView(this.buf.buffer);
  }
}

const RECORD_HEADER = 32;

/** Points `p` at the record at byte `at` of a batch; returns where the next record starts. */
function pointAt(bytes: Uint8Array, dv: DataView, at: number, p: PacketView): number {
  const capLen = dv.getUint32(at + 8, true);
  p.buf = bytes;
  p.offset = at + RECORD_HEADER;
  p.tsSec = dv.getUint32(at, true);
  p.tsNsec = dv.getUint32(at + 4, true);
  p.capLen = capLen;
  p.wireLen = dv.getUint32(at + 12, true);
  p.ifindex = dv.getInt32(at + 16, true);
  p.linkType = dv.getUint16(at + 20, true);
  p.pktType = dv.getInt8(at + 22);
  const flags = dv.getUint8(at + 23);
  p.vlanValid = (flags & 1) !== 0;
  p.vlanInBytes = (flags & 2) !== 0;
  p.vlanTci = dv.getUint16(at + 24, true);
  p.vlanTpid = dv.getUint16(at + 26, true);
  p.index = dv.getUint32(at + 28, true);
  return at + RECORD_HEADER + ((capLen + 3) & ~3);
}

/** Calls `visit` for each packet of a batch made by PacketBatchWriter; `p` is re-pointed. */
export function readPacketBatch(batch: ArrayBuffer, p: PacketView, visit: (p: PacketView) => void): number {
  const bytes = new Uint8Array(batch);
  const dv = new DataView(batch);
  let at = 0;
  let n = 0;
  while (at + RECORD_HEADER <= bytes.length) {
    at = pointAt(bytes, dv, at, p);
    visit(p);
    n++;
  }
  return n;
}

/** One source's batches, oldest first, and where its next record is. */
interface BatchQueue {
  batches: ArrayBuffer[];
  bytes: Uint8Array;
  dv: DataView;
  at: number;
}

const EMPTY = new ArrayBuffer(0);

/**
 * Merges batches from several sources (PacketBatchWriter batches, each source's packets in its own
 * order) into timestamp order without a per-packet object: the batches are kept as they came and
 * the merge walks their heads. Release rules as for TimeOrderedMerge: older than the window, or all.
 */
export class BatchMerge {
  private readonly queues: BatchQueue[] = [];
  private readonly view: PacketView;
  private pending = 0;

  /** @param windowMs how long a packet may wait for earlier ones from slower sources @param scratch re-pointed at each packet released */
  constructor(
    sources: number,
    readonly windowMs: number,
    scratch: PacketView,
  ) {
    this.view = scratch;
    for (let i = 0; i < sources; i++) this.queues.push({ batches: [], bytes: new Uint8Array(EMPTY), dv: new DataView(EMPTY), at: 0 });
  }

  /** Batches held (not packets). */
  get size(): number {
    return this.pending;
  }

  /** Takes a batch of source `i`; its packets follow those of the batches it sent before. */
  push(i: number, batch: ArrayBuffer): void {
    const q = this.queues[i] as BatchQueue;
    if (batch.byteLength < RECORD_HEADER) return;
    q.batches.push(batch);
    this.pending++;
    if (q.batches.length === 1) this.load(q);
  }

  private load(q: BatchQueue): void {
    const b = q.batches[0] ?? EMPTY;
    q.bytes = new Uint8Array(b);
    q.dv = new DataView(b);
    q.at = 0;
  }

  /** Releases, in order, every packet older than the window relative to `nowMs` (wall clock). */
  drainOlderThanWindow(visit: (p: PacketView) => void, nowMs = Date.now()): number {
    return this.drainUpTo((nowMs - this.windowMs) * 1e6, visit);
  }

  /** Releases everything, in order. */
  drainAll(visit: (p: PacketView) => void): number {
    return this.drainUpTo(Number.POSITIVE_INFINITY, visit);
  }

  private drainUpTo(limit: number, visit: (p: PacketView) => void): number {
    const qs = this.queues;
    let n = 0;
    for (;;) {
      let best: BatchQueue | undefined;
      let bestKey = limit;
      for (const q of qs) {
        if (q.batches.length === 0) continue;
        // nanoseconds since the epoch as a double: exact to ~0.25 µs, enough to order
        const key = q.dv.getUint32(q.at, true) * 1e9 + q.dv.getUint32(q.at + 4, true);
        if (key <= bestKey && (best === undefined || key < bestKey)) {
          best = q;
          bestKey = key;
        }
      }
      if (best === undefined) return n;
      best.at = pointAt(best.bytes, best.dv, best.at, this.view);
      visit(this.view);
      n++;
      if (best.at + RECORD_HEADER > best.bytes.length) {
        best.batches.shift();
        this.pending--;
        this.load(best);
      }
    }
  }
}

interface Held {
  key: number; // nanoseconds since the epoch as a double: exact to ~0.25 µs, enough to order
  seq: number;
  p: PacketView;
}

/**
 * The merge window for sources read from rings that hand packets over up to `blockTimeoutMs` after
 * their timestamp: twice that (the kernel's retire timer fires late under load) plus room for a
 * thread hop, and never under 100 ms. A smaller window releases a packet before an earlier one from
 * a slower source has arrived, and the output goes out of order.
 */
export function mergeWindowMs(blockTimeoutMs: number): number {
  return Math.max(100, 2 * blockTimeoutMs + 100);
}

/** Holds packets from several sources and releases them in timestamp order. */
export class TimeOrderedMerge {
  private held: Held[] = [];
  private seq = 0;
  private sorted = true;

  /** @param windowMs how long a packet may wait for earlier ones from slower sources */
  constructor(readonly windowMs = 100) {}

  /** Packets waiting. */
  get size(): number {
    return this.held.length;
  }

  /** Takes a packet that the caller no longer touches (an owned copy, or a record over a kept batch). */
  push(p: PacketView): void {
    const key = p.tsSec * 1e9 + p.tsNsec;
    const last = this.held[this.held.length - 1];
    if (last !== undefined && key < last.key) this.sorted = false;
    this.held.push({ key, seq: this.seq++, p });
  }

  /** Releases, in order, every packet older than the window relative to `nowMs` (wall clock). */
  drainOlderThanWindow(visit: (p: PacketView) => void, nowMs = Date.now()): number {
    return this.drainUpTo((nowMs - this.windowMs) * 1e6, visit);
  }

  /** Releases everything, in order. */
  drainAll(visit: (p: PacketView) => void): number {
    return this.drainUpTo(Number.POSITIVE_INFINITY, visit);
  }

  private drainUpTo(limit: number, visit: (p: PacketView) => void): number {
    if (!this.sorted) {
      this.held.sort((a, b) => a.key - b.key || a.seq - b.seq);
      this.sorted = true;
    }
    let n = 0;
    while (n < this.held.length && (this.held[n] as Held).key <= limit) {
      visit((this.held[n] as Held).p);
      n++;
    }
    if (n > 0) this.held.splice(0, n);
    return n;
  }
}
