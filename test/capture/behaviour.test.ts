/**
 * Live capture behaviour against the real kernel: promiscuous mode, direction, isolation from other
 * interfaces, kernel filters, statistics under drops, and what a closed capture does.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CaptureClosedError, openCapture } from '../../src/capture/index.js';
import { openInjector } from '../../src/capture/inject.js';
import { parseDecimalProgram } from '../../src/filter/bpf.js';
import { collect, hex } from '../helpers/collect.js';
import { waitFor } from '../helpers/wait.js';
import { arpRequest, ether, icmp4Echo, pad60, sendFrames, sendInChunks, tcp4, udp4 } from '../helpers/frames.js';
import { createTestNet, run, type TestNet } from '../helpers/netns.js';
import { startCli } from '../helpers/cli.js';

const DST = '02:00:00:00:00:02';
const SRC = '02:00:00:00:00:01';
let net: TestNet;
let other: TestNet;

beforeAll(() => {
  net = createTestNet('tb');
  other = createTestNet('to');
});
afterAll(() => {
  net?.remove();
  other?.remove();
});

function promiscuity(ifname: string): number {
  const m = /promiscuity (\d+)/.exec(run('ip', ['-d', 'link', 'show', 'dev', ifname]));
  if (!m) throw new Error('ip -d link show printed no promiscuity');
  return Number(m[1]);
}

function udpFrames(n: number, sport = 5000): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => pad60(ether(DST, SRC, 0x0800, udp4('203.0.113.1', '203.0.113.2', sport, 9, [i & 0xff, i >> 8]))));
}

test('promiscuous mode is on while capturing and back to its prior value after close', () => {
  const before = promiscuity(net.host);
  const cap = openCapture({ iface: net.host });
  expect(promiscuity(net.host)).toBe(before + 1);
  cap.close();
  expect(promiscuity(net.host)).toBe(before);
  const noPromisc = openCapture({ iface: net.host, promisc: false });
  expect(promiscuity(net.host)).toBe(before);
  noPromisc.close();
});

test('promiscuous mode is dropped when the capturing process is killed (SIGKILL)', async () => {
  const before = promiscuity(net.host);
  const p = startCli(['-i', net.host]);
  await p.waitStderr(/listening on/);
  expect(promiscuity(net.host)).toBe(before + 1);
  p.child.kill('SIGKILL');
  const r = await p.done;
  expect(r.signal).toBe('SIGKILL');
  expect(promiscuity(net.host)).toBe(before);
});

test('direction: in leaves out what this host sends, out keeps only that', async () => {
  const inCap = openCapture({ iface: net.host, direction: 'in' });
  const outCap = openCapture({ iface: net.host, direction: 'out' });
  const both = openCapture({ iface: net.host });
  try {
    const incoming = udpFrames(5, 1111);
    const outgoing = udpFrames(7, 2222);
    const inj = openInjector(net.host);
    for (const f of outgoing) inj.send(f);
    inj.close();
    sendFrames(net.ns, net.peer, incoming);
    const [gotIn, gotOut, gotBoth] = await Promise.all([collect(inCap, 5), collect(outCap, 7), collect(both, 12)]);
    expect(gotIn.map((p) => hex(p.data))).toEqual(incoming.map(hex));
    expect(gotOut.map((p) => hex(p.data))).toEqual(outgoing.map(hex));
    expect(gotOut.every((p) => p.pktType === 4)).toBe(true);
    expect(gotBoth.length).toBe(12);
  } finally {
    inCap.close();
    outCap.close();
    both.close();
  }
});

test('the injector sends copies in batches: 150 copies leave as 150 identical frames, then a different one', async () => {
  const cap = openCapture({ iface: net.host, direction: 'out' });
  try {
    const a = udpFrames(1, 4444)[0] as Uint8Array;
    const b = pad60(ether(DST, SRC, 0x0800, udp4('203.0.113.1', '203.0.113.2', 4445, 9, Array<number>(900).fill(7))));
    const inj = openInjector(net.host);
    inj.sendCopies(a, 150); // three sendmmsg calls: 64 + 64 + 22
    inj.sendCopies(b, 1); // a larger frame than the vector was made for
    inj.close();
    const got = await collect(cap, 151);
    expect(got.slice(0, 150).map((p) => hex(p.data))).toEqual(Array(150).fill(hex(a)));
    expect(got.map((p) => hex(p.data))[150]).toBe(hex(b));
    expect(() => inj.sendCopies(a, 1)).toThrow('injector is closed');
  } finally {
    cap.close();
  }
});

test('frames of another interface never appear', async () => {
  const cap = openCapture({ iface: net.host });
  try {
    sendFrames(other.ns, other.peer, udpFrames(20));
    const mine = udpFrames(3, 3333);
    sendFrames(net.ns, net.peer, mine);
    const got = await collect(cap, 3);
    expect(got.map((p) => hex(p.data))).toEqual(mine.map(hex));
  } finally {
    cap.close();
  }
});

test('a kernel filter from `tcpdump -ddd udp` lets exactly the UDP frames through', async () => {
  const text = execFileSync('tcpdump', ['-ddd', '-y', 'EN10MB', '-i', net.host, 'udp'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const cap = openCapture({ iface: net.host, filter: parseDecimalProgram(text) });
  try {
    const udp = udpFrames(4);
    const mix = [
      pad60(ether(DST, SRC, 0x0800, tcp4('203.0.113.1', '203.0.113.2', 1, 80, 0x02, 1))),
      udp[0],
      pad60(ether(DST, SRC, 0x0800, icmp4Echo('203.0.113.1', '203.0.113.2', 1, 1))),
      udp[1],
      pad60(ether('ff:ff:ff:ff:ff:ff', SRC, 0x0806, arpRequest(SRC, '203.0.113.1', '203.0.113.2'))),
      udp[2],
      udp[3],
    ] as Uint8Array[];
    sendFrames(net.ns, net.peer, mix);
    const got = await collect(cap, 4);
    expect(got.map((p) => hex(p.data))).toEqual(udp.map(hex));
    expect(cap.stats().received).toBe(4);
  } finally {
    cap.close();
  }
});

test('captured + dropped equals the kernel total when a tiny ring overflows', async () => {
  const cap = openCapture({ iface: net.host, ring: { blockSize: 4096, blockCount: 2, blockTimeoutMs: 1000 } });
  try {
    // Nothing reads while 3,000 frames arrive: a two-block ring must drop most of them. In chunks, each
    // counted by the kernel before the next, so none is lost before the socket.
    await sendInChunks(net.ns, net.peer, udpFrames(3000), (n) => waitFor(() => cap.stats().received >= n, { what: `the kernel to count ${n} frames` }));
    // Done when every frame is accounted for: handed over or counted as dropped.
    const got = await collect(cap, 3000, {
      done: (g) => {
        const k = cap.stats();
        return k.received >= 3000 && g.length + k.dropped >= k.received;
      },
    });
    const s = cap.stats();
    expect(s.dropped).toBeGreaterThan(0);
    expect(s.captured).toBe(got.length);
    expect(s.captured + s.dropped).toBe(s.received);
    expect(s.received).toBe(3000);
  } finally {
    cap.close();
  }
});

test('a closed capture: close twice is a no-op, iterating or dispatching throws, stats keep the totals', async () => {
  const cap = openCapture({ iface: net.host });
  sendFrames(net.ns, net.peer, udpFrames(3));
  const got = await collect(cap, 3);
  expect(got.length).toBe(3);
  cap.dispatch(() => undefined);
  cap.close();
  cap.close();
  expect(cap.closed).toBe(true);
  expect(() => cap[Symbol.asyncIterator]()).toThrow(CaptureClosedError);
  expect(() => cap.dispatch(() => undefined)).toThrow(CaptureClosedError);
  expect(cap.stats().captured).toBe(3);
  expect(cap.stats().received).toBe(3);
});

test('a packet view kept past close reads harmlessly instead of crashing the process', async () => {
  const cap = openCapture({ iface: net.host });
  sendFrames(net.ns, net.peer, udpFrames(1));
  let buf: Uint8Array | undefined;
  let offset = 0;
  for await (const p of cap) {
    buf = p.buf; // deliberately kept: documented as invalid after close
    offset = p.offset;
    break;
  }
  cap.close();
  expect(buf).toBeDefined();
  expect((buf as Uint8Array)[offset]).toBe(0);
});

test('an AbortSignal ends the iteration, and the event loop runs while waiting', async () => {
  const ac = new AbortController();
  const cap = openCapture({ iface: net.host, signal: ac.signal });
  const ticks: number[] = [];
  const t0 = Date.now();
  // The abort comes from the fifth timer tick: ticks while the loop waits show the event loop runs,
  // however slowly a loaded machine schedules them.
  const timer = setInterval(() => {
    ticks.push(Date.now() - t0);
    if (ticks.length === 5) ac.abort();
  }, 20);
  let n = 0;
  for await (const _ of cap) n++;
  clearInterval(timer);
  expect(n).toBe(0);
  expect(cap.closed).toBe(true);
  expect(ticks.length).toBeGreaterThanOrEqual(5);
});

test('setFilter replaces the kernel filter in libpcap order: nothing unfiltered gets through after it', async () => {
  const text = execFileSync('tcpdump', ['-ddd', '-i', net.host, 'udp port 6001'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const cap = openCapture({ iface: net.host });
  try {
    // Traffic that arrives before the switch, still waiting in the ring, must not leak through.
    sendFrames(net.ns, net.peer, udpFrames(50, 6000));
    await cap.setFilter(parseDecimalProgram(text));
    const wanted = udpFrames(5, 6001);
    sendFrames(net.ns, net.peer, [...udpFrames(20, 6000), ...wanted]);
    const got = await collect(cap, 5);
    expect(got.map((p) => hex(p.data))).toEqual(wanted.map(hex));
  } finally {
    cap.close();
  }
});
