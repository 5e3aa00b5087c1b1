#!/usr/bin/python3
"""Writes fixtures/linktype-*.pcap for the link types beyond Ethernet, cooked and raw IP: the same
IPv4/IPv6/ARP packets (crafted with scapy) under each link layer's own header, plus frames that only
that link layer has (LCP, SLARP, OSI NLPIDs, 802.11 management and control frames, radiotap
variants). Run with Debian's /usr/bin/python3 (python3-scapy): scripts/linktype-fixtures.py fixtures
"""
import struct
import sys

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Dot11, Dot11Beacon, Dot11Elt, Dot11ProbeReq, Dot11QoS,
                       ICMPv6EchoRequest, IPv6, IPv6ExtHdrFragment, LLC, SNAP, raw)

OUT = sys.argv[1] if len(sys.argv) > 1 else 'fixtures'

v4 = [
    IP(src='192.0.2.1', dst='198.51.100.7') / TCP(sport=40000, dport=80, flags='S'),
    IP(src='198.51.100.7', dst='192.0.2.1') / TCP(sport=80, dport=40000, flags='SA'),
    IP(src='192.0.2.1', dst='198.51.100.53') / UDP(sport=5353, dport=53) / b'\x12\x34\x01\x00',
    IP(src='192.0.2.9', dst='192.0.2.255') / ICMP(),
    IP(src='192.0.2.1', dst='224.0.0.5', proto=89) / b'\x02\x01\x00\x2c',
    IP(src='192.0.2.1', dst='198.51.100.7', flags='MF', frag=0) / UDP(sport=1, dport=2) / (b'x' * 40),
    IP(src='192.0.2.1', dst='198.51.100.7', frag=5) / (b'y' * 20),
    IP(src='192.0.2.1', dst='198.51.100.7', proto=47) / b'\x00\x00\x08\x00',
]
v6 = [
    IPv6(src='2001:db8::1', dst='2001:db8::2') / TCP(sport=40001, dport=443, flags='S'),
    IPv6(src='2001:db8::2', dst='ff02::1') / ICMPv6EchoRequest(),
    IPv6(src='fe80::1', dst='2001:db8::53') / UDP(sport=5353, dport=53) / b'\x00\x01',
    IPv6(src='2001:db8::1', dst='2001:db8::2') / IPv6ExtHdrFragment(nh=17) / UDP(sport=7, dport=9),
]
arp = [
    ARP(op=1, hwsrc='02:00:00:00:00:01', psrc='192.0.2.1', pdst='192.0.2.2'),
    ARP(op=2, hwsrc='02:00:00:00:00:02', psrc='192.0.2.2', hwdst='02:00:00:00:00:01', pdst='192.0.2.1'),
]
V4 = [raw(p) for p in v4]
V6 = [raw(p) for p in v6]
ARPS = [raw(p) for p in arp]
ISIS = bytes([0x83, 0x1b, 0x01, 0x00, 0x0f, 0x01, 0x00, 0x00]) + b'\x00' * 20
CLNP = bytes([0x81, 0x20, 0x01, 0x00]) + b'\x00' * 20
ESIS = bytes([0x82, 0x10, 0x01, 0x00, 0x02]) + b'\x00' * 12
DECNET = bytes([0x0b, 0x00, 0x02, 0x00, 0x00, 0xaa, 0x00, 0x04, 0x00, 0x02, 0x04, 0x00, 0x00]) + b'\x00' * 8


def pcap(name, linktype, frames):
    with open(f'{OUT}/linktype-{name}.pcap', 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, linktype))
        for i, fr in enumerate(frames):
            f.write(struct.pack('<IIII', 1700000000 + i, 0, len(fr), len(fr)))
            f.write(fr)


