/**
 * 802.11 (LINKTYPE_IEEE802_11), radiotap and PPI on the crafted captures of fixtures/proto/
 * (gen_wlan.py): every printed line against tcpdump 4.99 at -n, -v, -vv, -e, -e -v, -q, -x, -XX and
 * -A (the mesh capture with -H at each), and the Repr fields against tshark's `wlan.*`,
 * `radiotap.*` and `ppi.*`, both run at test time.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareLines, levels, tcpdumpLines, tscapLines } from './compare.js';
import { ROOT } from './fixtures.js';
import { readPcap } from './pcap-read.js';
import { at, same, withTshark, fieldDiffs, SKIP, type Pick } from './proto-oracle.js';
import { Layer } from '../../src/decode/index.js';
import { DecodeStatus } from '../../src/decode/status.js';
import { compileFilter, FilterError } from '../../src/filter/compile.js';
import { runFilter } from '../../src/filter/vm.js';
import { pool, tcpdumpSelect, type FixtureGroup } from '../filter/oracle.js';
import { readPcap as readLitePcap } from '../helpers/pcap-lite.js';
import { requireBuiltCli, runCli } from '../helpers/cli.js';

process.env.TZ = 'UTC';
const DIR = join(ROOT, 'fixtures', 'proto');

/** File, what it holds, and whether it is read with -H (802.11s mesh control). */
const FILES: Array<[string, string, boolean]> = [
  ['wlan-mgmt.pcap', 'management frames and elements', false],
  ['wlan-ctrl.pcap', 'control frames', false],
  ['wlan-data.pcap', 'data frames, QoS, null, protected, LLC/SNAP to IP/ARP', false],
  ['wlan-mesh.pcap', '802.11s mesh data (-H)', true],
  ['wlan-radiotap.pcap', 'radiotap fields, alignment, extended bitmaps', false],
  ['wlan-ppi.pcap', 'PPI header, inner 802.11, radiotap and Ethernet', false],
];
const LEVELS = levels(
  [], ['-v'], ['-vv'], ['-e'],
  ['-e', '-v'], ['-q'], ['-x'],
  ['-XX'], ['-A'],
);

describe('802.11, radiotap, PPI: text equals tcpdump\'s', () => {
  for (const [file, name, mesh] of FILES) {
    it(`${name} (${file}): every line at each level`, () => {
      const path = join(DIR, file);
      const report: string[] = [];
      for (const [flags, opts] of LEVELS) {
        const f = mesh ? ['-H', ...flags] : flags;
        const o = mesh ? { ...opts, meshHeader: true } : opts;
        const c = compareLines(tscapLines(path, o), tcpdumpLines(path, f));
        report.push(`-n ${f.join(' ')}: ${c.same}/${c.total}`);
        expect(c.total).toBeGreaterThan(0);
        expect(c.diffs.slice(0, 3), `${file} ${f.join(' ')}`).toEqual([]);
        expect(c.same).toBe(c.total);
      }
      console.log(`${name}: ${report.join(', ')}`);
    });
  }

  it('without -H a mesh control field is read as the start of the LLC header, as tcpdump does', () => {
    const path = join(DIR, 'wlan-mesh.pcap');
    const ours = tscapLines(path, { linkHeader: true });
    const theirs = tcpdumpLines(path, ['-e']);
    // the QoS data frames whose first body byte has high bits set are LLC/SNAP either way
    expect(ours.filter((l) => l.includes('MeshData'))).toEqual([]);
    expect(theirs.filter((l) => l.includes('MeshData'))).toEqual([]);
    const snapLines = (ls: string[]): string[] => ls.filter((l) => l.includes('oui Ethernet'));
    expect(snapLines(ours)).toEqual(snapLines(theirs));
    expect(snapLines(ours).length).toBeGreaterThan(0);
  });
});

/** Marks a field not compared on this packet (tshark reads more of the frame than the Repr covers). */
/** Element fields: compared where the Repr walked the elements completely (tshark shows a cut element's start, and parses action bodies). */
const element = (p: Pick): Pick => (r) => (r.elements === undefined || r.elementsCut === true ? SKIP : p(r));
const hex = (w: number) => (p: Pick): Pick => (r) => {
  const v = p(r);
  return typeof v === 'number' ? `0x${v.toString(16).padStart(w, '0')}` : undefined;
};
const bytesHex = (s: string): string => Array.from(s, (ch) => ch.charCodeAt(0).toString(16).padStart(2, '0')).join('');

