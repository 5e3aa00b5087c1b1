/**
 * `-Z USER`: root is given up on every thread once the capture is open, nothing is lost, files that
 * rotation opens later belong to the user; an unknown user is exit 1 before anything is captured;
 * not being root is a warning.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { lookupUser } from '../../src/syscalls/privileges.js';
import { runCli, startCli } from '../helpers/cli.js';
import { ether, pad60, sendFrames, sendInChunks, udp4 } from '../helpers/frames.js';
import { createTestNet, waitLinkUp, type TestNet } from '../helpers/netns.js';
import { runThroughGap, sequenceNumbers } from '../helpers/gap.js';
import { waitFor, waitForRecords } from '../helpers/wait.js';

let net: TestNet;
const dir = mkdtempSync(join(tmpdir(), 'tscap-priv-'));
chmodSync(dir, 0o777); // files are created here after the drop, as nobody
beforeAll(() => {
  net = createTestNet('tz');
});
afterAll(() => net?.remove());

/** Uid and Gid lines (real, effective, saved, filesystem) and the permitted and effective capabilities of every thread of `pid`. */
function threadIds(pid: number): { task: string; uid: string; gid: string; capPrm: string; capEff: string }[] {
  return readdirSync(`/proc/${pid}/task`).map((task) => {
    const status = readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8');
    const field = (name: string): string => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(status)?.[1] ?? '';
    return { task, uid: field('Uid'), gid: field('Gid'), capPrm: field('CapPrm'), capEff: field('CapEff') };
  });
}

const NOBODY = '65534\t65534\t65534\t65534';
/** CapPrm/CapEff with CAP_NET_RAW (13) alone, and with nothing. */
const NET_RAW_ONLY = '0000000000002000';
const NONE = '0000000000000000';

/**
 * Waits until the main thread of `pid` runs as nobody and every thread has changed (the drop is done
 * once the workers have answered), then checks every thread: nobody, and CAP_NET_RAW alone on exactly
 * the threads `withNetRaw` names (the main thread, or so many others), nothing on the rest.
 */
async function expectDropped(pid: number, withNetRaw: { main: boolean; others: number }): Promise<void> {
  const raw = (t: { capPrm: string; capEff: string }): boolean => t.capPrm === NET_RAW_ONLY && t.capEff === NET_RAW_ONLY;
  const settled = (): boolean => {
    const ts = threadIds(pid);
    return ts.every((t) => t.uid === NOBODY && (t.capEff === NONE || raw(t))) && ts.filter((t) => t.task !== String(pid) && raw(t)).length === withNetRaw.others;
  };
  await waitFor(settled, { what: 'every thread to run as 65534 with the capabilities settled', detail: () => JSON.stringify(threadIds(pid)) });
  const threads = threadIds(pid);
  for (const t of threads) {
    expect(t.uid, `task ${t.task}`).toBe(NOBODY);
    expect(t.gid, `task ${t.task}`).toBe(NOBODY);
    const keeps = t.task === String(pid) ? withNetRaw.main : raw(t);
    expect([t.capPrm, t.capEff], `task ${t.task}`).toEqual(keeps ? [NET_RAW_ONLY, NET_RAW_ONLY] : [NONE, NONE]);
  }
  expect(threads.filter((t) => t.task !== String(pid) && raw(t))).toHaveLength(withNetRaw.others);
}

function numbered(n: number, size: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) =>
    pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4('203.0.113.1', '203.0.113.2', 4444, 9, [i >>> 24, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff, ...Array(size).fill(0)]))),
  );
}

test('nobody exists here with uid and gid 65534 (the test relies on it)', () => {
  expect(lookupUser('nobody')).toEqual({ name: 'nobody', uid: 65534, gid: 65534 });
  expect(lookupUser('tscap-no-such-user')).toBeUndefined();
});

