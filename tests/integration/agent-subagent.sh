#!/bin/sh
# agent-subagent.sh - tcpsleuthd as the AgentX subagent of a real snmpd,
# in a network namespace of its own: refusals the kernel makes at known
# counts (IPv4 and IPv6) read back with snmpget, snmpwalk, snmpbulkwalk
# and snmptable; the listener column; host counters bracketed by /proc;
# coverage; the seed's 2/s rate; a row visible within 1 s.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
agent_test "$@"
cpid=
test_cleanup() { [ -z "$cpid" ] || kill "$cpid" 2>/dev/null; }

check "snmpd master on a private socket and port" snmpd_start "$tmp"
check "tcpsleuthd registers as its subagent" sleuthd_start "$tmp" \
    --windows 6,12,18
is "$(get $MIB.1.3.1.0)" 1 "capture state running(1)"

"$TCPPROBE" connect 127.0.0.1 7211 -n 10 >/dev/null
"$TCPPROBE" connect ::1 7211 -n 6 >/dev/null
check "10 refusals on 127.0.0.1:7211 (snmpget)" wait_for 5 col_is 127.0.0.1 7211 15 10
check "6 refusals on [::1]:7211 (snmpget)" wait_for 5 col_is ::1 7211 15 6
is "$(col 127.0.0.1 7211 4)" "lo 127.0.0.1:7211" "name column"
is "$(col 127.0.0.1 7211 6)" lo "interface name"
is "$(col 127.0.0.1 7211 5)" "$(cat /sys/class/net/lo/ifindex)" "ifIndex joinable with IF-MIB"
is "$(col 127.0.0.1 7211 7)" 2 "location local(2)"
is "$(col 127.0.0.1 7211 8)" 3 "nothing listens: notListening(3)"
is "$(col 127.0.0.1 7211 21)" 10 "RSTs by the service"
is "$(col ::1 7211 4)" "lo [::1]:7211" "IPv6 name column"

walk() { snmpwalk -v2c -c public -On -t 2 127.0.0.1:$SNMP_PORT "$@"; }
bulk() { snmpbulkwalk -v2c -c public -On -t 2 -Cr10 127.0.0.1:$SNMP_PORT "$@"; }
walk $EP.15 >"$tmp/walk"
bulk $EP.15 >"$tmp/bulk"
is "$(grep -c . "$tmp/walk")" 2 "snmpwalk: two rows"
is "$(grep "\.$(ep_index 127.0.0.1 7211) " "$tmp/walk" | sed 's/.*: //')" 10 \
    "snmpwalk: 10 on 127.0.0.1:7211"
check "snmpbulkwalk gives the same as snmpwalk" cmp -s "$tmp/walk" "$tmp/bulk"
bulk $PORTE.4 >"$tmp/ports"
is "$(sed 's/.*: //' "$tmp/ports")" 16 "port table: 16 refusals on port 7211"

if [ -f "$IETF_MIBS/SNMPv2-SMI.txt" ]; then
	snmptable -v2c -c public -M "+$IETF_MIBS:$TOP_BUILDDIR/mibs" \
	    -m TCPSLEUTH-MIB -Cf '|' -Ci 127.0.0.1:$SNMP_PORT \
	    TCPSLEUTH-MIB::tcpsleuthEpTable >"$tmp/table" 2>"$tmp/table.err"
	row=$(grep 'lo 127.0.0.1:7211' "$tmp/table")
	check "snmptable shows the 127.0.0.1:7211 row" [ -n "$row" ]
	is "$(echo "$row" | awk -F'|' '{ print $13 }')" 10 "snmptable: its refusals"
	sed 's/^/# /' "$tmp/table"
else
	ok 1 "snmptable: IETF MIBs missing at $IETF_MIBS (set IETF_MIBS)"
fi

# Something listens now: the column follows (poll interval 0.2 s).
"$TCPPROBE" listen 127.0.0.1 7211 -n 1 >"$tmp/listen" &
lpid=$!
wait_for 5 grep -q listening "$tmp/listen"
check "a listener appears: listening(2)" wait_for 5 col_is 127.0.0.1 7211 8 2
"$TCPPROBE" connect 127.0.0.1 7211 -n 1 >/dev/null
wait $lpid