/** BSSID as tshark places it: by frame type, subtype and the DS bits. */
function bssid(r: Record<string, unknown>): unknown {
  const t = r.type as number;
  const sub = r.subtype as number;
  const ds = (r.flags as number) & 3;
  if (t === 0) return r.addr3;
  if (t === 1) return sub === 10 ? r.addr1 : sub === 14 ? r.addr2 : undefined;
  if (t === 2) return [r.addr3, r.addr1, r.addr2, undefined][ds];
  return undefined;
}

interface FieldSet {
  files: string[];
  kind: number;
  fields: Array<[string, Pick]>;
  /** Packets left out (a case the specification leaves undefined, where tshark and tcpdump part ways). */
  skip?: (r: Record<string, unknown>) => boolean;
}

const WLAN: FieldSet = {
  files: ['wlan-mgmt.pcap', 'wlan-ctrl.pcap', 'wlan-data.pcap', 'wlan-radiotap.pcap', 'wlan-ppi.pcap'],
  kind: Layer.Wlan,
  fields: [
    ['wlan.fc.type', at('type')], ['wlan.fc.subtype', at('subtype')], ['wlan.flags', hex(2)(at('flags'))],
    ['wlan.duration', (r) => (r.type === 1 && r.subtype === 10 ? undefined : r.duration)],
    ['wlan.ra', at('addr1')], ['wlan.ta', (r) => (r.type === 1 && r.subtype === 14 ? undefined : r.addr2)],
    ['wlan.bssid', bssid], ['wlan.seq', at('seq')], ['wlan.frag', at('frag')], ['wlan.qos', hex(4)(at('qos'))],
    ['wlan.fixed.beacon', at('beaconInterval')], ['wlan.fixed.capabilities', (r) => (r.subtype === 13 && r.type === 0 ? SKIP : hex(4)(at('capability'))(r))],
    ['wlan.fixed.listen_ival', hex(4)(at('listenInterval'))], ['wlan.fixed.current_ap', at('currentAp')],
    // tshark reads the status of some action frames (DLS) too
    ['wlan.fixed.status_code', (r) => (r.subtype === 13 && r.type === 0 ? SKIP : hex(4)(at('status'))(r))], ['wlan.fixed.aid', hex(4)(at('aid'))],
    ['wlan.fixed.auth.alg', at('authAlg')], ['wlan.fixed.auth_seq', hex(4)(at('authSeq'))],
    // tshark leaves the body of a fragment (More Fragments set) undissected
    ['wlan.fixed.reason_code', (r) => ((r.flags as number) & 4 ? SKIP : hex(4)(at('reason'))(r))],
    ['wlan.ssid', element((r) => (typeof r.ssid === 'string' ? (r.ssid === '' ? '<MISSING>' : bytesHex(r.ssid)) : undefined))],
    ['wlan.supported_rates', element((r) => hex(2)(() => (r.rates as number[] | undefined)?.[0])(r))],
    ['wlan.ds.current_channel', element(at('dsChannel'))], ['wlan.tag.number', element((r) => (r.elements as number[] | undefined)?.[0])],
    ['wlan.tim.dtim_count', element(at('tim.count'))], ['wlan.tim.dtim_period', element(at('tim.period'))],
    ['wlan.wep.iv', (r) => (typeof r.iv === 'number' ? `0x${[r.iv & 0xff, (r.iv >> 8) & 0xff, r.iv >> 16].map((x) => x.toString(16).padStart(2, '0')).join('')}` : undefined)],
    ['wlan.wep.key', at('keyId')], ['wlan.fcs', hex(8)(at('fcs'))],
  ],
};

/** An MCS or VHT subfield, shown by tshark only when the field's known bits say it is valid. */
const known = (field: string, bit: number, key: string): Pick => (r) => {
  const f = r[field] as Record<string, number> | undefined;
  return f && f.known! & bit ? f[key] : undefined;
};

