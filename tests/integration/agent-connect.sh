#!/bin/sh
# agent-connect.sh - the subagent's link to its master.  Started before
# snmpd (as at boot) with the default 15 s ping interval, tcpsleuthd says
# "waiting for the master", not "serving", and tries again after 1, 2, 4
# ... s: it registers within seconds of the master's start, not at the
# next ping.  Neither of its processes opens a listening socket, before
# or after (ss), but its control socket (tcpsleuthctl's, a Unix socket),
# which the SNMP process alone holds.  Stops
# leave no net-snmp "_callback_lock" or "netsnmp_assert" message, over many
# cycles and when the master drops the connection while tcpsleuthd closes
# its session (snmpd stopping at the same time, as at shutdown); a daemon
# stops as fast as a foreground process.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
agent_test "$@"

listening() {	# tcpsleuthd's listening sockets (both processes), one per
	# line, but its control socket
	ss -Hlntuxp | grep -e "pid=$SLEUTHD_PID," -e "pid=$(snmp_pid)," |
	    grep -v -F " $tmp/control " || true
}

# Before the master: waiting, not serving, no socket listening.
"$TCPSLEUTHD" $SLEUTHD_KEV -f -x "$tmp/agentx.sock" --publish-interval 0.2 \
    --control-socket "$tmp/control" >"$tmp/sleuthd.log" 2>&1 &
SLEUTHD_PID=$!
check "no master yet: it says it is waiting for the master" \
    wait_for 10 grep -q 'waiting for the master' "$tmp/sleuthd.log"
is "$(grep -c 'serving' "$tmp/sleuthd.log")" 0 "...and not that it serves"
check "...its SNMP process runs" [ -n "$(snmp_pid)" ]
is "$(listening)" "" "...and neither process opens a listening socket (ss -lntupx)"
check "...but its control socket, held by the SNMP process" \
    sh -c "ss -Hlxp | grep 'pid=$(snmp_pid),' | grep -q -F ' $tmp/control '"
check "...and not by the capture process" \
    sh -c "! ss -Hlxp | grep 'pid=$SLEUTHD_PID,' | grep -q -F ' $tmp/control '"

# The master starts: registered within seconds, not at the next 15 s ping.
t0=$(date +%s%N)
snmpd_start "$tmp"
check "the master starts: tcpsleuthd registers" wait_for 15 registered
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "...within 3 s of the master's start ($ms ms; the ping interval is 15 s)" [ "$ms" -le 3000 ]
check "...and says it serves, once" sh -c \
    "[ \$(grep -c 'serving TCPSLEUTH-MIB .* as an AgentX subagent of $tmp/agentx.sock' '$tmp/sleuthd.log') = 1 ]"
is "$(grep -c 'waiting for the master' "$tmp/sleuthd.log")" 1 "the wait was said once"
is "$(listening)" "" "a subagent opens no listening socket (ss -lntupx)"
sleuthd_stop
ok $? "it exits 0 on SIGTERM"

# Stops: no lock messages, over many cycles.
locks() { grep -c '_callback_lock\|lock_holded\|netsnmp_assert' "$1"; }
bad=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	sleuthd_start "$tmp" || bad=$((bad + 1))
	sleuthd_stop || bad=$((bad + 1))
	n=$(locks "$tmp/sleuthd.log")
	[ "$n" = 0 ] || { bad=$((bad + 1)); sed -n '/lock/p' "$tmp/sleuthd.log" | head -2 | sed 's/^/# /'; }
done
is "$bad" 0 "10 start/stop cycles: registered, exit 0, no net-snmp lock messages"

# The master drops the connection while tcpsleuthd closes its session:
# frozen when tcpsleuthd is told to stop, killed while it waits.
bad=0
for i in 1 2 3; do
	snmpd_stop
	snmpd_start "$tmp"
	sleuthd_start "$tmp"
	kill -STOP "$SNMPD_PID"
	kill "$SLEUTHD_PID"
	wait_for 1 false 2>/dev/null || true	# its Close is on the way
	kill -KILL "$SNMPD_PID"
	wait "$SNMPD_PID" 2>/dev/null
	SNMPD_PID=
	sleuthd_stop || bad=$((bad + 1))
	n=$(locks "$tmp/sleuthd.log")
	[ "$n" = 0 ] || { bad=$((bad + 1)); sed -n '/lock/p' "$tmp/sleuthd.log" | head -2 | sed 's/^/# /'; }
done
is "$bad" 0 "3 stops while the master drops the connection: exit 0, no lock messages"

# A daemon stops as fast as a foreground process: the time until it has
# exited (a zombie for its new parent to reap, or gone; how long PID 1
# takes to reap it is not tcpsleuthd's).
snmpd_start "$tmp"
exited() { [ ! -d "/proc/$1" ] || [ "$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null)" = Z ]; }
stop_ms() {	# stop_ms PID: SIGTERM to exit, in ms
	_t0=$(date +%s%N)
	kill "$1"
	wait_for 10 exited "$1"
	echo $(( ($(date +%s%N) - _t0) / 1000000 ))
}
sleuthd_start "$tmp"
fg_ms=$(stop_ms "$SLEUTHD_PID")
wait "$SLEUTHD_PID"
SLEUTHD_PID=
"$TCPSLEUTHD" $SLEUTHD_KEV -x "$tmp/agentx.sock" -p "$tmp/d.pid" --publish-interval 0.2 \
    --control-socket "$tmp/control.d" >/dev/null 2>&1
check "a daemon starts and registers" wait_for 10 sh -c "test -s '$tmp/d.pid' && [ -n \"\$(snmpget -v2c -c public -Oqv -t 1 -r 0 127.0.0.1:$SNMP_PORT $MIB.1.3.1.0 2>/dev/null | grep -v No)\" ]"
dpid=$(cat "$tmp/d.pid")
bg_ms=$(stop_ms "$dpid")
check "the daemon stops as fast as the foreground process ($bg_ms ms, foreground $fg_ms ms)" \
    [ "$bg_ms" -le $((fg_ms + 300)) ]
check "...and removed its pid file" test ! -e "$tmp/d.pid"
done_testing
