/**
 * `openCapture`: one interface, one socket, one engine (the TPACKET_V3 ring by default, or recvmsg),
 * read without blocking Node's event loop. The capture is an async iterable of borrowed packets, and
 * also offers `dispatch` (a synchronous batch walk, like pcap_dispatch) for sinks that batch.
 */
import { CaptureClosedError, CaptureOptionError, InterfaceChangedError, MAX_SNAPLEN } from './errors.js';
import type { BpfProgram } from '../filter/bpf.js';
import { compileFilter } from '../filter/compile.js';
import { compileFilterFunction, type CompiledFilter } from '../filter/vm.js';
import { cookedKernelProgram } from './cooked.js';
import type { PacketView } from '../packet.js';
import type { AbortSignalLike } from '../streams.js';
import type { NativeSource } from '../pcap/writer.js';
import type { NativeMemory } from './gather.js';
import { emptyPacket } from '../packet.js';
import { LinkType } from '../pcap/linktype.js';
import { IFF, ERRNO, PACKET, PACKET_FANOUT, SOL_PACKET, SyscallError, lastErrno, raw, watchFd, type FdWatcher } from '../syscalls/index.js';
import { interfaceInfo, type InterfaceInfo } from './interfaces.js';
import { applyTimestampType, timestampTypes, type TimestampType } from './timestamp.js';
import { RecvmsgReader } from './recvmsg.js';
import { DEFAULT_RING, RxRing, ringGeometryProblem, type PktTypeFilter, type RingOptions, type RingRecordSink } from './ring.js';
import {
  KernelStats,
  addPromiscuous,
  attachFilter,
  attachRejectAll,
  bindToInterface,
  capSnaplen,
  closeQuietly,
  hasBpfExtensions,
  ignoreOutgoing,
  openPacketSocket,
  pendingError,
  type CaptureStats,
  type Direction,
} from './socket.js';

/**
 * The pseudo-interface `any`: a cooked (SOCK_DGRAM) socket bound to ifindex 0 sees every interface,
 * including those that come up later, with LINKTYPE_LINUX_SLL2 headers that record each packet's
 * interface, as tcpdump's `any`.
 */
const ANY_INTERFACE: InterfaceInfo = { name: 'any', index: 0, flags: IFF.UP | IFF.RUNNING, arphrd: -1, linkType: LinkType.LINUX_SLL2, address: '', mtu: 0 };

/** Socket buffer of the recvmsg engine when -B is not given: as much as the ring holds by default. */
const RECVMSG_DEFAULT_KIB = 32 * 1024;

export { MAX_SNAPLEN } from './errors.js';

/** Options of `openCapture`. */
export interface CaptureOptions {
  /** Interface name, e.g. `eth0`. */
  iface: string;
  /** `ring` (TPACKET_V3, default) or `recvmsg`. */
  engine?: 'ring' | 'recvmsg';
  /** Bytes kept of each frame (default 262144). */
  snaplen?: number;
  /** Ask for promiscuous mode (default true, `-p` turns it off). */
  promisc?: boolean;
  /** `in`, `out` or `inout` (default). */
  direction?: Direction;
  /** Ring geometry; any field left out takes the default. */
  ring?: Partial<RingOptions>;
  /** Total buffer in KiB (`-B`): sets the ring's block count, or the socket buffer for recvmsg. */
  bufferKiB?: number;
  /**
   * The filter, attached before the first packet can arrive: a pcap-filter(7) expression, compiled for
   * the socket's real link type in its live form (VLAN tags read from packet metadata when the kernel
   * has the BPF extensions, `any` translated to the cooked socket), or a classic BPF program as is. A
   * string that does not compile throws `FilterError` before any packet is read.
   */
  filter?: BpfProgram | string;
  /** Run the filter optimizer on a string filter (default true, tcpdump's `-O` turns it off). */
  optimize?: boolean;
  /** `reinsert` (default) puts stripped VLAN tags back into the bytes; `metadata` leaves the frame as the kernel gave it. */
  vlan?: 'reinsert' | 'metadata';
  /** Closes the capture when aborted. */
  signal?: AbortSignalLike;
  /** Join a PACKET_FANOUT group: the kernel spreads the interface's packets over the group's sockets. */
  fanout?: FanoutOptions;
  /**
   * The link type of the records (tcpdump's `-y`): on `any`, LINUX_SLL2 (276, default) or LINUX_SLL
   * (113); elsewhere only the interface's own (see `dataLinkTypes`).
   */
  linkType?: number;
  /**
   * Where timestamps come from (tcpdump's `-j`): `host` (default, the kernel's clock on arrival), or
   * the NIC's clock, `adapter` (synchronised to the system) or `adapter_unsynced`. A type the
   * interface does not offer (see `timestampTypes`) leaves host timestamps and adds a `warnings` line.
   */
  timestampType?: TimestampType;
  /**
   * When the interface goes down or away: take in what the ring holds, then wait for an interface of
   * that name to exist and be up, and bind a new socket and ring with the same options (a gap), instead
   * of failing with ENETDOWN/ENODEV. An interface back with another link type fails the capture.
   */
  reopen?: boolean;
}

