/**
 * Cisco protocols and friends (CDP, ERSPAN in GRE, NTP control and private messages) on the crafted
 * captures of fixtures/proto/ (gen_cdp.py): every printed line against tcpdump 4.99 at -n, -v, -vv,
 * -vvv, -e, -e -v, -x and -vv -X, and the Repr fields against tshark's, both run at test time.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';
import { compareLines, tcpdumpLines, tscapLines } from './compare.js';
import { levels, type Pick, at, expectTcpdumpLines, withTshark, fieldDiffs } from './proto-oracle.js';
import { Layer } from '../../src/decode/index.js';
import { LAYER_NAMES } from '../../src/decode/layers.js';

process.env.TZ = 'UTC';
const DIR = join(ROOT, 'fixtures', 'proto');

const FILES: Array<[string, string]> = [
  ['cdp.pcap', 'CDP'], ['cisco-l2.pcap', 'PVST+, DTP, UDLD, VTP'], ['erspan.pcap', 'ERSPAN II/III in GRE'], ['ntp-control.pcap', 'NTP control and private'],
];
const LEVELS = levels(
  [], ['-v'], ['-vv'], ['-vvv'], ['-e'],
  ['-e', '-v'], ['-x'], ['-vv', '-X'],
);

describe('Cisco protocols: text equals tcpdump\'s', () => {
  for (const [file, name] of FILES) {
    it(`${name} (${file}): every line at -n, -v, -vv, -vvv, -e, -e -v, -x, -vv -X`, () => {
      console.log(`${name}: ${expectTcpdumpLines(join(DIR, file), LEVELS)}`);
    });
  }
});

/** The packets (line groups) whose first line matches `re`. */
function packetsMatching(lines: string[], re: RegExp): string[] {
  const out: string[] = [];
  let keep = false;
  for (const l of lines) {
    if (/^\d\d:\d\d:\d\d\.\d{6} /.test(l)) keep = re.test(l);
    if (keep) out.push(l);
  }
  return out;
}

describe('real CDP from lldpd (fixtures/real/lan.pcap)', () => {
  it('the CDP and vendor SNAP packets print as tcpdump prints them at -n, -v, -vv, -vvv, -e, -x', () => {
    const path = join(ROOT, 'fixtures', 'real', 'lan.pcap');
    const re = /CDPv|SNAP|oui /;
    for (const [flags, opts] of [...LEVELS.slice(0, 5), ...levels(['-x'])]) {
      const c = compareLines(packetsMatching(tscapLines(path, opts), re), packetsMatching(tcpdumpLines(path, flags), re));
      expect(c.total, flags.join(' ')).toBeGreaterThan(10);
      expect(c.diffs.slice(0, 3), flags.join(' ')).toEqual([]);
    }
  });
});

/**
 * `kind`: the layer whose Repr is compared; `only`: the packets (1-based) compared, when not all (tshark
 * stops on the malformed and cut messages or shows their bytes as garbled UTF-8; the text test covers
 * those against tcpdump).
 */
