# tests/kev.sh - helpers for the kernel event source's tests: kevdump
# (tests/tools/kevdump.c) keeping to the test's own network namespace (the
# eBPF programs see every namespace, and tests run in parallel: each test
# asserts only on records of its own namespace and ports).  Source after
# lib.sh, inside the test's namespace, with $tmp set.

: "${KEVDUMP:=$TOP_BUILDDIR/tests/tools/kevdump}"
KEV_PID=

# kev_start [OPTIONS]: kevdump -N self OPTIONS into $tmp/kev, its state
# line read; skips the test when kernel events cannot run here.
kev_start() {
	command -v jq >/dev/null || skip_all "needs jq"
	"$KEVDUMP" -N self "$@" >"$tmp/kev" 2>"$tmp/kev.err" &
	KEV_PID=$!
	wait_for 30 grep -q '"state"' "$tmp/kev" ||
	    skip_all "kevdump did not start: $(cat "$tmp/kev.err")"
	KEV_STATE=$(head -1 "$tmp/kev" | jq -r .state)
	case $KEV_STATE in
	running|partial) ;;
	*) skip_all "kernel events $KEV_STATE: $(head -1 "$tmp/kev" | jq -r .reason)" ;;
	esac
}

# probe ARGS...: tcpprobe ARGS run to its end; prints its pid (the
# caller's pid the kernel events name).
probe() {
	"$TCPPROBE" "$@" >/dev/null &
	_pp=$!
	wait $_pp
	echo $_pp
}

# kev_tables: kevdump's counters, endpoints and listeners now, into
# $tmp/tab (the lines it prints on SIGUSR1, up to its "end" line).
kev_tables() {
	_kev_n=$(grep -c '"end"' "$tmp/kev")
	kill -USR1 "$KEV_PID"
	wait_for 10 sh -c "[ \$(grep -c '\"end\"' '$tmp/kev') -gt $_kev_n ]"
	awk -v n="$_kev_n" '/"end"/ { e++; next } e == n && /"counters"|"endpoint"|"listener"/' \
	    "$tmp/kev" >"$tmp/tab"
}

kev_stop() {
	[ -n "$KEV_PID" ] || return 0
	kill "$KEV_PID" 2>/dev/null
	wait "$KEV_PID" 2>/dev/null
	KEV_PID=
}

# kev_events JQ_FILTER: how many records match (jq select expression).
kev_events() {
	grep '"type"' "$tmp/kev" | jq -c "select($1)" | grep -c .
}

# kev_endpoint ADDR PORT JQ: JQ applied to that endpoint's table line.
kev_endpoint() {
	jq -r "select(.endpoint.addr == \"$1\" and .endpoint.port == $2) | .endpoint | $3" "$tmp/tab"
}

# The loss counters: 0 expected under the tests' load.
kev_losses() {
	jq -r 'select(.counters) | .counters.losses + .counters.bad_records' "$tmp/tab"
}

# Where cgroup2 is mounted (from mountinfo: the field after " - ").
kev_cgroup2() {
	awk '{ for (i = 7; i < NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") print $5; break } }' \
	    /proc/self/mountinfo | head -1
}

# kev_peer NS: a namespace NS joined to this one by a veth pair, kev0
# 10.77.0.1/24 here, kev1 10.77.0.2/24 there, every link up.
kev_peer() {
	ip netns add "$1" || skip_all "cannot create a namespace"
	ip link add kev0 type veth peer name kev1 netns "$1"
	ip addr add 10.77.0.1/24 dev kev0
	ip link set kev0 up
	ip -n "$1" addr add 10.77.0.2/24 dev kev1
	ip -n "$1" link set kev1 up
	ip -n "$1" link set lo up
}

