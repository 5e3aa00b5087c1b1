/**
 * A progress line for reading a capture file on a terminal: bytes read out of the file size, packets,
 * rate and time left, redrawn in place on stderr at most every `intervalMs` when a batch ends. Shown
 * only for files above a few MB, when stderr is a terminal and `-q` is off (`progressFileSize` decides).
 */
import { statSync } from 'node:fs';
import type { PacketSink, PacketView } from '../packet.js';

/** Files smaller than this read too fast for a progress line to help. */
export const PROGRESS_MIN_BYTES = 4 * 1024 * 1024;

/**
 * The file size when a progress line should be shown for reading `path`, else undefined: not for
 * stdin (`-`), not with `quiet`, not when stderr is not a terminal, not when packets are printed to
 * the same terminal (the line would tear through them), not below `minBytes`.
 * @example
 * const size = progressFileSize({ path: opts.r, quiet: opts.q === true, isTTY: process.stderr.isTTY === true });
 */
export function progressFileSize(o: {
  path: string;
  quiet: boolean;
  isTTY: boolean;
  printingToTerminal?: boolean;
  minBytes?: number;
}): number | undefined {
  if (o.quiet || !o.isTTY || o.printingToTerminal === true || o.path === '-') return undefined;
  let size: number;
  try {
    const st = statSync(o.path);
    if (!st.isFile()) return undefined;
    size = st.size;
  } catch {
    return undefined;
  }
  return size >= (o.minBytes ?? PROGRESS_MIN_BYTES) ? size : undefined;
}

/** Options of `createProgress`. */
export interface ProgressOptions {
  /** Size of the file in bytes. */
  totalBytes: number;
  /** Receives the line (with `\r` and erase-to-end-of-line); the CLI passes a stderr writer. */
  write: (s: string) => void;
  /** Name shown before the counters. */
  label?: string;
  /** Least milliseconds between redraws (default 250). */
  intervalMs?: number;
  /** Bytes of the file consumed so far, when the reader can tell; otherwise estimated from records. */
  position?: () => number;
  /** File format, for the per-record overhead of the estimate (default pcap). */
  format?: 'pcap' | 'pcapng';
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

/** The progress line: a sink that counts, redraws on `flush`, and clears itself on `close`. */
export interface ProgressLine extends PacketSink {
  /** Redraws now if the interval has passed (`force` ignores it). */
  draw(force?: boolean): void;
  /** The text of the current line, without control characters. */
  text(): string;
}

function mb(n: number): string {
  return `${(n / 1e6).toFixed(1)} MB`;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * Creates the progress line for one file. Add it to the sinks of the `-r` loop; `flush` (once per
 * read batch) redraws at most every `intervalMs`, `close` erases the line.
 * @example
 * const size = progressFileSize({ path, quiet, isTTY: process.stderr.isTTY === true });
 * if (size !== undefined) sinks.push(createProgress({ totalBytes: size, label: path, write: (s) => process.stderr.write(s) }));
 */
export function createProgress(opts: ProgressOptions): ProgressLine {
  const now = opts.now ?? Date.now;
  const every = opts.intervalMs ?? 250;
  // pcap: 24-byte file header, 16 bytes per record; pcapng: SHB + IDB, 32 bytes per EPB plus padding
  const pcapng = opts.format === 'pcapng';
  let estimate = pcapng ? 60 : 24;
  let packets = 0;
  const started = now();
  let lastDraw = 0;
  let drawn = false;
  let closed = false;

  const position = (): number => Math.min(opts.totalBytes, opts.position ? opts.position() : estimate);

  const text = (): string => {
    const pos = position();
    const secs = Math.max(1e-3, (now() - started) / 1000);
    const rate = pos / secs;
    const pct = opts.totalBytes > 0 ? (100 * pos) / opts.totalBytes : 100;
    const eta = rate > 0 ? (opts.totalBytes - pos) / rate : Infinity;
    const label = opts.label !== undefined ? `${opts.label}: ` : '';
    return `${label}${mb(pos)} / ${mb(opts.totalBytes)} (${pct.toFixed(0)}%), ${packets} packets, ${mb(rate)}/s, ${Math.round(packets / secs)} pkt/s, ETA ${clock(eta)}`;
  };

  const line: ProgressLine = {
    write(p: PacketView): void {
      packets++;
      estimate += pcapng ? 32 + ((p.capLen + 3) & ~3) : 16 + p.capLen;
    },
    flush(): void {
      line.draw(false);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (drawn) opts.write('\r\x1b[K');
    },
    draw(force = false): void {
      if (closed) return;
      const t = now();
      if (!force && t - lastDraw < every) return;
      lastDraw = t;
      drawn = true;
      opts.write(`\r${text()}\x1b[K`);
    },
    text,
  };
  return line;
}
