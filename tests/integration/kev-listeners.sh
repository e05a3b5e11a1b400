#!/bin/sh
# kev-listeners.sh - the missing listener: after a process whose comm is
# santaba stops listening on a port, refusals there name santaba as the
# last listener and when it stopped; a wildcard or dual-stack listener
# counts for the addresses it covered; one that listened before the source
# started is learnt at start (sock_diag and /proc/PID/fd).
. "$(dirname "$0")/../lib.sh"
need_root
enter_netns
tmp=$(mktemp -d)
old=
cleanup() {
	kev_stop
	[ -n "$old" ] && kill "$old" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$TOP_SRCDIR/tests/kev.sh"
listening() { ss -Hltn "sport = :$1" | grep -q .; }

"$TCPPROBE" listen 127.0.0.1 7504 -n 0 -c oldtimer >/dev/null &
old=$!
wait_for 5 listening 7504
kev_start

"$TCPPROBE" listen 127.0.0.1 7501 -n 0 -c santaba >/dev/null &
san=$!
wait_for 5 listening 7501
"$TCPPROBE" listen 0.0.0.0 7502 -n 0 -c wildcat >/dev/null &
wild=$!
"$TCPPROBE" listen :: 7503 -n 0 -c dualstack >/dev/null &
dual=$!
wait_for 5 listening 7502
wait_for 5 listening 7503
before=$(date +%s%N)
kill "$san" "$wild" "$dual" "$old"
wait "$san" "$wild" "$dual" "$old"
after=$(date +%s%N)
old=
"$TCPPROBE" connect 127.0.0.1 7501 127.0.0.1 7502 127.0.0.1 7503 127.0.0.1 7504 \
    -n 3 -c lm-collector >"$tmp/conn"
is "$(cat "$tmp/conn")" "refused 12 timeout 0 unreachable 0 connected 0 other 0" \
    "every port refuses now"

kev_tables
is "$(kev_endpoint 127.0.0.1 7501 '.last_listener | .comm + " " + (.pid | tostring) + " " + (.active | tostring)')" \
    "santaba $san 0" "127.0.0.1:7501 refused: santaba, its pid, was the last listener"
stopped=$(kev_endpoint 127.0.0.1 7501 .last_listener.stopped_ns)
check "... with the time it stopped ($before <= $stopped <= $after)" \
    test "$stopped" -ge "$before" -a "$stopped" -le "$after"
is "$(kev_endpoint 127.0.0.1 7501 .last_listener.line)" "pid $san santaba" \
    "... its line"
is "$(kev_endpoint 127.0.0.1 7502 .last_listener.comm)" wildcat \
    "a 0.0.0.0 listener counts for 127.0.0.1"
is "$(kev_endpoint 127.0.0.1 7503 .last_listener.comm)" dualstack \
    "a dual-stack [::] listener counts for 127.0.0.1"
is "$(kev_endpoint 127.0.0.1 7504 '.last_listener.comm')" oldtimer \
    "a listener from before the start is learnt"
is "$(jq -r 'select(.listener.port == 7504) | .listener | (.learnt | tostring) + " " + (.started_ns | tostring)' "$tmp/tab")" \
    "true 0" "... as learnt, when it began unknown"
is "$(kev_losses)" 0 "no records lost"
done_testing
