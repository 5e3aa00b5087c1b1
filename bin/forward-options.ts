/** CLI glue of `--mirror` and `--export`: where they send from, and their reads from the capture ring. */
import type { Capture } from '../src/capture/index.js';
import type { NativeMemory } from '../src/capture/gather.js';
import type { FileSink } from '../src/pcap/index.js';
import type { NativeSource } from '../src/pcap/writer.js';

/** Thrown for a `--send-thread` value that is not auto, on or off. */
export class SendThreadOptionError extends Error {}

/** `--send-thread auto|on|off` as the library's `sendThread` option (absent for auto: the library decides by CPU count). */
export function sendThreadOption(value: string): { sendThread?: boolean } {
  if (value === 'auto') return {};
  if (value === 'on' || value === 'off') return { sendThread: value === 'on' };
  throw new SendThreadOptionError(`--send-thread ${value}: must be auto, on or off`);
}

/** A mirror or exporter that may send frames from the capture ring in place (inline sending). */
interface RingReader {
  gatherFrom?(mem: NativeMemory | undefined): void;
  flushGathered?(): void;
}

/**
 * Lets the file writer and the inline mirrors and exports read packets from `cap`'s ring without
 * copying them: each empties what points into a block before the block goes back to the kernel, and
 * after a gap (`--reopen`) they read from the new ring.
 */
export function gatherFromRing(cap: Capture, fileSink: FileSink | undefined, forwards: readonly RingReader[]): void {
  const native = cap.nativeSource;
  if (native === undefined) return;
  const flushes: (() => void)[] = [];
  const regather: ((mem: NativeSource & NativeMemory) => void)[] = [];
  if (fileSink?.gatherFrom?.(native) === true) {
    const file = fileSink;
    flushes.push(() => file.flushGathered?.());
    regather.push((mem) => file.gatherFrom?.(mem));
  }
  for (const f of forwards) {
    if (f.gatherFrom === undefined || f.flushGathered === undefined) continue;
    f.gatherFrom(native);
    flushes.push(() => f.flushGathered?.());
    regather.push((mem) => f.gatherFrom?.(mem));
  }
  if (flushes.length === 0) return;
  cap.onBlockRelease(flushes.length === 1 ? (flushes[0] as () => void) : () => flushes.forEach((fl) => fl()));
  cap.onResume(() => {
    const mem = cap.nativeSource;
    if (mem !== undefined) for (const g of regather) g(mem);
  });
}
