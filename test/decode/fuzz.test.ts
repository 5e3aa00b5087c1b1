/**
 * Property test: no decoder, the printer or the JSON sink throws (or hangs) on any bytes. Seeded
 * random frames and mutations of every fixture packet (test/helpers/mutants.ts) go through every registered view's reset and
 * getters, the layer parser under every link type, the text printer (rotating option sets; each
 * protocol's printer is reached through the registry), every decoded layer's Repr through the
 * registry, and the JSON formatter. The test fails unless every registered protocol was printed.
 * The default reaches 1,000,000 inputs; TSCAP_FUZZ_N scales it.
 */
import { describe, expect, it } from 'vitest';
import type { PacketView } from '../../src/packet.js';
import * as D from '../../src/decode/index.js';
import { TextFormatter, DEFAULT_PRINT_OPTIONS, type PrintOptions } from '../../src/sinks/text.js';
import { JsonFormatter } from '../../src/sinks/json.js';
import { HOMES, HOME_BY_KIND } from '../../src/decode/registry.js';
import { LAYER_TABLE } from '../../src/decode/layers.js';
import { eachMutant, fixturePackets, rng } from '../helpers/mutants.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readPcap } from './pcap-read.js';
import { ROOT } from './fixtures.js';

const TOTAL = Number(process.env.TSCAP_FUZZ_N ?? 1_000_000);
/** Link types every frame may be read as: the common ones, 802.11, radiotap, PPI and the serial and legacy ones. */
const LINKTYPES = [0, 1, 101, 108, 113, 228, 229, 276, 105, 127, 192, 7, 8, 9, 50, 104, 107, 129, 139, 140, 182];
/** The serial and legacy link types' fixtures (fixtures/links), mutated under their own link types too. */
const SERIAL_FIXTURES = join(ROOT, 'fixtures', 'links');

/** Every registered view class with its getters, for direct calls. */
function allViews(): Array<{ view: { reset(b: Uint8Array, o: number, l: number, ...rest: never[]): number }; getters: string[] }> {
  return Object.values(HOMES).map((h) => {
    const view = new h.View() as unknown as { reset(b: Uint8Array, o: number, l: number): number };
    const proto = Object.getPrototypeOf(view) as object;
    const getters = Object.entries(Object.getOwnPropertyDescriptors(proto)).filter(([, d]) => d.get).map(([k]) => k);
    return { view, getters };
  });
}

describe('no decoder, printer or JSON sink throws on any bytes', () => {
  it(`${TOTAL} seeded inputs, 0 exceptions`, () => {
    const pick = rng(0x7c5ca9);
    expect(fixturePackets().reduce((a, f) => a + f.packets.length, 0)).toBeGreaterThan(1000);
    const views = allViews();
    const optionSets: PrintOptions[] = [
      DEFAULT_PRINT_OPTIONS,
      { ...DEFAULT_PRINT_OPTIONS, verbose: 2, linkHeader: true },
      { ...DEFAULT_PRINT_OPTIONS, verbose: 1, hexAscii: 2, timeFormat: 3 },
      { ...DEFAULT_PRINT_OPTIONS, quiet: true, ascii: true, number: true, timeFormat: 4, nano: true, meshHeader: true },
    ];
    const printers = optionSets.map((o) => new TextFormatter({ ...o, ifName: () => undefined }));
    const json = new JsonFormatter({ nano: false });
    const printed = new Array<number>(LAYER_TABLE.length).fill(0);
    let exceptions = 0;
    let first: unknown;
    let n = 0;
    let sink = 0;
    const t0 = performance.now();
    const visit = (pkt: PacketView): void => {
      const len = pkt.capLen;
      try {
        // every view directly, at a random offset
        const v = views[n % views.length]!;
        const off = len > 0 ? pick() % len : 0;
        v.view.reset(pkt.buf, off, len - off);
        for (const g of v.getters) sink ^= Number((v.view as unknown as Record<string, unknown>)[g]) | 0;
        // dumps (-XX) cost the most per input: one input in 16 takes that option set
        const pi = (n & 15) === 0 ? 2 : [0, 1, 3][n % 3]!;
        const pr = printers[pi]!;
        sink ^= pr.format(pkt).length;
        // the registry's printers ran for these layers; their Reprs run here
        const lp = pr.parser;
        for (let k = 0; k < lp.count; k++) {
          const kind = lp.kinds[k]!;
          printed[kind]!++;
          if ((n & 7) === 0) sink ^= Object.keys(HOME_BY_KIND[kind]!.repr(lp.view(k)!, lp, k)).length;
        }
        sink ^= json.line(pkt).length;
      } catch (e) {
        exceptions++;
        first ??= { e, bytes: Buffer.from(pkt.buf.subarray(0, len)).toString('hex'), lt: pkt.linkType };
      }
      n++;
    };
    // headers sit in the first bytes: most mutants keep 256 of them; one input in 8 under another link type
    const serialSeeds = readdirSync(SERIAL_FIXTURES).filter((f) => f.endsWith('.pcap')).flatMap((f) => readPcap(join(SERIAL_FIXTURES, f)).packets);
    expect(serialSeeds.length).toBeGreaterThan(200);
    eachMutant(TOTAL, 0x7c5ca9, visit, { headBytes: 256, linkTypes: LINKTYPES, extraSeeds: serialSeeds });
    const internal = printers.reduce((a, p) => a + p.internalErrors, 0);
    const secs = (performance.now() - t0) / 1000;
    console.log(`fuzz: ${n} inputs in ${secs.toFixed(1)} s (${Math.round(n / secs)}/s), ${exceptions} exceptions, ${internal} printer-internal errors (sink ${sink & 1})`);
    if (first) console.log(first);
    expect(exceptions).toBe(0);
    expect(internal).toBe(0);
    const unprinted = LAYER_TABLE.filter((r, k) => r.name !== '' && printed[k] === 0).map((r) => r.name);
    expect(unprinted).toEqual([]);
    expect(n).toBeGreaterThanOrEqual(TOTAL);
  }, 600_000);

  it('a DNS compression loop and a 300-deep IPv6 extension chain end quickly', () => {
    // pointer to itself and two pointers to each other (RFC 1035 section 4.1.4 forbids neither explicitly)
    const msg = new Uint8Array([0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1, 0xc0, 20, 0xc0, 18, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4]);
    expect(D.dnsNameText(msg, 0, 12, msg.length)).toBeNull();
    expect(D.dnsNameText(msg, 0, 18, msg.length)).toBeNull();
    const dv = new D.DnsView();
    dv.reset(msg, 0, msg.length);
    expect(D.dnsRepr(dv).questions).toEqual([]);
    const chain = new Uint8Array(40 + 300 * 8);
    chain[0] = 0x60;
    chain[4] = (300 * 8) >> 8;
    chain[5] = (300 * 8) & 0xff;
    chain[6] = 60;
    for (let k = 0; k < 300; k++) chain[40 + 8 * k] = k < 299 ? 60 : 59;
    const v6 = new D.Ipv6View();
    expect(v6.reset(chain, 0, chain.length)).toBe(D.DecodeStatus.Ok);
    expect(v6.extCount).toBe(300);
    expect(v6.upperProto).toBe(59);
  });
});