# kev_exhaust PORT COMM: this namespace's ip_local_port_range narrowed to
# two ports, both held by connections to a listener on 127.0.0.1:PORT,
# then a third connect() there by COMM, which fails with EADDRNOTAVAIL;
# prints its pid.  The range is put back.
kev_exhaust() {
	sysctl -qw net.ipv4.ip_local_port_range="40000 40001"
	"$TCPPROBE" listen 127.0.0.1 "$1" -n 0 >/dev/null &
	_kl=$!
	wait_for 5 sh -c "ss -Hltn 'sport = :$1' | grep -q ."
	"$TCPPROBE" connect 127.0.0.1 "$1" -n 2 -k >"$tmp/hold" &
	_kh=$!
	wait_for 5 grep -q "connected 2" "$tmp/hold"
	probe connect 127.0.0.1 "$1" -c "$2"
	kill "$_kh" "$_kl"
	wait "$_kh" "$_kl" 2>/dev/null
	sysctl -qw net.ipv4.ip_local_port_range="32768 60999"
}

# kev_drops PEER (a kev_peer namespace): SYNs to port 7303 dropped by this
# namespace's nftables on their way out, to 7304 by PEER's on their way
# in; 7305 refused by PEER with an ICMP port unreachable.  SYNs are sent
# twice (tcp_syn_retries=1): connect() gives up after 3 s.
kev_drops() {
	nft -f - <<NFT
table inet kevtest {
	chain out { type filter hook output priority 0; tcp dport 7303 drop; }
}
NFT
	ip netns exec "$1" nft -f - <<NFT
table inet kevtest {
	chain in {
		type filter hook input priority 0;
		tcp dport 7304 drop;
		tcp dport 7305 reject with icmpx type port-unreachable;
	}
}
NFT
	sysctl -qw net.ipv4.tcp_syn_retries=1
}

# --- tcpsleuthd's side (after snmp.sh) ---------------------------------

: "${MIBDUMP:=$TOP_BUILDDIR/tests/tools/mibdump}"

# mib NAME: the numeric OID of tcpsleuthNAME, from the MIB itself (the
# table mibs/mibdefs.awk made of it, as tests/tools/mibdump prints it).
mib() {
	[ -s "$tmp/mibdump" ] || "$MIBDUMP" >"$tmp/mibdump"
	_o=$(awk -v n="tcpsleuth$1" '$2 == n { print $1 }' "$tmp/mibdump")
	[ -n "$_o" ] || { echo "kev.sh: no tcpsleuth$1 in the MIB" >&2; return 1; }
	printf '%s.%s' "$MIB" "$_o"
}

# kcol NAME ADDR PORT: the endpoint table's column tcpsleuthNAME of the
# row ADDR:PORT in namespace $EP_NETNS (else this shell's).
kcol() { get "$(mib "$1").$(ep_index "$2" "$3")"; }
kcol_is() { [ "$(kcol "$1" "$2" "$3")" = "$4" ]; }
# kcols ADDR PORT NAME...: those columns of the row, in one request (one
# snapshot: they agree with each other), separated by spaces.
kcols() {
	_a=$1 _p=$2
	shift 2
	_q=
	for _n in "$@"; do _q="$_q $(mib "$_n").$(ep_index "$_a" "$_p")"; done
	get $_q | tr '\n' ' ' | sed 's/ $//'
}

# is_soon WANT DESCRIPTION COMMAND...: is, on COMMAND's output, given up
# to 5 s to agree: a row's capture columns follow its kernel columns by up
# to a capture block and a publish (the kernel's record waits for the
# packets of its attempt), so read together they may briefly differ.
is_soon() {
	_is_w=$1 _is_d=$2
	shift 2
	_is_eq() { [ "$("$@")" = "$_is_w" ]; }
	wait_for 5 _is_eq "$@"
	is "$("$@")" "$_is_w" "$_is_d"
}

# callers ADDR PORT NAME: tcpsleuthNAME of each caller of that row, one
# per line, in the caller table's order (its index).
callers() {
	snmpwalk -v2c -c public -On -Oqv -t 1 -r 1 127.0.0.1:$SNMP_PORT \
	    "$(mib "$3").$(ep_index "$1" "$2")" 2>/dev/null |
	    sed -e 's/^"//' -e 's/"$//' | grep -v -e '^No Such' -e '^No more'
}

# kernel NAME: a tcpsleuthKernel scalar.
kernel() { get "$(mib "$1").0"; }

# The loss counters of the kernel event source, summed: 0 expected.
kernel_losses() {
	echo $(($(kernel KernelRingFull) + $(kernel KernelSynMapFull) + \
	    $(kernel KernelThreadMapFull) + $(kernel KernelBadRecords)))
}
