/**
 * Corrupt and truncated files: every whole record before the damage is visited, then a
 * PcapFormatError with the byte offset; nothing else is ever thrown, nothing hangs. Record boundaries
 * come from an independent walk of the intact file (the pcap/pcapng length fields), packet counts
 * before an error from capinfos run on the same bytes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { encodePcap, type LiteRecord } from '../helpers/pcap-lite.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { PcapFormatError } from '../../src/pcap/errors.js';
import { PacketFileReader } from '../../src/pcap/reader.js';
import { swapPcap, swapPcapng } from './byteswap.js';
import { tool, tscapSeen } from './oracle.js';

const fixtures = join(import.meta.dirname, '../../fixtures/pcap');
const tmp = mkdtempSync(join(tmpdir(), 'tscap-corrupt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Outcome {
  packets: number;
  error: unknown;
}

/** Reads everything from a path or a byte array (streamed in `chunk`-byte pieces). */
async function readAll(src: string | Uint8Array, chunk = 1 << 16): Promise<Outcome> {
  let packets = 0;
  let reader: PacketFileReader | undefined;
  try {
    if (typeof src === 'string') reader = await PacketFileReader.open(src);
    else {
      const pieces: Buffer[] = [];
      for (let o = 0; o < src.length; o += chunk) pieces.push(Buffer.from(src.subarray(o, o + chunk)));
      reader = await PacketFileReader.open(Readable.from(pieces));
    }
    while (await reader.readBatch(() => packets++)) {
      /* all batches */
    }
    return { packets, error: null };
  } catch (error) {
    return { packets, error };
  } finally {
    await reader?.close();
  }
}

/** End offsets of the whole records (packets and, for pcapng, every block) of an intact file. */
function recordEnds(b: Uint8Array): { ends: number[]; packetEnds: number[] } {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ends: number[] = [];
  const packetEnds: number[] = [];
  if (dv.getUint32(0, true) === 0x0a0d0d0a) {
    let le = true;
    for (let p = 0; p < b.length; ) {
      if (dv.getUint32(p, true) === 0x0a0d0d0a) le = dv.getUint32(p + 8, true) === 0x1a2b3c4d;
      const type = dv.getUint32(p, le);
      p += dv.getUint32(p + 4, le);
      ends.push(p);
      if (type === 6 || type === 3 || type === 2) packetEnds.push(p);
    }
  } else {
    const le = dv.getUint32(0, true) === 0xa1b2c3d4 || dv.getUint32(0, true) === 0xa1b23c4d;
    ends.push(24);
    for (let p = 24; p < b.length; ) {
      p += 16 + dv.getUint32(p + 8, le);
      ends.push(p);
      packetEnds.push(p);
    }
  }
  return { ends, packetEnds };
}

/** capinfos' packet count for a file, also when it stops at damage. */
function capinfosCount(path: string): number {
  try {
    return Number(/Number of packets:\s+(\d+)/.exec(tool('capinfos', ['-M', '-c', path]))?.[1]);
  } catch (err) {
    const m = /after reading (\d+) packets/.exec(String(err));
    if (m) return Number(m[1]);
    // Damage before the first packet: capinfos reports it without a count.
    if (/cut short|damaged or corrupt/.test(String(err))) return 0;
    throw err;
  }
}

function expectFormatError(o: Outcome, message: string | RegExp, offset?: number): void {
  expect(o.error).toBeInstanceOf(PcapFormatError);
  const e = o.error as PcapFormatError;
  if (typeof message === 'string') expect(e.message).toBe(message);
  else expect(e.message).toMatch(message);
  if (offset !== undefined) expect(e.offset).toBe(offset);
}

