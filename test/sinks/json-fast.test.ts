/**
 * The JSON sink's direct writer against the Repr path: for every fixture packet and 300,000 mutants,
 * `JsonFormatter.line` (bytes written field by field) equals `JSON.stringify(object())` (the plain
 * objects of each layer's Repr) byte for byte, with microsecond and nanosecond stamps and with the
 * live-capture interface fields; and the sink's batched output is those lines in order.
 */
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import type { PacketView } from '../../src/packet.js';
import { JsonFormatter, createJsonSink, type JsonOptions } from '../../src/sinks/json.js';
import { TextOutput } from '../../src/sinks/output.js';
import { HOMES } from '../../src/decode/registry.js';
import { eachMutant, fixturePackets } from '../helpers/mutants.js';

const OPTION_SETS: JsonOptions[] = [
  { nano: false },
  { nano: true },
  // an interface name that needs escaping, and one index without a name
  { nano: false, ifName: (i) => (i === 2 ? 'eth"0\\ü' : i === 3 ? undefined : `if${i}`) },
];

function same(f: JsonFormatter, p: PacketView, where: string): void {
  const fast = f.line(p);
  const slow = `${JSON.stringify(f.object(p))}\n`;
  if (fast !== slow) expect(fast, `${where}: ${Buffer.from(p.buf.subarray(p.offset, p.offset + p.capLen)).toString('hex')}`).toBe(slow);
}

describe('JSON: direct writer = Repr path', () => {
  it('every fixture packet, line for line', () => {
    let n = 0;
    for (const opts of OPTION_SETS) {
      const f = new JsonFormatter(opts);
      for (const { file, packets } of fixturePackets()) {
        for (const p of packets) {
          p.ifindex = p.index % 4;
          same(f, p, file);
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(3000);
  });

  it('300,000 mutants, line for line', () => {
    const fs = OPTION_SETS.map((o) => new JsonFormatter(o));
    eachMutant(300_000, 0x15f, (p) => {
      p.ifindex = p.index % 4;
      same(fs[p.index % fs.length]!, p, 'mutant');
    });
  }, 600_000);

  it('the sink writes the same lines, in order, through its byte batches', async () => {
    const chunks: Buffer[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(Buffer.from(chunk));
        cb();
      },
    });
    const sink = createJsonSink(new TextOutput(stream), { nano: false });
    const f = new JsonFormatter({ nano: false });
    let expected = '';
    for (const { packets } of fixturePackets()) {
      for (const p of packets) {
        sink.write(p);
        expected += `${JSON.stringify(f.object(p))}\n`;
      }
      await sink.flush();
    }
    await sink.close();
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
    expect(chunks.length).toBeGreaterThan(2);
  });

  it('which layers have a direct writer (the rest are stringified from their Repr)', () => {
    const placed = Object.entries(HOMES).filter(([, h]) => 'json' in h && h.json !== undefined);
    const without = placed.filter(([, h]) => (h.json as { write?: unknown }).write === undefined).map(([k]) => k);
    // the LAN control and redundancy protocols, a few frames a second on any link, the UDP
    // services (DHCP, NTP, SNMP, ...), the routing and label distribution protocols (control traffic
    // beside the bulk of TCP and UDP data), the serial link types and the wireless link headers (read from files; their
    // optional fields vary frame by frame). The tunnel headers (GRE, ERSPAN, VXLAN, Geneve, VXLAN-GPE, L2TP, PPPoE)
    // and the TLS, SSH and QUIC records are stringified too, although bulk traffic can carry them on every
    // packet: a direct writer for them is a speed step still to take. The LAN protocols (IPX, CFM, CTP,
    // DECnet, DDP, AoE, TIPC, MACsec) and NSH are stringified as well: AoE storage traffic and an NSH service chain
    // can be bulk, the others are control or legacy traffic
    expect(without.sort()).toEqual([
      'aarp', 'aoe', 'arcnet', 'bgp', 'cdp', 'cfm', 'chdlc', 'clnp', 'ctp', 'ddp', 'decnet', 'dhcp', 'dhcp6', 'dtp', 'eapol', 'eigrp', 'erspan', 'esis', 'fr', 'geneve',
      'gre', 'hsrp', 'igmp', 'ike', 'ipx', 'isis', 'l2tp', 'ldp', 'llc', 'lldp', 'lmi', 'lspping', 'macsec', 'mfr', 'mtp2', 'nsh', 'ntp', 'ospf', 'pim', 'ppi', 'ppp', 'pppctl',
      'pppoe', 'pptp', 'ptp', 'q933', 'quic', 'radiotap', 'radius', 'rip', 'ripng', 'sctp', 'slarp', 'slip', 'slow', 'snmp', 'ssh', 'stp', 'syslog',
      'tftp', 'tipc', 'tls', 'udld', 'vrrp', 'vtp', 'vxlan', 'vxlangpe', 'wlan',
    ]);
  });
});
