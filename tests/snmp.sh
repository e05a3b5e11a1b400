# tests/snmp.sh - helpers for the tests that talk SNMP: a private snmpd
# master (its own config, AgentX socket in a temporary directory, a
# loopback UDP port; never the system's), tcpsleuthd as its subagent, and
# TCPSLEUTH-MIB OIDs.  Source after lib.sh, inside a network namespace.

: "${TCPSLEUTHD:=$TOP_BUILDDIR/agentx/tcpsleuthd}"
: "${TCPSLEUTHCTL:=$TOP_BUILDDIR/ctl/tcpsleuthctl}"
: "${CTLPOKE:=$TOP_BUILDDIR/tests/tools/ctlpoke}"
: "${TCPSLEUTH_OID:=1.3.6.1.4.1.32473}"
: "${IETF_MIBS:=$TOP_SRCDIR/../shared/ietf-mibs}"
MIB=.$TCPSLEUTH_OID
EP=$MIB.1.4.1		# tcpsleuthEpEntry
PORTE=$MIB.1.5.1	# tcpsleuthPortEntry
SNMP_PORT=${SNMP_PORT:-11161}
SNMPD_PID=
SLEUTHD_PID=
# The kernel event source follows every network namespace of the host and
# the tests run in parallel: a test of the capture keeps its tcpsleuthd to
# it (pcap only, as before the kernel source), so other tests' failures
# make no rows or alarms in it.  The kernel source's tests set SLEUTHD_KEV
# empty before sourcing this and assert on their own namespace's rows.
# (With a setting that keeps tcpsleuthd to its own namespace, this is the
# place to use it.)
: "${SLEUTHD_KEV=--kernel-events no}"

need_snmp() {
	command -v snmpd >/dev/null || skip_all "needs snmpd (Debian package snmpd)"
	command -v snmpget >/dev/null || skip_all "needs snmpget (Debian package snmp)"
}

TRAP_PORT=${TRAP_PORT:-11162}
TRAPD_PID=

# snmpd_conf DIR: a master's DIR/snmpd.conf (AgentX socket in DIR, UDP on
# 127.0.0.1:$SNMP_PORT, community public from 127.0.0.1).
snmpd_conf() {
	cat >"$1/snmpd.conf" <<CONF
master agentx
agentXSocket $1/agentx.sock
agentXPerms 0777 0777
agentaddress udp:127.0.0.1:$SNMP_PORT
rocommunity public 127.0.0.1
CONF
}

snmpd_start() {	# snmpd_start DIR: a master on 127.0.0.1:$SNMP_PORT
	snmpd_conf "$1"
	echo "trap2sink 127.0.0.1:$TRAP_PORT public" >>"$1/snmpd.conf"
	mkdir -p "$1/persist"
	SNMP_PERSISTENT_DIR="$1/persist" MIBS= snmpd -f -C -c "$1/snmpd.conf" \
	    -Lf "$1/snmpd.log" -p "$1/snmpd.pid" &
	SNMPD_PID=$!
	wait_for 10 snmpget -v2c -c public -t 0.3 -r 0 127.0.0.1:$SNMP_PORT \
	    .1.3.6.1.2.1.1.3.0 >/dev/null
}

snmpd_stop() {
	[ -n "$SNMPD_PID" ] || return 0
	kill "$SNMPD_PID" 2>/dev/null
	wait "$SNMPD_PID" 2>/dev/null
	SNMPD_PID=
}

# sleuthd_start DIR ARGS...: tcpsleuthd as the master's subagent, its
# control socket DIR/control.  Every tcpsleuthd a test starts needs a
# control socket of its own (--control-socket PATH, or "" for none): tests
# run side by side, and a second tcpsleuthd on the default one does not
# start (tests/golden/ctl-sockets.sh checks that each start says which).
sleuthd_start() {
	_d=$1
	shift
	"$TCPSLEUTHD" -f -x "$_d/agentx.sock" --control-socket "$_d/control" \
	    --publish-interval 0.2 --poll-interval 0.2 $SLEUTHD_KEV "$@" \
	    >"$_d/sleuthd.log" 2>&1 &
	SLEUTHD_PID=$!
	wait_for 10 capturing
}

# snmp_pid: the pid of the SNMP process of the tcpsleuthd started
# ($SLEUTHD_PID is its capture process, the one started, its parent).
snmp_pid() { pgrep -P "$SLEUTHD_PID" | head -1; }

sleuthd_stop() {
	[ -n "$SLEUTHD_PID" ] || return 0
	kill "$SLEUTHD_PID" 2>/dev/null
	wait "$SLEUTHD_PID" 2>/dev/null
	_rc=$?
	SLEUTHD_PID=
	return $_rc
}

# snmptrapd_start DIR [LINE...]: a receiver on 127.0.0.1:$TRAP_PORT
# logging one line per notification ("TRAP varbind<TAB>varbind...") to
# DIR/traps.log, OIDs numeric; each LINE is added to its configuration
# (a traphandle).
snmptrapd_start() {
	_d=$1
	shift
	{ echo 'disableAuthorization yes'; for _l in "$@"; do echo "$_l"; done; } \
	    >"$_d/snmptrapd.conf"
	: >"$_d/traps.log"
	MIBS= snmptrapd -f -C -c "$_d/snmptrapd.conf" -On -Lf "$_d/traps.log" \
	    -F 'TRAP %v\n' udp:127.0.0.1:$TRAP_PORT &
	TRAPD_PID=$!
	wait_for 10 grep -q 'NET-SNMP version' "$_d/traps.log"
}

