/**
 * Line-oriented text protocols tcpdump prints from TCP payloads by port (HTTP, FTP, SMTP, RTSP, SIP:
 * its txtproto_print): the first line, or every line at -v.
 */
import { type Printer, latin1 } from './print.js';

const HTTP_METHODS = new Set(['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT', 'PATCH',
  'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'ORDERPATCH', 'SEARCH']);

/** Prints `proto` and, when the payload looks like it, its text lines (`httpLike`: only requests and responses). */
export function printTextProtocol(c: Printer, start: number, end: number, len: number, proto: string, httpLike: boolean): void {
  const b = c.parser.bytes;
  const lim = start + len;
  // first token: a method, or (second token) a 3-digit status
  const tok = (from: number): [string, number] => {
    let t = '';
    let k = from;
    for (; k < lim; k++) {
      if (k >= end) return ['', 0];
      const ch = b[k] ?? 0;
      if (ch >= 0x80) return ['', 0];
      if (ch === 32 || ch === 9 || ch === 13 || ch === 10) break;
      if (ch < 0x20 || ch > 0x7e) return ['', 0];
      if (t.length + 2 > 128) return ['', 0];
      t += String.fromCharCode(ch);
    }
    if (t === '') return ['', 0];
    for (; k < lim && k < end; k++) {
      const ch = b[k] ?? 0;
      if (ch === 13 || ch === 10) break;
      if (ch < 0x20 || ch > 0x7e) break;
      if (ch !== 32 && ch !== 9) break;
    }
    return [t, k - start];
  };
  let show = !httpLike;
  let [t, idx] = tok(start);
  if (httpLike && idx !== 0) {
    if (HTTP_METHODS.has(t.toUpperCase())) show = true;
    [t, idx] = tok(start + idx);
    if (idx !== 0 && /^[0-9]{3}$/.test(t)) show = true;
  }
  c.s += proto;
  if (!show) return;
  if (c.opts.verbose > 0) {
    c.s += `, length: ${len}`;
    let k = start;
    for (let guard = 0; k < lim && guard < 10000; guard++) {
      const n = printTextLine(c, k, lim, end, '\n\t', proto.toLowerCase());
      if (n === 0) break;
      k = n;
    }
    return;
  }
  printTextLine(c, start, lim, end, ': ', proto.toLowerCase());
}
function printTextLine(c: Printer, start: number, lim: number, end: number, prefix: string, proto: string): number {
  const b = c.parser.bytes;
  let k = start;
  for (; k < lim; k++) {
    if (k >= end) {
      // the capture ends inside the line: tcpdump's checked read gives up before printing it
      c.s += ` [|${proto}]`;
      return 0;
    }
    const ch = b[k] ?? 0;
    if (ch === 10) {
      c.s += prefix + latin1(b, start, k);
      return k + 1;
    }
    if (ch === 13) {
      if (k + 1 >= lim) return 0;
      if (k + 1 >= end) {
        c.s += ` [|${proto}]`;
        return 0;
      }
      if (b[k + 1] === 10) {
        c.s += prefix + latin1(b, start, k);
        return k + 2;
      }
      return 0;
    }
    if ((ch < 0x20 || ch > 0x7e) && ch !== 9) return 0;
  }
  c.s += prefix + latin1(b, start, k) + ` [|${proto}]`;
  return 0;
}
