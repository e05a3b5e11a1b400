# bench/verdict.sh - a figure against its goal, for the results tables,
# and what every part measures tcpsleuthd by.  Source it.
met_eq() { [ "$1" = "$2" ] && echo met || echo "NOT met"; }	# met_eq GOT WANT
met_le() {	# met_le GOT BOUND (numbers, decimals allowed)
	awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 <= b + 0) ? "met" : "NOT met" }'
}

# kev_args [SOURCE]: tcpsleuthd's arguments for BENCH_SOURCE's source of
# events: pcap (kernel-events = no) or pcap+kernel (yes).  Either serves
# its own namespace alone (namespaces = self): the machine's other
# namespaces (other benchmarks, tests) would add to its work and not to
# what it is compared with.
kev_args() {
	case ${1:-${BENCH_SOURCE:-pcap}} in
	pcap)	echo "--kernel-events no --namespaces self" ;;
	pcap+kernel)	echo "--kernel-events yes --namespaces self" ;;
	*)	echo "bench: unknown source ${1:-$BENCH_SOURCE}" >&2; return 1 ;;
	esac
}

# kev_title: a heading's words for it ("" for pcap alone).
kev_title() {
	[ "${BENCH_SOURCE:-pcap}" = pcap ] || echo ", with the kernel event source on"
}

# tcpsleuthd is two processes: PID captures, its one child serves SNMP
# (doc/security.md); tcpdump and snmpd are one.  proc_tree PID: PID and
# its children; task_ns PID: ns on a CPU of that process, every thread
# (schedstat); cpu_ns PID: the same of PID and its children.
proc_tree() { echo "$1" $(cat /proc/"$1"/task/*/children 2>/dev/null); }
task_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'; }
cpu_ns() { _s=0; for _p in $(proc_tree "$1"); do _s=$((_s + $(task_ns "$_p"))); done; echo "$_s"; }
