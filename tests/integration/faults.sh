#!/bin/sh
# faults.sh - tcpsleuthd under faults, each in this test's own network
# namespace: kernel counters that go backwards (a fake /proc: a
# discontinuity, no bogus rate), /proc that becomes unreadable and comes
# back (one log line, noSuchObject, then served again), garbage in /proc,
# the master absent at start (retries once per ping interval, then
# registers), the master restarted while a poller walks a large table,
# interfaces coming and going under an "any" capture, and tcpsleuthd
# started again and again while pollers ask for its scalars (requests
# arrive while it registers, before its loop runs).
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
agent_test "$@"
wpid=
test_cleanup() {
	[ -z "$wpid" ] || kill "$wpid" 2>/dev/null
	for i in 1 2 3 4 5 6 7 8; do ip link del tsf$i 2>/dev/null; done
}

# --- A fake /proc, under a standalone agent.
P=$tmp/proc
mkdir -p "$P/net"
procset() {	# procset ATTEMPTFAILS OUTRSTS
	printf 'Tcp: ActiveOpens AttemptFails OutRsts\nTcp: 5 %s %s\n' "$1" "$2" >"$P/net/snmp.new"
	mv "$P/net/snmp.new" "$P/net/snmp"
}
procset 1000 50
printf 'TcpExt: ListenDrops\nTcpExt: 3\n' >"$P/net/netstat"
"$TCPSLEUTHD" $SLEUTHD_KEV -f --listen udp:127.0.0.1:$SNMP_PORT --community public \
    --procroot "$P" --poll-interval 0.2 --publish-interval 0.2 \
    --windows 6,12,18 --control-socket "$tmp/control.a" >"$tmp/a.log" 2>&1 &
SLEUTHD_PID=$!
check "standalone agent over a fake /proc" wait_for 10 registered
is "$(get $MIB.1.1.3.0)" 1000 "AttemptFails from the fake /proc"
start=$(get $MIB.1.9.1.0)
is "$(get $MIB.1.1.26.0)" "$start" "no discontinuity yet but the start (tcpsleuthAgentDiscontinuity $start)"
procset 1100 60
polled() { [ "$(get $MIB.1.2.1.0)" -gt 0 ] 2>/dev/null; }
check "a rise of 100 gives a rate" wait_for 5 polled
procset 10 1		# the namespace was recreated
went_back() { [ "$(get $MIB.1.1.26.0)" -gt "$start" ]; }
check "counters going back set tcpsleuthHostDiscontinuity" wait_for 5 went_back
check "...and are logged" grep -q "kernel counters went back (AttemptFails 1100 -> 10)" "$tmp/a.log"
procset 20 2
r=$(get $MIB.1.2.1.0)
check "no bogus rate from the step back (rate $r thousandths/s)" [ "$r" -lt 100000 ]
rm "$P/net/snmp" "$P/net/netstat"
gone() { snmpget -v2c -c public -On 127.0.0.1:$SNMP_PORT $MIB.1.1.3.0 2>&1 | grep -q 'No Such'; }
check "/proc unreadable: the counters are noSuchObject" wait_for 5 gone
wait_for 2 false 2>/dev/null || true	# several polls at 0.2 s
is "$(grep -c 'net/snmp and .*net/netstat' "$tmp/a.log")" 1 "...said once in the log, not per poll"
printf 'garbage\n\001\002 x y\n' >"$P/net/snmp"
alive_gone() { kill -0 "$SLEUTHD_PID" && gone; }
check "garbage in /proc: still noSuchObject, still running" alive_gone
procset 30 3
printf 'TcpExt: ListenDrops\nTcpExt: 4\n' >"$P/net/netstat"
back() { [ "$(get $MIB.1.1.3.0)" = 30 ]; }
check "/proc readable again: served" wait_for 5 back
check "...and logged" wait_for 5 grep -q "kernel counters readable again" "$tmp/a.log"
is "$(grep -c 'Connection from' "$tmp/a.log")" 0 "requests are not logged one by one"
sleuthd_stop

