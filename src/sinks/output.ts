/**
 * Batched text output: sinks append strings, the batch is written once per ring block or file chunk,
 * and a closed reader (`tscap ... | head`) ends the program quietly instead of throwing EPIPE.
 */
import type { ByteWritableStream } from '../streams.js';

/** Size of the reusable byte chunk (a JSON sink's batch and its last line fit). */
const SPARE_BYTES = 1 << 17;

/** Batches text for a stream; `write` appends, `flush` writes the batch and waits for drain. */
export class TextOutput {
  private pending = '';
  private broken = false;
  /** A byte write was not taken whole and the stream has not drained since (flush waits for it). */
  private full = false;
  private readonly highWater: number;
  /** A chunk the stream let go of at once, reused by the next `writeBytes`. */
  private spare: Uint8Array | undefined;

  /**
   * @param stream where the text goes (process.stdout by default)
   * @param lineBuffered write after every line (`-l`), like tcpdump's line buffering
   * @param onClosed called once when the reader goes away (EPIPE)
   */
  constructor(
    private readonly stream: ByteWritableStream = process.stdout,
    /** Every line is written at once (`-l`). */
    readonly lineBuffered = false,
    private readonly onClosed?: () => void,
  ) {
    this.highWater = lineBuffered ? 0 : 1 << 16;
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') this.markClosed();
      else throw err;
    });
  }

  /** True once the reader has gone away. */
  get closed(): boolean {
    return this.broken;
  }

  /** Appends text; writes through when the batch is large or the output is line-buffered. */
  write(text: string): void {
    if (this.broken) return;
    this.pending += text;
    if (this.pending.length > this.highWater) this.writeOut();
  }

  /**
   * Writes bytes (UTF-8 text built elsewhere, e.g. NDJSON lines) after any batched text; they are
   * copied, so the caller may reuse its buffer at once.
   */
  writeBytes(bytes: Uint8Array): void {
    if (this.broken || bytes.length === 0) return;
    this.writeOut();
    if (this.broken) return;
    // a copy, as the stream may hold the chunk after write returns; but a file, /dev/null or a pipe
    // that takes it whole writes it at once (nothing left pending), and then the same chunk serves
    // the next batch: a fresh 64 KiB per batch cost more CPU than building the NDJSON lines in it
    const n = bytes.length;
    let chunk = this.spare;
    this.spare = undefined;
    if (chunk === undefined || chunk.length < n) chunk = new Uint8Array(Math.max(n, SPARE_BYTES));
    chunk.set(bytes);
    const taken = this.stream.write(chunk.subarray(0, n));
    if (this.stream.writableLength === 0) this.spare = chunk;
    if (!taken && !this.full) {
      this.full = true;
      this.stream.once('drain', this.drained);
    }
  }

  private readonly drained = (): void => {
    this.full = false;
  };

  /** Writes the batch and resolves when the stream can take more. */
  async flush(): Promise<void> {
    if (this.writeOut() && !this.full) return;
    if (this.broken) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
    });
  }

  private writeOut(): boolean {
    if (this.broken || this.pending === '') return true;
    const text = this.pending;
    this.pending = '';
    return this.stream.write(text);
  }

  private markClosed(): void {
    if (this.broken) return;
    this.broken = true;
    this.pending = '';
    this.onClosed?.();
  }
}
