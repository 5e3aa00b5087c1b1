/**
 * Optimizer for the control-flow graph, with the effect of libpcap's optimize.c: value numbering of
 * loads and arithmetic (redundant loads and stores removed, constants folded, indexed loads with a
 * known index made absolute), jump threading over tests whose outcome is already known on the
 * incoming edge, dead statement removal, and merging of identical blocks. Passes repeat until
 * nothing changes, with a cap so compilation always ends.
 */
import { BPF, bpfClass, bpfMode, bpfOp, bpfSize, bpfSrc } from './bpf.js';
import type { Block, CfgNode, Stmt } from './cfg.js';
import { foldAlu } from './codegen.js';
import { reversePostorder } from './linearize.js';

/** Counters of the last optimize() call, for benchmarks. */
export const optStats = { passes: 0, forwardMs: 0, entryMs: 0, threadMs: 0, steps: 0 };

/** Upper bound on jump-threading steps per compile, so huge expressions still compile quickly. */
export const MAX_THREAD_STEPS = 60_000;

/** Upper bound on optimizer passes. */
export const MAX_PASSES = 64;

const A_REG = 16;
const X_REG = 17;
const ALL_REGS = 18;

/** Hash-consed value numbers: equal numbers mean equal values on every path where both are defined. */
class Values {
  private readonly map = new Map<string, number>();
  private readonly consts = new Map<number, number>();
  private next = 1;
  vn(key: string): number {
    let v = this.map.get(key);
    if (v === undefined) {
      v = this.next++;
      this.map.set(key, v);
    }
    return v;
  }
  /** A value equal to no other (an unknown result). */
  fresh(): number {
    return this.next++;
  }
  konst(k: number): number {
    const v = this.vn(`k${k >>> 0}`);
    this.consts.set(v, k >>> 0);
    return v;
  }
  constOf(v: number): number | undefined {
    return this.consts.get(v);
  }
}

/** Register contents (value numbers, 0 = unknown) and known test outcomes. */
interface Fact {
  /** Jump opcode without the source bit. */
  op: number;
  /** Constant operand, or -1 when the operand was X. */
  k: number;
  /** Value number of X for X-operand tests. */
  x: number;
  res: boolean;
}
interface State {
  regs: Int32Array;
  /** Known test outcomes per value number of A (arrays are shared: copy before changing). */
  facts: Map<number, Fact[]>;
}

function cloneState(s: State): State {
  return { regs: s.regs.slice(), facts: new Map(s.facts) };
}

/** Facts kept per value: enough for real expressions, and it bounds the work on huge ones. */
const MAX_FACTS = 64;

function addFact(s: State, a: number, f: Fact): void {
  const list = s.facts.get(a);
  if (!list) s.facts.set(a, [f]);
  else s.facts.set(a, list.length < MAX_FACTS ? [...list, f] : [...list.slice(1), f]);
}

function factKey(f: Fact): string {
  return `${f.op}:${f.k}:${f.x}:${f.res ? 1 : 0}`;
}

function defOf(s: Stmt): number {
  switch (bpfClass(s.code)) {
    case BPF.LD:
      return A_REG;
    case BPF.LDX:
      return X_REG;
    case BPF.ST:
    case BPF.STX:
      return s.k;
    case BPF.ALU:
      return A_REG;
    case BPF.MISC:
      return (s.code & 0xf8) === BPF.TAX ? X_REG : A_REG;
    default:
      return -1;
  }
}

function usesOf(s: Stmt): number {
  let m = 0;
  switch (bpfClass(s.code)) {
    case BPF.LD:
      if (bpfMode(s.code) === BPF.IND) m |= 1 << X_REG;
      if (bpfMode(s.code) === BPF.MEM) m |= 1 << s.k;
      break;
    case BPF.LDX:
      if (bpfMode(s.code) === BPF.MEM) m |= 1 << s.k;
      break;
    case BPF.ST:
      m |= 1 << A_REG;
      break;
    case BPF.STX:
      m |= 1 << X_REG;
      break;
    case BPF.ALU:
      m |= 1 << A_REG;
      if (bpfOp(s.code) !== BPF.NEG && bpfSrc(s.code) === BPF.X) m |= 1 << X_REG;
      break;
    case BPF.MISC:
      m |= (s.code & 0xf8) === BPF.TAX ? 1 << A_REG : 1 << X_REG;
      break;
  }
  return m;
}