describe('committed corrupt fixtures', () => {
  const pcap = readFileSync(join(fixtures, 'tcpdump.pcap'));
  const ng = readFileSync(join(fixtures, 'tshark.pcapng'));
  const pe = recordEnds(pcap).packetEnds;
  const ngEnds = recordEnds(ng).ends;
  const firstEpb = ngEnds[1]!; // after SHB and IDB (tshark writes one interface)

  it('truncated pcap: two packets, then "truncated record at byte N"', async () => {
    const path = join(fixtures, 'corrupt-truncated.pcap');
    const o = await readAll(path);
    expect(o.packets).toBe(capinfosCount(path));
    expectFormatError(o, `truncated record at byte ${pe[1]}`, pe[1]);
  });

  it('bad magic: error at byte 0 from open', async () => {
    const o = await readAll(join(fixtures, 'corrupt-bad-magic.pcap'));
    expect(o.packets).toBe(0);
    expectFormatError(o, /^bad magic number 0x78563412 at byte 0/, 0);
  });

  it('captured length above 256 MiB: error at the record, no allocation', async () => {
    const path = join(fixtures, 'corrupt-huge-caplen.pcap');
    const before = process.memoryUsage().arrayBuffers;
    const o = await readAll(path);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 << 20);
    expect(o.packets).toBe(capinfosCount(path));
    expectFormatError(o, `captured length 536870912 above 268435456 at byte ${pe[1]}`, pe[1]);
  });

  it('pcapng block length not a multiple of 4', async () => {
    const path = join(fixtures, 'corrupt-length-not-multiple-of-4.pcapng');
    const o = await readAll(path);
    expect(o.packets).toBe(capinfosCount(path));
    expectFormatError(o, new RegExp(`^block length \\d+ is not a multiple of 4 at byte ${firstEpb}$`), firstEpb);
  });

  it('pcapng trailer disagreeing with the header length', async () => {
    const path = join(fixtures, 'corrupt-trailer-mismatch.pcapng');
    const o = await readAll(path);
    expect(o.packets).toBe(capinfosCount(path));
    expectFormatError(o, new RegExp(`^block length \\d+ disagrees with trailer \\d+ at byte ${firstEpb}$`), firstEpb);
  });

  it('pcapng captured length beyond its block', async () => {
    const path = join(fixtures, 'corrupt-caplen-exceeds-block.pcapng');
    const o = await readAll(path);
    expect(o.packets).toBe(capinfosCount(path));
    expectFormatError(o, new RegExp(`^captured length \\d+ exceeds its block of \\d+ bytes at byte ${firstEpb}$`), firstEpb);
  });

  it('truncated pcapng: one packet, then the cut block', async () => {
    const path = join(fixtures, 'corrupt-truncated.pcapng');
    const o = await readAll(path);
    expect(o.packets).toBe(capinfosCount(path));
    expectFormatError(o, `truncated record at byte ${ngEnds[2]}`, ngEnds[2]);
  });

  it('a block claiming 200 MiB in a small file: truncated, without allocating it', async () => {
    const bytes = Buffer.concat([ng.subarray(0, firstEpb), Buffer.alloc(64)]);
    bytes.writeUInt32LE(6, firstEpb);
    bytes.writeUInt32LE(200 << 20, firstEpb + 4);
    const before = process.memoryUsage().arrayBuffers;
    for (const chunk of [7, 1 << 16]) {
      const o = await readAll(bytes, chunk);
      expect(o.packets).toBe(0);
      expectFormatError(o, `truncated record at byte ${firstEpb}`, firstEpb);
    }
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 << 20);
  });

  it('a file that does not start with a section header or pcap magic', async () => {
    expectFormatError(await readAll(new Uint8Array(100).fill(0x41)), /^bad magic number/, 0);
    expectFormatError(await readAll(new Uint8Array(0)), /^empty file/, 0);
    const ngBad = Buffer.from(ng);
    ngBad.writeUInt32LE(0x11223344, 8); // byte-order magic
    expectFormatError(await readAll(ngBad), /^bad byte-order magic/, 0);
  });
});

describe('truncation at every offset', () => {
  const cases: Array<[string, Uint8Array]> = [
    ['pcap', readFileSync(join(fixtures, 'tcpdump.pcap'))],
    ['pcapng', readFileSync(join(fixtures, 'tshark.pcapng'))],
    ['big-endian pcapng', readFileSync(join(fixtures, 'be.pcapng'))],
  ];
  for (const [name, full] of cases) {
    it(`${name}: whole records, then PcapFormatError (or a clean end at a boundary)`, async () => {
      const { ends, packetEnds } = recordEnds(full);
      const cuts: number[] = [];
      for (let c = 0; c < Math.min(full.length, 1500); c++) cuts.push(c);
      for (let c = 1500; c < full.length; c += 97) cuts.push(c);
      for (const e of ends) cuts.push(e - 1, e);
      for (const cut of cuts) {
        const o = await readAll(full.subarray(0, cut), 4096);
        const expected = packetEnds.filter((e) => e <= cut).length;
        expect({ cut, packets: o.packets }).toEqual({ cut, packets: expected });
        if (ends.includes(cut)) {
          expect({ cut, error: o.error }).toEqual({ cut, error: null });
        } else {
          expect(o.error, `cut at ${cut}`).toBeInstanceOf(PcapFormatError);
          expect((o.error as PcapFormatError).message).toMatch(/^(truncated record at byte \d+|truncated file header at byte 0|empty file.*)$/);
          expect((o.error as PcapFormatError).offset).toBeLessThanOrEqual(cut);
        }
      }
    });
  }

  it('counts before the cut agree with capinfos', async () => {
    const full = readFileSync(join(fixtures, 'tshark.pcapng'));
    const pcap = readFileSync(join(fixtures, 'tcpdump.pcap'));
    for (const [src, cuts] of [
      [full, [200, 333, 1001, 5000, 20001]],
      [pcap, [100, 777, 9999, 30000]],
    ] as const) {
      for (const cut of cuts) {
        const path = join(tmp, `cut-${cut}`);
        writeFileSync(path, src.subarray(0, cut));
        expect({ cut, n: (await readAll(path)).packets }).toEqual({ cut, n: capinfosCount(path) });
      }
    }
  });
});

