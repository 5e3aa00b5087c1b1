#!/usr/bin/python3
"""Writes fixtures/links/{frelay-lmi,frelay-frf,ppp-ml,ppp-hdlc-ml}.pcap: Frame Relay link management
(Q.933 Annex A and ANSI T1.617 Annex D on DLCI 0, the Cisco LMI on DLCI 1023) with every information
element tcpdump decodes, unknown IEs and codesets, cut and malformed messages; FRF.15 fragments (NLPID
0xb1) and PPP (with multilink) inside Frame Relay; PPP multilink fragment headers with short and long
sequence numbers and every begin/end flag pair, on LINKTYPE_PPP and PPP in HDLC framing.
Run with Debian's /usr/bin/python3 (python3-scapy): scripts/linktype-fixtures-3.py fixtures/links
"""
import os
import struct
import sys

from scapy.all import IP, TCP, UDP, Ether, IPv6, raw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import pcap_write  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else 'fixtures/links'
os.makedirs(OUT, exist_ok=True)

V4 = [raw(p) for p in (
    IP(src='192.0.2.1', dst='198.51.100.7', id=1) / TCP(sport=40000, dport=80, flags='S', seq=1000),
    IP(src='192.0.2.1', dst='198.51.100.9', id=3) / UDP(sport=40001, dport=9) / (b'u' * 40),
)]


def pcap(name, linktype, frames):
    """frames: bytes, or (bytes, wire length) for a record cut by the snapshot length. Each record has a
    second of its own (the filter test names records by their second)."""
    pcap_write(f'{OUT}/{name}.pcap', linktype, frames, step_us=1001000)


def q922(dlci, cr=0, fecn=0, becn=0, de=0):
    return bytes([((dlci >> 4) << 2) | (cr << 1), ((dlci & 0xf) << 4) | (fecn << 3) | (becn << 2) | (de << 1) | 1])


def cut(frame, n):
    return (frame[:n], len(frame))


def ie(i, body):
    return bytes([i, len(body)]) + body


def pvc2(dlci, new=0, active=1):
    """PVC status body with a 2-byte Q.922 DLCI (T1.617 Annex D / Q.933 Annex A)."""
    return bytes([(dlci >> 4) & 0x3f, ((dlci & 0xf) << 3) | 0x80, 0x80 | (new << 3) | (active << 1)])


def pvc3(dlci, new=0, active=1):
    """With a 3-byte address: 10 + 6 bits of DLCI."""
    hi = dlci >> 6
    return bytes([(hi >> 4) & 0x3f, (hi & 0xf) << 3, 0x80 | ((dlci & 0x3f) << 1), 0x80 | (new << 3) | (active << 1)])


def pvc4(dlci, new=0, active=1):
    """With a 4-byte address: 10 + 7 + 6 bits of DLCI."""
    hi = dlci >> 13
    return bytes([(hi >> 4) & 0x3f, (hi & 0xf) << 3, (dlci >> 6) & 0x7f, 0x80 | ((dlci & 0x3f) << 1), 0x80 | (new << 3) | (active << 1)])