# Host counters bracketed by /proc.
b=$(proc_tcp AttemptFails)
v=$(get $MIB.1.1.3.0)
a=$(proc_tcp AttemptFails)
check "AttemptFails: /proc before ($b) <= SNMP ($v) <= /proc after ($a)" \
    [ "$b" -le "$v" ] && [ "$v" -le "$a" ]
b=$(proc_tcp OutRsts)
v=$(get $MIB.1.1.6.0)
a=$(proc_tcp OutRsts)
check "OutRsts: /proc before ($b) <= SNMP ($v) <= /proc after ($a)" \
    [ "$b" -le "$v" ] && [ "$v" -le "$a" ]
is "$(get $MIB.1.1.3.0 | grep -c .)" 1 "tcpsleuthHostAttemptFails is served"

# Coverage: in this namespace every RST and failure is one the capture saw.
cov_ok() { [ "$(get $MIB.1.3.16.0)" = 1000 ] && [ "$(get $MIB.1.3.19.0)" = 1000 ] &&
    [ "$(get $MIB.1.3.14.0)" = 16 ]; }
check "coverage: 16 RSTs seen of 16 OutRsts, failures 1000 per mille" wait_for 5 cov_ok

# The seed: a client retries 127.0.0.1:7200 twice a second.
t0=$(date +%s%N)
"$TCPPROBE" connect 127.0.0.1 7200 -n 0 -i 500 >/dev/null &
cpid=$!
check "the new row is visible" wait_for 5 col_is 127.0.0.1 7200 15 1
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
check "...within 1 s of its first failure (${ms} ms)" [ "$ms" -le 1000 ]
rate_ok() {
	r=$(col 127.0.0.1 7200 23)
	h=$(get $MIB.1.2.1.0)
	[ -n "$r" ] && [ "$r" -ge 1700 ] && [ "$r" -le 2300 ] &&
	    [ -n "$h" ] && [ "$h" -ge 1700 ] && [ "$h" -le 2300 ] &&
	    [ "$(col 127.0.0.1 7200 15)" -ge 14 ]
}
check "2/s: endpoint and host AttemptFails 1-minute rates (6 s windows) read 2000 +- 300" \
    wait_for 20 rate_ok
echo "# endpoint rate $(col 127.0.0.1 7200 23), host AttemptFails rate $(get $MIB.1.2.1.0), after $(col 127.0.0.1 7200 15) refusals"
kill "$cpid"
wait "$cpid"
cpid=

check "SET is refused (notWritable)" sh -c "snmpset -v2c -c public -t 1 -r 0 \
    127.0.0.1:$SNMP_PORT $MIB.1.3.9.0 u 5 2>&1 | grep -q -i 'notWritable\|noAccess\|not writable'"
sleuthd_stop
ok $? "tcpsleuthd exits 0 on SIGTERM"

# Without -f: a daemon with a pid file, logging to syslog.
"$TCPSLEUTHD" $SLEUTHD_KEV -x "$tmp/agentx.sock" -p "$tmp/tcpsleuthd.pid" \
    --publish-interval 0.2 --control-socket "$tmp/control.d" >"$tmp/daemon.out" 2>&1
is "$?" 0 "without -f it goes to the background (exit 0)"
check "...writes its pid file" wait_for 5 test -s "$tmp/tcpsleuthd.pid"
dpid=$(cat "$tmp/tcpsleuthd.pid")
check "...and serves" wait_for 10 registered
is "$(wc -c < "$tmp/daemon.out")" 0 "...with nothing on the terminal"
kill "$dpid"
gone() { ! kill -0 "$dpid" 2>/dev/null; }
check "...stops on SIGTERM" wait_for 5 gone
check "...and removes its pid file" wait_for 2 test ! -e "$tmp/tcpsleuthd.pid"
done_testing