describe('flipped bytes never throw anything but PcapFormatError', () => {
  // Deterministic PRNG (mulberry32) so failures reproduce.
  function rng(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const sources: Array<[string, Uint8Array]> = [
    ['pcap', readFileSync(join(fixtures, 'tcpdump.pcap'))],
    ['be pcap', swapPcap(readFileSync(join(fixtures, 'tcpdump-nano.pcap')))],
    ['pcapng', readFileSync(join(fixtures, 'editcap-comments.pcapng'))],
    ['be pcapng', swapPcapng(readFileSync(join(fixtures, 'crafted.pcapng')))],
    ['crafted', readFileSync(join(fixtures, 'crafted.pcapng'))],
  ];
  for (const [name, full] of sources) {
    it(name, async () => {
      const rand = rng(name.length * 7919);
      const region = Math.min(full.length, 2048);
      for (let i = 0; i < 250; i++) {
        const b = Uint8Array.from(full);
        const flips = 1 + Math.floor(rand() * 4);
        for (let k = 0; k < flips; k++) {
          const at = Math.floor(rand() * (i % 2 === 0 ? region : full.length));
          b[at] = i % 3 === 0 ? 0xff : Math.floor(rand() * 256);
        }
        const o = await readAll(b, 1 + Math.floor(rand() * 5000));
        if (o.error !== null && !(o.error instanceof PcapFormatError)) throw o.error;
        if (o.error instanceof PcapFormatError) {
          expect(o.error.offset).toBeGreaterThanOrEqual(0);
          expect(o.error.offset).toBeLessThan(b.length);
        }
      }
    });
  }
});

describe('buffer edges', () => {
  it('streams cut into 1..7-byte chunks read exactly like the file', async () => {
    for (const name of ['tshark.pcapng', 'be-nano.pcap', 'crafted-be.pcapng', 'multi-section.pcapng']) {
      const path = join(fixtures, name);
      const bytes = readFileSync(path);
      const expected = await tscapSeen(path);
      for (const chunk of [1, 3, 7]) {
        const pieces: Buffer[] = [];
        for (let o = 0; o < bytes.length; o += chunk) pieces.push(Buffer.from(bytes.subarray(o, o + chunk)));
        const r = await PacketFileReader.open(Readable.from(pieces));
        const times: string[] = [];
        const hex: string[] = [];
        while (
          await r.readBatch((p) => {
            times.push(`${p.tsSec}.${String(p.tsNsec).padStart(9, '0')}`);
            hex.push(Buffer.from(p.buf.subarray(p.offset, p.offset + p.capLen)).toString('hex'));
          })
        ) {
          /* batches */
        }
        await r.close();
        expect(times).toEqual(expected.map((s) => s.time));
        expect(hex).toEqual(expected.map((s) => s.hex));
      }
    }
  });

  it('a record larger than the read buffer (3 MiB) grows the buffer', async () => {
    const big = new Uint8Array(3 << 20).map((_, i) => i & 0xff);
    const rec = (data: Uint8Array, sec: number): LiteRecord => ({ tsSec: sec, tsFrac: 0, data, wireLen: data.length });
    const file = Buffer.from(encodePcap(1, [rec(big.subarray(0, 10), 1), rec(big, 2), rec(big.subarray(0, 20), 3)], 0x4000000));
    const path = join(tmp, 'big-record.pcap');
    writeFileSync(path, file);
    const seen = await tscapSeen(path);
    expect(seen.map((s) => s.capLen)).toEqual([10, big.length, 20]);
    expect(seen[1]!.hex).toBe(Buffer.from(big).toString('hex'));
    // (Wireshark caps Ethernet records at 256 KiB, so it is no oracle here; the bytes are the check.)
  });
});
