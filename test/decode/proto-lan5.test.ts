/**
 * LLC UI frames that hand their payload to a network layer without SNAP, on the crafted capture
 * fixtures/proto/lan5-llc.pcap (gen_lan5.py): the OSI SAP 0xfe with NLPIDs other than CLNP, ES-IS and
 * IS-IS (the NULL NLPID, unknown values, IPv4, IPv6, PPP and Q.933, as tcpdump's isoclns_print reads
 * them) and IP over LLC (SAP 0x06). Every printed line against tcpdump 4.99 at -n, -v, -vv, -e and -x,
 * and the filter compiler's selection against libpcap's, run at test time.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';
import { expectFilterLikeLibpcap, expectTcpdumpLines, levels } from './proto-oracle.js';

process.env.TZ = 'UTC';
const FILE = join(ROOT, 'fixtures', 'proto', 'lan5-llc.pcap');

describe('OSI NLPIDs and IP over LLC: text equals tcpdump\'s', () => {
  it('every line at -n, -v, -vv, -e, -x', () => {
    console.log(`lan5-llc: ${expectTcpdumpLines(FILE, levels([], ['-v'], ['-vv'], ['-e'], ['-x']))}`);
  });
});

describe('OSI NLPIDs and IP over LLC: the filter selects what libpcap selects', () => {
  it('llc, iso, ip, udp and the SAP bytes', () => {
    expect(expectFilterLikeLibpcap(FILE, ['llc', 'iso', 'ip', 'udp', 'icmp', 'llc u', 'ether[14] = 0x06', 'ether[14] & 0xfe = 0xfe and ether[17] = 0x99'])).toBeGreaterThan(0);
  });
});
