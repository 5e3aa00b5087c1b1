/** What the sender thread drives: one TX ring, one VXLAN socket or one pcap stream. */
import type { PacketView } from '../packet.js';

/** Counters a sender keeps; `frames` and `dropped` count captured frames (a merged packet carries several). */
export interface SenderCounts {
  frames: number;
  packets: number;
  bytes: number;
  errors: number;
  dropped: number;
}

/** A fresh set of counters. */
export function newSenderCounts(): SenderCounts {
  return { frames: 0, packets: 0, bytes: 0, errors: 0, dropped: 0 };
}

/** The sending end, run on the sender thread, where waiting is allowed. */
export interface FrameSender {
  readonly counts: SenderCounts;
  /** Sends (or batches) one packet that carries `frames` captured frames; the bytes are borrowed. */
  write(p: PacketView, frames: number): void;
  /** Sends what is batched. */
  flush(): void;
  /** Sends what is left and lets go (the socket itself is closed by its owner). */
  close(): Promise<void>;
}

const nap = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms` (fractions allowed); only ever called on the sender thread. */
export function pause(ms: number): void {
  Atomics.wait(nap, 0, 0, ms);
}
