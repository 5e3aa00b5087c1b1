/**
 * Gathered writes (writev from native memory, the path `tscap -w` takes for ring packets): the file
 * is byte-identical to the copying writer's, records keep their order when gathered and copied
 * packets alternate, a full disk leaves a file valid to its last whole record, and the writer refuses
 * to gather where it cannot (streams, -U).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyPacket, type PacketView } from '../../src/packet.js';
import { GATHER_RECORDS, nativeSource } from '../../src/capture/gather.js';
import { PcapIoError } from '../../src/pcap/errors.js';
import { PcapWriter } from '../../src/pcap/writer.js';
import { allocNative } from '../../src/syscalls/index.js';
import { fillUntilFull, withSmallTmpfs } from '../helpers/full-disk.js';
import { parsePcap } from '../helpers/pcap-lite.js';

const tmp = mkdtempSync(join(tmpdir(), 'tscap-gather-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SNAPLEN = 1000;
const native = allocNative(1 << 20);
for (let i = 0; i < native.bytes.length; i++) native.bytes[i] = (i * 7 + (i >> 9)) & 0xff;
const source = nativeSource({ bytes: native.bytes, address: native.ptr });
const other = Uint8Array.from({ length: 4096 }, (_, i) => (i * 13) & 0xff);

interface Pkt {
  inSource: boolean;
  offset: number;
  len: number;
  sec: number;
  nsec: number;
}

/**
 * 1,300 packets (more than a gather batch holds, with room for a header or not): sizes 0..1200 (some
 * beyond the snaplen), odd offsets, at least 16 free bytes in front of each, every 97th not in the source.
 */
let next = 16;
const packets: Pkt[] = Array.from({ length: 1300 }, (_, i) => {
  const len = (i * 37) % 1201;
  const inSource = i % 97 !== 5;
  const offset = inSource ? next : (i * 7) % (other.length - len);
  if (inSource) next += len + 16 + (i % 5);
  return { inSource, offset, len, sec: 1_700_000_000 + i, nsec: (i * 999_983) % 1_000_000_000 };
});

function view(p: Pkt, into: PacketView): PacketView {
  Object.assign(into, { buf: p.inSource ? source.bytes : other, offset: p.offset, capLen: p.len, wireLen: p.len + 4, tsSec: p.sec, tsNsec: p.nsec });
  return into;
}

async function writeAll(path: string, mode: 'copy' | 'gather' | 'record' | 'headroom', nano: boolean): Promise<Uint8Array> {
  const w = new PcapWriter(path, { linkType: 1, snaplen: SNAPLEN, nano });
  if (mode !== 'copy') expect(w.gatherFrom(source)).toBe(true);
  const pv = emptyPacket();
  let expectedSize = 24;
  for (const [i, p] of packets.entries()) {
    if (mode === 'record' && p.inSource) w.record(p.sec, p.nsec, p.len, p.len + 4, p.offset);
    else if (mode === 'headroom' && p.inSource) w.record(p.sec, p.nsec, p.len, p.len + 4, p.offset, i % 3 === 0 ? 15 : 16);
    else w.write(view(p, pv));
    expectedSize += 16 + Math.min(p.len, SNAPLEN);
    expect(w.size).toBe(expectedSize);
    if (i % 400 === 399) await w.flush();
  }
  await w.close();
  return readFileSync(path);
}

describe('gathered pcap records', () => {
  it.each([false, true])('are byte-identical to copied ones (nanoseconds: %s), through write() and record()', async (nano) => {
    const copied = await writeAll(join(tmp, `copy-${nano}.pcap`), 'copy', nano);
    const gathered = await writeAll(join(tmp, `gather-${nano}.pcap`), 'gather', nano);
    const recorded = await writeAll(join(tmp, `record-${nano}.pcap`), 'record', nano);
    const second = (packets[1] as Pkt).offset; // its record gets headroom 16: built in place
    const before = Buffer.from(source.bytes.subarray(second - 16, second));
    const inPlace = await writeAll(join(tmp, `headroom-${nano}.pcap`), 'headroom', nano);
    expect(packets.length).toBeGreaterThan(GATHER_RECORDS);
    expect(Buffer.compare(gathered, copied)).toBe(0);
    expect(Buffer.compare(recorded, copied)).toBe(0);
    expect(Buffer.compare(inPlace, copied)).toBe(0);
    // With headroom the header was built in front of the packet.
    expect(Buffer.compare(Buffer.from(source.bytes.subarray(second - 16, second)), before)).not.toBe(0);
    // And the copy is right: every record holds the packet's bytes, cut to the snaplen.
    const f = parsePcap(copied);
    expect(f.records).toHaveLength(packets.length);
    for (const [i, r] of f.records.entries()) {
      const p = packets[i] as Pkt;
      const src = p.inSource ? source.bytes : other;
      expect(r.tsSec).toBe(p.sec);
      expect(r.tsFrac).toBe(nano ? p.nsec : Math.floor(p.nsec / 1000));
      expect(r.wireLen).toBe(p.len + 4);
      expect(Buffer.compare(r.data, src.subarray(p.offset, p.offset + Math.min(p.len, SNAPLEN)))).toBe(0);
    }
    // tcpdump reads the gathered file to the end.
    const out = execFileSync('tcpdump', ['-r', join(tmp, `gather-${nano}.pcap`), '-nn', '-q'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out.trim().split('\n')).toHaveLength(packets.length);
  });

  it('is refused for streams and with flushEachPacket (-U)', () => {
    expect(new PcapWriter(new PassThrough(), { linkType: 1, snaplen: 100, nano: false }).gatherFrom(source)).toBe(false);
    expect(new PcapWriter(join(tmp, 'u.pcap'), { linkType: 1, snaplen: 100, nano: false, flushEachPacket: true }).gatherFrom(source)).toBe(false);
  });

  it('ENOSPC: flush throws with the path, and the file is valid up to the last whole packet', async () => {
    await withSmallTmpfs(tmp, async (mnt) => {
      const out = join(mnt, 'full.pcap');
      const w = new PcapWriter(out, { linkType: 1, snaplen: 65535, nano: false });
      expect(w.gatherFrom(source)).toBe(true);
      const { error, written } = await fillUntilFull(w, (i) => w.record(i, 0, 999, 999, i * 1001)); // odd sizes: the disk fills mid-record
      expect(error).toBeInstanceOf(PcapIoError);
      expect((error as PcapIoError).message).toBe(`${out}: No space left on device`);
      const info = execFileSync('capinfos', ['-M', '-c', out], { encoding: 'utf8' });
      const count = Number(/Number of packets:\s+(\d+)/.exec(info)?.[1]);
      expect(count).toBeGreaterThan(0);
      expect(count).toBeLessThan(written);
      const f = parsePcap(readFileSync(out));
      expect(f.records).toHaveLength(count);
      expect(Buffer.compare(f.records[count - 1]?.data ?? new Uint8Array(), source.bytes.subarray((count - 1) * 1001, (count - 1) * 1001 + 999))).toBe(0);
    });
  });
});
