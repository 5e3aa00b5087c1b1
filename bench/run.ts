/**
 * tscap's benchmark suite: live capture at the maximum rate and at paced rates, offline reading,
 * printing, JSON and filtering, and the throughput a capture leaves to forwarded TCP, each measured side
 * by side with tcpdump, netsniff-ng and tshark on the same traffic. Prints one table; writes
 * bench/out/latest.json and bench/out/latest.md. Numbers are reported, never judged: nothing here fails
 * on a time or a rate. Needs root (it makes its own network namespace and veth pair).
 *
 *   npm run bench                # full suite, at most about 15 minutes
 *   npm run bench -- --quick     # one short run of everything, at most about 2 minutes
 *   npm run bench -- --help
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { forwardRun, startIperfServer, type ForwardRun } from './lib/forward.js';
import { generatorRate, liveRun, type LiveContext, type LiveRun } from './lib/live.js';
import { mixedPcapFile, writeMixedPcap } from './lib/mixed-pcap.js';
import { createBenchNet, type BenchNet } from './lib/net.js';
import { offlineRun, type OfflineRun } from './lib/offline.js';
import { killAllChildren, runSync, stop } from './lib/proc.js';
import { fmt, fmtSpread, ratio, spread } from './lib/stats.js';
import { renderTable, type Row } from './lib/table.js';
import {
  LIVE_TOOLS,
  OFFLINE_TOOLS,
  ROOT,
  TOOL_PACKAGES,
  detectTscapFlags,
  haveCommand,
  type Family,
  type LiveTool,
  type OfflineTool,
  type TscapFlag,
} from './lib/tools.js';

const SECTIONS = ['live', 'sweep', 'offline', 'forward'] as const;
type Section = (typeof SECTIONS)[number];

/** Settings of one benchmark run; `--quick` and the full run differ only here. */
interface Plan {
  quick: boolean;
  build: boolean;
  sections: Set<Section>;
  /** Runs per live configuration (tools alternate within each round). */
  runs: number;
  /** Seconds of traffic per live run. */
  seconds: number;
  warmupMs: number;
  drainMs: number;
  frameSizes: number[];
  /** Paced sweep: rates tried in order, 64-byte frames. */
  sweepPps: number[];
  sweepSeconds: number;
  /** Offline file size, and the smaller prefix tshark reads (it is two orders of magnitude slower). */
  offlinePackets: number;
  tsharkPackets: number;
  offlineRuns: number;
  tsharkRuns: number;
  forwardSeconds: number;
  forwardRuns: number;
  /** Live and sweep configurations to run (`--tools`); all when undefined. */
  tools?: Set<string>;
}

const USAGE = `usage: npm run bench -- [--quick] [--only live,sweep,offline,forward] [--runs N] [--seconds S] [--no-build]
  --quick      one short run of each configuration (about 2 minutes)
  --only       run only these sections (comma separated)
  --runs N     runs per live configuration (default 3, --quick 1)
  --seconds S  seconds of traffic per live run (default 3, --quick 1)
  --tools IDS  live section: only these configurations (comma separated ids, e.g. tscap-w-null,tscap-stats-w-null)
  --no-build   measure dist/ as it is (default: npm run build first)
Needs root. Tools: ${[...new Set(Object.values(TOOL_PACKAGES))].join(' ')} (apt-get install -y ...).`;

