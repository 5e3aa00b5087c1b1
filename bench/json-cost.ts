/**
 * What NDJSON and live statistics cost beside their plain counterparts, offline on the live bench's
 * own frame (`udpTestFrame(64)` from frames.ts, the one trafgen sends): `-r F --json` against
 * `-r F -n`, and `-r F --stats 1 -w /dev/null` against `-r F -w /dev/null`, each run alternately
 * `runs` times; CPU (user + system) of the child process from /proc/self/stat's cutime and cstime,
 * median. Only the ratios mean anything on a shared machine. Needs `npx tsc -p tsconfig.build.json`
 * first (it runs dist/bin/tscap.js). Prints numbers, never fails on time.
 * Run: `npx tsx bench/json-cost.ts [packets] [runs]` (defaults 500,000 and 5).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { udpTestFrame } from './lib/frames.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const PACKETS = Number(process.argv[2] ?? 500_000);
const RUNS = Number(process.argv[3] ?? 5);
const TICKS_PER_SEC = 100; // USER_HZ on Linux

/** A classic pcap (microsecond stamps, LINKTYPE_ETHERNET) of `count` copies of the bench frame. */
function writeFile(path: string, count: number): void {
  const f = udpTestFrame(64);
  const rec = 16 + f.length;
  const buf = new Uint8Array(24 + rec * count);
  const dv = new DataView(buf.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 262144, true);
  dv.setUint32(20, 1, true);
  let o = 24;
  for (let i = 0; i < count; i++) {
    dv.setUint32(o, 1_700_000_000 + Math.floor(i / 250_000), true);
    dv.setUint32(o + 4, (i % 250_000) * 4, true);
    dv.setUint32(o + 8, f.length, true);
    dv.setUint32(o + 12, f.length, true);
    buf.set(f, o + 16);
    o += rec;
  }
  const fd = openSync(path, 'w');
  writeSync(fd, buf);
  closeSync(fd);
}

/** CPU seconds of this process's waited-for children so far. */
function childCpu(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields from the state (3rd field of the line): cutime and cstime are the 16th and 17th
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SEC;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const dir = mkdtempSync(join(tmpdir(), 'tscap-json-cost-'));
try {
  const file = join(dir, 'udp64.pcap');
  writeFile(file, PACKETS);
  const pairs: Array<[string, string[], string[]]> = [
    ['--json / -n', ['--json'], ['-n']],
    ['--stats 1 -w /dev/null / -w /dev/null', ['--stats', '1', '-w', '/dev/null'], ['-w', '/dev/null']],
  ];
  console.log(`offline, ${PACKETS} copies of the 64-byte bench frame, ${RUNS} runs each, CPU s (user + system, node start-up included), median [all]`);
  for (const [label, a, b] of pairs) {
    const cpu: number[][] = [[], []];
    for (let r = 0; r < RUNS; r++) {
      for (const [k, args] of [a, b].entries()) {
        const before = childCpu();
        const res = spawnSync(process.execPath, [join(ROOT, 'dist/bin/tscap.js'), '-r', file, ...args], { stdio: ['ignore', 'ignore', 'ignore'] });
        if (res.status !== 0) throw new Error(`tscap ${args.join(' ')} exited ${res.status}`);
        cpu[k]!.push(childCpu() - before);
      }
    }
    const [ma, mb] = [median(cpu[0]!), median(cpu[1]!)];
    console.log(`${label}: ${ma.toFixed(2)} / ${mb.toFixed(2)} = ${(ma / mb).toFixed(2)}  [${cpu[0]!.map((x) => x.toFixed(2)).join(' ')}] [${cpu[1]!.map((x) => x.toFixed(2)).join(' ')}]`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
