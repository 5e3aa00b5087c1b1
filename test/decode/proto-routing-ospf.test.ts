/**
 * OSPFv2 and OSPFv3 (IP protocol 89) on the crafted captures of fixtures/proto/ (gen_ospf.py): every
 * printed line against tcpdump 4.99 at -n, -v, -vv and -vvv (tcpdump prints LSA hex dumps from -vv),
 * snapshot-length sweeps for the ` [|ospf2]` / ` [|ospf3]` markers, seeded byte-edited mutants, real FRR traffic, and the Repr fields against
 * tshark's `ospf.*`, both run at test time; `ip proto ospf` and its kin select what tcpdump selects.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareLines, tcpdumpLines, tscapLines } from './compare.js';
import { ROOT } from './fixtures.js';
import { readPcap } from './pcap-read.js';
import { at, expectTcpdumpLines, same, withTshark, fieldDiffs, levels, type Pick } from './proto-oracle.js';
import { createNameLookup } from '../../src/sinks/names.js';
import { Layer } from '../../src/decode/index.js';
import { compileFilter } from '../../src/filter/compile.js';
import { runFilter } from '../../src/filter/vm.js';

process.env.TZ = 'UTC';
const DIR = join(ROOT, 'fixtures', 'proto');

const FILES: Array<[string, string]> = [
  ['ospf2.pcap', 'OSPFv2: every packet and LSA type, authentication, LLS, malformed'],
  ['ospf3.pcap', 'OSPFv3: every packet and LSA type, LLS, authentication trailer, malformed'],
  ['ospf-sweeps/ospf2-cut.pcap', 'OSPFv2 cut every 3 bytes'],
  ['ospf-sweeps/ospf3-cut.pcap', 'OSPFv3 cut every 3 bytes'],
  ['ospf-sweeps/ospf2-mut.pcap', 'OSPFv2 with seeded byte edits'],
  ['ospf-sweeps/ospf3-mut.pcap', 'OSPFv3 with seeded byte edits'],
  ['ospf-frr.pcap', 'real OSPFv2 (MD5, router information) and OSPFv3 adjacencies between two FRR routers'],
];
const LEVELS = levels(
  [], ['-v'], ['-vv'], ['-vvv'], ['-e', '-v'],
  // a printer that quits where tcpdump's longjmps makes it dump the whole packet, link header included
  ['-x'], ['-X', '-vv'], ['-A', '-q'],
);

describe('OSPF: text equals tcpdump\'s', () => {
  for (const [file, name] of FILES) {
    it(`${name} (${file}): every line at -n, -v, -vv, -vvv, -e -v, -x, -X -vv, -A -q`, () => {
      const report = expectTcpdumpLines(join(DIR, file), LEVELS);
      console.log(`${file}: ${report}`);
    });
  }
  it('the OSPF packets of the real routing capture (fixtures/real/routing.pcap, scripts/real-routing.sh)', () => {
    // tcpdump picks the OSPF packets out of the multi-protocol capture; both tools print that file
    const dir = mkdtempSync(join(tmpdir(), 'tscap-ospf-real-'));
    try {
      const sub = join(dir, 'ospf.pcap');
      execFileSync('tcpdump', ['-r', join(ROOT, 'fixtures', 'real', 'routing.pcap'), '-w', sub, 'ip proto ospf or ip6 proto ospf'], { stdio: 'ignore' });
      expect(readPcap(sub).packets.length).toBeGreaterThan(100);
      console.log(`routing.pcap (OSPF packets): ${expectTcpdumpLines(sub, LEVELS)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('the fixtures reach the truncation markers and the length checks', () => {
    const v2 = tcpdumpLines(join(DIR, 'ospf2.pcap'), ['-vv']).join('\n');
    const v3 = tcpdumpLines(join(DIR, 'ospf3.pcap'), ['-vv']).join('\n');
    for (const s of [' [|ospf2]', 'Bogus length', '(invalid)', 'Remaining LS length', 'LLS: checksum', 'Key-ID: 7', 'Simple text password', 'topology multicast (1)', 'Shared risk group']) expect(v2).toContain(s);
    for (const s of [' [|ospf3]', 'bogus prefixlen', 'Authentication Type HMAC', 'LLS Checksum', 'RefLSID', 'Grace Period TLV', 'Unknown Router Links Type']) expect(v3).toContain(s);
  });
});

/** A Repr field as tshark prints it: numbers compared by value, text as is, '' when absent. */
type Lsa = { type: number; id: string; advRouter: string } & Record<string, unknown>;
const firstLsa = (r: Record<string, unknown>): Lsa | undefined => (r.lsas as Lsa[] | undefined)?.[0];
const firstReq = (r: Record<string, unknown>): Lsa | undefined => (r.requests as Lsa[] | undefined)?.[0];

