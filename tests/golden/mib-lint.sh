#!/bin/sh
# mib-lint.sh - TCPSLEUTH-MIB says what its objects are (rates have
# UNITS, counters name their discontinuity time, enumerations are
# described, the compliance narrows InetAddressType, there is a contact);
# README and tcpsleuthd(8) say how to get the IETF modules it imports;
# as built, with the configured OID, it is clean SMIv2 for smilint at
# level 6, and net-snmp's snmptranslate loads it.  Both need the IETF base modules Debian does not ship (SNMPv2-SMI,
# SNMPv2-TC, INET-ADDRESS-MIB, ...): IETF_MIBS names where they are
# (./configure --with-ietf-mibs; default ../shared/ietf-mibs).
. "$(dirname "$0")/../lib.sh"
: "${IETF_MIBS:=$TOP_SRCDIR/../shared/ietf-mibs}"
: "${TCPSLEUTH_OID:=1.3.6.1.4.1.32473}"
mib=$TOP_BUILDDIR/mibs/TCPSLEUTH-MIB.txt
: "${AWK:=awk}"

# What the MIB's text promises, object by object (no IETF MIB needed):
# "NAME RULE" for every object that breaks a rule.
"$AWK" '
	/^        OBJECT +tcpsleuth/ { narrowed[$2] = 1 }
	/^        -- OBJECT +tcpsleuth/ { narrowed[$3] = 1 }	# an index, as TCP-MIB
	/^[a-z][A-Za-z0-9]* OBJECT-TYPE$/ { name = $1; syn = ""; units = 0; d = "";
	    enums = ""; in_syn = 0; in_d = 0; next }
	name == "" { next }
	/^    SYNTAX / { syn = $2; in_syn = 1 }
	/^    MAX-ACCESS/ { in_syn = 0 }
	in_syn { s = $0; while (match(s, /[a-zA-Z]+\([0-9]+\)/)) {
	    enums = enums " " substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH) } }
	/^    UNITS / { units = 1 }
	/^    DESCRIPTION/ { in_d = 1; next }
	in_d { d = d " " $0; if ($0 ~ /"$/) in_d = 0 }
	/^    ::= / {
		if (syn == "TcpsleuthMilliRate" && !units) print name, "a rate without UNITS"
		if (syn == "Counter64" && d !~ /Discontinuities: at/)
			print name, "a Counter64 whose DESCRIPTION names no discontinuity time"
		if (name ~ /^tcpsleuthHost/ && syn == "Counter64" && d !~ /tcpsleuthHostDiscontinuity/)
			print name, "a host counter not pointing at tcpsleuthHostDiscontinuity"
		n = split(enums, e, " ")
		for (i = 1; i <= n; i++) if (index(d, e[i]) == 0)
			print name, "DESCRIPTION does not say what " e[i] " is"
		if (syn == "InetAddressType") types[name] = 1
		name = ""
	}
	END { for (t in types) if (!(t in narrowed))
		print t, "an InetAddressType the compliance does not narrow" }
' "$TOP_SRCDIR/mibs/TCPSLEUTH-MIB.txt.in" >"${TMPDIR:-/tmp}/mib-text.$$"
is "$(cat "${TMPDIR:-/tmp}/mib-text.$$")" "" "every rate has UNITS, every Counter64 names its discontinuity time (host counters tcpsleuthHostDiscontinuity), every enumeration value is described, every InetAddressType is narrowed by the compliance"
rm -f "${TMPDIR:-/tmp}/mib-text.$$"
check "CONTACT-INFO names a contact" grep -q 'E-mail: .*@' "$TOP_SRCDIR/mibs/TCPSLEUTH-MIB.txt.in"
# Loading the MIB by name needs IETF modules Debian lacks: the docs say
# how to get them, and what ships works without them (numeric OIDs).
for d in README.md doc/tcpsleuthd.8; do
	check "$d says how a Debian user gets the IETF MIBs (snmp-mibs-downloader, non-free, a net-snmp release's mibs/)" \
	    sh -c 'tr "\n" " " <"$1" | grep -q "snmp-mibs-downloader.*non-free.*net-snmp release"' x "$TOP_SRCDIR/$d"
done
# (What they poll: snmp commands, snmp_oid keys, oid: lines; a trap
# pattern that also accepts names, or a value map's name, loads nothing.)
check "tools/demo and contrib/ poll by numeric OID only (no MIB loaded by name)" \
    sh -c '! grep -rn -e "snmp[a-z]* .*TCPSLEUTH-MIB::" -e "-m TCPSLEUTH" -e "-m ALL" \
    -e "snmp_oid: .*TCPSLEUTH-MIB::" -e "oid: TCPSLEUTH-MIB::" "$1/tools/demo" "$1/contrib"' x "$TOP_SRCDIR"

missing=""
for m in SNMPv2-SMI SNMPv2-TC SNMPv2-CONF HCNUM-TC INET-ADDRESS-MIB IF-MIB; do
	[ -f "$IETF_MIBS/$m.txt" ] || missing="$missing $m"
done
[ -z "$missing" ] || skip_all "IETF MIB modules missing from $IETF_MIBS:$missing (set IETF_MIBS, or ./configure --with-ietf-mibs=DIR)"
command -v smilint >/dev/null || skip_all "smilint not installed (Debian package smitools)"
command -v snmptranslate >/dev/null || skip_all "snmptranslate not installed (Debian package snmp)"

out=$(SMIPATH="$IETF_MIBS" smilint -m -s -l 6 -i namelength-32 "$mib" 2>&1)
is "$out" "" "smilint -m -s -l 6 -i namelength-32 prints nothing"
tree=$(snmptranslate -M "+$IETF_MIBS:$TOP_BUILDDIR/mibs" -m TCPSLEUTH-MIB -Tp \
    -IR tcpsleuthMIB 2>&1)
check "snmptranslate -Tp loads it" sh -c "echo \"\$1\" | grep -q tcpsleuthEpRefused" x "$tree"
is "$(snmptranslate -M "+$IETF_MIBS:$TOP_BUILDDIR/mibs" -m TCPSLEUTH-MIB -On \
    TCPSLEUTH-MIB::tcpsleuthMIB 2>&1)" ".$TCPSLEUTH_OID" "the module sits at the configured OID"
is "$(snmptranslate -M "+$IETF_MIBS:$TOP_BUILDDIR/mibs" -m TCPSLEUTH-MIB -On \
    TCPSLEUTH-MIB::tcpsleuthEpRefused 2>&1)" ".$TCPSLEUTH_OID.1.4.1.15" \
    "tcpsleuthEpRefused is the column the agent serves (15)"
is "$(snmptranslate -M "+$IETF_MIBS:$TOP_BUILDDIR/mibs" -m TCPSLEUTH-MIB -On \
    TCPSLEUTH-MIB::tcpsleuthHostAttemptFails 2>&1)" ".$TCPSLEUTH_OID.1.1.3" \
    "tcpsleuthHostAttemptFails is host counter 3"
is "$(snmptranslate -M "+$IETF_MIBS:$TOP_BUILDDIR/mibs" -m TCPSLEUTH-MIB -On \
    TCPSLEUTH-MIB::tcpsleuthPortRate15 2>&1)" ".$TCPSLEUTH_OID.1.5.1.12" \
    "tcpsleuthPortRate15 is port column 12"
done_testing