# PPP (9) and PPP in HDLC-like framing (50): address 0xff, control 0x03, protocol (RFC 1661/1662)
ppp = [b'\xff\x03\x00\x21' + p for p in V4] + [b'\xff\x03\x00\x57' + p for p in V6]
ppp += [b'\xff\x03\xc0\x21\x01\x01\x00\x0a\x05\x06\x12\x34\x56\x78',  # LCP Configure-Request
        b'\xff\x03\x80\x21\x01\x01\x00\x0a\x03\x06\xc0\x00\x02\x01',  # IPCP
        b'\xff\x03\x80\x57\x01\x01\x00\x0e\x01\x0a' + b'\x00' * 8,  # IPV6CP
        b'\xff\x03\x02\x81\x00\x01\x41\x40' + V4[0],  # MPLS unicast
        b'\xff\x03\x00\x23\xfe\xfe\x03' + ISIS, b'\xff\x03\x00\x23' + CLNP,
        b'\xff\x03\x00\x2b\xff\xff\x00\x1e' + b'\x00' * 26,  # IPX
        b'\xff\x03\x00\x27' + DECNET, b'\xff\x03\x00\x31' + b'\x00' * 36,  # bridging PDU
        b'\xff\x03\x00\x29' + b'\x00' * 12, b'\xff\x03\x00\x25' + b'\x00' * 12,
        b'\xff\x03\x00\x2d\x45\x00', b'\xff\x03\x00\x2f' + V4[1][:20],  # VJ compressed / uncompressed
        b'\xff\x03\x00', b'\xff']
pcap('ppp', 9, ppp)
pcap('ppp-hdlc', 50, ppp)

# Cisco HDLC (104): address (0x0f unicast, 0x8f broadcast), control 0, EtherType
chdlc = [b'\x0f\x00\x08\x00' + p for p in V4] + [b'\x8f\x00\x86\xdd' + p for p in V6]
chdlc += [b'\x8f\x00\x80\x35\x00\x00\x00\x00\xc0\x00\x02\x01\xff\xff\xff\x00\xff\xff',  # SLARP
          b'\x0f\x00\xfe\xfe\x00' + ISIS, b'\x0f\x00\xfe\xfe\x00' + ESIS, b'\x0f\x00\xfe\xfe\x00' + CLNP,
          b'\x0f\x00\x88\x47\x00\x01\x41\x40' + V4[2], b'\x0f\x00\x08\x06' + ARPS[0],
          b'\x8f\x00\x20\x00' + b'\x02\xb4' + b'\x00' * 20,  # CDP
          b'\x0f\x00\x60\x03' + DECNET, b'\x0f\x00']
pcap('chdlc', 104, chdlc)

# Frame Relay (107): 2-byte Q.922 address, UI control 0x03, NLPID (RFC 2427)
fr = [b'\x18\x41\x03\xcc' + p for p in V4] + [b'\x18\x41\x03\x8e' + p for p in V6]
fr += [b'\x18\x41\x03\x00\x80\x00\x00\x00\x08\x00' + V4[0],  # SNAP-encapsulated IPv4
       b'\x18\x41\x03' + ISIS, b'\x18\x41\x03' + CLNP, b'\x18\x41\x03' + ESIS,
       b'\x00\x01\x03\x08\x00\x75\x95\x01\x01\x00\x03\x02\x01\x00',  # Q.933 LMI
       b'\x18\x41']
pcap('frelay', 107, fr)

# SLIP (8): 16-byte pseudo-header, first byte the direction (0 received, 1 sent)
slip = [bytes([i % 2, 0x45]) + b'\x00' * 14 + p for i, p in enumerate(V4 + V6)]
slip += [b'\x01\x70' + b'\x00' * 14 + b'\x70\x01\x02', b'\x00' * 10]
pcap('slip', 8, slip)

# ARCNET: BSD (7) header source, destination, type; Linux (129) adds a 2-byte offset field
ARC = [(0xd4, V4[0]), (0xf0, V4[2]), (0xc4, V6[0]), (0xd5, ARPS[0]), (0xf1, ARPS[1]), (0xd6, ARPS[0]), (0xdd, b'\x00' * 20), (0xfa, b'\x00' * 10)]
pcap('arcnet', 7, [bytes([0x01 + i, 0x00 if i % 3 == 0 else 0x42, t, 0, 0, 0]) + p for i, (t, p) in enumerate(ARC)] + [b'\x01\x00'])
pcap('arcnet-linux', 129, [bytes([0x01 + i, 0x00 if i % 3 == 0 else 0x42, 0, 0, t, 0, 0, 0]) + p for i, (t, p) in enumerate(ARC)] + [b'\x01\x00\x00'])

