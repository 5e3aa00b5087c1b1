/**
 * NDJSON sink: one object per packet in the schema of shared/SCHEMA.md (`index`, `ts`, `len`,
 * `caplen`, `linktype`, `stack`, `layers`). Only the outermost IP header and the transport header
 * directly inside it are emitted; the stack stops at the first payload the schema does not cover.
 *
 * Lines are written straight into a reused byte buffer: each layer through its home's `write`
 * (registry), numbers as digits, addresses from the packet bytes; a layer whose home has no writer is
 * stringified from its Repr, that layer only. `object()` keeps the Repr path (plain data for the
 * library); `test/sinks/json-fast.test.ts` checks the two give the same line.
 */
import type { PacketSink, PacketView } from '../packet.js';
import type { TextOutput } from './output.js';
import { LayerParser } from '../decode/parser.js';
import { DecodeStatus } from '../decode/status.js';
import { LAYER_NAMES, MAX_LAYERS } from '../decode/layers.js';
import { HOME_BY_KIND } from '../decode/registry.js';
import { JsonKey, JsonWriter, jsonKeys } from '../decode/json-writer.js';

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

/** The keys of every line, encoded once. */
const LINE = jsonKeys({
  index: '{"index":',
  ts: ',"ts":"',
  len: '","len":',
  caplen: ',"caplen":',
  linktype: ',"linktype":',
  stack: ',"stack":[',
  layers: '],"layers":{',
});

/** Each layer name as a JSON string, by kind. */
const QUOTED_NAMES = LAYER_NAMES.map((n) => new JsonKey(`"${n}"`));
/** `,"name":` before a layer's value, by kind. */
const NAME_KEYS = LAYER_NAMES.map((n) => new JsonKey(`,"${n}":`));
/** `"name":` for the first layer. */
const FIRST_KEYS = LAYER_NAMES.map((n) => new JsonKey(`"${n}":`));

const utf8 = new TextDecoder();

/**
 * Builds the JSON for one packet: as bytes (`write`, the sink's path), as a line (`line`), or as the
 * plain object of Reprs (`object`).
 * @example
 * const j = new JsonFormatter({ nano: false });
 * process.stdout.write(j.line(pkt));
 */
export class JsonFormatter {
  private readonly parser = new LayerParser();
  /** Layer indexes the schema shows, in stack order (the first `placed` entries). */
  private readonly plan = new Uint8Array(MAX_LAYERS);
  private placed = 0;
  /** Kinds already written into the current `layers` object. */
  private readonly written = new Uint8Array(LAYER_NAMES.length);
  private readonly own = new JsonWriter();
  /** The last interface's `,"ifindex":N,"interface":"name"` as bytes: a capture sees few interfaces. */
  private ifSuffix: JsonKey | undefined;
  private ifSuffixIndex = 0;
  private readonly scratch = new JsonWriter();

  constructor(private readonly opts: JsonOptions) {}

