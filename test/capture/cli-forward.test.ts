/**
 * The CLI's scale-out and hand-off paths on real veths: --workers, repeated -i, -i any into a pcap that
 * tshark reads with each packet's interface, --mirror, and --export to a collector that is not there.
 */
import { randomInt } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { interfaceInfo } from '../../src/capture/interfaces.js';
import { readPackets } from '../../src/pcap/index.js';
import { startCli, type CliProcess } from '../helpers/cli.js';
import { hex } from '../helpers/collect.js';
import { ether, pad60, sendFrames, udp4 } from '../helpers/frames.js';
import { createTestNet, run, type TestNet } from '../helpers/netns.js';
import { startTcpdump } from '../helpers/tcpdump.js';
import { waitForRecords } from '../helpers/wait.js';

/**
 * `-i any` in the machine's own namespace sees every interface, other test files' traffic included
 * (kernel UDP sockets send from ephemeral ports, 32768 and up, so a port alone is not this test's).
 * Its frames carry a cookie drawn per run as their first four payload bytes, and its filters keep to
 * it (`MINE`); the ports, also drawn per run, tell the flows apart.
 */
const PORT_BASE = 20000 + randomInt(0, 1200) * 10;
const COOKIE = randomInt(1, 2 ** 31);
const MINE = `udp[8:4] = ${COOKIE}`;
const [PORT_A, PORT_B, PORT_C, PORT_D, PORT_E] = [PORT_BASE, PORT_BASE + 1, PORT_BASE + 2, PORT_BASE + 3, PORT_BASE + 4];
let a: TestNet;
let b: TestNet;
const dir = mkdtempSync(join(tmpdir(), 'tscap-fwd-'));
beforeAll(() => {
  a = createTestNet('tg');
  b = createTestNet('tg');
});
afterAll(() => {
  a?.remove();
  b?.remove();
});

function flows(n: number, flowsCount: number, port = 30000, cookie: number[] = []): Uint8Array[] {
  return Array.from({ length: n }, (_, i) =>
    pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4(`203.0.113.${(i % flowsCount) + 1}`, '198.51.100.9', port + (i % flowsCount), 9, [...cookie, i >> 8, i & 0xff]))),
  );
}

/** One flow of `n` frames for the `-i any` tests: the run's cookie first in each payload. */
function anyFlow(n: number, port: number): Uint8Array[] {
  return flows(n, 1, port, [COOKIE >>> 24, (COOKIE >> 16) & 0xff, (COOKIE >> 8) & 0xff, COOKIE & 0xff]);
}

function summary(stderr: string): number {
  const m = /^(\d+) packets? captured$/m.exec(stderr);
  if (!m) throw new Error(`no summary in ${stderr}`);
  return Number(m[1]);
}

/**
 * Runs the CLI, sends while it listens, waits until `arrived` (what was sent has come out: records in
 * a file, lines on stdout), then stops it with SIGINT. Several interfaces and workers stop at once on
 * SIGINT, without the one-interface drain, so the wait is for the output itself.
 */
async function capture(args: string[], send: () => void, arrived: (p: CliProcess) => Promise<void>): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const p = startCli(args);
  await p.waitStderr(/listening on/);
  send();
  await arrived(p);
  p.child.kill('SIGINT');
  const r = await p.done;
  return { stdout: r.stdout, stderr: r.stderr, code: r.code };
}

test('--workers 2 --merge: one merged file holds every frame once, in timestamp order', async () => {
  const out = join(dir, 'workers.pcap');
  const sent = flows(1280, 64);
  const r = await capture(['-i', a.host, '--workers', '2', '--merge', '-w', out], () => sendFrames(a.ns, a.peer, sent), () => waitForRecords(out, 1280));
  expect(r.code).toBe(0);
  expect(summary(r.stderr)).toBe(1280);
  const got: string[] = [];
  let last = 0;
  for await (const p of readPackets(out)) {
    const t = p.tsSec * 1e9 + p.tsNsec;
    expect(t).toBeGreaterThanOrEqual(last);
    last = t;
    got.push(hex(p.buf.subarray(p.offset, p.offset + p.capLen)));
  }
  expect(got.sort()).toEqual(sent.map(hex).sort());
});

