/**
 * One worker thread of a pipeline with fanout workers: it opens its own socket in the fanout group
 * and runs the same pipeline (filter, printing, file, ...) on its own packets. Printed lines go
 * straight to the output descriptor in whole batches; nothing per packet goes to the main thread (a
 * summary's counters go once, at the end).
 * Messages: in `finish`, `stop`, `capabilities`; out `ready`, `diagnostic`, `stats`, `gap`, `capabilities-done`, `done`, `error`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CaptureGap } from '../capture/capture.js';
import type { CaptureStats } from '../capture/socket.js';
import { capabilityAnswer, type CapabilityStepMessage } from '../capture/spawn.js';
import type { SharedFileTarget } from '../pcap/writer.js';
import type { AccountingState } from '../sinks/flows.js';
import type { PipelineConfig } from './config.js';
import { FdOutputStream } from './fd-output.js';
import { Pipeline, isRuntimeError } from './pipeline.js';

/** What the main thread gives each worker. */
export interface PipelineWorkerInit {
  worker: number;
  config: PipelineConfig;
  /** Lock shared by every thread writing stdout. */
  outputLock: SharedArrayBuffer;
  /** The pcap file every worker appends to, for `-w FILE`. */
  sharedFile?: SharedFileTarget;
  /** The packet count every worker takes from, for `-c`. */
  sharedCount?: SharedArrayBuffer;
}

/** What a worker reports at the end. */
export interface PipelineWorkerDone {
  type: 'done';
  stats: CaptureStats | undefined;
  delivered: number;
  errors: string[];
  /** The run ended by itself (closed output, file limit, failure), not because it was asked to. */
  ended: boolean;
  fileLimitReached: boolean;
  /** The worker's summary counters (`--summary`), added up by the main thread. */
  summary?: AccountingState;
}

/** The buffers of a summary state, to transfer with the message. */
function summaryBuffers(s: AccountingState): ArrayBuffer[] {
  const arrays = [s.untrackedRegisters, s.ifPackets, s.ifBytes, s.nodeParent, s.nodeKind, s.nodeFrames, s.nodeBytes, s.kindFrames, s.kindBytes, ...s.tables.flatMap((t) => [t.keys, t.vals])];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

const init = workerData as PipelineWorkerInit;
const port = parentPort;
if (!port) throw new Error('pipeline-worker must run in a worker thread');

async function main(): Promise<void> {
  const diagnostic = (text: string): void => port?.postMessage({ type: 'diagnostic', text });
  // Gaps go to the main thread as data: every worker sees the interface go, the main thread says it once.
  const onGap = (gap: CaptureGap): void => port?.postMessage({ type: 'gap', gap });
  const shared = { ...(init.sharedFile !== undefined ? { sharedFile: init.sharedFile } : {}), ...(init.sharedCount !== undefined ? { sharedCount: init.sharedCount } : {}) };
  const p = await Pipeline.open(init.config, { stdout: new FdOutputStream(1, init.outputLock), diagnostic, quiet: true, onGap, countsBack: true, ...shared });
  let asked = false;
  port?.on('message', (m: { type: string }) => {
    if (m.type === 'capabilities') {
      void capabilityAnswer(m as CapabilityStepMessage).then((a) => port?.postMessage(a));
      return;
    }
    asked = true;
    if (m.type === 'finish') p.finish();
    else if (m.type === 'stop') p.stop();
  });
  // Running statistics for the main thread's rows (and, with --stats, the largest flows), twice a second.
  const timer = setInterval(() => {
    const s = p.source?.stats();
    const flows = p.flowState();
    if (s) port?.postMessage({ type: 'stats', stats: s, ...(flows !== undefined ? { flows } : {}) });
  }, 500);
  port?.postMessage({ type: 'ready' });
  const r = await p.run();
  clearInterval(timer);
  const done: PipelineWorkerDone = {
    type: 'done',
    stats: r.stats,
    delivered: r.delivered,
    errors: r.errors.map((e) => e.message),
    ended: !asked,
    fileLimitReached: r.fileLimitReached,
    ...(r.summary !== undefined ? { summary: r.summary } : {}),
  };
  // the summary's tables move to the main thread rather than being copied
  port?.postMessage(done, r.summary === undefined ? [] : summaryBuffers(r.summary));
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  port?.postMessage({ type: 'error', message, runtime: isRuntimeError(err) });
});