DLCI0 = q922(0) + b'\x03\x08'
ANSI = b'\x95'          # locking shift to codeset 5
# Annex D (ANSI): call reference 0, message type, shift, report type, link verify, PVC status
ansi = [
    DLCI0 + b'\x00\x75' + ANSI + ie(0x01, b'\x00') + ie(0x03, b'\x01\x00'),  # full status enquiry
    DLCI0 + b'\x00\x75' + ANSI + ie(0x01, b'\x01') + ie(0x03, b'\xff\xfe'),  # link verify enquiry
    DLCI0 + b'\x00\x7d' + ANSI + ie(0x01, b'\x00') + ie(0x03, b'\x02\x01') + ie(0x07, pvc2(16)) + ie(0x07, pvc2(17, new=1)) +
    ie(0x07, pvc2(1007, active=0)) + ie(0x07, pvc2(500, new=1, active=0)),
    DLCI0 + b'\x00\x7d' + ANSI + ie(0x01, b'\x02') + ie(0x07, pvc2(99, new=1)),  # async PVC status
    DLCI0 + b'\x00\x7d' + ANSI + ie(0x01, b'\x07') + ie(0x19, b'\x05\x06'),  # unknown report type, IE 0x19
    DLCI0 + b'\x00\x7d' + ANSI + ie(0x07, pvc3(5000)) + ie(0x07, pvc4(300000, new=1)) + ie(0x07, pvc3(70, active=0)),
    # invalid forms: short link verify, long report type, PVC IEs of bad lengths and extension bits
    DLCI0 + b'\x00\x7d' + ANSI + ie(0x03, b'\x01') + ie(0x01, b'\x00\x01') + ie(0x07, b'\x01\x02') + ie(0x07, b'\x81\x82\x82'),
    DLCI0 + b'\x00\x7d' + ANSI + ie(0x07, b'\x01\x02\x82') + ie(0x07, b'\x01\x82\x02\x82') + ie(0x07, b'\x01\x02\x82\x02\x82') +
    ie(0x07, b'\x01\x02\x02\x02\x02\x82'),
    # unknown IEs in codeset 5 and 0, a single-octet IE, a shift to codeset 6 and its unknown IE
    DLCI0 + b'\x00\x7d' + ANSI + ie(0x20, b'\xaa\xbb') + b'\xa1' + ie(0x51, b'\x00') + b'\x96' + ie(0x03, b'\x01\x02') + ie(0x44, b'\x10'),
    DLCI0 + b'\x00\x75' + ie(0x33, b'\x01\x02\x03') + ie(0x01, b'\x01'),  # codeset 0 with ANSI's IE numbers
    DLCI0 + b'\x00\x7d' + ANSI + ie(0x01, b'\x00') + b'\x00\x03\x01',  # IE 0 ends the walk
    DLCI0 + b'\x00\x7d' + ANSI + ie(0x01, b'\x00') + b'\x03\x00\x07\x03',  # IE of length 0
    DLCI0 + b'\x00\x7d' + ANSI + ie(0x03, b'\x01\x02') + b'\x07\x09\x00\x10',  # IE longer than the message
    DLCI0 + b'\x00\x7d' + ANSI + ie(0x03, b'\x01\x02') + b'\x07',  # IE without its length
]
# Annex A (CCITT/ITU): codeset 0, IEs 0x51, 0x53, 0x57
ccitt = [
    DLCI0 + b'\x00\x75' + ie(0x51, b'\x00') + ie(0x53, b'\x0a\x09'),
    DLCI0 + b'\x00\x75' + ie(0x51, b'\x01') + ie(0x53, b'\x80\x7f'),
    DLCI0 + b'\x00\x7d' + ie(0x51, b'\x00') + ie(0x53, b'\x0b\x0a') + ie(0x57, pvc2(100)) + ie(0x57, pvc2(101, new=1, active=0)) + ie(0x57, pvc3(2000, new=1)),
    DLCI0 + b'\x00\x7d' + ie(0x51, b'\x02') + ie(0x57, pvc2(1022)),
    DLCI0 + b'\x01\x00\x7d' + ie(0x51, b'\x01') + ie(0x53, b'\x01\x01'),  # dummy call reference
    DLCI0 + b'\x02\x12\x34\x75' + ie(0x51, b'\x01'),  # 2-byte call reference
    DLCI0 + b'\x01\x05\x7d' + ie(0x51, b'\x01'),  # call reference 5
    DLCI0 + b'\x00\x99' + ie(0x51, b'\x01'),  # unknown message type
    DLCI0 + b'\x00\x4d' + ie(0x08, b'\x80\x90') + ie(0x1e, b'\x82'),  # Release: IEs tcpdump dumps
    DLCI0 + b'\x00\x05' + b'\x9d' + ie(0x01, b'\x00') + ie(0x51, b'\x00'),  # non-locking shift to 5 for one IE
    DLCI0 + b'\x00\x75',  # no IEs
    DLCI0 + b'\x00',  # no message type
    DLCI0,  # nothing after the NLPID
]
# cut by the snapshot length: in the call reference, before the message type, in an IE header and body
full = DLCI0 + b'\x00\x7d' + ANSI + ie(0x01, b'\x00') + ie(0x03, b'\x02\x01') + ie(0x07, pvc2(16)) + ie(0x07, pvc2(17))
cuts = [cut(full, n) for n in (4, 5, 6, 7, 8, 10, 12, 14, 17, 20)]
cuts += [cut(DLCI0 + b'\x02\x12\x34\x75' + ie(0x51, b'\x01'), 6)]
# Cisco ("gang of four") LMI: DLCI 1023, protocol discriminator 0x09, call reference 0, IEs 0x01 report type,
# 0x03 keepalive, 0x07 PVC status (DLCI, status, 3 bytes of bandwidth)
DLCI1023 = q922(1023) + b'\x03\x09'
cisco = [
    DLCI1023 + b'\x00\x75' + ie(0x01, b'\x01') + ie(0x03, b'\x12\x11'),
    DLCI1023 + b'\x00\x7d' + ie(0x01, b'\x00') + ie(0x03, b'\x13\x12') + ie(0x07, pvc2(100) + b'\x00\x00\x00') +
    ie(0x07, pvc2(101, new=1) + b'\x00\x00\x40') + ie(0x07, pvc2(1022, active=0) + b'\x00\x00\x00'),
    DLCI1023 + b'\x00\x7d' + ie(0x01, b'\x01') + ie(0x03, b'\xff\x00'),
    q922(1023, cr=1) + b'\x03\x09\x00\x75' + ie(0x01, b'\x00') + ie(0x03, b'\x01\x00'),
    DLCI1023 + b'\x00\x75' + ie(0x51, b'\x01') + ie(0x53, b'\x12\x11'),  # Annex A IE numbers: not LMI's
    cut(DLCI1023 + b'\x00\x7d' + ie(0x01, b'\x00') + ie(0x03, b'\x13\x12'), 7),
    DLCI1023 + b'\x00',
    # Q.933 on DLCI 1023 and LMI on DLCI 0: tcpdump goes by the NLPID alone
    q922(1023) + b'\x03\x08\x00\x75' + ie(0x51, b'\x01') + ie(0x53, b'\x03\x02'),
    q922(0) + b'\x03\x09\x00\x75' + ie(0x01, b'\x01') + ie(0x03, b'\x03\x02'),
]
pcap('frelay-lmi', 107, ansi + ccitt + cuts + cisco)