  /** Decodes the packet and chooses the layers the schema shows (into `plan`). */
  private decide(pkt: PacketView): void {
    const p = this.parser;
    p.decode(pkt.buf, pkt.offset, pkt.capLen, pkt.linkType, pkt.wireLen);
    this.placed = 0;
    // each protocol's home says where the schema places it
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
      this.plan[this.placed++] = i;
      if (place.last || st !== DecodeStatus.Ok || place.lastIf?.(v) === true) break;
    }
  }

  /** The schema object for one packet (plain data built from each layer's Repr; allocates). */
  object(pkt: PacketView): Record<string, unknown> {
    this.decide(pkt);
    const p = this.parser;
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
    for (let j = 0; j < this.placed; j++) {
      const i = this.plan[j]!;
      const kind = p.kinds[i]!;
      const home = HOME_BY_KIND[kind]!;
      const place = home.json!;
      const v = p.view(i)!;
      const name = LAYER_NAMES[kind]!;
      stack.push(name);
      const r = place.json ? place.json(v, p, i) : home.repr(v, p, i);
      if (place.list) ((layers[name] ??= []) as unknown[]).push(r);
      else layers[name] = r;
    }
    return obj;
  }

  /**
   * Appends the packet's NDJSON line (with the newline) to `w`: the same text as
   * `JSON.stringify(object(pkt))`, built without the object.
   */
  write(pkt: PacketView, w: JsonWriter): void {
    this.decide(pkt);
    const p = this.parser;
    w.key(LINE.index, pkt.index);
    w.key(LINE.ts, pkt.tsSec);
    w.raw('.');
    if (this.opts.nano) w.fixed(pkt.tsNsec, 9);
    else w.fixed(Math.floor(pkt.tsNsec / 1000), 6);
    w.key(LINE.len, pkt.wireLen);
    w.key(LINE.caplen, pkt.capLen);
    w.key(LINE.linktype, pkt.linkType);
    w.keyText(LINE.stack);
    const n = this.placed;
    for (let j = 0; j < n; j++) {
      if (j > 0) w.raw(',');
      w.keyText(QUOTED_NAMES[p.kinds[this.plan[j]!]!]!);
    }
    w.keyText(LINE.layers);
    const written = this.written;
    for (let j = 0; j < n; j++) written[p.kinds[this.plan[j]!]!] = 0;
    for (let j = 0; j < n; j++) {
      const kind = p.kinds[this.plan[j]!]!;
      if (written[kind] === 1) continue;
      written[kind] = 1;
      w.keyText(j === 0 ? FIRST_KEYS[kind]! : NAME_KEYS[kind]!);
      const place = HOME_BY_KIND[kind]!.json!;
      if (place.list) {
        // every occurrence, in order, under the first one's key (as the object path collects them)
        w.raw('[');
        let first = true;
        for (let k = j; k < n; k++) {
          if (p.kinds[this.plan[k]!] !== kind) continue;
          if (!first) w.raw(',');
          first = false;
          this.layer(w, this.plan[k]!);
        }
        w.raw(']');
      } else {
        // a repeated single layer keeps its first key and its last value
        let last = j;
        for (let k = j + 1; k < n; k++) if (p.kinds[this.plan[k]!] === kind) last = k;
        this.layer(w, this.plan[last]!);
      }
    }
    w.raw('}');
    if (this.opts.ifName !== undefined && pkt.ifindex > 0) {
      if (pkt.ifindex !== this.ifSuffixIndex || this.ifSuffix === undefined) this.interfaceFields(pkt.ifindex);
      w.keyText(this.ifSuffix!);
    }
    w.raw('}\n');
  }

  /** Encodes the `ifindex` and `interface` fields of one interface (kept only once it has a name). */
  private interfaceFields(ifindex: number): void {
    const w = this.scratch;
    w.len = 0;
    w.field(',"ifindex":', ifindex);
    const name = this.opts.ifName!(ifindex);
    if (name !== undefined) {
      w.raw(',"interface":');
      w.str(name);
    }
    this.ifSuffix = new JsonKey(w.bytes().slice());
    // an index without a name yet is asked again on its next packet
    this.ifSuffixIndex = name === undefined ? 0 : ifindex;
  }

  /** Layer `i` through its home's writer, or its Repr stringified when the home has none. */
  private layer(w: JsonWriter, i: number): void {
    const p = this.parser;
    const home = HOME_BY_KIND[p.kinds[i]!]!;
    const place = home.json!;
    const v = p.view(i)!;
    if (place.write) place.write(w, v, p, i);
    else w.text(JSON.stringify(place.json ? place.json(v, p, i) : home.repr(v, p, i)));
  }

  /** One NDJSON line (with the newline). */
  line(pkt: PacketView): string {
    const w = this.own;
    w.len = 0;
    this.write(pkt, w);
    return utf8.decode(w.bytes());
  }
}

/** Bytes of NDJSON kept before they are handed to the output (unless it is line-buffered). */
const BATCH_BYTES = 1 << 16;

/**
 * A PacketSink writing one JSON object per packet (NDJSON) through a batched TextOutput.
 * @example
 * const sink = createJsonSink(new TextOutput(process.stdout), { nano: false });
 * sink.write(pkt); await sink.close();
 */
export function createJsonSink(out: TextOutput, opts: JsonOptions): PacketSink {
  const f = new JsonFormatter(opts);
  const w = new JsonWriter();
  const handOver = (): void => {
    out.writeBytes(w.bytes());
    w.len = 0;
  };
  return {
    write(pkt: PacketView): void {
      const start = w.len;
      try {
        f.write(pkt, w);
      } catch {
        // a decoder bug must not end the capture: emit the frame record without layers
        w.len = start;
        w.text(JSON.stringify({ index: pkt.index, ts: `${pkt.tsSec}.${String(pkt.tsNsec).padStart(9, '0')}`, len: pkt.wireLen, caplen: pkt.capLen, linktype: pkt.linkType, stack: [], layers: {} }) + '\n');
      }
      if (w.len >= BATCH_BYTES || out.lineBuffered) handOver();
    },
    flush(): Promise<void> {
      handOver();
      return out.flush();
    },
    async close(): Promise<void> {
      handOver();
      await out.flush();
    },
  };
}
