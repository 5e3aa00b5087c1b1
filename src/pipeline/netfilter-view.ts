/** Pointing a reused packet view at a packet that came over netfilter netlink (queue or log). */
import { performance } from 'node:perf_hooks';
import type { PacketView } from '../packet.js';

/** A netlink packet's timestamp: the kernel's when it sent one (NFQA/NFULA_TIMESTAMP), else none. */
export interface NetlinkTime {
  hasTime: boolean;
  tsSec: number;
  tsUsec: number;
}

/** Re-points `v` at `capLen` bytes of `buf` from `offset`, stamped with the kernel's time or now. */
export function pointView(v: PacketView, buf: Uint8Array, offset: number, capLen: number, wireLen: number, t: NetlinkTime): void {
  v.buf = buf;
  v.offset = offset;
  v.capLen = capLen;
  v.wireLen = wireLen;
  if (t.hasTime) {
    v.tsSec = t.tsSec;
    v.tsNsec = t.tsUsec * 1000;
    return;
  }
  const ms = performance.timeOrigin + performance.now();
  v.tsSec = Math.floor(ms / 1000);
  v.tsNsec = Math.floor((ms - v.tsSec * 1000) * 1e6);
}
