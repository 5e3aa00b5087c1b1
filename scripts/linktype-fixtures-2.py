#!/usr/bin/python3
"""Writes fixtures/links/*.pcap: several packets per serial and legacy link type (PPP, PPP in HDLC
framing, Cisco HDLC with SLARP, Frame Relay with Q.933 link management, SLIP with RFC 1144 headers,
ARCNET BSD and Linux, MTP2 with and without its pseudo-header), the PPP control protocols (LCP, IPCP,
IP6CP, CCP, PAP, CHAP, multilink) with their options, and truncated and malformed frames (some
records have a capture length below the wire length). The inner IP packets are crafted with scapy.
Run with Debian's /usr/bin/python3 (python3-scapy): scripts/linktype-fixtures-2.py fixtures/links
"""
import os
import struct
import sys

from scapy.all import ICMP, IP, TCP, UDP, ICMPv6EchoRequest, IPv6, raw

OUT = sys.argv[1] if len(sys.argv) > 1 else 'fixtures/links'
os.makedirs(OUT, exist_ok=True)

V4 = [raw(p) for p in (
    IP(src='192.0.2.1', dst='198.51.100.7', id=1) / TCP(sport=40000, dport=80, flags='S', seq=1000),
    IP(src='198.51.100.7', dst='192.0.2.1', id=2) / TCP(sport=80, dport=40000, flags='SA', seq=5000, ack=1001),
    IP(src='192.0.2.1', dst='198.51.100.9', id=3) / UDP(sport=40001, dport=9) / (b'u' * 12),
    IP(src='192.0.2.9', dst='192.0.2.1', id=4) / ICMP(type=8, id=7, seq=1) / (b'p' * 8),
)]
V6 = [raw(p) for p in (
    IPv6(src='2001:db8::1', dst='2001:db8::2') / TCP(sport=40001, dport=443, flags='S', seq=77),
    IPv6(src='2001:db8::2', dst='2001:db8::1') / ICMPv6EchoRequest(id=3, seq=4),
)]
# ARP over ARCNET: hardware type 7, 1-byte station ids
ARPS = [struct.pack('>HHBBH', 7, 0x0800, 1, 4, 1) + b'\x01' + bytes([192, 0, 2, 1]) + b'\x00' + bytes([192, 0, 2, 2]),
        struct.pack('>HHBBH', 7, 0x0800, 1, 4, 2) + b'\x02' + bytes([192, 0, 2, 2]) + b'\x01' + bytes([192, 0, 2, 1])]


def pcap(name, linktype, frames):
    """frames: bytes, or (bytes, wire length) for a record cut by the snapshot length."""
    with open(f'{OUT}/{name}.pcap', 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, linktype))
        for i, fr in enumerate(frames):
            data, wire = (fr, len(fr)) if isinstance(fr, bytes) else fr
            f.write(struct.pack('<IIII', 1700000000 + i, i * 1000, len(data), wire))
            f.write(data)


def cp(code, ident, body=b''):
    """An RFC 1661 control packet: code, identifier, length, body."""
    return struct.pack('>BBH', code, ident, 4 + len(body)) + body


def opt(t, v=b''):
    return bytes([t, 2 + len(v)]) + v


ip4 = lambda a: bytes(int(x) for x in a.split('.'))

LCP_OPTS = (opt(1, b'\x05\xdc') + opt(2, b'\x00\x00\x00\x00') + opt(3, b'\xc0\x23') + opt(5, b'\x12\x34\x56\x78') + opt(7) + opt(8))
LCP_OPTS2 = (opt(3, b'\xc2\x23\x05') + opt(13, b'\x06') + opt(17, b'\x05\xd4') + opt(19, b'\x03\x02\x00\x00\x00\x00\x01')
             + opt(19, b'\x02' + ip4('192.0.2.1')) + opt(23, b'\x00\x01') + opt(4, b'\xc0\x25') + opt(9, b'\x01') + opt(31, b'\xaa'))
