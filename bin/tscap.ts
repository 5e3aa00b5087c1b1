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
  SyscallError,
  describeFlags,
  interfaceInfo,
  listInterfaces,
  type Capture,
  type CaptureStats,
  type FanoutMode,
} from '../src/capture/index.js';
import { BpfTextError, parseDecimalProgram, type BpfProgram } from '../src/filter/bpf.js';
import type { PacketSink, PacketView } from '../src/packet.js';
import { LINK_TYPE_DESCRIPTIONS, LINK_TYPE_NAMES, LinkType } from '../src/pcap/linktype.js';
import { TextOutput } from '../src/sinks/output.js';
import { PacketFileReader, PcapFormatError, PcapIoError, createFileSink } from '../src/pcap/index.js';
import { VERSION } from '../src/version.js';
import { addFileOptions, fileSinkOptions, type FileOptionValues } from './file-options.js';
import { FileSource, LiveSource, MultiLiveSource, WorkerSource, openLive, type Source } from './sources.js';

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

function buildProgram(): Command {
  return new Command('tscap')
    .description('Capture, filter, decode and record network traffic (AF_PACKET TPACKET_V3, no libpcap).')
    .version(VERSION, '--version', 'print the version and exit')
    .option('-i, --interface <name>', 'capture on this interface (repeat for several; `any` for all)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--workers <n>', 'read with N worker threads in a PACKET_FANOUT group', intArg('--workers', 1, 1000))
    .option('--fanout <mode>', 'fanout mode: hash (default), lb, cpu, qm, rollover, random; append +defrag / +rollover for flags', 'hash')
    .option('-c, --count <n>', 'stop after N packets', intArg('-c', 1, Number.MAX_SAFE_INTEGER))
    .option('-s, --snapshot-length <bytes>', 'bytes kept of each packet (0 = 262144)', intArg('-s', 0, MAX_SNAPLEN))
    .option('-p, --no-promiscuous-mode', 'do not put the interface into promiscuous mode')
    .option('-Q, --direction <dir>', 'capture direction: in, out or inout')
    .option('-B, --buffer-size <KiB>', 'capture buffer size in KiB', intArg('-B', 1, 4 * 1024 * 1024))
    .option('--block-size <bytes>', 'ring block size (multiple of the page size)', intArg('--block-size', 1, 2 ** 31))
    .option('--blocks <n>', 'number of ring blocks', intArg('--blocks', 1, 1 << 20))
    .option('--block-timeout <ms>', 'ring block retire timeout in ms', intArg('--block-timeout', 1, 60_000))
    .option('--engine <engine>', 'ring (TPACKET_V3, default) or recvmsg', 'ring')
    .option('--vlan-metadata', 'keep frames as the kernel gives them (tag stripped) and report the tag as metadata')
    .option('--bpf <file>', 'attach a classic BPF program in `tcpdump -ddd` format')
    .option('--time-stamp-precision <precision>', 'micro or nano', 'micro')
    .option('-D, --list-interfaces', 'list the interfaces and exit')
    .argument('[expression...]', 'filter expression (pcap-filter syntax)');
}

/** The whole command: tscap's own options plus each module's. */
function buildCli(): Command {
  return addFileOptions(buildProgram());
}

type Opts = Record<string, unknown> & {
  interface?: string[];
  workers?: number;
  fanout: string;
  count?: number;
  snapshotLength?: number;
  promiscuousMode: boolean;
  direction?: string;
  bufferSize?: number;
  blockSize?: number;
  blocks?: number;
  blockTimeout?: number;
  engine: string;
  vlanMetadata?: boolean;
  bpf?: string;
  timeStampPrecision: string;
  listInterfaces?: boolean;
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
  try {
    return parseDecimalProgram(text);
  } catch (err) {
    if (err instanceof BpfTextError) throw new UsageError(`${path}: ${err.message}`);
    throw err;
  }
}

