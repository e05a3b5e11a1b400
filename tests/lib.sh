# tests/lib.sh - TAP helpers for the shell tests.  Source it.
#
# A skipped integration test is a failure when CI=true: CI runs as root on
# a machine that can do everything these tests need.

set -u
tap_n=0
tap_failed=0
: "${TOP_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TOP_BUILDDIR:=$TOP_SRCDIR}"
: "${TCPSLEUTH:=$TOP_BUILDDIR/src/tcpsleuth}"
: "${TCPPROBE:=$TOP_BUILDDIR/tests/tools/tcpprobe}"
: "${LSNDUMP:=$TOP_BUILDDIR/tests/tools/lsndump}"
FIXTURES=$TOP_SRCDIR/tests/fixtures

ok() {	# ok STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

check() {	# check DESCRIPTION COMMAND...
	_check_desc=$1
	shift
	if "$@"; then ok 0 "$_check_desc"; else ok 1 "$_check_desc"; fi
}

is() {		# is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   got '$1', want '$2'"
	fi
}

skip_all() {
	if [ "${CI:-}" = true ]; then
		echo "1..1"
		echo "not ok 1 - skipped in CI: $1"
		exit 1
	fi
	echo "1..0 # SKIP $1"
	exit 0
}

need_root() {
	[ "$(id -u)" -eq 0 ] || skip_all "needs root (network namespaces, capture)"
	command -v ip >/dev/null || skip_all "needs ip (iproute2)"
	unshare -n true 2>/dev/null || skip_all "cannot create network namespaces"
}

# need COMMAND...: skip unless each is installed.
need() {
	for _c in "$@"; do
		command -v "$_c" >/dev/null || skip_all "needs $_c"
	done
}

# Run the rest of this test in a new network namespace of its own, with
# loopback up: counts are exact and nothing meets the host's services.
enter_netns() {
	if [ -z "${TS_IN_NETNS:-}" ]; then
		TS_IN_NETNS=1 exec unshare -n sh "$0" "$@"
	fi
	ip link set lo up
}

# veth_pair NS_A IF_A NS_B IF_B: two new namespaces joined by a veth pair,
# every link up; del_netns NS... removes them (for the test's cleanup).
veth_pair() {
	ip netns add "$1" && ip netns add "$3" || skip_all "cannot create namespaces"
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
	ip -n "$1" link set lo up; ip -n "$1" link set "$2" up
	ip -n "$3" link set lo up; ip -n "$3" link set "$4" up
}
del_netns() {
	for ns in "$@"; do ip netns del "$ns" 2>/dev/null; done
}

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds.
wait_for() {
	_deadline=$(($(date +%s%N) + $1 * 1000000000))
	shift
	while ! "$@" 2>/dev/null; do
		[ "$(date +%s%N)" -ge "$_deadline" ] && return 1
		sleep 0.02
	done
	return 0
}

# flood ADDR PORT N DIR: N clients connect at once (tcpprobe, each
# waiting up to 10 s), each one's report in DIR/c.I; flood_wait waits for
# them; flood_timeouts DIR: how many of them timed out.
flood() {
	flood_pids=
	for _i in $(seq "$3"); do
		"$TCPPROBE" connect "$1" "$2" -t 10000 >"$4/c.$_i" &
		flood_pids="$flood_pids $!"
	done
}
# shellcheck disable=SC2086
flood_wait() { wait $flood_pids; }
flood_timeouts() { cat "$1"/c.* | awk '{ n += $4 } END { print n }'; }
# positive N...: every one is above 0.
positive() {
	for _n in "$@"; do [ "$_n" -gt 0 ] || return 1; done
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
