/**
 * Oracles for file tests: what tshark and tcpdump report for a capture file, run at test time, and the
 * same facts as tscap's reader sees them, in one comparable shape.
 */
import { execFileSync } from 'node:child_process';
import { PacketFileReader } from '../../src/pcap/reader.js';

/** One packet as a tool reports it. */
export interface Seen {
  /** `sec.nnnnnnnnn` (nanoseconds, 9 digits); `0.000000000` when the record has no timestamp. */
  time: string;
  wireLen: number;
  capLen: number;
  /** Hex of the captured bytes. */
  hex: string;
}

/** Like Seen plus pcapng metadata. */
export interface SeenMeta extends Seen {
  interfaceId: number;
  /** Direction from epb_flags: 0 none, 1 inbound, 2 outbound. */
  direction: number;
  dropCount: number;
  comment: string;
}

/** Runs a tool and returns stdout, failing loudly if it is missing or fails. */
export function tool(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 << 20 });
  } catch (err) {
    const e = err as { code?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${cmd} is required for this test: apt-get install -y tcpdump tshark`);
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr ?? String(err)}`);
  }
}

function normTime(t: string): string {
  if (t === '') return '0.000000000';
  const [s, frac = ''] = t.split('.');
  return `${s}.${frac.padEnd(9, '0').slice(0, 9)}`;
}

/** What tshark reports for every packet record of a file (non-packet records such as custom blocks are left out). */
export function tsharkSeen(path: string): SeenMeta[] {
  // One JSON run gives both the frame fields and the raw bytes (`-x` adds `frame_raw`).
  const text = tool('tshark', ['-r', path, '-n', '-T', 'json', '-x', '-j', 'frame pkt_comment']);
  interface Layers {
    frame_raw?: [string, ...unknown[]];
    frame?: Record<string, unknown>;
    pkt_comment?: { 'frame.comment'?: string } | Array<{ 'frame.comment'?: string }>;
  }
  const docs = JSON.parse(text) as Array<{ _source: { layers: Layers } }>;
  const seen: SeenMeta[] = [];
  for (const d of docs) {
    const l = d._source.layers;
    const f = l.frame ?? {};
    const str = (k: string): string => (typeof f[k] === 'string' ? (f[k] as string) : '');
    if (str('frame.encap_type') === '') continue; // not a packet (custom block shown as a record)
    const comments = l.pkt_comment === undefined ? [] : Array.isArray(l.pkt_comment) ? l.pkt_comment : [l.pkt_comment];
    const flags = str('frame.packet_flags');
    seen.push({
      time: normTime(str('frame.time_epoch')),
      wireLen: Number(str('frame.len')),
      capLen: Number(str('frame.cap_len')),
      hex: l.frame_raw?.[0] ?? '',
      interfaceId: str('frame.interface_id') === '' ? 0 : Number(str('frame.interface_id')),
      direction: flags === '' ? 0 : Number(flags) & 3,
      dropCount: str('frame.drop_count') === '' ? 0 : Number(str('frame.drop_count')),
      comment: comments.map((c) => c['frame.comment'] ?? '').join(','),
    });
  }
  return seen;
}

/** What tcpdump reports: time (-tt with nano precision), wire length from the header line is not printed, so capLen/hex from -xx. */
export function tcpdumpSeen(path: string, nano = true): Array<{ time: string; hex: string }> {
  const text = tool('tcpdump', ['-r', path, '-n', '-tt', '-xx', ...(nano ? ['--time-stamp-precision=nano'] : []), '-q']);
  const out: Array<{ time: string; hex: string }> = [];
  for (const line of text.split('\n')) {
    const head = /^(\d+\.\d+) /.exec(line);
    if (head) {
      out.push({ time: normTime(head[1]!), hex: '' });
      continue;
    }
    const m = /^\s+0x[0-9a-f]{4}:\s+((?:[0-9a-f]{2,4} ?)+)/.exec(line);
    if (m && out.length > 0) out[out.length - 1]!.hex += m[1]!.replace(/ /g, '');
  }
  return out;
}

/** tshark numbers interfaces per section; tscap numbers them across the file. */
function sectionLocalId(r: PacketFileReader, id: number): number {
  const section = r.info.interfaces[id]?.section ?? 0;
  return r.info.interfaces.slice(0, id).filter((i) => i.section === section).length;
}

/** What tscap's reader sees, in the oracle shape. */
export async function tscapSeen(path: string): Promise<SeenMeta[]> {
  const r = await PacketFileReader.open(path);
  const seen: SeenMeta[] = [];
  try {
    while (
      await r.readBatch((p) => {
        seen.push({
          time: `${p.tsSec}.${String(p.tsNsec).padStart(9, '0')}`,
          wireLen: p.wireLen,
          capLen: p.capLen,
          hex: Buffer.from(p.buf.subarray(p.offset, p.offset + p.capLen)).toString('hex'),
          interfaceId: sectionLocalId(r, r.meta.interfaceId),
          direction: p.pktType === 4 ? 2 : p.pktType >= 0 ? 1 : 0,
          dropCount: r.meta.dropCount,
          comment: r.meta.comments?.join(',') ?? '',
        });
      })
    ) {
      /* batches */
    }
  } finally {
    await r.close();
  }
  return seen;
}
