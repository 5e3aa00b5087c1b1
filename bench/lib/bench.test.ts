/**
 * The benchmark's own pieces that can be wrong silently: summary parsing (samples of each tool's
 * closing lines), medians, the test frame and the mixed file (checked by tcpdump -vv and tshark at test
 * time: lengths, and every checksum they verify).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { udpTestFrame } from './frames.js';
import { trafgenConfig } from './live.js';
import { writeMixedPcap } from './mixed-pcap.js';
import { fmtSpread, spread } from './stats.js';
import { PCAP_FILTER, TSCAP_FLAGS, TSHARK_FILTER, parseSummary } from './tools.js';

const dir = mkdtempSync(join(tmpdir(), 'tscap-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tool(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 << 20 });
  } catch (err) {
    const e = err as { code?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${cmd} is required: apt-get install -y ${cmd === 'tshark' ? 'tshark' : 'tcpdump'}`);
    throw new Error(`${cmd} ${args.join(' ')}: ${e.stderr ?? String(err)}`);
  }
}

/** A one-frame pcap around `frame`. */
function pcapOf(frame: Uint8Array): string {
  const b = Buffer.alloc(24 + 16 + frame.length);
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeUInt32LE(262144, 16);
  b.writeUInt32LE(1, 20);
  b.writeUInt32LE(frame.length, 32);
  b.writeUInt32LE(frame.length, 36);
  b.set(frame, 40);
  const path = join(dir, `frame-${frame.length}.pcap`);
  writeFileSync(path, b);
  return path;
}

describe('parseSummary', () => {
  it('reads tcpdump and tscap closing lines', () => {
    const err = 'listening on x\n1234 packets captured\n1300 packets received by filter\n66 packets dropped by kernel\n';
    expect(parseSummary('tcpdump', '', err)).toEqual({ captured: 1234, dropped: 66 });
    expect(parseSummary('tscap', '', '1 packet captured\n1 packet received by filter\n0 packets dropped by kernel\n')).toEqual({ captured: 1, dropped: 0 });
  });
  it('reads netsniff-ng: passed filter minus unread on exit', () => {
    const out = '\r      370688  packets incoming (12 unread on exit)\n\r      370688  packets passed filter\n\r           5  packets failed filter (out of space)\n';
    expect(parseSummary('netsniff-ng', out, '')).toEqual({ captured: 370676, dropped: 5 });
  });
  it('reads tshark, with and without drops', () => {
    expect(parseSummary('tshark', '', 'Capturing on \'x\'\ntshark: \n227584 packets captured\n')).toEqual({ captured: 227584, dropped: 0 });
    expect(parseSummary('tshark', '', '10 packets captured\n3 packets dropped from x\n')).toEqual({ captured: 10, dropped: 3 });
  });
  it('returns null without a summary', () => {
    expect(parseSummary('tcpdump', '', 'tcpdump: socket: Operation not permitted\n')).toBeNull();
  });
});

describe('flag detection', () => {
  it('finds options only at the start of a help line', () => {
    const help = '  -w <file>   write packets\n  -p, --no-promiscuous-mode  (use with -n)\n  --json  NDJSON\n';
    expect(TSCAP_FLAGS.write.test(help)).toBe(true);
    expect(TSCAP_FLAGS.numeric.test(help)).toBe(false);
    expect(TSCAP_FLAGS.json.test(help)).toBe(true);
    expect(TSCAP_FLAGS.filter.test(help)).toBe(false);
  });
});

describe('spread', () => {
  it('takes the median of odd and even counts and skips missing values', () => {
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, n: 3 });
    expect(spread([4, null, 1, 2, 3])).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
    expect(spread([null, undefined])).toBeNull();
    expect(fmtSpread(spread([0.0123, 0.0456, 0.03]))).toBe('0.03 [0.0123-0.0456]');
  });
});

describe('test frame', () => {
  it.each([64, 1514])('is %i bytes on the wire with checksums tcpdump accepts', (len) => {
    const f = udpTestFrame(len);
    expect(f.length).toBe(len);
    const text = tool('tcpdump', ['-r', pcapOf(f), '-nn', '-vv']);
    expect(text).toContain('198.18.0.1.4000 > 198.18.0.2.9');
    expect(text).toContain('udp sum ok');
    expect(text).not.toMatch(/bad cksum|incorrect/);
    expect(text).toContain(`length ${len - 42}`);
  });
  it('is spelled out byte for byte in the trafgen config', () => {
    const cfg = trafgenConfig(64);
    const bytes = [...cfg.matchAll(/0x([0-9a-f]{2})/g)].map((m) => parseInt(m[1]!, 16));
    expect(bytes).toEqual([...udpTestFrame(64)]);
  });
});

describe('mixed pcap', () => {
  const path = join(dir, 'mixed.pcap');
  const n = 3000;
  writeMixedPcap(path, n);
  it('holds the mix with valid checksums (tcpdump -vv)', () => {
    const text = tool('tcpdump', ['-r', path, '-nn', '-vv', '-e']);
    expect(text).not.toMatch(/bad cksum|incorrect|\[bad udp cksum|bad icmp/i);
    for (const needle of ['IPv6', 'ARP', 'vlan', 'ICMP echo', 'ICMP6', 'Flags [', 'A?', 'AAAA']) expect(text).toContain(needle);
  });
  it('is read whole by tshark, and the two filters select the same frames', () => {
    const all = tool('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.number']).trim().split('\n');
    expect(all.length).toBe(n);
    // Timestamps are unique in the file: the same list means the same frames.
    const viaTshark = tool('tshark', ['-r', path, '-Y', TSHARK_FILTER, '-T', 'fields', '-e', 'frame.time_epoch'])
      .trim()
      .split('\n')
      .map((t) => Number(t).toFixed(6));
    const viaTcpdump = tool('tcpdump', ['-r', path, '-nn', '-tt', PCAP_FILTER])
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[0]);
    expect(viaTcpdump.length).toBeGreaterThan(n / 20);
    expect(viaTshark).toEqual(viaTcpdump);
  });
});
