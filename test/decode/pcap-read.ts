/** Test-only reader for classic pcap files (both byte orders, micro and nano magic); not the product reader. */
import { readFileSync } from 'node:fs';
import { emptyPacket, type PacketView } from '../../src/packet.js';

/** Records of a classic pcap file as owned PacketView objects (tests only keep them). */
export interface PcapFile {
  linkType: number;
  nano: boolean;
  packets: PacketView[];
}

/** Reads a whole classic pcap file; throws on a pcapng or unknown magic. */
export function readPcap(path: string): PcapFile {
  const buf = new Uint8Array(readFileSync(path));
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = dv.getUint32(0, true);
  let le: boolean;
  let nano: boolean;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) [le, nano] = [true, magic === 0xa1b23c4d];
  else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) [le, nano] = [false, magic === 0x4d3cb2a1];
  else throw new Error(`${path}: not a classic pcap file (magic 0x${magic.toString(16)})`);
  const linkType = dv.getUint32(20, le) & 0x0fffffff;
  const packets: PacketView[] = [];
  for (let off = 24; off + 16 <= buf.length; ) {
    const capLen = dv.getUint32(off + 8, le);
    const p = emptyPacket();
    p.buf = buf;
    p.offset = off + 16;
    p.capLen = Math.min(capLen, buf.length - off - 16);
    p.wireLen = dv.getUint32(off + 12, le);
    p.tsSec = dv.getUint32(off, le);
    const frac = dv.getUint32(off + 4, le);
    p.tsNsec = nano ? frac : frac * 1000;
    p.linkType = linkType;
    p.index = packets.length;
    packets.push(p);
    off += 16 + capLen;
  }
  return { linkType, nano, packets };
}
