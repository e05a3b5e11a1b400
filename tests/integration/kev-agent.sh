#!/bin/sh
# kev-agent.sh - tcpsleuthd, through snmpd, names who calls a closed port
# and what listened there (TCPSLEUTH-MIB): a process whose comm is
# lm-collector retrying 127.0.0.1:7211 and [::1]:7211 is both rows' last
# caller, with its pid and exact counts, one failure per attempt (the
# capture's and the kernel's the same attempt); a second program is a
# second caller with its own count; lm-collector restarted (a new pid) is
# the same caller; a process moved into a cgroup this test makes is named
# by it; santaba listens on 7211 and exits: the refusals then name it the
# last listener with the time it stopped; a listener that started before
# tcpsleuthd is learnt at start; the endpoint notification carries the
# last caller; SIGUSR1's dump shows it; no record is lost; CAP_BPF and
# CAP_PERFMON are dropped once the programs are loaded.  Tests run in
# parallel: only this namespace is served, and only its rows are read
# (their index names it).
. "$(dirname "$0")/../lib.sh"
SLEUTHD_KEV=
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
agent_test "$@"
. "$TOP_SRCDIR/tests/kev.sh"
cg= early= santaba=
test_cleanup() {
	for p in $early $santaba; do kill "$p" 2>/dev/null; done
	[ -n "$cg" ] && rmdir "$cg" 2>/dev/null
	return 0
}

# A listener older than tcpsleuthd: learnt at its start.
"$TCPPROBE" listen 127.0.0.1 7213 -n 0 -c santaba >/dev/null &
early=$!
wait_for 5 sh -c 'ss -Hltn "sport = :7213" | grep -q .'

snmpd_start "$tmp"
snmptrapd_start "$tmp"
# Other tests fail at will in namespaces of their own, in floods: this
# daemon serves its own namespace alone (the programs filter the others
# out before the ring), with alarms for this test's port alone.
check "tcpsleuthd starts with kernel-events = yes" sleuthd_start "$tmp" \
    --kernel-events yes --namespaces self --kernel-ring 4096 --rows 65536 \
    --alarm-port 7211:0.1 --alarm-hold 0
case $(kernel KernelState) in
1|2) ;;
*) skip_all "kernel events do not run here: $(kernel KernelReason)" ;;
esac
ok 0 "the kernel event source runs: $(kernel KernelReason)"
capeff=$(awk '/^CapEff:/ { print $2 }' /proc/$SLEUTHD_PID/status)
is "$(((0x$capeff >> 38) & 3))" 0 \
    "CAP_PERFMON and CAP_BPF are dropped once the programs are loaded (CapEff $capeff)"

kill "$early"
wait "$early" 2>/dev/null
"$TCPPROBE" connect 127.0.0.1 7213 -n 2 -c poller >/dev/null
check "a listener older than tcpsleuthd, learnt at its start, is the last listener" \
    wait_for 10 kcol_is EpLastListener 127.0.0.1 7213 "pid $early santaba"
early=

# santaba listens on 7211, serves one connection and exits.
"$TCPPROBE" listen 127.0.0.1 7211 -n 1 -c santaba >/dev/null &
santaba=$!
wait_for 5 sh -c 'ss -Hltn "sport = :7211" | grep -q .'
"$TCPPROBE" connect 127.0.0.1 7211 -n 1 >/dev/null
wait "$santaba"
stopped=$(date +%s)

# lm-collector keeps calling both addresses.
p1=$(probe connect 127.0.0.1 7211 ::1 7211 -n 5 -c lm-collector)
check "127.0.0.1:7211: 5 attempts, counted by the kernel" \
    wait_for 10 kcol_is EpKernelAttempts 127.0.0.1 7211 5
check "[::1]:7211: 5" wait_for 10 kcol_is EpKernelAttempts ::1 7211 5
for a in 127.0.0.1 ::1; do
	is_soon "5 5 5 0" "$a:7211: 5 failures, refused by the capture, ECONNREFUSED by the kernel, none the kernel's alone: one attempt, one count" \
	    kcols $a 7211 EpFailures EpRefused EpErrConnRefused EpKernelOnly
	is "$(kcol EpLastCaller $a 7211)" "pid $p1 lm-collector" "$a:7211: the last caller, by pid and comm"
	is "$(callers $a 7211 CallerComm) $(callers $a 7211 CallerLastPid) $(callers $a 7211 CallerAttempts)" \
	    "lm-collector $p1 5" "$a:7211: one caller row: lm-collector, its pid, 5 attempts"
done

# The endpoint notification carries the last caller.
traps_with_caller() {
	[ "$(grep "OID: $MIB\.0\.1	" "$tmp/traps.log" | grep -c "$(mib NotifCaller).0 = STRING: \"pid $p1 lm-collector\"")" -ge 2 ]
}
check "both rows' tcpsleuthEndpointRateHigh carry the last caller (tcpsleuthNotifCaller)" \
    wait_for 30 traps_with_caller