def frf15(b, e, c, seq, iface=0):
    return bytes([(b << 7) | (e << 6) | (c << 5) | ((seq >> 8) & 0xf) << 1 | iface, seq & 0xff])


FR100 = q922(100) + b'\x03'
frf = [
    FR100 + b'\xb1' + frf15(1, 0, 0, 1) + b'\x03\xcc' + V4[1][:20],
    FR100 + b'\xb1' + frf15(0, 0, 0, 2) + V4[1][20:40],
    FR100 + b'\xb1' + frf15(0, 1, 0, 3) + V4[1][40:],
    FR100 + b'\xb1' + frf15(1, 1, 0, 0xabc) + b'\x03\xcc' + V4[0],
    FR100 + b'\xb1' + frf15(1, 1, 1, 0x123, iface=1) + b'\x03\xcc' + V4[0],
    FR100 + b'\xb1' + frf15(0, 0, 1, 0xfff, iface=1) + b'\x00',
    FR100 + b'\xb1' + b'\x80', FR100 + b'\xb1',
    cut(FR100 + b'\xb1' + frf15(1, 0, 0, 7) + b'\x03\xcc' + V4[0], 6),
    q922(100) + b'\x03\x00\xb1' + frf15(1, 1, 0, 9) + b'\x03\xcc' + V4[0],  # with a pad byte
    # PPP in Frame Relay (RFC 1973): IP, LCP and multilink fragments
    FR100 + b'\xcf' + b'\x00\x21' + V4[0],
    FR100 + b'\xcf' + b'\xc0\x21' + b'\x09\x01\x00\x08\x00\x00\x00\x01',
    FR100 + b'\xcf' + b'\x00\x3d' + b'\xc0\x12\x34\x56' + V4[0][:20],
    FR100 + b'\xcf' + b'\x00\x3d' + b'\x81\x23' + V4[0][:20],
]
pcap('frelay-frf', 107, frf)

