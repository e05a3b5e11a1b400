#!/bin/sh
# bench/scan.sh OUT - goal 4: bounded memory under a scan of BENCH_SCAN_PORTS
# (65535) ports x BENCH_SCAN_PEERS (256) callers, every attempt refused,
# with 4 planted heavy hitters of BENCH_SCAN_HH (50000) failures each,
# against a table of 4096 rows.
#  - file: bench/genscan piped into tcpsleuth -r - (heavy hitters from the
#    scan's eighth part on, so they must win rows from a full table: their
#    counts are checked against the failures after each row's creation);
#  - live: bench/synscan sends the SYNs from namespace B, the kernel in
#    namespace A refuses them, tcpsleuthd captures in A (heavy hitters
#    from the start: their counts must be exact); read over SNMP;
#    BENCH_SCAN_RUNS (2) runs, each under the bound with a margin;
#  - bytes of state per flow and per row: from the layout
#    (bench/statesize) and measured (tcpsleuth -r with twice as many).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
. "$TOP_SRCDIR/bench/verdict.sh"
out=$1
ports=${BENCH_SCAN_PORTS:-65535}
peers=${BENCH_SCAN_PEERS:-256}
hhn=${BENCH_SCAN_HH:-50000}
rate=${BENCH_SCAN_RATE:-150000}
rows=4096
bound=32768	# KiB
margin=2048	# KiB, below the bound in every run
runs=${BENCH_SCAN_RUNS:-2}
# BENCH_SOURCE: the source of events (verdict.sh's kev_args).
kargs=$(kev_args) || exit 1
title=$(kev_title)
tmp=$(mktemp -d)
chmod 755 "$tmp"
a=tssa$$ b=tssb$$
cleanup() {
	for p in $SLEUTHD_PID $SNMPD_PID; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	del_netns $a $b
	rm -rf "$tmp"
}
trap cleanup EXIT

# --- from a generated capture -------------------------------------------
echo "scan: file, $ports x $peers" >&2
"$TOP_BUILDDIR/bench/genscan" - "$ports" "$peers" 4 "$hhn" 2>"$tmp/truth" |
    /usr/bin/time -f '%M %e %U %S' -o "$tmp/time" \
    "$TCPSLEUTH" -r - --json -n 0 --rows $rows >"$tmp/out.json"
read -r f_rss f_wall f_user f_sys <"$tmp/time"
total=$(sed -n 's/^total //p' "$tmp/truth")
f_fail=$(jq '.totals.failures.ipv4' "$tmp/out.json")
f_sum=$(jq '([.endpoints[].failures] | add) + .other.failures' "$tmp/out.json")
f_rows=$(jq '.table.rows' "$tmp/out.json")
f_hh=
f_ok=yes
for j in 0 1 2 3; do
	ep=10.97.0.2:$((8000 + j))
	created=$(jq -r --arg e "$ep" '.endpoints[] | select(.endpoint == $e) | .created' "$tmp/out.json")
	got=$(jq --arg e "$ep" '.endpoints[] | select(.endpoint == $e) | .failures' "$tmp/out.json")
	planted=$(awk -v e="$ep" '$1 == "hh" && $2 == e { print $3 }' "$tmp/truth")
	want=$(awk -v e="$ep" -v c="$created" '$1 == "hhat" && $2 == e && $3 >= c { n++ } END { print n + 0 }' "$tmp/truth")
	f_hh="$f_hh| $ep | $planted | ${created:-absent} | ${got:-absent} | $want | $(met_eq "${got:-x}" "$want") |
"
	[ "${got:-x}" = "$want" ] || f_ok=no
done

# --- live, across a veth pair ---------------------------------------------
echo "scan: live, $ports x $peers at most $rate SYN/s" >&2
veth_pair $a veth0 $b veth0
ip -n $a addr add 10.97.0.1/24 dev veth0
ip -n $a addr add 10.97.0.3/24 dev veth0
ip -n $b addr add 10.97.0.2/24 dev veth0
ip -n $a route add 10.97.0.0/16 via 10.97.0.2	# the callers, behind B
A="ip netns exec $a"
snmpd_conf "$tmp"
$A snmpd -f -C -c "$tmp/snmpd.conf" -Lf "$tmp/snmpd.log" &
SNMPD_PID=$!
get() { $A snmpget -v2c -c public -On -Oqv -t 2 -r 1 127.0.0.1:$SNMP_PORT "$@" 2>/dev/null |
    grep -v -e '^No Such' -e 'No more'; }
wait_for 10 test -n "$(get .1.3.6.1.2.1.1.3.0)"
tcp_out() { $A awk '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++) n[i] = $i; h = 1 }
    else for (i = 1; i <= NF; i++) if (n[i] == "OutRsts") print $i }' /proc/net/snmp; }
