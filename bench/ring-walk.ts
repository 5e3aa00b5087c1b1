/**
 * CPU per packet of the TPACKET_V3 block walk alone: a ring laid out as the kernel lays it out (block
 * descriptors, tpacket3_hdr, sockaddr_ll, frames at tp_mac) is walked by the same RingWalker the live
 * engine uses, over and over, with the blocks handed back to "user" between rounds.
 *
 *   npx tsx bench/ring-walk.ts [frameBytes=64] [rounds=40]
 */
import { emptyPacket } from '../src/packet.js';
import { RingWalker, type RingOptions } from '../src/capture/ring.js';
import { BLOCK_DESC, TPACKET3_HDR, TP_STATUS, SOCKADDR_LL } from '../src/syscalls/index.js';

const frameBytes = Number(process.argv[2] ?? 64);
const rounds = Number(process.argv[3] ?? 40);
const geometry: RingOptions = { blockSize: 512 * 1024, blockCount: 64, frameSize: 2048, blockTimeoutMs: 10 };
const ring = new Uint8Array(geometry.blockSize * geometry.blockCount);
const dv = new DataView(ring.buffer);

// Per packet: header at h, frame at h + macOff, next packet at TPACKET_ALIGN(macOff + len) as the kernel does.
const macOff = 86;
const stride = (macOff + frameBytes + 15) & ~15;
let perBlock = 0;
for (let b = 0; b < geometry.blockCount; b++) {
  const base = b * geometry.blockSize;
  let h = base + 64;
  let n = 0;
  while (h + stride <= base + geometry.blockSize) {
    dv.setUint32(h + TPACKET3_HDR.tpNextOffset, stride, true);
    dv.setUint32(h + TPACKET3_HDR.tpSec, 1_700_000_000, true);
    dv.setUint32(h + TPACKET3_HDR.tpNsec, n, true);
    dv.setUint32(h + TPACKET3_HDR.tpSnaplen, frameBytes, true);
    dv.setUint32(h + TPACKET3_HDR.tpLen, frameBytes, true);
    dv.setUint32(h + TPACKET3_HDR.tpStatus, TP_STATUS.USER, true);
    dv.setUint16(h + TPACKET3_HDR.tpMac, macOff, true);
    dv.setInt32(h + TPACKET3_HDR.sll + SOCKADDR_LL.ifindex, 3, true);
    h += stride;
    n++;
  }
  dv.setUint32(base + BLOCK_DESC.numPkts, n, true);
  dv.setUint32(base + BLOCK_DESC.offsetToFirstPkt, 64, true);
  perBlock = n;
}
const status = new Int32Array(ring.buffer);
const giveAll = (): void => {
  for (let b = 0; b < geometry.blockCount; b++) Atomics.store(status, (b * geometry.blockSize + BLOCK_DESC.blockStatus) >> 2, TP_STATUS.USER);
};

const walker = new RingWalker(ring, geometry, true, 1, 0);
const p = emptyPacket();
let sum = 0;
const walkRound = (): number => {
  giveAll();
  let n = 0;
  while (walker.next(p)) {
    sum += p.capLen; // touch the record as a sink would
    n++;
  }
  return n;
};
for (let i = 0; i < 5; i++) walkRound(); // warm up the JIT

const t0 = process.cpuUsage();
const w0 = process.hrtime.bigint();
let packets = 0;
for (let i = 0; i < rounds; i++) packets += walkRound();
const cpu = process.cpuUsage(t0);
const wall = Number(process.hrtime.bigint() - w0);
const cpuNs = (cpu.user + cpu.system) * 1000;
console.log(
  JSON.stringify({
    bench: 'ring-walk',
    frameBytes,
    packetsPerBlock: perBlock,
    packets,
    cpuNsPerPacket: +(cpuNs / packets).toFixed(1),
    wallNsPerPacket: +(wall / packets).toFixed(1),
    mppsOneCore: +(packets / (wall / 1e9) / 1e6).toFixed(2),
    checksum: sum,
  }),
);
