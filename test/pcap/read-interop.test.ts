/**
 * Files written by tcpdump, tshark and editcap (and their big-endian rewrites) are read by tscap exactly
 * as tshark reports them, packet for packet: timestamps to the nanosecond, lengths, bytes, direction,
 * drop counts and comments. tshark runs at test time on the same files.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PacketFileReader } from '../../src/pcap/reader.js';
import { tool, tsharkSeen, tscapSeen } from './oracle.js';

const dir = join(import.meta.dirname, '../../fixtures/pcap');
const files = [
  'tcpdump.pcap',
  'tcpdump-nano.pcap',
  'tshark.pcapng',
  'editcap.pcapng',
  'editcap-nsec.pcap',
  'editcap-comments.pcapng',
  'be-micro.pcap',
  'be-nano.pcap',
  'be.pcapng',
  'multi-section.pcapng',
  'crafted.pcapng',
  'crafted-be.pcapng',
];

describe('reading files written by other tools matches tshark', () => {
  for (const name of files) {
    it(name, async () => {
      const path = join(dir, name);
      const expected = tsharkSeen(path);
      const got = await tscapSeen(path);
      expect(got.length).toBe(expected.length);
      expect(got.length).toBeGreaterThan(0);
      for (let i = 0; i < got.length; i++) expect({ i, ...got[i] }).toEqual({ i, ...expected[i] });
    });
  }
});

describe('header facts', () => {
  it('pcap micro, nano and big-endian headers', async () => {
    for (const [name, nano, be] of [
      ['tcpdump.pcap', false, false],
      ['tcpdump-nano.pcap', true, false],
      ['be-micro.pcap', false, true],
      ['be-nano.pcap', true, true],
    ] as const) {
      const r = await PacketFileReader.open(join(dir, name));
      expect(r.info).toMatchObject({ format: 'pcap', linkType: 1, snaplen: 262144, nano, bigEndian: be, versionMajor: 2, versionMinor: 4 });
      await r.close();
    }
  });

  it('crafted pcapng: every IDB, SHB, NRB and ISB option as built', async () => {
    for (const name of ['crafted.pcapng', 'crafted-be.pcapng']) {
      const r = await PacketFileReader.open(join(dir, name));
      while (await r.readBatch(() => undefined)) {
        /* read to the end so later blocks are seen */
      }
      const info = r.info;
      expect(info.format).toBe('pcapng');
      expect(info.bigEndian).toBe(name.includes('-be'));
      expect(info.sections).toBe(2);
      expect(info.comments).toEqual(['crafted section one', 'crafted section two']);
      expect(info.hardware).toBe('test hardware');
      expect(info.userAppl).toBe('tscap fixtures');
      expect(info.nano).toBe(true);
      expect(info.interfaces[0]).toMatchObject({
        linkType: 1,
        snaplen: 262144,
        name: 'eth0',
        description: 'first interface',
        filter: 'udp port 53',
        os: 'Linux 6.1',
        unitsPerSecond: 1e9,
        tsOffset: 0,
        comments: ['interface comment'],
        stats: { received: 100, dropped: 3, delivered: 7 },
        section: 0,
      });
      expect(info.interfaces[1]).toMatchObject({ name: 'eth1', snaplen: 128, unitsPerSecond: 2 ** 20, tsOffset: 1000 });
      expect(info.interfaces[2]).toMatchObject({ name: 'tun0', linkType: 101, unitsPerSecond: 1e6, section: 1 });
      expect(info.names).toEqual([{ type: 'ipv4', address: '10.0.0.1', names: ['host-a.example'] }]);
      await r.close();
    }
  });

  it('epb_flags become pktType: inbound unicast → host, outbound → outgoing, inbound broadcast → broadcast', async () => {
    const types: number[] = [];
    const r = await PacketFileReader.open(join(dir, 'crafted.pcapng'));
    while (await r.readBatch((p) => types.push(p.pktType))) {
      /* collect */
    }
    await r.close();
    // EPB inbound unicast, EPB outbound, EPB none, EPB none, EPB none, PB inbound broadcast, SPB, EPB none.
    expect(types).toEqual([0, 4, -1, -1, -1, 1, -1, -1]);
  });
});

describe('stdin', () => {
  it("readPackets('-') reads a pipe from `tcpdump -w -`", () => {
    tool('tcpdump', ['--version']);
    const src = join(dir, 'tcpdump-nano.pcap');
    const script = join(import.meta.dirname, 'read-stdin.ts');
    const tsx = join(import.meta.dirname, '../../node_modules/.bin/tsx');
    const out = execFileSync('bash', ['-c', `tcpdump --time-stamp-precision=nano -r "$1" -w - 2>/dev/null | "$2" "$3"`, 'sh', src, tsx, script], { encoding: 'utf8' });
    const seen = tsharkSeen(src);
    expect(out.trim()).toBe(`${seen.length} ${seen[seen.length - 1]!.time}`);
  });
});
