/** Test helper: reads a capture from stdin with `readPackets('-')` and prints `count lastTime format`. */
import { readPackets } from '../../src/pcap/reader.js';

let n = 0;
let last = '';
for await (const p of readPackets('-')) {
  n++;
  last = `${p.tsSec}.${String(p.tsNsec).padStart(9, '0')}`;
}
process.stdout.write(`${n} ${last}\n`);
