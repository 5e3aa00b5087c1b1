/** Gathering packets from a live capture in tests. */
import type { Capture } from '../../src/capture/index.js';
import { copyPacket, type OwnedPacket } from '../../src/packet.js';

/**
 * Copies packets from `cap` until `count` have arrived or `quietMs` pass with nothing new (then a
 * short extra wait so that surplus packets, which tests must see, are not missed).
 */
export async function collect(cap: Capture, count: number, quietMs = 1500): Promise<OwnedPacket[]> {
  const got: OwnedPacket[] = [];
  let last = Date.now();
  for (;;) {
    const n = cap.dispatch((p) => got.push(copyPacket(p)));
    if (n > 0) last = Date.now();
    if (got.length >= count && Date.now() - last > 150) break;
    if (Date.now() - last > quietMs) break;
    await Promise.race([cap.wait(), new Promise((r) => setTimeout(r, 50))]);
  }
  return got;
}

/** Hex of bytes, for readable failures. */
export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}
