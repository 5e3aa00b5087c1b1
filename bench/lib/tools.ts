/**
 * What the benchmark runs: the capture and offline command lines of tscap and of the tools it is
 * compared with, which tscap flags each one needs (found at run time from `tscap --help`), and how
 * each tool's closing summary is read.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSync } from './proc.js';

/** The repository root (bench/lib/../..). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built CLI the benchmark measures. */
export const TSCAP_JS = resolve(ROOT, 'dist', 'bin', 'tscap.js');

/** tscap options a configuration may need; each is looked for in `--help`. */
export const TSCAP_FLAGS = {
  write: /^\s+-w[,\s]/m,
  numeric: /^\s+-n[,\s]/m,
  json: /^\s+(?:-\w, )?--json\b/m,
  read: /^\s+-r[,\s]/m,
  filter: /^\s+-f[,\s]/m,
  engine: /^\s+(?:-\w, )?--engine\b/m,
  workers: /^\s+(?:-\w, )?--workers\b/m,
  stats: /^\s+(?:-\w, )?--stats\b/m,
} as const;

/** A tscap option the benchmark knows. */
export type TscapFlag = keyof typeof TSCAP_FLAGS;

/** Which of `TSCAP_FLAGS` the built CLI offers, and the help text they were read from. */
export function detectTscapFlags(): { flags: Set<TscapFlag>; help: string; error?: string } {
  if (!existsSync(TSCAP_JS)) return { flags: new Set(), help: '', error: `${TSCAP_JS} missing: run npm run build` };
  const r = runSync([process.execPath, TSCAP_JS, '--help']);
  const help = r.stdout + r.stderr;
  const flags = new Set<TscapFlag>();
  for (const [name, re] of Object.entries(TSCAP_FLAGS) as Array<[TscapFlag, RegExp]>) if (re.test(help)) flags.add(name);
  return r.status === 0 ? { flags, help } : { flags, help, error: `tscap --help exited ${r.status}` };
}

/** External tools and the Debian package that provides each. */
export const TOOL_PACKAGES: Record<string, string> = {
  tcpdump: 'tcpdump',
  tshark: 'tshark',
  'netsniff-ng': 'netsniff-ng',
  trafgen: 'netsniff-ng',
  iperf3: 'iperf3',
  taskset: 'util-linux',
  ip: 'iproute2',
  python3: 'python3',
};

/** True when `cmd` is on PATH. */
export function haveCommand(cmd: string): boolean {
  return runSync(['sh', '-c', `command -v ${cmd}`]).status === 0;
}

/** The family of a tool, for summary parsing and for pairing ratios. */
export type Family = 'tscap' | 'tcpdump' | 'netsniff-ng' | 'tshark';

/** The command used for a family's executable. */
function exe(family: Family): string[] {
  return family === 'tscap' ? [process.execPath, TSCAP_JS] : [family];
}

/** A live capture configuration. */
export interface LiveTool {
  id: string;
  /** The command as a reader would type it. */
  label: string;
  family: Family;
  requires: readonly TscapFlag[];
  /** Where stdout goes: /dev/null, or a pipe when the tool prints its summary there. */
  stdout: 'ignore' | 'pipe';
  /** True when it writes `file`. */
  writesFile: boolean;
  /** The tcpdump configuration its ratio is taken against. */
  baseline?: string;
  /** Note printed under the table. */
  note?: string;
  /** A stopgap configuration, left out once tscap offers this flag. */
  retiredBy?: TscapFlag;
  argv(iface: string, file: string): string[];
}

