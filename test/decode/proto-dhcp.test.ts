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
import { type Field, levels, type Pick, at, expectTcpdumpLines, fieldDiffs, withTshark } from './proto-oracle.js';
import { Layer } from '../../src/decode/index.js';

process.env.TZ = 'UTC';
const LIVE = join(ROOT, 'fixtures', 'proto', 'dhcp-live.pcap');
const CRAFTED = join(ROOT, 'fixtures', 'proto', 'dhcp-crafted.pcap');
const OLD = join(ROOT, 'fixtures', 'decode', 'dhcp.pcap');

const LEVELS = levels(
  [], ['-v'], ['-vv'], ['-vvv'],
  ['-x'], ['-v', '-x'], ['-vvv', '-X'],
);

describe('DHCPv4: text equals tcpdump\'s', () => {
  for (const [file, name] of [[LIVE, 'dnsmasq exchange with a relay'], [CRAFTED, 'every option, malformed and cut'], [OLD, 'decode fixture']] as const) {
    it(`${name} (${file.slice(ROOT.length + 1)}): every line at -n, -v, -vv, -vvv, -x, -v -x, -vvv -X`, () => {
      console.log(`DHCPv4 ${name}: ${expectTcpdumpLines(file, LEVELS)}`);
    });
  }
});

/** A list field of the Repr as tshark aggregates it. */
const list = (k: string): Pick => (r) => (r[k] as unknown[] | undefined)?.join(',');
/** The options' codes and lengths in order. */
const codes: Pick = (r) => (r.options as Array<{ code: number }> | undefined)?.map((o) => o.code).join(',');
const lens: Pick = (r) => (r.options as Array<{ len: number }> | undefined)?.map((o) => o.len).join(',');
/** tshark's first occurrence (the fields are read with every occurrence). */
const first = (all: string): string => all.split(',')[0]!;

const FIELDS: Field[] = [
  ...([
    ['dhcp.type', at('op')], ['dhcp.id', at('xid')], ['dhcp.ip.client', at('ciaddr')], ['dhcp.ip.your', at('yiaddr')],
    ['dhcp.ip.server', at('siaddr')], ['dhcp.ip.relay', at('giaddr')], ['dhcp.hw.mac_addr', at('chaddr')], ['dhcp.option.dhcp', at('messageType')],
    ['dhcp.option.subnet_mask', at('subnetMask')], ['dhcp.option.hostname', at('hostname')], ['dhcp.option.domain_name', at('domainName')],
    ['dhcp.option.broadcast_address', at('broadcast')], ['dhcp.option.requested_ip_address', at('requestedIp')],
    ['dhcp.option.ip_address_lease_time', at('leaseTime')], ['dhcp.option.dhcp_server_id', at('serverId')],
    ['dhcp.option.dhcp_max_message_size', at('maxMsgSize')], ['dhcp.option.renewal_time_value', at('renewalTime')],
    ['dhcp.option.rebinding_time_value', at('rebindingTime')], ['dhcp.option.vendor_class_id', at('vendorClass')],
    ['dhcp.fqdn.name', at('clientFqdn')], ['dhcp.option.agent_information_option.agent_circuit_id', at('agentCircuitId')],
    ['dhcp.option.agent_information_option.agent_remote_id', at('agentRemoteId')],
  ] as Array<[string, Pick]>).map(([f, pick]): Field => [f, pick, first]),
  ['dhcp.option.router', list('routers')], ['dhcp.option.domain_name_server', list('dnsServers')], ['dhcp.option.ntp_server', list('ntpServers')],
  ['dhcp.option.request_list_item', list('paramRequest')], ['dhcp.option.length', lens],
  // tshark lists END as the last type, 0; PAD is not listed
  ['dhcp.option.type', codes, (all) => all.replace(/(^|,)0$/, '')],
];

describe('DHCPv4: Repr fields equal tshark\'s', () => {
  for (const file of [LIVE, OLD]) {
    it(`${file.slice(ROOT.length + 1)}: header fields, options in order, decoded option values`, () => {
      let checked = 0;
      let packets = 0;
      const bad: string[] = [];
      for (const pkt of withTshark(file, FIELDS, true)) {
        packets++;
        const i = pkt.parser.find(Layer.Dhcp);
        expect(i, `packet ${pkt.n} has the layer`).toBeGreaterThanOrEqual(0);
        const { shown, diffs } = fieldDiffs(pkt, pkt.parser.repr(i) as Record<string, unknown>, FIELDS);
        bad.push(...diffs);
        checked += shown;
      }
      expect(bad).toEqual([]);
      expect(checked).toBeGreaterThan(packets * 8);
    });
  }
});