function jumpUses(b: Block): number {
  if (bpfOp(b.code) === BPF.JA) return 0;
  return (1 << A_REG) | (bpfSrc(b.code) === BPF.X ? 1 << X_REG : 0);
}

const sizeBytes = (code: number): number => (bpfSize(code) === BPF.W ? 4 : bpfSize(code) === BPF.H ? 2 : 1);

/** Evaluates a test against known facts: true, false, or undefined when unknown. */
function evalTest(V: Values, st: State, a: number, code: number, k: number, x: number, weak = false): boolean | undefined {
  const op = bpfOp(code);
  const useX = bpfSrc(code) === BPF.X;
  let kv: number | undefined = k >>> 0;
  if (useX) kv = x !== 0 ? V.constOf(x) : undefined;
  const av = a !== 0 ? V.constOf(a) : undefined;
  if (av !== undefined && kv !== undefined) return cmp(op, av, kv);
  if (a === 0) return undefined;
  const list = st.facts.get(a);
  if (!list) return undefined;
  // A plain scan: fact lists are short and freshly built, so indexing them costs more than it saves.
  if (useX) {
    for (const f of list) if (f.k === -1 && f.x === x && f.op === op) return f.res;
    return undefined;
  }
  if (kv === undefined) return undefined;
  for (const f of list) {
    if (f.k === -1) continue;
    if (f.op === op && f.k === kv) return f.res;
    if (f.op === BPF.JEQ && f.res && (!weak || op === BPF.JEQ)) return cmp(op, f.k, kv);
  }
  // libpcap's fold_edge stops here: it knows nothing from ranges or bit sets.
  if (weak) return undefined;
  for (const f of list) {
    if (f.k === -1 || f.op === BPF.JEQ) continue;
    const k1 = f.k;
    const fop = f.op;
    const res = f.res;
    if (op === BPF.JSET && fop === BPF.JSET) {
      if (res && (k1 & ~kv) >>> 0 === 0) return true;
      if (!res && (kv & ~k1) >>> 0 === 0) return false;
      continue;
    }
    // Bounds: lo <= value <= hi from ordered comparisons.
    let lo = 0;
    let hi = 0xffffffff;
    if (fop === BPF.JGT) {
      if (res) lo = k1 + 1;
      else hi = k1;
    } else if (fop === BPF.JGE) {
      if (res) lo = k1;
      else hi = k1 - 1;
    } else continue;
    if (lo > hi) continue;
    if (op === BPF.JEQ && (kv < lo || kv > hi)) return false;
    if (op === BPF.JGT) {
      if (lo > kv) return true;
      if (hi <= kv) return false;
    }
    if (op === BPF.JGE) {
      if (lo >= kv) return true;
      if (hi < kv) return false;
    }
  }
  return undefined;
}

function cmp(op: number, a: number, b: number): boolean | undefined {
  switch (op) {
    case BPF.JEQ:
      return a === b;
    case BPF.JGT:
      return a > b;
    case BPF.JGE:
      return a >= b;
    case BPF.JSET:
      return (a & b) >>> 0 !== 0;
    default:
      return undefined;
  }
}

/**
 * Simulates statements on a state, rewriting them in place when a cheaper equivalent exists
 * (constant folding, known-index loads) and dropping ones whose result is already in place.
 * Returns whether the statement list changed.
 */
