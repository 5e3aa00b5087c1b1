/**
 * The IPv6 Mobility Header on the crafted capture fixtures/proto/mobility.pcap (gen_mobility.py): every
 * printed line against tcpdump 4.99 at -n, -v, -vv, -x and -v -x (the cut messages dump the whole frame
 * where tcpdump's printer jumps out), and the Repr fields against tshark's, run at test time.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';
import { type Field, levels, expectTcpdumpLines, fieldDiffs, withTshark } from './proto-oracle.js';
import { Layer } from '../../src/decode/index.js';
import type { MobilityRepr } from '../../src/decode/mobility.js';

process.env.TZ = 'UTC';
const FILE = join(ROOT, 'fixtures', 'proto', 'mobility.pcap');

describe('IPv6 Mobility Header: text equals tcpdump\'s', () => {
  it('every line at -n, -v, -vv, -x, -v -x', () => {
    console.log(`mobility: ${expectTcpdumpLines(FILE, levels([], ['-v'], ['-vv'], ['-x'], ['-v', '-x']))}`);
  });
});

const m = (r: Record<string, unknown>): MobilityRepr => r as unknown as MobilityRepr;
const FIELDS: Field[] = [
  ['mip6.mhtype', (r) => m(r).type],
  ['mip6.proto', (r) => m(r).payloadProto],
  ['mip6.hlen', (r) => m(r).headerLen / 8 - 1],
  ['mip6.csum', (r) => `0x${m(r).checksum.toString(16).padStart(4, '0')}`],
  ['mip6.bu.seqnr', (r) => (m(r).type === 5 ? m(r).seq : undefined)],
  ['mip6.bu.lifetime', (r) => (m(r).type === 5 && m(r).lifetime !== undefined ? m(r).lifetime! / 4 : undefined)],
  ['mip6.ba.status', (r) => (m(r).type === 6 ? m(r).status : undefined)],
  ['mip6.ba.seqnr', (r) => (m(r).type === 6 ? m(r).seq : undefined)],
  ['mip6.ba.lifetime', (r) => (m(r).type === 6 && m(r).lifetime !== undefined ? m(r).lifetime! / 4 : undefined)],
  ['mip6.be.status', (r) => (m(r).type === 7 ? m(r).status : undefined)],
  ['mip6.be.haddr', (r) => m(r).homeAddress],
  ['mip6.hot.nindex', (r) => (m(r).type === 3 ? m(r).nonceIndex : undefined)],
  ['mip6.cot.nindex', (r) => (m(r).type === 4 ? m(r).nonceIndex : undefined)],
];

describe('IPv6 Mobility Header: Repr fields equal tshark\'s', () => {
  it('type, payload protocol, length, checksum and each message\'s fields', () => {
    let checked = 0;
    let packets = 0;
    for (const pkt of withTshark(FILE, FIELDS)) {
      const i = pkt.parser.find(Layer.Mobility);
      expect(i, `packet ${pkt.n} has the layer`).toBeGreaterThanOrEqual(0);
      // tshark decodes the messages captured whole, and no type it does not know
      if (pkt.capLen < pkt.wireLen || m(pkt.parser.repr(i) as Record<string, unknown>).type > 7) continue;
      // a header length below its type's: tshark reads the fields anyway, tscap and tcpdump do not
      if (pkt.row[0] === '3' && pkt.row[2] === '1') continue;
      packets++;
      const { shown, diffs } = fieldDiffs(pkt, pkt.parser.repr(i) as Record<string, unknown>, FIELDS);
      expect(diffs).toEqual([]);
      checked += shown;
    }
    expect(packets).toBeGreaterThanOrEqual(18);
    expect(checked).toBeGreaterThan(packets * 4);
  });
});
