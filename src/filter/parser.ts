/**
 * Parser for pcap-filter(7) expressions with the shape and qualifier inheritance of libpcap's
 * grammar.y: `and`/`or` share one precedence and associate to the left, an identifier after
 * `and`/`or` inherits the qualifiers of the term before it, and `host (a or b)` distributes `host`.
 * Recursion runs on an explicit stack (generator trampoline) so deep nesting cannot overflow the
 * JavaScript stack; like libpcap's parser stack, nesting is capped and reported as "memory exhausted".
 */
import type { Arth, ArithOp, DirQual, Expr, IdForm, ProtoQual, Qual, RelOp } from './ast.js';
import { QERR } from './ast.js';
import { FilterError, SYNTAX_ERROR } from './errors.js';
import type { Token } from './lexer.js';
import { WLAN_DIRS, WLAN_SUBTYPES, WLAN_TYPES } from './gen-wlan.js';
import { tokenize } from './lexer.js';

/** libpcap's bison stack holds 10000 entries; deeper nesting fails with "memory exhausted". */
const MAX_DEPTH = 9996;

type Call = { fn: (...args: never[]) => Generator<Call, unknown, unknown>; args: unknown[] };
type G<T> = Generator<Call, T, unknown>;

function call<A extends unknown[], T>(fn: (...args: A) => G<T>, ...args: A): Call {
  return { fn: fn as unknown as Call['fn'], args };
}

/** Runs a generator-based recursive parse on an explicit stack. */
function trampoline<T>(root: G<T>): T {
  const stack: Generator<Call, unknown, unknown>[] = [root];
  let input: unknown;
  for (;;) {
    const top = stack[stack.length - 1] as Generator<Call, unknown, unknown>;
    const r = top.next(input);
    if (r.done) {
      stack.pop();
      if (stack.length === 0) return r.value as T;
      input = r.value;
    } else {
      stack.push(r.value.fn(...(r.value.args as never[])));
      input = undefined;
    }
  }
}

const PNAMES = new Set<string>([
  'link', 'ip', 'arp', 'rarp', 'sctp', 'tcp', 'udp', 'icmp', 'igmp', 'igrp', 'pim', 'vrrp', 'carp', 'atalk',
  'aarp', 'decnet', 'lat', 'sca', 'mopdl', 'moprc', 'ip6', 'icmp6', 'ah', 'esp', 'iso', 'esis', 'isis',
  'l1', 'l2', 'iih', 'lsp', 'snp', 'psnp', 'csnp', 'clnp', 'stp', 'ipx', 'netbeui', 'radio',
]);
const AQUALS = new Set(['host', 'net', 'port', 'portrange']);
const DQUAL_SIMPLE = new Set(['addr1', 'addr2', 'addr3', 'addr4', 'ra', 'ta']);
const ARITH_OPS: Readonly<Record<string, ArithOp>> = { '+': '+', '-': '-', '*': '*', '/': '/', '%': '%', '&': '&', '|': '|', '^': '^', LSH: '<<', RSH: '>>' };
const ARITH_PREC: Readonly<Record<string, number>> = { '|': 1, '&': 2, '<<': 3, '>>': 3, '+': 4, '-': 4, '*': 5, '/': 5 };
const RELOPS: Readonly<Record<string, RelOp>> = { '>': '>', GEQ: '>=', '=': '=', LEQ: '<=', '<': '<', NEQ: '!=' };
const ATM_MTP = new Set(['lane', 'metac', 'bcc', 'oamf4ec', 'oamf4sc', 'sc', 'ilmic', 'oam', 'oamf4', 'connectmsg', 'metaconnect', 'fisu', 'lssu', 'msu', 'hfisu', 'hlssu', 'hmsu']);
const ATM_MTP_FIELDS = new Set(['vpi', 'vci', 'sio', 'opc', 'dpc', 'sls', 'hsio', 'hopc', 'hdpc', 'hsls']);

/**
 * Parse modes: T term only; A term or identifier; AF like A but a parenthesis cannot open an
 * identifier list; I identifier (nid, pnum or a parenthesized identifier list); IF nid or pnum.
 */
