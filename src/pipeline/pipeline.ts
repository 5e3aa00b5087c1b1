/**
 * The packet pipeline: a source (live interfaces, fanout workers, netfilter queues or logs, a file)
 * feeding a filter and a tee of sinks (printer, JSON, file with rotation, statistics, summaries,
 * mirrors and exporters), until a count, a signal, the end of a file or a failure. Built from a plain
 * `PipelineConfig`; the tscap command is a thin layer over it.
 */
import { closeSync, readFileSync } from 'node:fs';
import type { CapabilityName, DropResult } from '../syscalls/privileges.js';
import { CaptureOptionError } from '../capture/errors.js';
import type { Capture, CaptureGap, CaptureOptions, CaptureStats, RingRecordSink } from '../capture/index.js';
import type { Exporter } from '../capture/export.js';
import type { Mirror } from '../capture/mirror.js';
import type { BpfProgram } from '../filter/bpf.js';
import { FilterError } from '../filter/errors.js';
import type { CompiledFilter } from '../filter/vm.js';
import type { PacketSink, PacketView } from '../packet.js';
import { PcapFormatError } from '../pcap/errors.js';
import { LINK_TYPE_DESCRIPTIONS, LINK_TYPE_NAMES, LinkType } from '../pcap/linktype.js';
import { PacketFileReader } from '../pcap/reader.js';
import type { FileSink } from '../pcap/rotate.js';
import type { SharedFileTarget } from '../pcap/writer.js';
import type { NameLookup } from '../sinks/names.js';
import type { AccountingState } from '../sinks/flows.js';
import type { SummarySink } from '../sinks/summary.js';
import { TextOutput } from '../sinks/output.js';
import type { AbortSignalLike, ByteWritableStream } from '../streams.js';
import { checkPipelineConfig, needsMerge, parseFanout, sharedFileWritable, snaplenOf, type PipelineConfig } from './config.js';
import { fileSinkOptionsOf } from './file.js';
import { gapLine } from './gaps.js';
import { parseInlineSpec } from './inline-spec.js';
import { FileSource, type Source } from './source.js';

// What only some runs need is imported when they need it: reading a file loads neither the native
// bindings nor the filter compiler unless it filters, writes or names interfaces.
type LiveModule = typeof import('./sources.js');
type InlineModule = typeof import('./inline-sources.js');
type WorkersModule = typeof import('./workers.js');

/** Where a pipeline writes: packets' text or JSON (`stdout`) and everything else (`diagnostic`). */
export interface PipelineIo {
  /** The output stream for printed packets and `-w -` (default process.stdout). */
  stdout?: ByteWritableStream;
  /** Receives diagnostics and closing lines (default: written to process.stderr). */
  diagnostic?: (text: string) => void;
  /** Neither the `listening on` line nor the closing lines (a worker of a pipeline with workers). */
  quiet?: boolean;
  /** Receives interface gaps (`--reopen`) instead of their diagnostic line (a worker: the main thread says each once). */
  onGap?: (gap: CaptureGap) => void;
  /** A worker of a pipeline with workers: the one pcap file every worker appends to (`-w FILE`). */
  sharedFile?: SharedFileTarget;
  /** A worker of a pipeline with workers: an Int32 counting the packets every worker delivered, for `-c`. */
  sharedCount?: SharedArrayBuffer;
  /**
   * A worker of a pipeline with workers: the summary and the `--stats` counters are not printed but
   * handed to the main thread to add up (`PipelineResult.summary` at the end, `flowState()` while running).
   */
  countsBack?: boolean;
}

/** What a finished run reports. */
export interface PipelineResult {
  /** Totals over the live source (undefined for files), with `captured` = packets handed to the sinks. */
  stats: CaptureStats | undefined;
  /** Packets handed to the sinks. */
  delivered: number;
  /** Runtime failures met while running (I/O, a corrupt file, a failed worker); the run ended early. */
  errors: Error[];
  /** -W ended the capture (rotation by time reached its file count). */
  fileLimitReached: boolean;
  /** With `PipelineIo.countsBack`: the summary's counters. */
  summary?: AccountingState;
}

/** Errors that are runtime failures (exit 1), by name: their classes need not be loaded to be told apart. */
const RUNTIME_ERRORS = new Set(['SyscallError', 'PcapIoError', 'PrivilegeError', 'InterfaceChangedError', 'PcapFormatError', 'PipelineWorkerError']);

