/**
 * LAN control and redundancy protocols (STP/RSTP/MSTP, LLDP, LACP and marker, EAPOL, AARP, VRRP, HSRP, RIP, PTP),
 * on the crafted captures of fixtures/proto/ (gen_lan.py): every printed line against tcpdump 4.99 at
 * -n, -v, -vv and -e, and the Repr fields against tshark's, both run at test time.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';
import { levels, type Pick, type Field, at, expectTcpdumpLines, withTshark, fieldDiffs, SKIP } from './proto-oracle.js';
import type { OamRepr } from '../../src/decode/slow.js';
import type { StpSpbRepr } from '../../src/decode/stp.js';
import type { LldpDcbxTlvRepr } from '../../src/decode/lldp.js';
import { Layer } from '../../src/decode/index.js';

process.env.TZ = 'UTC';
const DIR = join(ROOT, 'fixtures', 'proto');

const FILES: Array<[string, string]> = [
  ['stp.pcap', 'STP, RSTP, MSTP'], ['stp-spb.pcap', 'SPB (STP version 4)'], ['lldp.pcap', 'LLDP'], ['lldp-med-live.pcap', 'LLDP-MED and DCB from lldpd'],
  ['lldp-more.pcap', 'LLDP organisational TLVs'], ['lldp-dcbx.pcap', 'LLDP DCBX 1.01 TLVs'], ['lacp.pcap', 'LACP and marker'], ['slow-oam.pcap', '802.3 OAM and other slow protocols'], ['eapol.pcap', '802.1X EAPOL'], ['eapol-key.pcap', 'EAPOL-Key descriptors'],
  ['aarp.pcap', 'AARP'], ['vrrp.pcap', 'VRRP v2/v3'], ['hsrp.pcap', 'HSRP'],
  ['lan-cut.pcap', 'LLDP, OAM, SPB, RIP and EAPOL-Key cut by the snapshot length'], ['rip.pcap', 'RIP v1/v2'], ['rip-md5-live.pcap', 'RIPv2 keyed MD5 from FRR'], ['rip-auth.pcap', 'RIPv2 authentication entries'], ['ptp.pcap', 'PTPv2 over Ethernet and UDP'],
];
const LEVELS = levels([], ['-v'], ['-vv'], ['-e']);

describe('LAN protocols: text equals tcpdump\'s', () => {
  for (const [file, name] of FILES) {
    it(`${name} (${file}): every line at -n, -v, -vv, -e`, () => {
      console.log(`${name}: ${expectTcpdumpLines(join(DIR, file), LEVELS)}`);
    });
  }
  it('packets cut by the snapshot length (lan-cut.pcap): the -x and -v -x dumps start where tcpdump\'s do', () => {
    console.log(`cut, -x: ${expectTcpdumpLines(join(DIR, 'lan-cut.pcap'), levels(['-x'], ['-v', '-x']))}`);
  });
});

/** `decoded`: packets tshark decodes past the first field (it stops at an unknown HSRP opcode). */
/** A value of the SPT BPDU's version 4 fields, when the Repr has them. */
function spb(r: Record<string, unknown>, f: (s: Required<StpSpbRepr>) => number): number | undefined {
  const s = r.spb as StpSpbRepr | undefined;
  return s?.agreement !== undefined ? f(s as Required<StpSpbRepr>) : undefined;
}

/** Each value `f` finds in the Repr, joined by ','; undefined when none (tshark's every occurrence, likewise joined). */
function each(f: (r: Record<string, any>) => unknown[]): Pick {
  return (r) => {
    const vals = f(r).filter((x) => x !== undefined);
    return vals.length ? vals.join(',') : undefined;
  };
}

