/**
 * The README's TypeScript examples, as a newcomer would use them: each block is written into a scratch
 * project that installed tscap from its `npm pack` tarball, compiled with strict settings, and the
 * runnable ones are run. Live examples run in a namespace whose `eth0` is a veth this test feeds with
 * UDP frames from a second namespace. Markers before a block (`<!-- doctest: run live -->`, `run`,
 * `compile`, `file NAME`) say what to do; a block without one is compiled.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ether, udp4 } from '../helpers/frames.js';
import { sendFrames } from '../helpers/frames.js';
import { requireRootAndIp, run, waitLinkUp } from '../helpers/netns.js';
import { packetSocketsOf, waitFor } from '../helpers/wait.js';
import { ROOT, TSC, createConsumerProject, linkModule, writeTsconfig, type ConsumerProject } from '../helpers/pack.js';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';

interface Block {
  mode: 'run live' | 'run' | 'compile' | 'file';
  file: string;
  code: string;
}

/** The ```ts blocks of the README with the doctest marker just before each. */
function readmeBlocks(): Block[] {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks: Block[] = [];
  const re = /(?:<!-- doctest: ([^>]*?) -->\s*\n)?```ts\n([\s\S]*?)```/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const marker = (m[1] ?? 'compile').trim();
    const code = m[2] ?? '';
    if (marker.startsWith('file ')) blocks.push({ mode: 'file', file: marker.slice(5).trim(), code });
    else if (marker === 'run live' || marker === 'run' || marker === 'compile') blocks.push({ mode: marker, file: `readme-${blocks.length}.ts`, code });
    else throw new Error(`unknown doctest marker: ${marker}`);
  }
  return blocks;
}

const blocks = readmeBlocks();
let project: ConsumerProject;

beforeAll(() => {
  project = createConsumerProject('tscap-readme');
  // A newcomer's project has @types/node for console and process; tscap's own types do not need it
  // (test/package/consumer.test.ts checks that).
  linkModule(project.dir, '@types/node');
  linkModule(project.dir, 'undici-types');
  for (const b of blocks) writeFileSync(join(project.dir, b.file), b.code);
  copyFileSync(join(ROOT, 'fixtures/dns.pcap'), join(project.dir, 'cap.pcap'));
}, 120_000);

afterAll(() => project?.remove());

test('the README has the examples the library section promises', () => {
  const code = blocks.map((b) => b.code).join('\n');
  for (const needle of ["filter: 'udp", 'parser.layer(', 'readPackets(', 'formatProgram(', 'startFanout', 'createMirror(', 'createExporter(', 'openQueue(']) {
    expect(code, `an example using ${needle}`).toContain(needle);
  }
  expect(blocks.filter((b) => b.mode === 'run live').length).toBeGreaterThanOrEqual(3);
});