/** The live configurations, tscap's first; the order is the alternation order. */
export const LIVE_TOOLS: readonly LiveTool[] = [
  {
    id: 'tscap-w-null',
    label: 'tscap -w /dev/null',
    family: 'tscap',
    requires: ['write'],
    stdout: 'ignore',
    writesFile: false,
    baseline: 'tcpdump-w-null',
    argv: (i) => [...exe('tscap'), '-i', i, '-w', '/dev/null'],
  },
  {
    id: 'tscap-w-file',
    label: 'tscap -w FILE',
    family: 'tscap',
    requires: ['write'],
    stdout: 'ignore',
    writesFile: true,
    baseline: 'tcpdump-w-file',
    argv: (i, f) => [...exe('tscap'), '-i', i, '-w', f],
  },
  {
    id: 'tscap-n',
    label: 'tscap -n > /dev/null',
    family: 'tscap',
    requires: ['numeric'],
    stdout: 'ignore',
    writesFile: false,
    baseline: 'tcpdump-n',
    argv: (i) => [...exe('tscap'), '-i', i, '-n'],
  },
  {
    id: 'tscap-json',
    label: 'tscap --json > /dev/null',
    family: 'tscap',
    requires: ['json'],
    stdout: 'ignore',
    writesFile: false,
    baseline: 'tcpdump-n',
    note: 'tscap --json is compared with tcpdump -n (tcpdump has no JSON output)',
    argv: (i) => [...exe('tscap'), '-i', i, '--json'],
  },
  {
    id: 'tscap-recvmsg-w-null',
    label: 'tscap --engine recvmsg -w /dev/null',
    family: 'tscap',
    requires: ['write', 'engine'],
    stdout: 'ignore',
    writesFile: false,
    baseline: 'tcpdump-w-null',
    argv: (i) => [...exe('tscap'), '--engine', 'recvmsg', '-i', i, '-w', '/dev/null'],
  },
  {
    id: 'tscap-workers2-w-null',
    label: 'tscap --workers 2 -w /dev/null',
    family: 'tscap',
    requires: ['write', 'workers'],
    stdout: 'ignore',
    writesFile: false,
    baseline: 'tcpdump-w-null',
    note: 'two reader threads in a PACKET_FANOUT group, each appending its own batches to the one file (no merge)',
    argv: (i) => [...exe('tscap'), '-i', i, '--workers', '2', '-w', '/dev/null'],
  },
  {
    id: 'tscap-workers2-merge-w-null',
    label: 'tscap --workers 2 --merge -w /dev/null',
    family: 'tscap',
    requires: ['write', 'workers'],
    stdout: 'ignore',
    writesFile: false,
    baseline: 'tcpdump-w-null',
    note: 'two reader threads merged in timestamp order on the main thread',
    argv: (i) => [...exe('tscap'), '-i', i, '--workers', '2', '--merge', '-w', '/dev/null'],
  },
  {
    id: 'tscap-workers2-n',
    label: 'tscap --workers 2 -n > /dev/null',
    family: 'tscap',
    requires: ['numeric', 'workers'],
    stdout: 'ignore',
    writesFile: false,
    baseline: 'tcpdump-n',
    note: 'two threads, each printing its own packets (compare with tscap -n)',
    argv: (i) => [...exe('tscap'), '-i', i, '--workers', '2', '-n'],
  },
  {
    id: 'tscap-workers4-n',
    label: 'tscap --workers 4 -n > /dev/null',
    family: 'tscap',
    requires: ['numeric', 'workers'],
    stdout: 'ignore',
    writesFile: false,
    baseline: 'tcpdump-n',
    note: 'four threads, each printing its own packets; on a machine with fewer cores they share them',
    argv: (i) => [...exe('tscap'), '-i', i, '--workers', '4', '-n'],
  },
  {
    id: 'tscap-stats-w-null',
    label: 'tscap --stats 1 -w /dev/null',
    family: 'tscap',
    requires: ['write', 'stats'],
    stdout: 'ignore',
    writesFile: false,
    baseline: 'tcpdump-w-null',
    note: 'the cost of --stats: compare with tscap -w /dev/null',
    argv: (i) => [...exe('tscap'), '-i', i, '--stats', '1', '-w', '/dev/null'],
  },
  {
    id: 'tcpdump-w-null',
    label: 'tcpdump -w /dev/null -B 65536',
    family: 'tcpdump',
    requires: [],
    stdout: 'ignore',
    writesFile: false,
    argv: (i) => ['tcpdump', '-i', i, '-w', '/dev/null', '-B', '65536'],
  },
  {
    id: 'tcpdump-w-file',
    label: 'tcpdump -w FILE -B 65536',
    family: 'tcpdump',
    requires: [],
    stdout: 'ignore',
    writesFile: true,
    argv: (i, f) => ['tcpdump', '-i', i, '-w', f, '-B', '65536'],
  },
  {
    id: 'tcpdump-n',
    label: 'tcpdump -n > /dev/null',
    family: 'tcpdump',
    requires: [],
    stdout: 'ignore',
    writesFile: false,
    argv: (i) => ['tcpdump', '-i', i, '-n'],
  },
  {
    id: 'netsniff-ng',
    label: 'netsniff-ng --out /dev/null --silent',
    family: 'netsniff-ng',
    requires: [],
    stdout: 'pipe',
    writesFile: false,
    argv: (i) => ['netsniff-ng', '--in', i, '--out', '/dev/null', '--silent'],
  },
  {
    id: 'tshark-w-null',
    label: 'tshark -w /dev/null',
    family: 'tshark',
    requires: [],
    stdout: 'ignore',
    writesFile: false,
    note: 'tshark captures through a dumpcap child: CPU and RSS are summed over both processes',
    argv: (i) => ['tshark', '-i', i, '-w', '/dev/null'],
  },
];

/** A tool's closing counts. */
export interface CaptureSummary {
  captured: number;
  dropped: number | null;
}

function num(re: RegExp, text: string): number | null {
  const m = re.exec(text);
  return m ? Number(m[1]) : null;
}

/**
 * Reads a tool's closing summary: tcpdump's and tscap's three lines, tshark's "N packets captured"
 * (and "N packets dropped" when it reports any), netsniff-ng's "passed filter" minus "unread on exit".
 */
