#!/usr/bin/env node
/**
 * The tscap command: tcpdump's habits (flags, output, summary, exit codes) over tscap's engines.
 * Exit 0 on a normal stop (including Ctrl-C and a closed output pipe), 1 on a runtime failure, 2 on a
 * usage or filter error. Data goes to stdout; diagnostics and the summary go to stderr.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import {
  CaptureOptionError,
  MAX_SNAPLEN,
  InterfaceChangedError,
  PrivilegeError,
  dataLinkTypes,
  SyscallError,
  describeFlags,
  interfaceInfo,
  listInterfaces,
  probeBpfExtensions,
  resolveRing,
  type Capture,
  type CaptureStats,
  type FanoutMode,
  type RingRecordSink,
} from '../src/capture/index.js';
import { createExporter, type Exporter } from '../src/capture/export.js';
import { createMirror, type Mirror } from '../src/capture/mirror.js';
import { BpfTextError, parseDecimalProgram, type BpfProgram } from '../src/filter/bpf.js';
import { FilterError, compileFilter } from '../src/filter/compile.js';
import { validateProgram } from '../src/filter/validate.js';
import { compileFilterFunction } from '../src/filter/vm.js';
import type { PacketSink, PacketView } from '../src/packet.js';
import { PacketFileReader, PcapFormatError, PcapIoError, PcapWriter, createFileSink, type FileSink } from '../src/pcap/index.js';
import { LINK_TYPE_DESCRIPTIONS, LINK_TYPE_NAMES, LinkType } from '../src/pcap/linktype.js';
import { createJsonSink } from '../src/sinks/json.js';
import { TextOutput } from '../src/sinks/output.js';
import { createProgress, progressFileSize } from '../src/sinks/progress.js';
import { sll2Sink } from '../src/sinks/sll2.js';
import { createStatsReporter } from '../src/sinks/stats.js';
import { createSummarySink } from '../src/sinks/summary.js';
import { createTextSink } from '../src/sinks/text.js';
import { VERSION } from '../src/version.js';
import { addFileOptions, fileSinkOptions, type FileOptionValues } from './file-options.js';
import { SendThreadOptionError, gatherFromRing, sendThreadOption } from './forward-options.js';
import { FilterOptionsError, addFilterOptions, dumpProgram, filterExpression, linkTypeOption, type FilterCliOptions } from './filter-options.js';
import { addPrintOptions, preprocessArgv, printOptionsFrom } from './print-options.js';
import { addSensorOptions, checkPrivilegeUser, relinquishPrivileges, type SensorOptionValues } from './sensor-options.js';
import { addStatsOptions, statsIntervalFrom, summaryKindsFrom, type StatsOptionValues } from './stats-options.js';
import { FileSource, LiveSource, MultiLiveSource, WorkerSource, openLive, type Source } from './sources.js';
import {
  addTcpdumpOptions,
  countingSink,
  dataLinkTypesText,
  defaultInterface,
  rewriteLegacyCount,
  timestampTypeOption,
  timestampTypesText,
  type TcpdumpOptionValues,
} from './tcpdump-options.js';
import { createNameLookup, type NameLookup } from '../src/sinks/names.js';
import { EspSpecError, parseEspSecrets, type EspDecryptor } from '../src/sinks/esp.js';
import { InlineSpecError, LogSource, QueueSource, QueueWorkerSource, parseInlineSpec } from './inline-sources.js';
import { QueueError } from '../src/inline/index.js';

/** A usage error: exit 2. */
class UsageError extends Error {}

