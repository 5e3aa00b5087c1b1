/**
 * Live capture into files: stopped by SIGINT mid-stream the file is whole and holds exactly the
 * summary's count (read back by tcpdump, the oracle); rotation by size and time loses and duplicates
 * nothing across files.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { ether, hexLines, pad60, sendFrames, udp4 } from '../helpers/frames.js';
import { readPcap } from '../helpers/pcap-lite.js';
import { createTestNet, type TestNet } from '../helpers/netns.js';
import { fileSize, waitFor, waitForRecords } from '../helpers/wait.js';

let net: TestNet;
const dir = mkdtempSync(join(tmpdir(), 'tscap-write-'));
beforeAll(() => {
  net = createTestNet('tw');
});
afterAll(() => net?.remove());

/** Frames numbered in their UDP payload (first 4 bytes), so files can be checked for gaps and repeats. */
function numbered(n: number, size = 60): Uint8Array[] {
  return Array.from({ length: n }, (_, i) =>
    pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4('203.0.113.1', '203.0.113.2', 4444, 9, [i >>> 24, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff, ...Array(Math.max(0, size - 46)).fill(0)]))),
  );
}

/** Sends frames from the namespace in the background; resolves with the count when done. */
function sendInBackground(frames: Uint8Array[], gapUs = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', net.ns, 'env', `SEND_GAP_US=${gapUs}`, process.execPath, '--import', 'tsx', 'test/helpers/send-frames.ts', net.peer]);
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.on('close', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`sender exited ${code}`))));
    child.stdin.end(hexLines(frames));
  });
}

/** Sequence numbers of the frames in a file, as tcpdump prints them (-x hex of the UDP payload). */
function sequenceNumbers(file: string): number[] {
  const text = execFileSync('tcpdump', ['-r', file, '-nn', '-tt', '-x', 'udp port 4444'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 << 20 });
  const seqs: number[] = [];
  for (const block of text.split(/\n(?=\d)/)) {
    const hex = block
      .split('\n')
      .slice(1)
      .map((l) => l.replace(/^\s*0x[0-9a-f]+:\s*/, '').replace(/\s+/g, ''))
      .join('');
    if (hex.length >= 64) seqs.push(Number.parseInt(hex.slice(56, 64), 16)); // IP 20 + UDP 8 bytes → payload at byte 28
  }
  return seqs;
}

function capturedCount(stderr: string): number {
  const m = /^(\d+) packets? captured$/m.exec(stderr);
  if (!m) throw new Error(`no summary in ${stderr}`);
  return Number(m[1]);
}

test.each(['pcap', 'pcapng'])('SIGINT mid-stream of 100,000 frames: the %s file holds exactly the summary count', async (format) => {
  const file = join(dir, `live.${format}`);
  const p = startCli(['-i', net.host, '-w', file]);
  await p.waitStderr(/listening on/);
  const sending = sendInBackground(numbered(100_000));
  // Mid-stream: the file has grown past its first blocks (about 5,000 of the 100,000 frames).
  await waitFor(() => fileSize(file) > 500_000, { what: `${file} to pass 500 kB`, timeoutMs: 60_000 });
  p.child.kill('SIGINT');
  const r = await p.done;
  await sending;
  expect(r.code).toBe(0);
  const n = capturedCount(r.stderr);
  expect(n).toBeGreaterThan(0);
  const seqs = sequenceNumbers(file);
  expect(seqs.length).toBe(n);
  // In order, no gaps: the kernel dropped nothing and the writer lost nothing before the stop.
  expect(seqs).toEqual(Array.from({ length: n }, (_, i) => i));
}, 120_000);

test('rotation by size (-C 1): files named as tcpdump names them, nothing lost or repeated', async () => {
  const base = join(dir, 'rot.pcap');
  const p = startCli(['-i', net.host, '-w', base, '-C', '1', '-c', '20000']);
  await p.waitStderr(/listening on/);
  await sendInBackground(numbered(20_000, 200));
  const r = await p.done;
  expect(r.code).toBe(0);
  const files = readdirSync(dir).filter((f) => f.startsWith('rot.pcap')).sort((a, b) => a.length - b.length || a.localeCompare(b));
  // 20,000 records of 230 bytes ≈ 4.6 MB: tcpdump's -C 1 makes rot.pcap, rot.pcap1, ... rot.pcap4.
  expect(files).toEqual(['rot.pcap', 'rot.pcap1', 'rot.pcap2', 'rot.pcap3', 'rot.pcap4']);
  const seqs = files.flatMap((f) => sequenceNumbers(join(dir, f)));
  expect(seqs).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
}, 120_000);

