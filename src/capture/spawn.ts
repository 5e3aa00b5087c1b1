/**
 * Worker threads of tscap's own modules (fanout readers, hand-off senders). Kept apart from the public
 * modules so that their declarations need no `node:worker_threads` types.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

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
