#!/bin/sh
# agent-restart.sh - the master goes away and comes back: tcpsleuthd
# reconnects within its ping interval (plus a margin) and keeps its
# counts.  Then a capture storm: a poller walking other subtrees through
# the same master meanwhile gets no error.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
agent_test "$@"
spid=
test_cleanup() { [ -z "$spid" ] || kill "$spid" 2>/dev/null; }

snmpd_start "$tmp"
check "tcpsleuthd registered (ping interval 1 s)" sleuthd_start "$tmp" --ping-interval 1
"$TCPPROBE" connect 127.0.0.1 7211 -n 7 >/dev/null
check "7 refusals before the restart" wait_for 5 col_is 127.0.0.1 7211 15 7

snmpd_stop
"$TCPPROBE" connect 127.0.0.1 7211 -n 3 >/dev/null	# while the master is away
t0=$(date +%s%N)
snmpd_start "$tmp"
check "the master is back" registered_master
check "tcpsleuthd serves again" wait_for 10 col_is 127.0.0.1 7211 15 10
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
check "...within the ping interval plus 3 s (${ms} ms)" [ "$ms" -le 4000 ]
is "$(col 127.0.0.1 7211 15)" 10 "counts kept across the restart: 7 + 3 while away"
check "tcpsleuthd is still running" kill -0 "$SLEUTHD_PID"

# A storm of refusals while another poller walks the system group and
# TCP-MIB through the same master: every walk completes without error.
"$TCPPROBE" connect 127.0.0.1 7300 -n 30000 >/dev/null &
spid=$!
errs=0 walks=0
while kill -0 "$spid" 2>/dev/null && [ $walks -lt 200 ]; do
	if ! snmpbulkwalk -v2c -c public -On -t 2 -r 0 127.0.0.1:$SNMP_PORT \
	    .1.3.6.1.2.1.1 >"$tmp/w" 2>&1 || grep -qi 'genErr\|timeout\|error' "$tmp/w"; then
		errs=$((errs + 1))
		sed 's/^/# /' "$tmp/w" | head -3
	fi
	walks=$((walks + 1))
	snmpget -v2c -c public -t 2 -r 0 127.0.0.1:$SNMP_PORT $MIB.1.3.4.0 >"$tmp/g" 2>&1 ||
	    errs=$((errs + 1))
done
wait "$spid"
spid=
echo "# $walks walks of the system group during the storm"
is "$errs" 0 "no errors for other pollers during a capture storm"
check "the storm's refusals all counted" wait_for 10 col_is 127.0.0.1 7300 15 30000
echo "# kernel drops: $(get $MIB.1.3.5.0)"
done_testing