function simulate(V: Values, st: State, stmts: Stmt[], rewrite: boolean): boolean {
  const r = st.regs;
  let changed = false;
  const out: Stmt[] = [];
  for (const s0 of stmts) {
    let s = s0;
    const cls = bpfClass(s.code);
    let dst = -1;
    let val = 0;
    if (cls === BPF.LD || cls === BPF.LDX) {
      const mode = bpfMode(s.code);
      dst = cls === BPF.LD ? A_REG : X_REG;
      if (mode === BPF.IND && cls === BPF.LD) {
        const xc = r[X_REG] ? V.constOf(r[X_REG] as number) : undefined;
        if (xc !== undefined && rewrite && xc + s.k <= 0xffffffff && s.k < 0xfffff000) {
          s = { code: BPF.LD | bpfSize(s.code) | BPF.ABS, k: (xc + s.k) >>> 0 };
          changed = true;
        }
      }
      switch (bpfMode(s.code)) {
        case BPF.IMM:
          val = V.konst(s.k);
          break;
        case BPF.ABS:
          val = V.vn(`ld${sizeBytes(s.code)}:${s.k}`);
          break;
        case BPF.IND:
          val = r[X_REG] ? V.vn(`li${sizeBytes(s.code)}:${s.k}:${r[X_REG]}`) : 0;
          break;
        case BPF.MEM:
          val = r[s.k] as number;
          break;
        case BPF.LEN:
          val = V.vn('len');
          break;
        case BPF.MSH:
          val = V.vn(`msh:${s.k}`);
          break;
      }
    } else if (cls === BPF.ST || cls === BPF.STX) {
      dst = s.k;
      val = r[cls === BPF.ST ? A_REG : X_REG] as number;
    } else if (cls === BPF.ALU) {
      dst = A_REG;
      const op = bpfOp(s.code);
      const a = r[A_REG] as number;
      if (op === BPF.NEG) {
        const ac = a ? V.constOf(a) : undefined;
        if (ac !== undefined && rewrite) {
          s = { code: BPF.LD | BPF.IMM, k: -ac >>> 0 };
          changed = true;
          val = V.konst(-ac >>> 0);
        } else val = a ? V.vn(`neg:${a}`) : 0;
      } else {
        let operand: number;
        if (bpfSrc(s.code) === BPF.X) {
          const x = r[X_REG] as number;
          const xc = x ? V.constOf(x) : undefined;
          if (xc !== undefined && rewrite && !((op === BPF.DIV || op === BPF.MOD) && xc === 0)) {
            s = { code: BPF.ALU | op | BPF.K, k: xc };
            changed = true;
          }
          operand = bpfSrc(s.code) === BPF.X ? x : V.konst(s.k);
        } else operand = V.konst(s.k);
        const ac = a ? V.constOf(a) : undefined;
        const kc = operand ? V.constOf(operand) : undefined;
        if (ac !== undefined && kc !== undefined && !((op === BPF.DIV || op === BPF.MOD) && kc === 0)) {
          const res = foldAlu(op, ac, kc);
          if (rewrite) {
            s = { code: BPF.LD | BPF.IMM, k: res };
            changed = true;
          }
          val = V.konst(res);
        } else if (kc !== undefined && ((kc === 0 && (op === BPF.AND || op === BPF.MUL)) || (kc === 0xffffffff && op === BPF.OR) || (kc > 31 && (op === BPF.LSH || op === BPF.RSH)))) {
          // The result does not depend on A.
          const res = op === BPF.OR ? 0xffffffff : 0;
          if (rewrite) {
            s = { code: BPF.LD | BPF.IMM, k: res };
            changed = true;
          }
          val = V.konst(res);
        } else if (kc !== undefined && ((kc === 0 && (op === BPF.ADD || op === BPF.SUB || op === BPF.OR || op === BPF.XOR || op === BPF.LSH || op === BPF.RSH)) || (kc === 1 && (op === BPF.MUL || op === BPF.DIV)))) {
          // Identity operations leave A unchanged.
          val = a;
          if (rewrite && a) {
            changed = true;
            continue;
          }
        } else val = a && operand ? V.vn(`alu${op}:${a}:${operand}`) : 0;
      }
    } else if (cls === BPF.MISC) {
      if ((s.code & 0xf8) === BPF.TAX) {
        dst = X_REG;
        val = r[A_REG] as number;
      } else {
        dst = A_REG;
        val = r[X_REG] as number;
      }
    }
    if (dst >= 0) {
      if (val === 0) val = V.fresh();
      if (rewrite && r[dst] === val) {
        changed = true;
        continue;
      }
      if (dst === A_REG || dst === X_REG || (dst >= 0 && dst < 16)) r[dst] = val;
    }
    out.push(s);
  }
  if (rewrite && changed) {
    stmts.length = 0;
    stmts.push(...out);
  }
  return changed;
}

