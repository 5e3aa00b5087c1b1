/** Gathering packets from a live capture in tests. */
import type { Capture } from '../../src/capture/index.js';
import { copyPacket, type OwnedPacket } from '../../src/packet.js';

/** Upper bound on one wait for the socket, so the deadline is checked even if nothing comes. */
const POLL_MS = 50;

/** Options of `collect`. */
export interface CollectOptions {
  /** When gathering is complete (default: `count` packets). */
  done?: (got: OwnedPacket[]) => boolean;
  /** Give up (returning what arrived) after this long; generous, for a loaded machine. Default 15 s. */
  timeoutMs?: number;
}

/**
 * Copies packets from `cap` until `count` have arrived (or `done` holds), then takes in whatever
 * else is already in the ring, so that surplus packets, which tests must see, are not missed: every
 * frame was sent before this is called, so a surplus frame arrives with the others, at most one
 * block timeout later.
 */
export async function collect(cap: Capture, count: number, opts: CollectOptions = {}): Promise<OwnedPacket[]> {
  const got: OwnedPacket[] = [];
  const done = opts.done ?? ((g: OwnedPacket[]): boolean => g.length >= count);
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  const take = (): number => cap.dispatch((p) => got.push(copyPacket(p)));
  for (;;) {
    take();
    if (done(got) || Date.now() > deadline) break;
    await Promise.race([cap.wait(), new Promise((r) => setTimeout(r, POLL_MS))]);
  }
  // The surplus window: two block timeouts of the ring (10 ms by default) and a margin. This wait is
  // the check itself (that nothing more comes), not a guess at readiness.
  const settle = Math.max(150, 2 * (cap.ring?.blockTimeoutMs ?? 0) + 50);
  await new Promise((r) => setTimeout(r, settle));
  take();
  return got;
}

/** Hex of bytes, for readable failures. */
export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}
