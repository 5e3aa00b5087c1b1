/**
 * The CLI's live summary beside a file (`-i IF -w FILE --summary ...`): the ring walk hands each
 * frame to the file by its place in the ring and to the traffic accounting through one reused view.
 * Interleaved bursts of several flows (IPv4 and IPv6, TCP, UDP, ICMP, a VLAN tag the veth moves into
 * metadata, DNS that needs the full decoder, ARP) are sent from a namespace (TEST-NET-3 addresses:
 * nothing on this machine owns them, so nothing answers); the summary printed at
 * the end must equal tshark's tables on the file written in the same run, and the file must hold
 * every frame sent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { SummaryJson } from '../../src/sinks/summary.js';
import { startCli } from '../helpers/cli.js';
import { arpRequest, ether, icmp4Echo, sendInChunks, tcp4, udp4, udp6 } from '../helpers/frames.js';
import { createTestNet, type TestNet } from '../helpers/netns.js';
import { countRecords, waitForRecords } from '../helpers/wait.js';
import { compareWithTshark } from './compare.js';
import { requireTshark } from './tshark.js';

const A = '02:00:00:5e:00:01';
const B = '02:00:00:5e:00:02';
let net: TestNet | undefined;
let dir = '';

beforeAll(() => {
  requireTshark();
  net = createTestNet('tsl');
  dir = mkdtempSync(join(tmpdir(), 'tscap-live-sum-'));
});

afterAll(() => {
  net?.remove();
  if (dir !== '' && process.env['KEEP'] === undefined) rmSync(dir, { recursive: true, force: true });
});

/** Bursts of each flow in turn, so a flow's frames come both in runs and alone. */
function traffic(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const tag = [{ tpid: 0x8100, pcp: 3, dei: false, vid: 42 }];
  for (let round = 0; round < 12; round++) {
    for (let i = 0; i < 25; i++) out.push(ether(B, A, 0x0800, udp4('203.0.113.1', '203.0.113.2', 40000, 45000, new Array(20 + round).fill(i))));
    for (let i = 0; i < 10; i++) out.push(ether(A, B, 0x0800, tcp4('203.0.113.2', '203.0.113.1', 38000, 41000 + (round % 3), 0x18, 1000 + 100 * i, new Array(30).fill(1))));
    for (let i = 0; i < 8; i++) out.push(ether(B, A, 0x86dd, udp6('2001:db8::1', '2001:db8::2', 36000, 37000, [round, i])));
    for (let i = 0; i < 6; i++) out.push(ether(B, A, 0x0800, udp4('198.51.100.7', '198.51.100.8', 1234, 5678, [i, round]), tag));
    out.push(ether(B, A, 0x0800, icmp4Echo('203.0.113.1', '203.0.113.9', 7, round)));
    out.push(ether(B, A, 0x0800, udp4('203.0.113.1', '203.0.113.53', 33000 + round, 53, [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])));
    out.push(ether('ff:ff:ff:ff:ff:ff', A, 0x0806, arpRequest(A, '203.0.113.1', '203.0.113.2')));
  }
  return out;
}

test('-w FILE --summary: the live summary equals tshark on the file, every frame written', async () => {
  const file = join(dir, 'live.pcap');
  const frames = traffic();
  // nanosecond stamps in the file, so that conversation starts compare to the microsecond
  const p = startCli(['-i', net!.host, '--nano', '-w', file, '--json', '--summary', 'conv', '--summary', 'endpoints', '--summary', 'protocols', '--summary', 'io,1']);
  try {
    await p.waitStderr(/listening on/);
    await sendInChunks(net!.ns, net!.peer, frames, (sent) => waitForRecords(file, sent, { timeoutMs: 30_000 }));
    expect(countRecords(file)).toBe(frames.length);
  } finally {
    p.child.kill('SIGINT');
  }
  const r = await p.done;
  expect(r.code).toBe(0);
  const line = r.stderr.split('\n').find((l) => l.startsWith('{"summary"'));
  expect(line, r.stderr).toBeDefined();
  const summary = (JSON.parse(line!) as { summary: SummaryJson }).summary;
  expect(summary.packets).toBe(frames.length);
  expect(await compareWithTshark(file, {}, summary)).toEqual([]);
});
