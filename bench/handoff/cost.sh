#!/usr/bin/env bash
# What one captured frame costs tscap in CPU, per hand-off method: trafgen sends N fixed-size frames
# into a veth that tscap captures on (in a namespace of its own), and the CPU time tscap's threads
# spent (user + system, from /proc/PID/task/*/stat) is divided by the frames it captured. Unlike
# run.sh's throughput, CPU time per frame moves little when other jobs share the machine, so it is the
# figure to compare changes by. Usage (as root, after `npm run build`):
#   bench/handoff/cost.sh                       # 200,000 frames of 1514 bytes per method
#   FRAMES=500000 GAP_US=2 METHODS="capture mirror-off" bench/handoff/cost.sh
# Methods: capture (-w /dev/null), mirror-on, mirror-off, export-on, export-off (--send-thread on/off),
# export-on/off send with UDP GSO (the default; every frame here has one length, GSO's best case: "at
# analyzer" then counts GSO packets, not datagrams), export-nogso-on, export-nogso-off with gso=0,
# mirror-gro-on, mirror-gro-off, export-gro-on, export-gro-off (these send one TCP flow of in-order segments). Everything it makes is named tk + a random suffix, removed on exit.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
TSCAP_JS=${TSCAP_JS:-$REPO/dist/bin/tscap.js}
FRAMES=${FRAMES:-200000}
GAP_US=${GAP_US:-3}
METHODS=${METHODS:-"capture mirror-on mirror-off export-on export-off"}
HZ=$(getconf CLK_TCK)
# Options for node before the script, e.g. NODE_OPTS="--cpu-prof --cpu-prof-dir=/tmp/prof".
read -ra NODE_ARGS <<<"${NODE_OPTS:-}"
S=$(printf '%04x' $((RANDOM)))
NC=tkc$S NS=tks$S NA=tka$S
WORK=$(mktemp -d)
SINK_PID=
cleanup() {
  [[ -n $SINK_PID ]] && kill "$SINK_PID" 2>/dev/null || true
  for n in $NC $NS $NA; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
[[ -f $TSCAP_JS ]] || { echo "build first: npm run build" >&2; exit 1; }
command -v trafgen >/dev/null || { echo "trafgen (netsniff-ng) is needed" >&2; exit 1; }

for n in $NC $NS $NA; do
  ip netns add "$n"
  ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$n" link set lo up
done
ip link add tkc0$S netns "$NC" type veth peer name tkc1$S netns "$NS"
ip link add tkm0$S netns "$NC" type veth peer name tkm1$S netns "$NA"
ip link add tkx0$S netns "$NC" type veth peer name tkx1$S netns "$NA"
for l in tkc0$S tkm0$S tkx0$S; do ip -n "$NC" link set "$l" up; done
ip -n "$NS" link set tkc1$S up
for l in tkm1$S tkx1$S; do ip -n "$NA" link set "$l" up; done
# Room for a frame and its VXLAN, UDP and IP headers (no fragments), and for GRO's merged packets.
for l in tkm0$S tkx0$S; do ip -n "$NC" link set "$l" mtu 65535; done
for l in tkm1$S tkx1$S; do ip -n "$NA" link set "$l" mtu 65535; done
ip -n "$NC" addr add 198.51.100.5/30 dev tkx0$S
ip -n "$NA" addr add 198.51.100.6/30 dev tkx1$S
ip netns exec "$NC" ping -c 1 -W 2 198.51.100.6 >/dev/null
# The analyzer's VXLAN port is bound (no ICMP port unreachable comes back) and never read.
ip netns exec "$NA" /usr/bin/python3 -c 'import socket,time
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("0.0.0.0",4789)); time.sleep(3600)' &
SINK_PID=$!
cat >"$WORK/frame.cfg" <<'EOF'
{ eth(da=02:00:00:00:00:02, sa=02:00:00:00:00:01), ipv4(saddr=203.0.113.1, daddr=203.0.113.2, ttl=64), udp(sp=40000, dp=9), fill(0x41, 1472) }
EOF
# For the GRO methods: one TCP flow of in-order 1460-byte segments (1514-byte frames), which GRO merges.
cat >"$WORK/tcp.cfg" <<'EOF'
{ eth(da=02:00:00:00:00:02, sa=02:00:00:00:00:01), ipv4(saddr=203.0.113.1, daddr=203.0.113.2, ttl=64), tcp(sp=40000, dp=9, seq=dinc(0, 4000000000, 1460), aseq=1, ack, win=500), fill(0x41, 1460) }
EOF

