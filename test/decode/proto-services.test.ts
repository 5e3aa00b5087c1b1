/**
 * Service protocols (DHCPv6, mDNS, NBNS, SNMP, syslog, RADIUS, TFTP, SSH, TLS, QUIC) and tunnels (VXLAN-GPE, IKE, L2TP, PPTP) against the
 * reference tools at test time, on fixtures/proto/svc-*.pcap and tun-*.pcap (crafted, and real TLS handshakes): every printed line against
 * `tcpdump -n` at -n, -v and -vv (the share of identical lines per file is printed), and each
 * protocol's Repr fields against tshark's.
 */
import { describe, expect, it } from 'vitest';
import { basename, join } from 'node:path';
import { compareLines, tcpdumpLines, tscapLines } from './compare.js';
import { ROOT } from './fixtures.js';
import { readPcap } from './pcap-read.js';
import { findAll, tsharkPackets, type OJson } from './tshark.js';
import { LayerParser, Layer } from '../../src/decode/index.js';

process.env.TZ = 'UTC';

const FILES = [
  ...['dhcp6', 'mdns', 'nbns', 'snmp', 'snmp-cut', 'syslog', 'radius', 'tftp', 'ssh', 'tls', 'quic'].map((n) => `svc-${n}`),
  ...['vxlangpe', 'ike'].map((n) => `tun-${n}`),
  'svc-dhcp6-live',
  'tun-l2tp',
  'tun-pptp',
].map((n) => join(ROOT, 'fixtures', 'proto', `${n}.pcap`));

/** Least share of identical lines per file and level: what is left are the gaps the README lists. */
const FLOOR = 0.9;
/** Files and levels allowed below FLOOR (none: tun-ike.pcap's ISAKMP payload trees print since proto-ike.test.ts). */
const FLOOR_AT: Readonly<Record<string, number>> = {};

describe('service protocols print as tcpdump 4.99 does', () => {
  const levels: Array<[string, string[], number]> = [['-n', [], 0], ['-n -v', ['-v'], 1], ['-n -vv', ['-vv'], 2]];
  for (const [name, flags, verbose] of levels) {
    it(`${name}: each file at least ${FLOOR * 100}% identical lines`, () => {
      const report: string[] = [];
      let total = 0;
      let same = 0;
      for (const f of FILES) {
        const c = compareLines(tscapLines(f, { verbose }), tcpdumpLines(f, flags));
        report.push(`${basename(f).padEnd(22)} ${c.same}/${c.total}`);
        for (const d of c.diffs.slice(0, 2)) report.push(`    ours:   ${d.ours}\n    theirs: ${d.theirs}`);
        expect(c.total, basename(f)).toBeGreaterThan(0);
        expect(c.same / c.total, basename(f)).toBeGreaterThanOrEqual(FLOOR_AT[`${basename(f)} ${verbose}`] ?? FLOOR);
        total += c.total;
        same += c.same;
      }
      console.log(`tcpdump ${name}: ${same}/${total} identical lines\n  ${report.join('\n  ')}`);
    });
  }
});

const num = (v: OJson | undefined): number | undefined => (typeof v === 'string' ? Number(v) : undefined);

/** Each packet's Repr of layer `kind` (undefined where the packet has none), in file order. */
function reprs(file: string, kind: number): Array<Record<string, unknown> | undefined> {
  const p = new LayerParser();
  return readPcap(file).packets.map((q) => {
    p.decode(q.buf, q.offset, q.capLen, q.linkType);
    const i = p.find(kind);
    return i < 0 ? undefined : (p.repr(i) as Record<string, unknown>);
  });
}

