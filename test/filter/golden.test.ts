/**
 * Golden table: every expression of golden-expressions.txt, compiled by tscap and run in tscap's VM over
 * every fixture of each link type it applies to, selects exactly the packets tcpdump selects from the
 * same files at test time. Also: tscap refuses where tcpdump refuses, optimized and unoptimized programs
 * agree on every packet, and every program passes the validator.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileFilter, FilterError } from '../../src/filter/compile.js';
import { runFilter } from '../../src/filter/vm.js';
import { validateProgram } from '../../src/filter/validate.js';
import type { BpfProgram } from '../../src/filter/bpf.js';
import { fixtureGroups, groupsFor, loadExpressions, pool, tcpdumpSelectGroups } from './oracle.js';
import type { FixtureGroup, GoldenExpr, Selection } from './oracle.js';

const exprs = loadExpressions();
const groups = fixtureGroups();
const oracle = new Map<string, Selection>();
const keyOf = (e: GoldenExpr, g: FixtureGroup): string => `${g.tag}\u0000${e.expr}`;

beforeAll(async () => {
  await pool(exprs, 2, async (e) => {
    const sel = await tcpdumpSelectGroups(e.expr, groupsFor(e, groups));
    for (const g of groups) {
      const s = sel.get(g.tag);
      if (s) oracle.set(keyOf(e, g), s);
    }
  });
}, 300_000);

function verdicts(prog: BpfProgram, g: FixtureGroup): number[] {
  const sel: number[] = [];
  g.records.forEach((r, i) => {
    if (runFilter(prog, r.data, r.wireLen) !== 0) sel.push(i);
  });
  return sel;
}

function describeDiff(g: FixtureGroup, got: number[], want: number[]): string {
  const w = new Set(want);
  const gset = new Set(got);
  const extra = got.filter((i) => !w.has(i)).slice(0, 5).map((i) => `${g.origin[i]!.file}#${g.origin[i]!.index + 1}`);
  const missing = want.filter((i) => !gset.has(i)).slice(0, 5).map((i) => `${g.origin[i]!.file}#${g.origin[i]!.index + 1}`);
  return `tscap selects ${got.length}, tcpdump ${want.length}; extra [${extra.join(', ')}] missing [${missing.join(', ')}]`;
}

describe('golden expressions against tcpdump', () => {
  it('has at least 300 expressions and 20 fixture files', () => {
    expect(exprs.length).toBeGreaterThanOrEqual(300);
    expect(groups.reduce((n, g) => n + new Set(g.origin.map((o) => o.file)).size, 0)).toBeGreaterThanOrEqual(20);
  });

  it.each(exprs.map((e) => [`${e.line}: ${e.expr}`, e] as const))('%s', (_name, e) => {
    const failures: string[] = [];
    for (const g of groupsFor(e, groups)) {
      const want = oracle.get(keyOf(e, g));
      if (!want) throw new Error(`no tcpdump result for ${g.tag}`);
      let prog: BpfProgram;
      try {
        prog = compileFilter(e.expr, { linkType: g.linkType });
      } catch (err) {
        if (!(err instanceof FilterError)) {
          failures.push(`${g.tag}: threw ${String(err)} (not a FilterError)`);
        } else if (want.ok) {
          failures.push(`${g.tag}: tscap refuses (${err.message}) but tcpdump accepts`);
        }
        continue;
      }
      if (!want.ok) {
        failures.push(`${g.tag}: tscap accepts but tcpdump refuses: ${want.error}`);
        continue;
      }
      const problem = validateProgram(prog);
      if (problem !== undefined) failures.push(`${g.tag}: optimized program invalid: ${problem}`);
      const got = verdicts(prog, g);
      if (got.join() !== want.indices.join()) failures.push(`${g.tag}: ${describeDiff(g, got, want.indices)}`);
      let plain: BpfProgram;
      try {
        plain = compileFilter(e.expr, { linkType: g.linkType, optimize: false });
      } catch (err) {
        failures.push(`${g.tag}: unoptimized compile failed: ${String(err)}`);
        continue;
      }
      const plainProblem = validateProgram(plain);
      if (plainProblem !== undefined) failures.push(`${g.tag}: unoptimized program invalid: ${plainProblem}`);
      const gotPlain = verdicts(plain, g);
      if (gotPlain.join() !== got.join()) failures.push(`${g.tag}: optimized and unoptimized differ: ${describeDiff(g, gotPlain, got)}`);
    }
    expect(failures).toEqual([]);
  });
});
