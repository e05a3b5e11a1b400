#!/bin/sh
# namespaces.sh - the namespace table against the kernel: two `ip netns`
# namespaces of this test's own (no process inside), each with its own
# refusals; the harness, serving them by name, must show each one's
# AttemptFails as `ip netns exec NS nstat` does, enter them without keeping
# them alive (its /proc/PID/fd never holds a namespace, and a deleted one
# is really destroyed: its veth peer vanishes), mark a deleted one gone
# and drop it after the TTL, and find a new one within one poll interval,
# also when the kernel gives a namespace's inode again (served, or not).
# Without CAP_SYS_ADMIN another namespace is "noaccess", its own still read.
. "$(dirname "$0")/../lib.sh"
need_root
need nstat jq
enter_netns "$@"
tmp=$(mktemp -d)
export NSTAT_HISTORY="$tmp/nstat.history"
A=tsl$$a B=tsl$$b C=tsl$$c D=tsl$$d E=tsl$$e
VA=tslv$$
ppid=
cleanup() {
	[ -n "$ppid" ] && kill "$ppid" 2>/dev/null
	wait
	del_netns "$A" "$B" "$C" "$D" "$E"
	rm -rf "$tmp"
}
trap cleanup EXIT

{ ip netns add "$A" && ip netns add "$B"; } || skip_all "cannot create namespaces"
ip -n "$A" link set lo up
ip -n "$B" link set lo up
# A veth pair from here into A: its end here goes when A is destroyed.
ip link add "$VA" type veth peer name "${VA}p" netns "$A"
ino() { stat -L -c %i "/run/netns/$1"; }
IA=$(ino "$A") IB=$(ino "$B")
kernel() { ip netns exec "$1" nstat -asz "$2" | awk -v c="$2" '$1 == c { print $2 }'; }
refuse() { ip netns exec "$1" "$TCPPROBE" connect 127.0.0.1 7311 -n "$2" >/dev/null; }
refuse "$A" 3
refuse "$B" 5

INTERVAL_MS=500
"$LSNDUMP" poll -i $INTERVAL_MS -o "$tmp/ns.json" -n "$A, $B, $C" -t 3 \
    -w 6,30,60 2>"$tmp/poll.err" &
ppid=$!
q() { jq -r "$1" "$tmp/ns.json" 2>/dev/null; }
nsq() { q ".namespaces[] | select(.inode == $1) | $2"; }
both_ok() { [ "$(nsq "$IA" .state),$(nsq "$IB" .state)" = "ok,ok" ]; }
check "both namespaces read" wait_for 5 both_ok
is "$(nsq "$IA" .name),$(nsq "$IA" .name_source)" "$A,netns" \
    "A is named by its ip netns name"
is "$(nsq "$IA" .counters.AttemptFails)" "$(kernel "$A" TcpAttemptFails)" \
    "A's AttemptFails as ip netns exec nstat says"
is "$(nsq "$IB" .counters.AttemptFails)" "$(kernel "$B" TcpAttemptFails)" \
    "B's AttemptFails as ip netns exec nstat says"
is "$(nsq "$IA" .counters.AttemptFails),$(nsq "$IB" .counters.AttemptFails)" \
    "3,5" "each its own refusals"
is "$(nsq "$IB" .counters.OutRsts)" "$(kernel "$B" TcpOutRsts)" \
    "B's OutRsts as nstat says"
cookie=$(nsq "$IA" .cookie)
check "A has a netns cookie ($cookie)" [ "$cookie" != null ]
check "A's cookie differs from B's" [ "$cookie" != "$(nsq "$IB" .cookie)" ]
self=$(stat -L -c %i /proc/self/ns/net)
is "$(q '[.namespaces[].inode] | sort | map(tostring) | join(",")')" \
    "$(printf '%s\n' "$IA" "$IB" "$self" | sort -n | paste -sd,)" \
    "only the namespaces listed, and its own"

