/**
 * The CLI's inline sources: `-i nfqueue:N[-M]` (packets held by NFQUEUE rules, answered here: accept,
 * or drop what `--drop` matches) and `-i nflog:GROUP` (packets logged by NFLOG rules). Both hand
 * packets to the same visitor as the capture sources, so every printing and writing option works.
 */
import { Worker } from 'node:worker_threads';
import type { CaptureStats } from '../capture/index.js';
import { TimeOrderedMerge, readPacketBatch } from '../capture/merge.js';
import type { CompiledFilter } from '../filter/vm.js';
import { QueueError, openLog, openQueue, type NfLog, type NfQueue, type QueueOptions, type QueueStats, type QueuedPacketView, type LoggedPacket } from '../inline/index.js';
import { emptyPacket, type PacketView } from '../packet.js';
import { LinkType } from '../pcap/linktype.js';
import type { QueueWorkerInit } from './queue-worker.js';
import type { Source, SourceStats } from './source.js';
import { pointView } from './netfilter-view.js';

export { InlineSpecError, parseInlineSpec, type InlineSpec } from './inline-spec.js';

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Fills the time fields of `v` from the clock (packets the kernel gave no timestamp). */
/** Waits until one of `waits` resolves or `stopped` is called. */
function waitAny(waits: Promise<void>[], setWake: (w: () => void) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    setWake(resolve);
    for (const w of waits) void w.then(resolve);
  });
}

/**
 * One or more NFQUEUEs, each with its own socket, read in turn on this thread. Every packet gets its
 * verdict before it is handed to the visitor: dropped when `drop` matches it, accepted otherwise.
 */
export class QueueSource implements Source {
  readonly linkType = LinkType.IPV4;
  private stopping = false;
  private wake: (() => void) | undefined;
  private index = 0;
  private readonly started = process.cpuUsage();
  private cpuUs = 0;

  constructor(
    readonly queues: NfQueue[],
    private readonly drop: CompiledFilter | undefined,
  ) {}

  /** Opens one queue per number; on a failure the ones already open are closed. */
  static open(numbers: number[], opts: Omit<QueueOptions, 'queue'>, drop: CompiledFilter | undefined): QueueSource {
    const qs: NfQueue[] = [];
    try {
      for (const n of numbers) qs.push(openQueue({ ...opts, queue: n }));
    } catch (err) {
      for (const q of qs) q.close();
      throw err;
    }
    return new QueueSource(qs, drop);
  }

  async run(visit: (p: PacketView) => void, flush: () => Promise<void>): Promise<void> {
    const v = emptyPacket();
    v.linkType = LinkType.IPV4;
    const drop = this.drop;
    const onPacket = (q: QueuedPacketView): void => {
      // The verdict goes first: the kernel has it before the packet is printed or written.
      if (drop !== undefined && drop(q.buf, q.payloadOffset, q.payloadLen, q.wireLen) !== 0) q.drop();
      else q.accept();
      pointView(v, q.buf, q.payloadOffset, q.payloadLen, q.wireLen, q);
      v.ifindex = q.indev !== 0 ? q.indev : q.outdev;
      v.index = this.index++;
      visit(v);
    };
    while (!this.stopping) {
      let got = 0;
      for (const q of this.queues) got += q.dispatch(onPacket);
      if (got > 0) {
        await flush();
        await yieldToLoop();
        continue;
      }
      await waitAny(
        this.queues.map((q) => q.wait()),
        (w) => (this.wake = w),
      );
    }
    this.closeAll();
  }

  private closeAll(): void {
    if (this.queues.every((q) => q.closed)) return;
    for (const q of this.queues) q.close();
    const u = process.cpuUsage(this.started);
    this.cpuUs = u.user + u.system;
  }

  stop(): void {
    this.stopping = true;
    this.closeAll();
    this.wake?.();
  }

  stats(): CaptureStats {
    return queueTotals(this.queues.map((q) => q.stats()), this.index);
  }

  detail(): SourceStats[] {
    return this.queues.map((q) => queueDetail(q.queue, q.stats()));
  }

  /** The closing lines: verdict totals per queue (and in all), kernel drops, latency and CPU per packet. */
  summary(): string {
    if (this.cpuUs === 0) {
      const u = process.cpuUsage(this.started);
      this.cpuUs = u.user + u.system;
    }
    return queueSummary(this.queues.map((q) => ({ queue: q.queue, s: q.stats() })), this.cpuUs);
  }
}

/** A queue's row for `--stats` tables. */
function queueDetail(queue: number, s: QueueStats): SourceStats {
  return { name: `nfqueue:${queue}`, captured: s.queued, received: s.queued, dropped: (s.kernel?.queueDropped ?? 0) + (s.kernel?.userDropped ?? 0), freezes: 0 };
}

