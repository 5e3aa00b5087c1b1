/**
 * OSI payloads whose NLPID is none of CLNP, ES-IS and IS-IS, as tcpdump's isoclns_print reads them (the
 * NULL NLPID, unknown values, and IPv4, IPv6, PPP and Q.933 inside), on the crafted captures
 * fixtures/proto/nlpid-*.pcap (gen_nlpid.py): after an LLC header between the OSI SAPs (with IP over
 * LLC SAP 0x06 beside it), Cisco HDLC protocol 0xfefe and PPP protocol 0x0023. Every printed line
 * against tcpdump 4.99 at -n, -v, -vv, -e and -x, and the filter compiler's selection against libpcap's,
 * run at test time.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';
import { expectFilterLikeLibpcap, expectTcpdumpLines, levels } from './proto-oracle.js';

process.env.TZ = 'UTC';
const DIR = join(ROOT, 'fixtures', 'proto');

/** Each capture, what it carries, and filter expressions libpcap compiles for its link type. */
const FILES: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  ['nlpid-llc.pcap', 'OSI NLPIDs after LLC, and IP over LLC', ['llc', 'iso', 'ip', 'udp', 'icmp', 'llc u', 'ether[14] = 0x06', 'ether[14] & 0xfe = 0xfe and ether[17] = 0x99']],
  ['nlpid-chdlc.pcap', 'OSI NLPIDs on Cisco HDLC', ['iso', 'ip', 'udp', 'link[2:2] = 0xfefe', 'link[4] = 0']],
  ['nlpid-ppp.pcap', 'OSI NLPIDs on PPP', ['iso', 'ip', 'udp', 'ppp proto 0x23', 'link[4] = 0xcc']],
];

describe('OSI NLPIDs: text equals tcpdump\'s', () => {
  for (const [file, name] of FILES) {
    it(`${name} (${file}): every line at -n, -v, -vv, -e, -x`, () => {
      console.log(`${file}: ${expectTcpdumpLines(join(DIR, file), levels([], ['-v'], ['-vv'], ['-e'], ['-x']))}`);
    });
  }
});

describe('OSI NLPIDs: the filter selects what libpcap selects', () => {
  for (const [file, , exprs] of FILES) {
    it(`${file}: ${exprs.length} expressions`, () => {
      expect(expectFilterLikeLibpcap(join(DIR, file), exprs)).toBeGreaterThan(0);
    });
  }
});
