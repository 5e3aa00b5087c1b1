/**
 * tcpdump's options as tscap takes them, each compared with tcpdump on the same input: names without
 * -n, -K, --count, -L, -J, -j on a veth, -y on a live capture, the interface chosen without -i, and
 * outputs opened before "listening on".
 */
import { randomInt } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CLI, runCli, startCli } from '../helpers/cli.js';
import { ether, pad60, sendFrames, udp4 } from '../helpers/frames.js';
import { createTestNet, run, type TestNet } from '../helpers/netns.js';

let net: TestNet;
const dir = mkdtempSync(join(tmpdir(), 'tscap-parity-'));

beforeAll(() => {
  net = createTestNet('tq');
});
afterAll(() => {
  net?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const FIXTURES = ['http.pcap', 'dns.pcap', 'mixed.pcap', 'icmp.pcap', 'iperf-udp.pcap', 'fragments.pcap', 'crafted-l4.pcap', 'crafted-malformed.pcap', 'sll2.pcap'];

/**
 * Text lines of a tool reading a file, with TZ fixed so both print the same clock. Both run in the
 * test's namespace, which has no route anywhere: without -n, reverse DNS fails at once for both (no
 * query leaves the machine) and both print the numbers, while ports and protocols still get names.
 */
function lines(tool: 'tcpdump' | 'tscap', args: string[]): string[] {
  const cmd = tool === 'tcpdump' ? ['tcpdump'] : [process.execPath, CLI];
  const r = spawnSync('ip', ['netns', 'exec', net.ns, ...cmd, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 << 20 });
  return r.stdout.split('\n').filter((l) => l !== '');
}

/**
 * Where tscap agrees with tcpdump under `base` options, it must still agree with `extra` added: the
 * option changes both outputs the same way. Returns the lines that broke, and how many lines tcpdump
 * printed differently because of the option (so the comparison is known to have exercised it).
 */
function sameChange(file: string, base: string[], extra: string[]): { broken: string[]; changedByOption: number } {
  const f = join('fixtures', file);
  const [tdBase, tsBase, td, ts] = [lines('tcpdump', [...base, '-r', f]), lines('tscap', [...base, '-r', f]), lines('tcpdump', [...base, ...extra, '-r', f]), lines('tscap', [...base, ...extra, '-r', f])];
  const broken: string[] = [];
  let changedByOption = 0;
  for (let i = 0; i < Math.min(tdBase.length, td.length); i++) {
    if (tdBase[i] !== td[i]) changedByOption++;
    if (tdBase[i] === tsBase[i] && td[i] !== ts[i]) broken.push(`${file}:${i + 1}\n  tcpdump: ${td[i]}\n  tscap:   ${ts[i]}`);
  }
  return { broken, changedByOption };
}

test('without -n, ports, protocols and MAC notes are named as tcpdump names them', () => {
  let changed = 0;
  const broken: string[] = [];
  for (const f of FIXTURES) {
    for (const base of [['-n'], ['-n', '-e'], ['-n', '-v']]) {
      // The option under test is the absence of -n: compare "-n ..." with "..." by swapping roles.
      const fPath = join('fixtures', f);
      const rest = base.slice(1);
      const [tdN, tsN, td, ts] = [lines('tcpdump', [...base, '-r', fPath]), lines('tscap', [...base, '-r', fPath]), lines('tcpdump', [...rest, '-r', fPath]), lines('tscap', [...rest, '-r', fPath])];
      for (let i = 0; i < Math.min(tdN.length, td.length); i++) {
        if (tdN[i] !== td[i]) changed++;
        if (tdN[i] === tsN[i] && td[i] !== ts[i]) broken.push(`${f} ${rest.join(' ')}:${i + 1}\n  tcpdump: ${td[i]}\n  tscap:   ${ts[i]}`);
      }
    }
  }
  expect(changed).toBeGreaterThan(100);
  expect(broken.slice(0, 10)).toEqual([]);
}, 300_000); // 108 runs of the two tools: generous on a loaded machine

test('-K: checksums are not verified, as tcpdump -K', () => {
  let changed = 0;
  const broken: string[] = [];
  for (const f of FIXTURES) {
    const r = sameChange(f, ['-n', '-vv'], ['-K']);
    changed += r.changedByOption;
    broken.push(...r.broken);
  }
  expect(changed).toBeGreaterThan(10);
  expect(broken.slice(0, 10)).toEqual([]);
}, 300_000); // 36 runs of the two tools

test('--count prints only the number of matching packets, as tcpdump --count', () => {
  for (const [f, expr] of [['dns.pcap', ''], ['dns.pcap', 'udp'], ['mixed.pcap', 'tcp and port 80'], ['mixed.pcap', 'icmp6'], ['http.pcap', 'arp']] as const) {
    const args = ['--count', '-r', join('fixtures', f), ...(expr === '' ? [] : [expr])];
    const td = execFileSync('tcpdump', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const ts = execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(ts, `${f} ${expr}`).toBe(td);
    expect(td).toMatch(/^\d+ packets?\n$/);
  }
});

test('--count N (tscap\'s old spelling of -c N) still stops after N packets, with a warning', async () => {
  const r = await runCli(['--count', '3', '-n', '-r', 'fixtures/dns.pcap']);
  expect(r.code).toBe(0);
  expect(r.stdout.trim().split('\n')).toHaveLength(3);
  expect(r.stderr).toContain('--count 3 is read as -c 3');
});

test('-J and -L list what tcpdump lists (less DOCSIS, which tscap does not decode)', () => {
  // Both write the lists to stderr.
  const both = (args: string[]): [string, string] => {
    const td = spawnSync('tcpdump', args, { encoding: 'utf8' });
    const ts = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    expect([ts.status, ts.stdout]).toEqual([0, '']);
    return [td.stderr, ts.stderr];
  };
  for (const iface of [net.host, 'lo', 'any']) {
    const [tdJ, tsJ] = both(['-J', '-i', iface]);
    expect(tsJ, `-J -i ${iface}`).toBe(tdJ);
    const [tdL, tsL] = both(['-L', '-i', iface]);
    expect(tsL, `-L -i ${iface}`).toBe(tdL.replace(/^ {2}DOCSIS .*\n/m, ''));
  }
});

/** tcpdump's stderr for a live run on the host end of the test veth, ended after one packet. */
async function tcpdumpStderr(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn('tcpdump', ['-i', net.host, '-c', '1', '-n', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sent && /listening on/.test(stderr)) {
        sent = true;
        sendFrames(net.ns, net.peer, [udpFrame()]);
      }
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tcpdump ${args.join(' ')} did not stop after one packet within 60 s; stderr so far: ${stderr}`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** Ports of the test frame, drawn per run: `-i any` in the machine's namespace must not meet another run's frames. */
const SPORT = 20000 + randomInt(0, 20000) * 2;
const DPORT = SPORT + 1;
const udpFrame = (): Uint8Array => pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4('203.0.113.1', '203.0.113.2', SPORT, DPORT, [1])));

test('-j adapter on a veth: tcpdump\'s warning, and the capture goes on', async () => {
  const td = await tcpdumpStderr(['-j', 'adapter']);
  const warning = /^tcpdump: (WARNING: When trying to set timestamp type .*)$/m.exec(td.stderr)?.[1];
  expect(warning, td.stderr).toBeDefined();
  const cli = startCli(['-i', net.host, '-c', '1', '-n', '-j', 'adapter']);
  await cli.waitStderr(/listening on/);
  sendFrames(net.ns, net.peer, [udpFrame()]);
  const r = await cli.done;
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`tscap: ${warning as string}\n`);
  expect(r.stdout).toContain(`203.0.113.1.${SPORT} > 203.0.113.2.${DPORT}: UDP, length 1`);
  // A type that does not exist is refused before anything opens.
  const bad = await runCli(['-i', net.host, '-j', 'atomic']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toBe('tscap: invalid time stamp type atomic\n');
});

test('-y on a live capture: LINUX_SLL on any as tcpdump, and tcpdump\'s refusal on Ethernet', async () => {
  const file = join(dir, 'sll.pcap');
  const cli = startCli(['-i', 'any', '-y', 'LINUX_SLL', '-c', '1', '-U', '-w', file, `udp and src port ${SPORT} and dst port ${DPORT}`]);
  await cli.waitStderr(/listening on/);
  sendFrames(net.ns, net.peer, [udpFrame()]);
  const r = await cli.done;
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('tscap: data link type LINUX_SLL\n');
  expect(r.stderr).toContain('listening on any, link-type LINUX_SLL (Linux cooked v1)');
  const read = execFileSync('tcpdump', ['-n', '-r', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(read, read).toContain(` IP 203.0.113.1.${SPORT} > 203.0.113.2.${DPORT}: UDP, length 1`);
  // On Ethernet only EN10MB: tcpdump's message (its exit status is 1; tscap's usage errors are 2).
  const td = spawnSync('tcpdump', ['-y', 'LINUX_SLL', '-i', net.host, '-c', '1'], { encoding: 'utf8' });
  const bad = await runCli(['-y', 'LINUX_SLL', '-i', net.host, '-c', '1']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toBe(td.stderr.replace(/^tcpdump: /, 'tscap: '));
});

test('without -i, the interface tcpdump picks (libpcap\'s ranking), in a namespace of our own', async () => {
  const ns = `${net.ns}d`;
  run('ip', ['netns', 'add', ns]);
  try {
    run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    run('ip', ['-n', ns, 'link', 'add', 'za10', 'type', 'veth', 'peer', 'name', 'zb3']);
    run('ip', ['-n', ns, 'link', 'add', 'zc1', 'type', 'veth', 'peer', 'name', 'zd0']);
    for (const d of ['za10', 'zb3', 'zc1']) run('ip', ['-n', ns, 'link', 'set', d, 'up']); // zd0 down: zc1 is up, not running
    const td = spawnSync('ip', ['netns', 'exec', ns, 'timeout', '-s', 'INT', '3', 'tcpdump', '-n'], { encoding: 'utf8' });
    const picked = /listening on (\S+),/.exec(td.stderr)?.[1];
    expect(picked, td.stderr).toBeDefined();
    const cli = startCli(['-n'], { prefix: ['ip', 'netns', 'exec', ns] });
    await cli.waitStderr(/listening on/);
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(/listening on (\S+),/.exec(r.stderr)?.[1]).toBe(picked);
  } finally {
    run('ip', ['netns', 'del', ns]);
  }
});

test('-w into a directory that does not exist fails before "listening on"', async () => {
  const r = await runCli(['-i', net.host, '-w', join(dir, 'no/such/dir/f.pcap')]);
  expect(r.code).toBe(1);
  expect(r.stderr).not.toContain('listening on');
  expect(r.stderr).toMatch(/No such file or directory/);
});

test('--help shows examples and the exit codes; the man page is in the package', () => {
  const help = execFileSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  expect(help).toContain('Examples:');
  expect(help).toMatch(/Exit status: 0 normal stop/);
  for (const flag of ['-j, --time-stamp-type', '-J', '-L', '-K', '-N', '--count']) expect(help).toContain(flag);
  expect(readdirSync('man')).toContain('tscap.1');
  // man(1) renders it without warnings.
  const rendered = spawnSync('man', ['-l', '-Tutf8', 'man/tscap.1'], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '100' } });
  expect(rendered.stderr).toBe('');
  expect(rendered.stdout).toContain('tcpdump');
});

test('-i any names an interface created after the capture started', async () => {
  const cli = startCli(['-i', 'any', '-n', '-e', '-c', '1', `udp and src port ${SPORT} and dst port ${DPORT}`]);
  await cli.waitStderr(/listening on/);
  // createTestNet returns once both ends carry frames: one frame is enough, no resending.
  const late = createTestNet('tz');
  try {
    sendFrames(late.ns, late.peer, [udpFrame()]);
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(`${r.stdout.slice(0, 16)}${late.host} `), r.stdout).toBe(true);
  } finally {
    late.remove();
  }
});

test('-E decrypts ESP as tcpdump -E does (transport and tunnel mode, IPv4 and IPv6, spi@addr, a wrong key)', () => {
  const k256 = `0x${Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('hex')}`;
  const specs = [
    `aes128-cbc-hmac96:0x00112233445566778899aabbccddeeff,0x3003@2001:db8::2 aes256-cbc-hmac96:${k256}`,
    'aes128-cbc-hmac96:0x00112233445566778899aabbccddeeee', // wrong key
  ];
  const f = join('fixtures', 'esp.pcap');
  let decrypted = 0;
  for (const spec of specs) {
    for (const base of [['-n'], ['-n', '-v'], ['-n', '-vv'], []]) {
      const td = lines('tcpdump', [...base, '-E', spec, '-r', f]);
      expect(lines('tscap', [...base, '-E', spec, '-r', f]), `${base.join(' ')} -E ${spec}`).toEqual(td);
      decrypted += td.filter((l) => /ESP\(.*\), length \d+: \S/.test(l)).length;
    }
  }
  expect(decrypted).toBeGreaterThanOrEqual(5 * 4);
  const bad = spawnSync(process.execPath, [CLI, '-E', 'rot13-cbc:abc', '-r', f], { encoding: 'utf8' });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/^tscap: -E: failed to find cipher algo rot13/);
});
