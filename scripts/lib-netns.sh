# Sourced by the scripts/real-*.sh fixture makers after `set -euo pipefail`: network namespaces that
# are deleted on exit with every process in them (and FRR's and lldpd's per-namespace files), a work
# directory $work, tcpdump captures that have started before the function returns, and FRR daemons
# started in a namespace and driven through vtysh.
work=$(mktemp -d)
namespaces=()
cleanup() {
  for ns in "${namespaces[@]}"; do
    for p in "$work/$ns"/*.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true; done
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "/var/run/frr/$ns" "/etc/frr/$ns" "/run/lldpd.$ns.socket"
  done
  rm -rf "$work"
}
trap cleanup EXIT

# netns NAME...: new namespaces with their loopback up.
netns() {
  for ns in "$@"; do
    ip netns add "$ns"
    namespaces+=("$ns")
    ip -n "$ns" link set lo up
  done
}

# capture NS DEV OUT: tcpdump records DEV into OUT in the background (its pid in $captured); returns
# once tcpdump says it is listening (its socket bound and its ring set up), so no frame sent afterwards
# is missed.
capture() {
  local err=$work/tcpdump-$2.err
  ip netns exec "$1" tcpdump -i "$2" -s 0 -U -w "$3" 2>"$err" &
  captured=$!
  for _ in $(seq 400); do grep -q 'listening on' "$err" && return; sleep 0.05; done
  echo "tcpdump on $2 in $1 did not start: $(cat "$err")" >&2
  exit 1
}

# stop_capture PID...: ends captures and waits until their files are complete.
stop_capture() {
  kill "$@"
  wait "$@" 2>/dev/null || true
}

FRR=/usr/lib/frr
# frr_dir NS: the directories an FRR instance named after its namespace needs; configs go in $work/NS.
frr_dir() {
  mkdir -p "$work/$1" "/var/run/frr/$1" "/etc/frr/$1"
  touch "/etc/frr/$1/vtysh.conf"
  chown frr:frr "/var/run/frr/$1"
}

# frr_start NS DAEMON...: zebra first (the others wait for its socket), then each daemon in turn.
frr_start() {
  local ns=$1 d
  shift
  chown -R frr:frr "$work"
  for d in zebra "$@"; do
    ip netns exec "$ns" "$FRR/$d" -d -N "$ns" -u frr -g frr -f "$work/$ns/$d.conf" -i "$work/$ns/$d.pid" -A 127.0.0.1 >/dev/null 2>&1 ||
      echo "warning: $d did not start in $ns" >&2
    if [ "$d" = zebra ]; then
      for _ in $(seq 200); do [ -S "/var/run/frr/$ns/zserv.api" ] && break; sleep 0.05; done
    fi
  done
}

# vty NS COMMAND...: each argument one vtysh line in that namespace's FRR.
vty() {
  local ns=$1 args=() c
  shift
  for c in "$@"; do args+=(-c "$c"); done
  ip netns exec "$ns" vtysh -N "$ns" "${args[@]}" >&2 || echo "warning: vtysh in $ns failed: $*" >&2
}

# veth_pair NS_A DEV_A ADDR_A NS_B DEV_B ADDR_B: new namespaces NS_A and NS_B joined by a veth pair,
# each end up with its IPv4 address (/24) and IPv6 off, so the link carries only what is sent on it.
veth_pair() {
  netns "$1" "$4"
  ip link add "$2" netns "$1" type veth peer name "$5" netns "$4"
  local ns dev addr
  for end in "$1 $2 $3" "$4 $5 $6"; do
    read -r ns dev addr <<<"$end"
    ip netns exec "$ns" sysctl -qw net.ipv6.conf."$dev".disable_ipv6=1
    ip -n "$ns" link set "$dev" up
    ip -n "$ns" addr add "$addr/24" dev "$dev"
  done
}