function intArg(name: string, min: number, max: number): (v: string) => number {
  return (v: string) => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`${name} must be a whole number`);
    const n = Number(v);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be ${min}..${max}`);
    return n;
  };
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

function buildProgram(): Command {
  return new Command('tscap')
    .description('Capture, filter, decode and record network traffic (AF_PACKET TPACKET_V3, no libpcap).')
    .version(VERSION, '--version', 'print the version and exit')
    .option('-i, --interface <name>', 'capture on this interface (repeat for several; `any` for all)', collect)
    .option('-c <count>', 'stop after COUNT packets', intArg('-c', 1, Number.MAX_SAFE_INTEGER))
    .option('-s, --snapshot-length <bytes>', 'bytes kept of each packet (0 = 262144)', intArg('-s', 0, MAX_SNAPLEN))
    .option('-p, --no-promiscuous-mode', 'do not put the interface into promiscuous mode')
    .option('-Q, --direction <dir>', 'capture direction: in, out or inout')
    .option('-B, --buffer-size <KiB>', 'capture buffer size in KiB', intArg('-B', 1, 4 * 1024 * 1024))
    .option('--block-size <bytes>', 'ring block size (multiple of the page size)', intArg('--block-size', 1, 2 ** 31))
    .option('--blocks <n>', 'number of ring blocks', intArg('--blocks', 1, 1 << 20))
    .option('--block-timeout <ms>', 'ring block retire timeout in ms', intArg('--block-timeout', 1, 60_000))
    .option('--immediate-mode', 'hand packets over within 10 ms (the default when printing to a terminal, with -U, -l, --mirror or --export)')
    .option('--engine <engine>', 'ring (TPACKET_V3, default) or recvmsg', 'ring')
    .option('--workers <n>', 'read with N worker threads in a PACKET_FANOUT group', intArg('--workers', 0, 1000))
    .option('--fanout <mode>', 'fanout mode: hash (default), lb, cpu, qm, rollover, random; add +defrag or +rollover', 'hash')
    .option('--vlan-metadata', 'keep frames as the kernel gives them (tag stripped) and report the tag as metadata')
    .option('--bpf <file>', 'attach a classic BPF program in `tcpdump -ddd` format')
    .option('--mirror <iface>', 'send every captured frame out of IFACE (repeatable)', collect)
    .option('--export <url>', 'export frames: udp://HOST:PORT[?vni=N] (VXLAN) or tcp://HOST:PORT[?format=pcapng] (repeatable)', collect)
    .option('--gro', 'merge consecutive TCP segments of a flow before --mirror and --export (application-level GRO, held at most 2 ms)')
    .option('--send-thread <when>', 'send --mirror and --export from a thread of their own: auto (with 4 CPUs or more), on, off', 'auto')
    .option('--export-snaplen <bytes>', 'cut exported frames to BYTES (the pcap stream keeps each original length)', intArg('--export-snaplen', 14, MAX_SNAPLEN))
    .option('--print', 'also print packets when writing with -w, --mirror or --export')
    .option('--time-stamp-precision <precision>', 'micro or nano', 'micro')
    .option('-D, --list-interfaces', 'list the interfaces and exit')
    .option('--drop <expr>', 'with -i nfqueue:N: drop packets that match this pcap-filter expression, accept the rest')
    .option('--fail-closed', 'with -i nfqueue:N: unanswered packets are dropped, and a full queue drops (default: accepts)')
    .option('--verdict-timeout <ms>', 'with -i nfqueue:N: default verdict for packets unanswered this long', intArg('--verdict-timeout', 1, 3_600_000))
    .option('--queue-maxlen <n>', 'with -i nfqueue:N: packets the kernel holds for the queue (default 4096)', intArg('--queue-maxlen', 1, 1 << 24))
    .option('--gso', 'with -i nfqueue:N: take GSO super-packets whole instead of segmented')
    .argument('[expression...]', 'filter expression (pcap-filter syntax)');
}

/** Examples and exit codes, after the option list of --help. */
const HELP_TAIL = `
Examples:
  tscap -i eth0 -n                           print packets until Ctrl-C, then the summary
  tscap -i br0 -c 100 -e port not 22         100 packets with link headers, tcpdump-style filter
  tscap -i eth0 -w cap.pcapng -C 100 -W 10   a ring of ten 100 MB pcapng files
  tscap -r cap.pcap -w dns.pcap udp port 53  read, filter, write a subset
  tscap -r cap.pcap --count tcp              only the number of TCP packets
  tscap -d -y EN10MB 'vlan 42 and udp'       the BPF program, as tcpdump -d prints it
  tscap -i any --json | jq .layers           NDJSON, one object per packet

Exit status: 0 normal stop (also Ctrl-C, SIGTERM, -c reached, a closed output pipe),
1 runtime failure (no such device, no permission, corrupt file, full disk),
2 usage or filter error. See tscap(1).
`;

/** The whole command: tscap's own options plus each module's. */
function buildCli(): Command {
  return addSensorOptions(addTcpdumpOptions(addStatsOptions(addFileOptions(addPrintOptions(addFilterOptions(buildProgram())))))).addHelpText('after', HELP_TAIL);
}

type Opts = Record<string, unknown> &
  FileOptionValues &
  SensorOptionValues &
  StatsOptionValues &
  FilterCliOptions &
  TcpdumpOptionValues & {
    interface?: string[];
    c?: number;
    snapshotLength?: number;
    promiscuousMode: boolean;
    direction?: string;
    bufferSize?: number;
    blockSize?: number;
    blocks?: number;
    blockTimeout?: number;
    engine: string;
    workers?: number;
    fanout: string;
    vlanMetadata?: boolean;
    bpf?: string;
    mirror?: string[];
    export?: string[];
    gro?: boolean;
    sendThread: string;
    exportSnaplen?: number;
    print?: boolean;
    json?: boolean;
    lineBuffered?: boolean;
    immediateMode?: boolean;
    timeStampPrecision: string;
    listInterfaces?: boolean;
    drop?: string;
    failClosed?: boolean;
    verdictTimeout?: number;
    queueMaxlen?: number;
    gso?: boolean;
  };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** tcpdump's three closing lines. */
function printSummary(s: CaptureStats): void {
  process.stderr.write(
    `${plural(s.captured, 'packet')} captured\n${plural(s.received, 'packet')} received by filter\n${plural(s.dropped, 'packet')} dropped by kernel\n`,
  );
}

function listAll(): void {
  for (const i of listInterfaces()) {
    const lt = i.linkType === undefined ? `ARPHRD ${i.arphrd} (unsupported)` : `${LINK_TYPE_NAMES[i.linkType]} (${LINK_TYPE_DESCRIPTIONS[i.linkType]})`;
    process.stdout.write(`${i.index}.${i.name} [${describeFlags(i)}] link-type ${lt}\n`);
  }
}

function loadBpfFile(path: string): BpfProgram {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${path}: ${(err as Error).message}`);
  }
  let prog: BpfProgram;
  try {
    prog = parseDecimalProgram(text);
  } catch (err) {
    if (err instanceof BpfTextError) throw new UsageError(`${path}: ${err.message}`);
    throw err;
  }
  const invalid = validateProgram(prog);
  if (invalid !== undefined) throw new UsageError(`${path}: invalid program: ${invalid}`);
  return prog;
}

