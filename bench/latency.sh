#!/bin/sh
# bench/latency.sh OUT - part 5: latency and idle wake-ups.  In a network
# namespace of its own: snmpd, snmptrapd and tcpsleuthd (defaults but for
# short rate windows and a 2 s hold-down, so a crossing comes in seconds).
#  - visibility: BENCH_LAT_TRIALS (20) single refusals on fresh ports, each
#    timed from connect() to the row's refused count reading 1 over SNMP;
#  - notification: a client refused 20 times a second; from the first poll
#    that reads the endpoint's 1-minute rate above the threshold to the
#    notification at snmptrapd (goal: within hold-down + 1 s);
#  - idle: a fresh tcpsleuthd with no traffic for BENCH_IDLE_SECONDS (60),
#    its threads' voluntary context switches (each one a sleep that ended:
#    a wake-up) against what its timers call for.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
. "$TOP_SRCDIR/bench/verdict.sh"
out=$1
agent_test "$@"	# its namespace, $tmp, and the agents stopped on exit
trials=${BENCH_LAT_TRIALS:-20}
idle=${BENCH_IDLE_SECONDS:-60}
hold=2
stpid= cpid=
test_cleanup() {
	for p in $stpid $cpid; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
}
ms() { echo $(($(date +%s%N) / 1000000)); }

snmptrapd_start "$tmp" || { echo "latency: snmptrapd did not start" >&2; exit 1; }
snmpd_start "$tmp" || { echo "latency: snmpd did not start" >&2; exit 1; }
"$TCPSLEUTHD" -f -x "$tmp/agentx.sock" --control-socket "$tmp/control" \
    --windows 6,12,18 --alarm-rate 5 \
    --alarm-hold $hold >"$tmp/sleuthd.log" 2>&1 &
SLEUTHD_PID=$!
wait_for 10 capturing || { echo "latency: tcpsleuthd is not capturing" >&2; exit 1; }

# Visibility of a single failure.
echo "latency: visibility, $trials trials" >&2
: >"$tmp/vis"
for i in $(seq "$trials"); do
	port=$((9000 + i))
	t0=$(ms)
	"$TCPPROBE" connect 127.0.0.1 $port -n 1 >/dev/null
	until col_is 127.0.0.1 $port 15 1; do
		[ $(($(ms) - t0)) -gt 5000 ] && break
	done
	echo $(($(ms) - t0)) >>"$tmp/vis"
done
vis_max=$(sort -n "$tmp/vis" | tail -1)
vis_med=$(sort -n "$tmp/vis" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')

# A threshold crossing and its notification (tcpsleuthEndpointRateHigh).
echo "latency: notification" >&2
"$TCPPROBE" connect 127.0.0.1 7211 -n 0 -i 50 >/dev/null &
cpid=$!
t0=$(ms) cross= trap_at=
while [ $(($(ms) - t0)) -lt 20000 ]; do
	r=$(col 127.0.0.1 7211 23)
	[ -z "$cross" ] && [ "${r:-0}" -gt 5000 ] && cross=$(ms)
	if [ "$(traps "$tmp" 1)" -ge 1 ]; then
		trap_at=$(ms)
		break
	fi
done
kill $cpid
wait $cpid 2>/dev/null
cpid=
trap_lat=$(awk -v a="${cross:-0}" -v b="${trap_at:-0}" 'BEGIN { printf "%.2f", (b - a) / 1000 }')
sleuthd_stop

# Idle wake-ups: a fresh agent, no traffic.
echo "latency: idle, $idle s" >&2
"$TCPSLEUTHD" -f -x "$tmp/agentx.sock" --control-socket "$tmp/control2" \
    >"$tmp/sleuthd2.log" 2>&1 &
SLEUTHD_PID=$!
wait_for 10 capturing
sleep 2		# past the start (registration, first polls)
vcs() { cat /proc/$SLEUTHD_PID/task/*/status | awk '/^voluntary_ctxt_switches/ { s += $2 } END { print s }'; }
# Voluntary context switches, untraced, over half the time (they also
# count lock and I/O waits).
w0=$(vcs)
sleep $((idle / 2))
w1=$(vcs)
vol=$((w1 - w0))
# Every wait the process blocks in (poll, select with a timeout other than
# zero) is a sleep, and its end a wake-up: count them with strace, one
# file per thread, leaving out the waits strace itself cut when attaching
# (restart_syscall) and detaching.
strace -f -ff -qq -e trace=poll,ppoll,select,pselect6,epoll_wait \
    -o "$tmp/strace" -p $SLEUTHD_PID 2>/dev/null &
stpid=$!
sleep "$idle"
kill $stpid
wait $stpid 2>/dev/null
stpid=
waits=$(cat "$tmp"/strace.* | grep -c -v -e ', 0) *=' -e 'tv_sec=0, tv_nsec=0}' \
    -e '^restart_syscall' -e 'detached')
# Waits of the capture thread (its poll) that packets ended: not idle.
pkt=$(cat "$tmp"/strace.* | grep '^poll(' | grep -v ', 0) *=' | grep -c '= [1-9]')
# Timers: each thread once per poll-interval (1 s: the host poll, then the
# snapshot it makes), the AgentX ping every 15 s (the alarm, then the wait
# for the master's answer).  A packet that does arrive costs up to three:
# the capture thread's wake, its snapshot publish-interval later, the SNMP
# thread's wake for that snapshot.
expect=$((2 * idle + 2 * (idle / 15 + 1) + 3 * pkt))

cat >"$out" <<MD
## Goal 6. Latency and idle wake-ups

(Last round's measurement, run again; issue 13's goal 6, p50/p99 over 50
trials through the master and standalone, is for the next round.)

\`bench/latency.sh\`, in a network namespace of its own: snmpd,
snmptrapd and \`tcpsleuthd --windows 6,12,18 --alarm-rate 5 --alarm-hold
$hold\` (publish-interval 0.5 s, poll-interval 1 s, its defaults).

| | figure | goal | |
|---|---|---|---|
| a single refusal on a fresh port: connect() to its row reading 1 (snmpget in a loop), $trials trials | median $vis_med ms, worst $vis_max ms | ≤ 1000 ms | $(met_le "$vis_max" 1000) |
| 20 refusals/s on 127.0.0.1:7211, threshold 5/s: first poll reading tcpsleuthEpRate1 > 5000 → tcpsleuthEndpointRateHigh at snmptrapd | $trap_lat s | ≤ hold-down + 1 s = $((hold + 1)) s | $(met_le "$trap_lat" $((hold + 1))) |
| idle for $idle s: blocking waits (poll/select with a timeout, from \`strace -f\`), both threads | $waits ($pkt of them ended by a packet) | ≤ the timers' $expect | $(met_le "$waits" "$expect") |
| idle for $((idle / 2)) s, untraced: voluntary context switches (these also count lock and I/O waits) | $vol | report | |

The timers, idle: the capture thread wakes once per poll-interval (host
counters, listeners, then a snapshot because the counters are news), the
SNMP thread once per snapshot and for the AgentX ping (15 s).  Nothing
polls: stop and reload reach the capture thread through an eventfd,
snapshots and signals reach the SNMP thread through an eventfd and a
self-pipe in its select().
MD
echo "latency: done" >&2
