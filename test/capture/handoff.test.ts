/**
 * The hand-off, through the sender thread and from the capture thread itself, end to end with the CLI on real veths and namespaces:
 * every frame reaches the far side of a mirror and of a VXLAN export (tags put back, order kept), a
 * real TCP transfer merged by --gro reassembles (tshark's follow) to exactly the bytes sent, and a
 * collector that stops reading costs counted export drops and no capture drops.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { hex } from '../helpers/collect.js';
import { ether, pad60, sendFrames, udp4 } from '../helpers/frames.js';
import { createTestNet, rootSubnet, run, type TestNet } from '../helpers/netns.js';
import { startTcpdump } from '../helpers/tcpdump.js';

const dir = mkdtempSync(join(tmpdir(), 'tscap-handoff-'));
let src: TestNet; // traffic source: captured on src.host
let mir: TestNet; // mirror target: mirrored out of mir.host, seen on mir.peer
let col: TestNet; // collector: COLLECTOR in col.ns
// Both links have addresses in the machine's own namespace, so their subnets are drawn per run.
const SRC_NET = rootSubnet();
const COL_NET = rootSubnet();
const SERVER = `${SRC_NET}.2`; // the TCP server in src.ns
const COLLECTOR = `${COL_NET}.2`;

beforeAll(() => {
  src = createTestNet('hs', { hostAddr: `${SRC_NET}.1/24`, peerAddr: `${SERVER}/24` });
  mir = createTestNet('hm');
  col = createTestNet('hc', { hostAddr: `${COL_NET}.1/24`, peerAddr: `${COLLECTOR}/24` });
  // Merged packets up to 64 KiB must fit the mirror link and the collector's link unfragmented.
  for (const n of [mir, col]) {
    run('ip', ['link', 'set', n.host, 'mtu', '65535']);
    n.exec('ip', ['link', 'set', n.peer, 'mtu', '65535']);
  }
  // The VXLAN export groups equal-length datagrams with UDP GSO by default. A veth would carry each
  // group whole to the collector's tcpdump; with the device's UDP segmentation off the kernel cuts
  // the groups before the link, as for a NIC without it, and the collector's link carries datagrams.
  run('ethtool', ['-K', col.host, 'tx-udp-segmentation', 'off']);
  run('ping', ['-c', '1', '-W', '2', COLLECTOR]);
  run('ping', ['-c', '1', '-W', '2', SERVER]);
});
afterAll(() => {
  src?.remove();
  mir?.remove();
  col?.remove();
});

/** A python3 process in a namespace; resolves once it printed its first line. */
async function py(ns: string, script: string, args: string[] = []): Promise<{ child: ChildProcess; out: () => string }> {
  const child = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      resolve();
    });
    child.once('exit', (c) => reject(new Error(`python exited ${c}: ${err}`)));
  });
  return { child, out: () => out };
}

const UDP_SINK = `import socket,time\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(('0.0.0.0',4789))\nprint('up',flush=True)\ntime.sleep(120)`;

/** The inner frames of the VXLAN datagrams in a pcap (Ethernet / IPv4 / UDP / VXLAN / frame). */
function innerFrames(packets: { data: Uint8Array }[]): Uint8Array[] {
  return packets.map((p) => p.data.subarray(14 + 20 + 8 + 8));
}

function summaryLine(stderr: string, re: RegExp): RegExpExecArray {
  const m = re.exec(stderr);
  if (!m) throw new Error(`no line matching ${re} in:\n${stderr}`);
  return m;
}

/** Both ways of sending: a sender thread, and the capture thread itself (the default below 4 CPUs). */
const MODES = ['on', 'off'];

