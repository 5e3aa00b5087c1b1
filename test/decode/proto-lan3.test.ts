/**
 * DECnet Phase IV, AppleTalk DDP, AoE and MACsec on the crafted captures fixtures/proto/lan3-*.pcap
 * (gen_lan3.py), and the LAN protocols behind VLAN tags of lan-vlan.pcap (gen_lan_vlan.py): every printed line against tcpdump 4.99 at -n, -v, -vv, -e and -x, the Repr fields
 * against tshark's, and the filter compiler's selection against libpcap's (`tcpdump -r F -w - EXPR`),
 * all run at test time.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';
import { type Field, levels, SKIP, expectFilterLikeLibpcap, expectTcpdumpLines, fieldDiffs, withTshark } from './proto-oracle.js';
import { Layer, dnAddr } from '../../src/decode/index.js';
import type { DecnetRepr } from '../../src/decode/decnet.js';
import type { DdpRepr } from '../../src/decode/ddp.js';
import type { AoeRepr } from '../../src/decode/aoe.js';

process.env.TZ = 'UTC';
const DIR = join(ROOT, 'fixtures', 'proto');

const FILES: Array<[string, string]> = [
  ['lan3-decnet.pcap', 'DECnet routing and NSP messages'],
  ['lan3-ddp.pcap', 'AppleTalk DDP with NBP and ATP, on Ethernet and in SNAP'],
  ['lan3-ddp-arcnet.pcap', 'AppleTalk DDP on ARCNET'],
  ['lan3-aoe.pcap', 'ATA over Ethernet: ATA, query config, MAC mask and reserve/release commands'],
  // gen_lan_vlan.py: where --json places these layers after a tag (json-oracle.test.ts), the text too
  ['lan-vlan.pcap', 'IPX, CFM, CTP, DECnet, DDP, AoE and NSH behind 802.1Q and 802.1ad tags, IPX and DDP in LLC/SNAP behind a tag'],
];
const LEVELS = levels([], ['-v'], ['-vv'], ['-e'], ['-x']);

describe('LAN protocols (3): text equals tcpdump\'s', () => {
  for (const [file, name] of FILES) {
    it(`${name} (${file}): every line at -n, -v, -vv, -e, -x`, () => {
      console.log(`${name}: ${expectTcpdumpLines(join(DIR, file), LEVELS)}`);
    });
  }
});

type R = Record<string, unknown>;
const dn = (r: R): DecnetRepr => r as unknown as DecnetRepr;
/** tshark's 16-bit node address (0x0402) as `area.node`. */
const node = (hex: string): string => dnAddr(Number(hex));
/** tshark's DECnet Ethernet id (aa:00:04:00:02:04) as `area.node`: the last two bytes, little-endian. */
const ethId = (mac: string): string => {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  return dnAddr((b[4] ?? 0) | ((b[5] ?? 0) << 8));
};
const isLong = (r: R): boolean => (dn(r).flags & 7) === 6 && !(dn(r).flags & 1);
const isHello = (r: R): boolean => dn(r).control === 11 || dn(r).control === 13;
/** A retransmitted connect initiate: tshark decodes no fields after its NSP header. */
const rci = (r: R): boolean => dn(r).nsp?.msgFlags === 0x68;

/**
 * tshark's node addresses in order: a short data header's routing addresses, then the NSP link
 * address; a control message's source. Ours joined the same way.
 */
const nodes = (route: 'dst' | 'src', link: 'dstLink' | 'srcLink') => (r: R): unknown => {
  const d = dn(r);
  if (d.control !== undefined) return route === 'src' && !isHello(r) ? d.src : undefined;
  const parts: string[] = [];
  if (!isLong(r) && d[route] !== undefined) parts.push(d[route]);
  // tshark shows no link address in a no-operation message, no source in a connect acknowledgement
  const noSrc = d.nsp && (d.nsp.msgFlags === 0x08 || (link === 'srcLink' && d.nsp.msgFlags === 0x24));
  if (d.nsp && !noSrc && d.nsp[link] !== undefined) parts.push(String(d.nsp[link]));
  return parts.length ? parts.join(',') : undefined;
};
const tsharkNodes = (isShort: boolean) => (all: string): string => all.split(',').map((h, k) => (k === 0 && isShort ? node(h) : String(Number(h)))).join(',');

