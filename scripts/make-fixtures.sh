#!/usr/bin/env bash
# Regenerates the pcap fixtures in fixtures/ (or the directory given as $1) from real traffic between two
# network namespaces joined by a veth pair, plus crafted files from scripts/fixtures.py.
# Needs root, tcpdump, python3, curl, dnsmasq, iperf3 and ping. All traffic stays inside the namespaces.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(realpath -m "${1:-$HERE/../fixtures}")
PY="python3 $HERE/fixtures.py"
mkdir -p "$OUT"
[[ $(id -u) -eq 0 ]] || { echo "make-fixtures.sh: must run as root" >&2; exit 1; }
for tool in tcpdump python3 curl dnsmasq iperf3 ping ip; do
  command -v "$tool" >/dev/null || { echo "make-fixtures.sh: $tool is missing" >&2; exit 1; }
done

SUF=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
NA=tf${SUF}a
NB=tf${SUF}b
VA=tf${SUF}va
VB=tf${SUF}vb
WORK=$(mktemp -d /tmp/tf-fixtures.XXXXXX)
PIDS=()

cleanup() {
  local p
  for p in "${PIDS[@]:-}"; do [[ -n $p ]] && kill "$p" 2>/dev/null || true; done
  sleep 0.2
  ip netns del "$NA" 2>/dev/null || true
  ip netns del "$NB" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

ina() { ip netns exec "$NA" "$@"; }
inb() { ip netns exec "$NB" "$@"; }

ip netns add "$NA"
ip netns add "$NB"
ip link add "$VA" netns "$NA" address 02:00:00:77:00:01 type veth peer name "$VB" netns "$NB" address 02:00:00:77:00:02
for ns in "$NA" "$NB"; do
  ip -n "$ns" link set lo up
  ip netns exec "$ns" sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
  ip netns exec "$ns" sysctl -qw net.ipv4.icmp_ratelimit=0
  ip netns exec "$ns" sysctl -qw net.ipv6.icmp.ratelimit=0
done
ip -n "$NA" addr add 10.77.0.1/24 broadcast 10.77.0.255 dev "$VA"
ip -n "$NB" addr add 10.77.0.2/24 broadcast 10.77.0.255 dev "$VB"
ip -n "$NA" addr add fd77::1/64 dev "$VA" nodad
ip -n "$NB" addr add fd77::2/64 dev "$VB" nodad
ip -n "$NA" link set "$VA" up
ip -n "$NB" link set "$VB" up
sleep 1 # link-local addresses and the first MLD reports settle before any capture starts

# Services in namespace B: an HTTP server (dual stack), a DNS server answering from a hosts file, iperf3.
mkdir -p "$WORK/www"
echo '<html><body>tscap fixture page</body></html>' >"$WORK/www/index.html"
head -c 20000 /dev/zero | tr '\0' 'a' >"$WORK/www/big.txt"
(cd "$WORK/www" && exec ip netns exec "$NB" python3 -m http.server 80 --bind :: >/dev/null 2>&1) &
PIDS+=($!)
cat >"$WORK/hosts" <<'EOF'
10.77.0.2 web.tscap.test
fd77::2 web.tscap.test
10.77.0.10 db.tscap.test
10.77.0.20 mail.tscap.test
EOF
ip netns exec "$NB" dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts --addn-hosts="$WORK/hosts" \
  --listen-address=10.77.0.2,fd77::2 --bind-interfaces --user=root \
  --cname=www.tscap.test,web.tscap.test --mx-host=tscap.test,mail.tscap.test,10 \
  --txt-record=tscap.test,"v=tscap fixture" --ptr-record=2.0.77.10.in-addr.arpa,web.tscap.test \
  --pid-file="$WORK/dnsmasq.pid" >/dev/null 2>&1 &
PIDS+=($!)
sleep 1

# capture NAME [tcpdump options...] -- command...: runs command while tcpdump in B writes OUT/NAME.pcap.
capture() {
  local name=$1; shift
  local opts=()
  while [[ $1 != -- ]]; do opts+=("$1"); shift; done
  shift
  local err="$WORK/$name.err"
  # exec'd directly so that $! is tcpdump itself and SIGINT reaches it; immediate mode because
  # TPACKET_V3 holds packets in a block until its timer retires it, and SIGINT would lose that block
  ip netns exec "$NB" tcpdump -Z root -U --immediate-mode -n -w "$OUT/$name.pcap" "${opts[@]}" 2>"$err" &
  local tp=$!
  local i
  for i in $(seq 50); do grep -q 'listening on' "$err" 2>/dev/null && break; sleep 0.1; done
  "$@" || echo "make-fixtures.sh: traffic for $name exited with $?" >&2
  sleep 0.5
  kill -INT "$tp" 2>/dev/null || true # already gone when -c was reached
  wait "$tp" || true
  echo "$name: $(grep captured "$err")"
}
on_b() { capture "$1" -i "$VB" "${@:2}"; }

flush_neigh() { ina ip neigh flush dev "$VA"; inb ip neigh flush dev "$VB"; }

http_traffic() {
  flush_neigh
  ina curl -sS -o /dev/null http://10.77.0.2/
  ina curl -sS -o /dev/null http://10.77.0.2/missing
  ina curl -s -o /dev/null -I http://10.77.0.2/index.html
  ina curl -s -o /dev/null 'http://[fd77::2]/big.txt'
  ina curl -s -o /dev/null --max-time 2 http://10.77.0.2:8081/ || true # closed port: RST
}
dns_traffic() {
  ina $PY dns 10.77.0.2
  ina $PY dns fd77::2
}
ping_traffic() {
  flush_neigh
  ina ping -n -q -c 4 -i 0.2 10.77.0.2 >/dev/null
  ina ping -n -q -c 2 -i 0.2 -s 1000 -M do 10.77.0.2 >/dev/null
  ina ping -n -q -c 2 -i 0.2 -t 1 -Q 0xb8 10.77.0.2 >/dev/null
  ina ping -n -q -b -c 2 -i 0.2 10.77.0.255 >/dev/null 2>&1 || true
  ina $PY udp-closed 10.77.0.2 9999
}
ping6_traffic() {
  flush_neigh
  ina ping -6 -n -q -c 4 -i 0.2 fd77::2 >/dev/null
  ina ping -6 -n -q -c 2 -i 0.2 "fe80::ff:fe77:2%$VA" >/dev/null || true
  ina ping -6 -n -q -c 2 -i 0.2 "ff02::1%$VA" >/dev/null || true
  ina $PY udp-closed fd77::2 9999
}
arp_traffic() {
  flush_neigh
  ina ping -n -q -c 1 10.77.0.2 >/dev/null
  ina ping -n -q -c 1 -W 1 10.77.0.99 >/dev/null || true # nobody answers: repeated requests
  inb ping -n -q -c 1 10.77.0.1 >/dev/null
  ina ip neigh flush dev "$VA"
  ina ping -n -q -c 1 -I 10.77.0.1 10.77.0.2 >/dev/null
}
frag_traffic() {
  ina ping -n -q -c 2 -i 0.3 -s 3000 10.77.0.2 >/dev/null
  ina ping -6 -n -q -c 2 -i 0.3 -s 3000 fd77::2 >/dev/null
}
mix_traffic() {
  flush_neigh
  ina curl -s -o /dev/null http://10.77.0.2/
  ina curl -s -o /dev/null 'http://[fd77::2]/index.html'
  ina $PY dns 10.77.0.2
  ina ping -n -q -c 2 -i 0.2 10.77.0.2 >/dev/null
  ina ping -6 -n -q -c 2 -i 0.2 fd77::2 >/dev/null
  ina ping -n -q -c 1 -s 2000 10.77.0.2 >/dev/null
  ina $PY udp-closed 10.77.0.2 9999
  ina $PY udp-closed fd77::2 9999
}
iperf_tcp() { ina iperf3 -c 10.77.0.2 -t 1 -b 400K -l 1000 >/dev/null; }
iperf_udp() { ina iperf3 -c 10.77.0.2 -u -t 1 -b 400K -l 400 >/dev/null; }
iperf_tcp6() { ina iperf3 -c fd77::2 -t 1 -b 200K -l 600 >/dev/null; }

# a throw-away first capture soaks up the router solicitations and MLD reports of the fresh links
on_b warmup -- sleep 0.5
rm -f "$OUT/warmup.pcap"

on_b http -- http_traffic
on_b dns -- dns_traffic
on_b icmp -- ping_traffic
on_b icmp6 -- ping6_traffic
on_b arp -- arp_traffic
on_b fragments -- frag_traffic
on_b multicast -- ina $PY join "$VA"
on_b mixed -- mix_traffic
on_b snap64 -s 64 -- mix_traffic
on_b snap96 -s 96 -- mix_traffic
capture sll2 -i any -- mix_traffic
capture sll -i any -y LINUX_SLL -- mix_traffic

inb iperf3 -s -D --pidfile "$WORK/iperf.pid" >/dev/null
sleep 0.5
on_b iperf-tcp -s 128 -c 400 -- iperf_tcp
on_b iperf-udp -s 128 -c 400 -- iperf_udp
on_b iperf-tcp6 -s 128 -c 300 -- iperf_tcp6
kill "$(cat "$WORK/iperf.pid")" 2>/dev/null || true

# Tagged frames sent raw from A; B's kernel strips the outer tag and libpcap writes it back into the file.
on_b vlan -- ina $PY inject "$VA" vlan
on_b qinq -- ina $PY inject "$VA" qinq

$PY craft "$OUT"
$PY relink "$OUT/mixed.pcap" "$OUT"

$PY summary "$OUT"
