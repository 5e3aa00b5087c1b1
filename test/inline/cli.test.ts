/**
 * `tscap -i nfqueue:N` and `-i nflog:G` against the kernel, in a client → router → server set of
 * namespaces. What arrives at the server, the kernel's rule counters and queue state decide; tcpdump
 * and tshark read the files written.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { runCli, startCli, type CliProcess } from '../helpers/cli.js';
import { createRoutedNet, SERVER_ADDR, sendUdp, startReceiver, waitFor, type RoutedNet } from './topo.js';

/** Packets tcpdump reads from `file` (with an optional filter). */
function tcpdumpCount(file: string, filter: string[] = []): number {
  const out = execFileSync('tcpdump', ['-nr', file, ...filter], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n').filter((l) => l.length > 0).length;
}

/** Packets tshark reads from `file`. */
function tsharkCount(file: string): number {
  const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n').filter((l) => l.length > 0).length;
}

function ruleCount(net: RoutedNet, chain: string): number {
  const text = net.iptables('-v', '-x', '-n', '-L', chain);
  return Number((text.split('\n')[2] ?? '').trim().split(/\s+/)[0]);
}

/**
 * Sends `perFlow` datagrams from each of `flows` client addresses: NFQUEUE's --queue-balance hashes
 * the IP addresses (not the ports), so the flows need different sources to spread.
 */
function sendFlows(net: RoutedNet, port: number, flows: number, perFlow: number): void {
  const addrs = Array.from({ length: flows }, (_, i) => `192.0.2.${10 + i}`);
  for (const a of addrs) net.exec(net.client, 'ip', ['addr', 'add', `${a}/24`, 'dev', net.clientDev]);
  const script = `
import socket, time
socks = []
for a in ${JSON.stringify(addrs)}:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((a, 0)); socks.append(s)
for i in range(${perFlow}):
    for s in socks:
        s.sendto(b"flow", ("${SERVER_ADDR}", ${port}))
    time.sleep(0.002)
`;
  execFileSync('ip', ['netns', 'exec', net.client, '/usr/bin/python3', '-c', script], { stdio: 'pipe' });
}

describe('tscap -i nfqueue / nflog', () => {
  let net: RoutedNet | undefined;
  let cli: CliProcess | undefined;
  let dir: string | undefined;
  afterEach(() => {
    cli?.child.kill('SIGKILL');
    cli = undefined;
    net?.remove();
    net = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  test('--drop: 1,000 to port 8888 arrive, 1,000 to 9999 do not; the file holds all 2,000', async () => {
    net = createRoutedNet();
    dir = mkdtempSync(join(tmpdir(), 'tscap-nfq-'));
    const file = join(dir, 'q.pcap');
    net.iptables('-A', 'FORWARD', '-p', 'udp', '-j', 'NFQUEUE', '--queue-num', '0');
    cli = startCli(['-i', 'nfqueue:0', '--drop', 'udp dst port 9999', '-w', file], { prefix: ['ip', 'netns', 'exec', net.router] });
    await cli.waitStderr(/listening on nfqueue:0, link-type IPV4/, 30_000);
    const rx = await startReceiver(net, [8888, 9999]);
    sendUdp(net, 8888, 1000);
    sendUdp(net, 9999, 1000);
    await waitFor('2,000 answered', () => (net as RoutedNet).queueLine(0)?.lastId === 2000 && (net as RoutedNet).queueLine(0)?.waiting === 0, 60_000);
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(0);
    const got = await rx.stop();
    expect(got['8888']?.count).toBe(1000);
    expect(got['9999']?.count).toBe(0);
    expect(r.stderr).toMatch(/^2000 queued, 1000 accepted, 1000 dropped, 0 dropped by kernel/m);
    expect(tcpdumpCount(file)).toBe(2000);
    expect(tcpdumpCount(file, ['udp dst port 9999'])).toBe(1000);
    expect(tcpdumpCount(file, ['udp dst port 8888'])).toBe(1000);
  }, 120_000);

  test('nfqueue:0-1 with --queue-balance 0:1: both queues served, totals add up', async () => {
    net = createRoutedNet();
    net.iptables('-A', 'FORWARD', '-p', 'udp', '-j', 'NFQUEUE', '--queue-balance', '0:1');
    cli = startCli(['-i', 'nfqueue:0-1', '-w', '/dev/null'], { prefix: ['ip', 'netns', 'exec', net.router] });
    await cli.waitStderr(/listening on nfqueue:0-1/, 30_000);
    const rx = await startReceiver(net, [8888]);
    sendFlows(net, 8888, 40, 25);
    await waitFor('1,000 answered', () => {
      const a = (net as RoutedNet).queueLine(0);
      const b = (net as RoutedNet).queueLine(1);
      return a !== undefined && b !== undefined && a.lastId + b.lastId === 1000 && a.waiting + b.waiting === 0;
    }, 60_000);
    const q0 = net.queueLine(0)?.lastId ?? 0;
    const q1 = net.queueLine(1)?.lastId ?? 0;
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(q0).toBeGreaterThan(0);
    expect(q1).toBeGreaterThan(0);
    expect(r.stderr).toContain(`nfqueue:0: ${q0} queued, ${q0} accepted, 0 dropped`);
    expect(r.stderr).toContain(`nfqueue:1: ${q1} queued, ${q1} accepted, 0 dropped`);
    expect(r.stderr).toMatch(/^1000 queued, 1000 accepted, 0 dropped, 0 dropped by kernel/m);
    expect((await rx.stop())['8888']?.count).toBe(1000);
  }, 120_000);

  test('nflog:5: tcpdump and tshark read the file; it holds as many packets as the rule counted', async () => {
    net = createRoutedNet();
    dir = mkdtempSync(join(tmpdir(), 'tscap-nflog-'));
    const file = join(dir, 'log.pcap');
    net.iptables('-A', 'FORWARD', '-p', 'udp', '-j', 'NFLOG', '--nflog-group', '5');
    cli = startCli(['-i', 'nflog:5', '-U', '-w', file], { prefix: ['ip', 'netns', 'exec', net.router] });
    await cli.waitStderr(/listening on nflog:5, link-type NFLOG/, 30_000);
    const rx = await startReceiver(net, [8888]);
    sendUdp(net, 8888, 300);
    await waitFor('300 logged', () => ruleCount(net as RoutedNet, 'FORWARD') === 300);
    await waitFor('300 written', () => tcpdumpCount(file) === ruleCount(net as RoutedNet, 'FORWARD'), 30_000);
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(0);
    const counted = ruleCount(net, 'FORWARD');
    expect(counted).toBe(300);
    expect(tcpdumpCount(file)).toBe(counted);
    expect(tsharkCount(file)).toBe(counted);
    // The logged packets are the UDP datagrams, as tshark decodes them.
    const ports = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'udp.dstport'], { encoding: 'utf8' }).trim().split('\n');
    expect(new Set(ports)).toEqual(new Set(['8888']));
    expect((await rx.stop())['8888']?.count).toBe(300);
  }, 120_000);

  test('nflog text output reaches the inner packet as tcpdump prints it', async () => {
    net = createRoutedNet();
    dir = mkdtempSync(join(tmpdir(), 'tscap-nflog-'));
    const file = join(dir, 'log.pcap');
    net.iptables('-A', 'FORWARD', '-p', 'udp', '-j', 'NFLOG', '--nflog-group', '5');
    cli = startCli(['-i', 'nflog:5', '-U', '-w', file], { prefix: ['ip', 'netns', 'exec', net.router] });
    await cli.waitStderr(/listening on nflog:5/, 30_000);
    sendUdp(net, 8888, 5);
    await waitFor('5 written', () => tcpdumpCount(file) === 5, 30_000);
    cli.child.kill('SIGINT');
    await cli.done;
    for (const flags of [['-n'], ['-n', '-e'], ['-n', '-v']]) {
      const ours = await runCli([...flags, '-r', file]);
      const theirs = execFileSync('tcpdump', [...flags, '-r', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(ours.stdout).toBe(theirs);
    }
  }, 120_000);

  test('a queue bound by another process: a clear error naming the queue, exit 1', async () => {
    net = createRoutedNet();
    cli = startCli(['-i', 'nfqueue:3', '-w', '/dev/null'], { prefix: ['ip', 'netns', 'exec', net.router] });
    await cli.waitStderr(/listening on nfqueue:3/, 30_000);
    const second = await runCli(['-i', 'nfqueue:3', '-w', '/dev/null'], { prefix: ['ip', 'netns', 'exec', net.router] });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/queue 3: already bound by another process/);
  }, 60_000);

  test('without CAP_NET_ADMIN: the message names CAP_NET_ADMIN, exit 1', async () => {
    net = createRoutedNet();
    const r = await runCli(['-i', 'nfqueue:0', '-w', '/dev/null'], {
      prefix: ['ip', 'netns', 'exec', net.router, 'setpriv', '--inh-caps=-net_admin', '--bounding-set=-net_admin', '--'],
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/CAP_NET_ADMIN/);
  }, 60_000);

  test('usage errors: a bad queue spec and --drop without a queue exit 2', async () => {
    const bad = await runCli(['-i', 'nfqueue:x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/nfqueue:N or nfqueue:N-M/);
    const drop = await runCli(['-r', 'fixtures/none.pcap', '--drop', 'udp']);
    expect(drop.code).toBe(2);
    expect(drop.stderr).toMatch(/need -i nfqueue:N/);
  });

  test('SIGINT in the middle of a flood: every packet arrives (held ones accepted, later ones bypass)', async () => {
    net = createRoutedNet();
    net.iptables('-A', 'FORWARD', '-p', 'udp', '-j', 'NFQUEUE', '--queue-num', '0', '--queue-bypass');
    cli = startCli(['-i', 'nfqueue:0', '-w', '/dev/null'], { prefix: ['ip', 'netns', 'exec', net.router] });
    await cli.waitStderr(/listening on nfqueue:0/, 30_000);
    const rx = await startReceiver(net, [8888]);
    const sender = spawn('ip', ['netns', 'exec', net.client, '/usr/bin/python3', '-c', `
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3000):
    s.sendto(b"flood", ("${SERVER_ADDR}", 8888))
    if i % 20 == 19: time.sleep(0.001)
`]);
    const sent = new Promise<void>((r) => sender.on('close', () => r()));
    await waitFor('the flood to be under way', () => ((net as RoutedNet).queueLine(0)?.lastId ?? 0) >= 500);
    cli.child.kill('SIGINT');
    const r = await cli.done;
    await sent;
    expect(r.code).toBe(0);
    const queued = Number(/^(\d+) queued, (\d+) accepted/m.exec(r.stderr)?.[1]);
    expect(queued).toBeGreaterThanOrEqual(500);
    expect(r.stderr).toMatch(new RegExp(`^${queued} queued, ${queued} accepted, 0 dropped`, 'm'));
    const got = await rx.stop();
    expect(got['8888']?.count).toBe(3000);
  }, 120_000);
});
