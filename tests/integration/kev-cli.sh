#!/bin/sh
# kev-cli.sh - tcpsleuth -i runs the kernel event source for its own
# network namespace when it may: the JSON report's rows name their callers
# (pid, comm, exact counts), the errnos and the last listener; the text
# table has LAST CALLER and KERNEL ERRNO columns; without the privilege
# the report says the source is unavailable and why, and counts as the
# capture alone does.
. "$(dirname "$0")/../lib.sh"
need_root
need jq setpriv
enter_netns
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$TOP_SRCDIR/tests/kev.sh"

# live ARGS...: tcpsleuth -i lo ARGS for 4 s into $tmp/out, while
# santaba listens on 7211 and exits and lm-collector calls it three times.
live() {
	: >"$tmp/err"
	"$TCPSLEUTH" -i lo -d 4 -q "$@" >"$tmp/out" 2>"$tmp/err" &
	_lp=$!
	wait_for 10 grep -q "capturing on lo" "$tmp/err"
	"$TCPPROBE" listen 127.0.0.1 7211 -n 1 -c santaba >/dev/null &
	sl=$!
	wait_for 5 sh -c 'ss -Hltn "sport = :7211" | grep -q .'
	"$TCPPROBE" connect 127.0.0.1 7211 -n 1 >/dev/null
	wait $sl
	lc=$(probe connect 127.0.0.1 7211 -n 3 -c lm-collector)
	wait $_lp
}

live --json
state=$(jq -r .kernel.state "$tmp/out")
case $state in
running|partial) ;;
*) skip_all "kernel events do not run here: $(jq -r .kernel.reason "$tmp/out")" ;;
esac
row='.endpoints[] | select(.endpoint == "127.0.0.1:7211") | .kernel'
is "$(jq -r "$row | [.attempts, .errno.ECONNREFUSED, .reasons.refused, .kernel_only] | join(\" \")" "$tmp/out")" \
    "3 3 3 0" "JSON: 3 attempts, ECONNREFUSED by a RST, none the kernel's alone"
is "$(jq -r "$row | .callers | map(.comm + \" \" + (.pid | tostring) + \" \" + (.attempts | tostring)) | join(\",\")" "$tmp/out")" \
    "lm-collector $lc 3" "JSON: the caller, its pid and attempts"
is "$(jq -r "$row | .last_caller.line" "$tmp/out")" "pid $lc lm-collector" "JSON: the last caller's line"
is "$(jq -r "$row | [.last_listener.comm, .last_listener.listening] | join(\" \")" "$tmp/out")" \
    "santaba false" "JSON: the last listener, santaba, stopped"
is "$(jq -r '.endpoints[] | select(.endpoint == "127.0.0.1:7211") | .counts.refused' "$tmp/out")" 3 \
    "JSON: the capture's 3 refusals, one per attempt (the kernel's add none)"
is "$(jq -r '.kernel.ring_full + .kernel.syn_map_full + .kernel.bad_records' "$tmp/out")" 0 \
    "JSON: no record lost"

live --width 0
check "text: the kernel events line" grep -q "^kernel events: $state: " "$tmp/out"
check "text: LAST CALLER and KERNEL ERRNO columns" grep -q "LAST CALLER *KERNEL ERRNO *LAST LISTENER" "$tmp/out"
check "text: the row names its caller, errno and last listener" \
    grep -q "^127\.0\.0\.1:7211 .* pid $lc lm-collector *ECONNREFUSED 3 *pid $sl santaba (stopped" "$tmp/out"

# Without the privilege: the capture alone, saying so.
chmod 755 "$tmp"
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all,+net_raw \
    --ambient-caps=+net_raw "$TCPSLEUTH" -i lo -d 3 -q --json \
    >"$tmp/user" 2>"$tmp/uerr" &
up=$!
wait_for 10 grep -q "capturing on lo" "$tmp/uerr"
"$TCPPROBE" connect 127.0.0.1 7211 -n 2 >/dev/null
wait $up
is "$(jq -r '.kernel.state + ": " + .kernel.reason' "$tmp/user")" \
    "unavailable: no privilege to load eBPF programs: they need CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN; missing: CAP_BPF CAP_PERFMON CAP_SYS_ADMIN" \
    "a user with CAP_NET_RAW only: unavailable, and why"
is "$(jq -r '.endpoints[] | select(.endpoint == "127.0.0.1:7211") | [.failures, (.kernel == null)] | join(" ")' "$tmp/user")" \
    "2 true" "...its 2 refusals counted by the capture, no kernel view of the row"
is "$(grep -c 'not loaded' "$tmp/uerr")" 0 "...without a line per program (not tried)"
done_testing