/** Forward dataflow with path-sensitive facts; rewrites statements and threads jumps. */
function forward(V: Values, order: CfgNode[], liveIn: Map<CfgNode, number>, budget: { steps: number }, weak: boolean): boolean {
  let changed = false;
  type Edge = { p: Block; br: boolean };
  const preds = new Map<CfgNode, Map<string, Edge>>();
  const addPred = (to: CfgNode, e: Edge): void => {
    let m = preds.get(to);
    if (!m) preds.set(to, (m = new Map()));
    m.set(`${e.p.id}:${e.br ? 1 : 0}`, e);
  };
  const delPred = (to: CfgNode, p: Block, br: boolean): void => {
    preds.get(to)?.delete(`${p.id}:${br ? 1 : 0}`);
  };
  for (const n of order) {
    if (n.kind !== 'block') continue;
    addPred(n.jt, { p: n, br: true });
    if (n.jf !== n.jt) addPred(n.jf, { p: n, br: false });
  }
  const exitState = new Map<Block, State>();
  const testVals = new Map<Block, { a: number; x: number }>();
  const edgeState = (p: Block, br: boolean): State => {
    const s = cloneState(exitState.get(p) as State);
    const tv = testVals.get(p) as { a: number; x: number };
    if (bpfOp(p.code) !== BPF.JA && tv.a !== 0) {
      const useX = bpfSrc(p.code) === BPF.X;
      addFact(s, tv.a, { op: bpfOp(p.code), k: useX ? -1 : p.k >>> 0, x: useX ? tv.x : 0, res: br });
    }
    return s;
  };
  for (const n of order) {
    if (n.kind !== 'block') continue;
    const tE = performance.now();
    const ps = [...(preds.get(n)?.values() ?? [])];
    let entry: State;
    if (ps.length === 0) entry = { regs: new Int32Array(ALL_REGS), facts: new Map() };
    else {
      const states = ps.map((e) => edgeState(e.p, e.br));
      entry = states[0] as State;
      for (let i = 1; i < states.length; i++) {
        const o = states[i] as State;
        for (let r = 0; r < ALL_REGS; r++) if (entry.regs[r] !== o.regs[r]) entry.regs[r] = 0;
        for (const [vn, list] of entry.facts) {
          const other = o.facts.get(vn);
          if (!other) {
            entry.facts.delete(vn);
            continue;
          }
          if (other === list) continue;
          const keys = new Set(other.map(factKey));
          const kept = list.filter((f) => keys.has(factKey(f)));
          if (kept.length === 0) entry.facts.delete(vn);
          else if (kept.length !== list.length) entry.facts.set(vn, kept);
        }
      }
    }
    optStats.entryMs += performance.now() - tE;
    // Unknown registers get a value number private to this block entry.
    for (let r = 0; r < ALL_REGS; r++) if (entry.regs[r] === 0) entry.regs[r] = V.vn(`entry${n.id}:${r}`);
    const st = cloneState(entry);
    if (simulate(V, st, n.stmts, true)) changed = true;
    exitState.set(n, st);
    testVals.set(n, { a: st.regs[A_REG] as number, x: st.regs[X_REG] as number });
    if (bpfOp(n.code) !== BPF.JA) {
      const res = evalTest(V, st, st.regs[A_REG] as number, n.code, n.k, st.regs[X_REG] as number, weak);
      if (res !== undefined) {
        const target = res ? n.jt : n.jf;
        const dead = res ? n.jf : n.jt;
        if (dead !== target) {
          delPred(dead, n, !res);
          delPred(target, n, res);
          addPred(target, { p: n, br: true });
        }
        n.code = BPF.JMP | BPF.JA;
        n.k = 0;
        n.jt = target;
        n.jf = target;
        changed = true;
      }
    }
    // Jump threading: an edge into a successor whose test is decided on this edge skips it.
    const tT = performance.now();
    for (const br of [true, false]) {
      let target = br ? n.jt : n.jf;
      let guard = 0;
      const es = edgeState(n, br);
      const before = es.regs.slice();
      while (target.kind === 'block' && guard++ < 256 && budget.steps-- > 0) {
        simulate(V, es, target.stmts, false);
        let next: CfgNode;
        let res: boolean | undefined;
        if (bpfOp(target.code) === BPF.JA) {
          next = target.jt;
        } else {
          res = evalTest(V, es, es.regs[A_REG] as number, target.code, target.k, es.regs[X_REG] as number, weak);
          if (res === undefined) break;
          next = res ? target.jt : target.jf;
        }
        const live = liveIn.get(next) ?? 0;
        let ok = true;
        for (let r = 0; r < ALL_REGS; r++) if (live & (1 << r) && es.regs[r] !== before[r]) ok = false;
        if (!ok) break;
        if (res !== undefined && es.regs[A_REG]) {
          const useX = bpfSrc(target.code) === BPF.X;
          addFact(es, es.regs[A_REG] as number, { op: bpfOp(target.code), k: useX ? -1 : target.k >>> 0, x: useX ? (es.regs[X_REG] as number) : 0, res });
        }
        // Keep the predecessor lists exact: the successor's entry state is computed from them later.
        const isJa = bpfOp(n.code) === BPF.JA;
        delPred(target, n, isJa ? true : br);
        addPred(next, { p: n, br: isJa ? true : br });
        target = next;
        if (br) n.jt = target;
        else n.jf = target;
        if (bpfOp(n.code) === BPF.JA) n.jf = n.jt;
        changed = true;
        if (bpfOp(n.code) === BPF.JA) break;
      }
      if (bpfOp(n.code) === BPF.JA) break;
    }
    optStats.threadMs += performance.now() - tT;
  }
  return changed;
}

