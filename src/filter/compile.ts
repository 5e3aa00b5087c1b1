/**
 * The filter compiler's entry point: expression text to a classic BPF program, the way libpcap's
 * pcap_compile does it (parse, generate, optimize, emit), failing only with FilterError.
 */
import type { BpfInsn } from './bpf.js';
import { BPF, insn } from './bpf.js';
import type { CfgNode, Cond } from './cfg.js';
import { C, constValue, lower, newId } from './cfg.js';
import { LinkType } from '../pcap/linktype.js';
import { CodeGen, foldAlu, PROTOCHAIN_DEPTH } from './codegen.js';
import { FilterError } from './errors.js';
import { linearize } from './linearize.js';
import { optimize } from './optimize.js';
import { parseFilter } from './parser.js';

/** Options for compileFilter. */
export interface CompileOptions {
  /** LINKTYPE_* of the packets the program will see (see src/pcap/linktype.ts). */
  linkType: number;
  /** Value returned for accepted packets; default 262144 like tcpdump. */
  snaplen?: number;
  /** Run the optimizer (tcpdump without -O); default true. */
  optimize?: boolean;
  /**
   * IPv4 netmask for `ip broadcast`, as a uint32. Default 0 (what tcpdump passes for files and for
   * interfaces without an address); PCAP_NETMASK_UNKNOWN (0xffffffff) makes `ip broadcast` an error.
   */
  netmask?: number;
  /**
   * For a live Linux socket: VLAN tags are in packet metadata, so the first `vlan` uses the
   * SKF_AD_VLAN_TAG_PRESENT/SKF_AD_VLAN_TAG loads (and inbound/outbound/ifindex use ancillary loads),
   * as libpcap does when SO_BPF_EXTENSIONS reports them. False (default) for files.
   */
  vlanAncillary?: boolean;
}

export { FilterError };

/**
 * Compiles a pcap-filter(7) expression to a classic BPF program; throws only FilterError.
 * @example
 * const prog = compileFilter('tcp port 80 and not host 10.0.0.1', { linkType: LinkType.EN10MB });
 */