is "$(kcol EpLastListener 127.0.0.1 7211)" "pid $santaba santaba" \
    "127.0.0.1:7211 refuses: santaba listened there last"
ls=$(dat_epoch "$(kcol EpListenerStopped 127.0.0.1 7211)")
check "...and stopped when it exited ($(date -u -d @"${ls:-0}" +%T), exit $(date -u -d @$stopped +%T))" \
    sh -c "[ $((${ls:-0} - stopped)) -ge -3 ] && [ $((${ls:-0} - stopped)) -le 3 ]"
is "$(kcol EpListener 127.0.0.1 7211)" 3 "...and it is notListening(3) now"

# A second program; lm-collector restarted under a new pid.
p2=$(probe connect 127.0.0.1 7211 -n 3 -c poller)
p3=$(probe connect 127.0.0.1 7211 ::1 7211 -n 4 -c lm-collector)
check "127.0.0.1:7211: 12 attempts" wait_for 10 kcol_is EpKernelAttempts 127.0.0.1 7211 12
is "$(callers 127.0.0.1 7211 CallerComm | tr '\n' ' ')" "lm-collector poller " \
    "two callers, in the order they came (a caller's index is stable)"
is "$(callers 127.0.0.1 7211 CallerAttempts | tr '\n' ' ')" "9 3 " \
    "lm-collector restarted is the same caller (9), poller a second (3)"
is "$(callers 127.0.0.1 7211 CallerLastPid | tr '\n' ' ')" "$p3 $p2 " \
    "each shows its last pid"
is "$(kcol EpOtherCallers 127.0.0.1 7211) $(kcol EpUnknownCallers 127.0.0.1 7211)" "0 0" \
    "rows + other + unknown add up to the attempts"
is "$(callers 127.0.0.1 7211 CallerNetns | sort -u)" "$(netns_ino)" "the callers' namespace is this one"
is "$(callers ::1 7211 CallerAttempts)" 9 "[::1]:7211: lm-collector, 9"
is "$(kcol EpLastCaller ::1 7211)" "pid $p3 lm-collector" "[::1]:7211: the last caller is the new pid"
# (the capture's count follows the kernel's by up to a capture block, 100 ms)
check "failures: 12, as many as attempts" wait_for 5 kcol_is EpFailures 127.0.0.1 7211 12

# A process in a cgroup of this test's.
mnt=$(kev_cgroup2)
if [ -n "$mnt" ] && mkdir "$mnt/tcpsleuth-kevagent-$$" 2>/dev/null; then
	cg=$mnt/tcpsleuth-kevagent-$$
	"$TCPPROBE" connect 127.0.0.1 7214 -n 2 -c jobrunner -g "$cg" >/dev/null
	in_cg() { [ "$(callers 127.0.0.1 7214 CallerCgroup)" = "/tcpsleuth-kevagent-$$" ]; }
	check "a process moved into a cgroup is named by it" wait_for 10 in_cg
	is "$(callers 127.0.0.1 7214 CallerLine)" \
	    "pid $(callers 127.0.0.1 7214 CallerLastPid) jobrunner (/tcpsleuth-kevagent-$$)" \
	    "...and its line says so"
else
	ok 0 "no cgroup2 mount to make a cgroup in (mountinfo: $(grep -c cgroup2 /proc/self/mountinfo))"
fi

# SIGUSR1: the table with the last caller and listener.
kill -USR1 "$SLEUTHD_PID"
check "SIGUSR1's dump names the last caller and the last listener" wait_for 5 \
    grep -q "row: lo 127.0.0.1:7211 .*, last caller pid $p3 lm-collector, last listener pid $santaba santaba (stopped)" \
    "$tmp/sleuthd.log"
santaba=

is "$(kernel_losses)" 0 "no kernel record lost (ring, maps, bad records)"

# SIGHUP with kernel-events = yes: a reload loads no program, so it does
# not ask for the capabilities the start dropped; the source keeps running.
kst=$(get "$MIB.1.13.1.0")
kill -HUP "$SLEUTHD_PID"
check "SIGHUP with kernel-events = yes, CAP_BPF gone: reloaded" wait_for 5 \
    grep -q "reloaded" "$tmp/sleuthd.log"
! grep -q "reload failed" "$tmp/sleuthd.log"
ok $? "...not refused"
case $kst in 1|2) _r=0 ;; *) _r=1 ;; esac
ok $_r "...the kernel event source ran before (tcpsleuthKernelState $kst)"
is "$(get "$MIB.1.13.1.0")" "$kst" "...and runs as it did after"
done_testing
