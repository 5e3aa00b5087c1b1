#!/usr/bin/python3
"""Crafted frames for printer behaviour checked against tcpdump 4.99 (needs scapy: Debian's /usr/bin/python3
with python3-scapy). Writes three files:
  /usr/bin/python3 scripts/print-fixtures.py fixtures/crafted-print.pcap fixtures/crafted-delta-nano.pcap fixtures/crafted-force.pcap
crafted-print: DNS EDNS (OPT, cookies, extended response codes, -vv sections), ICMPv6 parameter problem
codes, IGMPv3 max response codes, IPv6 routing headers (checksums over the final destination), MPTCP and
experimental TCP options, TCP Fast Open, Geneve options, ESP in UDP 4500 and NAT keepalives, IPv6 jumbo
payload options, TCP RST text. crafted-delta-nano: nanosecond stamps for -ttt/-ttttt. crafted-force:
VXLAN and DNS on other ports for -T, and the IPv6 jumbograms. Addresses are TEST-NET (192.0.2.0/24) and fd00::/8."""
import sys
from scapy.all import (ICMP, Ether, IP, IPv6, UDP, TCP, Raw, DNS, DNSQR, DNSRR, DNSRROPT, EDNS0TLV, ICMPv6ParamProblem,
                       IPv6ExtHdrRouting, IPv6ExtHdrHopByHop, Jumbo, PadN, wrpcap, ICMPv6EchoRequest)
from scapy.contrib.igmpv3 import IGMPv3, IGMPv3mq
from scapy.contrib.geneve import GENEVE
from scapy.layers.ipsec import ESP

A, B = '192.0.2.1', '192.0.2.2'
A6, B6, C6 = 'fd00::1', 'fd00::2', 'fd00::3'
E = lambda: Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02')
pk = []
# DNS: query with OPT (DO, cookie), response with BADCOOKIE (extended rcode 1 << 4 | 7 = 23) and OPT
opt_q = DNSRROPT(rclass=4096, z=0x8000, rdata=[EDNS0TLV(optcode=10, optdata=bytes.fromhex('0102030405060708'))])
pk.append(E() / IP(src=A, dst=B) / UDP(sport=40000, dport=53) / DNS(id=0x1234, rd=1, qd=DNSQR(qname='example.com', qtype='A'), ar=opt_q))
opt_r = DNSRROPT(rclass=4096, extrcode=1, z=0x8000, rdata=[EDNS0TLV(optcode=10, optdata=bytes.fromhex('0102030405060708' + '1112131415161718'))])
pk.append(E() / IP(src=B, dst=A) / UDP(sport=53, dport=40000) / DNS(id=0x1234, qr=1, rd=1, ra=1, rcode=7, qd=DNSQR(qname='example.com', qtype='A'), ar=opt_r))
pk.append(E() / IP(src=B, dst=A) / UDP(sport=53, dport=40000) / DNS(id=0x1235, qr=1, rd=1, ra=1, rcode=0, qd=DNSQR(qname='example.com', qtype='A'),
          an=DNSRR(rrname='example.com', type='A', rdata='192.0.2.9', ttl=300), ar=DNSRROPT(rclass=1232)))
