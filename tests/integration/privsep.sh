#!/bin/sh
# privsep.sh - tcpsleuthd's two processes (doc/security.md, "Two
# processes"), through a real snmpd, in a network namespace of its own.
# The SNMP-facing process: CapPrm, CapEff, CapAmb, CapBnd all 0,
# NoNewPrivs 1, a non-root uid, Seccomp 2, its /proc/PID/root another
# root holding only what it keeps, the only holder of tcpsleuthctl's
# control socket, which it serves confined (tcpsleuthctl answered, the
# capture process removing the file at the stop); the capture process:
# exactly the capabilities of the privilege table for this configuration
# (started as root, no user: uid 0 with CAP_NET_RAW, CAP_SYS_PTRACE and
# CAP_DAC_READ_SEARCH for the listeners' owners, CAP_SYS_ADMIN unless
# namespaces = self; bounding set empty).  The
# capture keeps counting (exact refusal counts through snmpd) and a master
# restart is survived; SIGUSR1 dumps, SIGTERM stops both promptly; either
# process dying is said in one line by the other, which exits (1).  A
# standalone agent on port 161 binds it and keeps no capability; started
# without any capability, the SNMP process still gets a root of its own
# (a user namespace).
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
need setpriv pgrep ss	# util-linux, procps, iproute2
getent passwd nobody >/dev/null || skip_all "needs a user named nobody"
agent_test "$@"

field() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$2/status"; }
uids() { awk '$1 == "Uid:" { print $2 "/" $3 "/" $4 }' "/proc/$1/status"; }
gone() { ! kill -0 "$1" 2>/dev/null; }
# The SNMP process's state, its root, as seen from here.
confined() {	# confined PID DESCRIPTION
	is "$(field CapPrm $1)/$(field CapEff $1)/$(field CapAmb $1)/$(field CapBnd $1)/$(field CapInh $1)" \
	    0000000000000000/0000000000000000/0000000000000000/0000000000000000/0000000000000000 \
	    "$2: CapPrm, CapEff, CapAmb, CapBnd, CapInh all 0"
	is "$(field NoNewPrivs $1)" 1 "$2: NoNewPrivs 1"
	is "$(field Seccomp $1)" 2 "$2: Seccomp 2 (a filter)"
	check "$2: its root is not / (device and inode)" \
	    [ "$(stat -L -c %d:%i /proc/$1/root)" != "$(stat -L -c %d:%i /)" ]
}

snmpd_start "$tmp"
check "tcpsleuthd (root, no user) registers and captures" sleuthd_start "$tmp"
snmp=$(snmp_pid)
check "the capture process has a child, the SNMP process" [ -n "$snmp" ]
echo "# capture $SLEUTHD_PID, SNMP $snmp"
grep -E '^(Uid|Cap[A-Za-z]*|NoNewPrivs|Seccomp):' /proc/$snmp/status | sed 's/^/#   /'
is "$(uids $snmp)" 65534/65534/65534 "SNMP process: a non-root uid, nobody's (no user configured)"
confined "$snmp" "SNMP process"
ls -A "/proc/$snmp/root" | sort | tr '\n' ' ' >"$tmp/root"
is "$(cat "$tmp/root")" "proc tmp " "...its root holds the AgentX socket's directory (under /tmp) and /proc/net only"
check "...where the AgentX socket is" test -S "/proc/$snmp/root$tmp/agentx.sock"
check "...and /proc/net/snmp, the host counters" grep -q "^Tcp:" "/proc/$snmp/root/proc/net/snmp"
check "...and no /etc" test ! -e "/proc/$snmp/root/etc"
# The capture process: the table's rows for this configuration, no more
# (namespaces all, the default: CAP_NET_RAW 0x2000, CAP_SYS_PTRACE 0x80000
# and CAP_DAC_READ_SEARCH 0x4 for the listeners' owners, CAP_SYS_ADMIN
# 0x200000 to enter the other namespaces).
is "$(uids $SLEUTHD_PID)" 0/0/0 "capture process: still root (no user configured)"
is "$(field CapEff $SLEUTHD_PID)/$(field CapPrm $SLEUTHD_PID)" 0000000000282004/0000000000282004 \
    "...CapEff and CapPrm: CAP_NET_RAW, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH, CAP_SYS_ADMIN exactly (no kernel events yet)"
