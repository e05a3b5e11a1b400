#!/bin/sh
# clock-step.sh - the wall clock steps while tcpsleuthd counts a client
# refused twice a second: an hour back, then two hours forward (libfaketime
# steps the daemon's CLOCK_REALTIME; CLOCK_MONOTONIC and the kernel's
# packet stamps run on).  Rates and ages run on the monotonic clock, so
# right after each step the rate is still 2/s and the endpoint was seen
# a moment ago, unanswered SYNs (port 9, dropped) go on timing out after
# 1 s (on the wall clock an hour back they would wait an hour), while the times shown (tcpsleuthEpLastSeen) follow the
# new wall clock.  The count stays exact.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
command -v nft >/dev/null || skip_all "needs nft (nftables)"
ft=
for f in /usr/lib/*/faketime/libfaketimeMT.so.1 /usr/lib/faketime/libfaketimeMT.so.1; do
	[ -f "$f" ] && ft=$f && break
done
[ -n "$ft" ] || skip_all "needs libfaketime (Debian package libfaketime)"
agent_test "$@"
cpid= dpid=
test_cleanup() { for p in $cpid $dpid; do kill "$p" 2>/dev/null; done; }

check "nft drops SYNs to port 9" nft -f - <<NFT
table inet f {
	chain in {
		type filter hook input priority 0;
		tcp dport 9 drop
	}
}
NFT
echo "+0" >"$tmp/offset"
# (An ASan build wants its runtime first; libfaketime only wraps the clock.)
cat >"$tmp/sleuthd" <<SH
#!/bin/sh
ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}verify_asan_link_order=0 \\
LD_PRELOAD=$ft FAKETIME_TIMESTAMP_FILE=$tmp/offset FAKETIME_NO_CACHE=1 \
FAKETIME_DONT_FAKE_MONOTONIC=1 DONT_FAKE_MONOTONIC=1 exec "$TCPSLEUTHD" "\$@"
SH
chmod 755 "$tmp/sleuthd"
check "the fake clock steps (date under libfaketime)" sh -c \
    "echo -3600 >'$tmp/probe'; t=\$(LD_PRELOAD=$ft FAKETIME_TIMESTAMP_FILE='$tmp/probe' FAKETIME_NO_CACHE=1 date +%s); d=\$((\$(date +%s) - t)); [ \$d -ge 3590 ] && [ \$d -le 3610 ]"

check "snmpd starts" snmpd_start "$tmp"
TCPSLEUTHD=$tmp/sleuthd check "tcpsleuthd (fake wall clock) captures" \
    sleuthd_start "$tmp" -i lo --windows 6,12,18 --syn-timeout 1 ||
	sed 's/^/# tcpsleuthd: /' "$tmp/sleuthd.log"

"$TCPPROBE" connect 127.0.0.1 7211 -n 0 -i 500 >"$tmp/client" &
cpid=$!
"$TCPPROBE" connect 127.0.0.1 9 -n 0 -t 200 -i 300 >"$tmp/dropped" &
dpid=$!
timedout() { col 127.0.0.1 9 17; }
tmo_at_least() { [ "$(timedout)" -ge "$1" ] 2>/dev/null; }
refused() { col 127.0.0.1 7211 15; }
at_least() { [ "$(refused)" -ge "$1" ] 2>/dev/null; }
# last_seen_off SECONDS: tcpsleuthEpLastSeen is SECONDS off the real clock (within 5 s).
last_seen_off() {
	ls=$(dat_epoch "$(col 127.0.0.1 7211 12)") || return 1
	off=$((ls - $(date +%s) - $1))
	echo "# tcpsleuthEpLastSeen $(date -u -d @$ls +%T), $((ls - $(date +%s))) s off the real clock"
	[ $off -ge -5 ] && [ $off -le 5 ]
}
rate_ok() {	# the 6 s rate in milli-failures per second is about 2000
	r=$(col 127.0.0.1 7211 23)
	echo "# refused $(refused), rate $r, seconds since last $(col 127.0.0.1 7211 13)"
	[ "${r:-0}" -ge 1000 ] && [ "$r" -le 3000 ]
}
step() {	# step OFFSET DESCRIPTION
	echo "$1" >"$tmp/offset"
	check "$2: the times shown follow the wall clock" wait_for 10 last_seen_off "$1"
	n=$(refused)
	check "$2: counting goes on" wait_for 10 at_least $((n + 4))
	check "$2: the rate is still 2/s" rate_ok
	n=$(timedout)
	check "$2: unanswered SYNs go on timing out ($n, then 3 more)" wait_for 10 tmo_at_least $((n + 3))
	s=$(col 127.0.0.1 7211 13)
	check "$2: last seen ${s}s ago" [ "${s:-99}" -le 2 ]
}

check "the client is refused 12 times" wait_for 15 at_least 12
check "before: the rate is 2/s" rate_ok
check "before: tcpsleuthEpLastSeen is the real time" last_seen_off 0
check "before: unanswered SYNs time out" wait_for 10 tmo_at_least 3
step -3600 "an hour back"
step +3600 "two hours forward"

kill "$cpid"
wait "$cpid"
cpid=
real=$(sed -n 's/^refused \([0-9]*\).*/\1/p' "$tmp/client")
exact() { [ "$(refused)" = "$real" ]; }
check "the count is exact ($real)" wait_for 10 exact
check "tcpsleuthd is still running" kill -0 "$SLEUTHD_PID"
done_testing
