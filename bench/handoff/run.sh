#!/usr/bin/env bash
# Measures what each way of handing a bridge's traffic to an analyzer costs: the iperf3 TCP throughput
# the bridge keeps (against a baseline run just before each measured run) and how many of the frames
# crossing the bridge reach the analyzer. Everything runs in network namespaces this script creates and
# deletes; no traffic leaves them.
#
#   client ns ──veth── [ bridge ns: bridge with two veth ports ] ──veth── server ns
#                                      │ analyzer port (veth)
#                                 analyzer ns
#
# usage (root):  bench/handoff/run.sh            # ~5 minutes, iperf3 -t 5, 3 repetitions
#                QUICK=1 bench/handoff/run.sh    # <2 minutes, iperf3 -t 2
#                QUICK=1 METHODS="mirred tscap-mirror tscap-export tscap-mirror-gro tscap-export-gro tscap-capture" bench/handoff/run.sh
# env: REPS (3), SECONDS_PER_RUN (5, QUICK 2), METHODS (space-separated subset), OUT (default RESULTS.md,
#      QUICK RESULTS-quick.md),
#      TSCAP_OPTS / TCPDUMP_OPTS (extra options, e.g. "-B 65536"), NO_BUILD=1 (never build dist/),
#      ANALYZER_UDP_GRO=1 (the export rows' analyzer reads with UDP_GRO, as a collector built for rate does)
# methods beyond the defaults: tscap-capture (in the full run), tscap-nfqueue, tscap-nfqueue-gso, e.g.
#   QUICK=1 METHODS="nfqueue tscap-nfqueue tscap-nfqueue-gso" bench/handoff/run.sh
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
TSCAP_JS=$REPO/dist/bin/tscap.js
REPS=${REPS:-3}
if [[ ${QUICK:-0} == 1 ]]; then DUR=${SECONDS_PER_RUN:-2}; else DUR=${SECONDS_PER_RUN:-5}; fi
# QUICK leaves out the tscap capture-only reference to stay under two minutes.
if [[ ${QUICK:-0} == 1 ]]; then
  METHODS=${METHODS:-"flood mirred nfqueue tscap-mirror tscap-export tcpdump"}
else
  METHODS=${METHODS:-"flood mirred nfqueue tscap-mirror tscap-export tcpdump tscap-capture"}
fi
# Extra options for the capture tools, e.g. TSCAP_OPTS="-B 65536" TCPDUMP_OPTS="-B 65536" (word-split).
TSCAP_OPTS=${TSCAP_OPTS:-}
TCPDUMP_OPTS=${TCPDUMP_OPTS:-}
read -ra TSCAP_ARGS <<<"$TSCAP_OPTS"
# Options for node itself before the script, e.g. NODE_OPTS="--cpu-prof --cpu-prof-dir=/tmp/prof" (NODE_OPTIONS refuses --cpu-prof).
read -ra NODE_ARGS <<<"${NODE_OPTS:-}"
read -ra TCPDUMP_ARGS <<<"$TCPDUMP_OPTS"
# A quick run never overwrites the full run's table.
if [[ ${QUICK:-0} == 1 ]]; then OUT=${OUT:-$HERE/RESULTS-quick.md}; else OUT=${OUT:-$HERE/RESULTS.md}; fi

log() { printf '[handoff] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[[ $EUID -eq 0 ]] || { echo "run as root (namespaces, bridges and tc need it)" >&2; exit 2; }
for m in $METHODS; do
  case $m in
  flood | mirred | mirred-br0 | nfqueue | tscap-mirror | tscap-mirror-kernel | tscap-export | tscap-mirror-gro | tscap-export-gro | tscap-export-nogso | tcpdump | tscap-capture | tscap-nfqueue | tscap-nfqueue-gso) ;;
  *) echo "unknown method '$m' (known: flood mirred mirred-br0 nfqueue tscap-mirror tscap-mirror-kernel tscap-export tscap-mirror-gro tscap-export-gro tscap-export-nogso tcpdump tscap-capture tscap-nfqueue tscap-nfqueue-gso)" >&2; exit 2 ;;
  esac
done

# ---------------------------------------------------------------------------------------------------
# Tools: install only what is missing (Debian/Ubuntu).
need_pkgs=()
command -v iperf3 >/dev/null || need_pkgs+=(iperf3)
command -v tcpdump >/dev/null || need_pkgs+=(tcpdump)
command -v ethtool >/dev/null || need_pkgs+=(ethtool)
command -v tc >/dev/null || need_pkgs+=(iproute2)
command -v python3 >/dev/null || need_pkgs+=(python3)
if [[ " $METHODS " == *" tscap-export"* ]]; then
  command -v gcc >/dev/null || need_pkgs+=(gcc)
fi
if [[ " $METHODS " == *" nfqueue "* || " $METHODS " == *" tscap-nfqueue"* ]]; then
  command -v iptables >/dev/null || command -v iptables-legacy >/dev/null || need_pkgs+=(iptables)
  command -v gcc >/dev/null || need_pkgs+=(gcc)
  [[ -f /usr/include/libnetfilter_queue/libnetfilter_queue.h ]] || need_pkgs+=(libnetfilter-queue-dev)
