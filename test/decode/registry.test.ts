/**
 * The protocol registry: every row of the protocol table has a home (view class, printer, Repr),
 * every exported `*Repr` function is reached through a home, the typed accessors return the right
 * views, and every home's printer and Repr run on a fixture layer of its kind.
 */
import { describe, expect, it } from 'vitest';
import * as D from '../../src/decode/index.js';
import { HOMES, HOME_BY_KIND, REACH, UDP_PORT_LAYER } from '../../src/decode/registry.js';
import { LAYER_TABLE, LAYER_NAMES, Layer, Port } from '../../src/decode/layers.js';
import type { Reach } from '../../src/decode/walk.js';
import { TextFormatter, DEFAULT_PRINT_OPTIONS } from '../../src/sinks/text.js';
import { readPcap } from './pcap-read.js';
import { ROOT, fixtureFiles } from './fixtures.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

describe('protocol registry', () => {
  it('has one home per table row, with a view class, a printer and a Repr', () => {
    const names = LAYER_TABLE.map((r) => r.name).filter((n) => n !== '');
    expect(Object.keys(HOMES).sort()).toEqual([...names].sort());
    expect(HOME_BY_KIND.length).toBe(LAYER_TABLE.length);
    expect(HOME_BY_KIND[Layer.None]).toBeUndefined();
    for (const [k, row] of LAYER_TABLE.entries()) {
      if (row.name === '') continue;
      const h = HOME_BY_KIND[k]!;
      expect(typeof h.View, row.name).toBe('function');
      expect(typeof h.print, row.name).toBe('function');
      expect(typeof h.repr, row.name).toBe('function');
      expect(new h.View(), row.name).toBeInstanceOf(D.ByteView);
      expect(LAYER_NAMES[k]).toBe(row.name);
      expect((Layer as Record<string, number>)[row.key]).toBe(k);
    }
  });

  it('reaches every exported Repr function through some home', () => {
    const reprs = Object.entries(D).filter(([k, v]) => /Repr$/.test(k) && typeof v === 'function');
    expect(reprs.length).toBeGreaterThanOrEqual(20);
    const homes = Object.values(HOMES).map((h) => h.repr as (...a: never[]) => unknown);
    for (const [name, fn] of reprs) {
      // a home uses the function itself, or calls it with the layer's length (tcp, sctp)
      const used = homes.some((r) => r === fn || new RegExp(`\\b${name}\\b`).test(r.toString()));
      expect(used, `${name} has no home`).toBe(true);
    }
  });

  it('types the accessors by layer kind', () => {
    const frame = Uint8Array.from(Buffer.from(
      'ffffffffffff0200000000010800' + '450000210001000040110000c0000201c0000202' + '3039003500090000' + '00', 'hex'));
    const p = new D.LayerParser();
    p.decode(frame, 0, frame.length, 1);
    const ip = p.get(Layer.Ipv4);
    expect(ip).toBeInstanceOf(D.Ipv4View);
    expect(ip?.ttl).toBe(64);
    expect(p.at(2, Layer.Udp)?.dstPort).toBe(53);
    expect(p.at(2, Layer.Tcp)).toBeUndefined();
    expect(p.get(Layer.Ipv6)).toBeUndefined();
  });

  it('keeps the well-known ports in one table', () => {
    expect(UDP_PORT_LAYER[Port.DNS]).toBe(Layer.Dns);
    expect(UDP_PORT_LAYER[Port.VXLAN]).toBe(Layer.Vxlan);
    expect(UDP_PORT_LAYER[Port.GENEVE]).toBe(Layer.Geneve);
    expect(UDP_PORT_LAYER[Port.NTP]).toBe(Layer.Ntp);
    expect(UDP_PORT_LAYER[Port.BOOTPS]).toBe(Layer.Dhcp);
    expect(UDP_PORT_LAYER[Port.IPSEC_NAT_T]).toBe(Layer.Esp);
  });

  it('lets no number announce two layers, and builds the dispatch tables from the declarations', () => {
    const claims = new Map<string, string>();
    for (const [name, h] of Object.entries(HOMES)) {
      const r: Reach = h.reach ?? {};
      for (const [field, nums] of Object.entries(r) as [string, readonly number[]][]) {
        for (const n of nums) {
          const key = `${field}:${n}`;
          expect(claims.get(key), `${key} claimed by ${claims.get(key)} and ${name}`).toBeUndefined();
          claims.set(key, name);
          const kind = LAYER_NAMES.indexOf(name);
          const got = field === 'snap' ? REACH.snap.get(n) : (REACH as unknown as Record<string, Uint8Array>)[field]![n];
          expect(got, key).toBe(kind);
        }
      }
    }
    expect(claims.size).toBeGreaterThan(30);
  });

  it('prints and represents every protocol found in the fixtures', () => {
    const seen = new Set<number>();
    const f = new TextFormatter({ ...DEFAULT_PRINT_OPTIONS, verbose: 2, linkHeader: true, ifName: () => undefined });
    // the serial link types' captures too (fixtures/links: some of their link types only tscap and tcpdump read)
    const links = join(ROOT, 'fixtures', 'links');
    const serial = readdirSync(links).filter((n) => n.endsWith('.pcap')).map((n) => join(links, n));
    for (const file of [...fixtureFiles(), ...serial]) {
      for (const q of readPcap(file).packets) {
        expect(f.format(q).endsWith('\n')).toBe(true);
        const p = f.parser;
        for (let i = 0; i < p.count; i++) {
          const k = p.kinds[i]!;
          const v = p.view(i)!;
          expect(p.repr(i)).toEqual(HOME_BY_KIND[k]!.repr(v, p, i));
          if (p.status[i] === D.DecodeStatus.Ok) seen.add(k);
        }
      }
    }
    expect(f.internalErrors).toBe(0);
    const missing = LAYER_TABLE.map((r, k) => (r.name !== '' && !seen.has(k) ? r.name : '')).filter(Boolean);
    expect(missing).toEqual([]);
  });
});
