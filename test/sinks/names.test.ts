import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createNameLookup } from '../../src/sinks/names.js';

const dir = mkdtempSync(join(tmpdir(), 'tscap-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const hostsFile = file('hosts', '198.51.100.7 web.example.test web # comment\nfd00::7 six.example.test\n');
const ethersFile = file('ethers', '2:0:0:0:0:9 gateway\n');

test('ports and protocols come from the system tables, as tcpdump prints them', () => {
  const n = createNameLookup({ dns: false });
  // Debian's /etc/services and /etc/protocols, as tcpdump reads them.
  expect(n.port(53, 'udp')).toBe('domain');
  expect(n.port(80, 'tcp')).toBe('http');
  expect(n.port(4789, 'udp')).toBe('4789');
  expect(n.port(61999, 'tcp')).toBe('61999');
  expect(n.protocol(47)).toBe('gre');
  expect(n.protocol(0)).toBe('hopopt'); // tcpdump's word; /etc/protocols says ip
  expect(n.protocol(253)).toBe('exptest-253');
  expect(n.protocol(200)).toBeUndefined();
});

test('hosts: the hosts file answers at once; -N drops the domain', () => {
  const n = createNameLookup({ hostsFile, dns: false });
  expect(n.host('198.51.100.7')).toBe('web.example.test');
  expect(n.host('fd00::7')).toBe('six.example.test');
  expect(n.host('198.51.100.8')).toBe('198.51.100.8');
  expect(createNameLookup({ hostsFile, dns: false, stripDomain: true }).host('198.51.100.7')).toBe('web');
});

test('reverse DNS never blocks: the first sighting prints the number, later ones the name once it is in', async () => {
  let answer: (names: string[]) => void = () => undefined;
  let asked = 0;
  const n = createNameLookup({
    hostsFile,
    reverse: () => {
      asked++;
      return new Promise<string[]>((r) => (answer = r));
    },
  });
  expect(n.host('192.0.2.1')).toBe('192.0.2.1');
  expect(n.host('192.0.2.1')).toBe('192.0.2.1'); // still pending: asked once only
  expect(asked).toBe(1);
  answer(['gw.example.test.']);
  await new Promise((r) => setImmediate(r));
  expect(n.host('192.0.2.1')).toBe('gw.example.test');
});

test('a failed reverse lookup keeps the number and is not asked again', async () => {
  let asked = 0;
  const n = createNameLookup({ hostsFile, reverse: () => (asked++, Promise.reject(new Error('ENOTFOUND'))) });
  expect(n.host('192.0.2.2')).toBe('192.0.2.2');
  await new Promise((r) => setImmediate(r));
  expect(n.host('192.0.2.2')).toBe('192.0.2.2');
  expect(asked).toBe(1);
});

test('with the system resolver and no reachable DNS server, a lookup returns the number at once', () => {
  const n = createNameLookup({ hostsFile });
  const t0 = performance.now();
  expect(n.host('192.0.2.3')).toBe('192.0.2.3');
  // The resolver's own timeout is 2 s: far below it means nothing waited on the network.
  expect(performance.now() - t0).toBeLessThan(1000);
  n.close();
});

test('MAC addresses: Broadcast, /etc/ethers names, else the OUI note', () => {
  const n = createNameLookup({ ethersFile, dns: false });
  expect(n.mac('ff:ff:ff:ff:ff:ff')).toBe('Broadcast');
  expect(n.mac('02:00:00:00:00:09')).toBe('gateway');
  expect(n.mac('02:00:00:77:00:01')).toBe('02:00:00:77:00:01 (oui Unknown)');
});
