/**
 * Where a pipeline's packets come from: one live interface, several (merged in timestamp order), fanout
 * workers (merged likewise), or a file. Every source walks batches and calls `visit` per packet and
 * `flush` after each batch, so sinks write once per ring block or file chunk.
 */
import {
  CaptureOptionError,
  openCapture,
  resolveRing,
  startFanout,
  type Capture,
  type CaptureOptions,
  type CaptureStats,
  type FanoutMode,
  type FanoutResult,
  type RingRecordSink,
} from '../capture/index.js';
import { BatchMerge, TimeOrderedMerge, mergeWindowMs, readPacketBatch } from '../capture/merge.js';
import { copyPacket, emptyPacket, type PacketSink, type PacketView } from '../packet.js';
import { SharedGaps } from './gaps.js';

export { FileSource, sumStats, type Source, type SourceStats } from './source.js';
import { sumStats, type Source, type SourceStats } from './source.js';
import type { CapabilityName } from '../syscalls/privileges.js';

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** One live interface: dispatch a block, flush, repeat; wait on the socket when idle. */
export class LiveSource implements Source {
  private stopping = false;
  private draining = false;
  private wake: (() => void) | undefined;
  private records: { sink: RingRecordSink; budget: () => number; taken: (n: number) => void } | undefined;
  constructor(readonly cap: Capture) {}

  /**
   * Hands packets to `sink` as places in the ring (`Capture.dispatchRecords`) instead of calling the
   * visitor: up to `budget()` per batch, reporting each batch's count to `taken`.
   */
  useRecords(sink: RingRecordSink, budget: () => number, taken: (n: number) => void): void {
    this.records = { sink, budget, taken };
  }

  private take(visit: (p: PacketView) => void): number {
    const r = this.records;
    if (r === undefined) return this.cap.dispatch(visit);
    const n = this.cap.dispatchRecords(r.sink, r.budget());
    if (n > 0) r.taken(n);
    return n;
  }

  get linkType(): number {
    return this.cap.linkType;
  }

  async run(visit: (p: PacketView) => void, flush: () => Promise<void>): Promise<void> {
    while (!this.stopping) {
      if (this.take(visit) > 0) {
        await flush();
        await yieldToLoop(); // let signal handlers run under continuous traffic
        continue;
      }
      await new Promise<void>((resolve, reject) => {
        this.wake = resolve;
        this.cap.wait().then(resolve, reject);
      });
    }
    if (this.draining && !this.cap.closed) {
      // The kernel hands over the block it is filling within the block timeout: wait for it (or for
      // the socket to turn readable), so the packets it took before the signal are written too
      // (tcpdump drops them). An empty block has nothing to wait for: stop at once.
      if (this.cap.pendingInBlock > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise((r) => (timer = setTimeout(r, (this.cap.ring?.blockTimeoutMs ?? 0) + 5))),
          this.cap.wait().catch(() => undefined),
        ]);
        clearTimeout(timer);
      }
      if (!this.cap.closed && this.take(visit) > 0) await flush();
    }
    this.cap.close();
  }

  stop(): void {
    this.stopping = true;
    this.cap.close();
  }

  finish(): void {
    if (this.draining) return this.stop(); // a second signal: stop at once
    this.stopping = true;
    this.draining = true;
    this.wake?.();
  }

  stats(): CaptureStats {
    return this.cap.stats();
  }

  detail(): SourceStats[] {
    return [{ name: this.cap.info.name, ...this.cap.stats(), gaps: this.cap.gaps }];
  }

  gaps(): number {
    return this.cap.gaps;
  }
}

/** Several live interfaces, merged in timestamp order within a window. */
export class MultiLiveSource implements Source {
  private stopping = false;
  private readonly merge: TimeOrderedMerge;
  private wake: (() => void) | undefined;

  constructor(readonly caps: Capture[]) {
    this.merge = new TimeOrderedMerge(mergeWindowMs(Math.max(...caps.map((c) => c.ring?.blockTimeoutMs ?? 0))));
    const types = new Set(caps.map((c) => c.linkType));
    if (types.size > 1) throw new CaptureOptionError('the interfaces have different link types: capture them with -i any');
  }

  get linkType(): number {
    return (this.caps[0] as Capture).linkType;
  }

  async run(visit: (p: PacketView) => void, flush: () => Promise<void>): Promise<void> {
    const keep = (p: PacketView): void => this.merge.push(copyPacket(p));
    const pending = new Set<Capture>();
    while (!this.stopping) {
      let got = 0;
      for (const c of this.caps) if (!c.closed) got += c.dispatch(keep);
      if (this.merge.drainOlderThanWindow(visit) > 0) await flush();
      if (got > 0) {
        await yieldToLoop();
        continue;
      }
      // Idle: wait for any socket, or for the window to release what is held.
      await new Promise<void>((resolve, reject) => {
        this.wake = resolve;
        const timer = setTimeout(resolve, this.merge.size > 0 ? this.merge.windowMs : 250);
        for (const c of this.caps) {
          if (pending.has(c) || c.closed) continue;
          pending.add(c);
          c.wait().then(
            () => {
              pending.delete(c);
              clearTimeout(timer);
              resolve();
            },
            (err: unknown) => {
              pending.delete(c);
              clearTimeout(timer);
              reject(err);
            },
          );
        }
      });
    }
    if (this.merge.drainAll(visit) > 0) await flush();
  }

