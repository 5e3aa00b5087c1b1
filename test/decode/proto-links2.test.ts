/**
 * PIMv1 inside IGMP, Cisco auto-RP, IPX, DECnet and AppleTalk carried by PPP, Cisco HDLC and Frame Relay,
 * LocalTalk, and IPv6 routing headers, on the crafted captures fixtures/proto/links2-*.pcap (gen_links2.py): every printed line
 * against tcpdump 4.99 at -n, -v, -vv, -e and -x, the Repr fields against tshark's, and the filter
 * compiler's selection against libpcap's (`tcpdump -r F -w - EXPR`), all run at test time.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from './fixtures.js';
import { readPcap } from './pcap-read.js';
import { compileFilter } from '../../src/filter/index.js';
import { type Field, levels, SKIP, expectFilterLikeLibpcap, expectReprLikeTshark, expectTcpdumpLines } from './proto-oracle.js';
import { Layer, type LayerParser } from '../../src/decode/index.js';
import type { IgmpRepr } from '../../src/decode/igmp.js';
import type { AutoRpRepr, Pimv1Repr } from '../../src/decode/pim.js';
import type { IpxRepr } from '../../src/decode/ipx.js';
import type { DdpRepr, LlapRepr } from '../../src/decode/ddp.js';
import type { DecnetRepr } from '../../src/decode/decnet.js';

process.env.TZ = 'UTC';
const DIR = join(ROOT, 'fixtures', 'proto');

const FILES: Array<[string, string]> = [
  ['links2-pimv1.pcap', 'PIMv1 in IGMP: query, register, register-stop, join/prune, RP reachability, assert, graft, graft-ack'],
  ['links2-autorp.pcap', 'Cisco auto-RP announcements and mappings'],
  ['links2-ppp.pcap', 'IPX on PPP (DECnet and AppleTalk in hex, as tcpdump shows them)'],
  ['links2-ppp-hdlc.pcap', 'IPX on PPP in HDLC framing; Cisco HDLC frames in it'],
  ['links2-chdlc.pcap', 'IPX, DECnet, AppleTalk and AARP EtherTypes on Cisco HDLC (named, not decoded, as by tcpdump)'],
  ['links2-frelay.pcap', 'IPX, DECnet, AppleTalk and AARP on Frame Relay: Cisco EtherType encapsulation and RFC 2427 SNAP'],
  ['links2-ltalk.pcap', 'LocalTalk: LLAP with extended and short DDP (NBP, ATP), control frames'],
  ['links2-ip6rt.pcap', 'IPv6 routing headers (types 0, 2, 4): their text, and upper-layer checksums over the final destination'],
  ['links2-dvmrp.pcap', 'DVMRP in IGMP (probe, report, mrinfo\'s neighbour queries and replies, prune, graft) and multicast traceroute'],
  ['links2-icmp6.pcap', 'ICMPv6 types tcpdump prints in hex (mtrace, unnamed), a short parameter problem'],
  ['links2-frelay-cisco.pcap', 'CDP, DTP, UDLD, VTP and PVST+ under RFC 2427 SNAP on Frame Relay'],
];
const LEVELS = levels([], ['-v'], ['-vv'], ['-e'], ['-x']);

describe('links (2): text equals tcpdump\'s', () => {
  for (const [file, name] of FILES) {
    it(`${name} (${file}): every line at -n, -v, -vv, -e, -x`, () => {
      console.log(`${name}: ${expectTcpdumpLines(join(DIR, file), LEVELS)}`);
    });
  }
});

type R = Record<string, unknown>;
type Pkt = { row: string[]; capLen: number; wireLen: number };
const igmp = (r: R): IgmpRepr => r as unknown as IgmpRepr;
const v1 = (r: R): Pimv1Repr | undefined => igmp(r).pimv1;
/** Every group's field, joined as tshark joins every occurrence. */
const groups = (k: 'group' | 'mask' | 'joins' | 'prunes') => (r: R): unknown => v1(r)?.groups?.map((g) => g[k]).join(',') || undefined;
/** A PIMv1 field, for the codes tshark decodes it at (its assert is read at other offsets). */
const only = (codes: number[], pick: (p: Pimv1Repr) => unknown) => (r: R): unknown => {
  const p = v1(r);
  return p && codes.includes(p.type) ? pick(p) : p ? undefined : SKIP;
};
/** A join/prune, graft or graft-ack whose groups fill the message exactly (tshark shows part of others). */
const wellFormed = (r: R, ipPayload: number): boolean => {
  const p = v1(r);
  if (!p?.groups) return true;
  return p.groups.reduce((n, g) => n + 12 + 6 * (g.joins + g.prunes), 20) === ipPayload;
};

