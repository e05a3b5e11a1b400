#!/bin/sh
# agent-standalone.sh - tcpsleuthd as an SNMP agent of its own (no
# snmpd): SNMPv2c with a read-only community, SNMPv3 authPriv, the system
# group (sysDescr, sysObjectID, sysUpTime) and sysORTable.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
agent_test "$@"

"$TCPSLEUTHD" -f --listen udp:127.0.0.1:$SNMP_PORT --community s3cret \
    --v3-user ops --v3-auth authpass123 --v3-priv privpass123 \
    --publish-interval 0.2 >"$tmp/sleuthd.log" 2>&1 &
SLEUTHD_PID=$!
v2() { snmpget -v2c -c s3cret -On -Oqv -t 1 -r 1 127.0.0.1:$SNMP_PORT "$@" 2>&1; }
v3() { snmpget -v3 -l authPriv -u ops -a SHA -A authpass123 -x AES -X privpass123 \
    -On -Oqv -t 1 -r 1 127.0.0.1:$SNMP_PORT "$@" 2>&1; }
up() { [ -n "$(v2 .1.3.6.1.2.1.1.3.0 | grep -v -i timeout)" ]; }
check "answers on udp:127.0.0.1:$SNMP_PORT" wait_for 10 up
cap_up() { [ "$(v2 $MIB.1.3.1.0)" = 1 ]; }
check "...and captures" wait_for 10 cap_up
check "sysDescr names tcpsleuthd" sh -c "snmpget -v2c -c s3cret -Oqv 127.0.0.1:$SNMP_PORT .1.3.6.1.2.1.1.1.0 | grep -q tcpsleuthd"
is "$(v2 .1.3.6.1.2.1.1.2.0)" ".$TCPSLEUTH_OID.3.1" "sysObjectID is TCPSLEUTH-MIB's tcpsleuthd"
check "sysORTable lists TCPSLEUTH-MIB" sh -c "snmpwalk -v2c -c s3cret -On 127.0.0.1:$SNMP_PORT .1.3.6.1.2.1.1.9.1.2 | grep -q 'OID: .$TCPSLEUTH_OID\$'"

"$TCPPROBE" connect 127.0.0.1 7211 -n 3 >/dev/null
v2_count() { [ "$(v2 $EP.15.$(ep_index 127.0.0.1 7211))" = 3 ]; }
check "v2c: 3 refusals on 127.0.0.1:7211" wait_for 5 v2_count
is "$(v3 $EP.15.$(ep_index 127.0.0.1 7211))" 3 "v3 authPriv: the same"
is "$(v3 $MIB.1.1.3.0)" "$(proc_tcp AttemptFails)" "v3: host AttemptFails"
check "a wrong community gets no answer" sh -c "! snmpget -v2c -c wrong -t 0.5 -r 0 127.0.0.1:$SNMP_PORT .1.3.6.1.2.1.1.3.0 >/dev/null 2>&1"
check "a wrong v3 pass phrase is refused" sh -c "! snmpget -v3 -l authPriv -u ops -a SHA -A wrongpass99 -x AES -X privpass123 -t 0.5 -r 0 127.0.0.1:$SNMP_PORT .1.3.6.1.2.1.1.3.0 >/dev/null 2>&1"
check "noAuthNoPriv v3 is refused" sh -c "! snmpget -v3 -l noAuthNoPriv -u ops -t 0.5 -r 0 127.0.0.1:$SNMP_PORT .1.3.6.1.2.1.1.3.0 2>&1 | grep -q Timeticks"
sleuthd_stop
ok $? "exits 0 on SIGTERM"

# A kernel without some fields (a fake /proc): those are noSuchObject, not
# 0, and a walk steps over them.
mkdir -p "$tmp/proc/net"
printf 'Tcp: OutRsts AttemptFails\nTcp: 77 5\n' >"$tmp/proc/net/snmp"
printf 'TcpExt: ListenDrops\nTcpExt: 9\n' >"$tmp/proc/net/netstat"
"$TCPSLEUTHD" -f --listen udp:127.0.0.1:$SNMP_PORT --community s3cret \
    --procroot "$tmp/proc" >"$tmp/sleuthd2.log" 2>&1 &
SLEUTHD_PID=$!
check "a second agent with a fake /proc answers" wait_for 10 up
is "$(v2 $MIB.1.1.6.0)" 77 "tcpsleuthHostOutRsts from the fake /proc"
check "tcpsleuthHostInCsumErrors, which it lacks, is noSuchObject" sh -c \
    "snmpget -v2c -c s3cret -On 127.0.0.1:$SNMP_PORT $MIB.1.1.8.0 | grep -q 'No Such Object'"
check "...and so is the rate of EstabResets" sh -c \
    "snmpget -v2c -c s3cret -On 127.0.0.1:$SNMP_PORT $MIB.1.2.4.0 | grep -q 'No Such Object'"
is "$(snmpwalk -v2c -c s3cret -On 127.0.0.1:$SNMP_PORT $MIB.1.1 | sed 's/ =.*//' | tr '\n' ' ')" \
    "$MIB.1.1.3.0 $MIB.1.1.6.0 $MIB.1.1.10.0 $MIB.1.1.26.0 " \
    "a walk of the host counters gives the three present (and the discontinuity time)"
sleuthd_stop
done_testing
