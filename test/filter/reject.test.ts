/**
 * Reject table: expressions libpcap refuses must be refused with libpcap's message (tcpdump, run at
 * test time on an empty capture of the link type, is the oracle), and syntax errors must point at
 * the offending token.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFilter, FilterError } from '../../src/filter/compile.js';

const run = promisify(execFile);

/** One expression per line; all must be refused on Ethernet. */
const REJECT = String.raw`
(
)
tcp and
and tcp
tcp or or udp
host
port
net
tcp port
not
! !
tcp )
(tcp
((tcp)
tcp udp
ip 1.2.3.4
ip and 1.2.3.4
1.2.3.4
host 1.2.3.4 5.6.7.8
src
src or host 1.2.3.4
dst and
port 80 80
tcp[0
tcp[0] =
tcp[0:] = 1
tcp[0] = = 1
= 1
len >
len > > 1
1 +
less
greater
less foo
byte
byte 1
byte 1 ~ 2
vlan foo
vlan (tcp)
mpls x
tcp @ udp
tcp # udp
tcp , udp
host "a"
host 'a'
ip proto
ether
ether host
ether src
TCP
Host 1.2.3.4
host ::1::2
port 1 - 2
len = 1-2
tcp or 80
host 1.2.3.4 and (tcp or 1.2.3.5)
tcp and (tcp or foo)
host ((1.2.3.4))
(1.2.3.4)
not 1.2.3.4
vxlan
src or dst
src or dst or src host x
ip src dst host 1.2.3.4
host 1.2.3.4 mask
net 10.0.0.0 mask
net 10 mask 255.0.0.0
net 10/8
ip6 host ::1/
port 70000
portrange 1-70000
tcp port 65536
ip6 host 1.2.3.4
ip host ::1
tcp host 1.2.3.4
udp net 10.0.0.0/8
icmp host 1.2.3.4
arp proto 6
rarp proto 6
tcp proto 6
ip6 net 1.2.3.0/24
ether host 1.2.3.4
ether host 1:2:3:4:5:6:7
ether host aa:bb:cc:dd:ee
host foo.invalid
host nosuchhost
ip host nosuchhost
port nosuchport
tcp port nosuchport
portrange foo
portrange 1-foo
udp port http
tcp port ntp
ip proto foo
ether proto foo
iso proto foo
ip6 protochain foo
proto foo
net foo
ether host foo
gateway foo
ip gateway localhost
tcp[0:3] = 1
tcp[0:5] = 1
ah[0] = 1
esp[0] = 1
iso[0] = 1
stp[0] = 1
ipx[0] = 1
radio[0] = 1
tcp[0800] = 1
tcp[08] = 1
port 09
len = 4294967296
len = 0x100000000
len / 0 = 1
len % 0 = 1
net 10.1.2.3/8
net 10.0.0.1/8
net 10.0.0.0/33
ip6 net ::1/64
ip6 net 2001::/129
host 2001::/64
port 1.2.3.4
portrange 1.2.3.4
proto 1.2.3.4
protochain 1.2.3.4
port 10.0.0.0/8
port 10.0.0.0 mask 255.0.0.0
src port 1.2.3.4
host 1.2.3.256
vlan 4096
mpls 1048576
pppoes 65536
geneve 16777216
tcp broadcast
ip6 broadcast
arp multicast
tcp multicast
link host 1.2.3.4
link net 10.0.0.0/8
link proto foo
sca host 1.2.3.4
lat host 1.2.3.4
moprc host 1.2.3.4
mopdl host 1.2.3.4
atalk host 1.2.3.4
aarp host 1.2.3.4
iso host 1.2.3.4
ipx host 1.2.3.4
atalk proto 6
decnet proto 6
lat proto 6
clnp proto 6
sctp proto 6
ip protochain 6 and tcp protochain 6
tcp protochain 6
src proto 6
dst proto tcp
mpls and arp
mpls and vlan
addr1 host 1.2.3.4
ra host 1.2.3.4
ether addr2 1:2:3:4:5:6
ether ra 1:2:3:4:5:6
inbound
outbound
ifindex 1
llc foo
llc x
type mgt
subtype beacon
dir tods
vpi 1
vci 1
lane
sio 1
fisu
on eth0
reason match
action pass
rnr 1
ip and not ip
tcp and udp
ip and arp
ip6 and ip
1 = 0
ether proto 0x800 and ether proto 0x86dd
decnet host foo
host $1
`
  .split('\n')
  .filter((l) => l.trim() !== '');

