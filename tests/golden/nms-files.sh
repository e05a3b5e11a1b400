#!/bin/sh
# nms-files.sh - the shipped monitoring integrations are well formed and
# every OID they poll is an object of TCPSLEUTH-MIB: the Zabbix 6.0
# template (YAML, uuids, discovery[] not walk[], triggers on its own
# items), the LogicMonitor DataSource (XML, Active Discovery on the name
# column, index as wildvalue) and the snmp_exporter module.
. "$(dirname "$0")/../lib.sh"
: "${IETF_MIBS:=$TOP_SRCDIR/../shared/ietf-mibs}"
[ -f "$IETF_MIBS/SNMPv2-SMI.txt" ] || skip_all "IETF MIB modules missing from $IETF_MIBS (set IETF_MIBS)"
command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null ||
    skip_all "needs python3 with yaml (Debian package python3-yaml)"
command -v xmllint >/dev/null || skip_all "needs xmllint (Debian package libxml2-utils)"
C=$TOP_SRCDIR/contrib
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# name of an OID in TCPSLEUTH-MIB, or nothing
mibname() {
	snmptranslate -M "+$IETF_MIBS:$TOP_BUILDDIR/mibs" -m TCPSLEUTH-MIB -Os \
	    ".$1" 2>/dev/null | grep '^tcpsleuth' | sed 's/\..*//'
}
oids_in_mib() {	# oids_in_mib FILE-OF-OIDS: each names a TCPSLEUTH-MIB object
	bad=0
	while read -r o; do
		o=$(echo "$o" | sed -e 's/\.{#SNMPINDEX}$//' -e 's/\.##WILDVALUE##$//' \
		    -e 's/\.0$//' -e "s/^1\.3\.6\.1\.4\.1\.32473/$TCPSLEUTH_OID/")
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
trig = [tr["expression"] for i in t["items"] for tr in i.get("triggers", [])]
trig += [tr["expression"] for p in protos for tr in p.get("trigger_prototypes", [])]
refs = [m.group(1) for e in trig for m in re.finditer(r"/" + re.escape(t["template"]) + r"/([^,)]+)", e)]
ok(trig and all(r in keys for r in refs) and len(refs) >= len(trig),
   "triggers refer to the template's own items")
macros = {m["macro"] for m in t.get("macros", [])}
used = set(re.findall(r"\{\$[A-Z.]+\}", " ".join(trig)))
ok(used <= macros, "trigger macros are defined")
for i in t["items"] + protos:
    print("OID", i["snmp_oid"])
for r in rules:
    for o in re.findall(r"[0-9]+(?:\.[0-9]+)+", r["snmp_oid"]):
        print("OID", o)
PY
while read -r st msg; do
	case $st in
	ok) ok 0 "zabbix: $msg" ;;
	FAIL) ok 1 "zabbix: $msg" ;;
	OID) echo "$msg" >>"$tmp/z.oids" ;;
	esac
done <"$tmp/z.out"
check "zabbix: all $(wc -l < "$tmp/z.oids") OIDs are TCPSLEUTH-MIB objects" oids_in_mib "$tmp/z.oids"

L=$C/logicmonitor/TCPSleuth_Endpoints.xml
check "logicmonitor: well-formed XML" xmllint --noout "$L"
is "$(xmllint --xpath 'string(//entry/hasMultiInstances)' "$L")" true "logicmonitor: multi-instance"
is "$(xmllint --xpath 'string(//entry/wildcardlinuxscript)' "$L")" ad_snmp "logicmonitor: SNMP Active Discovery"
ad=$(xmllint --xpath 'string(//entry/wildcardlinuxcmdline)' "$L" | sed 's/.*oid="\([0-9.]*\)".*/\1/')
is "$(mibname "$(echo "$ad" | sed "s/^1\.3\.6\.1\.4\.1\.32473/$TCPSLEUTH_OID/")")" tcpsleuthEpName \
    "logicmonitor: it walks tcpsleuthEpName (the wildalias; the index is the wildvalue)"
xmllint --xpath '//dataPoint/userparam1/text()' "$L" | tr ' ' '\n' | grep . >"$tmp/l.oids"
check "logicmonitor: every datapoint polls OID.##WILDVALUE##" sh -c "! grep -v '##WILDVALUE##\$' '$tmp/l.oids'"
check "logicmonitor: all $(wc -l < "$tmp/l.oids") datapoint OIDs are TCPSLEUTH-MIB objects" oids_in_mib "$tmp/l.oids"

python3 -c 'import sys, yaml
m = yaml.safe_load(open(sys.argv[1]))["tcpsleuth"]
for o in m["walk"] + m["get"] + [x["oid"] for x in m["metrics"]]:
    print(o)
for x in m["metrics"]:
    for l in x.get("lookups", []):
        if "oid" in l: print(l["oid"])' "$C/prometheus/snmp.yml" >"$tmp/p.oids"
check "snmp_exporter module: all $(wc -l < "$tmp/p.oids") OIDs are TCPSLEUTH-MIB objects" oids_in_mib "$tmp/p.oids"
done_testing