test('rotation by time (-G 1): strftime names, every frame in exactly one file', async () => {
  const pattern = join(dir, 'time-%Y%m%d-%H%M%S.pcap');
  const p = startCli(['-i', net.host, '-w', pattern, '-G', '1']);
  await p.waitStderr(/listening on/);
  await sendInBackground(numbered(3000), 1000); // 100 frames every 100 ms: about 3 s of traffic
  const timeFiles = (): string[] => readdirSync(dir).filter((f) => f.startsWith('time-')).map((f) => join(dir, f));
  await waitForRecords(timeFiles, 3000);
  p.child.kill('SIGINT');
  const r = await p.done;
  expect(r.code).toBe(0);
  expect(capturedCount(r.stderr)).toBe(3000);
  const files = readdirSync(dir).filter((f) => f.startsWith('time-')).sort();
  expect(files.length).toBeGreaterThanOrEqual(3);
  for (const f of files) expect(f).toMatch(/^time-\d{8}-\d{6}\.pcap$/);
  const seqs = files.flatMap((f) => sequenceNumbers(join(dir, f)));
  expect(seqs).toEqual(Array.from({ length: 3000 }, (_, i) => i));
}, 60_000);

test('SIGINT right after a burst: the block the kernel was still filling is written too', async () => {
  // The burst fits in one ring block, which the kernel hands over only at its timeout (100 ms when
  // writing a file): a stop that did not wait for it would leave the file empty.
  const file = join(dir, 'burst.pcap');
  const p = startCli(['-i', net.host, '-w', file]);
  await p.waitStderr(/listening on/);
  expect(sendFrames(net.ns, net.peer, numbered(500))).toBe(500);
  p.child.kill('SIGINT');
  const r = await p.done;
  expect(r.code).toBe(0);
  expect(capturedCount(r.stderr)).toBe(500);
  expect(r.stderr).toMatch(/^500 packets received by filter$/m);
  expect(sequenceNumbers(file)).toEqual(Array.from({ length: 500 }, (_, i) => i));
}, 60_000);

test('-w: tagged frames (0x8100, 0x88a8, QinQ) and untagged ones are written byte for byte as sent', async () => {
  const file = join(dir, 'tags.pcap');
  const tags = [
    [],
    [{ tpid: 0x8100, pcp: 5, dei: false, vid: 100 }],
    [{ tpid: 0x88a8, pcp: 1, dei: true, vid: 4095 }],
    [
      { tpid: 0x88a8, pcp: 3, dei: false, vid: 7 },
      { tpid: 0x8100, pcp: 0, dei: false, vid: 0 },
    ],
  ];
  const frames = Array.from({ length: 400 }, (_, i) =>
    pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4('203.0.113.1', '203.0.113.2', 4444, 9, [0, 0, i >> 8, i & 0xff]), tags[i % tags.length])),
  );
  const p = startCli(['-i', net.host, '-w', file, '-c', String(frames.length)]);
  await p.waitStderr(/listening on/);
  sendFrames(net.ns, net.peer, frames);
  const r = await p.done;
  expect(r.code).toBe(0);
  const got = readPcap(file).records.map((rec) => Buffer.from(rec.data).toString('hex'));
  expect(got).toEqual(frames.map((f) => Buffer.from(f).toString('hex')));
}, 60_000);

test('-w with -Q in, -Q out and -c: the file holds exactly the chosen direction, cut at the count', async () => {
  const fromPeer = numbered(200); // arrive on the host end: incoming
  const fromHost = numbered(300).slice(200); // leave the host end: outgoing, numbers 200..299
  const sendFromHost = (): void => {
    execFileSync(process.execPath, ['--import', 'tsx', 'test/helpers/send-frames.ts', net.host], { input: hexLines(fromHost), stdio: ['pipe', 'ignore', 'inherit'] });
  };
  for (const [q, expected] of [
    ['in', Array.from({ length: 150 }, (_, i) => i)],
    ['out', Array.from({ length: 100 }, (_, i) => 200 + i)],
  ] as const) {
    const file = join(dir, `q-${q}.pcap`);
    const p = startCli(['-i', net.host, '-Q', q, '-w', file, ...(q === 'in' ? ['-c', '150'] : [])]);
    await p.waitStderr(/listening on/);
    sendFromHost();
    sendFrames(net.ns, net.peer, fromPeer);
    if (q === 'out') p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(capturedCount(r.stderr)).toBe(expected.length);
    expect(sequenceNumbers(file)).toEqual(expected);
  }
}, 60_000);
