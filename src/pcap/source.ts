/** Byte sources of the pcap/pcapng reader: a file handle or a readable stream. */
import type { FileHandle } from 'node:fs/promises';
import type { ByteReadableStream } from '../streams.js';
import { ioError } from './errors.js';

/** Where a reader gets its bytes: a file or a stream, read into the caller's buffer. */
export interface ByteSource {
  readonly path: string;
  read(into: Uint8Array, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
}

/** A file read with positional reads through its handle. */
export class FileSource implements ByteSource {
  constructor(
    private readonly fh: FileHandle,
    readonly path: string,
  ) {}

  async read(into: Uint8Array, offset: number, length: number): Promise<number> {
    try {
      const { bytesRead } = await this.fh.read(into, offset, length, null);
      return bytesRead;
    } catch (err) {
      throw ioError(this.path, err);
    }
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** A readable stream (stdin, a pipe) whose chunks are copied into the reader's buffer. */
export class StreamSource implements ByteSource {
  private readonly it: AsyncIterator<Uint8Array | string>;
  private pending: Uint8Array | null = null;
  private pendingOff = 0;

  constructor(
    stream: ByteReadableStream,
    readonly path: string,
  ) {
    this.it = (stream as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  }

  async read(into: Uint8Array, offset: number, length: number): Promise<number> {
    while (this.pending === null) {
      let r: IteratorResult<Uint8Array | string>;
      try {
        r = await this.it.next();
      } catch (err) {
        throw ioError(this.path, err);
      }
      if (r.done === true) return 0;
      const chunk = typeof r.value === 'string' ? Buffer.from(r.value, 'latin1') : r.value;
      if (chunk.length > 0) {
        this.pending = chunk;
        this.pendingOff = 0;
      }
    }
    const n = Math.min(length, this.pending.length - this.pendingOff);
    into.set(this.pending.subarray(this.pendingOff, this.pendingOff + n), offset);
    this.pendingOff += n;
    if (this.pendingOff >= this.pending.length) this.pending = null;
    return n;
  }

  async close(): Promise<void> {
    await this.it.return?.();
  }
}
