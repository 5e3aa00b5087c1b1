/**
 * One fanout worker thread: opens its own socket and ring in the group, feeds every packet to the
 * user's handler, and on "stop" closes, finishes the handler, and reports its result and statistics.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { openCapture, type CaptureOptions } from './capture.js';
import type { CaptureStats } from './socket.js';
import { capabilityAnswer, type CapabilityStepMessage } from './spawn.js';
import type { WorkerHandler, WorkerHandlerFactory } from './workers.js';

interface Init {
  worker: number;
  workers: number;
  capture: CaptureOptions;
  handler: string;
  data: unknown;
}

const init = workerData as Init;
const port = parentPort;
if (!port) throw new Error('fanout-worker must run in a worker thread');

async function main(): Promise<void> {
  const href = init.handler.startsWith('file:') ? init.handler : pathToFileURL(init.handler).href;
  const mod = (await import(href)) as { default?: WorkerHandlerFactory<unknown> };
  if (typeof mod.default !== 'function') throw new Error(`${init.handler}: the handler module must export a default function`);
  const post = (batch: ArrayBuffer): void => port?.postMessage({ type: 'batch', batch }, [batch]);
  const handler: WorkerHandler<unknown> = await mod.default({ worker: init.worker, workers: init.workers, data: init.data, post });
  const cap = openCapture(init.capture);
  // Every worker's socket sees the interface go away: the main thread says it once.
  cap.onGap((_err, gap) => port?.postMessage({ type: 'gap', gap }));
  let stopping = false;
  port?.on('message', (m: { type: string }) => {
    if (m.type === 'stop') {
      stopping = true;
      cap.close();
    } else if (m.type === 'capabilities') void capabilityAnswer(m as CapabilityStepMessage).then((a) => port?.postMessage(a));
  });
  port?.postMessage({ type: 'ready' });
  const visit = handler.packet.bind(handler);
  let failure: unknown;
  // Running statistics go to the main thread twice a second, busy or idle, for live tables.
  const statsTimer = setInterval(() => {
    if (!cap.closed) port?.postMessage({ type: 'stats', stats: cap.stats() });
  }, 500);
  try {
    while (!stopping) {
      const n = cap.dispatch(visit);
      if (n > 0) {
        handler.flush?.();
        await new Promise((r) => setImmediate(r));
        continue;
      }
      await cap.wait();
    }
  } catch (err) {
    if (!cap.closed) failure = err;
  }
  clearInterval(statsTimer);
  const stats: CaptureStats = cap.stats();
  cap.close();
  handler.flush?.();
  if (failure !== undefined) throw Object.assign(failure as Error, { stats });
  const result = handler.finish ? await handler.finish() : undefined;
  port?.postMessage({ type: 'done', result, stats });
}

main().catch((err: unknown) => {
  const e = err as Error & { stats?: CaptureStats };
  port?.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e), stats: e.stats });
});
