/**
 * Tokenizer for pcap-filter(7) expressions, following libpcap's scanner.l: longest match wins, and on
 * equal length the earlier rule wins (keywords, operators, ARCnet, MAC, number, IPv4, IPv6, bogus MAC,
 * named constants, identifier, backslash-escaped identifier).
 */

/** Token types; keywords use their libpcap token name. */
export type TokType =
  | 'EOF' | 'ERR' | 'NUM' | 'ID' | 'HID' | 'HID6' | 'EID' | 'AID' | 'AND' | 'OR' | 'NOT'
  | 'GEQ' | 'LEQ' | 'NEQ' | 'LSH' | 'RSH' | '(' | ')' | '[' | ']' | ':' | '+' | '-' | '*' | '/'
  | '%' | '&' | '|' | '^' | '<' | '>' | '=' | 'KW';

/** One token: `kw` holds the canonical keyword for KW tokens, `v` the value of NUM tokens. */
export interface Token {
  t: TokType;
  text: string;
  pos: number;
  kw: string;
  v: number;
  /** For ERR tokens and malformed EID/HID6: libpcap's message, reported when the parser reaches it. */
  err?: string;
}

/** Keywords and the canonical name the parser works with (aliases folded). */
const KEYWORDS: Readonly<Record<string, string>> = (() => {
  const m: Record<string, string> = {};
  const same = `dst src arp rarp ip sctp tcp udp icmp igmp igrp pim vrrp carp radio ip6 icmp6 ah esp atalk aarp
    decnet lat sca moprc mopdl iso esis isis l1 l2 iih lsp snp csnp psnp clnp stp ipx netbeui host net
    mask port portrange proto protochain gateway type subtype ra ta less greater byte broadcast multicast
    inbound outbound ifindex vlan mpls pppoed pppoes geneve lane llc metac bcc oam oamf4 oamf4ec oamf4sc
    sc ilmic vpi vci connectmsg metaconnect reason action fisu lssu msu hfisu hlssu hmsu sio opc dpc sls
    hsio hopc hdpc hsls`;
  for (const w of same.split(/\s+/)) if (w) m[w] = w;
  for (const w of ['link', 'ether', 'ppp', 'slip', 'fddi', 'tr', 'wlan']) m[w] = 'link';
  Object.assign(m, {
    'es-is': 'esis', 'is-is': 'isis', direction: 'dir', dir: 'dir', address1: 'addr1', addr1: 'addr1',
    address2: 'addr2', addr2: 'addr2', address3: 'addr3', addr3: 'addr3', address4: 'addr4', addr4: 'addr4',
    len: 'len', length: 'len', on: 'ifname', ifname: 'ifname', rset: 'rset', ruleset: 'rset', rnr: 'rnr',
    rulenum: 'rnr', srnr: 'srnr', subrulenum: 'srnr', lsu: 'lssu', and: '&&', or: '||', not: '!',
  });
  return m;
})();

/** Named numeric constants the scanner turns into NUM tokens. */
const NAMED_NUMS: Readonly<Record<string, number>> = {
  icmptype: 0, icmpcode: 1, 'icmp-echoreply': 0, 'icmp-unreach': 3, 'icmp-sourcequench': 4,
  'icmp-redirect': 5, 'icmp-echo': 8, 'icmp-routeradvert': 9, 'icmp-routersolicit': 10,
  'icmp-timxceed': 11, 'icmp-paramprob': 12, 'icmp-tstamp': 13, 'icmp-tstampreply': 14,
  'icmp-ireq': 15, 'icmp-ireqreply': 16, 'icmp-maskreq': 17, 'icmp-maskreply': 18,
  icmp6type: 0, icmp6code: 1, 'icmp6-destinationunreach': 1, 'icmp6-packettoobig': 2,
  'icmp6-timeexceeded': 3, 'icmp6-parameterproblem': 4, 'icmp6-echo': 128, 'icmp6-echoreply': 129,
  'icmp6-multicastlistenerquery': 130, 'icmp6-multicastlistenerreportv1': 131,
  'icmp6-multicastlistenerdone': 132, 'icmp6-routersolicit': 133, 'icmp6-routeradvert': 134,
  'icmp6-neighborsolicit': 135, 'icmp6-neighboradvert': 136, 'icmp6-redirect': 137,
  'icmp6-routerrenum': 138, 'icmp6-nodeinformationquery': 139, 'icmp6-nodeinformationresponse': 140,
  'icmp6-ineighbordiscoverysolicit': 141, 'icmp6-ineighbordiscoveryadvert': 142,
  'icmp6-multicastlistenerreportv2': 143, 'icmp6-homeagentdiscoveryrequest': 144,
  'icmp6-homeagentdiscoveryreply': 145, 'icmp6-mobileprefixsolicit': 146, 'icmp6-mobileprefixadvert': 147,
  'icmp6-certpathsolicit': 148, 'icmp6-certpathadvert': 149, 'icmp6-multicastrouteradvert': 151,
  'icmp6-multicastroutersolicit': 152, 'icmp6-multicastrouterterm': 153, tcpflags: 13, 'tcp-fin': 0x01,
  'tcp-syn': 0x02, 'tcp-rst': 0x04, 'tcp-push': 0x08, 'tcp-ack': 0x10, 'tcp-urg': 0x20, 'tcp-ece': 0x40,
  'tcp-cwr': 0x80,
};