type Mode = 'T' | 'A' | 'AF' | 'I' | 'IF';
interface Res {
  node: Expr;
  q: Qual;
  isId: boolean;
}

/** What the parser produced: the tree (null for an empty expression) and the tokens. */
export interface ParseResult {
  expr: Expr | null;
  /** Primitives in source order, for reporting semantic errors that libpcap meets before a syntax error. */
  primitives: Expr[];
}

class Parser {
  private i = 0;
  private depth = 0;
  /** For each '(' token index: index of its matching ')' (or -1). */
  private readonly match: Int32Array;
  /** Prefix count of tokens that cannot appear inside an arithmetic parenthesis. */
  private readonly nonArith: Int32Array;
  readonly primitives: Expr[] = [];

  constructor(private readonly toks: Token[]) {
    const n = toks.length;
    this.match = new Int32Array(n).fill(-1);
    const stack: number[] = [];
    for (let k = 0; k < n; k++) {
      const t = (toks[k] as Token).t;
      if (t === '(') stack.push(k);
      else if (t === ')') {
        const o = stack.pop();
        if (o !== undefined) this.match[o] = k;
      }
    }
    this.nonArith = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) this.nonArith[k + 1] = (this.nonArith[k] as number) + (this.isArithTok(k) ? 0 : 1);
  }

  private isArithTok(k: number): boolean {
    const tok = this.toks[k] as Token;
    switch (tok.t) {
      case 'NUM': case '(': case ')': case '[': case ']': case ':': case '+': case '-': case '*': case '/':
      case '%': case '&': case '|': case '^': case 'LSH': case 'RSH':
        return true;
      case 'KW':
        return tok.kw === 'len' || (PNAMES.has(tok.kw) && this.toks[k + 1]?.t === '[');
      default:
        return false;
    }
  }

  private get tok(): Token {
    return this.toks[this.i] as Token;
  }
  private peek(n = 1): Token {
    return this.toks[Math.min(this.i + n, this.toks.length - 1)] as Token;
  }
  private next(): Token {
    const t = this.tok;
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  private isKw(t: Token, ...kws: string[]): boolean {
    return t.t === 'KW' && kws.includes(t.kw);
  }
  /** Throws libpcap's message for the current token: a lexer message if it carries one. */
  fail(t: Token = this.tok): never {
    if (t.t === 'ERR' && t.err) throw new FilterError(t.err, t.pos);
    throw new FilterError(SYNTAX_ERROR, t.pos);
  }
  private expect(type: Token['t']): Token {
    if (this.tok.t !== type) this.fail();
    return this.next();
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new FilterError("can't parse filter expression: memory exhausted", this.tok.pos);
  }

  /** True when the '(' at the current index encloses only arithmetic tokens. */
  private arithParen(): boolean {
    const close = this.match[this.i] ?? -1;
    if (close < 0) return false;
    return this.nonArith[close + 1] === this.nonArith[this.i];
  }

  parseProg(): Expr | null {
    if (this.tok.t === 'EOF') return null;
    const r = trampoline(this.expr('T', QERR));
    if ((this.tok as Token).t !== 'EOF') this.fail();
    return r.node;
  }

  /** expr: first element in `first` mode, then (and|or) elements in `rest` mode. */
  private *expr(first: Mode, q0: Qual, rest?: Mode): G<Res> {
    const r0 = (yield call(this.termOrId.bind(this), first, q0)) as Res;
    let node = r0.node;
    let q = r0.q;
    const restMode: Mode = rest ?? (r0.isId ? 'I' : 'A');
    while (this.tok.t === 'AND' || this.tok.t === 'OR') {
      const op = this.next().t === 'AND' ? 'and' : 'or';
      const r = (yield call(this.termOrId.bind(this), restMode, q)) as Res;
      q = r.q;
      if (node.k === op) node.items.push(r.node);
      else node = { k: op, items: [node, r.node], pos: node.pos };
    }
    return { node, q, isId: r0.isId };
  }

  private *termOrId(mode: Mode, q: Qual): G<Res> {
    const t = this.tok;
    const idOk = mode !== 'T';
    switch (t.t) {
      case 'NOT': {
        this.next();
        this.enter();
        const inner: Mode = mode === 'AF' ? 'A' : mode === 'IF' ? 'I' : mode;
        const r = (yield call(this.termOrId.bind(this), inner, q)) as Res;
        this.depth--;
        const node: Expr = r.node.k === 'not' ? r.node.e : { k: 'not', e: r.node, pos: t.pos };
        return { node, q: r.q, isId: r.isId };
      }
      case 'ID': case 'HID': case 'HID6': case 'EID': case 'AID':
        if (!idOk) this.fail();
        return { node: this.nid(q), q, isId: true };
      case '(':
        if (this.arithParen()) return this.arithStart(mode, q);
        return (yield call(this.group.bind(this), mode, q)) as Res;
      case 'NUM': case '-':
        return this.arithStart(mode, q);
      case 'KW':
        break;
      default:
        this.fail();
    }
    // Keywords.
    if (mode === 'I' || mode === 'IF') this.fail();
    const kw = t.kw;
    if (kw === 'len') return this.arithStart(mode, q);
    if (PNAMES.has(kw)) {
      const nx = this.peek();
      if (nx.t === '[') return this.arithStart(mode, q);
      if (nx.t === 'KW' && this.isHeadStart(nx.kw)) {
        this.next();
        return this.head(kw as ProtoQual, t.pos);
      }
      if (this.isKw(nx, 'broadcast', 'multicast')) {
        this.next();
        const b = this.next();
        return this.other({ k: 'other', kind: b.kw as 'broadcast', proto: kw as ProtoQual, pos: t.pos });
      }
      if (this.isKw(nx, 'type', 'subtype', 'dir')) {
        this.next();
        return this.p80211();
      }
      this.next();
      return this.other({ k: 'proto', proto: kw as ProtoQual, pos: t.pos });
    }
    if (this.isHeadStart(kw)) return this.head('default', t.pos);
    return this.otherKw(t);
  }

  private isHeadStart(kw: string): boolean {
    return kw === 'src' || kw === 'dst' || AQUALS.has(kw) || DQUAL_SIMPLE.has(kw) || kw === 'proto' || kw === 'protochain' || kw === 'gateway';
  }

  private other(node: Expr): Res {
    this.primitives.push(node);
    return { node, q: QERR, isId: false };
  }

  /** head id: qualifiers, then an identifier in I mode with the head's qualifiers. */
  private head(proto: ProtoQual, pos: number): Res {
    let dir: DirQual = 'default';
    let addr: Qual['addr'] = 'default';
    const t = this.tok;
    if (this.isKw(t, 'src', 'dst')) {
      this.next();
      dir = t.kw as DirQual;
      const c = this.tok;
      if ((c.t === 'OR' || c.t === 'AND') && this.isKw(this.peek(), t.kw === 'src' ? 'dst' : 'src')) {
        this.next();
        this.next();
        dir = c.t === 'OR' ? 'or' : 'and';
      } else if (c.t === 'OR' || c.t === 'AND') this.fail(this.peek());
      if (this.tok.t === 'KW' && AQUALS.has(this.tok.kw)) addr = this.next().kw as Qual['addr'];
    } else if (this.tok.t === 'KW' && DQUAL_SIMPLE.has(this.tok.kw)) {
      dir = this.next().kw as DirQual;
      if (this.tok.t === 'KW' && AQUALS.has(this.tok.kw)) addr = this.next().kw as Qual['addr'];
    } else if (this.tok.t === 'KW' && AQUALS.has(this.tok.kw)) addr = this.next().kw as Qual['addr'];
    else if (this.isKw(t, 'proto', 'protochain', 'gateway')) addr = this.next().kw as Qual['addr'];
    const q: Qual = { proto, dir, addr };
    const r = trampoline(this.idAfterHead(q));
    if (r.node.k === 'id') r.node.pos = Math.min(r.node.pos, pos);
    return { node: r.node, q: r.q, isId: false };
  }

  private *idAfterHead(q: Qual): G<Res> {
    return (yield call(this.termOrId.bind(this), 'I', q)) as Res;
  }

  /** A parenthesized boolean group (expression or identifier list, depending on mode). */
  private *group(mode: Mode, q: Qual): G<Res> {
    if (mode === 'IF') this.fail();
    const open = this.next();
    this.enter();
    let r: Res;
    if (mode === 'T' || mode === 'AF') r = (yield call(this.expr.bind(this), 'T', q, 'A')) as Res;
    else if (mode === 'I') r = (yield call(this.expr.bind(this), 'IF', q, 'I')) as Res;
    else r = (yield call(this.expr.bind(this), 'AF', q)) as Res;
    this.expect(')');
    this.depth--;
    if (r.node.pos > open.pos && r.node.k !== 'id') r.node.pos = open.pos;
    // `( expr )` hands on the qualifiers from before the parenthesis; `( pid )` those of its last id.
    return r.isId ? r : { node: r.node, q, isId: false };
  }

  /** An arithmetic start: a relation `arth relop arth`, or a plain number used as an identifier. */
  private arithStart(mode: Mode, q: Qual): Res {
    const start = this.tok;
    if (mode === 'I' || mode === 'IF') {
      const v = this.pnum();
      const node: Expr = { k: 'id', q, id: { form: 'num', v }, pos: start.pos };
      this.primitives.push(node);
      return { node, q, isId: true };
    }
    const a = trampoline(this.arth(0));
    const rel = RELOPS[this.tok.t];
    if (rel !== undefined) {
      this.next();
      const b = trampoline(this.arth(0));
      return this.other({ k: 'rel', op: rel, a, b, pos: start.pos });
    }
    if (a.k === 'num' && mode !== 'T' && a.pure) {
      const node: Expr = { k: 'id', q, id: { form: 'num', v: a.v }, pos: start.pos };
      this.primitives.push(node);
      return { node, q, isId: true };
    }
    this.fail();
  }

  private pnum(): number {
    let opens = 0;
    while (this.tok.t === '(') {
      this.next();
      opens++;
    }
    const v = this.expect('NUM').v;
    while (opens-- > 0) this.expect(')');
    return v;
  }

  /** arth with libpcap's precedences; '%' and '^' have none, so they always take the rest. */
  private *arth(minPrec: number): G<Arth & { pure?: boolean }> {
    let left = (yield call(this.arthPrimary.bind(this))) as Arth & { pure?: boolean };
    for (;;) {
      const t = this.tok;
      const op = ARITH_OPS[t.t];
      if (op === undefined) return left;
      if (op === '%' || op === '^') {
        this.next();
        this.enter();
        const b = (yield call(this.arth.bind(this), 0)) as Arth;
        this.depth--;
        left = { k: 'bin', op, a: left, b, pos: left.pos };
        continue;
      }
      const prec = ARITH_PREC[op] as number;
      if (prec < minPrec) return left;
      this.next();
      const b = (yield call(this.arth.bind(this), prec + 1)) as Arth;
      left = { k: 'bin', op, a: left, b, pos: left.pos };
    }
  }

  private *arthPrimary(): G<Arth & { pure?: boolean }> {
    const t = this.tok;
    switch (t.t) {
      case 'NUM':
        this.next();
        return { k: 'num', v: t.v, pos: t.pos, pure: true };
      case '-': {
        this.next();
        this.enter();
        const p = (yield call(this.arthPrimary.bind(this))) as Arth;
        let a: Arth = p;
        // A following '%' or '^' has no precedence, so it binds inside the negation.
        while (this.tok.t === '%' || this.tok.t === '^') {
          const op = this.next().t as ArithOp;
          const b = (yield call(this.arth.bind(this), 0)) as Arth;
          a = { k: 'bin', op, a, b, pos: a.pos };
        }
        this.depth--;
        return { k: 'neg', a, pos: t.pos };
      }
      case '(': {
        this.next();
        this.enter();
        const inner = (yield call(this.arth.bind(this), 0)) as Arth & { pure?: boolean };
        this.expect(')');
        this.depth--;
        return inner;
      }
      case 'KW':
        if (t.kw === 'len') {
          this.next();
          return { k: 'len', pos: t.pos };
        }
        if (PNAMES.has(t.kw) && this.peek().t === '[') {
          this.next();
          this.next();
          const index = (yield call(this.arth.bind(this), 0)) as Arth;
          let size = 1;
          if (this.tok.t === ':') {
            this.next();
            size = this.expect('NUM').v;
          }
          this.expect(']');
          return { k: 'load', proto: t.kw as ProtoQual, index, size, pos: t.pos };
        }
        this.fail();
      // eslint-disable-next-line no-fallthrough
      default:
        this.fail();
    }
  }

  /** nid: the identifier forms that are not numbers. */
  private nid(q: Qual): Expr {
    const t = this.next();
    if (t.err) throw new FilterError(t.err, t.pos);
    let id: IdForm;
    switch (t.t) {
      case 'ID':
        id = { form: 'name', s: t.text };
        break;
      case 'HID':
        if (this.tok.t === '/') {
          this.next();
          id = { form: 'hidlen', s: t.text, len: this.expect('NUM').v };
        } else if (this.isKw(this.tok, 'mask')) {
          this.next();
          id = { form: 'hidmask', s: t.text, mask: this.expect('HID').text };
        } else id = { form: 'hid', s: t.text };
        break;
      case 'HID6':
        if (this.tok.t === '/') {
          this.next();
          id = { form: 'hid6', s: t.text, len: this.expect('NUM').v };
        } else id = { form: 'hid6', s: t.text, len: -1 };
        break;
      case 'EID':
        id = { form: 'eid', s: t.text };
        break;
      default:
        id = { form: 'aid', s: t.text };
    }
    const node: Expr = { k: 'id', q, id, pos: t.pos };
    this.primitives.push(node);
    return node;
  }

  /** libpcap's p80211 rule: `type T [subtype S]`, `subtype S`, `dir D` (names or numbers). */
  private p80211(): Res {
    const t = this.tok;
    const kw = this.next().kw;
    const word = (): Token => {
      const w = this.tok;
      if (w.t !== 'NUM' && w.t !== 'ID') this.fail();
      return this.next();
    };
    const node = (v: number, mask: number, dir = false): Res =>
      this.other({ k: 'other', kind: dir ? 'wlandir' : 'wlantype', proto: 'default', num: v, mask, pos: t.pos });
    if (kw === 'dir') {
      const d = word();
      if (d.t === 'NUM') return node(d.v, 0x03, true);
      const v = WLAN_DIRS[d.text.toLowerCase()];
      if (v === undefined) throw new FilterError('unknown 802.11 direction', d.pos);
      return node(v, 0x03, true);
    }
    const hex = (n: number): string => n.toString(16).padStart(2, '0');
    if (kw === 'subtype') {
      const st = word();
      if (st.t === 'NUM') this.fail(st);
      for (const [type, names] of WLAN_SUBTYPES) {
        const v = names[st.text.toLowerCase()];
        if (v !== undefined) return node(v | type, 0xfc);
      }
      throw new FilterError('unknown 802.11 type name', st.pos);
    }
    const ty = word();
    let type: number;
    if (ty.t === 'NUM') {
      if (ty.v & ~0x0c) throw new FilterError(`invalid 802.11 type value 0x${hex(ty.v)}`, ty.pos);
      type = ty.v;
    } else {
      const v = WLAN_TYPES[ty.text.toLowerCase()];
      if (v === undefined) throw new FilterError(`unknown 802.11 type name "${ty.text}"`, ty.pos);
      type = v;
    }
    if (!this.isKw(this.tok, 'subtype')) return node(type, 0x0c);
    this.next();
    const st = word();
    if (st.t === 'NUM') {
      if (st.v & ~0xf0) throw new FilterError(`invalid 802.11 subtype value 0x${hex(st.v)}`, st.pos);
      return node(type | st.v, 0xfc);
    }
    const names = WLAN_SUBTYPES.find(([tv]) => tv === type)?.[1];
    if (!names) throw new FilterError('unknown 802.11 type', st.pos);
    const v = names[st.text.toLowerCase()];
    if (v === undefined) throw new FilterError(`unknown 802.11 subtype name "${st.text}"`, st.pos);
    return node(type | v, 0xfc);
  }

  /** Keyword primitives of libpcap's `other`, `pllc`, `pfvar`, ATM and MTP rules. */
  private otherKw(t: Token): Res {
    const kw = t.kw;
    const pos = t.pos;
    const num = (): number => {
      const n = this.tok;
      if (n.t !== 'NUM') this.fail();
      this.next();
      return n.v;
    };
    const optPnum = (): number | undefined => (this.tok.t === 'NUM' || this.tok.t === '(' ? this.pnum() : undefined);
    switch (kw) {
      case 'broadcast': case 'multicast':
        this.next();
        return this.other({ k: 'other', kind: kw, proto: 'default', pos });
      case 'less': case 'greater':
        this.next();
        return this.other({ k: 'other', kind: kw, proto: 'default', num: num(), pos });
      case 'byte': {
        this.next();
        const a = num();
        const op = this.tok;
        if (!['&', '|', '<', '>', '='].includes(op.t)) this.fail();
        this.next();
        return this.other({ k: 'other', kind: 'byte', proto: 'default', num: a, byteop: op.t, arg: String(num()), pos });
      }
      case 'inbound': case 'outbound': case 'pppoed':
        this.next();
        return this.other({ k: 'other', kind: kw, proto: 'default', pos });
      case 'ifindex':
        this.next();
        return this.other({ k: 'other', kind: 'ifindex', proto: 'default', num: num(), pos });
      case 'vlan': case 'mpls': case 'pppoes': case 'geneve': {
        this.next();
        const v = optPnum();
        const node: Expr = { k: 'other', kind: kw, proto: 'default', pos };
        if (v !== undefined) node.num = v;
        return this.other(node);
      }
      case 'llc': {
        this.next();
        const node: Expr = { k: 'other', kind: 'llc', proto: 'default', pos };
        if (this.tok.t === 'ID') node.arg = this.next().text;
        else if (this.isKw(this.tok, 'rnr')) {
          this.next();
          node.arg = 'rnr';
        }
        return this.other(node);
      }
      case 'ifname': case 'rset':
        this.next();
        this.expect('ID');
        return this.other({ k: 'other', kind: 'unsupported', proto: 'default', keyword: kw, pos });
      case 'rnr': case 'srnr':
        this.next();
        num();
        return this.other({ k: 'other', kind: 'unsupported', proto: 'default', keyword: kw, pos });
      case 'reason':
        this.next();
        if (this.tok.t === 'NUM' || this.tok.t === 'ID') this.next();
        else this.fail();
        return this.other({ k: 'other', kind: 'unsupported', proto: 'default', keyword: kw, pos });
      case 'action':
        this.next();
        this.expect('ID');
        return this.other({ k: 'other', kind: 'unsupported', proto: 'default', keyword: kw, pos });
      case 'type': case 'subtype': case 'dir':
        return this.p80211();
      default:
        break;
    }
    if (ATM_MTP.has(kw)) {
      this.next();
      return this.other({ k: 'other', kind: 'unsupported', proto: 'default', keyword: kw, pos });
    }
    if (ATM_MTP_FIELDS.has(kw)) {
      this.next();
      const n = this.tok;
      if (n.t === 'NUM') this.next();
      else if (RELOPS[n.t] !== undefined) {
        this.next();
        num();
      } else if (n.t === '(') {
        this.next();
        num();
        while (this.tok.t === 'OR') {
          this.next();
          num();
        }
        this.expect(')');
      } else this.fail();
      return this.other({ k: 'other', kind: 'unsupported', proto: 'default', keyword: kw, pos });
    }
    this.fail(t);
  }
}

/**
 * Parses an expression into a tree; throws FilterError (syntax errors carry the token position).
 * @example
 * const { expr } = parseFilter('tcp port 80 and not host 10.0.0.1');
 */
export function parseFilter(src: string): ParseResult & { error?: FilterError } {
  const p = new Parser(tokenize(src));
  try {
    return { expr: p.parseProg(), primitives: p.primitives };
  } catch (e) {
    if (e instanceof FilterError) return { expr: null, primitives: p.primitives, error: e };
    throw e;
  }
}
