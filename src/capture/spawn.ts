/**
 * Worker threads of tscap's own modules (fanout readers, hand-off senders). Kept apart from the public
 * modules so that their declarations need no `node:worker_threads` types.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CapabilityName } from '../syscalls/privileges.js';

/**
 * Starts the worker module `name` (a file beside this one): the compiled `.js`, or, when running from
 * TypeScript sources (tests, tsx), the `.ts` with tsx's loader registered in the thread first.
 */
export function spawnModuleWorker(name: string, workerData: unknown): Worker {
  const js = new URL(`./${name}.js`, import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData });
  const ts = new URL(`./${name}.ts`, import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

/** One step of a privilege drop run on a worker thread (see `threadCapabilityStep`). */
export interface CapabilityStepMessage {
  type: 'capabilities';
  phase: 'before' | 'after';
  keep: CapabilityName[];
}

/** A worker thread's answer to a `capabilities` message, after running the step on itself (capabilities are per thread). */
export async function capabilityAnswer(m: CapabilityStepMessage): Promise<{ type: 'capabilities-done'; error?: string }> {
  const { threadCapabilityStep } = await import('../syscalls/privileges.js');
  try {
    threadCapabilityStep(m.phase, m.keep);
    return { type: 'capabilities-done' };
  } catch (err) {
    return { type: 'capabilities-done', error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Sends a capability step to every thread and resolves once each has done it; rejects with the first
 * failure, or when a thread has not answered within `timeoutMs` (it is stuck or gone).
 */
export async function capabilityStepOnEvery(threads: readonly Worker[], m: CapabilityStepMessage, timeoutMs = 30_000): Promise<void> {
  const { PrivilegeError } = await import('../syscalls/privileges.js');
  await Promise.all(
    threads.map(
      (w, i) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            w.off('message', onMessage);
            reject(new PrivilegeError(`worker ${i} did not answer the privilege change (${m.phase}) within ${timeoutMs} ms`));
          }, timeoutMs);
          const onMessage = (a: { type: string; error?: string }): void => {
            if (a.type !== 'capabilities-done') return;
            clearTimeout(timer);
            w.off('message', onMessage);
            if (a.error === undefined) resolve();
            else reject(new PrivilegeError(`worker ${i}: ${a.error}`));
          };
          w.on('message', onMessage);
          w.postMessage(m);
        }),
    ),
  );
}
