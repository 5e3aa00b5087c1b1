#!/usr/bin/python3
"""Creates a tun interface whose ARPHRD type is argv[2] (TUNSETLINK), brings it up, prints `ready`,
then writes each hex line of stdin to it as one received packet; exits when stdin closes. Lets a
test capture on the link types of PPP, ipip, sit, GRE and other tunnels on a kernel without those
drivers: the kernel hands the packets to AF_PACKET sockets with the interface's type.
Usage (inside a network namespace): tun-link.py NAME ARPHRD"""
import fcntl
import os
import struct
import subprocess
import sys

TUNSETIFF = 0x400454CA
TUNSETLINK = 0x400454CD
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000

name, arphrd = sys.argv[1], int(sys.argv[2])
fd = os.open('/dev/net/tun', os.O_RDWR)
fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH', name.encode(), IFF_TUN | IFF_NO_PI))
fcntl.ioctl(fd, TUNSETLINK, arphrd)
subprocess.run(['ip', 'link', 'set', name, 'up'], check=True)
print('ready', flush=True)
for line in sys.stdin:
    line = line.strip()
    if line:
        os.write(fd, bytes.fromhex(line))
        print('sent', flush=True)
