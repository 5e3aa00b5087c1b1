/**
 * Fanout workers that each run the pipeline on their own packets, on a real veth: `--workers 4 -w
 * NAME%w` over 200,000 frames loses and duplicates nothing and never splits a flow across files,
 * `--workers 4 -n` prints every frame's line whole (the workers' batches never interleave mid-line),
 * `--workers 2 -w FILE` appends both workers' batches to one file that tcpdump reads whole, and `-c N`
 * over workers stops at exactly N packets, and `--summary` over workers adds up the workers' tables
 * into what tshark reads from the file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { needsMerge } from '../../src/pipeline/config.js';
import { startCli } from '../helpers/cli.js';
import { ether, pad60, sendFrames, sendInChunks, udp4 } from '../helpers/frames.js';
import { createTestNet, type TestNet } from '../helpers/netns.js';
import { readPcap } from '../helpers/pcap-lite.js';
import { waitForRecords } from '../helpers/wait.js';
import type { SummaryJson } from '../../src/sinks/summary.js';
import { compareWithTshark } from '../summary/compare.js';

let net: TestNet;
const dir = mkdtempSync(join(tmpdir(), 'tscap-workers-'));
beforeAll(() => {
  net = createTestNet('ws');
});
afterAll(() => {
  net?.remove();
});

const FLOWS = 509; // a prime: ids and flows do not line up

/** Frame `id`: UDP from one of FLOWS source address/port pairs, the id in the first four payload bytes. */
function frame(id: number): Uint8Array {
  const f = id % FLOWS;
  const payload = [id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff];
  return pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4(`203.0.113.${(f % 250) + 1}`, '198.51.100.9', 20000 + f, 9, payload)));
}

// Ethernet 14 + IPv4 20 + UDP 8: the payload's offset; the 5-tuple is source address (26..30) and port (34..36).
const idOf = (d: Uint8Array): number => ((d[42] as number) << 24) | ((d[43] as number) << 16) | ((d[44] as number) << 8) | (d[45] as number);
const flowOf = (d: Uint8Array): string => Buffer.from(d.subarray(26, 38)).toString('hex');

test('--workers 4 -w NAME%w: 200,000 frames, each in exactly one file, every flow in one file only', async () => {
  const TOTAL = 200_000;
  const CHUNK = 20_000;
  const names = [0, 1, 2, 3].map((i) => join(dir, `w${i}.pcap`));
  const p = startCli(['-i', net.host, '--workers', '4', '-w', join(dir, 'w%w.pcap')]);
  try {
    await p.waitStderr(/listening on/);
    // In chunks, each seen in the files before the next: the veth's backlog is shared with other tests.
    for (let at = 0; at < TOTAL; at += CHUNK) {
      const frames = Array.from({ length: CHUNK }, (_, i) => frame(at + i));
      expect(sendFrames(net.ns, net.peer, frames, 2)).toBe(CHUNK);
      await waitForRecords(() => names, at + CHUNK, { timeoutMs: 60_000 });
    }
  } finally {
    p.child.kill('SIGINT');
  }
  const r = await p.done;
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/^200000 packets captured$/m);
  expect(r.stderr).toMatch(/^0 packets dropped by kernel$/m);
  const seen = new Uint8Array(TOTAL);
  const fileOfFlow = new Map<string, number>();
  let total = 0;
  const perFile: number[] = [];
  for (const [i, name] of names.entries()) {
    const { records } = readPcap(name);
    perFile.push(records.length);
    for (const rec of records) {
      const id = idOf(rec.data);
      expect(id).toBeLessThan(TOTAL);
      seen[id] = (seen[id] as number) + 1;
      const flow = flowOf(rec.data);
      const owner = fileOfFlow.get(flow);
      if (owner === undefined) fileOfFlow.set(flow, i);
      else if (owner !== i) throw new Error(`flow ${flow} is in w${owner}.pcap and w${i}.pcap`);
      total++;
    }
  }
  expect(total).toBe(TOTAL);
  expect(seen.every((n) => n === 1)).toBe(true);
  expect(fileOfFlow.size).toBe(FLOWS);
  // hash fanout spreads 509 flows over the four workers: every file has some
  for (const n of perFile) expect(n).toBeGreaterThan(0);
}, 600_000);

