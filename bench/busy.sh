#!/bin/sh
# bench/busy.sh OUT - goal 2: a healthy busy host.  In a network namespace
# of its own, tcpsleuthd and tcpdump capture at once (bench/pair.sh) while
# bench/connloop makes short connections on loopback (a server and a
# client, 256 source addresses), at BENCH_BUSY_RATE (10000) a second and
# as fast as one core allows, each for BENCH_BUSY_SECONDS (10), repeated
# BENCH_BUSY_RUNS (3) times.  No connection may fail: the kernel's
# AttemptFails must not grow.  Writes a Markdown section to OUT.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
. "$TOP_SRCDIR/bench/verdict.sh"
. "$TOP_SRCDIR/bench/pair.sh"
out=$1
agent_test "$@"	# its namespace, $tmp, and the agents stopped on exit
runs=${BENCH_BUSY_RUNS:-3}
secs=${BENCH_BUSY_SECONDS:-10}
rate=${BENCH_BUSY_RATE:-10000}
srcs=256
goal=1.2
connloop=$TOP_BUILDDIR/bench/connloop
test_cleanup() { pair_cleanup; }
# The failures tcpsleuthd saw, all classes (tcpsleuthSeenRefused..Aborts).
seen_fails() {
	s=0
	for o in 20 21 22 23 24; do s=$((s + $(get "$MIB.1.3.$o.0"))); done
	echo $s
}

pair_start || exit 1
af0=$(proc_tcp AttemptFails) rst0=$(proc_tcp OutRsts) f0=$(seen_fails)
made_all=0 failed_all=0 rows=
for mode in "$rate" 0; do
	: >"$tmp/ratio.$mode"
	: >"$tmp/share.$mode"
	for r in $(seq "$runs"); do
		echo "busy: rate ${mode:-max}, run $r of $runs, $secs s" >&2
		set -- $(pair_cpu)
		s0=$1 t0=$2
		"$connloop" 127.0.0.1 8080 $srcs "$mode" "$secs" >"$tmp/gen" \
		    2>"$tmp/gen.err"
		pair_settle
		set -- $(pair_cpu)
		read -r _ made _ failed <"$tmp/gen"
		made_all=$((made_all + made)) failed_all=$((failed_all + failed))
		row=$(awk -v s=$(($1 - s0)) -v t=$(($2 - t0)) -v n="$made" \
		    -v secs="$secs" 'BEGIN { printf "%.0f %.4f %.4f %.2f %.3f",
		    n / secs, s / 1e9 / (n / 1e4), t / 1e9 / (n / 1e4), s / t,
		    s / 1e9 / secs }')
		set -- $row
		echo "$4" >>"$tmp/ratio.$mode"
		echo "$5" >>"$tmp/share.$mode"
		rows="$rows| $( [ "$mode" = 0 ] && echo "as fast as one core allows" || echo "$mode/s") | $r | $made ($1/s) | $2 | $3 | $4 | $5 |
"
	done
done
pair_settle
set -- $(pair_stop_tcpdump)
td_drop=$2
drops=$(get "$MIB.1.3.5.0")
af1=$(proc_tcp AttemptFails) rst1=$(proc_tcp OutRsts) f1=$(seen_fails)
sleuthd_stop
r_fix=$(med "$tmp/ratio.$rate") r_max=$(med "$tmp/ratio.0")
share=$(med "$tmp/share.$rate")

cat >"$out" <<MD
## Goal 2. A healthy busy host$(pair_title)

\`bench/busy.sh\`, in a network namespace of its own: \`bench/connloop
127.0.0.1 8080 $srcs RATE $secs\`, a server accepting and closing and a
client making short connections from $srcs loopback addresses (127.1.0.1
on, so TIME_WAIT uses up no one address's ports): SYN, SYN-ACK, ACK, a
FIN each way, 4 of them through the filter.  tcpsleuthd and tcpdump
capture at once as in goal 1 (same interface $pair_iface, BPF program, snap
length, buffer; source of events: $pair_source).  CPU over each run and the
1.5 s after it, per 10,000 connections made; share of a core: tcpsleuthd's
CPU seconds per second of traffic.

| rate | run | connections made | tcpsleuthd CPU s per 10k | tcpdump CPU s per 10k | ratio | tcpsleuthd share of a core |
|---|---|---|---|---|---|---|
$rows
| | figure | goal | |
|---|---|---|---|
| tcpsleuthd / tcpdump at $rate/s, median of $runs (range) | $r_fix ($(minmax "$tmp/ratio.$rate")) | ≤ $goal | $(met_le "$r_fix" $goal) |
| tcpsleuthd / tcpdump as fast as one core allows, median (range) | $r_max ($(minmax "$tmp/ratio.0")) | ≤ $goal | $(met_le "$r_max" $goal) |
| tcpsleuthd's share of a core at $rate/s, median (range) | $share ($(minmax "$tmp/share.$rate")) | report | |
| connections made / failed (connect or read) | $made_all / $failed_all | none failed | $(met_eq "$failed_all" 0) |
| kernel's tcpAttemptFails delta | $((af1 - af0)) | 0 | $(met_eq $((af1 - af0)) 0) |
| kernel drops: tcpsleuthd / tcpdump | $drops / $td_drop | 0 / 0 | $(met_eq "$drops/$td_drop" 0/0) |
| kernel's OutRsts delta / failures tcpsleuthd counted (all classes) | $((rst1 - rst0)) / $((f1 - f0)) | report | |

What limits it: the same per-frame work as goal 1 on four frames a
connection (SYN, SYN-ACK and the two FINs): a lookup each, the SYN's flow
inserted and queued, the SYN-ACK's dequeued.  Connections that closed
cleanly are kept until they are the least recently used (a RST after both
FINs is still an abort), so once 65,536 flows are in use every SYN evicts
the oldest: its flow, links and bucket are loaded ahead with the batch,
but they are cold.  Where tcpsleuthd counts failures here, they are the
RSTs the kernel sent (OutRsts): when a connection's last ACKs cross, the
side already closed answers a late duplicate ACK with a RST, which the
classifier counts as an abort (a RST after both FINs); connloop has the
server close first, which makes them rare.
MD
[ "$pair_source" = pcap ] || cat >>"$out" <<'MD'

With the kernel event source on: a successful connection makes no ring
record (the programs keep a connecting socket's caller in a map and
write a record only when its attempt fails), so the figures are those of
pcap alone, within the runs' spread.
MD
echo "busy: done" >&2
