/**
 * Interface gaps for `--reopen` tests: numbered frames, their numbers as tcpdump reads them back, a
 * deleted veth made again, and a whole CLI run through one gap (frames before, the veth deleted and
 * made again, frames after).
 */
import { execFileSync } from 'node:child_process';
import { interfaceInfo } from '../../src/capture/interfaces.js';
import { startCli, type CliResult } from './cli.js';
import { ether, pad60, sendFrames, udp4 } from './frames.js';
import { run, waitLinkUp, type TestNet } from './netns.js';
import { packetSocketsOf, waitFor, waitForRecords } from './wait.js';

/** Frames numbered in their UDP payload (UDP port 4444); `flows` destination ports in turn, so that fanout spreads them. */
export function numbered(from: number, n: number, flows = 1): Uint8Array[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4('203.0.113.1', '203.0.113.2', 4444, 9 + (i % flows), [i >>> 24, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff])));
  });
}

/** Sequence numbers of the UDP port 4444 frames in a file, as tcpdump reads them. */
export function sequenceNumbers(file: string): number[] {
  const text = execFileSync('tcpdump', ['-r', file, '-nn', '-x', 'udp port 4444'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  return text
    .split(/\n(?=\d)/)
    .filter((b) => b.trim() !== '')
    .map((block) => {
      const hex = block
        .split('\n')
        .slice(1)
        .map((l) => l.replace(/^\s*0x[0-9a-f]+:\s*/, '').replace(/\s+/g, ''))
        .join('');
      return Number.parseInt(hex.slice(56, 64), 16);
    });
}

/** Makes the deleted veth pair again with the same names (the peer back in the namespace). */
export function recreate(net: TestNet): void {
  run('ip', ['link', 'add', net.host, 'type', 'veth', 'peer', 'name', net.peer, 'netns', net.ns]);
  run('sysctl', ['-q', '-w', `net.ipv6.conf.${net.host}.disable_ipv6=1`]);
  net.exec('sysctl', ['-q', '-w', `net.ipv6.conf.${net.peer}.disable_ipv6=1`]);
  run('ip', ['link', 'set', net.host, 'up']);
  net.exec('ip', ['link', 'set', net.peer, 'up']);
  waitLinkUp(net.ns, net.peer); // frames sent before the link watcher runs would be dropped
  waitLinkUp(undefined, net.host);
}

/** Every gap line for `iface` the capture says when the interface is deleted (global: count them with `match`). */
export function gapLineOf(iface: string): RegExp {
  return new RegExp(`tscap: warning: ${iface}: (Network is down \\(ENETDOWN\\)|No such device \\(ENODEV\\)); waiting for it to come back \\(--reopen\\)`, 'g');
}

/** What `runThroughGap` does besides the gap. */
export interface GapRunOptions {
  /** Files the capture writes (re-listed at each poll). */
  files: () => string[];
  /** Packet sockets the capture holds on the interface (one per fanout worker). */
  sockets: number;
  /** Frames sent on each side of the gap, numbered 0.. then on, over 64 flows. */
  frames: number;
  /** Called once the capture listens, before any frame. */
  listening?: (pid: number) => void | Promise<void>;
  /** Called once every frame is written, before the capture is stopped with SIGINT. */
  written?: (p: ReturnType<typeof startCli>) => void | Promise<void>;
}

/** Sends `n` numbered frames from `from` over 64 flows, all of them or a failure. */
function send(net: TestNet, from: number, n: number): void {
  const sent = sendFrames(net.ns, net.peer, numbered(from, n, 64));
  if (sent !== n) throw new Error(`sent ${sent} of ${n} frames`);
}

/**
 * Runs the CLI on `net.host` with `args` through one gap: frames, the veth deleted (waiting for the gap
 * line) and made again, every socket bound to the new one, frames again, then SIGINT. Resolves with the run.
 */
export async function runThroughGap(net: TestNet, args: string[], o: GapRunOptions): Promise<CliResult> {
  const p = startCli(['-i', net.host, ...args]);
  await p.waitStderr(/listening on/);
  const pid = p.child.pid as number;
  await o.listening?.(pid);
  send(net, 0, o.frames);
  await waitForRecords(o.files, o.frames);
  run('ip', ['link', 'del', net.host]);
  await p.waitStderr(gapLineOf(net.host));
  recreate(net);
  const index = interfaceInfo(net.host).index;
  await waitFor(() => packetSocketsOf(pid, index).length === o.sockets, { timeoutMs: 30_000, what: `${o.sockets} sockets bound to the new ${net.host}` });
  send(net, o.frames, o.frames);
  await waitForRecords(o.files, 2 * o.frames);
  await o.written?.(p);
  p.child.kill('SIGINT');
  return p.done;
}
