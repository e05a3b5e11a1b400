#!/bin/sh
# bench/latency.sh OUT - goal 6: latency and idle wake-ups.  In a network
# namespace of its own: snmptrapd, snmpd, and two tcpsleuthd with an
# endpoint alarm at 5/s, no hold-down: one the master's subagent, one an
# agent of its own (--listen, --trap-sink).
#  - visibility: BENCH_LAT_TRIALS (20) single refusals on fresh ports, each
#    timed from connect() to the row's refused count reading 1 over SNMP;
#  - notification: BENCH_LAT_NOTIFY (50) trials, each a burst of refusals
#    on a fresh port; from the refusal that takes the endpoint's rate over
#    the threshold to tcpsleuthEndpointRateHigh at snmptrapd, through the
#    master and from the standalone agent, both timed by one tcpdump on lo;
#    p50 and p99;
#  - idle: a fresh tcpsleuthd with no traffic for BENCH_IDLE_SECONDS (60),
#    its threads' voluntary context switches (each one a sleep that ended:
#    a wake-up) against what its timers call for.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
. "$TOP_SRCDIR/bench/verdict.sh"
out=$1
agent_test "$@"	# its namespace, $tmp, and the agents stopped on exit
trials=${BENCH_LAT_TRIALS:-20}
ntrials=${BENCH_LAT_NOTIFY:-50}
idle=${BENCH_IDLE_SECONDS:-60}
burst=26 SA_PORT=11163 SA_TRAP_PORT=11165
kev=$(kev_args) || exit 1
stpid= cpid= sapid= dpid=
test_cleanup() {
	for p in $stpid $cpid $sapid $dpid; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
}
sa_stop() { kill $sapid; wait $sapid 2>/dev/null; sapid=; }
ms() { echo $(($(date +%s%N) / 1000000)); }

# snmptrapd on two ports: the master's trap2sink, the standalone's sink.
echo 'disableAuthorization yes' >"$tmp/snmptrapd.conf"
: >"$tmp/traps.log"
MIBS= snmptrapd -f -C -c "$tmp/snmptrapd.conf" -On -Lf "$tmp/traps.log" \
    -F 'TRAP %v\n' udp:127.0.0.1:$TRAP_PORT,udp:127.0.0.1:$SA_TRAP_PORT &
TRAPD_PID=$!
wait_for 10 grep -q 'NET-SNMP version' "$tmp/traps.log" ||
    { echo "latency: snmptrapd did not start" >&2; exit 1; }
snmpd_start "$tmp" || { echo "latency: snmpd did not start" >&2; exit 1; }
tcpdump -i lo -n -tt -l "(udp and (dst port $TRAP_PORT or dst port $SA_TRAP_PORT)) or
    (tcp[tcpflags] & tcp-rst != 0 and tcp src portrange 9101-$((9100 + ntrials)))" \
    >"$tmp/dump" 2>"$tmp/dump.err" &
dpid=$!
# Both with the product's intervals (publish-interval 0.5 s, poll-interval
# 1 s) and windows.
alarm="--alarm-rate 5 --alarm-hold 0 --alarm-clear 0"
"$TCPSLEUTHD" $kev -f -x "$tmp/agentx.sock" --control-socket "$tmp/control" \
    $alarm >"$tmp/sleuthd.log" 2>&1 &
SLEUTHD_PID=$!
mkdir -p "$tmp/state"
"$TCPSLEUTHD" $kev -f --listen udp:127.0.0.1:$SA_PORT --community public \
    --trap-sink udp:127.0.0.1:$SA_TRAP_PORT --state-dir "$tmp/state" \
    --control-socket "$tmp/control-sa" $alarm >"$tmp/sleuthd-sa.log" 2>&1 &
sapid=$!
wait_for 10 capturing || { echo "latency: tcpsleuthd is not capturing" >&2; exit 1; }
sa_capturing() { [ "$(snmpget -v2c -c public -Oqv -t 1 -r 1 127.0.0.1:$SA_PORT $MIB.1.3.1.0 2>/dev/null)" = 1 ]; }
wait_for 10 sa_capturing || { echo "latency: the standalone tcpsleuthd is not capturing" >&2; exit 1; }
wait_for 10 grep -q listening "$tmp/dump.err" || { echo "latency: tcpdump did not start" >&2; exit 1; }

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

# Notification latency, BENCH_LAT_NOTIFY (50) trials: each a burst of
# BURST refusals on a fresh port; a row younger than its window has the
# rate N / 5 s (src/rate.h), so with --alarm-rate 5 the BURST-th refusal
# (26) is the threshold crossing, and with --alarm-hold 0 the next
# evaluation raises tcpsleuthEndpointRateHigh (--alarm-clear 0: no
# RateNormal to tell apart).  Both agents see each burst: the subagent's
# notification goes through the master to snmptrapd on TRAP_PORT, the
# standalone's straight to snmptrapd on SA_TRAP_PORT.  The crossing's RST
# and both notifications are timestamped by one tcpdump on lo.
echo "latency: notification, $ntrials trials" >&2
: >"$tmp/trials"
for i in $(seq "$ntrials"); do
	port=$((9100 + i))
	# a random phase against the agents' publish and poll intervals
	sleep "$(awk -v s="$i" 'BEGIN { srand(s); printf "%.3f", rand() }')"
	"$TCPPROBE" connect 127.0.0.1 $port -n $burst >/dev/null
	echo $port >>"$tmp/trials"
	t0=$(ms)
	until [ "$(traps "$tmp" 1)" -ge $((2 * i)) ]; do
		[ $(($(ms) - t0)) -gt 5000 ] && break
	done
