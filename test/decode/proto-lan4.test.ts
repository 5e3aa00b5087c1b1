/**
 * MACsec, the ITU-T Y.1731 OAM PDUs, DEC MOP/LAT, PPP on Ethernet, PPPoE control packets and TIPC on
 * the crafted captures fixtures/proto/lan4-*.pcap (gen_lan4.py): every printed line against tcpdump 4.99
 * at -n, -v, -vv, -e, -x and -e -x (and without -n, names from a hosts file), the SecTAG, CFM and TIPC
 * Reprs against tshark's fields, and the filter compiler's selection against libpcap's
 * (`tcpdump -r F -w - EXPR`), all run at test time.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';
import { compareLines, tscapLines } from './compare.js';
import { type Field, levels, SKIP, expectFilterLikeLibpcap, expectTcpdumpLines, fieldDiffs, tcpdumpNamedLines, withTshark } from './proto-oracle.js';
import { createNameLookup } from '../../src/sinks/names.js';
import { DecodeStatus, Layer, MacsecOffsets } from '../../src/decode/index.js';
import type { MacsecRepr } from '../../src/decode/macsec.js';
import type { CfmRepr } from '../../src/decode/cfm.js';
import type { TipcRepr } from '../../src/decode/tipc.js';

process.env.TZ = 'UTC';
const DIR = join(ROOT, 'fixtures', 'proto');

const FILES: Array<[string, string]> = [
  ['lan4-macsec.pcap', 'MACsec: encrypted and integrity-only frames, short lengths, malformed and cut SecTAGs'],
  ['lan4-y1731.pcap', 'Y.1731: AIS, LCK, CSF, TST, LMM/LMR, 1DM/DMM/DMR, SLM/SLR/1SL, APS, R-APS, MCC, EXM/EXR, VSM/VSR'],
  // tcpdump 4.99 has no printer for these: its generic line and dump, also in SNAP and behind VLAN tags
  ['lan4-dec.pcap', 'DEC MOP dump/load and remote console, LAT, SCA; 802.3 lengths past the frame; LLC after the jumbo type 0x8870'],
  ['lan4-ether.pcap', 'PPP frames on Ethernet (0x880b), a transparent-bridging type after a MAC header, TIPC (0x88ca), PPPoE'],
];
const LEVELS = levels([], ['-v'], ['-vv'], ['-e'], ['-x'], ['-e', '-x']);

describe('LAN protocols (4): text equals tcpdump\'s', () => {
  for (const [file, name] of FILES) {
    it(`${name} (${file}): every line at -n, -v, -vv, -e, -x, -e -x`, () => {
      console.log(`${name}: ${expectTcpdumpLines(join(DIR, file), LEVELS)}`);
    });
  }
});

describe('LAN protocols (4): names without -n, as tcpdump resolves them', () => {
  // tcpdump without -n adds each MAC address's OUI name and looks up the IP addresses: a hosts file names one
  const dir = mkdtempSync(join(tmpdir(), 'tscap-lan4-names-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const hosts = join(dir, 'hosts');
  writeFileSync(hosts, '192.0.2.1 alpha.example.test\n');
  const names = createNameLookup({ hostsFile: hosts, dns: false });
  for (const [file] of FILES) {
    for (const level of levels([], ['-e'], ['-v'])) {
      it(`${file} without -n ${level[0].join(' ')}`, () => {
        const path = join(DIR, file);
        const theirs = tcpdumpNamedLines(hosts, path, level[0]);
        const c = compareLines(tscapLines(path, { ...level[1], numeric: false, names }), theirs);
        expect(c.diffs.slice(0, 3)).toEqual([]);
        expect(c.same).toBe(c.total);
      });
    }
  }
});

type R = Record<string, unknown>;
const ms = (r: R): MacsecRepr => r as unknown as MacsecRepr;
/** The SCI's first 6 bytes as tshark's system identifier (a MAC address). */
const sciMac = (r: R): unknown => ms(r).sci?.slice(0, 12).replace(/(..)(?!$)/g, '$1:');
/** The SCI's last 2 bytes, tshark's port identifier. */
const sciPort = (r: R): unknown => (ms(r).sci === undefined ? undefined : parseInt(ms(r).sci!.slice(12), 16));

