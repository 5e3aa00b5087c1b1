/**
 * Handing frames from the capture thread to a sender thread without ever waiting: a single-producer,
 * single-consumer byte ring. Its control words (head, tail, sleep flag) are a SharedArrayBuffer read
 * and written with Atomics; its bytes are native memory that both threads map with `nativeView`,
 * because V8 copies into and out of a SharedArrayBuffer byte by byte with relaxed atomics (about
 * 1 µs for a full-size frame, measured here) where a plain ArrayBuffer gets memcpy. The x86_64 and
 * arm64 Atomics that publish the head and tail are full barriers, so the bytes written before a
 * head store are visible to the thread that loads it. The capture thread copies each frame in (a record
 * header and the bytes) and publishes the new head with `Atomics.store`; the sender thread (a
 * worker_threads Worker running `handoff-worker.ts`) reads records up to the head, sends them, and
 * publishes the tail. When the ring has no room the frame is dropped and counted: the capture never
 * blocks. A sender with nothing to read sleeps in `Atomics.waitAsync` on a flag that the producer
 * clears and notifies only when it is set, and at most once per batch (a ring block), so a busy ring
 * costs no wake-up calls.
 */
import type { Worker } from 'node:worker_threads';
import type { PacketView } from '../packet.js';
import { allocNative, nativeView, type NativeBuffer } from '../syscalls/index.js';
import { spawnModuleWorker } from './spawn.js';

/** Control words (Int32Array): head and tail byte positions (wrapping at 2^32), the sleep flag, closing. */
export const CTL = { head: 0, tail: 1, sleep: 2, closing: 3, SIZE: 4 } as const;

/** Counters the sender thread publishes (BigInt64Array, written with Atomics.store once per batch). */
export const SENT = { frames: 0, packets: 1, bytes: 2, errors: 3, dropped: 4, groIn: 5, groPayloadIn: 6, groPayloadOut: 7, SIZE: 8 } as const;

/** A record: its length, the frame's length on the wire, the timestamp; then the bytes, 8-aligned. */
export const REC = { len: 0, wireLen: 4, tsSec: 8, tsNsec: 12, SIZE: 16 } as const;

/** Record length marking "continue at the start of the ring". */
export const WRAP = 0xffffffff;

/** Default ring size: 32 MiB, ~22,000 full-size frames (about 0.18 s at 1 Gbit/s). */
export const HANDOFF_QUEUE_BYTES = 32 << 20;

/** The shared memory of one hand-off ring: control words, counters, and where the bytes are. */
export interface HandoffBuffers {
  ctl: SharedArrayBuffer;
  counters: SharedArrayBuffer;
  /** Native address and size of the ring's bytes (a power of two). */
  dataPtr: bigint;
  dataSize: number;
}

/** Allocates a ring of `bytes` (rounded up to a power of two, at least 1 MiB); free `native` after the sender is done. */
export function createHandoffBuffers(bytes: number): { buffers: HandoffBuffers; native: NativeBuffer } {
  let size = 1 << 20;
  while (size < bytes && size < 1 << 30) size *= 2;
  const native = allocNative(size);
  return {
    buffers: { ctl: new SharedArrayBuffer(CTL.SIZE * 4), counters: new SharedArrayBuffer(SENT.SIZE * 8), dataPtr: native.ptr, dataSize: size },
    native,
  };
}

function ringBytes(b: HandoffBuffers): ArrayBuffer {
  return nativeView(b.dataPtr, b.dataSize);
}

const recordSize = (len: number): number => (REC.SIZE + len + 7) & ~7;

/** The capture thread's end: copies frames in, never waits. */
export class HandoffWriter {
  private readonly ctl: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly u32: Uint32Array;
  private readonly size: number;
  private head = 0;
  private tailSeen = 0;
  /** Frames copied into the ring. */
  handed = 0;
  /** Frames dropped because the ring was full (the sender is behind). */
  dropped = 0;

  constructor(buffers: HandoffBuffers) {
    this.ctl = new Int32Array(buffers.ctl);
    const data = ringBytes(buffers);
    this.bytes = new Uint8Array(data);
    this.u32 = new Uint32Array(data);
    this.size = buffers.dataSize;
  }

