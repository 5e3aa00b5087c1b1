/**
 * The summary counts exactly what a sender sent: a Python sender (test/summary/send_flows.py, its own
 * frame building and counting) sends known flows from a namespace over a veth pair, tcpdump records
 * them on the other end, and every number of the summary (conversations, endpoints, protocol
 * hierarchy, io intervals, totals) and of the live statistics is checked against the sender's own
 * report, never against tscap's output.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPackets } from '../../src/pcap/reader.js';
import { waitForRecords } from '../helpers/wait.js';
import { createSummarySink } from '../../src/sinks/summary.js';
import type { SummaryJson } from '../../src/sinks/summary.js';
import { createStatsReporter } from '../../src/sinks/stats.js';
import { createTestNet, type TestNet } from '../helpers/netns.js';
import { readPcap as readPcapLite } from '../helpers/pcap-lite.js';

interface SentFlow {
  kind: 'udp4' | 'tcp4' | 'udp6' | 'icmp4';
  src: string;
  sport: number;
  dst: string;
  dport: number;
  frames: number;
  bytes: number;
}
interface SentReport {
  flows: SentFlow[];
  bursts: Array<{ start: number; frames: number; bytes: number; took: number }>;
}

const SRC_MAC = '02:00:00:74:73:01';

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function requireTools(): void {
  if (process.getuid?.() !== 0) throw new Error('this test needs root: it creates a network namespace and a veth pair');
  for (const [tool, arg] of [
    ['ip', '-V'],
    ['tcpdump', '--version'],
    ['python3', '--version'],
  ] as const) {
    try {
      sh(tool, [arg]);
    } catch {
      throw new Error(`this test needs ${tool}: apt-get install -y iproute2 tcpdump python3`);
    }
  }
}

let net: TestNet;
let dir = '';
let sent: SentReport;
let summary: SummaryJson;
let file = '';

async function captureWhileSending(): Promise<SentReport> {
  const td = spawn('tcpdump', ['-i', net.host, '-n', '-U', '-B', '8192', '-Z', 'root', '-w', file, 'ether', 'src', SRC_MAC]);
  let err = '';
  const exited = new Promise<number | null>((resolve) => td.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${err}`)), 10_000);
    td.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      if (/listening on/.test(err)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  let out = '';
  let sendError: unknown;
  try {
    out = net.exec('python3', ['test/summary/send_flows.py', net.peer, SRC_MAC]);
    // libpcap hands over a ring block when it fills or after its 1 s timeout: wait until tcpdump has
    // written every frame the sender reports, then stop it.
    const frames = (JSON.parse(out) as SentReport).bursts.reduce((a, b) => a + b.frames, 0);
    await waitForRecords(file, frames, { timeoutMs: 20_000 });
  } catch (e) {
    sendError = e;
  }
  td.kill('SIGINT');
  const code = await exited;
  if (sendError !== undefined) throw sendError;
  if (!/\b0 packets dropped by kernel/.test(err)) throw new Error(`tcpdump (exit ${code}) dropped packets or did not report: ${err}`);
  return JSON.parse(out) as SentReport;
}

describe('summary and statistics count exactly what the sender sent', () => {
  beforeAll(async () => {
    requireTools();
    dir = mkdtempSync(join(tmpdir(), 'tscap-summary-'));
    file = join(dir, 'sent.pcap');
    // no IPv6 on either end (createTestNet's default): the kernel then sends nothing of its own (the
    // capture filter on the sender's MAC would drop it anyway)
    net = createTestNet('ts');
    try {
      sent = await captureWhileSending();
    } finally {
      net.remove();
    }
    const sink = createSummarySink(
      [{ kind: 'conv' }, { kind: 'endpoints' }, { kind: 'protocols' }, { kind: 'io', interval: 1 }],
      { json: true, out: () => undefined },
    );
    for await (const p of readPackets(file)) sink.write(p);
    await sink.close();
    summary = sink.result();
  }, 60_000);

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('totals', () => {
    expect(summary.packets).toBe(sent.flows.reduce((a, f) => a + f.frames, 0));
    expect(summary.bytes).toBe(sent.flows.reduce((a, f) => a + f.bytes, 0));
  });

  it('TCP and UDP conversations: both directions, A is the first sender', () => {
    for (const [proto, kinds] of [
      ['tcp', ['tcp4']],
      ['udp', ['udp4', 'udp6']],
    ] as const) {
      const expected = new Map<string, { a: string; aPort: number; b: string; bPort: number; ab: [number, number]; ba: [number, number] }>();
      for (const f of sent.flows.filter((x) => (kinds as readonly string[]).includes(x.kind))) {
        const fwd = `${f.src}|${f.sport}|${f.dst}|${f.dport}`;
        const rev = `${f.dst}|${f.dport}|${f.src}|${f.sport}`;
        const e = expected.get(rev);
        if (e) e.ba = [f.frames, f.bytes];
        else expected.set(fwd, { a: f.src, aPort: f.sport, b: f.dst, bPort: f.dport, ab: [f.frames, f.bytes], ba: [0, 0] });
      }
      const got = summary.conversations![proto].map((c) => ({
        a: c.a,
        aPort: c.aPort,
        b: c.b,
        bPort: c.bPort,
        ab: [c.aToB.frames, c.aToB.bytes],
        ba: [c.bToA.frames, c.bToA.bytes],
      }));
      const key = (x: { a: string; aPort?: number | undefined }): string => `${x.a}|${x.aPort}`;
      expect(got.sort((x, y) => key(x).localeCompare(key(y)))).toEqual([...expected.values()].sort((x, y) => key(x).localeCompare(key(y))));
    }
  });

  it('IPv4 conversations and endpoints', () => {
    const v4 = sent.flows.filter((f) => f.kind !== 'udp6');
    const pairs = new Map<string, { a: string; b: string; ab: number[]; ba: number[] }>();
    for (const f of v4) {
      const e = pairs.get(`${f.dst}|${f.src}`);
      if (e) {
        e.ba[0]! += f.frames;
        e.ba[1]! += f.bytes;
        continue;
      }
      const k = `${f.src}|${f.dst}`;
      const cur = pairs.get(k) ?? { a: f.src, b: f.dst, ab: [0, 0], ba: [0, 0] };
      cur.ab[0]! += f.frames;
      cur.ab[1]! += f.bytes;
      pairs.set(k, cur);
    }
    const got = summary.conversations!.ipv4.map((c) => ({ a: c.a, b: c.b, ab: [c.aToB.frames, c.aToB.bytes], ba: [c.bToA.frames, c.bToA.bytes] }));
    const order = (x: { a: string; b: string }): string => `${x.a}|${x.b}`;
    expect(got.sort((x, y) => order(x).localeCompare(order(y)))).toEqual([...pairs.values()].sort((x, y) => order(x).localeCompare(order(y))));

    const eps = new Map<string, number[]>();
    for (const f of v4) {
      const s = eps.get(f.src) ?? [0, 0, 0, 0];
      s[0]! += f.frames;
      s[1]! += f.bytes;
      eps.set(f.src, s);
      const d = eps.get(f.dst) ?? [0, 0, 0, 0];
      d[2]! += f.frames;
      d[3]! += f.bytes;
      eps.set(f.dst, d);
    }
    const gotEp = Object.fromEntries(summary.endpoints!.ipv4.map((e) => [e.address, [e.txFrames, e.txBytes, e.rxFrames, e.rxBytes]]));
    expect(gotEp).toEqual(Object.fromEntries(eps));
  });

  it('protocol hierarchy', () => {
    const sum = (kind: string): [number, number] =>
      sent.flows.filter((f) => f.kind === kind).reduce<[number, number]>((a, f) => [a[0] + f.frames, a[1] + f.bytes], [0, 0]);
    const node = (path: string[]): [number, number] | undefined => {
      let n = summary.protocols!;
      for (const p of path) {
        const c = n.children.find((x) => x.protocol === p);
        if (!c) return undefined;
        n = c;
      }
      return [n.frames, n.bytes];
    };
    expect(node(['eth'])).toEqual([summary.packets, summary.bytes]);
    expect(node(['eth', 'ipv4', 'udp'])).toEqual(sum('udp4'));
    expect(node(['eth', 'ipv4', 'tcp'])).toEqual(sum('tcp4'));
    expect(node(['eth', 'ipv4', 'icmp'])).toEqual(sum('icmp4'));
    expect(node(['eth', 'ipv6', 'udp'])).toEqual(sum('udp6'));
  });

  it('io intervals: every frame in the second its timestamp falls in (tcpdump\'s file), empty seconds included', () => {
    // The oracle is the file's own timestamps, bucketed here: the sender's bursts (0 s, 1.5 s, 3.5 s)
    // may run late on a loaded machine, but each frame's second is what tcpdump recorded.
    const f = readPcapLite(file);
    const unit = f.nanosecond ? 1e9 : 1e6;
    const first = f.records[0]!;
    const expected: number[][] = [];
    for (const r of f.records) {
      const k = Math.floor((r.tsSec - first.tsSec) + (r.tsFrac - first.tsFrac) / unit);
      while (expected.length <= k) expected.push([expected.length, 0, 0]);
      expected[k]![1]! += 1;
      expected[k]![2]! += r.wireLen;
    }
    expect(expected.length).toBeGreaterThanOrEqual(3); // the bursts span seconds
    expect(f.records.length).toBe(sent.bursts.reduce((a, b) => a + b.frames, 0));
    expect(summary.io![0]!.intervals.map((r) => [r.start, r.frames, r.bytes])).toEqual(expected);
  });

  it('live statistics: top flows and talkers carry the sent counts', async () => {
    const lines: string[] = [];
    const rep = createStatsReporter({ intervalMs: 1000, sources: () => [], tty: false, write: (s) => lines.push(s) });
    for await (const p of readPackets(file)) rep.sink.write(p);
    const snap = rep.snapshot();
    const biggest = [...sent.flows].filter((f) => f.kind !== 'icmp4').sort((x, y) => y.bytes - x.bytes)[0]!;
    // the largest one-way flow is TCP 10.66.0.2:80 → 10.66.0.1:45000; its conversation adds the other way
    const reverse = sent.flows.find((f) => f.src === biggest.dst && f.sport === biggest.dport && f.dst === biggest.src && f.dport === biggest.sport);
    expect(snap.topFlows[0]!.bytes).toBe(biggest.bytes + (reverse?.bytes ?? 0));
    const talker = new Map<string, number>();
    for (const f of sent.flows) {
      talker.set(f.src, (talker.get(f.src) ?? 0) + f.bytes);
      talker.set(f.dst, (talker.get(f.dst) ?? 0) + f.bytes);
    }
    const top = [...talker.entries()].sort((x, y) => y[1] - x[1])[0]!;
    expect([snap.topTalkers[0]!.address, snap.topTalkers[0]!.bytes]).toEqual(top);
    expect(snap.packets).toBe(summary.packets);
    rep.stop();
  });
});
