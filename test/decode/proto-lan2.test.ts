/**
 * LAN protocols beyond the common ones (LLC I/S/U frames and NetBEUI, ...), on the crafted captures
 * fixtures/proto/lan2-*.pcap (gen_lan2.py): every printed line against tcpdump 4.99 at -n, -v, -vv and
 * -e, the Repr fields against tshark's, and the filter compiler's selection against libpcap's
 * (`tcpdump -r F -w - EXPR`), all run at test time.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';
import { readPcap } from './pcap-read.js';
import { parsePcap } from '../helpers/pcap-lite.js';
import { type Field, levels, type Pick, SKIP, at, expectTcpdumpLines, fieldDiffs, withTshark } from './proto-oracle.js';
import { Layer } from '../../src/decode/index.js';
import type { IpxRepr, IpxRipEntry, IpxSapEntry } from '../../src/decode/ipx.js';
import { compileFilter, runFilter } from '../../src/filter/index.js';

process.env.TZ = 'UTC';
const DIR = join(ROOT, 'fixtures', 'proto');

const FILES: Array<[string, string]> = [
  ['lan2-llc.pcap', 'LLC I, S and U frames, XID, NetBEUI'],
  ['lan2-ipx.pcap', 'IPX with SAP, RIP, NetBIOS in its four framings'],
  ['lan2-cfm.pcap', 'CFM: CCM, loopback, linktrace and their TLVs'],
  ['lan2-ctp.pcap', 'Ethernet loopback (CTP)'],
];
const LEVELS = levels([], ['-v'], ['-vv'], ['-e']);

describe('LAN protocols (2): text equals tcpdump\'s', () => {
  for (const [file, name] of FILES) {
    it(`${name} (${file}): every line at -n, -v, -vv, -e`, () => {
      console.log(`${name}: ${expectTcpdumpLines(join(DIR, file), LEVELS)}`);
    });
  }
});

/** tshark shows the bit as poll in commands and in every I frame, as final in S and U responses. */
const pf = (bit: 'p' | 'f'): Pick => (r) => {
  const final = r.format !== 'I' && ((r.ssap as number) & 1) === 1;
  return r.pollFinal && final === (bit === 'f') ? 1 : undefined;
};

/** `decoded`: packets whose first field tshark decodes (it leaves a header cut by the capture empty). */
/** `decoded`: the packets (tshark's row, 0-based index) whose fields are compared. */
const FIELDS: Array<{ file: string; kind: number; fields: Field[]; decoded: (row: string[], n: number) => boolean }> = [
  {
    file: 'lan2-llc.pcap', kind: Layer.Llc, decoded: (row) => row[2] !== '',
    fields: [
      ['llc.dsap', at('dsap')], ['llc.ssap', at('ssap')], ['llc.control', at('control')], ['llc.control.n_s', at('ns')],
      ['llc.control.n_r', at('nr')], ['llc.control.s_ftype', at('supervisory')],
      // tshark's U-frame modifier is the command without the poll/final and format bits, shifted down
      ['llc.control.u_modifier_cmd', (r) => (r.format === 'U' && !((r.ssap as number) & 1) ? ((r.command as number) & 0xec) >> 2 : undefined)],
      ['llc.control.u_modifier_resp', (r) => (r.format === 'U' && (r.ssap as number) & 1 ? ((r.command as number) & 0xec) >> 2 : undefined)],
      ['llc.control.p', pf('p')], ['llc.control.f', pf('f')],
    ],
  },
  {
    // packet 20 is cut inside its first SAP server entry: tshark shows the part it has, the Repr whole entries only
    file: 'lan2-ipx.pcap', kind: Layer.Ipx, decoded: (row, n) => row[0] !== '' && n !== 19,
    fields: [
      ['ipx.checksum', at('checksum')], ['ipx.len', at('length')], ['ipx.hops', at('hops')], ['ipx.packet_type', at('packetType')],
      ['ipx.dst.net', (r) => `0x${(r.dst as string).slice(0, 8)}`], ['ipx.dst.node', (r) => (r.dst as string).slice(9)], ['ipx.dst.socket', at('dstSocket')],
      ['ipx.src.net', (r) => `0x${(r.src as string).slice(0, 8)}`], ['ipx.src.node', (r) => (r.src as string).slice(9)], ['ipx.src.socket', at('srcSocket')],
      ['ipxsap.packet_type', at('sap.operation')], ['ipxsap.server.type', (r) => sapEntry(r)?.serviceType ?? (r.sap as IpxRepr['sap'])?.serviceType],
      ['ipxsap.server.name', (r) => sapEntry(r)?.name], ['ipxsap.server.network', (r) => (sapEntry(r) ? `0x${sapEntry(r)!.address.slice(0, 8)}` : undefined)],
      ['ipxsap.server.socket', (r) => sapEntry(r)?.socket], ['ipxsap.server.intermediate_networks', (r) => sapEntry(r)?.hops],
      ['ipxrip.packet_type', at('rip.operation')],
      ['ipxrip.route_vector', (r) => { const e = ripRoute(r); return e ? `0x${e.network.toString(16).padStart(8, '0')}` : undefined; }],
      ['ipxrip.hops', (r) => ripRoute(r)?.hops], ['ipxrip.ticks', (r) => ripRoute(r)?.ticks],
    ],
  },
  {
    // tshark leaves the flags empty for an unknown opcode and a PDU cut inside the common header
    file: 'lan2-cfm.pcap', kind: Layer.Cfm, decoded: (row) => row[3] !== '',
    fields: [
      ['cfm.md.level', at('level')], ['cfm.version', at('version')], ['cfm.opcode', at('opcode')], ['cfm.flags', at('flags')],
      ['cfm.first.tlv.offset', at('firstTlvOffset')], ['cfm.ccm.seq.num', at('sequence')], ['cfm.ccm.ma.ep.id', at('mepId')],
      ['cfm.lb.transaction.id', (r) => (r.opcode === 2 || r.opcode === 3 ? r.transactionId : undefined)],
      ['cfm.lt.transaction.id', (r) => (r.opcode === 4 || r.opcode === 5 ? r.transactionId : undefined)],
      ['cfm.lt.ttl', at('ttl')], ['cfm.ltm.orig.addr', at('originalMac')], ['cfm.ltm.targ.addr', at('targetMac')], ['cfm.ltr.relay.action', at('relayAction')],
    ],
  },
  {
    // tshark reads the messages from the first one on, whatever the skip count: the message fields are compared when it is 0
    file: 'lan2-ctp.pcap', kind: Layer.Ctp, decoded: (row) => row[0] !== '',
    fields: [
      // and it goes on to the messages after the current one: a receipt number or address is compared when the current message has it
      ['loop.skipcount', at('skipCount')], ['loop.function', firstMessage('function')], ['loop.receipt_number', firstMessage('receiptNumber', 1)],
      ['loop.forwarding_address', firstMessage('forwardingAddress', 2)],
    ],
  },
];

