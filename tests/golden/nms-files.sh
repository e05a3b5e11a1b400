#!/bin/sh
# nms-files.sh - the shipped monitoring integrations are well formed and
# every OID they poll is an object of TCPSLEUTH-MIB: the Zabbix 6.0
# template (YAML, uuids, discovery[] not walk[], triggers on its own
# items, intervals from macros, the trap item's expression), the
# LogicMonitor DataSources (XML in the layout of LogicMonitor's exports,
# Active Discovery on the name column of the bounded view or of the
# endpoint table, each datapoint on its object, the same in both) and
# the snmp_exporter modules and alerting rules.  The thresholds and hold
# the three NMS files share agree.  The servers themselves run in
# tests/integration/{zabbix,prometheus,logicmonitor}.sh.
. "$(dirname "$0")/../lib.sh"
: "${IETF_MIBS:=$TOP_SRCDIR/../shared/ietf-mibs}"
[ -f "$IETF_MIBS/SNMPv2-SMI.txt" ] || skip_all "IETF MIB modules missing from $IETF_MIBS (set IETF_MIBS)"
command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null ||
    skip_all "needs python3 with yaml (Debian package python3-yaml)"
command -v xmllint >/dev/null || skip_all "needs xmllint (Debian package libxml2-utils)"
command -v jq >/dev/null || skip_all "needs jq"
C=$TOP_SRCDIR/contrib
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# name of an OID in TCPSLEUTH-MIB, or nothing
mibname() {
	snmptranslate -M "+$IETF_MIBS:$TOP_BUILDDIR/mibs" -m TCPSLEUTH-MIB -Os \
	    ".$1" 2>/dev/null | grep '^tcpsleuth' | sed 's/\..*//'
}
oidfix() {	# the OID without a leading dot, instance or index, in this build's arc
	sed -e 's/^\.//' -e 's/\.{#SNMPINDEX}$//' -e 's/\.##WILDVALUE##$//' \
	    -e 's/\.0$//' -e "s/^1\.3\.6\.1\.4\.1\.32473/$TCPSLEUTH_OID/"
}
oids_in_mib() {	# oids_in_mib FILE-OF-OIDS: each names a TCPSLEUTH-MIB object
	bad=0
	while read -r o; do
		o=$(echo "$o" | oidfix)
		n=$(mibname "$o")
		[ -n "$n" ] || { echo "# not in TCPSLEUTH-MIB: $o"; bad=1; }
	done <"$1"
	return $bad
}
: "${TCPSLEUTH_OID:=1.3.6.1.4.1.32473}"

python3 - "$C/zabbix/tcpsleuth_template_zabbix6.yaml" >"$tmp/z.out" <<'PY'
import re, sys, yaml
d = yaml.safe_load(open(sys.argv[1]))["zabbix_export"]
ok = lambda c, m: print(("ok" if c else "FAIL"), m)
ok(d["version"] == "6.0", "version 6.0")
uuids = []
def walk(x):
    if isinstance(x, dict):
        if "uuid" in x: uuids.append(x["uuid"])
        for v in x.values(): walk(v)
    elif isinstance(x, list):
        for v in x: walk(v)
walk(d)
ok(all(re.fullmatch(r"[0-9a-f]{32}", u) for u in uuids) and len(set(uuids)) == len(uuids),
   "%d uuids, 32 hex digits, unique" % len(uuids))
t = d["templates"][0]
keys = [i["key"] for i in t["items"]]
rules = t["discovery_rules"]
protos = [p for r in rules for p in r["item_prototypes"]]
keys += [p["key"] for p in protos]
ok(len(set(keys)) == len(keys), "item keys unique")
ok(all(r["snmp_oid"].startswith("discovery[") for r in rules) and
   "walk[" not in open(sys.argv[1]).read(), "discovery[] used, no walk[] (Zabbix 6.0)")
trigs = [tr for i in t["items"] for tr in i.get("triggers", [])]
trigs += [tr for p in protos for tr in p.get("trigger_prototypes", [])]
trig = [tr["expression"] for tr in trigs]
refs = [m.group(1) for e in trig for m in re.finditer(r"/" + re.escape(t["template"]) + r"/([^,)]+)", e)]
ok(trig and all(r in keys for r in refs) and len(refs) >= len(trig),
   "triggers refer to the template's own items")
ok(not any(re.search(r"\{ITEM\.LASTVALUE\d*\}[/%A-Za-z]", tr["name"]) for tr in trigs),
   "trigger names add no unit after {ITEM.LASTVALUE} (it has the item's own)")
macros = {m["macro"]: m["value"] for m in t.get("macros", [])}
polled = [i for i in t["items"] + protos if i["type"] == "SNMP_AGENT"]
used = set(re.findall(r"\{\$[A-Z.]+\}", " ".join(trig) + " " +
    " ".join(str(x.get("delay", "")) + " " + str(x.get("lifetime", "")) for x in polled + rules)))
ok(used <= set(macros), "the macros triggers, intervals and lifetimes use are defined")
ok(all(i.get("delay") == "{$TCPSLEUTH.INTERVAL}" for i in polled) and
   all(r.get("delay") == "{$TCPSLEUTH.LLD.INTERVAL}" for r in rules),
   "every polled item and the discovery take their interval from a macro")