# --- The master absent at start.
"$TCPSLEUTHD" $SLEUTHD_KEV -f -x "$tmp/agentx.sock" --ping-interval 1 --publish-interval 0.2 \
    --control-socket "$tmp/control.b" >"$tmp/b.log" 2>&1 &
SLEUTHD_PID=$!
check "no master: tcpsleuthd says it waits for it" \
    wait_for 10 grep -q 'waiting for the master' "$tmp/b.log"
wait_for 3 false 2>/dev/null || true	# several tries at 1 s
check "...and runs" kill -0 "$SLEUTHD_PID"
snmpd_start "$tmp"
check "the master appears: tcpsleuthd registers" wait_for 5 capturing
is "$(grep -c 'waiting for the master\|Failed to connect' "$tmp/b.log")" 1 \
    "the wait was said once, not once per try"

# --- The master restarted while a poller walks a table of 300 rows.
for p in $(seq 9000 9299); do echo $p; done | while read -r p; do
	"$TCPPROBE" connect 127.0.0.1 $p -n 1 >/dev/null
done
rows300() { [ "$(get $MIB.1.3.8.0)" -ge 300 ] 2>/dev/null; }
check "300 endpoints in the table" wait_for 10 rows300
( while :; do snmpbulkwalk -v2c -c public -t 1 -r 0 -Cr25 127.0.0.1:$SNMP_PORT $EP.15 >/dev/null 2>&1; done ) &
wpid=$!
snmpd_stop
snmpd_start "$tmp"
snmpd_stop
snmpd_start "$tmp"
check "after two master restarts mid-walk: tcpsleuthd still runs" kill -0 "$SLEUTHD_PID"
full() { [ "$(snmpwalk -v2c -c public -t 2 127.0.0.1:$SNMP_PORT $EP.15 2>/dev/null | grep -c 'Counter64: 1')" -ge 300 ]; }
check "...and serves the whole table again, counts intact" wait_for 10 full
kill "$wpid"
wait "$wpid" 2>/dev/null
wpid=

# --- Interfaces come and go under "any".
for i in 1 2 3 4 5 6 7 8; do
	ip link add tsf$i type veth peer name tsg$i && ip link set tsf$i up && ip link set tsg$i up
done
for i in 1 2 3 4 5 6 7 8; do ip link del tsf$i; done
"$TCPPROBE" connect 127.0.0.1 9500 -n 4 >/dev/null
check "any: still capturing after 16 interfaces came and went" wait_for 5 col_is 127.0.0.1 9500 15 4
is "$(get $MIB.1.3.1.0)" 1 "...capture state running(1)"

# --- Requests during registration: each start registers group after group
# and waits for the master's answers, while net-snmp already serves the
# groups registered; the scalars must have a snapshot from the start.
sleuthd_stop
( while :; do snmpget -v2c -c public -t 0.2 -r 0 127.0.0.1:$SNMP_PORT \
    $MIB.1.1.26.0 $MIB.1.3.1.0 $MIB.1.6.1.0 >/dev/null 2>&1; done ) &
wpid=$!
other_up() { [ -n "$(get $MIB.1.6.1.0)" ]; }
survived=0
for i in $(seq 15); do
	"$TCPSLEUTHD" $SLEUTHD_KEV -f -x "$tmp/agentx.sock" --control-socket "$tmp/control.c" \
	    >"$tmp/start.log" 2>&1 &
	SLEUTHD_PID=$!
	wait_for 10 other_up && kill -0 "$SLEUTHD_PID" 2>/dev/null &&
	    survived=$((survived + 1))
	sleuthd_stop || grep -m1 'runtime error\|Sanitizer' "$tmp/start.log" | sed 's/^/# /'
done
kill "$wpid"
wait "$wpid" 2>/dev/null
wpid=
is "$survived" 15 "15 starts under a polling load: every one registered and ran on"
done_testing