const N = '(?:0[xX][0-9A-Fa-f]+|[0-9]+)';
const B = '[0-9A-Fa-f][0-9A-Fa-f]?';
const B2 = '[0-9A-Fa-f]{4}';
const W = '[0-9A-Fa-f]{1,4}';
const V4 = `${N}\\.${N}\\.${N}\\.${N}`;

/** Each alternative is tried on its own so that the longest one wins, as flex does. */
function alts(list: string[]): RegExp[] {
  return list.map((s) => new RegExp(s, 'y'));
}

const RE_MAC = alts([`${B}:${B}:${B}:${B}:${B}:${B}`, `${B}-${B}-${B}-${B}-${B}-${B}`, `${B}\\.${B}\\.${B}\\.${B}\\.${B}\\.${B}`, `${B2}\\.${B2}\\.${B2}`, `${B2}${B2}${B2}`]);
const RE_NUM = alts([N]);
const RE_HID = alts([`${N}\\.${N}`, `${N}\\.${N}\\.${N}`, V4]);
const RE_V6 = alts(
  (() => {
    const out: string[] = [];
    const g = (n: number): string[] => Array.from({ length: n }, () => W);
    out.push(g(8).join(':'));
    // groups before and after '::' with total < 8 (or < 7 with an IPv4 tail).
    for (let total = 0; total <= 7; total++)
      for (let before = 0; before <= total; before++) out.push(g(before).join(':') + '::' + g(total - before).join(':'));
    out.push(g(6).join(':') + ':' + V4);
    for (let total = 0; total <= 5; total++)
      for (let before = 0; before <= total; before++) {
        const after = total - before;
        out.push(g(before).join(':') + '::' + (after ? g(after).join(':') + ':' : '') + V4);
      }
    return out;
  })(),
);
const RE_BOGUS_MAC = alts([`${B}:+(?:${B}:+)+`]);
const RE_AID = alts([`\\$${B}`]);
const RE_ID = alts(['[A-Za-z0-9](?:[-_.A-Za-z0-9]*[.A-Za-z0-9])?']);
const RE_ESC = alts(['\\\\[^ !()\\n\\t]+']);

function longest(res: RegExp[], s: string, i: number): number {
  let best = 0;
  for (const re of res) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (m && m[0].length > best) best = m[0].length;
  }
  return best;
}

const TWO_CHAR: Readonly<Record<string, TokType>> = { '>=': 'GEQ', '<=': 'LEQ', '!=': 'NEQ', '==': '=', '<<': 'LSH', '>>': 'RSH', '&&': 'AND', '||': 'OR' };
const ONE_CHAR = new Set(['+', '-', '*', '/', '%', ':', '[', ']', '!', '<', '>', '(', ')', '&', '|', '^', '=']);

