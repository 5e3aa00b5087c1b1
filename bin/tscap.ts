#!/usr/bin/env node
/**
 * The tscap command: tcpdump's habits (flags, output, summary, exit codes) over tscap's engines.
 * Exit 0 on a normal stop (including Ctrl-C and a closed output pipe), 1 on a runtime failure, 2 on a
 * usage or filter error. Data goes to stdout; diagnostics and the summary go to stderr.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
// Only what every command needs is imported here; the rest is imported by the mode that uses it, so
// that `--version` or reading a file does not load the native bindings, the filter compiler or the printers.
import type { Direction } from '../src/capture/capture.js';
import { CaptureOptionError, MAX_SNAPLEN } from '../src/capture/errors.js';
import type { BpfProgram } from '../src/filter/bpf.js';
import { FilterError } from '../src/filter/errors.js';
import { PcapFormatError } from '../src/pcap/errors.js';
import { LinkType } from '../src/pcap/linktype.js';
import { checkCaptureConfig, checkPipelineConfig, snaplenOf, type CaptureConfig, type PipelineConfig, type SourceConfig } from '../src/pipeline/config.js';
import { InlineSpecError, parseInlineSpec } from '../src/pipeline/inline-spec.js';
import { isRuntimeError } from '../src/pipeline/pipeline.js';
import { VERSION } from '../src/version.js';
import { addFileOptions, fileConfigFrom, type FileOptionValues } from './file-options.js';
import { SendThreadOptionError, sendThreadOption } from './forward-options.js';
import { FilterOptionsError, addFilterOptions, dumpProgram, filterExpression, linkTypeOption, type FilterCliOptions } from './filter-options.js';
import { PrintOptionError, addPrintOptions, preprocessArgv, printOptionsFrom } from './print-options.js';
import { addSensorOptions, checkPrivilegeUser, relinquishPrivileges, type SensorOptionValues } from './sensor-options.js';
import { addStatsOptions, statsIntervalFrom, summaryKindsFrom, type StatsOptionValues } from './stats-options.js';
import { addTcpdumpOptions, rewriteLegacyCount, timestampTypeOption, type TcpdumpOptionValues } from './tcpdump-options.js';

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
    .option('-B, --buffer-size <KiB>', 'capture buffer size in KiB (default 32768; 131072 with --mirror or --export)', intArg('-B', 1, 4 * 1024 * 1024))
    .option('--block-size <bytes>', 'ring block size (multiple of the page size)', intArg('--block-size', 1, 2 ** 31))
    .option('--blocks <n>', 'number of ring blocks', intArg('--blocks', 1, 1 << 20))
    .option('--block-timeout <ms>', 'ring block retire timeout in ms', intArg('--block-timeout', 1, 60_000))
    .option('--immediate-mode', 'hand packets over within 10 ms (the default when printing to a terminal, with -U, -l, --mirror or --export)')
    .option('--engine <engine>', 'ring (TPACKET_V3, default) or recvmsg', 'ring')
    .option(
      '--workers <n>',
      'read with N worker threads in a PACKET_FANOUT group; each filters, prints and writes its own packets (lines of different workers are not in time order; -w NAME%w: one file per worker)',
      intArg('--workers', 0, 1000),
    )
    .option('--merge', 'with --workers: bring every packet to one thread, in timestamp order (implied by a pcapng, rotated or stdout -w without %w, --summary io,N, --count, --mirror, --export)')
    .option('--fanout <mode>', 'fanout mode: hash (default), lb, cpu, qm, rollover, random; add +defrag or +rollover', 'hash')
    .option('--vlan-metadata', 'keep frames as the kernel gives them (tag stripped) and report the tag as metadata')
    .option('--bpf <file>', 'attach a classic BPF program in `tcpdump -ddd` format')
    .option('--mirror <iface>', 'send every captured frame out of IFACE (repeatable)', collect)
    .option('--in-kernel', 'with one --mirror: mirror in the kernel (tc: the compiled filter in cls_bpf, action mirred), capturing nothing')
    .option('--export <url>', 'export frames: udp://HOST:PORT[?vni=N][&gso=0] (VXLAN; equal-length datagrams go out together with UDP GSO unless gso=0) or tcp://HOST:PORT[?format=pcapng] (repeatable)', collect)
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
    inKernel?: boolean;
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

/**
 * Whether packets must reach the output promptly: tcpdump's immediate mode, which it also uses when
 * printing to a terminal. Otherwise the ring is read in bigger, later batches.
 */