fi
if ((${#need_pkgs[@]})); then
  log "installing ${need_pkgs[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >&2 ||
    log "warning: could not install ${need_pkgs[*]}; methods needing them are reported as not measured"
fi
command -v iperf3 >/dev/null || die "iperf3 is required"
command -v ethtool >/dev/null || die "ethtool is required (to turn segmentation offloads off)"

if [[ ${NO_BUILD:-0} != 1 && ! -f $TSCAP_JS ]]; then
  log "building tscap (dist/ is missing)"
  (cd "$REPO" && npm run build >&2) || die "npm run build failed; retry, or fix the build"
fi

# ---------------------------------------------------------------------------------------------------
# Names: "th" + random suffix; interfaces stay within 15 characters.
SUF=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
NCLI=thcli$SUF NSRV=thsrv$SUF NBR=thbr$SUF NAN=than$SUF
BR=thbr$SUF            # the bridge device (inside the bridge namespace)
CV=thc$SUF CP=thcp$SUF # client end, bridge port facing the client
SV=ths$SUF SP=thsp$SUF # server end, bridge port facing the server
AV=tha$SUF AP=thap$SUF # analyzer end, analyzer port in the bridge namespace
CLI_IP=192.0.2.1 SRV_IP=192.0.2.2                # TEST-NET-1, only inside the namespaces
EXP_LOCAL=198.51.100.1 EXP_ANALYZER=198.51.100.2 # TEST-NET-2, bridge ns ↔ analyzer ns (export only)
WORK=$(mktemp -d /tmp/th"$SUF".XXXXXX)
PIDS=()
TSCAP_EXTRA=()

cleanup() {
  local rc=$?
  set +e
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  for ns in "$NCLI" "$NSRV" "$NBR" "$NAN"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

inb() { ip netns exec "$NBR" "$@"; }
ina() { ip netns exec "$NAN" "$@"; }

# Starts a background process, remembers its pid for cleanup. Output goes to the given files.
spawn() {
  local out=$1 err=$2
  shift 2
  "$@" >"$out" 2>"$err" &
  PIDS+=($!)
  LAST_PID=$!
}
# Stops a process started with spawn (signal given) and forgets it.
reap() {
  local pid=$1 sig=$2 keep=() p
  kill "-$sig" "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}
# CPU seconds (user + system, all threads) a process has used so far.
HZ=$(getconf CLK_TCK)
cpu_seconds() { awk -v hz="$HZ" '{sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Number of AF_PACKET sockets in the bridge namespace (to know when a capture tool has bound).
packet_sockets() { inb cat /proc/net/packet | tail -n +2 | wc -l; }
wait_packet_socket() {
  local before=$1 pid=$2
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 1
    (($(packet_sockets) > before)) && { sleep 0.2; return 0; }
    sleep 0.1
  done
  return 1
}
# Waits (10 s at most) for tscap's stderr to say PATTERN; fails if it exits first.
wait_tscap_says() {
  local pattern=$1 pid=$2
  for _ in $(seq 1 100); do
    grep -q "$pattern" "$WORK/tscap.err" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
# tscap's socket exists before its ring is mapped and bound: wait for its "listening on" line too
# (a 128 MiB ring can take longer than the 0.2 s above on a busy machine; frames before it are missed).
wait_tscap() {
  wait_packet_socket "$1" "$2" && wait_tscap_says 'listening on' "$2"
}

# ---------------------------------------------------------------------------------------------------
# Topology.
log "topology: namespaces $NCLI $NSRV $NBR $NAN"
for ns in "$NCLI" "$NSRV" "$NBR" "$NAN"; do
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip -n "$NBR" link add "$BR" type bridge stp_state 0
# Plain bridge unless a method asks for more: no bridge-netfilter hooks, no IPv6 chatter.
inb sysctl -qw net.bridge.bridge-nf-call-iptables=0 2>/dev/null || true
ip link add "$CV" netns "$NCLI" type veth peer name "$CP" netns "$NBR"
ip link add "$SV" netns "$NSRV" type veth peer name "$SP" netns "$NBR"
ip link add "$AV" netns "$NAN" type veth peer name "$AP" netns "$NBR"
ip -n "$NBR" link set "$CP" master "$BR"
ip -n "$NBR" link set "$SP" master "$BR"
# Room for a VXLAN-wrapped full-size frame (1514 + 50 bytes) on the analyzer link.
ip -n "$NBR" link set "$AP" mtu 1600
ip -n "$NAN" link set "$AV" mtu 1600
ip -n "$NCLI" addr add "$CLI_IP/24" dev "$CV"
ip -n "$NSRV" addr add "$SRV_IP/24" dev "$SV"
for l in "$NCLI:$CV" "$NSRV:$SV" "$NBR:$CP" "$NBR:$SP" "$NBR:$AP" "$NBR:$BR" "$NAN:$AV"; do
  ip -n "${l%%:*}" link set "${l#*:}" up
done
# Segmentation and receive offloads off: every skb crossing the bridge is one wire-sized frame, as on
# a physical link; otherwise the bridge forwards 64 KiB super-packets that no analyzer port can carry.
OFFLOAD_LINKS=("$NCLI:$CV" "$NSRV:$SV" "$NBR:$CP" "$NBR:$SP" "$NBR:$BR")
offloads() { # on|off
  local l
  for l in "${OFFLOAD_LINKS[@]}"; do
    ip netns exec "${l%%:*}" ethtool -K "${l#*:}" tso "$1" gso "$1" gro "$1" >/dev/null 2>&1 || true
  done
}
offloads off
# Static neighbours: no ARP during or between runs.
CV_MAC=$(ip -n "$NCLI" -br link show "$CV" | awk '{print $3}')
SV_MAC=$(ip -n "$NSRV" -br link show "$SV" | awk '{print $3}')
AV_MAC=$(ip -n "$NAN" -br link show "$AV" | awk '{print $3}')
ip -n "$NCLI" neigh replace "$SRV_IP" lladdr "$SV_MAC" dev "$CV" nud permanent
ip -n "$NSRV" neigh replace "$CLI_IP" lladdr "$CV_MAC" dev "$SV" nud permanent

spawn "$WORK/iperf3-server.out" "$WORK/iperf3-server.err" ip netns exec "$NSRV" iperf3 -s -B "$SRV_IP"
for _ in $(seq 1 50); do [[ -n $(ip netns exec "$NSRV" ss -Hltn 'sport = :5201') ]] && break; sleep 0.1; done

# ---------------------------------------------------------------------------------------------------
# Counters.
port_counters() { # frames the client-facing port received + sent = every frame between the hosts
  inb cat "/sys/class/net/$CP/statistics/rx_packets" "/sys/class/net/$CP/statistics/tx_packets" |
    awk '{s += $1} END {print s}'
}
analyzer_rx() { ina cat "/sys/class/net/$AV/statistics/rx_packets"; }

IPERF_CMD="iperf3 -c $SRV_IP -t $DUR -J"
# Runs iperf3 from the client; prints received bits/s.
run_iperf() {
  ip netns exec "$NCLI" iperf3 -c "$SRV_IP" -t "$DUR" -J --connect-timeout 3000 >"$WORK/iperf.json" ||
    die "iperf3 failed: $(tail -c 400 "$WORK/iperf.json")"
  python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"]))' \
    "$WORK/iperf.json"
}

# ---------------------------------------------------------------------------------------------------
# Methods: setup_X before iperf3, teardown_X after; teardown_X sets NOTE (free text for the table) and
# may set CONSUMED (frames the consumer itself saw) when the analyzer is not a separate namespace.
# CMD_X is the command line shown in RESULTS.md (names shortened to the roles).
declare -A CMD TITLE SKIP
TITLE[baseline]="baseline (no hand-off)"
CMD[baseline]="(nothing)"

TITLE[flood]="bridge flooding (ageing 0)"
CMD[flood]="ip link set ANALYZERPORT master br0; ip link set br0 type bridge ageing_time 0"
setup_flood() {
  ip -n "$NBR" link set "$AP" master "$BR"
  ip -n "$NBR" link set "$BR" type bridge ageing_time 0
}
teardown_flood() {
  ip -n "$NBR" link set "$BR" type bridge ageing_time 30000
  ip -n "$NBR" link set "$AP" nomaster
  ip -n "$NBR" link set "$AP" up
  NOTE="analyzer port is a bridge port; unicast is flooded to every port"
}

TITLE[mirred]="tc mirred (both bridge ports, ingress)"
CMD[mirred]="tc qdisc add dev PORT clsact; tc filter add dev PORT ingress protocol all prio 1 matchall action mirred egress mirror dev ANALYZERPORT"
MIRRED_MATCH=
detect_mirred() {
  # matchall is the usual choice; kernels built without CONFIG_NET_CLS_MATCHALL take u32 "match all".
  inb tc qdisc add dev "$CP" clsact
  if inb tc filter add dev "$CP" ingress protocol all prio 1 matchall \
    action mirred egress mirror dev "$AP" 2>/dev/null; then
    MIRRED_MATCH="matchall"
  elif inb tc filter add dev "$CP" ingress protocol all prio 1 u32 match u32 0 0 \
    action mirred egress mirror dev "$AP" 2>/dev/null; then
    MIRRED_MATCH="u32 match u32 0 0"
  fi
  inb tc qdisc del dev "$CP" clsact
  [[ -n $MIRRED_MATCH ]]
}
setup_mirred() {
  local p
  for p in "$CP" "$SP"; do
    inb tc qdisc add dev "$p" clsact
    # shellcheck disable=SC2086 # MIRRED_MATCH is a word list on purpose
    inb tc filter add dev "$p" ingress protocol all prio 1 $MIRRED_MATCH action mirred egress mirror dev "$AP"
  done
}
teardown_mirred() {
  inb tc qdisc del dev "$CP" clsact
  inb tc qdisc del dev "$SP" clsact
  NOTE="classifier: $MIRRED_MATCH"
}

# The same action on the bridge device itself, as a capture on br0 sees the traffic: br0 promiscuous
# (so forwarded frames are passed up to it), mirred on its ingress and egress.
TITLE[mirred-br0]="tc mirred (br0 ingress + egress, br0 promiscuous)"
CMD[mirred-br0]="ip link set br0 promisc on; tc qdisc add dev br0 clsact; tc filter add dev br0 ingress|egress protocol all prio 1 $MIRRED_MATCH action mirred egress mirror dev ANALYZERPORT"
setup_mirred-br0() {
  local d
  ip -n "$NBR" link set "$BR" promisc on
  inb tc qdisc add dev "$BR" clsact
  for d in ingress egress; do
    # shellcheck disable=SC2086 # MIRRED_MATCH is a word list on purpose
    inb tc filter add dev "$BR" $d protocol all prio 1 $MIRRED_MATCH action mirred egress mirror dev "$AP"
  done
}
teardown_mirred-br0() {
  inb tc qdisc del dev "$BR" clsact
  ip -n "$NBR" link set "$BR" promisc off
  NOTE="classifier: $MIRRED_MATCH"
}

TITLE[nfqueue]="NFQUEUE (iptables FORWARD → userspace consumer)"
IPT=iptables
NFQ_BIN=$WORK/nfq-count
prepare_nfqueue() {
  command -v iptables-legacy >/dev/null && IPT=iptables-legacy
  command -v "$IPT" >/dev/null || { SKIP[nfqueue]="iptables is not installed"; return 1; }
  gcc -O2 -o "$NFQ_BIN" "$HERE/nfq-count.c" -lnetfilter_queue -lnfnetlink 2>"$WORK/gcc.err" || {
    SKIP[nfqueue]="cannot build the consumer ($(head -c 200 "$WORK/gcc.err"))"
    return 1
  }
  inb sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || {
    SKIP[nfqueue]="bridge netfilter (br_netfilter) is not available in this kernel"
    return 1
  }
  inb sysctl -qw net.bridge.bridge-nf-call-iptables=0
}
setup_nfqueue() {
  local before
  inb sysctl -qw net.bridge.bridge-nf-call-iptables=1
  spawn "$WORK/nfq.out" "$WORK/nfq.err" ip netns exec "$NBR" "$NFQ_BIN" 0
  NFQ_PID=$LAST_PID
  for _ in $(seq 1 50); do grep -q listening "$WORK/nfq.err" && break; sleep 0.1; done
  inb "$IPT" -A FORWARD -j NFQUEUE --queue-num 0
}
teardown_nfqueue() {
  local stats
  stats=$(inb cat /proc/net/netfilter/nfnetlink_queue 2>/dev/null | awk '$1==0 {print "queue_dropped " $6 ", user_dropped " $7}')
  inb "$IPT" -D FORWARD -j NFQUEUE --queue-num 0
  inb sysctl -qw net.bridge.bridge-nf-call-iptables=0
  CPU=$(cpu_seconds "$NFQ_PID")
  reap "$NFQ_PID" INT
  CONSUMED=$(awk '{print $1}' "$WORK/nfq.out")
  NOTE="consumer saw ${CONSUMED:-?} (IPv4 only; fail-open); ${stats:-no queue stats}"
}
CMD[nfqueue]="sysctl net.bridge.bridge-nf-call-iptables=1; iptables -A FORWARD -j NFQUEUE --queue-num 0; nfq-count 0 (libnetfilter_queue, copy 0xffff, maxlen 4096, fail-open, ACCEPT each)"
TITLE[nfqueue]="NFQUEUE (C consumer, accept all)"

# tscap as the NFQUEUE consumer: the same rule and traffic as the C consumer, every packet accepted.
# The -gso variant keeps GSO super-packets whole (NFQA_CFG_F_GSO) with offloads on, for its baseline too.
queue_bound() { inb cat /proc/net/netfilter/nfnetlink_queue 2>/dev/null | awk '$1==0 {f=1} END {exit !f}'; }
setup_tscap_queue() {
  inb sysctl -qw net.bridge.bridge-nf-call-iptables=1
  spawn "$WORK/tscapq.out" "$WORK/tscapq.err" ip netns exec "$NBR" node "${NODE_ARGS[@]}" "$TSCAP_JS" -i nfqueue:0 "${TSCAP_ARGS[@]}" "$@" -w /dev/null
  TSCAPQ_PID=$LAST_PID
  for _ in $(seq 1 100); do queue_bound && break; kill -0 "$TSCAPQ_PID" 2>/dev/null || break; sleep 0.1; done
  queue_bound || die "tscap did not bind queue 0: $(tail -c 600 "$WORK/tscapq.err")"
  inb "$IPT" -A FORWARD -j NFQUEUE --queue-num 0
}
teardown_tscap_queue() {
  local stats
  stats=$(inb cat /proc/net/netfilter/nfnetlink_queue 2>/dev/null | awk '$1==0 {print "queue_dropped " $6 ", user_dropped " $7}')
  inb "$IPT" -D FORWARD -j NFQUEUE --queue-num 0
  inb sysctl -qw net.bridge.bridge-nf-call-iptables=0
  CPU=$(cpu_seconds "$TSCAPQ_PID")
  reap "$TSCAPQ_PID" INT
  CONSUMED=$(grep -oE '^[0-9]+ queued' "$WORK/tscapq.err" | awk '{print $1}' || true)
  NOTE="tscap: $(grep -E '^verdict latency' "$WORK/tscapq.err" | head -1 || echo 'no summary'); ${stats:-no queue stats}"
}
prepare_tscap_queue() {
  command -v "$IPT" >/dev/null || { SKIP[$1]="iptables is not installed"; return 1; }
  inb sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || {
    SKIP[$1]="bridge netfilter (br_netfilter) is not available in this kernel"
    return 1
  }
  inb sysctl -qw net.bridge.bridge-nf-call-iptables=0
}
TITLE[tscap-nfqueue]="tscap -i nfqueue:0 (accept all)"
CMD[tscap-nfqueue]="sysctl net.bridge.bridge-nf-call-iptables=1; iptables -A FORWARD -j NFQUEUE --queue-num 0; tscap -i nfqueue:0 ${TSCAP_OPTS:+$TSCAP_OPTS }-w /dev/null (copy 0xffff, maxlen 4096, fail-open, batched verdicts)"
setup_tscap-nfqueue() { setup_tscap_queue; }
teardown_tscap-nfqueue() { teardown_tscap_queue; }
TITLE[tscap-nfqueue-gso]="tscap -i nfqueue:0 --gso (accept all, offloads on)"
CMD[tscap-nfqueue-gso]="(offloads on for this row and its baselines) same rule; tscap -i nfqueue:0 --gso ${TSCAP_OPTS:+$TSCAP_OPTS }-w /dev/null"
setup_tscap-nfqueue-gso() { setup_tscap_queue --gso; }
teardown_tscap-nfqueue-gso() {
  teardown_tscap_queue
  NOTE="offloads on (baseline too; frames offered count super-packets); $NOTE"
}

TITLE[tscap-mirror]="tscap --mirror"
CMD[tscap-mirror]="tscap -i br0 ${TSCAP_OPTS:+$TSCAP_OPTS }--mirror ANALYZERPORT"
setup_tscap-mirror() {
  local before
  before=$(packet_sockets)
  spawn "$WORK/tscap.out" "$WORK/tscap.err" ip netns exec "$NBR" node "${NODE_ARGS[@]}" "$TSCAP_JS" -i "$BR" "${TSCAP_ARGS[@]}" --mirror "$AP"
  TSCAP_PID=$LAST_PID
  wait_tscap "$before" "$TSCAP_PID" || die "tscap did not start: $(tail -c 600 "$WORK/tscap.err")"
}
tscap_note() {
  local cap drop mir
  cap=$(grep -oE '^[0-9]+ packets captured' "$WORK/tscap.err" | awk '{print $1}' || true)
  drop=$(grep -oE '^[0-9]+ packets dropped by kernel' "$WORK/tscap.err" | awk '{print $1}' || true)
  mir=$(grep -E 'packets (mirrored|exported)' "$WORK/tscap.err" | head -1 || true)
  NOTE="captured ${cap:-?}, kernel drops ${drop:-?}; ${mir:-no mirror/export line}"
  # With --gro the analyzer counts merged packets: keep how many captured frames they carried.
  GRO_FRAMES=$(sed -nE 's/.*GRO: ([0-9]+) frames? sent as ([0-9]+) packets?.*/\1/p' <<<"$mir")
  GRO_PACKETS=$(sed -nE 's/.*GRO: ([0-9]+) frames? sent as ([0-9]+) packets?.*/\2/p' <<<"$mir")
}
teardown_tscap-mirror() {
  sleep 0.2
  CPU=$(cpu_seconds "$TSCAP_PID")
  reap "$TSCAP_PID" INT
  tscap_note
}

# tscap sets the kernel up to mirror (tc: the compiled filter in cls_bpf on each bridge port's ingress
# and br0's egress, action mirred) and captures nothing.
TITLE[tscap-mirror-kernel]="tscap --mirror --in-kernel"
CMD[tscap-mirror-kernel]="tscap -i br0 ${TSCAP_OPTS:+$TSCAP_OPTS }--mirror ANALYZERPORT --in-kernel"
setup_tscap-mirror-kernel() {
  spawn "$WORK/tscap.out" "$WORK/tscap.err" ip netns exec "$NBR" node "${NODE_ARGS[@]}" "$TSCAP_JS" -i "$BR" "${TSCAP_ARGS[@]}" --mirror "$AP" --in-kernel
  TSCAP_PID=$LAST_PID
  # tscap --in-kernel says where its filters are once they are in place.
  wait_tscap_says 'in the kernel' "$TSCAP_PID" || die "tscap did not start: $(tail -c 600 "$WORK/tscap.err")"
}
teardown_tscap-mirror-kernel() {
  CPU=$(cpu_seconds "$TSCAP_PID")
  reap "$TSCAP_PID" INT
  NOTE="$(grep -E 'mirroring|packets mirrored' "$WORK/tscap.err" | tr '\n' ' ')"
}

TITLE[tscap-export]="tscap --export udp (VXLAN; UDP GSO, the default)"
CMD[tscap-export]="tscap -i br0 ${TSCAP_OPTS:+$TSCAP_OPTS }--export 'udp://ANALYZER_IP:4789?vni=1'  (analyzer: udp-count.c, recvmmsg on UDP 4789${ANALYZER_UDP_GRO:+, with UDP_GRO})"
# The analyzer: bench/handoff/udp-count.c (recvmmsg, 64 MiB buffer), built once per run.
ABSORB_BIN=$WORK/udp-count
prepare_absorb() {
  [[ -x $ABSORB_BIN ]] && return 0
  gcc -O2 -o "$ABSORB_BIN" "$HERE/udp-count.c" 2>"$WORK/gcc.err" || {
    SKIP[$1]="cannot build the UDP analyzer ($(head -c 200 "$WORK/gcc.err"))"
    return 1
  }
}
setup_tscap-export() {
  local before
  ip -n "$NBR" addr add "$EXP_LOCAL/30" dev "$AP"
  ip -n "$NAN" addr add "$EXP_ANALYZER/30" dev "$AV"
  ip -n "$NBR" neigh replace "$EXP_ANALYZER" lladdr "$AV_MAC" dev "$AP" nud permanent
  spawn "$WORK/absorb.out" "$WORK/absorb.err" ip netns exec "$NAN" "$ABSORB_BIN" "$EXP_ANALYZER" ${ANALYZER_UDP_GRO:+gro}
  ABSORB_PID=$LAST_PID
  for _ in $(seq 1 50); do grep -q ready "$WORK/absorb.err" && break; sleep 0.1; done
  ina cat /proc/net/snmp | awk '/^Udp:/ {getline; print $6}' >"$WORK/rcvbuf.before"
  before=$(packet_sockets)
  spawn "$WORK/tscap.out" "$WORK/tscap.err" ip netns exec "$NBR" node "${NODE_ARGS[@]}" "$TSCAP_JS" -i "$BR" "${TSCAP_ARGS[@]}" \
    "${TSCAP_EXTRA[@]}" --export "udp://$EXP_ANALYZER:4789?vni=1${EXP_QUERY:-}"
  TSCAP_PID=$LAST_PID
  wait_tscap "$before" "$TSCAP_PID" || die "tscap did not start: $(tail -c 600 "$WORK/tscap.err")"
}
teardown_tscap-export() {
  local got rcvbuf
  sleep 0.2
  CPU=$(cpu_seconds "$TSCAP_PID")
  reap "$TSCAP_PID" INT
  sleep 0.2
  rcvbuf=$(($(ina cat /proc/net/snmp | awk '/^Udp:/ {getline; print $6}') - $(cat "$WORK/rcvbuf.before")))
  ABSORB_CPU0=$(cpu_seconds "$ABSORB_PID")
  reap "$ABSORB_PID" TERM
  got=$(cat "$WORK/absorb.out" 2>/dev/null || true)
  ABSORB_CPU=$ABSORB_CPU0
  ip -n "$NBR" neigh del "$EXP_ANALYZER" dev "$AP" 2>/dev/null || true
  ip -n "$NBR" addr flush dev "$AP"
  ip -n "$NAN" addr flush dev "$AV"
  tscap_note
  NOTE="$NOTE; UDP socket read ${got:-?}, socket-buffer drops $rcvbuf, its CPU ${ABSORB_CPU} s"
  # The analyzer's veth counts GSO packets, not datagrams: what arrived is what its socket read.
  ANALYZER_COUNT=${got:-0}
  CONSUMED=$got
}

# The GRO rows: the analyzer link takes 64 KiB packets (MTU 65535, as a veth allows) while they run,
# so merged packets cross it whole (a mirror merges only up to the link's MTU; a VXLAN datagram larger
# than the MTU would be fragmented).
analyzer_mtu() {
  ip -n "$NBR" link set "$AP" mtu "$1"
  ip -n "$NAN" link set "$AV" mtu "$1"
}
TITLE[tscap-mirror-gro]="tscap --mirror --gro (merged TCP)"
CMD[tscap-mirror-gro]="tscap -i br0 ${TSCAP_OPTS:+$TSCAP_OPTS }--gro --mirror ANALYZERPORT  (analyzer link MTU 65535)"
setup_tscap-mirror-gro() {
  local before
  analyzer_mtu 65535
  before=$(packet_sockets)
  spawn "$WORK/tscap.out" "$WORK/tscap.err" ip netns exec "$NBR" node "${NODE_ARGS[@]}" "$TSCAP_JS" -i "$BR" "${TSCAP_ARGS[@]}" --gro --mirror "$AP"
  TSCAP_PID=$LAST_PID
  wait_tscap "$before" "$TSCAP_PID" || die "tscap did not start: $(tail -c 600 "$WORK/tscap.err")"
}
teardown_tscap-mirror-gro() {
  teardown_tscap-mirror
  analyzer_mtu 1600
}
TITLE[tscap-export-gro]="tscap --export udp --gro (VXLAN, merged TCP)"
CMD[tscap-export-gro]="tscap -i br0 ${TSCAP_OPTS:+$TSCAP_OPTS }--gro --export 'udp://ANALYZER_IP:4789?vni=1'  (analyzer link MTU 65535)"
setup_tscap-export-gro() {
  analyzer_mtu 65535
  TSCAP_EXTRA=(--gro)
  setup_tscap-export
  TSCAP_EXTRA=()
}
teardown_tscap-export-gro() {
  teardown_tscap-export
  CONSUMED="" # merged datagrams: counted as the frames they carry
  analyzer_mtu 1600
}

# One datagram per send (gso=0), as before UDP GSO was the default.
TITLE[tscap-export-nogso]="tscap --export udp, gso=0 (VXLAN, one datagram a send)"
CMD[tscap-export-nogso]="tscap -i br0 ${TSCAP_OPTS:+$TSCAP_OPTS }--export 'udp://ANALYZER_IP:4789?vni=1&gso=0'  (analyzer: udp-count.c${ANALYZER_UDP_GRO:+ with UDP_GRO})"
setup_tscap-export-nogso() {
  EXP_QUERY='&gso=0'
  setup_tscap-export
  EXP_QUERY=''
}
teardown_tscap-export-nogso() { teardown_tscap-export; }

TITLE[tcpdump]="tcpdump -w /dev/null (capture only, reference)"
CMD[tcpdump]="tcpdump -n -i br0 ${TCPDUMP_OPTS:+$TCPDUMP_OPTS }-w /dev/null"
setup_tcpdump() {
  local before
  before=$(packet_sockets)
  spawn "$WORK/tcpdump.out" "$WORK/tcpdump.err" ip netns exec "$NBR" tcpdump -n -i "$BR" "${TCPDUMP_ARGS[@]}" -w /dev/null
  TCPDUMP_PID=$LAST_PID
  wait_packet_socket "$before" "$TCPDUMP_PID" || die "tcpdump did not start: $(cat "$WORK/tcpdump.err")"
}
teardown_tcpdump() {
  local cap drop
  sleep 0.2
  CPU=$(cpu_seconds "$TCPDUMP_PID")
  reap "$TCPDUMP_PID" TERM
  cap=$(awk '/packets captured/ {print $1}' "$WORK/tcpdump.err")
  drop=$(awk '/dropped by kernel/ {print $1}' "$WORK/tcpdump.err")
  CONSUMED=$cap
  NOTE="no analyzer: the capture itself is the consumer (captured ${cap:-?}, kernel drops ${drop:-?})"
}

TITLE[tscap-capture]="tscap -w /dev/null (capture only, reference)"
CMD[tscap-capture]="tscap -i br0 ${TSCAP_OPTS:+$TSCAP_OPTS }-w /dev/null"
setup_tscap-capture() {
  local before
  before=$(packet_sockets)
  spawn "$WORK/tscap.out" "$WORK/tscap.err" ip netns exec "$NBR" node "${NODE_ARGS[@]}" "$TSCAP_JS" -i "$BR" "${TSCAP_ARGS[@]}" -w /dev/null
  TSCAP_PID=$LAST_PID
  wait_tscap "$before" "$TSCAP_PID" || die "tscap did not start: $(tail -c 600 "$WORK/tscap.err")"
}
teardown_tscap-capture() {
  sleep 0.2
  CPU=$(cpu_seconds "$TSCAP_PID")
  reap "$TSCAP_PID" INT
  CONSUMED=$(grep -oE '^[0-9]+ packets captured' "$WORK/tscap.err" | awk '{print $1}' || true)
  tscap_note
  NOTE="no analyzer: the capture itself is the consumer ($NOTE)"
}

# ---------------------------------------------------------------------------------------------------
# Run: for every method, REPS times: a baseline run, then the method's run.
RUNS=$WORK/runs.tsv
: >"$RUNS"
one_run() { # method rep [label] -> appends a line to RUNS
  local m=$1 rep=$2 label=${3:-$1} off0 an0 off1 an1 bps
  NOTE="" CONSUMED="" CPU="" GRO_FRAMES="" GRO_PACKETS="" ANALYZER_COUNT=""
  [[ $m == baseline ]] || "setup_$m"
  off0=$(port_counters) an0=$(analyzer_rx)
  bps=$(run_iperf)
  [[ $m == baseline ]] || "teardown_$m"
  off1=$(port_counters) an1=$(analyzer_rx)
  # A method whose analyzer is a reader says what it read (the veth would count GSO packets).
  [[ -n $ANALYZER_COUNT ]] && an0=0 an1=$ANALYZER_COUNT
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$rep" "$bps" "$((off1 - off0))" "$((an1 - an0))" \
    "$CONSUMED" "$CPU" "$NOTE" "$GRO_FRAMES" "$GRO_PACKETS" >>"$RUNS"
  log "$(printf '%-13s rep %s: %6.2f Gbit/s, frames offered %s, at analyzer %s%s' "$m" "$rep" \
    "$(awk -v b="$bps" 'BEGIN {print b / 1e9}')" "$((off1 - off0))" "$((an1 - an0))" "${NOTE:+ ($NOTE)}")"
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T0=$(date +%s)
for m in $METHODS; do
  case $m in
  mirred | mirred-br0) detect_mirred || SKIP[$m]="neither matchall nor u32 classifiers are available" ;;
  nfqueue) prepare_nfqueue || true ;;
  tscap-nfqueue | tscap-nfqueue-gso) prepare_tscap_queue "$m" || true ;;
  tscap-export | tscap-export-gro | tscap-export-nogso) prepare_absorb "$m" || true ;;
  esac
  if [[ $m == tscap-* && ! -f $TSCAP_JS ]]; then SKIP[$m]="tscap is not built (dist/bin/tscap.js missing)"; fi
  if [[ -n ${SKIP[$m]:-} ]]; then
    log "$m: not measured: ${SKIP[$m]}"
    printf '%s\t-\t-\t-\t-\t-\t-\tnot measured: %s\t\t\n' "$m" "${SKIP[$m]}" >>"$RUNS"
    continue
  fi
  for rep in $(seq 1 "$REPS"); do
    # The baseline run is labelled with the method it precedes, so each run has its own reference.
    [[ $m == *-gso ]] && offloads on
    one_run baseline "$rep" "baseline:$m"
    one_run "$m" "$rep"
    [[ $m == *-gso ]] && offloads off
  done
done
T1=$(date +%s)
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------------
# Report.
export RUNS OUT DUR REPS LOAD_START LOAD_END IPERF_CMD MIRRED_MATCH
export ELAPSED=$((T1 - T0))
export CPU_MODEL KERNEL NCPU TSCAP_REV IPERF_VER
CPU_MODEL=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
KERNEL=$(uname -r)
NCPU=$(nproc)
TSCAP_REV=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
IPERF_VER=$(iperf3 --version 2>/dev/null | head -1)
META=$WORK/meta.tsv
for m in baseline $METHODS; do printf '%s\t%s\t%s\n' "$m" "${TITLE[$m]}" "${CMD[$m]}"; done >"$META"
export META

python3 - <<'PY' | tee "$OUT"
import os, statistics, datetime
runs = [l.rstrip("\n").split("\t") for l in open(os.environ["RUNS"]) if l.strip()]
meta = {}
for l in open(os.environ["META"]):
    m, title, cmd = l.rstrip("\n").split("\t")
    meta[m] = (title, cmd)

def gbit(b): return b / 1e9
def fmt_range(vals, f): return f"{f(min(vals))}–{f(max(vals))}"

base_all, by_method, order = [], {}, []
pending_base = {}
for m, rep, bps, off, an, consumed, cpu, note, gro_frames, gro_packets in runs:
    if m.startswith("baseline:"):
        pending_base[(m.split(":", 1)[1], rep)] = int(bps)
        base_all.append(int(bps))
        continue
    if m not in by_method:
        by_method[m] = []
        order.append(m)
    by_method[m].append((rep, bps, off, an, consumed, note, cpu, gro_frames, gro_packets))

g = lambda v: f"{gbit(v):.2f}"
pct = lambda v: f"{100 * v:.0f}%"
lines = []
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
lines.append("# Handing a bridge's traffic to an analyzer: measured")
lines.append("")
lines.append(f"- date: {now}; elapsed {os.environ['ELAPSED']} s")
lines.append(f"- CPU: {os.environ['CPU_MODEL']} × {os.environ['NCPU']}; kernel {os.environ['KERNEL']}; {os.environ['IPERF_VER']}; tscap {os.environ['TSCAP_REV']}")
lines.append(f"- load average (1/5/15 min) at start {os.environ['LOAD_START']}, at end {os.environ['LOAD_END']}")
lines.append(f"- traffic: `{os.environ['IPERF_CMD']}` (one TCP stream, client ns → bridge ns → server ns), "
             f"{os.environ['REPS']} runs per method, each right after a baseline run; segmentation/receive offloads off")
lines.append("- frames offered: rx + tx packets of the bridge port facing the client during the run (every frame "
             "between client and server); frames at analyzer: rx_packets of the analyzer's veth in its own namespace, "
             "or, where the consumer is a process in the bridge namespace (NFQUEUE, capture-only rows), the frames it reports")
lines.append("- hand-off CPU: user + system CPU of the hand-off process (tscap, tcpdump, NFQUEUE consumer) during the run, "
             f"in % of one core over the {os.environ['DUR']} s run; kernel-only methods (flooding, mirred) spend their "
             "CPU in the sender's softirq and show –")
lines.append("")
lines.append("| method | throughput Gbit/s, median (range) | % of adjacent baseline, median (range) | frames offered | frames at analyzer | loss % | analyzer packets/s, median | hand-off CPU, median | notes (last run) |")
lines.append("|---|---|---|---|---|---|---|---|---|")
if base_all:
    lines.append(f"| {meta['baseline'][0]} | {g(statistics.median(base_all))} ({fmt_range(base_all, g)}) | 100% | – | – | – | – | – | {len(base_all)} runs, one before each measured run |")
for m in order:
    rows = by_method[m]
    title = meta.get(m, (m, ""))[0]
    if rows[0][1] == "-":
        lines.append(f"| {title} | not measured | – | – | – | – | – | – | {rows[0][5]} |")
        continue
    bps = [int(r[1]) for r in rows]
    ratios = [int(r[1]) / pending_base[(m, r[0])] for r in rows if pending_base.get((m, r[0]))]
    off = sum(int(r[2]) for r in rows)
    an = sum(int(r[3]) for r in rows)
    consumed = [r[4] for r in rows if r[4] not in ("", "?")]
    gro = [(int(r[7]), int(r[8]), int(r[3])) for r in rows if r[7] and r[8] and int(r[8]) > 0]
    if consumed:
        arrived = sum(int(c) for c in consumed)
        at = f"{arrived} ({'consumer' if 'nfqueue' in m else 'read by the analyzer' if 'export' in m else 'captured'})"
        pps = [int(r[4]) / float(os.environ["DUR"]) for r in rows if r[4] not in ("", "?")]
    elif gro:
        # Merged packets carry several frames: the analyzer's packets count as the frames they carry
        # (frames sent × share of tscap's packets that arrived).
        arrived = sum(round(f * min(1.0, a / p)) for f, p, a in gro)
        at = f"{an} packets = {arrived} frames (GRO {sum(f for f, _, _ in gro)} → {sum(p for _, p, _ in gro)})"
        pps = [int(r[3]) / float(os.environ["DUR"]) for r in rows]
    else:
        arrived = an
        at = str(an)
        pps = [int(r[3]) / float(os.environ["DUR"]) for r in rows]
    rate = f"{statistics.median(pps) / 1000:.0f} k" if pps else "–"
    loss = f"{100 * (off - arrived) / off:.2f}" if off else "–"
    cpus = [float(r[6]) for r in rows if r[6] not in ("", "-")]
    cpu = f"{100 * statistics.median(cpus) / float(os.environ['DUR']):.0f}%" if cpus else "–"
    lines.append(f"| {title} | {g(statistics.median(bps))} ({fmt_range(bps, g)}) | "
                 f"{pct(statistics.median(ratios))} ({fmt_range(ratios, pct)}) | {off} | {at} | {loss} | {rate} | {cpu} | {rows[-1][5]} |")
lines.append("")
lines.append("Commands per method (run in the bridge namespace; ANALYZERPORT is the bridge side of the analyzer veth):")
lines.append("")
lines.append("| method | command |")
lines.append("|---|---|")
for m in ["baseline"] + order:
    title, cmd = meta.get(m, (m, ""))
    if m == "mirred" and os.environ.get("MIRRED_MATCH"):
        cmd = (f"tc qdisc add dev PORT clsact; tc filter add dev PORT ingress protocol all prio 1 "
               f"{os.environ['MIRRED_MATCH']} action mirred egress mirror dev ANALYZERPORT (PORT = each of the two bridge ports)")
    lines.append(f"| {title} | `{cmd}` |")
lines.append("")
lines.append("Loss % = (frames offered − frames at analyzer) / frames offered, summed over the runs; a small negative "
             "value would mean the analyzer got frames not counted on the port. Throughput is noisy on a shared "
             "2-core machine: compare the % column, which divides each run by the baseline run just before it.")
print("\n".join(lines))
PY
log "written $OUT"
