#!/usr/bin/env python3
"""Reads a JSON list of classic BPF programs ([[code, jt, jf, k], ...] each) on stdin, attaches each in
turn to one AF_PACKET socket with SO_ATTACH_FILTER (struct sock_fprog, linux/filter.h), and prints a JSON
list with 0 for every program the kernel accepted and the errno for every one it refused. Needs root
(CAP_NET_RAW). The socket is bound to no interface and protocol 0, so it never receives a packet."""
import ctypes
import json
import socket
import struct
import sys

SO_ATTACH_FILTER = 26

def main():
    progs = json.load(sys.stdin)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    out = []
    for prog in progs:
        raw = b''.join(struct.pack('=HBBI', c, jt, jf, k) for c, jt, jf, k in prog)
        buf = ctypes.create_string_buffer(raw, max(len(raw), 1))
        fprog = struct.pack('@HL', len(prog), ctypes.addressof(buf))
        try:
            s.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)
            out.append(0)
        except OSError as e:
            out.append(e.errno)
    s.close()
    json.dump(out, sys.stdout)

main()
