/**
 * Exporting to a collector in a namespace: VXLAN datagrams that tcpdump decodes back to the original
 * frames, a pcap stream over TCP that tcpdump reads whole, and a dead collector that costs counted
 * drops without ever blocking the writer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createExporter, parseExportUrl } from '../../src/capture/export.js';
import { emptyPacket, type PacketView } from '../../src/packet.js';
import { hex } from '../helpers/collect.js';
import { ether, pad60, udp4 } from '../helpers/frames.js';
import { createTestNet, rootSubnet, run, type TestNet } from '../helpers/netns.js';
import { startTcpdump } from '../helpers/tcpdump.js';
import { countRecordsIn, waitFor, waitForRecords } from '../helpers/wait.js';

let net: TestNet;
const dir = mkdtempSync(join(tmpdir(), 'tscap-export-'));
const SUBNET = rootSubnet();
const COLLECTOR = `${SUBNET}.2`;
beforeAll(() => {
  net = createTestNet('te', { hostAddr: `${SUBNET}.1/24`, peerAddr: `${COLLECTOR}/24` });
  run('ping', ['-c', '1', '-W', '2', COLLECTOR]); // resolve ARP before bursts
});
afterAll(() => net?.remove());

function frames(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => {
    // Runs of 16 frames of one length, tagged or not (nine sizes): one flow's equal-length frames in
    // a row, which GSO sends together.
    const run16 = i >> 4;
    const tags = run16 % 4 === 0 ? [{ tpid: 0x8100, pcp: 1, dei: false, vid: 10 + i }] : [];
    return pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4('203.0.113.1', '203.0.113.2', 7777, 9, Array.from({ length: 10 + (run16 % 9) * 100 }, (_, j) => (i * 7 + j) & 0xff)), tags));
  });
}

function asView(b: Uint8Array, i: number): PacketView {
  const p = emptyPacket();
  p.buf = b;
  p.capLen = b.length;
  p.wireLen = b.length;
  p.tsSec = 1_700_000_000 + i;
  p.tsNsec = i * 1000;
  p.index = i;
  return p;
}

/** A process in the namespace; python3 is the collector (a listener that only receives). */
function inNs(script: string): ChildProcess {
  return spawn('ip', ['netns', 'exec', net.ns, 'python3', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function started(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (c) => reject(new Error(`collector exited ${c}`)));
  });
}

test('bad export URLs are usage errors', () => {
  expect(() => parseExportUrl('nonsense')).toThrow(/not a URL/);
  expect(() => parseExportUrl('http://h:1')).toThrow(/scheme/);
  expect(() => parseExportUrl('tcp://h')).toThrow(/port/);
  expect(() => parseExportUrl('udp://h:1?vni=99999999')).toThrow(/vni/);
  expect(() => parseExportUrl('udp://h:1?gso=yes')).toThrow(/gso must be 0 or 1/);
  expect(() => parseExportUrl('tcp://h:1?gso=1')).toThrow(/gso is for udp/);
  // UDP segmentation offload is on for udp:// unless gso=0.
  expect([parseExportUrl('udp://h:1').gso, parseExportUrl('udp://h:1?gso=0').gso, parseExportUrl('udp://h:1?gso=1').gso, parseExportUrl('tcp://h:1').gso]).toEqual([true, false, true, false]);
  return expect(createExporter('udp://no-such-host.invalid:4789')).rejects.toThrow(/cannot resolve/);
});

