/**
 * `openQueue`: an NFQUEUE consumer over one netfilter netlink socket. Packets are read in batches
 * (recvmmsg), parsed into one reusable record, and answered with as few messages as possible: a run
 * of packets answered in order with the same verdict and mark becomes one NFQNL_MSG_VERDICT_BATCH,
 * and every verdict decided during a batch goes to the kernel in one send. Packets not answered
 * within `verdictTimeoutMs` get the default verdict (accept, or drop with `failClosed`), as do all
 * packets still held when the queue closes, so nothing is left stuck in the kernel.
 */
import type { AbortSignalLike } from '../streams.js';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ERRNO, SyscallError } from '../syscalls/index.js';
import { AttrTable, NLMSG, NLMSGHDR, NlBuilder, nlAlign } from './netlink.js';
import {
  NFQA,
  NFQA_CFG_F,
  NFQNL_COPY,
  NFQNL_MAX_COPY_RANGE,
  NFQNL_MSG,
  NF_VERDICT,
  buildBindConfig,
  buildMaxLen,
  buildVerdict,
  emptyRecord,
  errorOf,
  parsePacket,
  verdictSize,
  type PacketRecord,
} from './nfqueue.js';
import { LatencyHistogram } from './latency.js';
import { NetlinkSocket, ReadableWaiters, RecvResult, hasNetAdmin } from './socket.js';

/** Options of `openQueue`. */
export interface QueueOptions {
  /** Queue number, 0..65535 (iptables `--queue-num`). */
  queue: number;
  /** Bytes of each packet copied to userspace (default 65531, the most the kernel copies). */
  copyRange?: number;
  /** Packets the kernel holds for this queue before it drops (or, with `failOpen`, accepts) more (default 4096). */
  maxLen?: number;
  /** When the queue is full, the kernel accepts packets instead of dropping them (default true). */
  failOpen?: boolean;
  /** Hand GSO super-packets over whole instead of segmenting them first (default false). */
  gso?: boolean;
  /** Ask for the conntrack state and entry of each packet (default false). */
  conntrack?: boolean;
  /** Ask for the uid and gid of the local socket that owns each packet (default false). */
  uidGid?: boolean;
  /** Default verdict is drop instead of accept (for IPS use): unanswered packets are dropped. */
  failClosed?: boolean;
  /** Time a packet may wait for a verdict before it gets the default one (default 5000 ms). */
  verdictTimeoutMs?: number;
  /** Socket receive buffer in bytes (default 64 MiB, forced past rmem_max as root). */
  rcvbuf?: number;
  /** Closes the queue (default verdicts first) when aborted. */
  signal?: AbortSignalLike;
  /** Called once per kind of error that does not stop the queue (a handler that threw, a refused verdict). */
  onError?: (err: Error) => void;
}

/** A verdict as the API names it. */
export type Verdict = 'accept' | 'drop' | 'repeat';

/** Counters of one queue. */
export interface QueueStats {
  /** Packets received from the kernel. */
  queued: number;
  accepted: number;
  dropped: number;
  /** Packets given NF_REPEAT. */
  repeated: number;
  /** Packets whose bytes were replaced. */
  replaced: number;
  /** Packets that got the default verdict because nobody answered in time. */
  timeouts: number;
  /** Packets that got the default verdict because their handler threw. */
  handlerErrors: number;
  /** Verdict messages the kernel refused. */
  verdictErrors: number;
  /** Times the socket overflowed (ENOBUFS). */
  enobufs: number;
  /** Netlink messages skipped because they were malformed. */
  malformed: number;
  /** Verdict messages sent (a batch verdict counts once). */
  verdictMessages: number;
  /** Time from receipt to verdict sent, in microseconds. */
  latencyP50Us: number;
  latencyP99Us: number;
  /** Packets held now, waiting for a verdict. */
  held: number;
  /** The kernel's counters for this queue (/proc/net/netfilter/nfnetlink_queue), when readable. */
  kernel?: KernelQueueStats;
}

