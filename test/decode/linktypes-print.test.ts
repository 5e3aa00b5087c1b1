/**
 * Serial and legacy link types (PPP, PPP in HDLC framing, Cisco HDLC and SLARP, Frame Relay and Q.933,
 * SLIP, ARCNET BSD and Linux, MTP2 with and without its pseudo-header) on the crafted captures of
 * fixtures/links/ (scripts/linktype-fixtures-2.py): every printed line against tcpdump 4.99 at -n,
 * -v, -vv, -e and -e -vv, the Repr fields against tshark's, and the JSON records, all at test time.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { compareLines, levels, tcpdumpLines, tscapLines } from './compare.js';
import { ROOT } from './fixtures.js';
import { readPcap } from './pcap-read.js';
import { fieldDiffs, withTshark } from './proto-oracle.js';
import { Layer } from '../../src/decode/index.js';
import { JsonFormatter } from '../../src/sinks/json.js';

process.env.TZ = 'UTC';
const DIR = join(ROOT, 'fixtures', 'links');

const FILES: Array<[string, string, number]> = [
  ['ppp.pcap', 'PPP', 9], ['ppp-hdlc.pcap', 'PPP in HDLC framing', 50], ['chdlc.pcap', 'Cisco HDLC and SLARP', 104],
  ['frelay.pcap', 'Frame Relay and Q.933', 107], ['slip.pcap', 'SLIP', 8], ['arcnet.pcap', 'ARCNET (BSD)', 7],
  ['arcnet-linux.pcap', 'ARCNET (Linux)', 129], ['mtp2.pcap', 'MTP2', 140], ['mtp2-phdr.pcap', 'MTP2 with pseudo-header', 139],
];
const LEVELS = levels(
  [], ['-v'], ['-vv'], ['-e'], ['-e', '-vv'],
);

describe('serial and legacy link types: text equals tcpdump\'s', () => {
  for (const [file, name, linkType] of FILES) {
    it(`${name} (${file}): every line at -n, -v, -vv, -e, -e -vv`, () => {
      const path = join(DIR, file);
      expect(readPcap(path).linkType).toBe(linkType);
      const report: string[] = [];
      for (const [flags, opts] of LEVELS) {
        const c = compareLines(tscapLines(path, opts), tcpdumpLines(path, flags));
        report.push(`-n ${flags.join(' ')}: ${c.same}/${c.total}`);
        expect(c.total).toBeGreaterThan(0);
        expect(c.diffs.slice(0, 3), `${file} ${flags.join(' ')}`).toEqual([]);
        expect(c.same).toBe(c.total);
      }
      // none of these packets may fall back to the unsupported-link text
      expect(tscapLines(path, {}).some((l) => l.includes('unsupported link type'))).toBe(false);
      console.log(`${name}: ${report.join(', ')}`);
    });
  }
});

type Pick = (r: Record<string, unknown>) => unknown;
const at = (key: string): Pick => (r) => r[key];
const list = (key: string, sub: string): Pick => (r) => (r[key] as Array<Record<string, unknown>> | undefined)?.map((o) => o[sub]).join(',');

/** A value as tshark prints it: numbers by value (tshark writes some in hex), text case-insensitively. */
function same(theirs: string, ours: unknown): boolean {
  if (typeof ours === 'number') return Number(theirs) === ours;
  if (typeof ours === 'string' && /^[0-9,]+$/.test(ours)) return theirs.split(',').map(Number).join(',') === ours;
  return String(ours).toLowerCase() === theirs.toLowerCase();
}

/**
 * Fields checked per packet where the layer is present: `when` says which packets (tshark only decodes
 * some of them as we do). A field tshark leaves empty is not compared; the test counts what it checked.
 */
interface FieldCheck {
  file: string;
  kind: number;
  /** tshark field, our value, and optionally which of tshark's occurrences is ours. */
  fields: Array<[string, Pick, ((theirs: string) => string)?]>;
  when?: (r: Record<string, unknown>) => boolean;
  min: number;
}