/** One line per packet: time, length, VLAN tag. */
function briefSink(out: TextOutput, nano: boolean): PacketSink {
  return {
    write(p: PacketView): void {
      const d = new Date(p.tsSec * 1000);
      const frac = nano ? String(p.tsNsec).padStart(9, '0') : String(Math.floor(p.tsNsec / 1000)).padStart(6, '0');
      const hh = String(d.getHours()).padStart(2, '0');
      const mm = String(d.getMinutes()).padStart(2, '0');
      const ss = String(d.getSeconds()).padStart(2, '0');
      const vlan = p.vlanValid ? `, vlan ${p.vlanTci & 0xfff}, p ${p.vlanTci >> 13}${p.vlanTci & 0x1000 ? ', DEI' : ''}, tpid 0x${p.vlanTpid.toString(16)}` : '';
      out.write(`${hh}:${mm}:${ss}.${frac} length ${p.wireLen}${vlan}\n`);
    },
    flush: () => out.flush(),
    close: () => out.flush(),
  };
}

/** How a run ended, for the summary. */
interface RunContext {
  src: Source;
  sink: PacketSink & { setInterfaceStats?(received: number, dropped: number): void };
  count: number | undefined;
  out: TextOutput;
  live: boolean;
  /** Extra stop condition checked after each batch (e.g. -W reached with -G). */
  done?: () => boolean;
}

/** Runs a source into its sink until -c, a signal, the end of a file, or a failure; returns the exit code. */
async function runSource(ctx: RunContext): Promise<number> {
  const { src, sink, out } = ctx;
  const stop = (): void => src.stop();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let remaining = ctx.count ?? Number.POSITIVE_INFINITY;
  let delivered = 0;
  const visit = (p: PacketView): void => {
    if (remaining <= 0) return;
    sink.write(p);
    delivered++;
    if (--remaining === 0) src.stop();
  };
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
  if (stats) sink.setInterfaceStats?.(stats.received, stats.dropped);
  try {
    await sink.close();
  } catch (err) {
    code = reportRuntimeError(err);
  }
  if (ctx.live && stats) printSummary({ ...stats, captured: delivered });
  if (src instanceof WorkerSource && src.failedCount() > 0) code = 1;
  return code;
}

/** Prints a runtime failure (I/O, a corrupt file, a socket error) and returns exit code 1. */
function reportRuntimeError(err: unknown): number {
  if (err instanceof SyscallError || err instanceof PcapIoError) {
    process.stderr.write(`tscap: ${err.message}\n`);
    return 1;
  }
  if (err instanceof PcapFormatError) {
    process.stderr.write(`tscap: ${currentFile}: ${err.message}\n`);
    return 1;
  }
  throw err;
}

let currentFile = '';

function parseFanout(spec: string): { mode: FanoutMode; flags: ('defrag' | 'rollover')[] } {
  const [mode = 'hash', ...rest] = spec.split('+');
  const modes = ['hash', 'lb', 'cpu', 'qm', 'rollover', 'random'];
  if (!modes.includes(mode)) throw new UsageError(`--fanout ${spec}: mode must be one of ${modes.join(', ')}`);
  for (const f of rest) if (f !== 'defrag' && f !== 'rollover') throw new UsageError(`--fanout ${spec}: flags are +defrag and +rollover`);
  return { mode: mode as FanoutMode, flags: rest as ('defrag' | 'rollover')[] };
}

