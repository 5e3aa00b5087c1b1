#!/usr/bin/env bash
# Real LLDP-MED and DCB traffic for the LLDP decoder's fixture: lldpd in two network namespaces of
# their own, joined by a veth pair. One plays a switch port (network connectivity device) sending
# LLDP-MED network policies, its three kinds of location and PSE power; the other an endpoint
# (class 3) with PD power and inventory. Both carry IEEE 802.1 DCB TLVs (ETS, PFC, application
# priority, congestion notification) as lldpd's custom TLVs, and 802.3 power via MDI.
#
#   apt-get install -y lldpd tcpdump   # lldpd is needed only to remake the fixture, never at test time
#   bash scripts/real-lldp-med.sh fixtures/proto/lldp-med-live.pcap [seconds]
set -euo pipefail
out=${1:?usage: real-lldp-med.sh OUT.pcap [seconds]}
secs=${2:-4}
A=lmA$$
B=lmB$$
source "$(dirname "$0")/lib-netns.sh"
veth_pair "$A" e0 192.0.2.1 "$B" e1 192.0.2.2
ip -n "$A" link set e0 address 02:00:00:00:0a:01
ip -n "$B" link set e1 address 02:00:00:00:0b:01
# -M: the LLDP-MED device class (4 network connectivity, 3 endpoint class 3).
ip netns exec "$A" lldpd -M 4 -u "/run/lldpd.$A.socket" -I 'e*' -S "tscap fixture switch" >"$work/lldpd-$$.log" 2>&1 &
ip netns exec "$B" lldpd -M 3 -u "/run/lldpd.$B.socket" -I 'e*' -S "tscap fixture phone" >"$work/lldpd-$$.log" 2>&1 &
cli() { local ns=$1; shift; ip netns exec "$ns" lldpcli -u "/run/lldpd.$ns.socket" "$@" >/dev/null; }
declare -A names=(["$A"]=switch1 ["$B"]=phone1)
for ns in "$A" "$B"; do
  for _ in $(seq 200); do [ -S "/run/lldpd.$ns.socket" ] && break; sleep 0.05; done
  cli "$ns" configure lldp tx-interval 1
  cli "$ns" configure system hostname "${names[$ns]}"
  cli "$ns" configure system description "tscap LLDP-MED fixture"
  # IEEE 802.1 DCB TLVs (802.1Q annex D): ETS configuration (willing, 8 TCs), ETS recommendation,
  # PFC configuration (priorities 3 and 4), application priority (FCoE EtherType, iSCSI port 3260),
  # congestion notification.
  cli "$ns" configure lldp custom-tlv oui 00,80,c2 subtype 9 oui-info 88,10,32,76,54,0c,0c,0c,0c,0c,0c,28,1c,02,02,02,02,02,02,02,02
  cli "$ns" configure lldp custom-tlv add oui 00,80,c2 subtype 10 oui-info 00,01,23,45,67,32,32,00,00,00,00,00,00,00,02,02,00,00,00,00,00,00
  cli "$ns" configure lldp custom-tlv add oui 00,80,c2 subtype 11 oui-info c8,18
  cli "$ns" configure lldp custom-tlv add oui 00,80,c2 subtype 12 oui-info 00,61,89,06,82,0c,bc,a2,0c,bc
  cli "$ns" configure lldp custom-tlv add oui 00,80,c2 subtype 8 oui-info 18,10
done
cli "$A" configure med policy application voice vlan 100 priority voice dscp 46
cli "$A" configure med policy application video-conferencing unknown vlan 0 priority video dscp 34
cli "$A" configure med location coordinate latitude 48.85667N longitude 2.2014E altitude 117.47 m datum WGS84
cli "$A" configure med location address country FR language en_US street "Rue de Rivoli" city Paris
cli "$A" configure med location elin 0123456789
cli "$A" configure med power pse source primary priority high value 15400
cli "$A" configure dot3 power pse supported enabled paircontrol powerpairs spare class class-3
cli "$B" configure med power pd source pse priority critical value 6500
cli "$B" configure dot3 power pd supported enabled powerpairs signal class class-2
for ns in "$A" "$B"; do
  # The inventory values lldpd reads from the host (its kernel, its DMI strings) are replaced.
  cli "$ns" configure inventory hardware-revision "rev 2"
  cli "$ns" configure inventory software-revision "1.0.16"
  cli "$ns" configure inventory firmware-revision "fw 3.1"
  cli "$ns" configure inventory serial "SN-0001"
  cli "$ns" configure inventory manufacturer "Example Inc."
  cli "$ns" configure inventory model "${names[$ns]}"
  cli "$ns" configure inventory asset "asset-42"
done
# Frames sent from here on carry everything configured above.
sleep 1
capture "$A" e0 "$out"
tcpd=$captured
sleep "$secs"
stop_capture "$tcpd"
tcpdump -r "$out" -n 2>/dev/null | cut -d' ' -f2-4 | sort | uniq -c | sort -rn | head >&2
