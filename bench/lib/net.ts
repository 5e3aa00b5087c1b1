/**
 * The benchmark's network: one namespace holding the sender's end of a veth pair, the other end in the
 * caller's namespace where the capture runs. Names are "tb" plus a random suffix; `remove()` deletes
 * everything and is safe to call twice (also from a signal handler).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { must, runSync } from './proc.js';

/** Interface counters used by the benchmark. */
export interface LinkCounters {
  rxPackets: number;
  rxDropped: number;
  txPackets: number;
  txDropped: number;
}

/** A namespace + veth pair made for one benchmark run. */
export interface BenchNet {
  ns: string;
  /** The end in our namespace: the capture runs here. */
  host: string;
  /** Its ifindex (for /proc/net/packet). */
  hostIndex: number;
  /** The end inside `ns`: the generator sends here. */
  peer: string;
  /** IPv4 addresses (a /30 of 198.18.0.0/15) once `addAddresses` ran. */
  hostAddr?: string;
  peerAddr?: string;
  /** Prefix for running a command inside the namespace. */
  inNs(argv: readonly string[]): string[];
  /** Counters of the host end (sysfs). */
  hostCounters(): LinkCounters;
  /** Counters of the peer end (`ip -s -j` inside the namespace). */
  peerCounters(): LinkCounters;
  /** Gives both ends an IPv4 address (for iperf3). */
  addAddresses(): void;
  remove(): void;
}

function sysCounter(iface: string, name: string): number {
  return Number(readFileSync(`/sys/class/net/${iface}/statistics/${name}`, 'utf8'));
}

/** Creates the namespace and veth pair; IPv6 is off on both ends so the kernel adds no traffic of its own. */
export function createBenchNet(): BenchNet {
  if (process.getuid?.() !== 0) throw new Error('the live benchmark needs root (network namespaces, raw sockets)');
  const id = randomBytes(4).toString('hex');
  const ns = `tb${id}n`;
  const host = `tb${id}h`;
  const peer = `tb${id}p`;
  let removed = false;
  const net: BenchNet = {
    ns,
    host,
    hostIndex: 0,
    peer,
    inNs: (argv) => ['ip', 'netns', 'exec', ns, ...argv],
    hostCounters: () => ({
      rxPackets: sysCounter(host, 'rx_packets'),
      rxDropped: sysCounter(host, 'rx_dropped'),
      txPackets: sysCounter(host, 'tx_packets'),
      txDropped: sysCounter(host, 'tx_dropped'),
    }),
    peerCounters: () => {
      const j = JSON.parse(must(['ip', '-n', ns, '-s', '-j', 'link', 'show', 'dev', peer])) as Array<{
        stats64: { rx: { packets: number; dropped: number }; tx: { packets: number; dropped: number } };
      }>;
      const s = j[0]!.stats64;
      return { rxPackets: s.rx.packets, rxDropped: s.rx.dropped, txPackets: s.tx.packets, txDropped: s.tx.dropped };
    },
    addAddresses: () => {
      const b = randomBytes(2);
      const third = b[0]!;
      const fourth = (b[1]! & 0xfc) as number;
      const base = `198.19.${third}.`;
      net.hostAddr = `${base}${fourth + 1}`;
      net.peerAddr = `${base}${fourth + 2}`;
      must(['ip', 'addr', 'add', `${net.hostAddr}/30`, 'dev', host]);
      must(['ip', '-n', ns, 'addr', 'add', `${net.peerAddr}/30`, 'dev', peer]);
    },
    remove: () => {
      if (removed) return;
      removed = true;
      runSync(['ip', 'link', 'del', host]);
      runSync(['ip', 'netns', 'del', ns]);
    },
  };
  try {
    must(['ip', 'netns', 'add', ns]);
    must(['ip', 'link', 'add', host, 'type', 'veth', 'peer', 'name', peer, 'netns', ns]);
    must(['sysctl', '-q', '-w', `net.ipv6.conf.${host}.disable_ipv6=1`]);
    must(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', `net.ipv6.conf.${peer}.disable_ipv6=1`]);
    must(['ip', 'link', 'set', host, 'up']);
    must(['ip', '-n', ns, 'link', 'set', peer, 'up']);
    must(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    net.hostIndex = Number(readFileSync(`/sys/class/net/${host}/ifindex`, 'utf8'));
  } catch (err) {
    net.remove();
    throw err;
  }
  return net;
}
