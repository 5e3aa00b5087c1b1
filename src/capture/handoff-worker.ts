/**
 * The sender thread of a mirror or exporter: reads frames from the hand-off ring, merges TCP segments
 * when GRO is on, cuts them to the export snaplen, and drives the TX ring, the VXLAN socket or the
 * pcap stream. GRO runs here rather than on the capture thread: its flow table and checksums cost a
 * few hundred nanoseconds per frame that the ring walk must not pay, and this thread may wait.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { emptyPacket, type PacketView } from '../packet.js';
import { tcpSender, vxlanSender } from './export.js';
import { TcpGro } from './gro.js';
import { HandoffReader, SENT, type HandoffInit } from './handoff.js';
import { txRingSender } from './mirror.js';
import type { FrameSender } from './sender.js';

const init = workerData as HandoffInit;
const port = parentPort;
if (!port) throw new Error('handoff-worker must run in a worker thread');

/** Records read per batch before the sender is flushed and the counters published. */
const BATCH = 256;

async function main(): Promise<void> {
  const warn = (message: string): void => port?.postMessage({ type: 'warning', message });
  const spec = init.sender;
  const sender: FrameSender = spec.kind === 'mirror' ? txRingSender(spec) : spec.kind === 'udp' ? vxlanSender(spec) : tcpSender(spec, warn);
  const reader = new HandoffReader(init.buffers);
  const counters = new BigInt64Array(init.buffers.counters);
  const snaplen = init.snaplen > 0 ? init.snaplen : Number.MAX_SAFE_INTEGER;
  const send = (p: PacketView, frames: number): void => {
    if (p.capLen > snaplen) p.capLen = snaplen;
    sender.write(p, frames);
  };
  const gro = init.gro === undefined ? undefined : new TcpGro({ maxIpLen: init.gro.maxIpLen, windowNs: init.gro.windowNs, emit: send });
  const windowMs = (init.gro?.windowNs ?? 0) / 1e6;
  const take = gro === undefined ? (p: PacketView): void => send(p, 1) : (p: PacketView): void => gro.push(p);
  const publish = (): void => {
    const c = sender.counts;
    Atomics.store(counters, SENT.frames, BigInt(c.frames));
    Atomics.store(counters, SENT.packets, BigInt(c.packets));
    Atomics.store(counters, SENT.bytes, BigInt(c.bytes));
    Atomics.store(counters, SENT.errors, BigInt(c.errors));
    Atomics.store(counters, SENT.dropped, BigInt(c.dropped));
    if (gro !== undefined) {
      Atomics.store(counters, SENT.groIn, BigInt(gro.stats.framesIn));
      Atomics.store(counters, SENT.groPayloadIn, BigInt(gro.stats.payloadIn));
      Atomics.store(counters, SENT.groPayloadOut, BigInt(gro.stats.payloadOut));
    }
  };
  /** Emits GRO packets held longer than the window, by the wall clock (capture timestamps use it too). */
  const expire = (): void => {
    if (gro === undefined || gro.holding === 0) return;
    const now = Date.now();
    gro.flushExpired(Math.floor(now / 1000), (now % 1000) * 1e6);
  };
  // The pcap stream's socket lives on this thread's event loop: give it a turn after every batch.
  const yieldEachBatch = spec.kind === 'tcp';
  const p = emptyPacket();
  // A pending Atomics.waitAsync holds no handle of the event loop: without this the thread would end
  // the first time it sleeps.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  port?.postMessage({ type: 'ready' });
  for (;;) {
    const n = reader.drain(p, take, BATCH);
    if (n > 0) {
      expire();
      sender.flush();
      publish();
      if (yieldEachBatch) await new Promise((r) => setImmediate(r));
      continue;
    }
    if (reader.closing() && !reader.pending()) break;
    expire();
    sender.flush();
    publish();
    // Idle: sleep until the capture thread publishes, waking within the GRO window when packets are held.
    await reader.sleep(gro !== undefined && gro.holding > 0 ? Math.max(0.1, windowMs) : 100);
  }
  gro?.flushAll();
  sender.flush();
  await sender.close();
  publish();
  clearInterval(keepAlive);
  port?.postMessage({ type: 'done' });
}

main().catch((err: unknown) => {
  port?.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
});
