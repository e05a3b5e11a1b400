#!/bin/sh
# agent-traps.sh - notifications through a real snmpd master to a real
# snmptrapd: the seed scenario raises exactly one endpoint "high" for
# 127.0.0.1:7211 and one host "high", after the hold-down; when the client
# stops, one "normal" each.  The alarm table shows the active alarms.  An
# alarm raised while the master is away is delivered after it returns.
# A scan gives a summary, not a storm.  Sequence numbers increase.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
command -v snmptrapd >/dev/null || skip_all "needs snmptrapd (Debian package snmptrapd)"
agent_test "$@"
cpid=
test_cleanup() {
	[ -z "$cpid" ] || kill "$cpid" 2>/dev/null
	ip link del tsc0 2>/dev/null
}
N_EP_HIGH=1 N_EP_NORMAL=2 N_HOST_HIGH=3 N_HOST_NORMAL=4 N_SUMMARY=7

check "snmptrapd listens on 127.0.0.1:$TRAP_PORT" snmptrapd_start "$tmp"
snmpd_start "$tmp"
check "tcpsleuthd registered with alarms at 1/s (clear 0.5/s, hold 2 s)" \
    sleuthd_start "$tmp" --windows 6,12,18 --ping-interval 1 \
    --alarm-rate 1 --alarm-clear 0.5 --alarm-hold 2 \
    --host-alarm-rate 1 --host-alarm-clear 0.5 --host-alarm-hold 2

# The seed: a client retries 127.0.0.1:7211 twice a second.
t0=$(date +%s%N)
"$TCPPROBE" connect 127.0.0.1 7211 -n 0 -i 500 >/dev/null &
cpid=$!
ep_high() { [ "$(traps "$tmp" $N_EP_HIGH)" -ge 1 ]; }
check "an endpoint high notification arrives" wait_for 15 ep_high
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
check "...not before the 2 s hold-down (${ms} ms after the first failure)" [ "$ms" -ge 2000 ]
host_high() { [ "$(traps "$tmp" $N_HOST_HIGH)" -ge 1 ]; }
check "a host AttemptFails high notification arrives" wait_for 10 host_high
line=$(grep "OID: $MIB\.0\.$N_EP_HIGH	" "$tmp/traps.log" | head -1)
check "...about 127.0.0.1:7211 on lo" sh -c "echo '$line' | grep -q 'STRING: \"lo 127.0.0.1:7211\"'"
check "...with the address 127.0.0.1 and port 7211" sh -c \
    "echo '$line' | grep -q '$MIB.1.7.2.0 = Hex-STRING: 7F 00 00 01' && echo '$line' | grep -q '$MIB.1.7.3.0 = Gauge32: 7211'"
check "...the threshold (1000) and a rate above it" sh -c \
    "echo '$line' | grep -q '$MIB.1.7.8.0 = Gauge32: 1000'"
alarms() { snmpwalk -v2c -c public -On 127.0.0.1:$SNMP_PORT $MIB.1.8.1.6 2>/dev/null; }
alarms >"$tmp/alarms"
check "the alarm table shows both (endpoint, host)" sh -c \
    "grep -q 'lo 127.0.0.1:7211' '$tmp/alarms' && grep -q 'host AttemptFails' '$tmp/alarms'"
sed 's/^/# /' "$tmp/alarms"

# The client stops: one normal each, once the rates fall under 0.5/s.
kill "$cpid"
wait "$cpid"
cpid=
ep_normal() { [ "$(traps "$tmp" $N_EP_NORMAL)" -ge 1 ] && [ "$(traps "$tmp" $N_HOST_NORMAL)" -ge 1 ]; }
check "after the client stops: endpoint and host normal" wait_for 20 ep_normal
nrate=$(grep "OID: $MIB\.0\.$N_EP_NORMAL	" "$tmp/traps.log" | head -1 |
    sed -n "s/.*$MIB\.1\.7\.7\.0 = Gauge32: \([0-9]*\).*/\1/p")
check "hysteresis: normal only below the clear rate 0.5/s (rate $nrate), not at 1/s" \
    [ -n "$nrate" ] && [ "$nrate" -lt 500 ]
is "$(traps "$tmp" $N_EP_HIGH)/$(traps "$tmp" $N_EP_NORMAL)" 1/1 \
    "exactly one endpoint high and one normal"
is "$(traps "$tmp" $N_HOST_HIGH)/$(traps "$tmp" $N_HOST_NORMAL)" 1/1 \
    "exactly one host high and one normal"
is "$(alarms | grep -c STRING)" 0 "the alarm table is empty again"

# An alarm raised while the master is away arrives after it returns.
snmpd_stop
"$TCPPROBE" connect 127.0.0.1 7300 -n 0 -i 100 >/dev/null &
cpid=$!
check "an alarm is raised while the master is away" \
    wait_for 15 grep -q 'alarm high: lo 127.0.0.1:7300' "$tmp/sleuthd.log"
kill "$cpid"
wait "$cpid"
cpid=
is "$(grep -c "127.0.0.1:7300" "$tmp/traps.log")" 0 "...and not received yet"
snmpd_start "$tmp"
away() { grep -q 'STRING: "lo 127.0.0.1:7300"' "$tmp/traps.log"; }
check "...it is received after the master restarts" wait_for 10 away

# A scan: 60 ports refused at once is a summary, not 60 notifications.
before=$(traps "$tmp" $N_EP_HIGH)
pids=
for p in $(seq 8000 8059); do
	"$TCPPROBE" connect 127.0.0.1 $p -n 12 >/dev/null &
	pids="$pids $!"
done
wait $pids
summary() { [ "$(traps "$tmp" $N_SUMMARY)" -ge 1 ]; }
check "a scan of 60 ports gives a summary notification" wait_for 15 summary
n=$(( $(traps "$tmp" $N_EP_HIGH) - before ))
check "...and at most 20 individual ones ($n)" [ "$n" -le 20 ]
echo "# summary: $(grep "OID: $MIB\.0\.$N_SUMMARY	" "$tmp/traps.log" | head -1 | grep -o "$MIB.1.7.10.0 = [^	]*")"

# Sequence numbers strictly increase across everything this tcpsleuthd sent.
grep -o "$MIB\.1\.7\.9\.0 = Gauge32: [0-9]*" "$tmp/traps.log" | awk '{ print $4 }' >"$tmp/seq"
check "sequence numbers increase ($(tr '\n' ' ' < "$tmp/seq"))" \
    awk 'NR > 1 && $1 <= prev { exit 1 } { prev = $1 }' "$tmp/seq"
# Coverage low: capturing an idle interface while the kernel counts
# refusals on loopback, the capture sees none of this host's failures.
sleuthd_stop
ip link add tsc0 type veth peer name tsc1 && ip link set tsc0 up && ip link set tsc1 up
check "a second tcpsleuthd captures only an idle veth" sleuthd_start "$tmp" -i tsc0 \
    --alarm-coverage 900
"$TCPPROBE" connect 127.0.0.1 7400 -n 120 >/dev/null
covlow() { [ "$(traps "$tmp" 6)" -ge 1 ]; }
check "coverage low: tcpsleuthCoverageLow arrives" wait_for 10 covlow
check "...carrying tcpsleuthCovFailsPermille 0" sh -c \
    "grep 'OID: $MIB\.0\.6	' '$tmp/traps.log' | grep -q '$MIB.1.3.19.0 = Gauge32: 0'"
ip link del tsc0

sed -n 's/^TRAP //p' "$tmp/traps.log" | head -4 | cut -c1-400 | sed 's/^/# trap: /'
done_testing
