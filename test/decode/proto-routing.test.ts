/**
 * Routing and label distribution protocols (BGP, LDP, LSP ping, PIMv2, RIPng) on the crafted captures
 * of fixtures/proto/ (gen_routing.py): every printed line against tcpdump 4.99 at -n, -v, -vv, -vvv
 * (and -b for BGP's asdot AS numbers), the Repr fields against tshark's, and the filter keywords and
 * ports against tcpdump's selection, all run at test time.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareLines, levels, tcpdumpLines, tscapLines } from './compare.js';
import { ROOT } from './fixtures.js';
import { readPcap } from './pcap-read.js';
import { at, expectTcpdumpLines, same, withTshark, fieldDiffs, type Pick } from './proto-oracle.js';
import { LayerParser, Layer } from '../../src/decode/index.js';
import { compileFilter, runFilter } from '../../src/filter/index.js';
import { JsonFormatter } from '../../src/sinks/json.js';
import { CLI, requireBuiltCli, startCli } from '../helpers/cli.js';

process.env.TZ = 'UTC';
const DIR = join(ROOT, 'fixtures', 'proto');

const FILES: Array<[string, string, number]> = [
  ['bgp.pcap', 'BGP', Layer.Bgp], ['ldp.pcap', 'LDP', Layer.Ldp], ['lspping.pcap', 'LSP ping', Layer.LspPing],
  ['pim.pcap', 'PIMv2', Layer.Pim], ['ripng.pcap', 'RIPng', Layer.Ripng],
];
/** Real traffic: two FRR bgpd instances in namespaces (make-bgp.sh). */
const LIVE: Array<[string, string, number]> = [['bgp-live.pcap', 'BGP between two FRR bgpd', Layer.Bgp]];
const LEVELS = levels([], ['-v'], ['-vv'], ['-vvv']);

