#!/usr/bin/env bash
# Real IS-IS traffic for the decoder fixtures: three FRR routers in network namespaces of their own.
# A and B (level-1-2, multi-topology IPv6, wide metrics with TE sub-TLVs and segment routing on A,
# transition metrics on B) share a broadcast circuit (a veth pair: LAN hellos, a DIS and its
# pseudonode, CSNPs); A and C (level-1 only, no multi-topology) share a point-to-point circuit with
# padded hellos. Hellos carry an MD5 HMAC (LAN) or a clear-text password (point-to-point), level-1
# LSPs and SNPs an MD5 area password, level-2 ones a clear-text domain password. Each router
# redistributes connected loopback prefixes (IPv4 and IPv6). Midway B's side of the LAN goes down and
# comes back (adjacencies drop, the pseudonode LSP is purged, a new DIS is elected). tcpdump records
# both of A's circuits; the two files are merged in time order.
#
#   apt-get install -y frr tcpdump wireshark-common   # only to remake the fixture, never at test time
#   bash scripts/real-isis.sh fixtures/real/isis.pcap [seconds]
#
# Addresses are documentation ranges inside the namespaces only.
set -euo pipefail
out=${1:?usage: real-isis.sh OUT.pcap [seconds]}
secs=${2:-60}
A=isA$$
B=isB$$
C=isC$$
source "$(dirname "$0")/lib-netns.sh"
netns "$A" "$B" "$C"
for ns in "$A" "$B" "$C"; do ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1; done
ip link add a0 netns "$A" type veth peer name b0 netns "$B"
ip link add a1 netns "$A" type veth peer name c0 netns "$C"
addr() { # ns dev v4 v6
  ip -n "$1" link set "$2" up
  ip -n "$1" addr add "$3/24" dev "$2"
  ip -n "$1" addr add "$4/64" dev "$2" nodad
}
addr "$A" a0 192.0.2.1 fd99::1
addr "$B" b0 192.0.2.2 fd99::2
addr "$A" a1 198.18.7.1 fd99:1::1
addr "$C" c0 198.18.7.2 fd99:1::2
loop() { # ns n: a /32 and a /128 of its own, and two more prefixes to redistribute
  ip -n "$1" addr add "198.51.100.$2/32" dev lo
  ip -n "$1" addr add "fd98::$2/128" dev lo
  ip -n "$1" addr add "203.0.113.$(($2 * 16))/28" dev lo
  ip -n "$1" addr add "fd97:$2::1/64" dev lo
}
loop "$A" 1
loop "$B" 2
loop "$C" 3

conf() { # ns sysid is-type metric-style extra-router-lines
  local d=$work/$1
  frr_dir "$1"
  cat >"$d/isisd.conf" <<EOF
hostname $1
router isis T
 net 49.0001.$2.00
 is-type $3
 metric-style $4
 area-password md5 areakey
 domain-password clear domainkey
 lsp-gen-interval 1
 lsp-refresh-interval 30
 max-lsp-lifetime 360
 redistribute ipv4 connected level-1
 redistribute ipv6 connected level-1
$5
EOF
  touch "$d/zebra.conf"
}
conf "$A" 1921.6800.0001 level-1-2 wide " net 49.0003.1921.6800.0001.00
 topology ipv6-unicast
 mpls-te on
 mpls-te router-address 198.51.100.1
 segment-routing on
 segment-routing prefix 198.51.100.1/32 index 1
 redistribute ipv4 connected level-2
 redistribute ipv6 connected level-2"
conf "$B" 1921.6800.0002 level-1-2 transition " topology ipv6-unicast
 redistribute ipv4 connected level-2
 redistribute ipv6 connected level-2"
conf "$C" 1921.6800.0003 level-1 wide ""
iface() { # ns dev lines...
  local f=$work/$1/isisd.conf ns=$1 dev=$2
  shift 2
  { echo "interface $dev"; echo " ip router isis T"; echo " ipv6 router isis T"; for l in "$@"; do echo " $l"; done; } >>"$f"
}
iface "$A" a0 "isis hello-interval 2" "isis csnp-interval 5" "no isis hello padding" "isis password md5 hellokey" "isis priority 80"
iface "$B" b0 "isis hello-interval 2" "isis csnp-interval 5" "no isis hello padding" "isis password md5 hellokey"
iface "$A" a1 "isis network point-to-point" "isis circuit-type level-1" "isis hello-interval 8" "isis password clear p2pkey"
iface "$C" c0 "isis network point-to-point" "isis hello-interval 8" "isis password clear p2pkey"
# TE link parameters for A's LAN circuit (its extended IS reachability carries them as sub-TLVs)
cat >"$work/$A/zebra.conf" <<EOF
interface a0
 link-params
  enable
  metric 20
  max-bw 1e+09
  max-rsv-bw 5e+08
  unrsv-bw 0 5e+08
  admin-grp 0x5
 exit-link-params
EOF

rm -f "$out"
capture "$A" a0 "$work/lan.pcap"
t0=$captured
capture "$A" a1 "$work/p2p.pcap"
t1=$captured
for ns in "$A" "$B" "$C"; do frr_start "$ns" isisd; done

sleep $((secs / 2))
vty "$A" "show isis neighbor"
# The LAN flaps from B's side (A's end loses its carrier, the capture goes on)
ip -n "$B" link set b0 down
sleep 4
ip -n "$B" link set b0 up
sleep $((secs / 2))
vty "$A" "show isis neighbor"
stop_capture "$t0" "$t1"
mergecap -F pcap -w "$out" "$work/lan.pcap" "$work/p2p.pcap"
tcpdump -r "$out" -n 2>/dev/null | sed 's/.*\(IS-IS\|OSI\)/\1/' | cut -c1-40 | sort | uniq -c | sort -rn | head -20 >&2
ls -l "$out" >&2