  /** Copies `len` bytes of `p`'s frame in; false (counted) when there is no room. */
  push(p: PacketView, len: number): boolean {
    const size = this.size;
    const need = recordSize(len);
    let at = this.head & (size - 1);
    const skip = at + need > size ? size - at : 0;
    if (((this.head - this.tailSeen) >>> 0) + skip + need > size) {
      this.tailSeen = Atomics.load(this.ctl, CTL.tail) >>> 0;
      if (((this.head - this.tailSeen) >>> 0) + skip + need > size) {
        this.dropped++;
        return false;
      }
    }
    const u32 = this.u32;
    if (skip > 0) {
      u32[at >> 2] = WRAP;
      this.head = (this.head + skip) >>> 0;
      at = 0;
    }
    const w = at >> 2;
    u32[w] = len;
    u32[w + 1] = p.wireLen;
    u32[w + 2] = p.tsSec;
    u32[w + 3] = p.tsNsec;
    this.bytes.set(p.buf.subarray(p.offset, p.offset + len), at + REC.SIZE);
    this.head = (this.head + need) >>> 0;
    Atomics.store(this.ctl, CTL.head, this.head | 0);
    // The sender is woken once per batch (`wakeIfAsleep` from the sink's flush), not per frame: a
    // futex wake costs microseconds. Only a batch that fills a quarter of the ring wakes it early.
    if (((this.head - this.tailSeen) >>> 0) > size >>> 2) {
      this.tailSeen = Atomics.load(this.ctl, CTL.tail) >>> 0;
      if (((this.head - this.tailSeen) >>> 0) > size >>> 2 && Atomics.load(this.ctl, CTL.sleep) !== 0) this.wake();
    }
    this.handed++;
    return true;
  }

  /** Wakes the sender if it sleeps (costs one atomic load when it does not). */
  wakeIfAsleep(): void {
    if (Atomics.load(this.ctl, CTL.sleep) !== 0) this.wake();
  }

  /** Wakes the sender. */
  wake(): void {
    Atomics.store(this.ctl, CTL.sleep, 0);
    Atomics.notify(this.ctl, CTL.sleep);
  }

  /** Tells the sender to send what is queued and stop. */
  close(): void {
    Atomics.store(this.ctl, CTL.closing, 1);
    this.wake();
  }
}

/** `Atomics.waitAsync` (Node 16+), which TypeScript's ES2022 library does not declare. */
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, t: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

/** The sender thread's end: reads records up to the head and frees them once handled. */
export class HandoffReader {
  private readonly ctl: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly u32: Uint32Array;
  private readonly size: number;
  private tail = 0;

  constructor(buffers: HandoffBuffers) {
    this.ctl = new Int32Array(buffers.ctl);
    const data = ringBytes(buffers);
    this.bytes = new Uint8Array(data);
    this.u32 = new Uint32Array(data);
    this.size = buffers.dataSize;
  }

  /** Whether the producer has published records not read yet. */
  pending(): boolean {
    return Atomics.load(this.ctl, CTL.head) >>> 0 !== this.tail;
  }

  /** Whether the producer asked to stop. */
  closing(): boolean {
    return Atomics.load(this.ctl, CTL.closing) !== 0;
  }

  /**
   * Points `p` at each record up to `max` and calls `fn`; the records' space goes back to the producer
   * after the last call (the bytes must be copied out by then). Returns how many were read.
   */
  drain(p: PacketView, fn: (p: PacketView) => void, max: number): number {
    const head = Atomics.load(this.ctl, CTL.head) >>> 0;
    const u32 = this.u32;
    let n = 0;
    while (this.tail !== head && n < max) {
      const at = this.tail & (this.size - 1);
      const w = at >> 2;
      const len = u32[w] ?? 0;
      if (len === WRAP) {
        this.tail = (this.tail + this.size - at) >>> 0;
        continue;
      }
      p.buf = this.bytes;
      p.offset = at + REC.SIZE;
      p.capLen = len;
      p.wireLen = u32[w + 1] ?? len;
      p.tsSec = u32[w + 2] ?? 0;
      p.tsNsec = u32[w + 3] ?? 0;
      p.linkType = 1;
      fn(p);
      this.tail = (this.tail + recordSize(len)) >>> 0;
      n++;
    }
    Atomics.store(this.ctl, CTL.tail, this.tail | 0);
    return n;
  }

  /**
   * Sleeps until the producer publishes or closes, or `timeoutMs` passes. The flag is set before the
   * last look at the head, so a record published in between is never slept through.
   */
  async sleep(timeoutMs: number): Promise<void> {
    Atomics.store(this.ctl, CTL.sleep, 1);
    if (this.pending() || this.closing()) {
      Atomics.store(this.ctl, CTL.sleep, 0);
      return;
    }
    const r = waitAsync(this.ctl, CTL.sleep, 1, timeoutMs);
    if (r.async) await r.value;
    Atomics.store(this.ctl, CTL.sleep, 0);
  }
}

