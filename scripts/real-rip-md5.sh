#!/usr/bin/env bash
# Real RIPv2 with keyed MD5 authentication (RFC 4822: an authentication header entry and the
# trailer with the digest) for the RIP decoder's fixture: two FRR ripd routers in network namespaces
# of their own, joined by a veth pair, while tcpdump records the link.
#
#   apt-get install -y frr tcpdump     # FRR is needed only to remake the fixture, never at test time
#   bash scripts/real-rip-md5.sh fixtures/proto/rip-md5-live.pcap [seconds]
#
# Addresses are documentation ranges inside the two namespaces only.
set -euo pipefail
out=${1:?usage: real-rip-md5.sh OUT.pcap [seconds]}
secs=${2:-12}
A=rmA$$
B=rmB$$
source "$(dirname "$0")/lib-netns.sh"
veth_pair "$A" a0 192.0.2.1 "$B" b0 192.0.2.2
for ns in "$A" "$B"; do
  dev=$([ "$ns" = "$A" ] && echo a0 || echo b0)
  ip -n "$ns" addr add "198.51.100.$([ "$ns" = "$A" ] && echo 1 || echo 2)/32" dev lo
  # Checksums computed on sending, so the capture holds correct ones (veth would leave them partial).
  ip netns exec "$ns" ethtool -K "$dev" tx off >/dev/null
  frr_dir "$ns"
  echo "hostname $ns" >"$work/$ns/zebra.conf"
  cat >"$work/$ns/ripd.conf" <<CONF
key chain rip
 key 7
  key-string tscap-fixture
interface $dev
 ip rip authentication mode md5
 ip rip authentication key-chain rip
router rip
 version 2
 network $dev
 redistribute connected
 timers basic 5 180 120
CONF
done
capture "$A" a0 "$work/all.pcap"
tcpd=$captured
for ns in "$A" "$B"; do frr_start "$ns" ripd; done
sleep "$secs"
stop_capture "$tcpd"
# RIP alone (the link also carries the routers' IGMP joins)
tcpdump -r "$work/all.pcap" -w "$out" udp port 520 2>/dev/null
tcpdump -r "$out" -n 2>/dev/null | cut -d' ' -f2-6 | sort | uniq -c | sort -rn | head >&2