const CTL: Pick = (r) => r.protocol;
const first = (t: string): string => t.split(',')[0]!;
const last = (t: string): string => t.split(',').pop()!;
/** Option types tshark dissects (it leaves the others out of `*.opt.type`). */
const knownOptions = (r: Record<string, unknown>, known: (t: number, len: number) => boolean): boolean =>
  (r.options as Array<{ type: number; length: number }> | undefined)?.every((o) => known(o.type, o.length)) ?? false;
const FIELDS: FieldCheck[] = [
  ...['ppp.pcap', 'ppp-hdlc.pcap'].flatMap((file): FieldCheck[] => [
    {
      file, kind: Layer.PppCtl, min: 60, when: (r) => [0xc021, 0x8021, 0x8057, 0x80fd].includes(CTL(r) as number) && r.code !== undefined,
      fields: [['ppp.code', at('code')], ['ppp.identifier', at('id')], ['ppp.length', at('length')]],
    },
    { file, kind: Layer.PppCtl, min: 4, when: (r) => CTL(r) === 0xc021 && knownOptions(r, (t, len) => t <= 30 && (t !== 1 || len === 4)), fields: [['lcp.opt.type', list('options', 'type')]] },
    { file, kind: Layer.PppCtl, min: 4, when: (r) => CTL(r) === 0x8021 && knownOptions(r, (t) => t <= 4 || (t >= 129 && t <= 132)), fields: [['ipcp.opt.type', list('options', 'type')]] },
    { file, kind: Layer.PppCtl, min: 2, when: (r) => CTL(r) === 0x8057 && knownOptions(r, (t) => t === 1), fields: [['ipv6cp.opt.type', list('options', 'type')]] },
    {
      file, kind: Layer.PppCtl, min: 10, when: (r) => CTL(r) === 0xc023 && r.code !== undefined,
      fields: [['pap.code', at('code')], ['pap.identifier', at('id')], ['pap.peer_id', at('peerId')], ['pap.password', at('password')], ['pap.message', at('message')]],
    },
    {
      file, kind: Layer.PppCtl, min: 12, when: (r) => CTL(r) === 0xc223 && r.code !== undefined,
      fields: [['chap.code', at('code')], ['chap.identifier', at('id')], ['chap.value', at('value')], ['chap.name', at('name')], ['chap.message', at('message')]],
    },
    { file, kind: Layer.Ppp, min: 20, when: (r) => r.protocol !== undefined && r.address === 0xff, fields: [['ppp.address', at('address')], ['ppp.protocol', at('protocol')]] },
    { file, kind: Layer.Ipv4, min: 8, fields: [['ip.src', at('src')], ['ip.dst', at('dst')], ['ip.id', at('id')]] },
  ]),
  { file: 'chdlc.pcap', kind: Layer.Chdlc, min: 20, fields: [['chdlc.address', at('address')], ['chdlc.protocol', at('protocol')]] },
  {
    file: 'chdlc.pcap', kind: Layer.Slarp, min: 10, when: (r) => r.code === 1 || r.code === 2 || (r.code === 0 && r.address !== undefined),
    fields: [['slarp.ptype', at('code')], ['slarp.address', at('address')], ['slarp.netmask', at('mask')], ['slarp.mysequence', at('mySeq')], ['slarp.yoursequence', at('yourSeq')], ['slarp.reliability', at('reliability')]],
  },
  {
    file: 'frelay.pcap', kind: Layer.Frelay, min: 40, when: (r) => r.nlpid !== undefined,
    fields: [['fr.dlci', at('dlci')], ['fr.cr', (r) => (r.cr ? 1 : 0)], ['fr.fecn', (r) => (r.fecn ? 1 : 0)], ['fr.becn', (r) => (r.becn ? 1 : 0)], ['fr.de', (r) => (r.de ? 1 : 0)],
      // tshark lists a pad byte as an NLPID of its own before the real one
      ['fr.nlpid', at('nlpid'), last]],
  },
  { file: 'frelay.pcap', kind: Layer.Q933, min: 14, fields: [['q933.message_type', at('messageType')], ['q933.link_verification.txseq', at('txSeq')], ['q933.link_verification.rxseq', at('rxSeq')], ['q933.report_type', at('reportType')]] },
  ...['arcnet.pcap', 'arcnet-linux.pcap'].map((file): FieldCheck => ({
    file, kind: Layer.Arcnet, min: 14, fields: [['arcnet.src', at('src')], ['arcnet.dst', at('dst')], ['arcnet.protID', at('type'), first]],
  })),
  ...['mtp2.pcap', 'mtp2-phdr.pcap'].map((file): FieldCheck => ({
    file, kind: Layer.Mtp2, min: 30,
    fields: [['mtp2.bsn', at('bsn')], ['mtp2.bib', at('bib')], ['mtp2.fsn', at('fsn')], ['mtp2.fib', at('fib')], ['mtp2.li', at('li')],
      ['mtp3.service_indicator', (r) => (r.sio === undefined ? undefined : (r.sio as number) & 15)], ['mtp3.dpc', at('dpc')], ['mtp3.opc', at('opc')], ['mtp3.sls', at('sls')]],
  })),
];

