/**
 * IEEE 802.11 code generation as libpcap 1.10's gencode.c does it: the data-frame check in front of
 * LLC tests, the program prologue that reads the radio header's length (radiotap, PPI) and the 802.11
 * header's length (QoS, radiotap data padding) into scratch registers, MAC address tests by frame
 * type and DS bits (gen_wlanhostop), and `type`/`subtype`/`dir`.
 */
import type { Qual } from './ast.js';
import { BPF } from './bpf.js';
import type { Cond, Stmt } from './cfg.js';
import { C } from './cfg.js';
import type { GenCore } from './gen-core.js';
import { alu, aluX, ld, ldi, ldm, st, TAX, TXA } from './gen-core.js';

/** Frame control constants (IEEE 802.11-2020 9.2.4.1). */
export const FC = { TYPE_MASK: 0x0c, SUBTYPE_MASK: 0xf0, TYPE_CTL: 0x04, SUBTYPE_CTS: 0xc0, SUBTYPE_ACK: 0xd0, DIR_MASK: 0x03, DIR_DSTODS: 0x03 } as const;

/** Type names for `type NAME` (case-insensitive). */
export const WLAN_TYPES: Readonly<Record<string, number>> = { data: 0x08, mgt: 0x00, management: 0x00, ctl: 0x04, control: 0x04 };

/** Subtype names per type, values already shifted into the frame control byte. */
export const WLAN_SUBTYPES: readonly (readonly [number, Readonly<Record<string, number>>])[] = [
  [0x00, {
    assocreq: 0x00, 'assoc-req': 0x00, assocresp: 0x10, 'assoc-resp': 0x10, reassocreq: 0x20, 'reassoc-req': 0x20,
    reassocresp: 0x30, 'reassoc-resp': 0x30, probereq: 0x40, 'probe-req': 0x40, proberesp: 0x50, 'probe-resp': 0x50,
    beacon: 0x80, atim: 0x90, disassoc: 0xa0, disassociation: 0xa0, auth: 0xb0, authentication: 0xb0,
    deauth: 0xc0, deauthentication: 0xc0,
  }],
  [0x04, { 'ps-poll': 0xa0, rts: 0xb0, cts: 0xc0, ack: 0xd0, 'cf-end': 0xe0, 'cf-end-ack': 0xf0 }],
  [0x08, {
    data: 0x00, 'data-cf-ack': 0x10, 'data-cf-poll': 0x20, 'data-cf-ack-poll': 0x30, null: 0x40, 'cf-ack': 0x50,
    'cf-poll': 0x60, 'cf-ack-poll': 0x70, 'qos-data': 0x80, 'qos-data-cf-ack': 0x90, 'qos-data-cf-poll': 0xa0,
    'qos-data-cf-ack-poll': 0xb0, qos: 0xc0, 'qos-cf-poll': 0xe0, 'qos-cf-ack-poll': 0xf0,
  }],
];

/** Direction names for `dir NAME`. */
export const WLAN_DIRS: Readonly<Record<string, number>> = { nods: 0, tods: 1, fromds: 2, dstods: 3 };

const jset = (g: GenCore, off: number, bit: number): Cond => C.test(g.load('linkhdr', off, 1), BPF.JSET, bit);

/** gen_check_802_11_data_frame: type data (bit 3 set, bit 2 clear). */
export function dataFrame(g: GenCore): Cond {
  return C.and(C.not(jset(g, 0, 0x04)), jset(g, 0, 0x08));
}

/**
 * gen_wlanhostop: where an address sits depends on the frame type and the To DS / From DS bits;
 * `test(off)` compares the address at `off` in the 802.11 header.
 */
