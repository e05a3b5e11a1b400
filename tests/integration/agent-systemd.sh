#!/bin/sh
# agent-systemd.sh - operators' glue: sd_notify readiness, watchdog pings,
# reload and stop notices (to a stand-in notification socket); the
# systemd unit passes systemd-analyze verify; the snmpd.conf.d snippet
# works with Debian's own snmpd.conf, snmpd as Debian-snmp.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
: "${NOTIFYSOCK:=$TOP_BUILDDIR/tests/tools/notifysock}"
agent_test "$@"
npid=
test_cleanup() { [ -z "$npid" ] || kill "$npid" 2>/dev/null; }

"$NOTIFYSOCK" "$tmp/notify" >"$tmp/notes" &
npid=$!
wait_for 5 grep -q listening "$tmp/notes"
snmpd_start "$tmp"
NOTIFY_SOCKET=$tmp/notify WATCHDOG_USEC=400000 "$TCPSLEUTHD" $SLEUTHD_KEV -f \
    -x "$tmp/agentx.sock" --publish-interval 0.1 --control-socket "$tmp/control" \
    >"$tmp/sleuthd.log" 2>&1 &
SLEUTHD_PID=$!
check "READY=1 once serving" wait_for 10 grep -q "^READY=1" "$tmp/notes"
wd() { [ "$(grep -c '^WATCHDOG=1' "$tmp/notes")" -ge 4 ]; }
check "watchdog pinged at half the 0.4 s interval" wait_for 5 wd
kill -HUP "$SLEUTHD_PID"
reload() { grep -q '^RELOADING=1' "$tmp/notes" && [ "$(grep -c '^READY=1' "$tmp/notes")" -ge 2 ]; }
check "SIGHUP: RELOADING=1 then READY=1" wait_for 5 reload
# SIGUSR1: the table in the log, for a look without SNMP.
"$TCPPROBE" connect 127.0.0.1 7211 -n 2 >/dev/null
"$TCPPROBE" connect ::1 7211 -n 1 >/dev/null
wait_for 5 col_is 127.0.0.1 7211 15 2
wait_for 5 col_is ::1 7211 15 1
kill -USR1 "$SLEUTHD_PID"
check "SIGUSR1 logs the table" wait_for 5 grep -q "row: lo 127.0.0.1:7211 local failures 2 (refused 2" "$tmp/sleuthd.log"
check "SIGUSR1: an IPv6 peer in brackets, [::1]:port" \
    grep -q "row: lo \[::1\]:7211 local failures 1 .*, last peer \[::1\]:[0-9]*$" "$tmp/sleuthd.log"
grep "table:\|row:" "$tmp/sleuthd.log" | sed 's/^/# /'
sleuthd_stop
check "SIGTERM: STOPPING=1" grep -q '^STOPPING=1' "$tmp/notes"

# The unit, with its binary path pointed at this build.
if command -v systemd-analyze >/dev/null; then
	sed -e "s|/usr/sbin/tcpsleuthd|$TCPSLEUTHD|g" -e 's/^User=.*/User=nobody/' \
	    -e 's/^Group=.*/Group=nogroup/' "$TOP_SRCDIR/contrib/tcpsleuthd.service" \
	    >"$tmp/tcpsleuthd.service"
	out=$(systemd-analyze verify "$tmp/tcpsleuthd.service" 2>&1 |
	    grep -v -i -e 'systemd is not running' -e 'bus' -e 'snmpd.service' \
	    -e 'Special user nobody' -e "Command 'man ")
	is "$out" "" "systemd-analyze verify: the unit is clean"
else
	ok 1 "systemd-analyze not installed (Debian package systemd)"
fi
# (Its capabilities and system calls: tests/unit/test_privs.)
for d in Type=notify WatchdogSec= NoNewPrivileges=yes ProtectSystem=strict; do
	check "the unit sets $d" grep -q "^$d" "$TOP_SRCDIR/contrib/tcpsleuthd.service"
