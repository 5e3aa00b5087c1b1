/**
 * Test helper: writes synthetic packets to a file (argv[2], pcapng when it ends in .pcapng) in batches
 * until SIGINT, then closes the writer and prints the number of packets written, as the CLI's summary
 * line would. Exercises "stop with Ctrl-C: the file is valid and holds exactly the count".
 */
import { emptyPacket } from '../../src/packet.js';
import { createFileSink } from '../../src/pcap/rotate.js';
import { udpFrame } from './craft.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: sigint-writer FILE');
const sink = createFileSink({ path, linkType: 1, snaplen: 65535, nano: true });
const frame = udpFrame(48, 0x55);
const p = emptyPacket();
p.buf = frame;
p.capLen = frame.length;
p.wireLen = frame.length;
let count = 0;
let stopping = false;
process.on('SIGINT', () => {
  stopping = true;
});
process.stdout.write('ready\n');
while (!stopping) {
  // One "ring block" worth of packets, then a flush and a turn of the event loop for signals.
  for (let i = 0; i < 257; i++) {
    p.tsSec = 1700000000 + Math.floor(count / 1000);
    p.tsNsec = count % 1000;
    p.index = count;
    sink.write(p);
    count++;
  }
  await sink.flush();
  // Paced (about 100k packets/s at most) so the test does not hog a shared CPU.
  await new Promise((r) => setTimeout(r, 2));
}
await sink.close();
process.stderr.write(`${count} packets captured\n`);