# More refusals while it polls: counted, with a rate.
refuse "$A" 4
seven() { [ "$(nsq "$IA" .counters.AttemptFails)" = 7 ]; }
check "four more in A: 7" wait_for 5 seven
is "$(nsq "$IA" .counters.AttemptFails)" "$(kernel "$A" TcpAttemptFails)" \
    "still as nstat says"
rate() { [ "$(nsq "$IA" '.rate_milli.AttemptFails["1m"]')" -gt 0 ]; }
check "A's AttemptFails has a rate" wait_for 3 rate

# It never holds a namespace between polls: look at its fds a while.
held=0
for _ in $(seq 20); do
	for f in /proc/"$ppid"/fd/*; do
		case $(readlink "$f" 2>/dev/null) in net:*) held=$((held + 1));; esac
	done
	sleep 0.05
done
is "$held" 0 "no namespace fd seen in the harness (20 looks over 1 s)"

# Delete A: gone, destroyed (nothing keeps it alive), then dropped, even
# when a namespace not listed (D, made once A is destroyed) gets its inode
# again, as the kernel gives the lowest free one.
ip netns del "$A"
gone() { [ "$(nsq "$IA" .state)" = gone ]; }
check "deleted A is marked gone" wait_for 3 gone
is "$(nsq "$IA" .counters.AttemptFails)" 7 "gone: its counters frozen"
destroyed() { ! ip link show "$1" >/dev/null 2>&1; }
check "A was destroyed: its veth end here vanished" wait_for 10 destroyed "$VA"
ip netns add "$D"
ID=$(ino "$D")
echo "# A was net:[$IA], D is net:[$ID]"
expired() { [ -z "$(nsq "$IA" .inode)" ] && [ -n "$(nsq "$IB" .inode)" ]; }
check "and dropped after the TTL (3 s)" wait_for 10 expired
is "$(nsq "$ID" .name)" "" "D, not listed, is not served"

# A new one is found within one poll interval, even on the inode of one not
# served (E, deleted just before: the kernel most likely gives it again).
ip netns add "$E"
ip link add "${VA}e" type veth peer name "${VA}f" netns "$E"
p0=$(q .poll.polls)
two_polls() { [ "$(q .poll.polls)" -ge $((p0 + 2)) ]; }
wait_for 5 two_polls
IE=$(ino "$E")
ip netns del "$E"
wait_for 10 destroyed "${VA}e"
p0=$(q .poll.polls)
ip netns add "$C"
IC=$(ino "$C")
echo "# E was net:[$IE], C is net:[$IC]"
seen_c() { [ "$(nsq "$IC" .state)" = ok ]; }
check "new namespace C is read" wait_for 5 seen_c
p1=$(q .poll.polls)
# p0 was the last poll written; one may have been under way when C came.
check "found within one poll interval (polls $p0 -> $p1)" \
    [ "$p1" -le $((p0 + 2)) ]
is "$(nsq "$IC" .name)" "$C" "C is named"

# namespaces = self serves only its own.
"$LSNDUMP" poll -c 1 -n self -o "$tmp/self.json"
is "$(jq -r '[.namespaces[].inode] | map(tostring) | join(",")' \
    "$tmp/self.json")" "$self" "namespaces=self: only its own"

# Without CAP_SYS_ADMIN (setns) the others cannot be entered.
if setpriv --bounding-set -sys_admin true 2>/dev/null; then
	setpriv --bounding-set -sys_admin "$LSNDUMP" poll -c 1 -n "$B" \
	    -o "$tmp/noadmin.json"
	nq() { jq -r ".namespaces[] | select(.inode == $1) | $2" \
	    "$tmp/noadmin.json"; }
	is "$(nq "$IB" .state),$(nq "$IB" .error)" \
	    "noaccess,Operation not permitted" "no CAP_SYS_ADMIN: B noaccess"
	is "$(nq "$self" .state)" ok "its own namespace still read"
else
	ok 1 "# SKIP setpriv cannot drop cap_sys_admin"
fi
is "$(cat "$tmp/poll.err")" "" "the harness said nothing on stderr"
done_testing
