/**
 * The NDJSON sink against tshark: every schema field of every packet of every fixture is compared
 * with the tshark field SCHEMA.md maps it to, run at test time with SCHEMA.md's command line.
 */
import { describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { readPcap } from './pcap-read.js';
import { fixtureFiles } from './fixtures.js';
import { find, findAll, get, getAll, tsharkPackets, type OJson, type OObject } from './tshark.js';
import { JsonFormatter } from '../../src/sinks/json.js';
import { LinkType } from '../../src/numbers.js';

const PROTO_MAP: Readonly<Record<string, string>> = {
  eth: 'eth', sll: 'sll', null: 'loopback', vlan: 'vlan', ieee8021ad: 'vlan', mpls: 'mpls', arp: 'arp', ip: 'ipv4', ipv6: 'ipv6',
  tcp: 'tcp', udp: 'udp', icmp: 'icmp', icmpv6: 'icmpv6', dns: 'dns',
  lldp: 'lldp', slow: 'slow', eapol: 'eapol', aarp: 'aarp', vrrp: 'vrrp',
  // serial and legacy link types (SCHEMA.md): link headers, then the control protocols that end the stack
  ppp: 'ppp', chdlc: 'chdlc', fr: 'fr', arcnet: 'arcnet', mtp2: 'mtp2',
  lcp: 'pppctl', ipcp: 'pppctl', ipv6cp: 'pppctl', ccp: 'pppctl', bacp: 'pppctl', pap: 'pppctl', chap: 'pppctl', mp: 'pppctl', slarp: 'slarp', q933: 'q933',
  bgp: 'bgp', pim: 'pim', ldp: 'ldp', 'mpls-echo': 'lspping', ripng: 'ripng',
  dhcp: 'dhcp', ntp: 'ntp', dhcpv6: 'dhcp6', tftp: 'tftp', radius: 'radius', snmp: 'snmp', hsrp: 'hsrp', rip: 'rip',
  isakmp: 'ike', ptp: 'ptp', ospf: 'ospf',
  radiotap: 'radiotap', ppi: 'ppi', wlan: 'wlan',
  // LAN control protocols after LLC, tunnels (their header only), TCP/UDP services (SCHEMA.md, "Service layers")
  llc: 'llc', stp: 'stp', cdp: 'cdp', dtp: 'dtp', udld: 'udld', vtp: 'vtp', pppoed: 'pppoe', pppoes: 'pppoe', igmp: 'igmp', sctp: 'sctp',
  gre: 'gre', erspan: 'erspan', vxlan: 'vxlan', geneve: 'geneve', l2tp: 'l2tp', pptp: 'pptp', ssh: 'ssh', tls: 'tls', quic: 'quic', syslog: 'syslog',
  isis: 'isis', esis: 'esis', clnp: 'clnp',
  // LAN protocols after the link header, a VLAN tag or LLC/SNAP, and the Network Service Header (SCHEMA.md, "LAN protocols in --json")
  ipx: 'ipx', cfm: 'cfm', loop: 'ctp', dec_dna: 'decnet', ddp: 'ddp', aoe: 'aoe', nsh: 'nsh', tipc: 'tipc', macsec: 'macsec',
  // EIGRP after its IP header (its fields are compared in linktypes-fr.test.ts)
  eigrp: 'eigrp',
};
/** Schema layers after which the stack ends (the schema does not decode what they carry). */
const LAST = new Set([
  'icmp', 'icmpv6', 'dns', 'vrrp', 'lldp', 'slow', 'eapol', 'aarp', 'dhcp', 'ntp', 'dhcp6', 'tftp', 'radius', 'snmp', 'hsrp', 'rip', 'ike', 'ptp',
  'bgp', 'pim', 'ldp', 'lspping', 'ripng', 'ospf', 'pppctl', 'slarp', 'q933', 'mtp2', 'wlan', 'isis', 'esis', 'clnp',
  'stp', 'cdp', 'dtp', 'udld', 'vtp', 'pppoe', 'igmp', 'sctp', 'erspan', 'vxlan', 'geneve', 'vxlangpe', 'pptp', 'ssh', 'tls', 'quic', 'syslog',
  'ipx', 'cfm', 'ctp', 'decnet', 'ddp', 'aoe', 'nsh', 'tipc', 'macsec', 'eigrp',
]);
/** What the stack continues to after LLC (LAN control and OSI routing); anything else (IP over SNAP, IPX, ...) ends it at LLC. */
const AFTER_LLC = new Set(['stp', 'cdp', 'dtp', 'udld', 'vtp', 'isis', 'esis', 'clnp', 'ipx', 'ddp']);

/**
 * Bytes of pseudo-header that Wireshark takes out of a record before frame.len and frame.cap_len (its
 * wiretap reads them as metadata), by link type; the file's record, tcpdump and the schema count them.
 * Every link type of the fixtures is compared, and MTP2_WITH_PHDR is the only one of them where this
 * happens; a fixture of another such link type (SunATM, PPP_WITH_DIR, ...) adds its entry here.
 */
const WIRESHARK_PSEUDO_HEADER: Readonly<Partial<Record<number, number>>> = { [LinkType.MTP2_WITH_PHDR]: 4 };

/** Expert-info severity tshark gives errors (a header it could not fully decode). */
const PI_ERROR = '8388608';

const num = (v: OJson | undefined): number | undefined => (typeof v === 'string' ? Number(v) : undefined);
const str = (v: OJson | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const bool = (v: OJson | undefined): boolean | undefined => (typeof v === 'string' ? v === '1' || v === 'True' || v === 'true' : undefined);

interface Mismatch {
  file: string;
  index: number;
  field: string;
  ours: unknown;
  theirs: unknown;
}

/**
 * Malformed wireless headers where tcpdump (whose reading tscap follows) and tshark part ways: the stack
 * is not compared there. The text of each is checked against tcpdump by test/decode/wlan-print.test.ts.
 */
const WLAN_DISAGREEMENTS: ReadonlySet<string> = new Set([
  'wlan-ppi.pcap#5', // radiotap inside PPI: tcpdump decodes it, tshark leaves it undissected
  'wlan-ppi.pcap#8', // PPI length 4 (below 8): tcpdump prints the header invalid, tshark reads on
  'wlan-radiotap.pcap#43', // radiotap it_len 4 (below 8): the same
]);

/** Compares one packet; pushes mismatches. */
function comparePacket(file: string, ours: Record<string, unknown>, t: OObject, linkType: number, out: Mismatch[]): number {
  let checked = 0;
  const idx = ours.index as number;
  if (WLAN_DISAGREEMENTS.has(`${file}#${idx}`)) return 0;
  // tshark stops filling a header it finds malformed (bad IHL, total length, data offset): fields it
  // left out are not checked there, fields it did fill still must match
  const partial = find(t, '_ws.malformed') !== undefined || find(t, '_ws.short') !== undefined || findAll(t, '_ws.expert.severity').includes(PI_ERROR);
  const eq = (field: string, a: unknown, b: unknown): void => {
    checked++;
    if (b === undefined && partial) return;
    if (b === undefined) {
      out.push({ file, index: idx, field, ours: a, theirs: '(absent in tshark)' });
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ file, index: idx, field, ours: a, theirs: b });
  };
  const frame = get(t, 'frame') as OObject;
  eq('index', idx, num(get(frame, 'frame.number'))! - 1);
  const te = str(get(frame, 'frame.time_epoch'))!;
  const [ts, tf = ''] = (ours.ts as string).split('.');
  const [es, ef = ''] = te.split('.');
  eq('ts', `${ts}.${tf.padEnd(9, '0')}`, `${es}.${ef.padEnd(9, '0')}`);
  const phdr = WIRESHARK_PSEUDO_HEADER[linkType] ?? 0;
  eq('len', ours.len, num(get(frame, 'frame.len'))! + phdr);
  eq('caplen', ours.caplen, num(get(frame, 'frame.cap_len'))! + phdr);
  eq('linktype', ours.linktype, linkType);
  // stack: tshark's protocol list mapped to schema names, cut where the schema stops
  // pseudo-protocols (ethertype, IPv6 extension headers, NFLOG's header) are skipped; any other name the schema does
  // not cover ends the list; tshark names one MPLS label stack once
  const protos: string[] = [];
  const protoNames = (str(get(frame, 'frame.protocols')) ?? '').split(':');
  // tshark 4.0 dissects VXLAN-GPE (its tree is the 'vxlan' layer) but leaves it out of frame.protocols
  const gpe = get(t, 'vxlan') !== undefined && !protoNames.includes('vxlan');
  for (const [k, name] of protoNames.entries()) {
    // wlan_radio is tshark's summary of the radio information, not a header
    // osi is tshark's name for the NLPID dispatch before IS-IS, ES-IS and CLNP
    if (name === 'ethertype' || name === 'raw' || name === 'nflog' || name === 'wlan_radio' || name === 'osi' || name.startsWith('ipv6.')) continue;
    // a PPP-in-HDLC-framing record addressed 0x0f/0x8f is Cisco HDLC, whose header the schema shows as the link
    // layer (`chdlc`); tshark files it under its PPP framing dissector first
    if (name === 'ppp' && protoNames[k + 1] === 'chdlc' && linkType === 50) continue;
    // tshark 4.0 reads EtherType 0x809b as LLAP (a LocalTalk header); tcpdump, and the schema after
    // it, read the EtherTalk frame's payload as a DDP datagram: there only (after the Ethernet header or
    // a VLAN tag with that type), llap stands for ddp when the frame holds the 13-byte DDP header (a
    // shorter one is none: tcpdump prints [|ddp]). Its fields are compared where tshark decodes DDP,
    // under SNAP (proto-lan3.test.ts does the same)
    const before = protos[protos.length - 1];
    const tags = protos.filter((x) => x === 'vlan').length;
    const carrierType = before === 'eth' ? num(find(get(t, 'eth'), 'eth.type')) : before === 'vlan' ? num(findAll(t, 'vlan.etype').at(-1)) : undefined;
    // (the same holds for Frame Relay's RFC 2427 SNAP with Apple's OUI, 08-00-07/809b)
    const etherTalk = name === 'llap' && (carrierType === 0x809b || (before === 'fr' && linkType === 107));
    if (etherTalk && num(get(frame, 'frame.cap_len'))! < (before === 'fr' ? 2 + 6 : 14 + 4 * tags) + 13) break;
    const m = etherTalk ? 'ddp' : PROTO_MAP[name];
    if (m === undefined) break;
    // after a BSD loopback header (AF_ISO) the schema shows no OSI layer: tcpdump's null printer prints
    // that PDU itself (tshark files the inactive-network-layer NLPID 0 under clnp)
    if (m === 'clnp' && protos[protos.length - 1] === 'loopback') break;
    protos.push(m);
    if (m === 'udp' && gpe) protos.push('vxlangpe');
  }
  // an IPv4 fragment carries part of its upper layer, which tshark shows partially
  const ipFrag = ((ours.layers as Record<string, Record<string, unknown>>).ipv4?.flags as string[] | undefined)?.includes('MF') === true;
  const truncated = (ours.caplen as number) < (ours.len as number) || partial || ipFrag;
  const expected: string[] = [];
  let ipCount = 0;
  for (let k = 0; k < protos.length; k++) {
    const p = protos[k]!;
    if (p === 'ipv4' || p === 'ipv6') ipCount++;
    if (ipCount > 1 || (p === 'eth' && k > 0)) break;
    if (p === 'dns' && expected[expected.length - 1] !== 'udp') break;
    // LLC continues only to a LAN control protocol, GRE only to ERSPAN (a tunnel's inner packet is out of scope)
    if (expected[expected.length - 1] === 'llc' && !AFTER_LLC.has(p)) break;
    if (expected[expected.length - 1] === 'gre' && p !== 'erspan') break;
    // after a PPP header tscap does not reach DECnet or AppleTalk: tcpdump prints them in hex (`DECNET`,
    // `APPLE`); the stack ends at the link header there (IPX is reached, and all three after Cisco HDLC)
    if ((p === 'decnet' || p === 'ddp') && expected[expected.length - 1] === 'ppp') break;
    // RFC 8300 defines NSH version 0 only: tscap, as tcpdump, reads no further than another version's
    // number, so the schema leaves that header out as malformed; tshark decodes it as if it were 0
    if (p === 'nsh' && num(find(get(t, 'nsh'), 'nsh.version')) !== 0) break;
    // tcpdump reads a SecTAG right after the MAC addresses only (tshark behind a VLAN tag too)
    if (p === 'macsec' && expected[expected.length - 1] !== 'eth') break;
    // L2TP continues only to a PPP control frame (the tunnel's inner packet is out of scope); tshark's
    // ppp there is the frame's address, control and protocol fields, which the l2tp layer reads itself
    if (expected[expected.length - 1] === 'l2tp') {
      if (p === 'ppp' && protos[k - 1] === 'l2tp') continue;
      if (p !== 'pppctl') break;
    }
    if (ipCount === 1 && (p === 'vlan' || p === 'mpls' || p === 'arp' || p === 'eth')) break;
    expected.push(p);
    if (LAST.has(p)) break;
    if ((p === 'tcp' || p === 'udp') && expected[expected.length - 2] !== 'ipv4' && expected[expected.length - 2] !== 'ipv6') break;
  }
  checked++;
  const dedup = (a: string[]): string[] => a.filter((x, k) => !(x === 'mpls' && a[k - 1] === 'mpls'));
  // tshark reads a SecTAG only when secure data comes before a 16-byte ICV in the capture; tcpdump, and
  // the schema after it, read any whole SecTAG: there the schema's macsec has no tshark counterpart
  const sectag = (ours.layers as Record<string, Record<string, unknown>>).macsec;
  const shortSectag = sectag !== undefined && !protos.includes('macsec') && (ours.caplen as number) <= 14 + (sectag.sci === undefined ? 6 : 14) + 16;
  const stack = dedup(ours.stack as string[]).filter((x) => !(shortSectag && x === 'macsec'));
  // tshark names tls, ssh and quic by the conversation (a segment that begins a reassembly, an encrypted
  // SSH packet after the banner, a QUIC short header) where a per-packet decoder sees no header: there
  // only, a stack that ends at the transport header is compared without tshark's last layer
  const convo = expected[expected.length - 1];
  if ((convo === 'tls' || convo === 'ssh' || convo === 'quic') && stack.length === expected.length - 1 && (stack[stack.length - 1] === 'tcp' || stack[stack.length - 1] === 'udp')) expected.pop();
  if (truncated) {
    if (JSON.stringify(stack) !== JSON.stringify(expected.slice(0, stack.length))) out.push({ file, index: idx, field: 'stack(prefix)', ours: stack, theirs: expected });
  } else if (JSON.stringify(stack) !== JSON.stringify(expected)) out.push({ file, index: idx, field: 'stack', ours: stack, theirs: expected });

  const L = ours.layers as Record<string, Record<string, unknown>>;
  if (L.eth) {
    const e = get(t, 'eth') as OObject;
    eq('eth.src', L.eth.src, str(get(e, 'eth.src')));
    eq('eth.dst', L.eth.dst, str(get(e, 'eth.dst')));
    if (L.eth.type !== undefined) eq('eth.type', L.eth.type, num(get(e, 'eth.type')));
    if (L.eth.len !== undefined) eq('eth.len', L.eth.len, num(get(e, 'eth.len')));
  }
  if (L.sll) {
    const s = get(t, 'sll') as OObject;
    eq('sll.pktType', L.sll.pktType, num(get(s, 'sll.pkttype')));
    eq('sll.hatype', L.sll.hatype, num(get(s, 'sll.hatype')));
    if (L.sll.addr !== undefined) eq('sll.addr', L.sll.addr, str(get(s, 'sll.src.eth')));
    if (L.sll.protocol !== undefined) eq('sll.protocol', L.sll.protocol, num(get(s, 'sll.etype') ?? get(s, 'sll.gretype')));
  }
  if (L.loopback) eq('loopback.family', L.loopback.family, num(find(get(t, 'null'), 'null.family')));
  if (L.vlan) {
    const tags = [...getAll(t, 'vlan'), ...getAll(t, 'ieee8021ad')];
    // tshark lists the layers in frame order under their own names; rebuild the order from the protocol list
    const order = (str(get(frame, 'frame.protocols')) ?? '').split(':').filter((p) => p === 'vlan' || p === 'ieee8021ad');
    const vl = getAll(t, 'vlan') as OObject[];
    const ad = getAll(t, 'ieee8021ad') as OObject[];
    let vi = 0;
    let ai = 0;
    (L.vlan as unknown as Array<Record<string, unknown>>).forEach((tag, k) => {
      const isAd = order[k] === 'ieee8021ad';
      const o = isAd ? ad[ai++] : vl[vi++];
      const pre = isAd ? 'ieee8021ad' : 'vlan';
      eq(`vlan[${k}].pcp`, tag.pcp, num(get(o, `${pre}.priority`)));
      eq(`vlan[${k}].dei`, tag.dei, bool(get(o, `${pre}.dei`)));
      eq(`vlan[${k}].id`, tag.id, num(get(o, `${pre}.id`)));
      if (tag.type !== undefined) eq(`vlan[${k}].type`, tag.type, num(get(o, `${pre}.etype`) ?? get(o, 'ieee8021ah.etype') ?? get(o, 'vlan.etype')));
      if (tag.len !== undefined) eq(`vlan[${k}].len`, tag.len, num(get(o, 'vlan.len')));
      // the TPID is the EtherType before the tag
      const prev = k === 0 ? (L.eth?.type ?? L.sll?.protocol) : (L.vlan as unknown as Array<Record<string, unknown>>)[k - 1]!.type;
      eq(`vlan[${k}].tpid`, tag.tpid, prev);
    });
    void tags;
  }
  if (L.mpls) {
    const ms = getAll(t, 'mpls') as OObject[];
    const labels = ms.flatMap((m) => findAll(m, 'mpls.label'));
    const tcs = ms.flatMap((m) => findAll(m, 'mpls.exp'));
    const bots = ms.flatMap((m) => findAll(m, 'mpls.bottom'));
    const ttls = ms.flatMap((m) => findAll(m, 'mpls.ttl'));
    (L.mpls as unknown as Array<Record<string, unknown>>).forEach((m, k) => {
      eq(`mpls[${k}].label`, m.label, num(labels[k]));
      eq(`mpls[${k}].tc`, m.tc, num(tcs[k]));
      eq(`mpls[${k}].s`, m.s, bool(bots[k]));
      eq(`mpls[${k}].ttl`, m.ttl, num(ttls[k]));
    });
  }
  if (L.arp) {
    const a = get(t, 'arp') as OObject;
    eq('arp.htype', L.arp.htype, num(get(a, 'arp.hw.type')));
    eq('arp.ptype', L.arp.ptype, num(get(a, 'arp.proto.type')));
    eq('arp.op', L.arp.op, num(get(a, 'arp.opcode')));
    if (L.arp.senderMac !== undefined) eq('arp.senderMac', L.arp.senderMac, str(get(a, 'arp.src.hw_mac')));
    if (L.arp.targetMac !== undefined) eq('arp.targetMac', L.arp.targetMac, str(get(a, 'arp.dst.hw_mac')));
    if (L.arp.senderIp !== undefined) eq('arp.senderIp', L.arp.senderIp, str(get(a, 'arp.src.proto_ipv4')));
    if (L.arp.targetIp !== undefined) eq('arp.targetIp', L.arp.targetIp, str(get(a, 'arp.dst.proto_ipv4')));
  }
  if (L.ipv4) {
    const ip = get(t, 'ip') as OObject;
    const v = L.ipv4;
    eq('ipv4.hdrLen', v.hdrLen, num(get(ip, 'ip.hdr_len')));
    eq('ipv4.dscp', v.dscp, num(find(ip, 'ip.dsfield.dscp')));
    eq('ipv4.ecn', v.ecn, num(find(ip, 'ip.dsfield.ecn')));
    // tshark shows a zero total length as the frame's length (it presumes TCP segmentation offload)
    if (v.len !== 0) eq('ipv4.len', v.len, num(get(ip, 'ip.len')));
    eq('ipv4.id', v.id, num(get(ip, 'ip.id')));
    const fl: string[] = [];
    if (bool(find(ip, 'ip.flags.rb'))) fl.push('RB');
    if (bool(find(ip, 'ip.flags.df'))) fl.push('DF');
    if (bool(find(ip, 'ip.flags.mf'))) fl.push('MF');
    if (get(ip, 'ip.flags') !== undefined || !partial) eq('ipv4.flags', v.flags, fl);
    // tshark 4.0 carries the field in 8-byte units; the schema wants bytes
    if (get(ip, 'ip.frag_offset') !== undefined || !partial) eq('ipv4.fragOffset', v.fragOffset, num(get(ip, 'ip.frag_offset'))! * 8);
    eq('ipv4.ttl', v.ttl, num(get(ip, 'ip.ttl')));
    eq('ipv4.proto', v.proto, num(get(ip, 'ip.proto')));
    eq('ipv4.checksum', v.checksum, num(get(ip, 'ip.checksum')));
    eq('ipv4.src', v.src, str(get(ip, 'ip.src')));
    eq('ipv4.dst', v.dst, str(get(ip, 'ip.dst')));
  }
  if (L.ipv6) {
    const ip = get(t, 'ipv6') as OObject;
    const v = L.ipv6;
    eq('ipv6.trafficClass', v.trafficClass, num(get(ip, 'ipv6.tclass')));
    eq('ipv6.flowLabel', v.flowLabel, num(get(ip, 'ipv6.flow')));
    eq('ipv6.payloadLen', v.payloadLen, num(get(ip, 'ipv6.plen')));
    eq('ipv6.nextHeader', v.nextHeader, num(get(ip, 'ipv6.nxt')));
    eq('ipv6.hopLimit', v.hopLimit, num(get(ip, 'ipv6.hlim')));
    eq('ipv6.src', v.src, str(get(ip, 'ipv6.src')));
    eq('ipv6.dst', v.dst, str(get(ip, 'ipv6.dst')));
    const ext: number[] = [];
    const EXT: Readonly<Record<string, number>> = { 'ipv6.hopopts': 0, 'ipv6.routing': 43, 'ipv6.fraghdr': 44, 'ipv6.dstopts': 60 };
    for (const [k] of ip?.entries ?? []) if (EXT[k] !== undefined) ext.push(EXT[k]);
    if (!truncated || (v.extHeaders as number[]).length === ext.length) eq('ipv6.extHeaders', v.extHeaders, ext);
    if (v.frag) {
      const f = v.frag as Record<string, unknown>;
      const fh = get(ip, 'ipv6.fraghdr') as OObject;
      eq('ipv6.frag.offset', f.offset, num(find(fh, 'ipv6.fraghdr.offset'))! * 8);
      eq('ipv6.frag.more', f.more, bool(find(fh, 'ipv6.fraghdr.more')));
      eq('ipv6.frag.id', f.id, num(find(fh, 'ipv6.fraghdr.ident')));
    }
  }
  if (L.tcp) {
    const tc = get(t, 'tcp') as OObject;
    const v = L.tcp;
    eq('tcp.srcPort', v.srcPort, num(get(tc, 'tcp.srcport')));
    eq('tcp.dstPort', v.dstPort, num(get(tc, 'tcp.dstport')));
    eq('tcp.seq', v.seq, num(get(tc, 'tcp.seq_raw')));
    eq('tcp.ack', v.ack, num(get(tc, 'tcp.ack_raw')));
    eq('tcp.hdrLen', v.hdrLen, num(get(tc, 'tcp.hdr_len')));
    const NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];
    const fv = num(get(tc, 'tcp.flags'));
    if (fv !== undefined || !partial) eq('tcp.flags', v.flags, NAMES.filter((_, k) => (fv ?? 0) & (1 << k)));
    eq('tcp.window', v.window, num(get(tc, 'tcp.window_size_value')));
    eq('tcp.checksum', v.checksum, num(get(tc, 'tcp.checksum')));
    eq('tcp.urgentPtr', v.urgentPtr, num(get(tc, 'tcp.urgent_pointer')));
    // tshark leaves tcp.len out for a segment inside an IP fragment
    if (get(tc, 'tcp.len') !== undefined) eq('tcp.payloadLen', v.payloadLen, num(get(tc, 'tcp.len')));
  }
  if (L.udp) {
    const u = get(t, 'udp') as OObject;
    const v = L.udp;
    eq('udp.srcPort', v.srcPort, num(get(u, 'udp.srcport')));
    eq('udp.dstPort', v.dstPort, num(get(u, 'udp.dstport')));
    eq('udp.len', v.len, num(get(u, 'udp.length')));
    // tshark shows no checksum for a length field below 8
    if ((v.len as number) >= 8) eq('udp.checksum', v.checksum, num(get(u, 'udp.checksum')));
  }
  if (L.icmp) {
    const c = get(t, 'icmp') as OObject;
    const v = L.icmp;
    eq('icmp.type', v.type, num(get(c, 'icmp.type')));
    eq('icmp.code', v.code, num(get(c, 'icmp.code')));
    eq('icmp.checksum', v.checksum, num(get(c, 'icmp.checksum')));
    if (v.id !== undefined) eq('icmp.id', v.id, num(get(c, 'icmp.ident')));
    if (v.seq !== undefined) eq('icmp.seq', v.seq, num(get(c, 'icmp.seq')));
  }
  if (L.icmpv6) {
    const c = get(t, 'icmpv6') as OObject;
    const v = L.icmpv6;
    eq('icmpv6.type', v.type, num(get(c, 'icmpv6.type')));
    eq('icmpv6.code', v.code, num(get(c, 'icmpv6.code')));
    eq('icmpv6.checksum', v.checksum, num(get(c, 'icmpv6.checksum')));
    if (v.id !== undefined) eq('icmpv6.id', v.id, num(get(c, 'icmpv6.echo.identifier')));
    if (v.seq !== undefined) eq('icmpv6.seq', v.seq, num(get(c, 'icmpv6.echo.sequence_number')));
    if (v.target !== undefined) eq('icmpv6.target', v.target, str(get(c, 'icmpv6.nd.ns.target_address') ?? get(c, 'icmpv6.nd.na.target_address')));
  }
  if (L.dns) {
    const d = get(t, 'dns') as OObject;
    const v = L.dns;
    const flags = num(get(d, 'dns.flags'))!;
    eq('dns.id', v.id, num(get(d, 'dns.id')));
    eq('dns.qr', v.qr, bool(find(d, 'dns.flags.response')));
    eq('dns.opcode', v.opcode, num(find(d, 'dns.flags.opcode')));
    eq('dns.aa', v.aa, (flags & 0x400) !== 0);
    eq('dns.tc', v.tc, bool(find(d, 'dns.flags.truncated')));
    eq('dns.rd', v.rd, bool(find(d, 'dns.flags.recdesired')));
    eq('dns.ra', v.ra, (flags & 0x80) !== 0);
    eq('dns.ad', v.ad, (flags & 0x20) !== 0);
    eq('dns.cd', v.cd, (flags & 0x10) !== 0);
    eq('dns.rcode', v.rcode, flags & 15);
    // UPDATE messages (opcode 5) name the sections zone, prerequisites, updates
    eq('dns.qdcount', v.qdcount, num(get(d, 'dns.count.queries') ?? get(d, 'dns.count.zones')));
    eq('dns.ancount', v.ancount, num(get(d, 'dns.count.answers') ?? get(d, 'dns.count.prerequisites')));
    eq('dns.nscount', v.nscount, num(get(d, 'dns.count.auth_rr') ?? get(d, 'dns.count.updates')));
    eq('dns.arcount', v.arcount, num(get(d, 'dns.count.add_rr')));
    const qs = (get(d, 'Queries') ?? get(d, 'Zone')) as OObject | undefined;
    const qlist = (qs?.entries ?? []).map(([, q]) => q as OObject);
    (v.questions as Array<Record<string, unknown>>).forEach((q, k) => {
      const tq = qlist[k];
      const name = str(get(tq, 'dns.qry.name'));
      eq(`dns.questions[${k}].name`, q.name, name === '<Root>' ? '' : name);
      eq(`dns.questions[${k}].type`, q.type, num(get(tq, 'dns.qry.type')));
      eq(`dns.questions[${k}].class`, q.class, num(get(tq, 'dns.qry.class')));
    });
    const as = get(d, 'Answers') as OObject | undefined;
    const alist = (as?.entries ?? []).map(([, a]) => a as OObject);
    (v.answers as Array<Record<string, unknown>>).forEach((a, k) => {
      const ta = alist[k];
      // SRV owners are split into service, proto and name by tshark
      const srv = str(get(ta, 'dns.srv.service'));
      const srvName = [srv, str(get(ta, 'dns.srv.proto')), str(get(ta, 'dns.srv.name'))].filter((x) => x !== undefined).join('.');
      const name = str(get(ta, 'dns.resp.name')) ?? (srv !== undefined ? srvName : undefined);
      eq(`dns.answers[${k}].name`, a.name, name === '<Root>' ? '' : name);
      eq(`dns.answers[${k}].type`, a.type, num(get(ta, 'dns.resp.type')));
      eq(`dns.answers[${k}].class`, a.class, num(get(ta, 'dns.resp.class')));
      eq(`dns.answers[${k}].ttl`, a.ttl, num(get(ta, 'dns.resp.ttl')));
      if (a.data !== undefined) {
        const td = get(ta, 'dns.a') ?? get(ta, 'dns.aaaa') ?? get(ta, 'dns.cname') ?? get(ta, 'dns.ns') ?? get(ta, 'dns.ptr.domain_name');
        eq(`dns.answers[${k}].data`, a.data, str(td));
      }
    });
  }
  if (L.ospf && !truncated) {
    // the header fields of SCHEMA.md's routing section (the body is checked field by field in proto-routing-ospf.test.ts)
    const o = get(t, 'ospf') as OObject;
    const v = L.ospf;
    eq('ospf.version', v.version, num(find(o, 'ospf.version')));
    eq('ospf.type', v.type, num(find(o, 'ospf.msg')));
    eq('ospf.length', v.length, num(find(o, 'ospf.packet_length')));
    eq('ospf.routerId', v.routerId, str(find(o, 'ospf.srcrouter')));
    eq('ospf.areaId', v.areaId, str(find(o, 'ospf.area_id')));
    eq('ospf.checksum', v.checksum, num(find(o, 'ospf.checksum')));
    if (v.authType !== undefined) eq('ospf.authType', v.authType, num(find(o, 'ospf.auth.type')));
    if (v.instanceId !== undefined) eq('ospf.instanceId', v.instanceId, num(find(o, 'ospf.instance_id')));
  }
  // key fields of the tunnel, LAN and transport layers placed beyond the base schema (the LAN control
  // protocols after LLC, ERSPAN, VXLAN-GPE, L2TP, PPTP, SSH, TLS and QUIC are compared field by field
  // in the test/decode/proto-*.test.ts their SCHEMA.md sections name)
  // the numeric fields [schema name, tshark name] of a placed layer, where the layer has them
  const nums = (name: string, o: Record<string, unknown>, tl: OJson | undefined, pairs: ReadonlyArray<readonly [string, string]>): void => {
    for (const [f, tf] of pairs) if (o[f] !== undefined) eq(`${name}.${f}`, o[f], num(find(tl, tf)));
  };
  if (L.llc && !truncated) {
    const l = get(t, 'llc');
    nums('llc', L.llc, l, [['dsap', 'llc.dsap'], ['ssap', 'llc.ssap'], ['control', 'llc.control'], ['oui', 'llc.oui']]);
  }
  if (L.pppoe) nums('pppoe', L.pppoe, get(t, 'pppoed') ?? get(t, 'pppoes'), [['code', 'pppoe.code'], ['sessionId', 'pppoe.session_id'], ['length', 'pppoe.payload_length']]);
  // tshark shows a PIMv1 message (IGMP type 0x14) under `pim`, its code and checksum as pim.code and pim.cksum
  if (L.igmp && L.igmp.type === 0x14) nums('igmp', L.igmp, get(t, 'pim'), [['maxResp', 'pim.code'], ['checksum', 'pim.cksum']]);
  // and DVMRP (type 0x13) under `dvmrp`
  else if (L.igmp && L.igmp.type === 0x13) nums('igmp', L.igmp, get(t, 'dvmrp'), [['type', 'dvmrp.type'], ['checksum', 'dvmrp.checksum']]);
  else if (L.igmp) nums('igmp', L.igmp, get(t, 'igmp'), [['type', 'igmp.type'], ['checksum', 'igmp.checksum']]);
  if (L.sctp) {
    const c = get(t, 'sctp');
    nums('sctp', L.sctp, c, [['srcPort', 'sctp.srcport'], ['dstPort', 'sctp.dstport'], ['vtag', 'sctp.verification_tag'], ['checksum', 'sctp.checksum']]);
    if (!truncated) eq('sctp.chunks', L.sctp.chunks, findAll(c, 'sctp.chunk_type').map((x) => num(x)));
  }
  if (L.gre) {
    const g = get(t, 'gre');
    nums('gre', L.gre, g, [['version', 'gre.flags.version'], ['protocol', 'gre.proto'], ['key', 'gre.key'], ['seq', 'gre.sequence_number']]);
    eq('gre.flags', L.gre.flags, num(find(g, 'gre.flags_and_version'))! & 0xfff8);
  }
  if (L.vxlan) {
    const x = get(t, 'vxlan');
    nums('vxlan', L.vxlan, x, [['vni', 'vxlan.vni']]);
    // tshark's flags field is 16 bits; the schema's is the first byte
    eq('vxlan.flags', L.vxlan.flags, num(find(x, 'vxlan.flags'))! >> 8);
  }
  if (L.geneve) nums('geneve', L.geneve, get(t, 'geneve'), [['vni', 'geneve.vni'], ['flags', 'geneve.flags'], ['protocol', 'geneve.proto_type']]);
  if (L.syslog) {
    const x = get(t, 'syslog');
    nums('syslog', L.syslog, x, [['facility', 'syslog.facility'], ['severity', 'syslog.level']]);
    eq('syslog.msg', L.syslog.msg, str(find(x, 'syslog.msg')));
  }
  // the LAN protocols and NSH (each compared field by field in the proto-lan2/lan3/services2 tests):
  // their header fields here, where tshark decodes the header whole
  if (!truncated) {
    if (L.ipx) nums('ipx', L.ipx, get(t, 'ipx'), [['checksum', 'ipx.checksum'], ['length', 'ipx.len'], ['hops', 'ipx.hops'], ['packetType', 'ipx.packet_type'], ['dstSocket', 'ipx.dst.socket'], ['srcSocket', 'ipx.src.socket']]);
    // the common header (tshark files the rest under each opcode's own tree, and leaves it empty for an unknown one)
    if (L.cfm) nums('cfm', L.cfm, get(t, 'cfm'), [['level', 'cfm.md.level'], ['version', 'cfm.version'], ['opcode', 'cfm.opcode']]);
    if (L.ctp) nums('ctp', L.ctp, get(t, 'loop'), [['skipCount', 'loop.skipcount']]);
    if (L.decnet) nums('decnet', L.decnet, get(t, 'dec_dna'), [['flags', 'dec_dna.flags']]);
    // the EtherTalk datagrams have no tshark DDP tree (see llap above)
    if (L.ddp && get(t, 'ddp') !== undefined) nums('ddp', L.ddp, get(t, 'ddp'), [['hops', 'ddp.hopcount'], ['length', 'ddp.len'], ['checksum', 'ddp.checksum'], ['type', 'ddp.type'], ['dstSocket', 'ddp.dst_socket'], ['srcSocket', 'ddp.src_socket']]);
    // tshark shows only the version of a version other than 1
    if (L.aoe) nums('aoe', L.aoe, get(t, 'aoe'), L.aoe.version === 1 ? [['version', 'aoe.version'], ['major', 'aoe.major'], ['minor', 'aoe.minor'], ['command', 'aoe.cmd'], ['tag', 'aoe.tag']] : [['version', 'aoe.version']]);
    // tshark fills no TIPC fields for the name distributor, the connection manager and unknown users
    if (L.tipc && find(get(t, 'tipc'), 'tipc.ver') !== undefined) nums('tipc', L.tipc, get(t, 'tipc'), [['version', 'tipc.ver'], ['user', 'tipc.usr'], ['headerSize', 'tipc.hdr_size'], ['messageSize', 'tipc.msg_size']]);
    if (L.macsec && !shortSectag) nums('macsec', L.macsec, get(t, 'macsec'), [['an', 'macsec.AN'], ['pn', 'macsec.PN'], ['tci', 'macsec.TCI']]);
    if (L.nsh) nums('nsh', L.nsh, get(t, 'nsh'), [['version', 'nsh.version'], ['ttl', 'nsh.ttl'], ['length', 'nsh.length'], ['mdType', 'nsh.mdtype'], ['nextProtocol', 'nsh.nextproto'], ['spi', 'nsh.spi'], ['si', 'nsh.si']]);
    // PPP's control frame in an L2TP data message: the protocol field the l2tp layer read
    if (L.pppctl && L.l2tp) nums('pppctl', L.pppctl, get(t, 'ppp'), [['protocol', 'ppp.protocol']]);
  }
  return checked;
}

