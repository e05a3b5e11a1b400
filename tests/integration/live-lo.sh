#!/bin/sh
# live-lo.sh - live capture on loopback, in a network namespace of its
# own: refusals the kernel makes for IPv4 and IPv6 on "lo" and on "any",
# aborts with SO_LINGER 0, the seed's 2/s rate with short windows, and
# with the default windows a new endpoint's rate (2/s in every window within
# seconds; a burst of 10 at most 10 over 5 s), and the live view on an 80x24
# terminal (script(1)): it fits, keys sort it, q quits.
. "$(dirname "$0")/../lib.sh"
need_root
enter_netns "$@"
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

start() {	# start ARGS...: tcpsleuth in the background, JSON every 0.2 s
	# The last run's logs go first: the shell opens the new ones in the
	# child, maybe after the wait below has read the old "capturing on".
	rm -f "$tmp/out" "$tmp/err"
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

# Default windows (1, 5, 15 min): a new endpoint at 2/s reads ~2/s in all
# three within seconds (README "Rates"); a burst of 10 reads 10 over 5 s.
start -i lo
"$TCPPROBE" connect 127.0.0.1 7212 -n 0 -i 500 >/dev/null &
cpid=$!
rates() { q ".endpoints[] | select(.endpoint == \"$1\") | .rate_milli | [.\"1m\", .\"5m\", .\"15m\"] | map(tostring) | join(\" \")"; }
fails() { q ".endpoints[] | select(.endpoint == \"$1\") | .failures"; }
new_ok() {
	set -- $(rates 127.0.0.1:7212)
	[ "$(fails 127.0.0.1:7212)" -ge 12 ] 2>/dev/null && [ "$1" = "$2" ] &&
	    [ "$2" = "$3" ] && [ "$1" -ge 1800 ] && [ "$1" -le 2400 ]
}
check "new endpoint at 2/s: 1m, 5m and 15m read the same, 2000 +- 10 %" wait_for 15 new_ok
echo "# 127.0.0.1:7212 after $(fails 127.0.0.1:7212) failures: $(rates 127.0.0.1:7212)"
kill "$cpid"
wait "$cpid"
"$TCPPROBE" connect 127.0.0.1 7213 -n 10 -i 1 >/dev/null
check "a burst of 10 refusals seen" wait_for 5 sh -c "[ \"\$(tail -n 1 '$tmp/out' | jq '.endpoints[] | select(.endpoint == \"127.0.0.1:7213\") | .failures')\" = 10 ]"
burst_ok() {
	set -- $(rates 127.0.0.1:7213)
	[ "$1" = "$2" ] && [ "$2" = "$3" ] && [ "$1" -ge 1000 ] && [ "$1" -le 2000 ]
}
check "a burst of 10 reads at most 10 over 5 s, the same in every window (not 100/s)" burst_ok
echo "# 127.0.0.1:7213: $(rates 127.0.0.1:7213)"
stop

# The live view on an 80x24 terminal, 30 failing endpoints: it fits.
mkfifo "$tmp/keys"
COLUMNS=80 LINES=24 script -qfec "\"$TCPSLEUTH\" -i lo --interval 0.2" /dev/null \
    <"$tmp/keys" >"$tmp/screen" 2>&1 &
spid=$!
exec 3>"$tmp/keys"
check "live view: capturing" wait_for 10 grep -q "capturing on" "$tmp/screen"
for p in $(seq 7300 7329); do "$TCPPROBE" connect 127.0.0.1 $p -n 1 >/dev/null; done
frames() { tr -d '\r' <"$tmp/screen" | sed 's/\x1b\[H\x1b\[2J/\n@@frame@@/g'; }
# The last whole frame: between the last two screen clears.
frame() { frames | awk '/^@@frame@@/ { n++; if (n > 1) { last = cur }; cur = ""; next } { cur = cur $0 "\n" } END { printf "%s", last }'; }
all_in() { frame | grep -q '30 rows of'; }
check "live view: every endpoint counted" wait_for 10 all_in
frame >"$tmp/frame"
widest=$(awk '{ if (length > m) m = length } END { print m + 0 }' "$tmp/frame")
lines=$(wc -l <"$tmp/frame")
fits() { [ "$widest" -le 80 ] && [ "$lines" -le 23 ]; }
check "live view: a frame fits 80x24 ($widest columns, $lines lines)" fits
check "live view: says how many rows are below" grep -q 'more rows; a taller terminal' "$tmp/frame"
check "live view: sorted by count, keys named" grep -q '^sorted by count; keys: c count, r rate' "$tmp/frame"
first_row() { frame | sed -n '/^ENDPOINT/{n;p;q}' | cut -d' ' -f1; }
sorted_by() { frame | grep -q "^sorted by $1"; }
printf l >&3
check "key l: sorted by last seen" wait_for 5 sorted_by last
is "$(first_row)" 127.0.0.1:7329 "sorted by last seen: the last one refused first"
printf n >&3
check "key n: sorted by name" wait_for 5 sorted_by name
is "$(first_row)" 127.0.0.1:7300 "sorted by name: 127.0.0.1:7300 first"
printf q >&3
gone() { ! kill -0 "$spid" 2>/dev/null; }
check "key q: quits" wait_for 5 gone
exec 3>&-
wait "$spid"
done_testing