FF03 = b'\xff\x03'
# RFC 1990: long sequence numbers (flags byte, 24-bit number) and short ones (flags and 12 bits)
ml = [b'\x00\x3d' + b'\xc0\x00\x00\x01' + V4[0], b'\x00\x3d' + b'\x80\x00\x00\x02' + V4[1][:30],
      b'\x00\x3d' + b'\x00\x00\x00\x03' + V4[1][30:50], b'\x00\x3d' + b'\x40\x00\x00\x04' + V4[1][50:],
      b'\x00\x3d' + b'\x80\xab\xcd\xef' + b'\x21' + V4[0],  # 24-bit sequence number above 0xfff
      b'\x00\x3d' + b'\xc0\x05' + V4[0], b'\x00\x3d' + b'\x8f\xff' + V4[1][:30],
      b'\x00\x3d' + b'\x4a\xbc' + V4[1][30:], b'\x00\x3d' + b'\x0f\x01' + b'\x00' * 8,
      b'\x00\x3d' + b'\x3f\xff', b'\x00\x3d' + b'\x80', b'\x00\x3d']
ppp = [FF03 + f for f in ml] + [b'\x3d' + ml[0][2:], ml[5]]  # compressed protocol, no address and control
ppp += [cut(FF03 + ml[0], 5), cut(FF03 + ml[0], 6)]
pcap('ppp-ml', 9, ppp)
pcap('ppp-hdlc-ml', 50, [FF03 + f for f in ml] + [cut(FF03 + ml[5], 5)])


# FRF.16 multilink Frame Relay (LINKTYPE_MFR): control messages with their IEs, and fragments
def mfr_ctl(msg, *ies):
    return b'\xe1\x00' + bytes([msg]) + b''.join(bytes([t, len(v) + 2]) + v for t, v in ies)


def mfr_frag(b, e, seq):
    return bytes([(b << 7) | (e << 6) | ((seq >> 8) & 0xf) << 1 | 1, seq & 0xff])


mfr = [
    mfr_ctl(1, (1, b'bundle-1\x00'), (2, b'link-a'), (3, b'\x12\x34\x56\x78')),
    mfr_ctl(2, (1, b'bundle-1'), (2, b'link\x01\xe9'), (3, b'\xde\xad\xbe\xef')),
    mfr_ctl(3, (1, b'bundle-1'), (7, b'\x05')),
    mfr_ctl(4, (3, b'\x01\x02\x03'), (5, b'\x00' * 8)),
    mfr_ctl(5, (3, b'\x00\x00\x00\x01'), (6, b'\x00\x00\x0c\x01\x02'), (9, b'\xaa\xbb')),
    mfr_ctl(6, (2, b'x' * 60)),
    # Timestamp IEs of 16 bytes: a struct timeval as x86-64 stores it (two little-endian 64-bit words)
    mfr_ctl(4, (5, struct.pack('<qq', 1700000100, 250000))), mfr_ctl(5, (5, struct.pack('<qq', 1600000000, 999999))),
    mfr_ctl(4, (5, struct.pack('<qq', 0x80000001, 5))),
    mfr_ctl(7), mfr_ctl(0x20, (1, b'b')),
    mfr_ctl(4, (3, b'\x00\x00\x00\x02')) + b'\x05\x02\x00',  # IE length 2 ends the walk
    mfr_ctl(4) + b'\x00\x04\x01\x02',  # IE type 0
    mfr_ctl(4) + b'\x01\x09ab',  # IE longer than the frame
    cut(mfr_ctl(1, (1, b'bundle-1'), (2, b'link-a')), 15), cut(mfr_ctl(1, (1, b'bundle-1')), 4),
    mfr_frag(1, 1, 5) + q922(100) + b'\x03\xcc' + V4[0],  # a whole frame
    mfr_frag(1, 0, 6) + q922(100) + b'\x03\xcc' + V4[1][:30],  # first fragment
    mfr_frag(0, 0, 7) + V4[1][30:50], mfr_frag(0, 1, 0xfff) + V4[1][50:],
    mfr_frag(1, 1, 8) + q922(200) + b'\x08\x00' + V4[0],  # Cisco encapsulation inside
    mfr_frag(1, 1, 9) + b'\x19\x41\x03\xcc',  # invalid address inside
    mfr_frag(1, 0, 10) + q922(0) + b'\x03\x08\x00\x75\x95\x01\x01\x01',  # Q.933 inside
    cut(mfr_frag(1, 1, 11) + q922(100) + b'\x03\xcc' + V4[0], 12),
    cut(mfr_frag(1, 1, 12) + q922(100) + b'\x03\x77' + b'\x00' * 20, 12),  # undecoded NLPID, dump cut
    b'\xc1\x05\x18', b'\xe1', b'\xc1\x05\x18\x41\x03',
]
pcap('mfr', 182, mfr)


