/**
 * The library as its users meet it: `openCapture` with a filter string (compiled in the live form for
 * the socket's link type), `for await` exits closing the capture, and errors naming library options.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CaptureOptionError, FilterError, openCapture, type Capture } from '../../src/capture/index.js';
import { formatProgram } from '../../src/filter/format.js';
import { collect, hex } from '../helpers/collect.js';
import { CLI, startCli } from '../helpers/cli.js';
import { ether, pad60, sendFrames, tcp4, udp4 } from '../helpers/frames.js';
import { createTestNet, type TestNet } from '../helpers/netns.js';
import { readPcap } from '../helpers/pcap-lite.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DST = '02:00:00:00:00:02';
const SRC = '02:00:00:00:00:01';
let net: TestNet;
let dir: string;

beforeAll(() => {
  net = createTestNet('tl');
  dir = mkdtempSync(join(tmpdir(), 'tscap-lib-'));
});
afterAll(() => {
  net?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const tag = (vid: number): { tpid: number; pcp: number; dei: boolean; vid: number } => ({ tpid: 0x8100, pcp: 0, dei: false, vid });
const udp = (sport: number): number[] => udp4('203.0.113.1', '203.0.113.2', sport, 9, [1, 2, 3, 4]);
/** Frames for `vlan 100 and udp`: only the first and the last match. */
const vlanFrames = (): Uint8Array[] => [
  pad60(ether(DST, SRC, 0x0800, udp(1001), [tag(100)])),
  pad60(ether(DST, SRC, 0x0800, udp(1002), [tag(200)])),
  pad60(ether(DST, SRC, 0x0800, udp(1003))),
  pad60(ether(DST, SRC, 0x0800, tcp4('203.0.113.1', '203.0.113.2', 1004, 80, 0x02, 1), [tag(100)])),
  pad60(ether(DST, SRC, 0x0800, udp(1005), [tag(100)])),
];

test('openCapture with a filter string captures what the CLI captures with the same expression (live vlan form)', async () => {
  const frames = vlanFrames();
  const expected = [frames[0], frames[4]].map((f) => hex(f as Uint8Array));
  const cap = openCapture({ iface: net.host, filter: 'vlan 100 and udp' });
  // The program is the live form (ancillary VLAN loads), the one the CLI prints for this interface.
  const cliProgram = execFileSync(process.execPath, [CLI, '-ddd', '-i', net.host, 'vlan 100 and udp'], { encoding: 'utf8' });
  expect(formatProgram(cap.program ?? [], 'ddd')).toBe(cliProgram);
  expect(formatProgram(cap.program ?? [], 'd')).toContain('[vlanp]');
  const file = join(dir, 'cli.pcap');
  const cli = startCli(['-i', net.host, '-c', '2', '-U', '-w', file, 'vlan 100 and udp']);
  await cli.waitStderr(/listening on/);
  sendFrames(net.ns, net.peer, frames);
  const got = await collect(cap, 2);
  cap.close();
  const r = await cli.done;
  expect(r.code).toBe(0);
  expect(got.map((p) => hex(p.data))).toEqual(expected);
  expect(readPcap(file).records.map((rec) => hex(rec.data))).toEqual(expected);
});

test('on `any`, a filter string is translated for the cooked socket and still selects by port', async () => {
  const cap = openCapture({ iface: 'any', filter: `udp and src port 1005 and dst host 203.0.113.2` });
  sendFrames(net.ns, net.peer, vlanFrames());
  const got = await collect(cap, 1);
  cap.close();
  expect(got.length).toBe(1);
  expect(got[0]?.ifindex).toBeGreaterThan(0);
});

test('a filter string that does not compile throws FilterError with the libpcap message, before anything is read', () => {
  let err: unknown;
  try {
    openCapture({ iface: net.host, filter: 'vlan 100 and udpx' });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(FilterError);
  // tcpdump's own words for the same expression (its stderr after "tcpdump: ").
  let tcpdumpMsg = '';
  try {
    execFileSync('tcpdump', ['-d', '-y', 'EN10MB', 'vlan 100 and udpx'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    tcpdumpMsg = String((e as { stderr: Buffer }).stderr).replace(/^tcpdump: /, '').trim();
  }
  expect(tcpdumpMsg).not.toBe('');
  expect((err as FilterError).message).toBe(tcpdumpMsg);
});

async function firstThenLeave(cap: Capture, how: 'break' | 'return' | 'throw'): Promise<void> {
  for await (const _ of cap) {
    if (how === 'break') break;
    if (how === 'return') return;
    throw new Error('left by a throw');
  }
}

test.each(['break', 'return', 'throw'] as const)('leaving a for await by %s closes the capture', async (how) => {
  const cap = openCapture({ iface: net.host, filter: 'udp' });
  sendFrames(net.ns, net.peer, vlanFrames().slice(2, 3));
  await firstThenLeave(cap, how).catch((e: unknown) => {
    if (how !== 'throw') throw e;
  });
  expect(cap.closed).toBe(true);
  expect(cap.socket).toBe(-1);
});

test('option errors name the library option, not a command-line flag', () => {
  const cases: [Parameters<typeof openCapture>[0], string, RegExp][] = [
    [{ iface: net.host, ring: { blockSize: 5000 } }, 'ring.blockSize', /^ring\.blockSize 5000: must be a positive multiple of the page size/],
    [{ iface: net.host, ring: { blockCount: 0 } }, 'ring.blockCount', /^ring\.blockCount 0: must be at least 1/],
    [{ iface: net.host, ring: { blockTimeoutMs: 0 } }, 'ring.blockTimeoutMs', /^ring\.blockTimeoutMs 0:/],
    [{ iface: net.host, snaplen: 0 }, 'snaplen', /^snaplen 0:/],
    [{ iface: net.host, bufferKiB: -1 }, 'bufferKiB', /^bufferKiB -1:/],
    [{ iface: net.host, fanout: { group: 70000 } }, 'fanout.group', /^fanout\.group 70000:/],
  ];
  for (const [opts, option, re] of cases) {
    let err: unknown;
    try {
      openCapture(opts).close();
    } catch (e) {
      err = e;
    }
    expect(err, option).toBeInstanceOf(CaptureOptionError);
    expect((err as CaptureOptionError).option).toBe(option);
    expect((err as Error).message).toMatch(re);
    expect((err as Error).message).not.toMatch(/^-/);
  }
});

test('the exporter names its options too; the CLI says the flags', async () => {
  const { createExporter } = await import('../../src/capture/export.js');
  await expect(createExporter('ftp://192.0.2.1:1')).rejects.toThrow(/^url ftp:\/\/192\.0\.2\.1:1: the scheme must be udp or tcp$/);
  const r = spawnSync(process.execPath, [CLI, '-i', net.host, '--export', 'ftp://192.0.2.1:1'], { encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toBe('tscap: --export ftp://192.0.2.1:1: the scheme must be udp or tcp\n');
});