/** errno values that mean the interface went down or away. */
const GONE = new Set<number>([ERRNO.ENETDOWN, ERRNO.ENODEV, ERRNO.ENXIO]);

/** How often a capture waiting for its interface (`reopen`) looks for it again. */
const REOPEN_POLL_MS = 100;

/**
 * How long a capture back from a gap keeps trying to join its fanout group again: the group of the
 * vanished interface lives on until every member has closed its old socket, and until then the kernel
 * refuses the new interface's socket (EINVAL). The other members close theirs within a block timeout
 * or two once they see the gap; a group still refused after this is taken by someone else.
 */
const REJOIN_FANOUT_MS = 30_000;

/** A gap (`reopen`) as a capture reports it: the interface, why the socket failed, and its gaps so far. */
export interface CaptureGap {
  /** Interface name. */
  iface: string;
  /** The error's text, e.g. `Network is down`. */
  reason: string;
  /** The errno name, e.g. `ENETDOWN`. */
  code: string;
  /** The capture's gap count including this one. */
  gaps: number;
}

/** Fanout modes as tscap names them (PACKET_FANOUT_HASH, _LB, _CPU, _QM, _ROLLOVER, _RND). */
export type FanoutMode = 'hash' | 'lb' | 'cpu' | 'qm' | 'rollover' | 'random';

/** A PACKET_FANOUT group membership. */
export interface FanoutOptions {
  /** Group id, 0..65535; sockets of one process with the same id share the traffic. */
  group: number;
  /** `hash` (default: both directions of a flow go to one socket), `lb`, `cpu`, `qm`, `rollover`, `random`. */
  mode?: FanoutMode;
  /** `defrag` reassembles IP fragments before hashing; `rollover` moves to another socket when one is full. */
  flags?: readonly ('defrag' | 'rollover')[];
}

const FANOUT_MODES: Record<FanoutMode, number> = {
  hash: PACKET_FANOUT.HASH,
  lb: PACKET_FANOUT.LB,
  cpu: PACKET_FANOUT.CPU,
  qm: PACKET_FANOUT.QM,
  rollover: PACKET_FANOUT.ROLLOVER,
  random: PACKET_FANOUT.RND,
};

/** The PACKET_FANOUT option value: group id in the low 16 bits, mode and flags above. */
export function fanoutValue(f: FanoutOptions): number {
  const mode = FANOUT_MODES[f.mode ?? 'hash'];
  if (mode === undefined) throw new CaptureOptionError(`fanout.mode ${String(f.mode)}: must be one of ${Object.keys(FANOUT_MODES).join(', ')}`, 'fanout.mode');
  if (!Number.isInteger(f.group) || f.group < 0 || f.group > 0xffff) throw new CaptureOptionError(`fanout.group ${f.group}: must be 0..65535`, 'fanout.group');
  let flags = 0;
  for (const fl of f.flags ?? []) {
    if (fl === 'defrag') flags |= PACKET_FANOUT.FLAG_DEFRAG;
    else if (fl === 'rollover') flags |= PACKET_FANOUT.FLAG_ROLLOVER;
    else throw new CaptureOptionError(`fanout.flags ${String(fl)}: must be defrag or rollover`, 'fanout.flags');
  }
  return (f.group & 0xffff) | ((mode | flags) << 16);
}

