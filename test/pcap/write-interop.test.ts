/**
 * Files tscap writes are read by tcpdump and tshark with the same bytes and timestamps; pcap → pcapng →
 * pcap round trips give back the original file byte for byte; a full disk leaves a valid file.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyPacket } from '../../src/packet.js';
import type { PacketSink } from '../../src/packet.js';
import { PcapIoError } from '../../src/pcap/errors.js';
import { PacketFileReader } from '../../src/pcap/reader.js';
import { PcapngWriter, PcapWriter } from '../../src/pcap/writer.js';
import { udpFrame } from './craft.js';
import { tcpdumpSeen, tool, tsharkSeen, tscapSeen } from './oracle.js';
import { fillUntilFull, withSmallTmpfs } from '../helpers/full-disk.js';
import { waitForRecords } from '../helpers/wait.js';

const fixtures = join(import.meta.dirname, '../../fixtures/pcap');
const tmp = mkdtempSync(join(tmpdir(), 'tscap-pcap-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Copies every packet of `src` into `sink`, flushing once per batch as the CLI does. */
async function copyFile(src: string, sink: PacketSink): Promise<number> {
  const r = await PacketFileReader.open(src);
  let n = 0;
  while (
    await r.readBatch((p) => {
      sink.write(p);
      n++;
    })
  )
    await sink.flush();
  await r.close();
  await sink.close();
  return n;
}

function strip(seen: Array<{ time: string; wireLen: number; capLen: number; hex: string }>): unknown[] {
  return seen.map(({ time, wireLen, capLen, hex }) => ({ time, wireLen, capLen, hex }));
}

describe('tscap-written files read by tcpdump and tshark', () => {
  it('pcap (micro) from tcpdump input: tshark and tcpdump see the original packets', async () => {
    const src = join(fixtures, 'tcpdump.pcap');
    const out = join(tmp, 'micro.pcap');
    await copyFile(src, new PcapWriter(out, { linkType: 1, snaplen: 262144, nano: false }));
    expect(strip(tsharkSeen(out))).toEqual(strip(tsharkSeen(src)));
    expect(tcpdumpSeen(out)).toEqual(tcpdumpSeen(src));
  });

  it('pcap (nano) keeps nanoseconds in tshark and tcpdump', async () => {
    const src = join(fixtures, 'tcpdump-nano.pcap');
    const out = join(tmp, 'nano.pcap');
    await copyFile(src, new PcapWriter(out, { linkType: 1, snaplen: 262144, nano: true }));
    const seen = tsharkSeen(out);
    expect(strip(seen)).toEqual(strip(tsharkSeen(src)));
    expect(seen.some((s) => !s.time.endsWith('000'))).toBe(true);
    expect(tcpdumpSeen(out)).toEqual(tcpdumpSeen(src));
  });

  it('pcapng: packets, nanosecond times, IDB and SHB options as tshark/capinfos report them', async () => {
    const src = join(fixtures, 'tcpdump-nano.pcap');
    const out = join(tmp, 'out.pcapng');
    const w = new PcapngWriter(out, { linkType: 1, snaplen: 262144, ifName: 'veth0', filter: 'udp or icmp', os: 'Linux test' });
    const r = await PacketFileReader.open(src);
    while (await r.readBatch((p) => w.write(p))) await w.flush();
    await r.close();
    w.setInterfaceStats(1234, 56);
    await w.close();
    expect(strip(tsharkSeen(out))).toEqual(strip(tsharkSeen(src)));
    expect(tcpdumpSeen(out)).toEqual(tcpdumpSeen(src));
    const info = tool('capinfos', [out]);
    expect(info).toMatch(/Capture oper-sys:\s+Linux test/);
    expect(info).toMatch(/Capture application:\s+tscap/);
    expect(info).toMatch(/Name = veth0/);
    expect(info).toMatch(/Filter string = udp or icmp/);
    expect(info).toMatch(/Time resolution = 0x09/);
    expect(info).toMatch(/Number of stat entries = 1/);
    const names = tool('tshark', ['-r', out, '-T', 'fields', '-e', 'frame.interface_name', '-c', '1']).trim();
    expect(names).toBe('veth0');
    // The ISB counts as written, read back through the reader.
    const back = await PacketFileReader.open(out);
    while (await back.readBatch(() => undefined)) {
      /* to the end */
    }
    expect(back.info.interfaces[0]?.stats).toMatchObject({ received: 1234, dropped: 56 });
    await back.close();
  });

  it('pcapng direction flags: host → inbound, outgoing → outbound (tshark frame.packet_flags_direction)', async () => {
    const out = join(tmp, 'dir.pcapng');
    const w = new PcapngWriter(out, { linkType: 1, snaplen: 65535 });
    const p = emptyPacket();
    const types = [0, 4, -1, 1, 2, 3];
    types.forEach((t, i) => {
      const f = udpFrame(10 + i, i);
      Object.assign(p, { buf: f, offset: 0, capLen: f.length, wireLen: f.length, tsSec: 1700000000 + i, tsNsec: 999999999 - i, pktType: t });
      w.write(p);
    });
    await w.close();
    const dirs = tool('tshark', ['-r', out, '-T', 'fields', '-e', 'frame.packet_flags_direction', '-e', 'frame.packet_flags_reception_type'])
      .trim()
      .split('\n');
    expect(dirs).toEqual(['0x00000001\t1', '0x00000002\t0', '\t', '0x00000001\t3', '0x00000001\t2', '0x00000001\t4']);
    const back: number[] = [];
    const r = await PacketFileReader.open(out);
    while (await r.readBatch((q) => back.push(q.pktType))) {
      /* collect */
    }
    await r.close();
    expect(back).toEqual(types);
  });

  it('an interface with another link type gets its own IDB', async () => {
    const out = join(tmp, 'two-links.pcapng');
    const w = new PcapngWriter(out, { linkType: 1, snaplen: 65535, ifName: 'eth0' });
    const p = emptyPacket();
    const eth = udpFrame(4, 1);
    Object.assign(p, { buf: eth, offset: 0, capLen: eth.length, wireLen: eth.length, tsSec: 1, linkType: 1 });
    w.write(p);
    Object.assign(p, { offset: 14, capLen: eth.length - 14, wireLen: eth.length - 14, linkType: 101 });
    w.write(p);
    await w.close();
    const rows = tool('tshark', ['-r', out, '-T', 'fields', '-e', 'frame.interface_id', '-e', 'frame.len']).trim().split('\n');
    expect(rows).toEqual(['0\t46', '1\t32']);
  });
});

