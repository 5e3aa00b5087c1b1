/**
 * Live path: tscap's own capture (AF_PACKET ring) on a veth while the Python sender
 * (test/summary/send_flows.py) sends known flows from a namespace; the live statistics (source rows
 * from the capture's counters, top flows, talkers) and the summary are checked against the sender's
 * own counts.
 */
import { execFileSync, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCapture } from '../../src/capture/index.js';
import type { Capture } from '../../src/capture/index.js';
import type { PacketView } from '../../src/packet.js';
import { createStatsReporter } from '../../src/sinks/stats.js';
import type { StatsReporter } from '../../src/sinks/stats.js';
import { createSummarySink } from '../../src/sinks/summary.js';
import type { SummarySink } from '../../src/sinks/summary.js';
import { createTestNet, type TestNet } from '../helpers/netns.js';

interface SentFlow {
  kind: string;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  frames: number;
  bytes: number;
}

const SRC_MAC = '02:00:00:74:73:01';
const MAC = [2, 0, 0, 0x74, 0x73, 1];
let net: TestNet | undefined;

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function sendFlows(): Promise<{ flows: SentFlow[] }> {
  return new Promise((resolve, reject) => {
    const p = spawn('ip', ['netns', 'exec', net!.ns, 'python3', 'test/summary/send_flows.py', net!.peer, SRC_MAC]);
    let out = '';
    let err = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { flows: SentFlow[] }) : reject(new Error(`sender failed (${code}): ${err}`))));
  });
}

/** Upper bound on one wait for the socket, so the deadline is checked even if nothing comes. */
const POLL_MS = 20;

let sent: SentFlow[] = [];
let rep: StatsReporter;
let summary: SummarySink;
let cap: Capture | undefined;
const reports: string[] = [];

describe('live statistics and summary count exactly what the sender sent', () => {
  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error('this test needs root: it creates a network namespace and a veth pair');
    try {
      sh('python3', ['--version']);
    } catch {
      throw new Error('this test needs python3');
    }
    net = createTestNet('ts');
    try {
      const c = openCapture({ iface: net.host, promisc: true, ring: { blockTimeoutMs: 10 } });
      cap = c;
      summary = createSummarySink([{ kind: 'conv' }], { json: true, out: () => undefined });
      rep = createStatsReporter({
        intervalMs: 200,
        sources: () => [{ name: net!.host, ...c.stats() }],
        tty: false,
        write: (s) => reports.push(s),
        accounting: summary.accounting,
      });
      let seen = 0;
      // only the sender's frames: the kernel may still emit something of its own on the link
      const visit = (p: PacketView): void => {
        for (let i = 0; i < 6; i++) if (p.buf[p.offset + 6 + i] !== MAC[i]) return;
        seen++;
        summary.write(p);
        rep.sink.write(p);
      };
      let report: { flows: SentFlow[] } | undefined;
      const sending = sendFlows().then((r) => {
        report = r;
        return r;
      });
      sending.catch(() => undefined); // awaited below
      // Until every frame the sender reports has been taken in (or the deadline: the checks below then fail).
      const expected = (): number => (report === undefined ? Infinity : report.flows.reduce((a, f) => a + f.frames, 0));
      const deadline = Date.now() + 40_000;
      while (seen < expected() && Date.now() < deadline) {
        if (c.dispatch(visit) === 0) await Promise.race([c.wait(), sending.then(() => undefined), new Promise((r) => setTimeout(r, POLL_MS))]);
      }
      sent = (await sending).flows;
      rep.tick();
      rep.stop();
      await summary.close();
    } finally {
      cap?.close();
      net.remove();
    }
  }, 60_000);

  afterAll(() => rep?.stop());

  it('source row: everything captured, nothing dropped', () => {
    const total = sent.reduce((a, f) => a + f.frames, 0);
    const row = rep.snapshot().sources[0]!;
    expect(row.name).toBe(net!.host);
    expect(row.dropped).toBe(0);
    // the capture may count frames the kernel sent itself; the accounting holds only the sender's
    expect(row.captured).toBeGreaterThanOrEqual(total);
    expect(rep.snapshot().packets).toBe(total);
    expect(rep.snapshot().bytes).toBe(sent.reduce((a, f) => a + f.bytes, 0));
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.every((r) => r.startsWith('stats ') && r.endsWith('\n') && r.split('\n').length === 2)).toBe(true);
  });

  it('top flows and talkers', () => {
    const conv = new Map<string, number>();
    for (const f of sent.filter((x) => x.kind !== 'icmp4')) {
      const a = `${f.src}|${f.sport}`;
      const b = `${f.dst}|${f.dport}`;
      const key = a < b ? `${a}>${b}` : `${b}>${a}`;
      conv.set(key, (conv.get(key) ?? 0) + f.bytes);
    }
    const expected = [...conv.values()].sort((x, y) => y - x).slice(0, 10);
    expect(rep.snapshot().topFlows.map((f) => f.bytes)).toEqual(expected);
    const talk = new Map<string, number>();
    for (const f of sent) {
      talk.set(f.src, (talk.get(f.src) ?? 0) + f.bytes);
      talk.set(f.dst, (talk.get(f.dst) ?? 0) + f.bytes);
    }
    const got = new Map(rep.snapshot().topTalkers.map((t) => [t.address, t.bytes]));
    expect(got).toEqual(talk);
  });

  it('summary UDP conversation of the first flow, both directions', () => {
    const [fwd, back] = sent;
    const c = summary.result().conversations!.udp.find((x) => x.a === fwd!.src && x.aPort === fwd!.sport)!;
    expect([c.b, c.bPort, c.aToB.frames, c.aToB.bytes, c.bToA.frames, c.bToA.bytes]).toEqual([
      fwd!.dst,
      fwd!.dport,
      fwd!.frames,
      fwd!.bytes,
      back!.frames,
      back!.bytes,
    ]);
  });
});
