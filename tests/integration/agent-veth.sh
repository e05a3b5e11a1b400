#!/bin/sh
# agent-veth.sh - two namespaces joined by a veth pair (IPv6 with nodad);
# snmpd and tcpsleuthd run in A.  Over SNMP: B refused by A is a local row
# on the veth, A refused by B a remote row, a SYN B drops a timed-out row,
# B rejecting with ICMP an unreachable row.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
command -v nft >/dev/null || skip_all "needs nft (nftables)"
a=tsva$$ b=tsvb$$
tmp=$(mktemp -d)
chmod 755 "$tmp"	# tcpsleuthd's SNMP process (nobody) reaches the socket
cleanup() {
	[ -n "$SLEUTHD_PID" ] && kill "$SLEUTHD_PID" 2>/dev/null
	[ -n "$SNMPD_PID" ] && kill "$SNMPD_PID" 2>/dev/null
	wait 2>/dev/null
	del_netns $a $b
	rm -rf "$tmp"
}
trap cleanup EXIT
veth_pair $a veth0 $b veth0
ip -n $a addr add 10.97.0.1/24 dev veth0
ip -n $b addr add 10.97.0.2/24 dev veth0
ip -n $a addr add fd97::1/64 dev veth0 nodad
ip -n $a addr add fe80::a/64 dev veth0 nodad
ip -n $b addr add fe80::b/64 dev veth0 nodad
ip -n $b addr add fd97::2/64 dev veth0 nodad
ip netns exec $b nft -f - <<NFT
table inet f {
	chain in {
		type filter hook input priority 0;
		tcp dport 9 drop
		meta nfproto ipv4 tcp dport 10 reject with icmp type host-unreachable
	}
}
NFT
# snmpd and tcpsleuthd in A; the SNMP tools reach them through A.
A="ip netns exec $a"
snmpd_conf "$tmp"
$A snmpd -f -C -c "$tmp/snmpd.conf" -Lf "$tmp/snmpd.log" -p "$tmp/snmpd.pid" &
SNMPD_PID=$!
get() {
	$A snmpget -v2c -c public -On -Oqv -t 1 -r 1 127.0.0.1:$SNMP_PORT "$@" 2>/dev/null |
	    sed -e 's/^"//' -e 's/"$//' -e 's/ *$//' | grep -v -e '^No Such' -e 'No more'
}
check "snmpd runs in namespace A" wait_for 10 registered_master
$A "$TCPSLEUTHD" $SLEUTHD_KEV -f -x "$tmp/agentx.sock" --publish-interval 0.2 \
    --poll-interval 0.2 --syn-timeout 1 --control-socket "$tmp/control" \
    >"$tmp/sleuthd.log" 2>&1 &
SLEUTHD_PID=$!
check "tcpsleuthd serves in namespace A" wait_for 10 capturing
EP_NETNS=$(netns_ino $a)	# its rows are in A

ip netns exec $b "$TCPPROBE" connect 10.97.0.1 7 -n 2 >/dev/null
ip netns exec $b "$TCPPROBE" connect fd97::1 7 -n 1 >/dev/null
ip netns exec $b "$TCPPROBE" connect fe80::a%veth0 7 -n 2 >/dev/null
$A "$TCPPROBE" connect 10.97.0.2 7 -n 3 >/dev/null
$A "$TCPPROBE" connect 10.97.0.2 9 -n 1 -t 1500 >/dev/null
$A "$TCPPROBE" connect 10.97.0.2 10 -n 2 >/dev/null

check "B refused by A: 2 on 10.97.0.1:7" wait_for 5 col_is 10.97.0.1 7 15 2
is "$(col 10.97.0.1 7 7),$(col 10.97.0.1 7 6),$(col 10.97.0.1 7 4)" \
    "2,veth0,veth0 10.97.0.1:7" "...local(2), on veth0, named"
check "B refused by A over IPv6: 1 on [fd97::1]:7" wait_for 5 col_is fd97::1 7 15 1
check "A refused by B: 3 on 10.97.0.2:7" wait_for 5 col_is 10.97.0.2 7 15 3
is "$(col 10.97.0.2 7 7),$(col 10.97.0.2 7 8)" "3,1" "...remote(3), listener unknown(1)"
check "a SYN B drops: 1 timed out on 10.97.0.2:9" wait_for 5 col_is 10.97.0.2 9 17 1
check "B rejects with ICMP: 2 unreachable on 10.97.0.2:10" wait_for 5 col_is 10.97.0.2 10 16 2
is "$(col 10.97.0.2 10 30)/$(col 10.97.0.2 10 31)" "3/1" "...ICMP type 3 code 1 (host unreachable)"
is "$(col 10.97.0.1 7 27)" "0A 61 00 02" "last peer 10.97.0.2"

# A link-local endpoint is ipv6z(4): 16 octets and the interface as zone.
ifx=$(ip netns exec $a cat /sys/class/net/veth0/ifindex)
zone=$(printf '%d.%d.%d.%d' $((ifx >> 24 & 255)) $((ifx >> 16 & 255)) $((ifx >> 8 & 255)) $((ifx & 255)))
llidx=$EP_NETNS.4.20.$(v6_octets fe80::a).$zone.7
ll_ok() { [ "$(get $EP.15.$llidx)" = 2 ]; }
check "B refused by A's link-local address: 2 on ipv6z fe80::a%$ifx port 7" wait_for 5 ll_ok
is "$(get $EP.4.$llidx)" "veth0 [fe80::a%$ifx]:7" "...named with its zone"

done_testing
