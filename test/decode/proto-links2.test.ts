/**
 * PIMv1 inside IGMP, Cisco auto-RP, and IPX, DECnet and AppleTalk carried by PPP, Cisco HDLC and Frame
 * Relay, on the crafted captures fixtures/proto/links2-*.pcap (gen_links2.py): every printed line
 * against tcpdump 4.99 at -n, -v, -vv and -e, the Repr fields against tshark's, and the filter
 * compiler's selection against libpcap's (`tcpdump -r F -w - EXPR`), all run at test time.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';
import { type Field, levels, SKIP, expectFilterLikeLibpcap, expectReprLikeTshark, expectTcpdumpLines } from './proto-oracle.js';
import { Layer, type LayerParser } from '../../src/decode/index.js';
import type { IgmpRepr } from '../../src/decode/igmp.js';
import type { AutoRpRepr, Pimv1Repr } from '../../src/decode/pim.js';

process.env.TZ = 'UTC';
const DIR = join(ROOT, 'fixtures', 'proto');

const FILES: Array<[string, string]> = [
  ['links2-pimv1.pcap', 'PIMv1 in IGMP: query, register, register-stop, join/prune, RP reachability, assert, graft, graft-ack'],
  ['links2-autorp.pcap', 'Cisco auto-RP announcements and mappings'],
];
const LEVELS = levels([], ['-v'], ['-vv'], ['-e']);

describe('links (2): text equals tcpdump\'s', () => {
  for (const [file, name] of FILES) {
    it(`${name} (${file}): every line at -n, -v, -vv, -e`, () => {
      console.log(`${name}: ${expectTcpdumpLines(join(DIR, file), LEVELS)}`);
    });
  }
});

type R = Record<string, unknown>;
type Pkt = { row: string[]; capLen: number; wireLen: number };
const v1 = (r: R): Pimv1Repr | undefined => (r as unknown as IgmpRepr).pimv1;
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
];

describe('links (2): Repr fields equal tshark\'s', () => {
  for (const { file, kind, fields, minPackets, decoded } of FIELDS) {
    it(`${file}: ${fields.length} fields per packet`, () => {
      expectReprLikeTshark(join(DIR, file), kind, fields, minPackets, (r, pkt) => decoded(r, pkt, ipPayload(pkt.parser)));
    });
  }
});

/** Filter primitives whose selection on the Ethernet captures must equal libpcap's. */
const ETHER_EXPRESSIONS = ['igmp', 'pim', 'ip proto 2', 'udp port 496', 'ip multicast', 'ip[20] = 0x14'];

describe('links (2): the filter selects what libpcap selects', () => {
  for (const file of ['links2-pimv1.pcap', 'links2-autorp.pcap']) {
    it(`${file}: ${ETHER_EXPRESSIONS.length} expressions`, () => {
      expect(expectFilterLikeLibpcap(join(DIR, file), ETHER_EXPRESSIONS)).toBeGreaterThan(0);
    });
  }
});
