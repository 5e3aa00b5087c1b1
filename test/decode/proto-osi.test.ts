/**
 * The OSI network layer (IS-IS, ES-IS, CLNP) on the crafted captures of fixtures/proto/ (gen_osi.py:
 * LLC on Ethernet, PPP, Cisco HDLC, Frame Relay, and the SPB sub-TLVs of TLVs 143 and 144) and on the
 * real capture of three FRR isisd routers (fixtures/real/isis.pcap, scripts/real-isis.sh): every
 * printed line against tcpdump 4.99's at -n, -v, -vv, -vvv, -e, -e -v and -e -vv (and -x for SPB),
 * the Repr fields against tshark's, and the OSI filter keywords against tcpdump's selection, all run
 * at test time.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';
import { readPcap } from './pcap-read.js';
import { at, expectTcpdumpLines, same, tsharkFields, levels, type Pick } from './proto-oracle.js';
import { LayerParser, Layer } from '../../src/decode/index.js';
import { compileFilter, runFilter } from '../../src/filter/index.js';

process.env.TZ = 'UTC';
const PROTO = join(ROOT, 'fixtures', 'proto');
const REAL = join(ROOT, 'fixtures', 'real', 'isis.pcap');
const SPB = join(PROTO, 'osi-isis-spb.pcap');
const CRAFTED = ['osi-isis.pcap', 'osi-esis-clnp.pcap', 'osi-ppp.pcap', 'osi-chdlc.pcap', 'osi-frelay.pcap'].map((f) => join(PROTO, f)).concat(SPB);
const LEVELS = levels(
  [], ['-v'], ['-vv'], ['-vvv'],
  ['-e'], ['-e', '-v'], ['-e', '-vv'],
);

describe('OSI: text equals tcpdump\'s', () => {
  for (const path of [...CRAFTED, REAL]) {
    it(`${path.slice(ROOT.length + 1)}: every line at -n, -v, -vv, -vvv, -e, -e -v, -e -vv`, () => {
      console.log(`${path.slice(ROOT.length + 1)}: ${expectTcpdumpLines(path, LEVELS)}`);
    }, 300_000);
  }

  it('osi-isis-spb.pcap: every line at -x, -v -x, -vv -x', () => {
    console.log(`osi-isis-spb.pcap: ${expectTcpdumpLines(SPB, levels(['-x'], ['-v', '-x'], ['-vv', '-x']))}`);
  }, 300_000);

  it('the SPB capture holds every sub-TLV tcpdump decodes in TLVs 143 and 144, unknown ones and each malformed case', () => {
    const text = execFileSync('tcpdump', ['-n', '-v', '-r', SPB], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 }).toString();
    for (const s of ['L1 LSP', 'L2 LSP', 'L1 Lan IIH', 'p2p IIH', 'SPB MCID subTLV #4', 'AUX-MCID', 'SPB Digest subTLV #5', 'SPB BVID subTLV #6', 'SPB Instance subTLV #1',
      'SPBM Service Identifier and Unicast Address subTLV #3', 'unknown subTLV #7', 'unknown subTLV #200', 'ISID: 16777215', 'No of Trees: c',
      'length: 101 (too short)', 'length: 18 (too short)', 'M:0  (too short)', 'ECT: 00000000 (too short)', '(> containing TLV length)', 'length: 7 [|isis]', 'SPVID: 2 [|isis]', 'length: 102 [|isis]', 'Name: ^A^_ ^?M-^@M-^?']) {
      expect(text, s).toContain(s);
    }
  });

  it('the real capture holds every PDU type and the TLVs FRR sends', () => {
    const text = execFileSync('tcpdump', ['-n', '-v', '-r', REAL], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 }).toString();
    for (const s of ['L1 Lan IIH', 'L2 Lan IIH', 'p2p IIH', 'L1 LSP', 'L2 LSP', 'L1 CSNP', 'L2 CSNP', 'L1 PSNP', 'HMAC-MD5 password', 'simple text password',
      'Extended IS Reachability', 'IS Reachability TLV', 'IPv4 Internal Reachability', 'Extended IPv4 Reachability', 'IPv6 reachability', 'Multi-Topology IP6 Reachability',
      'Hostname', 'Router Capability', 'Point-to-point Adjacency State', 'Padding', 'Prefix SID', 'lifetime:     0s']) {
      expect(text, s).toContain(s);
    }
  });
});

/** The first TLV of type `t` (its length), as tshark's first occurrence of a TLV's length field. */
const tlvLen = (t: number): Pick => (r) => (r.tlvs as Array<{ type: number; length: number }> | undefined)?.find((x) => x.type === t)?.length;

