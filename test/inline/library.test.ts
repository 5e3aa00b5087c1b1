/**
 * `openQueue` against the kernel: a program bound to NFQUEUE 0 in a router namespace that forwards
 * UDP from a client namespace to a server namespace. Checks what arrives at the server, the kernel's
 * own rule counters and /proc/net/netfilter/nfnetlink_queue, and the queue's statistics.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { createRoutedNet, sendUdp, startReceiver, waitFor, type RoutedNet } from './topo.js';

interface Script {
  child: ChildProcessWithoutNullStreams;
  out(): string;
  stats(): Promise<Record<string, number>>;
  final(signal: NodeJS.Signals): Promise<Record<string, number>>;
}

async function startScript(net: RoutedNet, mode: string, opts: object = {}): Promise<Script> {
  // One node process with tsx's loader (not the tsx wrapper, which relays signals through a second
  // process and, on a loaded machine, may kill the program before it has closed its queue).
  const child = spawn('ip', ['netns', 'exec', net.router, process.execPath, '--import', 'tsx', 'test/inline/queue-script.ts', mode, JSON.stringify(opts)]);
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  await waitFor(`the queue program to bind (stderr: ${err})`, () => out.includes('READY') && net.queueLine(0) !== undefined, 30_000);
  const lastJson = (tag: string): Record<string, number> | undefined => {
    const lines = out.split('\n').filter((l) => l.startsWith(`${tag} `));
    const l = lines[lines.length - 1];
    return l === undefined ? undefined : (JSON.parse(l.slice(tag.length + 1)) as Record<string, number>);
  };
  return {
    child,
    out: () => out + err,
    stats: async () => {
      const before = out.split('STATS ').length;
      child.stdin.write('\n');
      await waitFor('stats', () => out.split('STATS ').length > before && out.endsWith('\n'));
      return lastJson('STATS') as Record<string, number>;
    },
    final: async (signal) => {
      child.kill(signal);
      await new Promise<void>((r) => child.on('close', () => r()));
      const f = lastJson('FINAL');
      if (f === undefined) throw new Error(`no final stats: ${out}${err}`);
      return f;
    },
  };
}

/** The packet counter of the first rule of `chain` (in `table`) in the router namespace. */
function ruleCount(net: RoutedNet, table: string, chain: string): number {
  const text = net.iptables('-t', table, '-v', '-x', '-n', '-L', chain);
  const line = text.split('\n')[2] ?? '';
  return Number(line.trim().split(/\s+/)[0]);
}