# EIGRP (RFC 7868) over IPv4 (protocol 88) and in AppleTalk DDP datagrams of type 88, on Ethernet
def eigrp(op, tlvs, flags=0, seq=0, ack=0, asn=100, ver=2, vrid=0):
    body = b''.join(struct.pack('>HH', t, len(v) + 4) + v for t, v in tlvs)
    return struct.pack('>BBHIIIHH', ver, op, 0x1234, flags, seq, ack, vrid, asn) + body


def ip_int(prefix, plen, nexthop='0.0.0.0', delay=2560000, bw=256, mtu=1500, hop=0, rel=255, load=1):
    n = (plen + 7) // 8
    return (inet(nexthop) + struct.pack('>II', delay, bw) + mtu.to_bytes(3, 'big') + bytes([hop, rel, load]) + b'\x00\x00' +
            bytes([plen]) + inet(prefix)[:n])


def ip_ext(prefix, plen, nexthop='0.0.0.0', origin='192.0.2.99', asn=65001, tag=7, metric=20, proto=3, flags=0):
    n = (plen + 7) // 8
    return (inet(nexthop) + inet(origin) + struct.pack('>III', asn, tag, metric) + b'\x00\x00' + bytes([proto, flags]) +
            struct.pack('>II', 28160, 100000) + (1500).to_bytes(3, 'big') + bytes([1, 255, 1]) + b'\x00\x00' + bytes([plen]) + inet(prefix)[:n])


def inet(a):
    return bytes(int(x) for x in a.split('.'))


PARAMS = (0x0001, bytes([1, 0, 1, 0, 0, 0]) + struct.pack('>H', 15))
SWVER = (0x0004, bytes([12, 4, 1, 2]))
AT_CABLE = (0x0204, struct.pack('>HHI', 100, 110, 0x0a0b0c0d))
AT_INT = (0x0202, b'\x00\x00\x00\x00' + struct.pack('>II', 2560000, 256) + (4470).to_bytes(3, 'big') + bytes([1, 200, 3]) + b'\x00\x00' + struct.pack('>HH', 200, 210))
AT_INT2 = (0x0202, struct.pack('>HH', 100, 5) + struct.pack('>II', 100, 10000) + (1500).to_bytes(3, 'big') + bytes([2, 255, 1]) + b'\x00\x00' + struct.pack('>HH', 300, 300))
AT_EXT = (0x0203, struct.pack('>HH', 100, 6) + struct.pack('>III', 0x01020304, 7, 9) + bytes([4, 0x40]) + struct.pack('>H', 3) +
          struct.pack('>II', 5000, 64) + (600).to_bytes(3, 'big') + bytes([3, 250, 9]) + b'\x00\x00' + struct.pack('>HH', 400, 410))
