#!/bin/sh
# live-lo.sh - live capture on loopback, in a network namespace of its
# own: refusals the kernel makes for IPv4 and IPv6 on "lo" and on "any",
# aborts with SO_LINGER 0, and the seed's 2/s rate with short windows.
. "$(dirname "$0")/../lib.sh"
need_root
enter_netns "$@"
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

start() {	# start ARGS...: tcpsleuth in the background, JSON every 0.2 s
	"$TCPSLEUTH" "$@" --json --interval 0.2 >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	wait_for 10 grep -q "capturing on" "$tmp/err"
}
stop() {
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	pid=
	return $rc
}
last() { tail -n 1 "$tmp/out"; }
# jq on the newest report
q() { last | jq -r "$1" 2>/dev/null; }
count_is() {	# count_is ENDPOINT FIELD N
	[ "$(q ".endpoints[] | select(.endpoint == \"$1\") | .counts.$2")" = "$3" ]
}

for dev in lo any; do
	start -i $dev
	ok $? "$dev: capture started"
	"$TCPPROBE" connect 127.0.0.1 7211 -n 10 >/dev/null
	"$TCPPROBE" connect ::1 7211 -n 6 >/dev/null
	check "$dev: 10 refusals on 127.0.0.1:7211" wait_for 5 count_is 127.0.0.1:7211 refused 10
	check "$dev: 6 refusals on [::1]:7211" wait_for 5 count_is "[::1]:7211" refused 6
	is "$(q '.totals.failures.ipv4'),$(q '.totals.failures.ipv6')" "10,6" \
	    "$dev: host failures exactly 10 IPv4, 6 IPv6"
	is "$(q '.endpoints[] | select(.endpoint == "127.0.0.1:7211") | .interface')" lo \
	    "$dev: row on interface lo"
	is "$(q '.endpoints[] | select(.endpoint == "127.0.0.1:7211") | .location')" local \
	    "$dev: a local service"
	is "$(q '.endpoints[] | select(.endpoint == "127.0.0.1:7211") | .rst_by.service')" 10 \
	    "$dev: the service side sent the RSTs"
	stop
	ok $? "$dev: exits 0 on SIGINT"
done

# Aborts: the client resets after sending data, twice.
start -i lo
"$TCPPROBE" listen 127.0.0.1 8080 -n 2 >"$tmp/listen" &
lpid=$!
wait_for 5 grep -q listening "$tmp/listen"
"$TCPPROBE" connect 127.0.0.1 8080 -n 2 -d 100 -a >/dev/null
wait $lpid
check "two client aborts on 127.0.0.1:8080" wait_for 5 count_is 127.0.0.1:8080 abort 2
is "$(q '.endpoints[] | select(.endpoint == "127.0.0.1:8080") | .rst_by.client')" 2 \
    "aborts: sent by the client"
stop

# The seed: a client retries 127.0.0.1:7211 twice a second.
start -i any --windows 6,12,18
"$TCPPROBE" connect 127.0.0.1 7211 -n 0 -i 500 >/dev/null &
cpid=$!
rate_ok() {
	r=$(q '.endpoints[] | select(.endpoint == "127.0.0.1:7211") | .rate_milli["1m"]')
	[ -n "$r" ] && [ "$r" -ge 1700 ] && [ "$r" -le 2300 ] && [ "$(q '.endpoints[0].counts.refused')" -ge 14 ]
}
check "seed at 2/s: 1-minute rate (6 s window) reads 2000 +- 300" wait_for 15 rate_ok
echo "# rate_milli: $(q '.endpoints[0].rate_milli | tojson'), refused $(q '.endpoints[0].counts.refused')"
kill "$cpid"
wait "$cpid"
stop
done_testing
