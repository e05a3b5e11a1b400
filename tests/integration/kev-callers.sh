#!/bin/sh
# kev-callers.sh - the kernel event source names who calls a closed port:
# a process whose comm is lm-collector (prctl) retrying 127.0.0.1:7211 and
# [::1]:7211 is named with its pid and exact counts; a second program is a
# second caller; lm-collector restarted (a new pid) is the same caller; a
# process moved into a cgroup this test makes is named by that cgroup.
. "$(dirname "$0")/../lib.sh"
need_root
enter_netns
tmp=$(mktemp -d)
cg=
cleanup() {
	kev_stop
	[ -n "$cg" ] && rmdir "$cg" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$TOP_SRCDIR/tests/kev.sh"
kev_start

p1=$(probe connect 127.0.0.1 7211 ::1 7211 -n 5 -c lm-collector)
p2=$(probe connect 127.0.0.1 7211 -n 3 -c poller)
p3=$(probe connect 127.0.0.1 7211 ::1 7211 -n 4 -c lm-collector)
mnt=$(kev_cgroup2)
if [ -n "$mnt" ] && mkdir "$mnt/tcpsleuth-kev-$$" 2>/dev/null; then
	cg=$mnt/tcpsleuth-kev-$$
	"$TCPPROBE" connect 127.0.0.1 7212 -n 2 -c jobrunner -g "$cg" >/dev/null
fi

is "$(kev_events '.comm == "lm-collector" and .pid == '$p1' and .dport == 7211 and .daddr == "127.0.0.1"')" 5 \
    "records: 5 refusals of 127.0.0.1:7211 by lm-collector, its pid"
is "$(kev_events '.comm == "lm-collector" and .pid == '$p1' and .dport == 7211 and .daddr == "::1"')" 5 \
    "records: 5 of [::1]:7211 by the same pid"
n=21
[ -n "$cg" ] && n=23
is "$(kev_events '.type == "connect-fail" and .reason == "refused" and (.flags | index("rst")) != null and .attemptfails')" $n \
    "every refusal: ECONNREFUSED with a RST, counted in AttemptFails"

kev_tables
is "$(kev_endpoint 127.0.0.1 7211 .total)" 12 "127.0.0.1:7211: 12 attempts"
is "$(kev_endpoint 127.0.0.1 7211 '[.callers[] | .comm + " " + (.count | tostring)] | join(",")')" \
    "lm-collector 9,poller 3" "127.0.0.1:7211: lm-collector (restarted) is one caller of 9, poller a second of 3"
is "$(kev_endpoint 127.0.0.1 7211 '.callers[0].pid')" "$p3" \
    "the caller shows its last pid"
is "$(kev_endpoint 127.0.0.1 7211 '.other + .unknown')" 0 "no other or unknown callers"
is "$(kev_endpoint ::1 7211 '[.callers[] | .comm + " " + (.count | tostring)] | join(",")')" \
    "lm-collector 9" "[::1]:7211: lm-collector, 9"
is "$(kev_endpoint ::1 7211 '.last_caller.line')" "pid $p3 lm-collector" \
    "[::1]:7211: the last caller's line"
is "$(kev_endpoint 127.0.0.1 7211 '.reasons.refused')" 12 "127.0.0.1:7211: 12 refused (RST)"
if [ -n "$cg" ]; then
	is "$(kev_endpoint 127.0.0.1 7212 '.callers[0].cgroup')" "/tcpsleuth-kev-$$" \
	    "a process moved into a cgroup is named by it"
	is "$(kev_endpoint 127.0.0.1 7212 '.callers[0].line')" \
	    "pid $(kev_endpoint 127.0.0.1 7212 '.callers[0].pid') jobrunner (/tcpsleuth-kev-$$)" \
	    "its line names the cgroup"
else
	ok 1 "no cgroup2 mount to make a cgroup in (mountinfo: $(grep -c cgroup2 /proc/self/mountinfo))"
fi
is "$(kev_losses)" 0 "no records lost"
done_testing