EP_NETNS=$(netns_ino $a)	# its rows are in A
l_ok=yes l_rows= l_hh=
for run in $(seq "$runs"); do
	echo "scan: live run $run of $runs" >&2
	$A "$TCPSLEUTHD" -f -x "$tmp/agentx.sock" -i veth0 --rows $rows \
	    $kargs --control-socket "$tmp/control" >"$tmp/sleuthd.log" 2>&1 &
	SLEUTHD_PID=$!
	wait_for 10 test "$(get $MIB.1.3.1.0)" = 1
	rst0=$(tcp_out)
	ip netns exec $b "$TOP_BUILDDIR/bench/synscan" 10.97.0.1 10.97.0.3 "$ports" \
	    "$peers" 4 "$hhn" "$rate" 0 >"$tmp/live" 2>"$tmp/live.err"
	sent=$(sed -n 's/^sent //p' "$tmp/live")
	rst1=$(tcp_out)
	rsts=$((rst1 - rst0))
	seen_all() { [ "$(get $MIB.1.3.20.0)" = "$rsts" ]; }
	wait_for 30 seen_all
	# Memory first, before the walk below asks for anything.
	st=/proc/$SLEUTHD_PID/status
	rss_kb=$(awk '/^VmRSS:/ { print $2 }' $st)
	hwm_kb=$(awk '/^VmHWM:/ { print $2 }' $st)
	anon_kb=$(awk '/^RssAnon:/ { print $2 }' $st)
	ring_kb=$(awk '/^[0-9a-f]/ { s = ($6 ~ /^socket:/) } s && /^Rss:/ { r += $2 } END { print r + 0 }' \
	    /proc/$SLEUTHD_PID/smaps)
	# the kernel event source's ring and maps, mapped (anon_inode:bpf-*)
	bpf_kb=$(awk '/^[0-9a-f]/ { s = ($6 ~ /bpf/) } s && /^Rss:/ { r += $2 } END { print r + 0 }' \
	    /proc/$SLEUTHD_PID/smaps)
	echo "$bpf_kb" >>"$tmp/bpf"
	l_seen=$(get $MIB.1.3.20.0)
	l_drops=$(get $MIB.1.3.5.0)
	n_rows=$(get $MIB.1.3.8.0)
	l_other=$(get $MIB.1.6.1.0)
	l_sum=$($A snmpbulkwalk -v2c -c public -On -Oqv -Cr50 -t 5 127.0.0.1:$SNMP_PORT $EP.14 |
	    awk '{ s += $1 } END { print s + 0 }')
	hh_ok=yes
	for j in 0 1 2 3; do
		ep=10.97.0.3:$((8000 + j))
		planted=$(awk -v e="$ep" '$1 == "hh" && $2 == e { print $3 }' "$tmp/live")
		got=$(get "$EP.14.$(ep_index 10.97.0.3 $((8000 + j)))")
		[ "$run" = 1 ] && l_hh="$l_hh| $ep | $planted | ${got:-absent} | $(met_eq "${got:-x}" "$planted") |
"
		[ "${got:-x}" = "$planted" ] || hh_ok=no
	done
	[ $hh_ok = yes ] || l_ok=no
	sleuthd_stop
	peak=$((hwm_kb - ring_kb))
	echo "$peak" >>"$tmp/peaks"
	l_rows="$l_rows| $run | $sent / $rsts | $l_seen $(met_eq "$l_seen" "$rsts") | $l_sum + $l_other $(met_eq "$((l_sum + l_other))" "$rsts") | $n_rows | $l_drops | $hh_ok | $((rss_kb - ring_kb)) KiB ($anon_kb) | $peak KiB | $(met_le "$peak" $((bound - margin))) |
"
done
peak_max=$(sort -n "$tmp/peaks" | tail -1)

# Bytes of state: per flow from the flow table's layout, and measured
# from the file's peak RSS with twice the flows or twice the rows.
sizes=$("$TOP_BUILDDIR/bench/statesize")
scanrss() {	# scanrss ARGS...: peak RSS (KiB) of tcpsleuth -r on a 1M-attempt scan
	# of 16,384 endpoints: more than both tables' sizes below
	"$TOP_BUILDDIR/bench/genscan" - 16384 64 0 0 2>/dev/null |
	    /usr/bin/time -f '%M' -o "$tmp/t" "$TCPSLEUTH" -r - --json -n 0 "$@" >/dev/null
	cat "$tmp/t"
}
m0=$(scanrss --flows 65536 --rows 4096)
m_f=$(scanrss --flows 131072 --rows 4096)
m_r=$(scanrss --flows 65536 --rows 8192)
per_flow=$(( (m_f - m0) * 1024 / 65536 ))
per_row=$(( (m_r - m0) * 1024 / 4096 ))

bpf_max=$(sort -n "$tmp/bpf" | tail -1)
cat >"$out" <<MD
## Goal 4. Memory under a scan$title