function linkTypeText(linkType: number): string {
  return `link-type ${LINK_TYPE_NAMES[linkType] ?? linkType} (${LINK_TYPE_DESCRIPTIONS[linkType] ?? 'unknown'})`;
}

/**
 * Whether packets must reach the output promptly: tcpdump's immediate mode, which it also uses when
 * printing to a terminal. Otherwise the CLI reads the ring in bigger, later batches (`bulkRing`).
 */
function immediateMode(opts: Opts): boolean {
  const printsToTerminal = process.stdout.isTTY === true && (opts.w === undefined || opts.print === true);
  const forwarding = (opts.mirror?.length ?? 0) > 0 || (opts.export?.length ?? 0) > 0;
  return opts.immediateMode === true || opts.lineBuffered === true || opts.packetBuffered === true || printsToTerminal || forwarding;
}

/**
 * Ring geometry when nobody waits on each packet (writing a file, printing into a pipe): 4 MiB blocks
 * retired after 100 ms, so the process wakes about 10 times a second instead of 100 and each wake-up
 * walks tens of thousands of packets (the same 32 MiB in all; with -B below that, the usual 512 KiB blocks).
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

/** What one run needs. */
interface RunContext {
  src: Source;
  sink: PacketSink;
  fileSink?: FileSink;
  /** A writer that takes packets as ring coordinates (see `LiveSource.useRecords`). */
  records?: RingRecordSink;
  /** Userspace filter for files (live filters run in the kernel). */
  match?: ((buf: Uint8Array, offset: number, capLen: number, wireLen: number) => number) | undefined;
  count: number | undefined;
  out: TextOutput;
  live: boolean;
  forwards: (Mirror | Exporter)[];
  /** Extra stop condition checked after each batch (e.g. -W reached with -G). */
  done?: () => boolean;
  /** With --reopen: how many times an interface went away and was bound again. */
  gaps?: () => number;
}

let currentFile = '';

/** The message for a runtime failure (I/O, a corrupt file, a socket error), or undefined for others. */
function runtimeErrorMessage(err: unknown): string | undefined {
  if (err instanceof SyscallError || err instanceof PcapIoError || err instanceof PrivilegeError || err instanceof InterfaceChangedError) return err.message;
  if (err instanceof PcapFormatError) return `${currentFile}: ${err.message}`;
  return undefined;
}

/** Prints a runtime failure and returns exit code 1; anything else is a bug and propagates. */
function reportRuntimeError(err: unknown): number {
  const msg = runtimeErrorMessage(err);
  if (msg === undefined) throw err;
  process.stderr.write(`tscap: ${msg}\n`);
  return 1;
}

