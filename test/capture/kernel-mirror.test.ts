/**
 * `--mirror IF --in-kernel`: tscap puts the compiled filter and a mirred action into the kernel's
 * traffic control and captures nothing. On real veths, a bridge and namespaces: the far side of the
 * mirror gets exactly the frames the filter matches (tcpdump there is the judge, tags included), the
 * counts come from the kernel's action statistics, and the filters and the qdisc tscap made are gone
 * after SIGINT or SIGTERM while anything that was there before stays.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { hex } from '../helpers/collect.js';
import { ether, pad60, sendFrames, udp4, type Tag } from '../helpers/frames.js';
import { createTestNet, run, type TestNet } from '../helpers/netns.js';
import { startTcpdump } from '../helpers/tcpdump.js';

const dir = mkdtempSync(join(tmpdir(), 'tscap-kmirror-'));
const PRIO = '49151';
let src: TestNet; // mirrored: frames sent from src.peer arrive on src.host
let mir: TestNet; // mirror target: out of mir.host, seen on mir.peer
let b1: TestNet; // two bridge ports (b1.host, b2.host on bridge BR)
let b2: TestNet;
const BR = `kbr${randomBytes(3).toString('hex')}`;

beforeAll(() => {
  src = createTestNet('ks');
  mir = createTestNet('km');
  b1 = createTestNet('kb');
  b2 = createTestNet('kc');
  run('ip', ['link', 'add', BR, 'type', 'bridge', 'stp_state', '0']);
  run('sysctl', ['-q', '-w', `net.ipv6.conf.${BR}.disable_ipv6=1`]);
  for (const p of [b1, b2]) run('ip', ['link', 'set', p.host, 'master', BR]);
  run('ip', ['link', 'set', BR, 'up']);
});
afterAll(() => {
  for (const n of [src, mir, b1, b2]) n?.remove();
  try {
    run('ip', ['link', 'del', BR]);
  } catch {
    // not made
  }
});

/** Frames of four kinds, in a mixed order: UDP to port 9 (a third tagged 802.1Q), UDP to port 10, TCP to 9, ARP. */
function mixed(n: number): { frames: Uint8Array[]; toPort9: Uint8Array[] } {
  const frames: Uint8Array[] = [];
  const toPort9: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const tags: Tag[] = i % 3 === 0 ? [{ tpid: 0x8100, pcp: 2, dei: false, vid: 100 + (i % 7) }] : [];
    const data = Array.from({ length: 20 + ((i * 37) % 1000) }, (_, j) => (i + j) & 0xff);
    const kind = i % 4;
    const f =
      kind === 3
        ? pad60(ether('ff:ff:ff:ff:ff:ff', '02:00:00:00:00:01', 0x0806, [0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 192, 0, 2, i & 0xff]))
        : pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4('192.0.2.1', '192.0.2.2', 30000 + i, kind === 1 ? 10 : 9, data), tags));
    frames.push(f);
    if (kind === 0 || kind === 2) toPort9.push(f);
  }
  return { frames, toPort9 };
}

function qdiscs(dev: string): string {
  return run('tc', ['qdisc', 'show', 'dev', dev]);
}

function filters(dev: string, dir: 'ingress' | 'egress'): string {
  return run('tc', ['filter', 'show', 'dev', dev, dir]);
}

test('an interface: the far side gets exactly the frames the filter matches, tags kept; the clsact tscap made is gone after SIGINT', async () => {
  const { frames, toPort9 } = mixed(400);
  const far = await startTcpdump(mir.ns, mir.peer, join(dir, 'iface.pcap'));
  const p = startCli(['-i', src.host, '--mirror', mir.host, '--in-kernel', 'udp and dst port 9']);
  await p.waitStderr(/^mirroring .* in the kernel/m);
  // While it runs, the kernel holds tscap's filters on both hooks of the interface.
  expect(qdiscs(src.host)).toMatch(/clsact/);
  expect(filters(src.host, 'ingress')).toContain(`pref ${PRIO} bpf`);
  expect(filters(src.host, 'egress')).toContain(`pref ${PRIO} bpf`);
  sendFrames(src.ns, src.peer, frames);
  await far.settled();
  p.child.kill('SIGINT');
  const r = await p.done;
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`mirroring ${src.host} to ${mir.host} in the kernel (tc filters on ingress of ${src.host}, egress of ${src.host})`);
  expect(r.stderr).toMatch(new RegExp(`^${toPort9.length} packets mirrored to ${mir.host} in the kernel \\(0 dropped\\)$`, 'm'));
  const got = await far.stop();
  expect(got.map((x) => hex(x.data))).toEqual(toPort9.map(hex));
  expect(qdiscs(src.host)).not.toMatch(/clsact/);
});

