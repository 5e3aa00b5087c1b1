/**
 * TIPC (Transparent Inter-Process Communication), EtherType 0x88ca, as tcpdump 4.99 prints it: the
 * first header words (version, user, header and message size, message type), then by user a payload
 * message's ports and nodes, an internal message's nodes and link fields, or a neighbour detection
 * message's domain, signature and network id (the TIPC message formats of tipc.sourceforge.net).
 * Other users print nothing, as in tcpdump.
 */
import { FixedHeaderView, u32 } from './status.js';
import { type Printer, longjmpCut } from './print.js';

/** Field offsets (each a 32-bit word) of the header variants. */
export const TipcOffsets = {
  w0: 0, w1: 4, w2: 8, prevNode: 12, origPort: 16, destPort: 20, origNode: 24, destNode: 28, w4: 16, w5: 20, transSeq: 32, w9: 36,
  destDomain: 8, linkPrevNode: 12, networkId: 16, linkW5: 20, headerLen: 4,
} as const;

/** TIPC users (w0 bits 25-28). */
export const TipcUser = {
  LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3, BCAST_PROTOCOL: 5, MSG_BUNDLER: 6, LINK_PROTOCOL: 7, CONN_MANAGER: 8,
  CHANGEOVER_PROTOCOL: 10, NAME_DISTRIBUTOR: 11, MSG_FRAGMENTER: 12, LINK_CONFIG: 13,
} as const;

const USER_NAMES: Readonly<Record<number, string>> = {
  0: 'Low Importance Data payload', 1: 'Medium Importance Data payload', 2: 'High Importance Data payload',
  3: 'Critical Importance Data payload', 5: 'Broadcast Link Protocol internal', 6: 'Message Bundler Protocol internal',
  7: 'Link State Protocol internal', 8: 'Connection Manager internal', 10: 'Link Changeover Protocol internal',
  11: 'Name Table Update Protocol internal', 12: 'Message Fragmentation Protocol internal', 13: 'Neighbor Detection Protocol internal',
};
// tcpdump's table names types 1 and 3 the other way round
const MTYPE_NAMES: readonly string[] = ['CONN_MSG', 'MCAST_MSG', 'NAMED_MSG', 'DIRECT_MSG'];
const LINKCONF_NAMES: readonly string[] = ['Link request', 'Link response'];
const PAYLOAD_USERS: readonly number[] = [0, 1, 2, 3, TipcUser.NAME_DISTRIBUTOR, TipcUser.CONN_MANAGER];
const INTERNAL_USERS: readonly number[] = [5, 6, 7, 10, 12];

/** Zero-copy view of a TIPC header (Truncated below its first word). */
export class TipcView extends FixedHeaderView {
  protected readonly headerLen = TipcOffsets.headerLen;
  /** Version (w0 bits 29-31). */
  get version(): number {
    return Math.floor(this.u32(TipcOffsets.w0) / 0x20000000) & 7;
  }
  /** User (w0 bits 25-28). */
  get user(): number {
    return (this.u32(TipcOffsets.w0) >>> 25) & 0x0f;
  }
  /** Header size in 32-bit words. */
  get headerSize(): number {
    return (this.u32(TipcOffsets.w0) >>> 21) & 0x0f;
  }
  /** Message size in bytes. */
  get messageSize(): number {
    return this.u32(TipcOffsets.w0) & 0xffff;
  }
  /** True when the first `n` header bytes were captured. */
  has(n: number): boolean {
    return this.length >= n;
  }
  /** The word at `o` (0 when not captured). */
  word(o: number): number {
    return this.has(o + 4) ? u32(this.bytes, this.offset + o) : 0;
  }
}

/** A TIPC network address `zone.cluster.node`. */
export function tipcAddr(a: number): string {
  return `${a >>> 24}.${(a >>> 12) & 0xfff}.${a & 0xfff}`;
}

/** Parsed TIPC header: the first word, and where captured the message type and a payload message's ports and nodes. */
export interface TipcRepr {
  version: number;
  user: number;
  headerSize: number;
  messageSize: number;
  /** Message type (w1 bits 29-31). */
  messageType?: number;
  prevNode?: string;
  origPort?: number;
  destPort?: number;
  origNode?: string;
  destNode?: string;
}

