/**
 * The VM against libpcap: libpcap's own program for an expression (`tcpdump -ddd -r FILE EXPR`), run in
 * tscap's VM (interpreted and compiled to a function) over every fixture, selects exactly what tcpdump
 * selects from the same file. Needs no tscap compiler, so it isolates the VM. Uses every other
 * golden expression (and all of them that tcpdump refuses nowhere) to stay fast.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDecimalProgram } from '../../src/filter/bpf.js';
import type { BpfProgram } from '../../src/filter/bpf.js';
import { compileFilterFunction, runFilter } from '../../src/filter/vm.js';
import { validateProgram } from '../../src/filter/validate.js';
import { fixtureGroups, groupsFor, loadExpressions, pool, tcpdumpListing, tcpdumpSelectGroups } from './oracle.js';
import type { FixtureGroup, GoldenExpr, Listing, Selection } from './oracle.js';

const exprs = loadExpressions().filter((_, i) => i % 2 === 0);
const groups = fixtureGroups();
const results = new Map<string, { sel: Selection; prog: Listing }>();
const keyOf = (e: GoldenExpr, g: FixtureGroup): string => `${g.tag}\u0000${e.expr}`;

beforeAll(async () => {
  const jobs: [GoldenExpr, FixtureGroup, Selection][] = [];
  await pool(exprs, 2, async (e) => {
    const sel = await tcpdumpSelectGroups(e.expr, groupsFor(e, groups));
    for (const g of groupsFor(e, groups)) {
      const s = sel.get(g.tag);
      if (!s) throw new Error(`no tcpdump selection for ${g.tag}`);
      // Ethernet carries most fixtures: every listed expression; the small groups: one in three
      if (g.tag === 'eth' || e.line % 3 === 0) jobs.push([e, g, s]);
    }
  });
  await pool(jobs, 2, async ([e, g, sel]) => {
    // a refused expression has no program to run
    const prog: Listing = sel.ok ? await tcpdumpListing(e.expr, g, 'ddd') : { ok: false, error: sel.error };
    results.set(keyOf(e, g), { sel, prog });
  });
}, 300_000);

describe("libpcap's programs in tscap's VM select what tcpdump selects", () => {
  it.each(exprs.map((e) => [`${e.line}: ${e.expr}`, e] as const))('%s', (_name, e) => {
    const failures: string[] = [];
    let ran = 0;
    for (const g of groupsFor(e, groups)) {
      const r = results.get(keyOf(e, g));
      if (!r) continue; // not sampled
      if (!r.sel.ok) continue;
      if (!r.prog.ok) {
        failures.push(`${g.tag}: tcpdump -ddd failed: ${r.prog.error}`);
        continue;
      }
      const prog: BpfProgram = parseDecimalProgram(r.prog.text);
      const problem = validateProgram(prog);
      // protochain programs loop with a backward jump, which the kernel (and so the validator) refuses
      const backward = prog.some((ins) => ins.code === 0x05 && (ins.k | 0) < 0);
      if (problem !== undefined && !backward) failures.push(`${g.tag}: validator refuses libpcap's program: ${problem}`);
      if (problem === undefined && backward) failures.push(`${g.tag}: validator accepts a backward jump`);
      const fast = compileFilterFunction(prog);
      const got: number[] = [];
      const gotFast: number[] = [];
      g.records.forEach((rec, i) => {
        if (runFilter(prog, rec.data, rec.wireLen) !== 0) got.push(i);
        if (fast(rec.data, 0, rec.data.length, rec.wireLen) !== 0) gotFast.push(i);
      });
      ran++;
      const want = r.sel.indices.join();
      if (got.join() !== want) failures.push(`${g.tag}: interpreter selects [${got.join()}], tcpdump [${want}]`);
      if (gotFast.join() !== want) failures.push(`${g.tag}: compiled function selects [${gotFast.join()}], tcpdump [${want}]`);
    }
    expect(failures).toEqual([]);
    expect(ran).toBeGreaterThanOrEqual(0);
  });

  it('ran a program on every group for most expressions', () => {
    let total = 0;
    for (const r of results.values()) if (r.prog.ok) total++;
    expect(total).toBeGreaterThan(exprs.length);
  });
});
