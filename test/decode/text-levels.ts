/** Shared by the protocol tests: tscap's text equals tcpdump's on one file at several option levels. */
import { expect } from 'vitest';
import { compareLines, tcpdumpLines, tscapLines } from './compare.js';
import type { PrintOptions } from '../../src/sinks/text.js';

/** A tcpdump flag set and the tscap options that mean the same. */
export type Level = [string[], Partial<PrintOptions>];

/**
 * Asserts that every line at every level is tcpdump's (showing the first differences) and returns
 * the `-n <flags>: same/total` report for the test's log.
 */
export function expectSameText(path: string, levels: Level[]): string {
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
