/**
 * ISAKMP/IKEv1 and IKEv2 payload trees on the crafted captures fixtures/proto/ike-v1.pcap and
 * ike-v2.pcap (gen_ike.py), real traffic (ike-live.pcap, make-ike.sh) and the older tun-ike.pcap:
 * every printed line against tcpdump 4.99's at -n, -v, -vv, -vvv and -vvvv (notify data is printed
 * whole only there), -v -x and without -n, and the Repr (header, payload types and lengths, notify
 * and id types) against tshark's isakmp fields, all run at test time.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareLines, tscapLines } from './compare.js';
import { ROOT } from './fixtures.js';
import { expectTcpdumpLines, levels, tcpdumpNamedLines, withTshark, type Level } from './proto-oracle.js';
import { Layer } from '../../src/decode/index.js';
import type { IkeRepr } from '../../src/decode/ike.js';
import { createNameLookup } from '../../src/sinks/names.js';
import { TextFormatter, DEFAULT_PRINT_OPTIONS } from '../../src/sinks/text.js';
import { readPcap } from './pcap-read.js';
import { rng } from '../helpers/mutants.js';

process.env.TZ = 'UTC';
const DIR = join(ROOT, 'fixtures', 'proto');
/** ike-live.pcap is real traffic (make-ike.sh): ike-scan probing strongSwan, and two strongSwan peers. */
const FILES = ['ike-v1.pcap', 'ike-v2.pcap', 'ike-live.pcap', 'tun-ike.pcap'];
/** -x: a read past the capture ends tcpdump's text by longjmp, and the hex dump then starts at the link header. */
const LEVELS: Level[] = levels([], ['-v'], ['-vv'], ['-vvv'], ['-vvvv'], ['-v', '-x']);

describe('ISAKMP/IKE: text equals tcpdump\'s', () => {
  for (const file of FILES) {
    it(`${file}: every line at -n, -v, -vv, -vvv, -vvvv, -v -x`, () => {
      console.log(`${file}: ${expectTcpdumpLines(join(DIR, file), LEVELS)}`);
    });
  }
});

