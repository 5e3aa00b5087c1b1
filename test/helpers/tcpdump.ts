/** tcpdump as a receiving oracle inside a namespace: start, wait until it listens, stop, read its file. */
import { spawn } from 'node:child_process';
import { copyPacket, type OwnedPacket } from '../../src/packet.js';
import { readPackets } from '../../src/pcap/index.js';
import { waitFor } from './wait.js';

export interface TcpdumpRun {
  /** Stops tcpdump (SIGINT) and returns the packets it wrote. */
  stop(): Promise<OwnedPacket[]>;
  /**
   * Resolves once tcpdump has handled every packet its filter took in so far: asked with SIGUSR1,
   * its "N captured" equals its "N received by filter". Call it after the traffic has reached the
   * interface; SIGINT would lose packets still in tcpdump's ring.
   */
  settled(timeoutMs?: number): Promise<void>;
}

/** Starts `tcpdump -i IFACE -U -w FILE [filter]` in namespace `ns` (or here when ns is undefined). */
export async function startTcpdump(ns: string | undefined, iface: string, file: string, filter: string[] = []): Promise<TcpdumpRun> {
  // No --immediate-mode: with it libpcap retires a ring block every millisecond, so a tcpdump starved
  // of CPU for a few hundred ms on a loaded machine ran out of blocks and dropped. Packets still in an
  // open block (up to libpcap's 1 s timeout) are waited for by `settled`, which `stop` calls first.
  const args = ['tcpdump', '-i', iface, '-B', '65536', '-U', '-n', '-w', file, ...filter];
  const child = ns ? spawn('ip', ['netns', 'exec', ns, ...args]) : spawn(args[0] as string, args.slice(1));
  let err = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      if (err.includes('listening on')) resolve();
    });
    child.on('error', reject);
    child.on('close', (code) => reject(new Error(`tcpdump exited ${code}: ${err}`)));
  });
  const run: TcpdumpRun = {
    async settled(timeoutMs = 15_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      const statsLine = /tcpdump: (\d+) packets? captured, (\d+) packets? received by filter, (\d+) packets? dropped by kernel/g;
      for (;;) {
        const before = err.length;
        child.kill('SIGUSR1');
        await waitFor(() => err.slice(before).match(statsLine) !== null, { what: "tcpdump's SIGUSR1 statistics", timeoutMs });
        const m = [...err.slice(before).matchAll(statsLine)].at(-1) as RegExpMatchArray;
        if (m[3] !== '0') throw new Error(`the tcpdump oracle dropped ${m[3]} packets: ${m[0]}`);
        if (m[1] === m[2]) return;
        if (Date.now() > deadline) throw new Error(`tcpdump did not catch up with its ring: ${m[0]}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop(): Promise<OwnedPacket[]> {
      await run.settled();
      const closed = new Promise((r) => child.on('close', r));
      child.kill('SIGINT');
      await closed;
      // A receiver that dropped would blame the sender for its own losses: fail loudly instead.
      const drops = /(\d+) packets? dropped by kernel/.exec(err);
      if (drops && Number(drops[1]) > 0) throw new Error(`the tcpdump oracle dropped ${drops[1]} packets: ${err}`);
      const out: OwnedPacket[] = [];
      for await (const p of readPackets(file)) out.push(copyPacket(p));
      return out;
    },
  };
  return run;
}
