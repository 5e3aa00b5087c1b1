/**
 * Output written straight to a file descriptor from a worker thread: each batch of whole lines goes
 * out in one or more `write(2)` calls made while holding a lock shared by every thread that writes
 * to the same descriptor, so the batches of several workers never interleave mid-line (a pipe only
 * keeps writes of up to 4096 bytes whole by itself).
 */
import { writeSync } from 'node:fs';
import type { ByteWritableStream, StreamListener } from '../streams.js';

/** A lock over one Int32 in shared memory: 0 free, 1 held. */
export function createOutputLock(): SharedArrayBuffer {
  return new SharedArrayBuffer(8);
}

/** A ByteWritableStream over a descriptor; `write` blocks this thread until the batch is out. */
export class FdOutputStream implements ByteWritableStream {
  private readonly lock: Int32Array;
  private readonly errorListeners: StreamListener[] = [];
  private closed = false;

  /** @param fd where to write (1 for stdout) @param lock from `createOutputLock`, shared by all writers of `fd` */
  constructor(
    private readonly fd: number,
    lock: SharedArrayBuffer,
  ) {
    this.lock = new Int32Array(lock);
  }

  /** Always 0: `write` returns only once the bytes are out. */
  readonly writableLength = 0;

  write(chunk: Uint8Array | string): boolean {
    if (this.closed) return true;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const lock = this.lock;
    while (Atomics.compareExchange(lock, 0, 0, 1) !== 0) Atomics.wait(lock, 0, 1, 50);
    try {
      let at = 0;
      while (at < bytes.length) {
        try {
          at += writeSync(this.fd, bytes, at, bytes.length - at);
        } catch (err) {
          // a non-blocking descriptor (Node makes stdout pipes so) that is full: wait for the reader
          if ((err as NodeJS.ErrnoException).code === 'EAGAIN') Atomics.wait(lock, 1, 0, 1);
          else throw err;
        }
      }
    } catch (err) {
      this.closed = true;
      for (const l of this.errorListeners) l(err);
      if (this.errorListeners.length === 0) throw err;
    } finally {
      Atomics.store(lock, 0, 0);
      Atomics.notify(lock, 0, 1);
    }
    return true;
  }

  end(cb?: () => void): unknown {
    this.closed = true;
    cb?.();
    return this;
  }

  on(event: 'error' | 'drain' | 'close', listener: StreamListener): unknown {
    if (event === 'error') this.errorListeners.push(listener);
    return this;
  }

  once(event: 'error' | 'drain' | 'close', listener: StreamListener): unknown {
    return this.on(event, listener);
  }

  off(event: 'error' | 'drain' | 'close', listener: StreamListener): unknown {
    const i = this.errorListeners.indexOf(listener);
    if (i >= 0) this.errorListeners.splice(i, 1);
    return this;
  }
}