describe('ISAKMP/IKE: names without -n, as tcpdump resolves them', () => {
  // tcpdump without -n looks up every address (the IKEv1 ids' too) and the id's protocol: a hosts
  // file names some of them, for tcpdump and tscap alike
  const dir = mkdtempSync(join(tmpdir(), 'tscap-ike-names-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const hosts = join(dir, 'hosts');
  writeFileSync(hosts, '192.0.2.1 gw1.example.test\n192.0.2.10 peer.example.test\n255.255.255.0 mask24\n2001:db8::10 v6peer.example.test\n198.51.100.0 net.example.test\n');
  it('ike-v1.pcap at -vvv', () => {
    const path = join(DIR, 'ike-v1.pcap');
    const theirs = tcpdumpNamedLines(hosts, path, ['-vvv']);
    const names = createNameLookup({ hostsFile: hosts, dns: false });
    const c = compareLines(tscapLines(path, { numeric: false, names, verbose: 3 }), theirs);
    expect(theirs.join('\n')).toContain('len=4 peer.example.test');
    expect(theirs.join('\n')).toContain('protoid=udp');
    expect(c.diffs.slice(0, 3)).toEqual([]);
    expect(c.same).toBe(c.total);
    console.log(`ike-v1.pcap without -n at -vvv: ${c.same}/${c.total}`);
  });
});

/** tshark's fields, every occurrence joined by ','. */
const FIELDS = [
  'isakmp.ispi', 'isakmp.rspi', 'isakmp.mjver', 'isakmp.mnver', 'isakmp.exchangetype', 'isakmp.flags', 'isakmp.messageid', 'isakmp.length',
  'isakmp.typepayload', 'isakmp.payloadlength', 'isakmp.notify.msgtype', 'isakmp.id.type', '_ws.malformed',
].map((f) => [f, () => undefined] as const);

const list = (s: string | undefined): number[] => (s ? s.split(',').map(Number) : []);

/** How many of `sub`'s first pairs appear in `all` in order (tshark also lists the proposals and transforms inside an SA). */
function inOrder(sub: Array<[number, number]>, all: Array<[number, number]>): number {
  let k = 0;
  for (const [t, n] of all) if (k < sub.length && sub[k]![0] === t && sub[k]![1] === n) k++;
  return k;
}

describe('ISAKMP/IKE Repr agrees with tshark', () => {
  for (const file of ['ike-v1.pcap', 'ike-v2.pcap', 'ike-live.pcap']) {
    it(`${file}: header fields, payload types and lengths, notify and id types`, () => {
      let header = 0;
      let payloads = 0;
      let typed = 0;
      const bad: string[] = [];
      for (const pkt of withTshark(join(DIR, file), FIELDS, true)) {
        const i = pkt.parser.find(Layer.Ike);
        if (i < 0) continue;
        const r = pkt.parser.repr(i) as unknown as IkeRepr;
        const [ispi, rspi, mj, mn, et, flags, msgid, length, types, lens, ntypes, idtypes, malformed] = pkt.row;
        // tshark leaves a message whose captured bytes fall short of its length field undissected past the cookies
        if (!ispi || !length) continue;
        const eq = (what: string, ours: unknown, theirs: unknown): void => {
          if (JSON.stringify(ours) !== JSON.stringify(theirs)) bad.push(`packet ${pkt.n} ${what}: ours ${JSON.stringify(ours)}, tshark ${JSON.stringify(theirs)}`);
        };
        eq('initiatorSpi', r.initiatorSpi, ispi);
        eq('responderSpi', r.responderSpi, rspi);
        eq('version', r.version, `${Number(mj)}.${Number(mn)}`);
        eq('exchangeType', r.exchangeType, Number(et));
        eq('flags', r.flags, Number(flags));
        eq('messageId', r.messageId, Number(msgid));
        eq('length', r.length, Number(length));
        header++;
        const ours = r.payloads.map((t, k): [number, number] => [t, r.payloadLengths[k]!]);
        const theirs = list(types).map((t, k): [number, number] => [t, list(lens)[k]!]);
        // where tshark found the message malformed it stops at the bad payload: the ones before it must agree
        const matched = inOrder(ours, theirs);
        if (matched < (malformed ? Math.min(1, ours.length) : ours.length)) bad.push(`packet ${pkt.n} payloads: ours ${JSON.stringify(ours)} not in order in tshark's ${JSON.stringify(theirs)}`);
        payloads += matched;
        if (!malformed) {
          eq('notifyTypes', r.notifyTypes, list(ntypes));
          eq('idTypes', r.idTypes, list(idtypes));
          typed += r.notifyTypes.length + r.idTypes.length;
        }
      }
      expect(bad).toEqual([]);
      console.log(`${file}: ${header} headers, ${payloads} payloads, ${typed} notify and id types equal to tshark's`);
      expect(header).toBeGreaterThan(15);
      expect(payloads).toBeGreaterThan(60);
      expect(typed).toBeGreaterThan(15);
    });
  }
});

describe('ISAKMP/IKE payload trees on hostile bytes', () => {
  it('mutated fixture messages print at -v to -vvvv without an error, in bounded text', () => {
    // the general fuzz test prints at -v and -vv only: here every level, mutating the ISAKMP bytes
    const seeds = ['ike-v1.pcap', 'ike-v2.pcap', 'ike-live.pcap'].flatMap((f) => readPcap(join(DIR, f)).packets);
    const printers = [1, 2, 3, 4].map((verbose) => new TextFormatter({ ...DEFAULT_PRINT_OPTIONS, verbose, ifName: () => undefined }));
    const next = rng(0x1ce);
    const buf = new Uint8Array(2048);
    let longest = 0;
    let trees = 0;
    for (let n = 0; n < 20_000; n++) {
      const q = seeds[next() % seeds.length]!;
      const len = Math.min(q.capLen, buf.length);
      buf.set(q.buf.subarray(q.offset, q.offset + len));
      // the payloads start 70 bytes in (Ethernet, IPv4, UDP, ISAKMP header); flip or set a few of their bytes, or cut
      for (let k = next() % 4; k >= 0; k--) {
        const at = 60 + (next() % Math.max(1, len - 60));
        buf[at] = next() & 1 ? buf[at]! ^ (1 << (next() % 8)) : [0, 1, 4, 5, 0x80, 0xff][next() % 6]!;
      }
      const cap = next() % 4 === 0 ? 42 + (next() % Math.max(1, len - 42)) : len;
      const pkt = { ...q, buf, offset: 0, capLen: cap };
      const text = printers[n % 4]!.format(pkt);
      longest = Math.max(longest, text.length);
      if (text.includes('\n    (')) trees++;
    }
    expect(printers.map((p) => p.internalErrors)).toEqual([0, 0, 0, 0]);
    expect(trees).toBeGreaterThan(5_000);
    expect(longest).toBeLessThan(1 << 20);
    console.log(`20000 mutated messages: ${trees} printed a tree, longest text ${longest} characters`);
  });

  it('a delete with 65535 empty SPIs and a chain of 2000 vendor ids: in bounded CPU time, as tcpdump prints them', () => {
    const head = (np: number, len: number): number[] => [...Array<number>(16).fill(7), np, 0x10, 5, 0, 0, 0, 0, 0, 0, 0, len >> 8, len & 0xff];
    const del = [...head(12, 40), 0, 0, 0, 12, 0, 0, 0, 1, 3, 0, 0xff, 0xff];
    const vids: number[] = [];
    for (let k = 0; k < 2000; k++) vids.push(k < 1999 ? 13 : 0, 0, 0, 5, k & 0xff);
    const chain = [...head(13, 28 + vids.length), ...vids];
    const printer = new TextFormatter({ ...DEFAULT_PRINT_OPTIONS, verbose: 3, ifName: () => undefined });
    const frames = [del, chain].map((body) => {
      const udp = [0x01, 0xf4, 0x01, 0xf4, (body.length + 8) >> 8, (body.length + 8) & 0xff, 0, 0];
      const total = 20 + udp.length + body.length;
      const ip = [0x45, 0, total >> 8, total & 0xff, 0, 0, 0, 0, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2];
      return new Uint8Array([...Array<number>(12).fill(2), 8, 0, ...ip, ...udp, ...body]);
    });
    for (const frame of frames) {
      const pkt = { ...readPcap(join(DIR, 'ike-v1.pcap')).packets[0]!, buf: frame, offset: 0, capLen: frame.length, wireLen: frame.length };
      // CPU time, not wall time: the machine may be shared
      const t0 = process.cpuUsage();
      printer.format(pkt);
      const used = process.cpuUsage(t0);
      expect(used.user + used.system).toBeLessThan(2_000_000);
    }
    expect(printer.internalErrors).toBe(0);
    // the same frames in a classic pcap file, for tcpdump
    const dir = mkdtempSync(join(tmpdir(), 'tscap-ike-hostile-'));
    try {
      const parts: Buffer[] = [Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex')];
      for (const f of frames) {
        const rec = Buffer.alloc(16);
        rec.writeUInt32LE(f.length, 8);
        rec.writeUInt32LE(f.length, 12);
        parts.push(rec, Buffer.from(f));
      }
      const path = join(dir, 'hostile.pcap');
      writeFileSync(path, Buffer.concat(parts));
      console.log(`hostile.pcap: ${expectTcpdumpLines(path, levels(['-vvv']))}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