rx() { ip netns exec "$NA" cat "/sys/class/net/$1/statistics/rx_packets"; }
# user+system ticks of the main thread, of all other threads together, and system ticks of all
ticks() { # pid
  local main=0 other=0 sys=0 t u k
  for t in /proc/"$1"/task/*; do
    read -r u k < <(awk '{sub(/^.*\) /, ""); print $12, $13}' "$t/stat" 2>/dev/null || echo 0 0)
    if [[ ${t##*/} == "$1" ]]; then main=$((u + k)); else other=$((other + u + k)); fi
    sys=$((sys + k))
  done
  echo "$main $other $sys"
}

printf '| method | frames captured | kernel drops | at analyzer | CPU µs per frame (capture thread + other threads) | of which in the kernel | summary |\n|---|---|---|---|---|---|---|\n'
for m in $METHODS; do
  cfg=frame.cfg
  case $m in
    capture) args=(-w /dev/null); at= ;;
    mirror-on | mirror-off) args=(--send-thread "${m#mirror-}" --mirror tkm0$S); at=tkm1$S ;;
    export-on | export-off) args=(--send-thread "${m#export-}" --export "udp://198.51.100.6:4789"); at=tkx1$S ;;
    export-nogso-on | export-nogso-off) args=(--send-thread "${m#export-nogso-}" --export "udp://198.51.100.6:4789?gso=0"); at=tkx1$S ;;
    mirror-gro-on | mirror-gro-off) args=(--send-thread "${m#mirror-gro-}" --gro --mirror tkm0$S); at=tkm1$S cfg=tcp.cfg ;;
    export-gro-on | export-gro-off) args=(--send-thread "${m#export-gro-}" --gro --export "udp://198.51.100.6:4789"); at=tkx1$S cfg=tcp.cfg ;;
    *) echo "unknown method $m" >&2; exit 2 ;;
  esac
  before=0
  [[ -n $at ]] && before=$(rx "$at")
  ip netns exec "$NC" node "${NODE_ARGS[@]}" "$TSCAP_JS" -i tkc0$S "${args[@]}" 'dst port 9' >/dev/null 2>"$WORK/err" &
  pid=$!
  for _ in $(seq 1 200); do grep -q 'listening on' "$WORK/err" && break; sleep 0.05; done
  sleep 0.3
  read -r m0 o0 s0 < <(ticks "$pid")
  ip netns exec "$NS" trafgen -o tkc1$S -i "$WORK/$cfg" -n "$FRAMES" -t "${GAP_US}us" -q >/dev/null 2>&1
  sleep 0.5
  read -r m1 o1 s1 < <(ticks "$pid")
  kill -INT "$pid"
  wait "$pid" || true
  cap=$(grep -oE '^[0-9]+ packets captured' "$WORK/err" | awk '{print $1}')
  drop=$(grep -oE '^[0-9]+ packets dropped by kernel' "$WORK/err" | awk '{print $1}')
  line=$(grep -E 'packets (mirrored|exported)' "$WORK/err" | head -1 || true)
  got=–
  [[ -n $at ]] && got=$(($(rx "$at") - before))
  awk -v m="$m" -v c="$cap" -v d="$drop" -v g="$got" -v hz="$HZ" -v mt=$((m1 - m0)) -v ot=$((o1 - o0)) -v st=$((s1 - s0)) -v l="$line" \
    'BEGIN { us = 1e6 / hz / (c > 0 ? c : 1); printf "| %s | %d | %d | %s | %.2f (%.2f + %.2f) | %.2f | %s |\n", m, c, d, g, (mt + ot) * us, mt * us, ot * us, st * us, l }'
done