async function main(argv: string[]): Promise<number> {
  const program = buildCli();
  program.exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `tscap: ${s}` : s) });
  try {
    program.parse(argv);
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
  const nano = opts.timeStampPrecision === 'nano';
  const bpf = opts.bpf === undefined ? undefined : loadBpfFile(opts.bpf);
  const files = opts as FileOptionValues;
  const ifaces = opts.interface ?? [];
  if (files.r !== undefined && ifaces.length > 0) throw new UsageError('-r and -i cannot be used together');
  if (files.r === undefined && ifaces.length === 0) throw new UsageError('no interface given: use -i IFACE, -r FILE, or -D to list interfaces');
  if (opts.workers !== undefined && ifaces.length > 1) throw new UsageError('--workers takes one interface');
  const fanout = parseFanout(opts.fanout);

  let src: Source;
  let linkType: number;
  let snaplen: number;
  let ifName: string | undefined;
  if (files.r !== undefined) {
    currentFile = files.r;
    const reader = await PacketFileReader.open(files.r);
    src = new FileSource(reader);
    linkType = reader.info.linkType;
    snaplen = reader.info.snaplen;
    process.stderr.write(`reading from file ${files.r === '-' ? '-' : files.r}, ${linkTypeText(linkType)}, snapshot length ${snaplen}\n`);
  } else {
    const ring: { blockSize?: number; blockCount?: number; blockTimeoutMs?: number } = {};
    if (opts.blockSize !== undefined) ring.blockSize = opts.blockSize;
    if (opts.blocks !== undefined) ring.blockCount = opts.blocks;
    if (opts.blockTimeout !== undefined) ring.blockTimeoutMs = opts.blockTimeout;
    snaplen = opts.snapshotLength === undefined || opts.snapshotLength === 0 ? MAX_SNAPLEN : opts.snapshotLength;
    const captureOpts = {
      engine: opts.engine as 'ring' | 'recvmsg',
      snaplen,
      promisc: opts.promiscuousMode,
      direction: (opts.direction ?? 'inout') as 'in' | 'out' | 'inout',
      ring,
      ...(opts.bufferSize !== undefined ? { bufferKiB: opts.bufferSize } : {}),
      ...(bpf !== undefined ? { filter: bpf } : {}),
      vlan: (opts.vlanMetadata ? 'metadata' : 'reinsert') as 'metadata' | 'reinsert',
    };
    if (opts.workers !== undefined) {
      linkType = ifaces[0] === 'any' ? LinkType.LINUX_SLL2 : (interfaceInfo(ifaces[0] as string).linkType ?? LinkType.EN10MB);
      const ws = new WorkerSource({ ...captureOpts, iface: ifaces[0] as string }, opts.workers, fanout.mode, fanout.flags, linkType);
      await ws.start();
      src = ws;
    } else {
      const caps = openLive(ifaces, captureOpts);
      linkType = (caps[0] as Capture).linkType;
      src = caps.length === 1 ? new LiveSource(caps[0] as Capture) : new MultiLiveSource(caps);
    }
    ifName = ifaces.join(',');
    process.stderr.write(`tscap: listening on ${ifaces.join(', ')}, ${linkTypeText(linkType)}, snapshot length ${snaplen} bytes\n`);
  }

  const out = new TextOutput(process.stdout, false, () => src.stop());
  let limitReached = false;
  const fileOpts = fileSinkOptions(files, { linkType, snaplen, nano, ...(ifName !== undefined ? { ifName } : {}) });
  let sink: RunContext['sink'];
  if (fileOpts !== undefined) {
    fileOpts.onFileLimit = () => {
      limitReached = true;
    };
    sink = createFileSink(fileOpts);
  } else {
    sink = briefSink(out, nano);
  }
  const code = await runSource({ src, sink, count: opts.count, out, live: files.r === undefined, done: () => limitReached });
  if (limitReached) process.stderr.write(`tscap: Maximum file limit reached: ${files.W ?? 0}\n`);
  return code;
}

function linkTypeText(linkType: number): string {
  return `link-type ${LINK_TYPE_NAMES[linkType] ?? linkType} (${LINK_TYPE_DESCRIPTIONS[linkType] ?? 'unknown'})`;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof CaptureOptionError) {
      process.stderr.write(`tscap: ${err.message}\n`);
      process.exitCode = 2;
    } else if (err instanceof SyscallError || err instanceof PcapIoError) {
      process.stderr.write(`tscap: ${err.message}\n`);
      process.exitCode = 1;
    } else if (err instanceof PcapFormatError) {
      process.stderr.write(`tscap: ${currentFile}: ${err.message}\n`);
      process.exitCode = 1;
    } else if (err instanceof SyscallError) {
      process.stderr.write(`tscap: ${err.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`tscap: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
