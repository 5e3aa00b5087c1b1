import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/filter/ast.js';
import { parseFilter } from '../../src/filter/parser.js';

/** A compact rendering of the tree: qualifiers as proto/dir/addr. */
function show(e: Expr | null): string {
  if (!e) return '';
  switch (e.k) {
    case 'and':
    case 'or':
      return `(${e.items.map(show).join(` ${e.k} `)})`;
    case 'not':
      return `!${show(e.e)}`;
    case 'id': {
      const v = e.id.form === 'num' ? e.id.v : 's' in e.id ? e.id.s : '';
      return `${e.q.proto}/${e.q.dir}/${e.q.addr}:${v}`;
    }
    case 'proto':
      return e.proto;
    case 'rel':
      return `rel${e.op}`;
    case 'other':
      return `${e.kind}${e.num ?? ''}`;
  }
}

const p = (s: string): string => {
  const r = parseFilter(s);
  if (r.error) throw r.error;
  return show(r.expr);
};

describe('parser: qualifier inheritance as in libpcap grammar.y', () => {
  it('an identifier after and/or inherits the previous qualifiers', () => {
    expect(p('host a or b')).toBe('(default/default/host:a or default/default/host:b)');
    expect(p('port not 22')).toBe('!default/default/port:22');
    expect(p('src or dst net 10.0.0.0/8')).toBe('default/or/net:10.0.0.0');
    expect(p('tcp dst port 80 or 443')).toBe('(tcp/dst/port:80 or tcp/dst/port:443)');
    expect(p('host (a or b)')).toBe('(default/default/host:a or default/default/host:b)');
  });
  it('and/or share one precedence and associate left', () => {
    expect(p('tcp or udp and icmp')).toBe('((tcp or udp) and icmp)');
    expect(p('not tcp and udp')).toBe('(!tcp and udp)');
  });
  it('terms reset inheritance (libpcap qerr)', () => {
    const r = parseFilter('tcp or 80');
    expect(r.error).toBeUndefined();
    expect(show(r.expr)).toBe('(tcp or undef/undef/undef:80)');
  });
  it('relations with libpcap precedences; % and ^ bind to the right', () => {
    expect(p('len > 1 + 2 * 3')).toBe('rel>');
    expect(p('(tcp[0] & 1) = 1')).toBe('rel=');
    expect(p('vlan 100 and vlan (200)')).toBe('(vlan100 and vlan200)');
  });
  it('syntax errors carry the offending token position', () => {
    expect(parseFilter('tcp and').error?.position).toBe(7);
    expect(parseFilter('host').error?.position).toBe(4);
    expect(parseFilter('(tcp').error?.position).toBe(4);
    expect(parseFilter('tcp )').error?.position).toBe(4);
    expect(parseFilter('ip 1.2.3.4').error?.position).toBe(3);
  });
  it('deep nesting: thousands of parentheses parse without recursion; 10000 is libpcap\'s limit', () => {
    const deep = (n: number): string => '('.repeat(n) + 'tcp' + ')'.repeat(n);
    expect(parseFilter(deep(5000)).error).toBeUndefined();
    expect(parseFilter(deep(10000)).error?.message).toBe("can't parse filter expression: memory exhausted");
    expect(parseFilter('not '.repeat(3001) + 'tcp').error).toBeUndefined();
  });
});
