import { Readable, PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NgBuilder, udpFrame } from './craft.js';
import { emptyPacket } from '../../src/packet.js';
import { PcapFormatError } from '../../src/pcap/errors.js';
import { PacketFileReader, pktTypeFromFlags, readPackets } from '../../src/pcap/reader.js';
import { ringDigits } from '../../src/pcap/rotate.js';
import { flagsFromPktType, PcapngWriter, PcapWriter } from '../../src/pcap/writer.js';

async function collect(bytes: Uint8Array): Promise<Array<{ sec: number; nsec: number; len: number }>> {
  const out: Array<{ sec: number; nsec: number; len: number }> = [];
  for await (const p of readPackets(Readable.from([Buffer.from(bytes)]))) out.push({ sec: p.tsSec, nsec: p.tsNsec, len: p.capLen });
  return out;
}

async function writeToBuffer(make: (s: PassThrough) => PcapWriter | PcapngWriter, packets: Array<[number, number]>): Promise<Buffer> {
  const s = new PassThrough();
  const chunks: Buffer[] = [];
  s.on('data', (c: Buffer) => chunks.push(c));
  const w = make(s);
  const p = emptyPacket();
  const f = udpFrame(3, 1);
  for (const [sec, nsec] of packets) {
    Object.assign(p, { buf: f, offset: 0, capLen: f.length, wireLen: f.length, tsSec: sec, tsNsec: nsec });
    w.write(p);
  }
  await w.close();
  return Buffer.concat(chunks);
}

describe('timestamps', () => {
  it('pcapng EPB timestamps split into exact 32-bit halves (values past 2^53 ns)', async () => {
    const cases: Array<[number, number]> = [
      [0, 0],
      [1, 1],
      [1700000000, 999999999],
      [4294967295, 999999999],
      [2147483648, 123456789],
    ];
    const bytes = await writeToBuffer((s) => new PcapngWriter(s, { linkType: 1, snaplen: 65535 }), cases);
    // Hand check of the first EPB after SHB and IDB: hi/lo of sec*1e9+nsec in BigInt.
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let o = 0;
    const stamps: bigint[] = [];
    while (o < bytes.length) {
      if (dv.getUint32(o, true) === 6) stamps.push((BigInt(dv.getUint32(o + 12, true)) << 32n) | BigInt(dv.getUint32(o + 16, true)));
      o += dv.getUint32(o + 4, true);
    }
    expect(stamps).toEqual(cases.map(([s, n]) => BigInt(s) * 1000000000n + BigInt(n)));
    expect((await collect(bytes)).map((r) => [r.sec, r.nsec])).toEqual(cases);
  });

  it('if_tsresol 10^-3, 10^0, 10^-12 and 2^-10 convert exactly (floor to nanoseconds)', async () => {
    const b = new NgBuilder(true).shb();
    b.idb(1, 0, [[9, Uint8Array.of(3)]]);
    b.idb(1, 0, [[9, Uint8Array.of(0)]]);
    b.idb(1, 0, [[9, Uint8Array.of(12)]]);
    b.idb(1, 0, [[9, Uint8Array.of(0x80 | 10)]]);
    const f = udpFrame(1, 1);
    b.epb(0, 1700000000123n, f); // ms
    b.epb(1, 1700000000n, f); // s
    b.epb(2, 1700000000123456789012n & 0xffffffffffffffffn, f); // ps, wraps to 64 bits
    b.epb(3, (1700000000n << 10n) + 1023n, f); // 1023/1024 s
    const got = await collect(b.bytes());
    const ps = 1700000000123456789012n & 0xffffffffffffffffn;
    expect(got.map((r) => [r.sec, r.nsec])).toEqual([
      [1700000000, 123000000],
      [1700000000, 0],
      [Number(ps / 1000000000000n), Number((ps % 1000000000000n) / 1000n)],
      [1700000000, 999023437], // floor(1023 * 1e9 / 1024)
    ]);
  });

  it('pcap micro writer truncates nanoseconds to microseconds', async () => {
    const bytes = await writeToBuffer((s) => new PcapWriter(s, { linkType: 1, snaplen: 65535, nano: false }), [[5, 123456789]]);
    expect(await collect(bytes)).toEqual([{ sec: 5, nsec: 123456000, len: 45 }]);
  });
});

describe('snaplen', () => {
  it('writers cut frames to the snaplen and keep the wire length', async () => {
    for (const make of [
      (s: PassThrough) => new PcapWriter(s, { linkType: 1, snaplen: 20, nano: true }),
      (s: PassThrough) => new PcapngWriter(s, { linkType: 1, snaplen: 20 }),
    ]) {
      const bytes = await writeToBuffer(make, [[1, 2]]);
      const r = await PacketFileReader.open(Readable.from([bytes]));
      expect(r.info.snaplen).toBe(20);
      const p = r.nextPacket();
      expect(p?.capLen).toBe(20);
      expect(p?.wireLen).toBe(45);
      await r.close();
    }
  });
});

describe('flags and names', () => {
  it('epb_flags ↔ pktType round-trips for every PacketType', () => {
    for (const t of [0, 1, 2, 3, 4]) expect(pktTypeFromFlags(flagsFromPktType(t))).toBe(t);
    expect(flagsFromPktType(-1)).toBe(0);
    expect(pktTypeFromFlags(0)).toBe(-1);
    expect(pktTypeFromFlags(1)).toBe(0); // inbound, reception type unspecified
  });

  it('ring digits are those of N-1, as tcpdump pads -W names', () => {
    expect([1, 2, 10, 11, 100, 101, 1000].map(ringDigits)).toEqual([0, 1, 1, 2, 2, 3, 3]);
  });
});

describe('errors', () => {
  it('an EPB on an interface no IDB declared', async () => {
    const b = new NgBuilder(true).shb().epb(0, 1n, udpFrame(1, 1));
    await expect(collect(b.bytes())).rejects.toThrow(PcapFormatError);
    await expect(collect(b.bytes())).rejects.toThrow(/^packet on undefined interface 0 at byte 28$/);
  });

  it('unsupported pcapng major version', async () => {
    const bytes = new NgBuilder(true).shb().idb(1, 0).bytes();
    bytes[12] = 2;
    await expect(collect(bytes)).rejects.toThrow(/^unsupported pcapng version 2\.0 at byte 0$/);
  });
});
