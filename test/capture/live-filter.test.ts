/**
 * Filters on a live socket select exactly what tcpdump selects. Live, the kernel has stripped VLAN tags
 * (so `vlan` compiles to ancillary loads), and the oracle is tcpdump capturing the same interface at the
 * same time. For expressions that test VLANs, the result must also equal tcpdump's selection from a
 * file of the same frames (tags in the bytes): the user gets the same packets either way. (Expressions
 * that do not test VLANs see tagged frames untagged on a live Linux socket, for libpcap as for tscap.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { emptyPacket } from '../../src/packet.js';
import { PcapWriter, readPackets } from '../../src/pcap/index.js';
import { startCli } from '../helpers/cli.js';
import { startTcpdump } from '../helpers/tcpdump.js';
import { hex } from '../helpers/collect.js';
import { arpRequest, ether, icmp4Echo, icmp6Echo, pad60, sendFrames, tcp4, tcp6Syn, udp4, udp6 } from '../helpers/frames.js';
import { createTestNet, type TestNet } from '../helpers/netns.js';
import { waitForRecords } from '../helpers/wait.js';

let net: TestNet;
const dir = mkdtempSync(join(tmpdir(), 'tscap-livefilter-'));
beforeAll(() => {
  net = createTestNet('tf');
});
afterAll(() => net?.remove());

const A = '02:00:00:00:00:01';
const B = '02:00:00:00:00:02';
const v = (vid: number, tpid = 0x8100) => [{ tpid, pcp: 0, dei: false, vid }];
const MIX: Uint8Array[] = [
  pad60(ether(B, A, 0x0800, udp4('203.0.113.1', '203.0.113.2', 1000, 2000, [1]), v(42))),
  pad60(ether(B, A, 0x0800, udp4('203.0.113.1', '203.0.113.2', 1000, 2000, [2]), v(43))),
  pad60(ether(B, A, 0x0800, tcp4('203.0.113.1', '203.0.113.2', 1000, 80, 0x02, 7), v(42))),
  pad60(ether(B, A, 0x0800, udp4('203.0.113.1', '203.0.113.2', 1000, 2000, [3]))),
  pad60(ether(B, A, 0x0800, udp4('203.0.113.1', '203.0.113.2', 1000, 2000, [4]), v(42, 0x88a8))),
  pad60(ether(B, A, 0x0800, tcp4('203.0.113.1', '203.0.113.2', 5000, 22, 0x18, 9, [1, 2, 3]))),
  pad60(ether(B, A, 0x0800, tcp4('203.0.113.1', '203.0.113.2', 5001, 80, 0x02, 1))),
  pad60(ether(B, A, 0x0800, tcp4('203.0.113.1', '203.0.113.2', 5001, 80, 0x10, 2))),
  pad60(ether(B, A, 0x0800, tcp4('203.0.113.2', '203.0.113.1', 22, 5000, 0x12, 3))),
  pad60(ether(B, A, 0x86dd, icmp6Echo('2001:db8::1', '2001:db8::2', 7, 1))),
  pad60(ether(B, A, 0x86dd, udp6('2001:db8::1', '2001:db8::2', 53, 53, [0, 1, 2]))),
  pad60(ether(B, A, 0x86dd, tcp6Syn('2001:db8::1', '2001:db8::2', 4000, 443))),
  pad60(ether('ff:ff:ff:ff:ff:ff', A, 0x0806, arpRequest(A, '203.0.113.1', '203.0.113.2'))),
  pad60(ether(B, A, 0x0800, icmp4Echo('203.0.113.1', '203.0.113.2', 3, 4))),
];

let mixFile = '';
beforeAll(async () => {
  mixFile = join(dir, 'mix.pcap');
  const w = new PcapWriter(mixFile, { linkType: 1, snaplen: 262144, nano: false });
  MIX.forEach((f, i) => {
    const p = emptyPacket();
    p.buf = f;
    p.capLen = f.length;
    p.wireLen = f.length;
    p.tsSec = 1_700_000_000 + i;
    w.write(p);
  });
  await w.close();
});

/** Indices of MIX that tcpdump's filter selects from the file. */
function oracle(expr: string): number[] {
  const text = execFileSync('tcpdump', ['-r', mixFile, '-tt', '-nn', expr], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return text
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => Number(l.split('.')[0]) - 1_700_000_000);
}

/**
 * Sent after MIX to know when everything has arrived: an EtherType of its own (0x88b5, local
 * experimental) that a third capture, filtering on it alone, records. Frames reach every packet
 * socket of the interface in the order sent, so once the watcher has the sentinel, tscap's ring and
 * tcpdump's hold all of MIX that their filters took.
 */
const SENTINEL = pad60(ether(B, A, 0x88b5, [0x74, 0x73, 0x63, 0x61, 0x70]));

/** Runs tscap and tcpdump live on the same interface with `expr`; returns the MIX indices each kept. */
async function liveSelect(expr: string): Promise<{ tscap: number[]; tcpdump: number[] }> {
  const id = Math.random().toString(36).slice(2);
  const out = join(dir, `live-${id}.pcap`);
  const watchFile = join(dir, `watch-${id}.pcap`);
  const reference = await startTcpdump(undefined, net.host, join(dir, `ref-${id}.pcap`), [expr]);
  const watcher = await startTcpdump(undefined, net.host, watchFile, ['ether proto 0x88b5']);
  const p = startCli(['-i', net.host, '-w', out, '-f', expr]);
  await p.waitStderr(/listening on/);
  sendFrames(net.ns, net.peer, [...MIX, SENTINEL]);
  await waitForRecords(watchFile, 1);
  await watcher.stop();
  p.child.kill('SIGINT'); // tscap takes in what its ring holds before it stops
  const r = await p.done;
  expect(r.code).toBe(0);
  await reference.settled();
  const mixHex = MIX.map(hex);
  const tscap: number[] = [];
  for await (const pkt of readPackets(out)) tscap.push(mixHex.indexOf(hex(pkt.buf.subarray(pkt.offset, pkt.offset + pkt.capLen))));
  const tcpdump = (await reference.stop()).map((pkt) => mixHex.indexOf(hex(pkt.data)));
  return { tscap, tcpdump };
}

test.each(['port not 22', 'icmp6 or arp', 'tcp[tcpflags] & tcp-syn != 0', 'udp', 'ip6 and tcp'])(
  'live -f "%s" delivers exactly the frames live tcpdump delivers',
  async (expr) => {
    const { tscap, tcpdump } = await liveSelect(expr);
    expect(tcpdump.length).toBeGreaterThan(0);
    expect(tscap).toEqual(tcpdump);
  },
);

test.each(['vlan 42 and udp', 'vlan', 'not vlan and ip', 'vlan 42', 'vlan and tcp port 80'])(
  'live -f "%s" delivers what live tcpdump delivers, and what tcpdump selects from a file',
  async (expr) => {
    const want = oracle(expr);
    expect(want.length).toBeGreaterThan(0);
    const { tscap, tcpdump } = await liveSelect(expr);
    expect(tscap).toEqual(tcpdump);
    expect(tscap).toEqual(want);
  },
);