/** LLDP-MED and IEEE 802.1 DCB fields (the organisationally specific TLVs). */
const LLDP_ORG: Array<[string, Pick]> = [
  ['lldp.media.subtype.caps', at('med.capabilities')], ['lldp.media.subtype.class', at('med.deviceType')],
  ...(['application', 'vlan', 'priority', 'dscp', 'tagged', 'unknown'] as const).map((k, n): [string, Pick] => [
    ['lldp.media.app_type', 'lldp.media.vlan_id', 'lldp.media.l2_prio', 'lldp.media.dscp', 'lldp.media.tag_flag', 'lldp.media.policy_flag'][n]!,
    each((r) => (r.policies ?? []).map((p: Record<string, number>) => p[k])),
  ]),
  ['lldp.media.loc.data_format', each((r) => (r.locations ?? []).map((l: { format: number }) => l.format))],
  ['lldp.media.civic.country', each((r) => (r.locations ?? []).map((l: { country?: string }) => l.country))],
  ['lldp.media.ecs', each((r) => (r.locations ?? []).map((l: { elin?: string }) => l.elin))],
  ['lldp.media.power.type', at('power.type')], ['lldp.media.power.source', at('power.source')], ['lldp.media.power.prio', at('power.priority')],
  ['lldp.media.power.value', at('power.value')],
  ...(['hardware', 'firmware', 'software', 'manufacturer', 'model', 'asset'] as const).map((k): [string, Pick] => [`lldp.media.${k}`, at(`inventory.${k}`)]),
  ['lldp.dcbx.ieee.willing', each((r) => [r.ets?.willing, r.pfc?.willing])],
  ['lldp.dcbx.ieee.ets.cbs', at('ets.cbs')], ['lldp.dcbx.ieee.ets.maxtcs', at('ets.maxTcs')],
  ...[0, 7].map((k): [string, Pick] => [`lldp.dcbx.ieee.ets.tsa${k}`, each((r) => [r.ets?.tsa[k], r.etsRecommendation?.tsa[k]])]),
  ['lldp.dcbx.ieee.pfc.mbc', at('pfc.mbc')], ['lldp.dcbx.ieee.pfc.numtcs', at('pfc.cap')],
  ['lldp.dcbx.ieee.app.prio', each((r) => (r.appPriority ?? []).map((a: { priority: number }) => a.priority))],
  ['lldp.dcbx.iee.app.sf', each((r) => (r.appPriority ?? []).map((a: { selector: number }) => a.selector))],
];

/** A DCBX 1.01 TLV's value, for each TLV of the Repr that has it. */
const dcbxEach = (k: keyof LldpDcbxTlvRepr): Pick => each((r) => (r.dcbx ?? []).map((t: LldpDcbxTlvRepr) => t[k]));
/** The first DCBX 1.01 TLV of `type`. */
const dcbxOf = (r: Record<string, unknown>, type: number): LldpDcbxTlvRepr | undefined => (r.dcbx as LldpDcbxTlvRepr[] | undefined)?.find((t) => t.type === type);

/**
 * DCBX 1.01 fields. tshark reads an application entry's selector and OUI with other bit boundaries than
 * tcpdump's (two high bits, then 22), so only the protocol id of the entries is compared.
 */
const LLDP_DCBX: Field[] = [
  ['lldp.dcbx.type', dcbxEach('type')], ['lldp.dcbx.version', dcbxEach('operVersion'), numbers],
  ['lldp.dcbx.control.seq', (r) => dcbxOf(r, 1)?.sequence], ['lldp.dcbx.control.ack', (r) => dcbxOf(r, 1)?.ack],
  ['lldp.dcbx.feature.enabled', dcbxEach('enabled')], ['lldp.dcbx.feature.willing', dcbxEach('willing')],
  ['lldp.dcbx.feature.error', dcbxEach('error')], ['lldp.dcbx.feature.pg.numtcs', (r) => dcbxOf(r, 2)?.numTcs],
  ['lldp.dcbx.feature.pg.pgid_prio1', (r) => dcbxOf(r, 2)?.pgIds?.[1]], ['lldp.dcbx.feature.pg.per1', (r) => dcbxOf(r, 2)?.pgPercent?.[1]],
  ['lldp.dcbx.feature.pfc.prio3', (r) => { const t = dcbxOf(r, 3); return t ? ((t.pfcEnable ?? 0) >> 3) & 1 : undefined; }],
  ['lldp.dcbx.feature.pfc.numtcs', (r) => dcbxOf(r, 3)?.numTcs],
  ['lldp.dcbx.feature.app.proto', each((r) => (dcbxOf(r, 4)?.apps ?? []).map((a) => a.protocol)), numbers],
];

