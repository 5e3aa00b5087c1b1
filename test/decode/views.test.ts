/** Views and helpers against hand-computed values from the RFCs (no tool output involved). */
import { describe, expect, it } from 'vitest';
import * as D from '../../src/decode/index.js';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

describe('address text', () => {
  it('IPv6 follows RFC 5952 section 4', () => {
    const cases: Array<[string, string]> = [
      ['20010db8000000000000000000000001', '2001:db8::1'],
      ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed (4.2.2)
      ['20010000000000010000000000000001', '2001:0:0:1::1'], // the longest run is compressed (4.2.3)
      ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'], // the first of two equal runs (4.2.3)
      ['00000000000000000000ffffc0000201', '::ffff:192.0.2.1'], // IPv4-mapped (5)
      ['00000000000000000000000000000000', '::'],
      ['00000000000000000000000000000001', '::1'],
      ['20010DB8AAAABBBBCCCCDDDDEEEEFFFF', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff'], // lower case (4.3)
    ];
    for (const [h, text] of cases) expect(D.ipv6Text(hex(h), 0)).toBe(text);
  });
  it('MAC and IPv4 text', () => {
    expect(D.macText(hex('0a1b2c3d4e5f'), 0)).toBe('0a:1b:2c:3d:4e:5f');
    expect(D.ipv4Text(hex('c0000201'), 0)).toBe('192.0.2.1');
  });
});

describe('views', () => {
  // a textbook IPv4 header (checksum 0xb861 computed by RFC 1071 ones' complement sum)
  const ip = hex('4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7');
  it('IPv4 fields and checksum', () => {
    const v = new D.Ipv4View();
    expect(v.reset(ip, 0, ip.length)).toBe(D.DecodeStatus.Ok);
    expect([v.headerLen, v.totalLen, v.df, v.mf, v.ttl, v.proto, v.checksum]).toEqual([20, 0x73, true, false, 64, 17, 0xb861]);
    expect(v.headerChecksumOk()).toBe(true);
    expect(D.ipv4Repr(v).flags).toEqual(['DF']);
  });
  it('statuses: short is Truncated, contradictions are Malformed', () => {
    expect(new D.EthernetView().reset(new Uint8Array(13), 0, 13)).toBe(D.DecodeStatus.Truncated);
    expect(new D.Ipv4View().reset(hex('43000014'), 0, 4)).toBe(D.DecodeStatus.Truncated);
    expect(new D.Ipv4View().reset(hex('4300 0014 0000 0000 4006 0000 0a000001 0a000002'), 0, 20)).toBe(D.DecodeStatus.Malformed);
    const tcp = hex('0001 0002 00000003 00000004 3002 ffff 0000 0000');
    expect(new D.TcpView().reset(tcp, 0, tcp.length)).toBe(D.DecodeStatus.Malformed);
    expect(new D.UdpView().reset(hex('0001000200'), 0, 5)).toBe(D.DecodeStatus.Truncated);
  });
  it('TCP flags and MPLS/VLAN bit fields', () => {
    const tcp = hex('9c40 0050 00000001 00000000 5012 faf0 0000 0000');
    const t = new D.TcpView();
    t.reset(tcp, 0, tcp.length);
    expect(D.tcpFlagNames(t.flags)).toEqual(['SYN', 'ACK']);
    const m = new D.MplsView();
    m.reset(hex('000c8b40'), 0, 4); // label 200, TC 5, S, TTL 64
    expect([m.label, m.tc, m.s, m.ttl]).toEqual([200, 5, true, 64]);
    const vl = new D.VlanView();
    vl.reset(hex('b064 0800'), 0, 4, 0x8100); // PCP 5, DEI 1, VID 100
    expect([vl.pcp, vl.dei, vl.id, vl.etherType]).toEqual([5, true, 100, 0x800]);
  });
  it('DNS names follow compression pointers backwards only', () => {
    // header, question www.example.org A IN, answer name = pointer to offset 12
    const msg = hex('1234 8180 0001 0001 0000 0000 03777777 076578616d706c65 036f7267 00 0001 0001 c00c 0001 0001 0000003c 0004 5db8d822');
    const d = new D.DnsView();
    d.reset(msg, 0, msg.length);
    const r = D.dnsRepr(d);
    expect(r.questions).toEqual([{ name: 'www.example.org', type: 1, class: 1 }]);
    expect(r.answers).toEqual([{ name: 'www.example.org', type: 1, class: 1, ttl: 60, data: '93.184.216.34' }]);
    // a pointer forward (to itself) is refused
    expect(D.dnsNameText(hex('c000'), 0, 0, 2)).toBeNull();
  });
  it('the layer parser records each header once, outermost first', () => {
    const frame = hex('020000000002 020000000001 8100 0064 0800' + '4500001c00014000401100000a0000010a000002' + '1f90003500080000');
    const p = new D.LayerParser();
    expect(p.decode(frame, 0, frame.length, 1)).toBe(5);
    expect(Array.from(p.kinds.subarray(0, 5), (k) => D.LAYER_NAMES[k])).toEqual(['eth', 'vlan', 'ipv4', 'udp', 'dns']);
    expect(p.status[4]).toBe(D.DecodeStatus.Truncated); // the UDP payload is empty: DNS header cut
    expect(p.truncated).toBe(true);
  });
});
