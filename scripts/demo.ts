/**
 * `npm run demo` (as root): tscap's main job in one command on a fresh machine. It makes two network
 * namespaces joined by a veth pair, starts tscap on one end, sends a mix of real traffic from the other
 * (ARP, IPv4 and IPv6 ICMP/UDP/TCP, and frames tagged 0x8100 and 0x88a8), stops tscap with Ctrl-C's
 * signal, and removes everything. Traffic stays between the two namespaces.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ether, hexLines, udp4 } from '../test/helpers/frames.js';

if (process.getuid?.() !== 0) {
  console.error('demo: run as root (it creates network namespaces and captures on them)');
  process.exit(1);
}
const id = randomBytes(2).toString('hex');
const capNs = `tscapdemo-a-${id}`;
const sendNs = `tscapdemo-b-${id}`;
const capIf = `demoa${id}`;
const sendIf = `demob${id}`;

const sh = (args: string[], input?: string): string => execFileSync(args[0] as string, args.slice(1), { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
const inNs = (ns: string, args: string[], input?: string): string => sh(['ip', 'netns', 'exec', ns, ...args], input);
const quiet = (f: () => unknown): void => {
  try {
    f();
  } catch {
    // best effort: traffic meant to be refused (closed ports) or cleanup of what is already gone
  }
};

function cleanup(): void {
  quiet(() => sh(['ip', 'netns', 'del', capNs]));
  quiet(() => sh(['ip', 'netns', 'del', sendNs]));
}

async function main(): Promise<void> {
  sh(['ip', 'netns', 'add', capNs]);
  sh(['ip', 'netns', 'add', sendNs]);
  sh(['ip', 'link', 'add', capIf, 'netns', capNs, 'type', 'veth', 'peer', 'name', sendIf, 'netns', sendNs]);
  for (const [ns, dev, v4, v6] of [
    [capNs, capIf, '10.77.0.1/24', 'fd77::1/64'],
    [sendNs, sendIf, '10.77.0.2/24', 'fd77::2/64'],
  ] as const) {
    inNs(ns, ['ip', 'addr', 'add', v4, 'dev', dev]);
    inNs(ns, ['ip', '-6', 'addr', 'add', v6, 'dev', dev, 'nodad']);
    inNs(ns, ['ip', 'link', 'set', dev, 'up']);
    inNs(ns, ['ip', 'link', 'set', 'lo', 'up']);
  }

  const built = existsSync('dist/bin/tscap.js');
  const tscapCmd = built ? [process.execPath, 'dist/bin/tscap.js'] : [process.execPath, '--import', 'tsx', 'bin/tscap.ts'];
  const args = ['-i', capIf, '-n', '-e'];
  console.error(`demo: ip netns exec ${capNs} tscap ${args.join(' ')}`);
  const tscap = spawn('ip', ['netns', 'exec', capNs, ...tscapCmd, ...args], { stdio: ['ignore', 'inherit', 'pipe'] });
  let err = '';
  const listening = new Promise<void>((resolve, reject) => {
    tscap.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      process.stderr.write(b);
      if (err.includes('listening on')) resolve();
    });
    tscap.on('exit', (code) => reject(new Error(`tscap exited early with ${code}`)));
  });
  await listening;

  // Real traffic from the other namespace.
  quiet(() => inNs(sendNs, ['ping', '-c', '2', '-i', '0.2', '-W', '1', '10.77.0.1']));
  quiet(() => inNs(sendNs, ['ping', '-6', '-c', '2', '-i', '0.2', '-W', '1', 'fd77::1']));
  quiet(() => inNs(sendNs, ['bash', '-c', 'echo hello >/dev/udp/10.77.0.1/5353']));
  quiet(() => inNs(sendNs, ['bash', '-c', 'echo hello >/dev/udp/fd77::1/5353']));
  quiet(() => inNs(sendNs, ['bash', '-c', 'exec 3<>/dev/tcp/10.77.0.1/80']));
  quiet(() => inNs(sendNs, ['bash', '-c', 'exec 3<>/dev/tcp/fd77::1/80']));
  // VLAN-tagged frames, 802.1Q and 802.1ad, sent raw: veth strips the tag, tscap puts it back.
  const srcMac = sh(['ip', 'netns', 'exec', sendNs, 'cat', `/sys/class/net/${sendIf}/address`]).trim();
  const tagged = [
    ether('ff:ff:ff:ff:ff:ff', srcMac, 0x0800, udp4('10.77.100.2', '10.77.100.255', 4000, 4000, [1, 2, 3, 4]), [{ tpid: 0x8100, pcp: 3, dei: false, vid: 100 }]),
    ether('ff:ff:ff:ff:ff:ff', srcMac, 0x0800, udp4('10.77.200.2', '10.77.200.255', 4000, 4000, [5, 6, 7, 8]), [
      { tpid: 0x88a8, pcp: 0, dei: false, vid: 200 },
      { tpid: 0x8100, pcp: 0, dei: false, vid: 7 },
    ]),
  ];
  const sender = built ? [process.execPath, '--import', 'tsx', 'test/helpers/send-frames.ts'] : [process.execPath, '--import', 'tsx', 'test/helpers/send-frames.ts'];
  inNs(sendNs, [...sender, sendIf], hexLines(tagged));

  await new Promise((r) => setTimeout(r, 400));
  tscap.kill('SIGINT');
  const code = await new Promise<number | null>((r) => tscap.on('close', r));
  if (code !== 0) throw new Error(`tscap exited with ${code}`);
}

main()
  .catch((err: unknown) => {
    console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  })
  .finally(cleanup);