test.each(MODES)('--mirror and --export udp at once: every frame reaches both far sides, tags put back, in order (--send-thread %s)', async (mode) => {
  const sink = await py(col.ns, UDP_SINK);
  const mirrored = await startTcpdump(mir.ns, mir.peer, join(dir, `${mode}-mirror.pcap`));
  const exported = await startTcpdump(col.ns, col.peer, join(dir, `${mode}-export.pcap`), ['udp', 'port', '4789']);
  try {
    // 4,000 frames over 40 flows, a quarter tagged (802.1Q and 802.1ad), sizes 60..1514.
    const sent = Array.from({ length: 4000 }, (_, i) => {
      const tags = i % 4 === 0 ? [{ tpid: i % 8 === 0 ? 0x88a8 : 0x8100, pcp: i % 8, dei: false, vid: 100 + (i % 40) }] : [];
      const data = Array.from({ length: 10 + ((i * 37) % 1430) }, (_, j) => (i + j) & 0xff);
      return pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4(`203.0.113.${1 + (i % 40)}`, '198.51.100.9', 20000 + (i % 40), 9, data), tags));
    });
    const p = startCli(['-i', src.host, '--send-thread', mode, '--mirror', mir.host, '--export', `udp://${COLLECTOR}:4789?vni=7`, 'udp and dst port 9']);
    await p.waitStderr(/listening on/);
    sendFrames(src.ns, src.peer, sent, 20);
    // No wait before the signal: on SIGINT tscap takes in what the kernel already holds, then sends it.
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^4000 packets captured$/m);
    expect(r.stderr).toMatch(/^0 packets dropped by kernel$/m);
    expect(r.stderr).toMatch(new RegExp(`^4000 packets mirrored to ${mir.host} \\(\\d+ bytes, 0 send errors, 0 dropped, 0 of them at the hand-off queue\\)$`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`^4000 packets exported to udp://${COLLECTOR.replaceAll('.', '\\.')}:4789\\?vni=7 \\(\\d+ bytes, 0 send errors, 0 dropped, 0 of them at the hand-off queue\\)$`, 'm'));
    await mirrored.settled();
    await exported.settled();
    const atMirror = await mirrored.stop();
    const atCollector = await exported.stop();
    expect(atMirror.length).toBe(4000);
    expect(atMirror.map((x) => hex(x.data))).toEqual(sent.map(hex));
    expect(innerFrames(atCollector).map(hex)).toEqual(sent.map(hex));
  } finally {
    sink.child.kill();
  }
});

