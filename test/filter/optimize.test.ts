import { describe, expect, it } from 'vitest';
import { BPF } from '../../src/filter/bpf.js';
import type { CfgNode } from '../../src/filter/cfg.js';
import { C, lower, newId } from '../../src/filter/cfg.js';
import { compileFilter } from '../../src/filter/compile.js';
import { linearize } from '../../src/filter/linearize.js';
import { optimize } from '../../src/filter/optimize.js';

const ret = (k: number): CfgNode => ({ kind: 'ret', id: newId(), code: BPF.RET | BPF.K, k });
const ldh = (k: number) => ({ code: BPF.LD | BPF.H | BPF.ABS, k });

describe('optimizer', () => {
  it('removes a repeated test of the same loaded value (jump threading)', () => {
    const c = C.and(C.test([ldh(12)], BPF.JEQ, 0x800), C.test([ldh(12)], BPF.JEQ, 0x800), C.test([ldh(20)], BPF.JEQ, 1));
    const prog = linearize(optimize(lower(c, ret(1), ret(0))));
    expect(prog.map((i) => i.code)).toEqual([0x28, 0x15, 0x28, 0x15, 0x06, 0x06]);
  });
  it('folds a test decided by an earlier equality on the same path', () => {
    const c = C.and(C.test([ldh(12)], BPF.JEQ, 0x800), C.not(C.test([ldh(12)], BPF.JEQ, 0x86dd)));
    expect(linearize(optimize(lower(c, ret(1), ret(0)))).length).toBe(4);
  });
  it('turns "and #k; jeq #0" into jset (libpcap peephole)', () => {
    const p = compileFilter('ether[0] & 1 != 0', { linkType: 1 });
    expect(p.slice(0, 2).map((i) => [i.code, i.k])).toEqual([[0x30, 0], [0x45, 1]]);
    expect(p.length).toBe(4);
  });
  it('groups or-chains by loaded value so loads are shared (or_pullup)', () => {
    const p = compileFilter('ip host 10.0.0.1 or 10.0.0.2', { linkType: 1 });
    // ldh [12]; jeq; ld [26]; jeq a; jeq b; ld [30]; jeq a; jeq b; ret; ret
    expect(p.length).toBe(10);
  });
  it('constant comparisons fold away', () => {
    expect(compileFilter('1 = 1', { linkType: 1 })).toEqual([{ code: 6, jt: 0, jf: 0, k: 262144 }]);
    expect(() => compileFilter('1 = 0', { linkType: 1 })).toThrow('expression rejects all packets');
  });
  it('reaches a fixed point within the pass cap on large expressions', () => {
    const e = Array.from({ length: 30 }, (_, i) => `port ${i + 1}`).join(' or ');
    const p = compileFilter(e, { linkType: 1 });
    expect(p.length).toBeLessThan(compileFilter(e, { linkType: 1, optimize: false }).length / 4);
  });
});

describe('linearizer', () => {
  it('routes conditional jumps longer than 255 through ja trampolines', () => {
    // A long chain between a test and its false target.
    let body = C.test([ldh(0)], BPF.JEQ, 0);
    for (let i = 1; i < 200; i++) body = C.and(body, C.test([ldh(2 * i)], BPF.JEQ, i));
    const c = C.or(C.and(C.test([ldh(12)], BPF.JEQ, 0x800), body), C.test([ldh(12)], BPF.JEQ, 0x806));
    const p = linearize(lower(c, ret(1), ret(0)));
    expect(p.length).toBeGreaterThan(400);
    for (let i = 0; i < p.length; i++) {
      const x = p[i];
      if (x && (x.code & 7) === 5 && (x.code & 0xf0) !== 0) {
        expect(x.jt).toBeLessThanOrEqual(255);
        expect(x.jf).toBeLessThanOrEqual(255);
      }
    }
    expect(p.some((x) => x.code === (BPF.JMP | BPF.JA))).toBe(true);
  });
});
