/**
 * The container recipe, without Docker (the daemon is not available where these tests run): what the
 * image does and what the README's commands rely on, reproduced with the same kernel mechanisms.
 * - The image gives CAP_NET_RAW to a copy of node as a file capability and runs as a non-root user:
 *   here a copy of node gets `setcap cap_net_raw+ep` and runs as nobody with no other privilege.
 * - "Capture a host bridge from a container" (`--network host --cap-add NET_RAW`): a process with only
 *   CAP_NET_RAW (setpriv, ambient) captures on a bridge in the namespace it runs in.
 * - "Hand a bridge's traffic to an analyzer container": one namespace stands in for the host (a
 *   bridge with a client port, and a veth whose other end is in the analyzer's namespace); tscap
 *   mirrors the bridge into that veth, and a tscap in the analyzer namespace writes what arrives.
 */
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { ether, pad60, sendFrames, udp4 } from '../helpers/frames.js';
import { requireRootAndIp, run, waitLinkUp } from '../helpers/netns.js';
import { readPcap } from '../helpers/pcap-lite.js';

const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];
const id = randomBytes(3).toString('hex');
const ns = { host: `tch${id}`, client: `tcc${id}`, analyzer: `tca${id}` };
let dir = '';

/** Fails loudly without the tools the recipe test needs. */
function requireTools(): void {
  requireRootAndIp();
  for (const [tool, pkg] of [['setpriv', 'util-linux'], ['setcap', 'libcap2-bin']] as const) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`]);
    } catch {
      throw new Error(`this test needs ${tool}: apt-get install -y ${pkg}`);
    }
  }
}

beforeAll(() => {
  requireTools();
  dir = mkdtempSync(join(tmpdir(), 'tscap-container-'));
  chmodSync(dir, 0o777); // nobody writes the analyzer's file here
  for (const n of Object.values(ns)) run('ip', ['netns', 'add', n]);
  // host: bridge br0 with the client's port; ids0 leads into the analyzer's namespace (ids1).
  run('ip', ['-n', ns.host, 'link', 'add', 'br0', 'type', 'bridge']);
  run('ip', ['-n', ns.host, 'link', 'add', 'port0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.client]);
  run('ip', ['-n', ns.host, 'link', 'set', 'port0', 'master', 'br0']);
  run('ip', ['-n', ns.host, 'link', 'add', 'ids0', 'type', 'veth', 'peer', 'name', 'ids1', 'netns', ns.analyzer]);
  for (const [n, dev] of [[ns.host, 'br0'], [ns.host, 'port0'], [ns.host, 'ids0'], [ns.client, 'eth0'], [ns.analyzer, 'ids1']] as const) {
    run('ip', ['netns', 'exec', n, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1']);
    run('ip', ['-n', n, 'link', 'set', dev, 'up']);
  }
  for (const [n, dev] of [[ns.host, 'port0'], [ns.host, 'ids0'], [ns.client, 'eth0'], [ns.analyzer, 'ids1']] as const) waitLinkUp(n, dev);
});

afterAll(() => {
  for (const n of Object.values(ns)) {
    try {
      run('ip', ['netns', 'del', n]);
    } catch {
      // not created
    }
  }
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const frames = (n: number, dport: number): Uint8Array[] =>
  Array.from({ length: n }, (_, i) => pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4('198.51.100.1', '198.51.100.2', 40000, dport, [i]))));

/** The capabilities in effect for a running process, from /proc (CapEff as a number). */
function capEff(pid: number): bigint {
  const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return BigInt(`0x${m?.[1] ?? 'ffffffffffffffff'}`);
}
const CAP_NET_RAW = 1n << 13n;

test('as the image runs it: a copy of node with cap_net_raw+ep, as nobody, captures on a bridge; plain node cannot', async () => {
  const node = join(dir, 'node');
  copyFileSync(process.execPath, node);
  chmodSync(node, 0o755);
  run('setcap', ['cap_net_raw+ep', node]);
  const cap = startCli(['-i', 'br0', '-c', '5', '-n', 'udp port 5001'], { prefix: ['ip', 'netns', 'exec', ns.host, 'setpriv', ...NOBODY], node });
  await cap.waitStderr(/listening on br0/);
  // `ip netns exec` and setpriv exec in place: the child's pid is the capturing node.
  expect(capEff(cap.child.pid as number)).toBe(CAP_NET_RAW);
  sendFrames(ns.client, 'eth0', frames(5, 5001));
  const r = await cap.done;
  expect(r.code).toBe(0);
  expect(r.stdout.trim().split('\n')).toHaveLength(5);
  expect(r.stderr).toMatch(/^5 packets captured$/m);

  const plain = await runCli(['-i', 'br0', '-c', '1'], { prefix: ['ip', 'netns', 'exec', ns.host, 'setpriv', ...NOBODY] });
  expect(plain.code).toBe(1);
  expect(plain.stderr).toContain('capturing needs root or the CAP_NET_RAW capability');
});

test('with only CAP_NET_RAW (ambient, as --cap-add NET_RAW gives a root-less process): mirror a bridge into the analyzer namespace', async () => {
  const only = ['--inh-caps=-all,+net_raw', '--ambient-caps=-all,+net_raw', '--bounding-set=-all,+net_raw'];
  const file = join(dir, 'analyzer.pcap');
  // The analyzer container: tscap on its end of the veth, writing what arrives.
  const analyzer = startCli(['-i', 'ids1', '-c', '20', '-U', '-w', file, 'udp port 5002'], { prefix: ['ip', 'netns', 'exec', ns.analyzer, 'setpriv', ...NOBODY, ...only] });
  await analyzer.waitStderr(/listening on ids1/);
  // The capture container on the host's network: the bridge, mirrored into ids0.
  const seen = join(dir, 'bridge.pcap');
  const capture = startCli(['-i', 'br0', '--mirror', 'ids0', '-U', '-w', seen, 'udp port 5002'], { prefix: ['ip', 'netns', 'exec', ns.host, 'setpriv', ...NOBODY, ...only] });
  await capture.waitStderr(/listening on br0/);
  expect(capEff(capture.child.pid as number)).toBe(CAP_NET_RAW);
  expect(capEff(analyzer.child.pid as number)).toBe(CAP_NET_RAW);
  const sent = frames(20, 5002);
  sendFrames(ns.client, 'eth0', sent);
  const a = await analyzer.done;
  capture.child.kill('SIGINT');
  const c = await capture.done;
  expect(a.code).toBe(0);
  expect(c.code).toBe(0);
  expect(c.stderr).toMatch(/^20 packets mirrored to ids0 \(\d+ bytes, 0 send errors, 0 dropped\b/m);
  // The analyzer got every frame the bridge capture saw, byte for byte, and those are the frames sent
  // (the bridge hands them on without the sender's Ethernet padding).
  const hexOf = (path: string): string[] => readPcap(path).records.map((r) => Buffer.from(r.data).toString('hex'));
  const got = hexOf(file);
  expect(got).toEqual(hexOf(seen));
  expect(got.map((h, i) => Buffer.from(sent[i] as Uint8Array).toString('hex').startsWith(h))).toEqual(sent.map(() => true));
  // tcpdump reads the analyzer's file and agrees on the count.
  expect(execFileSync('tcpdump', ['-n', '-r', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')).toHaveLength(20);
});
