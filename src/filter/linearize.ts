/**
 * Control-flow graph to classic BPF: blocks laid out in reverse postorder (so every jump goes
 * forward and an unconditional block's target usually follows it directly), identical return leaves
 * shared, and conditional jumps longer than 255 instructions routed through `ja` trampolines.
 */
import type { BpfInsn } from './bpf.js';
import { BPF, insn } from './bpf.js';
import type { Block, CfgNode } from './cfg.js';

/** Nodes reachable from `root` in reverse postorder (a topological order of the DAG). */
export function reversePostorder(root: CfgNode): CfgNode[] {
  const seen = new Set<CfgNode>();
  const post: CfgNode[] = [];
  // Explicit stack: deep graphs must not overflow the JavaScript stack.
  const stack: { n: CfgNode; i: number }[] = [{ n: root, i: 0 }];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { n: CfgNode; i: number };
    const n = top.n;
    if (n.kind === 'block') {
      // Visit jt first, jf last: the jf target then tends to follow the block.
      const succ = n.jt === n.jf ? [n.jt] : [n.jt, n.jf];
      if (top.i < succ.length) {
        const s = succ[top.i++] as CfgNode;
        if (!seen.has(s)) {
          seen.add(s);
          stack.push({ n: s, i: 0 });
        }
        continue;
      }
    }
    post.push(n);
    stack.pop();
  }
  return post.reverse();
}

/**
 * Emits the program for a CFG.
 * @example
 * const prog = linearize(root);
 */
export function linearize(root: CfgNode): BpfInsn[] {
  const order = reversePostorder(root);
  // Leaves returning the same value are one instruction, placed at the end like libpcap does.
  const leafKey = (n: CfgNode): string => (n.kind === 'ret' ? `${n.code}:${n.k}` : '');
  const blocks = order.filter((n): n is Block => n.kind === 'block');
  const leaves = new Map<string, CfgNode>();
  for (const n of order) if (n.kind === 'ret' && !leaves.has(leafKey(n))) leaves.set(leafKey(n), n);
  const canon = (n: CfgNode): CfgNode => (n.kind === 'ret' ? (leaves.get(leafKey(n)) as CfgNode) : n);
  const items: CfgNode[] = [...blocks, ...leaves.values()];
  const isJa = (b: Block): boolean => (b.code & 0xf0) === BPF.JA || canon(b.jt) === canon(b.jf);
  const tramp = new Map<Block, { t: boolean; f: boolean }>();
  for (;;) {
    const pos = new Map<CfgNode, number>();
    let p = 0;
    for (let i = 0; i < items.length; i++) {
      const n = items[i] as CfgNode;
      pos.set(n, p);
      if (n.kind === 'ret') {
        p += 1;
        continue;
      }
      p += n.stmts.length;
      if (isJa(n)) {
        if (items[i + 1] !== canon(n.jt)) p += 1;
      } else {
        const tr = tramp.get(n);
        p += 1 + (tr?.t ? 1 : 0) + (tr?.f ? 1 : 0);
      }
    }
    let changed = false;
    for (const b of blocks) {
      if (isJa(b)) continue;
      const jpos = (pos.get(b) as number) + b.stmts.length;
      const tr = tramp.get(b) ?? { t: false, f: false };
      const extra = (tr.t ? 1 : 0) + (tr.f ? 1 : 0);
      const dt = (pos.get(canon(b.jt)) as number) - (jpos + 1);
      const df = (pos.get(canon(b.jf)) as number) - (jpos + 1);
      if (!tr.t && dt > 255 - extra) {
        tr.t = true;
        changed = true;
      }
      if (!tr.f && df > 255 - extra) {
        tr.f = true;
        changed = true;
      }
      tramp.set(b, tr);
    }
    if (changed) continue;
    const out: BpfInsn[] = [];
    for (let i = 0; i < items.length; i++) {
      const n = items[i] as CfgNode;
      if (n.kind === 'ret') {
        out.push(insn(n.code, n.k));
        continue;
      }
      for (const s of n.stmts) out.push(insn(s.code, s.k));
      if (isJa(n)) {
        if (items[i + 1] !== canon(n.jt)) out.push(insn(BPF.JMP | BPF.JA, (pos.get(canon(n.jt)) as number) - (out.length + 1)));
        continue;
      }
      const tr = tramp.get(n) ?? { t: false, f: false };
      const here = out.length;
      const tPos = tr.t ? here + 1 : (pos.get(canon(n.jt)) as number);
      const fPos = tr.f ? here + 1 + (tr.t ? 1 : 0) : (pos.get(canon(n.jf)) as number);
      out.push({ code: n.code, k: n.k >>> 0, jt: tPos - here - 1, jf: fPos - here - 1 });
      if (tr.t) out.push(insn(BPF.JMP | BPF.JA, (pos.get(canon(n.jt)) as number) - (out.length + 1)));
      if (tr.f) out.push(insn(BPF.JMP | BPF.JA, (pos.get(canon(n.jf)) as number) - (out.length + 1)));
    }
    return out;
  }
}