const RADIOTAP: FieldSet = {
  files: ['wlan-radiotap.pcap'],
  kind: Layer.Radiotap,
  // both namespace bits in one presence word: tcpdump (and the Repr) read the word's fields, tshark stops
  skip: (r) => (r.present as number[]).some((w) => (w & 0x60000000) === 0x60000000),
  fields: [
    ['radiotap.version', at('version')], ['radiotap.length', at('len')], ['radiotap.present.word', (r) => hex(8)(() => (r.present as number[])[0])(r)],
    ['radiotap.flags', hex(2)(at('flags'))], ['radiotap.mactime', at('tsft')],
    // tshark also shows a rate worked out from the MCS or VHT field; the Rate field alone is compared
    ['radiotap.datarate', (r) => (typeof r.rate === 'number' ? r.rate / 2 : SKIP)],
    ['radiotap.channel.freq', at('channelFreq')], ['radiotap.channel.flags', hex(4)(at('channelFlags'))],
    ['radiotap.fhss.hopset', at('fhss.hopSet')], ['radiotap.fhss.pattern', at('fhss.hopPattern')],
    ['radiotap.dbm_antsignal', at('dbmAntSignal')], ['radiotap.dbm_antnoise', at('dbmAntNoise')], ['radiotap.quality', at('lockQuality')],
    ['radiotap.txattenuation', at('txAttenuation')], ['radiotap.db_txattenuation', at('dbTxAttenuation')], ['radiotap.txpower', at('dbmTxPower')],
    ['radiotap.antenna', at('antenna')], ['radiotap.db_antsignal', at('dbAntSignal')], ['radiotap.db_antnoise', at('dbAntNoise')],
    ['radiotap.rxflags', hex(4)(at('rxFlags'))], ['radiotap.xchannel.freq', at('xchannel.freq')], ['radiotap.xchannel.channel', at('xchannel.channel')],
    ['radiotap.xchannel.flags', hex(8)(at('xchannel.flags'))], ['radiotap.mcs.known', hex(2)(at('mcs.known'))], ['radiotap.mcs.index', known('mcs', 0x02, 'index')],
    ['radiotap.ampdu.reference', at('ampdu.reference')], ['radiotap.ampdu.flags', hex(4)(at('ampdu.flags'))],
    ['radiotap.vht.bw', (r) => ((r.vht as { known: number; bandwidth: number } | undefined)?.known ?? 0) & 0x40 ? (r.vht as { bandwidth: number }).bandwidth : undefined],
    ['radiotap.vht.gid', known('vht', 0x80, 'groupId')], ['radiotap.vht.paid', known('vht', 0x100, 'partialAid')],
  ],
};

const PPI: FieldSet = {
  files: ['wlan-ppi.pcap'],
  kind: Layer.Ppi,
  fields: [
    ['ppi.version', at('version')], ['ppi.flags', hex(2)(at('flags'))], ['ppi.length', at('len')], ['ppi.dlt', at('dlt')],
    ['ppi.80211-common.tsft', at('common.tsft')], ['ppi.80211-common.flags', hex(4)(at('common.flags'))],
    ['ppi.80211-common.rate', (r) => (r.common ? (r.common as { rate: number }).rate * 500 : undefined)],
    ['ppi.80211-common.chan.freq', at('common.channelFreq')], ['ppi.80211-common.chan.flags', hex(4)(at('common.channelFlags'))],
    ['ppi.80211-common.fhss.hopset', hex(2)(at('common.fhssHopSet'))], ['ppi.80211-common.fhss.pattern', at('common.fhssPattern')],
    ['ppi.80211-common.dbm.antsignal', at('common.dbmAntSignal')], ['ppi.80211-common.dbm.antnoise', at('common.dbmAntNoise')],
  ],
};

describe('802.11, radiotap, PPI: Repr fields equal tshark\'s', () => {
  for (const set of [WLAN, RADIOTAP, PPI]) {
    for (const file of set.files) {
      it(`${set.fields[0]![0].split('.')[0]} fields on ${file}`, () => {
        const path = join(DIR, file);
        let compared = 0;
        let packets = 0;
        const diffs: string[] = [];
        for (const pkt of withTshark(path, set.fields)) {
          packets++;
          const p = pkt.parser;
          const i = p.find(set.kind);
          // frames cut short or malformed are checked by the text comparison; tshark shows its own partial view
          if (i < 0 || p.status[i] !== DecodeStatus.Ok) continue;
          const r = p.repr(i) as Record<string, unknown>;
          if (set.skip?.(r)) continue;
          compared++;
          diffs.push(...fieldDiffs(pkt, r, set.fields).diffs);
        }
        expect(diffs.slice(0, 8)).toEqual([]);
        expect(compared).toBeGreaterThanOrEqual(packets / 2);
        console.log(`${file} ${set.fields[0]![0].split('.')[0]}: ${compared} packets x ${set.fields.length} fields equal tshark's`);
      });
    }
  }
});

