/**
 * SCHEMA.md cannot drift from the code: every layer kind with a Repr (every row of the protocol table)
 * has a section (a heading naming it in backquotes, or `layers.<name>.` field rows), and every top-level
 * Repr field the fixtures produce for it is named in that section.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, fixtureFiles } from './fixtures.js';
import { readPcap } from './pcap-read.js';
import { LayerParser } from '../../src/decode/index.js';
import { LAYER_TABLE } from '../../src/decode/layers.js';

const doc = readFileSync(join(ROOT, 'SCHEMA.md'), 'utf8');
const lines = doc.split('\n');

/** The text documenting layer `name`: its heading's section, else its `layers.<name>.` rows; '' when none. */
function section(name: string): string {
  const tick = `\`${name}\``;
  const at = lines.findIndex((l) => l.startsWith('#') && l.split(/\s+/).includes(tick));
  if (at >= 0) {
    const end = lines.findIndex((l, k) => k > at && l.startsWith('#'));
    return lines.slice(at, end < 0 ? undefined : end).join('\n');
  }
  return lines.filter((l) => l.startsWith('|') && l.includes(`\`layers.${name}.`)).join('\n');
}

/** Layers the base schema (shared/SCHEMA.md) defines: their fields are checked by the JSON oracle test. */
const BASE = new Set(['eth', 'sll', 'loopback', 'vlan', 'mpls', 'arp', 'ipv4', 'ipv6', 'tcp', 'udp', 'icmp', 'icmpv6', 'dns']);

describe('SCHEMA.md documents every layer', () => {
  const names = LAYER_TABLE.map((r) => r.name).filter((n) => n !== '');

  it(`each of the ${names.length} layer kinds has a section`, () => {
    const missing = names.filter((n) => section(n) === '');
    expect(missing).toEqual([]);
  });

  it('each top-level Repr field the fixtures produce is named in its layer\'s section', () => {
    const seen = new Map<string, Set<string>>();
    const p = new LayerParser();
    // the serial and other non-Ethernet link captures too (fixtureFiles leaves them to the link tests)
    const links = readdirSync(join(ROOT, 'fixtures', 'links')).filter((n) => n.endsWith('.pcap')).map((n) => join(ROOT, 'fixtures', 'links', n));
    for (const f of [...fixtureFiles(), ...links]) {
      for (const q of readPcap(f).packets) {
        p.decode(q.buf, q.offset, q.capLen, q.linkType);
        for (let i = 0; i < p.count; i++) {
          const name = LAYER_TABLE[p.kinds[i]!]!.name;
          if (BASE.has(name)) continue;
          const keys = seen.get(name) ?? new Set<string>();
          for (const k of Object.keys(p.repr(i) as object)) keys.add(k);
          seen.set(name, keys);
        }
      }
    }
    expect(seen.size).toBeGreaterThan(20);
    const undocumented: string[] = [];
    for (const [name, keys] of seen) {
      const text = section(name);
      for (const k of keys) {
        if (!text.includes(`\`${k}\``) && !text.includes(`\`${k}[]\``) && !text.includes(`\`layers.${name}.${k}\``) && !text.includes(`\`layers.${name}.${k}[]\``)) undocumented.push(`${name}.${k}`);
      }
    }
    expect(undocumented).toEqual([]);
  });
});
