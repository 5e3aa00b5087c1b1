/** Outputs that read packets straight from a live capture's ring: the file writer, inline mirrors and exports. */
import type { NativeMemory } from '../capture/gather.js';
import type { Capture, RingRecordSink } from '../capture/index.js';
import { emptyPacket, type PacketSink } from '../packet.js';
import type { FileSink } from '../pcap/rotate.js';
import type { NativeSource } from '../pcap/writer.js';

/** A mirror or exporter that may send frames from the capture ring in place (inline sending). */
export interface RingReader {
  gatherFrom?(mem: NativeMemory | undefined): void;
  flushGathered?(): void;
}

/**
 * Lets the file writer and the inline mirrors and exports read packets from `cap`'s ring without
 * copying them: each empties what points into a block before the block goes back to the kernel, and
 * after a gap (reopen) they read from the new ring.
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

/**
 * The ring walk's record sink when a file gathers from the ring and every other sink only counts
 * frames (`framesOnly`: `--stats`, `--summary`): each frame goes to `file` by its place in the ring
 * and to the counters through one reused view, so no full packet view is filled per frame. For one
 * Ethernet interface: the view's interface index and link type are the capture's.
 */
export function countingRecords(cap: Capture, file: RingRecordSink, counters: readonly PacketSink[]): RingRecordSink {
  const view = emptyPacket();
  // after a gap (reopen) the ring is new and the interface may have a new index
  const point = (): void => {
    view.buf = cap.nativeSource?.bytes ?? view.buf;
    view.ifindex = cap.info.index;
    view.linkType = cap.linkType;
  };
  point();
  cap.onResume(point);
  const only = counters.length === 1 ? counters[0] : undefined;
  if (only?.writeFrame !== undefined) {
    // one counter that takes a frame's fields: not even the reused view is filled
    const counter = only as Required<Pick<PacketSink, 'writeFrame'>>;
    return {
      record(tsSec: number, tsNsec: number, capLen: number, wireLen: number, offset: number, headroom: number): void {
        file.record(tsSec, tsNsec, capLen, wireLen, offset, headroom);
        counter.writeFrame(view.buf, offset, capLen, wireLen, tsSec, tsNsec, view.ifindex, view.linkType);
      },
    };
  }
  return {
    record(tsSec: number, tsNsec: number, capLen: number, wireLen: number, offset: number, headroom: number): void {
      file.record(tsSec, tsNsec, capLen, wireLen, offset, headroom);
      view.tsSec = tsSec;
      view.tsNsec = tsNsec;
      view.capLen = capLen;
      view.wireLen = wireLen;
      view.offset = offset;
      if (only !== undefined) only.write(view);
      else for (const c of counters) c.write(view);
      view.index++;
    },
  };
}
