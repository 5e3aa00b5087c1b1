/**
 * NDJSON sink: one object per packet in the schema of shared/SCHEMA.md (`index`, `ts`, `len`,
 * `caplen`, `linktype`, `stack`, `layers`). Only the outermost IP header and the transport header
 * directly inside it are emitted; the stack stops at the first payload the schema does not cover.
 */
import type { PacketSink, PacketView } from '../packet.js';
import type { TextOutput } from './output.js';
import { LayerParser } from '../decode/parser.js';
import { DecodeStatus } from '../decode/status.js';
import { LAYER_NAMES } from '../decode/layers.js';
import { HOME_BY_KIND } from '../decode/registry.js';

/** JSON sink options. */
export interface JsonOptions {
  /** Nanosecond timestamps (9 fraction digits) instead of microseconds (6). */
  nano: boolean;
  /**
   * Live captures: names an interface index. When given, every packet seen on a known interface gets
   * `ifindex` and `interface` fields (beyond the schema, allowed by it).
   */
  ifName?: (ifindex: number) => string | undefined;
}

/**
 * Builds the JSON object for one packet (plain data; `JSON.stringify` it).
 * @example
 * const j = new JsonFormatter({ nano: false });
 * console.log(JSON.stringify(j.object(pkt)));
 */
export class JsonFormatter {
  private readonly parser = new LayerParser();

  constructor(private readonly opts: JsonOptions) {}

  /** The schema object for one packet. */
  object(pkt: PacketView): Record<string, unknown> {
    const p = this.parser;
    p.decode(pkt.buf, pkt.offset, pkt.capLen, pkt.linkType);
    const frac = this.opts.nano ? String(pkt.tsNsec).padStart(9, '0') : String(Math.floor(pkt.tsNsec / 1000)).padStart(6, '0');
    const stack: string[] = [];
    const layers: Record<string, unknown> = {};
    const obj: Record<string, unknown> = {
      index: pkt.index, ts: `${pkt.tsSec}.${frac}`, len: pkt.wireLen, caplen: pkt.capLen, linktype: pkt.linkType, stack, layers,
    };
    if (this.opts.ifName !== undefined && pkt.ifindex > 0) {
      obj['ifindex'] = pkt.ifindex;
      const name = this.opts.ifName(pkt.ifindex);
      if (name !== undefined) obj['interface'] = name;
    }
    // each protocol's home says where the schema places it and gives its Repr
    let ipSeen = false;
    let ipIdx = -1;
    for (let i = 0; i < p.count; i++) {
      const kind = p.kinds[i]!;
      const place = HOME_BY_KIND[kind]?.json;
      const v = p.view(i);
      if (!place || !v) break;
      const st = p.status[i];
      // a header cut short by the snapshot length is omitted (the schema allows it); a complete
      // header with bad length fields is shown as carried where its home says so, and ends the stack
      if (st !== DecodeStatus.Ok && (st !== DecodeStatus.Malformed || !place.malformedShown?.(v))) break;
      let fits: boolean;
      switch (place.at) {
        case 'frame':
          fits = i === 0;
          break;
        case 'link':
          fits = true;
          break;
        case 'belowIp':
        case 'ip':
          fits = !ipSeen;
          break;
        case 'transport':
          fits = ipIdx === i - 1;
          break;
        case 'app':
          fits = place.accept?.(p, i, ipIdx) ?? false;
          break;
      }
      if (!fits) break;
      if (place.at === 'ip') {
        ipSeen = true;
        ipIdx = i;
      }
      const name = LAYER_NAMES[kind]!;
      stack.push(name);
      const r = place.json ? place.json(v, p, i) : HOME_BY_KIND[kind]!.repr(v, p, i);
      if (place.list) ((layers[name] ??= []) as unknown[]).push(r);
      else layers[name] = r;
      if (place.last || st !== DecodeStatus.Ok) break;
    }
    return obj;
  }

  /** One NDJSON line (with the newline). */
  line(pkt: PacketView): string {
    return JSON.stringify(this.object(pkt)) + '\n';
  }
}

/**
 * A PacketSink writing one JSON object per packet (NDJSON) through a batched TextOutput.
 * @example
 * const sink = createJsonSink(new TextOutput(process.stdout), { nano: false });
 * sink.write(pkt); await sink.close();
 */
export function createJsonSink(out: TextOutput, opts: JsonOptions): PacketSink {
  const f = new JsonFormatter(opts);
  return {
    write(pkt: PacketView): void {
      let text: string;
      try {
        text = f.line(pkt);
      } catch {
        // a decoder bug must not end the capture: emit the frame record without layers
        text = JSON.stringify({ index: pkt.index, ts: `${pkt.tsSec}.${String(pkt.tsNsec).padStart(9, '0')}`, len: pkt.wireLen, caplen: pkt.capLen, linktype: pkt.linkType, stack: [], layers: {} }) + '\n';
      }
      out.write(text);
    },
    flush(): Promise<void> {
      return out.flush();
    },
    async close(): Promise<void> {
      await out.flush();
    },
  };
}
