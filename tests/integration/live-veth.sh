#!/bin/sh
# live-veth.sh - live capture on "any" in namespace A joined to namespace B
# by a veth pair: A refused by B (a remote service), B refused by A (a
# local one), SYNs B drops (timed out), B rejecting with ICMP (unreachable).
. "$(dirname "$0")/../lib.sh"
need_root
command -v nft >/dev/null || skip_all "needs nft (nftables)"
a=tsa$$ b=tsb$$
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	del_netns $a $b
	rm -rf "$tmp"
}
trap cleanup EXIT
veth_pair $a vetha $b vethb
ip -n $a addr add 10.98.0.1/24 dev vetha
ip -n $b addr add 10.98.0.2/24 dev vethb
ip -n $a addr add fd98::1/64 dev vetha nodad
ip -n $b addr add fd98::2/64 dev vethb nodad
ip netns exec $b nft -f - <<NFT
table inet f {
	chain in {
		type filter hook input priority 0;
		tcp dport 9 drop
		meta nfproto ipv4 tcp dport 10 reject with icmp type admin-prohibited
		meta nfproto ipv6 tcp dport 10 reject with icmpv6 type port-unreachable
	}
}
NFT

ip netns exec $a "$TCPSLEUTH" -i any --json --interval 0.2 --syn-timeout 1 \
    >"$tmp/out" 2>"$tmp/err" &
pid=$!
check "capture started in namespace A" wait_for 10 grep -q "capturing on" "$tmp/err"
q() { tail -n 1 "$tmp/out" | jq -r "$1" 2>/dev/null; }
row() { q ".endpoints[] | select(.endpoint == \"$1\") | $2"; }
count_is() { [ "$(row "$1" ".counts.$2")" = "$3" ]; }

ip netns exec $a "$TCPPROBE" connect 10.98.0.2 7 -n 3 >/dev/null
ip netns exec $a "$TCPPROBE" connect fd98::2 7 -n 2 >/dev/null
ip netns exec $b "$TCPPROBE" connect 10.98.0.1 7 -n 2 >/dev/null
ip netns exec $a "$TCPPROBE" connect 10.98.0.2 9 -n 1 -t 1500 >/dev/null
ip netns exec $a "$TCPPROBE" connect 10.98.0.2 10 -n 2 >/dev/null
ip netns exec $a "$TCPPROBE" connect fd98::2 10 -n 1 >/dev/null

check "A refused by B: 3 on 10.98.0.2:7" wait_for 5 count_is 10.98.0.2:7 refused 3
is "$(row 10.98.0.2:7 .location),$(row 10.98.0.2:7 .interface)" "remote,vetha" \
    "...a remote service, seen on vetha"
check "A refused by B over IPv6: 2 on [fd98::2]:7" wait_for 5 count_is "[fd98::2]:7" refused 2
check "B refused by A: 2 on 10.98.0.1:7" wait_for 5 count_is 10.98.0.1:7 refused 2
is "$(row 10.98.0.1:7 .location)" local "...a local service"
check "SYNs B drops: 1 timed out on 10.98.0.2:9" wait_for 5 count_is 10.98.0.2:9 timeout 1
check "B rejects with ICMP: 2 unreachable on 10.98.0.2:10" wait_for 5 count_is 10.98.0.2:10 unreachable 2
is "$(row 10.98.0.2:10 .last_unreachable.code)" 13 "...admin prohibited (code 13) kept"
check "B rejects with ICMPv6: 1 unreachable on [fd98::2]:10" wait_for 5 count_is "[fd98::2]:10" unreachable 1
is "$(q '.totals.failures.ipv4 + .totals.failures.ipv6')" 11 "host failures: exactly 11"
is "$(q '.totals.classes.unsolicited.ipv4 + .totals.classes.unsolicited.ipv6')" 0 \
    "no unsolicited RSTs"
kill -INT "$pid"
wait "$pid"
ok $? "exits 0 on SIGINT"
pid=
done_testing