/** The IPv4 payload length of the packet (-1 without IPv4). */
const ipPayload = (p: LayerParser): number => {
  const ip = p.find(Layer.Ipv4);
  const r = ip >= 0 ? (p.repr(ip) as { len: number; hdrLen: number }) : undefined;
  return r ? r.len - r.hdrLen : -1;
};

const ipx = (r: R): IpxRepr => r as unknown as IpxRepr;
const dn = (r: R): DecnetRepr => r as unknown as DecnetRepr;
const ddp = (r: R): DdpRepr => r as unknown as DdpRepr;
const llap = (r: R): LlapRepr => r as unknown as LlapRepr;

const ar = (r: R): AutoRpRepr => r as unknown as AutoRpRepr;
const rps = (f: (rp: AutoRpRepr['rps'][number]) => unknown) => (r: R): unknown => ar(r).rps.map(f).join(',') || undefined;
const rpGroups = (f: (g: AutoRpRepr['rps'][number]['groups'][number]) => unknown) => (r: R): unknown => ar(r).rps.flatMap((rp) => rp.groups.map(f)).join(',') || undefined;

const FIELDS: Array<{ file: string; kind: number; fields: Field[]; minPackets: number; decoded: (r: R, pkt: Pkt, ipPayload: number) => boolean }> = [
  {
    // a capture cut short or a version other than 1 is shown in part by tshark; other IGMP types
    // compare their type and checksum
    file: 'links2-pimv1.pcap', kind: Layer.Igmp, minPackets: 20,
    decoded: (r, { capLen, wireLen }, n) => capLen === wireLen && (v1(r) === undefined || (v1(r)!.version === 1 && wellFormed(r, n))),
    fields: [
      ['igmp.type', (r) => (v1(r) ? undefined : (r as unknown as IgmpRepr).type)],
      ['igmp.checksum', (r) => (v1(r) ? undefined : (r as unknown as IgmpRepr).checksum)],
      ['pim.version', (r) => v1(r)?.version], ['pim.code', (r) => v1(r)?.type], ['pim.cksum', (r) => (v1(r) ? (r as unknown as IgmpRepr).checksum : undefined)],
      ['pim.mode', (r) => v1(r)?.mode],
      ['pim.holdtime', (r) => v1(r)?.holdtime],
      ['pim.group', (r) => (v1(r)?.groups ? groups('group')(r) : only([2], (p) => p.group)(r))],
      ['pim.group_mask', (r) => (v1(r)?.groups ? groups('mask')(r) : v1(r)?.groupMask)],
      ['pim.group_address', only([4, 5], (p) => p.group)],
      ['pim.source', only([2], (p) => p.source)], ['pim.rp', (r) => v1(r)?.rp],
      ['pim.upstream_neighbor', (r) => v1(r)?.upstream], ['pim.numgroups', (r) => v1(r)?.numGroups],
      ['pim.numjoins', groups('joins')], ['pim.numprunes', groups('prunes')],
    ],
  },
  {
    // tshark shows nothing for an empty payload and the header of one shorter than 8 bytes; cut captures are skipped
    file: 'links2-autorp.pcap', kind: Layer.AutoRp, minPackets: 6,
    decoded: (r, { capLen, wireLen, row }) => capLen === wireLen && row[0] !== '' && ar(r).version !== 0,
    fields: [
      ['auto_rp.version', (r) => ar(r).version], ['auto_rp.type', (r) => ar(r).type], ['auto_rp.rp_count', (r) => ar(r).rpCount],
      ['auto_rp.holdtime', (r) => ar(r).holdtime], ['auto_rp.rp_addr', rps((rp) => rp.addr)], ['auto_rp.pim_ver', rps((rp) => rp.pimVersion)],
      ['auto_rp.group_num', rps((rp) => rp.groups.length)], ['auto_rp.prefix_sign', rpGroups((g) => Number(g.negative))],
      ['auto_rp.mask_len', rpGroups((g) => g.maskLen)], ['auto_rp.group_prefix', rpGroups((g) => g.prefix)],
    ],
  },
  {
    // DVMRP under tshark's `dvmrp`, multicast traceroute under `igmp`; tshark reads a report's routes as
    // sources (not compared) and shows part of a query shorter than 24 bytes
    file: 'links2-dvmrp.pcap', kind: Layer.Igmp, minPackets: 15,
    decoded: (r, { capLen, wireLen }, n) => capLen === wireLen && !(igmp(r).type >= 0x1e && n < 24),
    fields: [
      ['igmp.type', (r) => (igmp(r).mtrace ? igmp(r).type : undefined)], ['dvmrp.type', (r) => (igmp(r).dvmrp ? igmp(r).type : undefined)],
      ['dvmrp.v3.code', (r) => igmp(r).dvmrp?.code], ['dvmrp.maj_ver', (r) => igmp(r).dvmrp?.majorVersion], ['dvmrp.min_ver', (r) => igmp(r).dvmrp?.minorVersion],
      ['dvmrp.genid', (r) => igmp(r).dvmrp?.genid], ['dvmrp.neighbor', (r) => igmp(r).dvmrp?.neighbors?.join(',') || undefined],
      ['dvmrp.saddr', (r) => (igmp(r).dvmrp?.code === 2 ? SKIP : igmp(r).dvmrp?.source)], ['dvmrp.maddr', (r) => igmp(r).dvmrp?.group],
      ['dvmrp.lifetime', (r) => igmp(r).dvmrp?.lifetime],
      ['igmp.mtrace.q_id', (r) => igmp(r).mtrace?.qid], ['igmp.mtrace.saddr', (r) => igmp(r).mtrace?.source], ['igmp.mtrace.raddr', (r) => igmp(r).mtrace?.destination],
      ['igmp.mtrace.rspaddr', (r) => igmp(r).mtrace?.responseAddr], ['igmp.mtrace.resp_ttl', (r) => igmp(r).mtrace?.responseTtl],
    ],
  },
  // IPX on PPP and Frame Relay: the header (SAP, RIP and the rest are compared on Ethernet in proto-lan2)
  ...(['links2-ppp.pcap', 'links2-ppp-hdlc.pcap', 'links2-chdlc.pcap', 'links2-frelay.pcap'] as const).map((file) => ({
    file, kind: Layer.Ipx, minPackets: { 'links2-ppp-hdlc.pcap': 2, 'links2-chdlc.pcap': 1 }[file as string] ?? 10,
    // tshark shows no IPX header whose length is below 30
    decoded: (r: R, { capLen, wireLen }: Pkt) => capLen === wireLen && ipx(r).length >= 30,
    fields: [
      ['ipx.len', (r) => ipx(r).length], ['ipx.hops', (r) => ipx(r).hops], ['ipx.packet_type', (r) => ipx(r).packetType],
      ['ipx.dst.socket', (r) => ipx(r).dstSocket], ['ipx.src.socket', (r) => ipx(r).srcSocket],
      ['ipx.dst.net', (r) => `0x${ipx(r).dst.slice(0, 8)}`], ['ipx.src.node', (r) => ipx(r).src.slice(9)],
    ] as Field[],
  })),
  {
    // DECnet after Frame Relay's EtherType: the routing header and the NSP message type (the rest in proto-lan3)
    file: 'links2-frelay.pcap', kind: Layer.Decnet, minPackets: 8,
    decoded: (r: R, { capLen, wireLen }: Pkt) => capLen === wireLen,
    fields: [['dec_dna.flags', (r) => dn(r).flags], ['dec_dna.nsp.msg_type', (r) => dn(r).nsp?.msgFlags], ['dec_dna.nsp.segnum', (r) => dn(r).nsp?.segnum]] as Field[],
  },
  // AppleTalk DDP after Cisco HDLC, Frame Relay (EtherType and SNAP) and LocalTalk's type 2
  ...(['links2-chdlc.pcap', 'links2-frelay.pcap', 'links2-ltalk.pcap'] as const).map((file) => ({
    file, kind: Layer.Ddp, minPackets: file === 'links2-chdlc.pcap' ? 0 : 10,
    // tshark reads AppleTalk's SNAP (08-00-07/809b) as LLAP, and shows nothing of a header shorter than 13
    // bytes; an NBP header cut short is shown in part
    decoded: (r: R, { capLen, wireLen, row }: Pkt) => capLen === wireLen && row[1] !== '' && !(ddp(r).type === 2 && ddp(r).nbp === undefined),
    fields: [
      ['ddp.len', (r) => ddp(r).length], ['ddp.type', (r) => ddp(r).type], ['ddp.dst.net', (r) => ddp(r).dstNet], ['ddp.src.net', (r) => ddp(r).srcNet],
      ['ddp.dst_socket', (r) => ddp(r).dstSocket], ['ddp.src_socket', (r) => ddp(r).srcSocket],
      ['nbp.op', (r) => ddp(r).nbp?.function], ['nbp.tid', (r) => ddp(r).nbp?.id], ['atp.function', (r) => ddp(r).atp?.function], ['atp.tid', (r) => ddp(r).atp?.tid],
    ] as Field[],
  })),
  {
    // LLAP, and a short DDP header (an extended one is compared as ddp above)
    file: 'links2-ltalk.pcap', kind: Layer.Llap, minPackets: 20,
    // (a short DDP header cut short is shown in part by tshark)
    decoded: (r: R, { capLen, wireLen }: Pkt) => capLen === wireLen && capLen >= 3 && !(llap(r).type === 1 && llap(r).shortDdp === undefined),
    fields: [
      ['llap.dst', (r) => llap(r).dst], ['llap.src', (r) => llap(r).src], ['llap.type', (r) => llap(r).type],
      ['ddp.len', (r) => (llap(r).type === 2 ? SKIP : llap(r).shortDdp?.length)], ['ddp.type', (r) => (llap(r).type === 2 ? SKIP : llap(r).shortDdp?.type)],
      ['ddp.dst_socket', (r) => (llap(r).type === 2 ? SKIP : llap(r).shortDdp?.dstSocket)], ['ddp.src_socket', (r) => (llap(r).type === 2 ? SKIP : llap(r).shortDdp?.srcSocket)],
    ] as Field[],
  },
];

