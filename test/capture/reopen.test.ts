/**
 * Interfaces that go away. Without --reopen: every frame that reached the ring is written, then the
 * capture stops (exit 1). With --reopen: the outputs stay open, the capture waits for an interface
 * of the name and binds it again, so frames from both sides of the gap land in one file; back with
 * another link type, it stops with a clear message.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { openCapture, type Capture } from '../../src/capture/index.js';
import { interfaceInfo } from '../../src/capture/interfaces.js';
import { startCli } from '../helpers/cli.js';
import { sendFrames } from '../helpers/frames.js';
import { gapLineOf, numbered, recreate, runThroughGap, sequenceNumbers } from '../helpers/gap.js';
import { createTestNet, run, type TestNet } from '../helpers/netns.js';
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

test('the interface deleted while the capture is stopped: every frame that reached the ring is written, then exit 1', async () => {
  const net = createTestNet('tq');
  nets.push(net);
  const file = join(dir, 'drain.pcap');
  // 2 s blocks: the last block is still the kernel's when the process resumes, so its frames come out
  // only when it retires, after the socket has already reported the error.
  const p = startCli(['-i', net.host, '-w', file, '--block-timeout', '2000']);
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

test('reopen in a fanout group: a member back before another has closed its old socket keeps trying, and both join the new group', async () => {
  const net = createTestNet('tq');
  nets.push(net);
  const group = 0x5000 + (process.pid % 0x1000);
  // The kernel keeps the group of the vanished interface until its last member closes its old
  // socket, and refuses the new interface's sockets until then. `slow` closes its old socket only
  // after twice its block timeout; `quick` comes back long before that.
  const open = (blockTimeoutMs: number): Capture => openCapture({ iface: net.host, reopen: true, fanout: { group, mode: 'hash' }, ring: { blockTimeoutMs } });
  const quick = open(1);
  const slow = open(2500);
  const seen: number[] = [];
  const failures: unknown[] = [];
  const read = async (cap: Capture): Promise<void> => {
    try {
      while (!cap.closed) {
        cap.dispatch((p) => seen.push(new DataView(p.buf.buffer, p.buf.byteOffset + p.offset + 42, 4).getUint32(0)));
        await cap.wait();
      }
    } catch (err) {
      failures.push(err);
    }
  };
  let quickGaps = 0;
  quick.onGap(() => quickGaps++);
  const readers = [read(quick), read(slow)];
  try {
    expect(sendFrames(net.ns, net.peer, numbered(0, 100))).toBe(100);
    await waitFor(() => seen.length === 100, { what: '100 frames before the gap', detail: () => `${seen.length}` });
    run('ip', ['link', 'del', net.host]);
    await waitFor(() => quickGaps === 1, { what: 'the quick member to see the gap' });
    recreate(net);
    const index = interfaceInfo(net.host).index;
    await waitFor(() => packetSocketsOf(process.pid, index).length === 2 || failures.length > 0, { timeoutMs: 30_000, what: 'both members to bind the new interface' });
    expect(failures.map(String)).toEqual([]);
    expect([quick.gaps, slow.gaps]).toEqual([1, 1]);
    expect(sendFrames(net.ns, net.peer, numbered(100, 100))).toBe(100);
    await waitFor(() => seen.length === 200, { what: '200 frames', detail: () => `${seen.length}` });
    expect(seen.sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  } finally {
    quick.close();
    slow.close();
    await Promise.all(readers);
  }
}, 180_000);

test('--workers 2 --reopen -w FILE: every worker binds the new veth; frames from both sides of the gap in the file; one gap line, counted once', async () => {
  const net = createTestNet('tq');
  nets.push(net);
  const file = join(dir, 'workers-gap.pcap');
  const r = await runThroughGap(net, ['--workers', '2', '--reopen', '-w', file, '--stats', '1'], {
    files: () => [file],
    sockets: 2,
    frames: 1000,
    listening: (pid) => expect(packetSocketsOf(pid, interfaceInfo(net.host).index)).toHaveLength(2),
    // a statistics line after the gap counts it once for the interface, not once per worker
    written: (p) => p.waitStderr(/^stats .* gaps 1 \|/m),
  });
  expect(r.code).toBe(0);
  expect(r.stderr.match(gapLineOf(net.host))).toHaveLength(1);
  expect(r.stderr).not.toMatch(/gaps [^1]/);
  expect(r.stderr).not.toMatch(/worker \d [^|\n]*gaps/);
  expect(r.stderr).toMatch(/^1 interface gap \(--reopen\)$/m);
  expect(r.stderr).toMatch(/^2000 packets captured$/m);
  expect(sequenceNumbers(file).sort((x, y) => x - y)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
}, 180_000);

test('--workers 2 --reopen -w NAME%w: each worker writes its own file on both sides of the gap; one gap line', async () => {
  const net = createTestNet('tq');
  nets.push(net);
  const files = [0, 1].map((w) => join(dir, `per-worker-${w}.pcap`));
  const r = await runThroughGap(net, ['--workers', '2', '--reopen', '-w', join(dir, 'per-worker-%w.pcap')], { files: () => files, sockets: 2, frames: 1000 });
  expect(r.code).toBe(0);
  expect(r.stderr.match(gapLineOf(net.host))).toHaveLength(1);
  expect(r.stderr).toMatch(/^1 interface gap \(--reopen\)$/m);
  expect(r.stderr).toMatch(/^2000 packets captured$/m);
  const perWorker = files.map(sequenceNumbers);
  for (const [w, seq] of perWorker.entries()) {
    expect(seq.some((i) => i < 1000), `worker ${w} before the gap`).toBe(true);
    expect(seq.some((i) => i >= 1000), `worker ${w} after the gap`).toBe(true);
  }
  expect(perWorker.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
}, 180_000);

test('--reopen -w FILE --summary: the summary beside the file counts the frames from both rings', async () => {
  const net = createTestNet('tq');
  nets.push(net);
  const file = join(dir, 'summary-gap.pcap');
  const before = interfaceInfo(net.host).index;
  const r = await runThroughGap(net, ['--reopen', '-w', file, '--json', '--summary', 'conv'], { files: () => [file], sockets: 1, frames: 500 });
  expect(r.code).toBe(0);
  expect(r.stderr.match(gapLineOf(net.host))).toHaveLength(1);
  const line = r.stderr.split('\n').find((l) => l.startsWith('{"summary"'));
  expect(line, r.stderr).toBeDefined();
  const s = JSON.parse(line!) as { summary: { packets: number; interfaces: { ifindex: number; packets: number }[]; conversations: { udp: { frames: number }[] } } };
  expect(s.summary.packets).toBe(1000);
  // the new veth has another index: 500 frames counted on each
  const after = interfaceInfo(net.host).index;
  expect(after).not.toBe(before);
  expect(s.summary.interfaces.map((i) => [i.ifindex, i.packets]).sort((x, y) => x[0]! - y[0]!)).toEqual([
    [before, 500],
    [after, 500],
  ]);
  expect(s.summary.conversations.udp).toHaveLength(64);
  expect(s.summary.conversations.udp.reduce((n, c) => n + c.frames, 0)).toBe(1000);
  expect(sequenceNumbers(file).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
}, 180_000);