CONTROL = [
    (0xc021, cp(1, 1, LCP_OPTS)),
    (0xc021, cp(1, 2, LCP_OPTS2)),
    (0xc021, cp(2, 1, LCP_OPTS)),
    (0xc021, cp(3, 2, opt(1, b'\x05\xd4'))),
    (0xc021, cp(4, 3, opt(3, b'\xc2\x23\x80') + opt(0, b'\x00\x00\x0c\x01'))),
    (0xc021, cp(1, 4)),  # a null Configure-Request
    (0xc021, cp(5, 5, b'bye')),
    (0xc021, cp(6, 5)),
    (0xc021, cp(7, 6, b'\x10\x01\x00\x04')),
    (0xc021, cp(8, 7, b'\x80\x2b\x01\x01\x00\x04')),
    (0xc021, cp(9, 8, b'\x12\x34\x56\x78')),
    (0xc021, cp(10, 8, b'\x9a\xbc\xde\xf0' + b'trailing')),
    (0xc021, cp(11, 9, b'\x12\x34\x56\x78')),
    (0xc021, cp(12, 10, b'\x12\x34\x56\x78' + b'pppd 2.4.9')),
    (0xc021, cp(13, 11, b'\x12\x34\x56\x78\x00\x00\x0e\x10')),
    (0xc021, cp(0, 12, b'\x12\x34\x56\x78\x00\x00\x0c\x01\x02')),
    (0xc021, cp(14, 13, b'\x01\x02')),  # an opcode LCP does not use
    (0xc021, struct.pack('>BBH', 1, 14, 2) + b'\x01\x04'),  # encoded length < 4
    (0xc021, struct.pack('>BBH', 1, 15, 40) + opt(1, b'\x05\xdc')),  # encoded length > packet
    (0xc021, cp(1, 16, opt(1, b'\x05') + opt(5, b'\x00\x00\x00\x01'))),  # bogus MRU length
    (0x8021, cp(1, 1, opt(3, ip4('0.0.0.0')) + opt(129, ip4('0.0.0.0')) + opt(131, ip4('0.0.0.0')))),
    (0x8021, cp(3, 1, opt(3, ip4('192.0.2.10')) + opt(129, ip4('198.51.100.53')) + opt(131, ip4('198.51.100.54')))),
    (0x8021, cp(2, 2, opt(3, ip4('192.0.2.10')) + opt(2, b'\x00\x2d\x0f\x01'))),
    (0x8021, cp(1, 3, opt(2, b'\x00\x61\x00\x0f\x00\x10\x00\x20\x00\x05\x00\x28' + opt(1) + opt(2)) + opt(1, ip4('192.0.2.1') + ip4('192.0.2.2')))),
    (0x8021, cp(4, 4, opt(130, ip4('192.0.2.3')) + opt(99, b'\x01\x02'))),
    (0x8021, cp(5, 5)),
    (0x8057, cp(1, 1, opt(1, b'\x02\x00\x5e\xff\xfe\x00\x53\x01'))),
    (0x8057, cp(2, 1, opt(1, b'\x02\x00\x5e\xff\xfe\x00\x53\x01'))),
    (0x8057, cp(3, 2, opt(1, b'\x00\x00\x00\x00\x00\x00\x00\x02') + opt(2, b'\x00\x01'))),
    (0x80fd, cp(1, 1, opt(21, b'\x2f') + opt(26, b'\x78\x00') + opt(24, b'\x65\x02') + opt(18, b'\x00\x00\x00\x01'))),
    (0x80fd, cp(14, 2)),
    (0xc023, cp(1, 1, b'\x05alice\x06secret')),
    (0xc023, cp(2, 1, b'\x07Welcome')),
    (0xc023, cp(3, 2, b'\x06Denied')),
    (0xc023, cp(1, 3, b'\x03bob')),  # password length missing
    (0xc223, cp(1, 1, b'\x10' + bytes(range(16)) + b'server')),
    (0xc223, cp(2, 1, b'\x10' + bytes(range(16, 32)) + b'alice')),
    (0xc223, cp(3, 1, b'Welcome')),
    (0xc223, cp(4, 2, b'E=691 R=0')),
    (0x003d, b'\x80\x00\x01\x00' + V4[2][:20]),
    (0x003d, b'\x40\x00\x02\x01' + b'tail'),
]


