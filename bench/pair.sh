# bench/pair.sh - tcpsleuthd and tcpdump capturing the same traffic at once
# (goals 1 and 2): the same interface, BPF program text (what tcpsleuthd
# sets there: bench/filtertext), snap length and kernel buffer, no poller.
# CPU is read from schedstat (nanoseconds, every thread, both of
# tcpsleuthd's processes: verdict.sh's cpu_ns) over a window, so a ratio
# comes from one run.  Source it after tests/snmp.sh and bench/verdict.sh, inside
# the bench's network namespace with $tmp set.
#   BENCH_SOURCE: pcap (kernel-events = no) or pcap+kernel (the kernel
#   event source too, kernel-events = yes).  Either serves its own
#   namespace alone (namespaces = self): the machine's other namespaces
#   (other benchmarks, tests) would add their listeners' polling and
#   their kernel events to tcpsleuthd's work and not to tcpdump's.
#   BENCH_IFACE: any.
TD_PID=
pair_iface=${BENCH_IFACE:-any}
pair_source=${BENCH_SOURCE:-pcap}

pair_title() { kev_title; }	# the heading's words (verdict.sh)

# tcpsleuthd's arguments for a source of events.
pcap_args() {
	echo "-i $pair_iface $(kev_args "$1")"
}

# pair_start: snmpd (a private master), tcpsleuthd as its subagent with
# the product's defaults, tcpdump; both capturing before it returns.
pair_start() {
	_dlt=EN10MB
	[ "$pair_iface" = any ] && _dlt=LINUX_SLL2
	pair_filter=$("$TOP_BUILDDIR/bench/filtertext" $_dlt) || return 1
	snmpd_start "$tmp" || { echo "pair: snmpd did not start" >&2; return 1; }
	# shellcheck disable=SC2046
	"$TCPSLEUTHD" -f -x "$tmp/agentx.sock" --control-socket "$tmp/control" \
	    $(pcap_args "$pair_source") \
	    >"$tmp/sleuthd.log" 2>&1 &
	SLEUTHD_PID=$!
	wait_for 10 capturing || { echo "pair: tcpsleuthd is not capturing" >&2; return 1; }
	# tcpsleuthd's snap length (256) and kernel buffer (8192 KiB).
	tcpdump -i "$pair_iface" -n -s 256 -B 8192 -w /dev/null "$pair_filter" \
	    2>"$tmp/td.err" &
	TD_PID=$!
	wait_for 10 grep -q listening "$tmp/td.err"
}

# pair_cpu: "SLEUTHD_NS TCPDUMP_NS" now.
pair_cpu() { echo "$(cpu_ns "$SLEUTHD_PID") $(cpu_ns "$TD_PID")"; }

# pair_stop: tcpdump's "captured dropped" after it stops (tcpsleuthd runs on).
pair_stop_tcpdump() {
	kill -INT "$TD_PID" 2>/dev/null
	wait "$TD_PID" 2>/dev/null
	TD_PID=
	echo "$(sed -n 's/^\([0-9]*\) packets captured.*/\1/p' "$tmp/td.err")" \
	    "$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$tmp/td.err")"
}

pair_cleanup() {
	[ -n "$TD_PID" ] && { kill "$TD_PID" 2>/dev/null; wait "$TD_PID" 2>/dev/null; }
	TD_PID=
}

# Settle past both block timeouts (tcpdump's 1 s, tcpsleuthd's 100 ms)
# so each has read what the storm left in its ring.
pair_settle() { sleep 1.5; }

# med FILE: the median of a column of numbers; minmax FILE: "MIN-MAX".
med() { sort -g "$1" | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
minmax() { sort -g "$1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }'; }
