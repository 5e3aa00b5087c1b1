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
FRR=/usr/lib/frr
id=$$
A=isA$id
B=isB$id
C=isC$id
work=$(mktemp -d)
cleanup() {
  for ns in "$A" "$B" "$C"; do
    for p in "$work/$ns"/*.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true; done
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "/var/run/frr/$ns" "/etc/frr/$ns"
  done
  rm -rf "$work"
}
trap cleanup EXIT

for ns in "$A" "$B" "$C"; do
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
done
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
  mkdir -p "$d" "/var/run/frr/$1" "/etc/frr/$1"
  touch "/etc/frr/$1/vtysh.conf"
  chown frr:frr "/var/run/frr/$1"
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

start() { # ns daemon
  ip netns exec "$1" "$FRR/$2" -d -N "$1" -u frr -g frr -f "$work/$1/$2.conf" -i "$work/$1/$2.pid" -A 127.0.0.1 >/dev/null 2>&1
}
chown -R frr:frr "$work"
rm -f "$out"
ip netns exec "$A" tcpdump -i a0 -s 0 -U -w "$work/lan.pcap" 2>/dev/null &
t0=$!
ip netns exec "$A" tcpdump -i a1 -s 0 -U -w "$work/p2p.pcap" 2>/dev/null &
t1=$!
# Wait for both tcpdumps to be capturing: their sockets are in the namespace's packet table.
for _ in $(seq 200); do [ "$(ip netns exec "$A" wc -l </proc/net/packet)" -gt 2 ] && break; sleep 0.05; done
for ns in "$A" "$B" "$C"; do start "$ns" zebra; done
for _ in $(seq 200); do [ -S "/var/run/frr/$A/zserv.api" ] && [ -S "/var/run/frr/$B/zserv.api" ] && [ -S "/var/run/frr/$C/zserv.api" ] && break; sleep 0.05; done
for ns in "$A" "$B" "$C"; do start "$ns" isisd || echo "warning: isisd did not start in $ns" >&2; done

vty() { # ns command... (each argument one vtysh line)
  local ns=$1 args=()
  shift
  for c in "$@"; do args+=(-c "$c"); done
  ip netns exec "$ns" vtysh -N "$ns" "${args[@]}" >&2 || echo "warning: vtysh in $ns failed: $*" >&2
}
sleep $((secs / 2))
vty "$A" "show isis neighbor"
# The LAN flaps from B's side (A's end loses its carrier, the capture goes on)
ip -n "$B" link set b0 down
sleep 4
ip -n "$B" link set b0 up
sleep $((secs / 2))
vty "$A" "show isis neighbor"
kill "$t0" "$t1"
wait "$t0" "$t1" 2>/dev/null || true
mergecap -F pcap -w "$out" "$work/lan.pcap" "$work/p2p.pcap"
tcpdump -r "$out" -n 2>/dev/null | sed 's/.*\(IS-IS\|OSI\)/\1/' | cut -c1-40 | sort | uniq -c | sort -rn | head -20 >&2
ls -l "$out" >&2
