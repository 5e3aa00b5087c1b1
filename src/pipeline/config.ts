/**
 * A pipeline's configuration: plain data (no functions, no open handles), so that it can be written
 * by hand, kept in a file, or sent to a worker thread that builds the same pipeline on its own packets.
 * `checkCaptureConfig` and `checkPipelineConfig` are the one place where these options are checked;
 * their errors are `CaptureOptionError`s naming the option as written here (`workers`, `direction`...).
 */
import type { Direction, FanoutMode } from '../capture/capture.js';
import { CaptureOptionError, MAX_SNAPLEN, MAX_WORKERS } from '../capture/errors.js';
import type { TimestampType } from '../capture/timestamp.js';
import type { BpfProgram } from '../filter/bpf.js';
import type { PrintOptions } from '../decode/print.js';
import type { SummaryKind } from '../sinks/summary-kind.js';

/** How a live capture reads its interfaces (plain data; see `CaptureOptions` for each field). */
export interface CaptureConfig {
  /** `ring` (TPACKET_V3, default) or `recvmsg`. */
  engine?: 'ring' | 'recvmsg';
  /** Bytes kept of each packet; 0 or absent: 262144. */
  snaplen?: number;
  /** Promiscuous mode (default true). */
  promisc?: boolean;
  direction?: Direction;
  /** Capture buffer size in KiB. */
  bufferKiB?: number;
  /** Ring geometry; what is left out follows `immediate`. */
  ring?: { blockSize?: number; blockCount?: number; blockTimeoutMs?: number };
  /**
   * Packets must reach the sinks promptly (printing to a terminal, forwarding). When false the ring
   * is read in bigger, later batches (4 MiB blocks retired after 100 ms). Default true.
   */
  immediate?: boolean;
  /** VLAN tags stripped by the kernel: put back into the bytes (default) or reported as metadata. */
  vlan?: 'metadata' | 'reinsert';
  /** A link type the interface offers other than its own (tcpdump's -y). */
  linkType?: number;
  timestampType?: TimestampType;
  /** Bind again when an interface goes away and comes back. */
  reopen?: boolean;
  /** Join this PACKET_FANOUT group (each worker of a pipeline with workers does). */
  fanout?: { group: number; mode: FanoutMode; flags: ('defrag' | 'rollover')[] };
}

/** Options of `-i nfqueue:N` sources. */
export interface QueueConfig {
  /** pcap-filter expression: matching packets are dropped, others accepted. */
  drop?: string;
  /** Unanswered packets and a full queue drop instead of accepting. */
  failClosed?: boolean;
  verdictTimeoutMs?: number;
  maxLen?: number;
  gso?: boolean;
}

/** Where packets come from. */
export type SourceConfig =
  | {
      kind: 'live';
      /** Interface names (`any` for all); `nfqueue:N[-M]` and `nflog:G` read netfilter instead. */
      interfaces: string[];
      capture?: CaptureConfig;
      /** Worker threads in a PACKET_FANOUT group (one interface only). */
      workers?: number;
      /** Fanout mode and flags as `mode[+flag...]`: hash (default), lb, cpu, qm, rollover, random; +defrag, +rollover. */
      fanout?: string;
      /**
       * With workers: send every packet to the main thread and run the sinks there once, on one
       * stream in timestamp order. Without it each worker runs the sinks on its own packets.
       * A single output file (`file.path` without `%w`), --stats, summaries and forwarding need it and imply it.
       */
      merge?: boolean;
      /** For `nfqueue:` sources. */
      queue?: QueueConfig;
    }
  | { kind: 'file'; /** A pcap or pcapng file; `-` for stdin. */ path: string };

/** What prints each packet on the output stream. */
export type PrintConfig =
  | {
      kind: 'text';
      /** The printer's options (plain fields only; names and ESP come from the fields below). */
      options: Omit<PrintOptions, 'ifName' | 'names' | 'esp' | 'showInterface' | 'noChecksum'>;
      /** Resolve addresses and ports to names; `stripDomain`: print only the host part (-N). */
      names?: { stripDomain: boolean };
      /** ESP secrets, as tcpdump's -E takes them. */
      esp?: string;
      /** Do not verify checksums (-K). */
      noChecksum?: boolean;
    }
  | { kind: 'json' }
  /** Only the number of packets, printed at the end (for files). */
  | { kind: 'count' };

/** The output file (`createFileSink` options; link type, snaplen and precision come from the source). */
export interface FileConfig {
  /** Path, `-` for stdout; with workers, `%w` in it gives each worker its own file. */
  path: string;
  pcapng?: boolean;
  flushEachPacket?: boolean;
  fileSizeMB?: number;
  rotateSeconds?: number;
  fileCount?: number;
}

