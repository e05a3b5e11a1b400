#!/bin/sh
# kev-reasons.sh - the kernel's reason for failures no capture can tell
# apart or see: ephemeral ports exhausted (EADDRNOTAVAIL), no route
# (ENETUNREACH from connect(), no packet sent), a SYN dropped by this
# host's own netfilter (output drop) against one a peer namespace drops
# (both end as ETIMEDOUT in connect()).  With the syscall-exit program and
# without it (kevdump -n, kernel-connect-errors = no).
. "$(dirname "$0")/../lib.sh"
need_root
command -v nft >/dev/null || skip_all "needs nft (nftables)"
enter_netns
tmp=$(mktemp -d)
peer=kevpeer$$
cleanup() {
	kev_stop
	[ -n "${nopid:-}" ] && kill "$nopid" 2>/dev/null && wait "$nopid"
	del_netns "$peer"
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$TOP_SRCDIR/tests/kev.sh"
kev_start
# The same without the syscall-exit program, beside it.
"$KEVDUMP" -N self -n >"$tmp/kevn" 2>/dev/null &
nopid=$!
wait_for 30 grep -q '"state"' "$tmp/kevn"

# Two ephemeral ports, both held by connections to one listener.
kev_exhaust 7301 portless >/dev/null

# No route: connect() fails before any state change.  The namespace has
# no route to 192.0.2.0/24 (TEST-NET-1): no packet leaves it.
"$TCPPROBE" connect 192.0.2.1 7302 -c routeless >/dev/null

# A peer namespace over a veth; SYNs to 7303 dropped here, to 7304 there.
kev_peer "$peer"
kev_drops "$peer"
"$TCPPROBE" connect 10.77.0.2 7303 -t 20000 -c dropped-here >"$tmp/p3" &
p3=$!
"$TCPPROBE" connect 10.77.0.2 7304 -t 20000 -c dropped-there >"$tmp/p4"
wait "$p3"
is "$(cat "$tmp/p3" "$tmp/p4" | awk '{ n += $4 } END { print n }')" 2 \
    "both SYNs timed out in connect()"

rec() {	# rec FILE COMM FIELD
	grep '"type"' "$1" | jq -r "select(.comm == \"$2\") | $3" | tr '\n' ' ' | sed 's/ $//'
}
is "$(rec "$tmp/kev" portless '.errno + " " + .reason + " " + (.attemptfails | tostring)')" \
    "EADDRNOTAVAIL addr-not-avail false" \
    "ports exhausted: EADDRNOTAVAIL, not in AttemptFails"
is "$(rec "$tmp/kev" portless '.flags | join(",")')" "nopkt" \
    "... no packet sent, errno from connect() itself"
is "$(rec "$tmp/kev" routeless '.type + " " + .errno + " " + .reason + " " + .daddr + " " + (.attemptfails | tostring)')" \
    "connect-error ENETUNREACH no-route 192.0.2.1 false" \
    "no route: ENETUNREACH from connect(), not in AttemptFails"
is "$(rec "$tmp/kev" dropped-here '.errno + " " + .reason')" "ETIMEDOUT netfilter-drop" \
    "a SYN dropped by this host's netfilter: told apart"
check "... its drops counted" test "$(rec "$tmp/kev" dropped-here .nf_drops)" -ge 1
is "$(rec "$tmp/kev" dropped-there '.errno + " " + .reason + " " + (.nf_drops | tostring)')" \
    "ETIMEDOUT timeout 0" "a SYN a peer namespace drops: a plain timeout"

kill -USR1 "$nopid"
wait_for 10 grep -q '"end"' "$tmp/kevn"
is "$(rec "$tmp/kevn" portless '.errno + " " + (.flags | join(","))')" "EADDRNOTAVAIL nopkt,inferred" \
    "without the syscall-exit program: EADDRNOTAVAIL inferred (no port found)"
is "$(rec "$tmp/kevn" routeless .errno)" "" \
    "... and no route is not seen (no socket state change)"
is "$(rec "$tmp/kevn" dropped-here .reason)" "netfilter-drop" "... netfilter drops still told apart"

kev_tables
is "$(kev_endpoint 127.0.0.1 7301 '.reasons | to_entries | map(.key + "=" + (.value | tostring)) | join(",")')" \
    "addr-not-avail=1" "the endpoint counts it with that reason"
is "$(kev_losses)" 0 "no records lost"
is "$(jq -r 'select(.counters) | .counters.losses + .counters.bad_records' "$tmp/kevn")" 0 \
    "none lost without the syscall-exit program either"
done_testing