traps = [i for i in t["items"] if i["type"] == "SNMP_TRAP"]
ok(len(traps) == 1 and traps[0]["value_type"] == "LOG", "one SNMP trap item, of type log")
rx = re.match(r'snmptrap\["(.*)"\]$', traps[0]["key"]).group(1)
ours = [".1.3.6.1.6.3.1.1.4.1.0 .1.3.6.1.4.1.32473.0.1",
        "iso.3.6.1.6.3.1.1.4.1.0 iso.3.6.1.4.1.32473.0.2",
        "SNMPv2-MIB::snmpTrapOID.0 TCPSLEUTH-MIB::tcpsleuthEndpointRateHigh"]
others = [".1.3.6.1.6.3.1.1.4.1.0 .1.3.6.1.6.3.1.1.5.1",
          ".1.3.6.1.6.3.1.1.4.1.0 .1.3.6.1.4.1.8072.4.0.2"]
ok(all(re.search(rx, s) for s in ours) and not any(re.search(rx, s) for s in others),
   "the trap item matches tcpsleuth's notifications (numeric, iso., by name) and no others")
for i in polled:
    print("OID", i["snmp_oid"])
# Discovery's OIDs take the table's arc from {$TCPSLEUTH.LLD.TABLE}: the
# default (the bounded view) and 4 (every endpoint row) both give objects.
tables = {macros.get("{$TCPSLEUTH.LLD.TABLE}"), "4"}
ok(tables == {"16", "4"}, "discovery walks tcpsleuthTopTable (16) by default, tcpsleuthEpTable (4) by its macro")
for r in rules:
    for t in sorted(tables - {None}):
        for o in re.findall(r"[0-9]+(?:\.[0-9]+)+", r["snmp_oid"].replace("{$TCPSLEUTH.LLD.TABLE}", t)):
            print("OID", o)
print("EPWARN", macros["{$TCPSLEUTH.EP.RATE.WARN}"])
print("HOSTWARN", macros["{$TCPSLEUTH.HOST.RATE.WARN}"])
print("HOLD", macros["{$TCPSLEUTH.HOLD}"])
PY
while read -r st msg; do
	case $st in
	ok) ok 0 "zabbix: $msg" ;;
	FAIL) ok 1 "zabbix: $msg" ;;
	OID) echo "$msg" >>"$tmp/z.oids" ;;
	*) echo "$msg" >"$tmp/z.$st" ;;
	esac
done <"$tmp/z.out"
check "zabbix: all $(wc -l < "$tmp/z.oids") OIDs are TCPSLEUTH-MIB objects" oids_in_mib "$tmp/z.oids"