/** A whole pipeline: source → filter → sinks, and when to stop. */
export interface PipelineConfig {
  source: SourceConfig;
  /** pcap-filter expression; in the kernel for live captures, here for files. */
  filter?: string;
  /** A ready classic BPF program instead of `filter`. */
  bpf?: BpfProgram;
  /** Run the filter optimizer (default true). */
  optimize?: boolean;
  /** Stop after this many packets. */
  count?: number;
  /** Nanosecond timestamps in files and text (default microseconds). */
  nano?: boolean;
  /** Print packets (text, JSON or a count) on the output stream. */
  print?: PrintConfig;
  /** Write each batch of output as soon as each line is made (-l). */
  lineBuffered?: boolean;
  file?: FileConfig;
  /** Files: a progress line on the diagnostics stream when it is a terminal and the file is large. */
  progress?: boolean;
  /** Live statistics every `intervalMs`; `tty` redraws in place. */
  stats?: { intervalMs: number; tty: boolean };
  /** Summaries printed on the diagnostics stream at the end. */
  summary?: { kinds: SummaryKind[]; json: boolean; maxRows?: number; maxEntries?: number };
  /** Most flows kept for `stats` without `summary`. */
  maxFlows?: number;
  /** Copies of every frame sent on: out of interfaces (`mirror`) or to URLs (`export`); `sendThread` as the library option (default: a thread with 4 CPUs or more). */
  forward?: { mirror?: string[]; export?: string[]; gro?: boolean; exportSnaplen?: number; sendThread?: boolean };
}

/**
 * Whether fanout workers can append to one file together (each whole batch under a lock): a classic
 * pcap file by name, without rotation. pcapng (one section and interface block, statistics at the
 * end), rotation and `-w -` need the merged stream.
 */
export function sharedFileWritable(f: FileConfig): boolean {
  return f.path !== '-' && !f.path.includes('%w') && f.pcapng !== true && !/\.pcapng$/i.test(f.path) && !((f.fileSizeMB ?? 0) > 0) && !((f.rotateSeconds ?? 0) > 0);
}

/**
 * Whether a pipeline with workers must bring every packet to the main thread (one merged stream in
 * timestamp order): asked for, or needed by an output file the workers cannot share (pcapng,
 * rotation, stdout), io summaries, forwarding or a total count. Otherwise each worker runs the sinks
 * on its own packets; a packet count (`-c`) is then one counter they share, the other summaries are
 * added up from each worker's counters at the end, and the live statistics from the largest flows
 * each worker reports.
 */
export function needsMerge(config: PipelineConfig): boolean {
  const s = config.source;
  if (s.kind !== 'live' || s.workers === undefined) return false;
  return (
    s.merge === true ||
    (config.file !== undefined && !config.file.path.includes('%w') && !sharedFileWritable(config.file)) ||
    // io intervals start at the first packet of all: the workers' series cannot be added up
    (config.summary?.kinds.some((k) => k.kind === 'io') ?? false) ||
    (config.forward?.mirror?.length ?? 0) + (config.forward?.export?.length ?? 0) > 0 ||
    config.print?.kind === 'count'
  );
}

/** The fanout modes `SourceConfig.fanout` takes. */
const FANOUT_MODE_NAMES = ['hash', 'lb', 'cpu', 'qm', 'rollover', 'random'];

/** A `mode[+flag...]` fanout spec as mode and flags; throws CaptureOptionError (`fanout`). */
export function parseFanout(spec: string): { mode: FanoutMode; flags: ('defrag' | 'rollover')[] } {
  const [mode = 'hash', ...rest] = spec.split('+');
  if (!FANOUT_MODE_NAMES.includes(mode)) throw new CaptureOptionError(`fanout ${spec}: mode must be one of ${FANOUT_MODE_NAMES.join(', ')}`, 'fanout');
  for (const f of rest) if (f !== 'defrag' && f !== 'rollover') throw new CaptureOptionError(`fanout ${spec}: flags are +defrag and +rollover`, 'fanout');
  return { mode: mode as FanoutMode, flags: rest as ('defrag' | 'rollover')[] };
}

/** The snapshot length a capture config asks for (0 or absent: the largest). */
export function snaplenOf(c: CaptureConfig | undefined): number {
  return c?.snaplen === undefined || c.snaplen === 0 ? MAX_SNAPLEN : c.snaplen;
}

/** Checks the capture options that need no interface; throws CaptureOptionError naming the option. */
export function checkCaptureConfig(c: CaptureConfig | undefined): void {
  if (c === undefined) return;
  if (c.engine !== undefined && c.engine !== 'ring' && c.engine !== 'recvmsg') throw new CaptureOptionError(`engine ${String(c.engine)}: must be ring or recvmsg`, 'engine');
  if (c.direction !== undefined && c.direction !== 'in' && c.direction !== 'out' && c.direction !== 'inout') {
    throw new CaptureOptionError(`direction ${String(c.direction)}: must be in, out or inout`, 'direction');
  }
}

/** Checks a whole configuration before anything is opened; throws CaptureOptionError naming the option. */
export function checkPipelineConfig(config: PipelineConfig): void {
  const s = config.source;
  if (s.kind === 'live') {
    checkCaptureConfig(s.capture);
    if (s.workers !== undefined) {
      if (!Number.isInteger(s.workers) || s.workers < 1 || s.workers > MAX_WORKERS) throw new CaptureOptionError(`workers ${s.workers}: must be 1..${MAX_WORKERS}`, 'workers');
      if (s.interfaces.length > 1) throw new CaptureOptionError('workers takes one interface', 'workers');
    }
    parseFanout(s.fanout ?? 'hash');
  }
  if (config.bpf !== undefined && config.filter !== undefined && config.filter !== '') throw new CaptureOptionError('bpf and filter cannot be used together', 'bpf');
  if (config.count !== undefined && (!Number.isSafeInteger(config.count) || config.count < 1)) throw new CaptureOptionError(`count ${config.count}: must be a whole number from 1`, 'count');
}