const FIELDS: Array<{ file: string; kind: number; only?: number[]; fields: Array<[string, Pick]> }> = [
  {
    file: 'cdp.pcap', kind: Layer.Cdp, only: [1, 2],
    fields: [
      ['cdp.version', at('version')], ['cdp.ttl', at('ttl')], ['cdp.checksum', at('checksum')], ['cdp.deviceid', at('deviceId')],
      ['cdp.portid', at('portId')], ['cdp.platform', at('platform')], ['cdp.capabilities', at('capabilities')],
      ['cdp.software_version', (r) => (r.softwareVersion as string | undefined)?.split('\n')[0]],
      ['cdp.vtp_management_domain', at('vtpDomain')], ['cdp.native_vlan', at('nativeVlan')],
      ['cdp.duplex', (r) => (r.duplex === undefined ? undefined : r.duplex === 'full' ? 1 : 0)], ['cdp.mtu', at('mtu')],
      ['cdp.system_name', at('systemName')], ['cdp.power_consumption', at('power')],
      ['cdp.nrgyz.ip_address', (r) => (r.addresses as Array<{ address: string }> | undefined)?.[0]?.address],
      ['cdp.number_of_addresses', (r) => (r.addresses as unknown[] | undefined)?.length],
      ['cdp.tlv.type', (r) => (r.tlvs as Array<{ type: number }>)[0]?.type], ['cdp.tlv.len', (r) => (r.tlvs as Array<{ length: number }>)[0]?.length],
    ],
  },
  {
    file: 'cisco-l2.pcap', kind: Layer.Dtp, only: [3, 5, 6, 7, 8],
    fields: [
      ['dtp.version', at('version')], ['dtp.domain', at('domain')], ['dtp.senderid', at('neighbor')],
      ['dtp.tlv_type', (r) => (r.tlvs as Array<{ type: number }>)[0]?.type],
    ],
  },
  {
    file: 'cisco-l2.pcap', kind: Layer.Udld, only: [10, 11, 12, 13, 14, 15, 16],
    fields: [
      ['udld.version', at('version')], ['udld.opcode', at('opcode')], ['udld.flags', at('flags')], ['udld.checksum', at('checksum')],
      ['udld.device_id', at('deviceId')], ['udld.sent_through_interface', at('portId')],
      ['udld.tlv.type', (r) => (r.tlvs as Array<{ type: number }>)[0]?.type],
    ],
  },
  {
    file: 'cisco-l2.pcap', kind: Layer.Vtp, only: [21, 22, 23, 24],
    fields: [
      ['vtp.version', at('version')], ['vtp.code', at('code')], ['vtp.followers', (r) => (r.code === 1 ? r.followers : undefined)],
      ['vtp.seq_num', (r) => (r.code === 2 ? r.followers : undefined)], ['vtp.md', at('domain')], ['vtp.conf_rev_num', at('revision')],
      ['vtp.upd_id', at('updater')],
      ...(['id', 'name', 'mtu', 'said', 'status', 'type'] as const).map((k, j): [string, Pick] => [
        `vtp.vlan_info.${['isl_vlan_id', 'vlan_name', 'mtu_size', '802_10_index', 'status', 'vlan_type'][j]}`,
        (r) => (r.vlans as Array<Record<string, unknown>> | undefined)?.[0]?.[k],
      ]),
    ],
  },
  {
    file: 'erspan.pcap', kind: Layer.Erspan,
    fields: [
      ['erspan.version', at('version')], ['erspan.vlan', at('vlan')], ['erspan.cos', at('cos')], ['erspan.encap', at('encap')],
      ['erspan.bso', at('bso')], ['erspan.truncated', at('truncated')], ['erspan.spanid', at('sessionId')], ['erspan.index', at('index')],
      ['erspan.timestamp', at('timestamp')], ['erspan.sgt', at('sgt')], ['erspan.p', at('p')], ['erspan.ft', at('frameType')],
      ['erspan.hw', at('hwId')], ['erspan.direction', at('direction')], ['erspan.gra', at('granularity')], ['erspan.o', at('o')],
      ['erspan.platid', at('platformId')],
    ],
  },
  {
    file: 'ntp-control.pcap', kind: Layer.Ntp,
    fields: [
      // tshark shows no leap indicator for mode 7, and poll and precision unsigned
      ['ntp.flags.li', (r) => (r.mode === 7 ? undefined : r.leap)], ['ntp.flags.vn', at('version')], ['ntp.flags.mode', at('mode')],
      ['ntp.stratum', at('stratum')], ['ntp.ppoll', (r) => (r.poll === undefined ? undefined : (r.poll as number) & 0xff)],
      ['ntp.precision', (r) => (r.precision === undefined ? undefined : (r.precision as number) & 0xff)],
      ...(['response', 'error', 'more'] as const).map((k, j): [string, Pick] => [
        `ntp.ctrl.flags2.${['r', 'error', 'more'][j]}`, (r) => (r.mode === 6 && r[k] !== undefined ? Number(r[k]) : undefined),
      ]),
      ['ntp.ctrl.flags2.opcode', at('opcode')], ['ntp.ctrl.sequence', (r) => (r.mode === 6 ? r.sequence : undefined)],
      ['ntp.ctrl.status', at('status')], ['ntp.ctrl.associd', at('associationId')], ['ntp.ctrl.offset', at('offset')],
      ['ntp.ctrl.count', at('count')],
      ['ntp.priv.flags.r', (r) => (r.mode === 7 ? Number(r.response) : undefined)], ['ntp.priv.flags.more', (r) => (r.mode === 7 ? Number(r.more) : undefined)],
      ['ntp.priv.auth', (r) => (r.mode === 7 ? Number(r.authenticated) : undefined)], ['ntp.priv.seq', (r) => (r.mode === 7 ? r.sequence : undefined)],
      ['ntp.priv.impl', at('implementation')], ['ntp.priv.reqcode', at('requestCode')], ['ntp.priv.err', at('errorCode')],
      ['ntp.priv.numitems', at('items')], ['ntp.priv.itemsize', at('itemSize')],
    ],
  },
];

describe('Cisco protocols: Repr fields equal tshark\'s', () => {
  for (const { file, kind, only, fields } of FIELDS) {
    it(`${file} ${LAYER_NAMES[kind]}: ${fields.length} fields per packet${only === undefined ? '' : ` on packets ${only.join(', ')}`}`, () => {
      let checked = 0;
      let packets = 0;
      for (const pkt of withTshark(join(DIR, file), fields)) {
        if (only !== undefined && !only.includes(pkt.n)) continue;
        packets++;
        const i = pkt.parser.find(kind);
        expect(i, `packet ${pkt.n} has the layer`).toBeGreaterThanOrEqual(0);
        const { shown, diffs } = fieldDiffs(pkt, pkt.parser.repr(i) as Record<string, unknown>, fields);
        expect(diffs).toEqual([]);
        checked += shown;
      }
      expect(checked).toBeGreaterThan(packets * 2);
    });
  }
});