# MTP2 (140) and MTP2 with a 4-byte pseudo-header (139): FISU, LSSU, MSUs (SIO, routing label)
mtp2 = [b'\x81\x80\x00', b'\x81\x80\x01\x02', b'\x81\x80\x3f\x03' + b'\x00' * 4 + b'\x01\x02\x03\x04\x05\x06\x07\x08',
        b'\x81\x80\x0a\x83\x12\x34\x56\x78\x9a', b'\x81\x80\x0a\x85\x01\x40\x00\x20\x00\x01\x02\x03', b'\x81\x80\x0a\x08\xff\xff\xff\xff\x00']
pcap('mtp2', 140, mtp2)
pcap('mtp2-phdr', 139, [b'\x00\x00\x01\x00' + m for m in mtp2])

# NFLOG (239): family, version, resource id, then TLVs (payload TLV type 9)
nflog = [bytes([2, 0]) + b'\x00\x05' + struct.pack('<HH', len(p) + 4, 9) + p for p in V4] + \
        [bytes([10, 0]) + b'\x00\x05' + struct.pack('<HH', len(p) + 4, 9) + p for p in V6]
pcap('nflog', 239, nflog)

# IEEE 802.11 (105), with radiotap (127) and PPI (192) headers
A, B, C, D = '02:00:00:00:00:0a', '02:00:00:00:00:0b', '02:00:00:00:00:0c', '02:00:00:00:00:0d'
BC = 'ff:ff:ff:ff:ff:ff'
snap = lambda t: LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0, code=t)
wlan = [
    Dot11(type=0, subtype=8, addr1=BC, addr2=A, addr3=A) / Dot11Beacon() / Dot11Elt(ID=0, info=b'lab'),
    Dot11(type=0, subtype=4, addr1=BC, addr2=B, addr3=BC) / Dot11ProbeReq() / Dot11Elt(ID=0, info=b''),
    Dot11(type=0, subtype=11, addr1=A, addr2=B, addr3=A) / b'\x00\x00\x01\x00\x00\x00',
    Dot11(type=0, subtype=12, addr1=B, addr2=A, addr3=A) / b'\x07\x00',
    Dot11(type=1, subtype=13, addr1=A),  # ACK
    Dot11(type=1, subtype=11, addr1=A, addr2=B),  # RTS
    Dot11(type=1, subtype=12, addr1=B),  # CTS
    Dot11(type=2, subtype=0, FCfield='to-DS', addr1=A, addr2=B, addr3=C) / snap(0x0800) / v4[0],
    Dot11(type=2, subtype=0, FCfield='from-DS', addr1=B, addr2=A, addr3=C) / snap(0x0800) / v4[1],
    Dot11(type=2, subtype=0, FCfield=0, addr1=B, addr2=C, addr3=A) / snap(0x86dd) / v6[0],
    Dot11(type=2, subtype=0, FCfield='to-DS+from-DS', addr1=A, addr2=B, addr3=C, addr4=D) / snap(0x0800) / v4[2],
    Dot11(type=2, subtype=8, FCfield='to-DS', addr1=A, addr2=B, addr3=BC) / Dot11QoS() / snap(0x0806) / arp[0],
    Dot11(type=2, subtype=8, FCfield='from-DS', addr1='01:00:5e:00:00:05', addr2=A, addr3=C) / Dot11QoS() / snap(0x0800) / v4[4],
    Dot11(type=2, subtype=8, FCfield='from-DS', addr1='33:33:00:00:00:01', addr2=A, addr3=B) / Dot11QoS() / snap(0x86dd) / v6[1],
    Dot11(type=2, subtype=4, FCfield='to-DS', addr1=A, addr2=B, addr3=C),  # null data
    Dot11(type=2, subtype=0, FCfield='to-DS', addr1=A, addr2=B, addr3=C) / LLC(dsap=0x42, ssap=0x42, ctrl=3) / (b'\x00' * 30),
    Dot11(type=2, subtype=0, FCfield='to-DS+protected', addr1=A, addr2=B, addr3=C) / (b'\x00\x11\x22\x33\x44\x55\x66\x77' + b'z' * 30),
]
WLAN = [raw(w) for w in wlan] + [b'\x08\x01\x00']
pcap('ieee80211', 105, WLAN)


def radiotap(present, fields):
    return struct.pack('<BBHI', 0, 0, 8 + len(fields), present) + fields