const MACSEC_FIELDS: Field[] = [
  // tshark's TCI is the byte shifted right by 2, as ours
  ['macsec.TCI', (r) => ms(r).tci],
  ['macsec.AN', (r) => ms(r).an],
  ['macsec.SL', (r) => ms(r).sl],
  ['macsec.PN', (r) => ms(r).pn],
  ['macsec.SCI.system_identifier', sciMac],
  ['macsec.SCI.port_identifier', sciPort],
  // tshark reads a type even where the ICV or the short length leaves no room for it (tcpdump does not)
  ['macsec.etype', (r) => (ms(r).type === undefined ? SKIP : ms(r).type)],
];

describe('LAN protocols (4): Repr fields equal tshark\'s', () => {
  it(`lan4-macsec.pcap: ${MACSEC_FIELDS.length} fields per packet`, () => {
    let packets = 0;
    let checked = 0;
    let typed = 0;
    for (const pkt of withTshark(join(DIR, 'lan4-macsec.pcap'), MACSEC_FIELDS)) {
      // a SecTAG is decoded right after the MAC addresses only (tshark also reads one behind a VLAN tag)
      const i = pkt.parser.find(Layer.Macsec);
      if (i < 0) {
        expect(pkt.parser.kinds[1], `packet ${pkt.n}`).not.toBe(Layer.Ethernet);
        continue;
      }
      // the outer frame's, or one inside VXLAN or GRE
      expect(pkt.parser.kinds[i - 1], `packet ${pkt.n}`).toBe(Layer.Ethernet);
      // a SecTAG cut short has no fields in tshark; one with the version bit set is not MACsec to
      // tshark, and its short length keeps the reserved bits there: neither is compared
      if (pkt.parser.status[i] !== DecodeStatus.Ok) continue;
      // tshark reads a SecTAG only when some secure data comes before the ICV
      const v = pkt.parser.at(i, Layer.Macsec)!;
      if (v.length <= v.headerLen + MacsecOffsets.icvLen) continue;
      const r = pkt.parser.repr(i) as R;
      packets++;
      if (ms(r).type !== undefined) typed++;
      const { shown, diffs } = fieldDiffs(pkt, r, MACSEC_FIELDS);
      expect(diffs).toEqual([]);
      checked += shown;
    }
    expect(packets).toBeGreaterThan(25);
    expect(typed).toBeGreaterThan(15);
    expect(checked).toBeGreaterThan(packets * 4);
  });
});

const cfm = (r: R): CfmRepr => r as unknown as CfmRepr;
/** tshark's counters and test ids are shown as hex bytes. */
const hexNum = (x: string): string => String(parseInt(x, 16));
/** A Y.1731 field of the PDUs with opcodes `ops` (tshark shows the field under those only). */
const only = (ops: number[], pick: (r: CfmRepr) => unknown) => (r: R): unknown => (ops.includes(cfm(r).opcode) ? pick(cfm(r)) : undefined);

const Y1731_FIELDS: Field[] = [
  ['cfm.md.level', (r) => cfm(r).level], ['cfm.version', (r) => cfm(r).version], ['cfm.opcode', (r) => cfm(r).opcode],
  ['cfm.flags', (r) => cfm(r).flags], ['cfm.first.tlv.offset', (r) => cfm(r).firstTlvOffset],
  ['cfm.flags.ais_lck_Period', only([33, 35], (c) => c.period)],
  ['cfm.csf.flags.Type', only([52], (c) => c.csfType)], ['cfm.csf.flags.Period', only([52], (c) => c.period)],
  ['cfm.tst.sequence.num', only([37], (c) => c.sequence)],
  ['cfm.lmm.lmr.txfcf', only([42, 43], (c) => c.txFCf), hexNum], ['cfm.lmm.lmr.rxfcf', only([42, 43], (c) => c.rxFCf), hexNum],
  ['cfm.lmm.lmr.txfcb', only([42, 43], (c) => c.txFCb), hexNum],
  ['cfm.odm.dmm.dmr.txtimestampf', (r) => cfm(r).txTimestampf], ['cfm.odm.dmm.dmr.rxtimestampf', (r) => cfm(r).rxTimestampf],
  ['cfm.dmm.dmr.txtimestampb', (r) => cfm(r).txTimestampb], ['cfm.dmm.dmr.rxtimestampb', (r) => cfm(r).rxTimestampb],
  ['cfm.slm.src_mep_id', only([54, 55], (c) => c.srcMepId)], ['cfm.slr.rsp_mep_id', only([54, 55], (c) => c.rspMepId)],
  ['cfm.slm.test_id', only([54, 55], (c) => c.testId), hexNum], ['cfm.slm.txfcf', only([54, 55], (c) => c.txFCf)],
  ['cfm.slr.txfcb', only([54, 55], (c) => c.txFCb)],
  ['cfm.osl.src_mep_id', only([53], (c) => c.srcMepId)], ['cfm.osl.test_id', only([53], (c) => c.testId), hexNum],
  ['cfm.osl.txfcf', only([53], (c) => c.txFCf)],
];

