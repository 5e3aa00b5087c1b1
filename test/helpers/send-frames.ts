/**
 * Raw frame sender for tests, run inside a namespace: `tsx send-frames.ts IFACE < frames`, where stdin
 * holds frames as lines of hex. Uses tscap's own injector (AF_PACKET sendto). Prints the count sent.
 * With `--chunks`, a line `.` sends what came before it and answers with the count sent so far, so the
 * test can wait for the receiver between chunks (see `sendInChunks`).
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { openInjector } from '../../src/capture/inject.js';

const iface = process.argv[2];
if (!iface) throw new Error('usage: send-frames IFACE [--chunks] < hex-lines');
const inj = openInjector(iface);
const gapUs = Number(process.env['SEND_GAP_US'] ?? '0');
let sent = 0;
const pause = new Int32Array(new SharedArrayBuffer(4));
const send = (line: string): void => {
  inj.send(Buffer.from(line.trim(), 'hex'));
  sent++;
  if (gapUs > 0 && sent % 100 === 0) Atomics.wait(pause, 0, 0, (gapUs * 100) / 1000);
};
if (process.argv[3] === '--chunks') {
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === '.') process.stdout.write(`${sent}\n`);
    else if (line.trim() !== '') send(line);
  }
} else {
  for (const line of readFileSync(0, 'utf8').split('\n')) if (line.trim() !== '') send(line);
  process.stdout.write(`${sent}\n`);
}
inj.close();