def padded(frame):
    """The same data frame with 2 pad bytes after a 26-byte (QoS) header, as DATAPAD radiotap frames carry it."""
    return frame[:26] + b'\x00\x00' + frame[26:]


rt = []
for i, w in enumerate(WLAN):
    kind = i % 4
    if kind == 0:
        rt.append(radiotap(0, b'') + w)
    elif kind == 1:
        rt.append(radiotap(0x2, b'\x00') + w)  # Flags only
    elif kind == 2:
        rt.append(radiotap(0x3, struct.pack('<QB', 123456, 0)) + w)  # TSFT + Flags
    else:
        rt.append(radiotap(0x0000000e, b'\x10\x02\x6c\x09\xa0\x00') + w)  # Flags(FCS) + Rate + Channel
qos = [w for w in WLAN if len(w) > 26 and w[0] == 0x88]
rt += [radiotap(0x2, b'\x20') + padded(w) for w in qos]  # DATAPAD
rt += [radiotap(0x3, struct.pack('<QB', 1, 0x20)) + padded(w) for w in qos]
rt += [radiotap(0x80000002, struct.pack('<I', 0) + b'\x20') + w for w in qos]  # extended bitmap
rt += [b'\x00\x00\x08', b'\x00\x00\x40\x00']
pcap('radiotap', 127, rt)

ppi = [struct.pack('<BBHI', 0, 0, 8, 105) + w for w in WLAN]
ppi += [struct.pack('<BBHI', 0, 0, 8, 1) + b'\xff' * 12 + b'\x08\x00' + V4[0]]  # PPI carrying Ethernet
pcap('ppi', 192, ppi)

# Raw IP (101): IPv6 packets with long extension header chains, for `protochain` (libpcap follows the
# chain in a loop; tscap unrolls it PROTOCHAIN_DEPTH times)
from scapy.all import IPv6ExtHdrDestOpt, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting  # noqa: E402


def chain(n, last):
    p = IPv6(src='2001:db8::1', dst='2001:db8::2') / IPv6ExtHdrHopByHop()
    for i in range(n - 1):
        p = p / (IPv6ExtHdrDestOpt() if i % 2 == 0 else IPv6ExtHdrRouting())
    return raw(p / last)


long_chains = [chain(n, TCP(sport=1, dport=80)) for n in (7, 8, 9, 12, 20, 31, 32, 33, 40)]
long_chains += [chain(n, UDP(sport=1, dport=53)) for n in (10, 30)]
with open(f'{OUT}/crafted-protochain.pcap', 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 101))
    for i, fr in enumerate(long_chains):
        f.write(struct.pack('<IIII', 1700000100 + i, 0, len(fr), len(fr)))
        f.write(fr)

# Ethernet (1): DECnet Phase IV routing headers (short and long format, with and without a padding
# byte) between addresses area.node, for `decnet host`, `decnet src`, `decnet dst`
def dn(area, node):
    v = ((area << 10) | node) & 0xffff
    return bytes([v & 0xff, v >> 8])


def dn_frame(body):
    return b'\xaa\x00\x04\x00\x02\x04\xaa\x00\x04\x00\x03\x04\x60\x03' + struct.pack('<H', len(body)) + body


decnet = []
for dst, src in (((1, 2), (3, 4)), ((10, 1023), (1, 2)), ((63, 1), (64, 1)), ((0, 0), (1, 1)), ((1, 1024), (2, 1))):
    d, s = dn(*dst), dn(*src)
    decnet += [dn_frame(b'\x02' + d + s + b'\x00' * 8),
               dn_frame(b'\x81\x02' + d + s + b'\x00' * 8),
               dn_frame(b'\x06\x00\x00\xaa\x00\x04\x00' + d + b'\x00\x00\xaa\x00\x04\x00' + s + b'\x00' * 8),
               dn_frame(b'\x81\x06\x00\x00\xaa\x00\x04\x00' + d + b'\x00\x00\xaa\x00\x04\x00' + s + b'\x00' * 8)]
with open(f'{OUT}/crafted-decnet.pcap', 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
    for i, fr in enumerate(decnet):
        f.write(struct.pack('<IIII', 1700000200 + i, 0, len(fr), len(fr)))
        f.write(fr)
