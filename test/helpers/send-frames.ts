/**
 * Raw frame sender for tests, run inside a namespace: `tsx send-frames.ts IFACE < frames`, where stdin
 * holds frames as lines of hex. Uses tscap's own injector (AF_PACKET sendto). Prints the count sent.
 */
import { readFileSync } from 'node:fs';
import { openInjector } from '../../src/capture/inject.js';

const iface = process.argv[2];
if (!iface) throw new Error('usage: send-frames IFACE < hex-lines');
const lines = readFileSync(0, 'utf8').split('\n').filter((l) => l.trim() !== '');
const inj = openInjector(iface);
const gapUs = Number(process.env['SEND_GAP_US'] ?? '0');
let sent = 0;
const pause = new Int32Array(new SharedArrayBuffer(4));
for (const line of lines) {
  inj.send(Buffer.from(line.trim(), 'hex'));
  sent++;
  if (gapUs > 0 && sent % 100 === 0) Atomics.wait(pause, 0, 0, (gapUs * 100) / 1000);
}
inj.close();
process.stdout.write(`${sent}\n`);