/** Totals of several queues as CaptureStats (received = queued, dropped = what the kernel dropped). */
function queueTotals(all: QueueStats[], captured: number): CaptureStats {
  let received = 0;
  let dropped = 0;
  for (const s of all) {
    received += s.queued;
    dropped += (s.kernel?.queueDropped ?? 0) + (s.kernel?.userDropped ?? 0);
  }
  return { captured, received, dropped, freezes: 0 };
}

/** The summary lines of one or more queues; `cpuUs` is the process's CPU time over the run. */
function queueSummary(per: { queue: number; s: QueueStats }[], cpuUs: number): string {
  const t = { queued: 0, accepted: 0, dropped: 0, timeouts: 0, queueDropped: 0, userDropped: 0, enobufs: 0, malformed: 0, verdictErrors: 0, verdictMessages: 0 };
  let text = '';
  let p50 = 0;
  let p99 = 0;
  for (const { queue, s } of per) {
    t.queued += s.queued;
    t.accepted += s.accepted;
    t.dropped += s.dropped;
    t.timeouts += s.timeouts;
    t.queueDropped += s.kernel?.queueDropped ?? 0;
    t.userDropped += s.kernel?.userDropped ?? 0;
    t.enobufs += s.enobufs;
    t.malformed += s.malformed;
    t.verdictErrors += s.verdictErrors;
    t.verdictMessages += s.verdictMessages;
    p50 = Math.max(p50, s.latencyP50Us);
    p99 = Math.max(p99, s.latencyP99Us);
    if (per.length > 1) {
      text += `nfqueue:${queue}: ${s.queued} queued, ${s.accepted} accepted, ${s.dropped} dropped, ${(s.kernel?.queueDropped ?? 0) + (s.kernel?.userDropped ?? 0)} dropped by kernel\n`;
    }
  }
  text += `${t.queued} queued, ${t.accepted} accepted, ${t.dropped} dropped, ${t.queueDropped + t.userDropped} dropped by kernel (queue full ${t.queueDropped}, socket full ${t.userDropped})\n`;
  const extra: string[] = [];
  if (t.timeouts > 0) extra.push(`${t.timeouts} verdict timeouts`);
  if (t.enobufs > 0) extra.push(`${t.enobufs} socket overruns (ENOBUFS)`);
  if (t.malformed > 0) extra.push(`${t.malformed} malformed messages skipped`);
  if (t.verdictErrors > 0) extra.push(`${t.verdictErrors} verdicts refused`);
  if (extra.length > 0) text += `${extra.join(', ')}\n`;
  const perPkt = t.queued > 0 ? (cpuUs / t.queued).toFixed(2) : '0';
  text += `verdict latency p50 ${p50} us, p99 ${p99} us (worst queue); ${t.verdictMessages} verdict messages; CPU ${perPkt} us per packet\n`;
  return text;
}

interface WorkerMessage {
  type: 'ready' | 'batch' | 'stats' | 'done' | 'error' | 'warn';
  batch?: ArrayBuffer;
  stats?: QueueStats;
  message?: string;
  queueError?: boolean;
}

/**
 * Several NFQUEUEs (`nfqueue:N-M`), one worker thread each: every worker answers its own queue and
 * sends copies of its packets here, where they are merged in timestamp order for the sinks.
 */
export class QueueWorkerSource implements Source {
  readonly linkType = LinkType.IPV4;
  private readonly merge = new TimeOrderedMerge(100);
  private readonly scratch = emptyPacket();
  private readonly workers: Worker[] = [];
  private readonly last = new Map<number, QueueStats>();
  private readonly done: Promise<void>[] = [];
  private stopping = false;
  private wake: (() => void) | undefined;
  private newData = false;
  private delivered = 0;
  private readonly started = process.cpuUsage();
  private cpuUs = 0;

  private constructor(private readonly numbers: number[]) {}

  /** Starts one worker per queue and resolves once all are bound; throws QueueError if one cannot bind. */
  static async start(numbers: number[], init: Omit<QueueWorkerInit, 'opts'> & { opts: Omit<QueueOptions, 'queue' | 'signal' | 'onError'> }, onWarn: (m: string) => void): Promise<QueueWorkerSource> {
    const src = new QueueWorkerSource(numbers);
    const url = new URL(import.meta.url.endsWith('.ts') ? './queue-worker.ts' : './queue-worker.js', import.meta.url);
    const ready = numbers.map((queue) => {
      const data: QueueWorkerInit = { ...init, opts: { ...init.opts, queue } };
      const w = new Worker(url, { workerData: data });
      src.workers.push(w);
      return new Promise<void>((resolve, reject) => {
        let finished: () => void = () => undefined;
        src.done.push(new Promise<void>((r) => (finished = r)));
        w.on('message', (m: WorkerMessage) => {
          if (m.type === 'ready') resolve();
          else if (m.type === 'error') {
            reject(m.queueError === true ? new QueueError(m.message ?? 'queue error') : new Error(m.message));
            finished();
          } else if (m.type === 'warn') onWarn(m.message ?? '');
          else if (m.type === 'stats' && m.stats) src.last.set(queue, m.stats);
          else if (m.type === 'done') {
            if (m.stats) src.last.set(queue, m.stats);
            // The worker's message port would keep it (and the process) alive.
            void w.terminate();
            finished();
          } else if (m.type === 'batch' && m.batch) {
            // The batch buffer is ours (transferred): records point into it, no bytes are copied.
            src.delivered += readPacketBatch(m.batch, src.scratch, (p) => src.merge.push({ ...p }));
            src.newData = true;
            src.wake?.();
          }
        });
        w.on('error', (err) => {
          reject(err);
          finished();
        });
        w.on('exit', () => finished());
      });
    });
    try {
      await Promise.all(ready);
    } catch (err) {
      src.stopWorkers();
      await Promise.all(src.done);
      throw err;
    }
    return src;
  }

