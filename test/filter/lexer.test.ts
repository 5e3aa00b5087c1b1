import { describe, expect, it } from 'vitest';
import { parseNumber, tokenize } from '../../src/filter/lexer.js';

const kinds = (s: string): string[] => tokenize(s).map((t) => (t.t === 'KW' ? t.kw : t.t === 'NUM' ? `NUM=${t.v}` : `${t.t}:${t.text}`));

describe('lexer (libpcap scanner.l rules)', () => {
  it('numbers in decimal, hex and octal; bad octal is an error token', () => {
    expect(parseNumber('0x1F')).toEqual({ v: 31 });
    expect(parseNumber('010')).toEqual({ v: 8 });
    expect(parseNumber('4294967295')).toEqual({ v: 4294967295 });
    expect(parseNumber('4294967296')).toEqual({ err: 'number 4294967296 overflows 32 bits' });
    expect(tokenize('08')[0]?.err).toBe('number 08 contains non-octal digit');
  });
  it('longest match wins: IDs beat numbers, HID beats ID on a tie', () => {
    expect(kinds('1-2 0x1g 10.1 1.2.3.4.5')).toEqual(['ID:1-2', 'ID:0x1g', 'HID:10.1', 'ID:1.2.3.4.5', 'EOF:']);
  });
  it('MAC addresses in three forms and bogus ones', () => {
    expect(kinds('aa:bb:cc:dd:ee:ff aa-bb-cc-dd-ee-ff aabb.ccdd.eeff')).toEqual(['EID:aa:bb:cc:dd:ee:ff', 'EID:aa-bb-cc-dd-ee-ff', 'EID:aabb.ccdd.eeff', 'EOF:']);
    expect(tokenize('1:2:3:4:5:6:7')[0]?.err).toBe('bogus ethernet address 1:2:3:4:5:6:');
  });
  it('IPv6 forms, including an IPv4 tail', () => {
    expect(kinds('::1 fe80::1:2.3.4.5 1:2:3:4:5:6:7:8')).toEqual(['HID6:::1', 'HID6:fe80::1:2.3.4.5', 'HID6:1:2:3:4:5:6:7:8', 'EOF:']);
  });
  it('keywords, aliases, named constants and backslash escapes', () => {
    expect(kinds('ether src and \\ip && !tcp-syn')).toEqual(['link', 'src', 'AND:and', 'ID:ip', 'AND:&&', 'NOT:!', 'NUM=2', 'EOF:']);
    expect(kinds('tcp[tcpflags] & tcp-ack != 0')).toEqual(['tcp', '[:[', 'NUM=13', ']:]', '&:&', 'NUM=16', 'NEQ:!=', 'NUM=0', 'EOF:']);
    expect(kinds('TCP')).toEqual(['ID:TCP', 'EOF:']);
  });
  it('records positions', () => {
    expect(tokenize('  tcp  port').map((t) => t.pos)).toEqual([2, 7, 11]);
  });
});