/** A Repr field tshark shows under a PDU type's own name (`isis.hello.*`, `isis.lsp.*`, ...): undefined for other types. */
const of = (types: number[], path: string): Pick => (r) => (types.includes(r.pduType as number) ? at(path)(r) : undefined);
const IIH = [15, 16, 17];
const LSP = [18, 20];
const CSNP = [24, 25];
const PSNP = [26, 27];

const ISIS_FIELDS: Array<[string, Pick, ((r: Record<string, unknown>) => boolean)?]> = [
  ['isis.type', at('pduType')], ['isis.len', at('fixedLen')], ['isis.version', at('version')], ['isis.sysid_len', at('idLength')], ['isis.max_area_adr', at('maxArea')],
  ['isis.hello.circuit_type', at('circuitType')], ['isis.hello.source_id', of(IIH, 'sourceId')], ['isis.hello.holding_timer', at('holdingTime')],
  ['isis.hello.pdu_length', of(IIH, 'pduLength')], ['isis.hello.priority', at('priority')], ['isis.hello.lan_id', at('lanId')], ['isis.hello.local_circuit_id', at('circuitId')],
  ['isis.lsp.pdu_length', of(LSP, 'pduLength')], ['isis.lsp.remaining_life', at('lifetime')], ['isis.lsp.lsp_id', at('lspId')], ['isis.lsp.sequence_number', at('sequence')],
  // Wireshark shows 0 as the checksum of a purge (remaining lifetime 0): compared where the LSP is live
  ['isis.lsp.checksum', at('checksum'), (r) => r.lifetime === 0], ['isis.csnp.pdu_length', of(CSNP, 'pduLength')], ['isis.csnp.source_id', of(CSNP, 'sourceId')],
  ['isis.csnp.start_lsp_id', at('startLspId')], ['isis.csnp.end_lsp_id', at('endLspId')], ['isis.psnp.pdu_length', of(PSNP, 'pduLength')], ['isis.psnp.source_id', of(PSNP, 'sourceId')],
];

/** tshark fields by file: `decoded` picks the packets tshark decodes as a whole (not a malformed or cut one). */
const FIELDS: Array<{ path: string; kind: number; fields: Array<[string, Pick, ((r: Record<string, unknown>) => boolean)?]>; decoded: (row: string[], r: Record<string, unknown>) => boolean }> = [
  { path: REAL, kind: Layer.Isis, fields: ISIS_FIELDS, decoded: () => true },
  // tshark shows nothing past a bad version, id length or fixed header length, and names a cut header malformed
  { path: join(PROTO, 'osi-isis.pcap'), kind: Layer.Isis, fields: ISIS_FIELDS, decoded: (row, r) => row[0] !== '' && r.tlvs !== undefined && (r.idLength === 0 || r.idLength === 6) },
  { path: SPB, kind: Layer.Isis, fields: ISIS_FIELDS, decoded: (row, r) => row[0] !== '' && r.tlvs !== undefined },
  {
    path: join(PROTO, 'osi-esis-clnp.pcap'), kind: Layer.Esis, decoded: (row) => row[0] !== '' && row[2] === '1',
    fields: [['esis.type', at('type')], ['esis.length', at('li')], ['esis.ver', at('version')], ['esis.htime', at('holdingTime')], ['esis.chksum', at('checksum')]],
  },
  {
    // tshark shows no checksum (and stops) where the length indicator does not fit the PDU or its addresses
    path: join(PROTO, 'osi-esis-clnp.pcap'), kind: Layer.Clnp, decoded: (row) => row[0] !== '' && row[2] === '1' && Number(row[1]) >= 9 && row[5] !== '',
    fields: [['clnp.cnf.type', at('type')], ['clnp.len', at('li')], ['clnp.version', at('version')], ['clnp.ttl', at('lifetime')], ['clnp.pdu.len', at('segmentLength')], ['clnp.checksum', at('checksum')]],
  },
];

