#!/bin/sh
# load.sh - a forged-RST flood from namespace B (random ports, random
# source addresses) into namespace A, where snmpd and tcpsleuthd run,
# for LOAD_SECONDS (60 in CI, 15 otherwise) as fast as this machine sends.
# Meanwhile a real client in B fails on A's port 7 twice a second and a
# poller walks A's agent.  Memory stays bounded, no poll fails (the master
# never sees the subagent time out), the real endpoint's count is exact,
# and the forged RSTs raise no alarm.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
: "${RSTFLOOD:=$TOP_BUILDDIR/tests/tools/rstflood}"
secs=${LOAD_SECONDS:-15}
[ "${CI:-}" = true ] && secs=${LOAD_SECONDS:-60}
a=tsla$$ b=tslb$$
tmp=$(mktemp -d)
chmod 755 "$tmp"
fpid= cpid= ppid=
cleanup() {
	for p in $fpid $cpid $ppid $SLEUTHD_PID $SNMPD_PID; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	del_netns $a $b
	rm -rf "$tmp"
}
trap cleanup EXIT
veth_pair $a veth0 $b veth0
ip -n $a addr add 10.95.0.1/16 dev veth0
ip -n $b addr add 10.95.0.2/16 dev veth0
A="ip netns exec $a"
B="ip netns exec $b"

snmpd_conf "$tmp"
$A snmpd -f -C -c "$tmp/snmpd.conf" -Lf "$tmp/snmpd.log" &
SNMPD_PID=$!
get() { $A snmpget -v2c -c public -On -Oqvt -t 1 -r 1 127.0.0.1:$SNMP_PORT "$@" 2>/dev/null |
    sed -e 's/^"//' -e 's/"$//' -e 's/ *$//' | grep -v -e '^No Such' -e 'No more'; }
check "snmpd in namespace A" wait_for 10 registered_master
$A "$TCPSLEUTHD" $SLEUTHD_KEV -f -x "$tmp/agentx.sock" --publish-interval 0.5 --rows 256 \
    --windows 6,12,18 --alarm-rate 1 --alarm-hold 1 \
    --control-socket "$tmp/control" >"$tmp/sleuthd.log" 2>&1 &
SLEUTHD_PID=$!
check "tcpsleuthd captures in namespace A" wait_for 10 capturing
EP_NETNS=$(netns_ino $a)	# its rows are in A
rss() { awk '/^VmRSS:/ { print $2 }' /proc/$SLEUTHD_PID/status 2>/dev/null || true; }
rss0=$(rss)

$B "$TCPPROBE" connect 10.95.0.1 7 -n 0 -i 500 >"$tmp/client" &
cpid=$!
$B "$RSTFLOOD" 10.95.0.1 "$secs" >"$tmp/flood" &
fpid=$!
# A poller walking the agent through the master all along.
( errs=0 polls=0
  while kill -0 "$fpid" 2>/dev/null; do
	if ! $A snmpget -v2c -c public -t 2 -r 0 127.0.0.1:$SNMP_PORT $MIB.1.3.4.0 \
	    .1.3.6.1.2.1.1.3.0 >/dev/null 2>&1; then errs=$((errs + 1)); fi
	polls=$((polls + 1))
	sleep 0.5
  done
  echo "$polls $errs" >"$tmp/polls" ) &
ppid=$!
maxrss=$rss0
while kill -0 "$fpid" 2>/dev/null; do
	r=$(rss)
	[ -n "$r" ] && [ "$r" -gt "${maxrss:-0}" ] && maxrss=$r
	sleep 1
done
wait "$fpid"
fpid=
wait "$ppid"
ppid=
kill "$cpid"
wait "$cpid"
cpid=
sent=$(cat "$tmp/flood")
real=$(sed -n 's/^refused \([0-9]*\).*/\1/p' "$tmp/client")
echo "# $sent forged RSTs in $secs s ($((sent / secs)) per second); the real client was refused $real times"
echo "# tcpsleuthd RSS: $rss0 KiB at start, at most $maxrss KiB; kernel drops $(get $MIB.1.3.5.0), frames $(get $MIB.1.3.4.0)"
# ASan's shadow memory and quarantine of freed blocks (256 MiB) make its RSS
# no measure of ours; the sanitizer build gets a looser bound.
limit=65536
grep -q 'fsanitize=address' "$TOP_BUILDDIR/Makefile" 2>/dev/null && limit=524288
check "memory stays bounded: RSS at most $((limit / 1024)) MiB ($maxrss KiB)" [ "$maxrss" -le $limit ]
read -r polls perrs <"$tmp/polls"
check "the poller polled all along ($polls polls)" [ "$polls" -ge "$secs" ]
is "$perrs" 0 "no failed poll in $polls polls during the flood"
# net-snmp logs "AgentX master disconnected us" or "...failed to respond
# to ping" when the master drops the subagent, and connects it again.
is "$(grep -c 'subagent connected' "$tmp/sleuthd.log")" 1 "the subagent connected once"
check "the master never dropped the subagent" \
    sh -c "! grep -qi 'disconnected\|failed to respond' '$tmp/sleuthd.log'"
exact() { [ "$(get $EP.15.$(ep_index 10.95.0.1 7))" = "$real" ]; }
check "the real endpoint's refusals are exact ($real)" wait_for 10 exact
unsol=$(get $MIB.1.3.25.0)
check "the forged RSTs are counted as unsolicited ($unsol)" [ "${unsol:-0}" -gt 0 ]
$A snmpwalk -v2c -c public -On 127.0.0.1:$SNMP_PORT $MIB.1.8.1.6 >"$tmp/alarms" 2>&1
check "the real endpoint's alarm is raised" grep -q 'STRING: "veth0 10.95.0.1:7"' "$tmp/alarms"
check "no alarm but the real endpoint's" sh -c "! grep 'STRING' '$tmp/alarms' | grep -v '10.95.0.1:7\"'"
sed 's/^/# alarm: /' "$tmp/alarms"
check "tcpsleuthd is still running" kill -0 "$SLEUTHD_PID"
done_testing
