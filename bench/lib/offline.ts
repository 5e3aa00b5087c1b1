/**
 * Offline runs: each command reads the mixed pcap to the end with stdout on /dev/null, pinned to CPU 1;
 * its user + system CPU and peak RSS come from wait4(2)'s rusage, taken by a few lines of python3 that
 * fork and exec it (rusage counts the command and every child it waited for).
 */
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { start } from './proc.js';
import type { OfflineTool } from './tools.js';

const WAIT4 = [
  'import json, os, sys, time',
  't0 = time.monotonic()',
  'pid = os.fork()',
  'if pid == 0:',
  '    os.execvp(sys.argv[2], sys.argv[2:])',
  '_, status, ru = os.wait4(pid, 0)',
  'code = os.waitstatus_to_exitcode(status)',
  'json.dump({"user": ru.ru_utime, "sys": ru.ru_stime, "maxrssKiB": ru.ru_maxrss, "wall": time.monotonic() - t0, "code": code}, open(sys.argv[1], "w"))',
].join('\n');

/** One offline run. */
export interface OfflineRun {
  tool: string;
  packets: number;
  cpuSec: number | null;
  wallSec: number | null;
  maxRssKiB: number | null;
  /** Millions of packets per CPU second. */
  mppsPerCpu: number | null;
  exitCode: number;
  error?: string;
}

let seq = 0;

/** Runs `tool` over `file` (holding `packets` frames) once. */
export async function offlineRun(tool: OfflineTool, file: string, packets: number, tmpDir: string): Promise<OfflineRun> {
  const out = resolve(tmpDir, `rusage-${++seq}.json`);
  const p = start(['taskset', '-c', '1', 'python3', '-c', WAIT4, out, ...tool.argv(file)], 'ignore');
  const code = await p.exited;
  try {
    const r = JSON.parse(readFileSync(out, 'utf8')) as { user: number; sys: number; maxrssKiB: number; wall: number; code: number };
    const cpuSec = r.user + r.sys;
    const run: OfflineRun = {
      tool: tool.id,
      packets,
      cpuSec,
      wallSec: r.wall,
      maxRssKiB: r.maxrssKiB,
      mppsPerCpu: cpuSec > 0 ? packets / cpuSec / 1e6 : null,
      exitCode: r.code,
    };
    if (r.code !== 0) run.error = `exit ${r.code}: ${p.stderr().trim().split('\n').slice(-2).join(' | ')}`;
    return run;
  } catch {
    return {
      tool: tool.id,
      packets,
      cpuSec: null,
      wallSec: null,
      maxRssKiB: null,
      mppsPerCpu: null,
      exitCode: code,
      error: `no rusage (exit ${code}): ${p.stderr().trim().slice(-200)}`,
    };
  } finally {
    rmSync(out, { force: true });
  }
}