/** Parses a number the way libpcap's stoulen does: 0x hex, leading 0 octal, else decimal; 32 bits. */
export function parseNumber(text: string): { v: number } | { err: string } {
  let base = 10;
  let digits = text;
  if (/^0[xX]/.test(text)) {
    base = 16;
    digits = text.slice(2);
  } else if (text.startsWith('0') && text.length > 1) {
    base = 8;
    digits = text.slice(1);
    if (/[89]/.test(digits)) return { err: `number ${text} contains non-octal digit` };
  }
  let n = 0;
  for (const ch of digits) {
    n = n * base + parseInt(ch, 16);
    if (n > 0xffffffff) return { err: `number ${text} overflows 32 bits` };
  }
  return { v: n };
}

function ipv6Valid(s: string): boolean {
  // getaddrinfo(AI_NUMERICHOST) rejects embedded IPv4 parts that are not plain decimal bytes.
  const m = /([^:]*)$/.exec(s);
  const tail = m?.[1] ?? '';
  if (tail.includes('.')) {
    const parts = tail.split('.');
    if (parts.length !== 4) return false;
    for (const p of parts) if (!/^[0-9]{1,3}$/.test(p) || Number(p) > 255) return false;
  }
  return true;
}

/** Splits an expression into tokens; never throws (bad input becomes ERR tokens). */
export function tokenize(src: string): Token[] {
  const toks: Token[] = [];
  let i = 0;
  const push = (t: TokType, len: number, extra: Partial<Token> = {}): void => {
    toks.push({ t, text: src.slice(i, i + len), pos: i, kw: '', v: 0, ...extra });
    i += len;
  };
  while (i < src.length) {
    const c = src[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    // Candidates in rule order; a later rule wins only with a strictly longer match.
    let bestLen = 0;
    let bestRule = -1;
    const consider = (rule: number, len: number): void => {
      if (len > bestLen) {
        bestLen = len;
        bestRule = rule;
      }
    };
    const idLen = longest(RE_ID, src, i);
    const word = src.slice(i, i + idLen);
    if (idLen > 0 && KEYWORDS[word] !== undefined) consider(0, idLen);
    const two = src.slice(i, i + 2);
    if (TWO_CHAR[two] !== undefined) consider(1, 2);
    if (ONE_CHAR.has(c)) consider(2, 1);
    consider(3, longest(RE_AID, src, i));
    consider(4, longest(RE_MAC, src, i));
    consider(5, longest(RE_NUM, src, i));
    consider(6, longest(RE_HID, src, i));
    consider(7, longest(RE_V6, src, i));
    consider(8, longest(RE_BOGUS_MAC, src, i));
    if (idLen > 0 && NAMED_NUMS[word] !== undefined) consider(9, idLen);
    consider(10, idLen);
    consider(11, longest(RE_ESC, src, i));
    const text = src.slice(i, i + bestLen);
    switch (bestRule) {
      case 0: {
        const kw = KEYWORDS[text] as string;
        if (kw === '&&') push('AND', bestLen);
        else if (kw === '||') push('OR', bestLen);
        else if (kw === '!') push('NOT', bestLen);
        else push('KW', bestLen, { kw });
        break;
      }
      case 1: {
        const t = TWO_CHAR[text] as TokType;
        push(t, 2);
        break;
      }
      case 2:
        push(c === '!' ? 'NOT' : (c as TokType), 1);
        break;
      case 3:
        push('AID', bestLen);
        break;
      case 4:
        push('EID', bestLen);
        break;
      case 5: {
        const r = parseNumber(text);
        if ('err' in r) push('ERR', bestLen, { err: r.err });
        else push('NUM', bestLen, { v: r.v });
        break;
      }
      case 6:
        push('HID', bestLen);
        break;
      case 7:
        if (ipv6Valid(text)) push('HID6', bestLen);
        else push('HID6', bestLen, { err: `bogus IPv6 address ${text}` });
        break;
      case 8:
        push('EID', bestLen, { err: `bogus ethernet address ${text}` });
        break;
      case 9:
        push('NUM', bestLen, { v: NAMED_NUMS[text] as number });
        break;
      case 10:
        push('ID', bestLen);
        break;
      case 11:
        toks.push({ t: 'ID', text: src.slice(i + 1, i + bestLen), pos: i, kw: '', v: 0 });
        i += bestLen;
        break;
      default:
        push('ERR', 1);
    }
  }
  toks.push({ t: 'EOF', text: '', pos: src.length, kw: '', v: 0 });
  return toks;
}