for rc, ext in [(0, 1), (1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (8, 1), (15, 15)]:
    pk.append(E() / IP(src=B, dst=A) / UDP(sport=53, dport=40001) / DNS(id=0x2000 + rc, qr=1, rcode=rc, qd=DNSQR(qname='x.example'), ar=DNSRROPT(rclass=512, extrcode=ext)))
# ICMPv6 parameter problem codes 0-10 (RFC 4443, 7112, 8883, 9098)
for code in range(0, 11):
    pk.append(E() / IPv6(src=A6, dst=B6) / ICMPv6ParamProblem(code=code, ptr=40) / IPv6(src=B6, dst=A6) / UDP(sport=1, dport=2))
# IGMPv3 queries, max response codes below and above 128
for mrc in [10, 100, 127, 128, 129, 200, 255]:
    pk.append(E() / IP(src=A, dst='224.0.0.1', ttl=1) / IGMPv3(type=0x11, mrcode=mrc) / IGMPv3mq(gaddr='0.0.0.0'))
    pk.append(E() / IP(src=A, dst='224.0.0.1', ttl=1) / IGMPv3(type=0x11, mrcode=mrc) / IGMPv3mq(gaddr='239.1.2.3', srcaddrs=['192.0.2.7']))
# IPv6 with a routing header: checksums over the final destination (right and wrong)
for rt in [0, 2]:
    ex = IPv6ExtHdrRouting(type=rt, addresses=[C6], segleft=1)
    pk.append(E() / IPv6(src=A6, dst=B6) / ex / UDP(sport=1000, dport=2000) / Raw(b'abcd'))
    pk.append(E() / IPv6(src=A6, dst=B6) / ex / TCP(sport=1000, dport=2000, flags='S', seq=1))
    # checksums computed by scapy against the final destination; also one computed against dst
    u = IPv6(src=A6, dst=B6) / UDP(sport=1000, dport=2000) / Raw(b'abcd')
    wrong = bytes(u[UDP])
    pk.append(E() / IPv6(src=A6, dst=B6) / IPv6ExtHdrRouting(type=rt, addresses=[C6], segleft=1, nh=17) / Raw(wrong))
    pk.append(E() / IPv6(src=A6, dst=B6) / ex / ICMPv6EchoRequest(id=1, seq=2))
# MPTCP and experimental TCP options
def tcpo(opts, flags='S'):
    return E() / IP(src=A, dst=B) / TCP(sport=5000, dport=80, flags=flags, seq=100, ack=1 if 'A' in flags else 0, options=opts)
mp = [
    bytes([0x00, 0x81]),  # MP_CAPABLE v1 SYN (len 4)
    bytes([0x00, 0x81]) + bytes.fromhex('0102030405060708'),  # MP_CAPABLE v1 key (len 12)
    bytes([0x00, 0x01]) + bytes.fromhex('0102030405060708') + bytes.fromhex('1112131415161718'),  # v0 two keys (len 20)
    bytes([0x10, 0x01]) + bytes.fromhex('0000000100000002'),  # MP_JOIN SYN (len 12)
    bytes([0x10, 0x00]) + bytes.fromhex('0102030405060708') + bytes.fromhex('0a0b0c0d'),  # MP_JOIN SYN/ACK (len 16)
    bytes([0x20, 0x01]) + bytes.fromhex('01020304'),  # DSS data ack 4 bytes (len 8)
    bytes([0x20, 0x05]) + bytes.fromhex('01020304') + bytes.fromhex('05060708') + bytes.fromhex('090a0b0c') + bytes.fromhex('000a'),  # DSS ack + map (len 20)
    bytes([0x30, 0x05]) + bytes.fromhex('c0000209') + bytes.fromhex('0102030405060708'),  # ADD_ADDR v1 IPv4 + hmac (len 16)
    bytes([0x40, 0x07]),  # REMOVE_ADDR (len 4)
    bytes([0x50, 0x03]),  # MP_PRIO backup id 3 (len 4)
    bytes([0x60, 0x00]) + bytes.fromhex('0102030405060708'),  # MP_FAIL (len 12)
    bytes([0x70, 0x00]) + bytes.fromhex('0102030405060708'),  # MP_FASTCLOSE (len 12)
    bytes([0x80, 0x01]),  # MP_TCPRST (len 4)
    bytes([0xf0, 0x00]),  # unknown subtype
]
for m in mp:
    pk.append(tcpo([(30, m)], flags='SA' if m[0] >> 4 == 1 and len(m) == 14 else 'S'))
pk.append(tcpo([(254, bytes.fromhex('f989') + b'\x01\x02')]))
pk.append(tcpo([(253, bytes.fromhex('4e47') + b'\x01')]))
pk.append(tcpo([(254, b'\x00')]))
pk.append(tcpo([(254, b'')]))
# Geneve with options
gopt = bytes.fromhex('0101' + '01' + '02') + bytes.fromhex('0a0b0c0d0e0f1011') + bytes.fromhex('ffff' + '80' + '01') + bytes.fromhex('01020304')
g = GENEVE(vni=0x123, proto=0x6558, optionlen=len(gopt) // 4, options=gopt)
pk.append(E() / IP(src=A, dst=B) / UDP(sport=12345, dport=6081) / g / Ether(src='02:00:00:00:00:03', dst='02:00:00:00:00:04') / IP(src='198.51.100.1', dst='198.51.100.2') / UDP(sport=1, dport=2))
g2 = GENEVE(vni=0x456, proto=0x0800, critical=1, optionlen=2, options=bytes.fromhex('0104' + '05' + '01') + bytes.fromhex('deadbeef'))
pk.append(E() / IP(src=A, dst=B) / UDP(sport=12345, dport=6081) / g2 / IP(src='198.51.100.1', dst='198.51.100.2') / UDP(sport=1, dport=2))
# VXLAN on a port other than 4789 (for -T vxlan) and DNS on a high port (for -T domain)
from scapy.layers.vxlan import VXLAN
pk.append(E() / IP(src=A, dst=B) / UDP(sport=33333, dport=9999) / VXLAN(vni=77) / Ether(src='02:00:00:00:00:05', dst='02:00:00:00:00:06') / IP(src='198.51.100.1', dst='198.51.100.2') / ICMP())
pk.append(E() / IP(src=A, dst=B) / UDP(sport=33334, dport=5300) / DNS(id=9, rd=1, qd=DNSQR(qname='t.example')))
# ESP in UDP 4500, a NAT keepalive and a non-ESP (IKE) marker
pk.append(E() / IP(src=A, dst=B) / UDP(sport=4500, dport=4500) / ESP(spi=0x1001, seq=7, data=b'\x00' * 24))
pk.append(E() / IP(src=A, dst=B) / UDP(sport=4500, dport=4500) / Raw(b'\xff'))
# IPv6 jumbo payload option (payload length 0) and other hop-by-hop options
hbh = IPv6ExtHdrHopByHop(options=[Jumbo(jumboplen=80)])
pk.append(E() / IPv6(src=A6, dst=B6, plen=0) / hbh / UDP(sport=1, dport=2, len=0) / Raw(b'\x00' * 64))
jumbo = E() / IPv6(src=A6, dst=B6, plen=0) / IPv6ExtHdrHopByHop(options=[Jumbo(jumboplen=70008)]) / UDP(sport=1, dport=2, len=0) / Raw(b'\x00' * 70000)
pk.append(jumbo)
pk.append(E() / IPv6(src=A6, dst=B6) / IPv6ExtHdrHopByHop(options=[PadN(optdata=b'\x00\x00\x00\x00')]) / UDP(sport=1, dport=2))
# TCP RST with payload text (and a non-printable byte)
pk.append(E() / IP(src=A, dst=B) / TCP(sport=5000, dport=5001, flags='R', seq=5) / Raw(b'connection reset: no listener'))
pk.append(E() / IP(src=A, dst=B) / TCP(sport=5000, dport=5001, flags='RA', seq=5, ack=9) / Raw(b'bad\x01state\r\n'))

o = DNSRROPT(rclass=4096, z=0, rdata=[EDNS0TLV(optcode=3, optdata=b''), EDNS0TLV(optcode=10, optdata=bytes(8)), EDNS0TLV(optcode=12, optdata=bytes(4)), EDNS0TLV(optcode=65001, optdata=b'\x01\x02')])
pk.append(E()/IP(src=A,dst=B)/UDP(sport=40000,dport=53)/DNS(id=1,rd=1,qd=DNSQR(qname='a.example'),ar=o))
o2 = DNSRROPT(rclass=4096, version=1, rdata=[EDNS0TLV(optcode=8, optdata=bytes.fromhex('00011800c00002'))])
pk.append(E()/IP(src=A,dst=B)/UDP(sport=40000,dport=53)/DNS(id=2,rd=1,qd=DNSQR(qname='a.example'),ar=o2))
pk.append(E()/IP(src=B,dst=A)/UDP(sport=53,dport=40000)/DNS(id=3,qr=1,qd=DNSQR(qname='a.example'),an=DNSRR(rrname='a.example',rdata='192.0.2.5'),ns=DNSRR(rrname='example',type='NS',rdata='ns.example'),ar=[DNSRR(rrname='ns.example',rdata='192.0.2.53'),DNSRROPT(rclass=1232)]))
pk.append(E()/IP(src=A,dst=B)/UDP(sport=40000,dport=53)/DNS(id=4,rd=1,qd=DNSQR(qname='a.example'),an=DNSRR(rrname='a.example',rdata='192.0.2.5'),ns=DNSRR(rrname='example',type='NS',rdata='ns.example')))
def tcpo2(opts, flags='A'):
    return E() / IP(src=A, dst=B) / TCP(sport=5000, dport=80, flags=flags, seq=100, ack=1 if 'A' in flags else 0, options=opts)
pk.append(tcpo2([(254, bytes.fromhex('1234') + b'\x01\x02')],'S'))
pk.append(tcpo2([(254, bytes.fromhex('f989'))],'S'))
pk.append(tcpo2([(254, bytes.fromhex('f989')+bytes(8))],'S'))
pk.append(tcpo2([(34, b'')],'S'))
pk.append(tcpo2([(34, bytes(8))],'S'))
pk.append(tcpo2([(34, bytes(3))],'S'))
for m in [bytes([0x20, 0x01]) + bytes.fromhex('01020304'), bytes([0x20, 0x05]) + bytes.fromhex('01020304') + bytes.fromhex('05060708') + bytes.fromhex('090a0b0c') + bytes.fromhex('000a'),
          bytes([0x20, 0x04]) + bytes.fromhex('05060708') + bytes.fromhex('090a0b0c') + bytes.fromhex('000a') + bytes.fromhex('abcd'),
          bytes([0x20, 0x1f]) + bytes.fromhex('0102030405060708') + bytes.fromhex('1112131415161718') + bytes.fromhex('090a0b0c') + bytes.fromhex('000a'),
          bytes([0x31, 0x05]) + bytes.fromhex('c0000209'),
          bytes([0x30, 0x05]) + bytes.fromhex('c0000209') + bytes.fromhex('1f90'),
          bytes([0x00, 0x81]) + bytes.fromhex('0102030405060708') + bytes.fromhex('1112131415161718'),
          bytes([0x01, 0x81]) + bytes.fromhex('0102030405060708'),
          bytes([0x10, 0x00]) + bytes(20),
          bytes([0x40, 0x07, 0x08]),
          bytes([0x51, 0x03])]:
    pk.append(tcpo2([(30, m)]))
pk.append(tcpo2([(30, bytes([0x01, 0x81]))],'S'))
pk.append(tcpo2([(30, bytes([0x11, 0x01]) + bytes.fromhex('0000000100000002'))],'S'))
for i, p in enumerate(pk):
    p.time = 1700000000 + i * 0.001
wrpcap(sys.argv[1], [p for p in pk if not ((UDP in p and p[UDP].dport in (9999, 5300)) or (IPv6 in p and p[IPv6].plen == 0))], snaplen=262144)
print(len(pk))
# a nanosecond file whose deltas differ when taken before or after truncating to microseconds
import struct
if len(sys.argv) > 2:
    frame = bytes(Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / IP(src=A, dst=B) / UDP(sport=7, dport=9) / Raw(b'x'))
    stamps = [(1700000000, 999), (1700000000, 1001), (1700000000, 2999), (1700000000, 999999999), (1700000001, 1), (1700000002, 500), (1700000001, 999)]
    # crafted-force: the frames for -T and the jumbograms (text only: tshark decodes these differently
    # from the JSON schema's rules, see test/decode/json-oracle.test.ts)
    special = [p for p in pk if (UDP in p and p[UDP].dport in (9999, 5300)) or (IPv6 in p and p[IPv6].plen == 0)]
    wrpcap(sys.argv[3], special, snaplen=262144)
    with open(sys.argv[2], 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b23c4d, 2, 4, 0, 0, 262144, 1))
        for s_, ns in stamps:
            f.write(struct.pack('<IIII', s_, ns, len(frame), len(frame)) + frame)