def ppp_frames(hdr):
    """One frame per payload with the RFC 1662 address and control, then the protocol."""
    return [hdr + struct.pack('>H', proto) + body for proto, body in CONTROL]


FF03 = b'\xff\x03'
ip_frames = [FF03 + b'\x00\x21' + p for p in V4] + [FF03 + b'\x00\x57' + p for p in V6]
ppp9 = list(ip_frames)
ppp9 += [b'\x00\x03\x00\x21' + V4[0], b'\x01\x03\x00\x21' + V4[1],  # pppd direction markers
         b'\x00\x21' + V4[2],  # address and control compressed away
         b'\xff\x03\x21' + V4[3],  # protocol field compressed
         b'\x21' + V4[0],  # both compressed
         b'\x01\x03\xc0\x21' + cp(9, 20, b'\x00\x00\x00\x01'),
         b'\x00\x03\xc0\x21' + cp(10, 20, b'\x00\x00\x00\x02')]
ppp9 += ppp_frames(FF03)
ppp9 += [FF03 + b'\x02\x01' + b'\x00' * 6,  # HELLO: named, not decoded
         FF03 + b'\x12\x34' + b'\xab' * 5,  # unknown protocol
         FF03 + b'\x00\xfd' + b'\x01\x02',  # compressed datagram
         FF03 + b'\x02\x81' + b'\x00\x01\x41\x40' + V4[0]]  # MPLS
ppp9 += [(FF03 + b'\x00\x21' + V4[0][:30], 4 + len(V4[0])),  # cut inside TCP
         (FF03 + b'\xc0\x21' + cp(1, 30, LCP_OPTS)[:9], 4 + len(cp(1, 30, LCP_OPTS))),  # cut inside the options
         (FF03 + b'\xc0\x21' + b'\x01', 30),  # cut inside the LCP header
         (FF03 + b'\xc0\x23' + b'\x01\x01', 20), (FF03 + b'\xc2\x23' + b'\x01\x01', 20),
         FF03 + b'\xc0\x21\x01', FF03 + b'\xc0\x23', FF03 + b'\xc2\x23\x01\x02', b'\xff\x03\x00']
pcap('ppp', 9, ppp9)

hdlc = list(ip_frames) + ppp_frames(FF03)
hdlc += [b'\x0f\x00\x08\x00' + V4[1], b'\x8f\x00\x86\xdd' + V6[1],  # Cisco HDLC inside PPP_HDLC
         b'\x0f\x00\x80\x35' + struct.pack('>I', 0) + ip4('0.0.0.0') * 2 + b'\x00\x00',
         b'\x01\x02\x00\x21' + V4[0],  # unknown address
         FF03 + b'\x12\x34\x00', b'\xff\x03\x00', b'\xff']
hdlc += [(FF03 + b'\x00\x57' + V6[0][:44], 4 + len(V6[0]))]
pcap('ppp-hdlc', 50, hdlc)

SLARP_REQ = struct.pack('>I', 0) + ip4('0.0.0.0') * 2 + b'\x00\x00'
SLARP_REPLY = struct.pack('>I', 1) + ip4('192.0.2.1') + ip4('255.255.255.252') + b'\x00\x00'
SLARP_KEEP = struct.pack('>IIIH', 2, 0x10, 0x0f, 0xffff)
chdlc = [b'\x0f\x00\x08\x00' + p for p in V4] + [b'\x8f\x00\x86\xdd' + p for p in V6]
chdlc += [b'\x8f\x00\x80\x35' + SLARP_REQ, b'\x0f\x00\x80\x35' + SLARP_REPLY, b'\x8f\x00\x80\x35' + SLARP_KEEP,
          b'\x8f\x00\x80\x35' + SLARP_KEEP + struct.pack('>I', 93784000),  # with the uptime stamp
          b'\x8f\x00\x80\x35' + SLARP_KEEP + struct.pack('>I', 61000) + b'junk',  # trailing junk
          b'\x8f\x00\x80\x35' + struct.pack('>I', 7) + b'\x00' * 10,  # unknown code
          b'\x8f\x00\x80\x35' + b'\x00\x00\x00\x00\x00',  # short
          b'\x0f\x00\x88\x47' + b'\x00\x01\x41\x40' + V4[2],  # MPLS
          b'\x0f\x00\x08\x06' + b'\x00' * 28, b'\x0f\x00\x90\x00' + b'\x00' * 10,  # not decoded by tcpdump
          (b'\x0f\x00\x08\x00' + V4[3][:24], 4 + len(V4[3])), b'\x0f\x00\x08', b'\x0f']