describe('openQueue', () => {
  let net: RoutedNet | undefined;
  let script: Script | undefined;
  afterEach(() => {
    script?.child.kill('SIGKILL');
    script = undefined;
    net?.remove();
    net = undefined;
  });

  test('accept(mark) sets a mark that a later rule sees', async () => {
    net = createRoutedNet();
    net.iptables('-A', 'FORWARD', '-p', 'udp', '-j', 'NFQUEUE', '--queue-num', '0');
    // POSTROUTING runs after the FORWARD verdict: it counts the marked packets.
    net.iptables('-t', 'mangle', '-A', 'POSTROUTING', '-p', 'udp', '-m', 'mark', '--mark', '42');
    script = await startScript(net, 'mark:42');
    const rx = await startReceiver(net, [8888]);
    sendUdp(net, 8888, 200);
    await waitFor('200 marked packets', () => ruleCount(net as RoutedNet, 'mangle', 'POSTROUTING') === 200);
    const got = await rx.stop();
    expect(got['8888']?.count).toBe(200);
    const st = await script.final('SIGTERM');
    expect(st.queued).toBe(200);
    expect(st.accepted).toBe(200);
  }, 90_000);

  test('replace() changes the bytes that arrive', async () => {
    net = createRoutedNet();
    net.iptables('-A', 'FORWARD', '-p', 'udp', '-j', 'NFQUEUE', '--queue-num', '0');
    script = await startScript(net, 'replace');
    const rx = await startReceiver(net, [8888]);
    sendUdp(net, 8888, 20, 'hello-replace');
    await waitFor('20 replaced', () => (net as RoutedNet).queueLine(0)?.lastId === 20 && (net as RoutedNet).queueLine(0)?.waiting === 0);
    const got = await rx.stop();
    expect(got['8888']?.count).toBe(20);
    // The first 13 bytes were "hello-replace"; the program upper-cased them.
    expect(Buffer.from(got['8888']?.first[0] ?? '', 'hex').subarray(0, 13).toString()).toBe('HELLO-REPLACE');
    const st = await script.final('SIGTERM');
    expect(st.replaced).toBe(20);
  }, 90_000);

  test('fail-open: a full queue lets traffic through while the handler stalls', async () => {
    net = createRoutedNet();
    net.iptables('-A', 'FORWARD', '-p', 'udp', '-j', 'NFQUEUE', '--queue-num', '0');
    script = await startScript(net, 'hold', { maxLen: 8, failOpen: true, verdictTimeoutMs: 600_000 });
    const rx = await startReceiver(net, [8888]);
    sendUdp(net, 8888, 200);
    await waitFor('200 through the rule', () => ruleCount(net as RoutedNet, 'filter', 'FORWARD') === 200);
    const line = net.queueLine(0);
    // The kernel holds 8 (the queue length) and accepted the rest without asking.
    expect(line?.waiting).toBe(8);
    expect(line?.queueDropped).toBe(0);
    const st = await script.final('SIGINT');
    expect(st.queued).toBe(8);
    expect(st.held).toBe(0);
    const got = await rx.stop();
    // 192 passed fail-open at once, the 8 held got the default accept when the program stopped.
    expect(got['8888']?.count).toBe(200);
  }, 90_000);

  test('fail-closed: unanswered packets are dropped after the verdict timeout, and the queue recovers', async () => {
    net = createRoutedNet();
    net.iptables('-A', 'FORWARD', '-p', 'udp', '-j', 'NFQUEUE', '--queue-num', '0');
    script = await startScript(net, 'ignore-first:30', { failClosed: true, verdictTimeoutMs: 200 });
    const rx = await startReceiver(net, [8888]);
    sendUdp(net, 8888, 30);
    await waitFor('30 timeouts', () => (net as RoutedNet).queueLine(0)?.lastId === 30 && (net as RoutedNet).queueLine(0)?.waiting === 0);
    const mid = await script.stats();
    expect(mid.timeouts).toBe(30);
    expect(mid.dropped).toBe(30);
    sendUdp(net, 8888, 30);
    await waitFor('30 more answered', () => (net as RoutedNet).queueLine(0)?.lastId === 60 && (net as RoutedNet).queueLine(0)?.waiting === 0);
    const got = await rx.stop();
    expect(got['8888']?.count).toBe(30);
    const st = await script.final('SIGTERM');
    expect(st.accepted).toBe(30);
    expect(st.timeouts).toBe(30);
  }, 90_000);

  test('SIGINT with packets held: each gets the default verdict, none stay queued', async () => {
    net = createRoutedNet();
    net.iptables('-A', 'FORWARD', '-p', 'udp', '-j', 'NFQUEUE', '--queue-num', '0');
    script = await startScript(net, 'hold', { verdictTimeoutMs: 600_000 });
    const rx = await startReceiver(net, [8888]);
    sendUdp(net, 8888, 25);
    await waitFor('25 held', () => (net as RoutedNet).queueLine(0)?.waiting === 25);
    const st = await script.final('SIGINT');
    expect(st.accepted).toBe(25);
    expect(st.kernel).toBeDefined();
    // Unbound now: the kernel has no queue 0 left, so nothing waits in it.
    expect(net.queueLine(0)?.waiting ?? 0).toBe(0);
    const got = await rx.stop();
    expect(got['8888']?.count).toBe(25);
  }, 90_000);

  test('a handler that throws: default verdict, one error report per kind, the queue keeps flowing', async () => {
    net = createRoutedNet();
    net.iptables('-A', 'FORWARD', '-p', 'udp', '-j', 'NFQUEUE', '--queue-num', '0');
    script = await startScript(net, 'throw');
    const rx = await startReceiver(net, [8888]);
    sendUdp(net, 8888, 50);
    await waitFor('50 answered', () => (net as RoutedNet).queueLine(0)?.lastId === 50 && (net as RoutedNet).queueLine(0)?.waiting === 0);
    const got = await rx.stop();
    expect(got['8888']?.count).toBe(50);
    const st = await script.final('SIGTERM');
    expect(st.handlerErrors).toBe(50);
    expect(script.out().split('ERROR handler failed on purpose').length - 1).toBe(1);
  }, 90_000);

  test('a full socket (fail-closed): the kernel counts what it dropped, the queue goes on', async () => {
    net = createRoutedNet();
    net.iptables('-A', 'FORWARD', '-p', 'udp', '-j', 'NFQUEUE', '--queue-num', '0');
    // A receive buffer of a few KiB holds a handful of messages while the handler blocks the thread.
    script = await startScript(net, 'stall-first:3000', { rcvbuf: 4096, failOpen: false });
    const rx = await startReceiver(net, [8888]);
    sendUdp(net, 8888, 300);
    await waitFor('socket drops', () => ((net as RoutedNet).queueLine(0)?.userDropped ?? 0) > 0);
    await waitFor('the stall to end', () => (net as RoutedNet).queueLine(0)?.waiting === 0);
    sendUdp(net, 8888, 20);
    await waitFor('20 more answered', () => (net as RoutedNet).queueLine(0)?.waiting === 0 && ((net as RoutedNet).queueLine(0)?.lastId ?? 0) >= 320);
    const dropped = net.queueLine(0)?.userDropped ?? 0;
    const st = await script.final('SIGTERM');
    const got = await rx.stop();
    expect(dropped).toBeGreaterThan(0);
    expect(st.queued).toBe(320 - dropped);
    expect(got['8888']?.count).toBe(320 - dropped);
    expect((st.kernel as unknown as { userDropped: number }).userDropped).toBe(dropped);
  }, 90_000);

  test('packets answered together in order take one batch verdict', async () => {
    net = createRoutedNet();
    net.iptables('-A', 'FORWARD', '-p', 'udp', '-j', 'NFQUEUE', '--queue-num', '0');
    script = await startScript(net, 'batch:40', { verdictTimeoutMs: 600_000 });
    const rx = await startReceiver(net, [8888]);
    sendUdp(net, 8888, 40);
    await waitFor('40 answered', () => (net as RoutedNet).queueLine(0)?.lastId === 40 && (net as RoutedNet).queueLine(0)?.waiting === 0);
    const st = await script.final('SIGTERM');
    expect(st.accepted).toBe(40);
    expect(st.verdictMessages).toBe(1);
    expect((await rx.stop())['8888']?.count).toBe(40);
  }, 90_000);

  test('repeat(mark): the packet goes through the hook again, and the rule skips marked packets', async () => {
    net = createRoutedNet();
    net.iptables('-A', 'FORWARD', '-p', 'udp', '-m', 'mark', '!', '--mark', '7', '-j', 'NFQUEUE', '--queue-num', '0');
    net.iptables('-A', 'FORWARD', '-p', 'udp', '-m', 'mark', '--mark', '7');
    script = await startScript(net, 'repeat:7');
    const rx = await startReceiver(net, [8888]);
    sendUdp(net, 8888, 30);
    const second = (): number => Number(((net as RoutedNet).iptables('-v', '-x', '-n', '-L', 'FORWARD').split('\n')[3] ?? '').trim().split(/\s+/)[0]);
    await waitFor('30 repeated packets seen by the second rule', () => second() === 30);
    const st = await script.final('SIGTERM');
    expect(st.queued).toBe(30);
    expect(st.repeated).toBe(30);
    expect((await rx.stop())['8888']?.count).toBe(30);
  }, 90_000);

  test('conntrack state per packet (NFQA_CFG_F_CONNTRACK), where the kernel has it', async (ctx) => {
    net = createRoutedNet();
    net.iptables('-A', 'FORWARD', '-p', 'udp', '-j', 'NFQUEUE', '--queue-num', '0');
    const probe = spawnSync('ip', ['netns', 'exec', net.router, 'node_modules/.bin/tsx', '-e',
      "import('./src/inline/index.js').then((m) => { try { m.openQueue({ queue: 9, conntrack: true }).close(); console.log('ok'); } catch (e) { console.log(e.message); } })"], { encoding: 'utf8' });
    if (/does not support/.test(probe.stdout)) {
      ctx.skip('this kernel cannot attach conntrack to queued packets (CONFIG_NETFILTER_NETLINK_GLUE_CT is not set): ' + probe.stdout.trim());
      return;
    }
    expect(probe.stdout.trim()).toBe('ok');
    script = await startScript(net, 'ct', { conntrack: true });
    const rx = await startReceiver(net, [8888]);
    sendUdp(net, 8888, 5);
    await waitFor('5 answered', () => (net as RoutedNet).queueLine(0)?.lastId === 5 && (net as RoutedNet).queueLine(0)?.waiting === 0);
    const st = (await script.final('SIGTERM')) as unknown as { ctInfos: number[] };
    // IP_CT_NEW (2) for the first datagram of the flow, IP_CT_ESTABLISHED (0) is not reached without a reply.
    expect(st.ctInfos).toContain(2);
    await rx.stop();
  }, 90_000);

  test('a batch verdict never covers a packet still waiting: in-order runs batch, the rest go singly', async () => {
    net = createRoutedNet();
    net.iptables('-A', 'FORWARD', '-p', 'udp', '-j', 'NFQUEUE', '--queue-num', '0');
    script = await startScript(net, 'mixed', { verdictTimeoutMs: 600_000 });
    const rx = await startReceiver(net, [8888]);
    sendUdp(net, 8888, 10);
    await waitFor('10 answered', () => (net as RoutedNet).queueLine(0)?.lastId === 10 && (net as RoutedNet).queueLine(0)?.waiting === 0);
    const st = await script.final('SIGTERM');
    // 1-5 in one batch; 8 alone while 6 and 7 wait; then 6, 7, 9, 10 in one batch (8 is gone by then).
    expect(st.verdictMessages).toBe(3);
    expect(st.accepted).toBe(6);
    expect(st.dropped).toBe(4);
    expect((await rx.stop())['8888']?.count).toBe(6);
  }, 90_000);
});
