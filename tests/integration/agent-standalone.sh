#!/bin/sh
# agent-standalone.sh - tcpsleuthd as an SNMP agent of its own (no
# snmpd): SNMPv2c with a read-only community, SNMPv3 authPriv, the system
# group (sysDescr, sysObjectID, sysUpTime) and sysORTable.  It listens
# only where told (ss: no SMUX on TCP 199); the community sees the system
# group and TCPSLEUTH-MIB only (no usmUserTable, no VACM); the v3 user
# also sees snmpGroup, snmpEngine and usmStats; sysORTable lists only
# what is served; the engine ID stays and snmpEngineBoots goes up by one
# across a restart with the same state directory.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
agent_test "$@"

# Started as root without a user, the SNMP process runs as nobody: the
# state directory is its to write.
mkdir "$tmp/state"
chown nobody "$tmp/state"
standalone() {
	"$TCPSLEUTHD" $SLEUTHD_KEV -f --listen udp:127.0.0.1:$SNMP_PORT --community s3cret \
	    --v3-user ops --v3-auth authpass123 --v3-priv privpass123 \
	    --state-dir "$tmp/state" --publish-interval 0.2 \
	    --control-socket "$tmp/control" "$@" >>"$tmp/sleuthd.log" 2>&1 &
	SLEUTHD_PID=$!
}
standalone
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

# Listening exactly where configured: one UDP socket, no SMUX (TCP 199).
ss -Hlntup | grep -e "pid=$SLEUTHD_PID," -e "pid=$(snmp_pid)," | awk '{ print $1, $5 }' >"$tmp/listen"
is "$(cat "$tmp/listen")" "udp 127.0.0.1:$SNMP_PORT" "it listens on udp:127.0.0.1:$SNMP_PORT alone (ss -lntup, both processes)"

# What each sees: the community the system group and TCPSLEUTH-MIB only.
v2walk() { snmpwalk -v2c -c s3cret -On -t 2 127.0.0.1:$SNMP_PORT .1 2>&1; }
v3walk() { snmpwalk -v3 -l authPriv -u ops -a SHA -A authpass123 -x AES \
    -X privpass123 -On -t 2 127.0.0.1:$SNMP_PORT .1 2>&1; }
v2walk | sed 's/ .*//' >"$tmp/v2walk"
is "$(grep -v -e '^\.1\.3\.6\.1\.2\.1\.1\.' -e "^$MIB\." "$tmp/v2walk" | head -3)" "" \
    "v2c: the system group and TCPSLEUTH-MIB only ($(wc -l <"$tmp/v2walk") objects)"
check "...TCPSLEUTH-MIB among them" grep -q "^$MIB.1.3.1.0\$" "$tmp/v2walk"
v3walk | sed 's/ .*//' >"$tmp/v3walk"
check "v3: the snmp group (snmpInPkts)" grep -q '^\.1\.3\.6\.1\.2\.1\.11\.1\.0$' "$tmp/v3walk"
check "v3: usmStats" grep -q '^\.1\.3\.6\.1\.6\.3\.15\.1\.1\.1\.0$' "$tmp/v3walk"
check "v3: snmpEngineBoots" grep -q '^\.1\.3\.6\.1\.6\.3\.10\.2\.1\.2\.0$' "$tmp/v3walk"
check "v3: usmUserTable (its own user)" grep -q '^\.1\.3\.6\.1\.6\.3\.15\.1\.2\.2\.1\.3\.' "$tmp/v3walk"
is "$(grep -c '^\.1\.3\.6\.1\.6\.3\.15\.1\.2\.' "$tmp/v2walk")" 0 "...which v2c does not see (v3 user names)"
is "$(grep -c '^\.1\.3\.6\.1\.6\.3\.16\.' "$tmp/v3walk")" 0 "nobody sees VACM objects"
snmpwalk -v2c -c s3cret -On -Oqv 127.0.0.1:$SNMP_PORT .1.3.6.1.2.1.1.9.1.2 | sort >"$tmp/sysor"
printf '%s\n' .1.3.6.1.6.3.1 .1.3.6.1.6.3.10.3.1.1 .1.3.6.1.6.3.11.3.1.1 \
    .1.3.6.1.6.3.15.2.1.1 ".$TCPSLEUTH_OID" | sort >"$tmp/sysor.want"