test('every TypeScript block compiles (strict) against the packed package', () => {
  writeTsconfig(
    project.dir,
    blocks.map((b) => b.file),
    { types: ['node'], noEmit: false },
  );
  let out = '';
  try {
    out = execFileSync(process.execPath, [TSC, '-p', project.dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`tsc failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
  expect(out).toBe('');
}, 120_000);

/**
 * Runs a compiled block with node in the project (optionally inside a namespace); resolves with its output.
 * `feed` runs once, when the example holds `sockets` bound packet sockets (so what it sends is captured).
 */
function runBlock(file: string, ns?: string, feed?: { sockets: number; send: () => void }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const js = file.replace(/\.ts$/, '.js');
  const cmd = ns === undefined ? process.execPath : 'ip';
  const args = ns === undefined ? [js] : ['netns', 'exec', ns, process.execPath, js];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: project.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let exited = false;
    child.on('error', reject);
    child.on('exit', (code) => {
      exited = true;
      resolve({ code, stdout, stderr });
    });
    if (feed !== undefined) {
      // `ip netns exec` execs node in place, so the child's pid is the example's.
      const pid = child.pid as number;
      waitFor(() => exited || packetSocketsOf(pid).filter((r) => r.running).length >= feed.sockets, {
        timeoutMs: 60_000,
        what: `the example to bind ${feed.sockets} packet socket(s)`,
      }).then(() => {
        if (!exited) feed.send();
      }, reject);
    }
  });
}

const SRC = '198.51.100.2';
const DST = '198.51.100.1';
const udpFrame = (i: number): Uint8Array => ether('02:00:00:00:00:01', '02:00:00:00:00:02', 0x0800, udp4(SRC, DST, 4000, 5000 + i, [1, 2, 3, 4, 5, 6, 7, 8]));

/** What each runnable example must print, recognised by a piece of its code. */
const expectations: { key: string; check: (out: string) => void; sockets?: number }[] = [
  { key: 'copyPacket(p)', check: (out) => expect(out).toBe('3 packets, closed: true, 3 captured\n') },
  {
    key: 'parser.layer(',
    check: (out) => {
      const lines = out.trim().split('\n');
      expect(lines).toHaveLength(3);
      for (const l of lines) expect(l).toMatch(new RegExp(`^${SRC.replaceAll('.', '\\.')}\\.4000 > ${DST.replaceAll('.', '\\.')}\\.500[0-2]: ttl 64, udp length 16$`));
    },
  },
  {
    key: 'dns.pcapng',
    check: (out) => {
      const count = (args: string[]): number => execFileSync('tcpdump', ['-n', ...args], { cwd: project.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').filter(Boolean).length;
      const expected = count(['-r', 'cap.pcap', 'udp port 53']);
      expect(expected).toBeGreaterThan(0);
      expect(out).toBe(`${expected} packets written to dns.pcapng\n`);
      expect(count(['-r', 'dns.pcapng'])).toBe(expected);
    },
  },
  {
    key: 'formatProgram(',
    check: (out) => {
      // The same program the CLI prints, and as long as libpcap's (whose block order may differ by version).
      const cli = execFileSync(process.execPath, [join(ROOT, 'dist/bin/tscap.js'), '-d', '-y', 'EN10MB', 'vlan 42 and udp'], { encoding: 'utf8' });
      expect(out).toBe(`${cli}0\n`);
      const tcpdump = execFileSync('tcpdump', ['-d', '-y', 'EN10MB', 'vlan 42 and udp'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      expect(out.trim().split('\n').length - 1).toBe(tcpdump.trim().split('\n').length);
    },
  },
  {
    key: 'startFanout',
    sockets: 2,
    check: (out) => {
      const m = /^per worker (\d+) \+ (\d+) = (\d+) captured\n$/.exec(out);
      expect(m, out).not.toBeNull();
      const [a, b, total] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
      expect(a + b).toBe(total);
      expect(total).toBeGreaterThan(0);
    },
  },
];

let nsCap = '';
let nsSend = '';

beforeAll(() => {
  requireRootAndIp();
  const id = randomBytes(3).toString('hex');
  nsCap = `tsrdc${id}`;
  nsSend = `tsrds${id}`;
  run('ip', ['netns', 'add', nsCap]);
  run('ip', ['netns', 'add', nsSend]);
  run('ip', ['link', 'add', 'eth0', 'netns', nsCap, 'type', 'veth', 'peer', 'name', 'p0', 'netns', nsSend]);
  for (const [ns, dev] of [[nsCap, 'eth0'], [nsSend, 'p0']] as const) {
    run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1']);
    run('ip', ['-n', ns, 'link', 'set', dev, 'up']);
    run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  }
  waitLinkUp(nsSend, 'p0');
});

afterAll(() => {
  for (const ns of [nsCap, nsSend]) {
    try {
      if (ns !== '') run('ip', ['netns', 'del', ns]);
    } catch {
      // already gone
    }
  }
});

for (const [i, b] of blocks.entries()) {
  if (b.mode !== 'run' && b.mode !== 'run live') continue;
  const firstLine = b.code.split('\n').find((l) => l.includes('tscap/')) ?? b.file;
  test(`README example ${i} runs (${b.mode}: ${firstLine.trim()})`, async () => {
    const exp = expectations.find((e) => b.code.includes(e.key));
    if (exp === undefined) throw new Error(`no expectation for README block ${i}: add one to this test`);
    const live = b.mode === 'run live';
    const frames = [0, 1, 2].map(udpFrame);
    const feed = { sockets: exp.sockets ?? 1, send: () => sendFrames(nsSend, 'p0', frames) };
    const r = await runBlock(b.file, live ? nsCap : undefined, live ? feed : undefined);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    exp.check(r.stdout);
  }, 180_000);
}