snmptrapd_stop() {
	[ -n "$TRAPD_PID" ] || return 0
	kill "$TRAPD_PID" 2>/dev/null
	wait "$TRAPD_PID" 2>/dev/null
	TRAPD_PID=
}

# agent_test "$@": the start of a test whose agents run in a network
# namespace of its own: a private $tmp (readable by an unprivileged
# tcpsleuthd), and on exit the test's own test_cleanup (when it defines
# one: its own processes, links), then tcpsleuthd, snmpd and snmptrapd as
# snmp.sh started them, and $tmp removed.
agent_test() {
	enter_netns "$@"
	tmp=$(mktemp -d)
	chmod 755 "$tmp"
	trap agent_cleanup EXIT
}

agent_cleanup() {
	if command -v test_cleanup >/dev/null 2>&1; then test_cleanup; fi
	sleuthd_stop
	snmpd_stop
	snmptrapd_stop
	rm -rf "$tmp"
}

# traps DIR NOTIFICATION: how many of tcpsleuth's notification N arrived.
traps() { grep -c "OID: $MIB\.0\.$2	" "$1/traps.log"; }

# The value of one OID, numeric; empty when there is none.
get() {
	snmpget -v2c -c public -On -Oqvt -t 1 -r 1 127.0.0.1:$SNMP_PORT "$@" 2>/dev/null |
	    sed -e 's/^"//' -e 's/"$//' -e 's/ *$//' | grep -v -e '^No Such' -e 'No more variables'
}
registered() { [ -n "$(get $MIB.1.3.1.0)" ]; }
capturing() { [ "$(get $MIB.1.3.1.0)" = 1 ]; }	# running(1)
registered_master() { [ -n "$(get .1.3.6.1.2.1.1.3.0)" ]; }

# netns_ino [NAME]: the nsfs inode of network namespace NAME (ip netns),
# or of this shell's: what tcpsleuthEpNetns holds for rows captured there.
netns_ino() {
	if [ $# -gt 0 ]; then stat -L -c %i "/run/netns/$1"
	else stat -L -c %i /proc/self/ns/net; fi
}

# Index of an endpoint: the namespace tcpsleuthd captures in ($EP_NETNS,
# set it when that is not this shell's), ipv4 (1) or ipv6 (2), length,
# octets, port.
ep_index() {	# ep_index ADDRESS PORT
	_ns=${EP_NETNS:-$(netns_ino)}
	case $1 in
	*:*)	printf '%s.2.16.%s.%s' "$_ns" "$(v6_octets "$1")" "$2" ;;
	*)	printf '%s.1.4.%s.%s' "$_ns" "$1" "$2" ;;
	esac
}

# "fd98::2" -> "253.152.0.0...0.2"
v6_octets() {
	echo "$1" | awk '{
		n = split($0, halves, "::")
		nl = (halves[1] == "") ? 0 : split(halves[1], l, ":")
		nr = (n < 2 || halves[2] == "") ? 0 : split(halves[2], r, ":")
		k = 0
		for (i = 1; i <= nl; i++) w[k++] = l[i]
		for (i = 0; i < 8 - nl - nr; i++) w[k++] = "0"
		for (i = 1; i <= nr; i++) w[k++] = r[i]
		out = ""
		for (i = 0; i < 8; i++) {
			v = 0; s = tolower(w[i])
			for (j = 1; j <= length(s); j++)
				v = v * 16 + index("0123456789abcdef", substr(s, j, 1)) - 1
			out = out (i ? "." : "") int(v / 256) "." (v % 256)
		}
		print out
	}'
}

# col ENDPOINT PORT COLUMN: a tcpsleuthEpTable cell.
col() { get "$EP.$3.$(ep_index "$1" "$2")"; }
col_is() { [ "$(col "$1" "$2" "$3")" = "$4" ]; }

# /proc/net/snmp Tcp field by name.
proc_tcp() {
	awk -v f="$1" '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++) n[i] = $i; h = 1 }
	    else for (i = 1; i <= NF; i++) if (n[i] == f) print $i }' /proc/net/snmp
}

# dat_epoch DATEANDTIME: a DateAndTime (8 or 11 octets, as hex) in seconds
# since the epoch (UTC); fails for 8 octets of 0000-01-01 (never).
dat_epoch() {
	set -- $(echo "$1" | tr -d '"')
	[ $# -ge 8 ] || return 1
	[ "$1$2" != 0000 ] || return 1
	s=$(date -u -d "$((0x$1 * 256 + 0x$2))-$((0x$3))-$((0x$4)) $((0x$5)):$((0x$6)):$((0x$7))" +%s) || return 1
	[ $# -ge 11 ] && case $9 in 2B) s=$((s - 0x${10} * 3600 - 0x${11} * 60)) ;;
	    2D) s=$((s + 0x${10} * 3600 + 0x${11} * 60)) ;; esac
	echo "$s"
}
