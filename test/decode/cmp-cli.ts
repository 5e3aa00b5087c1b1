/**
 * Developer tool: prints, per capture file, the share of lines identical to tcpdump's and the first
 * differing lines. Usage: `FLAGS="-e" TZ=UTC npx tsx test/decode/cmp-cli.ts fixtures/*.pcap`.
 */
import { tcpdumpLines, tscapLines, compareLines } from './compare.js';
process.env.TZ = 'UTC';
const args = process.argv.slice(2);
const flags = (process.env.FLAGS ?? '').split(' ').filter(Boolean);
const opts: Record<string, unknown> = {};
for (const f of flags) {
  if (f === '-e') opts.linkHeader = true;
  if (f === '-v') opts.verbose = 1;
  if (f === "-vv") opts.verbose = 2;
  if (f === '-q') opts.quiet = true;
}
let T = 0, S = 0;
for (const file of args) {
  const c = compareLines(tscapLines(file, opts), tcpdumpLines(file, flags));
  T += c.total; S += c.same;
  console.log(`${file}: ${c.same}/${c.total}`);
  const seen = new Set<string>();
  for (const d of c.diffs) { const k = d.theirs.slice(16, 60); if (seen.has(k)) continue; seen.add(k); if (seen.size > Number(process.env.MAXD ?? 6)) break; console.log('  ours:   ' + d.ours.slice(0, 300)); console.log('  theirs: ' + d.theirs.slice(0, 300)); }
}
console.log(`TOTAL ${S}/${T} = ${(100 * S / T).toFixed(1)}%`);