/** tshark's joined values as decimal numbers (it shows some in hex). */
function numbers(all: string): string {
  return all.split(',').map(Number).join(',');
}

/** `all`: tshark's every occurrence of a field, joined by ',' (the picks join theirs alike). */
const FIELDS: Array<{ file: string; kind: number; fields: readonly Field[]; decoded?: (row: string[]) => boolean; all?: boolean }> = [
  {
    file: 'stp.pcap', kind: Layer.Stp,
    fields: [
      ['stp.version', at('version')], ['stp.type', at('type')], ['stp.flags', at('flags')], ['stp.root.cost', at('rootPathCost')],
      ['stp.port', at('portId')], ['stp.msg_age', at('messageAge')], ['stp.max_age', at('maxAge')], ['stp.hello', at('helloTime')],
      ['stp.forward', at('forwardDelay')], ['stp.root.hw', (r) => (r.rootId as string | undefined)?.slice(5)],
      ['stp.bridge.hw', (r) => (r.bridgeId as string | undefined)?.slice(5)],
    ],
  },
  {
    file: 'stp-spb.pcap', kind: Layer.Stp,
    fields: [
      ['stp.version', at('version')], ['stp.flags', at('flags')], ['mstp.version_4_length', at('spb.v4Length')],
      // 802.1 numbers bits from the least significant (tshark too); tcpdump's text reads them from the most
      ['mstp.agree_flags.agreement_num', (r) => spb(r, (s) => s.agreement & 3)],
      ['mstp.agree_flags.dagreement_num', (r) => spb(r, (s) => (s.agreement >> 2) & 3)],
      ['mstp.agree_flags.agreement_valid', (r) => spb(r, (s) => (s.agreement >> 4) & 1)],
      ['mstp.agree_flags.rest_role', (r) => spb(r, (s) => (s.agreement >> 5) & 1)],
      ['bpdu.agreement_digest_format_id', (r) => spb(r, (s) => s.format >> 4)],
      ['bpdu.agreement_digest_format_capabilities', (r) => spb(r, (s) => s.format & 0x0f)],
      ['bpdu.agreement_digest_convention_id', (r) => spb(r, (s) => s.convention >> 4)],
      ['bpdu.agreement_digest_convention_capabilities', (r) => spb(r, (s) => s.convention & 0x0f)],
      ['bpdu.agreement_digest_edge_count', at('spb.edgeCount')], ['mstp.agreement_digest', at('spb.agreementDigest')],
    ],
  },
  {
    file: 'lldp.pcap', kind: Layer.Lldp,
    fields: [
      ['lldp.chassis.subtype', at('chassisIdSubtype')], ['lldp.port.subtype', at('portIdSubtype')], ['lldp.time_to_live', at('ttl')],
      ['lldp.chassis.id.mac', (r) => (r.chassisIdSubtype === 4 ? r.chassisId : undefined)],
      ['lldp.port.id', (r) => (r.portIdSubtype === 5 || r.portIdSubtype === 7 ? r.portId : undefined)],
      ['lldp.tlv.system.name', at('systemName')],
    ],
  },
  // the crafted lldp-more.pcap is left out: tshark stops at its first malformed TLV, as meant for tcpdump's checks
  { file: 'lldp-med-live.pcap', kind: Layer.Lldp, all: true, fields: LLDP_ORG },
  { file: 'lldp-dcbx.pcap', kind: Layer.Lldp, all: true, fields: LLDP_DCBX },
  {
    file: 'lacp.pcap', kind: Layer.Slow,
    fields: [
      ['slow.subtype', at('subtype')],
      ...(['actor', 'partner'] as const).flatMap((w): Array<[string, Pick]> => [
        [`lacp.${w}.sys_priority`, at(`${w}.systemPriority`)], [`lacp.${w}.sysid`, at(`${w}.system`)], [`lacp.${w}.key`, at(`${w}.key`)],
        [`lacp.${w}.port`, at(`${w}.port`)], [`lacp.${w}.port_priority`, at(`${w}.portPriority`)], [`lacp.${w}.state`, at(`${w}.state`)],
      ]),
    ],
  },
  {
    file: 'eapol.pcap', kind: Layer.Eapol,
    fields: [
      ['eapol.version', at('version')], ['eapol.type', at('type')], ['eapol.len', at('bodyLength')], ['eap.code', at('eapCode')],
      ['eap.id', at('eapId')], ['eap.len', at('eapLength')], ['eap.type', at('eapType')],
    ],
  },
  {
    file: 'slow-oam.pcap', kind: Layer.Slow,
    fields: [
      ['slow.subtype', at('subtype')], ['oampdu.flags', at('oam.flags')], ['oampdu.code', at('oam.code')],
      // tshark decodes information TLVs of an illegal length too; the Repr leaves them out, as tcpdump does
      ...(['version', 'revision', 'state', 'config', 'pduConfig', 'oui'] as const).map((k): [string, Pick] => [
        `oampdu.info.${{ version: 'version', revision: 'revision', state: 'state', config: 'oamConfig', pduConfig: 'oampduConfig', oui: 'oui' }[k]}`,
        (r) => {
          const oam = r.oam as OamRepr | undefined;
          if (oam?.code === 0 && !oam.infos) return SKIP;
          return oam?.infos?.[0]?.[k] ?? (k === 'oui' ? oam?.oui : undefined);
        },
      ]),
      ['oampdu.event.sequence', at('oam.sequence')], ['oampdu.event.type', at('oam.events.0.type')],
      ['oampdu.event.timestamp', at('oam.events.0.timestamp')], ['oampdu.lpbk.commands', at('oam.loopback')],
    ],
  },
  {
    file: 'eapol-key.pcap', kind: Layer.Eapol,
    fields: [
      ['eapol.type', at('type')], ['eapol.keydes.type', at('key.descriptor')], ['eapol.keydes.key_len', at('key.keyLength')],
      ['eapol.keydes.replay_counter', at('key.replayCounter')], ['eapol.keydes.key_iv', at('key.iv')],
      ['wlan_rsna_eapol.keydes.key_info', at('key.keyInfo')], ['wlan_rsna_eapol.keydes.nonce', at('key.nonce')],
      ['wlan_rsna_eapol.keydes.rsc', at('key.rsc')], ['wlan_rsna_eapol.keydes.mic', at('key.mic')],
      ['wlan_rsna_eapol.keydes.data_len', at('key.dataLength')], ['eapol.keydes.key_index', at('key.keyIndex')],
      ['eapol.keydes.key_signature', at('key.signature')],
    ],
  },
  {
    file: 'aarp.pcap', kind: Layer.Aarp,
    fields: [
      ['aarp.opcode', at('op')], ['aarp.src.hw_mac', at('senderHw')], ['aarp.dst.hw_mac', at('targetHw')],
      // tshark shows the 4-byte address in hex: a zero byte, the network, the node
      ['aarp.src.proto_id', (r) => atalkHex(r.senderAddr as string)], ['aarp.dst.proto_id', (r) => atalkHex(r.targetAddr as string)],
    ],
  },
  {
    file: 'hsrp.pcap', kind: Layer.Hsrp, decoded: (row) => row[2] !== '',
    fields: [
      ['hsrp.version', at('version')], ['hsrp.opcode', at('opcode')], ['hsrp.state', at('state')], ['hsrp.hellotime', at('helloTime')],
      ['hsrp.holdtime', at('holdTime')], ['hsrp.priority', at('priority')], ['hsrp.group', at('group')], ['hsrp.virt_ip', at('virtualIp')],
    ],
  },
  {
    file: 'rip.pcap', kind: Layer.Rip,
    fields: [
      ['rip.command', at('command')], ['rip.version', at('version')], ['rip.family', (r) => route(r)?.afi],
      ['rip.metric', (r) => route(r)?.metric],
      // tshark shows the address for IPv4 entries, and the mask, next hop and tag for version 2 only
      ['rip.ip', (r) => (route(r)?.afi === 2 ? route(r)?.address : undefined)],
      ['rip.netmask', (r) => (r.version === 2 ? route(r)?.mask : undefined)],
      ['rip.next_hop', (r) => (r.version === 2 ? route(r)?.nextHop : undefined)],
      ['rip.route_tag', (r) => (r.version === 2 ? route(r)?.routeTag : undefined)],
      ['rip.auth.type', at('auth.type')], ['rip.auth.passwd', at('auth.password')],
    ],
  },
  {
    file: 'rip-md5-live.pcap', kind: Layer.Rip,
    fields: [
      ['rip.command', at('command')], ['rip.auth.type', at('auth.type')], ['rip.digest_offset', at('auth.digestOffset')],
      ['rip.key_id', at('auth.keyId')], ['rip.auth_data_len', at('auth.authDataLength')], ['rip.seq_num', at('auth.sequence')],
      ['rip.authentication_data', at('auth.digest')],
    ],
  },
  {
    file: 'ptp.pcap', kind: Layer.Ptp,
    fields: [
      ['ptp.v2.messagetype', at('messageType')], ['ptp.v2.versionptp', at('version')], ['ptp.v2.messagelength', at('messageLength')],
      ['ptp.v2.domainnumber', at('domain')], ['ptp.v2.flags', at('flags')], ['ptp.v2.sourceportid', at('portNumber')],
      ['ptp.v2.clockidentity', (r) => `0x${(r.clockIdentity as string).slice(2).padStart(16, '0')}`],
      ['ptp.v2.sequenceid', at('sequenceId')], ['ptp.v2.controlfield', at('control')], ['ptp.v2.logmessageperiod', at('logInterval')],
    ],
  },
  {
    file: 'vrrp.pcap', kind: Layer.Vrrp,
    fields: [
      ['vrrp.version', at('version')], ['vrrp.type', at('type')], ['vrrp.virt_rtr_id', at('vrid')], ['vrrp.prio', at('priority')],
      ['vrrp.addr_count', at('count')], ['vrrp.checksum', at('checksum')], ['vrrp.auth_type', at('authType')],
    ],
  },
];

/** The first route entry of a RIP Repr that is not authentication. */
function route(r: Record<string, unknown>): Record<string, unknown> | undefined {
  return (r.entries as Array<Record<string, unknown>>).find((e) => e.afi !== 0xffff);
}

function atalkHex(a: string): string {
  const [net, node] = a.split('.').map(Number);
  return `00${net!.toString(16).padStart(4, '0')}${node!.toString(16).padStart(2, '0')}`;
}

describe('LAN protocols: Repr fields equal tshark\'s', () => {
  for (const { file, kind, fields, decoded, all } of FIELDS) {
    it(`${file}: ${fields.length} fields per packet`, () => {
      let checked = 0;
      let packets = 0;
      for (const pkt of withTshark(join(DIR, file), fields, all)) {
        packets++;
        const i = pkt.parser.find(kind);
        expect(i, `packet ${pkt.n} has the layer`).toBeGreaterThanOrEqual(0);
        if (decoded && !decoded(pkt.row)) continue;
        const { shown, diffs } = fieldDiffs(pkt, pkt.parser.repr(i) as Record<string, unknown>, fields);
        expect(diffs).toEqual([]);
        checked += shown;
      }
      expect(checked).toBeGreaterThan(packets);
    });
  }
});
