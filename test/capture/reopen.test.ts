/**
 * Interfaces that go away. Without --reopen: every frame that reached the ring is written, then the
 * capture stops (exit 1). With --reopen: the outputs stay open, the capture waits for an interface
 * of the name and binds it again, so frames from both sides of the gap land in one file; back with
 * another link type, it stops with a clear message.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { interfaceInfo } from '../../src/capture/interfaces.js';
import { startCli } from '../helpers/cli.js';
import { ether, pad60, sendFrames, udp4 } from '../helpers/frames.js';
import { createTestNet, run, waitLinkUp, type TestNet } from '../helpers/netns.js';
import { packetSocketsOf, waitFor, waitForRecords } from '../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'tscap-reopen-'));
const nets: TestNet[] = [];
const extra: string[] = [];
afterEach(() => {
  for (const n of nets.splice(0)) n.remove();
  for (const name of extra.splice(0)) {
    try {
      run('ip', ['link', 'del', name]);
    } catch {
      // already gone
    }
  }
});

function numbered(from: number, n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4('203.0.113.1', '203.0.113.2', 4444, 9, [i >>> 24, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff])));
  });
}

/** Sequence numbers of the UDP port 4444 frames in a file, as tcpdump reads them. */
function sequenceNumbers(file: string): number[] {
  const text = execFileSync('tcpdump', ['-r', file, '-nn', '-x', 'udp port 4444'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  return text
    .split(/\n(?=\d)/)
    .filter((b) => b.trim() !== '')
    .map((block) => {
      const hex = block
        .split('\n')
        .slice(1)
        .map((l) => l.replace(/^\s*0x[0-9a-f]+:\s*/, '').replace(/\s+/g, ''))
        .join('');
      return Number.parseInt(hex.slice(56, 64), 16);
    });
}

/** Makes the deleted veth pair again with the same names (the peer back in the namespace). */
function recreate(net: TestNet): void {
  run('ip', ['link', 'add', net.host, 'type', 'veth', 'peer', 'name', net.peer, 'netns', net.ns]);
  run('sysctl', ['-q', '-w', `net.ipv6.conf.${net.host}.disable_ipv6=1`]);
  net.exec('sysctl', ['-q', '-w', `net.ipv6.conf.${net.peer}.disable_ipv6=1`]);
  run('ip', ['link', 'set', net.host, 'up']);
  net.exec('ip', ['link', 'set', net.peer, 'up']);
  waitLinkUp(net.ns, net.peer); // frames sent before the link watcher runs would be dropped
  waitLinkUp(undefined, net.host);
}

test('the interface deleted while the capture is stopped: every frame that reached the ring is written, then exit 1', async () => {
  const net = createTestNet('tq');
  nets.push(net);
  const file = join(dir, 'drain.pcap');
  const p = startCli(['-i', net.host, '-w', file]);
  await p.waitStderr(/listening on/);
  const pid = p.child.pid as number;
  process.kill(pid, 'SIGSTOP');
  try {
    expect(sendFrames(net.ns, net.peer, numbered(0, 3000))).toBe(3000);
    run('ip', ['link', 'del', net.host]);
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  const r = await p.done;
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/Network is down \(ENETDOWN\)|No such device \(ENODEV\)/);
  expect(r.stderr).toMatch(/^3000 packets captured$/m);
  expect(r.stderr).toMatch(/^3000 packets received by filter$/m);
  expect(sequenceNumbers(file)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
}, 180_000);

test('--reopen: a veth deleted and made again; frames from both sides of the gap in one file', async () => {
  const net = createTestNet('tq');
  nets.push(net);
  const file = join(dir, 'gap.pcap');
  const p = startCli(['-i', net.host, '--reopen', '-w', file]);
  await p.waitStderr(/listening on/);
  expect(sendFrames(net.ns, net.peer, numbered(0, 1000))).toBe(1000);
  await waitForRecords(file, 1000);
  run('ip', ['link', 'del', net.host]);
  await p.waitStderr(new RegExp(`tscap: warning: ${net.host}: (Network is down \\(ENETDOWN\\)|No such device \\(ENODEV\\)); waiting for it to come back \\(--reopen\\)`));
  recreate(net);
  const index = interfaceInfo(net.host).index;
  await waitFor(() => packetSocketsOf(p.child.pid as number, index).length === 1, { what: `the capture to bind the new ${net.host}` });
  expect(sendFrames(net.ns, net.peer, numbered(1000, 1000))).toBe(1000);
  await waitForRecords(file, 2000);
  p.child.kill('SIGINT');
  const r = await p.done;
  expect(r.code).toBe(0);
  expect(r.stderr.match(/waiting for it to come back/g)).toHaveLength(1);
  expect(r.stderr).toMatch(/^1 interface gap \(--reopen\)$/m);
  expect(r.stderr).toMatch(/^2000 packets captured$/m);
  expect(sequenceNumbers(file)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
}, 180_000);

test('--reopen: the interface back with another link type stops the capture with a clear message', async () => {
  const name = `tqt${process.pid % 100000}`;
  extra.push(name);
  run('ip', ['link', 'add', name, 'type', 'veth', 'peer', 'name', `${name}p`]);
  run('ip', ['link', 'set', name, 'up']);
  const p = startCli(['-i', name, '--reopen', '-w', join(dir, 'other.pcap')]);
  await p.waitStderr(/listening on/);
  run('ip', ['link', 'del', name]);
  await p.waitStderr(/waiting for it to come back/);
  run('ip', ['tuntap', 'add', 'dev', name, 'mode', 'tun']); // raw IP, not Ethernet
  run('ip', ['link', 'set', name, 'up']);
  const r = await p.done;
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`tscap: ${name} came back with link type 101, not 1 as before: stopping`);
}, 180_000);

test('--reopen with -i a -i b: one interface deleted and made again, the other captured throughout', async () => {
  const a = createTestNet('tq');
  const b = createTestNet('tq');
  nets.push(a, b);
  const file = join(dir, 'two.pcapng');
  const p = startCli(['-i', a.host, '-i', b.host, '--reopen', '-w', file]);
  await p.waitStderr(/listening on/);
  sendFrames(a.ns, a.peer, numbered(0, 100));
  sendFrames(b.ns, b.peer, numbered(100, 100));
  await waitForRecords(file, 200);
  run('ip', ['link', 'del', a.host]);
  await p.waitStderr(new RegExp(`tscap: warning: ${a.host}: .*waiting for it to come back`));
  sendFrames(b.ns, b.peer, numbered(200, 100)); // during the gap
  recreate(a);
  const index = interfaceInfo(a.host).index;
  await waitFor(() => packetSocketsOf(p.child.pid as number, index).length === 1, { what: `the capture to bind the new ${a.host}` });
  sendFrames(a.ns, a.peer, numbered(300, 100));
  await waitForRecords(file, 400);
  p.child.kill('SIGINT');
  const r = await p.done;
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/^1 interface gap \(--reopen\)$/m);
  expect(sequenceNumbers(file).sort((x, y) => x - y)).toEqual(Array.from({ length: 400 }, (_, i) => i));
}, 180_000);