\`bench/scan.sh\`: $ports ports × $peers callers, every attempt refused,
and 4 planted heavy hitters of $hhn failures each; a table of $rows rows
(\`--rows $rows\`; the sketch of candidates has as many).

From a generated capture: \`bench/genscan - $ports $peers 4 $hhn |
tcpsleuth -r - --json -n 0 --rows $rows\` (SYN and RST-ACK per attempt,
one attempt every 5 µs; the heavy hitters are interleaved from the
scan's eighth part on, when the table has long been full, so each must win
its row through the sketch: its count is exact since the row's creation).

| | figure | goal | |
|---|---|---|---|
| failures (truth) / counted | $total / $f_fail | equal | $(met_eq "$f_fail" "$total") |
| rows' failures + other | $f_sum | = total | $(met_eq "$f_sum" "$total") |
| rows | $f_rows | ≤ $rows | $(met_le "$f_rows" $rows) |
| maximum RSS (\`/usr/bin/time %M\`) | $f_rss KiB | ≤ $bound KiB | $(met_le "$f_rss" $bound) |
| CPU | user $f_user s, system $f_sys s, wall $f_wall s | | |

| heavy hitter | planted | row created | row's failures | planted failures since then | |
|---|---|---|---|---|---|
$f_hh
Live: namespace B sends the SYNs from a raw socket (\`bench/synscan\`, at
most $rate a second), A's kernel refuses each with a RST, \`tcpsleuthd -i
veth0 --rows $rows $kargs\` captures in A (flows: the default 65,536); the heavy
hitters run from the start; $runs runs, tcpsleuthd started afresh for
each.  Memory is read when the scan is over, before anything asks SNMP:
VmRSS and its peak (VmHWM) less the capture ring (the socket mapping, all
of it resident by then), anonymous memory beside.

| run | SYNs sent / RSTs sent (A's OutRsts) | tcpsleuthSeenRefused = RSTs | rows' failures + other = RSTs | rows (≤ $rows) | kernel drops | heavy hitters exact | RSS − ring at the end (anonymous) | peak RSS − ring | ≤ $bound KiB − $margin KiB margin |
|---|---|---|---|---|---|---|---|---|---|
$l_rows
| | figure | goal | |
|---|---|---|---|
| peak RSS − ring, the highest of $runs runs | $peak_max KiB | ≤ $bound KiB with a $margin KiB margin | $(met_le "$peak_max" $((bound - margin))) |
| of the RSS, the kernel event source's ring and maps mapped (anon_inode:bpf-*), the most of $runs runs | $bpf_max KiB | report | |
| state per flow (flow entry, links, bucket: \`bench/statesize\`) | $(echo "$sizes" | sed -n 's/^flow //p') bytes | report | |
| measured per flow (peak RSS of \`tcpsleuth -r\` on a 1M-attempt scan, 131,072 flows less 65,536) | $per_flow bytes | report | |
| state per row (\`struct ts_row\`, its bucket and heap slot) | $(echo "$sizes" | sed -n 's/^row //p') bytes, and a sketch candidate | report | |
| measured per row (the same, 8,192 rows less 4,096; candidates included) | $per_row bytes | report | |

| heavy hitter (run 1) | planted | tcpsleuthEpFailures | |
|---|---|---|---|
$l_hh
Where the memory is: the flow table is the largest part (65,536 flows,
every one in use under a scan, since refused attempts are remembered for
\`--done-ttl\`); its entries are allocated as first needed (a quiet host
touches a few pages of it).  About 7 MB of the RSS are shared library
pages (libnetsnmp, libcrypto, libc: RSS less the anonymous figure).  The
peak stands above the RSS at the end by one snapshot: the capture
process maps the memfd it hands to the SNMP process while it writes it
(4096 rows of 824 bytes, about 3.5 MB of shared memory, counted in
VmHWM).

Since the privilege separation and the kernel event source (before them
this read 29,332 KiB, anonymous 19,312): the round's first run read 48,748
KiB.  Two causes, both fixed: this script ran tcpsleuthd with the
product's defaults (the kernel event source, every namespace) where it
named pcap alone; and the kernel event source's caller and listener
tables built their free lists through every element at the start, 10 MB
touched for a 4096-row table whether the source ran or not (now handed
out in order as first used; idle, anonymous memory went from 17.3 to 7.6
MB).  Not met still: the anonymous memory at the end is 7 MB above the
earlier figure, not yet profiled; the snapshot's row grew to 824 bytes
with the kernel's columns, and the capture process holds the newest
snapshot while it builds the next (two copies, 6.6 MB at 4096 rows): the
first place to look, with a flow table sized by the rates (\`--flows\`).

MD
echo "scan: done (file heavy hitters exact: $f_ok, live: $l_ok)" >&2