# The two DataSources: the bounded view (the default) and every row; the
# same datapoints, on tcpsleuthEpTable at the wildvalue (both tables have
# its index).
x() { xmllint --xpath "$1" "$L"; }
for d in TCPSleuth_TopEndpoints:tcpsleuthTopName TCPSleuth_Endpoints:tcpsleuthEpName; do
	L=$C/logicmonitor/${d%%:*}.xml
	lm="logicmonitor ${d%%:*}"
	check "$lm: well-formed XML" xmllint --noout "$L"
	is "$(x 'string(//entry/@type)')/$(x 'string(//entry/collector)')/$(x 'string(//entry/hasMultiInstances)')" \
	    predatasource/snmp/true "$lm: an SNMP DataSource with instances"
	is "$(x 'string(//entry/name)')" "${d%%:*}" "$lm: named as its file"
	is "$(x 'count(//entry/dataPoints) + count(//dataPoint)')" 0 \
	    "$lm: datapoints under <datapoints><datapoint>, as exports write them"
	is "$(x 'string(//entry/wildcardlinuxscript)')" ad_snmp "$lm: SNMP Active Discovery"
	ad=$(x 'string(//entry/wildcardlinuxcmdline)' | sed -n 's/.* oid="\([0-9.]*\)".*/\1/p')
	is "$(mibname "$(echo "$ad" | oidfix)")" "${d#*:}" \
	    "$lm: it walks ${d#*:} (the wildalias; the index is the wildvalue)"
	is "$(x 'string(//entry/adlist)' | jq -r '"\(.method) \(.params.type) \(.params.oid)"')" \
	    "ad_snmp value $ad" "$lm: adlist says the same (method, type value, OID)"
	x '//datapoint/userparam1/text()' | tr ' ' '\n' | grep . >"$tmp/l.oids"
	check "$lm: every datapoint polls OID.##WILDVALUE##" sh -c "! grep -v '##WILDVALUE##\$' '$tmp/l.oids'"
	check "$lm: all $(wc -l < "$tmp/l.oids") datapoint OIDs are TCPSLEUTH-MIB objects" oids_in_mib "$tmp/l.oids"
	dpobj() {	# dpobj DATAPOINT: the TCPSLEUTH-MIB object it polls
		mibname "$(x "string(//datapoint[name='$1']/userparam1)" | oidfix)"
	}
	bad=
	for m in FailureRate1:tcpsleuthEpRate1 Failures:tcpsleuthEpFailures \
	    Refused:tcpsleuthEpRefused Unreachable:tcpsleuthEpUnreachable \
	    TimedOut:tcpsleuthEpTimedOut HandshakeResets:tcpsleuthEpHandshakeResets \
	    Aborts:tcpsleuthEpAborts Listener:tcpsleuthEpListener; do
		[ "$(dpobj "${m%%:*}")" = "${m#*:}" ] || bad="$bad ${m%%:*}($(dpobj "${m%%:*}"))"
	done
	is "${bad:-none}" none "$lm: each datapoint polls the object its name says"
	x '//entry/datapoints' >"$tmp/${d%%:*}.dp"
done
check "logicmonitor: both DataSources have the same datapoints" \
    cmp -s "$tmp/TCPSleuth_TopEndpoints.dp" "$tmp/TCPSleuth_Endpoints.dp"
L=$C/logicmonitor/TCPSleuth_TopEndpoints.xml

python3 -c 'import sys, yaml
for m in yaml.safe_load(open(sys.argv[1])).values():
    for o in m["walk"] + m.get("get", []) + [x["oid"] for x in m["metrics"]]:
        print(o)
    for x in m["metrics"]:
        for l in x.get("lookups", []):
            if "oid" in l: print(l["oid"])' "$C/prometheus/snmp.yml" >"$tmp/p.oids"
check "snmp_exporter modules: all $(wc -l < "$tmp/p.oids") OIDs are TCPSLEUTH-MIB objects" oids_in_mib "$tmp/p.oids"
python3 -c 'import sys, yaml
for n, m in yaml.safe_load(open(sys.argv[1])).items():
    walked = set(m["walk"]) | {g[:-2] for g in m.get("get", []) if g.endswith(".0")}
    for x in m["metrics"]:
        for o in [x["oid"]] + [l["oid"] for l in x.get("lookups", [])]:
            if not any(o == w or o.startswith(w + ".") for w in walked): print(n, o)' "$C/prometheus/snmp.yml" >"$tmp/p.unwalked"
is "$(cat "$tmp/p.unwalked")" "" "snmp_exporter modules walk (or get) every metric and lookup they use"
python3 - "$C/prometheus/snmp.yml" "$C/prometheus/tcpsleuth.rules.yml" >"$tmp/r.out" <<'PY'
import re, sys, yaml
names = {x["name"] for m in yaml.safe_load(open(sys.argv[1])).values() for x in m["metrics"]}
rules = {r["alert"]: r for g in yaml.safe_load(open(sys.argv[2]))["groups"] for r in g["rules"]}
used = {n for r in rules.values() for n in re.findall(r"\btcpsleuth[A-Za-z0-9]+", r["expr"])}
print("ok" if used <= names else "FAIL", "every metric the rules use is in snmp.yml (%s)"
      % (" ".join(sorted(used - names)) or "all %d" % len(used)))
thr = lambda a: re.search(r"> *([0-9.]+)\s*$", rules[a]["expr"]).group(1)
print("EPWARN", thr("TCPSleuthEndpointFailing"))
print("HOSTWARN", thr("TCPSleuthHostAttemptFails"))
print("HOLD", rules["TCPSleuthEndpointFailing"]["for"], rules["TCPSleuthHostAttemptFails"]["for"])
PY
while read -r st msg; do
	case $st in
	ok) ok 0 "prometheus rules: $msg" ;;
	FAIL) ok 1 "prometheus rules: $msg" ;;
	*) echo "$msg" >"$tmp/p.$st" ;;
	esac
done <"$tmp/r.out"

# One set of thresholds: endpoint 1/s, host 2/s, held 5 minutes.
num() { awk -v v="$1" -v d="${2:-1}" 'BEGIN { print v / d }'; }
secs() { case $1 in *m) echo $((${1%m} * 60)) ;; *s) echo "${1%s}" ;; *) echo "$1" ;; esac; }
lmwarn=$(x "string(//datapoint[name='FailureRate1']/alertexpr)" | awk '$1 == ">" { print $2 }')
lmhold=$(($(x "string(//datapoint[name='FailureRate1']/alertTransitionIval)") * $(x 'string(//entry/schedule)')))
is "$(num "$(cat "$tmp/z.EPWARN")")/$(num "$(cat "$tmp/p.EPWARN")")/$(num "$lmwarn" 1000)" 1/1/1 \
    "endpoint threshold agrees: zabbix, prometheus, logicmonitor (per second)"
is "$(num "$(cat "$tmp/z.HOSTWARN")")/$(num "$(cat "$tmp/p.HOSTWARN")")" 2/2 \
    "host AttemptFails threshold agrees: zabbix, prometheus"
set -- $(cat "$tmp/p.HOLD")
is "$(secs "$(cat "$tmp/z.HOLD")")/$(secs "$1")/$(secs "$2")/$lmhold" 300/300/300/300 \
    "hold agrees: zabbix, prometheus (both alerts), logicmonitor (transition polls x schedule)"
done_testing