/** Counters of a mirror or exporter. */
export interface ForwardStats {
  /** Captured frames that went out (counted inside merged packets when GRO merges). */
  frames: number;
  /** Bytes of the packets sent. */
  bytes: number;
  /** Frames a send failed for. */
  errors: number;
  /** Frames that did not go out: `queueDropped` plus those the sender dropped (full socket or TX ring, too big for the MTU, a collector that does not keep up). */
  dropped: number;
  /** Frames the capture thread handed to the sender thread. */
  handed: number;
  /** Frames dropped by the capture thread because the hand-off ring was full (counted, never waited for). */
  queueDropped: number;
  /** Packets sent: `frames` without GRO, fewer with it. */
  packets: number;
  /** TCP payload bytes that went into GRO and came out of it (equal once closed). */
  groPayloadIn: number;
  groPayloadOut: number;
}

/** What the sender thread is told to do. */
export type SenderSpec =
  | { kind: 'mirror'; fd: number; ring: { ptr: bigint; blockSize: number; blocks: number; frameSize: number }; maxFrame: number }
  | { kind: 'udp'; fd: number; vni: number; gso: boolean }
  | { kind: 'tcp'; url: string; address: string; family: 4 | 6; port: number; format: 'pcap' | 'pcapng'; linkType: number; snaplen: number; header: Uint8Array };

/** Options common to mirrors and exporters. */
export interface HandoffOptions {
  /** Bytes of the hand-off ring between the capture thread and the sender thread (default 32 MiB). */
  queueBytes?: number;
  /** Merge consecutive TCP segments of a flow (application-level GRO) up to this IP packet size. */
  groMaxIpLen?: number;
  /** GRO hold time in nanoseconds (default 2 ms). */
  groWindowNs?: number;
  /** Cut frames to this many bytes before sending (export only). */
  snaplen?: number;
}

/** What the worker receives. */
export interface HandoffInit {
  buffers: HandoffBuffers;
  sender: SenderSpec;
  gro?: { maxIpLen: number; windowNs: number };
  snaplen: number;
}

/** A running hand-off: the capture thread's sink side of one sender thread. */
export interface Handoff {
  write(p: PacketView): void;
  flush(): void;
  close(): Promise<void>;
  stats(): ForwardStats;
  /** Resolves once the sender thread runs (or has failed). */
  readonly ready: Promise<void>;
}

/**
 * Starts a sender thread for `sender`; `release` runs after the thread is done (close the socket,
 * unmap the ring). Warnings and a failure of the thread go to `warn`.
 */
export function startHandoff(sender: SenderSpec, opts: HandoffOptions, warn: (msg: string) => void, release: () => void): Handoff {
  const { buffers, native } = createHandoffBuffers(opts.queueBytes ?? HANDOFF_QUEUE_BYTES);
  const writer = new HandoffWriter(buffers);
  const counters = new BigInt64Array(buffers.counters);
  const snaplen = opts.snaplen ?? 0;
  const init: HandoffInit = {
    buffers,
    sender,
    snaplen,
    ...(opts.groMaxIpLen !== undefined ? { gro: { maxIpLen: opts.groMaxIpLen, windowNs: opts.groWindowNs ?? 2_000_000 } } : {}),
  };
  // Without GRO the cut happens here, so the capture thread copies only what is sent.
  const cut = init.gro === undefined && snaplen > 0 ? snaplen : Number.MAX_SAFE_INTEGER;
  const worker: Worker = spawnModuleWorker('handoff-worker', init);
  worker.unref();
  let failed = false;
  let closed = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  const done = new Promise<void>((resolve) => {
    const fail = (msg: string): void => {
      if (!failed && !closed) warn(msg);
      failed = true;
      markReady();
      resolve();
    };
    worker.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'ready') markReady();
      else if (m.type === 'warning') warn(m.message ?? '');
      else if (m.type === 'done') {
        markReady();
        resolve();
      } else if (m.type === 'error') fail(`sender thread failed: ${m.message ?? ''}`);
    });
    worker.on('error', (err) => fail(`sender thread failed: ${err.message}`));
    worker.on('exit', () => fail('sender thread exited'));
  });
  const count = (i: number): number => Number(Atomics.load(counters, i));
  return {
    ready,
    write(p: PacketView): void {
      if (closed) return;
      writer.push(p, Math.min(p.capLen, cut));
    },
    flush(): void {
      writer.wakeIfAsleep();
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      worker.ref();
      writer.close();
      await done;
      await worker.terminate();
      // The ring's bytes go only once the sender thread has stopped touching them.
      native.free();
      release();
    },
    stats(): ForwardStats {
      const frames = count(SENT.frames);
      return {
        frames,
        bytes: count(SENT.bytes),
        errors: count(SENT.errors),
        dropped: count(SENT.dropped) + writer.dropped + (failed ? Math.max(0, writer.handed - frames - count(SENT.errors) - count(SENT.dropped)) : 0),
        handed: writer.handed,
        queueDropped: writer.dropped,
        packets: count(SENT.packets),
        groPayloadIn: count(SENT.groPayloadIn),
        groPayloadOut: count(SENT.groPayloadOut),
      };
    },
  };
}