/** tshark's reassembly of TCP stream 0 in a pcap, client-to-server direction, as bytes. */
function followClientBytes(file: string): Buffer {
  const text = execFileSync('tshark', ['-r', file, '-q', '-z', 'follow,tcp,raw,0'], { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  const body = text.split('\n').filter((l) => /^[0-9a-f]+$/.test(l)); // server-to-client lines start with a tab
  return Buffer.from(body.join(''), 'hex');
}

test.each(MODES)('--gro on a real TCP transfer: mirror and export far sides reassemble to exactly the bytes sent, in fewer packets (--send-thread %s)', async (mode) => {
  // Segmentation offloads off on the sending side: the capture sees wire-sized segments, as on a NIC.
  run('ethtool', ['-K', src.host, 'tso', 'off', 'gso', 'off']);
  const payload = randomBytes(3 << 20);
  const dataFile = join(dir, 'payload.bin');
  writeFileSync(dataFile, payload);
  const server = await py(
    src.ns,
    `import socket\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\ns.bind(('0.0.0.0',5001))\ns.listen(1)\nprint('up',flush=True)\nc,_=s.accept()\nn=0\nwhile True:\n  b=c.recv(1<<20)\n  if not b: break\n  n+=len(b)\nprint(n,flush=True)`,
  );
  const sink = await py(col.ns, UDP_SINK);
  const mirrored = await startTcpdump(mir.ns, mir.peer, join(dir, `${mode}-gro-mirror.pcap`));
  const exported = await startTcpdump(col.ns, col.peer, join(dir, `${mode}-gro-export.pcap`), ['udp', 'port', '4789']);
  const ref = join(dir, `${mode}-gro-ref.pcap`);
  try {
    const p = startCli(['-i', src.host, '--send-thread', mode, '--gro', '--mirror', mir.host, '--export', `udp://${COLLECTOR}:4789`, '-w', ref, 'tcp port 5001']);
    await p.waitStderr(/listening on/);
    await p.waitStderr(new RegExp(`--gro: TCP segments for ${mir.host} merged into IP packets of at most 65535 bytes`));
    execFileSync('python3', ['-c', `import socket,sys\nd=open(sys.argv[1],'rb').read()\ns=socket.create_connection(('${SERVER}',5001))\ns.sendall(d)\ns.close()`, dataFile]);
    await new Promise<void>((r) => server.child.once('exit', () => r()));
    expect(Number(server.out().trim().split('\n').pop())).toBe(payload.length);
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^0 packets dropped by kernel$/m);
    const captured = Number(summaryLine(r.stderr, /^(\d+) packets captured$/m)[1]);
    const m = summaryLine(r.stderr, new RegExp(`^(\\d+) packets mirrored to ${mir.host} \\(\\d+ bytes, 0 send errors, 0 dropped, 0 of them at the hand-off queue; GRO: (\\d+) frames sent as (\\d+) packets, TCP payload (\\d+) bytes in, (\\d+) out\\)$`, 'm'));
    const e = summaryLine(r.stderr, /^(\d+) packets exported to udp:\S+ \(\d+ bytes, 0 send errors, 0 dropped, 0 of them at the hand-off queue; GRO: (\d+) frames sent as (\d+) packets, TCP payload (\d+) bytes in, (\d+) out\)$/m);
    for (const x of [m, e]) {
      expect(Number(x[1])).toBe(captured);
      // Frames out below frames in. How far below depends on timing: segments more than 2 ms apart
      // (a sender starved of CPU on a loaded machine) rightly stay apart.
      expect(Number(x[3])).toBeLessThan(captured);
      // Every byte the client sent went through GRO (more only if TCP retransmitted), and as much came out.
      expect(Number(x[4])).toBeGreaterThanOrEqual(payload.length);
      expect(Number(x[5])).toBe(Number(x[4]));
    }
    await mirrored.settled();
    await exported.settled();
    const atMirror = await mirrored.stop();
    const atCollector = await exported.stop();
    expect(atMirror.length).toBe(Number(m[3]));
    expect(atCollector.length).toBe(Number(e[3]));
    // Merged packets did cross: larger than any wire frame of the transfer (1514 bytes).
    expect(atMirror.some((x) => x.data.length > 1514)).toBe(true);
    // The same stream: the capture without GRO (-w), the mirror's far side, and the collector's.
    const reference = followClientBytes(ref);
    expect(reference.equals(payload)).toBe(true);
    expect(followClientBytes(join(dir, `${mode}-gro-mirror.pcap`)).equals(payload)).toBe(true);
    expect(followClientBytes(join(dir, `${mode}-gro-export.pcap`)).equals(payload)).toBe(true);
    // Every packet at the far side has correct IPv4 and TCP checksums (tshark validates; 0 = bad).
    const bad = execFileSync('tshark', ['-r', join(dir, `${mode}-gro-mirror.pcap`), '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-Y', 'tcp.len > 1500 and (tcp.checksum.status == 0 or ip.checksum.status == 0)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(bad).toBe('');
  } finally {
    sink.child.kill();
    server.child.kill();
    run('ethtool', ['-K', src.host, 'tso', 'on', 'gso', 'on']);
  }
}, 150_000); // a 3 MiB transfer, three captures of it and tshark's reassembly, on a loaded machine

test.each(MODES)('a collector that stops reading: export drops are counted, the capture drops nothing (--send-thread %s)', async (mode) => {
  const collector = await py(col.ns, `import socket,time\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\ns.bind(('0.0.0.0',9000))\ns.listen(1)\nprint('up',flush=True)\nc,_=s.accept()\ntime.sleep(120)`);
  try {
    const p = startCli(['-i', src.host, '--send-thread', mode, '--export', `tcp://${COLLECTOR}:9000`, 'udp and dst port 9']);
    await p.waitStderr(/listening on/);
    // 30,000 datagrams of 1,400 bytes (42 MB, far beyond the 16 MiB queue and the socket buffers),
    // paced to about 50,000 a second, a rate the capture alone takes without loss.
    const blast = `import socket,time\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\nd=bytes(1400)\nfor i in range(30000):\n  s.sendto(d,('${SRC_NET}.1',9))\n  if i%100==99: time.sleep(0.002)\nprint('sent',flush=True)`;
    src.exec('python3', ['-c', blast]);
    const t0 = Date.now();
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(Date.now() - t0).toBeLessThan(8000); // the close grace (2 s) bounds the exit
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^30000 packets captured$/m);
    expect(r.stderr).toMatch(/^0 packets dropped by kernel$/m);
    const e = summaryLine(r.stderr, /^(\d+) packets exported to tcp:\S+ \(\d+ bytes, 0 send errors, (\d+) dropped, (\d+) of them at the hand-off queue\)$/m);
    expect(Number(e[2])).toBeGreaterThan(0);
    expect(Number(e[1]) + Number(e[2])).toBe(30000);
  } finally {
    collector.child.kill();
  }
});

test.each(MODES)('--export udp with gso=1, frames sent from the capture ring: the collector reads every frame, each flow in order (--send-thread %s)', async (mode) => {
  const want = 2000;
  // Prints each datagram as a hex line, then ends.
  const collector = await py(col.ns, `import socket,sys\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.setsockopt(socket.SOL_SOCKET,33,1<<26)\ns.bind(('0.0.0.0',4791))\nprint('up',flush=True)\nfor i in range(${want}):\n  sys.stdout.write(s.recv(65536).hex()+'\\n')\nsys.stdout.flush()`);
  try {
    // Three flows, as a transfer looks: full-size frames one way, short ones back, a third of mixed sizes.
    const sent = Array.from({ length: want }, (_, i) => {
      const [from, to, size] = i % 3 === 0 ? ['203.0.113.2', '203.0.113.1', 6] : i % 7 === 1 ? ['203.0.113.3', '203.0.113.4', (i * 53) % 1472] : ['203.0.113.1', '203.0.113.2', 1472];
      return pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4(from as string, to as string, 23000, 9, Array.from({ length: size as number }, (_, j) => (i + j) & 0xff))));
    });
    const p = startCli(['-i', src.host, '--send-thread', mode, '--export', `udp://${COLLECTOR}:4791?vni=3&gso=1`, 'udp and dst port 9']);
    await p.waitStderr(/listening on/);
    sendFrames(src.ns, src.peer, sent, 20);
    const ended = new Promise<void>((r) => collector.child.once('exit', () => r()));
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^${want} packets exported to udp://\\S+ \\(\\d+ bytes, 0 send errors, 0 dropped, 0 of them at the hand-off queue\\)$`, 'm'));
    await ended;
    const got = collector.out().trim().split('\n').slice(1).map((l) => l.slice(16)); // after 'up', and each VXLAN header
    expect(got).toHaveLength(want);
    const byFlow = (hs: string[]): Map<string, string[]> => {
      const m = new Map<string, string[]>();
      for (const h of hs) m.set(h.slice(52, 68), [...(m.get(h.slice(52, 68)) ?? []), h]);
      return m;
    };
    expect(byFlow(got)).toEqual(byFlow(sent.map(hex)));
  } finally {
    collector.child.kill();
  }
});

