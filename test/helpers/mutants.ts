/**
 * Inputs for differential tests: every fixture packet as captured, then seeded mutants of them
 * (bit flips, random and extreme bytes, cuts) and random frames, each as a reused PacketView.
 */
import { emptyPacket, type PacketView } from '../../src/packet.js';
import { fixtureFiles } from '../decode/fixtures.js';
import { readPcap } from '../decode/pcap-read.js';

/** xorshift32: small, seeded, reproducible. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** Every fixture file's packets, by file path. */
export function fixturePackets(): Array<{ file: string; packets: PacketView[] }> {
  return fixtureFiles().map((file) => ({ file, packets: readPcap(file).packets }));
}

/** Options of `eachMutant`; without them the sequence for a seed is the same as ever. */
export interface MutantOptions {
  /** Most mutants of a fixture keep only their first `headBytes` bytes (headers sit there; cheaper to print), one in 16 the whole frame. */
  headBytes?: number;
  /** One input in 8 takes one of these link types instead of its own, so every link type's parser meets every frame. */
  linkTypes?: readonly number[];
  /** More packets to mutate beside the fixtures' (each under its own link type). */
  extraSeeds?: readonly PacketView[];
}

/**
 * `count` mutants of fixture packets (one in eight a random frame with an Ethernet/IPv4 start), each
 * handed to `visit` in one reused PacketView (valid only during the call).
 */
export function eachMutant(count: number, seed: number, visit: (p: PacketView) => void, opts: MutantOptions = {}): void {
  const next = rng(seed);
  const seeds: PacketView[] = [...fixturePackets().flatMap((f) => f.packets), ...(opts.extraSeeds ?? [])];
  const buf = new Uint8Array(2048);
  const pkt = emptyPacket();
  for (let n = 0; n < count; n++) {
    const r = next();
    let len: number;
    let lt = 1;
    if ((r & 7) === 0) {
      len = next() % 200;
      for (let k = 0; k < len; k++) buf[k] = next() & 0xff;
      if (len > 14 && r & 8) {
        buf[12] = 0x08;
        buf[13] = 0;
        buf[14] = 0x45;
      }
    } else {
      const s = seeds[next() % seeds.length]!;
      lt = s.linkType;
      len = Math.min(s.capLen, buf.length, opts.headBytes !== undefined && (r & 0xf00) !== 0 ? opts.headBytes : buf.length);
      buf.set(s.buf.subarray(s.offset, s.offset + len));
      const flips = 1 + (next() % 4);
      for (let k = 0; k < flips && len > 0; k++) {
        // headers sit in the first bytes: most flips land there
        const at = next() % Math.min(len, (r & 0x30) === 0 ? len : 80);
        const m = next() % 3;
        buf[at] = m === 0 ? buf[at]! ^ (1 << (next() & 7)) : m === 1 ? next() & 0xff : 0xff;
      }
      if (next() % 4 === 0) len = next() % (len + 1);
    }
    pkt.buf = buf;
    pkt.offset = 0;
    pkt.capLen = len;
    pkt.wireLen = len + (next() % 3 === 0 ? next() % 100 : 0);
    // the options read bits of r nothing else reads: without them a seed gives the same inputs as ever
    const lts = opts.linkTypes;
    pkt.linkType = lts !== undefined && lts.length > 0 && ((r >>> 12) & 7) === 0 ? (lts[(r >>> 16) % lts.length] as number) : lt;
    pkt.tsSec = 1700000000 + (n >>> 10);
    pkt.tsNsec = next() % 1_000_000_000;
    pkt.index = n;
    visit(pkt);
  }
}
