#!/bin/sh
# kev-agree.sh - both sources, one mixed run: refusals by a RST (loopback
# and a peer namespace), an ICMP port unreachable (a peer's nftables
# reject: connect() says ECONNREFUSED, the capture says unreachable) and
# timeouts (a peer drops the SYNs).  tcpsleuth --events captures in this
# namespace while kevdump records the kernel's side: every attempt both
# saw agrees by the errno-to-class mapping (doc/kernel-events.md), and
# the loss counters read 0.
. "$(dirname "$0")/../lib.sh"
need_root
command -v nft >/dev/null || skip_all "needs nft (nftables)"
enter_netns
tmp=$(mktemp -d)
peer=kevagree$$
spid=
cleanup() {
	kev_stop
	[ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid"
	del_netns "$peer"
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$TOP_SRCDIR/tests/kev.sh"
kev_peer "$peer"
ip netns exec "$peer" nft -f - <<NFT
table inet kevtest {
	chain in {
		type filter hook input priority 0;
		tcp dport 7602 reject with icmp type port-unreachable;
		tcp dport 7603 drop;
	}
}
NFT
sysctl -qw net.ipv4.tcp_syn_retries=1
kev_start
"$TCPSLEUTH" -i any --events -t 5 >"$tmp/pcap" 2>"$tmp/pcap.err" &
spid=$!
wait_for 10 grep -q "capturing on" "$tmp/pcap.err"

"$TCPPROBE" connect 127.0.0.1 7604 ::1 7604 10.77.0.2 7601 10.77.0.2 7602 \
    -n 3 -c mixer >"$tmp/fast"
"$TCPPROBE" connect 10.77.0.2 7603 -n 2 -t 20000 -c mixer >"$tmp/slow"
is "$(cat "$tmp/fast")" "refused 12 timeout 0 unreachable 0 connected 0 other 0" \
    "9 refused by a RST, 3 by an ICMP port unreachable: ECONNREFUSED all"
is "$(cat "$tmp/slow")" "refused 0 timeout 2 unreachable 0 connected 0 other 0" \
    "2 timed out"
classified() { [ "$(grep -c '"class"' "$tmp/pcap")" -ge 14 ]; }
check "the capture classified all 14 (timeouts after --syn-timeout)" \
    wait_for 20 classified

# Join on the 4-tuple: the kernel's (daddr dport saddr sport) is the
# capture's (service service_port peer peer_port).
grep '"type"' "$tmp/kev" | jq -r 'select(.type == "connect-fail" and .comm == "mixer") |
    [.daddr, .dport, .saddr, .sport, .reason, (.pcap | join(","))] | join(" ")' \
    >"$tmp/k"
jq -r '[.service, .service_port, .peer, .peer_port, .class] | join(" ")' "$tmp/pcap" \
    >"$tmp/p"
awk 'FNR == NR { cls[$1 " " $2 " " $3 " " $4] = $5; next }
{
	key = $1 " " $2 " " $3 " " $4
	if (!(key in cls)) { print "KERNEL-ONLY", $5, key; next }
	n = split($6, ok, ",")
	agree = 0
	for (i = 1; i <= n; i++) if (ok[i] == cls[key]) agree = 1
	print (agree ? "AGREE" : "DISAGREE"), $5, cls[key], key
	delete cls[key]
}
END { for (k in cls) print "PCAP-ONLY", cls[k], k }' "$tmp/p" "$tmp/k" >"$tmp/joined"
sed 's/^/# /' "$tmp/joined"
echo "# $(awk '{ print $1 ":" $2 "->" $3 }' "$tmp/joined" | sort | uniq -c | tr '\n' ' ')"
is "$(grep -c '^AGREE' "$tmp/joined")" 14 "all 14 attempts seen by both, and they agree"
is "$(grep -c '^AGREE port-unreachable unreachable' "$tmp/joined")" 3 \
    "an ICMP port unreachable: the kernel's ECONNREFUSED without a RST is the capture's unreachable"
is "$(kev_events '.comm == "mixer" and .reason == "port-unreachable" and .icmp_type == 3 and .icmp_code == 3')" 3 \
    "... the kernel names the ICMP: type 3 (unreachable) code 3 (port)"
is "$(grep -c '^AGREE refused refused' "$tmp/joined")" 9 "RSTs: refused by both"
is "$(grep -c '^AGREE timeout timeout' "$tmp/joined")" 2 "timeouts: by both"
kev_tables
is "$(kev_losses)" 0 "no records lost"
done_testing
