#!/bin/sh
# live-dedup.sh - the duplicate check runs where one packet can be captured
# twice, live: namespace H bridges A and B (br0, ports pa and pb), so each
# frame between them crosses both ports.  Captured in H on "any" and on
# pa and pb together, every frame is there twice and each refusal counts
# once (duplicates seen); on pa alone each frame is there once (none seen);
# loopback frames on "any" are delivered once by libpcap and count once.
. "$(dirname "$0")/../lib.sh"
need_root
h=tsdh$$ a=tsda$$ b=tsdb$$
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
	del_netns $h $a $b
	rm -rf "$tmp"
}
trap cleanup EXIT
for ns in $h $a $b; do
	ip netns add $ns || skip_all "cannot create namespaces"
	ip -n $ns link set lo up
done
ip -n $h link add br0 type bridge
ip link add pa netns $h type veth peer name eth0 netns $a
ip link add pb netns $h type veth peer name eth0 netns $b
for p in pa pb br0; do ip -n $h link set $p up; done
ip -n $h link set pa master br0
ip -n $h link set pb master br0
ip -n $a addr add 10.96.0.1/24 dev eth0
ip -n $b addr add 10.96.0.2/24 dev eth0
ip -n $a link set eth0 up
ip -n $b link set eth0 up
H="ip netns exec $h"

q() { tail -n 1 "$tmp/out" | jq -r "$1" 2>/dev/null; }
refused() { q ".endpoints[] | select(.endpoint == \"$1\") | .counts.refused"; }
refused_is() { [ "$(refused "$1")" = "$2" ]; }

# capture IFACE-ARGS...: tcpsleuth in H, reporting every 0.2 s.
capture() {
	$H "$TCPSLEUTH" "$@" --json --interval 0.2 >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	wait_for 10 grep -q "capturing on" "$tmp/err"
}
stop() {
	kill -INT "$pid"
	wait "$pid"
	pid=
}

# n: attempts from A to B's closed port 7, each refused.
run() {	# run DESCRIPTION DUPS(0|some) IFACE-ARGS...
	desc=$1 dups=$2
	shift 2
	capture "$@"
	check "$desc: capturing" grep -q "capturing on" "$tmp/err"
	ip netns exec $a "$TCPPROBE" connect 10.96.0.2 7 -n 3 >/dev/null
	check "$desc: 3 refusals counted once each" wait_for 5 refused_is 10.96.0.2:7 3
	if [ "$dups" = 0 ]; then
		is "$(q .totals.duplicates)" 0 "$desc: no frame taken for a copy"
	else
		# (on two interfaces a copy may come a report after its first)
		dups3() { [ "$(q .totals.duplicates)" -ge 3 ] 2>/dev/null; }
		check "$desc: the second copies recognised" wait_for 5 dups3
	fi
	stop
}
run "any (both bridge ports)" some -i any
run "pa and pb together" some -i pa -i pb
run "pa alone" 0 -i pa

# Loopback on any: no copies, no check needed, still each once.
capture -i any
$H "$TCPPROBE" connect 127.0.0.1 7 -n 4 >/dev/null
check "loopback on any: 4 refusals counted once each" wait_for 5 refused_is 127.0.0.1:7 4
is "$(q .totals.duplicates)" 0 "loopback on any: no frame taken for a copy"
stop
done_testing
