/**
 * Writes a pcap of N distinct UDP flows, each from its own source address (so N conversations of each
 * kind and N + 1 endpoints), one 60-byte frame per flow, to measure `--summary` on many flows:
 *
 *   npx tsx bench/flows-pcap.ts 300000 /tmp/flows-300k.pcap
 *   /usr/bin/time -v node dist/bin/tscap.js -r /tmp/flows-300k.pcap --summary conv --summary endpoints > /dev/null
 */
import { openSync, writeSync, closeSync } from 'node:fs';

const n = Number(process.argv[2] ?? '300000');
const path = process.argv[3];
if (!Number.isInteger(n) || n < 1 || path === undefined) throw new Error('usage: flows-pcap N FILE');
const fd = openSync(path, 'w');
const header = Buffer.alloc(24);
header.writeUInt32LE(0xa1b2c3d4, 0);
header.writeUInt16LE(2, 4);
header.writeUInt16LE(4, 6);
header.writeUInt32LE(65535, 16);
header.writeUInt32LE(1, 20);
writeSync(fd, header);
const REC = 16 + 60;
const PER = 8192;
const buf = Buffer.alloc(REC * PER);
// One template record: Ethernet, IPv4 → 198.19.0.1, UDP → 53; the source address differs per flow.
for (let r = 0; r < PER; r++) {
  const o = r * REC;
  buf.writeUInt32LE(60, o + 8);
  buf.writeUInt32LE(60, o + 12);
  const f = o + 16;
  buf.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00], f);
  buf.set([0x45, 0, 0, 46, 0, 0, 0, 0, 64, 17, 0, 0, 198, 18, 0, 0, 198, 19, 0, 1], f + 14);
  buf.set([0, 0, 0, 53, 0, 26, 0, 0], f + 34);
}
let written = 0;
while (written < n) {
  const count = Math.min(PER, n - written);
  for (let r = 0; r < count; r++) {
    const i = written + r;
    const o = r * REC;
    buf.writeUInt32LE(1_700_000_000 + Math.floor(i / 100_000), o);
    buf.writeUInt32LE((i % 100_000) * 10, o + 4);
    const f = o + 16;
    // sources in 100.64.0.0/10 (4,194,304 addresses; the file is never sent anywhere)
    buf[f + 14 + 12] = 100;
    buf[f + 14 + 13] = 64 | ((i >>> 16) & 63);
    buf[f + 14 + 14] = (i >>> 8) & 255;
    buf[f + 14 + 15] = i & 255;
    buf.writeUInt16BE(1024 + (i >>> 22), f + 34);
  }
  writeSync(fd, buf, 0, count * REC);
  written += count;
}
closeSync(fd);
process.stdout.write(`${n} flows written to ${path}\n`);