pcap('chdlc', 104, chdlc)


def q922(dlci, cr=0, fecn=0, becn=0, de=0):
    return bytes([((dlci >> 4) << 2) | (cr << 1), ((dlci & 0xf) << 4) | (fecn << 3) | (becn << 2) | (de << 1) | 1])


def q922_3(dlci):
    """A 3-byte Q.922 address (10 + 6 bits of DLCI) and its flags byte."""
    hi = dlci >> 6
    return bytes([((hi >> 4) << 2), ((hi & 0xf) << 4), ((dlci & 0x3f) << 2) | 1])


# Q.933 messages: call reference length 1 (dummy 0), message type, IEs
# Q.933 messages after the NLPID: call reference length and value, message type, an optional shift, IEs
ANSI_ENQ = b'\x08\x00\x75\x95\x01\x01\x01\x03\x02\x05\x04'  # Status Enquiry, link verify
ANSI_FULL = (b'\x08\x00\x7d\x95\x01\x01\x00\x03\x02\x06\x05'  # Status, full report
             b'\x07\x03\x06\xc1\x82\x07\x03\x18\xa1\x8a\x07\x03\x06\x41\x82')  # two PVCs and a bad one
CCITT_ENQ = b'\x08\x01\x00\x75\x51\x01\x01\x53\x02\x07\x06'  # dummy call reference, codeset 0
CCITT_FULL = b'\x08\x01\x05\x7d\x51\x01\x00\x53\x02\x08\x07\x57\x04\x06\x01\xfe\x82\x57\x02\x00\x00'
Q933_SHIFT = b'\x08\x00\x75\x9d\x01\x01\x00\x03\x02\x01\x02'  # non-locking shift to codeset 5
Q933_OTHER = b'\x08\x01\x01\x05\x04\x03\x88\x90\xa2'  # Setup, an IE tcpdump only dumps
fr = [q922(100) + b'\x03\xcc' + p for p in V4] + [q922(100) + b'\x03\x8e' + p for p in V6]
fr += [q922(16, cr=1, fecn=1) + b'\x03\xcc' + V4[1], q922(17, becn=1, de=1) + b'\x03\xcc' + V4[2],
       q922(100) + b'\x03\x00\x80\x00\x00\x00\x08\x00' + V4[0],  # padded SNAP
       q922_3(1000) + b'\x03\x00\xcc' + V4[3],  # 3-byte address with pad
       q922_3(1001) + b'\x03\xcc' + V4[3],  # 3-byte address without pad
       q922(200) + b'\x08\x00' + V4[0],  # Cisco encapsulation, EtherType after the address
       q922(0) + b'\x03' + ANSI_ENQ, q922(0) + b'\x03' + ANSI_FULL, q922(0) + b'\x03' + CCITT_ENQ,
       q922(0) + b'\x03' + CCITT_FULL, q922(0) + b'\x03' + Q933_SHIFT, q922(0) + b'\x03' + Q933_OTHER,
       (q922(0) + b'\x03' + ANSI_FULL[:14], 3 + len(ANSI_FULL)),
       q922(100) + b'\x03\x09' + b'\x00\x75\x01\x01\x01',  # LMI: not decoded, dumped
       b'\x19\x41\x03\xcc' + V4[0][:20],  # extension bit in the first byte: invalid address
       (q922(100) + b'\x03\xcc' + V4[0][:16], 4 + len(V4[0])), q922(0) + b'\x03\x08\x00', b'\x18\x41\x03']
pcap('frelay', 107, fr)


def slip(direction, chdr, packet):
    return bytes([direction]) + chdr.ljust(15, b'\x00') + packet