test.each(MODES)('--export-snaplen cuts exported frames; the pcap stream keeps each original length (--send-thread %s)', async (mode) => {
  const out = join(dir, `${mode}-snap-stream.pcap`);
  const collector = await py(
    col.ns,
    `import socket\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\ns.bind(('0.0.0.0',9001))\ns.listen(1)\nprint('up',flush=True)\nc,_=s.accept()\nf=open(${JSON.stringify(out)},'wb')\nwhile True:\n  b=c.recv(65536)\n  if not b: break\n  f.write(b)\nf.close()`,
  );
  const sink = await py(col.ns, UDP_SINK);
  const vx = await startTcpdump(col.ns, col.peer, join(dir, `${mode}-snap-vxlan.pcap`), ['udp', 'port', '4789']);
  try {
    const sent = Array.from({ length: 50 }, (_, i) => pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4('203.0.113.1', '198.51.100.9', 21000, 9, Array(100 + i * 20).fill(i)))));
    const p = startCli(['-i', src.host, '--send-thread', mode, '--export', `tcp://${COLLECTOR}:9001`, '--export', `udp://${COLLECTOR}:4789`, '--export-snaplen', '64', 'udp and dst port 9']);
    await p.waitStderr(/listening on/);
    sendFrames(src.ns, src.peer, sent);
    const ended = new Promise<void>((r) => collector.child.once('exit', () => r()));
    p.child.kill('SIGINT');
    const r = await p.done;
    await ended;
    expect(r.code).toBe(0);
    // tcpdump reads the stream: snaplen 64 in the header, each record cut to 64 with its original length.
    const lines = execFileSync('tcpdump', ['-r', out, '-nn', '-e'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n');
    expect(lines).toHaveLength(50);
    lines.forEach((l, i) => expect(l).toContain(`length ${sent[i]!.length}:`));
    const info = execFileSync('tshark', ['-r', out, '-T', 'fields', '-e', 'frame.cap_len', '-e', 'frame.len'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n');
    expect(info).toEqual(sent.map((f) => `64\t${f.length}`));
    await vx.settled();
    const inner = innerFrames(await vx.stop());
    expect(inner.map(hex)).toEqual(sent.map((f) => hex(f.subarray(0, 64))));
  } finally {
    collector.child.kill();
    sink.child.kill();
  }
});

test('--gro with a mirror whose MTU is smaller than 64 KiB says at start that it merges only up to that MTU', async () => {
  const p = startCli(['-i', mir.host, '-c', '1', '--gro', '--mirror', src.host]);
  await p.waitStderr(new RegExp(`--gro: TCP segments for ${src.host} merged into IP packets of at most 1500 bytes \\(the MTU of ${src.host}\\), held at most 2 ms`));
  // The socket is bound before "listening on": one frame sent now ends the run (-c 1).
  sendFrames(mir.ns, mir.peer, [pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4('203.0.113.1', '198.51.100.9', 22000, 9, [1])))]);
  expect((await p.done).code).toBe(0);
});

test('--gro and --export-snaplen without a target, and a --send-thread other than auto, on, off, are usage errors', async () => {
  for (const args of [['--send-thread', 'sometimes', '--mirror', mir.host], ['--gro'], ['--export-snaplen', '64'], ['--mirror', mir.host, '--export-snaplen', '64'], ['--export', `udp://${COLLECTOR}:4789`, '--export-snaplen', '5']]) {
    const r = await startCli(['-i', src.host, ...args]).done;
    expect(r.code).toBe(2);
  }
});
