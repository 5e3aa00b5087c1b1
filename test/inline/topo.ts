/**
 * A routed test network for NFQUEUE and NFLOG: client ns ── router ns (forwarding) ── server ns, with
 * TEST-NET addresses only inside these namespaces. Names are unique per call; `remove()` deletes
 * everything and is safe to call twice.
 */
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { requireRootAndIp, run, waitLinkUp } from '../helpers/netns.js';
import { waitFor as waitUntil } from '../helpers/wait.js';

export const CLIENT_ADDR = '192.0.2.2';
export const SERVER_ADDR = '198.51.100.2';

export interface RoutedNet {
  client: string;
  /** The client's interface (in the client namespace). */
  clientDev: string;
  router: string;
  server: string;
  /** Runs a command in a namespace. */
  exec(ns: string, cmd: string, args: string[], input?: string): string;
  /** iptables inside the router namespace. */
  iptables(...args: string[]): string;
  /** The router's /proc/net/netfilter/nfnetlink_queue line for `queue`, parsed; undefined when unbound. */
  queueLine(queue: number): { portid: number; waiting: number; queueDropped: number; userDropped: number; lastId: number } | undefined;
  remove(): void;
}

/** Fails loudly when iptables is missing (the tests need its NFQUEUE and NFLOG targets). */
export function requireIptables(): void {
  try {
    run('iptables', ['--version']);
  } catch {
    throw new Error('these tests need iptables (NFQUEUE and NFLOG targets): apt-get install -y iptables');
  }
}

/** Creates the three namespaces, two veth pairs, addresses and routes; forwarding on in the router. */
export function createRoutedNet(): RoutedNet {
  requireRootAndIp();
  requireIptables();
  const id = randomBytes(3).toString('hex');
  const client = `ticl${id}`;
  const router = `tirt${id}`;
  const server = `tisv${id}`;
  const made: string[] = [];
  const remove = (): void => {
    for (const ns of made.splice(0)) {
      try {
        run('ip', ['netns', 'del', ns]);
      } catch {
        // already gone
      }
    }
  };
  const exec = (ns: string, cmd: string, args: string[], input?: string): string => run('ip', ['netns', 'exec', ns, cmd, ...args], input);
  try {
    for (const ns of [client, router, server]) {
      run('ip', ['netns', 'add', ns]);
      made.push(ns);
      exec(ns, 'ip', ['link', 'set', 'lo', 'up']);
    }
    run('ip', ['link', 'add', `tic${id}`, 'netns', client, 'type', 'veth', 'peer', 'name', `tirc${id}`, 'netns', router]);
    run('ip', ['link', 'add', `tis${id}`, 'netns', server, 'type', 'veth', 'peer', 'name', `tirs${id}`, 'netns', router]);
    for (const [ns, dev] of [[client, `tic${id}`], [router, `tirc${id}`], [router, `tirs${id}`], [server, `tis${id}`]] as const) {
      exec(ns, 'sysctl', ['-q', '-w', `net.ipv6.conf.${dev}.disable_ipv6=1`]);
      exec(ns, 'ip', ['link', 'set', dev, 'up']);
    }
    for (const [ns, dev] of [[client, `tic${id}`], [router, `tirc${id}`], [router, `tirs${id}`], [server, `tis${id}`]] as const) waitLinkUp(ns, dev);
    exec(client, 'ip', ['addr', 'add', `${CLIENT_ADDR}/24`, 'dev', `tic${id}`]);
    exec(router, 'ip', ['addr', 'add', '192.0.2.1/24', 'dev', `tirc${id}`]);
    exec(router, 'ip', ['addr', 'add', '198.51.100.1/24', 'dev', `tirs${id}`]);
    exec(server, 'ip', ['addr', 'add', `${SERVER_ADDR}/24`, 'dev', `tis${id}`]);
    exec(client, 'ip', ['route', 'add', 'default', 'via', '192.0.2.1']);
    exec(server, 'ip', ['route', 'add', 'default', 'via', '198.51.100.1']);
    exec(router, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
  } catch (err) {
    remove();
    throw err;
  }
  return {
    client,
    clientDev: `tic${id}`,
    router,
    server,
    exec,
    iptables: (...args: string[]) => exec(router, 'iptables', ['-w', ...args]),
    queueLine: (queue: number) => {
      const text = exec(router, 'cat', ['/proc/net/netfilter/nfnetlink_queue']);
      for (const line of text.split('\n')) {
        const f = line.trim().split(/\s+/).map(Number);
        if (f.length >= 8 && f[0] === queue) return { portid: f[1] as number, waiting: f[2] as number, queueDropped: f[5] as number, userDropped: f[6] as number, lastId: f[7] as number };
      }
      return undefined;
    },
    remove,
  };
}

/** `waitFor` of test/helpers/wait.ts with what is awaited first (20 s by default). */
export function waitFor(what: string, cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  return waitUntil(cond, { what, timeoutMs });
}

/**
 * A UDP receiver in the server namespace: counts datagrams per port and records their payloads'
 * first bytes, until `stop()`; it prints READY once bound.
 */
export async function startReceiver(net: RoutedNet, ports: number[]): Promise<{ stop(): Promise<Record<string, { count: number; first: string[] }>> }> {
  const script = `
import socket, select, sys, json
socks = {}
for p in ${JSON.stringify(ports)}:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind(("0.0.0.0", p)); s.setblocking(False); socks[s.fileno()] = (p, s)
res = {str(p): {"count": 0, "first": []} for p in ${JSON.stringify(ports)}}
print("READY", flush=True)
fds = list(socks) + [sys.stdin.fileno()]
done = False
while True:
    # Once asked to stop, reading goes on until nothing came for 0.3 s (datagrams still in flight).
    r, _, _ = select.select(fds, [], [], 0.3 if done else 1.0)
    if done and not r:
        break
    for fd in r:
        if fd == sys.stdin.fileno():
            done = True; fds.remove(fd); continue
        p, s = socks[fd]
        while True:
            try: d = s.recv(65535)
            except BlockingIOError: break
            e = res[str(p)]; e["count"] += 1
            if len(e["first"]) < 5: e["first"].append(d[:16].hex())
print(json.dumps(res), flush=True)
`;
  const child = spawn('ip', ['netns', 'exec', net.server, '/usr/bin/python3', '-c', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  await waitFor(`the receiver (${err})`, () => out.includes('READY'), 15_000);
  return {
    stop: async () => {
      child.stdin.end('\n');
      await new Promise<void>((r) => child.on('close', () => r()));
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line === undefined) throw new Error(`receiver failed: ${err}`);
      return JSON.parse(line) as Record<string, { count: number; first: string[] }>;
    },
  };
}

/** Sends `count` UDP datagrams of `payload` to SERVER_ADDR:`port` from the client namespace, paced gently. */
export function sendUdp(net: RoutedNet, port: number, count: number, payload = 'tscap-inline-test'): void {
  const script = `
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(${count}):
    s.sendto(${JSON.stringify(payload)}.encode() + i.to_bytes(4, "big"), ("${SERVER_ADDR}", ${port}))
    if i % 50 == 49: time.sleep(0.002)
`;
  execFileSync('ip', ['netns', 'exec', net.client, '/usr/bin/python3', '-c', script], { stdio: 'pipe' });
}
