/**
 * How many printed lines equal tcpdump's: for each classic pcap file given (default: every .pcap under
 * fixtures/), tscap's text and `tcpdump -n` are compared packet by packet at -n and -n -v, and each
 * packet's lines are counted under the protocol it ends in (tscap's innermost decoded layer). Prints a
 * table per protocol and the totals; never fails. Real captures (fixtures/real/, made by daemons in
 * namespaces) are also totalled on their own.
 * Run: `npx tsx bench/lines.ts [--show PROTO,...] [file.pcap ...]`; `--show` also prints, for packets
 * ending in those protocols, each line that differs (tscap's, then tcpdump's).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAYER_NAMES, LayerParser } from '../src/decode/index.js';
import { DEFAULT_PRINT_OPTIONS, TextFormatter, type PrintOptions } from '../src/sinks/text.js';
import { readPcap } from '../test/decode/pcap-read.js';
import { cliPrintOptions } from '../test/decode/compare.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');
process.env.TZ = 'UTC';

/** Every classic pcap under `dir`, recursively. */
function pcaps(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...pcaps(p));
    else if (name.endsWith('.pcap')) out.push(p);
  }
  return out.sort();
}

/** tcpdump's lines grouped per packet (a packet starts at a timestamp). */
function tcpdumpPackets(file: string, args: string[]): string[][] {
  let text = '';
  try {
    text = execFileSync('tcpdump', ['-n', ...args, '-r', file], { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }).toString('latin1');
  } catch (err) {
    text = ((err as { stdout?: Buffer }).stdout ?? Buffer.alloc(0)).toString('latin1');
  }
  const out: string[][] = [];
  for (const l of text.split('\n')) {
    if (l === '') continue;
    if (/^\d\d:\d\d:\d\d\.\d{6} /.test(l) || out.length === 0) out.push([l]);
    else out[out.length - 1]!.push(l);
  }
  return out;
}

interface Tally {
  same: number;
  total: number;
}
const tally = (m: Map<string, Tally>, key: string, same: number, total: number): void => {
  const t = m.get(key) ?? { same: 0, total: 0 };
  t.same += same;
  t.total += total;
  m.set(key, t);
};

const LEVELS: Array<[string, string[], PrintOptions]> = [[], ['-v']].map((f) => [['-n', ...f].join(' '), f, cliPrintOptions(f)]);
const args = process.argv.slice(2);
const showAt = args.indexOf('--show');
const show = new Set(showAt >= 0 ? (args.splice(showAt, 2)[1] ?? '').split(',') : []);
const files = args.length > 0 ? args : pcaps(join(ROOT, 'fixtures'));
const byProto = LEVELS.map(() => new Map<string, Tally>());
const byGroup = LEVELS.map(() => new Map<string, Tally>());
const parser = new LayerParser();
for (const file of files) {
  let f;
  try {
    f = readPcap(file);
  } catch {
    continue; // pcapng or not a capture: the fixtures sweep covers those
  }
  const group = relative(ROOT, file).startsWith('fixtures/real/') ? 'real captures' : 'crafted and other fixtures';
  LEVELS.forEach(([, args, opts], li) => {
    const theirs = tcpdumpPackets(file, args);
    const fmt = new TextFormatter({ ...DEFAULT_PRINT_OPTIONS, ...opts });
    f.packets.forEach((p, i) => {
      const ours = fmt.format(p).replace(/\n$/, '').split('\n');
      const th = theirs[i] ?? [];
      const n = Math.max(ours.length, th.length);
      let same = 0;
      for (let k = 0; k < n; k++) if (ours[k] !== undefined && ours[k] === th[k]) same++;
      parser.decode(p.buf, p.offset, p.capLen, p.linkType);
      const proto = parser.count > 0 ? (LAYER_NAMES[parser.kinds[parser.count - 1]!] ?? '?') : `linktype ${p.linkType}`;
      if (show.has(proto) && same < n) {
        for (let k = 0; k < n; k++) {
          if (ours[k] !== th[k]) console.log(`${relative(ROOT, file)} #${i + 1} ${LEVELS[li]![0]}\n  tscap:   ${ours[k] ?? '(none)'}\n  tcpdump: ${th[k] ?? '(none)'}`);
        }
      }
      tally(byProto[li]!, proto, same, n);
      tally(byGroup[li]!, group, same, n);
      tally(byGroup[li]!, 'all', same, n);
    });
  });
}

const pct = (t: Tally | undefined): string => (t === undefined || t.total === 0 ? '-' : `${((100 * t.same) / t.total).toFixed(1)}% (${t.same}/${t.total})`);
console.log(`Lines identical to tcpdump, ${files.length} files`);
console.log(`${'protocol (innermost layer)'.padEnd(28)}${LEVELS.map(([n]) => n.padEnd(24)).join('')}`);
const keys = [...new Set(byProto.flatMap((m) => [...m.keys()]))].sort();
for (const k of keys) console.log(`${k.padEnd(28)}${byProto.map((m) => pct(m.get(k)).padEnd(24)).join('')}`);
console.log('');
for (const g of ['real captures', 'crafted and other fixtures', 'all']) console.log(`${g.padEnd(28)}${byGroup.map((m) => pct(m.get(g)).padEnd(24)).join('')}`);
