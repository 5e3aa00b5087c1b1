import { createBenchNet } from './lib/net.js';
import { liveRun } from './lib/live.js';
import { TSCAP_JS } from './lib/tools.js';
import { mkdtempSync } from 'node:fs';
const net = createBenchNet();
const tmpDir = mkdtempSync('/tmp/pl-');
const args = process.argv.slice(2);
try {
  const r = await liveRun({ net, tmpDir, seconds: 3, warmupMs: 500, drainMs: 1200, log: console.error }, {
    id: 'x', label: 'x', family: 'tscap', requires: [], stdout: 'ignore', writesFile: false,
    argv: (i) => [process.execPath, '--cpu-prof', '--cpu-prof-dir=/tmp/lprof', '--cpu-prof-interval', '200', TSCAP_JS, '-i', i, ...args],
  }, { kind: 'trafgen' }, 64);
  console.log(JSON.stringify({ captured: r.captured, loss: r.lossPct, cpuPerMpkt: r.cpuPerMpkt, err: r.error }));
} finally { net.remove(); }