function parseArgs(argv: string[]): Plan {
  const quick = argv.includes('--quick');
  const plan: Plan = {
    quick,
    build: !argv.includes('--no-build'),
    sections: new Set(SECTIONS),
    runs: quick ? 1 : 3,
    seconds: quick ? 1 : 3,
    warmupMs: quick ? 300 : 500,
    drainMs: 1200,
    frameSizes: quick ? [64] : [64, 1514],
    sweepPps: quick ? [50_000, 150_000, 300_000] : [25_000, 50_000, 100_000, 150_000, 200_000, 250_000, 300_000, 400_000, 500_000, 650_000, 800_000],
    sweepSeconds: quick ? 1 : 2,
    offlinePackets: quick ? 100_000 : 1_000_000,
    tsharkPackets: quick ? 10_000 : 100_000,
    offlineRuns: quick ? 1 : 3,
    tsharkRuns: 1,
    forwardSeconds: quick ? 3 : 5,
    forwardRuns: quick ? 1 : 3,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick' || a === '--no-build') continue;
    if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (a === '--only') {
      const list = next().split(',');
      for (const s of list) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: unknown section ${s}`);
      plan.sections = new Set(list as Section[]);
    } else if (a === '--runs') plan.runs = Math.max(1, Number(next()));
    else if (a === '--seconds') plan.seconds = Math.max(0.5, Number(next()));
    else if (a === '--tools') {
      const ids = next().split(',');
      for (const id of ids) if (!LIVE_TOOLS.some((t) => t.id === id)) throw new Error(`--tools: unknown configuration ${id} (${LIVE_TOOLS.map((t) => t.id).join(', ')})`);
      plan.tools = new Set(ids);
    }
    else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  return plan;
}

const t0 = Date.now();
const log = (msg: string): void => {
  process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${msg}\n`);
};

/** Why a configuration cannot run here, or null when it can. */
function unavailable(family: Family, requires: readonly TscapFlag[], flags: Set<TscapFlag>, have: (cmd: string) => boolean): string | null {
  if (family !== 'tscap') return have(family) ? null : `n/a (${family} not installed: apt-get install -y ${TOOL_PACKAGES[family]})`;
  const missing = requires.filter((f) => !flags.has(f));
  return missing.length > 0 ? 'n/a (flag not available)' : null;
}

function machine(): { date: string; cpu: string; cpus: number; kernel: string; node: string } {
  const info = readFileSync('/proc/cpuinfo', 'utf8');
  const cpu = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? 'unknown';
  return { date: new Date().toISOString(), cpu, cpus: cpus().length, kernel: release(), node: process.version };
}

const mib = (kib: number | null | undefined): number | null => (kib === null || kib === undefined ? null : kib / 1024);

// ---------------------------------------------------------------- live

interface LiveSummary {
  tool: string;
  label: string;
  frameBytes: number;
  status: string | null;
  runs: number;
  offeredMpps: ReturnType<typeof spread>;
  offered: ReturnType<typeof spread>;
  ifaceRx: ReturnType<typeof spread>;
  captured: ReturnType<typeof spread>;
  kernelDrops: ReturnType<typeof spread>;
  lossPct: ReturnType<typeof spread>;
  cpuPerMpkt: ReturnType<typeof spread>;
  rssMiB: ReturnType<typeof spread>;
  errors: string[];
  baseline?: string;
  cpuRatio: number | null;
}

function summarizeLive(tools: readonly LiveTool[], runs: LiveRun[], sizes: number[], status: Map<string, string | null>): LiveSummary[] {
  const out: LiveSummary[] = [];
  for (const size of sizes) {
    for (const t of tools) {
      const rs = runs.filter((r) => r.tool === t.id && r.frameBytes === size);
      out.push({
        tool: t.id,
        label: t.label,
        frameBytes: size,
        status: status.get(t.id) ?? null,
        runs: rs.length,
        offeredMpps: spread(rs.map((r) => r.offeredPps / 1e6)),
        offered: spread(rs.map((r) => r.offered)),
        ifaceRx: spread(rs.map((r) => r.ifaceRx)),
        captured: spread(rs.map((r) => r.captured)),
        kernelDrops: spread(rs.map((r) => r.kernelDrops)),
        lossPct: spread(rs.map((r) => r.lossPct)),
        cpuPerMpkt: spread(rs.map((r) => r.cpuPerMpkt)),
        rssMiB: spread(rs.map((r) => mib(r.hwmKiB))),
        errors: [...new Set(rs.filter((r) => r.error).map((r) => r.error!))],
        ...(t.baseline ? { baseline: t.baseline } : {}),
        cpuRatio: null,
      });
    }
  }
  for (const s of out) {
    if (!s.baseline) continue;
    const b = out.find((x) => x.tool === s.baseline && x.frameBytes === s.frameBytes);
    s.cpuRatio = ratio(s.cpuPerMpkt?.median, b?.cpuPerMpkt?.median);
  }
  return out;
}

function liveTable(title: string, sums: LiveSummary[]): string {
  const rows: Row[] = sums.map((s) =>
    s.status
      ? { label: s.label, span: s.status }
      : s.runs === 0
        ? { label: s.label, span: 'no run' }
        : [
            s.label,
            fmt(s.offered?.median, 4),
            fmtSpread(s.offeredMpps, 3),
            fmt(s.ifaceRx?.median, 4),
            fmt(s.captured?.median, 4),
            fmt(s.kernelDrops?.median, 3),
            fmtSpread(s.lossPct, 2, '%'),
            fmtSpread(s.cpuPerMpkt, 3),
            fmt(s.rssMiB?.median, 3),
            s.cpuRatio === null ? '-' : `${fmt(s.cpuRatio, 3)}x`,
          ],
  );
  return `${title}\n${renderTable(['capture command', 'offered', 'Mpps', 'iface rx', 'captured', 'k.drops', 'loss %', 'CPU s/Mpkt', 'RSS MiB', 'CPU vs tcpdump'], rows)}`;
}

// ---------------------------------------------------------------- sweep

interface SweepResult {
  tool: string;
  label: string;
  status: string | null;
  /** Highest achieved rate (pps) with loss < 0.1%, null when even the first step lost. */
  bestPps: number | null;
  /** True when no step lost: the answer is "at least bestPps". */
  atLeast: boolean;
  firstLossy: { pps: number; lossPct: number } | null;
  steps: LiveRun[];
  note?: string;
}

const LOSS_LIMIT = 0.1;

async function sweep(ctx: LiveContext, tools: LiveTool[], plan: Plan, maxRateRuns: LiveRun[], status: Map<string, string | null>): Promise<{ results: SweepResult[]; senderPps: number | null }> {
  const results: SweepResult[] = tools.map((t) => ({ tool: t.id, label: t.label, status: status.get(t.id) ?? null, bestPps: null, atLeast: false, firstLossy: null, steps: [] }));
  const active = results.filter((r) => !r.status);
  if (active.length === 0) return { results, senderPps: null };
  log('sweep: measuring the paced sender alone');
  const senderPps = await generatorRate({ ...ctx, seconds: plan.sweepSeconds }, { kind: 'paced', pps: 0 }, 64);
  log(`sweep: paced sender reaches ${fmt((senderPps ?? 0) / 1e3, 3)} kpps`);
  // A tool lossless in every maximum-rate run needs no step below that rate: it starts above it, and
  // needs no sweep at all when the paced sender cannot go higher (or with --quick: the sweep is for the
  // tools that lose).
  const startAbove = new Map<string, number>();
  for (const r of active) {
    const runs = maxRateRuns.filter((x) => x.tool === r.tool && x.frameBytes === 64 && x.lossPct !== null);
    const slowest = Math.min(...runs.map((x) => x.offeredPps));
    if (runs.length === 0 || !runs.every((x) => x.lossPct! < LOSS_LIMIT)) continue;
    r.bestPps = slowest;
    r.atLeast = true;
    if (plan.quick || slowest >= (senderPps ?? 0) * 0.9) r.note = 'lossless at the maximum rate (trafgen)';
    else startAbove.set(r.tool, slowest);
  }
  const todo = active.filter((r) => r.note === undefined);
  const steps = plan.sweepPps.filter((p) => senderPps === null || p <= senderPps * 0.9);
  const stepCtx: LiveContext = { ...ctx, seconds: plan.sweepSeconds };
  let alive = [...todo];
  for (const pps of steps) {
    if (alive.length === 0) break;
    for (const r of alive) {
      if (pps <= (startAbove.get(r.tool) ?? 0)) continue;
      const tool = tools.find((t) => t.id === r.tool)!;
      log(`sweep: ${tool.label} at ${pps / 1e3} kpps`);
      const run = await liveRun(stepCtx, tool, { kind: 'paced', pps }, 64);
      r.steps.push(run);
      const achieved = run.offeredPps;
      if (run.lossPct === null) {
        r.firstLossy = { pps: achieved, lossPct: Number.NaN };
        r.note = run.error ?? 'no summary';
      } else if (run.lossPct >= LOSS_LIMIT) {
        r.firstLossy = { pps: achieved, lossPct: run.lossPct };
      } else {
        r.bestPps = Math.max(r.bestPps ?? 0, achieved);
        if (achieved < pps * 0.9) {
          // The sender fell short (a busy CPU 0): higher steps would measure the sender, not the tool.
          r.atLeast = true;
          r.note = `sender reached only ${fmt(achieved / 1e3, 3)} of ${pps / 1e3} kpps`;
        }
      }
    }
    alive = alive.filter((r) => r.firstLossy === null && r.note === undefined);
  }
  for (const r of alive) {
    if (r.bestPps === null) continue;
    r.atLeast = true;
    r.note = r.steps.length === 0 ? 'lossless at the maximum rate (trafgen); no step above it' : `no loss up to the paced sender's limit (${fmt((senderPps ?? 0) / 1e3, 3)} kpps)`;
  }
  return { results, senderPps };
}

function sweepTable(title: string, results: SweepResult[]): string {
  const rows: Row[] = results.map((r) =>
    r.status
      ? { label: r.label, span: r.status }
      : [
          r.label,
          r.bestPps === null ? '< first step' : `${r.atLeast ? '>= ' : ''}${fmt(r.bestPps / 1e3, 3)}`,
          r.firstLossy ? `${fmt(r.firstLossy.pps / 1e3, 3)} kpps: ${fmt(r.firstLossy.lossPct, 2)}%` : '-',
          r.note ?? '',
        ],
  );
  return `${title}\n${renderTable(['capture command', 'kpps, loss < 0.1%', 'first lossy step', 'note'], rows)}`;
}

// ---------------------------------------------------------------- offline

interface OfflineSummary {
  tool: string;
  label: string;
  mode: string;
  status: string | null;
  packets: number;
  runs: number;
  cpuSec: ReturnType<typeof spread>;
  startupCpuSec: number | null;
  cpuPerMpkt: ReturnType<typeof spread>;
  rssMiB: ReturnType<typeof spread>;
  errors: string[];
  /** CPU per packet relative to tcpdump (read, text, filter) or tshark (json) in the same mode. */
  versus: string | null;
  ratio: number | null;
}

/** tshark's dissecting modes take minutes on the full file: they read a prefix of it (same mix, same order). */
const slow = (t: OfflineTool): boolean => t.family === 'tshark' && t.mode !== 'read';

async function offline(plan: Plan, outDir: string, tmpDir: string, flags: Set<TscapFlag>, have: (c: string) => boolean): Promise<{ sums: OfflineSummary[]; runs: OfflineRun[] }> {
  log(`offline: preparing ${plan.offlinePackets} and ${plan.tsharkPackets}-packet mixed files`);
  const big = mixedPcapFile(outDir, plan.offlinePackets);
  const small = mixedPcapFile(outDir, plan.tsharkPackets);
  const empty = resolve(tmpDir, 'one.pcap');
  writeMixedPcap(empty, 1);
  const sums: OfflineSummary[] = [];
  const runnable: OfflineTool[] = [];
  for (const t of OFFLINE_TOOLS) {
    const why = unavailable(t.family, t.requires, flags, have);
    const packets = slow(t) ? plan.tsharkPackets : plan.offlinePackets;
    sums.push({ tool: t.id, label: t.label, mode: t.mode, status: why, packets, runs: 0, cpuSec: null, startupCpuSec: null, cpuPerMpkt: null, rssMiB: null, errors: [], versus: null, ratio: null });
    if (!why) runnable.push(t);
  }
  const runs: OfflineRun[] = [];
  const startup = new Map<string, number | null>();
  for (const t of runnable) {
    // Startup (and exit) cost, from a one-packet file: subtracted so short files compare per packet.
    const r = await offlineRun(t, empty, 1, tmpDir);
    startup.set(t.id, r.cpuSec);
  }
  const maxRuns = Math.max(plan.offlineRuns, plan.tsharkRuns);
  for (let i = 0; i < maxRuns; i++) {
    for (const t of runnable) {
      if (i >= (slow(t) ? plan.tsharkRuns : plan.offlineRuns)) continue;
      const file = slow(t) ? small : big;
      const packets = slow(t) ? plan.tsharkPackets : plan.offlinePackets;
      log(`offline: ${t.label} (${packets} packets, run ${i + 1})`);
      runs.push(await offlineRun(t, file.path, packets, tmpDir));
    }
  }
  for (const s of sums) {
    const rs = runs.filter((r) => r.tool === s.tool);
    const st = startup.get(s.tool) ?? null;
    s.runs = rs.length;
    s.startupCpuSec = st;
    s.cpuSec = spread(rs.map((r) => r.cpuSec));
    // start-up rows read no file: their whole CPU is the figure, per packet means nothing
    s.cpuPerMpkt = s.mode === 'startup' ? null : spread(rs.map((r) => (r.cpuSec === null ? null : Math.max(0, r.cpuSec - (st ?? 0)) / (r.packets / 1e6))));
    s.rssMiB = spread(rs.map((r) => mib(r.maxRssKiB)));
    s.errors = [...new Set(rs.filter((r) => r.error).map((r) => r.error!))];
  }
  for (const s of sums) {
    if (!s.tool.startsWith('tscap-')) continue;
    const versus = s.mode === 'json' ? `tshark-json` : `tcpdump-${s.mode}`;
    const b = sums.find((x) => x.tool === versus);
    s.versus = versus;
    s.ratio = s.mode === 'startup' ? ratio(s.cpuSec?.median, b?.cpuSec?.median) : ratio(s.cpuPerMpkt?.median, b?.cpuPerMpkt?.median);
  }
  return { sums, runs };
}

/** True when startup is over half the CPU: the per-packet figure is then a small difference of two noisy ones. */
const startupBound = (s: OfflineSummary): boolean => s.startupCpuSec !== null && s.cpuSec !== null && s.startupCpuSec > s.cpuSec.median / 2;

function offlineTable(title: string, sums: OfflineSummary[]): string {
  const rows: Row[] = sums.map((s) =>
    s.status
      ? { label: s.label, span: s.status }
      : [
          s.label,
          String(s.packets),
          fmtSpread(s.cpuSec, 3),
          fmt(s.startupCpuSec, 2),
          `${startupBound(s) ? '~' : ''}${fmtSpread(s.cpuPerMpkt, 3)}`,
          fmt(s.rssMiB?.median, 3),
          s.ratio === null ? '-' : `${fmt(s.ratio, 3)}x vs ${s.versus?.split('-')[0]}`,
        ],
  );
  const note = sums.some(startupBound) ? '\n~ startup is over half of the CPU time: the per-packet figure is rough (a longer file, i.e. the full run, settles it)' : '';
  return `${title}\n${renderTable(['command', 'packets', 'CPU s', 'startup s', 'CPU s/Mpkt', 'RSS MiB', 'tscap ratio'], rows)}${note}`;
}

// ---------------------------------------------------------------- forwarding

interface ForwardSummary {
  capture: string;
  label: string;
  status: string | null;
  gbps: ReturnType<typeof spread>;
  pctOfNone: number | null;
  captured: ReturnType<typeof spread>;
  kernelDrops: ReturnType<typeof spread>;
  errors: string[];
}

async function forwarding(net: BenchNet, plan: Plan, tmpDir: string, flags: Set<TscapFlag>, have: (c: string) => boolean): Promise<{ sums: ForwardSummary[]; runs: ForwardRun[] }> {
  const pick = (ids: string[]): LiveTool | undefined => ids.map((id) => LIVE_TOOLS.find((t) => t.id === id)!).find((t) => !unavailable(t.family, t.requires, flags, have));
  const tcpdump = LIVE_TOOLS.find((t) => t.id === 'tcpdump-w-null')!;
  const tscap = pick(['tscap-w-null', 'tscap-brief']);
  const configs: Array<{ id: string; label: string; tool: LiveTool | null; status: string | null }> = [
    { id: 'none', label: 'no capture', tool: null, status: null },
    { id: tcpdump.id, label: tcpdump.label, tool: tcpdump, status: unavailable('tcpdump', [], flags, have) },
    tscap
      ? { id: tscap.id, label: tscap.label, tool: tscap, status: null }
      : { id: 'tscap-w-null', label: 'tscap -w /dev/null', tool: null, status: 'n/a (flag not available)' },
  ];
  // References (full run only): another mmap capture (netsniff-ng), and tscap keeping 128 bytes of
  // each packet, which shows how much of the cost is the kernel copying whole packets into the ring on
  // the sender's CPU.
  const netsniff = LIVE_TOOLS.find((t) => t.id === 'netsniff-ng')!;
  if (!plan.quick) configs.push({ id: netsniff.id, label: netsniff.label, tool: netsniff, status: unavailable('netsniff-ng', [], flags, have) });
  if (tscap && !plan.quick) {
    const snap: LiveTool = { ...tscap, id: `${tscap.id}-s128`, label: `${tscap.label} -s 128`, argv: (i, f) => [...tscap.argv(i, f), '-s', '128'] };
    configs.push({ id: snap.id, label: snap.label, tool: snap, status: null });
  }
  if (!have('iperf3')) {
    const sums = configs.map((c) => ({ capture: c.id, label: c.label, status: 'n/a (iperf3 not installed: apt-get install -y iperf3)', gbps: null, pctOfNone: null, captured: null, kernelDrops: null, errors: [] }));
    return { sums, runs: [] };
  }
  net.addAddresses();
  const server = await startIperfServer(net);
  const runs: ForwardRun[] = [];
  try {
    for (let i = 0; i < plan.forwardRuns; i++) {
      for (const c of configs) {
        if (c.status) continue;
        log(`forward: iperf3 ${plan.forwardSeconds} s with ${c.label} (run ${i + 1})`);
        runs.push(await forwardRun(net, c.tool, plan.forwardSeconds, tmpDir));
      }
    }
  } finally {
    await stop(server, 'SIGTERM', 3000);
  }
  const sums = configs.map((c) => {
    const rs = runs.filter((r) => r.capture === c.id);
    return {
      capture: c.id,
      label: c.label,
      status: c.status,
      gbps: spread(rs.map((r) => (r.bitsPerSec === null ? null : r.bitsPerSec / 1e9))),
      pctOfNone: null as number | null,
      captured: spread(rs.map((r) => r.captured)),
      kernelDrops: spread(rs.map((r) => r.kernelDrops)),
      errors: [...new Set(rs.filter((r) => r.error).map((r) => r.error!))],
    };
  });
  const none = sums[0]!.gbps?.median;
  for (const s of sums) {
    const r = ratio(s.gbps?.median, none);
    s.pctOfNone = r === null ? null : r * 100;
  }
  return { sums, runs };
}

function forwardTable(title: string, sums: ForwardSummary[]): string {
  const rows: Row[] = sums.map((s) =>
    s.status
      ? { label: s.label, span: s.status }
      : [s.label, fmtSpread(s.gbps, 3), s.pctOfNone === null ? '-' : `${fmt(s.pctOfNone, 3)}%`, fmt(s.captured?.median, 4), fmt(s.kernelDrops?.median, 3)],
  );
  return `${title}\n${renderTable(['capture during iperf3', 'Gbit/s', 'of no capture', 'captured', 'k.drops'], rows)}`;
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const plan = parseArgs(process.argv.slice(2));
  if (process.getuid?.() !== 0) {
    process.stderr.write('bench: needs root (network namespaces, raw sockets, taskset)\n');
    return 1;
  }
  for (const cmd of ['ip', 'taskset', 'python3']) {
    if (!haveCommand(cmd)) {
      process.stderr.write(`bench: ${cmd} is required: apt-get install -y ${TOOL_PACKAGES[cmd]}\n`);
      return 1;
    }
  }
  const haveCache = new Map<string, boolean>();
  const have = (cmd: string): boolean => {
    if (!haveCache.has(cmd)) haveCache.set(cmd, haveCommand(cmd));
    return haveCache.get(cmd)!;
  };
  if (plan.build) {
    log('building (npm run build)');
    const b = runSync(['npm', 'run', '--silent', 'build']);
    if (b.status !== 0) log(`build exited ${b.status}; measuring what dist/ holds (type errors do not stop tsc from emitting)`);
  }
  const det = detectTscapFlags();
  if (det.error) log(`tscap: ${det.error}`);
  log(`tscap flags: ${[...det.flags].join(', ') || 'none of -w/-n/--json/-r/-f'}`);
  const flags = det.flags;

  const outDir = resolve(ROOT, 'bench', 'out');
  mkdirSync(outDir, { recursive: true });
  const tmpDir = mkdtempSync(resolve(tmpdir(), 'tscap-bench-'));
  let net: BenchNet | null = null;
  const cleanup = (): void => {
    killAllChildren();
    net?.remove();
    rmSync(tmpDir, { recursive: true, force: true });
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    process.stderr.write(`\nbench: ${sig}: cleaning up\n`);
    cleanup();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const m = machine();
  const args = process.argv.slice(2).join(' ');
  const command = process.env['npm_lifecycle_event'] === 'bench' ? `npm run bench${args ? ` -- ${args}` : ''}` : `tsx bench/run.ts${args ? ` ${args}` : ''}`;
  const parts: string[] = [];
  const json: Record<string, unknown> = { ...m, command, plan: { ...plan, sections: [...plan.sections] }, tscapFlags: [...flags] };
  const notes = new Set<string>();
  try {
    const status = new Map<string, string | null>();
    for (const t of LIVE_TOOLS) {
      const retired = t.retiredBy !== undefined && flags.has(t.retiredBy) ? 'skipped (a stopgap until -w existed)' : null;
      status.set(t.id, retired ?? unavailable(t.family, t.requires, flags, have));
    }
    const chosen = LIVE_TOOLS.filter((t) => plan.tools === undefined || plan.tools.has(t.id));
    const liveTools = chosen.filter((t) => !status.get(t.id));
    const needNet = plan.sections.has('live') || plan.sections.has('sweep') || plan.sections.has('forward');
    if (needNet) {
      net = createBenchNet();
      log(`network: ${net.host} <-> ${net.ns}/${net.peer}`);
    }
    const ctx: LiveContext | null = net ? { net, tmpDir, seconds: plan.seconds, warmupMs: plan.warmupMs, drainMs: plan.drainMs, log } : null;
    let maxRuns: LiveRun[] = [];

    if (plan.sections.has('live') && ctx) {
      if (!have('trafgen')) {
        parts.push(`1. Live capture at the maximum rate: n/a (trafgen not installed: apt-get install -y netsniff-ng)`);
      } else {
        for (const size of plan.frameSizes) {
          for (let r = 0; r < plan.runs; r++) {
            for (const t of liveTools) {
              log(`live: ${t.label}, ${size}-byte frames, run ${r + 1}/${plan.runs}`);
              const run = await liveRun(ctx, t, { kind: 'trafgen' }, size);
              if (run.error) log(`  ${run.error}`);
              maxRuns.push(run);
            }
          }
        }
        const sums = summarizeLive(chosen, maxRuns, plan.frameSizes, status);
        json['live'] = { summary: sums, runs: maxRuns };
        for (const size of plan.frameSizes) {
          parts.push(
            liveTable(
              `1${plan.frameSizes.length > 1 ? String.fromCharCode(97 + plan.frameSizes.indexOf(size)) : ''}. Live capture, maximum rate: trafgen, ${size}-byte UDP frames, ${plan.runs} run(s) of ${plan.seconds} s per command after ${plan.warmupMs / 1000} s of warm-up traffic, median [range]`,
              sums.filter((s) => s.frameBytes === size),
            ),
          );
        }
        for (const t of chosen) if (t.note && !status.get(t.id)) notes.add(t.note);
        for (const s of sums) for (const e of s.errors) notes.add(`${s.label} (${s.frameBytes} B): ${e}`);
      }
    }

    if (plan.sections.has('sweep') && ctx) {
      const { results, senderPps } = await sweep(ctx, chosen, plan, maxRuns, status);
      json['sweep'] = { senderPps, steps: plan.sweepPps, results };
      parts.push(
        sweepTable(
          `2. Paced sweep, 64-byte frames: highest offered rate with loss < 0.1% (steps ${plan.sweepPps.map((p) => p / 1e3).join('/')} kpps, ${plan.sweepSeconds} s each; paced sender alone: ${senderPps === null ? 'not measured' : `${fmt(senderPps / 1e3, 3)} kpps`})`,
          results,
        ),
      );
    }

    if (plan.sections.has('offline')) {
      const { sums, runs } = await offline(plan, outDir, tmpDir, flags, have);
      json['offline'] = { summary: sums, runs };
      parts.push(
        offlineTable(
          `3. Offline, mixed traffic (IPv4/IPv6 TCP/UDP/ICMP, DNS, ARP, VLAN): CPU of the whole process; CPU s/Mpkt is net of the startup measured on a one-packet file; tshark -n, -T json and -Y read the first ${plan.tsharkPackets} packets`,
          sums,
        ),
      );
      for (const s of sums) for (const e of s.errors) notes.add(`${s.label}: ${e}`);
      const tscapJson = sums.find((s) => s.tool === 'tscap-json');
      if (tscapJson?.ratio) notes.add(`offline JSON: tscap --json spends ${fmt(1 / tscapJson.ratio, 3)}x less CPU per packet than tshark -T json`);
    }

    if (plan.sections.has('forward') && net) {
      const { sums, runs } = await forwarding(net, plan, tmpDir, flags, have);
      json['forward'] = { summary: sums, runs };
      parts.push(forwardTable(`4. Forwarding impact: iperf3 TCP through the veth pair, ${plan.forwardRuns} run(s) of ${plan.forwardSeconds} s, median [range]`, sums));
      for (const s of sums) for (const e of s.errors) notes.add(`${s.label}: ${e}`);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    cleanup();
  }

  const elapsed = (Date.now() - t0) / 1000;
  const header = [
    `tscap benchmark, ${m.date}`,
    `CPU: ${m.cpu} (${m.cpus} CPUs); kernel ${m.kernel}; node ${m.node}`,
    `command: ${command} (${fmt(elapsed, 3)} s)`,
    `tscap flags found: ${(['write', 'numeric', 'json', 'read', 'filter'] as const).map((f) => `${{ write: '-w', numeric: '-n', json: '--json', read: '-r', filter: '-f' }[f]} ${flags.has(f) ? 'yes' : 'no'}`).join(', ')}`,
    'CPU ratio = tscap CPU per packet / tcpdump CPU per packet for the same job (lower is better; below 1.0 tscap is cheaper).',
  ].join('\n');
  const noteText = notes.size > 0 ? `Notes:\n${[...notes].map((n) => `- ${n}`).join('\n')}` : '';
  const text = [header, ...parts, noteText].filter((s) => s !== '').join('\n\n');
  process.stdout.write(`${text}\n`);
  json['elapsedSec'] = elapsed;
  json['table'] = text;
  // A run of some sections only must not replace the table of a whole run.
  const base = plan.sections.size === SECTIONS.length && plan.tools === undefined ? 'latest' : 'partial';
  writeFileSync(resolve(outDir, `${base}.json`), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(
    resolve(outDir, `${base}.md`),
    `# tscap benchmark\n\n- date: ${m.date}\n- CPU: ${m.cpu} (${m.cpus} CPUs)\n- kernel: ${m.kernel}\n- node: ${m.node}\n- command: \`${command}\`\n\n\`\`\`text\n${text}\n\`\`\`\n`,
  );
  log(`wrote ${resolve(outDir, `${base}.json`)} and ${base}.md`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    killAllChildren();
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