test('--workers 4 -n: every frame printed once, every line whole', async () => {
  const TOTAL = 20_000;
  const p = startCli(['-i', net.host, '--workers', '4', '-n', 'udp']);
  const lineRe = /^\d\d:\d\d:\d\d\.\d{6} IP 203\.0\.113\.\d+\.(\d+) > 198\.51\.100\.9\.9: UDP, length 4$/;
  const newlines = (o: string): number => {
    let n = 0;
    for (let i = o.indexOf('\n'); i >= 0; i = o.indexOf('\n', i + 1)) n++;
    return n;
  };
  try {
    await p.waitStderr(/listening on/);
    const sent = await sendInChunks(net.ns, net.peer, Array.from({ length: TOTAL }, (_, i) => frame(i)), (n) => p.waitStdout((o) => newlines(o) >= n, `${n} lines`, 60_000));
    expect(sent).toBe(TOTAL);
  } finally {
    p.child.kill('SIGINT');
  }
  const r = await p.done;
  expect(r.code, r.stderr).toBe(0);
  const all = r.stdout.split('\n').filter((l) => l !== '');
  const bad = all.filter((l) => !lineRe.test(l));
  expect(bad.slice(0, 5)).toEqual([]);
  expect(all).toHaveLength(TOTAL);
  // per source port (flow), the count sent: nothing lost or doubled within any flow
  const perPort = new Map<number, number>();
  for (const l of all) {
    const port = Number(lineRe.exec(l)?.[1]);
    perPort.set(port, (perPort.get(port) ?? 0) + 1);
  }
  for (let f = 0; f < FLOWS; f++) expect(perPort.get(20000 + f), `port ${20000 + f}`).toBe(Math.floor(TOTAL / FLOWS) + (f < TOTAL % FLOWS ? 1 : 0));
  expect(r.stderr).toMatch(/^20000 packets captured$/m);
}, 300_000);

/** Ids of the records of `file`, checked to be each below `total` and each flow's in increasing order. */
function idsInFlowOrder(file: string, total: number): number[] {
  const ids: number[] = [];
  const lastOfFlow = new Map<string, number>();
  for (const rec of readPcap(file).records) {
    const id = idOf(rec.data);
    expect(id).toBeLessThan(total);
    const flow = flowOf(rec.data);
    const last = lastOfFlow.get(flow) ?? -1;
    if (id <= last) throw new Error(`flow ${flow}: id ${id} after ${last}`);
    lastOfFlow.set(flow, id);
    ids.push(id);
  }
  return ids;
}

test('--workers 2 -w FILE: both workers append whole batches to one file, every frame once, each flow in order, tcpdump reads it all', async () => {
  // One classic pcap file needs no merged stream: nothing per packet reaches the main thread.
  const source = { kind: 'live' as const, interfaces: [net.host], workers: 2 };
  expect(needsMerge({ source, file: { path: join(dir, 'one.pcap') } })).toBe(false);
  expect(needsMerge({ source, file: { path: join(dir, 'one.pcapng') } })).toBe(true);
  expect(needsMerge({ source, file: { path: join(dir, 'one.pcap'), fileSizeMB: 1 } })).toBe(true);
  const TOTAL = 40_000;
  const file = join(dir, 'one.pcap');
  const p = startCli(['-i', net.host, '--workers', '2', '-w', file]);
  try {
    await p.waitStderr(/listening on/);
    const sent = await sendInChunks(net.ns, net.peer, Array.from({ length: TOTAL }, (_, i) => frame(i)), (n) => waitForRecords(file, n, { timeoutMs: 60_000 }));
    expect(sent).toBe(TOTAL);
  } finally {
    p.child.kill('SIGINT');
  }
  const r = await p.done;
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/^40000 packets captured$/m);
  const ids = idsInFlowOrder(file, TOTAL);
  expect(ids).toHaveLength(TOTAL);
  expect(new Set(ids).size).toBe(TOTAL);
  const lines = execFileSync('tcpdump', ['-r', file, '-n', '-q'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 }).trim().split('\n');
  expect(lines).toHaveLength(TOTAL);
}, 300_000);

test('--workers 2 -c 5000 -w FILE: the workers share one count and stop at exactly 5000 packets', async () => {
  const file = join(dir, 'count.pcap');
  const p = startCli(['-i', net.host, '--workers', '2', '-c', '5000', '-w', file]);
  await p.waitStderr(/listening on/);
  let exited = false;
  void p.done.then(() => (exited = true));
  // chunks until the capture has ended by itself at the count: the first 5,000 each seen in the file
  const sent = await sendInChunks(net.ns, net.peer, Array.from({ length: 12_000 }, (_, i) => frame(i)), (n) =>
    exited || n > 5000 ? Promise.resolve() : waitForRecords(file, n, { timeoutMs: 60_000 }),
  );
  expect(sent).toBe(12_000);
  const r = await p.done;
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/^5000 packets captured$/m);
  const ids = idsInFlowOrder(file, 12_000);
  expect(ids).toHaveLength(5000);
  expect(new Set(ids).size).toBe(5000);
}, 300_000);

