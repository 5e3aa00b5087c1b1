/**
 * Rotation (-C, -G, -W) against tcpdump itself: the same input written by `tcpdump -r IN -w OUT -C 1`
 * and by tscap's sink gives the same file names and byte-identical files; strftime names match GNU
 * `date`; -G with -W stops after N files.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyPacket } from '../../src/packet.js';
import type { PacketSink } from '../../src/packet.js';
import { PacketFileReader } from '../../src/pcap/reader.js';
import { createFileSink, RotatingFileSink, strftime } from '../../src/pcap/rotate.js';
import { PcapWriter } from '../../src/pcap/writer.js';
import { udpFrame } from './craft.js';
import { tool, tscapSeen } from './oracle.js';

const tmp = mkdtempSync(join(tmpdir(), 'tscap-rotate-'));
const big = join(tmp, 'big.pcap');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(async () => {
  // ~3.2 MB of varied frame sizes, so -C 1 gives several files with a partial last one.
  const w = new PcapWriter(big, { linkType: 1, snaplen: 262144, nano: false });
  const p = emptyPacket();
  for (let i = 0; i < 2600; i++) {
    const f = udpFrame(200 + ((i * 37) % 1300), i & 0xff);
    Object.assign(p, { buf: f, offset: 0, capLen: f.length, wireLen: f.length, tsSec: 1700000000 + (i >> 4), tsNsec: (i % 16) * 1000 });
    w.write(p);
  }
  await w.close();
});

async function copyInto(sink: PacketSink): Promise<void> {
  const r = await PacketFileReader.open(big);
  while (await r.readBatch((p) => sink.write(p))) await sink.flush();
  await r.close();
  await sink.close();
}

function freshDir(name: string): string {
  const d = join(tmp, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d);
  return d;
}

/** Runs tcpdump -r big -w DIR/out ARGS and returns {name: bytes}. */
function tcpdumpFiles(dir: string, args: string[]): Map<string, Buffer> {
  tool('tcpdump', ['-r', big, '-Z', 'root', '-w', join(dir, 'out'), ...args]);
  return filesIn(dir);
}

function filesIn(dir: string): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const n of readdirSync(dir).sort()) m.set(n, readFileSync(join(dir, n)));
  return m;
}

describe('-C and -W name and fill files as tcpdump does', () => {
  for (const [label, args, opts] of [
    ['-C 1', ['-C', '1'], { fileSizeMB: 1 }],
    ['-C 1 -W 2 (ring wraps)', ['-C', '1', '-W', '2'], { fileSizeMB: 1, fileCount: 2 }],
    ['-C 1 -W 12 (two digits)', ['-C', '1', '-W', '12'], { fileSizeMB: 1, fileCount: 12 }],
    ['-C 2 -W 1', ['-C', '2', '-W', '1'], { fileSizeMB: 2, fileCount: 1 }],
  ] as const) {
    it(label, async () => {
      const expected = tcpdumpFiles(freshDir(`td-${label}`), [...args]);
      const dir = freshDir(`ts-${label}`);
      await copyInto(createFileSink({ path: join(dir, 'out'), linkType: 1, snaplen: 262144, nano: false, ...opts }));
      const got = filesIn(dir);
      expect([...got.keys()]).toEqual([...expected.keys()]);
      expect(got.size).toBe(label.startsWith('-C 2 -W 1') ? 1 : label.includes('-W 2') ? 2 : 3);
      for (const [name, bytes] of expected) expect({ name, same: Buffer.compare(got.get(name)!, bytes) === 0 }).toEqual({ name, same: true });
    });
  }

  it('pcapng rotation: every file valid for tshark, no packet lost or duplicated', async () => {
    const dir = freshDir('ng');
    await copyInto(createFileSink({ path: join(dir, 'out.pcapng'), linkType: 1, snaplen: 262144, nano: false, fileSizeMB: 1 }));
    const names = [...filesIn(dir).keys()];
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(names).toEqual(names.map((_, i) => (i === 0 ? 'out.pcapng' : `out.pcapng${i}`)));
    const all: string[] = [];
    for (const n of names) {
      const count = Number(/Number of packets:\s+(\d+)/.exec(tool('capinfos', ['-M', '-c', join(dir, n)]))?.[1]);
      const seen = await tscapSeen(join(dir, n));
      expect(seen.length).toBe(count);
      all.push(...seen.map((s) => `${s.time}/${s.hex}`));
    }
    expect(all).toEqual((await tscapSeen(big)).map((s) => `${s.time}/${s.hex}`));
  });
});

