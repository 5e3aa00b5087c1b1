/** MPLS label stack entry (RFC 3032). */
import { ByteView, DecodeStatus, u32 } from './status.js';
import { Layer } from './layers.js';
import type { Printer } from './print.js';
import type { JsonWriter } from './json-writer.js';

/** One label stack entry is 4 bytes. */
export const MplsOffsets = { entry: 0, headerLen: 4 } as const;

/** Zero-copy view of one label stack entry. */
export class MplsView extends ByteView {
  /**
   * Points at one 4-byte entry.
   * @example mpls.reset(bytes, 14, bytes.length - 14);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < MplsOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  private get entry(): number {
    return u32(this.bytes, this.offset);
  }
  /** 20-bit label. */
  get label(): number {
    return Math.floor(this.entry / 4096);
  }
  /** Traffic class (formerly EXP). */
  get tc(): number {
    return (this.entry >>> 9) & 7;
  }
  /** Bottom of stack. */
  get s(): boolean {
    return (this.entry & 0x100) !== 0;
  }
  /** Time to live. */
  get ttl(): number {
    return this.entry & 0xff;
  }
}

/** Parsed label stack entry. */
export interface MplsRepr {
  label: number;
  tc: number;
  s: boolean;
  ttl: number;
}

/** Builds the sink representation. */
export function mplsRepr(v: MplsView): MplsRepr {
  return { label: v.label, tc: v.tc, s: v.s, ttl: v.ttl };
}

/** tcpdump's names of the reserved labels 0..15. */
const RESERVED_LABELS: readonly string[] = ['IPv4 explicit NULL', 'router alert', 'IPv6 explicit NULL', 'implicit NULL', ...Array<string>(12).fill('rsvd')];

/** tcpdump's MPLS text: the whole label stack from layer i on, then the payload. */
export function printMpls(c: Printer, _v: MplsView, i: number): void {
  const p = c.parser;
  c.s += 'MPLS';
  const vb = c.opts.verbose > 0;
  let j = i;
  for (; j < p.count && p.kinds[j] === Layer.Mpls; j++) {
    const v = p.at(j, Layer.Mpls);
    if (!v) break;
    // no bytes left for another label: tcpdump says so after the last one, on its line
    if (p.status[j] !== DecodeStatus.Ok && v.length === 0) {
      c.s += ' (invalid)';
      return;
    }
    // at -v every label after the first, and the payload, go on their own lines
    if (vb && j > i) c.s += '\n\t';
    if (p.status[j] !== DecodeStatus.Ok) {
      c.s += ' [|mpls]';
      return;
    }
    // -v names the reserved labels (RFC 3032 2.1)
    const name = vb && v.label < RESERVED_LABELS.length ? ` (${RESERVED_LABELS[v.label]})` : '';
    c.s += `${vb && j > i ? '' : ' '}(label ${v.label}${name}, tc ${v.tc}${v.s ? ', [S]' : ''}, ttl ${v.ttl})`;
  }
  if (j < p.count) {
    c.s += vb ? '\n\t' : ' ';
    c.network(j, 0);
  } else c.s += `, length ${p.restLen}`;
}

/** One `mpls` entry (= `JSON.stringify(mplsRepr(v))`), written straight into `w`. */
export function writeMplsJson(w: JsonWriter, v: MplsView): void {
  w.field('{"label":', v.label);
  w.field(',"tc":', v.tc);
  w.raw(',"s":');
  w.bool(v.s);
  w.field(',"ttl":', v.ttl);
  w.raw('}');
}