/**
 * Compares layer `kind`'s Repr with tshark's fields on every packet of `file` that has it, is wholly
 * captured and is not left out by `skip`; at least `minPackets` packets and `perPacket` fields each.
 */
function expectReprLikeTshark(file: string, kind: Layer, fields: Field[], minPackets: number, perPacket: number, skip: (row: string[]) => boolean = () => false): void {
  let packets = 0;
  let checked = 0;
  for (const pkt of withTshark(join(DIR, file), fields)) {
    const i = pkt.parser.find(kind);
    // tshark shows part of a header the capture cuts
    if (i < 0 || pkt.capLen < pkt.wireLen || skip(pkt.row)) continue;
    packets++;
    const { shown, diffs } = fieldDiffs(pkt, pkt.parser.repr(i) as R, fields);
    expect(diffs).toEqual([]);
    checked += shown;
  }
  expect(packets).toBeGreaterThan(minPackets);
  expect(checked).toBeGreaterThan(packets * perPacket);
}

describe('LAN protocols (4): Y.1731 Repr fields equal tshark\'s', () => {
  // the LLC frame behind a VLAN tag has no CFM layer
  it(`lan4-y1731.pcap: ${Y1731_FIELDS.length} fields per packet`, () => expectReprLikeTshark('lan4-y1731.pcap', Layer.Cfm, Y1731_FIELDS, 28, 6));
});

const tipc = (r: R): TipcRepr => r as unknown as TipcRepr;
/** A field of a data message (users 0-3), which tshark decodes as one. */
const data = (pick: (t: TipcRepr) => unknown) => (r: R): unknown => (tipc(r).user <= 3 ? pick(tipc(r)) : SKIP);
const TIPC_FIELDS: Field[] = [
  ['tipc.ver', (r) => tipc(r).version], ['tipc.usr', (r) => tipc(r).user], ['tipc.hdr_size', (r) => tipc(r).headerSize],
  ['tipc.msg_size', (r) => tipc(r).messageSize], ['tipc.org_port', data((t) => t.origPort)], ['tipc.dst_port', data((t) => t.destPort)],
  // tshark shows the message type of version 2 data messages only
  ['tipc.data_type', data((t) => (t.version === 2 ? t.messageType : SKIP))],
];

describe('LAN protocols (4): TIPC Repr fields equal tshark\'s', () => {
  // tshark leaves the name distributor's, connection manager's and unknown users' headers out
  it(`lan4-ether.pcap: ${TIPC_FIELDS.length} fields per packet`, () => expectReprLikeTshark('lan4-ether.pcap', Layer.Tipc, TIPC_FIELDS, 10, 4, (row) => row[0] === ''));
});

/** Filter primitives whose selection on the fixtures must equal libpcap's. */
const EXPRESSIONS = [
  'ether proto 0x88e5', 'not ether proto 0x88e5', 'ip', 'arp', 'vlan', 'vlan and ether proto 0x88e5',
  'ether proto 0x88e5 and ether src 02:00:00:00:00:01', 'ether proto 0x88e5 and ether[14] & 0x0c != 0', 'ether[14] & 0x20 = 0x20',
  'ether proto 0x8902', 'vlan and ether proto 0x8902', 'ether proto 0x8902 and ether[15] = 43', 'ether dst 01:80:c2:00:00:35', 'ether multicast',
  'mopdl', 'moprc', 'lat', 'sca', 'vlan and lat', 'decnet', 'ether proto 0x6004', 'llc', 'not llc', 'stp', 'ether proto 0x8870', 'ip',
  'ether proto 0x880b', 'vlan and ether proto 0x880b', 'ether proto 0x6558', 'udp', 'ether proto 0x88ca', 'vlan and ether proto 0x88ca',
];

describe('LAN protocols (4): the filter selects what libpcap selects', () => {
  for (const [file] of FILES) {
    it(`${file}: ${EXPRESSIONS.length} expressions`, () => {
      expect(expectFilterLikeLibpcap(join(DIR, file), EXPRESSIONS)).toBeGreaterThan(0);
    });
  }
});