  async run(visit: (p: PacketView) => void, flush: () => Promise<void>): Promise<void> {
    while (!this.stopping) {
      if (this.merge.drainOlderThanWindow(visit) > 0) await flush();
      if (!this.newData) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, this.merge.size > 0 ? this.merge.windowMs : 250);
        });
      }
      this.newData = false;
    }
    this.stopWorkers();
    await Promise.all(this.done);
    const u = process.cpuUsage(this.started);
    this.cpuUs = u.user + u.system;
    if (this.merge.drainAll(visit) > 0) await flush();
  }

  private stopWorkers(): void {
    for (const w of this.workers) w.postMessage({ type: 'stop' });
  }

  stop(): void {
    this.stopping = true;
    this.wake?.();
  }

  stats(): CaptureStats {
    return queueTotals([...this.last.values()], this.delivered);
  }

  detail(): SourceStats[] {
    return this.numbers.map((n) => queueDetail(n, this.last.get(n) ?? emptyQueueStats()));
  }

  summary(): string {
    return queueSummary(this.numbers.map((queue) => ({ queue, s: this.last.get(queue) ?? emptyQueueStats() })), this.cpuUs);
  }
}

function emptyQueueStats(): QueueStats {
  return {
    queued: 0, accepted: 0, dropped: 0, repeated: 0, replaced: 0, timeouts: 0, handlerErrors: 0, verdictErrors: 0, enobufs: 0, malformed: 0, verdictMessages: 0,
    latencyP50Us: 0, latencyP99Us: 0, held: 0,
  };
}

/** An NFLOG group: each log message becomes one LINKTYPE_NFLOG record, as libpcap writes them. */
export class LogSource implements Source {
  readonly linkType = LinkType.NFLOG;
  private stopping = false;
  private draining = false;
  private wake: (() => void) | undefined;
  private index = 0;
  private filtered = 0;

  /** `match` runs on the logged packet (compiled for raw IP), not on the NFLOG record. */
  constructor(
    readonly log: NfLog,
    private readonly match: CompiledFilter | undefined,
  ) {}

  static open(group: number, copyRange: number, match: CompiledFilter | undefined): LogSource {
    return new LogSource(openLog({ group, copyRange }), match);
  }

  async run(visit: (p: PacketView) => void, flush: () => Promise<void>): Promise<void> {
    const v = emptyPacket();
    v.linkType = LinkType.NFLOG;
    const match = this.match;
    const onPacket = (p: LoggedPacket): void => {
      if (match !== undefined && (p.payloadOffset < 0 || match(p.buf, p.payloadOffset, p.payloadLen, p.payloadLen) === 0)) {
        this.filtered++;
        return;
      }
      pointView(v, p.buf, p.recordOffset, p.recordLen, p.recordLen, p);
      v.index = this.index++;
      visit(v);
    };
    while (!this.stopping) {
      if (this.log.dispatch(onPacket) > 0) {
        await flush();
        await yieldToLoop();
        continue;
      }
      await waitAny([this.log.wait()], (w) => (this.wake = w));
    }
    if (this.draining && !this.log.closed) {
      // The kernel sends what it batched within its flush timeout (10 ms): take that in too.
      await new Promise((r) => setTimeout(r, 50));
      if (this.log.dispatch(onPacket) > 0) await flush();
    }
    this.log.close();
  }

  stop(): void {
    this.stopping = true;
    this.log.close();
    this.wake?.();
  }

  finish(): void {
    if (this.draining) return this.stop();
    this.stopping = true;
    this.draining = true;
    this.wake?.();
  }

  stats(): CaptureStats {
    const s = this.log.stats();
    return { captured: this.index, received: s.logged, dropped: s.enobufs, freezes: 0 };
  }

  detail(): SourceStats[] {
    return [{ name: `nflog:${this.log.group}`, ...this.stats() }];
  }

  summary(): string {
    const s = this.log.stats();
    const extra: string[] = [];
    if (s.enobufs > 0) extra.push(`${s.enobufs} socket overruns (ENOBUFS): log messages were lost`);
    if (s.malformed > 0) extra.push(`${s.malformed} malformed messages skipped`);
    return extra.length > 0 ? `${extra.join(', ')}\n` : '';
  }
}
