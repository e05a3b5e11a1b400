#!/bin/sh
# agent-listeners.sh - which listener drops, through a real snmpd to a real
# snmptrapd, in a network namespace of its own: a listener with backlog 1
# that never accepts (the kernel lets two connections wait) is hit by 50
# connects from clients with net.ipv4.tcp_syn_retries=1.  Its
# tcpsleuthLsnTable row shows the queue at its limit, drops equal to the
# namespace's `nstat -az TcpExtListenDrops` growth, its owner's pid and
# comm; tcpsleuthListenerDropping reaches snmptrapd naming the listener
# (its row's index), its owner and backlog, an alarm row is there while it
# lasts, and tcpsleuthListenerNormal follows after the flood; the clients'
# timed-out attempts carry the reason (tcpsleuthEpLsnOverflows).
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
need nstat
command -v snmptrapd >/dev/null || skip_all "needs snmptrapd (Debian package snmptrapd)"
agent_test "$@"
sysctl -qw net.ipv4.tcp_syn_retries=1
export NSTAT_HISTORY="$tmp/nstat.history"
hpid=
test_cleanup() { [ -z "$hpid" ] || kill "$hpid" 2>/dev/null; }
PORT=7400
N_DROPPING=8 N_NORMAL=9
LSN=$MIB.1.11.1 GRP=$MIB.1.12.1 NSE=$MIB.1.10.1 ALARM=$MIB.1.8.1
NS=$(netns_ino)
PLACE=$NS.1.4.127.0.0.1.$PORT	# the group's index; a socket's adds its inode

kernel() { nstat -asz "$1" | awk -v c="$1" '$1 == c { print $2 }'; }
# lsn COLUMN: the listener's cell in tcpsleuthLsnTable (its only socket)
lsn() {
	snmpwalk -v2c -c public -On -Oqv 127.0.0.1:$SNMP_PORT "$LSN.$1.$PLACE" \
	    2>/dev/null | sed -e 's/^"//' -e 's/"$//'
}
grp() { get "$GRP.$1.$PLACE"; }

"$LSNDUMP" hold 127.0.0.1 $PORT 1 -N lsnhold >"$tmp/hold" &
hpid=$!
check "the listener is up (backlog 1, never accepts)" wait_for 5 grep -q listening "$tmp/hold"
check "snmptrapd listens" snmptrapd_start "$tmp"
snmpd_start "$tmp"
# A SYN the kernel drops is retransmitted after 1 s, then given up 2 s
# later: --syn-timeout 4 lets the capture see every client give up.
check "tcpsleuthd registered: its own namespace, listener alarm at 1 drop/s, hold 1 s" \
    sleuthd_start "$tmp" --namespaces self --windows 6,30,60 --syn-timeout 4 \
    --listener-alarm-rate 1 --listener-alarm-clear 0.5 --listener-alarm-hold 1
row() { [ "$(lsn 14)" = 1 ]; }
check "its tcpsleuthLsnTable row (backlog 1)" wait_for 10 row
is "$(lsn 23)" 1 "listening before tcpsleuthd started: learnt (true)"
is "$(grp 6),$(grp 9)" "1,1" "its group: one member, backlog 1"
before=$(kernel TcpExtListenDrops)

# The flood: two connections fit in the queue, the rest time out.
flood 127.0.0.1 $PORT 50 "$tmp"
dropping() { [ "$(traps "$tmp" $N_DROPPING)" -ge 1 ]; }
check "tcpsleuthListenerDropping reaches snmptrapd during the flood" \
    wait_for 15 dropping
snmpwalk -v2c -c public -On 127.0.0.1:$SNMP_PORT $ALARM >"$tmp/alarms" 2>&1
check "...and an alarm row is there, of type listenerDrops(5), in this namespace" \
    sh -c "grep -q '$ALARM.2.[0-9]* = INTEGER: 5' '$tmp/alarms' &&
    grep -q '$ALARM.13.[0-9]* = Gauge32: $NS' '$tmp/alarms'"
flood_wait
after=$(kernel TcpExtListenDrops)
growth=$((after - before))
timeouts=$(flood_timeouts "$tmp")
check "the kernel dropped SYNs ($growth) and clients timed out ($timeouts)" \
    positive "$growth" "$timeouts"

caught_up() { [ "$(lsn 17)" = "$growth" ]; }
check "tcpsleuthLsnDrops equals the namespace's TcpExtListenDrops growth ($growth)" \
    wait_for 5 caught_up
is "$(lsn 13),$(lsn 14),$(lsn 15)" "2,1,2" \
    "queue at its limit: 2 waiting, backlog 1, highest sampled 2"
is "$(lsn 7)" "$hpid" "tcpsleuthLsnOwnerPid: the holder's pid"
is "$(lsn 8)" lsnhold "tcpsleuthLsnOwnerComm: its comm"
is "$(lsn 10)" "pid $hpid lsnhold" "tcpsleuthLsnOwner: the one-liner"
is "$(grp 11)" "$growth" "tcpsleuthLsnGroupDrops: the same"
fullp=$(lsn 16)
check "polls found it full ($fullp)" [ "${fullp:-0}" -gt 0 ]

line=$(grep "OID: $MIB\.0\.$N_DROPPING	" "$tmp/traps.log" | head -1)
echo "# $line" | cut -c1-400
has() { case $line in *"$1"*) return 0 ;; esac; return 1; }
check "...it names the listener by its row's index (namespace, address, port)" \
    has "$GRP.5.$PLACE = STRING: \""
check "...its owner" has "$GRP.17.$PLACE = STRING: \"pid $hpid lsnhold\""
check "...its backlog (1) and queue (2)" \
    sh -c "echo '$line' | grep -q '$GRP.9.$PLACE = Gauge32: 1' &&
    echo '$line' | grep -q '$GRP.8.$PLACE = Gauge32: 2'"
check "...its drop rate against the threshold (1000)" \
    has "$MIB.1.7.8.0 = Gauge32: 1000"

# The clients' failed attempts carry the reason.
ep_done() { [ "$(col 127.0.0.1 $PORT 17)" = "$timeouts" ]; }
check "the capture counted every timed-out client ($timeouts)" wait_for 10 ep_done
is "$(col 127.0.0.1 $PORT 49)" "$timeouts" \
    "tcpsleuthEpLsnOverflows: every one of them failed while its listener was dropping"

# After the flood: the rate (6 s window) falls under 0.5/s: normal.
normal() { [ "$(traps "$tmp" $N_NORMAL)" -ge 1 ]; }
check "tcpsleuthListenerNormal after the flood stops" wait_for 20 normal
is "$(traps "$tmp" $N_DROPPING)/$(traps "$tmp" $N_NORMAL)" 1/1 \
    "exactly one dropping and one normal"
alarm_gone() {
	! snmpwalk -v2c -c public -On 127.0.0.1:$SNMP_PORT $ALARM.2 2>/dev/null |
	    grep -q 'INTEGER: 5'
}
check "the alarm row is gone" wait_for 5 alarm_gone
is "$(lsn 17)" "$growth" "drops stay"

# The namespace's row: the kernel's figures, coverage whole.
is "$(get "$NSE.4.$NS")" 1 "tcpsleuthNsKind: self(1)"
is "$(get "$NSE.13.$NS")" "$(kernel TcpExtListenDrops)" \
    "tcpsleuthNsListenDrops is nstat's"
is "$(get "$NSE.31.$NS"),$(get "$NSE.32.$NS")" "$growth,$growth" \
    "coverage: every ListenDrop seen on a listener"
done_testing