test('--workers 2 -w NAME%w.pcap: one file per worker, every frame in exactly one, no flow split', async () => {
  const sent = flows(640, 64, 39000);
  const perNames = [0, 1].map((i) => join(dir, `per-${i}.pcap`));
  const r = await capture(['-i', a.host, '--workers', '2', '-w', join(dir, 'per-%w.pcap')], () => sendFrames(a.ns, a.peer, sent), () => waitForRecords(() => perNames, 640));
  expect(r.code).toBe(0);
  const perFile: string[][] = [];
  for (const i of [0, 1]) {
    const got: string[] = [];
    for await (const p of readPackets(join(dir, `per-${i}.pcap`))) got.push(hex(p.buf.subarray(p.offset, p.offset + p.capLen)));
    perFile.push(got);
  }
  expect([...(perFile[0] ?? []), ...(perFile[1] ?? [])].sort()).toEqual(sent.map(hex).sort());
  const flowOf = (h: string): string => h.slice(68, 72); // UDP source port
  const f0 = new Set((perFile[0] ?? []).map(flowOf));
  for (const h of perFile[1] ?? []) expect(f0.has(flowOf(h))).toBe(false);
});

test.each(['pcapng', 'pcap'])('-i repeated into %s: every packet of both interfaces, each recorded with its interface (read by tshark)', async (format) => {
  const out = join(dir, `two.${format}`);
  const fa = flows(30, 3, 31000);
  const fb = flows(20, 2, 32000);
  const r = await capture(
    ['-i', a.host, '-i', b.host, '-w', out],
    () => {
      sendFrames(a.ns, a.peer, fa);
      sendFrames(b.ns, b.peer, fb);
    },
    () => waitForRecords(out, 50),
  );
  expect(r.code).toBe(0);
  expect(summary(r.stderr)).toBe(50);
  // pcapng: one interface block per interface; pcap: LINUX_SLL2 records carrying the interface index.
  const field = format === 'pcapng' ? 'frame.interface_name' : 'sll.ifindex';
  const rows = execFileSync('tshark', ['-r', out, '-T', 'fields', '-e', field, '-e', 'udp.srcport'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  const id = (name: string): string => (format === 'pcapng' ? name : String(interfaceInfo(name).index));
  expect(rows).toHaveLength(50);
  for (const [iface, port] of rows) expect(iface).toBe(Number(port) < 32000 ? id(a.host) : id(b.host));
  const got: string[] = [];
  for await (const p of readPackets(out)) got.push(hex(p.buf.subarray(p.offset, p.offset + p.capLen)));
  if (format === 'pcapng') expect(got.sort()).toEqual([...fa, ...fb].map(hex).sort());
});

test('-i any into pcap: LINUX_SLL2 records that tshark reads with each packet interface index', async () => {
  const out = join(dir, 'any.pcap');
  const fa = anyFlow(4, PORT_A);
  const fb = anyFlow(3, PORT_B);
  const r = await capture(
    ['-i', 'any', '-w', out, `udp and (port ${PORT_A} or port ${PORT_B}) and ${MINE}`],
    () => {
      sendFrames(a.ns, a.peer, fa);
      sendFrames(b.ns, b.peer, fb);
    },
    () => waitForRecords(out, 7),
  );
  expect(r.code).toBe(0);
  const fields = execFileSync('tshark', ['-r', out, '-T', 'fields', '-e', 'sll.ifindex', '-e', 'udp.srcport'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  const ia = String(interfaceInfo(a.host).index);
  const ib = String(interfaceInfo(b.host).index);
  expect(fields.filter(([, port]) => port === `${PORT_A}`).map(([i]) => i)).toEqual([ia, ia, ia, ia]);
  expect(fields.filter(([, port]) => port === `${PORT_B}`).map(([i]) => i)).toEqual([ib, ib, ib]);
});

test('--mirror: frames captured on one veth leave another, counted in the summary', async () => {
  const sent = flows(300, 10, 35000);
  const mirrored = join(dir, 'mirrored.pcap');
  const receiver = await startTcpdump(b.ns, b.peer, mirrored);
  const r = await capture(['-i', a.host, '--mirror', b.host], () => sendFrames(a.ns, a.peer, sent), () => waitForRecords(mirrored, 300));
  const got = await receiver.stop();
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(new RegExp(`^300 packets mirrored to ${b.host} \\(\\d+ bytes, 0 send errors, 0 dropped, 0 of them at the hand-off queue\\)$`, 'm'));
  expect(got.map((p) => hex(p.data))).toEqual(sent.map(hex));
});

/** Sizes in MiB of the packet-socket mappings (capture rings) of process `pid`. */
function ringMiB(pid: number): number[] {
  return readFileSync(`/proc/${pid}/maps`, 'utf8')
    .split('\n')
    .filter((l) => / socket:\[\d+\]$/.test(l))
    .map((l) => {
      const [from, to] = (l.split(' ')[0] as string).split('-').map((h) => BigInt(`0x${h}`)) as [bigint, bigint];
      return Number((to - from) >> 20n);
    });
}

test('the capture ring: 32 MiB by default, 128 MiB when frames are mirrored, -B wins over both (sends on the capture thread: no TX ring of their own)', async () => {
  for (const [args, want] of [[['-w', '/dev/null'], [32]], [['--send-thread', 'off', '--mirror', b.host], [128]], [['-B', '65536', '--send-thread', 'off', '--mirror', b.host], [64]]] as const) {
    const p = startCli(['-i', a.host, ...args]);
    await p.waitStderr(/listening on/);
    const sizes = ringMiB(p.child.pid as number);
    p.child.kill('SIGINT');
    expect((await p.done).code).toBe(0);
    expect(sizes, args.join(' ')).toEqual(want);
  }
});

test('--export to a collector that is not there: capture stays complete, the exporter counts its drops', async () => {
  const sent = flows(500, 10, 36000);
  // 127.0.0.1 on an unused port: connections are refused at once, nothing leaves this machine.
  const alongside = join(dir, 'alongside.pcap');
  const r = await capture(['-i', a.host, '--export', 'tcp://127.0.0.1:1', '-w', alongside], () => sendFrames(a.ns, a.peer, sent), () => waitForRecords(alongside, 500));
  expect(r.code).toBe(0);
  expect(summary(r.stderr)).toBe(500);
  expect(r.stderr).toMatch(/^0 packets exported to tcp:\/\/127\.0\.0\.1:1 \(0 bytes, 0 send errors, 500 dropped, 0 of them at the hand-off queue\)$/m);
  expect(r.stderr).toMatch(/ECONNREFUSED/);
});

test('bad --workers and --export values are usage errors (exit 2)', async () => {
  for (const args of [['--workers', '0'], ['--workers', '65'], ['--fanout', 'bogus'], ['--export', 'ftp://x:1']]) {
    const p = startCli(['-i', a.host, ...args]);
    const r = await p.done;
    expect(r.code).toBe(2);
  }
});

test('-i repeated and -i any: text (-e) and JSON name each packet interface', async () => {
  const fa = anyFlow(2, PORT_C);
  const fb = anyFlow(3, PORT_D);
  const send = (): void => {
    sendFrames(a.ns, a.peer, fa);
    sendFrames(b.ns, b.peer, fb);
  };
  const lines = async (args: string[]): Promise<string[]> => {
    const ours = (o: string): number => o.split('\n').filter((l) => portOf(l) !== 0).length;
    const r = await capture(args, send, (p) => p.waitStdout((o) => ours(o) >= 5, 'five lines of the test traffic'));
    expect(r.code).toBe(0);
    return r.stdout.trim().split('\n');
  };
  const portOf = (l: string): number => (l.includes(`.${PORT_C} >`) || l.includes(`"srcPort":${PORT_C}`) ? PORT_C : l.includes(`.${PORT_D} >`) || l.includes(`"srcPort":${PORT_D}`) ? PORT_D : 0);
  const expectNames = (ls: string[], name: (l: string) => string | undefined): void => {
    const mine = ls.filter((l) => portOf(l) !== 0);
    expect(mine).toHaveLength(5);
    for (const l of mine) expect(name(l)).toBe(portOf(l) === PORT_C ? a.host : b.host);
  };
  const textName = (l: string): string | undefined => /^\d\d:\d\d:\d\d\.\d+ (\S+) +(?:In|Out|B|M|P) /.exec(l)?.[1];
  // `any` sees every interface of this namespace, other test files' veths included: the filter keeps
  // to this run's cookie and two ports, so their traffic neither fills the ring nor delays these lines
  const ours = `(udp src port ${PORT_C} or udp src port ${PORT_D}) and ${MINE}`;
  expectNames(await lines(['-i', a.host, '-i', b.host, '-e', '-n']), textName);
  expectNames(await lines(['-i', 'any', '-n', ours]), textName);
  const jsonName = (l: string): string | undefined => (JSON.parse(l) as { interface?: string }).interface;
  expectNames(await lines(['-i', a.host, '-i', b.host, '--json']), jsonName);
  expectNames(await lines(['-i', 'any', '--json', ours]), jsonName);
}, 150_000); // four captures in a row: generous on a loaded machine

test('-i any: an interface that disappears gives a warning and capture goes on for the others', async () => {
  const extra = `tgx${process.pid % 100000}`;
  run('ip', ['link', 'add', extra, 'type', 'veth', 'peer', 'name', `${extra}p`]);
  try {
    run('ip', ['link', 'set', extra, 'up']);
    const p = startCli(['-i', 'any', '-n', `udp port ${PORT_E} and ${MINE}`]);
    await p.waitStderr(/listening on/);
    run('ip', ['link', 'del', extra]);
    await p.waitStderr(new RegExp(`warning: interface ${extra} went away`), 5000);
    sendFrames(a.ns, a.peer, anyFlow(3, PORT_E));
    await p.waitStdout((o) => o.split('\n').filter((l) => l.includes(`.${PORT_E} > `)).length >= 3, `three lines of port ${PORT_E}`);
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(summary(r.stderr)).toBe(3);
  } finally {
    try {
      run('ip', ['link', 'del', extra]);
    } catch {
      // deleted by the test
    }
  }
});

test('--workers 2 --stats: each worker has a row of its own while the capture runs', async () => {
  const p = startCli(['-i', a.host, '--workers', '2', '--stats', '0.3', '-w', '/dev/null']);
  await p.waitStderr(/listening on/);
  sendFrames(a.ns, a.peer, flows(2000, 64, 42000));
  // Waited for: interval lines showing each worker's packets, and one counting all 2000 (every frame
  // merged and counted, so the stop loses none).
  await p.waitStderr(/^stats [\d.]+s: 2000 pkts /m, 15_000);
  await p.waitStderr(/^stats .*\| worker 0 [1-9]\d* pkt\/s/m, 15_000);
  await p.waitStderr(/^stats .*\| worker 1 [1-9]\d* pkt\/s/m, 15_000);
  p.child.kill('SIGINT');
  const r = await p.done;
  expect(r.code).toBe(0);
  expect(summary(r.stderr)).toBe(2000);
  // Lines printed during the run (stderr is not a terminal: one line per interval) show each worker's packets.
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('stats '));
  expect(lines.some((l) => /\| worker 0 [1-9]\d* pkt\/s/.test(l))).toBe(true);
  expect(lines.some((l) => /\| worker 1 [1-9]\d* pkt\/s/.test(l))).toBe(true);
});
