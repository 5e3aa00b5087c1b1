/**
 * Fanout workers that each run the whole pipeline on their own packets (see pipeline-worker.ts):
 * this thread starts them, relays their diagnostics, and at the end sums their statistics. As a
 * `Source` it delivers no packets here; `run` only waits for the workers to finish.
 */
import type { Worker } from 'node:worker_threads';
import type { CaptureGap } from '../capture/capture.js';
import type { CaptureStats } from '../capture/socket.js';
import { capabilityStepOnEvery, spawnModuleWorker } from '../capture/spawn.js';
import type { PacketView } from '../packet.js';
import type { SharedFileTarget } from '../pcap/writer.js';
import type { AccountingState } from '../sinks/flows.js';
import type { PipelineConfig } from './config.js';
import { createOutputLock } from './fd-output.js';
import { SharedGaps } from './gaps.js';
import type { PipelineWorkerDone, PipelineWorkerInit } from './pipeline-worker.js';
import { sumStats, type Source, type SourceStats } from './source.js';
import type { CapabilityName } from '../syscalls/privileges.js';

/** A worker that could not start or failed; a runtime failure (exit 1). */
export class PipelineWorkerError extends Error {
  override readonly name = 'PipelineWorkerError';
}

type Message =
  | { type: 'ready' }
  | { type: 'diagnostic'; text: string }
  | { type: 'stats'; stats: CaptureStats; flows?: AccountingState }
  | { type: 'gap'; gap: CaptureGap }
  | { type: 'capabilities-done' }
  | PipelineWorkerDone
  | { type: 'error'; message: string };

const ZERO: CaptureStats = { captured: 0, received: 0, dropped: 0, freezes: 0 };

/** N threads, each running `configOf(i)` as a pipeline. */
export class PipelineWorkers implements Source {
  private readonly threads: Worker[] = [];
  private readonly dones: Promise<void>[] = [];
  private readonly results: (PipelineWorkerDone | undefined)[] = [];
  private readonly running: (CaptureStats | undefined)[] = [];
  private readonly flows: (AccountingState | undefined)[] = [];
  private readonly failed: { worker: number; error: string }[] = [];
  private asked = false;
  private wake: (() => void) | undefined;
  private endedByItself = false;
  private readonly shared: SharedGaps;

  constructor(
    readonly linkType: number,
    private readonly count: number,
    private readonly configOf: (worker: number) => PipelineConfig,
    private readonly diagnostic: (text: string) => void,
    private readonly sharing: { file?: SharedFileTarget; count?: SharedArrayBuffer } = {},
  ) {
    this.shared = new SharedGaps(diagnostic);
  }

  /** Starts the workers; resolves once every one has its socket, ring and outputs open. */
  async start(): Promise<void> {
    const outputLock = createOutputLock();
    const readies: Promise<void>[] = [];
    for (let i = 0; i < this.count; i++) {
      const { file, count } = this.sharing;
      const init: PipelineWorkerInit = { worker: i, config: this.configOf(i), outputLock, ...(file !== undefined ? { sharedFile: file } : {}), ...(count !== undefined ? { sharedCount: count } : {}) };
      const w = spawnModuleWorker('../pipeline/pipeline-worker', init);
      this.threads.push(w);
      let ready: () => void = () => undefined;
      let notReady: (e: Error) => void = () => undefined;
      readies.push(new Promise<void>((res, rej) => ((ready = res), (notReady = rej))));
      this.dones.push(
        new Promise<void>((resolve) => {
          let settled = false;
          const fail = (error: string): void => {
            if (settled) return;
            settled = true;
            this.failed.push({ worker: i, error });
            notReady(new PipelineWorkerError(`worker ${i}: ${error}`));
            this.ended();
            resolve();
          };
          w.on('message', (m: Message) => {
            if (m.type === 'ready') ready();
            else if (m.type === 'diagnostic') {
              // the same warning from every worker would say nothing more
              if (i === 0 || !m.text.startsWith('tscap: WARNING')) this.diagnostic(m.text);
            } else if (m.type === 'stats') {
              this.running[i] = m.stats;
              if (m.flows !== undefined) this.flows[i] = m.flows;
            }
            else if (m.type === 'gap') this.shared.report(m.gap);
            else if (m.type === 'capabilities-done') return; // answered to capabilityStep
            else if (m.type === 'done') {
              settled = true;
              this.results[i] = m;
              if (m.ended) this.ended();
              resolve();
            } else fail(m.message);
          });
          w.on('error', (err) => fail(err.message));
          w.on('exit', (code) => fail(`exited with code ${code}`));
        }),
      );
    }
    try {
      await Promise.all(readies);
    } catch (err) {
      this.stop();
      await Promise.all(this.dones);
      await this.terminate();
      throw err;
    }
  }

  /** A worker's run ended by itself (closed output, -W reached, a failure): end the others too. */
  private ended(): void {
    this.endedByItself = true;
    this.wake?.();
  }

  /** The largest flows and talkers each worker last reported (`--stats`). */
  flowStates(): AccountingState[] {
    return this.flows.flatMap((f) => (f !== undefined ? [f] : []));
  }

  /** The summary counters of every worker that finished (`--summary`). */
  summaries(): AccountingState[] {
    return this.results.flatMap((r) => (r?.summary !== undefined ? [r.summary] : []));
  }

  async run(_visit: (p: PacketView) => void, _flush: () => Promise<void>): Promise<void> {
    if (!this.asked && !this.endedByItself) await new Promise<void>((r) => (this.wake = r));
    if (!this.asked) this.send('finish');
    await Promise.all(this.dones);
    await this.terminate();
  }

  private send(type: 'finish' | 'stop'): void {
    for (const w of this.threads) w.postMessage({ type });
  }

  private async terminate(): Promise<void> {
    await Promise.all(this.threads.map((w) => w.terminate()));
  }

  stop(): void {
    if (this.asked) return;
    this.asked = true;
    this.send('stop');
    this.wake?.();
  }

  finish(): void {
    if (this.asked) return this.stop();
    this.asked = true;
    this.send('finish');
    this.wake?.();
  }

  /** Packets the workers handed to their sinks. */
  delivered(): number {
    return this.results.reduce((a, r) => a + (r?.delivered ?? 0), 0);
  }

  /** Runtime failures the workers' pipelines met (their messages were already relayed). */
  errors(): string[] {
    return this.results.flatMap((r) => r?.errors ?? []);
  }

  /** The workers that failed. */
  failures(): { worker: number; error: string }[] {
    return this.failed;
  }

  /** -W ended a worker's run. */
  fileLimitReached(): boolean {
    return this.results.some((r) => r?.fileLimitReached === true);
  }

  private perWorker(): CaptureStats[] {
    return Array.from({ length: this.count }, (_, i) => this.results[i]?.stats ?? this.running[i] ?? ZERO);
  }

  stats(): CaptureStats {
    return sumStats(this.perWorker());
  }

  detail(): SourceStats[] {
    return this.perWorker().map((s, i) => {
      const bytes = this.flows[i]?.bytes;
      return { name: `worker ${i}`, ...s, ...(bytes !== undefined ? { bytes } : {}) };
    });
  }

  gaps(): number {
    return this.shared.count;
  }

  capabilityStep(phase: 'before' | 'after', keep: CapabilityName[]): Promise<void> {
    return capabilityStepOnEvery(this.threads, { type: 'capabilities', phase, keep });
  }
}
