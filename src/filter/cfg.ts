/**
 * The intermediate forms between the syntax tree and the BPF program: a boolean condition tree of
 * tests (what libpcap's gencode builds with gen_and/gen_or/gen_not), and the control-flow graph of
 * blocks it is lowered to (each block: straight-line statements, then one conditional jump).
 */
import { BPF } from './bpf.js';

/** A non-jump instruction (load, store, ALU, TAX/TXA). */
export interface Stmt {
  code: number;
  k: number;
}

/** Boolean condition built by the code generator. */
export type Cond =
  | { c: 'test'; stmts: Stmt[]; code: number; k: number }
  | { c: 'and' | 'or'; items: Cond[] }
  | { c: 'not'; a: Cond }
  | { c: 'const'; v: boolean }
  | { c: 'seq'; stmts: Stmt[]; then: Cond }
  /** If `cond` then `a` else `b`, where both branches end at the same continuations. */
  | { c: 'ite'; cond: Cond; a: Cond; b: Cond }
  /** A subtree reached from several places: lowered once per continuation pair, then shared. */
  | { c: 'shared'; a: Cond; memo?: Map<string, CfgNode> };

/** A basic block ending in a jump (`code` is a BPF_JMP opcode; BPF_JA means jt === jf). */
export interface Block {
  kind: 'block';
  id: number;
  stmts: Stmt[];
  code: number;
  k: number;
  jt: CfgNode;
  jf: CfgNode;
}

/** A return leaf. */
export interface Leaf {
  kind: 'ret';
  id: number;
  code: number;
  k: number;
}

/** A node of the control-flow graph. */
export type CfgNode = Block | Leaf;

/** Helpers that build condition trees. */
export const C = {
  test(stmts: Stmt[], op: number, k: number, srcX = false): Cond {
    return { c: 'test', stmts, code: BPF.JMP | op | (srcX ? BPF.X : BPF.K), k: k >>> 0 };
  },
  and(...items: Cond[]): Cond {
    return { c: 'and', items };
  },
  or(...items: Cond[]): Cond {
    return { c: 'or', items };
  },
  not(a: Cond): Cond {
    return a.c === 'not' ? a.a : { c: 'not', a };
  },
  T: { c: 'const', v: true } as Cond,
  F: { c: 'const', v: false } as Cond,
};

let nextId = 1;

/** Allocates a fresh node id (ids only need to be unique within one compile). */
export function newId(): number {
  return nextId++;
}

/** Lowers a condition tree to a CFG with continuations: `t`/`f` are where true/false go. */
export function lower(cond: Cond, t: CfgNode, f: CfgNode): CfgNode {
  switch (cond.c) {
    case 'const':
      return cond.v ? t : f;
    case 'test':
      return { kind: 'block', id: newId(), stmts: cond.stmts.slice(), code: cond.code, k: cond.k, jt: t, jf: f };
    case 'not':
      return lower(cond.a, f, t);
    case 'ite':
      return lower(cond.cond, lower(cond.a, t, f), lower(cond.b, t, f));
    case 'shared': {
      const key = `${t.id},${f.id}`;
      cond.memo ??= new Map();
      let n = cond.memo.get(key);
      if (!n) {
        n = lower(cond.a, t, f);
        cond.memo.set(key, n);
      }
      return n;
    }
    case 'seq': {
      const next = lower(cond.then, t, f);
      return { kind: 'block', id: newId(), stmts: cond.stmts.slice(), code: BPF.JMP | BPF.JA, k: 0, jt: next, jf: next };
    }
    case 'and': {
      let node = t;
      for (let i = cond.items.length - 1; i >= 0; i--) node = lower(cond.items[i] as Cond, node, f);
      return node;
    }
    case 'or': {
      let node = f;
      for (let i = cond.items.length - 1; i >= 0; i--) node = lower(cond.items[i] as Cond, t, node);
      return node;
    }
  }
}

/** Folds a condition by constants alone: true/false when it does not depend on the packet. */
export function constValue(cond: Cond): boolean | undefined {
  switch (cond.c) {
    case 'const':
      return cond.v;
    case 'test':
      return undefined;
    case 'not': {
      const v = constValue(cond.a);
      return v === undefined ? undefined : !v;
    }
    case 'and':
    case 'or': {
      let unknown = false;
      for (const it of cond.items) {
        const v = constValue(it);
        if (v === undefined) unknown = true;
        else if (v === (cond.c === 'or')) return v;
      }
      return unknown ? undefined : cond.c === 'and';
    }
    case 'seq':
      return constValue(cond.then);
    case 'shared':
      return constValue(cond.a);
    case 'ite': {
      const c = constValue(cond.cond);
      if (c !== undefined) return constValue(c ? cond.a : cond.b);
      const a = constValue(cond.a);
      return a !== undefined && a === constValue(cond.b) ? a : undefined;
    }
  }
}
