/**
 * Fanout across worker threads: N sockets, each with its own ring, in one PACKET_FANOUT group, each
 * read by its own thread running the user's handler module. The kernel splits the traffic (by flow in
 * `hash` mode), so a handler sees whole flows without locks; results and statistics are gathered.
 */
import type { Worker } from 'node:worker_threads';
import type { PacketView } from '../packet.js';
import type { CaptureGap, CaptureOptions, FanoutMode } from './capture.js';
import { CaptureOptionError, MAX_WORKERS } from './errors.js';
import type { CaptureStats } from './socket.js';
import { capabilityStepOnEvery, spawnModuleWorker } from './spawn.js';
import type { CapabilityName } from '../syscalls/privileges.js';

export { MAX_WORKERS } from './errors.js';

/** What a handler module's default export returns for each worker. */
export interface WorkerHandler<R> {
  /** Called for every packet this worker receives; the packet is borrowed. */
  packet(p: PacketView): void;
  /** Called after each batch of packets (one ring walk), e.g. to post what the batch produced. */
  flush?(): void;
  /** Called once after the capture stops; its value is sent back (structured clone). */
  finish?(): R | Promise<R>;
}

/** What a handler factory is given. */
export interface WorkerContext {
  worker: number;
  workers: number;
  data: unknown;
  /** Sends a buffer to the main thread (transferred, not copied): `onBatch` receives it. */
  post(batch: ArrayBuffer): void;
}

/** A handler module's default export. */
export type WorkerHandlerFactory<R> = (ctx: WorkerContext) => WorkerHandler<R> | Promise<WorkerHandler<R>>;

/** Options of `startFanout`. */
export interface FanoutRunOptions extends Omit<CaptureOptions, 'fanout' | 'signal'> {
  /** Number of worker threads (1..64). */
  workers: number;
  /** Handler module (path or file URL) whose default export is a `WorkerHandlerFactory`. */
  handler: string | { readonly href: string };
  mode?: FanoutMode;
  flags?: readonly ('defrag' | 'rollover')[];
  /** Fanout group id; default derived from the process id. */
  group?: number;
  /** Passed to every handler factory. */
  data?: unknown;
  /** Receives what handlers `post`, in order per worker. */
  onBatch?: (worker: number, batch: ArrayBuffer) => void;
  /** Receives each worker's running statistics (about twice a second while packets flow). */
  onStats?: (worker: number, stats: CaptureStats) => void;
  /** With `reopen`: told of each worker's gap (every worker's socket sees the interface go away). */
  onGap?: (worker: number, gap: CaptureGap) => void;
}

/** What a fanout run gathers. */
export interface FanoutResult<R> {
  /** Each worker's `finish()` value, by worker index (undefined for a failed worker). */
  results: (R | undefined)[];
  /** Each worker's statistics. */
  stats: (CaptureStats | undefined)[];
  /** Statistics summed over workers. */
  total: CaptureStats;
  /** Workers that failed, with the reason. */
  failed: { worker: number; error: string }[];
}

/** A running fanout. */
export interface FanoutRun<R> {
  /** Resolves once every worker has joined the group and is reading. */
  ready: Promise<void>;
  /** Stops every worker and gathers their results. */
  stop(): Promise<FanoutResult<R>>;
  /**
   * Runs one step of a privilege drop on every worker thread, which opens its socket again after a
   * gap (`reopen`): `before` the drop, `after` it (see `threadCapabilityStep`). Rejects with PrivilegeError.
   */
  capabilities(phase: 'before' | 'after', keep: CapabilityName[]): Promise<void>;
}

/**
 * Starts `workers` threads capturing on one interface in one fanout group.
 * @example
 * const run = startFanout({ iface: 'eth0', workers: 2, handler: new URL('./count.js', import.meta.url) });
 * await run.ready; await sleep(5000); const { total, results } = await run.stop();
 */
export function startFanout<R>(opts: FanoutRunOptions): FanoutRun<R> {
  if (!Number.isInteger(opts.workers) || opts.workers < 1 || opts.workers > MAX_WORKERS) {
    throw new CaptureOptionError(`workers ${opts.workers}: must be 1..${MAX_WORKERS}`, 'workers');
  }
  const { workers: n, handler, mode, flags, group, data, onBatch, onStats, onGap, ...capture } = opts;
  const fanout = { group: group ?? process.pid & 0xffff, mode: mode ?? 'hash', flags: flags ?? [] };
  const handlerRef = typeof handler === 'string' ? handler : handler.href;
  const results: (R | undefined)[] = Array(n).fill(undefined);
  const stats: (CaptureStats | undefined)[] = Array(n).fill(undefined);
  const failed: { worker: number; error: string }[] = [];
  const threads: Worker[] = [];
  const readies: Promise<void>[] = [];
  const dones: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const w = spawnModuleWorker('fanout-worker', { worker: i, workers: n, capture: { ...capture, fanout }, handler: handlerRef, data });
    threads.push(w);
    let markReady: () => void = () => undefined;
    let failReady: (e: Error) => void = () => undefined;
    readies.push(
      new Promise<void>((resolve, reject) => {
        markReady = resolve;
        failReady = reject;
      }),
    );
    dones.push(
      new Promise<void>((resolve) => {
        let settled = false;
        const fail = (error: string, s?: CaptureStats): void => {
          if (settled) return;
          settled = true;
          failed.push({ worker: i, error });
          stats[i] = s;
          failReady(new Error(`worker ${i}: ${error}`));
          resolve();
        };
        w.on('message', (m: { type: string; result?: R; stats?: CaptureStats; message?: string; batch?: ArrayBuffer; gap?: CaptureGap }) => {
          if (m.type === 'batch') onBatch?.(i, m.batch as ArrayBuffer);
          else if (m.type === 'stats') onStats?.(i, m.stats as CaptureStats);
          else if (m.type === 'gap') onGap?.(i, m.gap as CaptureGap);
          else if (m.type === 'ready') markReady();
          else if (m.type === 'done') {
            settled = true;
            results[i] = m.result;
            stats[i] = m.stats;
            resolve();
          } else if (m.type === 'error') fail(m.message ?? 'failed', m.stats);
        });
        w.on('error', (err) => fail(err.message));
        w.on('exit', (code) => fail(`exited with code ${code}`));
      }),
    );
  }
  const ready = Promise.all(readies).then(() => undefined);
  ready.catch(() => undefined); // a failed worker is reported by stop(); ready rejects only for waiters
  return {
    ready,
    capabilities: (phase, keep) => capabilityStepOnEvery(threads, { type: 'capabilities', phase, keep }),
    async stop(): Promise<FanoutResult<R>> {
      for (const w of threads) w.postMessage({ type: 'stop' });
      await Promise.all(dones);
      await Promise.all(threads.map((w) => w.terminate()));
      const total: CaptureStats = { captured: 0, received: 0, dropped: 0, freezes: 0 };
      for (const s of stats) {
        if (!s) continue;
        total.captured += s.captured;
        total.received += s.received;
        total.dropped += s.dropped;
        total.freezes += s.freezes;
      }
      return { results, stats, total, failed };
    },
  };
}