describe('serial and legacy link types: Repr fields equal tshark\'s', () => {
  for (const { file, kind, fields, when, min } of FIELDS) {
    it(`${file}: ${fields.map(([f]) => f).join(', ')}`, () => {
      const path = join(DIR, file);
      let checked = 0;
      for (const pkt of withTshark(path, fields, true)) {
        const i = pkt.parser.find(kind);
        if (i < 0 || pkt.capLen < pkt.wireLen) continue;
        const r = pkt.parser.repr(i) as Record<string, unknown>;
        if (when && !when(r)) continue;
        const { shown, diffs } = fieldDiffs(pkt, r, fields, true);
        expect(diffs).toEqual([]);
        checked += shown;
      }
      expect(checked).toBeGreaterThanOrEqual(min);
    });
  }
});

describe('serial and legacy link types: JSON', () => {
  it('each link header is a JSON layer and the IP inside follows it', () => {
    const want: Record<string, string[]> = {
      'ppp.pcap': ['ppp', 'ipv4', 'tcp'], 'ppp-hdlc.pcap': ['ppp', 'ipv4', 'tcp'], 'chdlc.pcap': ['chdlc', 'ipv4', 'tcp'],
      'frelay.pcap': ['fr', 'ipv4', 'tcp'], 'slip.pcap': ['slip', 'ipv4', 'tcp'], 'arcnet.pcap': ['arcnet', 'ipv4', 'tcp'],
      'arcnet-linux.pcap': ['arcnet', 'ipv4', 'tcp'], 'mtp2.pcap': ['mtp2'], 'mtp2-phdr.pcap': ['mtp2'],
    };
    for (const [file, stack] of Object.entries(want)) {
      const f = readPcap(join(DIR, file));
      const j = new JsonFormatter({ nano: false });
      const rec = j.object(f.packets[0]!) as { stack: string[]; layers: Record<string, Record<string, unknown>> };
      expect(rec.stack, file).toEqual(stack);
      if (stack[1] === 'ipv4') expect(rec.layers['ipv4']!['src'], file).toBe('192.0.2.1');
    }
    // control protocols end the stack after the PPP header
    const ppp = readPcap(join(DIR, 'ppp.pcap'));
    const lcp = ppp.packets.find((q) => q.buf[q.offset] === 0xff && q.buf[q.offset + 2] === 0xc0 && q.buf[q.offset + 3] === 0x21)!;
    const rec = new JsonFormatter({ nano: false }).object(lcp) as { stack: string[]; layers: Record<string, Record<string, unknown>> };
    expect(rec.stack).toEqual(['ppp', 'pppctl']);
    expect(rec.layers['pppctl']).toMatchObject({ protocol: 0xc021, code: 1, id: 1 });
  });
});
