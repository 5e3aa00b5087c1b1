/**
 * Sending on the capture thread itself (`sendThread: false`), the choice for machines with few cores:
 * there a sender thread competes for the same CPUs as the traffic, the kernel's softirq work and the
 * capture, and every frame costs a second copy (into the hand-off ring, then out of it). Inline, a
 * frame that lies in the capture ring is sent from there (sendmmsg iovecs point into the ring,
 * `mmsg-sender.ts`): one sendmmsg per ring walk or per ring block, no copy in JavaScript, no thread
 * wake-ups. The sender never waits: a full socket costs counted drops, never a stalled ring walk.
 * GRO and the export snaplen run here too.
 */
import { emptyPacket, type PacketView } from '../packet.js';
import type { NativeMemory } from './gather.js';
import { TcpGro } from './gro.js';
import type { ForwardStats, Handoff, HandoffOptions } from './handoff.js';
import type { FrameSender } from './sender.js';

/** A hand-off whose sends may read frames straight from the capture ring. */
export interface GatheringHandoff extends Handoff {
  /** Frames lying in `mem` are sent from it in place; `flushGathered` must run before a ring block goes back. */
  gatherFrom(mem: NativeMemory | undefined): void;
  /** Sends every frame that still points into the ring. */
  flushGathered(): void;
}

/** Runs `sender` on this thread; `release` runs once it is closed (close the socket). */
export function startInline(
  sender: FrameSender & { gatherFrom?(mem: NativeMemory | undefined): void },
  opts: HandoffOptions,
  release: () => void,
): GatheringHandoff {
  const snaplen = opts.snaplen !== undefined && opts.snaplen > 0 ? opts.snaplen : Number.MAX_SAFE_INTEGER;
  // The capture's own view is shared with the other sinks: a cut goes into a copy of its fields.
  const cut = emptyPacket();
  const send = (p: PacketView, frames: number): void => {
    if (p.capLen <= snaplen) return sender.write(p, frames);
    cut.buf = p.buf;
    cut.offset = p.offset;
    cut.capLen = snaplen;
    cut.wireLen = p.wireLen;
    cut.tsSec = p.tsSec;
    cut.tsNsec = p.tsNsec;
    cut.linkType = p.linkType;
    sender.write(cut, frames);
  };
  const windowNs = opts.groWindowNs ?? 2_000_000;
  const gro = opts.groMaxIpLen === undefined ? undefined : new TcpGro({ maxIpLen: opts.groMaxIpLen, windowNs, emit: send });
  let handed = 0;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  /** Emits GRO packets held longer than the window, by the wall clock (capture timestamps use it too). */
  const expire = (): void => {
    if (gro === undefined || gro.holding === 0) return;
    const now = Date.now();
    gro.flushExpired(Math.floor(now / 1000), (now % 1000) * 1e6);
  };
  // Held GRO packets leave within the window even when no traffic follows them.
  const tick = (): void => {
    timer = undefined;
    if (closed) return;
    expire();
    sender.flush();
    arm();
  };
  const arm = (): void => {
    if (timer === undefined && gro !== undefined && gro.holding > 0) {
      timer = setTimeout(tick, Math.max(1, windowNs / 1e6));
      timer.unref();
    }
  };
  return {
    ready: Promise.resolve(),
    write(p: PacketView): void {
      if (closed) return;
      handed++;
      if (gro === undefined) send(p, 1);
      else gro.push(p);
    },
    flush(): void {
      if (closed) return;
      expire();
      sender.flush();
      arm();
    },
    gatherFrom(mem: NativeMemory | undefined): void {
      sender.gatherFrom?.(mem);
    },
    flushGathered(): void {
      sender.flush();
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      gro?.flushAll();
      sender.flush();
      await sender.close();
      release();
    },
    stats(): ForwardStats {
      const c = sender.counts;
      return {
        frames: c.frames,
        bytes: c.bytes,
        errors: c.errors,
        dropped: c.dropped,
        handed,
        queueDropped: 0,
        packets: c.packets,
        groPayloadIn: gro?.stats.payloadIn ?? 0,
        groPayloadOut: gro?.stats.payloadOut ?? 0,
      };
    },
  };
}

/** Whether a sender thread is the default: only with 4 CPUs or more (below, inline sending costs less). */
export function defaultSendThread(cpus: number): boolean {
  return cpus >= 4;
}
