#!/bin/sh
# agent-timestamps.sh - TimeStamps are fixed when their event happens, and
# counters have a discontinuity time that moves when tcpsleuthd restarts.
# Under a real snmpd that tcpsleuthd pings every second (net-snmp takes the
# master's sysUpTime from every answer), GETs of tcpsleuthEpCreated,
# tcpsleuthCovSince, tcpsleuthHostDiscontinuity and
# tcpsleuthAgentDiscontinuity for 5 s give one value each; after tcpsleuthd
# restarts under the same snmpd, sysUpTime goes on, its counters start
# from 0 again, and tcpsleuthAgentDiscontinuity and
# tcpsleuthHostDiscontinuity move past their old values.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
agent_test "$@"

AGENT_DISC=$MIB.1.9.1.0
HOST_DISC=$MIB.1.1.26.0
COV_SINCE=$MIB.1.3.13.0
UPTIME=.1.3.6.1.2.1.1.3.0

snmpd_start "$tmp"
up_before=$(get $UPTIME)
wait_for 5 sh -c "[ \$(snmpget -v2c -c public -Oqvt 127.0.0.1:$SNMP_PORT $UPTIME) -ge $((up_before + 100)) ]"
check "tcpsleuthd registered (ping interval 1 s)" sleuthd_start "$tmp" --ping-interval 1
"$TCPPROBE" connect 127.0.0.1 7211 -n 3 >/dev/null
check "a row for 127.0.0.1:7211" wait_for 5 col_is 127.0.0.1 7211 15 3
created=$EP.10.$(ep_index 127.0.0.1 7211)
check "tcpsleuthAgentDiscontinuity is served" [ -n "$(get $AGENT_DISC)" ]

# GETs for 5 s: every TimeStamp keeps one value.
: >"$tmp/polls"
n=0
end=$(($(date +%s) + 5))
while [ "$(date +%s)" -lt "$end" ]; do
	snmpget -v2c -c public -On -Oqvt -t 1 -r 1 127.0.0.1:$SNMP_PORT \
	    "$created" $COV_SINCE $HOST_DISC $AGENT_DISC | tr '\n' ' ' >>"$tmp/polls"
	echo >>"$tmp/polls"
	n=$((n + 1))
done
distinct=$(sort -u "$tmp/polls" | grep -c .)
is "$distinct" 1 "$n GETs over 5 s of EpCreated, CovSince, HostDiscontinuity, AgentDiscontinuity: one value each"
[ "$distinct" = 1 ] || sort "$tmp/polls" | uniq -c | head -5 | sed 's/^/# /'
read -r c0 cov0 host0 agent0 <"$tmp/polls"
up0=$(get $UPTIME)
# snmpd ran a while before tcpsleuthd started: not 0.
check "on the master's sysUpTime: 100 < AgentDiscontinuity ($agent0) = HostDiscontinuity ($host0), CovSince ($cov0), EpCreated ($c0) <= sysUpTime ($up0)" \
    sh -c '[ "$1" -gt 100 ] && [ "$1" = "$2" ] && [ "$3" -gt 100 ] && [ "$4" -ge "$3" ] && [ "$4" -le "$5" ]' \
    x "$agent0" "$host0" "$cov0" "$c0" "$up0"

# tcpsleuthd restarts under the same master.
pk0=$(get $MIB.1.3.4.0)
sleuthd_stop
sleuthd_start "$tmp" --ping-interval 1
check "tcpsleuthd registered again" wait_for 10 registered
up1=$(get $UPTIME)
agent1=$(get $AGENT_DISC)
host1=$(get $HOST_DISC)
pk1=$(get $MIB.1.3.4.0)
check "sysUpTime went on ($up0 -> $up1)" [ "$up1" -gt "$up0" ]
check "its counters started again (CapturePackets $pk0 -> $pk1)" [ "$pk1" -lt "$pk0" ]
check "tcpsleuthAgentDiscontinuity moved ($agent0 -> $agent1)" [ "$agent1" -gt "$agent0" ]
check "tcpsleuthHostDiscontinuity moved ($host0 -> $host1)" [ "$host1" -gt "$host0" ]
check "...to no later than sysUpTime" [ "$agent1" -le "$up1" ]
done_testing
