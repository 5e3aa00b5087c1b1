/**
 * Ethernet frames recorded as LINKTYPE_LINUX_SLL2, so a pcap file of several interfaces keeps each
 * packet's interface (pcap has one link type per file and no per-packet interface). The 14-byte
 * Ethernet header becomes the 20-byte SLL2 header: protocol (the EtherType or TPID that followed the
 * addresses), interface index, ARPHRD_ETHER, packet type, and the source address.
 */
import type { PacketSink, PacketView } from '../packet.js';
import { emptyPacket } from '../packet.js';
import { LinkType } from '../pcap/linktype.js';

const SLL2_HDR_LEN = 20;
const ETH_HDR_LEN = 14;

/**
 * Wraps `inner` (a writer created with link type LINUX_SLL2) so it can be fed Ethernet frames.
 * @example
 * const sink = sll2Sink(createFileSink({ path: 'out.pcap', linkType: LinkType.LINUX_SLL2, snaplen, nano }));
 */
export function sll2Sink(inner: PacketSink): PacketSink {
  let scratch = new Uint8Array(2048);
  const out = emptyPacket();
  return {
    write(p: PacketView): void {
      if (p.linkType !== LinkType.EN10MB || p.capLen < ETH_HDR_LEN) {
        inner.write(p);
        return;
      }
      const len = p.capLen - ETH_HDR_LEN + SLL2_HDR_LEN;
      if (scratch.length < len) scratch = new Uint8Array(len * 2);
      const b = p.buf;
      const o = p.offset;
      scratch[0] = b[o + 12] ?? 0;
      scratch[1] = b[o + 13] ?? 0;
      scratch[2] = 0;
      scratch[3] = 0;
      scratch[4] = (p.ifindex >>> 24) & 0xff;
      scratch[5] = (p.ifindex >>> 16) & 0xff;
      scratch[6] = (p.ifindex >>> 8) & 0xff;
      scratch[7] = p.ifindex & 0xff;
      scratch[8] = 0;
      scratch[9] = 1; // ARPHRD_ETHER
      scratch[10] = p.pktType < 0 ? 0 : p.pktType;
      scratch[11] = 6;
      scratch.set(b.subarray(o + 6, o + 12), 12);
      scratch[18] = 0;
      scratch[19] = 0;
      scratch.set(b.subarray(o + ETH_HDR_LEN, o + p.capLen), SLL2_HDR_LEN);
      Object.assign(out, p);
      out.buf = scratch;
      out.offset = 0;
      out.capLen = len;
      out.wireLen = p.wireLen - ETH_HDR_LEN + SLL2_HDR_LEN;
      out.linkType = LinkType.LINUX_SLL2;
      inner.write(out);
    },
    flush: () => inner.flush(),
    close: () => inner.close(),
  };
}
