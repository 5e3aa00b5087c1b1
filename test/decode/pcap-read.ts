/** Decode tests read classic pcap fixtures as PacketView records, through the shared test-only reader. */
import { emptyPacket, type PacketView } from '../../src/packet.js';
import { readPcap as readLite } from '../helpers/pcap-lite.js';

/** Records of a classic pcap file as owned PacketView objects (tests only keep them). */
export interface PcapFile {
  linkType: number;
  nano: boolean;
  packets: PacketView[];
}

/** Reads a whole classic pcap file; throws on a pcapng or unknown magic. */
export function readPcap(path: string): PcapFile {
  const file = readLite(path);
  const packets = file.records.map((r, index) => {
    const p = emptyPacket();
    p.buf = r.data;
    p.capLen = r.data.length;
    p.wireLen = r.wireLen;
    p.tsSec = r.tsSec;
    p.tsNsec = file.nanosecond ? r.tsFrac : r.tsFrac * 1000;
    p.linkType = file.linkType;
    p.index = index;
    return p;
  });
  return { linkType: file.linkType, nano: file.nanosecond, packets };
}
