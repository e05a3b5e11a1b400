#!/bin/sh
# nms.sh - the shipped integrations against Debian 12's own programs:
# prometheus-snmp-exporter 0.21 with contrib/prometheus/snmp.yml scrapes the
# per-endpoint metrics of both modules (tcpsleuth: the whole endpoint
# table; tcpsleuth_top: the bounded view) with the index labels and the
# row's name, which reads "lo [::1]:7212" for an IPv6 row (the address
# index label reads as snmp_exporter prints it); the monitoring-plugins
# check_snmp (-P 2c, raw thousandths) says WARNING in the seed scenario
# and OK without it.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
EXPORTER=$(command -v prometheus-snmp-exporter)
CHECK_SNMP=/usr/lib/nagios/plugins/check_snmp
[ -n "$EXPORTER" ] || skip_all "needs prometheus-snmp-exporter (Debian package)"
[ -x "$CHECK_SNMP" ] || skip_all "needs check_snmp (Debian package monitoring-plugins-standard)"
command -v curl >/dev/null || skip_all "needs curl"
agent_test "$@"
epid= cpid= c6pid=
test_cleanup() { for p in $cpid $c6pid $epid; do kill "$p" 2>/dev/null; done; }

# The standalone agent: the exporter and check_snmp talk to it directly.
"$TCPSLEUTHD" $SLEUTHD_KEV -f --listen udp:127.0.0.1:$SNMP_PORT --community public \
    --windows 6,12,18 --publish-interval 0.2 --poll-interval 0.2 \
    --control-socket "$tmp/control" >"$tmp/sleuthd.log" 2>&1 &
SLEUTHD_PID=$!
check "tcpsleuthd answers and captures" wait_for 10 capturing
sed "s/1\.3\.6\.1\.4\.1\.32473/$TCPSLEUTH_OID/g" \
    "$TOP_SRCDIR/contrib/prometheus/snmp.yml" >"$tmp/snmp.yml"
"$EXPORTER" --config.file="$tmp/snmp.yml" \
    --web.listen-address=127.0.0.1:9116 >"$tmp/exporter.log" 2>&1 &
epid=$!
scrape() {	# scrape [MODULE]: its metrics in $tmp/metrics
	curl -sf "http://127.0.0.1:9116/snmp?target=127.0.0.1:$SNMP_PORT&module=${1:-tcpsleuth}" \
	    >"$tmp/metrics"
}
check "snmp_exporter 0.21 loads the module and scrapes" wait_for 10 scrape

wcheck() {	# wcheck: check_snmp on the host AttemptFails 1-minute rate
	"$CHECK_SNMP" -H 127.0.0.1 -p $SNMP_PORT -P 2c -C public \
	    -o .$TCPSLEUTH_OID.1.2.1.0 -w 1000 -c 50000 -l "AttemptFails milli/s" \
	    >"$tmp/check" 2>&1
	crc=$?
}
wcheck
is "$crc" 0 "check_snmp: OK without the seed ($(cat "$tmp/check" | cut -d'|' -f1))"

# The seed: a client retries 127.0.0.1:7211 twice a second.
"$TCPPROBE" connect 127.0.0.1 7211 -n 0 -i 500 >/dev/null &
cpid=$!
warned() { wcheck; [ "$crc" = 1 ]; }
check "check_snmp: WARNING in the seed scenario" wait_for 15 warned
echo "# $(cat "$tmp/check")"
ns=$(netns_ino)
labels="tcpsleuthEpAddress=\"127.0.0.1\",tcpsleuthEpName=\"lo 127.0.0.1:7211\",tcpsleuthEpNetns=\"$ns\",tcpsleuthEpPort=\"7211\""
rate_metric() {
	scrape && grep -q "^tcpsleuthEpRate1{$labels} [1-9][0-9]*\$" "$tmp/metrics"
}
check "snmp_exporter: tcpsleuthEpRate1 with the index labels and the row's name" \
    wait_for 10 rate_metric
grep '^tcpsleuthEp\(Rate1\|Refused\)\|^tcpsleuthHost' "$tmp/metrics" | sed 's/^/# /'

# An IPv6 row: its name label reads as tcpsleuthd prints it, in both modules.
"$TCPPROBE" connect ::1 7212 -n 0 -i 500 >/dev/null &
c6pid=$!
v6() {	# v6 MODULE METRIC NAMELABEL: the IPv6 row's series, with its name
	scrape "$1" && grep "^$2{" "$tmp/metrics" | grep -q "$3=\"lo \[::1\]:7212\"" &&
	    grep "^$2{.*$3=\"lo \[::1\]:7212\"" "$tmp/metrics" >"$tmp/v6.$1"
}
check "module tcpsleuth: the IPv6 row's tcpsleuthEpRate1 is labelled tcpsleuthEpName=\"lo [::1]:7212\"" \
    wait_for 15 v6 tcpsleuth tcpsleuthEpRate1 tcpsleuthEpName
sed 's/^/# /' "$tmp/v6.tcpsleuth"
check "module tcpsleuth_top: the IPv6 row's tcpsleuthTopRate1 is labelled tcpsleuthTopName=\"lo [::1]:7212\"" \
    wait_for 15 v6 tcpsleuth_top tcpsleuthTopRate1 tcpsleuthTopName
sed 's/^/# /' "$tmp/v6.tcpsleuth_top"
scrape tcpsleuth_top
# (the two clients' rows; a scrape refused while the exporter started under
# load adds the exporter's port, failing too)
is "$(grep '^tcpsleuthTopRank{' "$tmp/metrics" |
    grep -c 'tcpsleuthTopName="lo \(127\.0\.0\.1:7211\|\[::1\]:7212\)"')" 2 \
    "module tcpsleuth_top: both failing rows, ranked (tcpsleuthTopRank)"
grep '^tcpsleuthTopRank{' "$tmp/metrics" | sed 's/^/# /'
check "...with the summary scalars (tcpsleuthHostAttemptFailsRate1, tcpsleuthCaptureState)" \
    sh -c "grep -q '^tcpsleuthHostAttemptFailsRate1 ' '$tmp/metrics' && grep -q '^tcpsleuthCaptureState ' '$tmp/metrics'"
kill "$c6pid"
wait "$c6pid"
c6pid=
kill "$cpid"
wait "$cpid"
cpid=
n=$(col 127.0.0.1 7211 15)
scrape
is "$(sed -n "s/^tcpsleuthEpRefused{$labels} //p" "$tmp/metrics")" \
    "$n" "snmp_exporter: tcpsleuthEpRefused is the agent's exact count ($n)"
ok_again() { wcheck; [ "$crc" = 0 ]; }
check "check_snmp: OK again once the client stopped (6 s windows)" wait_for 20 ok_again
done_testing