is "$(field CapBnd $SLEUTHD_PID)/$(field CapAmb $SLEUTHD_PID)/$(field CapInh $SLEUTHD_PID)" \
    0000000000000000/0000000000000000/0000000000000000 "...bounding, ambient, inheritable sets empty"
check "...and says what it keeps" \
    grep -q "capturing as uid 0 with CAP_DAC_READ_SEARCH CAP_NET_RAW CAP_SYS_PTRACE CAP_SYS_ADMIN$" "$tmp/sleuthd.log"
check "the SNMP process says it is confined" \
    grep -q "snmp: confined as uid 65534: no capability, root a mount namespace, seccomp on" "$tmp/sleuthd.log"
# tcpsleuthctl's control socket: the SNMP process's alone, served confined.
ctlholders() { ss -Hlxp | grep -F " $1 " | grep -o 'pid=[0-9]*' | sort -u | tr '\n' ' '; }
is "$(ctlholders "$tmp/control")" "pid=$snmp " "the control socket is held by the SNMP process alone"
check "...made before the split, mode 0660" [ "$(stat -c %a "$tmp/control")" = 660 ]
"$TCPSLEUTHCTL" -s "$tmp/control" show capture >"$tmp/ctl.out" 2>&1
is "$?" 0 "tcpsleuthctl show capture: answered by the confined SNMP process"
check "...from its snapshots (the capture running)" grep -q "running" "$tmp/ctl.out"
"$TCPSLEUTHCTL" -s "$tmp/control" --json show endpoints >"$tmp/ctl.json" 2>&1
is "$?" 0 "tcpsleuthctl --json show endpoints: answered"
is "$(pgrep -P "$SLEUTHD_PID" | head -1)" "$snmp" "...and the SNMP process is still there (no system call outside its filter)"

# The capture keeps counting, exactly, through snmpd.
"$TCPPROBE" connect 127.0.0.1 7211 -n 5 >/dev/null
check "5 refusals on 127.0.0.1:7211 through snmpd" wait_for 5 col_is 127.0.0.1 7211 15 5
snmpd_stop
"$TCPPROBE" connect 127.0.0.1 7211 -n 3 >/dev/null
snmpd_start "$tmp"
check "a master restart is survived: 5 + 3 while it was away" wait_for 20 col_is 127.0.0.1 7211 15 8
is "$(snmp_pid)" "$snmp" "...by the same SNMP process"
kill -USR1 "$SLEUTHD_PID"
check "SIGUSR1: the capture process logs the table" \
    wait_for 5 grep -q "row: lo 127.0.0.1:7211 local failures 8 (refused 8" "$tmp/sleuthd.log"
is "$(grep -c 'row: lo 127.0.0.1:7211' "$tmp/sleuthd.log")" 1 "...once (the SNMP process ignores SIGUSR1)"
check "...with the namespaces and listeners" grep -q "namespaces: [0-9]* rows of .*; listeners: [0-9]* rows of" "$tmp/sleuthd.log"
grep -e "tcpsleuthctl: " -e "namespaces: [0-9]* rows" "$tmp/sleuthd.log" | sed 's/^/# /'
tcpsleuthctl_show() { "$TCPSLEUTHCTL" -s "$tmp/control" show endpoints 2>&1 | grep -q "127.0.0.1:7211"; }
check "tcpsleuthctl show endpoints: the refusals' endpoint, after the master restart" tcpsleuthctl_show

# SIGTERM stops both, promptly, status 0.
t0=$(date +%s%N)
sleuthd_stop
rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
is "$rc" 0 "SIGTERM: status 0"
check "...both processes gone, in $ms ms (< 2000)" sh -c "! kill -0 $snmp 2>/dev/null && [ $ms -lt 2000 ]"
check "...the control socket's file removed (by the capture process)" test ! -e "$tmp/control"

# namespaces = self: no CAP_SYS_ADMIN kept.
sleuthd_start "$tmp" --namespaces self
is "$(field CapEff $SLEUTHD_PID)/$(field CapPrm $SLEUTHD_PID)" 0000000000082004/0000000000082004 \
    "namespaces self: the capture keeps CAP_NET_RAW, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH (no CAP_SYS_ADMIN)"
confined "$(snmp_pid)" "namespaces self, SNMP process"
sleuthd_stop