describe('round trips', () => {
  for (const [name, nano] of [
    ['tcpdump.pcap', false],
    ['tcpdump-nano.pcap', true],
  ] as const) {
    it(`${name} → pcapng → pcap is byte-identical to the original file`, async () => {
      const src = join(fixtures, name);
      const ng = join(tmp, `${name}.rt.pcapng`);
      const back = join(tmp, `${name}.rt.pcap`);
      await copyFile(src, new PcapngWriter(ng, { linkType: 1, snaplen: 262144 }));
      await copyFile(ng, new PcapWriter(back, { linkType: 1, snaplen: 262144, nano }));
      expect(Buffer.compare(readFileSync(back), readFileSync(src))).toBe(0);
      expect(strip(await tscapSeen(ng))).toEqual(strip(await tscapSeen(src)));
    });
  }
});

describe('stream output', () => {
  it('-w - style: a pipe into `tcpdump -r -` with backpressure', async () => {
    const child = spawn('tcpdump', ['-r', '-', '-n', '-q', '-tt'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const done = new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
    const w = new PcapWriter(child.stdin, { linkType: 1, snaplen: 65535, nano: false });
    const p = emptyPacket();
    const f = udpFrame(1400, 9);
    const total = 20000; // ~29 MB: far above the pipe buffer, so drain waits are exercised
    for (let i = 0; i < total; i++) {
      Object.assign(p, { buf: f, offset: 0, capLen: f.length, wireLen: f.length, tsSec: 1700000000 + i, tsNsec: 0 });
      w.write(p);
      if (i % 500 === 499) await w.flush();
    }
    await w.close();
    child.stdin.end();
    expect(await done).toBe(0);
    expect(stdout.trim().split('\n').length).toBe(total);
  });

  it('-U writes each packet at once', async () => {
    const out = join(tmp, 'unbuffered.pcap');
    const w = new PcapWriter(out, { linkType: 1, snaplen: 65535, nano: false, flushEachPacket: true });
    expect(statSync(out).size).toBe(24);
    const p = emptyPacket();
    const f = udpFrame(10, 1);
    Object.assign(p, { buf: f, offset: 0, capLen: f.length, wireLen: f.length });
    w.write(p);
    expect(statSync(out).size).toBe(24 + 16 + f.length);
    await w.close();
  });
});

describe('stop with SIGINT', () => {
  for (const name of ['stopped.pcap', 'stopped.pcapng']) {
    it(`${name}: valid, and tcpdump reads exactly the count the writer reports`, async () => {
      const out = join(tmp, name);
      const tsx = join(import.meta.dirname, '../../node_modules/.bin/tsx');
      const child = spawn(tsx, [join(import.meta.dirname, 'sigint-writer.ts'), out], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      // Stopped once more than one batch (257 packets) is in the file: the stop lands mid-stream.
      await waitForRecords(out, 2 * 257 + 1);
      const exited = new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      const reported = Number(/(\d+) packets captured/.exec(stderr)?.[1]);
      expect(reported).toBeGreaterThan(257);
      const lines = tool('tcpdump', ['-r', out, '-n', '-q', '-tt']).trim().split('\n');
      expect(lines.length).toBe(reported);
      expect(Number(/Number of packets:\s+(\d+)/.exec(tool('capinfos', ['-M', '-c', out]))?.[1])).toBe(reported);
    });
  }
});

describe('errors', () => {
  it('a missing input file: path and strerror text', async () => {
    const path = join(tmp, 'does-not-exist.pcap');
    await expect(PacketFileReader.open(path)).rejects.toThrow(new PcapIoError(path, 'ENOENT', 'No such file or directory'));
    await expect(PacketFileReader.open(path)).rejects.toThrow(`${path}: No such file or directory`);
  });

  it('an output path in a missing directory: path and strerror text', () => {
    const path = join(tmp, 'no-dir', 'x.pcap');
    expect(() => new PcapWriter(path, { linkType: 1, snaplen: 65535, nano: false })).toThrow(`${path}: No such file or directory`);
  });

  it('ENOSPC: flush throws with the path, and the file is valid up to the last whole packet', async () => {
    await withSmallTmpfs(tmp, async (mnt) => {
      for (const kind of ['pcap', 'pcapng'] as const) {
        const out = join(mnt, `full.${kind}`);
        const w = kind === 'pcap' ? new PcapWriter(out, { linkType: 1, snaplen: 65535, nano: false }) : new PcapngWriter(out, { linkType: 1, snaplen: 65535 });
        const p = emptyPacket();
        const f = udpFrame(999, 3); // odd sizes so the disk fills mid-record
        const { error, written } = await fillUntilFull(w, (i) => {
          Object.assign(p, { buf: f, offset: 0, capLen: f.length, wireLen: f.length, tsSec: i });
          w.write(p);
        });
        expect(error).toBeInstanceOf(PcapIoError);
        expect((error as PcapIoError).message).toBe(`${out}: No space left on device`);
        // Valid to the last whole record: capinfos reads it without error.
        const info = tool('capinfos', ['-M', '-c', out]);
        const count = Number(/Number of packets:\s+(\d+)/.exec(info)?.[1]);
        expect(count).toBeGreaterThan(0);
        expect(count).toBeLessThan(written);
        expect((await tscapSeen(out)).length).toBe(count);
        rmSync(out);
      }
    });
  });
});

// Keep the synthetic helpers honest: a file written from crafted packets decodes in tshark as UDP.
it('crafted UDP frames are valid for tshark', () => {
  const out = join(tmp, 'udp.pcap');
  const f = udpFrame(5, 1);
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(1, 20);
  const rec = Buffer.alloc(16);
  rec.writeUInt32LE(f.length, 8);
  rec.writeUInt32LE(f.length, 12);
  writeFileSync(out, Buffer.concat([head, rec, f]));
  expect(tool('tshark', ['-r', out, '-T', 'fields', '-e', 'udp.dstport']).trim()).toBe('53');
});
