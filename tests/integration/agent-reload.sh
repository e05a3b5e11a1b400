#!/bin/sh
# agent-reload.sh - tcpsleuthd -c FILE and SIGHUP: the file's ignore list
# applies; a reload with new thresholds and without the ignore list takes
# effect without resetting counts; a bad file keeps the running
# configuration, says file:line, and the daemon keeps serving.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
command -v snmptrapd >/dev/null || skip_all "needs snmptrapd (Debian package snmptrapd)"
agent_test "$@"

cat >"$tmp/tcpsleuthd.conf" <<CONF
agentx-socket = "$tmp/agentx.sock"
control-socket = "$tmp/control"
publish-interval = 0.2
poll-interval = 0.2
windows = { 6, 12, 18 }
ignore-ports = { 7300 }     # a health check we do not want to see
alarm { rate = 100 hold = 1 }
CONF
snmptrapd_start "$tmp"
snmpd_start "$tmp"
"$TCPSLEUTHD" $SLEUTHD_KEV -f -c "$tmp/tcpsleuthd.conf" >"$tmp/sleuthd.log" 2>&1 &
SLEUTHD_PID=$!
check "tcpsleuthd -c FILE registers and captures" wait_for 10 capturing
"$TCPPROBE" connect 127.0.0.1 7211 -n 5 >/dev/null
"$TCPPROBE" connect 127.0.0.1 7300 -n 5 >/dev/null
check "5 refusals on 127.0.0.1:7211" wait_for 5 col_is 127.0.0.1 7211 15 5
is "$(col 127.0.0.1 7300 15)" "" "port 7300 is ignored: no row"

sed -i -e 's/^ignore-ports.*//' -e 's/rate = 100/rate = 1/' "$tmp/tcpsleuthd.conf"
kill -HUP "$SLEUTHD_PID"
check "SIGHUP: reloaded" wait_for 5 grep -q "reloaded" "$tmp/sleuthd.log"
check "...and in effect in the capture thread" wait_for 5 grep -q "reloaded configuration is in effect" "$tmp/sleuthd.log"
"$TCPPROBE" connect 127.0.0.1 7300 -n 3 >/dev/null
check "...port 7300 is counted now" wait_for 5 col_is 127.0.0.1 7300 15 3
"$TCPPROBE" connect 127.0.0.1 7211 -n 10 -i 100 >/dev/null
check "...7211's count went on from 5 (not reset): 15" wait_for 5 col_is 127.0.0.1 7211 15 15
high() { grep -q 'STRING: "lo 127.0.0.1:7211"' "$tmp/traps.log"; }
check "...and the new threshold (1/s) raised its alarm" wait_for 10 high

printf 'rows = 10\nbogus = 3\n' >"$tmp/tcpsleuthd.conf"
kill -HUP "$SLEUTHD_PID"
check "a bad file: the reload fails with file:line" wait_for 5 grep -q \
    "reload failed, keeping the running configuration: $tmp/tcpsleuthd.conf:2: unknown setting 'bogus'" "$tmp/sleuthd.log"
check "...tcpsleuthd still runs" kill -0 "$SLEUTHD_PID"
"$TCPPROBE" connect 127.0.0.1 7211 -n 1 >/dev/null
check "...and serves, counts intact (16)" wait_for 5 col_is 127.0.0.1 7211 15 16
sed 's/^/# /' "$tmp/sleuthd.log"
done_testing