// Without GSO; and with it (the default) through a sending device that cannot segment UDP itself, as
// a NIC without USO: the kernel cuts each grouped send before the device, so the wire carries datagrams.
test.each([
  ['gso=0', '&gso=0'],
  ['GSO cut by the kernel before the link', ''],
])('VXLAN export (%s): tcpdump on the receiving side decodes every datagram back to the original frame', async (_what, query) => {
  const sink = inNs(`import socket,sys\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(('0.0.0.0',4789))\nprint('up',flush=True)\nimport time\ntime.sleep(60)`);
  await started(sink);
  const vxlanFile = join(dir, `vxlan${query}.pcap`);
  const receiver = await startTcpdump(net.ns, net.peer, vxlanFile, ['udp', 'port', '4789']);
  if (query === '') run('ethtool', ['-K', net.host, 'tx-udp-segmentation', 'off']);
  try {
    const exp = await createExporter(`udp://${COLLECTOR}:4789?vni=42${query}`);
    const sent = frames(500);
    sent.forEach((f, i) => exp.write(asView(f, i)));
    exp.flush();
    await exp.close();
    // Should it time out: what the exporter counted and where the kernel sent the datagrams.
    await waitForRecords(vxlanFile, 500, {
      detail: () => `${countRecordsIn([vxlanFile])} so far; exporter ${JSON.stringify(exp.stats())}; ${run('ip', ['route', 'get', COLLECTOR]).trim()}; ${run('ip', ['neigh', 'show', COLLECTOR]).trim()}`,
    });
    const got = await receiver.stop();
    expect(exp.stats()).toMatchObject({ frames: 500, errors: 0, dropped: 0 });
    expect(got.map((p) => hex(p.data.subarray(14 + 20 + 8 + 8)))).toEqual(sent.map(hex));
    const text = execFileSync('tcpdump', ['-r', vxlanFile, '-nn'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    // tcpdump prints each datagram's outer line, then the decoded inner frame on the next.
    const outer = text.trim().split('\n').filter((l) => l.includes(` > ${COLLECTOR}.4789: `));
    expect(outer).toHaveLength(500);
    for (const l of outer) expect(l).toContain('VXLAN, flags [I] (0x08), vni 42');
  } finally {
    if (query === '') run('ethtool', ['-K', net.host, 'tx-udp-segmentation', 'on']);
    sink.kill();
  }
});

test.each([false, true])('VXLAN export with GSO (the default): the collector socket gets every datagram, each flow in order, in fewer and larger sends (sender thread: %s)', async (sendThread) => {
  // The collector writes each datagram it receives as a hex line, and says when it has them all.
  const want = 3000;
  const sink = inNs(
    `import socket,sys\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.setsockopt(socket.SOL_SOCKET,33,1<<26)\ns.bind(('0.0.0.0',4790))\nprint('up',flush=True)\nfor i in range(${want}):\n  sys.stdout.write(s.recv(65536).hex()+'\\n')\nsys.stdout.flush()`,
  );
  await started(sink); // its first line, 'up', is not kept
  let lines = '';
  sink.stdout?.on('data', (b: Buffer) => (lines += b.toString()));
  const wire = await startTcpdump(net.ns, net.peer, join(dir, `gso-${sendThread}.pcap`), ['udp', 'port', '4790']);
  try {
    // A bulk transfer's two directions: frames of one size one way (their datagrams fit the link's
    // 1500-byte MTU), an ACK-sized frame the other way after every second, a shorter frame now and
    // then; a flow of random sizes; and one of full-size frames, whose datagrams exceed the MTU: the
    // kernel refuses to segment them (EMSGSIZE), so they go alone and are fragmented.
    const mk = (src: string, dst: string, size: number, i: number): Uint8Array =>
      pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4(src, dst, 7000, 9, Array.from({ length: size }, (_, j) => (i * 13 + j) & 0xff))));
    const sent: Uint8Array[] = [];
    for (let i = 0; sent.length < want; i++) {
      sent.push(mk('203.0.113.1', '203.0.113.2', i % 50 === 49 ? 700 : 1400, i));
      if (i % 2 === 1) sent.push(mk('203.0.113.2', '203.0.113.1', 12, i));
      if (i % 7 === 3) sent.push(mk('203.0.113.3', '203.0.113.4', (i * 101) % 1472, i));
      if (i % 9 === 5) sent.push(mk('203.0.113.5', '203.0.113.6', 1472, i));
    }
    sent.length = want;
    const exp = await createExporter(`udp://${COLLECTOR}:4790?vni=5`, { sendThread });
    sent.forEach((f, i) => {
      exp.write(asView(f, i));
      if (i % 500 === 499) exp.flush();
    });
    exp.flush();
    await exp.close();
    const done = new Promise<void>((r) => sink.once('exit', () => r()));
    await waitFor(() => lines.split('\n').length > want, { what: `${want} datagrams at the collector`, detail: () => `${lines.split('\n').length - 1} so far; exporter ${JSON.stringify(exp.stats())}` });
    await done;
    expect(exp.stats()).toMatchObject({ frames: want, packets: want, errors: 0, dropped: 0 });
    const got = lines.trim().split('\n').map((l) => l.slice(16)); // after the VXLAN header
    expect(got).toHaveLength(want);
    expect([...got].sort()).toEqual(sent.map(hex).sort());
    // Each flow (by its IPv4 source and destination) in the order sent.
    const flowOf = (h: string): string => h.slice(52, 68);
    const byFlow = (hs: string[]): Map<string, string[]> => {
      const m = new Map<string, string[]>();
      for (const h of hs) m.set(flowOf(h), [...(m.get(flowOf(h)) ?? []), h]);
      return m;
    };
    expect(byFlow(got)).toEqual(byFlow(sent.map(hex)));
    // On the wire of the veth, before the collector's stack cuts them, the sends are GSO packets.
    const onWire = await wire.stop();
    expect(onWire.length).toBeLessThan(want / 3);
    expect(Math.max(...onWire.map((p) => p.data.length))).toBeGreaterThan(20_000);
  } finally {
    sink.kill();
  }
});

