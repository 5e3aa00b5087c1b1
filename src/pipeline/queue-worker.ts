/**
 * One NFQUEUE worker thread of `tscap -i nfqueue:N-M`: binds its queue, answers every packet at once
 * (drop when the `--drop` program matches, accept otherwise), and posts copies of the packets to the
 * main thread in batches for printing and writing. On "stop" it gives every held packet its default
 * verdict, closes, and posts its statistics.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PacketBatchWriter } from '../capture/merge.js';
import type { BpfProgram } from '../filter/bpf.js';
import { compileFilterFunction } from '../filter/vm.js';
import { QueueError, openQueue, type NfQueue, type QueueOptions, type QueuedPacketView } from '../inline/index.js';
import { emptyPacket } from '../packet.js';
import { pointView } from './netfilter-view.js';
import { LinkType } from '../pcap/linktype.js';

/** What the main thread hands each worker. */
export interface QueueWorkerInit {
  opts: Omit<QueueOptions, 'signal' | 'onError'>;
  drop: BpfProgram | undefined;
  /** Whether packets are wanted on the main thread (false: only verdicts and counters). */
  forward: boolean;
}

const init = workerData as QueueWorkerInit;
const port = parentPort;
if (!port) throw new Error('queue-worker must run in a worker thread');

let q: NfQueue;
try {
  q = openQueue({ ...init.opts, onError: (e) => port.postMessage({ type: 'warn', message: e.message }) });
} catch (err) {
  port.postMessage({ type: 'error', message: (err as Error).message, queueError: err instanceof QueueError });
  process.exit(0);
}

const drop = init.drop === undefined ? undefined : compileFilterFunction(init.drop);
const batch = new PacketBatchWriter();
const v = emptyPacket();
v.linkType = LinkType.IPV4;
let index = 0;
const post = (): void => {
  if (batch.count === 0) return;
  const b = batch.take();
  port.postMessage({ type: 'batch', batch: b }, [b]);
};
const onPacket = (p: QueuedPacketView): void => {
  if (drop !== undefined && drop(p.buf, p.payloadOffset, p.payloadLen, p.wireLen) !== 0) p.drop();
  else p.accept();
  if (!init.forward) return;
  pointView(v, p.buf, p.payloadOffset, p.payloadLen, p.wireLen, p);
  v.ifindex = p.indev !== 0 ? p.indev : p.outdev;
  v.index = index++;
  if (!batch.add(v)) {
    post();
    batch.add(v);
  }
};

let stopping = false;
port.on('message', (m: { type: string }) => {
  if (m.type === 'stop') {
    stopping = true;
    q.close();
  }
});
port.postMessage({ type: 'ready' });
const statsTimer = setInterval(() => port.postMessage({ type: 'stats', stats: q.stats() }), 500);
while (!stopping) {
  if (q.dispatch(onPacket) > 0) {
    post();
    await new Promise((r) => setImmediate(r));
    continue;
  }
  await q.wait();
}
clearInterval(statsTimer);
post();
port.postMessage({ type: 'done', stats: q.stats() });