export { CaptureClosedError, CaptureOptionError, InterfaceChangedError } from './errors.js';

interface Engine {
  next(p: PacketView): boolean;
  ready(): boolean;
  discardReady(): number;
  release(): void;
  readonly buffer?: Uint8Array;
}

/** Resolves the geometry from options; throws CaptureOptionError naming the bad option. */
export function resolveRing(opts: Pick<CaptureOptions, 'ring' | 'bufferKiB'>): RingOptions {
  const ring: RingOptions = { ...DEFAULT_RING, ...opts.ring };
  if (opts.bufferKiB !== undefined) {
    if (!Number.isInteger(opts.bufferKiB) || opts.bufferKiB <= 0) throw new CaptureOptionError(`bufferKiB ${opts.bufferKiB}: must be a positive number of KiB`, 'bufferKiB');
    if (opts.ring?.blockCount === undefined) ring.blockCount = Math.max(2, Math.ceil((opts.bufferKiB * 1024) / ring.blockSize));
  }
  const problem = ringGeometryProblem(ring);
  if (problem !== undefined) throw new CaptureOptionError(problem.message, problem.option);
  return ring;
}

/**
 * A live capture on one interface.
 * @example
 * const cap = openCapture({ iface: 'eth0', signal: AbortSignal.timeout(5000) });
 * for await (const p of cap) console.log(p.tsSec, p.wireLen);
 * console.log(cap.stats());
 */
export class Capture implements AsyncIterable<PacketView> {
  /** The interface as it was when the socket was (last) bound. */
  info: InterfaceInfo;
  /** LINKTYPE_* of the packets. */
  readonly linkType: number;
  /** Things that did not take but did not stop the capture (e.g. a timestamp type the NIC lacks), in tcpdump's words. */
  readonly warnings: readonly string[];
  /** The snapshot length in force. */
  readonly snaplen: number;
  /** Which engine reads the socket. */
  readonly engine: 'ring' | 'recvmsg';
  /** Whether `vlan` filters must use the ancillary loads (the kernel supports them). */
  readonly bpfExtensions: boolean;
  /**
   * The filter program in force (a string filter as compiled for this socket, before any `any`
   * translation), or undefined for none. `formatProgram(cap.program, 'd')` prints it as `tcpdump -d`.
   */
  get program(): BpfProgram | undefined {
    return this.filterProgram;
  }
  private filterProgram: BpfProgram | undefined;
  /** Times the interface went away and the capture bound it again (`reopen`). */
  gaps = 0;
  private fd: number;
  private reader: Engine;
  private readonly kstats = new KernelStats();
  private captured = 0;
  private isClosed = false;
  private failure: Error | undefined;
  private watcher: FdWatcher | undefined;
  private waiters: (() => void)[] = [];
  private readonly record = emptyPacket();
  /** True for a cooked capture (LINUX_SLL or LINUX_SLL2): a SOCK_DGRAM socket, the header built here. */
  private cooked = false;
  /** Set when the filter cannot run in the kernel (cooked sockets reading the link-layer address). */
  private userFilter: CompiledFilter | undefined;
  private readonly ringGeometry: RingOptions | undefined;
  private readonly abortSignal: AbortSignalLike | undefined;
  private readonly onAbort = (): void => this.close();
  private readonly opts: CaptureOptions;
  /** Set while the interface is away (`reopen`): the socket is closed and a timer looks for it. */
  private gapTimer: NodeJS.Timeout | undefined;
  /** A socket error held back while the block the kernel was filling retires (see failAfterDrain). */
  private deferredErr = 0;
  private graceTimer: NodeJS.Timeout | undefined;
  /** When the current gap's first refused fanout join happened (see REJOIN_FANOUT_MS). */
  private refusedSince: number | undefined;
  private gapListeners: ((err: SyscallError, gap: CaptureGap) => void)[] = [];
  private resumeListeners: (() => void)[] = [];
  private releaseHook: (() => void) | null = null;