test('TCP export: the collector receives a pcap stream that tcpdump reads with every packet', async () => {
  const out = join(dir, 'stream.pcap');
  const collector = inNs(
    `import socket\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\ns.bind(('0.0.0.0',9999))\ns.listen(1)\nprint('up',flush=True)\nc,_=s.accept()\nf=open(${JSON.stringify(out)},'wb')\nwhile True:\n  b=c.recv(65536)\n  if not b: break\n  f.write(b)\nf.close()`,
  );
  await started(collector);
  const exp = await createExporter(`tcp://${COLLECTOR}:9999`);
  const sent = frames(1000);
  sent.forEach((f, i) => {
    exp.write(asView(f, i));
    if (i % 100 === 99) exp.flush();
  });
  // The collector may end while close() is still waiting for the sender thread: listen first.
  const ended = new Promise<void>((r) => collector.on('exit', () => r()));
  await exp.close();
  await ended;
  expect(exp.stats()).toMatchObject({ frames: 1000, dropped: 0 });
  const hexOut = execFileSync('tcpdump', ['-r', out, '-nn', '-tt', '-xx'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  const records = hexOut.split(/\n(?=\d)/).map((b) =>
    b
      .split('\n')
      .slice(1)
      .map((l) => l.replace(/^\s*0x[0-9a-f]+:\s*/, '').replace(/\s+/g, ''))
      .join(''),
  );
  expect(records).toEqual(sent.map(hex));
  expect(readFileSync(out).subarray(0, 4).toString('hex')).toBe('d4c3b2a1');
});

test('a dead collector never blocks the writer: packets are counted as dropped, warnings say why', async () => {
  const warnings: string[] = [];
  const exp = await createExporter(`tcp://${COLLECTOR}:9998`, { onWarning: (m) => warnings.push(m) });
  const sent = frames(2000);
  const t0 = performance.now();
  sent.forEach((f, i) => exp.write(asView(f, i)));
  exp.flush();
  const elapsed = performance.now() - t0;
  await waitFor(() => warnings.some((w) => /ECONNREFUSED/.test(w)), { what: 'the refused connection to be reported', detail: () => warnings.join('; ') });
  await exp.close();
  expect(exp.stats()).toMatchObject({ frames: 0, dropped: 2000 });
  expect(warnings.some((w) => /ECONNREFUSED/.test(w))).toBe(true);
  expect(elapsed).toBeLessThan(2000);
});

test('a collector that accepts but never reads: the writer never blocks, drops are counted, close returns', async () => {
  const collector = inNs(`import socket,time\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\ns.bind(('0.0.0.0',9997))\ns.listen(1)\nprint('up',flush=True)\nc,_=s.accept()\nprint('accepted',flush=True)\ntime.sleep(60)`);
  await started(collector);
  try {
    const accepted = new Promise<void>((resolve) => collector.stdout?.on('data', (b: Buffer) => b.toString().includes('accepted') && resolve()));
    const exp = await createExporter(`tcp://${COLLECTOR}:9997`);
    await accepted; // connected: the collector has accepted, and then never reads
    const big = Uint8Array.from({ length: 1400 }, (_, i) => i & 0xff);
    const n = 40_000; // 56 MB: far more than the socket buffers and the 16 MiB queue hold
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      exp.write(asView(big, i));
      if (i % 500 === 499) {
        exp.flush();
        await new Promise((r) => setImmediate(r));
      }
    }
    const writing = performance.now() - t0;
    const c0 = performance.now();
    await exp.close();
    const closing = performance.now() - c0;
    const s = exp.stats();
    expect(s.dropped).toBeGreaterThan(0);
    expect(s.frames + s.dropped).toBe(n);
    expect(writing).toBeLessThan(15_000);
    expect(closing).toBeLessThan(5_000);
  } finally {
    collector.kill();
  }
});
