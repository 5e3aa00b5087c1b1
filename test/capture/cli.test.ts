/**
 * The CLI's capture behaviour as a user sees it: -c, signals, the summary, --bpf, and every bad input
 * of the engine issue with its message and exit code.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CLI, runCli, startCli } from '../helpers/cli.js';
import { ether, icmp4Echo, pad60, sendFrames, tcp4, udp4 } from '../helpers/frames.js';
import { createTestNet, run, type TestNet } from '../helpers/netns.js';
import { waitEventLoopIdle } from '../helpers/wait.js';

const DST = '02:00:00:00:00:02';
const SRC = '02:00:00:00:00:01';
let net: TestNet;
const dir = mkdtempSync(join(tmpdir(), 'tscap-cli-'));

beforeAll(() => {
  net = createTestNet('tl');
});
afterAll(() => net?.remove());

function udpFrames(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => pad60(ether(DST, SRC, 0x0800, udp4('203.0.113.1', '203.0.113.2', 7000, 9, [i]))));
}

function summary(stderr: string): { captured: number; received: number; dropped: number } {
  const num = (re: RegExp): number => {
    const m = re.exec(stderr);
    if (!m) throw new Error(`no summary line ${re} in: ${stderr}`);
    return Number(m[1]);
  };
  return {
    captured: num(/^(\d+) packets? captured$/m),
    received: num(/^(\d+) packets? received by filter$/m),
    dropped: num(/^(\d+) packets? dropped by kernel$/m),
  };
}

test('-c N stops after exactly N packets with the summary on stderr and exit 0', async () => {
  const p = startCli(['-i', net.host, '-n', '-c', '20']);
  await p.waitStderr(/listening on/);
  sendFrames(net.ns, net.peer, udpFrames(50));
  const r = await p.done;
  expect(r.code).toBe(0);
  expect(r.stdout.trim().split('\n')).toHaveLength(20);
  expect(summary(r.stderr).captured).toBe(20);
});

test('SIGINT with no traffic wakes the idle capture at once (not at the block timeout), prints the summary and exits 0', async () => {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    // With 60 s blocks nothing else would end the wait: stopping well before that shows the signal
    // interrupts it. (Wall-clock latency is for an idle machine; under load only this bound holds.)
    const p = startCli(['-i', net.host, '--block-timeout', '60000']);
    await p.waitStderr(/listening on/);
    // Measured from an idle capture: the signal handlers are installed once the loop first idles.
    await waitEventLoopIdle(p.child.pid as number);
    const t0 = Date.now();
    p.child.kill(sig);
    await p.waitStderr(/dropped by kernel/);
    const elapsed = Date.now() - t0;
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(summary(r.stderr)).toEqual({ captured: 0, received: 0, dropped: 0 });
    expect(elapsed).toBeLessThan(20_000);
  }
});

test('SIGINT under traffic keeps what was captured: printed lines equal the summary count', async () => {
  const p = startCli(['-i', net.host, '-n']);
  await p.waitStderr(/listening on/);
  sendFrames(net.ns, net.peer, udpFrames(300));
  await p.waitStdout((o) => o.split('\n').length > 300, '300 lines');
  p.child.kill('SIGINT');
  const r = await p.done;
  expect(r.code).toBe(0);
  const s = summary(r.stderr);
  expect(s.captured).toBe(300);
  expect(r.stdout.trim().split('\n')).toHaveLength(s.captured);
});

test('--bpf with a `tcpdump -ddd udp` program passes exactly the UDP frames', async () => {
  const file = join(dir, 'udp.bpf');
  writeFileSync(file, execFileSync('tcpdump', ['-ddd', '-i', net.host, 'udp'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  const p = startCli(['-i', net.host, '-n', '--bpf', file]);
  await p.waitStderr(/listening on/);
  const frames = [
    ...udpFrames(3),
    pad60(ether(DST, SRC, 0x0800, tcp4('203.0.113.1', '203.0.113.2', 1, 80, 0x02, 1))),
    pad60(ether(DST, SRC, 0x0800, icmp4Echo('203.0.113.1', '203.0.113.2', 1, 1))),
  ];
  sendFrames(net.ns, net.peer, frames);
  // The TCP and ICMP frames were sent after the UDP ones: once three lines are out, all five have
  // reached the socket (or been refused by its filter), and SIGINT drains what the ring holds.
  await p.waitStdout((o) => o.split('\n').length > 3, 'three lines');
  p.child.kill('SIGINT');
  const r = await p.done;
  expect(summary(r.stderr)).toEqual({ captured: 3, received: 3, dropped: 0 });
});

test('no such interface: "tscap: eth9: No such device (ENODEV)", exit 1', async () => {
  const r = await runCli(['-i', 'tscapnosuch0']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('tscap: tscapnosuch0: No such device (ENODEV)');
});

test('without root or CAP_NET_RAW the message names CAP_NET_RAW, exit 1', async () => {
  const r = await runCli(['-i', net.host], { prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all'] });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/CAP_NET_RAW/);
  expect(r.stderr).toMatch(/EPERM/);
});

test('the interface deleted during capture: an error line, the summary, exit 1', async () => {
  const extra = `tlx${process.pid % 100000}`;
  run('ip', ['link', 'add', extra, 'type', 'veth', 'peer', 'name', `${extra}p`]);
  try {
    run('ip', ['link', 'set', extra, 'up']);
    run('ip', ['link', 'set', `${extra}p`, 'up']);
    const p = startCli(['-i', extra]);
    await p.waitStderr(/listening on/);
    run('ip', ['link', 'del', extra]);
    const r = await p.done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ENETDOWN|ENODEV|ENXIO/);
    summary(r.stderr);
  } finally {
    try {
      run('ip', ['link', 'del', extra]);
    } catch {
      // deleted by the test
    }
  }
});

test('impossible ring geometry is refused before any socket, naming the option, exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['--block-size', '5000'], /--block-size 5000: must be a positive multiple of the page size/],
    [['--blocks', '0'], /--blocks/],
    [['--block-timeout', '0'], /--block-timeout/],
    [['-s', '300000'], /-s must be/],
    [['-Q', 'sideways'], /-Q sideways/],
    [['--engine', 'magic'], /--engine magic/],
    [['-c', 'x'], /-c must be a whole number/],
  ];
  for (const [args, re] of cases) {
    // The interface does not exist: a usage error must win, proving nothing was opened first.
    const r = await runCli(['-i', 'tscapnosuch0', ...args]);
    expect(r.stderr).toMatch(re);
    expect(r.code).toBe(2);
  }
});

test('a malformed --bpf file: exit 2 with the line number', async () => {
  const bad = join(dir, 'bad.bpf');
  writeFileSync(bad, '2\n40 0 0 12\n21 0 1 x\n');
  const r = await runCli(['-i', net.host, '--bpf', bad]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/bad\.bpf: line 3:/);
  const missing = await runCli(['-i', net.host, '--bpf', join(dir, 'nope.bpf')]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/nope\.bpf/);
});

test('-D lists interfaces with index, flags and link type', async () => {
  const r = await runCli(['-D']);
  expect(r.code).toBe(0);
  const line = r.stdout.split('\n').find((l) => l.includes(`.${net.host} `));
  expect(line).toMatch(new RegExp(`^\\d+\\.${net.host} \\[Up, Running\\] link-type EN10MB \\(Ethernet\\)$`));
});

test('a reader that goes away (| head -1) ends tscap quietly with exit 0', async () => {
  const { PcapWriter } = await import('../../src/pcap/index.js');
  const { emptyPacket } = await import('../../src/packet.js');
  const big = join(dir, 'big.pcap');
  const w = new PcapWriter(big, { linkType: 1, snaplen: 262144, nano: false });
  const frame = udpFrames(1)[0] as Uint8Array;
  const p = emptyPacket();
  p.buf = frame;
  p.capLen = frame.length;
  p.wireLen = frame.length;
  for (let i = 0; i < 200_000; i++) {
    p.tsSec = 1_700_000_000 + i;
    w.write(p);
    if (i % 10_000 === 0) await w.flush();
  }
  await w.close();
  const out = execFileSync('bash', ['-c', `node ${CLI} -r ${big} -n 2>${join(dir, 'epipe.err')} | head -1; echo "exit \${PIPESTATUS[0]}"`], { encoding: 'utf8' });
  const lines = out.trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('exit 0');
  expect(readFileSync(join(dir, 'epipe.err'), 'utf8')).not.toMatch(/EPIPE|Error/);
});
