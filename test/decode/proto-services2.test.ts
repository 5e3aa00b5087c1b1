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
import { expectTcpdumpLines, levels, withTshark } from './proto-oracle.js';
import { Layer } from '../../src/decode/index.js';

process.env.TZ = 'UTC';
const DIR = join(ROOT, 'fixtures', 'proto');
const LEVELS = levels([], ['-v'], ['-vv'], ['-vvv']);

const FILES: Array<[string, string]> = [
  ['svc2-radius.pcap', 'RADIUS attribute values'],
  ['svc2-snmp3.pcap', 'SNMPv3 messages'],
  ['svc2-dhcp6.pcap', 'DHCPv6 options'],
  ['svc2-nsh.pcap', 'NSH over Ethernet and VXLAN-GPE'],
  ['svc2-l2tp-ppp.pcap', 'PPP control protocols and IP inside L2TP'],
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

  it('SNMPv3: msgGlobalData, USM parameters, scoped PDU (the well-formed messages)', () => {
    const hexOrEmpty = (x: unknown): string => (x === undefined ? '' : String(x));
    const fields = ['snmp.msgID', 'snmp.msgMaxSize', 'snmp.msgFlags', 'snmp.msgSecurityModel', 'snmp.msgAuthoritativeEngineID', 'snmp.msgAuthoritativeEngineBoots',
      'snmp.msgAuthoritativeEngineTime', 'snmp.msgUserName', 'snmp.contextEngineID', 'snmp.contextName', 'snmp.request_id', 'snmp.name'];
    let k = 0;
    const n = againstTshark('svc2-snmp3.pcap', Layer.Snmp, fields, (r, row) => {
      k++;
      // messages 11 to 25 are the malformed ones and the v1/v2c ones
      if (k > 10 && k < 26) return [];
      const out: Array<[string, unknown, unknown]> = [
        ['msgId', r.msgId, Number(row[0])], ['msgMaxSize', r.msgMaxSize, Number(row[1])], ['msgFlags', r.msgFlags, parseInt(row[2]!, 16)],
        ['securityModel', r.securityModel, Number(row[3])], ['engineBoots', r.engineBoots, Number(row[5])], ['engineTime', r.engineTime, Number(row[6])],
        ['userName', r.userName, row[7]],
      ];
      // tshark writes <MISSING> for an empty engine id
      if (row[4] !== '<MISSING>') out.push(['engineId', r.engineId, row[4]]);
      if (row[8] !== '' && row[8] !== '<MISSING>') out.push(['contextEngineId', r.contextEngineId, row[8]], ['contextName', hexOrEmpty(r.contextName), row[9]]);
      if (row[10] !== '') {
        out.push(['requestId', r.requestId, Number(row[10])]);
        out.push(['oids', (r.varbinds as Array<{ oid: string }>).map((x) => x.oid), row[11] ? row[11].split(',') : []]);
      } else out.push(['encrypted: no PDU', r.pduType, undefined]);
      return out;
    });
    expect(n).toBeGreaterThanOrEqual(100);
  });

  it('DHCPv6: message type, transaction id, relay addresses, top-level option codes among tshark\'s', () => {
    const n = againstTshark('svc2-dhcp6.pcap', Layer.Dhcp6, ['dhcpv6.msgtype', 'dhcpv6.xid', 'dhcpv6.linkaddr', 'dhcpv6.peeraddr', 'dhcpv6.option.type'], (r, row) => {
      const out: Array<[string, unknown, unknown]> = [['msgType', r.msgType, Number(row[0]!.split(',')[0])]];
      if (r.xid !== undefined) out.push(['xid', r.xid, Number(row[1]!.split(',')[0])]);
      else out.push(['linkAddr', r.linkAddr, row[2]!.split(',')[0]], ['peerAddr', r.peerAddr, row[3]!.split(',')[0]]);
      // tshark lists the nested options too: the top-level ones are among them, in order
      const all = nums(row[4]);
      let at = 0;
      const inOrder = (r.options as Array<{ code: number }>).every((o) => (at = all.indexOf(o.code, at)) >= 0 && ++at > 0);
      out.push(['options in tshark\'s order', inOrder, true]);
      return out;
    });
    expect(n).toBeGreaterThanOrEqual(35);
  });

  it('NSH: base header, service path, MD type 1 contexts, MD type 2 TLV headers', () => {
    const first = (x: string | undefined): string => (x ?? '').split(',')[0]!;
    const fields = ['nsh.version', 'nsh.Obit', 'nsh.ttl', 'nsh.length', 'nsh.mdtype', 'nsh.nextproto', 'nsh.spi', 'nsh.si', 'nsh.contextheader',
      'nsh.metadataclass', 'nsh.metadatatype', 'nsh.metadatalen'];
    const n = againstTshark('svc2-nsh.pcap', Layer.Nsh, fields, (r, row) => {
      const out: Array<[string, unknown, unknown]> = [
        ['version', r.version, Number(first(row[0]))], ['oam', r.oam, first(row[1]) === '1'], ['ttl', r.ttl, Number(first(row[2]))],
        ['length', r.length, Number(first(row[3]))], ['mdType', r.mdType, Number(first(row[4]))], ['nextProtocol', r.nextProtocol, Number(first(row[5]))],
        ['spi', r.spi, row[6] ? Number(first(row[6])) : undefined], ['si', r.si, row[7] ? Number(first(row[7])) : undefined],
      ];
      // tshark reads four MD type 1 context words whatever the length says: compared where the length is the RFC's 6
      if (r.mdType === 1 && r.length === 6) out.push(['contexts', r.contexts, row[8]!.split(',').slice(0, 4)]);
      const tlvs = (r.tlvs as Array<{ class: number; type: number; len: number }> | undefined) ?? [];
      if (r.mdType === 2 && r.version === 0) {
        out.push(['tlv classes', tlvs.map((t) => t.class), nums(row[9])], ['tlv types', tlvs.map((t) => t.type), nums(row[10])]);
        out.push(['tlv lengths', tlvs.map((t) => t.len), nums(row[11])]);
      }
      return out;
    });
    expect(n).toBeGreaterThanOrEqual(120);
  });

  it('PPP inside L2TP: protocol, code, identifier and length of LCP, PAP, CHAP, IPCP, IPV6CP, CCP; the IP carried', () => {
    const fields = ['ppp.protocol', 'ppp.code', 'ppp.identifier', 'ppp.length', 'chap.code', 'chap.identifier', 'pap.code', 'pap.identifier', 'ip.src', 'ipv6.src'];
    let ctl = 0;
    let ip = 0;
    for (const pkt of withTshark(join(DIR, 'svc2-l2tp-ppp.pcap'), fields.map((f) => [f, () => undefined] as const), true)) {
      // a Protocol-Reject carries the rejected packet: tshark lists its fields after the outer ones
      const row = pkt.row.map((x) => x.split(',')[0]!);
      const i = pkt.parser.find(Layer.PppCtl);
      if (i >= 0) {
        ctl++;
        const r = pkt.parser.repr(i) as Record<string, unknown>;
        expect(r.protocol, `packet ${pkt.n} protocol`).toBe(Number(row[0]));
        expect(r.code, `packet ${pkt.n} code`).toBe(Number(row[1] || row[4] || row[6]));
        expect(r.id, `packet ${pkt.n} identifier`).toBe(Number(row[2] || row[5] || row[7]));
        if (row[3]) expect(r.length, `packet ${pkt.n} length`).toBe(Number(row[3]));
      }
      // the outer header is IPv4 too: the inner one is the last tshark lists
      const j = pkt.parser.find(Layer.Ipv6);
      const inner4 = pkt.row[8]!.split(',');
      if (inner4.length > 1) {
        ip++;
        const k = pkt.parser.count - 1 - [...pkt.parser.kinds.slice(0, pkt.parser.count)].reverse().indexOf(Layer.Ipv4);
        expect((pkt.parser.repr(k) as Record<string, unknown>).src, `packet ${pkt.n} inner IPv4`).toBe(inner4[1]);
      } else if (row[9]) {
        ip++;
        expect(j, `packet ${pkt.n} inner IPv6`).toBeGreaterThan(0);
        expect((pkt.parser.repr(j) as Record<string, unknown>).src).toBe(row[9]);
      }
    }
    expect(ctl).toBe(27);
    expect(ip).toBe(5);
  });
});
