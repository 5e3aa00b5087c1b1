/**
 * Soak test (a benchmark, not a unit test): one live capture for a long time at a steady rate, as a
 * sensor runs. tscap prints text (to /dev/null), writes files rotated by size (-C) and keeps a
 * summary, while a paced sender offers about 100 kpps. Every 10 s the capture's RSS is sampled.
 * Rotated files are counted and deleted as they close, so the disk stays bounded.
 *
 *   npx tsx bench/soak.ts                      # 10 minutes at 100 kpps
 *   npx tsx bench/soak.ts --minutes 2 --pps 100000 --rotate-mb 50
 *
 * Checks, printed at the end and reflected in the exit code (1 when one fails):
 * - RSS flat after the first minute: the largest later sample is within 5% of the sample at 60 s
 *   (for runs shorter than 2 minutes, of the first sample after half the run);
 * - frames written to the files = frames received by the filter - frames dropped (tscap's summary).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createBenchNet } from './lib/net.js';
import { PACED_SENDER } from './lib/live.js';
import { killAllChildren, sleep, start, stop, waitBound } from './lib/proc.js';
import { countRecords } from '../test/helpers/wait.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const minutes = arg('minutes', 10);
const pps = arg('pps', 100_000);
const rotateMb = arg('rotate-mb', 100);
const seconds = Math.round(minutes * 60);
const CLI = resolve(import.meta.dirname, '..', 'dist', 'bin', 'tscap.js');

function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

async function main(): Promise<number> {
  const net = createBenchNet();
  const dir = mkdtempSync(join(tmpdir(), 'tscap-soak-'));
  const base = join(dir, 'soak.pcap');
  process.on('SIGINT', () => {
    killAllChildren();
    net.remove();
    process.exit(130);
  });
  try {
    const argv = [process.execPath, CLI, '-i', net.host, '-n', '--print', '-w', base, '-C', String(rotateMb), '--summary', 'conv', '--summary', 'endpoints', '--summary', 'protocols'];
    const cap = start(argv, 'ignore'); // text to /dev/null
    if (!(await waitBound(cap, net.hostIndex, 15_000))) throw new Error(`tscap did not start: ${cap.stderr()}`);
    const sender = start(net.inNs([process.execPath, '--import', 'tsx', PACED_SENDER, net.peer, '64', String(pps), String(seconds)]), 'pipe');
    const t0 = Date.now();
    const samples: { t: number; rssKiB: number }[] = [];
    let written = 0;
    const counted = new Set<string>();
    // Closed files (every one but the newest) are counted and deleted as the run goes.
    const collectClosed = (all: boolean): void => {
      const files = readdirSync(dir)
        .filter((f) => f.startsWith('soak.pcap'))
        .sort((a, b) => a.length - b.length || a.localeCompare(b));
      for (const f of all ? files : files.slice(0, -1)) {
        if (counted.has(f)) continue;
        written += countRecords(join(dir, f));
        counted.add(f);
        rmSync(join(dir, f));
      }
    };
    // RSS on a timer of its own, so counting a closed file never delays a sample.
    const sampler = setInterval(() => {
      if (cap.done()) return;
      const t = (Date.now() - t0) / 1000;
      samples.push({ t, rssKiB: rssKiB(cap.pid) });
      process.stderr.write(`t=${t.toFixed(0)}s rss=${(samples.at(-1)!.rssKiB / 1024).toFixed(1)} MiB\n`);
    }, 10_000);
    while (!sender.done()) {
      await Promise.race([sender.exited, sleep(5_000)]);
      if (cap.done()) throw new Error(`tscap exited early: ${cap.stderr()}`);
      collectClosed(false);
    }
    clearInterval(sampler);
    const sent = (JSON.parse(sender.stdout().trim().split('\n').pop() ?? '{}') as { sent?: number; warmup?: number; pps?: number });
    await stop(cap, 'SIGINT', 30_000);
    collectClosed(true);
    const err = cap.stderr();
    const num = (re: RegExp): number => Number(re.exec(err)?.[1] ?? NaN);
    const captured = num(/^(\d+) packets? captured$/m);
    const received = num(/^(\d+) packets? received by filter$/m);
    const dropped = num(/^(\d+) packets? dropped by kernel$/m);
    const ref = samples.find((s) => s.t >= Math.min(60, seconds / 2)) ?? samples[0];
    const later = samples.filter((s) => ref !== undefined && s.t > ref.t);
    const peak = Math.max(ref?.rssKiB ?? 0, ...later.map((s) => s.rssKiB));
    const growth = ref ? (peak - ref.rssKiB) / ref.rssKiB : NaN;
    const flat = growth < 0.05;
    const balanced = written === received - dropped;
    process.stdout.write(
      [
        `soak: ${minutes} min, offered ${sent.pps?.toFixed(0) ?? '?'} pps (${(sent.sent ?? 0) + (sent.warmup ?? 0)} frames), -C ${rotateMb} MB, text to /dev/null, --summary conv/endpoints/protocols`,
        `rss MiB (every 10 s): ${samples.map((s) => (s.rssKiB / 1024).toFixed(0)).join(' ')}`,
        `rss after ${ref?.t.toFixed(0)} s: ${((ref?.rssKiB ?? 0) / 1024).toFixed(1)} MiB, peak later ${(peak / 1024).toFixed(1)} MiB, growth ${(growth * 100).toFixed(2)}% (< 5%: ${flat ? 'yes' : 'NO'})`,
        `captured ${captured}, received by filter ${received}, dropped ${dropped}, written to files ${written} (= received - dropped: ${balanced ? 'yes' : 'NO'})`,
        '',
      ].join('\n'),
    );
    return flat && balanced ? 0 : 1;
  } finally {
    killAllChildren();
    net.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`soak: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
