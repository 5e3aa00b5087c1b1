/**
 * A small NFQUEUE program for the library tests, run inside the router namespace:
 *   tsx queue-script.ts MODE [OPTIONS_JSON]
 * MODE: `mark:N` (accept with mark N), `replace` (UDP payload bytes upper-cased, checksum cleared),
 * `hold` (never answer), `ignore-first:N` (leave the first N unanswered, accept the rest), `throw`
 * (the handler throws for every packet), `stall-first:MS` (blocks the thread MS ms on the first packet,
 * then accepts everything), `batch:N` (holds packets until N are held, then accepts them all at once),
 * `repeat:M` (NF_REPEAT with mark M, so the rule sees the packet again), `ct` (accepts, records the
 * conntrack states seen), `mixed` (holds 10; accepts the first 5 together, then the 8th alone, then
 * drops the rest). Prints READY once bound, `STATS {json}` when stdin gets a
 * line, and `FINAL {json}` after closing on SIGINT/SIGTERM.
 */
import { openQueue, type QueuedPacket } from '../../src/inline/index.js';

const [mode = 'hold', json = '{}'] = process.argv.slice(2);
const q = openQueue({ queue: 0, ...(JSON.parse(json) as object), onError: (e) => process.stderr.write(`ERROR ${e.message}\n`) });
let seen = 0;
const held: QueuedPacket[] = [];
const ctInfos = new Set<number>();
const [kind, arg] = mode.split(':');

function upperUdpPayload(p: QueuedPacket): Uint8Array {
  const b = p.payload.slice();
  const ihl = ((b[0] as number) & 0x0f) * 4;
  b[ihl + 6] = 0; // UDP checksum 0: "not computed", valid for IPv4
  b[ihl + 7] = 0;
  for (let i = ihl + 8; i < b.length; i++) {
    const c = b[i] as number;
    if (c >= 0x61 && c <= 0x7a) b[i] = c - 0x20;
  }
  return b;
}

const done = (): void => {
  q.close();
  process.stdout.write(`FINAL ${JSON.stringify({ ...q.stats(), ctInfos: [...ctInfos] })}\n`);
  process.exit(0);
};
process.on('SIGINT', done);
process.on('SIGTERM', done);
process.stdin.on('data', () => process.stdout.write(`STATS ${JSON.stringify(q.stats())}\n`));
process.stdout.write('READY\n');

await q.process((p) => {
  seen++;
  switch (kind) {
    case 'mark':
      p.accept(Number(arg));
      return;
    case 'replace':
      p.replace(upperUdpPayload(p));
      return;
    case 'ignore-first':
      if (seen > Number(arg)) p.accept();
      return;
    case 'stall-first':
      if (seen === 1) {
        const until = Date.now() + Number(arg);
        while (Date.now() < until) {
          // the whole thread stops, as a slow synchronous handler would stop it
        }
      }
      p.accept();
      return;
    case 'batch':
      held.push(p);
      if (held.length === Number(arg)) for (const h of held.splice(0)) h.accept();
      return;
    case 'mixed':
      held.push(p);
      if (held.length === 10) {
        const h = held.splice(0);
        for (const x of h.slice(0, 5)) x.accept();
        setTimeout(() => {
          h[7]?.accept();
          setTimeout(() => {
            for (const i of [5, 6, 8, 9]) h[i]?.drop();
          }, 50);
        }, 50);
      }
      return;
    case 'repeat':
      p.repeat(Number(arg));
      return;
    case 'ct':
      ctInfos.add(p.ctInfo);
      p.accept();
      return;
    case 'throw':
      throw new Error('handler failed on purpose');
    default:
      return; // hold: never answered
  }
});
