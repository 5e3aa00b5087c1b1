/**
 * IGMPv3 and MLDv2 membership reports whose record or source counts go beyond the message, on the crafted
 * capture fixtures/proto/mcast-reports.pcap (gen_mcast.py): every printed line against tcpdump 4.99 at
 * -n, -v, -vv, -e and -x (` [invalid number of groups]`, ` [invalid number of sources N]`,
 * ` [invalid len N]`, auxiliary data, cuts by the capture), run at test time.
 */
import { describe, it } from 'vitest';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';
import { expectTcpdumpLines, levels } from './proto-oracle.js';

process.env.TZ = 'UTC';
const FILE = join(ROOT, 'fixtures', 'proto', 'mcast-reports.pcap');

describe('IGMPv3 and MLDv2 reports: text equals tcpdump\'s', () => {
  it('every line at -n, -v, -vv, -e, -x', () => {
    console.log(`mcast-reports: ${expectTcpdumpLines(FILE, levels([], ['-v'], ['-vv'], ['-e'], ['-x']))}`);
  });
});
