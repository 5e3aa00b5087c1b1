/**
 * Test network: a namespace with one end of a veth pair, the other end in the test's own namespace.
 * Names are unique per call; `remove()` deletes everything and is safe to call twice.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** Runs a command, throwing with its stderr on failure. */
export function run(cmd: string, args: string[], input?: string | Uint8Array): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], input, maxBuffer: 64 << 20 });
}

/** Fails loudly when the test cannot run here: needs root and iproute2. */
export function requireRootAndIp(): void {
  if (process.getuid?.() !== 0) throw new Error('this test needs root (it creates network namespaces and raw sockets)');
  try {
    run('ip', ['-V']);
  } catch {
    throw new Error('this test needs iproute2 (`ip`): apt-get install -y iproute2');
  }
}

/**
 * Waits (polling, with a deadline) until `dev` (inside `ns`, or here when `ns` is undefined) has carrier
 * and its queueing discipline is active. Until the kernel's link watcher has run, a fresh veth transmits
 * through the no-op qdisc, which drops: a frame sent right after `ip link set up` can vanish. The dump
 * `ip link show` takes the same lock as the link watcher, so "state UP" there means it has finished.
 */
export function waitLinkUp(ns: string | undefined, dev: string, timeoutMs = 20_000): void {
  const args = ns === undefined ? ['-o', 'link', 'show', 'dev', dev] : ['-n', ns, '-o', 'link', 'show', 'dev', dev];
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const line = run('ip', args);
    if (/ state UP /.test(line)) return;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${dev}${ns === undefined ? '' : ` in ${ns}`} to come up: ${line.trim()}`);
    Atomics.wait(pause, 0, 0, 10);
  }
}

export interface TestNet {
  /** Namespace holding the peer end. */
  ns: string;
  /** The end in the test's namespace (capture here). */
  host: string;
  /** The end inside `ns` (send from here). */
  peer: string;
  /** Runs a command inside the namespace. */
  exec(cmd: string, args: string[], input?: string | Uint8Array): string;
  remove(): void;
}

/**
 * A /24 of 198.18.0.0/15 (the benchmarking range) drawn per call, as its first three octets, for
 * tests that give the machine's own namespace an address: two suites running on one machine would
 * otherwise route the same subnet to two veths.
 */
export function rootSubnet(): string {
  const n = randomBytes(2).readUInt16BE(0) % 512;
  return `198.${18 + (n >> 8)}.${n & 0xff}`;
}

/**
 * Creates a namespace and a veth pair. IPv6 is off on both ends unless asked, so the kernel sends no
 * router solicitations or MLD reports of its own into exact-count tests.
 */
export function createTestNet(prefix: string, opts: { ipv6?: boolean; hostAddr?: string; peerAddr?: string } = {}): TestNet {
  requireRootAndIp();
  const id = randomBytes(3).toString('hex');
  const ns = `${prefix}ns${id}`;
  const host = `${prefix}h${id}`;
  const peer = `${prefix}p${id}`;
  let created = false;
  const remove = (): void => {
    try {
      run('ip', ['link', 'del', host]);
    } catch {
      // already gone with the namespace or deleted by the test
    }
    try {
      run('ip', ['netns', 'del', ns]);
    } catch {
      // not created
    }
  };
  try {
    run('ip', ['netns', 'add', ns]);
    created = true;
    run('ip', ['link', 'add', host, 'type', 'veth', 'peer', 'name', peer, 'netns', ns]);
    const v6 = opts.ipv6 ? '0' : '1';
    run('sysctl', ['-q', '-w', `net.ipv6.conf.${host}.disable_ipv6=${v6}`]);
    run('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', `net.ipv6.conf.${peer}.disable_ipv6=${v6}`]);
    if (opts.hostAddr) run('ip', ['addr', 'add', opts.hostAddr, 'dev', host]);
    if (opts.peerAddr) run('ip', ['netns', 'exec', ns, 'ip', 'addr', 'add', opts.peerAddr, 'dev', peer]);
    run('ip', ['link', 'set', host, 'up']);
    run('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', peer, 'up']);
    run('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    waitLinkUp(ns, peer);
    waitLinkUp(undefined, host);
  } catch (err) {
    if (created) remove();
    throw err;
  }
  return {
    ns,
    host,
    peer,
    exec: (cmd, args, input) => run('ip', ['netns', 'exec', ns, cmd, ...args], input),
    remove,
  };
}