/** Field `k` of the current message when it is the first (skip count 0) and, given `fn`, has that function. */
function firstMessage(k: string, fn?: number): Pick {
  return (r) => (r.skipCount === 0 && (fn === undefined || r.function === fn) ? r[k] : SKIP);
}

/** The first server of a SAP response. */
const sapEntry = (r: Record<string, unknown>): IpxSapEntry | undefined => (r.sap as IpxRepr['sap'])?.entries?.[0];
const ripRoute = (r: Record<string, unknown>): IpxRipEntry | undefined => (r.rip as IpxRepr['rip'])?.entries[0];

describe('LAN protocols (2): Repr fields equal tshark\'s', () => {
  for (const { file, kind, fields, decoded } of FIELDS) {
    it(`${file}: ${fields.length} fields per packet`, () => {
      let checked = 0;
      let packets = 0;
      for (const pkt of withTshark(join(DIR, file), fields)) {
        packets++;
        const i = pkt.parser.find(kind);
        const theirsToo = decoded(pkt.row, pkt.n - 1);
        // a packet tshark does not decode either (cut inside the header) may lack the layer
        if (i < 0 && !theirsToo) continue;
        expect(i, `packet ${pkt.n} has the layer`).toBeGreaterThanOrEqual(0);
        if (!theirsToo) continue;
        const { shown, diffs } = fieldDiffs(pkt, pkt.parser.repr(i) as Record<string, unknown>, fields);
        expect(diffs).toEqual([]);
        checked += shown;
      }
      expect(checked).toBeGreaterThan(packets);
    });
  }
});

/** Filter primitives whose selection on the fixtures must equal libpcap's. */
const EXPRESSIONS = [
  'llc', 'llc i', 'llc s', 'llc u', 'llc rr', 'llc rnr', 'llc rej', 'llc ui', 'llc ua', 'llc disc', 'llc dm', 'llc sabme', 'llc test',
  'llc xid', 'llc frmr', 'stp', 'netbeui', 'ipx', 'iso', 'atalk', 'aarp', 'decnet', 'ether proto 0x9000', 'ether proto 0x8902', 'not llc u and llc',
];

describe('LAN protocols (2): the filter selects what libpcap selects', () => {
  for (const [file] of FILES) {
    it(`${file}: ${EXPRESSIONS.length} expressions`, () => {
      const path = join(DIR, file);
      const pkts = readPcap(path).packets;
      const tmp = mkdtempSync(join(tmpdir(), 'tscap-lan2-'));
      try {
        let matched = 0;
        for (const expr of EXPRESSIONS) {
          const out = execFileSync('tcpdump', ['-r', path, '-w', '-', expr], { stdio: ['ignore', 'pipe', 'ignore'] });
          writeFileSync(join(tmp, 'sel.pcap'), out);
          // the generator gives every record its own second, so the timestamp names the record
          const theirs = parsePcap(new Uint8Array(out)).records.map((r) => r.tsSec - pkts[0]!.tsSec);
          const prog = compileFilter(expr, { linkType: 1 });
          const ours = pkts.flatMap((q, n) => (runFilter(prog, q.buf.subarray(q.offset, q.offset + q.capLen), q.wireLen) !== 0 ? [n] : []));
          expect(ours, expr).toEqual(theirs);
          matched += theirs.length;
        }
        expect(matched).toBeGreaterThan(0);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
  }
});
