/**
 * BOOTP/DHCPv4 against the reference tools at test time: every printed line against tcpdump 4.99 at
 * -n, -v, -vv, -vvv (and with -x / -X dumps, which show where tcpdump's printer gave up), and the Repr
 * fields against tshark's `dhcp.*` fields. Fixtures: fixtures/proto/dhcp-live.pcap (dnsmasq answering
 * a client and a relay agent, make-dhcp4.sh), dhcp-crafted.pcap (gen_dhcp.py: every option tag,
 * malformed lengths, cut packets) and fixtures/decode/dhcp.pcap.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';
import { readPcap } from './pcap-read.js';
import { type Level, type Pick, at, expectTcpdumpLines, same, tsharkFields } from './proto-oracle.js';
import { LayerParser, Layer } from '../../src/decode/index.js';

process.env.TZ = 'UTC';
const LIVE = join(ROOT, 'fixtures', 'proto', 'dhcp-live.pcap');
const CRAFTED = join(ROOT, 'fixtures', 'proto', 'dhcp-crafted.pcap');
const OLD = join(ROOT, 'fixtures', 'decode', 'dhcp.pcap');

const LEVELS: Level[] = [
  [[], {}], [['-v'], { verbose: 1 }], [['-vv'], { verbose: 2 }], [['-vvv'], { verbose: 3 }],
  [['-x'], { hex: 1 }], [['-v', '-x'], { verbose: 1, hex: 1 }], [['-vvv', '-X'], { verbose: 3, hexAscii: 1 }],
];

describe('DHCPv4: text equals tcpdump\'s', () => {
  for (const [file, name] of [[LIVE, 'dnsmasq exchange with a relay'], [CRAFTED, 'every option, malformed and cut'], [OLD, 'decode fixture']] as const) {
    it(`${name} (${file.slice(ROOT.length + 1)}): every line at -n, -v, -vv, -vvv, -x, -v -x, -vvv -X`, () => {
      console.log(`DHCPv4 ${name}: ${expectTcpdumpLines(file, LEVELS)}`);
    });
  }
});

/** A list field of the Repr as tshark aggregates it. */
const list = (k: string): Pick => (r) => (r[k] as unknown[] | undefined)?.join(',');
/** The options' codes and lengths; tshark shows END as type 0 with no length. */
const codes: Pick = (r) => (r.options as Array<{ code: number }> | undefined)?.map((o) => o.code).join(',');
const lens: Pick = (r) => (r.options as Array<{ len: number }> | undefined)?.map((o) => o.len).join(',');

/** Fields tshark shows once per packet (first occurrence), and those it may show several times (all). */
const ONCE: Array<[string, Pick]> = [
  ['dhcp.type', at('op')], ['dhcp.id', at('xid')], ['dhcp.ip.client', at('ciaddr')], ['dhcp.ip.your', at('yiaddr')],
  ['dhcp.ip.server', at('siaddr')], ['dhcp.ip.relay', at('giaddr')], ['dhcp.hw.mac_addr', at('chaddr')], ['dhcp.option.dhcp', at('messageType')],
  ['dhcp.option.subnet_mask', at('subnetMask')], ['dhcp.option.hostname', at('hostname')], ['dhcp.option.domain_name', at('domainName')],
  ['dhcp.option.broadcast_address', at('broadcast')], ['dhcp.option.requested_ip_address', at('requestedIp')],
  ['dhcp.option.ip_address_lease_time', at('leaseTime')], ['dhcp.option.dhcp_server_id', at('serverId')],
  ['dhcp.option.dhcp_max_message_size', at('maxMsgSize')], ['dhcp.option.renewal_time_value', at('renewalTime')],
  ['dhcp.option.rebinding_time_value', at('rebindingTime')], ['dhcp.option.vendor_class_id', at('vendorClass')],
  ['dhcp.fqdn.name', at('clientFqdn')], ['dhcp.option.agent_information_option.agent_circuit_id', at('agentCircuitId')],
  ['dhcp.option.agent_information_option.agent_remote_id', at('agentRemoteId')],
];
const ALL: Array<[string, Pick]> = [
  ['dhcp.option.router', list('routers')], ['dhcp.option.domain_name_server', list('dnsServers')], ['dhcp.option.ntp_server', list('ntpServers')],
  ['dhcp.option.request_list_item', list('paramRequest')], ['dhcp.option.length', lens],
];

describe('DHCPv4: Repr fields equal tshark\'s', () => {
  for (const file of [LIVE, OLD]) {
    it(`${file.slice(ROOT.length + 1)}: header fields, options in order, decoded option values`, () => {
      const once = tsharkFields(file, ONCE.map(([f]) => f));
      const all = tsharkFields(file, [...ALL.map(([f]) => f), 'dhcp.option.type'], true);
      const pkts = readPcap(file).packets;
      expect(once.length).toBe(pkts.length);
      const p = new LayerParser();
      let checked = 0;
      const bad: string[] = [];
      pkts.forEach((q, n) => {
        p.decode(q.buf, q.offset, q.capLen, q.linkType);
        const i = p.find(Layer.Dhcp);
        expect(i, `packet ${n + 1} has the layer`).toBeGreaterThanOrEqual(0);
        const r = p.repr(i) as Record<string, unknown>;
        const row: Array<[string, string, unknown]> = [
          ...ONCE.map(([f, pick], k): [string, string, unknown] => [f, once[n]![k] ?? '', pick(r)]),
          ...ALL.map(([f, pick], k): [string, string, unknown] => [f, all[n]![k] ?? '', pick(r)]),
          // END is the last type tshark lists (as 0); PAD is not listed
          ['dhcp.option.type', (all[n]![ALL.length] ?? '').replace(/(^|,)0$/, ''), codes(r)],
        ];
        for (const [f, theirs, ours] of row) {
          if (!same(theirs, ours)) bad.push(`packet ${n + 1} ${f}: tshark ${theirs}, ours ${String(ours)}`);
          if (theirs !== '') checked++;
        }
      });
      expect(bad).toEqual([]);
      expect(checked).toBeGreaterThan(pkts.length * 8);
    });
  }
});
