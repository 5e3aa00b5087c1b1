#!/usr/bin/env bash
# Real EIGRP traffic for the decoder fixtures: two FRR routers (eigrpd) in network namespaces of their
# own, joined by a veth pair, form an adjacency and exchange their connected and redistributed routes
# while tcpdump records the link; midway one router withdraws a network (queries and replies follow).
#
#   apt-get install -y frr tcpdump     # FRR is needed only to remake the fixture, never at test time
#   bash scripts/real-eigrp.sh fixtures/real/eigrp.pcap [seconds]
#
# Addresses are documentation ranges inside the two namespaces only.
set -euo pipefail
out=${1:?usage: real-eigrp.sh OUT.pcap [seconds]}
secs=${2:-30}
A=egA$$
B=egB$$
source "$(dirname "$0")/lib-netns.sh"
netns "$A" "$B"
ip link add a0 netns "$A" type veth peer name b0 netns "$B"
setup() { # ns dev v4 lo4 net
  ip -n "$1" link set "$2" up
  ip -n "$1" addr add "$3/24" dev "$2"
  ip -n "$1" addr add "$4/32" dev lo
  ip -n "$1" addr add "$5" dev lo
  ip netns exec "$1" sysctl -qw net.ipv4.ip_forward=1
  # Checksums computed on sending, so the capture holds correct ones (veth would leave them partial).
  ip netns exec "$1" ethtool -K "$2" tx off >/dev/null
}
setup "$A" a0 192.0.2.1 198.51.100.1 203.0.113.1/26
setup "$B" b0 192.0.2.2 198.51.100.2 203.0.113.65/26

conf() { # ns dev rid net lo4 static
  local d=$work/$1
  frr_dir "$1"
  printf 'hostname %s\n' "$1" >"$d/zebra.conf"
  cat >"$d/staticd.conf" <<EOC
ip route $6 Null0
EOC
  cat >"$d/eigrpd.conf" <<EOC
interface $2
 ip hello-interval eigrp 100 1
 ip hold-time eigrp 100 4
router eigrp 100
 eigrp router-id $3
 network 192.0.2.0/24
 network $4
 network $5/32
 redistribute static
 redistribute connected
EOC
}
conf "$A" a0 198.51.100.1 203.0.113.0/26 198.51.100.1 198.18.1.0/24
conf "$B" b0 198.51.100.2 203.0.113.64/26 198.51.100.2 198.18.2.0/24

rm -f "$out"
capture "$A" a0 "$out"
tcpd=$captured
for ns in "$A" "$B"; do frr_start "$ns" staticd eigrpd; done

sleep $((secs / 2))
# Withdraw a network and a static route: EIGRP queries, replies and updates follow.
vty "$A" "configure terminal" "router eigrp 100" "no network 203.0.113.0/26"
vty "$B" "configure terminal" "no ip route 198.18.2.0/24 Null0"
sleep $((secs / 2))
stop_capture "$tcpd"
tcpdump -r "$out" -n 2>/dev/null | awk '{print $2, $3, $4, $5, $6}' | sort | uniq -c | sort -rn | head -20 >&2
