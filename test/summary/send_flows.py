#!/usr/bin/env python3
"""Sends known flows as raw Ethernet frames and prints what it sent, as JSON.

Usage: send_flows.py IFACE SRC_MAC

Three bursts, started 0 s, 1.5 s and 3.5 s after the first frame, each a fixed list of frames: UDP
over IPv4 in both directions, TCP segments over IPv4, UDP over IPv6 and ICMP echo requests. Every
frame is at least 60 bytes, so no device pads it, and its length is what a capture records. The
printed counts come from this script alone (frames handed to send() that returned the full length),
never from the capture.
"""
import json
import socket
import struct
import sys
import time

IFACE, SRC_MAC = sys.argv[1], bytes.fromhex(sys.argv[2].replace(':', ''))
DST_MAC = bytes.fromhex('020000747302')


def csum(data: bytes) -> int:
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src: str, dst: str, proto: int, payload: bytes) -> bytes:
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 1, 0x4000, 64, proto, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack('!H', csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src: str, dst: str, nxt: int, payload: bytes) -> bytes:
    return struct.pack('!IHBB16s16s', 0x60000000, len(payload), nxt, 64,
                       socket.inet_pton(socket.AF_INET6, src), socket.inet_pton(socket.AF_INET6, dst)) + payload


def udp(sport: int, dport: int, size: int) -> bytes:
    return struct.pack('!HHHH', sport, dport, 8 + size, 0) + bytes(size)


def tcp(sport: int, dport: int, seq: int, size: int) -> bytes:
    # ACK|PSH segment, data offset 5, no options
    return struct.pack('!HHIIBBHHH', sport, dport, seq, 1, 0x50, 0x18, 65535, 0, 0) + bytes(size)


def icmp_echo(ident: int, seq: int, size: int) -> bytes:
    body = struct.pack('!BBHHH', 8, 0, 0, ident, seq) + bytes(size)
    return body[:2] + struct.pack('!H', csum(body)) + body[4:]


def eth(ethertype: int, payload: bytes) -> bytes:
    return DST_MAC + SRC_MAC + struct.pack('!H', ethertype) + payload


# (kind, src, sport, dst, dport, payload bytes, frames per burst)
FLOWS = [
    ('udp4', '10.66.0.1', 40001, '10.66.0.2', 5001, 100, 20),
    ('udp4', '10.66.0.2', 5001, '10.66.0.1', 40001, 300, 7),   # the reply direction of the first flow
    ('udp4', '10.66.0.1', 40002, '10.66.0.3', 5002, 1000, 11),
    ('udp4', '10.66.0.4', 53000, '10.66.0.2', 53001, 64, 5),
    ('tcp4', '10.66.0.1', 45000, '10.66.0.2', 80, 500, 13),
    ('tcp4', '10.66.0.2', 80, '10.66.0.1', 45000, 1400, 9),
    ('tcp4', '10.66.0.3', 45001, '10.66.0.2', 443, 20, 4),
    ('udp6', 'fd66::1', 41000, 'fd66::2', 6000, 200, 6),
    ('icmp4', '10.66.0.1', 0, '10.66.0.4', 0, 56, 3),
]
BURST_STARTS = [0.0, 1.5, 3.5]


def frame(kind, src, sport, dst, dport, size, n):
    if kind == 'udp4':
        return eth(0x0800, ipv4(src, dst, 17, udp(sport, dport, size)))
    if kind == 'tcp4':
        return eth(0x0800, ipv4(src, dst, 6, tcp(sport, dport, 1000 + n, size)))
    if kind == 'udp6':
        return eth(0x86DD, ipv6(src, dst, 17, udp(sport, dport, size)))
    return eth(0x0800, ipv4(src, dst, 1, icmp_echo(7, n, size)))


def main() -> None:
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((IFACE, 0))
    sent = [{'kind': f[0], 'src': f[1], 'sport': f[2], 'dst': f[3], 'dport': f[4], 'frames': 0, 'bytes': 0} for f in FLOWS]
    bursts = []
    t0 = None
    for start in BURST_STARTS:
        if t0 is not None:
            time.sleep(max(0.0, t0 + start - time.monotonic()))
        frames = 0
        nbytes = 0
        for i, f in enumerate(FLOWS):
            for n in range(f[6]):
                b = frame(*f[:6], n)
                assert len(b) >= 60, len(b)
                if t0 is None:
                    t0 = time.monotonic()
                if s.send(b) == len(b):
                    sent[i]['frames'] += 1
                    sent[i]['bytes'] += len(b)
                    frames += 1
                    nbytes += len(b)
        bursts.append({'start': start, 'frames': frames, 'bytes': nbytes, 'took': time.monotonic() - t0 - start})
    s.close()
    print(json.dumps({'flows': sent, 'bursts': bursts}))


main()