tcp4 = V4[0]
utcp_hdr = bytes([0x70]) + tcp4[1:9] + b'\x05' + tcp4[10:15]  # connection 5 in the protocol field
sl = [slip(i % 2, b'\x40', p) for i, p in enumerate(V4 + V6)]
sl += [slip(0, utcp_hdr, tcp4), slip(1, utcp_hdr, V4[1]),
       slip(0, b'\xcf\x05\x12\x34\x01\x02\x03\x04\x05', tcp4 + b'data'),  # ctcp, new conn, U W A S I
       slip(0, b'\x8b\xab\xcd', tcp4 + b'more'),  # SPECIAL_I (S W U)
       slip(0, b'\x8f\xab\xcd', tcp4),  # SPECIAL_D
       slip(0, b'\x82\xab\xcd\x00\xff\xf0', tcp4),  # negative window change in the long form
       slip(1, b'\x88\x00\x00\x00\x01\x00', tcp4),  # long sequence change
       slip(2, b'\x40', V4[2]), slip(0, b'\x30', V4[2]),  # bad direction, unknown type
       slip(0, b'\x40', b'\x70\x00\x00'), (slip(1, b'\x40', V4[0][:24]), 16 + len(V4[0])), b'\x00' * 10]
pcap('slip', 8, sl)


def arc(src, dst, t, payload, flag=0, seq=0):
    return bytes([src, dst, t, flag]) + struct.pack('>H', seq) + payload


arcnet = [arc(1, 0, 212, V4[0]), arc(2, 1, 212, V4[1], seq=0x1234), arc(3, 0, 0xc4, V6[0]), arc(4, 0, 213, ARPS[0]),
          arc(5, 4, 214, ARPS[1]), bytes([6, 0, 240]) + V4[2], bytes([7, 0, 241]) + ARPS[0],
          arc(8, 1, 212, V4[3][:12], flag=3, seq=7), arc(8, 1, 212, V4[3][12:], flag=2, seq=7),
          bytes([9, 1, 212, 0xff, 0, 0, 0, 0, 0, 9]) + V4[2],  # exception packet, 10-byte header
          arc(10, 0, 0x99, b'\x00\x01\x02\x03'), (arc(11, 0, 212, V4[0][:26]), 6 + len(V4[0])),
          b'\x01\x00', b'\x01\x00\xd4\x00', b'\x01\x00\xd4\xff\x00\x00\x00']
pcap('arcnet', 7, arcnet)
arcl = [bytes([1, 0, 0, 0, 212, 0, 0, 0]) + V4[0], bytes([2, 1, 0, 0, 0xc4, 0, 0, 0]) + V6[1],
        bytes([3, 0, 0, 0, 213, 0, 0, 0]) + ARPS[0], bytes([4, 0, 0, 0, 240]) + V4[2],
        bytes([5, 0, 0, 0, 0x99, 0, 0, 0]) + b'\xaa\xbb', (bytes([6, 0, 0, 0, 212, 0, 0, 0]) + V4[1][:22], 8 + len(V4[1])),
        b'\x01\x00\x00\x00', b'\x01\x00\x00\x00\xd4\x00']
pcap('arcnet-linux', 129, arcl)

label = struct.pack('<I', (5 << 28) | (1234 << 14) | 567)
mtp2 = [b'\x81\x80\x00', b'\x05\x83\x00', b'\x81\x80\x01\x02', b'\x81\x80\x02\x01\x00',
        b'\x81\x81\x0b\x83' + label + b'\x10\x11\x12\x13\x14\x15', b'\x02\x03\x08\x85' + label + b'\x00\x01\x02\x03',
        b'\x81\x80\x3f\x03' + label + bytes(range(64)), (b'\x81\x80\x0a\x83\x12', 13), b'\x81']
pcap('mtp2', 140, mtp2)
pcap('mtp2-phdr', 139, [b'\x00\x00\x01\x00' + m if isinstance(m, bytes) else (b'\x00\x00\x01\x00' + m[0], m[1] + 4) for m in mtp2]
     + [b'\x01\x01\x02\x01' + mtp2[4], b'\x00\x00\x01\x00'])