describe('OSI: Repr fields equal tshark\'s', () => {
  for (const { path, kind, fields, decoded } of FIELDS) {
    it(`${path.slice(ROOT.length + 1)} (${fields.length} ${fields[0]![0].split('.')[0]} fields)`, () => {
      const rows = tsharkFields(path, fields.map(([f]) => f));
      const pkts = readPcap(path).packets;
      expect(rows.length).toBe(pkts.length);
      const p = new LayerParser();
      let checked = 0;
      let compared = 0;
      pkts.forEach((q, n) => {
        p.decode(q.buf, q.offset, q.capLen, q.linkType);
        const i = p.find(kind);
        if (i < 0) return;
        const r = p.repr(i) as Record<string, unknown>;
        if (!decoded(rows[n]!, r)) return;
        compared++;
        fields.forEach(([f, pick, skip], k) => {
          if (skip?.(r)) return;
          const theirs = rows[n]![k] ?? '';
          expect(same(theirs, pick(r)), `packet ${n + 1} ${f}: tshark ${theirs}, ours ${String(pick(r))}`).toBe(true);
          if (theirs !== '') checked++;
        });
      });
      expect(compared).toBeGreaterThan(5);
      expect(checked).toBeGreaterThan(compared * 4);
    });
  }

  it('the TLV list of each IS-IS PDU in the real capture equals tshark\'s TLV codes', () => {
    const rows = tsharkFields(REAL, ['isis.type', 'isis.lsp.clv.type', 'isis.hello.clv.type', 'isis.csnp.clv.type', 'isis.psnp.clv.type'], true);
    const p = new LayerParser();
    let n = 0;
    readPcap(REAL).packets.forEach((q, k) => {
      p.decode(q.buf, q.offset, q.capLen, q.linkType);
      const i = p.find(Layer.Isis);
      if (i < 0) return;
      const r = p.repr(i) as { tlvs: Array<{ type: number }> };
      const theirs = rows[k]!.slice(1).filter((c) => c !== '').join(',');
      if (theirs === '') return;
      expect(r.tlvs.map((t) => t.type).join(','), `packet ${k + 1}`).toBe(theirs);
      n++;
    });
    expect(n).toBeGreaterThan(200);
  });
});

describe('OSI: the filter keywords select what tcpdump selects', () => {
  const EXPRS = ['iso', 'isis', 'esis', 'clnp', 'l1', 'l2', 'iih', 'lsp', 'snp', 'csnp', 'psnp', 'isis and not l1', 'iso proto \\isis', 'isis proto 18'];
  for (const path of [...CRAFTED, REAL]) {
    it(`${path.slice(ROOT.length + 1)}: ${EXPRS.length} expressions`, () => {
      const f = readPcap(path);
      const key = (q: { tsSec: number; tsNsec: number }): string => `${q.tsSec}.${q.tsNsec}`;
      const report: string[] = [];
      const dir = mkdtempSync(join(tmpdir(), 'tscap-osi-'));
      try {
        for (const e of EXPRS) {
          const out = join(dir, 'sel.pcap');
          execFileSync('tcpdump', ['-r', path, '-w', out, e], { stdio: 'ignore' });
          const theirs = readPcap(out).packets.map(key);
          const prog = compileFilter(e, { linkType: f.linkType });
          const ours = f.packets.filter((q) => runFilter(prog, q.buf.subarray(q.offset, q.offset + q.capLen), q.wireLen) > 0).map(key);
          expect(ours, e).toEqual(theirs);
          report.push(`${e}:${ours.length}`);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      console.log(`${path.slice(ROOT.length + 1)}: ${report.join(' ')}`);
    });
  }
});