/** Fields both versions share; tshark shows the first occurrence (the first LSA header, request or neighbour). */
const COMMON: Array<[string, Pick]> = [
  ['ospf.version', at('version')], ['ospf.msg', at('type')], ['ospf.packet_length', at('length')], ['ospf.srcrouter', at('routerId')],
  ['ospf.area_id', at('areaId')], ['ospf.checksum', at('checksum')],
  ['ospf.hello.hello_interval', at('hello.helloInterval')], ['ospf.hello.router_priority', at('hello.priority')],
  ['ospf.hello.router_dead_interval', at('hello.deadInterval')], ['ospf.hello.designated_router', at('hello.dr')],
  ['ospf.hello.backup_designated_router', at('hello.bdr')], ['ospf.hello.active_neighbor', (r) => (r.hello as { neighbors: string[] } | undefined)?.neighbors[0]],
  ['ospf.db.interface_mtu', at('dd.mtu')], ['ospf.db.dd_sequence', at('dd.sequence')],
  ['ospf.lsa.age', (r) => firstLsa(r)?.age], ['ospf.lsa.seqnum', (r) => firstLsa(r)?.seq], ['ospf.lsa.chksum', (r) => firstLsa(r)?.checksum],
  ['ospf.lsa.length', (r) => firstLsa(r)?.length], ['ospf.advrouter', (r) => (firstReq(r) ?? firstLsa(r))?.advRouter],
];

/** Version 2 fields (absent in version 3 packets). */
const V2: Array<[string, Pick]> = [
  ['ospf.auth.type', at('authType')], ['ospf.hello.network_mask', at('hello.mask')],
  ['ospf.lsa', (r) => (r.version === 2 ? (firstReq(r) ?? firstLsa(r))?.type : undefined)],
  // tshark shows an opaque LSA's id as opaque type and instance: its first address is a later LSA's
  ['ospf.lsa.id', (r) => (r.version === 2 ? (r.lsas as Lsa[] | undefined)?.find((l) => l.type < 9 || l.type > 11)?.id : undefined)],
];
/** Version 3 fields (absent in version 2 packets). */
const V3: Array<[string, Pick]> = [
  ['ospf.instance_id', at('instanceId')], ['ospf.hello.interface_id', at('hello.interfaceId')],
  ['ospf.v3.lsa', (r) => (r.version === 3 ? (firstReq(r) ?? firstLsa(r))?.type : undefined)],
];

const FIELDS: Array<{ file: string; fields: Array<[string, Pick]> }> = [
  { file: 'ospf2.pcap', fields: [...COMMON, ...V2] },
  { file: 'ospf3.pcap', fields: [...COMMON, ...V3] },
  { file: 'ospf-frr.pcap', fields: [...COMMON, ...V2, ...V3] },
];

