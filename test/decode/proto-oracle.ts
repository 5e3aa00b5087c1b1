/**
 * Shared by the protocol oracle tests (proto-*.test.ts): tcpdump's lines at several print levels and
 * tshark's fields, both run at test time, and how a Repr value is compared with a tshark field.
 */
import { expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { compareLines, tcpdumpLines, tscapLines } from './compare.js';
import type { PrintOptions } from '../../src/sinks/text.js';
import { readPcap } from './pcap-read.js';
import { LayerParser } from '../../src/decode/index.js';

/** tcpdump flags and the matching print options. */
export type Level = [string[], Partial<PrintOptions>];

/**
 * Asserts every line of `path` equals tcpdump's at each level (the first three differences shown on
 * failure) and returns a `-n -v: same/total` report.
 */
export function expectTcpdumpLines(path: string, levels: Level[]): string {
  const report: string[] = [];
  for (const [flags, opts] of levels) {
    const c = compareLines(tscapLines(path, opts), tcpdumpLines(path, flags));
    report.push(`-n ${flags.join(' ')}: ${c.same}/${c.total}`);
    expect(c.total).toBeGreaterThan(0);
    expect(c.diffs.slice(0, 3), `${path} ${flags.join(' ')}`).toEqual([]);
    expect(c.same).toBe(c.total);
  }
  return report.join(', ');
}

/** Picks a value out of a Repr to compare with one tshark field. */
export type Pick = (r: Record<string, unknown>) => unknown;

/** The Repr value at a dotted path. */
export const at = (path: string): Pick => (r) => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], r);

/** tshark's first occurrence of each field (`all`: every occurrence, joined by ','), one row per packet. */
export function tsharkFields(file: string, fields: string[], all = false): string[][] {
  const occurrence = all ? ['-E', 'occurrence=a', '-E', 'aggregator=,'] : ['-E', 'occurrence=f'];
  const args = ['-n', '-r', file, '-T', 'fields', '-E', 'separator=|', ...occurrence, ...fields.flatMap((f) => ['-e', f])];
  const out = execFileSync('tshark', args, { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26 }).toString();
  return out.split('\n').filter((l, k, a) => l !== '' || k < a.length - 1).map((l) => l.split('|'));
}

/** A tshark field against a Repr value: numbers by value, text case-insensitively, '' when absent. */
export function same(theirs: string, ours: unknown): boolean {
  if (theirs === '') return ours === undefined;
  if (typeof ours === 'number') return Number(theirs) === ours;
  return String(ours).toLowerCase() === theirs.toLowerCase();
}

/** One protocol's Repr fields against tshark's on a file: `decoded` skips packets (row, 0-based index) tshark leaves undecoded. */
export interface FieldCheck {
  file: string;
  kind: number;
  fields: Array<[string, Pick]>;
  decoded?: (row: string[], n: number) => boolean;
}

/**
 * Asserts every packet of `path` has layer `kind` and its Repr agrees with tshark's fields; returns the
 * number of non-empty tshark values compared.
 */
export function expectReprFields(path: string, kind: number, fields: Array<[string, Pick]>, decoded?: (row: string[], n: number) => boolean): number {
  const rows = tsharkFields(path, fields.map(([f]) => f));
  const pkts = readPcap(path).packets;
  expect(rows.length).toBe(pkts.length);
  const p = new LayerParser();
  let checked = 0;
  pkts.forEach((q, n) => {
    p.decode(q.buf, q.offset, q.capLen, q.linkType);
    const i = p.find(kind);
    const theirsToo = !decoded || decoded(rows[n]!, n);
    // a packet tshark does not decode either (cut inside the header) may lack the layer
    if (i < 0 && !theirsToo) return;
    expect(i, `packet ${n + 1} has the layer`).toBeGreaterThanOrEqual(0);
    if (!theirsToo) return;
    const r = p.repr(i) as Record<string, unknown>;
    fields.forEach(([f, pick], k) => {
      const theirs = rows[n]![k] ?? '';
      expect(same(theirs, pick(r)), `packet ${n + 1} ${f}: tshark ${theirs}, ours ${String(pick(r))}`).toBe(true);
      if (theirs !== '') checked++;
    });
  });
  return checked;
}
