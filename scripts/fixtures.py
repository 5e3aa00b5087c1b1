#!/usr/bin/env python3
"""Builds the crafted fixtures and the helpers scripts/make-fixtures.sh needs (stdlib only).

Subcommands:
  craft OUTDIR                 write the crafted pcaps (no root needed)
  relink SRC.pcap OUTDIR       rewrite an Ethernet capture as RAW, IPV4, IPV6, NULL and LOOP files
  inject IFACE vlan|qinq       send tagged frames out of IFACE with an AF_PACKET socket (root)
  dns SERVER                   send a set of DNS queries over UDP and TCP to SERVER (IPv4 or IPv6)
  udp-closed HOST PORT         send a few UDP datagrams to a closed port (ICMP port unreachable)
  join IFACE                   join an IPv4 and an IPv6 multicast group for a moment (IGMP, MLD)
Frame layouts follow RFC 791, 8200, 768, 793, 792, 4443, 826, IEEE 802.1Q/802.1ad, RFC 3032 (MPLS),
RFC 2516 (PPPoE), RFC 2784/2890 (GRE), RFC 7348 (VXLAN), RFC 8926 (Geneve), RFC 4960 (SCTP),
RFC 1112/2236/3376 (IGMP).
"""
import os
import socket
import struct
import sys
import time

MAC_A = bytes.fromhex('020000770001')
MAC_B = bytes.fromhex('020000770002')
BCAST = b'\xff' * 6
V4A, V4B = '10.77.0.1', '10.77.0.2'
V6A, V6B = 'fd77::1', 'fd77::2'


# ---------------------------------------------------------------------------------------------- pcap
def pcap_write(path, linktype, records, snaplen=262144, step_us=1000):
    """records: list of bytes or (bytes, wirelen). Timestamps are `step_us` apart (1 ms) from a fixed epoch."""
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, snaplen, linktype))
        t = 1700000000 * 1000000
        for i, r in enumerate(records):
            data, wire = (r if isinstance(r, tuple) else (r, len(r)))
            data = data[:snaplen]
            ts = t + i * step_us
            f.write(struct.pack('<IIII', ts // 1000000, ts % 1000000, len(data), wire))
            f.write(data)


def pcap_read(path):
    with open(path, 'rb') as f:
        b = f.read()
    magic = struct.unpack('<I', b[:4])[0]
    e = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    _, _, _, _, _, snap, lt = struct.unpack(e + 'IHHiIII', b[:24])
    off, recs = 24, []
    while off + 16 <= len(b):
        s, us, cap, wire = struct.unpack(e + 'IIII', b[off:off + 16])
        recs.append((s, us, b[off + 16:off + 16 + cap], wire))
        off += 16 + cap
    return snap, lt, recs


# ------------------------------------------------------------------------------------------ builders
def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ip4(a):
    return socket.inet_pton(socket.AF_INET, a)


def ip6(a):
    return socket.inet_pton(socket.AF_INET6, a)


def eth(dst, src, etype, payload):
    return dst + src + struct.pack('!H', etype) + payload


def vlan(tpid, tci, inner_type, payload):
    return struct.pack('!HHH', tpid, tci, inner_type) + payload


def ipv4(src, dst, proto, payload, ttl=64, ident=1, flags_frag=0x4000, options=b'', tos=0, tot=None):
    ihl = 5 + len(options) // 4
    total = tot if tot is not None else 20 + len(options) + len(payload)
    h = struct.pack('!BBHHHBBH4s4s', 0x40 | ihl, tos, total, ident, flags_frag, ttl, proto, 0, ip4(src), ip4(dst)) + options
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload


def ipv6(src, dst, nh, payload, hlim=64, plen=None):
    return struct.pack('!IHBB16s16s', 0x60000000, len(payload) if plen is None else plen, nh, hlim, ip6(src), ip6(dst)) + payload


def pseudo4(src, dst, proto, length):
    return ip4(src) + ip4(dst) + struct.pack('!BBH', 0, proto, length)


def pseudo6(src, dst, proto, length):
    return ip6(src) + ip6(dst) + struct.pack('!IxxxB', length, proto)


def udp(sport, dport, payload, pseudo=None):
    h = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0)
    if pseudo:
        c = csum(pseudo(17, 8 + len(payload)) + h + payload) or 0xffff
        h = h[:6] + struct.pack('!H', c)
    return h + payload


TCP_F = {'F': 1, 'S': 2, 'R': 4, 'P': 8, 'A': 16, 'U': 32, 'E': 64, 'C': 128}


def tcp(sport, dport, flags='S', seq=1000, ack=0, payload=b'', options=b'', win=65535, pseudo=None, urg=0):
    fl = sum(TCP_F[c] for c in flags)
    doff = (20 + len(options)) // 4
    h = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, doff << 4, fl, win, 0, urg) + options
    if pseudo:
        c = csum(pseudo(6, len(h) + len(payload)) + h + payload)
        h = h[:16] + struct.pack('!H', c) + h[18:]
    return h + payload


def icmp(t, code, rest=b'\0\0\0\0', payload=b''):
    h = struct.pack('!BBH', t, code, 0) + rest + payload
    return h[:2] + struct.pack('!H', csum(h)) + h[4:]


def icmp6(src, dst, t, code, body):
    h = struct.pack('!BBH', t, code, 0) + body
    c = csum(pseudo6(src, dst, 58, len(h)) + h)
    return h[:2] + struct.pack('!H', c) + h[4:]


def e4(src, dst, proto, payload, smac=MAC_A, dmac=MAC_B, **kw):
    return eth(dmac, smac, 0x0800, ipv4(src, dst, proto, payload, **kw))


def e6(src, dst, nh, payload, smac=MAC_A, dmac=MAC_B, **kw):
    return eth(dmac, smac, 0x86dd, ipv6(src, dst, nh, payload, **kw))


def udp4(src, dst, sport, dport, data=b'x' * 8):
    return ipv4(src, dst, 17, udp(sport, dport, data, lambda p, l: pseudo4(src, dst, p, l)))