describe('OSPF: Repr fields equal tshark\'s', () => {
  for (const { file, fields } of FIELDS) {
    it(`${file}: ${fields.length} fields per packet (packets captured whole)`, () => {
      const path = join(DIR, file);
      let checked = 0;
      let packets = 0;
      for (const pkt of withTshark(path, fields)) {
        packets++;
        const i = pkt.parser.find(Layer.Ospf);
        expect(i, `packet ${pkt.n} has the layer`).toBeGreaterThanOrEqual(0);
        // tshark stops at a snaplen cut with an exception; the Repr keeps what was captured
        if (pkt.capLen !== pkt.wireLen) continue;
        const { shown, diffs } = fieldDiffs(pkt, pkt.parser.repr(i) as Record<string, unknown>, fields);
        expect(diffs).toEqual([]);
        checked += shown;
      }
      expect(checked).toBeGreaterThan(packets * 3);
    });
  }
});

/** Packet numbers (1-based) tcpdump selects from a file with `expr`, by their unique timestamps. */
function tcpdumpSelects(path: string, expr: string): number[] {
  const stamps = readPcap(path).packets.map((q) => `${q.tsSec}.${String(Math.floor(q.tsNsec / 1000)).padStart(6, '0')}`);
  const out = execFileSync('tcpdump', ['-n', '-tt', '-r', path, '--', expr], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  return out.split('\n').filter((l) => /^\d/.test(l)).map((l) => stamps.indexOf(l.split(' ')[0]!) + 1);
}

describe('OSPF: filters select what tcpdump selects', () => {
  const files = ['ospf2.pcap', 'ospf3.pcap', 'ospf-sweeps/ospf2-cut.pcap', 'ospf-frr.pcap', 'vrrp.pcap', 'rip.pcap'];
  for (const expr of ['ip proto ospf', 'ip6 proto ospf', 'proto ospf', 'ip proto 89', 'ip6 proto 89', 'not proto ospf', 'proto \\ospf and ip6']) {
    it(expr, () => {
      let selected = 0;
      for (const f of files) {
        const path = join(DIR, f);
        const pkts = readPcap(path).packets;
        const prog = compileFilter(expr, { linkType: pkts[0]!.linkType });
        const ours: number[] = [];
        pkts.forEach((q, n) => {
          if (runFilter(prog, q.buf.subarray(q.offset, q.offset + q.capLen), q.wireLen) !== 0) ours.push(n + 1);
        });
        expect(ours, `${expr} on ${f}`).toEqual(tcpdumpSelects(path, expr));
        selected += ours.length;
      }
      expect(selected).toBeGreaterThan(0);
    });
  }
});

describe('OSPF: addresses as names without -n, as tcpdump resolves them', () => {
  // tcpdump without -n looks every address up (ipaddr_string): run it in a private mount and network
  // namespace whose /etc/hosts names a few of the fixtures' addresses (DNS then fails at once), and
  // give tscap the same hosts file
  const dir = mkdtempSync(join(tmpdir(), 'tscap-ospf-names-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const hosts = join(dir, 'hosts');
  writeFileSync(hosts, '192.0.2.1 r1.example.test\n192.0.2.2 r2.example.test\n255.255.255.0 mask24\n2001:db8::5 fwd.example.test\n2001:db8:1:: pfx.example.test\nfe80::1 ll1.example.test\n');
  for (const file of ['ospf2.pcap', 'ospf3.pcap']) {
    it(`${file} at -vv`, () => {
      const path = join(DIR, file);
      const out = execFileSync('unshare', ['-m', '-n', 'sh', '-c', 'mount --bind "$0" /etc/hosts && exec tcpdump -vv -r "$1"', hosts, path], {
        env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26,
      }).toString('latin1');
      const theirs = out.replace(/\n$/, '').split('\n');
      const names = createNameLookup({ hostsFile: hosts, dns: false });
      const c = compareLines(tscapLines(path, { numeric: false, names, verbose: 2 }), theirs);
      expect(theirs.join('\n')).toContain('r2.example.test');
      expect(c.diffs.slice(0, 3)).toEqual([]);
      expect(c.same).toBe(c.total);
    });
  }
});