/** Registers live at each node's entry. */
function liveness(order: CfgNode[]): Map<CfgNode, number> {
  const live = new Map<CfgNode, number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i] as CfgNode;
    if (n.kind === 'ret') {
      live.set(n, (n.code & 0x18) === BPF.A ? 1 << A_REG : 0);
      continue;
    }
    let l = (live.get(n.jt) ?? 0) | (live.get(n.jf) ?? 0) | jumpUses(n);
    for (let j = n.stmts.length - 1; j >= 0; j--) {
      const s = n.stmts[j] as Stmt;
      const d = defOf(s);
      if (d >= 0) l &= ~(1 << d);
      l |= usesOf(s);
    }
    live.set(n, l);
  }
  return live;
}

/** Removes statements whose results are never used. */
function deadStores(order: CfgNode[], live: Map<CfgNode, number>): boolean {
  let changed = false;
  for (const n of order) {
    if (n.kind !== 'block') continue;
    let l = (live.get(n.jt) ?? 0) | (live.get(n.jf) ?? 0) | jumpUses(n);
    const keep: Stmt[] = [];
    for (let j = n.stmts.length - 1; j >= 0; j--) {
      const s = n.stmts[j] as Stmt;
      const d = defOf(s);
      if (d >= 0 && !(l & (1 << d))) {
        changed = true;
        continue;
      }
      if (d >= 0) l &= ~(1 << d);
      l |= usesOf(s);
      keep.push(s);
    }
    if (keep.length !== n.stmts.length) n.stmts = keep.reverse();
  }
  return changed;
}

