/**
 * Live capture runs: one capture command on the host end of the veth pair (pinned to CPU 1), one
 * generator inside the namespace (pinned to CPU 0, where the kernel also delivers each frame into every
 * capture ring), counters read around the traffic, the capture's CPU read from /proc before SIGINT.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { udpTestFrame } from './frames.js';
import type { BenchNet } from './net.js';
import { start, stop, sleep, treeUsage, waitBound } from './proc.js';
import { ROOT, parseSummary, type LiveTool } from './tools.js';

/** The paced sender script (run through tsx inside the namespace). */
export const PACED_SENDER = resolve(ROOT, 'bench', 'lib', 'paced-send.ts');
/** tsx's loader as an absolute URL, so the sender starts from any working directory. */
const TSX_LOADER = import.meta.resolve('tsx');

/** Where generated traffic comes from. */
export type Generator = { kind: 'trafgen' } | { kind: 'paced'; pps: number };

/** Everything a run needs from the harness. */
export interface LiveContext {
  net: BenchNet;
  tmpDir: string;
  /** Seconds of traffic per run, measured. */
  seconds: number;
  /**
   * Milliseconds of traffic before the measured window opens (JIT compilation and cache warm-up:
   * steady state is what CPU per packet means). Loss is counted over the whole run.
   */
  warmupMs: number;
  /** Idle time after the generator stops, longer than any tool's block timeout (tcpdump: 1 s). */
  drainMs: number;
  log(msg: string): void;
}

/** One measured run. */
export interface LiveRun {
  tool: string;
  frameBytes: number;
  generator: 'trafgen' | 'paced';
  /** Asked-for rate of a paced run. */
  targetPps: number | null;
  /** Frames the generator says it sent. */
  senderSent: number | null;
  /** Frames leaving the namespace's end (its tx counter). */
  offered: number;
  /** Frames the host end received (its rx counter). */
  ifaceRx: number;
  /** Frames the tool says it captured (its summary). */
  captured: number | null;
  /** Kernel drops the tool reports. */
  kernelDrops: number | null;
  /** (received by the interface - captured) / received, in percent. */
  lossPct: number | null;
  /** offered / generator wall time. */
  offeredPps: number;
  /** User + system CPU of the capture's process tree from the end of the warm-up to SIGINT. */
  cpuSec: number;
  /** Frames the interface received in that window. */
  windowRx: number;
  /** cpuSec per million frames captured in that window (its rx times the run's capture ratio). */
  cpuPerMpkt: number | null;
  /** Peak RSS (VmHWM) of the capture's process tree, KiB. */
  hwmKiB: number;
  exitCode: number;
  error?: string;
}

function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}

/** trafgen's packet config: the frame as a byte list (trafgen(8) "{ 0x.., ... }"). */
export function trafgenConfig(frameBytes: number): string {
  const bytes = Array.from(udpTestFrame(frameBytes), (b) => `0x${b.toString(16).padStart(2, '0')}`);
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) rows.push(`  ${bytes.slice(i, i + 16).join(', ')}`);
  return `/* ${frameBytes}-byte UDP test frame, 198.18.0.1:4000 -> 198.18.0.2:9 */\n{\n${rows.join(',\n')}\n}\n`;
}

/** Runs the generator to its end; returns what it says it sent and its wall time. */
async function generate(ctx: LiveContext, gen: Generator, frameBytes: number): Promise<{ sent: number | null; wallSec: number; error?: string }> {
  const t0 = performance.now();
  if (gen.kind === 'trafgen') {
    const cfg = resolve(ctx.tmpDir, `trafgen-${frameBytes}.cfg`);
    writeFileSync(cfg, trafgenConfig(frameBytes));
    const p = start(
      ctx.net.inNs(['taskset', '-c', '0', 'trafgen', '--dev', ctx.net.peer, '--conf', cfg, '-P', '1', '--no-sock-mem', '-Q']),
      'pipe',
    );
    await Promise.race([p.exited, sleep(ctx.seconds * 1000)]);
    const early = p.done();
    const code = await stop(p, 'SIGTERM', 5000);
    const wallSec = (performance.now() - t0) / 1000;
    const m = /(\d+) packets outgoing/.exec(p.stdout() + p.stderr());
    const sent = m ? Number(m[1]) : null;
    if (early) return { sent, wallSec, error: `trafgen exited early (${code}): ${lastLines(p.stderr() || p.stdout())}` };
    return { sent, wallSec };
  }
  const argv = ctx.net.inNs([
    'taskset',
    '-c',
    '0',
    process.execPath,
    '--import',
    TSX_LOADER,
    PACED_SENDER,
    ctx.net.peer,
    String(frameBytes),
    String(Math.round(gen.pps)),
    String(ctx.seconds),
  ]);
  const p = start(argv, 'pipe');
  const timedOut = await Promise.race([p.exited.then(() => false), sleep((ctx.seconds + 30) * 1000).then(() => true)]);
  if (timedOut) await stop(p, 'SIGTERM', 2000);
  const wallSec = (performance.now() - t0) / 1000;
  try {
    const r = JSON.parse(p.stdout().trim().split('\n').pop() ?? '') as { sent: number; warmup: number; seconds: number };
    // The paced rate is the sender's own: its startup (tsx) is not traffic.
    return { sent: r.sent + r.warmup, wallSec: r.seconds };
  } catch {
    return { sent: null, wallSec, error: `paced sender failed: ${lastLines(p.stderr())}` };
  }
}