describe('NDJSON sink against tshark', () => {
  // crafted-force.pcap exists for the text printer's -T and jumbogram lines: tshark guesses DNS on
  // UDP 5300 by heuristics and stops at a jumbogram's hop-by-hop header, where the schema's port and
  // length rules differ; it is not a JSON oracle input
  // linktype-slip.pcap: tshark 4.0 has no SLIP dissector (it shows WTAP_ENCAP 3 as unknown), so it
  // is no oracle for those records; test/decode/linktypes-print.test.ts checks SLIP against tcpdump
  const files = fixtureFiles().filter((f) => !f.endsWith('crafted-force.pcap') && !f.endsWith('linktype-slip.pcap'));
  it('has fixtures', () => {
    expect(files.length).toBeGreaterThan(10);
  });
  for (const file of files) {
    it(`${basename(file)}: every schema field equals tshark's`, () => {
      const f = readPcap(file);
      const fmt = new JsonFormatter({ nano: f.nano });
      const t = tsharkPackets(file);
      expect(t.length).toBe(f.packets.length);
      const mism: Mismatch[] = [];
      let checked = 0;
      f.packets.forEach((p, k) => {
        const line = fmt.line(p);
        const obj = JSON.parse(line) as Record<string, unknown>;
        checked += comparePacket(basename(file), obj, t[k]!, f.linkType, mism);
      });
      if (mism.length) console.log(mism.slice(0, 20).map((m) => `${m.file}#${m.index} ${m.field}: ours ${JSON.stringify(m.ours)} tshark ${JSON.stringify(m.theirs)}`).join('\n'));
      expect(checked).toBeGreaterThan(0);
      expect(mism).toEqual([]);
    });
  }
});
