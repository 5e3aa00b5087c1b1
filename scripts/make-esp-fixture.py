#!/usr/bin/python3
"""Writes fixtures/esp.pcap: ESP packets encrypted with known keys, for the -E tests.

Run with Debian's /usr/bin/python3 (python3-scapy and python3-cryptography). Keys:
  SPI 0x1001 and 0x2002: aes128-cbc-hmac96, key 0x00112233445566778899aabbccddeeff
  SPI 0x3003 to 2001:db8::2: aes256-cbc-hmac96, key 0x000102...1f (32 bytes)
Transport mode (UDP, ICMP, TCP over IPv4; UDP over IPv6) and tunnel mode (IPv4 in IPv4).
"""
from scapy.all import Ether, IP, IPv6, UDP, TCP, ICMP, Raw, wrpcap
from scapy.layers.ipsec import SecurityAssociation, ESP

AUTH = bytes(range(1, 21))
K128 = bytes.fromhex('00112233445566778899aabbccddeeff')
K256 = bytes(range(32))
eth = dict(src='02:00:00:00:00:01', dst='02:00:00:00:00:02')
t = SecurityAssociation(ESP, spi=0x1001, crypt_algo='AES-CBC', crypt_key=K128, auth_algo='HMAC-SHA1-96', auth_key=AUTH)
tun = SecurityAssociation(ESP, spi=0x2002, crypt_algo='AES-CBC', crypt_key=K128, auth_algo='HMAC-SHA1-96', auth_key=AUTH,
                          tunnel_header=IP(src='203.0.113.1', dst='203.0.113.2'))
six = SecurityAssociation(ESP, spi=0x3003, crypt_algo='AES-CBC', crypt_key=K256, auth_algo='HMAC-SHA1-96', auth_key=AUTH)
ip4 = IP(src='198.51.100.1', dst='198.51.100.2')
pkts = [
    Ether(**eth) / t.encrypt(ip4 / UDP(sport=5000, dport=9) / Raw(b'hello esp 0')),
    Ether(**eth) / t.encrypt(ip4 / ICMP(id=7, seq=1) / Raw(b'x' * 20)),
    Ether(**eth) / t.encrypt(ip4 / TCP(sport=40000, dport=80, flags='S', seq=1000, window=1024)),
    Ether(**eth) / tun.encrypt(IP(src='10.1.0.1', dst='10.2.0.1') / ICMP(id=9, seq=2) / Raw(b'y' * 8)),
    Ether(**eth, type=0x86dd) / six.encrypt(IPv6(src='2001:db8::1', dst='2001:db8::2') / UDP(sport=5001, dport=9) / Raw(b'over six')),
]
wrpcap('fixtures/esp.pcap', pkts)