function immediateMode(opts: Opts): boolean {
  const printsToTerminal = process.stdout.isTTY === true && (opts.w === undefined || opts.print === true);
  const forwarding = (opts.mirror?.length ?? 0) > 0 || (opts.export?.length ?? 0) > 0;
  return opts.immediateMode === true || opts.lineBuffered === true || opts.packetBuffered === true || printsToTerminal || forwarding;
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
    process.stdout.write((await import('./interface-lists.js')).interfaceListText());
    return 0;
  }
  const tsChecked = opts.timeStampType === undefined ? undefined : timestampTypeOption(opts.timeStampType);
  const capture: CaptureConfig = {
    engine: opts.engine as 'ring',
    promisc: opts.promiscuousMode,
    ...(opts.snapshotLength !== undefined ? { snaplen: opts.snapshotLength } : {}),
    ...(opts.direction !== undefined ? { direction: opts.direction as Direction } : {}),
    ...(opts.bufferSize !== undefined ? { bufferKiB: opts.bufferSize } : {}),
    ring: {
      ...(opts.blockSize !== undefined ? { blockSize: opts.blockSize } : {}),
      ...(opts.blocks !== undefined ? { blockCount: opts.blocks } : {}),
      ...(opts.blockTimeout !== undefined ? { blockTimeoutMs: opts.blockTimeout } : {}),
    },
    immediate: immediateMode(opts),
    vlan: opts.vlanMetadata ? 'metadata' : 'reinsert',
    ...(tsChecked?.ok === true ? { timestampType: tsChecked.type } : {}),
    ...(opts.reopen === true ? { reopen: true } : {}),
  };
  checkCaptureConfig(capture);
  if (opts.timeStampPrecision !== 'micro' && opts.timeStampPrecision !== 'nano') {
    throw new UsageError(`--time-stamp-precision ${opts.timeStampPrecision}: must be micro or nano`);
  }
  if (tsChecked !== undefined && !tsChecked.ok) throw new UsageError(tsChecked.message);
  if (opts.E !== undefined) {
    const { EspSpecError, parseEspSecrets } = await import('../src/sinks/esp.js');
    try {
      parseEspSecrets(opts.E);
    } catch (err) {
      if (err instanceof EspSpecError) throw new UsageError(err.message);
      throw err;
    }
  }
  const nano = opts.timeStampPrecision === 'nano';
  const expr = filterExpression(opts, program.args).trim();
  lastExpr = expr;
  const { Pipeline, compileChecked, liveLinkType, loadBpfFile } = await import('../src/pipeline/pipeline.js');
  const bpf = opts.bpf === undefined ? undefined : await loadBpfFile(opts.bpf);
  if (bpf !== undefined && expr !== '') throw new UsageError('--bpf and a filter expression cannot be used together');
  const ifaces = opts.interface ?? [];
  if (opts.listTimeStampTypes === true || opts.listDataLinkTypes === true) {
    const { dataLinkTypesText, defaultInterface, timestampTypesText } = await import('./interface-lists.js');
    const { interfaceInfo } = await import('../src/capture/interfaces.js');
    const name = ifaces[0] ?? defaultInterface();
    if (name === undefined) throw new UsageError('no suitable device found');
    if (name !== 'any') interfaceInfo(name); // ENODEV as a runtime failure, as for a capture
    // tcpdump writes both lists to stderr.
    process.stderr.write(opts.listTimeStampTypes === true ? timestampTypesText(name) : dataLinkTypesText(name));
    return 0;
  }
  if (opts.r !== undefined && ifaces.length > 0) throw new UsageError('-r and -i cannot be used together');
  const source: SourceConfig =
    opts.r !== undefined
      ? { kind: 'file', path: opts.r }
      : {
          kind: 'live',
          interfaces: ifaces,
          capture,
          fanout: opts.fanout,
          ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
          ...(opts.merge === true ? { merge: true } : {}),
        };
  const linktype = opts.linktype === undefined ? undefined : linkTypeOption(opts.linktype);
  const config: PipelineConfig = { source, nano, ...(expr !== '' ? { filter: expr } : {}), ...(bpf !== undefined ? { bpf } : {}), ...(opts.optimize === false ? { optimize: false } : {}) };
  checkPipelineConfig(config);

  // -d, -dd, -ddd: print the program and exit.
  if (opts.d > 0) {
    let linkType: number = LinkType.EN10MB;
    let live = false;
    if (linktype !== undefined) {
      linkType = linktype;
      live = ifaces.length > 0; // `-i any -y LINUX_SLL -d`: the live form for that link type
    } else if (opts.r !== undefined) {
      const { PacketFileReader } = await import('../src/pcap/reader.js');
      const reader = await PacketFileReader.open(opts.r);
      linkType = reader.info.linkType;
      await reader.close();
    } else if (ifaces.length > 0) {
      linkType = await liveLinkType(ifaces[0] as string);
      live = true;
    }
    process.stdout.write(dumpProgram(bpf ?? await compileChecked(expr, { linkType, snaplen: snaplenOf(capture), optimize: opts.optimize, live }), opts.d));
    return 0;
  }
  if (opts.r === undefined && ifaces.length === 0) {
    // As tcpdump: the best-ranked interface (up, running, not loopback).
    const name = (await import('./interface-lists.js')).defaultInterface();
    if (name === undefined) throw new UsageError('no suitable device found');
    ifaces.push(name);
  }
  await checkPrivilegeUser(opts);
  const inline = ifaces.length > 0 ? parseInlineSpec(ifaces[0] as string) : undefined;
  if (inline !== undefined && ifaces.length > 1) throw new UsageError(`-i ${ifaces[0] as string} takes no other -i`);
  if (inline?.kind !== 'nfqueue' && (opts.drop !== undefined || opts.failClosed === true || opts.verdictTimeout !== undefined || opts.queueMaxlen !== undefined || opts.gso === true)) {
    throw new UsageError('--drop, --fail-closed, --verdict-timeout, --queue-maxlen and --gso need -i nfqueue:N');
  }
  if (inline !== undefined && (opts.workers !== undefined || bpf !== undefined)) throw new UsageError(`-i ${ifaces[0] as string}: --workers and --bpf do not apply`);
  if (opts.gro === true && (opts.mirror?.length ?? 0) + (opts.export?.length ?? 0) === 0) throw new UsageError('--gro needs --mirror or --export');
  if (opts.exportSnaplen !== undefined && (opts.export?.length ?? 0) === 0) throw new UsageError('--export-snaplen needs --export');
  const sendThread = sendThreadOption(opts.sendThread);
  if (source.kind === 'live') {
    if (linktype !== undefined) capture.linkType = linktype;
    if (inline?.kind === 'nfqueue') {
      source.queue = {
        ...(opts.drop !== undefined ? { drop: opts.drop } : {}),
        failClosed: opts.failClosed === true,
        gso: opts.gso === true,
        ...(opts.verdictTimeout !== undefined ? { verdictTimeoutMs: opts.verdictTimeout } : {}),
        ...(opts.queueMaxlen !== undefined ? { maxLen: opts.queueMaxlen } : {}),
      };
    }
  }

  const forwarding = (opts.mirror?.length ?? 0) + (opts.export?.length ?? 0) > 0;
  if (forwarding) {
    config.forward = {
      mirror: opts.mirror ?? [],
      export: opts.export ?? [],
      gro: opts.gro === true,
      ...(opts.exportSnaplen !== undefined ? { exportSnaplen: opts.exportSnaplen } : {}),
      ...sendThread,
    };
  }
  const file = fileConfigFrom(opts);
  if (file !== undefined) config.file = file;
  const printing = opts.print === true || (file === undefined && !forwarding);
  if (printing) {
    config.print =
      opts.count === true
        ? { kind: 'count' }
        : opts.json === true
          ? { kind: 'json' }
          : {
              kind: 'text',
              options: printOptionsFrom(opts, nano),
              ...(opts.n !== true ? { names: { stripDomain: opts.N === true } } : {}),
              ...(opts.E !== undefined ? { esp: opts.E } : {}),
              ...(opts.dontVerifyChecksums === true ? { noChecksum: true } : {}),
            };
  }
  if (opts.lineBuffered === true) config.lineBuffered = true;
  if (opts.c !== undefined) config.count = opts.c;
  const stderrTTY = process.stderr.isTTY === true;
  const printingToTerminal = printing && process.stdout.isTTY === true;
  if (opts.r !== undefined && opts.q !== true && stderrTTY && !printingToTerminal) config.progress = true;
  const kinds = summaryKindsFrom(opts);
  if (kinds.length > 0) {
    config.summary = {
      kinds,
      json: opts.json === true,
      ...(opts.summaryRows !== undefined ? { maxRows: opts.summaryRows } : {}),
      ...(opts.maxFlows !== undefined ? { maxEntries: opts.maxFlows } : {}),
    };
  }
  const every = statsIntervalFrom(opts);
  if (every !== undefined) config.stats = { intervalMs: every * 1000, tty: stderrTTY && !printingToTerminal };
  if (opts.maxFlows !== undefined) config.maxFlows = opts.maxFlows;

  if (opts.inKernel === true) return mirrorInKernel(opts, config, expr, bpf);
  if (opts.r !== undefined) currentFile = opts.r;
  // Installed before the pipeline opens: "listening on" is printed inside `open`, which may still
  // await (lazy imports of the sinks) afterwards, and a signal in that window must not meet Node's
  // default action. One that comes early is kept and honoured as soon as the pipeline exists.
  let pipeline: Awaited<ReturnType<typeof Pipeline.open>> | undefined;
  let finishRequested = false;
  const onUsr2 = (): void => pipeline?.printStatsNow();
  const stop = (): void => {
    if (pipeline === undefined) finishRequested = true;
    else pipeline.finish();
  };
  process.on('SIGUSR2', onUsr2);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let result;
  try {
    const p = (pipeline = await Pipeline.open(config));
    if (finishRequested) p.finish();
    // Every socket, ring, file and worker is open: give up root now (-Z).
    try {
      await relinquishPrivileges(opts, (user) => p.dropPrivileges(user), (m) => process.stderr.write(`tscap: ${m}\n`));
    } catch (err) {
      // A drop that failed half way may leave threads with root's ids or capabilities, and running
      // worker threads keep the process alive: nothing may go on, so end here (stderr is written synchronously).
      process.exit(fail(err));
    }
    result = await pipeline.run();
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.off('SIGUSR2', onUsr2);
  }
  if (result.fileLimitReached) process.stderr.write(`tscap: Maximum file limit reached: ${opts.W ?? 0}\n`);
  return result.errors.length > 0 ? 1 : 0;
}