  /** Use `openCapture`. */
  constructor(opts: CaptureOptions) {
    const snaplen = opts.snaplen ?? MAX_SNAPLEN;
    if (!Number.isInteger(snaplen) || snaplen < 1 || snaplen > MAX_SNAPLEN) {
      throw new CaptureOptionError(`snaplen ${opts.snaplen}: snapshot length must be 1..${MAX_SNAPLEN}`, 'snaplen');
    }
    const engine = opts.engine ?? 'ring';
    if (engine !== 'ring' && engine !== 'recvmsg') throw new CaptureOptionError(`engine ${String(engine)}: must be ring or recvmsg`, 'engine');
    const direction = opts.direction ?? 'inout';
    if (direction !== 'in' && direction !== 'out' && direction !== 'inout') throw new CaptureOptionError(`direction ${String(direction)}: must be in, out or inout`, 'direction');
    const ring = engine === 'ring' ? resolveRing(opts) : undefined;
    const fanout = opts.fanout === undefined ? undefined : fanoutValue(opts.fanout);
    if (opts.bufferKiB !== undefined && (!Number.isInteger(opts.bufferKiB) || opts.bufferKiB <= 0)) {
      throw new CaptureOptionError(`bufferKiB ${opts.bufferKiB}: must be a positive number of KiB`, 'bufferKiB');
    }
    this.snaplen = snaplen;
    this.engine = engine;
    this.ringGeometry = ring;

    this.opts = opts;
    const any = opts.iface === 'any';
    const info: InterfaceInfo = any ? ANY_INTERFACE : interfaceInfo(opts.iface);
    if ((info.flags & IFF.UP) === 0) throw new SyscallError('bind', ERRNO.ENETDOWN, `${info.name}: That device is not up`);
    this.info = info;
    if (info.linkType === undefined) {
      throw new CaptureOptionError(`${info.name}: link type ARPHRD ${info.arphrd} is not supported`);
    }
    if (opts.linkType !== undefined && !dataLinkTypes(info).includes(opts.linkType)) {
      throw new CaptureOptionError(`linkType ${opts.linkType}: not one of the link types ${info.name} offers (${dataLinkTypes(info).join(', ')})`, 'linkType');
    }
    this.linkType = opts.linkType ?? info.linkType;
    this.cooked = this.linkType === LinkType.LINUX_SLL || this.linkType === LinkType.LINUX_SLL2;
    const tsType = opts.timestampType ?? 'host';
    if (!['host', 'adapter', 'adapter_unsynced'].includes(tsType)) {
      throw new CaptureOptionError(`timestampType ${String(tsType)}: must be host, adapter or adapter_unsynced`, 'timestampType');
    }
    if (any && engine !== 'ring') throw new CaptureOptionError("engine recvmsg: iface 'any' needs the ring engine", 'engine');
    if (this.cooked && engine !== 'ring') throw new CaptureOptionError(`engine recvmsg: ${info.name}'s cooked link type needs the ring engine`, 'engine');
    const opened = this.openSocket(info);
    this.fd = opened.fd;
    this.reader = opened.reader;
    this.bpfExtensions = opened.bpfExtensions;
    this.warnings = opened.warnings;
    if (opts.signal) {
      this.abortSignal = opts.signal;
      if (opts.signal.aborted) this.close();
      else opts.signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  /** Opens, sets up and binds a socket (and ring) on `info` with the capture's options. */
  private openSocket(info: InterfaceInfo): { fd: number; reader: Engine; bpfExtensions: boolean; warnings: readonly string[] } {
    const opts = this.opts;
    const any = opts.iface === 'any';
    const engine = this.engine;
    const snaplen = this.snaplen;
    const ring = this.ringGeometry;
    const direction = opts.direction ?? 'inout';
    const fanout = opts.fanout === undefined ? undefined : fanoutValue(opts.fanout);
    // a cooked link type (any, or an interface libpcap captures cooked: PPP, GRE, unknown types) reads
    // from the network header on, through a SOCK_DGRAM socket
    const fd = openPacketSocket(any || this.cooked);
    try {
      let dirFilter: PktTypeFilter = direction === 'out' ? 2 : 0;
      if (direction === 'in' && !ignoreOutgoing(fd)) dirFilter = 1;
      const reinsert = (opts.vlan ?? 'reinsert') === 'reinsert';
      const reader =
        engine === 'ring'
          ? new RxRing(fd, ring as RingOptions, reinsert, this.linkType, dirFilter)
          : new RecvmsgReader(fd, snaplen, reinsert, this.linkType, dirFilter, (opts.bufferKiB ?? RECVMSG_DEFAULT_KIB) * 1024);
      const bpfExtensions = hasBpfExtensions(fd);
      // The filter goes on before bind: the socket (protocol 0) has received nothing yet.
      // A string is compiled as libpcap compiles for a live socket: for this link type, with the
      // ancillary VLAN loads when the kernel offers them (the kernel strips tags before the filter).
      const filter =
        typeof opts.filter === 'string'
          ? opts.filter.trim() === ''
            ? undefined
            : compileFilter(opts.filter, { linkType: this.linkType, snaplen, optimize: opts.optimize ?? true, vlanAncillary: bpfExtensions })
          : opts.filter;
      const prog = this.kernelProgram(filter);
      if (filter !== undefined || snaplen < MAX_SNAPLEN) attachFilter(fd, capSnaplen(prog, snaplen));
      // Like libpcap, `any` does not ask for promiscuous mode (there is no one interface to ask).
      if ((opts.promisc ?? true) && !any) addPromiscuous(fd, info.index);
      bindToInterface(fd, info.index, info.name);
      if (fanout !== undefined) joinFanout(fd, fanout, opts.fanout as FanoutOptions);
      const warnings = applyTimestampType(fd, info.name, opts.timestampType ?? 'host');
      return { fd, reader, bpfExtensions, warnings };
    } catch (err) {
      closeQuietly(fd);
      throw err;
    }
  }

  /**
   * Records `filter` as the one in force and returns what the kernel gets: on `any` the kernel sees
   * cooked packets without the SLL2 header, so the program is translated, or (when it reads the
   * link-layer address) run here over every packet while the kernel accepts all.
   */
  private kernelProgram(filter: BpfProgram | undefined): BpfProgram {
    const acceptAll: BpfProgram = [{ code: 0x06, jt: 0, jf: 0, k: MAX_SNAPLEN }];
    this.filterProgram = filter;
    this.userFilter = undefined;
    if (filter === undefined) return acceptAll;
    if (!this.cooked) return filter;
    const kernel = cookedKernelProgram(filter, this.linkType);
    if (kernel === undefined) this.userFilter = compileFilterFunction(filter);
    return kernel ?? acceptAll;
  }

  /**
   * The ring's memory and address (ring engine only): packets handed to `dispatch` point into it until
   * their block goes back to the kernel, which `onBlockRelease` announces. A pcap writer given this
   * (`PcapWriter.gatherFrom`) writes records from it without copying them.
   */
  get nativeSource(): (NativeSource & NativeMemory) | undefined {
    return this.reader instanceof RxRing ? this.reader.native : undefined;
  }

  /**
   * Calls `fn` (synchronously, inside `dispatch` or `close`) before a block of the ring goes back to
   * the kernel; whatever still points into the block must be done with by then. One callback at a time.
   */
  onBlockRelease(fn: (() => void) | null): void {
    this.releaseHook = fn;
    if (this.reader instanceof RxRing) this.reader.walker.onRelease = fn;
  }

  /**
   * With `reopen`: `fn` is called when the interface goes down or away (after what the ring held was
   * taken in), with the error that said so and the gap as plain data; the capture then waits for it.
   */
  onGap(fn: (err: SyscallError, gap: CaptureGap) => void): void {
    this.gapListeners.push(fn);
  }

  /**
   * With `reopen`: `fn` is called once a new socket and ring are bound after a gap; `nativeSource` is
   * then the new ring (a writer gathering from the old one must be pointed at it).
   */
  onResume(fn: () => void): void {
    this.resumeListeners.push(fn);
  }

  /** True while the interface is away and the capture waits for it (`reopen`). */
  get inGap(): boolean {
    return this.fd < 0 && !this.isClosed;
  }

  /**
   * The socket failed with `err`. Without `reopen`, or for another error, the capture fails. With it:
   * let the consumer take in what the ring still holds (the block being filled is handed over within
   * the block timeout), then close the socket and look for the interface every REOPEN_POLL_MS.
   */
  private socketFailed(err: SyscallError): void {
    if (this.opts.reopen !== true || !GONE.has(err.errno) || this.opts.iface === 'any') {
      this.failure = err;
      return;
    }
    const settle = (this.ringGeometry?.blockTimeoutMs ?? 0) * 2 + 5;
    const finish = (): void => {
      if (this.isClosed) return;
      if (this.reader.ready()) {
        // the consumer has not taken everything yet: it was woken; look again shortly
        this.wakeWaiters();
        this.gapTimer = setTimeout(finish, settle);
        return;
      }
      this.kstats.update(this.fd);
      this.watcher?.stop();
      this.watcher?.close();
      this.watcher = undefined;
      this.reader.release();
      closeQuietly(this.fd);
      this.fd = -1;
      this.gaps++;
      const gap: CaptureGap = { iface: this.info.name, reason: err.reason, code: err.code, gaps: this.gaps };
      for (const fn of this.gapListeners) fn(err, gap);
      this.gapTimer = setTimeout(() => this.lookForInterface(), REOPEN_POLL_MS);
    };
    this.gapTimer = setTimeout(finish, settle);
  }

  /** While in a gap: binds again once an interface of the name exists and is up. */
  private lookForInterface(): void {
    this.gapTimer = undefined;
    if (this.isClosed) return;
    let info: InterfaceInfo | undefined;
    try {
      info = interfaceInfo(this.opts.iface);
    } catch {
      info = undefined; // not there (yet)
    }
    if (info === undefined || (info.flags & IFF.UP) === 0) {
      this.gapTimer = setTimeout(() => this.lookForInterface(), REOPEN_POLL_MS);
      return;
    }
    if (info.linkType !== this.linkType) {
      const was = this.linkType;
      this.failure = new InterfaceChangedError(`${info.name} came back with link type ${info.linkType ?? `ARPHRD ${info.arphrd}`}, not ${was} as before: stopping`);
      this.wakeWaiters();
      return;
    }
    try {
      const opened = this.openSocket(info);
      this.fd = opened.fd;
      this.reader = opened.reader;
      this.info = info;
      if (this.reader instanceof RxRing) this.reader.walker.onRelease = this.releaseHook;
    } catch (err) {
      // it went again between the look and the bind, or another member of the fanout group has not
      // yet closed its socket on the vanished interface: keep looking
      const now = Date.now();
      const refused = err instanceof CaptureOptionError && err.option === 'fanout.group' && now - (this.refusedSince ??= now) < REJOIN_FANOUT_MS;
      if (refused || (err instanceof SyscallError && GONE.has(err.errno))) {
        this.gapTimer = setTimeout(() => this.lookForInterface(), REOPEN_POLL_MS);
        return;
      }
      this.failure = err as Error;
      this.wakeWaiters();
      return;
    }
    this.refusedSince = undefined;
    for (const fn of this.resumeListeners) fn();
    this.wakeWaiters();
  }

  /** True once `close` has run. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** The ring geometry in use (ring engine only). */
  get ring(): RingOptions | undefined {
    return this.ringGeometry;
  }

  /**
   * Packets the kernel holds in the ring block it is still filling (ring engine; 0 otherwise): they
   * reach `dispatch` when the block retires, at the latest after the block timeout.
   */
  get pendingInBlock(): number {
    return this.reader instanceof RxRing && this.fd >= 0 && !this.isClosed ? this.reader.walker.filling() : 0;
  }

  /** The socket's file descriptor (-1 once closed). */
  get socket(): number {
    return this.fd;
  }

  /**
   * Calls `visit` for every packet that is ready now, up to `max`, and returns how many. Packets are
   * borrowed: a block goes back to the kernel once the walk passes it. Never waits.
   */
  dispatch(visit: (p: PacketView) => void, max = Number.POSITIVE_INFINITY): number {
    if (this.isClosed) throw new CaptureClosedError();
    if (this.failure) throw this.failure;
    if (this.fd < 0) return 0; // in a gap (reopen)
    const p = this.record;
    const match = this.userFilter;
    let n = 0;
    while (n < max && this.reader.next(p)) {
      if (match !== undefined && match(p.buf, p.offset, p.capLen, p.wireLen) === 0) continue;
      n++;
      this.captured++;
      visit(p);
    }
    return n;
  }

  /**
   * Whether `dispatchRecords` works here: the ring engine with every filter in the kernel (a filter
   * that `any` runs in userspace needs the packet views).
   */
  get recordsDispatchable(): boolean {
    return this.reader instanceof RxRing && this.userFilter === undefined;
  }

  /**
   * Like `dispatch`, but hands each packet to `sink.record` as its place in the ring (`nativeSource`),
   * without a PacketView: for writers that copy or gather bytes and need nothing else. Needs
   * `recordsDispatchable`.
   */
  dispatchRecords(sink: RingRecordSink, max = Number.POSITIVE_INFINITY): number {
    if (this.isClosed) throw new CaptureClosedError();
    if (this.failure) throw this.failure;
    if (!(this.reader instanceof RxRing) || this.userFilter !== undefined) throw new CaptureOptionError('dispatchRecords needs the ring engine and a kernel filter');
    if (this.fd < 0) return 0; // in a gap (reopen)
    const n = this.reader.walker.walkRecords(sink, max);
    this.captured += n;
    return n;
  }

  /**
   * Resolves when packets may be ready, or when the capture is closed; rejects with a SyscallError when
   * the socket fails (e.g. ENETDOWN: the interface went down or was deleted).
   */
  wait(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.isClosed || (this.fd >= 0 && this.reader.ready())) return Promise.resolve();
    // The socket failed and the last block has been taken: the failure is due now (poll no longer says so).
    if (this.deferredErr !== 0 && this.graceTimer === undefined) {
      this.failAfterDrain(this.deferredErr);
      if (this.failure) return Promise.reject(this.failure);
    }
    return new Promise<void>((resolve, reject) => {
      this.waiters.push(() => (this.failure ? reject(this.failure) : resolve()));
      if (this.fd < 0 || this.gapTimer !== undefined) return; // in a gap: the reopen wakes us
      if (this.watcher === undefined) this.watcher = watchFd(this.fd, () => this.onReadable());
      this.watcher.start(() => this.onReadable());
    });
  }

  private onReadable(): void {
    this.watcher?.stop();
    if (!this.isClosed && this.gapTimer === undefined && !this.reader.ready()) {
      const err = this.deferredErr || pendingError(this.fd);
      if (err !== 0) this.failAfterDrain(err);
    }
    this.wakeWaiters();
  }

  /**
   * A socket error (the interface went down or away) with nothing ready: the frames the kernel still
   * holds in the block it was filling come out when that block retires, within the block timeout. Wait
   * for them once (reading SO_ERROR cleared the error, so it is kept here), then fail.
   */
  private failAfterDrain(err: number): void {
    if (this.graceTimer !== undefined) return;
    if (this.deferredErr === 0 && this.pendingInBlock > 0) {
      this.deferredErr = err;
      this.graceTimer = setTimeout(() => {
        this.graceTimer = undefined;
        this.onReadable();
      }, (this.ringGeometry?.blockTimeoutMs ?? 0) + 5);
      return;
    }
    this.deferredErr = 0;
    this.socketFailed(new SyscallError('poll', err, `${this.info.name}: capture stopped`));
  }

  private wakeWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Counters so far: captured by tscap, received by the filter, dropped by the kernel. */
  stats(): CaptureStats {
    if (!this.isClosed && this.fd >= 0) this.kstats.update(this.fd);
    return {
      captured: this.captured,
      received: this.kstats.received,
      dropped: this.kstats.dropped,
      freezes: this.kstats.freezes,
    };
  }

  /**
   * Replaces the kernel filter in libpcap's order: reject everything, drain what arrived under the old
   * program (waiting one block timeout so a partly filled block is retired), then attach the new one.
   */
  async setFilter(filter: BpfProgram | string, opts: { optimize?: boolean } = {}): Promise<void> {
    if (this.isClosed) throw new CaptureClosedError();
    // Compiled first, so a bad expression throws FilterError with the old filter still in place.
    const prog =
      typeof filter === 'string'
        ? compileFilter(filter, { linkType: this.linkType, snaplen: this.snaplen, optimize: opts.optimize ?? true, vlanAncillary: this.bpfExtensions })
        : filter;
    attachRejectAll(this.fd);
    const settle = (this.ringGeometry?.blockTimeoutMs ?? 0) * 2 + 2;
    await new Promise((r) => setTimeout(r, settle));
    if (this.isClosed) return;
    this.reader.discardReady();
    attachFilter(this.fd, capSnaplen(this.kernelProgram(prog), this.snaplen));
  }

  /**
   * Stops the capture: reads the final statistics, releases the ring, closes the socket (which also
   * drops promiscuous mode). Safe to call twice; packets already handed out must not be used after.
   */
  close(): void {
    if (this.isClosed) return;
    if (this.gapTimer !== undefined) clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
    if (this.graceTimer !== undefined) clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    const inGap = this.fd < 0;
    if (!inGap) this.kstats.update(this.fd);
    this.isClosed = true;
    this.abortSignal?.removeEventListener('abort', this.onAbort);
    if (this.watcher) {
      this.watcher.stop();
      this.watcher.close();
      this.watcher = undefined;
    }
    if (!inGap) {
      this.reader.release();
      closeQuietly(this.fd);
    }
    this.fd = -1;
    this.wakeWaiters();
  }

  /**
   * Iterates packets until the capture is closed; each packet is valid until the next one. Leaving
   * the loop early (`break`, `return`, a throw) closes the capture, as leaving a `for await` over a
   * stream closes the stream; use `dispatch` and `wait` to read in pieces.
   */
  [Symbol.asyncIterator](): AsyncIterator<PacketView> {
    if (this.isClosed) throw new CaptureClosedError();
    const p = this.record;
    const self = this;
    return (async function* (): AsyncGenerator<PacketView> {
      try {
        while (!self.isClosed) {
          if (self.failure) throw self.failure;
          if (self.fd >= 0 && self.reader.next(p)) {
            if (self.userFilter !== undefined && self.userFilter(p.buf, p.offset, p.capLen, p.wireLen) === 0) continue;
            self.captured++;
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
 * The link types a capture on `iface` may deliver (tcpdump's `-L`): LINUX_SLL2 and LINUX_SLL on `any`,
 * the interface's own elsewhere (tcpdump also offers DOCSIS on Ethernet, which tscap does not decode).
 * @example
 * dataLinkTypes(interfaceInfo('eth0')); // [1]
 */
export function dataLinkTypes(iface: InterfaceInfo): number[] {
  if (iface.index === 0 && iface.name === 'any') return [LinkType.LINUX_SLL, LinkType.LINUX_SLL2];
  return iface.linkType === undefined ? [] : [iface.linkType];
}

export { timestampTypes, type TimestampType };

/** Joins a fanout group (after bind, as the kernel requires). */
function joinFanout(fd: number, value: number, f: FanoutOptions): void {
  const buf = new Uint8Array(4);
  new DataView(buf.buffer).setUint32(0, value >>> 0, true);
  if (raw.setsockopt(fd, SOL_PACKET, PACKET.FANOUT, buf, 4) === 0) return;
  const errno = lastErrno();
  if (errno === ERRNO.EINVAL || errno === ERRNO.EALREADY) {
    throw new CaptureOptionError(`fanout.group ${f.group}: already in use with another mode or flags, or on another interface (${errno === ERRNO.EINVAL ? 'EINVAL' : 'EALREADY'})`, 'fanout.group');
  }
  throw new SyscallError('setsockopt', errno, 'setsockopt(PACKET_FANOUT)');
}

/**
 * Opens a live capture. Throws `SyscallError` (no such device, no permission), `CaptureOptionError`
 * (an option that cannot work) or `FilterError` (a filter string that does not compile for the link type).
 * @example
 * const cap = openCapture({ iface: 'veth0', snaplen: 96, promisc: false, filter: 'vlan 100 and udp' });
 */
export function openCapture(opts: CaptureOptions): Capture {
  return new Capture(opts);
}

export type { CaptureStats, Direction };