test('-Z nobody --workers 2 -w -C 1: every thread runs as 65534 with no capability, no frame lost, rotated files owned by nobody', async () => {
  const base = join(dir, 'rot.pcap');
  const p = startCli(['-i', net.host, '-Z', 'nobody', '--workers', '2', '-w', base, '-C', '1', '-c', '20000']);
  await p.waitStderr(/listening on/);
  const pid = p.child.pid as number;
  expect(threadIds(pid).length).toBeGreaterThanOrEqual(3); // main, two workers (and libuv's and V8's threads)
  // Without --reopen no thread opens a socket later: none keeps a capability.
  await expectDropped(pid, { main: false, others: 0 });
  // Still capturing as nobody.
  // in chunks, each in the files before the next (none lost before the socket)
  const rotated = (): string[] => readdirSync(dir).filter((f) => f.startsWith('rot.pcap')).map((f) => join(dir, f));
  expect(await sendInChunks(net.ns, net.peer, numbered(20_000, 196), (n) => waitForRecords(rotated, n, { timeoutMs: 60_000 }))).toBe(20_000);
  const r = await p.done;
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/^20000 packets captured$/m);
  expect(r.stderr).toMatch(/^0 packets dropped by kernel$/m);
  const files = readdirSync(dir)
    .filter((f) => f.startsWith('rot.pcap'))
    .sort((a, b) => a.length - b.length || a.localeCompare(b));
  // 20,000 records of 258 bytes: about 5.2 MB, so rot.pcap and rot.pcap1 .. rot.pcap5
  expect(files).toEqual(['rot.pcap', 'rot.pcap1', 'rot.pcap2', 'rot.pcap3', 'rot.pcap4', 'rot.pcap5']);
  // The first file is opened before the drop, as root; the ones rotation opens later are nobody's.
  expect(statSync(base).uid).toBe(0);
  for (const f of files.slice(1)) expect([statSync(join(dir, f)).uid, statSync(join(dir, f)).gid]).toEqual([65534, 65534]);
  // Every frame in exactly one file, as tcpdump reads them.
  let total = 0;
  for (const f of files) {
    const out = execFileSync('tcpdump', ['-r', join(dir, f), '-nn', 'udp port 4444'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
    total += out.trim().split('\n').filter((l) => l !== '').length;
  }
  expect(total).toBe(20_000);
}, 120_000);

test('-Z with an unknown user: tcpdump\'s message, exit 1, nothing captured', async () => {
  const r = await runCli(['-i', net.host, '-Z', 'tscap-no-such-user']);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe("tscap: Couldn't find user 'tscap-no-such-user'\n");
});

test('-Z when not root: a warning, and the capture goes on', async () => {
  // Not root, but with CAP_NET_RAW (ambient) so that capturing itself is allowed.
  const prefix = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=+net_raw', '--ambient-caps=+net_raw'];
  const p = startCli(['-i', net.host, '-n', '-Z', 'nobody', '-c', '3'], { prefix });
  await p.waitStderr(/listening on/);
  await p.waitStderr(/warning: not running as root: -Z nobody ignored/);
  sendFrames(net.ns, net.peer, numbered(3, 0));
  const r = await p.done;
  expect(r.code).toBe(0);
  expect(r.stdout.trim().split('\n')).toHaveLength(3);
});

test('-Z nobody --reopen: the main thread, which binds the interface again, keeps CAP_NET_RAW alone; every other thread nothing; the gap is bridged as nobody', async () => {
  const own = createTestNet('tz');
  try {
    const file = join(dir, 'reopen-one.pcap');
    const r = await runThroughGap(own, ['-Z', 'nobody', '--reopen', '-w', file], {
      files: () => [file],
      sockets: 1,
      frames: 100,
      listening: (pid) => expectDropped(pid, { main: true, others: 0 }),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^1 interface gap \(--reopen\)$/m);
    expect(sequenceNumbers(file)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  } finally {
    own.remove();
  }
}, 180_000);

for (const [name, out, mirror] of [
  ['-w FILE --mirror IF --send-thread on (merged on the main thread, a send thread)', 'reopen-workers.pcap', true],
  ['-w NAME%w (each worker its own file)', 'reopen-workers-%w.pcap', false],
] as const) {
  test(`-Z nobody --workers 2 --reopen ${name}: each worker keeps CAP_NET_RAW alone and binds the new veth as nobody; the main thread and the rest nothing`, async () => {
    const own = createTestNet('tz');
    try {
      const files = out.includes('%w') ? [0, 1].map((w) => join(dir, out.replace('%w', String(w)))) : [join(dir, out)];
      // the mirror's send thread opened its socket before the drop and needs nothing after it
      const send = mirror ? ['--mirror', net.host, '--send-thread', 'on'] : [];
      const r = await runThroughGap(own, ['-Z', 'nobody', '--workers', '2', '--reopen', '-w', join(dir, out), ...send], {
        files: () => files,
        sockets: 2,
        frames: 500,
        listening: (pid) => expectDropped(pid, { main: false, others: 2 }),
      });
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/EPERM|not permitted/);
      expect(r.stderr).toMatch(/^1 interface gap \(--reopen\)$/m);
      expect(r.stderr).toMatch(/^1000 packets captured$/m);
      expect(files.flatMap(sequenceNumbers).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    } finally {
      own.remove();
    }
  }, 180_000);
}

test('-Z nobody -i any --reopen: no thread keeps a capability (`any` needs no new socket), and an interface made after the drop is captured', async () => {
  const own = createTestNet('tz');
  try {
    const file = join(dir, 'any-late.pcap');
    // inside the test's own namespace, so that `any` sees only interfaces made here
    const p = startCli(['-i', 'any', '-Z', 'nobody', '--reopen', '-w', file, 'udp port 4444'], { prefix: ['ip', 'netns', 'exec', own.ns] });
    await p.waitStderr(/listening on/);
    const pid = p.child.pid as number; // `ip netns exec` execs the command: the same process
    await expectDropped(pid, { main: false, others: 0 });
    own.exec('ip', ['link', 'add', 'late0', 'type', 'veth', 'peer', 'name', 'late1']);
    for (const name of ['late0', 'late1']) {
      own.exec('sysctl', ['-q', '-w', `net.ipv6.conf.${name}.disable_ipv6=1`]);
      own.exec('ip', ['link', 'set', name, 'up']);
    }
    for (const name of ['late0', 'late1']) waitLinkUp(own.ns, name);
    expect(sendFrames(own.ns, 'late1', numbered(100, 0))).toBe(100);
    // `any` sees each frame leave late1 and arrive on late0
    await waitForRecords(file, 200);
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/EPERM|not permitted/);
    const lines = execFileSync('tcpdump', ['-r', file, '-nn', 'udp port 4444'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n');
    // (tcpdump names the interface indexes after its own namespace: tell the copies by direction)
    expect(lines.filter((l) => / Out +IP 203\.0\.113\.1\.4444 /.test(l))).toHaveLength(100);
    expect(lines.filter((l) => / P +IP 203\.0\.113\.1\.4444 /.test(l))).toHaveLength(100);
  } finally {
    own.remove();
  }
}, 180_000);