export function wlanHost(g: GenCore, dir: Qual['dir'], test: (off: number) => Cond, fail: (dir: Qual['dir']) => never): Cond {
  const notCtl = (): Cond => C.not(g.mcmp('linkhdr', 0, 1, FC.TYPE_CTL, FC.TYPE_MASK));
  // Control frames other than CTS and ACK carry a transmitter address too.
  const hasA2 = (): Cond => C.or(notCtl(), C.and(C.not(g.mcmp('linkhdr', 0, 1, FC.SUBTYPE_CTS, FC.SUBTYPE_MASK)), C.not(g.mcmp('linkhdr', 0, 1, FC.SUBTYPE_ACK, FC.SUBTYPE_MASK))));
  switch (dir) {
    case 'src': {
      let b0 = C.or(C.and(C.not(jset(g, 1, 0x01)), test(16)), C.and(jset(g, 1, 0x01), test(24)));
      b0 = C.or(C.and(C.not(jset(g, 1, 0x02)), test(10)), C.and(jset(g, 1, 0x02), b0));
      b0 = C.or(C.and(C.not(jset(g, 0, 0x08)), test(10)), C.and(jset(g, 0, 0x08), b0));
      return C.and(C.not(jset(g, 0, 0x04)), b0);
    }
    case 'dst': {
      let b0 = C.or(C.and(C.not(jset(g, 1, 0x01)), test(4)), C.and(jset(g, 1, 0x01), test(16)));
      b0 = C.or(C.and(C.not(jset(g, 0, 0x08)), test(4)), C.and(jset(g, 0, 0x08), b0));
      return C.and(C.not(jset(g, 0, 0x04)), b0);
    }
    case 'and':
      return C.and(wlanHost(g, 'src', test, fail), wlanHost(g, 'dst', test, fail));
    case 'default':
    case 'or':
      return C.or(wlanHost(g, 'src', test, fail), wlanHost(g, 'dst', test, fail));
    case 'addr1':
      return test(4);
    case 'addr2':
      return C.and(hasA2(), test(10));
    case 'ta':
      // libpcap 1.10 also requires the data bit for `ta`; kept for identical matches.
      return C.and(jset(g, 0, 0x08), hasA2(), test(10));
    case 'addr3':
      return C.and(notCtl(), test(16));
    case 'addr4':
      return C.and(g.mcmp('linkhdr', 1, 1, FC.DIR_DSTODS, FC.DIR_MASK), test(24));
    case 'ra':
      // libpcap 1.10 tests the data bit here (not "not control"); kept for identical matches.
      return C.and(jset(g, 0, 0x08), test(4));
    default:
      return fail(dir);
  }
}

/** Whether any statement of `c` reads or writes scratch register `r`. */
export function usesReg(c: Cond, r: number): boolean {
  const hit = (s: readonly Stmt[]): boolean => s.some((x) => (x.code === (BPF.LD | BPF.MEM) || x.code === (BPF.LDX | BPF.MEM)) && x.k === r);
  switch (c.c) {
    case 'test':
      return hit(c.stmts);
    case 'and':
    case 'or':
      return c.items.some((i) => usesReg(i, r));
    case 'not':
    case 'shared':
      return usesReg(c.a, r);
    case 'seq':
      return hit(c.stmts) || usesReg(c.then, r);
    case 'ite':
      return usesReg(c.cond, r) || usesReg(c.a, r) || usesReg(c.b, r);
    case 'const':
      return false;
  }
}

/**
 * insert_compute_vloffsets for 802.11: `hdrReg` (radio header length, -1 without a radio header) and
 * `plReg` (802.11 payload offset, -1 when unused) are computed before `body` runs. Both registers are
 * computed only when the expression reads them, as libpcap does (a load past the end of a short
 * frame would otherwise reject it).
 */
export function wlanPrologue(body: Cond, hdrReg: number, plReg: number, radiotap: boolean): Cond {
  const prefix: Stmt[] = hdrReg >= 0 ? [ld(1, 3), alu(BPF.LSH, 8), TAX, ld(1, 2), aluX(BPF.OR), st(hdrReg), TAX] : [];
  if (plReg < 0) return prefix.length > 0 ? { c: 'seq', stmts: prefix, then: body } : body;
  const next: Cond = { c: 'shared', a: body };
  if (hdrReg < 0) prefix.push({ code: BPF.LDX | BPF.IMM, k: 0 });
  prefix.push(TXA, alu(BPF.ADD, 24), st(plReg), ldi(1, 0));
  const test = (stmts: Stmt[], bit: number): Cond => C.test(stmts, BPF.JSET, bit);
  // Radiotap: a data-padding flag rounds the payload offset up to a multiple of 4.
  let pad: Cond = next;
  if (radiotap) {
    const roundup: Cond = { c: 'seq', stmts: [ldm(plReg), alu(BPF.ADD, 3), alu(BPF.AND, ~3 >>> 0), st(plReg)], then: next };
    const padAt = (off: number): Cond => ({ c: 'ite', cond: test([ld(1, off)], 0x20), a: roundup, b: next });
    const tsft: Cond = { c: 'ite', cond: test([], 0x01000000), a: padAt(16), b: padAt(8) };
    const ext: Cond = { c: 'ite', cond: test([], 0x00000080), a: next, b: tsft };
    pad = { c: 'ite', cond: test([ld(4, 4)], 0x02000000), a: ext, b: next };
  }
  const shared = { c: 'shared', a: pad } as Cond;
  const qos: Cond = { c: 'ite', cond: test([], 0x80), a: { c: 'seq', stmts: [ldm(plReg), alu(BPF.ADD, 2), st(plReg)], then: shared }, b: shared };
  const data: Cond = { c: 'ite', cond: test([], 0x08), a: { c: 'ite', cond: test([], 0x04), a: next, b: qos }, b: next };
  return { c: 'seq', stmts: prefix, then: data };
}

/** gen_ppi_dlt_check: the PPI header's link type (little-endian at offset 4) must be 802.11. */
export function ppiIs80211(): Cond {
  return C.test([ld(4, 4)], BPF.JEQ, 0x69000000);
}
