/**
 * Live capture on interfaces whose ARPHRD type is not Ethernet, against tcpdump on the same interface:
 * the link types -L lists, the link type of the files -w writes, and every record's bytes. The
 * interfaces are tun devices given another ARPHRD type with TUNSETLINK (test/helpers/tun-link.py), so
 * the kernel hands their packets to AF_PACKET with the type of PPP, ipip, sit, GRE, ip6tnl, Cisco
 * HDLC, FRAD or ARCNET devices, whose drivers this kernel may lack; libpcap picks the link type from
 * that type alone (pcap-linux.c's map_arphrd_to_dlt), and so must tscap.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, requireRootAndIp } from '../helpers/netns.js';
import { startCli } from '../helpers/cli.js';
import { startTcpdump } from '../helpers/tcpdump.js';
import { waitFor, waitForRecords } from '../helpers/wait.js';
import { readPcap } from '../helpers/pcap-lite.js';
import { ROOT } from '../decode/fixtures.js';

const HELPER = join(ROOT, 'test', 'helpers', 'tun-link.py');

/** IPv4/UDP, IPv6/UDP and IPv4/ICMP packets as a tunnel would receive them (checksums need not hold). */
const PACKETS = [
  '45000021000100004011f6c7c0000201c000020200010002000d37fb68656c6c6f',
  '6000000000091140fd000000000000000000000000000001fd0000000000000000000000000000020003000400098dd078',
  '4500001c000200004001f6dcc0000201c00002020800f7fe00010000',
  '45000021000300004011f6c5c0000201c000020200010002000d37fb776f726c64',
];

/** ARPHRD types (linux/if_arp.h) and the link type libpcap 1.10 gives them (checked against tcpdump below). */
const CASES: Array<[string, number, number]> = [
  ['PPP', 512, 113], ['TUNNEL (ipip)', 768, 101], ['SIT', 776, 101], ['IPGRE', 778, 113], ['TUNNEL6 (ip6tnl)', 769, 113],
  ['NONE (tun)', 65534, 101], ['CISCO (HDLC)', 513, 104], ['FRAD', 770, 107], ['ARCNET', 7, 129], ['unknown (9999)', 9999, 113],
];

interface TunLink {
  child: ChildProcessWithoutNullStreams;
  out: string;
  sent: number;
}

/** Starts the helper in `ns`: a tun interface `name` of ARPHRD type `arphrd`, up; resolves once it is. */
async function tunLink(ns: string, name: string, arphrd: number): Promise<TunLink> {
  const child = spawn('ip', ['netns', 'exec', ns, '/usr/bin/python3', HELPER, name, String(arphrd)]);
  const t: TunLink = { child, out: '', sent: 0 };
  let err = '';
  child.stdout.on('data', (b: Buffer) => {
    t.out += b.toString();
    t.sent = t.out.split('\n').filter((l) => l === 'sent').length;
  });
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  await waitFor(() => t.out.includes('ready'), { what: `the ${name} tun interface`, timeoutMs: 30_000, detail: () => err });
  return t;
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) {
    try {
      cleanups.pop()!();
    } catch {
      // best effort: the namespace may already be gone
    }
  }
});

let k = 0;

/**
 * Captures the PACKETS on a tun device of type `arphrd` with tcpdump and tscap (both with `filter`):
 * -L, the files' link type, and every record must agree; returns how many records there were.
 */
async function againstTcpdump(arphrd: number, expected: number, filter: string[] = []): Promise<number> {
  const ns = `ltl${process.pid % 10000}x${k++}`;
  const dev = 'tl0';
  run('ip', ['netns', 'add', ns]);
  cleanups.push(() => run('ip', ['netns', 'del', ns]));
  // no IPv6 autoconfiguration on the new interface: only the packets written below cross it
  for (const c of ['all', 'default']) run('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', `net.ipv6.conf.${c}.disable_ipv6=1`]);
  const tun = await tunLink(ns, dev, arphrd);
  cleanups.push(() => tun.child.kill());
  expect(run('ip', ['netns', 'exec', ns, 'cat', `/sys/class/net/${dev}/type`]).trim()).toBe(String(arphrd));

  // -L: the same list as tcpdump's
  const theirsL = run('ip', ['netns', 'exec', ns, 'tcpdump', '-L', '-i', dev]);
  const l = startCli(['-L', '-i', dev], { prefix: ['ip', 'netns', 'exec', ns] });
  const oursL = await l.done;
  expect(oursL.code).toBe(0);
  expect(oursL.stdout).toBe(theirsL);

  const dir = mkdtempSync(join(tmpdir(), 'tscap-ltl-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const theirsFile = join(dir, 'tcpdump.pcap');
  const oursFile = join(dir, 'tscap.pcap');
  const td = await startTcpdump(ns, dev, theirsFile, filter);
  const cap = startCli(['-i', dev, '-U', '-w', oursFile, ...filter], { prefix: ['ip', 'netns', 'exec', ns] });
  cleanups.push(() => cap.child.kill('SIGKILL'));
  await cap.waitStderr(/listening on tl0, link-type /);
  for (const hex of PACKETS) tun.child.stdin.write(hex + '\n');
  await waitFor(() => tun.sent === PACKETS.length, { what: 'the packets written to the tun device', timeoutMs: 30_000 });
  const theirs = await td.stop();
  await waitForRecords(oursFile, theirs.length, { timeoutMs: 30_000 });
  cap.child.kill('SIGINT');
  const res = await cap.done;
  expect(res.code, res.stderr).toBe(0);

  const a = readPcap(theirsFile);
  const b = readPcap(oursFile);
  expect(a.linkType).toBe(expected);
  expect(b.linkType).toBe(a.linkType);
  // "listening on tl0, link-type LINUX_SLL (Linux cooked v1)": what -L listed (on stdout: the type only)
  expect(res.stderr).toContain(`link-type ${theirsL.trim()}`);
  expect(b.records.length).toBe(a.records.length);
  b.records.forEach((r, n) => {
    expect(Buffer.from(r.data).toString('hex'), `record ${n}`).toBe(Buffer.from(a.records[n]!.data).toString('hex'));
    expect(r.wireLen).toBe(a.records[n]!.wireLen);
  });
  return a.records.length;
}

describe('live capture on non-Ethernet interfaces: the link type and bytes tcpdump gives', () => {
  requireRootAndIp();
  for (const [label, arphrd, expected] of CASES) {
    it(`ARPHRD ${label} (${arphrd})`, async () => {
      expect(await againstTcpdump(arphrd, expected)).toBe(PACKETS.length);
    });
  }
  // a cooked capture's filter is compiled for LINUX_SLL and translated for the kernel's SOCK_DGRAM view
  it('ARPHRD PPP (512) with the filter `udp`: the packets tcpdump keeps', async () => {
    expect(await againstTcpdump(512, 113, ['udp'])).toBe(3);
  });
  it('ARPHRD TUNNEL (768) with the filter `ip6`: the packets tcpdump keeps', async () => {
    expect(await againstTcpdump(768, 101, ['ip6'])).toBe(1);
  });
});
