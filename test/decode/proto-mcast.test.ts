/**
 * IGMPv3 and MLDv2 reports and queries whose record or source counts go beyond the message, on the
 * crafted captures fixtures/proto/mcast-reports.pcap and mcast-queries.pcap (gen_mcast.py): every
 * printed line against tcpdump 4.99 at -n, -v, -vv, -e and -x (` [invalid number of groups]`,
 * ` [invalid number of sources]`, ` [invalid len N]`, auxiliary data, general queries, cuts by the
 * capture), run at test time.
 */
import { describe, it } from 'vitest';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';
import { expectTcpdumpLines, levels } from './proto-oracle.js';

process.env.TZ = 'UTC';
const DIR = join(ROOT, 'fixtures', 'proto');

describe('IGMPv3 and MLDv2: text equals tcpdump\'s', () => {
  for (const file of ['mcast-reports.pcap', 'mcast-queries.pcap']) {
    it(`${file}: every line at -n, -v, -vv, -e, -x`, () => {
      console.log(`${file}: ${expectTcpdumpLines(join(DIR, file), levels([], ['-v'], ['-vv'], ['-e'], ['-x']))}`);
    });
  }
});