/**
 * `--mirror IF --in-kernel`: the kernel mirrors, tscap only sets it up, waits for a signal and
 * reports. Everything that needs frames in userspace is refused.
 */
async function mirrorInKernel(opts: Opts, config: PipelineConfig, expr: string, bpf: BpfProgram | undefined): Promise<number> {
  const mirrors = opts.mirror ?? [];
  if (mirrors.length !== 1) throw new UsageError('--in-kernel needs exactly one --mirror');
  const src = config.source;
  const iface = src.kind === 'live' && src.interfaces.length === 1 ? (src.interfaces[0] as string) : undefined;
  if (iface === undefined || iface === 'any' || parseInlineSpec(iface) !== undefined) throw new UsageError('--in-kernel mirrors one interface: -i IFACE (not any, a queue or a file)');
  const taken: [boolean, string][] = [
    [config.file !== undefined, '-w'],
    [config.print !== undefined, '--print'],
    [(opts.export?.length ?? 0) > 0, '--export'],
    [config.summary !== undefined, '--summary'],
    [config.stats !== undefined, '--stats'],
    [config.count !== undefined, '-c'],
    [opts.gro === true, '--gro'],
    [opts.workers !== undefined, '--workers'],
    [opts.direction !== undefined, '-Q'],
    [opts.snapshotLength !== undefined, '-s'],
    [opts.sendThread !== 'auto', '--send-thread'],
    [opts.relinquishPrivileges !== undefined, '-Z'], // removing the filters at the end needs CAP_NET_ADMIN
  ];
  const clash = taken.filter(([set]) => set).map(([, flag]) => flag);
  if (clash.length > 0) throw new UsageError(`--in-kernel captures nothing: it cannot go with ${clash.join(', ')}`);
  const { runKernelMirror } = await import('../src/pipeline/kernel-mirror.js');
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  // Every ending signal takes the filters down; a hangup too, so a closed terminal leaves none behind.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, stop);
  try {
    const to = mirrors[0] as string;
    const stats = await runKernelMirror({
      iface,
      to,
      ...(expr !== '' ? { filter: expr } : {}),
      ...(bpf !== undefined ? { bpf } : {}),
      optimize: opts.optimize !== false,
      promisc: opts.promiscuousMode,
      signal: ac.signal,
      onStart: (hooks) => process.stderr.write(`mirroring ${iface} to ${to} in the kernel (tc filters on ${hooks.join(', ')})\n`),
    });
    process.stderr.write(`${stats.packets} packets mirrored to ${to} in the kernel (${stats.dropped} dropped)\n`);
    return 0;
  } finally {
    for (const s of signals) process.off(s, stop);
  }
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
  fanout: '--fanout',
  bpf: '--bpf',
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
    process.stderr.write(`tscap: ${err.format((err as FilterError & { expression?: string }).expression ?? lastExpr)}\n`);
    return 2;
  }
  if (err instanceof CaptureOptionError) {
    process.stderr.write(`tscap: ${cliOptionMessage(err)}\n`);
    return 2;
  }
  if (err instanceof Error && err.name === 'QueueError') {
    process.stderr.write(`tscap: ${err.message}\n`);
    return 1;
  }
  if (err instanceof UsageError || err instanceof FilterOptionsError || err instanceof InlineSpecError || err instanceof SendThreadOptionError || err instanceof PrintOptionError) {
    process.stderr.write(`tscap: ${err.message}\n`);
    return 2;
  }
  if (isRuntimeError(err)) {
    process.stderr.write(`tscap: ${err instanceof PcapFormatError ? `${currentFile}: ` : ''}${err.message}\n`);
    return 1;
  }
  process.stderr.write(`tscap: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}

/** The filter expression, for the caret under a FilterError's position. */
let lastExpr = '';
/** The file being read, for a corrupt file's message. */
let currentFile = '';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = fail(err);
  },
);