describe('links (2): Repr fields equal tshark\'s', () => {
  for (const { file, kind, fields, minPackets, decoded } of FIELDS) {
    it(`${file}: ${fields.length} fields per packet`, () => {
      expectReprLikeTshark(join(DIR, file), kind, fields, minPackets, (r, pkt) => decoded(r, pkt, ipPayload(pkt.parser)));
    });
  }
});

/** Filter primitives whose selection must equal libpcap's, per capture (those libpcap compiles for its link type). */
const EXPRESSIONS: Array<[string, string[]]> = [
  ['links2-pimv1.pcap', ['igmp', 'pim', 'ip proto 2', 'udp port 496', 'ip multicast', 'ip[20] = 0x14']],
  ['links2-autorp.pcap', ['igmp', 'pim', 'udp port 496', 'udp src port 40000', 'ip multicast']],
  ['links2-ppp.pcap', ['ipx', 'decnet', 'atalk', 'ether proto 0x8137', 'ppp proto 0x2b', 'not ip']],
  ['links2-ppp-hdlc.pcap', ['ipx', 'decnet', 'atalk', 'ether proto 0x8137', 'ppp proto 0x2b']],
  ['links2-chdlc.pcap', ['ipx', 'decnet', 'atalk', 'aarp', 'ether proto 0x8137', 'ether proto 0x6003']],
  ['links2-frelay.pcap', ['ip', 'ip6', 'iso', 'not ip']],
  ['links2-ltalk.pcap', ['atalk', 'atalk or ip', 'link[2] = 1', 'link[2] = 2', 'len > 20']],
  ['links2-ip6rt.pcap', ['ip6', 'icmp6', 'ip6 protochain 58', 'ip6 protochain 17', 'ip6 protochain 6', 'ip6 dst 2001:db8::2']],
  ['links2-dvmrp.pcap', ['igmp', 'ip[20] = 0x13', 'ip[20] = 0x1f', 'dst 224.0.0.4', 'ip multicast']],
  ['links2-icmp6.pcap', ['icmp6', 'ip6[40] = 201', 'ip6[40] > 150', 'icmp6[0] = 4']],
];