  stop(): void {
    this.stopping = true;
    for (const c of this.caps) c.close();
    this.wake?.();
  }

  stats(): CaptureStats {
    return sumStats(this.caps.map((c) => c.stats()));
  }

  detail(): SourceStats[] {
    return this.caps.map((c) => ({ name: c.info.name, ...c.stats(), gaps: c.gaps }));
  }

  gaps(): number {
    return this.caps.reduce((a, c) => a + c.gaps, 0);
  }
}

/**
 * Fanout workers, each with its own socket and ring, merged in timestamp order on this thread: each
 * worker sends one batch (one copy of the packets of a ring walk, transferred) and the batches are
 * merged where they lie, without an object per packet.
 */
export class WorkerSource implements Source {
  private readonly merge: BatchMerge;
  private readonly scratch = emptyPacket();
  private run_: ReturnType<typeof startFanout<undefined>> | undefined;
  private result: FanoutResult<undefined> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private newData = false;
  private readonly liveStats: CaptureStats = { captured: 0, received: 0, dropped: 0, freezes: 0 };
  private readonly flushes: Promise<void>[] = [];
  private readonly running: (CaptureStats | undefined)[] = [];
  private readonly shared: SharedGaps;

  constructor(
    private readonly opts: Omit<CaptureOptions, 'signal' | 'fanout'>,
    private readonly workers: number,
    private readonly mode: FanoutMode,
    private readonly flags: ('defrag' | 'rollover')[],
    readonly linkType: number,
    /** Receives the line of each interface gap (`reopen`), once for all workers. */
    diagnostic: (text: string) => void,
    /** One sink per worker (`-w` with `%w`): each worker's packets go there, unmerged. */
    private readonly perWorker?: PacketSink[],
  ) {
    this.shared = new SharedGaps(diagnostic);
    this.merge = new BatchMerge(workers, mergeWindowMs(resolveRing(opts).blockTimeoutMs), this.scratch);
  }

  /** Starts the workers and resolves once all are reading. */
  async start(): Promise<void> {
    this.run_ = startFanout<undefined>({
      ...this.opts,
      workers: this.workers,
      mode: this.mode,
      flags: this.flags,
      handler: new URL(import.meta.url.endsWith('.ts') ? '../capture/forward-handler.ts' : '../capture/forward-handler.js', import.meta.url),
      onStats: (w, st) => {
        this.running[w] = st;
      },
      onGap: (_w, gap) => this.shared.report(gap),
      onBatch: (w, batch) => {
        const own = this.perWorker?.[w];
        if (own !== undefined) {
          this.liveStats.captured += readPacketBatch(batch, this.scratch, (p) => own.write(p));
          this.flushes[w] = (this.flushes[w] ?? Promise.resolve()).then(() => own.flush());
          return;
        }
        // The batch buffer is ours (transferred): kept as it is until merged, no bytes copied.
        this.merge.push(w, batch);
        this.newData = true;
        this.wake?.();
      },
    });
    await this.run_.ready;
  }

  async run(visit: (p: PacketView) => void, flush: () => Promise<void>): Promise<void> {
    const counted = (p: PacketView): void => {
      this.liveStats.captured++;
      visit(p);
    };
    while (!this.stopping) {
      if (this.merge.drainOlderThanWindow(counted) > 0) await flush();
      if (!this.newData) await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, this.merge.size > 0 ? this.merge.windowMs : 250);
      });
      this.newData = false;
    }
    this.result = await this.run_?.stop();
    if (this.merge.drainAll(counted) > 0) await flush();
    await Promise.all(this.flushes);
    if (this.perWorker) {
      const stats = this.result?.stats ?? [];
      for (const [i, s] of this.perWorker.entries()) {
        const st = stats[i];
        const fs = s as PacketSink & { setInterfaceStats?(r: number, d: number): void };
        if (st) fs.setInterfaceStats?.(st.received, st.dropped);
        await s.close();
      }
    }
  }

  stop(): void {
    this.stopping = true;
    this.wake?.();
  }

  stats(): CaptureStats {
    return this.result?.total ?? this.liveStats;
  }

  detail(): SourceStats[] {
    // Final figures once the run is over; the workers' running figures while it goes on.
    const per = this.result?.stats ?? Array.from({ length: this.workers }, (_, i) => this.running[i]);
    return per.map((s, i) => ({ name: `worker ${i}`, ...(s ?? { captured: 0, received: 0, dropped: 0, freezes: 0 }) }));
  }

  /** The workers that failed, and why (their packets are missing from the totals). */
  failures(): { worker: number; error: string }[] {
    return this.result?.failed ?? [];
  }

  gaps(): number {
    return this.shared.count;
  }

  capabilityStep(phase: 'before' | 'after', keep: CapabilityName[]): Promise<void> {
    return this.run_?.capabilities(phase, keep) ?? Promise.resolve();
  }
}

/** Opens one capture per interface name. */
export function openLive(names: string[], opts: Omit<CaptureOptions, 'iface'>): Capture[] {
  const caps: Capture[] = [];
  try {
    for (const name of names) caps.push(openCapture({ ...opts, iface: name }));
  } catch (err) {
    for (const c of caps) c.close();
    throw err;
  }
  return caps;
}