/** Builds the sink representation. */
export function tipcRepr(v: TipcView): TipcRepr {
  const O = TipcOffsets;
  const r: TipcRepr = { version: v.version, user: v.user, headerSize: v.headerSize, messageSize: v.messageSize };
  if (v.has(8)) r.messageType = v.word(O.w1) >>> 29;
  if (PAYLOAD_USERS.includes(v.user) && v.has(24)) {
    r.prevNode = tipcAddr(v.word(O.prevNode));
    r.origPort = v.word(O.origPort);
    r.destPort = v.word(O.destPort);
    if (v.headerSize > 6 && v.has(32)) {
      r.origNode = tipcAddr(v.word(O.origNode));
      r.destNode = tipcAddr(v.word(O.destNode));
    }
  }
  return r;
}

/** tcpdump's TIPC text; a header cut before the words a message's line needs ends the packet with ` [|tipc]`. */
export function printTipc(c: Printer, v: TipcView): void {
  if (!v.has(4)) return longjmpCut(c, 'tipc');
  const O = TipcOffsets;
  const user = v.user;
  const head = `TIPC v${v.version}.0 `;
  const sizes = `headerlength ${v.headerSize * 4} bytes, MessageSize ${v.messageSize} bytes, ${USER_NAMES[user] ?? 'unknown'}, messageType `;
  const w1 = v.word(O.w1);
  const mtype = w1 >>> 29;
  if (PAYLOAD_USERS.includes(user)) {
    if (!v.has(24)) return longjmpCut(c, 'tipc');
    const prev = v.word(O.prevNode);
    const from = v.word(O.origPort);
    const to = v.word(O.destPort);
    if (v.headerSize <= 6) {
      c.s += `${head}${tipcAddr(prev)}:${from} > ${to}, ${sizes}${MTYPE_NAMES[mtype] ?? 'Unknown'}`;
      return;
    }
    if (!v.has(32)) return longjmpCut(c, 'tipc');
    c.s += `${head}${tipcAddr(v.word(O.origNode))}:${from} > ${tipcAddr(v.word(O.destNode))}:${to}, ${sizes}${MTYPE_NAMES[mtype] ?? 'Unknown'}`;
    if (c.opts.verbose > 0) {
      const w2 = v.word(O.w2);
      c.s += `\n\tPrevious Node ${tipcAddr(prev)}, Broadcast Ack ${w1 & 0xffff}, Link Ack ${w2 >>> 16}, Link Sequence ${w2 & 0xffff}`;
    }
  } else if (user === TipcUser.LINK_CONFIG) {
    if (!v.has(16)) return longjmpCut(c, 'tipc');
    c.s += `${head}${tipcAddr(v.word(O.linkPrevNode))} > ${tipcAddr(v.word(O.destDomain))}, ${sizes}${LINKCONF_NAMES[mtype] ?? 'Unknown'}`;
    if (c.opts.verbose > 0) {
      if (!v.has(24)) return longjmpCut(c, 'tipc');
      c.s += `\n\tNodeSignature ${w1 & 0xffff}, network_id ${v.word(O.networkId)}, media_id ${v.word(O.linkW5) & 0xff}`;
    }
  } else if (INTERNAL_USERS.includes(user)) {
    if (!v.has(32)) return longjmpCut(c, 'tipc');
    const hex = w1.toString(16).padStart(8, '0');
    c.s += `${head}${tipcAddr(v.word(O.origNode))} > ${tipcAddr(v.word(O.destNode))}, ${sizes}${MTYPE_NAMES[mtype] ?? 'Unknown'} (0x${hex})`;
    if (c.opts.verbose > 0) {
      if (!v.has(40)) return longjmpCut(c, 'tipc');
      const w2 = v.word(O.w2);
      const w4 = v.word(O.w4);
      const w9 = v.word(O.w9);
      c.s += `\n\tPrevious Node ${tipcAddr(v.word(O.prevNode))}, Session No. ${v.word(O.w5) >>> 16}, Broadcast Ack ${w1 & 0xffff}, Sequence Gap ${(w1 >>> 16) & 0x1fff}, `;
      c.s += ` Broadcast Gap After ${w2 >>> 16}, Broadcast Gap To ${w2 & 0xffff}, Last Sent Packet No. ${w4 >>> 16}, Next sent Packet No. ${w4 & 0xffff}, `;
      c.s += `Transport Sequence ${v.word(O.transSeq)}, msg_count ${w9 >>> 16}, Link Tolerance ${w9 & 0xffff}`;
    }
  }
}
