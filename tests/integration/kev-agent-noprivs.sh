#!/bin/sh
# kev-agent-noprivs.sh - tcpsleuthd without the privilege to load eBPF
# programs runs pcap-only, exactly as without the kernel source, and says
# so: as root with cap_bpf, cap_perfmon and cap_sys_admin dropped, and as
# a user keeping CAP_NET_RAW only, tcpsleuthKernelState is unavailable(3)
# with the capabilities missing as its reason, each program is failed(2)
# with EPERM (one log line each), the capture's counts are exact and the
# kernel's columns absent.  kernel-events = yes refuses to start that way,
# and tcpsleuthd -n says so without loading anything; kernel-events = no
# is disabled(4).
. "$(dirname "$0")/../lib.sh"
SLEUTHD_KEV=
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
need capsh setpriv
agent_test "$@"
. "$TOP_SRCDIR/tests/kev.sh"
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups \
    --inh-caps=-all,+net_raw --ambient-caps=+net_raw"
why="no privilege to load eBPF programs: they need CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN; missing: CAP_BPF CAP_PERFMON CAP_SYS_ADMIN"

snmpd_start "$tmp"
check "as root, the kernel source would run (tcpsleuthd -n says nothing of it)" \
    sh -c "'$TCPSLEUTHD' -n 2>&1 | grep -vq 'would not run'"
$nobody "$TCPSLEUTHD" -n >"$tmp/n" 2>&1
is "$(cat "$tmp/n")" "tcpsleuthd: kernel events would not run (pcap only): $why
tcpsleuthd: configuration OK" "-n as a user with CAP_NET_RAW only: pcap only, and why"
$nobody "$TCPSLEUTHD" -n --kernel-events yes >"$tmp/n" 2>&1
rc=$?
is "$rc $(cat "$tmp/n")" "1 tcpsleuthd: kernel-events = yes: $why" \
    "-n with kernel-events = yes: fails, and why"
$nobody "$TCPSLEUTHD" -f -x "$tmp/agentx.sock" --kernel-events yes \
    --control-socket "" >"$tmp/yes" 2>&1
rc=$?
is "$rc" 1 "a start with kernel-events = yes fails without the privilege"
is "$(cat "$tmp/yes")" "tcpsleuthd: kernel-events = yes: $why" \
    "...saying why, before it loads anything"

# pcap_counts WHO: 4 refusals of 127.0.0.1:7211 counted exactly, no kernel
# column, no caller; the source unavailable, and why.
pcap_counts() {
	"$TCPPROBE" connect 127.0.0.1 7211 -n 4 >/dev/null
	check "$1: the capture counts 4 refusals" \
	    wait_for 10 kcol_is EpRefused 127.0.0.1 7211 4
	is "$(kcol EpFailures 127.0.0.1 7211)" 4 "$1: ...4 failures"
	is "$(kcol EpLastCaller 127.0.0.1 7211)$(kcol EpKernelAttempts 127.0.0.1 7211)" "" \
	    "$1: ...and no kernel column"
	is "$(callers 127.0.0.1 7211 CallerComm)" "" "$1: ...nor caller"
	is "$(kernel KernelState)" 3 "$1: tcpsleuthKernelState unavailable(3)"
	is "$(kernel KernelReason)" "$why" "$1: ...the reason names the capabilities"
	is "$(for i in 1 2 3 4 5; do get "$(mib KprogState).$i"; done | tr '\n' ' ')" "2 2 2 2 3 " \
	    "$1: each program failed(2), connect-errors disabled(3) (kernel-connect-errors = no)"
	is "$(get "$(mib KprogErrno).1") $(get "$(mib KprogError).1")" \
	    "1 Operation not permitted (EPERM) at load" "$1: ...with its errno"
	is "$(grep -c 'not loaded: Operation not permitted (EPERM)' "$tmp/sleuthd.log")" 4 \
	    "$1: one log line per program, with its errno"
}

capsh --drop=cap_bpf,cap_perfmon,cap_sys_admin -- -c "exec '$TCPSLEUTHD' -f \
    -x '$tmp/agentx.sock' --publish-interval 0.2 --poll-interval 0.2 \
    --control-socket '$tmp/control.root'" \
    >"$tmp/sleuthd.log" 2>&1 &
SLEUTHD_PID=$!
check "root without cap_bpf, cap_perfmon, cap_sys_admin: it starts and captures" \
    wait_for 10 capturing
pcap_counts "root, capabilities dropped"
sleuthd_stop

$nobody "$TCPSLEUTHD" -f -x "$tmp/agentx.sock" --publish-interval 0.2 \
    --poll-interval 0.2 --control-socket "" >"$tmp/sleuthd.log" 2>&1 &
SLEUTHD_PID=$!
check "a user keeping CAP_NET_RAW only: it starts and captures" wait_for 10 capturing
is "$(awk '/^Uid:/ { print $2 }' /proc/$SLEUTHD_PID/status)" 65534 "...as nobody"
pcap_counts "CAP_NET_RAW only"
sleuthd_stop

check "kernel-events = no" sleuthd_start "$tmp" --kernel-events no
is "$(kernel KernelState) $(kernel KernelReason)" "4 off (kernel-events = no)" \
    "...tcpsleuthKernelState disabled(4), and why"
is "$(for i in 1 2 3 4 5; do get "$(mib KprogState).$i"; done | tr '\n' ' ')" "3 3 3 3 3 " \
    "...every program disabled(3)"
done_testing