/** Structural cleanup: JA chains bypassed, identical blocks and leaves merged. */
function cleanup(root: CfgNode): { root: CfgNode; changed: boolean } {
  let changed = false;
  const order = reversePostorder(root);
  const canon = new Map<CfgNode, CfgNode>();
  const byKey = new Map<string, CfgNode>();
  const resolve = (n: CfgNode): CfgNode => canon.get(n) ?? n;
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i] as CfgNode;
    let key: string;
    if (n.kind === 'ret') key = `r${n.code}:${n.k}`;
    else {
      n.jt = resolve(n.jt);
      n.jf = resolve(n.jf);
      if (n.jt === n.jf && bpfOp(n.code) !== BPF.JA) {
        n.code = BPF.JMP | BPF.JA;
        n.k = 0;
        changed = true;
      }
      if (bpfOp(n.code) === BPF.JA) {
        n.k = 0;
        n.jf = n.jt;
        if (n.stmts.length === 0) {
          canon.set(n, n.jt);
          changed = true;
          continue;
        }
        // Statements before an unconditional jump fold into a successor that only we reach... handled by merge below.
      }
      key = `b${n.code}:${n.k}:${n.jt.id}:${n.jf.id}:${n.stmts.map((s) => `${s.code},${s.k}`).join(';')}`;
    }
    const same = byKey.get(key);
    if (same && same !== n) {
      canon.set(n, same);
      changed = true;
    } else byKey.set(key, n);
  }
  root = resolve(root);
  // Merge an unconditional block into its successor when it is the successor's only predecessor.
  const order2 = reversePostorder(root);
  const npred = new Map<CfgNode, number>();
  for (const n of order2) if (n.kind === 'block') for (const s of n.jt === n.jf ? [n.jt] : [n.jt, n.jf]) npred.set(s, (npred.get(s) ?? 0) + 1);
  for (const n of order2) {
    if (n.kind !== 'block' || bpfOp(n.code) !== BPF.JA) continue;
    const s = n.jt;
    if (s.kind !== 'block' || npred.get(s) !== 1 || s === root) continue;
    n.stmts = [...n.stmts, ...s.stmts];
    n.code = s.code;
    n.k = s.k;
    n.jt = s.jt;
    n.jf = s.jf;
    npred.set(s, 0);
    changed = true;
  }
  return { root, changed };
}


/**
 * libpcap's peephole rules on a block's last statement and its jump: `and #k; jeq #0` becomes
 * `jset #k` (branches swapped) and `sub #k; jeq #c` becomes `jeq #(c+k)`, when A is not needed after.
 */
function peephole(order: CfgNode[], live: Map<CfgNode, number>): boolean {
  let changed = false;
  for (const n of order) {
    if (n.kind !== 'block' || bpfOp(n.code) === BPF.JA || bpfSrc(n.code) !== BPF.K) continue;
    const last = n.stmts[n.stmts.length - 1];
    if (!last) continue;
    const aLive = ((live.get(n.jt) ?? 0) | (live.get(n.jf) ?? 0)) & (1 << A_REG);
    if (aLive) continue;
    if (last.code === (BPF.ALU | BPF.AND | BPF.K) && bpfOp(n.code) === BPF.JEQ && n.k === 0) {
      n.stmts = n.stmts.slice(0, -1);
      n.code = BPF.JMP | BPF.JSET | BPF.K;
      n.k = last.k;
      const t = n.jt;
      n.jt = n.jf;
      n.jf = t;
      changed = true;
    } else if (last.code === (BPF.ALU | BPF.SUB | BPF.K) && bpfOp(n.code) === BPF.JEQ) {
      n.stmts = n.stmts.slice(0, -1);
      n.k = (n.k + last.k) >>> 0;
      changed = true;
    } else if (last.code === (BPF.ALU | BPF.SUB | BPF.X) && bpfOp(n.code) === BPF.JEQ && n.k === 0) {
      n.stmts = n.stmts.slice(0, -1);
      n.code = BPF.JMP | BPF.JEQ | BPF.X;
      changed = true;
    }
  }
  return changed;
}

/**
 * Where a block's self-contained A computation starts: statements from that index on write only A
 * and read A only after writing it. Returns -1 when there is no such tail feeding the test.
 */
function aPartStart(b: Block): number {
  let start = b.stmts.length;
  while (start > 0 && defOf(b.stmts[start - 1] as Stmt) === A_REG) start--;
  // The A-only tail must load A before using it.
  for (let i = start; i < b.stmts.length; i++) {
    const s = b.stmts[i] as Stmt;
    if (usesOf(s) & (1 << A_REG)) {
      if (i === start) return -1;
      break;
    }
  }
  return start < b.stmts.length ? start : -1;
}