/** One line of /proc/net/netfilter/nfnetlink_queue. */
export interface KernelQueueStats {
  /** Packets waiting in the kernel for a verdict. */
  waiting: number;
  /** Packets dropped because the queue was full (without fail-open). */
  queueDropped: number;
  /** Packets dropped because the netlink socket was full. */
  userDropped: number;
  /** Last packet id handed out. */
  lastId: number;
  /** Port id of the socket bound to the queue. */
  portid: number;
}

/** The kernel's counters for `queue` in this network namespace, or undefined when it is not bound. */
export function kernelQueueStats(queue: number): KernelQueueStats | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/net/netfilter/nfnetlink_queue', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/).map(Number);
    if (f.length >= 8 && f[0] === queue) {
      return { portid: f[1] as number, waiting: f[2] as number, queueDropped: f[5] as number, userDropped: f[6] as number, lastId: f[7] as number };
    }
  }
  return undefined;
}

/** Thrown when a queue cannot be opened: bound by another process, no permission, a bad option. */
export class QueueError extends Error {
  override readonly name = 'QueueError';
  constructor(
    message: string,
    /** The errno the kernel answered with, when it did. */
    readonly errno = 0,
  ) {
    super(message);
  }
}

// Held-packet states.
const EMPTY = 0;
const PENDING = 1;
const DECIDED = 2;

const DEFAULT_TIMEOUT_MS = 5000;
const RECORD_KEYS = Object.keys(emptyRecord()) as (keyof PacketRecord)[];
const BATCH = 64;

/**
 * The packet being handed to a `dispatch` visitor: its metadata, its bytes (borrowed from the receive
 * buffer until the visitor returns), and the verdict calls for it.
 */
export interface QueuedPacketView extends Readonly<PacketRecord> {
  /** The receive buffer; the packet is `buf[payloadOffset, payloadOffset + payloadLen)`. */
  readonly buf: Uint8Array;
  accept(mark?: number): void;
  drop(): void;
  repeat(mark?: number): void;
  /** Accepts the packet with these bytes instead. */
  replace(bytes: Uint8Array, mark?: number): void;
}

/** A packet from the async iterator: owns its bytes; verdict calls work until the verdict is sent. */
export interface QueuedPacket extends Readonly<PacketRecord> {
  /** The packet's bytes as copied (a copy: valid as long as it is kept). */
  readonly payload: Uint8Array;
  /** True once a verdict was given (by the caller, the timeout, or close). */
  readonly answered: boolean;
  accept(mark?: number): boolean;
  drop(): boolean;
  repeat(mark?: number): boolean;
  replace(bytes: Uint8Array, mark?: number): boolean;
}

/**
 * An open NFQUEUE.
 * @example
 * const q = openQueue({ queue: 0, copyRange: 128 });
 * for await (const p of q) (p.payload[9] === 17 ? p.drop() : p.accept());
 */
export class NfQueue implements AsyncIterable<QueuedPacket> {
  readonly queue: number;
  readonly copyRange: number;
  readonly maxLen: number;
  readonly failOpen: boolean;
  readonly gso: boolean;
  /** The verdict packets get when nobody answers (NF_ACCEPT, or NF_DROP with `failClosed`). */
  readonly defaultVerdict: number;
  readonly verdictTimeoutMs: number;
  private readonly sock: NetlinkSocket;
  private readonly out: NlBuilder;
  private readonly attrs = new AttrTable(NFQA.MAX);
  private readonly rec = emptyRecord();
  private readonly latency = new LatencyHistogram();
  private readonly counters = {
    queued: 0, accepted: 0, dropped: 0, repeated: 0, replaced: 0, timeouts: 0, handlerErrors: 0, verdictErrors: 0, malformed: 0, verdictMessages: 0,
  };
  // Held packets in arrival order (= id order): a ring of slots from `head` to `tail`.
  private cap = 0;
  private ids = new Uint32Array(0);
  private state = new Uint8Array(0);
  private verdicts = new Uint8Array(0);
  private marks = new Float64Array(0);
  private times = new Float64Array(0);
  private head = 0;
  private tail = 0;
  private readonly replacements = new Map<number, Uint8Array>();
  private current = -1;
  private timer: NodeJS.Timeout | undefined;
  private closedFlag = false;
  private readonly reported = new Set<string>();
  private readonly onError: ((err: Error) => void) | undefined;
  private readonly abortSignal: AbortSignalLike | undefined;
  private readonly onAbort = (): void => this.close();
  private flushScheduled = false;
  private dispatching = false;
  private closeRequested = false;
  private readonly ready: ReadableWaiters;
  private readonly view: QueuedPacketView;
  /** Datagrams read by `open` before the bind was acknowledged (rare), handled first. */
  private early: Uint8Array[] = [];

