#!/bin/sh
# snmp-generator.sh - contrib/prometheus/snmp.yml is what the snmp_exporter
# generator (Debian 12's prometheus-snmp-generator, snmp_exporter 0.21)
# makes of contrib/prometheus/generator.yml and TCPSLEUTH-MIB as built,
# byte for byte (with this build's OID arc read as the default), and
# snmp_exporter 0.21 loads it.  The generator needs the IETF modules the
# MIB imports (IETF_MIBS, as for mib-lint.sh); they are only needed here.
. "$(dirname "$0")/../lib.sh"
: "${IETF_MIBS:=$TOP_SRCDIR/../shared/ietf-mibs}"
: "${TCPSLEUTH_OID:=1.3.6.1.4.1.32473}"
GEN=$(command -v prometheus-snmp-generator)
EXPORTER=$(command -v prometheus-snmp-exporter)
[ -n "$GEN" ] && [ -n "$EXPORTER" ] ||
    skip_all "needs prometheus-snmp-generator and -exporter (Debian package prometheus-snmp-exporter)"
command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null ||
    skip_all "needs python3 with yaml (Debian package python3-yaml)"
[ -f "$IETF_MIBS/SNMPv2-SMI.txt" ] || skip_all "IETF MIB modules missing from $IETF_MIBS (set IETF_MIBS)"
P=$TOP_SRCDIR/contrib/prometheus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cp "$P/generator.yml" "$tmp/"
(cd "$tmp" && MIBDIRS="$IETF_MIBS:$TOP_BUILDDIR/mibs" "$GEN" generate \
    --fail-on-parse-errors -o "$tmp/made.yml") >"$tmp/log" 2>&1
rc=$?
[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/log"
is "$rc" 0 "the generator reads generator.yml and TCPSLEUTH-MIB without a parse error"
sed "s/$(echo "$TCPSLEUTH_OID" | sed 's/\./\\./g')\./1.3.6.1.4.1.32473./g" \
    "$tmp/made.yml" >"$tmp/made-default.yml"
if cmp -s "$tmp/made-default.yml" "$P/snmp.yml"; then
	ok 0 "contrib/prometheus/snmp.yml is the generator's output"
else
	ok 1 "contrib/prometheus/snmp.yml is the generator's output (make it again as generator.yml says)"
	diff -u "$P/snmp.yml" "$tmp/made-default.yml" | head -20 | sed 's/^/# /'
fi
for m in $(sed -n 's/^  \(tcpsleuth[a-z_]*\):$/\1/p' "$P/generator.yml"); do
	check "module $m is in snmp.yml" grep -q "^$m:\$" "$P/snmp.yml"
done
check "snmp_exporter 0.21 loads it (--dry-run)" \
    sh -c '"$1" --dry-run --config.file="$2" 2>/dev/null' x "$EXPORTER" "$P/snmp.yml"
# Every table metric carries the row's name as a label (the first
# lookup; tcpsleuth_listeners adds the owner): a text column reads as
# tcpsleuthd prints it, where the address index label of an IPv6 row
# reads as snmp_exporter prints it (tests/integration/nms.sh).
python3 - "$P/snmp.yml" >"$tmp/lookups" <<'PY'
import sys, yaml
for mod, m in yaml.safe_load(open(sys.argv[1])).items():
    for x in m["metrics"]:
        if x.get("indexes"):
            print(mod, x["name"], " ".join(l["labelname"] for l in x.get("lookups", [])))
PY
is "$(awk '$3 !~ /^tcpsleuth(Ep|Top|Ns|Lsn|LsnGroup)Name$/' "$tmp/lookups")" "" \
    "every table metric ($(wc -l <"$tmp/lookups")) has the row's name as a label"
done_testing