/** True when a block computes everything its test reads from A itself and writes nothing but A. */
function selfContained(b: Block): boolean {
  return aPartStart(b) === 0;
}

/**
 * Reorders chains of tests that share one outcome (`a or b or c` with a common true target, or
 * `a and b and c` with a common false target) so tests of the same loaded value are adjacent, which
 * lets the later ones reuse the load: the effect of libpcap's or_pullup/and_pullup.
 */
function pullup(order: CfgNode[]): boolean {
  let changed = false;
  const npred = new Map<CfgNode, number>();
  for (const n of order) if (n.kind === 'block') for (const s of n.jt === n.jf ? [n.jt] : [n.jt, n.jf]) npred.set(s, (npred.get(s) ?? 0) + 1);
  const inChain = new Set<Block>();
  for (const b of order) {
    if (b.kind !== 'block' || bpfOp(b.code) === BPF.JA || inChain.has(b)) continue;
    // The chain head may start with statements that set X or scratch memory; they stay first.
    const headStart = aPartStart(b);
    if (headStart < 0) continue;
    for (const or of [true, false]) {
      const common = or ? b.jt : b.jf;
      const chain: Block[] = [b];
      let cur: Block = b;
      for (;;) {
        const nx = or ? cur.jf : cur.jt;
        if (nx.kind !== 'block' || bpfOp(nx.code) === BPF.JA || npred.get(nx) !== 1 || (or ? nx.jt : nx.jf) !== common || !selfContained(nx) || inChain.has(nx)) break;
        chain.push(nx);
        cur = nx;
      }
      if (chain.length < 3) continue;
      const prefix = b.stmts.slice(0, headStart);
      const parts = chain.map((x, i) => ({ stmts: i === 0 ? x.stmts.slice(headStart) : x.stmts, code: x.code, k: x.k }));
      const key = (x: { stmts: Stmt[] }): string => x.stmts.map((st) => `${st.code},${st.k}`).join(';');
      const groups = new Map<string, typeof parts>();
      for (const x of parts) {
        const k = key(x);
        groups.set(k, [...(groups.get(k) ?? []), x]);
      }
      const sorted = [...groups.values()].flat();
      if (sorted.every((c, i) => c === parts[i])) continue;
      sorted.forEach((c, i) => {
        const x = chain[i] as Block;
        x.stmts = i === 0 ? [...prefix, ...c.stmts] : c.stmts;
        x.code = c.code;
        x.k = c.k;
      });
      for (const x of chain) inChain.add(x);
      changed = true;
      break;
    }
  }
  return changed;
}

/**
 * Optimizes a CFG to a fixed point (at most MAX_PASSES passes) and returns the new root. `weak`
 * restricts test folding to what libpcap's optimizer can prove (used to decide, as pcap_compile
 * does, whether an expression rejects every packet).
 * @example
 * const root = optimize(lower(cond, accept, reject));
 */
export function optimize(root: CfgNode, weak = false): CfgNode {
  const V = new Values();
  const budget = { steps: MAX_THREAD_STEPS };
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    optStats.passes = pass + 1;
    let changed = false;
    let order = reversePostorder(root);
    let live = liveness(order);
    const t0 = performance.now();
    if (forward(V, order, live, budget, weak)) changed = true;
    optStats.forwardMs += performance.now() - t0;
    let c = cleanup(root);
    root = c.root;
    if (c.changed) changed = true;
    order = reversePostorder(root);
    live = liveness(order);
    if (deadStores(order, live)) changed = true;
    order = reversePostorder(root);
    live = liveness(order);
    if (peephole(order, live)) changed = true;
    if (pullup(reversePostorder(root))) changed = true;
    c = cleanup(root);
    root = c.root;
    if (c.changed) changed = true;
    if (!changed) break;
  }
  optStats.steps = MAX_THREAD_STEPS - budget.steps;
  return root;
}