  /** Use `openQueue`. */
  constructor(opts: QueueOptions) {
    const queue = opts.queue;
    if (!Number.isInteger(queue) || queue < 0 || queue > 0xffff) throw new QueueError(`queue ${String(queue)}: must be 0..65535`);
    const copyRange = opts.copyRange ?? NFQNL_MAX_COPY_RANGE;
    if (!Number.isInteger(copyRange) || copyRange < 0 || copyRange > NFQNL_MAX_COPY_RANGE) throw new QueueError(`copy range ${copyRange}: must be 0..${NFQNL_MAX_COPY_RANGE}`);
    const maxLen = opts.maxLen ?? 4096;
    if (!Number.isInteger(maxLen) || maxLen < 1) throw new QueueError(`queue length ${maxLen}: must be a positive whole number`);
    const timeout = opts.verdictTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(timeout > 0)) throw new QueueError(`verdict timeout ${timeout}: must be positive`);
    this.queue = queue;
    this.copyRange = copyRange;
    this.maxLen = maxLen;
    this.failOpen = opts.failOpen ?? true;
    this.gso = opts.gso ?? false;
    this.defaultVerdict = opts.failClosed === true ? NF_VERDICT.DROP : NF_VERDICT.ACCEPT;
    this.verdictTimeoutMs = timeout;
    this.onError = opts.onError;
    this.grow(Math.min(Math.max(1024, maxLen), 1 << 16));
    // A GSO super-packet can be 64 KiB whatever the copy range asks: slots hold the largest message.
    const slot = Math.min(copyRange, NFQNL_MAX_COPY_RANGE) + 1024;
    this.sock = new NetlinkSocket({ rcvbuf: opts.rcvbuf ?? 64 << 20, noEnobufs: true, batch: BATCH, slotSize: slot });
    this.ready = new ReadableWaiters(this.sock);
    this.out = new NlBuilder(256 * 1024);
    try {
      this.bind(opts);
    } catch (err) {
      this.sock.close();
      throw err;
    }
    const self = this;
    const decideCurrent = (v: number, mark: number | undefined, payload?: Uint8Array): void => {
      if (self.current >= 0) self.decide(self.current, v, mark ?? -1, payload);
    };
    this.view = Object.assign(this.rec as PacketRecord & { buf: Uint8Array }, {
      buf: this.sock.bytes,
      accept: (mark?: number) => decideCurrent(NF_VERDICT.ACCEPT, mark),
      drop: () => decideCurrent(NF_VERDICT.DROP, undefined),
      repeat: (mark?: number) => decideCurrent(NF_VERDICT.REPEAT, mark),
      replace: (bytes: Uint8Array, mark?: number) => decideCurrent(NF_VERDICT.ACCEPT, mark, bytes),
    });
    this.timer = setInterval(() => this.expire(), Math.max(5, Math.min(250, timeout / 4)));
    this.timer.unref();
    if (opts.signal) {
      this.abortSignal = opts.signal;
      if (opts.signal.aborted) this.close();
      else opts.signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  private bind(opts: QueueOptions): void {
    let flags = 0;
    if (this.failOpen) flags |= NFQA_CFG_F.FAIL_OPEN;
    if (this.gso) flags |= NFQA_CFG_F.GSO;
    if (opts.conntrack === true) flags |= NFQA_CFG_F.CONNTRACK;
    if (opts.uidGid === true) flags |= NFQA_CFG_F.UID_GID;
    const mask = NFQA_CFG_F.FAIL_OPEN | NFQA_CFG_F.GSO | NFQA_CFG_F.CONNTRACK | NFQA_CFG_F.UID_GID;
    const b = this.out;
    b.reset();
    const seq = 1;
    buildBindConfig(b, seq, { queue: this.queue, copyMode: NFQNL_COPY.PACKET, copyRange: this.copyRange, maxLen: this.maxLen, flags, mask });
    const sendErr = this.sock.send(b.buf, b.length);
    if (sendErr !== 0) throw new SyscallError('send', sendErr, `queue ${this.queue}: sending the bind request`);
    // The kernel handles the request inside send(): its answer is already queued, possibly behind
    // packets of other CPUs queued after the bind.
    for (let tries = 0; tries < 1000; tries++) {
      if (this.sock.receive() !== RecvResult.Got) continue;
      const sock = this.sock;
      for (let i = 0; i < sock.count; i++) {
        const start = sock.slotOffset(i);
        const len = sock.length(i);
        let at = start;
        let answered: number | undefined;
        while (at + NLMSGHDR.SIZE <= start + len) {
          const mlen = sock.dv.getUint32(at + NLMSGHDR.len, true);
          if (mlen < NLMSGHDR.SIZE || at + mlen > start + len) break;
          if (sock.dv.getUint16(at + NLMSGHDR.type, true) === NLMSG.ERROR) {
            const e = errorOf(sock.dv, at, mlen);
            if (e.seq === seq) answered = e.errno;
          }
          at += nlAlign(mlen);
        }
        if (answered === undefined) {
          this.early.push(sock.bytes.slice(start, start + len));
          continue;
        }
        if (answered !== 0) throw this.bindError(answered, opts);
        // Anything after the answer in this batch is packets: keep them too.
        for (let j = i + 1; j < sock.count; j++) this.early.push(sock.bytes.slice(sock.slotOffset(j), sock.slotOffset(j) + sock.length(j)));
        return;
      }
    }
    throw new QueueError(`queue ${this.queue}: the kernel did not answer the bind request`);
  }

  private bindError(errno: number, opts: QueueOptions): QueueError {
    const q = `queue ${this.queue}`;
    if (errno === ERRNO.EPERM) {
      if (!hasNetAdmin()) return new QueueError(`${q}: binding a netfilter queue needs root or the CAP_NET_ADMIN capability`, errno);
      const k = kernelQueueStats(this.queue);
      return new QueueError(`${q}: already bound by another process${k ? ` (netlink port ${k.portid})` : ''}`, errno);
    }
    if (errno === ERRNO.EBUSY) return new QueueError(`${q}: already bound by this process`, errno);
    if (errno === ERRNO.EOPNOTSUPP) {
      const what = opts.conntrack === true ? ' (conntrack needs CONFIG_NETFILTER_NETLINK_GLUE_CT in the kernel)' : '';
      return new QueueError(`${q}: the kernel does not support the flags asked for${what}`, errno);
    }
    return new QueueError(`${q}: the kernel refused the bind (${new SyscallError('bind', errno).reason})`, errno);
  }

  private grow(n: number): void {
    const ids = new Uint32Array(n);
    const state = new Uint8Array(n);
    const verdicts = new Uint8Array(n);
    const marks = new Float64Array(n);
    const times = new Float64Array(n);
    const moved = new Map<number, Uint8Array>();
    for (let s = this.head, j = 0; s < this.tail; s++, j++) {
      const i = s % this.cap;
      ids[j] = this.ids[i] as number;
      state[j] = this.state[i] as number;
      verdicts[j] = this.verdicts[i] as number;
      marks[j] = this.marks[i] as number;
      times[j] = this.times[i] as number;
      const r = this.replacements.get(i);
      if (r !== undefined) moved.set(j, r);
    }
    this.tail -= this.head;
    this.head = 0;
    this.cap = n;
    this.ids = ids;
    this.state = state;
    this.verdicts = verdicts;
    this.marks = marks;
    this.times = times;
    this.replacements.clear();
    for (const [k, v] of moved) this.replacements.set(k, v);
  }

  /** True once `close` has run. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /** The netlink socket's descriptor. */
  get fd(): number {
    return this.sock.fd;
  }

  /** Packets held now, waiting for a verdict or for the verdict to be sent. */
  get held(): number {
    return this.tail - this.head;
  }

  /**
   * Reads what the kernel has queued (up to `max` packets, whole batches) and calls `visit` for each
   * with a reused view; the visitor may answer at once (`accept`, `drop`, ...) or leave the packet
   * held for `answer`/the timeout. Verdicts go to the kernel before this returns. Never waits.
   */
  dispatch(visit: (p: QueuedPacketView) => void, max = 4096): number {
    if (this.closedFlag) return 0;
    this.dispatching = true;
    try {
      return this.dispatchBatches(visit, max);
    } finally {
      this.dispatching = false;
      if (this.closeRequested) this.close();
    }
  }

  private dispatchBatches(visit: (p: QueuedPacketView) => void, max: number): number {
    let n = 0;
    while (n < max) {
      if (this.early.length > 0) {
        const early = this.early;
        this.early = [];
        for (const d of early) n += this.handleDatagram(d, new DataView(d.buffer, d.byteOffset, d.byteLength), 0, d.length, visit, true);
        continue;
      }
      const r = this.sock.receive();
      if (r === RecvResult.Overrun) continue;
      if (r === RecvResult.Empty) break;
      const sock = this.sock;
      for (let i = 0; i < sock.count; i++) n += this.handleDatagram(sock.bytes, sock.dv, sock.slotOffset(i), sock.length(i), visit, false);
      // Verdicts go out after every read (one send for up to a batch of packets): the kernel holds
      // each packet until then, and a TCP sender waits on them.
      this.flush();
      if (this.closeRequested) break;
    }
    this.flush();
    return n;
  }

  private handleDatagram(bytes: Uint8Array, dv: DataView, start: number, len: number, visit: (p: QueuedPacketView) => void, copied: boolean): number {
    const end = start + len;
    const now = performance.now();
    let n = 0;
    let at = start;
    while (at + NLMSGHDR.SIZE <= end) {
      const mlen = dv.getUint32(at + NLMSGHDR.len, true);
      if (mlen < NLMSGHDR.SIZE || at + mlen > end) {
        this.counters.malformed++;
        break;
      }
      const type = dv.getUint16(at + NLMSGHDR.type, true);
      if (type === NFQNL_MSG.PACKET) {
        if (parsePacket(dv, at, mlen, this.attrs, this.rec)) {
          n++;
          this.receivePacket(now, bytes, visit, copied);
        } else this.counters.malformed++;
      } else if (type === NLMSG.ERROR) {
        const e = errorOf(dv, at, mlen);
        if (e.errno !== 0) {
          this.counters.verdictErrors++;
          this.report(new SyscallError('verdict', e.errno, `queue ${this.queue}: the kernel refused a verdict`));
        }
      } else if (type !== NLMSG.DONE && type !== NLMSG.NOOP) this.counters.malformed++;
      at += nlAlign(mlen);
    }
    return n;
  }

  private receivePacket(now: number, bytes: Uint8Array, visit: (p: QueuedPacketView) => void, copied: boolean): void {
    this.counters.queued++;
    if (this.tail - this.head >= this.cap) this.grow(this.cap * 2);
    const slot = this.tail % this.cap;
    this.tail++;
    this.ids[slot] = this.rec.id;
    this.state[slot] = PENDING;
    this.times[slot] = now;
    this.current = slot;
    (this.view as { buf: Uint8Array }).buf = bytes;
    try {
      visit(this.view);
    } catch (err) {
      this.counters.handlerErrors++;
      this.report(err instanceof Error ? err : new Error(String(err)));
      if (this.state[slot] === PENDING) this.decide(slot, this.defaultVerdict, -1);
    } finally {
      this.current = -1;
      if (copied) (this.view as { buf: Uint8Array }).buf = this.sock.bytes;
    }
  }

  /** Records a verdict for the packet in `slot`; false when it already has one. */
  private decide(slot: number, verdict: number, mark: number, payload?: Uint8Array): boolean {
    if (this.state[slot] !== PENDING) return false;
    this.state[slot] = DECIDED;
    this.verdicts[slot] = verdict;
    this.marks[slot] = mark >= 0 ? mark >>> 0 : -1;
    if (payload !== undefined) this.replacements.set(slot, payload);
    return true;
  }

  private report(err: Error): void {
    const kind = `${err.name}: ${err.message}`;
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    this.onError?.(err);
  }

  /**
   * Sends every verdict decided and not yet sent: runs answered in arrival order with the same verdict
   * and mark as one batch verdict, the rest one by one.
   */
  flush(): void {
    this.flushScheduled = false;
    if (this.head === this.tail) return;
    const b = this.out;
    b.reset();
    const now = performance.now();
    let runVerdict = -1;
    let runMark = -1;
    let runId = 0;
    let runLen = 0;
    const endRun = (): void => {
      if (runLen === 0) return;
      this.emit(runId, runVerdict, runMark, runLen > 1, undefined);
      runLen = 0;
    };
    let s = this.head;
    // The batch covers every id up to its own: only packets before the first undecided one qualify.
    for (; s < this.tail; s++) {
      const i = s % this.cap;
      const st = this.state[i];
      if (st === EMPTY) continue;
      if (st === PENDING) break;
      const v = this.verdicts[i] as number;
      const m = this.marks[i] as number;
      const payload = this.replacements.get(i);
      this.account(i, v, now);
      if (payload !== undefined) {
        endRun();
        this.replacements.delete(i);
        this.emit(this.ids[i] as number, v, m, false, payload);
      } else if (runLen > 0 && v === runVerdict && m === runMark) {
        runId = this.ids[i] as number;
        runLen++;
      } else {
        endRun();
        runVerdict = v;
        runMark = m;
        runId = this.ids[i] as number;
        runLen = 1;
      }
      this.state[i] = EMPTY;
    }
    endRun();
    const firstHeld = s;
    for (; s < this.tail; s++) {
      const i = s % this.cap;
      if (this.state[i] !== DECIDED) continue;
      const payload = this.replacements.get(i);
      this.account(i, this.verdicts[i] as number, now);
      this.replacements.delete(i);
      this.emit(this.ids[i] as number, this.verdicts[i] as number, this.marks[i] as number, false, payload);
      this.state[i] = EMPTY;
    }
    this.head = firstHeld;
    while (this.head < this.tail && this.state[this.head % this.cap] === EMPTY) this.head++;
    this.sendOut();
  }

  private account(slot: number, verdict: number, now: number): void {
    if (verdict === NF_VERDICT.DROP) this.counters.dropped++;
    else if (verdict === NF_VERDICT.REPEAT) this.counters.repeated++;
    else this.counters.accepted++;
    if (this.replacements.has(slot)) this.counters.replaced++;
    this.latency.add((now - (this.times[slot] as number)) * 1000);
  }

  private emit(id: number, verdict: number, mark: number, batch: boolean, payload: Uint8Array | undefined): void {
    if (this.out.free < verdictSize(payload?.length ?? 0)) this.sendOut();
    buildVerdict(this.out, this.queue, id, verdict, mark, batch, payload);
    this.counters.verdictMessages++;
  }

  private sendOut(): void {
    const b = this.out;
    if (b.length === 0) return;
    let err = this.sock.send(b.buf, b.length);
    // ENOBUFS/EAGAIN on a netlink send means the kernel was short of memory for a moment: retry once.
    if (err === ERRNO.ENOBUFS || err === ERRNO.EAGAIN || err === ERRNO.EINTR) err = this.sock.send(b.buf, b.length);
    if (err !== 0 && err !== ERRNO.EBADF) {
      this.counters.verdictErrors++;
      this.report(new SyscallError('send', err, `queue ${this.queue}: sending verdicts`));
    }
    b.reset();
  }

  /** Gives the default verdict to packets held longer than the timeout. */
  private expire(): void {
    if (this.closedFlag || this.head === this.tail) return;
    const limit = performance.now() - this.verdictTimeoutMs;
    let any = false;
    for (let s = this.head; s < this.tail; s++) {
      const i = s % this.cap;
      if (this.state[i] !== PENDING) continue;
      if ((this.times[i] as number) > limit) break;
      this.decide(i, this.defaultVerdict, -1);
      this.counters.timeouts++;
      any = true;
    }
    if (any) this.flush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      if (this.flushScheduled && !this.closedFlag) this.flush();
    });
  }

  /** Resolves when packets may be ready or the queue closed. */
  wait(): Promise<void> {
    if (this.closedFlag || this.early.length > 0) return Promise.resolve();
    return this.ready.wait();
  }


  /** Counters so far, with the kernel's own for this queue. */
  stats(): QueueStats {
    const c = this.counters;
    const k = this.closedFlag ? this.lastKernel : kernelQueueStats(this.queue);
    if (k !== undefined) this.lastKernel = k;
    return {
      ...c,
      enobufs: this.sock.overruns,
      malformed: c.malformed + this.sock.truncated,
      latencyP50Us: this.latency.percentile(0.5),
      latencyP99Us: this.latency.percentile(0.99),
      held: this.held,
      ...(k !== undefined ? { kernel: k } : {}),
    };
  }

  private lastKernel: KernelQueueStats | undefined;

  /**
   * Gives every held packet the default verdict, sends it, and closes the socket (which unbinds the
   * queue). Safe to call twice.
   */
  close(): void {
    if (this.closedFlag) return;
    // Inside a visitor: the batch being read is answered first, then the queue closes.
    if (this.dispatching) {
      this.closeRequested = true;
      return;
    }
    // A fail-open queue of length 0 lets every new packet pass without asking: none arrives after
    // the last read below, to be dropped when the socket closes.
    if (this.failOpen) {
      this.out.reset();
      buildMaxLen(this.out, this.queue, 0);
      this.sendOut();
    }
    // Packets the socket still holds would be dropped by the kernel when it closes: read and answer
    // them (a bounded number of batches, so a flood cannot keep the queue open).
    const early = this.early;
    this.early = [];
    const ignore = (): void => undefined;
    for (const d of early) this.handleDatagram(d, new DataView(d.buffer, d.byteOffset, d.byteLength), 0, d.length, ignore, true);
    for (let b = 0; b < 256 && this.sock.receive() !== RecvResult.Empty; b++) {
      for (let i = 0; i < this.sock.count; i++) this.handleDatagram(this.sock.bytes, this.sock.dv, this.sock.slotOffset(i), this.sock.length(i), ignore, false);
    }
    for (let s = this.head; s < this.tail; s++) this.decide(s % this.cap, this.defaultVerdict, -1);
    this.flush();
    this.lastKernel = kernelQueueStats(this.queue) ?? this.lastKernel;
    this.closedFlag = true;
    if (this.timer) clearInterval(this.timer);
    this.abortSignal?.removeEventListener('abort', this.onAbort);
    this.sock.close();
    this.ready.wake();
  }

  /** Answers the packet of `slot` (with id `id`) from an owned QueuedPacket; false when too late. */
  private answer(slot: number, id: number, verdict: number, mark: number | undefined, payload?: Uint8Array): boolean {
    if (this.closedFlag || this.ids[slot] !== id || this.state[slot] !== PENDING) return false;
    this.decide(slot, verdict, mark ?? -1, payload);
    this.scheduleFlush();
    return true;
  }

  private owned(): QueuedPacket {
    const r = this.rec;
    const slot = this.current;
    const id = r.id;
    const payload = this.view.buf.slice(r.payloadOffset, r.payloadOffset + r.payloadLen);
    const self = this;
    // Only the record's own fields: the view's `buf` is native memory freed when the queue closes.
    const fields = emptyRecord();
    for (const k of RECORD_KEYS) (fields as unknown as Record<string, unknown>)[k] = r[k];
    fields.payloadOffset = 0;
    return {
      ...fields,
      payload,
      get answered(): boolean {
        return self.closedFlag || self.ids[slot] !== id || self.state[slot] !== PENDING;
      },
      accept: (mark?: number) => self.answer(slot, id, NF_VERDICT.ACCEPT, mark),
      drop: () => self.answer(slot, id, NF_VERDICT.DROP, undefined),
      repeat: (mark?: number) => self.answer(slot, id, NF_VERDICT.REPEAT, mark),
      replace: (bytes: Uint8Array, mark?: number) => self.answer(slot, id, NF_VERDICT.ACCEPT, mark, bytes),
    };
  }

  /**
   * Runs `handler` for every packet until the queue closes. The handler answers through the packet's
   * methods or by returning (or resolving to) a verdict; a packet left unanswered gets the default
   * verdict after the timeout; a handler that throws or rejects gives its packet the default verdict
   * at once (the error goes to `onError`, once per kind).
   */
  async process(handler: (p: QueuedPacket) => Verdict | void | Promise<Verdict | void>): Promise<void> {
    const settle = (p: QueuedPacket, v: Verdict | void): void => {
      if (v === 'accept') p.accept();
      else if (v === 'drop') p.drop();
      else if (v === 'repeat') p.repeat();
    };
    const fail = (p: QueuedPacket, err: unknown): void => {
      this.counters.handlerErrors++;
      this.report(err instanceof Error ? err : new Error(String(err)));
      if (this.defaultVerdict === NF_VERDICT.DROP) p.drop();
      else p.accept();
    };
    while (!this.closedFlag) {
      this.dispatch(() => {
        const p = this.owned();
        let r: Verdict | void | Promise<Verdict | void>;
        try {
          r = handler(p);
        } catch (err) {
          fail(p, err);
          return;
        }
        if (r instanceof Promise) r.then((v) => settle(p, v), (err: unknown) => fail(p, err));
        else settle(p, r);
      });
      await this.wait();
    }
  }

  /** Yields packets (owned copies) until the queue closes; leaving the loop early closes the queue. */
  [Symbol.asyncIterator](): AsyncIterator<QueuedPacket> {
    const self = this;
    const pending: QueuedPacket[] = [];
    return (async function* (): AsyncGenerator<QueuedPacket> {
      try {
        while (!self.closedFlag) {
          if (pending.length === 0) self.dispatch(() => pending.push(self.owned()));
          const p = pending.shift();
          if (p !== undefined) {
            yield p;
            continue;
          }
          await self.wait();
        }
      } finally {
        self.close();
      }
    })();
  }
}

/**
 * Binds an NFQUEUE and returns it. Throws `QueueError` (bound elsewhere, no CAP_NET_ADMIN, bad
 * option) or `SyscallError`.
 * @example
 * const q = openQueue({ queue: 0, failClosed: true, verdictTimeoutMs: 200 });
 * await q.process((p) => (p.payload[9] === 6 ? 'accept' : 'drop'));
 */
export function openQueue(opts: QueueOptions): NfQueue {
  return new NfQueue(opts);
}
