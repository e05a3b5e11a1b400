#!/bin/sh
# agent-privs.sh - tcpsleuthd -u nobody: its capture process runs as
# that user with the privilege table's running capabilities alone
# (effective and permitted: CAP_NET_RAW, CAP_SYS_PTRACE and
# CAP_DAC_READ_SEARCH for the listeners' owners, CAP_SYS_ADMIN for the
# other namespaces, which --namespaces self drops; bounding set empty),
# still captures, and reopens a capture after its interface comes back.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
getent passwd nobody >/dev/null || skip_all "needs a user named nobody"
agent_test "$@"
test_cleanup() { ip link del tsd0 2>/dev/null; }

snmpd_start "$tmp"
ip link add tsd0 type veth peer name tsd1 && ip link set tsd0 up && ip link set tsd1 up
check "tcpsleuthd -u nobody starts and captures" sleuthd_start "$tmp" -u nobody \
    -i lo -i tsd0 --reopen-interval 0.3
st=/proc/$SLEUTHD_PID/status
is "$(awk '/^Uid:/ { print $2 "/" $3 "/" $4 }' $st)" 65534/65534/65534 "Uid: nobody (real, effective, saved)"
is "$(awk '/^CapEff:/ { print $2 }' $st)" 0000000000282004 \
    "CapEff: CAP_NET_RAW, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH, CAP_SYS_ADMIN only"
is "$(awk '/^CapPrm:/ { print $2 }' $st)" 0000000000282004 "CapPrm: the same"
is "$(awk '/^CapBnd:/ { print $2 }' $st)" 0000000000000000 "CapBnd: empty (nothing to regain through exec)"
is "$(awk '/^Groups:/ { print NF }' $st)" 1 "no supplementary groups"
"$TCPPROBE" connect 127.0.0.1 7211 -n 4 >/dev/null
check "it still captures: 4 refusals on 127.0.0.1:7211" wait_for 5 col_is 127.0.0.1 7211 15 4

# A named interface that goes away is reported, and reopened when it returns.
ip link del tsd0
not_running() { [ "$(get $MIB.1.3.1.0)" != 1 ]; }
check "the interface goes away: capture state is no longer running" wait_for 10 not_running
echo "# state $(get $MIB.1.3.1.0): $(get $MIB.1.3.3.0)"
ip link add tsd0 type veth peer name tsd1 && ip link set tsd0 up && ip link set tsd1 up
check "it comes back: reopened as nobody (CAP_NET_RAW)" wait_for 10 capturing
sleuthd_stop

# namespaces = self: CAP_NET_RAW and the listeners' two.
check "tcpsleuthd -u nobody --namespaces self starts and captures" \
    sleuthd_start "$tmp" -u nobody -i lo --namespaces self
st=/proc/$SLEUTHD_PID/status
is "$(awk '/^CapEff:/ { e = $2 } /^CapPrm:/ { p = $2 } END { print e "/" p }' $st)" \
    0000000000082004/0000000000082004 "CapEff, CapPrm: CAP_NET_RAW, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH only"
done_testing
