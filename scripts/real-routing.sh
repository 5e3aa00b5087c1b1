#!/usr/bin/env bash
# Real routing traffic for the decoder fixtures: two FRR routers in network namespaces of their own,
# joined by a veth pair, speak OSPFv2, OSPFv3, BGP (eBGP, 4-octet AS, IPv4 and MP-BGP IPv6, with
# communities), RIPv2, RIPng, PIMv2 and LDP to each other while tcpdump records the link. Midway the
# script withdraws routes, asks for a route refresh and resets the BGP session (a NOTIFICATION), so
# the capture holds every message kind the daemons send on their own.
#
#   apt-get install -y frr tcpdump     # FRR is needed only to remake the fixture, never at test time
#   bash scripts/real-routing.sh fixtures/real/routing.pcap [seconds]
#
# Addresses are documentation ranges inside the two namespaces only.
set -euo pipefail
out=${1:?usage: real-routing.sh OUT.pcap [seconds]}
secs=${2:-50}
A=rtA$$
B=rtB$$
source "$(dirname "$0")/lib-netns.sh"
netns "$A" "$B"
ip link add a0 netns "$A" type veth peer name b0 netns "$B"
setup() { # ns dev v4 v6 lo4 lo6
  ip -n "$1" link set "$2" up
  ip -n "$1" addr add "$3/24" dev "$2"
  ip -n "$1" addr add "$4/64" dev "$2" nodad
  ip -n "$1" addr add "$5/32" dev lo
  ip -n "$1" addr add "$6/128" dev lo
  ip netns exec "$1" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  # Checksums computed on sending, so the capture holds correct ones (veth would leave them partial).
  ip netns exec "$1" ethtool -K "$2" tx off >/dev/null
}
setup "$A" a0 192.0.2.1 fd99::1 198.51.100.1 fd98::1
setup "$B" b0 192.0.2.2 fd99::2 198.51.100.2 fd98::2

conf() { # ns dev rid asn peerasn peer4 peer6 lo4 lo6 net4 net6
  local d=$work/$1
  frr_dir "$1"
  cat >"$d/zebra.conf" <<EOF
hostname $1
EOF
  cat >"$d/ospfd.conf" <<EOF
router ospf
 ospf router-id $3
 network 192.0.2.0/24 area 0
 network $8/32 area 0
 redistribute connected
interface $2
 ip ospf hello-interval 1
 ip ospf dead-interval 4
 ip ospf authentication message-digest
 ip ospf message-digest-key 1 md5 tscap
EOF
  cat >"$d/ospf6d.conf" <<EOF
interface $2
 ipv6 ospf6 area 0.0.0.0
 ipv6 ospf6 hello-interval 1
 ipv6 ospf6 dead-interval 4
router ospf6
 ospf6 router-id $3
 redistribute connected
EOF
  cat >"$d/bgpd.conf" <<EOF
route-map OUT permit 10
 set community 65001:100 no-export
 set large-community 4200000001:1:2
 set extcommunity rt 65001:7
 set metric 50
router bgp $4
 bgp router-id $3
 no bgp ebgp-requires-policy
 timers bgp 3 9
 neighbor $6 remote-as $5
 neighbor $6 timers connect 1
 neighbor $7 remote-as $5
 neighbor $7 timers connect 1
 address-family ipv4 unicast
  network $8/32
  network ${10}
  neighbor $6 route-map OUT out
  no neighbor $7 activate
 exit-address-family
 address-family ipv6 unicast
  network $9/128
  network ${11}
  neighbor $7 activate
  neighbor $7 route-map OUT out
 exit-address-family
EOF
  cat >"$d/ripd.conf" <<EOF
router rip
 version 2
 network $2
 redistribute connected
 timers basic 5 30 30
EOF
  cat >"$d/ripngd.conf" <<EOF
router ripng
 network $2
 redistribute connected
 timers basic 5 30 30
EOF
  cat >"$d/pimd.conf" <<EOF
interface $2
 ip pim
 ip pim hello 2
interface lo
 ip pim
router pim
 rp $8
EOF
  cat >"$d/ldpd.conf" <<EOF
mpls ldp
 router-id $3
 address-family ipv4
  discovery transport-address $3
  interface $2
 exit-address-family
EOF
  touch "$d/staticd.conf"
}
conf "$A" a0 192.0.2.1 4200000001 65002 192.0.2.2 fd99::2 198.51.100.1 fd98::1 203.0.113.0/25 fd97:1::/48
conf "$B" b0 192.0.2.2 65002 4200000001 192.0.2.1 fd99::1 198.51.100.2 fd98::2 203.0.113.128/25 fd97:2::/48

rm -f "$out"
capture "$A" a0 "$out"
tcpd=$captured
for ns in "$A" "$B"; do frr_start "$ns" staticd ospfd ospf6d bgpd ripd ripngd pimd ldpd; done

sleep $((secs / 2))
# Withdraw a route (UPDATE with withdrawn routes), ask for a refresh, then reset (NOTIFICATION).
vty "$A" "configure terminal" "router bgp 4200000001" "address-family ipv4 unicast" "no network 203.0.113.0/25"
sleep 2
vty "$A" "clear bgp ipv4 unicast * soft in"
sleep 2
vty "$B" "clear bgp *"
sleep $((secs / 2))
stop_capture "$tcpd"
tcpdump -r "$out" -n 2>/dev/null | awk '{print $2, $3}' | sort | uniq -c | sort -rn | head -20 >&2