# The SNMP process dies: the capture process says so, once, and exits 1.
sleuthd_start "$tmp"
snmp=$(snmp_pid)
: >"$tmp/sleuthd.log.mark"
kill -KILL "$snmp"
check "SNMP process killed: the capture process exits" wait_for 5 gone "$SLEUTHD_PID"
wait "$SLEUTHD_PID"
rc=$?
SLEUTHD_PID=
is "$rc" 1 "...with status 1 (systemd restarts the service)"
is "$(grep -c "the SNMP process (pid $snmp) was killed by signal 9 (Killed): stopping" "$tmp/sleuthd.log")" 1 \
    "...saying which and why, in one line"
# A seccomp kill is SIGSYS: named as such.
sleuthd_start "$tmp"
snmp=$(snmp_pid)
kill -SYS "$snmp"
check "SIGSYS (what its seccomp filter sends): the capture process exits" wait_for 5 gone "$SLEUTHD_PID"
wait "$SLEUTHD_PID"
SLEUTHD_PID=
check "...naming the filter" grep -q "the SNMP process (pid $snmp) was killed by signal 31 (Bad system call), a system call outside its seccomp filter: stopping" "$tmp/sleuthd.log"

# The capture process dies: the SNMP process says so and exits.
sleuthd_start "$tmp"
snmp=$(snmp_pid)
kill -KILL "$SLEUTHD_PID"
wait "$SLEUTHD_PID" 2>/dev/null
SLEUTHD_PID=
check "capture process killed: the SNMP process exits" wait_for 5 gone "$snmp"
check "...saying the capture process is gone" \
    grep -q "snmp: the capture process is gone (its end of the socket closed): stopping" "$tmp/sleuthd.log"

# As -u nobody: both processes nobody.
sleuthd_start "$tmp" -u nobody
snmp=$(snmp_pid)
is "$(uids $SLEUTHD_PID) $(uids $snmp)" "65534/65534/65534 65534/65534/65534" "-u nobody: both processes run as nobody"
confined "$snmp" "-u nobody, SNMP process"
sleuthd_stop

# A standalone agent on port 161: bound with CAP_NET_BIND_SERVICE, then none.
snmpd_stop
"$TCPSLEUTHD" -f --listen udp:127.0.0.1:161 --community public --state-dir "$tmp/none" \
    --control-socket "$tmp/control" >"$tmp/sa.log" 2>&1 &
SLEUTHD_PID=$!
up161() { [ -n "$(snmpget -v2c -c public -Oqv -t 0.5 -r 0 127.0.0.1:161 $MIB.1.3.1.0 2>/dev/null)" ]; }
check "standalone on udp:127.0.0.1:161 (below 1024) answers" wait_for 10 up161
snmp=$(snmp_pid)
is "$(ss -Hlunp | grep "pid=$snmp," | awk '{ print $4 }')" 127.0.0.1:161 "...its SNMP process holds the port"
confined "$snmp" "standalone SNMP process"
is "$(ctlholders "$tmp/control")" "pid=$snmp " "...and holds the control socket"
check "...which answers" sh -c "'$TCPSLEUTHCTL' -s '$tmp/control' show capture >/dev/null"
sleuthd_stop

# Started without any capability (nobody, setpriv): no CAP_SYS_ADMIN for a
# mount namespace, so one in a user namespace of its own.
snmpd_start "$tmp"
mkdir -m 755 "$tmp/nobody"
chown 65534:65534 "$tmp/nobody"
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
    --bounding-set=-all "$TCPSLEUTHD" -f -x "$tmp/agentx.sock" \
    --control-socket "$tmp/nobody/control" \
    --publish-interval 0.2 >"$tmp/noprivs.log" 2>&1 &
SLEUTHD_PID=$!
check "started without capabilities: registers" wait_for 10 registered
snmp=$(snmp_pid)
confined "$snmp" "no capabilities at start, SNMP process"
check "...its root made in user and mount namespaces" \
    grep -q "confined as uid 65534: no capability, root user and mount namespaces, seccomp on" "$tmp/noprivs.log"
is "$(get $MIB.1.1.3.0)" "$(proc_tcp AttemptFails)" "...and the host counters are read when asked"
check "...and tcpsleuthctl answered" sh -c "'$TCPSLEUTHCTL' -s '$tmp/nobody/control' show capture >/dev/null"
sleuthd_stop
check "...its control socket's file removed" test ! -e "$tmp/nobody/control"
done_testing