messages = [
    eigrp(5, [PARAMS, SWVER]),
    eigrp(5, [PARAMS], flags=0x0000000f, seq=0, ack=17),
    eigrp(1, [(0x0102, ip_int('198.51.100.0', 24)), (0x0102, ip_int('10.0.0.0', 8, '192.0.2.2', hop=1)), (0x0102, ip_int('192.0.2.128', 25)),
              (0x0102, ip_int('203.0.113.7', 32)), (0x0102, ip_int('0.0.0.0', 0))], flags=1, seq=1),
    eigrp(1, [(0x0103, ip_ext('172.16.0.0', 12)), (0x0103, ip_ext('192.0.2.0', 24, '192.0.2.3', proto=11, flags=0x02))], flags=8, seq=2, ack=1),
    eigrp(3, [(0x0102, ip_int('198.51.100.0', 24, delay=0xffffffff))], flags=2, seq=3),
    eigrp(4, [(0x0102, ip_int('198.51.100.0', 24))], seq=4, ack=3, vrid=1),
    eigrp(7, []), eigrp(6, [(0x0302, b'\x00' * 10)]), eigrp(9, [(0x0999, b'\xab\xcd')]),
    eigrp(5, [PARAMS, (0x0002, b'\x00\x02\x00\x10' + b'\x00' * 8 + b'\x11' * 16), (0x0003, b'\x04\xc0\x00\x02\x02'), (0x0005, struct.pack('>I', 5)),
              (0x0303, b'\x00' * 6)], flags=4),
    # too short, illegal prefix length, a prefix longer than the TLV, bad TLV lengths
    eigrp(1, [(0x0001, b'\x01\x00'), (0x0004, b'\x0c'), (0x0102, b'\x00' * 10), (0x0103, b'\x00' * 30), (0x0204, b'\x00'), (0x0202, b'\x00' * 4),
              (0x0203, b'\x00' * 12)]),
    eigrp(1, [(0x0102, ip_int('198.51.100.0', 24)[:20] + b'\x21\xc6\x33\x64\x00')]),
    eigrp(1, [(0x0102, ip_int('198.51.100.0', 24)[:21] + b'\xc6\x33')]),  # plen 24, two bytes of prefix in the TLV
    eigrp(1, [PARAMS]) + b'\x00\x01\x00\x02\x00\x00',  # TLV length below 4
    eigrp(1, [PARAMS]) + b'\x00\x01\x00\x40\x01\x00',  # TLV length past the packet
    eigrp(5, [PARAMS], ver=1), eigrp(5, [])[:16],
]
hdr = Ether(src='02:00:00:00:00:01', dst='01:00:5e:00:00:0a')
ip_frames = [raw(hdr / IP(src='192.0.2.1', dst='224.0.0.10', ttl=2, proto=88, id=k + 1) / m) for k, m in enumerate(messages)]
ip_frames += [cut(ip_frames[2], 14 + 20 + 30), cut(ip_frames[2], 14 + 20 + 10), cut(ip_frames[0], 14 + 20 + 22),
              cut(raw(hdr / IP(src='192.0.2.1', dst='224.0.0.10', ttl=2, proto=88, id=40) / messages[11]), 14 + 20 + 46)]


def ddp(payload, dnet=100, snet=100, dnode=255, snode=5):
    return struct.pack('>HHHHBBBBB', 13 + len(payload), 0, dnet, snet, dnode, snode, 88, 88, 88) + payload


at_msgs = [eigrp(5, [PARAMS, AT_CABLE, SWVER]), eigrp(1, [AT_INT, AT_INT2, AT_EXT], flags=1, seq=7), eigrp(1, [(0x0202, b'\x00' * 8)]), eigrp(5, [], ver=3)]
ether_at = Ether(src='02:00:00:00:00:01', dst='09:00:07:ff:ff:ff', type=0x809b)
at_frames = [raw(ether_at / ddp(m)) for m in at_msgs] + [cut(raw(ether_at / ddp(at_msgs[1])), 14 + 13 + 40)]
# AppleTalk in 802.3 and SNAP (Apple's OUI 08-00-07, type 0x809b)
for m in at_msgs[:2]:
    d = b'\xaa\xaa\x03\x08\x00\x07\x80\x9b' + ddp(m)
    at_frames.append(bytes.fromhex('090007ffffff020000000001') + len(d).to_bytes(2, 'big') + d)
# over IPv6 (RFC 7868 section 6.9: IPv6 route TLVs 0x0402/0x0403, which tcpdump dumps in hex)
hdr6 = Ether(src='02:00:00:00:00:01', dst='33:33:00:00:00:0a')
ip6_frames = [raw(hdr6 / IPv6(src='fe80::1', dst='ff02::a', nh=88, hlim=255) / m) for m in (
    eigrp(5, [PARAMS, SWVER]), eigrp(1, [(0x0402, b'\x00' * 16 + struct.pack('>II', 2560000, 256) + b'\x00\x05\xdc\x00\xff\x01\x00\x00\x40' + bytes.fromhex('20010db8000000ff'))], flags=1, seq=9))]
pcap('eigrp', 1, ip_frames + ip6_frames + at_frames)


def short_ddp(payload):
    """A short (LocalTalk) DDP header: length, destination and source sockets, type."""
    return struct.pack('>HBBB', 5 + len(payload), 88, 88, 88) + payload


# on LocalTalk: LLAP type 2 (extended DDP) and 1 (short DDP)
pcap('eigrp-ltalk', 114, [bytes([255, 5, 2]) + ddp(m) for m in at_msgs] + [bytes([255, 5, 1]) + short_ddp(m) for m in at_msgs[:2]] +
     [cut(bytes([255, 5, 1]) + short_ddp(at_msgs[1]), 3 + 5 + 30)])