/** Filter expressions for 802.11 captures (frame types, DS direction, the four addresses, payloads). */
const WLAN_FILTERS = String.raw`
type mgt
type ctl
type data
subtype beacon
subtype probe-req
subtype probe-resp
subtype assoc-resp
subtype reassoc-req
subtype auth
subtype deauth
subtype disassoc
subtype action
type mgt subtype atim
type ctl subtype rts
type ctl subtype cts
type ctl subtype ack
type ctl subtype ps-poll
type ctl subtype cf-end
type data subtype data
type data subtype null
type data subtype qos-data
type data subtype qos
type data subtype cf-ack
dir nods
dir tods
dir fromds
dir dstods
wlan addr1 02:00:00:00:00:0a
wlan addr2 02:00:00:00:00:0b
wlan addr3 02:00:00:00:00:0c
wlan addr4 02:00:00:00:00:0d
wlan host 02:00:00:00:00:0c
wlan ra 02:00:00:00:00:0a
wlan ta 02:00:00:00:00:0b
wlan src 02:00:00:00:00:0b
wlan dst ff:ff:ff:ff:ff:ff
ether host 02:00:00:00:00:0a
ether broadcast
ether multicast
ip
ip6
arp
udp port 9
tcp port 80
icmp
icmp6
llc
wlan[0] = 0x80
wlan[1] & 0x40 != 0
link[0] & 0x0c = 8
radio[0] = 0
ppi[0] = 0
type mgt or type data and ip
`.split('\n').filter((l) => l.trim() !== '');

describe('802.11 captures: filters select what tcpdump selects', () => {
  const files = FILES.map(([f]) => f);
  it(`${WLAN_FILTERS.length} expressions on ${files.length} captures`, async () => {
    const failures: string[] = [];
    let verdicts = 0;
    let refused = 0;
    for (const file of files) {
      const path = join(DIR, file);
      const lite = readLitePcap(path);
      const group: FixtureGroup = {
        linkType: lite.linkType, tag: file, path, base: lite.records[0]!.tsSec,
        hash: createHash('sha256').update(readFileSync(path)).digest('hex'), records: lite.records,
        origin: lite.records.map((_, index) => ({ file, index })),
      };
      // one record per second from the first: tcpdump's selection comes back as record numbers
      lite.records.forEach((r, i) => expect(r.tsSec - group.base).toBe(i));
      await pool(WLAN_FILTERS, 2, async (expr) => {
        const want = await tcpdumpSelect(expr, group);
        let prog;
        try {
          prog = compileFilter(expr, { linkType: group.linkType });
        } catch (err) {
          if (want.ok) failures.push(`${file} ${expr}: tscap refuses (${String(err)}), tcpdump accepts`);
          else if (!(err instanceof FilterError) || err.message !== want.error) failures.push(`${file} ${expr}: tscap "${String(err)}", tcpdump "${want.error}"`);
          else refused++;
          return;
        }
        if (!want.ok) {
          failures.push(`${file} ${expr}: tscap accepts, tcpdump says "${want.error}"`);
          return;
        }
        const sel = new Set(want.indices);
        lite.records.forEach((r, i) => {
          verdicts++;
          if ((runFilter(prog, r.data, r.wireLen) !== 0) !== sel.has(i)) failures.push(`${file} ${expr}: record ${i + 1} differs`);
        });
      });
    }
    console.log(`802.11 filters: ${verdicts} verdicts, ${refused} refusals alike, ${failures.length} differences`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(verdicts).toBeGreaterThan(1000);
  }, 600_000);
});

describe('802.11 captures through the CLI', () => {
  it('-H reaches the printer: tscap -n -H -e -v prints what tcpdump prints', async () => {
    requireBuiltCli();
    const path = join(DIR, 'wlan-mesh.pcap');
    const r = await runCli(['-n', '-H', '-e', '-v', '-r', path], { env: { ...process.env, TZ: 'UTC' } });
    expect(r.code).toBe(0);
    const ours = r.stdoutBytes.toString('latin1').replace(/\n$/, '').split('\n');
    const c = compareLines(ours, tcpdumpLines(path, ['-H', '-e', '-v']));
    expect(c.diffs.slice(0, 3)).toEqual([]);
    expect(ours.some((l) => l.includes('MeshData (AE 3'))).toBe(true);
  });

  it('--json shows radiotap/PPI and the 802.11 header of each frame', async () => {
    requireBuiltCli();
    for (const [file, first] of [['wlan-radiotap.pcap', 'radiotap'], ['wlan-ppi.pcap', 'ppi'], ['wlan-data.pcap', 'wlan']] as const) {
      const r = await runCli(['--json', '-r', join(DIR, file)]);
      expect(r.code).toBe(0);
      const lines = r.stdout.toString().trim().split('\n').map((l) => JSON.parse(l) as { stack: string[]; layers: Record<string, Record<string, unknown>> });
      expect(lines.length).toBe(readPcap(join(DIR, file)).packets.length);
      const whole = lines.filter((l) => l.stack.includes('wlan'));
      expect(whole.length).toBeGreaterThanOrEqual(lines.length / 2);
      for (const l of whole) {
        expect(l.stack[0]).toBe(first);
        expect(typeof l.layers.wlan!.type).toBe('number');
      }
    }
  });
});