describe('routing protocols: text equals tcpdump\'s', () => {
  for (const [file, name] of [...FILES, ...LIVE]) {
    it(`${name} (${file}): every line at -n, -v, -vv, -vvv`, () => {
      const path = join(DIR, file);
      console.log(`${name}: ${expectTcpdumpLines(path, file.startsWith('bgp') ? [...LEVELS, ...levels(['-b', '-v'])] : LEVELS)}`);
    });
  }

  it('real traffic (fixtures/real/routing.pcap, FRR routers): every BGP, LDP, PIM and RIPng packet at -n, -v, -vv, -b', () => {
    // the capture also holds OSPF and MLD, other homes' business: tcpdump itself picks this part out
    const dir = mkdtempSync(join(tmpdir(), 'tscap-rt-'));
    try {
      const part = join(dir, 'mine.pcap');
      execFileSync('tcpdump', ['-r', join(ROOT, 'fixtures', 'real', 'routing.pcap'), '-w', part, 'tcp port 179 or port 646 or pim or udp port 521'], { stdio: 'ignore' });
      const counts = ['tcp port 179', 'port 646', 'pim', 'udp port 521'].map((e) => tcpdumpLines(part, [e]).length);
      expect(counts.every((n) => n > 10), counts.join(' ')).toBe(true);
      console.log(`real routing traffic: ${expectTcpdumpLines(part, [...LEVELS.slice(0, 3), ...levels(['-b', '-v'])])}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('-b changes the AS numbers above 65535 and only those (asdot, RFC 5396)', () => {
    const path = join(DIR, 'bgp.pcap');
    const plain = tcpdumpLines(path, ['-v']);
    const dot = tcpdumpLines(path, ['-v', '-b']);
    const changed = dot.filter((l, k) => l !== plain[k]);
    // the fixture carries 4-octet AS numbers in the OPEN capability, AS paths, aggregators and communities
    expect(changed.length).toBeGreaterThanOrEqual(4);
    expect(changed.join('\n')).toContain('64086.59905');
  });

  it('the CLI passes -b through: `tscap -n -v -b -r` prints what `tcpdump -n -v -b -r` prints', async () => {
    requireBuiltCli();
    const path = join(DIR, 'bgp.pcap');
    const r = await startCli(['-n', '-v', '-b', '-r', path], { env: { ...process.env, TZ: 'UTC' } }).done;
    expect(r.code, r.stderr).toBe(0);
    const ours = r.stdout.endsWith('\n') ? r.stdout.slice(0, -1).split('\n') : r.stdout.split('\n');
    const c = compareLines(ours, tcpdumpLines(path, ['-v', '-b']));
    expect(c.diffs.slice(0, 3), CLI).toEqual([]);
    expect(c.same).toBe(c.total);
    expect(r.stdout).toContain('4 Byte AS 64086.59905');
  });
});

/** The first entry of a list field that has `field` (tshark's first occurrence in the packet). */
const first = (list: string, field: string): Pick => (r) => (r[list] as Array<Record<string, unknown>> | undefined)?.find((e) => e[field] !== undefined)?.[field];
/** The first element of a list inside any BGP message of the segment. */
const firstIn = (field: 'nlri' | 'withdrawn' | 'attributes'): Pick => (r) => (r.messages as Array<Record<string, unknown[] | undefined>>).flatMap((m) => m[field] ?? [])[0];
/** The address part of a prefix text (tshark shows the prefix without its length). */
const addr = (p: Pick): Pick => (r) => (p(r) as string | undefined)?.split('/')[0];

/**
 * `decoded`: packets compared (tshark shows no BGP message for a length below 19, and reassembles a
 * message split over two segments into the second, where tscap, as tcpdump, sees no marker).
 */
const BGP_FIELDS: Array<[string, Pick]> = [
  ['bgp.type', first('messages', 'type')], ['bgp.length', first('messages', 'length')], ['bgp.open.version', first('messages', 'version')],
  ['bgp.open.myas', first('messages', 'myAs')], ['bgp.open.holdtime', first('messages', 'holdTime')], ['bgp.open.identifier', first('messages', 'bgpId')],
  ['bgp.notify.major_error', first('messages', 'errorCode')], ['bgp.route_refresh.afi', first('messages', 'afi')],
  ['bgp.route_refresh.safi', first('messages', 'safi')],
  ['bgp.nlri_prefix', addr(firstIn('nlri'))], ['bgp.withdrawn_prefix', addr(firstIn('withdrawn'))],
  ['bgp.update.path_attribute.type_code', firstIn('attributes')],
];
const bgpDecoded = (row: string[], r: Record<string, unknown>): boolean => row[0] !== '' && (r.messages as unknown[]).length > 0;

const FIELDS: Array<{ file: string; kind: number; fields: Array<[string, Pick]>; decoded?: (row: string[], r: Record<string, unknown>) => boolean }> = [
  { file: 'bgp.pcap', kind: Layer.Bgp, decoded: bgpDecoded, fields: BGP_FIELDS },
  { file: 'bgp-live.pcap', kind: Layer.Bgp, decoded: bgpDecoded, fields: BGP_FIELDS },
  {
    file: 'ldp.pcap', kind: Layer.Ldp,
    // tshark stops at a version other than 1 and at a PDU length below the 6 bytes of the LDP id
    decoded: (row) => row[0] === '1' && Number(row[1]) >= 6,
    fields: [
      ['ldp.hdr.version', at('version')], ['ldp.hdr.pdu_len', at('pduLength')], ['ldp.hdr.ldpid.lsr', at('lsrId')], ['ldp.hdr.ldpid.lsid', at('labelSpace')],
      ['ldp.msg.type', first('messages', 'type')], ['ldp.msg.len', first('messages', 'length')], ['ldp.msg.id', first('messages', 'id')],
    ],
  },
  {
    file: 'lspping.pcap', kind: Layer.LspPing,
    // tshark leaves a version 2 header and one shorter than 32 bytes to other dissectors
    decoded: (row) => row[0] === '1',
    fields: [
      ['mpls_echo.version', at('version')], ['mpls_echo.msg_type', at('msgType')], ['mpls_echo.reply_mode', at('replyMode')],
      ['mpls_echo.return_code', at('returnCode')], ['mpls_echo.return_subcode', at('returnSubcode')], ['mpls_echo.sender_handle', at('senderHandle')],
      ['mpls_echo.sequence', at('sequence')],
    ],
  },
  {
    file: 'pim.pcap', kind: Layer.Pim,
    decoded: (row) => row[0] !== '',
    fields: [['pim.version', at('version')], ['pim.type', at('type')], ['pim.cksum', at('checksum')]],
  },
  {
    file: 'ripng.pcap', kind: Layer.Ripng,
    fields: [
      ['ripng.cmd', at('command')], ['ripng.version', at('version')], ['ripng.rte.ipv6_prefix', first('entries', 'prefix')],
      ['ripng.rte.prefix_length', first('entries', 'prefixLen')], ['ripng.rte.metric', first('entries', 'metric')],
      ['ripng.rte.route_tag', first('entries', 'routeTag')],
    ],
  },
];

describe('routing protocols: Repr fields equal tshark\'s', () => {
  for (const { file, kind, fields, decoded } of FIELDS) {
    it(`${file}: ${fields.length} fields per packet`, () => {
      let checked = 0;
      let skipped = 0;
      let packets = 0;
      for (const pkt of withTshark(join(DIR, file), fields)) {
        packets++;
        const p = pkt.parser;
        const i = p.find(kind);
        // a snapshot cut inside the carrier leaves no layer (tshark shows none either)
        if (i < 0) {
          expect(pkt.row.every((c) => c === ''), `packet ${pkt.n}: tshark decodes what tscap does not`).toBe(true);
          continue;
        }
        // a bare TCP acknowledgement on the port carries nothing to compare
        if (p.view(i)!.length === 0) continue;
        const r = p.repr(i) as Record<string, unknown>;
        if (decoded && !decoded(pkt.row, r)) {
          skipped++;
          continue;
        }
        const { shown, diffs } = fieldDiffs(pkt, r, fields);
        expect(diffs).toEqual([]);
        checked += shown;
      }
      expect(skipped).toBeLessThan(4);
      expect(checked).toBeGreaterThan(packets);
    });
  }
});

describe('routing protocols: JSON', () => {
  it('each layer ends the stack after TCP/UDP (PIM after IP) with its Repr', () => {
    const json = new JsonFormatter({ nano: false });
    const seen = new Set<string>();
    for (const [file, , kind] of FILES) {
      for (const q of readPcap(join(DIR, file)).packets) {
        const o = json.object(q) as { stack: string[]; layers: Record<string, unknown> };
        const name = o.stack[o.stack.length - 1]!;
        if (!['bgp', 'ldp', 'lspping', 'pim', 'ripng'].includes(name)) continue;
        seen.add(name);
        expect(o.stack[o.stack.length - (name === 'pim' ? 2 : 3)]).toMatch(/^ipv[46]$/);
        const p = new LayerParser();
        p.decode(q.buf, q.offset, q.capLen, q.linkType);
        expect(o.layers[name]).toEqual(JSON.parse(JSON.stringify(p.repr(p.find(kind)))));
        expect(JSON.parse(json.line(q))).toEqual(JSON.parse(JSON.stringify(o)));
      }
    }
    expect([...seen].sort()).toEqual(['bgp', 'ldp', 'lspping', 'pim', 'ripng']);
  });
});

/** The packet numbers (from 1) tcpdump selects from a file: gen_routing.py stamps packet k at 1700000000 + k - 1 s. */
function tcpdumpSelects(file: string, expr: string): number[] {
  const out = execFileSync('tcpdump', ['-n', '-tt', '-q', '-r', file, expr], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  return out.split('\n').filter((l) => /^\d/.test(l)).map((l) => Number.parseInt(l, 10) - 1700000000 + 1);
}

describe('routing protocols: filter keywords and ports select what tcpdump selects', () => {
  const EXPRS = [
    'pim', 'ip and pim', 'ip6 and pim', 'not pim', 'ip proto 103', 'ip6 proto 103', 'tcp port 179', 'tcp port bgp', 'port 179 and ip6',
    'udp port 646', 'tcp port 646', 'port 646', 'udp port 3503', 'udp port 521', 'ip6 and udp port 521', 'ip and udp port 521',
  ];
  for (const expr of EXPRS) {
    it(expr, () => {
      const prog = compileFilter(expr, { linkType: 1 });
      let total = 0;
      for (const [file] of FILES) {
        const path = join(DIR, file);
        const ours: number[] = [];
        readPcap(path).packets.forEach((q, n) => {
          if (runFilter(prog, q.buf.subarray(q.offset, q.offset + q.capLen), q.wireLen) > 0) ours.push(n + 1);
        });
        expect(ours, `${file}`).toEqual(tcpdumpSelects(path, expr));
        total += ours.length;
      }
      expect(total).toBeGreaterThan(0);
    });
  }
});
