/** The file progress line: when it shows, what it says, and that it cleans up after itself. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyPacket } from '../../src/packet.js';
import { createProgress, progressFileSize } from '../../src/sinks/progress.js';

const dir = mkdtempSync(join(tmpdir(), 'tscap-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('progressFileSize', () => {
  const big = join(dir, 'big.pcap');
  writeFileSync(big, Buffer.alloc(5 * 1024 * 1024));
  const small = join(dir, 'small.pcap');
  writeFileSync(small, Buffer.alloc(1000));

  it('shows for a large file on a terminal', () => {
    expect(progressFileSize({ path: big, quiet: false, isTTY: true })).toBe(5 * 1024 * 1024);
  });
  it('is off with -q, without a terminal, over printed packets, for stdin, small or missing files', () => {
    expect(progressFileSize({ path: big, quiet: true, isTTY: true })).toBeUndefined();
    expect(progressFileSize({ path: big, quiet: false, isTTY: false })).toBeUndefined();
    expect(progressFileSize({ path: '-', quiet: false, isTTY: true })).toBeUndefined();
    expect(progressFileSize({ path: big, quiet: false, isTTY: true, printingToTerminal: true })).toBeUndefined();
    expect(progressFileSize({ path: small, quiet: false, isTTY: true })).toBeUndefined();
    expect(progressFileSize({ path: join(dir, 'none'), quiet: false, isTTY: true })).toBeUndefined();
    expect(progressFileSize({ path: dir, quiet: false, isTTY: true })).toBeUndefined();
  });
});

describe('createProgress', () => {
  it('redraws at most once per interval and erases itself at close', async () => {
    let t = 0;
    const out: string[] = [];
    const line = createProgress({ totalBytes: 10_000_000, label: 'x.pcap', write: (s) => out.push(s), now: () => t, position: () => t * 1000 });
    const p = emptyPacket();
    p.capLen = 100;
    t = 1000; // 1 s, 1 MB read
    for (let i = 0; i < 50; i++) line.write(p);
    line.flush();
    expect(out).toHaveLength(1);
    expect(out[0]).toBe('\rx.pcap: 1.0 MB / 10.0 MB (10%), 50 packets, 1.0 MB/s, 50 pkt/s, ETA 0:09\x1b[K');
    t = 1100;
    line.flush();
    expect(out).toHaveLength(1);
    t = 2000;
    line.flush();
    expect(out).toHaveLength(2);
    await line.close();
    expect(out.at(-1)).toBe('\r\x1b[K');
    line.flush();
    expect(out).toHaveLength(3);
  });

  it('estimates the position from pcap records when the reader cannot tell', () => {
    const line = createProgress({ totalBytes: 1_000_000, write: () => undefined, now: () => 0 });
    const p = emptyPacket();
    p.capLen = 84;
    for (let i = 0; i < 10; i++) line.write(p);
    // 24-byte file header plus 10 records of 16 + 84 bytes
    expect(line.text()).toMatch(/^0\.0 MB \/ 1\.0 MB \(0%\), 10 packets/);
    const l2 = createProgress({ totalBytes: 1024, write: () => undefined, now: () => 0 });
    for (let i = 0; i < 10; i++) l2.write(p);
    expect(l2.text()).toMatch(/\(100%\)/);
  });

  it('writes nothing when it never drew', async () => {
    const out: string[] = [];
    const line = createProgress({ totalBytes: 1, write: (s) => out.push(s) });
    await line.close();
    expect(out).toEqual([]);
  });
});
