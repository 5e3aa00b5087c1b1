/** PACKET_FANOUT across worker threads against the real kernel. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CaptureOptionError, openCapture, startFanout } from '../../src/capture/index.js';
import { ether, pad60, sendFrames, sendInChunks, udp4 } from '../helpers/frames.js';
import { createTestNet, type TestNet } from '../helpers/netns.js';
import { interfaceInfo } from '../../src/capture/interfaces.js';
import { packetSocketsOf, waitFor } from '../helpers/wait.js';
import type { CaptureStats } from '../../src/capture/index.js';

let net: TestNet;
beforeAll(() => {
  net = createTestNet('tn');
});
afterAll(() => net?.remove());

const handler = new URL('../helpers/flow-handler.ts', import.meta.url);

test('2 workers in hash mode: 64 UDP flows, every frame exactly once, no flow seen by both', async () => {
  const running: CaptureStats[] = [];
  const run = startFanout<Record<number, number>>({ iface: net.host, workers: 2, handler, group: 4242, onStats: (w, s) => (running[w] = s) });
  const taken = (): number => running.reduce((a, s) => a + (s?.captured ?? 0), 0);
  await run.ready;
  const frames: Uint8Array[] = [];
  for (let rep = 0; rep < 20; rep++) {
    for (let flow = 0; flow < 64; flow++) {
      frames.push(pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4(`203.0.113.${flow + 1}`, '198.51.100.1', 10000 + flow, 53, [rep]))));
    }
  }
  // In chunks, each taken in before the next. stop() closes the sockets at once: the last wait is for every frame.
  const sent = await sendInChunks(net.ns, net.peer, frames, (n) => waitFor(() => taken() >= n, { what: `the workers to take in ${n} frames`, detail: () => `${taken()} so far` }));
  expect(sent).toBe(1280);
  const res = await run.stop();
  expect(res.failed).toEqual([]);
  expect(res.total.captured).toBe(1280);
  expect(res.total.dropped).toBe(0);
  const [a = {}, b = {}] = res.results as Record<number, number>[];
  const flowsA = Object.keys(a);
  const flowsB = Object.keys(b);
  expect(flowsA.filter((f) => f in b)).toEqual([]);
  expect(flowsA.length + flowsB.length).toBe(64);
  expect(flowsA.length).toBeGreaterThan(0);
  expect(flowsB.length).toBeGreaterThan(0);
  for (const counts of [a, b]) for (const c of Object.values(counts)) expect(c).toBe(20);
  expect(res.stats.map((s) => s?.captured)).toEqual([flowsA.length * 20, flowsB.length * 20]);
});

test('bad fanout requests: 0 workers, too many, an unknown mode, a group taken with another mode', () => {
  expect(() => startFanout({ iface: net.host, workers: 0, handler })).toThrow(/^workers 0: must be 1\.\.64/);
  expect(() => startFanout({ iface: net.host, workers: 65, handler })).toThrow(/^workers 65: must be 1\.\.64/);
  expect(() => openCapture({ iface: net.host, fanout: { group: 7, mode: 'bogus' as 'hash' } })).toThrow(CaptureOptionError);
  const first = openCapture({ iface: net.host, fanout: { group: 4343, mode: 'hash' } });
  try {
    expect(() => openCapture({ iface: net.host, fanout: { group: 4343, mode: 'lb' } })).toThrow(/already in use/);
  } finally {
    first.close();
  }
});

test('workers forwarding batches to the main thread: merged output holds every frame once, in timestamp order', async () => {
  const { TimeOrderedMerge, readPacketBatch } = await import('../../src/capture/merge.js');
  const { copyPacket, emptyPacket } = await import('../../src/packet.js');
  const merge = new TimeOrderedMerge(100);
  const scratch = emptyPacket();
  let merged = 0;
  const run = startFanout({
    iface: net.host,
    workers: 2,
    group: 4444,
    handler: new URL('../../src/capture/forward-handler.ts', import.meta.url),
    onBatch: (_w, batch) => {
      merged += readPacketBatch(batch, scratch, (p) => merge.push(copyPacket(p)));
    },
  });
  await run.ready;
  const frames: Uint8Array[] = [];
  for (let i = 0; i < 640; i++) {
    frames.push(pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4(`203.0.113.${(i % 64) + 1}`, '198.51.100.1', 20000 + (i % 64), 53, [i >> 8, i & 0xff]))));
  }
  sendFrames(net.ns, net.peer, frames);
  await waitFor(() => merged >= 640, { what: '640 frames forwarded to the main thread', detail: () => `${merged} so far` });
  const res = await run.stop();
  const out: { key: number; payload: number }[] = [];
  merge.drainAll((p) => out.push({ key: p.tsSec * 1e9 + p.tsNsec, payload: ((p.buf[p.offset + 42] ?? 0) << 8) | (p.buf[p.offset + 43] ?? 0) }));
  expect(res.total.captured).toBe(640);
  expect(out.length).toBe(640);
  expect(new Set(out.map((o) => o.payload)).size).toBe(640);
  for (let i = 1; i < out.length; i++) expect(out[i]!.key).toBeGreaterThanOrEqual(out[i - 1]!.key);
});

test('a worker that dies: the others go on, and the result says which failed and why', async () => {
  const running: CaptureStats[] = [];
  const run = startFanout<number>({ iface: net.host, workers: 2, group: 4545, mode: 'lb', handler: new URL('../helpers/failing-handler.ts', import.meta.url), onStats: (w, s) => (running[w] = s) });
  await run.ready;
  const ifindex = interfaceInfo(net.host).index;
  const frames = Array.from({ length: 200 }, (_, i) => pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4('203.0.113.1', '198.51.100.1', 30000 + (i % 64), 53, [i]))));
  sendFrames(net.ns, net.peer, frames);
  // The failed worker closes its socket: only the survivor's remains in the group.
  await waitFor(() => packetSocketsOf(process.pid, ifindex).length === 1, { what: "worker 1's socket to close after its failure" });
  sendFrames(net.ns, net.peer, frames);
  await waitFor(() => (running[0]?.captured ?? 0) >= 200, { what: 'the surviving worker to take in 200 frames', detail: () => `${running[0]?.captured ?? 0} so far` });
  const res = await run.stop();
  expect(res.failed).toEqual([{ worker: 1, error: 'handler failed on purpose' }]);
  // Round-robin (lb) gives the survivor at least its half of both rounds.
  expect(res.results[0]).toBeGreaterThanOrEqual(200);
  expect(res.results[1]).toBeUndefined();
});