done
# The SNMP process's seccomp allow-list (doc/security.md) is within
# @system-service, which the unit grants both processes.
if command -v systemd-analyze >/dev/null; then
	expand() {	# expand @GROUP: its calls, nested groups expanded
		systemd-analyze syscall-filter "$1" 2>/dev/null | awk 'NR > 1 && NF { print $1 }' |
		    while read -r c; do
			case $c in @*) expand "$c" ;; *) echo "$c" ;; esac
		done
	}
	expand @system-service | sort -u >"$tmp/service"
	sed -n '/^System calls the SNMP process may make/,/^$/p' "$TOP_SRCDIR/doc/security.md" |
	    sed 's/^[^:]*://' | grep -o '`[a-z_0-9]*`' | tr -d '`' | sort -u >"$tmp/allowed"
	check "the SNMP process's allow-list is listed ($(wc -l <"$tmp/allowed") calls)" \
	    [ "$(wc -l <"$tmp/allowed")" -gt 50 ]
	is "$(comm -23 "$tmp/allowed" "$tmp/service" | tr '\n' ' ')" "" \
	    "...and within @system-service ($(wc -l <"$tmp/service") calls)"
fi

# Debian's snmpd.conf plus the snippet, snmpd as Debian-snmp like Debian
# runs it, tcpsleuthd as nobody (group nogroup stands for tcpsleuth).
if [ -f /etc/snmp/snmpd.conf ] && getent passwd Debian-snmp >/dev/null; then
	snmpd_stop
	mkdir -p "$tmp/deb/conf.d" "$tmp/deb/agentx"
	sed -e "s|^agentaddress.*|agentaddress udp:127.0.0.1:$SNMP_PORT|" \
	    -e "s|^includeDir.*|includeDir $tmp/deb/conf.d|" /etc/snmp/snmpd.conf \
	    >"$tmp/deb/snmpd.conf"
	grep -q '^includeDir' "$tmp/deb/snmpd.conf" ||
	    echo "includeDir $tmp/deb/conf.d" >>"$tmp/deb/snmpd.conf"
	sed -e "s|/var/agentx/master|$tmp/deb/agentx/master|" \
	    -e 's/ tcpsleuth$/ nogroup/' -e "s/32473/$(echo $TCPSLEUTH_OID | sed 's/^1\.3\.6\.1\.4\.1\.//')/" \
	    "$TOP_SRCDIR/contrib/snmpd.conf.d-tcpsleuth.conf" >"$tmp/deb/conf.d/tcpsleuth.conf"
	chown -R Debian-snmp "$tmp/deb"
	SNMP_PERSISTENT_DIR="$tmp/deb" MIBS= snmpd -f -C -c "$tmp/deb/snmpd.conf" \
	    -u Debian-snmp -g Debian-snmp -Lf "$tmp/deb/snmpd.log" &
	SNMPD_PID=$!
	check "Debian's snmpd.conf with the snippet: snmpd answers" wait_for 10 registered_master
	"$TCPSLEUTHD" $SLEUTHD_KEV -f -u nobody -x "$tmp/deb/agentx/master" --publish-interval 0.2 \
	    --control-socket "$tmp/control2" >"$tmp/sleuthd2.log" 2>&1 &
	SLEUTHD_PID=$!
	check "tcpsleuthd (as nobody) reaches the socket and captures" wait_for 10 capturing
	"$TCPPROBE" connect 127.0.0.1 7211 -n 3 >/dev/null
	check "rocommunity public sees the endpoint table through the view" \
	    wait_for 5 col_is 127.0.0.1 7211 15 3
	sed 's/^/# /' "$tmp/sleuthd2.log" | head -5
else
	ok 1 "Debian's /etc/snmp/snmpd.conf or user Debian-snmp missing (package snmpd)"
fi
done_testing