test('--workers 2 -w FILE --summary: each worker counts its own packets, the added-up summary equals tshark on the file', async () => {
  // Summaries without io intervals are added up from the workers' tables at the end: no merged stream.
  const source = { kind: 'live' as const, interfaces: [net.host], workers: 2 };
  const file = join(dir, 'summary.pcap');
  expect(needsMerge({ source, file: { path: file }, summary: { kinds: [{ kind: 'conv' }, { kind: 'protocols' }], json: true } })).toBe(false);
  expect(needsMerge({ source, file: { path: file }, summary: { kinds: [{ kind: 'io', interval: 1 }], json: true } })).toBe(true);
  const TOTAL = 6000;
  // both directions of each flow, so A and B of a conversation come from its first packet
  const reply = (id: number): Uint8Array => {
    const f = id % FLOWS;
    return pad60(ether('02:00:00:00:00:01', '02:00:00:00:00:02', 0x0800, udp4('198.51.100.9', `203.0.113.${(f % 250) + 1}`, 9, 20000 + f, [id & 0xff])));
  };
  const frames = Array.from({ length: TOTAL }, (_, i) => (i % 3 === 2 ? reply(i) : frame(i)));
  const p = startCli(['-i', net.host, '--workers', '2', '--nano', '-w', file, '--json', '--summary', 'conv', '--summary', 'endpoints', '--summary', 'protocols']);
  try {
    await p.waitStderr(/listening on/);
    expect(await sendInChunks(net.ns, net.peer, frames, (n) => waitForRecords(file, n, { timeoutMs: 60_000 }))).toBe(TOTAL);
  } finally {
    p.child.kill('SIGINT');
  }
  const r = await p.done;
  expect(r.code, r.stderr).toBe(0);
  const line = r.stderr.split('\n').find((l) => l.startsWith('{"summary"'));
  expect(line, r.stderr).toBeDefined();
  const summary = (JSON.parse(line!) as { summary: SummaryJson }).summary;
  expect(summary.packets).toBe(TOTAL);
  expect(summary.conversations!.udp).toHaveLength(FLOWS);
  // the workers append batches, not packets in time order: tshark reads the file sorted by time
  // (nanosecond stamps, so that conversation starts compare to the microsecond)
  const sorted = join(dir, 'summary-sorted.pcap');
  execFileSync('reordercap', [file, sorted], { stdio: 'ignore' });
  expect(await compareWithTshark(sorted, { io: false }, summary)).toEqual([]);
}, 300_000);

test('--workers 2 --stats: no merged stream; the top flow and top talker are added up from both workers', async () => {
  const source = { kind: 'live' as const, interfaces: [net.host], workers: 2 };
  expect(needsMerge({ source, stats: { intervalMs: 300, tty: false } })).toBe(false);
  // flow k (k = 0..7) sends 100 * (k + 1) frames of 60 bytes to one address: the largest flow is
  // flow 7 (800 frames, 48,000 bytes); the one talker in every flow got all 3,600 (216,000 bytes)
  const frames: Uint8Array[] = [];
  for (let k = 0; k < 8; k++) {
    for (let i = 0; i < 100 * (k + 1); i++) frames.push(pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4(`203.0.113.${k + 1}`, '198.51.100.9', 20000 + k, 9, [i & 0xff]))));
  }
  const p = startCli(['-i', net.host, '--workers', '2', '--stats', '0.3', '-w', '/dev/null']);
  try {
    await p.waitStderr(/listening on/);
    await sendInChunks(net.ns, net.peer, frames, (n) => p.waitStderr(new RegExp(`^stats [^\\n]*: ${n} pkts`, 'm'), 60_000));
    // the workers report their flows twice a second: wait for a line that has them all
    await p.waitStderr(/^stats [^\n]*: 3600 pkts[^\n]*top flow udp 203\.0\.113\.8:20007 <-> 198\.51\.100\.9:9 48\.00 kB \| top talker 198\.51\.100\.9 216\.00 kB/m, 60_000);
  } finally {
    p.child.kill('SIGINT');
  }
  const r = await p.done;
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/^3600 packets captured$/m);
}, 300_000);