done
sleep 1
kill $dpid
wait $dpid 2>/dev/null
dpid=
# "master|standalone ms" per trial, from tcpdump's timestamps: the
# BURST-th RST from the trial's port, then the first notification to each
# sink after it.
awk -v burst=$burst -v mp=$TRAP_PORT -v sp=$SA_TRAP_PORT '
function port(a) { sub(/:$/, "", a); n = split(a, f, "."); return f[n] }
$2 != "IP" { next }
/Flags \[R/ { p = port($3); if (++rst[p] == burst) { cross = $1; gm = gs = 0 } next }
/UDP/ && cross != "" { d = port($5)
	if (d == mp && !gm) { gm = 1; printf "master %.1f\n", ($1 - cross) * 1000 }
	if (d == sp && !gs) { gs = 1; printf "standalone %.1f\n", ($1 - cross) * 1000 } }
' "$tmp/dump" >"$tmp/lat"
# pct WAY P: the P-th percentile of WAY's latencies, nearest rank, in ms.
pct() { awk -v w="$1" '$1 == w { print $2 }' "$tmp/lat" | sort -n |
	awk -v p="$2" '{ v[NR] = $1 } END { if (!NR) { print "none"; exit }
	    r = int(p * NR / 100); if (r < p * NR / 100) r++; if (r < 1) r = 1; print v[r] }'; }
got() { awk -v w="$1" '$1 == w' "$tmp/lat" | wc -l; }
m50=$(pct master 50) m99=$(pct master 99) mmin=$(pct master 0)
s50=$(pct standalone 50) s99=$(pct standalone 99) smin=$(pct standalone 0)
mgot=$(got master) sgot=$(got standalone)
sa_stop
sleuthd_stop

# Idle wake-ups: a fresh agent, no traffic.
echo "latency: idle, $idle s" >&2
"$TCPSLEUTHD" -f -x "$tmp/agentx.sock" --control-socket "$tmp/control2" \
    >"$tmp/sleuthd2.log" 2>&1 &
SLEUTHD_PID=$!
wait_for 10 capturing
sleep 2		# past the start (registration, first polls)
procs=$(proc_tree $SLEUTHD_PID)	# tcpsleuthd's two processes
vcs() { for _p in $procs; do cat /proc/$_p/task/*/status; done |
    awk '/^voluntary_ctxt_switches/ { s += $2 } END { print s }'; }
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
    -o "$tmp/strace" $(for _p in $procs; do echo "-p $_p"; done) 2>/dev/null &
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

\`bench/latency.sh\`, in a network namespace of its own: snmptrapd on
udp:127.0.0.1:$TRAP_PORT and :$SA_TRAP_PORT, a master snmpd (\`trap2sink
127.0.0.1:$TRAP_PORT\`), and two tcpsleuthd with the product's intervals
and windows (publish-interval 0.5 s, poll-interval 1 s, windows 60, 300,
900 s) and \`$alarm\`:
\`tcpsleuthd $kev -f -x SOCKET --control-socket PATH ...\` (the
master's subagent) and \`tcpsleuthd $kev -f --listen
udp:127.0.0.1:$SA_PORT --community public --trap-sink
udp:127.0.0.1:$SA_TRAP_PORT --state-dir DIR --control-socket PATH2 ...\`.

Notifications: $ntrials trials, each after a random pause of 0-1 s (a
random phase against the agents' intervals) a burst of $burst refusals on a
fresh port (\`tcpprobe connect 127.0.0.1 PORT -n $burst\`).  A row younger
than its window has the rate N / 5 s (src/rate.h), so the ${burst}th refusal
is the threshold crossing (5.2/s > 5/s); both agents see it, and the trial
ends when both notifications are in.  Latency: from that refusal's RST to
tcpsleuthEndpointRateHigh's packet to snmptrapd, both timestamps from one
\`tcpdump -i lo\` (p99 of $ntrials is the worst but none).

| | figure | goal | |
|---|---|---|---|
| threshold crossing → tcpsleuthEndpointRateHigh at snmptrapd, through the master, $mgot of $ntrials trials | p50 **$m50 ms**, p99 **$m99 ms** (least $mmin ms) | report; last round's bound hold-down + 1 s = 1000 ms | $([ "$mgot" -eq "$ntrials" ] && met_le "$m99" 1000 || echo "NOT met") |
| the same from the standalone agent, $sgot of $ntrials trials | p50 **$s50 ms**, p99 **$s99 ms** (least $smin ms) | report; 1000 ms | $([ "$sgot" -eq "$ntrials" ] && met_le "$s99" 1000 || echo "NOT met") |
| a single refusal on a fresh port: connect() to its row reading 1 (snmpget in a loop through the master), $trials trials | median $vis_med ms, worst $vis_max ms | ≤ 1000 ms | $(met_le "$vis_max" 1000) |
| idle for $idle s: blocking waits (poll/select with a timeout, from \`strace -f\`), both processes, every thread | $waits ($pkt of them ended by a packet) | ≤ the timers' $expect | $(met_le "$waits" "$expect") |
| idle for $((idle / 2)) s, untraced: voluntary context switches (these also count lock and I/O waits) | $vol | report | |

Where the notification's time goes: the capture thread publishes a
snapshot at most every publish-interval (0.5 s), the capture process
hands it to the SNMP process (a sealed memfd over their socket pair),
which evaluates the alarms on each new snapshot, then sends; so the latency is
mostly the wait for the next snapshot (0 to 0.5 s, plus the capture's
100 ms block timeout), the AgentX hop and the master adding little.

The timers, idle: the capture thread wakes once per poll-interval (host
counters, listeners, then a snapshot because the counters are news), the
SNMP process once per snapshot and for the AgentX ping (15 s).  Nothing
polls: stop and reload reach the capture thread through an eventfd,
snapshots reach the SNMP process over the socket pair its select()
waits on.
MD
echo "latency: done" >&2