/** Compares field pairs packet by packet; returns the number of comparisons made. */
function against(file: string, kind: number, pick: (r: Record<string, unknown>, t: OJson) => Array<[string, unknown, unknown]>): number {
  const ours = reprs(file, kind);
  const theirs = tsharkPackets(file);
  expect(ours.length).toBe(theirs.length);
  let checked = 0;
  const bad: string[] = [];
  ours.forEach((r, k) => {
    if (!r) return;
    for (const [field, a, b] of pick(r, theirs[k]!)) {
      checked++;
      if (JSON.stringify(a) !== JSON.stringify(b)) bad.push(`${basename(file)}#${k} ${field}: ours ${JSON.stringify(a)} tshark ${JSON.stringify(b)}`);
    }
  });
  expect(bad).toEqual([]);
  return checked;
}

describe('service protocol Reprs agree with tshark', () => {
  it('DHCPv6 (crafted, and real dnsmasq replies): message type, transaction id, relay addresses, option codes', () => {
    const n = [FILES[0]!, FILES[13]!].reduce((sum, f) => sum + against(f, Layer.Dhcp6, (r, t) => {
      const out: Array<[string, unknown, unknown]> = [['msgType', r.msgType, num(findAll(t, 'dhcpv6.msgtype')[0])]];
      if (r.xid !== undefined) out.push(['xid', r.xid, num(findAll(t, 'dhcpv6.xid')[0])]);
      if (r.linkAddr !== undefined) {
        out.push(['linkAddr', r.linkAddr, findAll(t, 'dhcpv6.linkaddr')[0]]);
        out.push(['peerAddr', r.peerAddr, findAll(t, 'dhcpv6.peeraddr')[0]]);
      }
      // tshark lists nested options too: ours are the top-level ones, in order, among them
      const codes = (r.options as Array<{ code: number }>).map((o) => o.code);
      const all = findAll(t, 'dhcpv6.option.type').map(num);
      out.push(['options ⊆ tshark', codes.every((c) => all.includes(c)), true]);
      return out;
    }), 0);
    expect(n).toBeGreaterThan(45);
  });

  it('syslog: facility, severity, message', () => {
    const n = against(FILES[5]!, Layer.Syslog, (r, t) => {
      const f = num(findAll(t, 'syslog.facility')[0]);
      if (f === undefined) return [];
      return [['facility', r.facility, f], ['severity', r.severity, num(findAll(t, 'syslog.level')[0])], ['msg', r.msg, findAll(t, 'syslog.msg')[0]]];
    });
    expect(n).toBeGreaterThanOrEqual(12);
  });

  it('TFTP: opcode, file names, block numbers', () => {
    const n = against(FILES[7]!, Layer.Tftp, (r, t) => {
      const out: Array<[string, unknown, unknown]> = [['opcode', r.opcode, num(findAll(t, 'tftp.opcode')[0])]];
      if (r.opcode === 1) out.push(['filename', r.filename, findAll(t, 'tftp.source_file')[0]]);
      if (r.opcode === 2) out.push(['filename', r.filename, findAll(t, 'tftp.destination_file')[0]]);
      if (r.block !== undefined) out.push(['block', r.block, num(findAll(t, 'tftp.block')[0])]);
      if (r.mode !== undefined) out.push(['mode', r.mode, findAll(t, 'tftp.type')[0]]);
      if (r.errorCode !== undefined) {
        out.push(['errorCode', r.errorCode, num(findAll(t, 'tftp.error.code')[0])]);
        out.push(['errorMsg', r.errorMsg, findAll(t, 'tftp.error.message')[0]]);
      }
      return out;
    });
    expect(n).toBeGreaterThanOrEqual(10);
  });

  it('RADIUS: code, identifier, length, authenticator, attribute types', () => {
    const n = against(FILES[6]!, Layer.Radius, (r, t) => {
      const types = (r.attributes as Array<{ type: number }>).map((a) => a.type);
      return [
        ['code', r.code, num(findAll(t, 'radius.code')[0])],
        ['id', r.id, num(findAll(t, 'radius.id')[0])],
        ['len', r.len, num(findAll(t, 'radius.length')[0])],
        ['authenticator', r.authenticator, (findAll(t, 'radius.authenticator')[0] as string).replace(/:/g, '')],
        ['attributes', types, findAll(t, 'radius.avp.type').map(num)],
      ];
    });
    expect(n).toBeGreaterThanOrEqual(30);
  });

  it('SNMP: version, community, request id, variable names', () => {
    const n = against(FILES[3]!, Layer.Snmp, (r, t) => {
      const v = num(findAll(t, 'snmp.version')[0]);
      if (v === undefined || r.pduType === undefined) return [];
      const out: Array<[string, unknown, unknown]> = [['version', r.version, v], ['community', r.community, findAll(t, 'snmp.community')[0]]];
      if (r.requestId !== undefined) out.push(['requestId', r.requestId, num(findAll(t, 'snmp.request_id')[0])]);
      out.push(['oids', (r.varbinds as Array<{ oid: string }>).map((x) => x.oid), findAll(t, 'snmp.name')]);
      return out;
    });
    expect(n).toBeGreaterThanOrEqual(30);
  });

  it('SSH: the identification line', () => {
    const n = against(FILES[8]!, Layer.Ssh, (r, t) => {
      const proto = findAll(t, 'ssh.protocol')[0];
      // tshark reads lines only until it has seen both sides' (later packets count as encrypted)
      return proto === undefined ? [] : [['banner', r.banner, proto]];
    });
    expect(n).toBe(2);
  });

  it('TLS (real openssl handshakes): record header, handshake type, ClientHello SNI and ALPN', () => {
    let hellos = 0;
    const n = against(FILES[9]!, Layer.Tls, (r, t) => {
      if (r.length === 0) return [];
      const out: Array<[string, unknown, unknown]> = [
        // TLS 1.3 protected records: tshark names the outer type opaque_type
        ['contentType', r.contentType, num(findAll(t, 'tls.record.content_type')[0] ?? findAll(t, 'tls.record.opaque_type')[0])],
        ['version', r.version, num(findAll(t, 'tls.record.version')[0])],
        ['length', r.length, num(findAll(t, 'tls.record.length')[0])],
      ];
      if (r.handshakeType === 1) {
        hellos++;
        out.push(['handshakeType', r.handshakeType, num(findAll(t, 'tls.handshake.type')[0])]);
        out.push(['serverName', r.serverName, findAll(t, 'tls.handshake.extensions_server_name')[0]]);
        out.push(['alpn', r.alpn, findAll(t, 'tls.handshake.extensions_alpn_str')]);
      }
      return out;
    });
    expect(hellos).toBe(2);
    expect(n).toBeGreaterThan(20);
  });

  it('QUIC: header form, version, long packet type, connection ids', () => {
    const hex = (v: OJson | undefined): string | undefined => (typeof v === 'string' ? v.replace(/:/g, '') : undefined);
    const n = against(FILES[10]!, Layer.Quic, (r, t) => {
      const form = num(findAll(t, 'quic.header_form')[0]);
      if (form === undefined) return [];
      const out: Array<[string, unknown, unknown]> = [['longHeader', r.longHeader, form === 1]];
      if (!r.longHeader) return out;
      out.push(['version', r.version, num(findAll(t, 'quic.version')[0])]);
      out.push(['dcid', r.dcid, hex(findAll(t, 'quic.dcid')[0])]);
      out.push(['scid', r.scid, hex(findAll(t, 'quic.scid')[0]) ?? '']);
      if (r.version !== 0) out.push(['packetType', r.packetType, num(findAll(t, 'quic.long.packet_type')[0] ?? findAll(t, 'quic.long.packet_type_v2')[0])]);
      return out;
    });
    expect(n).toBeGreaterThanOrEqual(25);
  });

  it('VXLAN-GPE: flags, next protocol, VNI', () => {
    const n = against(FILES[11]!, Layer.VxlanGpe, (r, t) => {
      const vni = num(findAll(t, 'vxlan.vni')[0]);
      if (vni === undefined) return [];
      return [['flags', r.flags, num(findAll(t, 'vxlan.flags')[0])], ['nextProtocol', r.nextProtocol, num(findAll(t, 'vxlan.next_proto')[0])], ['vni', r.vni, vni]];
    });
    expect(n).toBe(15);
  });

  it('IKE: SPIs, version, exchange type, flags, message id, length, first payload', () => {
    const hex = (v: OJson | undefined): string | undefined => (typeof v === 'string' ? v.replace(/:/g, '') : undefined);
    const n = against(FILES[12]!, Layer.Ike, (r, t) => {
      const spi = hex(findAll(t, 'isakmp.ispi')[0]);
      if (spi === undefined || r.length === 0) return [];
      const out: Array<[string, unknown, unknown]> = [
        ['initiatorSpi', r.initiatorSpi, spi],
        ['responderSpi', r.responderSpi, hex(findAll(t, 'isakmp.rspi')[0])],
        ['version', r.version, `${num(findAll(t, 'isakmp.mjver')[0])}.${num(findAll(t, 'isakmp.mnver')[0])}`],
        ['flags', r.flags, num(findAll(t, 'isakmp.flags')[0])],
        ['messageId', r.messageId, num(findAll(t, 'isakmp.messageid')[0])],
        ['length', r.length, num(findAll(t, 'isakmp.length')[0])],
      ];
      const et = num(findAll(t, 'isakmp.exchangetype')[0]);
      if (et !== undefined) out.push(['exchangeType', r.exchangeType, et]);
      const first = (r.payloads as number[])[0];
      if (first !== undefined) out.push(['first payload', first, num(findAll(t, 'isakmp.nextpayload')[0])]);
      return out;
    });
    expect(n).toBeGreaterThanOrEqual(70);
  });

  it('L2TP: type, version, tunnel and session ids, sequence numbers, message type, AVP types', () => {
    const n = against(FILES[14]!, Layer.L2tp, (r, t) => {
      const tunnel = num(findAll(t, 'l2tp.tunnel')[0]);
      if (tunnel === undefined) return [];
      const out: Array<[string, unknown, unknown]> = [
        ['control', r.control, num(findAll(t, 'l2tp.type')[0]) === 1],
        ['version', r.version, num(findAll(t, 'l2tp.version')[0])],
        ['tunnelId', r.tunnelId, tunnel],
        ['sessionId', r.sessionId, num(findAll(t, 'l2tp.session')[0])],
      ];
      if (r.length !== undefined) out.push(['length', r.length, num(findAll(t, 'l2tp.length')[0])]);
      if (r.ns !== undefined) out.push(['ns', r.ns, num(findAll(t, 'l2tp.Ns')[0])], ['nr', r.nr, num(findAll(t, 'l2tp.Nr')[0])]);
      if (r.msgType !== undefined) out.push(['msgType', r.msgType, num(findAll(t, 'l2tp.avp.message_type')[0])]);
      // IETF AVPs only (tshark names a vendor AVP's type differently), up to a hidden one (tshark shows no type for it)
      const types = findAll(t, 'l2tp.avp.type').map(num);
      if (r.avps !== undefined && types.length > 0) out.push(['avps', (r.avps as number[]).filter((x) => x < 65536).slice(0, types.length), types]);
      return out;
    });
    expect(n).toBeGreaterThanOrEqual(60);
  });

  it('PPTP: length, message type, magic cookie, control message type', () => {
    const n = against(FILES[15]!, Layer.Pptp, (r, t) => {
      const len = num(findAll(t, 'pptp.length')[0]);
      if (len === undefined) return [];
      return [
        ['length', r.length, len], ['messageType', r.messageType, num(findAll(t, 'pptp.type')[0])],
        ['magicCookie', r.magicCookie, num(findAll(t, 'pptp.magic_cookie')[0])], ['controlType', r.controlType, num(findAll(t, 'pptp.control_message_type')[0])],
      ];
    });
    expect(n).toBe(68);
  });
});