/** Syntax errors and where the offending token starts (0-based), worked out from the grammar. */
const POSITIONS: [string, number][] = [
  ['(', 1],
  [')', 0],
  ['tcp and', 7],
  ['and tcp', 0],
  ['tcp or or udp', 7],
  ['host', 4],
  ['tcp port', 8],
  ['tcp )', 4],
  ['(tcp', 4],
  ['tcp udp', 4],
  ['ip 1.2.3.4', 3],
  ['1.2.3.4', 0],
  ['host 1.2.3.4 5.6.7.8', 13],
  ['port 80 80', 8],
  ['tcp[0', 5],
  ['tcp[0] =', 8],
  ['tcp[0:] = 1', 6],
  ['= 1', 0],
  ['len > > 1', 6],
  ['less foo', 5],
  ['byte 1 ~ 2', 7],
  ['vlan (tcp)', 6],
  ['tcp @ udp', 4],
  ['TCP', 0],
  ['host ::1::2', 8],
  ['not 1.2.3.4', 4],
  ['src or dst', 10],
  ['net 10/8', 6],
  ['ip6 host ::1/', 13],
];

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tscap-reject-'));
  const b = Buffer.alloc(24);
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeUInt32LE(262144, 16);
  b.writeUInt32LE(1, 20);
  writeFileSync(join(dir, 'en10mb.pcap'), b);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** tcpdump's message for an expression, or null when it compiles it. */
async function tcpdumpMessage(expr: string): Promise<string | null> {
  try {
    await run('tcpdump', ['-r', join(dir, 'en10mb.pcap'), '-d', '--', expr]);
    return null;
  } catch (e) {
    const err = e as { code?: unknown; stderr?: string };
    if (err.code === 'ENOENT') throw new Error('tcpdump is required for these tests (apt-get install -y tcpdump)');
    const line = String(err.stderr ?? '').split('\n').find((l) => l.startsWith('tcpdump: '));
    if (!line) throw new Error(`tcpdump failed without a message for ${JSON.stringify(expr)}: ${err.stderr}`);
    return line.slice('tcpdump: '.length);
  }
}

function ours(expr: string): FilterError | null {
  try {
    compileFilter(expr, { linkType: 1 });
    return null;
  } catch (e) {
    if (!(e instanceof FilterError)) throw e;
    return e;
  }
}

describe('reject table', () => {
  it('has at least 100 expressions', () => {
    expect(REJECT.length).toBeGreaterThanOrEqual(100);
  });

  it('every expression is refused by tcpdump and by tscap, with the same message', async () => {
    const diffs: string[] = [];
    for (let i = 0; i < REJECT.length; i += 8) {
      const batch = REJECT.slice(i, i + 8);
      const msgs = await Promise.all(batch.map(tcpdumpMessage));
      batch.forEach((expr, n) => {
        const want = msgs[n];
        const got = ours(expr);
        if (want === null) diffs.push(`${expr}: tcpdump accepts it (the table is wrong)`);
        else if (!got) diffs.push(`${expr}: tscap accepts, tcpdump says "${want}"`);
        else if (got.message !== want) diffs.push(`${expr}: tscap "${got.message}", tcpdump "${want}"`);
      });
    }
    expect(diffs).toEqual([]);
  }, 60_000);

  it('syntax errors point at the offending token', () => {
    for (const [expr, pos] of POSITIONS) {
      const e = ours(expr);
      expect(e, expr).not.toBeNull();
      expect([expr, e?.position]).toEqual([expr, pos]);
    }
  });

  it('semantic errors point at their primitive and render a caret', () => {
    const e = ours('tcp and ip6 host 1.2.3.4');
    expect(e?.message).toBe("'ip6' modifier applied to ip host");
    expect(e?.position).toBe(8);
    expect(e?.format('tcp and ip6 host 1.2.3.4')).toBe("'ip6' modifier applied to ip host\ntcp and ip6 host 1.2.3.4\n        ^");
  });

  it('never throws anything but FilterError, never hangs, on garbage', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const words = ['tcp', 'port', '80', '(', ')', 'and', 'or', 'not', 'host', '1.2.3.4', '[', ']', ':', '4', '&', '=', 'vlan', 'mpls', 'src', 'dst', 'net', '10.0.0.0/8', '::1', 'len', '-', '+', 'ether', 'proto', '\\ip', 'gateway', '!', '>', 'ip6', 'protochain', '%', 'geneve', 'pppoes', 'type', 'subtype', 'dir', 'wlan', 'mgt', 'beacon', 'tods', 'addr4', 'ra', '$01', 'radio', 'link', 'llc'];
    for (let i = 0; i < 3000; i++) {
      const n = 1 + rnd(10);
      const expr = Array.from({ length: n }, () => words[rnd(words.length)]).join(' ');
      try {
        compileFilter(expr, { linkType: [1, 0, 101, 113, 276, 7, 8, 9, 50, 104, 105, 107, 127, 129, 139, 140, 192, 239][rnd(18)] as number, optimize: rnd(2) === 0 });
      } catch (e) {
        if (!(e instanceof FilterError)) throw new Error(`${expr}: ${String(e)}`);
      }
    }
  });
});