/** Measures the generator alone (no capture): its achievable rate. */
export async function generatorRate(ctx: LiveContext, gen: Generator, frameBytes: number): Promise<number | null> {
  const p0 = ctx.net.peerCounters();
  const g = await generate(ctx, gen, frameBytes);
  const p1 = ctx.net.peerCounters();
  if (g.error) ctx.log(`  ${g.error}`);
  return g.wallSec > 0 ? (p1.txPackets - p0.txPackets) / g.wallSec : null;
}

let fileSeq = 0;

/** One run of `tool` against `gen`. Never throws for a tool's failure: the run carries the error. */
export async function liveRun(ctx: LiveContext, tool: LiveTool, gen: Generator, frameBytes: number): Promise<LiveRun> {
  const file = resolve(ctx.tmpDir, `capture-${++fileSeq}.pcap`);
  const base: LiveRun = {
    tool: tool.id,
    frameBytes,
    generator: gen.kind,
    targetPps: gen.kind === 'paced' ? gen.pps : null,
    senderSent: null,
    offered: 0,
    ifaceRx: 0,
    captured: null,
    kernelDrops: null,
    lossPct: null,
    offeredPps: 0,
    cpuSec: 0,
    windowRx: 0,
    cpuPerMpkt: null,
    hwmKiB: 0,
    exitCode: -1,
  };
  const cap = start(['taskset', '-c', '1', ...tool.argv(ctx.net.host, file)], tool.stdout);
  try {
    if (!(await waitBound(cap, ctx.net.hostIndex, 20_000))) {
      const code = await stop(cap, 'SIGINT', 3000);
      return { ...base, exitCode: code, error: `capture did not start: ${lastLines(cap.stderr())}` };
    }
    await sleep(300); // libpcap and tscap finish ring setup after bind
    const h0 = ctx.net.hostCounters();
    const p0 = ctx.net.peerCounters();
    const generating = generate({ ...ctx, seconds: ctx.seconds + ctx.warmupMs / 1000 }, gen, frameBytes);
    await sleep(ctx.warmupMs);
    const u0 = treeUsage(cap.pid);
    const hw = ctx.net.hostCounters();
    const g = await generating;
    await sleep(ctx.drainMs);
    const u1 = treeUsage(cap.pid);
    const h1 = ctx.net.hostCounters();
    const p1 = ctx.net.peerCounters();
    const exitCode = await stop(cap, 'SIGINT', 15_000);
    const summary = parseSummary(tool.family, cap.stdout(), cap.stderr());
    const ifaceRx = h1.rxPackets - h0.rxPackets;
    const offered = p1.txPackets - p0.txPackets;
    const cpuSec = (u1.cpuNs - u0.cpuNs) / 1e9;
    const captured = summary?.captured ?? null;
    const windowRx = h1.rxPackets - hw.rxPackets;
    const windowCaptured = captured === null || ifaceRx === 0 ? 0 : windowRx * Math.min(1, captured / ifaceRx);
    const run: LiveRun = {
      ...base,
      senderSent: g.sent,
      offered,
      ifaceRx,
      captured,
      kernelDrops: summary?.dropped ?? null,
      lossPct: captured === null || ifaceRx === 0 ? null : (Math.max(0, ifaceRx - captured) / ifaceRx) * 100,
      offeredPps: g.wallSec > 0 ? offered / g.wallSec : 0,
      cpuSec,
      windowRx,
      cpuPerMpkt: windowCaptured > 0 ? cpuSec / (windowCaptured / 1e6) : null,
      hwmKiB: u1.hwmKiB,
      exitCode,
    };
    const errors: string[] = [];
    if (g.error) errors.push(g.error);
    if (!summary) errors.push(`no summary from the tool (exit ${exitCode}): ${lastLines(cap.stderr())}`);
    if (errors.length > 0) run.error = errors.join('; ');
    return run;
  } finally {
    if (!cap.done()) await stop(cap, 'SIGINT', 5000);
    rmSync(file, { force: true });
  }
}
