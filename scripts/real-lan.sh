#!/usr/bin/env bash
# Real LAN discovery traffic for the decoder fixtures: lldpd in two network namespaces of their own,
# joined by a veth pair, sending LLDP (with its 802.1 and 802.3 organisational TLVs) and, as lldpd
# can, CDPv1/v2, FDP, EDP and SONMP, while tcpdump records the link.
#
#   apt-get install -y lldpd tcpdump   # lldpd is needed only to remake the fixture, never at test time
#   bash scripts/real-lan.sh fixtures/real/lan.pcap [seconds]
set -euo pipefail
out=${1:?usage: real-lan.sh OUT.pcap [seconds]}
secs=${2:-12}
A=lnA$$
B=lnB$$
source "$(dirname "$0")/lib-netns.sh"
netns "$A" "$B"
ip link add e0 netns "$A" type veth peer name e1 netns "$B"
for pair in "$A e0 192.0.2.1 fd99::1" "$B e1 192.0.2.2 fd99::2"; do
  set -- $pair
  ip -n "$1" link set "$2" up
  ip -n "$1" addr add "$3/24" dev "$2"
  ip -n "$1" addr add "$4/64" dev "$2" nodad
done
capture "$A" e0 "$out"
tcpd=$captured
for ns in "$A" "$B"; do
  # Repeated flags send without a peer: -ccc CDPv1 and v2, -ff FDP, -ee EDP, -ss SONMP; -M 4: a
  # network connectivity device. Then a transmit interval of one second.
  ip netns exec "$ns" lldpd -ccc -ff -ee -ss -M 4 -u "/run/lldpd.$ns.socket" -I 'e*' -S "tscap fixture $ns" >/dev/null 2>&1 &
done
for ns in "$A" "$B"; do
  for _ in $(seq 200); do [ -S "/run/lldpd.$ns.socket" ] && break; sleep 0.05; done
  ip netns exec "$ns" lldpcli -u "/run/lldpd.$ns.socket" configure lldp tx-interval 1 >/dev/null
  ip netns exec "$ns" lldpcli -u "/run/lldpd.$ns.socket" configure system hostname "sw-$ns" >/dev/null
done
sleep "$secs"
stop_capture "$tcpd"
tcpdump -r "$out" -n 2>/dev/null | cut -d' ' -f2-4 | sort | uniq -c | sort -rn | head >&2