export function parseSummary(family: Family, stdout: string, stderr: string): CaptureSummary | null {
  if (family === 'netsniff-ng') {
    const text = stdout + stderr;
    const passed = num(/(\d+)\s+packets passed filter/, text);
    if (passed === null) return null;
    const unread = num(/\((\d+) unread on exit\)/, text) ?? 0;
    return { captured: passed - unread, dropped: num(/(\d+)\s+packets failed filter \(out of space\)/, text) };
  }
  const captured = num(/(\d+) packets? captured/, stderr);
  if (captured === null) return null;
  if (family === 'tshark') {
    const dropped = num(/(\d+) packets? dropped/, stderr);
    return { captured, dropped: dropped ?? 0 };
  }
  return { captured, dropped: num(/(\d+) packets? dropped by kernel/, stderr) };
}

/** An offline (file) configuration. */
export interface OfflineTool {
  id: string;
  label: string;
  family: Family;
  /** read: file to pcap; text: one line per packet; json; filter: filter then write; startup: `--version`, no file. */
  mode: 'read' | 'text' | 'json' | 'filter' | 'startup';
  requires: readonly TscapFlag[];
  argv(file: string): string[];
}

/** The offline filter, in pcap-filter syntax; `TSHARK_FILTER` is the same set in Wireshark's syntax. */
export const PCAP_FILTER = 'udp port 53 or (tcp and dst port 443)';
/** Matches the same frames of the mix as `PCAP_FILTER` (a pcap filter without `vlan` skips tagged frames). */
export const TSHARK_FILTER = '!vlan && (udp.port == 53 || tcp.dstport == 443)';

/** The offline configurations grouped by mode; ratios are tscap against the tcpdump (or tshark) line of the same mode. */
export const OFFLINE_TOOLS: readonly OfflineTool[] = [
  { id: 'tscap-startup', label: 'tscap --version', family: 'tscap', mode: 'startup', requires: [], argv: () => [...exe('tscap'), '--version'] },
  { id: 'tcpdump-startup', label: 'tcpdump --version', family: 'tcpdump', mode: 'startup', requires: [], argv: () => ['tcpdump', '--version'] },
  { id: 'tscap-read', label: 'tscap -r F -w /dev/null', family: 'tscap', mode: 'read', requires: ['read', 'write'], argv: (f) => [...exe('tscap'), '-r', f, '-w', '/dev/null'] },
  { id: 'tcpdump-read', label: 'tcpdump -r F -w /dev/null', family: 'tcpdump', mode: 'read', requires: [], argv: (f) => ['tcpdump', '-r', f, '-w', '/dev/null'] },
  { id: 'tshark-read', label: 'tshark -r F -F pcap -w /dev/null', family: 'tshark', mode: 'read', requires: [], argv: (f) => ['tshark', '-r', f, '-F', 'pcap', '-w', '/dev/null'] },
  { id: 'tscap-text', label: 'tscap -r F -n > /dev/null', family: 'tscap', mode: 'text', requires: ['read', 'numeric'], argv: (f) => [...exe('tscap'), '-r', f, '-n'] },
  { id: 'tcpdump-text', label: 'tcpdump -r F -n > /dev/null', family: 'tcpdump', mode: 'text', requires: [], argv: (f) => ['tcpdump', '-r', f, '-n'] },
  { id: 'tshark-text', label: 'tshark -r F -n > /dev/null', family: 'tshark', mode: 'text', requires: [], argv: (f) => ['tshark', '-r', f, '-n'] },
  { id: 'tscap-json', label: 'tscap -r F --json > /dev/null', family: 'tscap', mode: 'json', requires: ['read', 'json'], argv: (f) => [...exe('tscap'), '-r', f, '--json'] },
  { id: 'tshark-json', label: 'tshark -r F -T json > /dev/null', family: 'tshark', mode: 'json', requires: [], argv: (f) => ['tshark', '-r', f, '-T', 'json'] },
  {
    id: 'tscap-filter',
    label: `tscap -r F -f '${PCAP_FILTER}' -w /dev/null`,
    family: 'tscap',
    mode: 'filter',
    requires: ['read', 'filter', 'write'],
    argv: (f) => [...exe('tscap'), '-r', f, '-f', PCAP_FILTER, '-w', '/dev/null'],
  },
  {
    id: 'tcpdump-filter',
    label: `tcpdump -r F -w /dev/null '${PCAP_FILTER}'`,
    family: 'tcpdump',
    mode: 'filter',
    requires: [],
    argv: (f) => ['tcpdump', '-r', f, '-w', '/dev/null', PCAP_FILTER],
  },
  {
    id: 'tshark-filter',
    label: `tshark -r F -Y '${TSHARK_FILTER}' -F pcap -w /dev/null`,
    family: 'tshark',
    mode: 'filter',
    requires: [],
    argv: (f) => ['tshark', '-r', f, '-Y', TSHARK_FILTER, '-F', 'pcap', '-w', '/dev/null'],
  },
];