/** Runs a source into its sinks until -c, a signal, the end of a file, or a failure; returns the exit code. */
async function runSource(ctx: RunContext): Promise<number> {
  const { src, sink, out, match } = ctx;
  const stop = (): void => (src.finish !== undefined ? src.finish() : src.stop());
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let remaining = ctx.count ?? Number.POSITIVE_INFINITY;
  let delivered = 0;
  const visit = (p: PacketView): void => {
    if (remaining <= 0) return;
    if (match !== undefined && match(p.buf, p.offset, p.capLen, p.wireLen) === 0) return;
    sink.write(p);
    delivered++;
    if (--remaining === 0) src.stop();
  };
  if (ctx.records !== undefined && src instanceof LiveSource && src.cap.recordsDispatchable) {
    src.useRecords(
      ctx.records,
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
    if (out.closed || ctx.done?.()) src.stop();
  };
  let code = 0;
  try {
    await src.run(visit, flush);
  } catch (err) {
    code = reportRuntimeError(err);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  src.stop();
  const stats = src.stats();
  const perInterface = src instanceof MultiLiveSource ? src.detail() : [];
  if (perInterface.length > 1) perInterface.forEach((s, i) => ctx.fileSink?.setInterfaceStats?.(s.received, s.dropped, i));
  else if (stats) ctx.fileSink?.setInterfaceStats?.(stats.received, stats.dropped);
  try {
    await sink.close();
  } catch (err) {
    code = reportRuntimeError(err);
  }
  if (ctx.live && stats) printSummary({ ...stats, captured: delivered });
  if (ctx.gaps !== undefined) process.stderr.write(`${plural(ctx.gaps(), 'interface gap')} (--reopen)\n`);
  if (src instanceof QueueSource || src instanceof QueueWorkerSource || src instanceof LogSource) process.stderr.write(src.summary());
  for (const f of ctx.forwards) process.stderr.write(`${forwardSummary(f)}\n`);
  if (src instanceof WorkerSource && src.failedCount() > 0) code = 1;
  return code;
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

function parseFanout(spec: string): { mode: FanoutMode; flags: ('defrag' | 'rollover')[] } {
  const [mode = 'hash', ...rest] = spec.split('+');
  const modes = ['hash', 'lb', 'cpu', 'qm', 'rollover', 'random'];
  if (!modes.includes(mode)) throw new UsageError(`--fanout ${spec}: mode must be one of ${modes.join(', ')}`);
  for (const f of rest) if (f !== 'defrag' && f !== 'rollover') throw new UsageError(`--fanout ${spec}: flags are +defrag and +rollover`);
  return { mode: mode as FanoutMode, flags: rest as ('defrag' | 'rollover')[] };
}

/** The link type an interface name will capture with, before opening it. */
function liveLinkType(name: string): number {
  const inline = parseInlineSpec(name);
  if (inline !== undefined) return inline.kind === 'nfqueue' ? LinkType.IPV4 : LinkType.NFLOG;
  return name === 'any' ? LinkType.LINUX_SLL2 : (interfaceInfo(name).linkType ?? LinkType.EN10MB);
}

/** Calls `gone` for each interface that disappears, checking every 500 ms; returns the timer. */
function watchInterfaces(gone: (name: string) => void): NodeJS.Timeout {
  let known = new Set(listInterfaces().map((i) => i.name));
  const timer = setInterval(() => {
    const now = new Set(listInterfaces().map((i) => i.name));
    for (const name of known) if (!now.has(name)) gone(name);
    known = now;
  }, 500);
  timer.unref();
  return timer;
}

/** Whether the kernel filter may use the Linux ancillary loads; false when it cannot be asked. */
function kernelBpfExtensions(): boolean {
  try {
    return probeBpfExtensions();
  } catch {
    return false;
  }
}

async function main(argv: string[]): Promise<number> {
  const program = buildCli();
  program.exitOverride();
  // `tscap --help | head` closes the pipe under commander's write: end quietly, as for packets.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  program.configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `tscap: ${s}` : s) });
  try {
    program.parse(rewriteLegacyCount(preprocessArgv(argv), (m) => process.stderr.write(`tscap: warning: ${m}\n`)));
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? 0 : 2;
    }
    throw err;
  }
  const opts = program.opts<Opts>();
  if (opts.listInterfaces) {
    listAll();
    return 0;
  }
  if (opts.engine !== 'ring' && opts.engine !== 'recvmsg') throw new UsageError(`--engine ${opts.engine}: must be ring or recvmsg`);
  if (opts.timeStampPrecision !== 'micro' && opts.timeStampPrecision !== 'nano') {
    throw new UsageError(`--time-stamp-precision ${opts.timeStampPrecision}: must be micro or nano`);
  }
  if (opts.direction !== undefined && !['in', 'out', 'inout'].includes(opts.direction)) {
    throw new UsageError(`-Q ${opts.direction}: must be in, out or inout`);
  }
  const tsChecked = opts.timeStampType === undefined ? undefined : timestampTypeOption(opts.timeStampType);
  if (tsChecked !== undefined && !tsChecked.ok) throw new UsageError(tsChecked.message);
  const tsType = tsChecked?.type;
  let esp: EspDecryptor | undefined;
  try {
    esp = opts.E === undefined ? undefined : parseEspSecrets(opts.E);
  } catch (err) {
    if (err instanceof EspSpecError) throw new UsageError(err.message);
    throw err;
  }
  const nano = opts.timeStampPrecision === 'nano';
  const expr = filterExpression(opts, program.args).trim();
  lastExpr = expr;
  const bpf = opts.bpf === undefined ? undefined : loadBpfFile(opts.bpf);
  if (bpf !== undefined && expr !== '') throw new UsageError('--bpf and a filter expression cannot be used together');
  const ifaces = opts.interface ?? [];
  if (opts.listTimeStampTypes === true || opts.listDataLinkTypes === true) {
    const name = ifaces[0] ?? defaultInterface();
    if (name === undefined) throw new UsageError('no suitable device found');
    if (name !== 'any') interfaceInfo(name); // ENODEV as a runtime failure, as for a capture
    // tcpdump writes both lists to stderr.
    process.stderr.write(opts.listTimeStampTypes === true ? timestampTypesText(name) : dataLinkTypesText(name));
    return 0;
  }
  if (opts.r !== undefined && ifaces.length > 0) throw new UsageError('-r and -i cannot be used together');
  if (opts.workers !== undefined && ifaces.length > 1) throw new UsageError('--workers takes one interface');
  if (opts.workers !== undefined && (opts.workers < 1 || opts.workers > 64)) throw new UsageError(`--workers ${opts.workers}: must be 1..64`);
  const fanout = parseFanout(opts.fanout);
  const snapOpt = opts.snapshotLength === undefined || opts.snapshotLength === 0 ? MAX_SNAPLEN : opts.snapshotLength;
  const compile = (linkType: number, live: boolean): BpfProgram => {
    const prog = compileFilter(expr, { linkType, snaplen: snapOpt, optimize: opts.optimize, vlanAncillary: live && kernelBpfExtensions() });
    // Every program is checked as the kernel would before it is run or attached.
    const invalid = validateProgram(prog);
    if (invalid !== undefined) throw new UsageError(`internal error: the compiled filter is invalid (${invalid}); please report the expression`);
    return prog;
  };

  // -d, -dd, -ddd: print the program and exit.
  if (opts.d > 0) {
    let linkType: number = LinkType.EN10MB;
    let live = false;
    if (opts.linktype !== undefined) {
      linkType = linkTypeOption(opts.linktype);
      live = ifaces.length > 0; // `-i any -y LINUX_SLL -d`: the live form for that link type
    } else if (opts.r !== undefined) {
      const reader = await PacketFileReader.open(opts.r);
      linkType = reader.info.linkType;
      await reader.close();
    } else if (ifaces.length > 0) {
      linkType = liveLinkType(ifaces[0] as string);
      live = true;
    }
    process.stdout.write(dumpProgram(bpf ?? compile(linkType, live), opts.d));
    return 0;
  }
  if (opts.r === undefined && ifaces.length === 0) {
    // As tcpdump: the best-ranked interface (up, running, not loopback).
    const name = defaultInterface();
    if (name === undefined) throw new UsageError('no suitable device found');
    ifaces.push(name);
  }
  checkPrivilegeUser(opts);
  const inline = ifaces.length > 0 ? parseInlineSpec(ifaces[0] as string) : undefined;
  if (inline !== undefined && ifaces.length > 1) throw new UsageError(`-i ${ifaces[0] as string} takes no other -i`);
  if (inline?.kind !== 'nfqueue' && (opts.drop !== undefined || opts.failClosed === true || opts.verdictTimeout !== undefined || opts.queueMaxlen !== undefined || opts.gso === true)) {
    throw new UsageError('--drop, --fail-closed, --verdict-timeout, --queue-maxlen and --gso need -i nfqueue:N');
  }
  if (inline !== undefined && (opts.workers !== undefined || bpf !== undefined)) throw new UsageError(`-i ${ifaces[0] as string}: --workers and --bpf do not apply`);
  if (opts.gro === true && (opts.mirror?.length ?? 0) + (opts.export?.length ?? 0) === 0) throw new UsageError('--gro needs --mirror or --export');
  if (opts.exportSnaplen !== undefined && (opts.export?.length ?? 0) === 0) throw new UsageError('--export-snaplen needs --export');
  const sendThread = sendThreadOption(opts.sendThread);

  let src: Source;
  let linkType: number;
  let snaplen: number;
  let ifName: string | undefined;
  let match: RunContext['match'];
  let jsonNano = nano;
  let fileFormat: 'pcap' | 'pcapng' = 'pcap';
  let perWorkerFiles: PacketSink[] | undefined;
  let watchAny: NodeJS.Timeout | undefined;
  let listening = '';
  let reopened: Capture[] = [];
  if (inline !== undefined) {
    // Packets arrive as netfilter saw them (raw IP); a filter expression runs on them here.
    const rawIpProgram = (e: string): BpfProgram => {
      const prog = compileFilter(e, { linkType: LinkType.IPV4, snaplen: snapOpt, optimize: opts.optimize, vlanAncillary: false });
      const invalid = validateProgram(prog);
      if (invalid !== undefined) throw new UsageError(`internal error: the compiled filter is invalid (${invalid}); please report the expression`);
      return prog;
    };
    const rawIp = (e: string): ReturnType<typeof compileFilterFunction> => compileFilterFunction(rawIpProgram(e));
    snaplen = Math.min(snapOpt, 0xffff - 4);
    if (inline.kind === 'nfqueue') {
      let drop: BpfProgram | undefined;
      if (opts.drop !== undefined) {
        lastExpr = opts.drop;
        drop = rawIpProgram(opts.drop);
        lastExpr = expr;
      }
      if (expr !== '') match = rawIp(expr);
      const queueOpts = {
        copyRange: snaplen,
        failOpen: opts.failClosed !== true,
        failClosed: opts.failClosed === true,
        gso: opts.gso === true,
        ...(opts.verdictTimeout !== undefined ? { verdictTimeoutMs: opts.verdictTimeout } : {}),
        ...(opts.queueMaxlen !== undefined ? { maxLen: opts.queueMaxlen } : {}),
      };
      const warn = (m: string): boolean => process.stderr.write(`tscap: ${m}\n`);
      // One queue is answered on this thread; several get a worker thread each.
      src =
        inline.queues.length === 1
          ? QueueSource.open(inline.queues, { ...queueOpts, onError: (err) => warn(err.message) }, drop === undefined ? undefined : compileFilterFunction(drop))
          : await QueueWorkerSource.start(inline.queues, { opts: queueOpts, drop, forward: true }, warn);
      linkType = LinkType.IPV4;
    } else {
      const ls = LogSource.open(inline.group, snaplen, expr !== '' ? rawIp(expr) : undefined);
      src = ls;
      linkType = ls.linkType;
    }
    ifName = ifaces[0] as string;
    process.stderr.write(`tscap: listening on ${ifName}, ${linkTypeText(linkType)}, snapshot length ${snaplen} bytes\n`);
  } else if (opts.r !== undefined) {
    currentFile = opts.r;
    const reader = await PacketFileReader.open(opts.r);
    fileFormat = reader.info.format;
    linkType = reader.info.linkType;
    snaplen = reader.info.snaplen;
    jsonNano = reader.info.nano;
    const prog = bpf ?? (expr !== '' ? compile(linkType, false) : undefined);
    if (prog !== undefined) match = compileFilterFunction(prog);
    src = new FileSource(reader);
    process.stderr.write(`reading from file ${opts.r}, ${linkTypeText(linkType)}, snapshot length ${snaplen}\n`);
  } else {
    const ring: { blockSize?: number; blockCount?: number; blockTimeoutMs?: number } = {};
    if (!immediateMode(opts)) Object.assign(ring, bulkRing(opts.bufferSize));
    if (opts.blockSize !== undefined) ring.blockSize = opts.blockSize;
    if (opts.blocks !== undefined) ring.blockCount = opts.blocks;
    if (opts.blockTimeout !== undefined) ring.blockTimeoutMs = opts.blockTimeout;
    // Impossible geometry is a usage error, found before any interface or socket is touched.
    resolveRing({ ring, ...(opts.bufferSize !== undefined ? { bufferKiB: opts.bufferSize } : {}) });
    linkType = liveLinkType(ifaces[0] as string);
    const wanted = opts.linktype === undefined ? undefined : linkTypeOption(opts.linktype);
    if (wanted !== undefined) {
      // -y on a live capture: one of the link types the interface offers (tcpdump -L lists them).
      const wantedName = LINK_TYPE_NAMES[wanted] ?? String(wanted);
      for (const name of ifaces) {
        const info = name === 'any' ? undefined : interfaceInfo(name);
        if (!(info === undefined ? [LinkType.LINUX_SLL, LinkType.LINUX_SLL2] : dataLinkTypes(info)).includes(wanted)) {
          throw new UsageError(`${wantedName} is not one of the DLTs supported by this device`);
        }
      }
      process.stderr.write(`tscap: data link type ${wantedName}\n`);
      linkType = wanted;
    }
    snaplen = snapOpt;
    const filter = bpf ?? (expr !== '' ? compile(linkType, true) : undefined);
    const captureOpts = {
      engine: opts.engine as 'ring' | 'recvmsg',
      snaplen,
      promisc: opts.promiscuousMode,
      direction: (opts.direction ?? 'inout') as 'in' | 'out' | 'inout',
      ring,
      ...(opts.bufferSize !== undefined ? { bufferKiB: opts.bufferSize } : {}),
      ...(filter !== undefined ? { filter } : {}),
      vlan: (opts.vlanMetadata ? 'metadata' : 'reinsert') as 'metadata' | 'reinsert',
      ...(wanted !== undefined ? { linkType: wanted } : {}),
      ...(tsType !== undefined ? { timestampType: tsType } : {}),
      ...(opts.reopen === true ? { reopen: true } : {}),
    };
    if (opts.workers !== undefined) {
      // `-w NAME%w`: one file per worker, named by its index, instead of one merged file.
      if (opts.w?.includes('%w')) {
        const n = opts.workers;
        perWorkerFiles = Array.from({ length: n }, (_, i) => {
          const o = fileSinkOptions({ ...opts, w: (opts.w as string).replaceAll('%w', String(i)) }, { linkType, snaplen, nano, ifName: ifaces[0] as string });
          return createFileSink(o as NonNullable<typeof o>);
        });
      }
      const ws = new WorkerSource({ ...captureOpts, iface: ifaces[0] as string }, opts.workers, fanout.mode, fanout.flags, linkType, perWorkerFiles);
      await ws.start();
      src = ws;
    } else {
      const caps = openLive(ifaces, captureOpts);
      linkType = (caps[0] as Capture).linkType;
      for (const c of caps) for (const w of c.warnings) process.stderr.write(`tscap: WARNING: ${w}\n`);
      src = caps.length === 1 ? new LiveSource(caps[0] as Capture) : new MultiLiveSource(caps);
      // --reopen: one line per gap; the summary counts them.
      for (const c of caps) c.onGap((err) => process.stderr.write(`tscap: warning: ${c.info.name}: ${err.reason} (${err.code}); waiting for it to come back (--reopen)\n`));
      reopened = caps;
    }
    ifName = ifaces.join(',');
    // `any` keeps capturing when an interface goes away; say so, as the other interfaces carry on.
    // The watch starts before "listening on", so it knows every interface present from then on.
    if (ifaces.includes('any')) watchAny = watchInterfaces((name) => process.stderr.write(`tscap: warning: interface ${name} went away; capture goes on\n`));
    // Announced once every output is open (below): a -w that cannot be created fails first.
    listening = `tscap: listening on ${ifaces.join(', ')}, ${linkTypeText(linkType)}, snapshot length ${snaplen} bytes\n`;
  }

  const forwards: (Mirror | Exporter)[] = [];
  try {
    const onWarning = (msg: string): void => void process.stderr.write(`tscap: ${msg}\n`);
    const gro = opts.gro === true;
    for (const m of opts.mirror ?? []) forwards.push(createMirror(m, { gro, onWarning, ...sendThread }));
    const exportSnaplen = opts.exportSnaplen !== undefined ? { exportSnaplen: opts.exportSnaplen } : {};
    for (const e of opts.export ?? []) forwards.push(await createExporter(e, { linkType, snaplen, gro, ...exportSnaplen, onWarning, ...sendThread }));
    // GRO's limits, said once at start: a mirror merges only up to its interface's MTU.
    for (const f of forwards) {
      if (f.groMaxIpLen === undefined) continue;
      const why = 'iface' in f && f.groMaxIpLen < 65535 ? ` (the MTU of ${f.iface.name})` : '';
      process.stderr.write(`tscap: --gro: TCP segments for ${'iface' in f ? f.iface.name : f.url} merged into IP packets of at most ${f.groMaxIpLen} bytes${why}, held at most 2 ms\n`);
    }
  } catch (err) {
    src.stop();
    for (const f of forwards) await f.close();
    throw err;
  }
  const nameLookup: NameLookup | undefined = opts.n === true || opts.json === true ? undefined : createNameLookup({ stripDomain: opts.N === true });

  const out = new TextOutput(process.stdout, opts.lineBuffered === true, () => src.stop());
  let limitReached = false;
  const sinks: PacketSink[] = [];
  // Several interfaces: pcapng records one interface block each; pcap becomes LINUX_SLL2, whose
  // header carries each packet's interface index.
  const several = opts.r === undefined && ifaces.length > 1;
  const fileLinkType = several && linkType === LinkType.EN10MB && opts.pcapng !== true && !/\.pcapng$/i.test(opts.w ?? '') ? LinkType.LINUX_SLL2 : linkType;
  const fileOpts = perWorkerFiles !== undefined ? undefined : fileSinkOptions(opts, { linkType: fileLinkType, snaplen, nano, ...(ifName !== undefined ? { ifName } : {}), ...(expr !== '' ? { filter: expr } : {}) });
  let fileSink: RunContext['fileSink'];
  if (fileOpts !== undefined) {
    fileOpts.onFileLimit = () => {
      limitReached = true;
    };
    if (several) fileOpts.interfaces = ifaces.map((name) => ({ name, ifindex: interfaceInfo(name).index }));
    try {
      fileSink = createFileSink(fileOpts);
    } catch (err) {
      src.stop();
      throw err;
    }
    sinks.push(fileLinkType !== linkType ? sll2Sink(fileSink) : fileSink);
  }
  process.stderr.write(listening);
  // Records of packets in the ring go to the file with writev, uncopied, and inline mirrors and exports
  // send them from the ring with sendmmsg; each empties its batch before a block goes back to the kernel.
  if (src instanceof LiveSource) gatherFromRing(src.cap, fileSink, forwards);
  const printing = opts.print === true || (fileOpts === undefined && perWorkerFiles === undefined && forwards.length === 0);
  const names = new Map(listInterfaces().map((i) => [i.index, i.name] as const));
  // Interfaces that appear later (`any` sees them) are looked up when first seen, and an index with
  // no name again at most once a second.
  const triedAt = new Map<number, number>();
  const ifNameOf = (i: number): string | undefined => {
    if (!names.has(i) && Date.now() - (triedAt.get(i) ?? 0) > 1000) {
      triedAt.set(i, Date.now());
      for (const x of listInterfaces()) names.set(x.index, x.name);
    }
    return names.get(i);
  };
  if (printing) {
    const live = opts.r === undefined;
    const textOpts = { ...printOptionsFrom(opts, nano), ifName: ifNameOf, showInterface: live && ifaces.length > 1, noChecksum: opts.dontVerifyChecksums === true, esp };
    sinks.push(
      opts.count === true
        ? countingSink((t) => process.stdout.write(t), !live)
        : opts.json
          ? createJsonSink(out, { nano: jsonNano, ...(live ? { ifName: ifNameOf } : {}) })
          : createTextSink(out, nameLookup !== undefined ? { ...textOpts, names: nameLookup } : textOpts),
    );
  }
  sinks.push(...forwards);

  // Progress, summaries and live statistics go to stderr, never into stdout's data.
  const stderrTTY = process.stderr.isTTY === true;
  const printingToTerminal = printing && process.stdout.isTTY === true;
  if (opts.r !== undefined && opts.r !== '-') {
    const size = progressFileSize({ path: opts.r, quiet: opts.q === true, isTTY: stderrTTY, printingToTerminal });
    if (size !== undefined) sinks.unshift(createProgress({ totalBytes: size, label: opts.r, format: fileFormat, write: (t) => process.stderr.write(t) }));
  }
  const kinds = summaryKindsFrom(opts);
  const summary =
    kinds.length > 0
      ? createSummarySink(kinds, {
          json: opts.json === true,
          out: (t) => process.stderr.write(t),
          interfaceName: (i) => names.get(i),
          ...(opts.summaryRows !== undefined ? { maxRows: opts.summaryRows } : {}),
          ...(opts.maxFlows !== undefined ? { maxEntries: opts.maxFlows } : {}),
        })
      : undefined;
  if (summary) sinks.push(summary);
  const every = statsIntervalFrom(opts);
  const reporter =
    every === undefined
      ? undefined
      : createStatsReporter({
          intervalMs: every * 1000,
          // Mirrors and exporters get rows too: frames handed on, and what they dropped.
          sources: () => [
            ...src.detail(),
            ...forwards.map((f) => {
              const st = f.stats();
              return { name: 'iface' in f ? `mirror ${f.iface.name}` : `export ${f.url}`, captured: st.frames, received: st.frames + st.dropped, dropped: st.dropped + st.errors, freezes: 0 };
            }),
          ],
          tty: stderrTTY && !printingToTerminal,
          write: (t) => process.stderr.write(t),
          ...(summary ? { accounting: summary.accounting } : opts.maxFlows !== undefined ? { maxEntries: opts.maxFlows } : {}),
        });
  if (reporter) sinks.push(reporter.sink);
  // Installed always: Node's default action for SIGUSR2 would end the process.
  const onUsr2 = (): void => {
    if (reporter) reporter.printNow();
    else if (summary) process.stderr.write(summary.render());
  };
  process.on('SIGUSR2', onUsr2);

  // Every socket, ring, file and worker is open: give up root now (-Z).
  relinquishPrivileges(opts, opts.reopen === true, (m) => process.stderr.write(`tscap: ${m}\n`));

  // The file is the only sink and gathers from the ring: the walk hands it ring coordinates directly.
  const records = sinks.length === 1 && sinks[0] === fileSink && fileSink instanceof PcapWriter && fileSink.gathering && match === undefined ? fileSink : undefined;
  const code = await runSource({
    src,
    sink: teeSink(sinks),
    ...(fileSink !== undefined ? { fileSink } : {}),
    ...(records !== undefined ? { records } : {}),
    match,
    count: opts.c,
    out,
    live: opts.r === undefined,
    forwards,
    done: () => limitReached,
    ...(opts.reopen === true ? { gaps: () => reopened.reduce((a, c) => a + c.gaps, 0) } : {}),
  });
  reporter?.stop();
  nameLookup?.close();
  if (watchAny) clearInterval(watchAny);
  process.off('SIGUSR2', onUsr2);
  if (limitReached) process.stderr.write(`tscap: Maximum file limit reached: ${opts.W ?? 0}\n`);
  return code;
}

/** Library option names (as `CaptureOptionError.option` gives them) and the flags that set them. */
const CLI_FLAG_OF_OPTION: Record<string, string> = {
  snaplen: '-s',
  engine: '--engine',
  direction: '-Q',
  bufferKiB: '-B',
  'ring.blockSize': '--block-size',
  'ring.blockCount': '--blocks',
  'ring.blockTimeoutMs': '--block-timeout',
  workers: '--workers',
  'fanout.mode': '--fanout',
  'fanout.flags': '--fanout',
  url: '--export',
  exportSnaplen: '--export-snaplen',
};

/** A library option error as the command line says it: with the flag instead of the option name. */
function cliOptionMessage(err: CaptureOptionError): string {
  const flag = err.option === undefined ? undefined : CLI_FLAG_OF_OPTION[err.option];
  if (flag === undefined || !err.message.startsWith(`${err.option as string} `)) return err.message;
  return flag + err.message.slice((err.option as string).length);
}

function fail(err: unknown): number {
  if (err instanceof FilterError) {
    process.stderr.write(`tscap: ${err.format(lastExpr)}\n`);
    return 2;
  }
  if (err instanceof CaptureOptionError) {
    process.stderr.write(`tscap: ${cliOptionMessage(err)}\n`);
    return 2;
  }
  if (err instanceof QueueError) {
    process.stderr.write(`tscap: ${err.message}\n`);
    return 1;
  }
  if (err instanceof UsageError || err instanceof FilterOptionsError || err instanceof InlineSpecError || err instanceof SendThreadOptionError) {
    process.stderr.write(`tscap: ${err.message}\n`);
    return 2;
  }
  if (runtimeErrorMessage(err) !== undefined) return reportRuntimeError(err);
  process.stderr.write(`tscap: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}

/** The filter expression, for the caret under a FilterError's position. */
let lastExpr = '';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = fail(err);
  },
);
