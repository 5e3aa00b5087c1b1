/**
 * A CPU profile of one live tscap configuration under the bench's traffic: trafgen sends 64-byte
 * frames at its maximum rate into a veth of a bench namespace for 3 s while tscap captures with the
 * given arguments under `node --cpu-prof`. Prints the run's capture count, loss and CPU per million
 * packets; the profile (`*.cpuprofile`, for Chrome's DevTools or any reader of that format) lands in
 * PROF_DIR (default /tmp/lprof). As root, after `npm run build`:
 *
 *   npx tsx bench/prof-live.ts --stats 1 -w /dev/null
 *   PROF_DIR=/tmp/json npx tsx bench/prof-live.ts --json
 */
import { mkdtempSync } from 'node:fs';
import { liveRun } from './lib/live.js';
import { createBenchNet } from './lib/net.js';
import { TSCAP_JS } from './lib/tools.js';

const profDir = process.env['PROF_DIR'] ?? '/tmp/lprof';
const args = process.argv.slice(2);
const net = createBenchNet();
const tmpDir = mkdtempSync('/tmp/tscap-prof-');
try {
  const r = await liveRun(
    { net, tmpDir, seconds: 3, warmupMs: 500, drainMs: 1200, log: console.error },
    {
      id: 'profile',
      label: `tscap ${args.join(' ')}`,
      family: 'tscap',
      requires: [],
      stdout: 'ignore',
      writesFile: false,
      argv: (i) => [process.execPath, '--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval', '200', TSCAP_JS, '-i', i, ...args],
    },
    { kind: 'trafgen' },
    64,
  );
  console.log(JSON.stringify({ captured: r.captured, lossPct: r.lossPct, cpuPerMpkt: r.cpuPerMpkt, error: r.error, profiles: profDir }));
} finally {
  net.remove();
}