/** True for the errors a run reports as runtime failures rather than throwing. */
export function isRuntimeError(err: unknown): err is Error {
  return err instanceof Error && RUNTIME_ERRORS.has(err.name);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** tcpdump's `link-type NAME (description)`. */
export function linkTypeText(linkType: number): string {
  return `link-type ${LINK_TYPE_NAMES[linkType] ?? linkType} (${LINK_TYPE_DESCRIPTIONS[linkType] ?? 'unknown'})`;
}

/** The link type an interface name will capture with, before opening it. */
export async function liveLinkType(name: string): Promise<number> {
  const inline = parseInlineSpec(name);
  if (inline !== undefined) return inline.kind === 'nfqueue' ? LinkType.IPV4 : LinkType.NFLOG;
  if (name === 'any') return LinkType.LINUX_SLL2;
  const { interfaceInfo } = await import('../capture/interfaces.js');
  return interfaceInfo(name).linkType ?? LinkType.EN10MB;
}

/** Whether the kernel filter may use the Linux ancillary loads; false when it cannot be asked. */
async function kernelBpfExtensions(): Promise<boolean> {
  try {
    const { probeBpfExtensions } = await import('../capture/socket.js');
    return probeBpfExtensions();
  } catch {
    return false;
  }
}

/**
 * Compiles a filter expression as the pipeline runs it, checked as the kernel would check it.
 * @example const prog = await compileChecked('udp port 53', { linkType: 1, snaplen: 262144, live: false });
 */
export async function compileChecked(expr: string, o: { linkType: number; snaplen: number; optimize?: boolean; live: boolean }): Promise<BpfProgram> {
  const [{ compileFilter }, { validateProgram }] = await Promise.all([import('../filter/compile.js'), import('../filter/validate.js')]);
  const vlanAncillary = o.live && (await kernelBpfExtensions());
  let prog: BpfProgram;
  try {
    prog = compileFilter(expr, { linkType: o.linkType, snaplen: o.snaplen, optimize: o.optimize ?? true, vlanAncillary });
  } catch (err) {
    // which expression it was (the filter, or a queue's drop rule), for the caret under the position
    if (err instanceof FilterError) (err as FilterError & { expression?: string }).expression = expr;
    throw err;
  }
  const invalid = validateProgram(prog);
  if (invalid !== undefined) throw new CaptureOptionError(`internal error: the compiled filter is invalid (${invalid}); please report the expression`);
  return prog;
}

/** The capture ring's size without -B when frames are mirrored or exported (128 MiB). */
export const HANDOFF_RING_BYTES = 128 << 20;

/**
 * Ring geometry when nobody waits on each packet (writing a file, printing into a pipe): 4 MiB blocks
 * retired after 100 ms, so the process wakes about 10 times a second instead of 100 and each wake-up
 * walks tens of thousands of packets (the same 32 MiB in all; with a buffer below that, the usual 512 KiB blocks).
 */
function bulkRing(bufferKiB: number | undefined): { blockSize?: number; blockCount?: number; blockTimeoutMs: number } {
  const blockSize = 4 * 1024 * 1024;
  if (bufferKiB !== undefined && bufferKiB * 1024 < 8 * blockSize) return { blockTimeoutMs: 100 };
  return bufferKiB === undefined ? { blockSize, blockCount: 8, blockTimeoutMs: 100 } : { blockSize, blockTimeoutMs: 100 };
}

/** A sink that hands every packet to several sinks (output, mirrors, exporters). */
function teeSink(sinks: PacketSink[]): PacketSink {
  if (sinks.length === 1) return sinks[0] as PacketSink;
  return {
    write(p: PacketView): void {
      for (const s of sinks) s.write(p);
    },
    async flush(): Promise<void> {
      for (const s of sinks) await s.flush();
    },
    async close(): Promise<void> {
      for (const s of sinks) await s.close();
    },
  };
}

/** A sink that counts packets and prints tcpdump's `N packets` line at close (`print`: tcpdump prints it for files only). */
function countingSink(write: (text: string) => void, print: boolean): PacketSink {
  let n = 0;
  return {
    write(): void {
      n++;
    },
    flush(): void {},
    async close(): Promise<void> {
      if (print) write(`${n} packet${n === 1 ? '' : 's'}\n`);
    },
  };
}

/** Calls `gone` for each interface that disappears, checking every 500 ms; returns the timer. */
function watchInterfaces(listInterfaces: () => { name: string }[], gone: (name: string) => void): NodeJS.Timeout {
  let known = new Set(listInterfaces().map((i) => i.name));
  const timer = setInterval(() => {
    const now = new Set(listInterfaces().map((i) => i.name));
    for (const name of known) if (!now.has(name)) gone(name);
    known = now;
  }, 500);
  timer.unref();
  return timer;
}

/**
 * A mirror's or exporter's closing line: frames sent, bytes, errors, drops (those at the hand-off
 * queue, where the capture thread found no room, named apart), and with GRO how many packets carried them.
 */
function forwardSummary(f: Mirror | Exporter): string {
  const s = f.stats();
  const name = 'iface' in f ? `mirrored to ${f.iface.name}` : `exported to ${f.url}`;
  const gro = f.groMaxIpLen !== undefined ? `; GRO: ${plural(s.frames, 'frame')} sent as ${plural(s.packets, 'packet')}, TCP payload ${s.groPayloadIn} bytes in, ${s.groPayloadOut} out` : '';
  return `${plural(s.frames, 'packet')} ${name} (${s.bytes} bytes, ${s.errors} send errors, ${s.dropped} dropped, ${s.queueDropped} of them at the hand-off queue${gro})`;
}

/**
 * One pipeline: `open` builds the source and every sink (so a file that cannot be created fails
 * before any packet is read), `run` moves packets until the end, `finish`/`stop` end it from outside.
 * @example
 * const p = await Pipeline.open({ source: { kind: 'file', path: 'in.pcap' }, filter: 'udp', file: { path: 'udp.pcap' } });
 * const { delivered } = await p.run();
 */
export class Pipeline {
  /** LINKTYPE_* of the packets. */
  linkType: number = LinkType.EN10MB;
  /** Snapshot length of the packets. */
  snaplen = 0;
  private src: Source | undefined;
  private readonly sinks: PacketSink[] = [];
  private fileSink: FileSink | undefined;
  private records: RingRecordSink | undefined;
  private match: CompiledFilter | undefined;
  private forwards: (Mirror | Exporter)[] = [];
  private out: TextOutput | undefined;
  private reporter: import('../sinks/stats.js').StatsReporter | undefined;
  private summary: SummarySink | undefined;
  private names: NameLookup | undefined;
  private watchAny: NodeJS.Timeout | undefined;
  private limitReached = false;
  /** The workers run the sinks themselves: none are built here. */
  private workersRunSinks = false;
  /** The one pcap file fanout workers append to (opened here, closed once they are done). */
  private sharedFile: SharedFileTarget | undefined;
  private liveMod: LiveModule | undefined;
  private inlineMod: InlineModule | undefined;
  private workersMod: WorkersModule | undefined;
  private readonly diag: (text: string) => void;

  private constructor(
    readonly config: PipelineConfig,
    private readonly io: PipelineIo,
  ) {
    this.diag = io.diagnostic ?? ((t) => void process.stderr.write(t));
  }

  /** Checks the configuration, opens the source and every sink; throws CaptureOptionError, FilterError or a runtime error. */
  static async open(config: PipelineConfig, io: PipelineIo = {}): Promise<Pipeline> {
    checkPipelineConfig(config);
    const p = new Pipeline(config, io);
    try {
      await p.build();
    } catch (err) {
      await p.abandon();
      throw err;
    }
    return p;
  }

  /** The source, once open. */
  get source(): Source | undefined {
    return this.src;
  }

  private async build(): Promise<void> {
    const config = this.config;
    const s = config.source;
    const nano = config.nano === true;
    const expr = (config.filter ?? '').trim();
    let jsonNano = nano;
    let fileFormat: 'pcap' | 'pcapng' = 'pcap';
    let ifaces: string[] = [];
    let ifName: string | undefined;
    let perWorkerFiles: PacketSink[] | undefined;
    let listening = '';
    const snapOpt = s.kind === 'live' ? snaplenOf(s.capture) : 0;
    const inline = s.kind === 'live' && s.interfaces.length > 0 ? parseInlineSpec(s.interfaces[0] as string) : undefined;
    if (s.kind === 'live' && inline !== undefined) {
      ifaces = s.interfaces;
      // Packets arrive as netfilter saw them (raw IP); a filter expression runs on them here.
      const { LogSource, QueueSource, QueueWorkerSource } = (this.inlineMod = await import('./inline-sources.js'));
      const { compileFilterFunction } = await import('../filter/vm.js');
      const rawIpProgram = (e: string): Promise<BpfProgram> => compileChecked(e, { linkType: LinkType.IPV4, snaplen: snapOpt, ...this.optimize(), live: false });
      const rawIp = async (e: string): Promise<CompiledFilter> => compileFilterFunction(await rawIpProgram(e));
      this.snaplen = Math.min(snapOpt, 0xffff - 4);
      if (inline.kind === 'nfqueue') {
        const q = s.queue ?? {};
        const drop = q.drop === undefined ? undefined : await rawIpProgram(q.drop);
        if (expr !== '') this.match = await rawIp(expr);
        const queueOpts = {
          copyRange: this.snaplen,
          failOpen: q.failClosed !== true,
          failClosed: q.failClosed === true,
          gso: q.gso === true,
          ...(q.verdictTimeoutMs !== undefined ? { verdictTimeoutMs: q.verdictTimeoutMs } : {}),
          ...(q.maxLen !== undefined ? { maxLen: q.maxLen } : {}),
        };
        const warn = (m: string): void => this.diag(`tscap: ${m}\n`);
        // One queue is answered on this thread; several get a worker thread each.
        this.src =
          inline.queues.length === 1
            ? QueueSource.open(inline.queues, { ...queueOpts, onError: (err) => warn(err.message) }, drop === undefined ? undefined : compileFilterFunction(drop))
            : await QueueWorkerSource.start(inline.queues, { opts: queueOpts, drop, forward: true }, warn);
        this.linkType = LinkType.IPV4;
      } else {
        const ls = LogSource.open(inline.group, this.snaplen, expr !== '' ? await rawIp(expr) : undefined);
        this.src = ls;
        this.linkType = ls.linkType;
      }
      ifName = ifaces[0] as string;
      this.announce(`tscap: listening on ${ifName}, ${linkTypeText(this.linkType)}, snapshot length ${this.snaplen} bytes\n`);
    } else if (s.kind === 'file') {
      const reader = await PacketFileReader.open(s.path);
      fileFormat = reader.info.format;
      this.linkType = reader.info.linkType;
      this.snaplen = reader.info.snaplen;
      jsonNano = reader.info.nano;
      const prog = config.bpf ?? (expr !== '' ? await compileChecked(expr, { linkType: this.linkType, snaplen: snaplenOf(undefined), ...this.optimize(), live: false }) : undefined);
      if (prog !== undefined) this.match = (await import('../filter/vm.js')).compileFilterFunction(prog);
      this.src = new FileSource(reader);
      this.diag(`reading from file ${s.path}, ${linkTypeText(this.linkType)}, snapshot length ${this.snaplen}\n`);
    } else {
      ifaces = s.interfaces;
      const { dataLinkTypes, interfaceInfo, listInterfaces, resolveRing } = await import('../capture/index.js');
      const { LiveSource, MultiLiveSource, WorkerSource, openLive } = (this.liveMod = await import('./sources.js'));
      const c = s.capture ?? {};
      const ring: { blockSize?: number; blockCount?: number; blockTimeoutMs?: number } = {};
      if (c.immediate === false) Object.assign(ring, bulkRing(c.bufferKiB));
      Object.assign(ring, c.ring);
      // Impossible geometry is an option error, found before any interface or socket is touched.
      const geometry = resolveRing({ ring, ...(c.bufferKiB !== undefined ? { bufferKiB: c.bufferKiB } : {}) });
      // Handing frames on costs the capturing thread several times a capture's work, so a busy machine
      // that takes the CPU from it for a moment finds it further behind: without -B the ring then
      // holds HANDOFF_RING_BYTES, four times the usual (shared out among fanout workers' rings).
      const handsOn = (config.forward?.mirror?.length ?? 0) + (config.forward?.export?.length ?? 0) > 0;
      if (handsOn && c.bufferKiB === undefined && c.ring?.blockCount === undefined) {
        ring.blockCount = Math.max(geometry.blockCount, Math.ceil(HANDOFF_RING_BYTES / geometry.blockSize / (s.workers ?? 1)));
      }
      this.linkType = await liveLinkType(ifaces[0] as string);
      const wanted = c.linkType;
      if (wanted !== undefined) {
        // A link type other than the interface's: one of those it offers (tcpdump -L lists them).
        const wantedName = LINK_TYPE_NAMES[wanted] ?? String(wanted);
        for (const name of ifaces) {
          const info = name === 'any' ? undefined : interfaceInfo(name);
          if (!(info === undefined ? [LinkType.LINUX_SLL, LinkType.LINUX_SLL2] : dataLinkTypes(info)).includes(wanted)) {
            throw new CaptureOptionError(`${wantedName} is not one of the DLTs supported by this device`, 'linkType');
          }
        }
        this.diag(`tscap: data link type ${wantedName}\n`);
        this.linkType = wanted;
      }
      this.snaplen = snapOpt;
      const filter = config.bpf ?? (expr !== '' ? await compileChecked(expr, { linkType: this.linkType, snaplen: snapOpt, ...this.optimize(), live: true }) : undefined);
      const captureOpts: Omit<CaptureOptions, 'iface'> = {
        engine: c.engine ?? 'ring',
        snaplen: this.snaplen,
        promisc: c.promisc ?? true,
        direction: c.direction ?? 'inout',
        ring,
        ...(c.bufferKiB !== undefined ? { bufferKiB: c.bufferKiB } : {}),
        ...(filter !== undefined ? { filter } : {}),
        vlan: c.vlan ?? 'reinsert',
        ...(wanted !== undefined ? { linkType: wanted } : {}),
        ...(c.timestampType !== undefined ? { timestampType: c.timestampType } : {}),
        ...(c.reopen === true ? { reopen: true } : {}),
        ...(c.fanout !== undefined ? { fanout: c.fanout } : {}),
      };
      if (s.workers !== undefined && !needsMerge(config)) {
        // Each worker runs this pipeline on its own socket in the group: its own filter, printing and file.
        const fanout = { group: process.pid & 0xffff, ...parseFanout(s.fanout ?? 'hash') };
        const { source: _source, file, progress: _progress, ...rest } = config;
        const configOf = (i: number): PipelineConfig => ({
          ...rest,
          source: { kind: 'live', interfaces: [ifaces[0] as string], capture: { ...c, fanout } },
          ...(file !== undefined ? { file: { ...file, path: file.path.replaceAll('%w', String(i)) } } : {}),
        });
        // One pcap file for all: created here with its header, each worker appends whole batches to it.
        if (file !== undefined && sharedFileWritable(file)) this.sharedFile = (await import('../pcap/writer.js')).openSharedPcap(file.path, { linkType: this.linkType, snaplen: this.snaplen, nano });
        const { PipelineWorkers } = (this.workersMod = await import('./workers.js'));
        const shared = { ...(this.sharedFile !== undefined ? { file: this.sharedFile } : {}), ...(config.count !== undefined ? { count: new SharedArrayBuffer(4) } : {}) };
        const pw = new PipelineWorkers(this.linkType, s.workers, configOf, this.diag, shared);
        this.src = pw;
        await pw.start();
        this.workersRunSinks = true;
      } else if (s.workers !== undefined) {
        const fanout = parseFanout(s.fanout ?? 'hash');
        // `NAME%w`: one file per worker, named by its index, instead of one merged file.
        const file = config.file;
        if (file !== undefined && file.path.includes('%w')) {
          const { createFileSink } = await import('../pcap/rotate.js');
          perWorkerFiles = Array.from({ length: s.workers }, (_, i) =>
            createFileSink(fileSinkOptionsOf(file, { path: file.path.replaceAll('%w', String(i)), linkType: this.linkType, snaplen: this.snaplen, nano, ifName: ifaces[0] as string })),
          );
        }
        const ws = new WorkerSource({ ...captureOpts, iface: ifaces[0] as string }, s.workers, fanout.mode, fanout.flags, this.linkType, this.diag, perWorkerFiles);
        this.src = ws;
        await ws.start();
      } else {
        const caps = openLive(ifaces, captureOpts);
        this.linkType = (caps[0] as Capture).linkType;
        for (const cap of caps) for (const w of cap.warnings) this.diag(`tscap: WARNING: ${w}\n`);
        this.src = caps.length === 1 ? new LiveSource(caps[0] as Capture) : new MultiLiveSource(caps);
        // reopen: one line per gap; the summary counts them.
        const onGap = this.io.onGap ?? ((gap: CaptureGap): void => this.diag(gapLine(gap)));
        for (const cap of caps) cap.onGap((_err, gap) => onGap(gap));
      }
      ifName = ifaces.join(',');
      // `any` keeps capturing when an interface goes away; say so, as the other interfaces carry on.
      // The watch starts before "listening on", so it knows every interface present from then on.
      if (ifaces.includes('any')) this.watchAny = watchInterfaces(listInterfaces, (name) => this.diag(`tscap: warning: interface ${name} went away; capture goes on\n`));
      // Announced once every output is open (below): a file that cannot be created fails first.
      listening = `tscap: listening on ${ifaces.join(', ')}, ${linkTypeText(this.linkType)}, snapshot length ${this.snaplen} bytes\n`;
    }
    const src = this.src;
    if (this.workersRunSinks) {
      this.out = new TextOutput(this.io.stdout ?? process.stdout, false, () => src.stop());
      // Each worker counts its own packets; their summaries are added up here at the end (`run`), and
      // the live statistics from the largest flows each worker reports twice a second.
      if ((config.summary?.kinds.length ?? 0) > 0) {
        const { listInterfaces } = await import('../capture/interfaces.js');
        const summary = await this.summarySink((i) => listInterfaces().find((x) => x.index === i)?.name);
        this.summary = summary;
        this.sinks.push(summary);
      }
      const workers = src as InstanceType<WorkersModule['PipelineWorkers']>;
      if (config.stats !== undefined) {
        const { createStatsReporter } = await import('../sinks/stats.js');
        const { TrafficAccounting } = await import('../sinks/flows.js');
        const all = new TrafficAccounting();
        this.reporter = createStatsReporter({
          intervalMs: config.stats.intervalMs,
          sources: () => workers.detail(),
          tty: config.stats.tty,
          write: this.diag,
          gaps: () => workers.gaps(),
          accounting: all,
          refresh: () => {
            all.clear();
            for (const st of workers.flowStates()) all.merge(st);
          },
        });
      }
      this.announce(listening);
      return;
    }

    const fwd = config.forward ?? {};
    const onWarning = (msg: string): void => this.diag(`tscap: ${msg}\n`);
    const gro = fwd.gro === true;
    const sendThread = fwd.sendThread !== undefined ? { sendThread: fwd.sendThread } : {};
    if ((fwd.mirror?.length ?? 0) > 0) {
      const { createMirror } = await import('../capture/mirror.js');
      for (const m of fwd.mirror ?? []) this.forwards.push(createMirror(m, { gro, onWarning, ...sendThread }));
    }
    const exportSnaplen = fwd.exportSnaplen !== undefined ? { exportSnaplen: fwd.exportSnaplen } : {};
    const { createExporter } = (fwd.export?.length ?? 0) > 0 ? await import('../capture/export.js') : { createExporter: undefined };
    for (const e of fwd.export ?? []) this.forwards.push(await createExporter!(e, { linkType: this.linkType, snaplen: this.snaplen, gro, ...exportSnaplen, onWarning, ...sendThread }));
    // GRO's limits, said once at start: a mirror merges only up to its interface's MTU.
    for (const f of this.forwards) {
      if (f.groMaxIpLen === undefined) continue;
      const why = 'iface' in f && f.groMaxIpLen < 65535 ? ` (the MTU of ${f.iface.name})` : '';
      this.diag(`tscap: --gro: TCP segments for ${'iface' in f ? f.iface.name : f.url} merged into IP packets of at most ${f.groMaxIpLen} bytes${why}, held at most 2 ms\n`);
    }
    const print = config.print;
    if (print?.kind === 'text' && print.names !== undefined) {
      const { createNameLookup } = await import('../sinks/names.js');
      this.names = createNameLookup({ stripDomain: print.names.stripDomain });
    }

    this.out = new TextOutput(this.io.stdout ?? process.stdout, config.lineBuffered === true, () => src.stop());
    const sinks = this.sinks;
    // Several interfaces: pcapng records one interface block each; pcap becomes LINUX_SLL2, whose
    // header carries each packet's interface index.
    const several = s.kind === 'live' && ifaces.length > 1;
    const file = perWorkerFiles !== undefined ? undefined : config.file;
    const fileLinkType = several && this.linkType === LinkType.EN10MB && file?.pcapng !== true && !/\.pcapng$/i.test(file?.path ?? '') ? LinkType.LINUX_SLL2 : this.linkType;
    let writerClass: (new (...a: never[]) => unknown) | undefined;
    if (file !== undefined) {
      const { createFileSink } = await import('../pcap/rotate.js');
      writerClass = (await import('../pcap/writer.js')).PcapWriter;
      const fileOpts = fileSinkOptionsOf(file, { linkType: fileLinkType, snaplen: this.snaplen, nano, ...(ifName !== undefined ? { ifName } : {}), ...(expr !== '' ? { filter: expr } : {}) });
      if (this.io.sharedFile !== undefined) fileOpts.shared = this.io.sharedFile;
      fileOpts.onFileLimit = () => {
        this.limitReached = true;
      };
      if (several) {
        const { interfaceInfo } = await import('../capture/interfaces.js');
        fileOpts.interfaces = ifaces.map((name) => ({ name, ifindex: interfaceInfo(name).index }));
      }
      const fileSink = createFileSink(fileOpts);
      this.fileSink = fileSink;
      if (fileLinkType !== this.linkType) {
        const { sll2Sink } = await import('../sinks/sll2.js');
        sinks.push(sll2Sink(fileSink));
      } else sinks.push(fileSink);
    }
    this.announce(listening);
    // Records of packets in the ring go to the file with writev, uncopied, and inline mirrors and exports
    // send them from the ring with sendmmsg; each empties its batch before a block goes back to the kernel.
    const LiveSource = this.liveMod?.LiveSource;
    if (LiveSource !== undefined && src instanceof LiveSource) (await import('./ring-readers.js')).gatherFromRing(src.cap, this.fileSink, this.forwards);
    const live = s.kind === 'live';
    // interface names: live captures, and summaries (their per-interface table)
    const listInterfaces = live || (config.summary?.kinds.length ?? 0) > 0 ? (await import('../capture/interfaces.js')).listInterfaces : () => [];
    const names = new Map<number, string>();
    let namesRead = false;
    // Interfaces that appear later (`any` sees them) are looked up when first seen, and an index with
    // no name again at most once a second.
    const triedAt = new Map<number, number>();
    const ifNameOf = (i: number): string | undefined => {
      if (!names.has(i) && (!namesRead || Date.now() - (triedAt.get(i) ?? 0) > 1000)) {
        if (namesRead) triedAt.set(i, Date.now());
        namesRead = true;
        for (const x of listInterfaces()) names.set(x.index, x.name);
      }
      return names.get(i);
    };
    if (print !== undefined) {
      const out = this.out;
      if (print.kind === 'count') sinks.push(countingSink((t) => void (this.io.stdout ?? process.stdout).write(t), !live));
      else if (print.kind === 'json') {
        const { createJsonSink } = await import('../sinks/json.js');
        sinks.push(createJsonSink(out, { nano: jsonNano, ...(live ? { ifName: ifNameOf } : {}) }));
      } else {
        const { createTextSink } = await import('../sinks/text.js');
        let esp;
        if (print.esp !== undefined) {
          const { parseEspSecrets } = await import('../sinks/esp.js');
          esp = parseEspSecrets(print.esp);
        }
        const textOpts = { ...print.options, ...(live ? { ifName: ifNameOf } : {}), showInterface: live && ifaces.length > 1, noChecksum: print.noChecksum === true, esp };
        sinks.push(createTextSink(out, this.names !== undefined ? { ...textOpts, names: this.names } : textOpts));
      }
    }
    sinks.push(...this.forwards);

    // Progress, summaries and live statistics go to the diagnostics, never into the data.
    if (s.kind === 'file' && config.progress === true) {
      const { createProgress, progressFileSize } = await import('../sinks/progress.js');
      const size = progressFileSize({ path: s.path, quiet: false, isTTY: true });
      if (size !== undefined) sinks.unshift(createProgress({ totalBytes: size, label: s.path, format: fileFormat, write: this.diag }));
    }
    const sum = config.summary;
    let summary: SummarySink | undefined;
    if (sum !== undefined && sum.kinds.length > 0) {
      summary = await this.summarySink(ifNameOf);
      this.summary = summary;
      sinks.push(summary);
    }
    if (config.stats !== undefined && this.io.countsBack === true) {
      // a worker only counts: the main thread draws every worker's counters (`flowState`)
      const { createStatsReporter } = await import('../sinks/stats.js');
      const maxEntries = sum?.maxEntries ?? config.maxFlows;
      this.reporter = createStatsReporter({
        intervalMs: config.stats.intervalMs,
        sources: () => [],
        tty: false,
        write: () => undefined,
        autoStart: false,
        ...(summary ? { accounting: summary.accounting } : maxEntries !== undefined ? { maxEntries } : {}),
      });
      sinks.push(this.reporter.sink);
    } else if (config.stats !== undefined) {
      const { createStatsReporter } = await import('../sinks/stats.js');
      const maxEntries = sum?.maxEntries ?? config.maxFlows;
      this.reporter = createStatsReporter({
        intervalMs: config.stats.intervalMs,
        // Mirrors and exporters get rows too: frames handed on, and what they dropped.
        sources: () => [
          ...src.detail(),
          ...this.forwards.map((f) => {
            const st = f.stats();
            return { name: 'iface' in f ? `mirror ${f.iface.name}` : `export ${f.url}`, captured: st.frames, received: st.frames + st.dropped, dropped: st.dropped + st.errors, freezes: 0 };
          }),
        ],
        tty: config.stats.tty,
        write: this.diag,
        // fanout workers read one interface: its gaps are counted once, not per worker row
        ...(this.liveMod !== undefined && src instanceof this.liveMod.WorkerSource ? { gaps: () => src.gaps() } : {}),
        ...(summary ? { accounting: summary.accounting } : maxEntries !== undefined ? { maxEntries } : {}),
      });
      sinks.push(this.reporter.sink);
    }
    // The file gathers from the ring: the walk hands it ring coordinates directly. Sinks beside it that
    // only count frames (--stats, --summary) get one reused view filled from the same coordinates.
    const f = this.fileSink;
    if (sinks[0] === f && writerClass !== undefined && f instanceof writerClass && (f as unknown as { gathering: boolean }).gathering && this.match === undefined) {
      const rest = sinks.slice(1);
      if (rest.length === 0) this.records = f as unknown as RingRecordSink;
      else if (rest.every((x) => x.framesOnly === true) && LiveSource !== undefined && src instanceof LiveSource && src.cap.linkType === LinkType.EN10MB) {
        this.records = (await import('./ring-readers.js')).countingRecords(src.cap, f as unknown as RingRecordSink, rest);
      }
    }
  }

  /** The summary sink of `config.summary`: printed at close, or silent in a worker that hands its counters back. */
  private async summarySink(interfaceName: (ifindex: number) => string | undefined): Promise<SummarySink> {
    const sum = this.config.summary!;
    const { createSummarySink } = await import('../sinks/summary.js');
    return createSummarySink(sum.kinds, {
      json: sum.json,
      out: this.io.countsBack === true ? () => undefined : this.diag,
      interfaceName,
      ...(sum.maxRows !== undefined ? { maxRows: sum.maxRows } : {}),
      ...(sum.maxEntries !== undefined ? { maxEntries: sum.maxEntries } : {}),
    });
  }

  /** The `listening on` line, unless quiet. */
  private announce(text: string): void {
    if (this.io.quiet !== true) this.diag(text);
  }

  private optimize(): { optimize?: boolean } {
    return this.config.optimize === undefined ? {} : { optimize: this.config.optimize };
  }

  /** Closes what `build` opened before it failed. */
  private async abandon(): Promise<void> {
    this.src?.stop();
    for (const f of this.forwards) await f.close();
    if (this.watchAny) clearInterval(this.watchAny);
    this.names?.close();
  }

  /**
   * Gives up root for `user` (-Z) once everything is open: every thread becomes the user and loses its
   * capabilities, except CAP_NET_RAW on the threads that open sockets again after a gap (`reopen`):
   * this one for live interfaces, or each fanout worker for its own socket. Not root: nothing changes
   * (`dropped: false`). Throws PrivilegeError for an unknown user or a change that did not take.
   */
  async dropPrivileges(user: string): Promise<DropResult> {
    const { dropPrivileges, processIds } = await import('../syscalls/privileges.js');
    const s = this.config.source;
    // `any` sees interfaces that come later without a new socket; netfilter sources never reopen.
    const reopen = s.kind === 'live' && s.capture?.reopen === true && this.inlineMod === undefined && s.interfaces.some((n) => n !== 'any');
    const keep: CapabilityName[] = ['NET_RAW'];
    const workers = reopen && this.src?.capabilityStep !== undefined && processIds().uid[1] === 0 ? this.src : undefined;
    await workers?.capabilityStep?.('before', keep);
    const r = dropPrivileges(user, reopen && workers === undefined ? { keep } : {});
    if (r.dropped) await workers?.capabilityStep?.('after', keep);
    return r;
  }

  /** A worker's counters for the live statistics of all workers (`PipelineIo.countsBack` with `--stats`): its largest flows and talkers. */
  flowState(): AccountingState | undefined {
    return this.io.countsBack === true && this.reporter !== undefined ? this.reporter.accounting.topState(this.reporter.top) : undefined;
  }

  /** Prints the live statistics now (or the summary as it stands); nothing without either. */
  printStatsNow(): void {
    if (this.reporter) this.reporter.printNow();
    else if (this.workersRunSinks && this.summary) this.diag('tscap: the workers\' summaries are added up when the capture ends\n');
    else if (this.summary) this.diag(this.summary.render());
  }

  /** Stops after taking in what the kernel already holds (a first Ctrl-C). */
  finish(): void {
    const src = this.src;
    if (src === undefined) return;
    if (src.finish !== undefined) src.finish();
    else src.stop();
  }

  /** Stops at once. */
  stop(): void {
    this.src?.stop();
  }

  /**
   * Runs until the count, `finish`/`stop`, the end of a file, or a failure; closes every sink and
   * writes the closing lines (tcpdump's three for live captures, forwarding and queue summaries).
   */
  async run(): Promise<PipelineResult> {
    const src = this.src as Source;
    const out = this.out as TextOutput;
    const sink = teeSink(this.sinks);
    const match = this.match;
    const errors: Error[] = [];
    const failed = (err: unknown): void => {
      if (!isRuntimeError(err)) throw err;
      errors.push(err);
      // said at once, before the closing lines, as tcpdump does
      this.diag(`tscap: ${this.errorText(err)}\n`);
    };
    let remaining = this.config.count ?? Number.POSITIVE_INFINITY;
    let delivered = 0;
    // -c over fanout workers: each packet takes a number from the count they share, and the worker
    // that takes the last one ends its run (and so everyone's).
    const shared = this.config.count !== undefined && this.io.sharedCount !== undefined ? new Int32Array(this.io.sharedCount) : undefined;
    const limit = this.config.count ?? 0;
    const visit = (p: PacketView): void => {
      if (remaining <= 0) return;
      if (match !== undefined && match(p.buf, p.offset, p.capLen, p.wireLen) === 0) return;
      if (shared !== undefined) {
        const taken = Atomics.add(shared, 0, 1);
        if (taken >= limit) {
          remaining = 0;
          src.stop();
          return;
        }
        if (taken + 1 === limit) remaining = 1;
      }
      sink.write(p);
      delivered++;
      if (--remaining === 0) src.stop();
    };
    const { LiveSource, MultiLiveSource, WorkerSource } = this.liveMod ?? {};
    const PipelineWorkers = this.workersMod?.PipelineWorkers;
    if (this.records !== undefined && shared === undefined && LiveSource !== undefined && src instanceof LiveSource && src.cap.recordsDispatchable) {
      src.useRecords(
        this.records,
        () => remaining,
        (n) => {
          delivered += n;
          remaining -= n;
          if (remaining <= 0) src.stop();
        },
      );
    }
    const flush = async (): Promise<void> => {
      await sink.flush();
      if (out.closed || this.limitReached) src.stop();
    };
    try {
      await src.run(visit, flush);
    } catch (err) {
      failed(err);
    }
    if (PipelineWorkers !== undefined && src instanceof PipelineWorkers) {
      delivered = src.delivered();
      if (this.sharedFile !== undefined) closeSync(this.sharedFile.fd); // every worker has closed its writer
      for (const e of src.errors()) errors.push(new Error(e));
      if (src.fileLimitReached()) this.limitReached = true;
      for (const st of src.summaries()) this.summary?.accounting.merge(st);
    }
    if ((WorkerSource !== undefined && src instanceof WorkerSource) || (PipelineWorkers !== undefined && src instanceof PipelineWorkers)) {
      for (const f of src.failures()) {
        this.diag(`tscap: worker ${f.worker}: ${f.error}\n`);
        errors.push(new Error(`worker ${f.worker}: ${f.error}`));
      }
    }
    src.stop();
    const stats = src.stats();
    const perInterface = MultiLiveSource !== undefined && src instanceof MultiLiveSource ? src.detail() : [];
    if (perInterface.length > 1) perInterface.forEach((s, i) => this.fileSink?.setInterfaceStats?.(s.received, s.dropped, i));
    else if (stats) this.fileSink?.setInterfaceStats?.(stats.received, stats.dropped);
    try {
      await sink.close();
    } catch (err) {
      failed(err);
    }
    const live = this.config.source.kind === 'live' && this.io.quiet !== true;
    if (live && stats) {
      this.diag(`${plural(delivered, 'packet')} captured\n${plural(stats.received, 'packet')} received by filter\n${plural(stats.dropped, 'packet')} dropped by kernel\n`);
    }
    if (live && this.config.source.kind === 'live' && this.config.source.capture?.reopen === true) {
      this.diag(`${plural(src.gaps?.() ?? 0, 'interface gap')} (--reopen)\n`);
    }
    const inline = this.inlineMod;
    if (live && inline !== undefined && (src instanceof inline.QueueSource || src instanceof inline.QueueWorkerSource || src instanceof inline.LogSource)) this.diag(src.summary());
    for (const f of this.forwards) this.diag(`${forwardSummary(f)}\n`);
    this.reporter?.stop();
    this.names?.close();
    if (this.watchAny) clearInterval(this.watchAny);
    const summaryState = this.io.countsBack === true && this.summary !== undefined ? { summary: this.summary.accounting.state() } : {};
    return { stats: stats === undefined ? undefined : { ...stats, captured: delivered }, delivered, errors, fileLimitReached: this.limitReached, ...summaryState };
  }

  /** A runtime failure's message; a corrupt file's names the file. */
  private errorText(err: Error): string {
    const s = this.config.source;
    return err instanceof PcapFormatError && s.kind === 'file' ? `${s.path}: ${err.message}` : err.message;
  }
}

/**
 * Opens and runs a pipeline; `signal` ends it as a first Ctrl-C does (what the kernel holds is taken in).
 * @example
 * const res = await runPipeline({ source: { kind: 'live', interfaces: ['eth0'] }, filter: 'tcp', file: { path: 'tcp.pcap' } }, { signal: AbortSignal.timeout(10_000) });
 */
export async function runPipeline(config: PipelineConfig, opts: PipelineIo & { signal?: AbortSignalLike } = {}): Promise<PipelineResult> {
  const p = await Pipeline.open(config, opts);
  const onAbort = (): void => p.finish();
  if (opts.signal?.aborted) p.finish();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await p.run();
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** Reads a classic BPF program in `tcpdump -ddd` form from a file, checked; throws CaptureOptionError (`bpf`). */
export async function loadBpfFile(path: string): Promise<BpfProgram> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CaptureOptionError(`${path}: ${(err as Error).message}`, 'bpf');
  }
  const { BpfTextError, parseDecimalProgram } = await import('../filter/bpf.js');
  let prog: BpfProgram;
  try {
    prog = parseDecimalProgram(text);
  } catch (err) {
    if (err instanceof BpfTextError) throw new CaptureOptionError(`${path}: ${err.message}`, 'bpf');
    throw err;
  }
  const { validateProgram } = await import('../filter/validate.js');
  const invalid = validateProgram(prog);
  if (invalid !== undefined) throw new CaptureOptionError(`${path}: invalid program: ${invalid}`, 'bpf');
  return prog;
}
