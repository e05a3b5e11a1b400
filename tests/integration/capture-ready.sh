#!/bin/sh
# capture-ready.sh - "capturing on" means ready: tcpsleuth and tcpsleuthd
# count every packet that arrives after they log it.  Trials, each in a
# network namespace of its own: start a capture with a log of its own, wait
# for the line, at once make 10 refused connections, and expect all 10.
# (live-lo.sh once waited on a log the previous capture had written: the
# stale line let its connections go out before tcpsleuth had opened.)
. "$(dirname "$0")/../lib.sh"
need_root
need jq
: "${TCPSLEUTHD:=$TOP_BUILDDIR/agentx/tcpsleuthd}"
tmp=$(mktemp -d)
ns=
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	[ -n "$ns" ] && del_netns "$ns"
	rm -rf "$tmp"
}
trap cleanup EXIT

# fresh_ns NAME: a new namespace with loopback up, in $ns.
fresh_ns() {
	[ -n "$ns" ] && del_netns "$ns"
	ns=ready$$$1
	ip netns add "$ns" || skip_all "cannot create namespaces"
	ip -n "$ns" link set lo up
}

# trials WHAT N EVERY TEN COUNT COMMAND...: N trials, each in a namespace
# of its own, with logs of its own ($out, $log): COMMAND -i any (lo every
# EVERY-th trial), wait for "capturing on", at once 10 refusals to
# 127.0.0.1:7211.  TEN says all 10 were counted, COUNT how many were.
trials() {
	_what=$1 _n=$2 _every=$3 _ten=$4 _count=$5
	shift 5
	_bad=0
	for _i in $(seq "$_n"); do
		_dev=any
		[ $((_i % _every)) -eq 0 ] && _dev=lo
		fresh_ns "$_what$_i"
		out=$tmp/$_what$_i.out log=$tmp/$_what$_i.log
		ip netns exec "$ns" "$@" -i $_dev >"$out" 2>"$log" &
		pid=$!
		if ! wait_for 10 grep -q "capturing on" "$log"; then
			_bad=$((_bad + 1))
			echo "# $_what trial $_i ($_dev): no \"capturing on\""
		else
			ip netns exec "$ns" "$TCPPROBE" connect 127.0.0.1 7211 -n 10 >/dev/null
			wait_for 3 $_ten || {
				_bad=$((_bad + 1))
				_c=$($_count)
				echo "# $_what trial $_i ($_dev): ${_c:-0} of 10 counted"
			}
		fi
		kill -INT "$pid"
		wait "$pid"
		pid=
	done
	is "$_bad" 0 "$_what: all 10 refusals made right after \"capturing on\", in $_n trials"
}

# The command line tool: its last JSON report.
cli_count() {
	tail -n 1 "$out" | jq -r '.endpoints[] | select(.endpoint == "127.0.0.1:7211") | .counts.refused' 2>/dev/null
}
cli_ten() { [ "$(cli_count)" = 10 ]; }
trials tcpsleuth 20 5 cli_ten cli_count "$TCPSLEUTH" --json --interval 0.1

[ "${DAEMON:-yes}" = no ] && { done_testing; exit; }	# --disable-daemon
# The daemon: SIGUSR1 logs its table; ask until the row says 10.
sleuthd_ten() {
	kill -USR1 "$pid"
	grep -q "row: lo 127.0.0.1:7211 local failures 10 (refused 10" "$log"
}
sleuthd_count() {
	sed -n 's/.*row: lo 127\.0\.0\.1:7211 local failures \([0-9]*\).*/\1/p' "$log" | tail -n 1
}
trials tcpsleuthd 12 6 sleuthd_ten sleuthd_count "$TCPSLEUTHD" -f \
    --control-socket "$tmp/control" \
    --listen udp:127.0.0.1:1161 --community ready --publish-interval 0.1
done_testing
