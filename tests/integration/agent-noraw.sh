#!/bin/sh
# agent-noraw.sh - tcpsleuthd without root or CAP_NET_RAW (setpriv to
# nobody with no capabilities): it starts, serves the kernel counters,
# reports the capture as permissionDenied(2) and says so in one log line.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
command -v setpriv >/dev/null || skip_all "needs setpriv (util-linux)"
agent_test "$@"

snmpd_start "$tmp"
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
    --bounding-set=-all "$TCPSLEUTHD" $SLEUTHD_KEV -f -x "$tmp/agentx.sock" \
    --publish-interval 0.2 --poll-interval 0.2 --reopen-interval 0.3 \
    --control-socket "" >"$tmp/sleuthd.log" 2>&1 &
SLEUTHD_PID=$!
check "starts and registers without CAP_NET_RAW" wait_for 10 registered
is "$(awk '/^Uid:/ { print $2 }' /proc/$SLEUTHD_PID/status)" 65534 "runs as nobody"
is "$(awk '/^CapEff:/ { print $2 }' /proc/$SLEUTHD_PID/status)" 0000000000000000 \
    "with no effective capabilities"
is "$(get $MIB.1.3.1.0)" 2 "capture state permissionDenied(2)"
check "the reason is served" sh -c "snmpget -v2c -c public -Oqv 127.0.0.1:$SNMP_PORT $MIB.1.3.3.0 | grep -q CAP_NET_RAW"
"$TCPPROBE" connect 127.0.0.1 7211 -n 4 >/dev/null
b=$(proc_tcp AttemptFails)
v=$(get $MIB.1.1.3.0)
check "the kernel counters are served: AttemptFails $v (/proc $b)" [ "$v" = "$b" ]
retried() {	# the capture was retried: the log's line was not repeated
	t=$(($(date +%s%N) + 1500000000))
	while [ "$(date +%s%N)" -lt $t ]; do sleep 0.1; done
}
retried	# five retries at 0.3 s
is "$(grep -c 'CAP_NET_RAW' "$tmp/sleuthd.log")" 1 "one log line, not one per retry"
sed 's/^/# /' "$tmp/sleuthd.log"
done_testing
