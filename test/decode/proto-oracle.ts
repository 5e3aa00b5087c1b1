/**
 * Shared by the protocol oracle tests (proto-*.test.ts): tcpdump's lines at several print levels and
 * tshark's fields, both run at test time, and how a Repr value is compared with a tshark field.
 */
import { expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { compareLines, tcpdumpLines, tscapLines, type Level } from './compare.js';
import { readPcap } from './pcap-read.js';
import { LayerParser } from '../../src/decode/index.js';
import { compileFilter, runFilter } from '../../src/filter/index.js';
import { parsePcap } from '../helpers/pcap-lite.js';
import type { PrintOptions } from '../../src/sinks/text.js';

export { levels, type Level } from './compare.js';

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

/** What a `Field`'s pick returns for a value tshark shows but the Repr has no counterpart of in this packet. */
export const SKIP = Symbol('skip');

/** A tshark field, how to pick the Repr's value, and (with every occurrence joined) which of tshark's to take. */
export type Field = readonly [string, Pick, ((all: string) => string)?];

/** One packet of a file, decoded, beside tshark's row of fields for it. */
export interface TsharkPacket {
  /** 1-based packet number. */
  n: number;
  parser: LayerParser;
  row: string[];
  capLen: number;
  wireLen: number;
}

/**
 * Every packet of `path` decoded (one parser, reused), with tshark's fields for it; checks tshark
 * read as many packets. `all`: every occurrence of a field, joined by ','.
 */
export function* withTshark(path: string, fields: readonly Field[], all = false): Generator<TsharkPacket> {
  const rows = tsharkFields(path, fields.map(([f]) => f), all);
  const pkts = readPcap(path).packets;
  expect(rows.length).toBe(pkts.length);
  const parser = new LayerParser();
  for (const [k, q] of pkts.entries()) {
    parser.decode(q.buf, q.offset, q.capLen, q.linkType, q.wireLen);
    yield { n: k + 1, parser, row: rows[k] as string[], capLen: q.capLen, wireLen: q.wireLen };
  }
}

/**
 * Compares a Repr with tshark's row field by field; returns the differences and how many fields
 * tshark showed. `onlyShown`: fields tshark leaves empty are not compared (the Repr may have more).
 */
export function fieldDiffs(pkt: { n: number; row: string[] }, r: Record<string, unknown>, fields: readonly Field[], onlyShown = false): { shown: number; diffs: string[] } {
  let shown = 0;
  const diffs: string[] = [];
  fields.forEach(([f, pick, which], k) => {
    const raw = pkt.row[k] ?? '';
    const theirs = which !== undefined && raw !== '' ? which(raw) : raw;
    if (theirs === '' && onlyShown) return;
    const ours = pick(r);
    if (ours === SKIP) return;
    if (theirs !== '') shown++;
    if (!same(theirs, ours)) diffs.push(`packet ${pkt.n} ${f}: tshark ${JSON.stringify(theirs)}, ours ${JSON.stringify(ours)}`);
  });
  return { shown, diffs };
}

/**
 * tcpdump's lines without -n, its address lookups answered by `hosts` alone: it runs in a private
 * mount and network namespace (DNS then fails at once) with `hosts` bound over /etc/hosts.
 */
export function tcpdumpNamedLines(hosts: string, path: string, flags: string[]): string[] {
  const out = execFileSync('unshare', ['-m', '-n', 'sh', '-c', 'mount --bind "$0" /etc/hosts && shift && exec tcpdump "$@"', hosts, 'x', ...flags, '-r', path], {
    env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26,
  }).toString('latin1');
  return out.replace(/\n$/, '').split('\n');
}

/**
 * Asserts the filter compiler selects, for each expression, the packets of the capture `path` libpcap
 * selects (`tcpdump -r F -w - EXPR`), both compiling for the capture's link type; its records must each
 * have their own second (the timestamp names the record). Returns how many packets were selected in all.
 */
export function expectFilterLikeLibpcap(path: string, expressions: readonly string[]): number {
  const file = readPcap(path);
  const pkts = file.packets;
  let matched = 0;
  for (const expr of expressions) {
    const out = execFileSync('tcpdump', ['-r', path, '-w', '-', expr], { stdio: ['ignore', 'pipe', 'ignore'] });
    const theirs = parsePcap(new Uint8Array(out)).records.map((r) => r.tsSec - pkts[0]!.tsSec);
    const prog = compileFilter(expr, { linkType: file.linkType });
    const ours = pkts.flatMap((q, n) => (runFilter(prog, q.buf.subarray(q.offset, q.offset + q.capLen), q.wireLen) !== 0 ? [n] : []));
    expect(ours, expr).toEqual(theirs);
    matched += theirs.length;
  }
  return matched;
}

/**
 * For every packet of `path` with layer `kind` whose Repr `decoded` accepts, asserts the Repr equals
 * tshark's fields (every occurrence joined by ','); then that more than `minPackets` packets were
 * compared, with more than two fields shown each on average. `fieldsFor` adapts the fields to one packet.
 */
export function expectReprLikeTshark(
  path: string, kind: number, fields: readonly Field[], minPackets: number,
  decoded: (r: Record<string, unknown>, pkt: TsharkPacket) => boolean,
  fieldsFor: (r: Record<string, unknown>) => readonly Field[] = () => fields,
): void {
  let checked = 0;
  let packets = 0;
  for (const pkt of withTshark(path, fields, true)) {
    const i = pkt.parser.find(kind);
    if (i < 0) continue;
    const r = pkt.parser.repr(i) as Record<string, unknown>;
    if (!decoded(r, pkt)) continue;
    packets++;
    const { shown, diffs } = fieldDiffs(pkt, r, fieldsFor(r));
    expect(diffs).toEqual([]);
    checked += shown;
  }
  expect(packets).toBeGreaterThan(minPackets);
  expect(checked).toBeGreaterThan(packets * 2);
}
