import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFilter, FilterError } from '../../src/filter/compile.js';
import { clearNameCache, lookupHost, lookupPort, lookupPortRange, NAME_FILES, parseIPv6, parseMac } from '../../src/filter/names.js';

const saved = { ...NAME_FILES };
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tscap-names-'));
  writeFileSync(join(dir, 'hosts'), '192.0.2.7 web web.example # comment\n2001:db8::7 web\n198.51.100.1 v4only\n');
  writeFileSync(join(dir, 'services'), 'http 80/tcp www\ndomain 53/tcp\ndomain 53/udp\nntp 123/udp\n');
  writeFileSync(join(dir, 'protocols'), 'tcp 6 TCP\nudp 17 UDP\n');
  writeFileSync(join(dir, 'ethers'), '02:00:00:00:00:07 web\n');
  writeFileSync(join(dir, 'networks'), 'lab 10.77\n');
  Object.assign(NAME_FILES, { hosts: join(dir, 'hosts'), services: join(dir, 'services'), protocols: join(dir, 'protocols'), ethers: join(dir, 'ethers'), networks: join(dir, 'networks') });
  clearNameCache();
});
afterAll(() => {
  Object.assign(NAME_FILES, saved);
  clearNameCache();
  rmSync(dir, { recursive: true, force: true });
});

describe('name resolution from the system databases', () => {
  it('hosts: every address of a name, both families', () => {
    expect(lookupHost('web')).toEqual([{ family: 6, words: [0x20010db8, 0, 0, 7] }, { family: 4, addr: 0xc0000207 }]);
    expect(lookupHost('nope')).toEqual([]);
  });
  it('services: tcp/udp deduction like pcap_nametoport', () => {
    expect(lookupPort('http')).toEqual({ port: 80, proto: 'tcp' });
    expect(lookupPort('www')).toEqual({ port: 80, proto: 'tcp' });
    expect(lookupPort('domain')).toEqual({ port: 53, proto: undefined });
    expect(lookupPort('ntp')).toEqual({ port: 123, proto: 'udp' });
    expect(lookupPortRange('http-123')).toEqual({ p1: 80, p2: 123, proto: undefined });
  });
  it('address parsing', () => {
    expect(parseIPv6('::ffff:1.2.3.4')).toEqual([0, 0, 0xffff, 0x01020304]);
    expect(parseIPv6('1::2::3')).toBeUndefined();
    expect(Array.from(parseMac('0200.0000.0007') ?? [])).toEqual([2, 0, 0, 0, 0, 7]);
  });
  it('compiles names and fails with libpcap wording', () => {
    expect(compileFilter('host web', { linkType: 1 }).length).toBeGreaterThan(10);
    expect(compileFilter('ether host web and net lab', { linkType: 1 }).length).toBeGreaterThan(5);
    const msg = (e: string): string => {
      try {
        compileFilter(e, { linkType: 1 });
        return 'ok';
      } catch (x) {
        return x instanceof FilterError ? x.message : String(x);
      }
    };
    expect(msg('host nope')).toBe("unknown host 'nope'");
    expect(msg('ip6 host v4only')).toBe("unknown host 'v4only' for specified address family");
    expect(msg('udp port http')).toBe("port 'http' is tcp");
    expect(msg('tcp port ntp')).toBe("port 'ntp' is udp");
    expect(msg('ether host nope')).toBe("unknown ether host 'nope'");
    expect(msg('ip proto nope')).toBe("unknown ip proto 'nope'");
    expect(msg('net nope')).toBe("unknown network 'nope'");
  });
});
