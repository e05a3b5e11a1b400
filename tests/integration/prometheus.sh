#!/bin/sh
# prometheus.sh - Prometheus for real: Debian 12's prometheus 2.42
# scrapes prometheus-snmp-exporter 0.21 (contrib/prometheus/snmp.yml),
# which walks a private snmpd with tcpsleuthd as its subagent, and
# evaluates contrib/prometheus/tcpsleuth.rules.yml.  The test's copy of
# the rules is generated from the shipped file, with only the holds
# (for:) and range windows shortened.  Two jobs scrape the agent, one per
# module of snmp.yml (tcpsleuth: the whole endpoint table; tcpsleuth_top:
# the bounded view).  In the seed scenario the endpoint alert fires in
# /api/v1/alerts from each, with the endpoint's labels, and is gone once
# the client stops.  Everything runs in the test's own network
# namespace with its state in $tmp.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
EXPORTER=$(command -v prometheus-snmp-exporter)
PROMETHEUS=$(command -v prometheus)
[ -n "$EXPORTER" ] || skip_all "needs prometheus-snmp-exporter (Debian package)"
[ -n "$PROMETHEUS" ] || skip_all "needs prometheus (Debian package)"
for t in curl jq python3; do
	command -v $t >/dev/null || skip_all "needs $t"
done
python3 -c 'import yaml' 2>/dev/null || skip_all "needs python3-yaml"
agent_test "$@"
epid= ppid= cpid=
test_cleanup() {
	for p in $cpid $ppid $epid; do kill "$p" 2>/dev/null; done
	for p in $cpid $ppid $epid; do wait "$p" 2>/dev/null; done
}
EXP=127.0.0.1:9116
PROM=127.0.0.1:9090
HOLD=3s		# every for: in the test's copy of the rules
WINDOW=20s	# every range selector ([5m]) in it

# The test's rules: the shipped file with test-length holds and windows.
python3 - "$TOP_SRCDIR/contrib/prometheus/tcpsleuth.rules.yml" "$HOLD" "$WINDOW" \
    >"$tmp/rules.yml" <<'PY'
import re, sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
for g in doc["groups"]:
    for r in g["rules"]:
        if "for" in r:
            r["for"] = sys.argv[2]
        r["expr"] = re.sub(r"\[[0-9]+[smhdwy]\]", "[%s]" % sys.argv[3], r["expr"])
yaml.safe_dump(doc, sys.stdout, sort_keys=False)
PY
check "the test's rules are the shipped rules with ${HOLD} holds" \
    sh -c "promtool check rules '$tmp/rules.yml' >/dev/null"
nrules=$(grep -c '^ *- alert:' "$TOP_SRCDIR/contrib/prometheus/tcpsleuth.rules.yml")

snmpd_start "$tmp"
check "tcpsleuthd registered with the private snmpd" \
    sleuthd_start "$tmp" --windows 6,12,18
sed "s/1\.3\.6\.1\.4\.1\.32473/$TCPSLEUTH_OID/g" \
    "$TOP_SRCDIR/contrib/prometheus/snmp.yml" >"$tmp/snmp.yml"
"$EXPORTER" --config.file="$tmp/snmp.yml" --web.listen-address=$EXP \
    >"$tmp/exporter.log" 2>&1 &
epid=$!
cat >"$tmp/prometheus.yml" <<CONF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files: [$tmp/rules.yml]
scrape_configs:
CONF
for m in tcpsleuth tcpsleuth_top; do
	cat >>"$tmp/prometheus.yml" <<CONF
- job_name: $m
  metrics_path: /snmp
  params: {module: [$m]}
  static_configs:
  - targets: ['127.0.0.1:$SNMP_PORT']
  relabel_configs:
  - {source_labels: [__address__], target_label: __param_target}
  - {source_labels: [__param_target], target_label: instance}
  - {target_label: __address__, replacement: '$EXP'}
CONF
done
mkdir "$tmp/tsdb"
t0=$(date +%s%N)
"$PROMETHEUS" --config.file="$tmp/prometheus.yml" \
    --storage.tsdb.path="$tmp/tsdb" --web.listen-address=$PROM \
    >"$tmp/prometheus.log" 2>&1 &