describe('links (2): the filter selects what libpcap selects', () => {
  for (const [file, exprs] of EXPRESSIONS) {
    it(`${file}: ${exprs.join(', ')}`, () => {
      expect(expectFilterLikeLibpcap(join(DIR, file), exprs)).toBeGreaterThan(0);
    });
  }
});

/** Primitives libpcap compiles, for these link types, to a program that rejects every packet (tcpdump refuses to run it). */
const REJECT_ALL: Array<[string, string[]]> = [
  ['links2-frelay.pcap', ['ipx', 'decnet', 'atalk', 'aarp']],
  ['links2-ltalk.pcap', ['ip', 'ipx', 'decnet', 'aarp', 'not atalk']],
];

describe('links (2): what libpcap refuses as rejecting every packet, the compiler refuses too', () => {
  for (const [file, exprs] of REJECT_ALL) {
    it(`${file}: ${exprs.join(', ')}`, () => {
      const { linkType } = readPcap(join(DIR, file));
      for (const expr of exprs) {
        const r = spawnSync('tcpdump', ['-d', '-r', join(DIR, file), expr], { encoding: 'utf8' });
        expect(r.stderr, expr).toContain('expression rejects all packets');
        expect(() => compileFilter(expr, { linkType }), expr).toThrow('expression rejects all packets');
      }
    });
  }
});