const ddpOf = (r: R): DdpRepr => r as unknown as DdpRepr;
const aoeOf = (r: R): AoeRepr => r as unknown as AoeRepr;
/** A value of the ATA arguments, when decoded. */
const ata = (r: R, f: (a: NonNullable<AoeRepr['ata']>) => unknown): unknown => (aoeOf(r).ata ? f(aoeOf(r).ata!) : undefined);
/** One field of every NBP tuple, joined as tshark joins every occurrence. */
const tuples = (k: 'net' | 'node' | 'socket' | 'enumerator' | 'object' | 'type' | 'zone') => (r: R): unknown => {
  const ts = ddpOf(r).nbp?.tuples.map((t) => t[k]).filter((x) => x !== undefined);
  // tshark's text for empty names is empty, as for none
  return ts?.length && ts.join(',') !== '' ? ts.join(',') : undefined;
};
/** An ATP flag as tshark's boolean (tshark leaves the flags empty for an unknown function). */
const atpFlag = (r: R, k: 'xo' | 'eom' | 'sts'): unknown => {
  const a = ddpOf(r).atp;
  return a && a.function !== 0 ? Number(a[k]) : a ? SKIP : undefined;
};

const FIELDS: Array<{ file: string; kind: number; fields: Field[]; minPackets: number; decoded: (r: R, pkt: { row: string[]; capLen: number; wireLen: number }) => boolean }> = [
  {
    // tshark decodes a future-version packet and the unknown data types as data; it reads an
    // initialization message's block size one byte late; a packet cut by the capture or shorter than
    // its header is shown in part: those are not compared
    file: 'lan3-decnet.pcap', kind: Layer.Decnet, minPackets: 60,
    decoded: (r, { capLen, wireLen }) => capLen === wireLen && r.flags !== -1 && !((r.flags as number) & 0x40) && ((r.flags as number) & 1 ? true : [2, 6].includes((r.flags as number) & 7) && r.dst !== undefined) && (r.pktLen as number) >= 6,
    fields: [
      ['dec_dna.flags', (r) => dn(r).flags],
      ['dec_dna.dst.address', (r) => (isLong(r) ? dn(r).dst : undefined), ethId],
      ['dec_dna.src.addr', (r) => (isLong(r) ? dn(r).src : undefined), ethId],
      ['dec_dna.visit_cnt', (r) => (isLong(r) ? dn(r).visits : undefined)],
      ['dec_dna.nsp.msg_type', (r) => dn(r).nsp?.msgFlags],
      ['dec_dna.dst_node', nodes('dst', 'dstLink')],
      ['dec_dna.src_node', nodes('src', 'srcLink')],
      ['dec_dna.nsp.segnum', (r) => dn(r).nsp?.segnum],
      ['dec_dna.nsp.segsize', (r) => (rci(r) ? SKIP : dn(r).nsp?.segsize)],
      ['dec_dna.nsp.services', (r) => (rci(r) ? SKIP : dn(r).nsp?.services === undefined ? undefined : ((dn(r).nsp!.services! & 0x0c) >> 2))],
      ['dec_dna.nsp.info', (r) => (rci(r) ? SKIP : dn(r).nsp?.info)],
      ['dec_dna.nsp.disc_reason', (r) => dn(r).nsp?.reason],
      ['dec_dna.ctl.tiinfo', (r) => dn(r).info],
      ['dec_dna.ctl.blk_size', (r) => (dn(r).control === 1 ? SKIP : dn(r).blksize)],
      ['dec_dna.ctl.timer', (r) => (dn(r).control === 1 ? SKIP : dn(r).hello)],
      ['dec_dna.ctl.prio', (r) => dn(r).priority],
      ['dec_dna.ctl.id', (r) => (isHello(r) ? dn(r).src : undefined), ethId],
      ['dec_dna.ctl.iinfo.node_type', (r) => (isHello(r) ? (dn(r).info ?? 0) & 3 : undefined)],
    ],
  },
  ...(['lan3-ddp.pcap', 'lan3-ddp-arcnet.pcap'] as const).map((file) => ({
    // tshark reads EtherType 0x809b as LLAP: the datagrams in SNAP are compared (the generator writes
    // each Ethernet one again in SNAP), and those on ARCNET; an NBP header cut short is shown in part
    file, kind: Layer.Ddp, minPackets: file === 'lan3-ddp.pcap' ? 40 : 3,
    decoded: (r: R, { row }: { row: string[] }) => row[0] !== '' && !(r.type === 2 && ddpOf(r).nbp === undefined),
    fields: [
      ['ddp.type', (r) => ddpOf(r).type], ['ddp.hopcount', (r) => ddpOf(r).hops], ['ddp.len', (r) => ddpOf(r).length],
      ['ddp.checksum', (r) => ddpOf(r).checksum], ['ddp.dst.net', (r) => ddpOf(r).dstNet], ['ddp.src.net', (r) => ddpOf(r).srcNet],
      ['ddp.dst.node', (r) => ddpOf(r).dstNode], ['ddp.src.node', (r) => ddpOf(r).srcNode],
      ['ddp.dst_socket', (r) => ddpOf(r).dstSocket], ['ddp.src_socket', (r) => ddpOf(r).srcSocket],
      ['nbp.op', (r) => ddpOf(r).nbp?.function], ['nbp.count', (r) => ddpOf(r).nbp?.count], ['nbp.tid', (r) => ddpOf(r).nbp?.id],
      ['nbp.net', tuples('net')], ['nbp.node', tuples('node')], ['nbp.port', tuples('socket')], ['nbp.enum', tuples('enumerator')],
      ['nbp.object', tuples('object')], ['nbp.type', tuples('type')], ['nbp.zone', tuples('zone')],
      ['atp.function', (r) => ddpOf(r).atp?.function], ['atp.xo', (r) => atpFlag(r, 'xo')], ['atp.eom', (r) => atpFlag(r, 'eom')],
      ['atp.sts', (r) => atpFlag(r, 'sts')], ['atp.bitmap', (r) => ddpOf(r).atp?.bitmap], ['atp.tid', (r) => ddpOf(r).atp?.tid],
      // tshark shows the user bytes of a release only
      ['atp.user_bytes', (r) => (ddpOf(r).atp?.function === 3 ? ddpOf(r).atp?.userData : SKIP)],
    ] as Field[],
  })),
  {
    // tshark shows part of a header cut short, and only the version of a version other than 1
    file: 'lan3-aoe.pcap', kind: Layer.Aoe, minPackets: 25,
    decoded: (r: R, { row, capLen, wireLen }: { row: string[]; capLen: number; wireLen: number }) => capLen === wireLen && r.version === 1 && row[7] !== '',
    fields: [
      ['aoe.version', (r) => aoeOf(r).version], ['aoe.response', (r) => (aoeOf(r).flags >> 3) & 1], ['aoe.flags_error', (r) => (aoeOf(r).flags >> 2) & 1],
      ['aoe.error', (r) => (aoeOf(r).flags & 4 ? aoeOf(r).error : undefined)], ['aoe.major', (r) => aoeOf(r).major], ['aoe.minor', (r) => aoeOf(r).minor],
      ['aoe.cmd', (r) => aoeOf(r).command], ['aoe.tag', (r) => aoeOf(r).tag],
      ['aoe.aflags.e', (r) => ata(r, (a) => (a.aflags >> 6) & 1)], ['aoe.aflags.w', (r) => ata(r, (a) => a.aflags & 1)],
      ['aoe.err_feature', (r) => ata(r, (a) => a.feature)], ['aoe.sector_count', (r) => ata(r, (a) => a.sectorCount)],
      // the ATA command of a request (tshark shows a response's from its request), the status of a response
      ['aoe.ata.cmd', (r) => ata(r, (a) => (aoeOf(r).flags & 8 ? SKIP : a.cmdStatus))],
      ['aoe.ata.status', (r) => ata(r, (a) => (aoeOf(r).flags & 8 ? a.cmdStatus : undefined))], ['aoe.lba', (r) => ata(r, (a) => a.lba)],
    ] as Field[],
  },
];

