/** tcpdump as a receiving oracle inside a namespace: start, wait until it listens, stop, read its file. */
import { spawn } from 'node:child_process';
import { copyPacket, type OwnedPacket } from '../../src/packet.js';
import { readPackets } from '../../src/pcap/index.js';

export interface TcpdumpRun {
  /** Stops tcpdump (SIGINT) and returns the packets it wrote. */
  stop(): Promise<OwnedPacket[]>;
}

/** Starts `tcpdump -i IFACE -U -w FILE [filter]` in namespace `ns` (or here when ns is undefined). */
export async function startTcpdump(ns: string | undefined, iface: string, file: string, filter: string[] = []): Promise<TcpdumpRun> {
  // --immediate-mode: without it libpcap's 1 s block timeout can leave the last packets unread at SIGINT.
  const args = ['tcpdump', '-i', iface, '--immediate-mode', '-B', '65536', '-U', '-n', '-w', file, ...filter];
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
  return {
    async stop(): Promise<OwnedPacket[]> {
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
}