def tcp4(src, dst, sport, dport, flags='S', data=b'', **kw):
    return ipv4(src, dst, 6, tcp(sport, dport, flags, payload=data, pseudo=lambda p, l: pseudo4(src, dst, p, l), **kw))


def udp6(src, dst, sport, dport, data=b'y' * 8):
    return ipv6(src, dst, 17, udp(sport, dport, data, lambda p, l: pseudo6(src, dst, p, l)))


def tcp6(src, dst, sport, dport, flags='S', data=b''):
    return ipv6(src, dst, 6, tcp(sport, dport, flags, payload=data, pseudo=lambda p, l: pseudo6(src, dst, p, l)))


def arp(op, sha, spa, tha, tpa):
    return struct.pack('!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, op, sha, ip4(spa), tha, ip4(tpa))


def llc(dsap, ssap, ctrl, payload):
    return bytes([dsap, ssap, ctrl]) + payload


def dot3(dst, src, payload):
    """IEEE 802.3 frame: the type field holds the length."""
    return dst + src + struct.pack('!H', len(payload)) + payload


def pad60(frame):
    return frame + b'\0' * max(0, 60 - len(frame))


# ----------------------------------------------------------------------------------------- crafting
def crafted_l2():
    stp_mac = bytes.fromhex('0180c2000000')
    bpdu = struct.pack('!HBBB8sI8sHHHHH', 0, 0, 0, 0, bytes.fromhex('8000020000770001'), 4,
                       bytes.fromhex('8000020000770001'), 0x8001, 0, 20 * 256, 2 * 256, 15 * 256)
    ipx_hdr = struct.pack('!HHBB4s6sH4s6sH', 0xffff, 30, 0, 0, b'\0\0\0\1', BCAST, 0x0452, b'\0\0\0\1', MAC_A, 0x0452)
    frames = [
        pad60(eth(BCAST, MAC_A, 0x0806, arp(1, MAC_A, V4A, b'\0' * 6, V4B))),
        pad60(eth(MAC_A, MAC_B, 0x0806, arp(2, MAC_B, V4B, MAC_A, V4A))),
        pad60(eth(BCAST, MAC_A, 0x0806, arp(1, MAC_A, V4A, b'\0' * 6, V4A))),  # gratuitous
        pad60(eth(BCAST, MAC_A, 0x8035, arp(3, MAC_A, '0.0.0.0', MAC_A, '0.0.0.0'))),  # RARP request
        pad60(eth(MAC_A, MAC_B, 0x8035, arp(4, MAC_B, V4B, MAC_A, V4A))),  # RARP reply
        pad60(dot3(stp_mac, MAC_A, llc(0x42, 0x42, 0x03, bpdu))),
        pad60(dot3(BCAST, MAC_A, ipx_hdr)),  # Novell raw 802.3
        pad60(dot3(BCAST, MAC_A, llc(0xe0, 0xe0, 0x03, ipx_hdr))),
        pad60(eth(BCAST, MAC_A, 0x8137, ipx_hdr)),
        pad60(dot3(BCAST, MAC_A, llc(0xaa, 0xaa, 0x03, b'\0\0\0\x81\x37' + ipx_hdr))),  # IPX over SNAP
        pad60(dot3(bytes.fromhex('030000000001'), MAC_A, llc(0xf0, 0xf0, 0x03, b'\xff\xef' + b'\0' * 20))),  # NetBEUI
        pad60(dot3(bytes.fromhex('09002b000004'), MAC_A, llc(0xfe, 0xfe, 0x03, b'\x82\x15\x01\x00\x02' + b'\0' * 16))),  # ISO ES-IS
        pad60(dot3(bytes.fromhex('0180c2000014'), MAC_A, llc(0xfe, 0xfe, 0x03, b'\x83\x1b\x01\x00\x10' + b'\0' * 20))),  # IS-IS
        pad60(dot3(bytes.fromhex('0180c2000014'), MAC_A, llc(0xfe, 0xfe, 0x03, b'\x81\x1b\x01\x00\x10' + b'\0' * 20))),  # CLNP
        pad60(dot3(BCAST, MAC_A, llc(0xaa, 0xaa, 0x03, b'\0\0\0\x08\x00' + udp4(V4A, '255.255.255.255', 68, 67)))),  # IP over SNAP
        pad60(eth(BCAST, MAC_A, 0x809b, b'\0\x20' + b'\0' * 30)),  # AppleTalk
        pad60(dot3(BCAST, MAC_A, llc(0xaa, 0xaa, 0x03, b'\x08\x00\x07\x80\x9b' + b'\0' * 30))),  # AppleTalk phase 2
        pad60(eth(BCAST, MAC_A, 0x80f3, b'\0' * 28)),  # AARP
        pad60(dot3(BCAST, MAC_A, llc(0xaa, 0xaa, 0x03, b'\0\0\0\x80\xf3' + b'\0' * 28))),  # AARP over SNAP
        pad60(eth(bytes.fromhex('ab0000030000'), bytes.fromhex('aa0004000a04'), 0x6003, b'\x10\0\x81' + b'\0' * 20)),  # DECnet
        pad60(eth(bytes.fromhex('09002b00000f'), bytes.fromhex('aa0004000a04'), 0x6004, b'\0' * 30)),  # LAT
        pad60(eth(bytes.fromhex('ab0000010000'), MAC_A, 0x6001, b'\0' * 30)),  # MOP dump/load
        pad60(eth(bytes.fromhex('ab0000020000'), MAC_A, 0x6002, b'\0' * 30)),  # MOP remote console
        pad60(eth(bytes.fromhex('ab0000040000'), MAC_A, 0x6007, b'\0' * 30)),  # SCA
        pad60(eth(bytes.fromhex('0180c200000e'), MAC_A, 0x88cc, b'\x02\x07\x04' + MAC_A + b'\0' * 20)),  # LLDP
        pad60(eth(MAC_B, MAC_A, 0x88b5, b'local experimental')),
        pad60(dot3(MAC_B, MAC_A, llc(0x06, 0x06, 0x03, b'\0' * 20))),  # LLC with IP SAP
        pad60(dot3(MAC_B, MAC_A, llc(0x42, 0x42, 0x03, b'\0' * 10)[:2] + b'\x13' + b'\0' * 8)),  # STP SAP, XID-ish
        pad60(dot3(MAC_B, MAC_A, b'\xaa\xaa\x03\x00\x00\x0c\x20\x00' + b'\0' * 20)),  # Cisco SNAP (CDP)
        e4(V4A, '255.255.255.255', 17, udp(68, 67, b'\x01\x01\x06\x00' + b'\0' * 236), dmac=BCAST),
        e4(V4A, '10.77.0.255', 17, udp(5000, 5000, b'subnet broadcast'), dmac=BCAST),
        e4(V4A, '224.0.0.251', 17, udp(5353, 5353, b'\0' * 12), dmac=bytes.fromhex('01005e0000fb')),
        e4(V4A, '239.1.2.3', 17, udp(4000, 4000, b'mc'), dmac=bytes.fromhex('01005e010203')),
        e6('fe80::1', 'ff02::1', 17, udp(521, 521, b'ripng'), dmac=bytes.fromhex('333300000001')),
        e6('fe80::1', 'ff02::fb', 17, udp(5353, 5353, b'\0' * 12), dmac=bytes.fromhex('3333000000fb')),
        pad60(eth(MAC_B, bytes.fromhex('010203040506'), 0x0800, ipv4('192.168.1.1', '192.168.1.2', 17, udp(1, 2, b'')))),  # multicast source MAC
        pad60(eth(bytes.fromhex('aabbccddeeff'), bytes.fromhex('001122334455'), 0x0800, tcp4('192.168.7.7', '172.16.0.9', 1234, 80))),
        pad60(eth(bytes.fromhex('001122334455'), bytes.fromhex('aabbccddeeff'), 0x0800, tcp4('172.16.0.9', '192.168.7.7', 80, 1234, 'SA'))),
        pad60(eth(MAC_B, MAC_A, 0x0801, b'\0' * 20)),  # unknown EtherType next to IP
        pad60(eth(MAC_B, MAC_A, 0x0600, b'\0' * 20)),  # XNS IDP, just above the 802.3 length range
        pad60(dot3(MAC_B, MAC_A, b'\x00' * 46)),  # LLC null SAPs
    ]
    return frames


def crafted_tunnels():
    inner = lambda i: eth(bytes.fromhex('02000088000%d' % i), bytes.fromhex('020000880010'), 0x0800,
                          udp4('192.168.%d.1' % i, '192.168.%d.2' % i, 1000 + i, 53, b'\0' * 12))
    inner_tcp = eth(bytes.fromhex('020000880001'), bytes.fromhex('020000880010'), 0x0800,
                    tcp4('192.168.9.1', '192.168.9.2', 40000, 80, 'S'))
    mpls = lambda label, s, ttl=64, exp=0: struct.pack('!I', (label << 12) | (exp << 9) | (s << 8) | ttl)
    ppp_sess = lambda sid, proto, pl: struct.pack('!BBHH', 0x11, 0, sid, len(pl) + 2) + struct.pack('!H', proto) + pl
    pppoe_disc = lambda code, sid: struct.pack('!BBHH', 0x11, code, sid, 4) + b'\x01\x01\x00\x00'
    gre = lambda proto, pl, key=None: (struct.pack('!HH', 0x2000 if key is not None else 0, proto)
                                       + (struct.pack('!I', key) if key is not None else b'') + pl)
    vxlan = lambda vni, pl: struct.pack('!II', 0x08000000, vni << 8) + pl
    geneve = lambda vni, pl, opts=b'', ptype=0x6558: struct.pack('!BBHI', len(opts) // 4, 0, ptype, vni << 8) + opts + pl
    u = lambda sp, dp, pl: udp(sp, dp, pl)
    frames = [
        eth(MAC_B, MAC_A, 0x8847, mpls(16, 1) + udp4(V4A, V4B, 1111, 53, b'\0' * 12)),
        eth(MAC_B, MAC_A, 0x8847, mpls(100, 0) + mpls(200, 1) + tcp4(V4A, V4B, 1234, 80)),
        eth(MAC_B, MAC_A, 0x8847, mpls(100, 0) + mpls(300, 0) + mpls(1000, 1, 5, 3) + udp6(V6A, V6B, 2222, 53)),
        eth(MAC_B, MAC_A, 0x8848, mpls(524287, 1) + udp4(V4A, '224.1.1.1', 9, 9)),
        eth(MAC_B, MAC_A, 0x8847, mpls(3, 0) + mpls(16, 1) + b'\x45'),  # truncated inner
        eth(MAC_B, MAC_A, 0x8100, vlan(0, 10, 0x8847, mpls(42, 1) + udp4(V4A, V4B, 3000, 4000))[2:]),
        eth(BCAST, MAC_A, 0x8863, pppoe_disc(0x09, 0)),  # PADI
        eth(MAC_A, MAC_B, 0x8863, pppoe_disc(0x07, 0)),  # PADO
        eth(MAC_B, MAC_A, 0x8863, pppoe_disc(0x19, 0x1234)),  # PADS
        eth(MAC_B, MAC_A, 0x8864, ppp_sess(0x1234, 0x0021, udp4(V4A, V4B, 5353, 53, b'\0' * 12))),
        eth(MAC_B, MAC_A, 0x8864, ppp_sess(0x1234, 0x0021, tcp4(V4A, V4B, 44000, 443, 'PA', b'data'))),
        eth(MAC_B, MAC_A, 0x8864, ppp_sess(0x0007, 0x0057, udp6(V6A, V6B, 1000, 2000))),
        eth(MAC_B, MAC_A, 0x8864, ppp_sess(0x1234, 0xc021, b'\x01\x01\x00\x04')),  # LCP
        eth(MAC_B, MAC_A, 0x8100, vlan(0, 300, 0x8864, ppp_sess(0x0042, 0x0021, udp4(V4A, V4B, 7, 7)))[2:]),
        e4(V4A, V4B, 47, gre(0x0800, udp4('172.16.1.1', '172.16.1.2', 1000, 2000))),
        e4(V4A, V4B, 47, gre(0x0800, tcp4('172.16.1.1', '172.16.1.2', 5555, 22, 'S'), key=77)),
        e4(V4A, V4B, 47, gre(0x86dd, udp6('fd88::1', 'fd88::2', 1, 2))),
        e4(V4A, V4B, 47, gre(0x6558, inner(1))),
        e6(V6A, V6B, 47, gre(0x0800, udp4('172.16.2.1', '172.16.2.2', 3, 4))),
        e4(V4A, V4B, 4, udp4('172.16.3.1', '172.16.3.2', 5, 6)),  # IP in IP
        e4(V4A, V4B, 41, udp6('fd99::1', 'fd99::2', 7, 8)),  # IPv6 in IPv4
        e6(V6A, V6B, 41, udp6('fd99::3', 'fd99::4', 9, 10)),  # IPv6 in IPv6
        e4(V4A, V4B, 17, u(40001, 4789, vxlan(42, inner(2)))),
        e4(V4A, V4B, 17, u(40002, 4789, vxlan(0x123456, inner_tcp))),
        e6(V6A, V6B, 17, u(40003, 4789, vxlan(7, inner(3)))),
        e4(V4A, V4B, 17, u(40004, 6081, geneve(42, inner(4)))),
        e4(V4A, V4B, 17, u(40005, 6081, geneve(0xabcdef, inner_tcp, opts=struct.pack('!HBB', 0x0103, 0x80, 1) + b'\1\2\3\4'))),
        e4(V4A, V4B, 17, u(40006, 6081, geneve(5, udp4('10.99.0.1', '10.99.0.2', 11, 12), ptype=0x0800))),
        e6(V6A, V6B, 17, u(40007, 6081, geneve(9, inner(5)))),
        e4(V4A, V4B, 17, u(40008, 6081, b'\x00')),  # truncated Geneve
    ]
    return [pad60(f) for f in frames]


def crafted_l4():
    f = []
    p4 = lambda s, d: (lambda p, l: pseudo4(s, d, p, l))
    # TCP flag combinations and well-known ports
    for i, (fl, dp) in enumerate([('S', 22), ('SA', 80), ('A', 443), ('PA', 80), ('FA', 25), ('R', 53), ('RA', 8080),
                                  ('F', 110), ('U', 143), ('UA', 6000), ('SE', 6005), ('SEC', 6010), ('FSRPAU', 6011),
                                  ('', 5999), ('A', 1023), ('A', 1024), ('PA', 65535), ('S', 0)]):
        f.append(e4(V4A, V4B, 6, tcp(30000 + i, dp, fl, payload=b'p' * (i % 3), pseudo=p4(V4A, V4B), urg=7 if 'U' in fl else 0)))
    f.append(e4(V4B, V4A, 6, tcp(80, 30001, 'SA', options=b'\x02\x04\x05\xb4\x01\x03\x03\x07\x04\x02\x08\x0a\0\0\0\1\0\0\0\0\0\0', pseudo=p4(V4B, V4A))))
    for sp, dp in [(68, 67), (67, 68), (123, 123), (514, 514), (161, 162), (53, 53), (5353, 5353), (33434, 33434), (2049, 111)]:
        f.append(e4(V4A, V4B, 17, udp(sp, dp, b'u' * 12, p4(V4A, V4B))))
    # ICMP types
    inner = ipv4(V4B, V4A, 17, udp(5000, 9999, b''))
    for t, c, rest, pl in [(8, 0, b'\0\1\0\1', b'ping'), (0, 0, b'\0\1\0\1', b'ping'), (3, 3, b'\0' * 4, inner), (3, 1, b'\0' * 4, inner),
                           (11, 0, b'\0' * 4, inner), (5, 1, ip4('10.77.0.254'), inner), (9, 0, b'\1\0\0\x1e', b'\x0a\x4d\0\xfe\0\0\0\0'),
                           (10, 0, b'\0' * 4, b''), (13, 0, b'\0\2\0\1', b'\0' * 12), (14, 0, b'\0\2\0\1', b'\0' * 12),
                           (15, 0, b'\0\3\0\1', b''), (16, 0, b'\0\3\0\1', b''), (17, 0, b'\0\4\0\1', b''), (18, 0, b'\0\4\0\1', b'\xff\xff\xff\0'),
                           (12, 0, b'\x14\0\0\0', inner), (4, 0, b'\0' * 4, inner)]:
        f.append(e4(V4A, V4B, 1, icmp(t, c, rest, pl)))
    # IGMP v1 report, v2 query/report/leave, v3 report (with Router Alert like the kernel sends)
    ra = b'\x94\x04\x00\x00'
    igmp = lambda t, mrt, grp, extra=b'': (lambda h: h[:2] + struct.pack('!H', csum(h)) + h[4:])(struct.pack('!BBH4s', t, mrt, 0, ip4(grp)) + extra)
    f.append(e4(V4A, '224.1.1.1', 2, igmp(0x12, 0, '224.1.1.1'), dmac=bytes.fromhex('01005e010101'), ttl=1))
    f.append(e4(V4A, '224.0.0.1', 2, igmp(0x11, 100, '0.0.0.0'), dmac=bytes.fromhex('01005e000001'), ttl=1, options=ra))
    f.append(e4(V4A, '239.1.2.3', 2, igmp(0x16, 0, '239.1.2.3'), dmac=bytes.fromhex('01005e010203'), ttl=1, options=ra))
    f.append(e4(V4A, '224.0.0.2', 2, igmp(0x17, 0, '239.1.2.3'), dmac=bytes.fromhex('01005e000002'), ttl=1, options=ra))
    f.append(e4(V4A, '224.0.0.22', 2, igmp(0x22, 0, '0.0.0.0', struct.pack('!HH', 0, 1) + struct.pack('!BBH4s', 4, 0, 0, ip4('239.1.2.3'))),
                dmac=bytes.fromhex('01005e000016'), ttl=1, options=ra))
    # SCTP INIT over IPv4 and DATA over IPv6 (checksum left zero: filters do not look at it)
    sctp = lambda sp, dp, chunk: struct.pack('!HHII', sp, dp, 0, 0) + chunk
    f.append(e4(V4A, V4B, 132, sctp(5000, 36412, struct.pack('!BBHIIHHI', 1, 0, 20, 1, 65536, 10, 10, 1))))
    f.append(e6(V6A, V6B, 132, sctp(5001, 9899, struct.pack('!BBHIHHI', 0, 3, 20, 1, 1, 0, 46) + b'abcd')))
    # PIM, VRRP, IGRP, EIGRP, OSPF, RSVP, AH, ESP, unknown protocol 253
    f.append(e4('10.77.0.1', '224.0.0.13', 103, b'\x20\x00\x00\x00\x00\x01\x00\x02\x00\x69', dmac=bytes.fromhex('01005e00000d'), ttl=1))
    f.append(e4('10.77.0.1', '224.0.0.18', 112, b'\x21\x01\x64\x01\x00\x01\x00\x00' + ip4('10.77.0.100'), dmac=bytes.fromhex('01005e000012'), ttl=255))
    f.append(e4(V4A, V4B, 9, b'\x11\x01\x00\x01\x00\x00' + b'\0' * 8))
    f.append(e4(V4A, '224.0.0.10', 88, b'\x02\x05\x00\x00' + b'\0' * 16, dmac=bytes.fromhex('01005e00000a'), ttl=1))
    f.append(e4(V4A, '224.0.0.5', 89, b'\x02\x01\x00\x2c' + ip4(V4A) + b'\0' * 36, dmac=bytes.fromhex('01005e000005'), ttl=1))
    f.append(e4(V4A, V4B, 46, b'\x10\x01\x00\x00' + b'\0' * 8))
    f.append(e4(V4A, V4B, 51, struct.pack('!BBHII', 6, 4, 0, 0x100, 1) + b'\0' * 12 + tcp(1, 80, 'S')))
    f.append(e4(V4A, V4B, 50, struct.pack('!II', 0x200, 1) + b'\xee' * 32))
    f.append(e4(V4A, V4B, 253, b'experimental'))
    f.append(e4(V4A, V4B, 0, b'\x3b\x00' + b'\0' * 6))  # protocol 0 (HOPOPT number) over IPv4
    # IPv4 options (record route, timestamp), fragments, TTL/TOS variety
    f.append(e4(V4A, V4B, 6, tcp(31000, 80, 'S', pseudo=p4(V4A, V4B)), options=b'\x07\x07\x04\0\0\0\0\x01'))
    f.append(e4(V4A, V4B, 17, udp(31001, 53, b'z' * 4, p4(V4A, V4B)), options=b'\x44\x0c\x05\x00' + b'\0' * 8))
    payload = udp(31002, 2000, b'F' * 40, p4(V4A, V4B))
    f.append(e4(V4A, V4B, 17, payload[:24], ident=77, flags_frag=0x2000, tot=44))
    f.append(e4(V4A, V4B, 17, payload[24:40], ident=77, flags_frag=0x2003))
    f.append(e4(V4A, V4B, 17, payload[40:], ident=77, flags_frag=0x0005))
    f.append(e4(V4A, V4B, 6, tcp(32000, 22, 'A', payload=b'frag')[:16], ident=78, flags_frag=0x2000))
    f.append(e4(V4A, V4B, 6, b'\0' * 16, ident=78, flags_frag=0x0002))  # non-first TCP fragment: port bytes are data
    f.append(e4(V4A, V4B, 17, udp(1, 2, b'', p4(V4A, V4B)), ttl=1, tos=0xb8))
    f.append(e4(V4A, V4B, 17, udp(1, 2, b'', p4(V4A, V4B)), ttl=255, tos=0x02))
    f.append(e4('0.0.0.0', '255.255.255.255', 17, udp(68, 67, b'\0' * 240), dmac=BCAST))
    f.append(e4('127.0.0.1', '127.0.0.1', 6, tcp(1, 2, 'R')))
    f.append(e4('192.0.2.1', '198.51.100.7', 6, tcp(4444, 3306, 'S')))
    f.append(e4('203.0.113.5', '10.1.2.3', 17, udp(9999, 514, b'<13>x')))
    f.append(e4('10.1.2.3', '203.0.113.5', 1, icmp(8, 0, b'\0\2\0\3')))
    f.append(e4('172.31.255.255', '172.16.0.0', 6, tcp(65535, 1, 'FPU')))
    # ICMPv6 types and IPv6 traffic
    for t, c, body, src, dst in [(128, 0, b'\0\1\0\1ping6', V6A, V6B), (129, 0, b'\0\1\0\1ping6', V6B, V6A),
                                 (135, 0, b'\0' * 4 + ip6(V6B) + b'\x01\x01' + MAC_A, V6A, 'ff02::1:ff00:2'),
                                 (136, 0, b'\x60\0\0\0' + ip6(V6B) + b'\x02\x01' + MAC_B, V6B, V6A),
                                 (133, 0, b'\0' * 4, 'fe80::1', 'ff02::2'), (134, 0, b'\x40\0\x07\x08' + b'\0' * 8, 'fe80::2', 'ff02::1'),
                                 (1, 4, b'\0' * 4 + udp6(V6B, V6A, 5000, 9999)[:48], V6A, V6B), (3, 0, b'\0' * 4 + udp6(V6B, V6A, 1, 2)[:48], 'fd77::fe', V6B),
                                 (2, 0, b'\0\0\x05\xdc' + b'\0' * 40, 'fd77::fe', V6A), (4, 1, b'\0\0\0\x28' + b'\0' * 40, V6A, V6B),
                                 (137, 0, b'\0' * 4 + ip6('fd77::fe') + ip6(V6B), 'fe80::fe', V6A), (130, 0, b'\0\x64\0\0' + b'\0' * 16, 'fe80::1', 'ff02::1'),
                                 (143, 0, b'\0\0\0\1\x04\0\0\0' + ip6('ff12::1234'), 'fe80::1', 'ff02::16')]:
        f.append(e6(src, dst, 58, icmp6(src, dst, t, c, body)))
    f.append(e6(V6A, V6B, 6, tcp(40000, 443, 'S', pseudo=lambda p, l: pseudo6(V6A, V6B, p, l))))
    f.append(e6(V6B, V6A, 6, tcp(22, 40001, 'PA', payload=b'ssh', pseudo=lambda p, l: pseudo6(V6B, V6A, p, l))))
    f.append(e6('2001:db8::1', '2001:db8:1::53', 17, udp(5300, 53, b'\0' * 12)))
    f.append(e6('fe80::1', 'ff02::1:2', 17, udp(546, 547, b'\x01\0\0\0'), dmac=bytes.fromhex('333300010002')))
    f.append(e6('::', 'ff02::1:ff00:1', 58, icmp6('::', 'ff02::1:ff00:1', 135, 0, b'\0' * 4 + ip6(V6A)), dmac=bytes.fromhex('3333ff000001')))
    return [pad60(x) for x in f]


def ext(nh, body):
    """An IPv6 extension header with the generic layout (next header, length in 8-octet units - 1)."""
    total = 2 + len(body)
    pad = (-total) % 8
    return bytes([nh, (total + pad) // 8 - 1]) + body + b'\0' * pad


def crafted_ip6ext():
    u = udp(1000, 53, b'\0' * 12)
    t = tcp(40000, 80, 'S')
    ic = icmp6(V6A, V6B, 128, 0, b'\0\1\0\1')
    frag = lambda nh, off, more, ident, pl: struct.pack('!BBHI', nh, 0, (off << 3) | more, ident) + pl
    ah = lambda nh, pl: struct.pack('!BBHII', nh, 4, 0, 0x1000, 1) + b'\0' * 12 + pl
    rh = lambda nh, typ, pl: bytes([nh, 2, typ, 1]) + b'\0' * 4 + ip6('fd77::99') + pl
    c = u
    nh = 17
    for _ in range(8):
        c = ext(nh, b'\x01\x02\0\0') + c
        nh = 60
    cases = [
        (0, ext(6, b'\x05\x02\0\0') + t),  # hop-by-hop (router alert) then TCP
        (0, ext(60, b'\x01\x02\0\0') + ext(17, b'\x01\x02\0\0') + u),  # HBH, dest opts, UDP
        (43, rh(58, 0, ic)),  # routing type 0
        (43, rh(17, 2, u)),
        (43, rh(6, 4, t)),
        (44, frag(17, 0, 1, 0x11, u)),  # first fragment
        (44, frag(17, 185, 0, 0x11, b'\0' * 16)),  # later fragment
        (44, frag(6, 0, 1, 0x12, t)),
        (44, frag(58, 0, 0, 0x13, ic)),  # atomic fragment
        (51, ah(6, t)),
        (50, struct.pack('!II', 0x300, 2) + b'\xee' * 24),
        (60, ext(44, b'\x01\x02\0\0') + frag(6, 0, 1, 0x14, t)),
        (59, b''),
        (60, c),
        (0, ext(60, b'\x01\x02\0\0') + ext(43, b'\x01\x02\0\0') + rh(44, 0, frag(17, 0, 0, 0x15, u))),
        (135, bytes([59, 1, 5, 0]) + b'\0' * 12),  # mobility header
        (0, ext(58, b'\x05\x02\0\0') + icmp6('fe80::1', 'ff02::16', 143, 0, b'\0\0\0\1\x04\0\0\0' + ip6('ff12::1234'))),
        (60, ext(132, b'\x01\x02\0\0') + struct.pack('!HHII', 5000, 5001, 0, 0)),
        (0, ext(6, b'\x01\x02\0\0')),  # chain ends early: TCP header missing
    ]
    frames = [e6(V6A, V6B, nh0, pl) for nh0, pl in cases]
    frames.append(e6('fe80::1', 'ff02::16', 0, ext(58, b'\x05\x02\0\0') + b'\x8f\0\0\0\0\0\0\0', dmac=bytes.fromhex('333300000016')))
    return frames


def crafted_malformed():
    r = []
    full = e4(V4A, V4B, 6, tcp(1234, 80, 'S', payload=b'\0' * 20))
    r.append((b'\xff' * 6, 60))  # shorter than an Ethernet header
    r.append((BCAST + MAC_A + b'\x08', 60))  # EtherType cut in half
    r.append((eth(MAC_B, MAC_A, 0x0800, b''), 60))  # IPv4 with no header at all
    r.append((full[:24], len(full)))  # IPv4 header cut
    r.append((full[:34], len(full)))  # TCP header missing
    r.append((full[:36], len(full)))  # only the source port
    r.append((full[:40], len(full)))
    r.append(eth(MAC_B, MAC_A, 0x0800, b'\x42' + ipv4(V4A, V4B, 17, udp(1, 2, b''))[1:]))  # IHL 2
    r.append(eth(MAC_B, MAC_A, 0x0800, b'\x4f' + ipv4(V4A, V4B, 6, tcp(5, 80, 'S'))[1:]))  # IHL 15 past the data
    r.append(eth(MAC_B, MAC_A, 0x0800, b'\x65' + ipv4(V4A, V4B, 17, udp(53, 53, b''))[1:]))  # version 6 under 0x0800
    r.append(e4(V4A, V4B, 6, tcp(99, 80, 'S')[:12] + b'\xf0' + tcp(99, 80, 'S')[13:]))  # TCP data offset 15
    r.append(e4(V4A, V4B, 17, udp(53, 53, b'')[:4]))  # UDP header cut
    r.append(e4(V4A, V4B, 17, udp(53, 53, b'x' * 20), tot=1500))  # total length larger than the frame
    r.append(e4(V4A, V4B, 17, udp(53, 53, b'x' * 20), tot=10))  # total length smaller than the header
    v6 = e6(V6A, V6B, 17, udp(53, 53, b'\0' * 12))
    r.append((v6[:30], len(v6)))  # IPv6 header cut
    r.append((v6[:54], len(v6)))  # UDP header missing
    r.append((v6[:56], len(v6)))
    r.append(e6(V6A, V6B, 17, udp(53, 53, b'\0' * 12), plen=0))
    r.append(eth(MAC_B, MAC_A, 0x86dd, b'\x45' + ipv6(V6A, V6B, 6, tcp(1, 2, 'S'))[1:]))  # version 4 under 0x86dd
    r.append((eth(MAC_B, MAC_A, 0x8100, b'\x00'), 60))  # VLAN tag cut
    r.append(eth(MAC_B, MAC_A, 0x8100, b'\x00\x2a\x08\x00'))  # tagged IPv4 without IP bytes
    r.append(eth(MAC_B, MAC_A, 0x8847, b'\x00\x01\x00\x40' * 3))  # MPLS without bottom of stack
    r.append(eth(MAC_B, MAC_A, 0x8864, b'\x11\x00\x12'))  # PPPoE header cut
    r.append(eth(MAC_B, MAC_A, 0x0806, b'\x00\x01\x08\x00\x06'))  # ARP cut
    r.append(b'\0' * 60)  # all zeros
    r.append(b'\xff' * 60)  # all ones
    r.append((full, len(full) + 1000))  # captured less than the wire length
    r.append((b'\x01', 1))
    r.append(e4(V4A, V4B, 1, icmp(3, 3, b'\0' * 4, b'\x45\x00')))  # ICMP error quoting a cut header
    r.append(e6(V6A, V6B, 0, b'\x06\xff'))  # hop-by-hop header claiming 2 KB
    r.append(e4(V4A, V4B, 6, b''))  # TCP with no header
    r.append(e4(V4A, V4B, 6, tcp(1, 2, 'S'), flags_frag=0x1fff))  # largest fragment offset
    return r


def crafted_vlan_edge():
    p = lambda i: udp4(V4A, V4B, 2000 + i, 53, b'\0' * 12)
    frames = [
        eth(MAC_B, MAC_A, 0x8100, vlan(0, 0, 0x0800, p(0))[2:]),  # priority tag, VID 0
        eth(MAC_B, MAC_A, 0x8100, vlan(0, 0xe000 | 42, 0x0800, p(1))[2:]),  # PCP 7
        eth(MAC_B, MAC_A, 0x8100, vlan(0, 0x1000 | 42, 0x0800, p(2))[2:]),  # DEI set
        eth(MAC_B, MAC_A, 0x8100, vlan(0, 4095, 0x0800, p(3))[2:]),
        eth(MAC_B, MAC_A, 0x88a8, vlan(0, 100, 0x8100, vlan(0, 42, 0x0800, p(4))[2:])[2:]),
        eth(MAC_B, MAC_A, 0x9100, vlan(0, 200, 0x8100, vlan(0, 42, 0x86dd, udp6(V6A, V6B, 1, 53))[2:])[2:]),
        eth(MAC_B, MAC_A, 0x8100, vlan(0, 1, 0x8100, vlan(0, 2, 0x8100, vlan(0, 3, 0x0800, p(5))[2:])[2:])[2:]),
        eth(MAC_B, MAC_A, 0x8100, vlan(0, 42, 0x0806, arp(1, MAC_A, V4A, b'\0' * 6, V4B))[2:]),
        eth(MAC_B, MAC_A, 0x8100, vlan(0, 42, 0x86dd, tcp6(V6A, V6B, 33000, 80))[2:]),
        eth(MAC_B, MAC_A, 0x8100, vlan(0, 43, 0x0800, tcp4(V4A, V4B, 33001, 22, 'SA'))[2:]),
        eth(MAC_B, MAC_A, 0x8100, vlan(0, 42, 0x8847, struct.pack('!I', (77 << 12) | 0x100 | 64) + p(6))[2:]),
        eth(MAC_B, MAC_A, 0x8100, vlan(0, 10, 0x0022, b'\0' * 20)[2:]),  # 802.3 length inside the tag
        eth(MAC_B, MAC_A, 0x8100, vlan(0, 10, 0x0026, llc(0x42, 0x42, 0x03, b'\0' * 35))[2:]),
        eth(MAC_B, MAC_A, 0x0800, p(7)),  # untagged neighbour
    ]
    return [pad60(f) for f in frames]


def craft(outdir):
    pcap_write(os.path.join(outdir, 'crafted-l2.pcap'), 1, crafted_l2())
    pcap_write(os.path.join(outdir, 'crafted-tunnels.pcap'), 1, crafted_tunnels())
    pcap_write(os.path.join(outdir, 'crafted-l4.pcap'), 1, crafted_l4())
    pcap_write(os.path.join(outdir, 'crafted-ip6ext.pcap'), 1, crafted_ip6ext())
    pcap_write(os.path.join(outdir, 'crafted-malformed.pcap'), 1, crafted_malformed())
    pcap_write(os.path.join(outdir, 'crafted-vlan-edge.pcap'), 1, crafted_vlan_edge())


def relink(src, outdir):
    """Rewrites the IP packets of an Ethernet capture under the other link headers libpcap supports."""
    _, lt, recs = pcap_read(src)
    assert lt == 1, 'relink needs an Ethernet capture'
    ips = []
    for s, us, data, wire in recs:
        if len(data) >= 15 and data[12:14] in (b'\x08\x00', b'\x86\xdd'):
            ips.append((data[14:], wire - 14, data[12:14] == b'\x08\x00'))
    pcap_write(os.path.join(outdir, 'linktype-raw.pcap'), 101, [(d, w) for d, w, _ in ips])
    pcap_write(os.path.join(outdir, 'linktype-ipv4.pcap'), 228, [(d, w) for d, w, v4 in ips if v4])
    pcap_write(os.path.join(outdir, 'linktype-ipv6.pcap'), 229, [(d, w) for d, w, v4 in ips if not v4])
    # NULL carries the address family in host byte order; IPv6 has three values across BSDs (24, 28, 30)
    fam6 = [24, 28, 30]
    null, loop = [], []
    for i, (d, w, v4) in enumerate(ips):
        af = 2 if v4 else fam6[i % 3]
        null.append((struct.pack('<I', af) + d, w + 4))
        loop.append((struct.pack('>I', af) + d, w + 4))
    null.append((struct.pack('<I', 7) + b'\0' * 20, 24))  # a family libpcap knows nothing about
    loop.append((struct.pack('>I', 7) + b'\0' * 20, 24))
    pcap_write(os.path.join(outdir, 'linktype-null.pcap'), 0, null)
    pcap_write(os.path.join(outdir, 'linktype-loop.pcap'), 108, loop)


# --------------------------------------------------------------------------------------- live helpers
def inject(iface, kind):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    frames = []
    p = lambda i: udp4(V4A, V4B, 3000 + i, 53 if i % 2 else 4000, b'\0' * 16)
    t = lambda i: tcp4(V4A, V4B, 3100 + i, 80, 'S')
    i6 = icmp6(V6A, V6B, 128, 0, b'\0\1\0\1')
    if kind == 'vlan':
        for vid in (42, 100, 1, 4094):
            frames.append(eth(MAC_B, MAC_A, 0x8100, vlan(0, vid, 0x0800, p(vid))[2:]))
            frames.append(eth(MAC_B, MAC_A, 0x8100, vlan(0, vid | 0xa000, 0x0800, t(vid))[2:]))
            frames.append(eth(MAC_B, MAC_A, 0x8100, vlan(0, vid, 0x86dd, ipv6(V6A, V6B, 58, i6))[2:]))
            frames.append(eth(BCAST, MAC_A, 0x8100, vlan(0, vid, 0x0806, arp(1, MAC_A, V4A, b'\0' * 6, V4B))[2:]))
            frames.append(eth(MAC_B, MAC_A, 0x8100, vlan(0, vid, 0x0800, ipv4(V4A, V4B, 1, icmp(8, 0, b'\0\7\0\1', b'abc')))[2:]))
        frames.append(eth(MAC_B, MAC_A, 0x0800, p(1)))
        frames.append(eth(MAC_B, MAC_A, 0x8100, vlan(0, 0, 0x0800, p(2))[2:]))
    else:
        for outer, inner in ((100, 42), (100, 43), (200, 42), (300, 4000)):
            frames.append(eth(MAC_B, MAC_A, 0x88a8, vlan(0, outer, 0x8100, vlan(0, inner, 0x0800, p(inner))[2:])[2:]))
            frames.append(eth(MAC_B, MAC_A, 0x88a8, vlan(0, outer, 0x8100, vlan(0, inner, 0x86dd, ipv6(V6A, V6B, 58, i6))[2:])[2:]))
            frames.append(eth(MAC_B, MAC_A, 0x8100, vlan(0, outer, 0x8100, vlan(0, inner, 0x0800, t(inner))[2:])[2:]))
        frames.append(eth(MAC_B, MAC_A, 0x88a8, vlan(0, 500, 0x0800, p(9))[2:]))
        frames.append(eth(MAC_B, MAC_A, 0x88a8, vlan(0, 500, 0x0806, arp(2, MAC_A, V4A, MAC_B, V4B))[2:]))
    for fr in frames:
        s.send(pad60(fr))
        time.sleep(0.002)


def dns_query(name, qtype, ident):
    q = struct.pack('!HHHHHH', ident, 0x0100, 1, 0, 0, 0)
    for part in name.split('.'):
        q += bytes([len(part)]) + part.encode()
    return q + b'\0' + struct.pack('!HH', qtype, 1)


def dns(server):
    fam = socket.AF_INET6 if ':' in server else socket.AF_INET
    queries = [('web.tscap.test', 1), ('web.tscap.test', 28), ('www.tscap.test', 1), ('tscap.test', 15),
               ('tscap.test', 16), ('missing.tscap.test', 1), ('2.0.77.10.in-addr.arpa', 12), ('db.tscap.test', 1)]
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(1)
    for i, (n, t) in enumerate(queries):
        s.sendto(dns_query(n, t, 0x1000 + i), (server, 53))
        try:
            s.recv(2048)
        except socket.timeout:
            pass
    s.close()
    # one query over TCP (RFC 1035 4.2.2 length prefix)
    c = socket.socket(fam, socket.SOCK_STREAM)
    c.settimeout(2)
    c.connect((server, 53))
    q = dns_query('web.tscap.test', 1, 0x2000)
    c.sendall(struct.pack('!H', len(q)) + q)
    try:
        c.recv(2048)
    except socket.timeout:
        pass
    c.close()


def udp_closed(host, port):
    fam = socket.AF_INET6 if ':' in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    for _ in range(3):
        s.sendto(b'hello closed port', (host, int(port)))
        time.sleep(0.05)


def join(iface):
    idx = socket.if_nametoindex(iface)
    s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s4.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, ip4('239.7.7.7') + ip4('10.77.0.1'))
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, ip6('ff12::7777') + struct.pack('@I', idx))
    time.sleep(0.3)
    s4.close()
    s6.close()
    time.sleep(0.3)


def summary(outdir):
    for name in sorted(os.listdir(outdir)):
        if name.endswith('.pcap'):
            path = os.path.join(outdir, name)
            snap, lt, recs = pcap_read(path)
            print('%-28s %7d bytes %4d packets linktype %d snaplen %d' % (name, os.path.getsize(path), len(recs), lt, snap))


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    {'craft': craft, 'relink': relink, 'inject': inject, 'dns': dns, 'udp-closed': udp_closed, 'join': join, 'summary': summary}[cmd](*args)
