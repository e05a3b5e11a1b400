#!/bin/sh
# mib-lint.sh - TCPSLEUTH-MIB (as built, with the configured OID) is
# clean SMIv2 for smilint at level 6, and net-snmp's snmptranslate loads
# it.  Both need the IETF base modules Debian does not ship (SNMPv2-SMI,
# SNMPv2-TC, INET-ADDRESS-MIB, ...): IETF_MIBS names where they are
# (./configure --with-ietf-mibs; default ../shared/ietf-mibs).
. "$(dirname "$0")/../lib.sh"
: "${IETF_MIBS:=$TOP_SRCDIR/../shared/ietf-mibs}"
: "${TCPSLEUTH_OID:=1.3.6.1.4.1.32473}"
mib=$TOP_BUILDDIR/mibs/TCPSLEUTH-MIB.txt
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