test('a bridge: the ingress of each port and the egress of the bridge; frames crossing it are mirrored; nothing is left after SIGTERM', async () => {
  const { frames } = mixed(200);
  const far = await startTcpdump(mir.ns, mir.peer, join(dir, 'bridge.pcap'));
  const p = startCli(['-i', BR, '--mirror', mir.host, '--in-kernel', 'udp']);
  await p.waitStderr(/^mirroring .* in the kernel/m);
  sendFrames(b1.ns, b1.peer, frames);
  await far.settled();
  p.child.kill('SIGTERM');
  const r = await p.done;
  expect(r.code).toBe(0);
  const ports = [b1.host, b2.host].sort();
  expect(r.stderr).toContain(`(tc filters on ${ports.map((d) => `ingress of ${d}`).join(', ')}, egress of ${BR})`);
  const udp = frames.filter((_, i) => i % 4 !== 3);
  expect(r.stderr).toMatch(new RegExp(`^${udp.length} packets mirrored to ${mir.host} in the kernel \\(0 dropped\\)$`, 'm'));
  expect((await far.stop()).map((x) => hex(x.data))).toEqual(udp.map(hex));
  for (const d of [...ports, BR]) expect(qdiscs(d)).not.toMatch(/clsact/);
});

test('a clsact and a filter that were there before stay (the run ended by SIGHUP); a filter already at tscap\'s priority is an error that leaves nothing behind', async () => {
  run('tc', ['qdisc', 'add', 'dev', src.host, 'clsact']);
  try {
    run('tc', ['filter', 'add', 'dev', src.host, 'ingress', 'prio', '7', 'protocol', 'all', 'u32', 'match', 'u32', '0', '0']);
    const p = startCli(['-i', src.host, '--mirror', mir.host, '--in-kernel']);
    await p.waitStderr(/^mirroring .* in the kernel/m);
    p.child.kill('SIGHUP'); // a closed terminal ends it as cleanly as SIGINT
    expect((await p.done).code).toBe(0);
    expect(qdiscs(src.host)).toMatch(/clsact/);
    expect(filters(src.host, 'ingress')).toContain('pref 7 u32');
    expect(filters(src.host, 'ingress')).not.toContain(`pref ${PRIO}`);
    // A filter at tscap's priority on the egress hook (left by a killed run, say): refused, and the
    // ingress filter tscap had already added is taken away again.
    run('tc', ['filter', 'add', 'dev', src.host, 'egress', 'prio', PRIO, 'protocol', 'all', 'u32', 'match', 'u32', '0', '0']);
    const r = await runCli(['-i', src.host, '--mirror', mir.host, '--in-kernel']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`a tc filter at priority ${PRIO} is already on ${src.host} egress`);
    expect(r.stderr).toContain(`tc filter del dev ${src.host} egress prio ${PRIO}`);
    expect(filters(src.host, 'ingress')).not.toContain(`pref ${PRIO}`);
  } finally {
    run('tc', ['qdisc', 'del', 'dev', src.host, 'clsact']);
  }
});

test('--in-kernel: what it cannot do is a usage error; a missing interface is a runtime error', async () => {
  const cases: [string[], RegExp][] = [
    [['-i', src.host, '--in-kernel'], /--in-kernel needs exactly one --mirror/],
    [['-i', src.host, '--mirror', mir.host, '--mirror', b1.host, '--in-kernel'], /exactly one --mirror/],
    [['-i', src.host, '--mirror', mir.host, '--export', 'udp://192.0.2.1:4789', '--in-kernel'], /cannot go with --export/],
    [['-i', 'any', '--mirror', mir.host, '--in-kernel'], /-i IFACE \(not any/],
    [['-i', src.host, '--mirror', mir.host, '--in-kernel', '-w', join(dir, 'x.pcap'), '-c', '5'], /cannot go with -w, -c/],
    [['-i', src.host, '--mirror', mir.host, '--in-kernel', '--gro'], /cannot go with --gro/],
    [['-i', src.host, '--mirror', mir.host, '--in-kernel', '-Z', 'nobody'], /cannot go with -Z/],
    [['-i', src.host, '--mirror', src.host, '--in-kernel'], /the same interface/],
    [['-i', src.host, '--mirror', mir.host, '--in-kernel', 'tcp port'], /syntax error/],
  ];
  for (const [args, re] of cases) {
    const r = await runCli(args);
    expect({ args, code: r.code }).toEqual({ args, code: 2 });
    expect(r.stderr).toMatch(re);
  }
  const r = await runCli(['-i', 'tscapnosuch0', '--mirror', mir.host, '--in-kernel']);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/tscapnosuch0: No such device/);
  expect(qdiscs(mir.host)).not.toMatch(/clsact/);
});
