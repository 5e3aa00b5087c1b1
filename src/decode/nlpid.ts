/**
 * Network layer protocol identifiers (ISO/IEC TR 9577), shared by the carriers that name a packet by
 * its first byte: LLC SAP 0xfe, Frame Relay (RFC 2427), Cisco HDLC and PPP's OSI protocol. Also the
 * text tcpdump 4.99's isoclns_print writes for an NLPID no OSI layer decodes.
 */
import type { Printer } from './print.js';
import { hexDump, longjmpCut } from './print.js';
import { hex2 } from './addr.js';
import { Layer } from './layers.js';

/** NLPID values the decoders follow or name. */
export const Nlpid = { NULL: 0x00, Q933: 0x08, LMI: 0x09, SNAP: 0x80, CLNP: 0x81, ESIS: 0x82, ISIS: 0x83, MFR: 0xb1, IP: 0xcc, PPP: 0xcf, IP6: 0x8e } as const;

/** The NLPIDs of OSI's own PDUs: CLNP, ES-IS and IS-IS (the layers of osi.ts). */
export const OSI_PDU_NLPIDS: readonly number[] = [Nlpid.CLNP, Nlpid.ESIS, Nlpid.ISIS];

/** NLPID names as tcpdump prints them. */
export const NLPID_NAMES: Readonly<Record<number, string>> = {
  0x00: 'NULL', 0x08: 'Q.933', 0x09: 'LMI', 0x80: 'SNAP', 0x81: 'CLNP', 0x82: 'ES-IS', 0x83: 'IS-IS', 0x84: 'CONS', 0x85: 'IDRP',
  0xc1: 'ISIS_SPB', 0xb1: 'FRF.15', 0xcc: 'IPv4', 0xcf: 'PPP', 0x8a: 'X25 ES-IS', 0x8e: 'IPv6',
};

/** isoclns_print's -e prefix: `OSI NLPID IS-IS (0x83): `. */
export function osiNlpidPrefix(c: Printer, id: number): void {
  if (c.opts.linkHeader) c.s += `OSI NLPID ${NLPID_NAMES[id] ?? 'Unknown'} (0x${hex2(id)}): `;
}

/**
 * The OSI payload at `o` (`len` bytes on the wire, captured up to `capEnd`) of the carrier at layer i
 * (LLC, Cisco HDLC, PPP), as isoclns_print reads it: an OSI PDU decoded as layer i + 1 prints itself,
 * another network layer (IPv4, IPv6, PPP, Q.933) after the -e prefix, an NLPID nothing decodes here.
 * Returns the length to hand layer i + 1's printer, or -1 when nothing is left to print.
 */
export function osiPayload(c: Printer, i: number, o: number, len: number, capEnd: number): number {
  const p = c.parser;
  const next = i + 1 < p.count ? p.kinds[i + 1]! : Layer.None;
  if (next === Layer.Isis || next === Layer.Esis || next === Layer.Clnp) return len;
  printIsoclns(c, o, len, capEnd, next !== Layer.None);
  return next !== Layer.None && !c.earlyEnd ? len - 1 : -1;
}

/**
 * isoclns_print for a PDU at `o` no OSI layer was decoded for (`len`: its length, `capEnd`: where the
 * capture ends): ` [|isoclns]` when not even the NLPID was captured, else the -e prefix; then, unless
 * the NLPID names a network layer that prints itself (`handed`: IPv4, IPv6, PPP, Q.933), the NULL
 * NLPID's `, length: N`, or another's `OSI NLPID 0x99 unknown, length: N` and its bytes in hex.
 */
export function printIsoclns(c: Printer, o: number, len: number, capEnd: number, handed: boolean): void {
  if (o >= capEnd) return longjmpCut(c, 'isoclns');
  const id = c.parser.bytes[o] ?? 0;
  osiNlpidPrefix(c, id);
  if (handed) return;
  const e = c.opts.linkHeader;
  if (id !== Nlpid.NULL && !e) c.s += `OSI NLPID 0x${hex2(id)} unknown`;
  c.s += `${e ? '' : ', '}length: ${len}`;
  if (id !== Nlpid.NULL && len > 1) c.s += hexDump(c.parser.bytes, o, Math.min(len, capEnd - o), '\n\t');
}