ppid=$!

api() { curl -sf "http://$PROM/api/v1/$1"; }
ready() { curl -sf "http://$PROM/-/ready" >/dev/null; }
check "prometheus is ready" wait_for 30 ready
echo "# prometheus ready in $((($(date +%s%N) - t0) / 1000000)) ms"
target_up() { [ "$(api targets | jq -r '[.data.activeTargets[] | select(.health == "up")] | length')" = 2 ]; }
check "it scrapes tcpsleuthd through snmp_exporter, both modules (2 targets up)" wait_for 20 target_up
[ "$tap_failed" -eq 0 ] || { echo "Bail out! no Prometheus, exporter or agent"; exit 1; }
is "$(api rules | jq '[.data.groups[].rules[] | select(.type == "alerting")] | length')" \
    "$nrules" "it loaded all $nrules alerting rules"

# The seed: a client retries 127.0.0.1:7211 twice a second.
"$TCPPROBE" connect 127.0.0.1 7211 -n 0 -i 500 >/dev/null &
cpid=$!
t1=$(date +%s%N)
alerts() { api alerts >"$tmp/alerts.json" && cat "$tmp/alerts.json"; }
ep_alert() {	# ep_alert STATE JOB: the seed endpoint's alert from JOB is in STATE
	alerts | jq -e --arg s "$1" --arg j "$2" '.data.alerts[] | select(.labels.alertname == "TCPSleuthEndpointFailing"
	    and .labels.tcpsleuthEpAddress == "127.0.0.1" and .labels.tcpsleuthEpPort == "7211"
	    and (.labels.tcpsleuthEpName // .labels.tcpsleuthTopName) == "lo 127.0.0.1:7211"
	    and .labels.job == $j and .state == $s)' >/dev/null
}
check "TCPSleuthEndpointFailing for lo 127.0.0.1:7211 goes pending (module tcpsleuth)" \
    wait_for 20 ep_alert pending tcpsleuth
check "...then firing, after its ${HOLD} hold" wait_for 20 ep_alert firing tcpsleuth
check "...and from the bounded view too (module tcpsleuth_top)" wait_for 20 ep_alert firing tcpsleuth_top
echo "# firing $((($(date +%s%N) - t1) / 1000000)) ms after the client started"
jq -c '.data.alerts[] | select(.labels.alertname == "TCPSleuthEndpointFailing") | {labels, state, value}' \
    "$tmp/alerts.json" | sed 's/^/# /'
v=$(jq -r '.data.alerts[] | select(.labels.alertname == "TCPSleuthEndpointFailing" and .labels.tcpsleuthEpPort == "7211" and .labels.job == "tcpsleuth") | .value' "$tmp/alerts.json")
check "...its value is the endpoint's rate, about 2/s ($v)" \
    awk -v v="$v" 'BEGIN { exit !(v >= 1.5 && v <= 2.5) }'
for j in tcpsleuth tcpsleuth_top; do
	s=$(jq -r --arg j $j '.data.alerts[] | select(.labels.alertname == "TCPSleuthEndpointFailing" and .labels.tcpsleuthEpPort == "7211" and .labels.job == $j) | .annotations.summary' "$tmp/alerts.json")
	check "...its summary names the endpoint ($j: $s)" \
	    sh -c "echo '$s' | grep -q '^lo 127.0.0.1:7211 on 127.0.0.1:$SNMP_PORT: '"
done
for a in TCPSleuthNotCapturing TCPSleuthCaptureDrops TCPSleuthCoverageLow; do
	is "$(jq --arg a $a '[.data.alerts[] | select(.labels.alertname == $a)] | length' "$tmp/alerts.json")" \
	    0 "$a is not active (capture running, no drops)"
done

kill "$cpid"
wait "$cpid"
cpid=
t2=$(date +%s%N)
gone() { alerts | jq -e '[.data.alerts[] | select(.labels.alertname == "TCPSleuthEndpointFailing")] | length == 0' >/dev/null; }
check "after the client stops the alert is gone from /api/v1/alerts" wait_for 30 gone
echo "# gone $((($(date +%s%N) - t2) / 1000000)) ms after the client stopped"
done_testing