describe('LAN protocols (3): Repr fields equal tshark\'s', () => {
  for (const { file, kind, fields, minPackets, decoded } of FIELDS) {
    it(`${file}: ${fields.length} fields per packet`, () => {
      let checked = 0;
      let packets = 0;
      for (const pkt of withTshark(join(DIR, file), fields, true)) {
        const i = pkt.parser.find(kind);
        expect(i, `packet ${pkt.n} has the layer`).toBeGreaterThanOrEqual(0);
        const r = pkt.parser.repr(i) as R;
        if (!decoded(r, pkt)) continue;
        packets++;
        // the routing addresses of a short header come first in tshark's node address lists
        const short = !isLong(r) && dn(r).control === undefined;
        const fs = fields.map(([f, pick, which]): Field => [f, pick, f === 'dec_dna.dst_node' || f === 'dec_dna.src_node' ? tsharkNodes((short && dn(r).dst !== undefined) || dn(r).control !== undefined) : which ?? ((x: string) => x)]);
        const { shown, diffs } = fieldDiffs(pkt, r, fs);
        expect(diffs).toEqual([]);
        checked += shown;
      }
      expect(packets).toBeGreaterThan(minPackets);
      expect(checked).toBeGreaterThan(packets * 2);
    });
  }
});

/** Filter primitives whose selection on the fixtures must equal libpcap's. */
const EXPRESSIONS = ['decnet', 'decnet src 1.2', 'decnet dst 1.2', 'decnet host 3.4', 'decnet src 0.1', 'atalk', 'aarp', 'ether proto 0x6003', 'not decnet', 'ether proto 0x88a2'];

describe('LAN protocols (3): the filter selects what libpcap selects', () => {
  // the Ethernet captures (the comparison compiles for link type 1)
  for (const [file] of FILES.filter(([f]) => !f.includes('arcnet'))) {
    it(`${file}: ${EXPRESSIONS.length} expressions`, () => {
      expect(expectFilterLikeLibpcap(join(DIR, file), EXPRESSIONS)).toBeGreaterThan(0);
    });
  }
});