export function compileFilter(expr: string, opts: CompileOptions): BpfInsn[] {
  try {
    return compileInner(expr, opts);
  } catch (e) {
    if (e instanceof FilterError) throw e;
    if (e instanceof RangeError) throw new FilterError('expression too complex');
    throw new FilterError(`internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The kernel's limit on a classic BPF program (BPF_MAXINSNS). */
const BPF_MAXINSNS = 4096;

function compileInner(expr: string, opts: CompileOptions): BpfInsn[] {
  const prog = compileOnce(expr, opts, PROTOCHAIN_DEPTH);
  // An unrolled protochain walk can outgrow what the kernel accepts; follow fewer headers then.
  if (prog.length > BPF_MAXINSNS && /protochain/i.test(expr)) return compileOnce(expr, opts, 8);
  return prog;
}

function compileOnce(expr: string, opts: CompileOptions, protochainDepth: number): BpfInsn[] {
  const snaplen = opts.snaplen ?? 262144;
  const gen = new CodeGen({ linkType: opts.linkType, netmask: opts.netmask ?? 0, vlanAncillary: opts.vlanAncillary ?? false, protochainDepth });
  const parsed = parseFilter(expr);
  if (parsed.error) {
    // libpcap runs each primitive's code generation as soon as it is parsed, so a semantic error
    // in a primitive before the syntax error is the one it reports.
    for (const p of parsed.primitives) {
      if (p.pos >= (parsed.error.position ?? Infinity)) break;
      gen.primitive(p);
    }
    throw parsed.error;
  }
  if (parsed.expr === null) return [insn(BPF.RET | BPF.K, snaplen)];
  const cond = gen.finish(gen.expr(parsed.expr));
  const accept: CfgNode = { kind: 'ret', id: newId(), code: BPF.RET | BPF.K, k: snaplen >>> 0 };
  const reject: CfgNode = { kind: 'ret', id: newId(), code: BPF.RET | BPF.K, k: 0 };
  let root = lower(cond, accept, reject);
  if ((opts.optimize ?? true) && !gen.noOptimize) {
    root = optimize(root);
    // pcap_compile refuses a filter that its optimizer reduces to "reject everything". Ours proves
    // more contradictions than libpcap's on BSD loopback headers (three IPv6 family values), so
    // there only the cases libpcap also finds (constant folding) are refused.
    if (root.kind === 'ret' && root.k === 0 && libpcapFindsEmpty(cond, opts.linkType, snaplen)) throw new FilterError('expression rejects all packets');
  }
  return linearize(root);
}

/**
 * Whether libpcap's optimizer would also reduce the expression to "reject everything" (then
 * pcap_compile fails). Ours proves more (ranges, bit sets, facts merged over all paths), so the
 * question is answered with a run restricted to libpcap's rules.
 */
function libpcapFindsEmpty(cond: Cond, linkType: number, snaplen: number): boolean {
  if (constValue(cond) === false) return true;
  if (linkType === LinkType.NULL || linkType === LinkType.LOOP) return familyContradiction(cond, snaplen);
  const accept: CfgNode = { kind: 'ret', id: newId(), code: BPF.RET | BPF.K, k: snaplen >>> 0 };
  const reject: CfgNode = { kind: 'ret', id: newId(), code: BPF.RET | BPF.K, k: 0 };
  const r = optimize(lower(constantTestsAsLibpcap(cond), accept, reject), true);
  return r.kind === 'ret' && r.k === 0;
}

let opaqueLoads = 0;

/**
 * A test on a value that does not depend on the packet (`link[0] & 0 = 1`) is folded by libpcap, but
 * the folded block is only skipped where the program starts; after another test it stays in the
 * program (which then rejects everything without being refused). So constant tests at the start are
 * evaluated and the others made opaque before asking whether the program is empty.
 */
function constantTestsAsLibpcap(cond: Cond): Cond {
  const atRoot = (c: Cond): Cond => {
    switch (c.c) {
      case 'test': {
        const v = constantTest(c);
        return v === undefined ? c : v ? C.T : C.F;
      }
      case 'not':
        return C.not(atRoot(c.a));
      case 'and':
      case 'or': {
        const stop = c.c === 'and' ? false : true;
        for (let i = 0; i < c.items.length; i++) {
          const first = atRoot(c.items[i] as Cond);
          const v = constValue(first);
          if (v === stop) return first;
          if (v === undefined) return { c: c.c, items: [first, ...c.items.slice(i + 1)] };
        }
        return c.c === 'and' ? C.T : C.F;
      }
      default:
        return c;
    }
  };
  const opaque = (c: Cond): Cond => {
    switch (c.c) {
      case 'test':
        return constantTest(c) === undefined ? c : { ...c, stmts: [{ code: BPF.LD | BPF.B | BPF.ABS, k: 0x40000000 + opaqueLoads++ }] };
      case 'and':
      case 'or':
        return { c: c.c, items: c.items.map(opaque) };
      case 'not':
        return C.not(opaque(c.a));
      default:
        return c;
    }
  };
  return opaque(atRoot(cond));
}

/** The outcome of a test whose accumulator is a compile-time constant; undefined if it reads the packet. */
function constantTest(c: Cond & { c: 'test' }): boolean | undefined {
  let a: number | undefined;
  let x: number | undefined;
  for (const s of c.stmts) {
    const cls = s.code & 0x07;
    if (s.code === (BPF.LD | BPF.IMM)) a = s.k;
    else if (cls === BPF.LD) a = undefined;
    else if (s.code === (BPF.LDX | BPF.IMM)) x = s.k;
    else if (cls === BPF.LDX) x = undefined;
    else if (s.code === (BPF.MISC | BPF.TAX)) x = a;
    else if (s.code === (BPF.MISC | BPF.TXA)) a = x;
    else if (cls === BPF.ALU) {
      const op = s.code & 0xf0;
      const k = (s.code & BPF.X) !== 0 ? x : s.k;
      if (k === 0 && (op === BPF.AND || op === BPF.MUL)) a = 0;
      else a = a === undefined || k === undefined || op === BPF.NEG ? undefined : foldAlu(op, a, k);
    }
  }
  if (a === undefined || (c.code & BPF.X) !== 0) return undefined;
  switch (c.code & 0xf0) {
    case BPF.JEQ: return a === c.k;
    case BPF.JGT: return a > c.k;
    case BPF.JGE: return a >= c.k;
    case BPF.JSET: return (a & c.k) !== 0;
    default: return undefined;
  }
}

/**
 * On BSD loopback, libpcap's optimizer only proves an expression empty when the address-family
 * word contradicts itself; tests further in (protocol numbers behind the three IPv6 family values)
 * defeat it. This re-runs our optimizer with every other test made opaque to find the same cases.
 */
function familyContradiction(cond: Cond, snaplen: number): boolean {
  let n = 0;
  const opaque = (c: Cond): Cond => {
    switch (c.c) {
      case 'test': {
        const first = c.stmts[0];
        const familyWord = c.stmts.length === 1 && first !== undefined && first.code === (BPF.LD | BPF.W | BPF.ABS) && first.k === 0;
        return familyWord ? c : { ...c, stmts: [{ code: BPF.LD | BPF.B | BPF.ABS, k: 0x40000000 + n++ }] };
      }
      case 'and':
      case 'or':
        return { c: c.c, items: c.items.map(opaque) };
      case 'not':
        return { c: 'not', a: opaque(c.a) };
      case 'seq':
        return { c: 'seq', stmts: c.stmts, then: opaque(c.then) };
      case 'shared':
        return { c: 'shared', a: opaque(c.a) };
      case 'ite':
        return { c: 'ite', cond: opaque(c.cond), a: opaque(c.a), b: opaque(c.b) };
      default:
        return c;
    }
  };
  const accept: CfgNode = { kind: 'ret', id: newId(), code: BPF.RET | BPF.K, k: snaplen >>> 0 };
  const reject: CfgNode = { kind: 'ret', id: newId(), code: BPF.RET | BPF.K, k: 0 };
  const r = optimize(lower(opaque(cond), accept, reject), true);
  return r.kind === 'ret' && r.k === 0;
}