check "sysORTable: SNMPv2-MIB, SNMP-FRAMEWORK-MIB, SNMP-MPD-MIB, SNMP-USER-BASED-SM-MIB, TCPSLEUTH-MIB, all served (no VACM)" \
    cmp -s "$tmp/sysor" "$tmp/sysor.want"
cmp -s "$tmp/sysor" "$tmp/sysor.want" || sed 's/^/# /' "$tmp/sysor"

"$TCPPROBE" connect 127.0.0.1 7211 -n 3 >/dev/null
v2_count() { [ "$(v2 $EP.15.$(ep_index 127.0.0.1 7211))" = 3 ]; }
check "v2c: 3 refusals on 127.0.0.1:7211" wait_for 5 v2_count
is "$(v3 $EP.15.$(ep_index 127.0.0.1 7211))" 3 "v3 authPriv: the same"
is "$(v3 $MIB.1.1.3.0)" "$(proc_tcp AttemptFails)" "v3: host AttemptFails"
check "a wrong community gets no answer" sh -c "! snmpget -v2c -c wrong -t 0.5 -r 0 127.0.0.1:$SNMP_PORT .1.3.6.1.2.1.1.3.0 >/dev/null 2>&1"
check "a wrong v3 pass phrase is refused" sh -c "! snmpget -v3 -l authPriv -u ops -a SHA -A wrongpass99 -x AES -X privpass123 -t 0.5 -r 0 127.0.0.1:$SNMP_PORT .1.3.6.1.2.1.1.3.0 >/dev/null 2>&1"
check "noAuthNoPriv v3 is refused" sh -c "! snmpget -v3 -l noAuthNoPriv -u ops -t 0.5 -r 0 127.0.0.1:$SNMP_PORT .1.3.6.1.2.1.1.3.0 2>&1 | grep -q Timeticks"
engine() { v3 .1.3.6.1.6.3.10.2.1.1.0; }
boots() { v3 .1.3.6.1.6.3.10.2.1.2.0; }
e1=$(engine) b1=$(boots)
sleuthd_stop
ok $? "exits 0 on SIGTERM"

# The same state directory: the engine ID stays, the boots go up by one.
check "its engine state is in the state directory" \
    grep -q '^engineBoots' "$tmp/state/tcpsleuthd-netsnmp.conf"
standalone
check "restarted" wait_for 10 up
e2=$(engine) b2=$(boots)
is "$e2" "$e1" "snmpEngineID kept across the restart"
check "snmpEngineBoots went up by one ($b1 -> $b2)" [ "$b2" = $((b1 + 1)) ]
sleuthd_stop

# A kernel without some fields (a fake /proc): those are noSuchObject, not
# 0, and a walk steps over them.
mkdir -p "$tmp/proc/net"
printf 'Tcp: OutRsts AttemptFails\nTcp: 77 5\n' >"$tmp/proc/net/snmp"
printf 'TcpExt: ListenDrops\nTcpExt: 9\n' >"$tmp/proc/net/netstat"
"$TCPSLEUTHD" $SLEUTHD_KEV -f --listen udp:127.0.0.1:$SNMP_PORT --community s3cret \
    --procroot "$tmp/proc" --state-dir "$tmp/none" --control-socket "$tmp/control2" \
    >"$tmp/sleuthd2.log" 2>&1 &
SLEUTHD_PID=$!
check "a second agent with a fake /proc answers" wait_for 10 up
is "$(v2 $MIB.1.1.6.0)" 77 "tcpsleuthHostOutRsts from the fake /proc"
check "a missing state directory is said, and the agent runs without" \
    grep -q "state directory $tmp/none: No such file or directory" "$tmp/sleuthd2.log"
check "tcpsleuthHostInCsumErrors, which it lacks, is noSuchObject" sh -c \
    "snmpget -v2c -c s3cret -On 127.0.0.1:$SNMP_PORT $MIB.1.1.8.0 | grep -q 'No Such Object'"
check "...and so is the rate of EstabResets" sh -c \
    "snmpget -v2c -c s3cret -On 127.0.0.1:$SNMP_PORT $MIB.1.2.4.0 | grep -q 'No Such Object'"
is "$(snmpwalk -v2c -c s3cret -On 127.0.0.1:$SNMP_PORT $MIB.1.1 | sed 's/ =.*//' | tr '\n' ' ')" \
    "$MIB.1.1.3.0 $MIB.1.1.6.0 $MIB.1.1.10.0 $MIB.1.1.26.0 " \
    "a walk of the host counters gives the three present (and the discontinuity time)"
sleuthd_stop
done_testing