describe('-G names and -W stop', () => {
  it('strftime agrees with GNU date', () => {
    const pattern = '%Y-%m-%d_%H:%M:%S %y %C %e %k %I %l %p %j %a %A %b %B %h %u %w %s %F %D %T %R %z %% %Z';
    for (const t of [0, 1700000000, 1718000000, 1735689599, 951782400]) {
      const expected = tool('date', ['-d', `@${t}`, `+${pattern}`]).replace(/\n$/, '');
      expect(strftime(pattern, new Date(t * 1000))).toBe(expected);
    }
  });

  it('-G file names from the wall clock match tcpdump', async () => {
    const pattern = 'g-%Y%m%d-%H.pcap';
    const td = freshDir('g-td');
    tool('tcpdump', ['-r', big, '-Z', 'root', '-w', join(td, pattern), '-G', '3600']);
    const ts = freshDir('g-ts');
    await copyInto(createFileSink({ path: join(ts, pattern), linkType: 1, snaplen: 262144, nano: false, rotateSeconds: 3600 }));
    expect([...filesIn(ts).keys()]).toEqual([...filesIn(td).keys()]);
    const g2 = freshDir('g2-td');
    tool('tcpdump', ['-r', big, '-Z', 'root', '-w', join(g2, pattern), '-G', '3600', '-C', '1', '-W', '5']);
    const g2s = freshDir('g2-ts');
    await copyInto(
      createFileSink({ path: join(g2s, pattern), linkType: 1, snaplen: 262144, nano: false, rotateSeconds: 3600, fileSizeMB: 1, fileCount: 5 }),
    );
    const expected = filesIn(g2);
    const got = filesIn(g2s);
    expect([...got.keys()]).toEqual([...expected.keys()]);
    for (const [name, bytes] of expected) expect(Buffer.compare(got.get(name)!, bytes)).toBe(0);
  });

  it('-G 10 rotates on the clock, and with -W 3 stops after the 3rd file', async () => {
    const dir = freshDir('gw');
    let clock = 1700000000;
    let limits = 0;
    const sink = new RotatingFileSink({
      path: join(dir, 'cap-%H%M%S.pcap'),
      linkType: 1,
      snaplen: 65535,
      nano: false,
      rotateSeconds: 10,
      fileCount: 3,
      now: () => clock,
      onFileLimit: () => limits++,
    });
    const p = emptyPacket();
    const f = udpFrame(10, 1);
    Object.assign(p, { buf: f, offset: 0, capLen: f.length, wireLen: f.length });
    for (let i = 0; i < 40; i++) {
      p.tsSec = clock;
      sink.write(p);
      clock += 1; // 10 packets per window
    }
    await sink.close();
    expect(limits).toBe(1);
    expect(sink.limitReached).toBe(true);
    const names = [0, 10, 20].map((d) => strftime('cap-%H%M%S.pcap', new Date((1700000000 + d) * 1000)));
    expect([...filesIn(dir).keys()]).toEqual(names.sort());
    expect(sink.files).toEqual([0, 10, 20].map((d) => join(dir, strftime('cap-%H%M%S.pcap', new Date((1700000000 + d) * 1000)))));
    for (const n of names) expect(Number(/Number of packets:\s+(\d+)/.exec(tool('capinfos', ['-M', '-c', join(dir, n)]))?.[1])).toBe(10);
  });
});
