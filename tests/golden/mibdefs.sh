#!/bin/sh
# mibdefs.sh - the MIB's numbers the code uses (agentx/mibdefs.[ch],
# generated from mibs/TCPSLEUTH-MIB.txt.in by mibs/mibdefs.awk) are the
# MIB's as smidump reads it: every OBJECT-TYPE (scalar or column), table
# INDEX and NOTIFICATION-TYPE with its OID, MAX-ACCESS, SYNTAX and OBJECTS,
# none more, none less.  The generator refuses what it cannot read.
# (What the agent serves is checked against the same tables by
# tests/unit/check_snmp.)
. "$(dirname "$0")/../lib.sh"
: "${IETF_MIBS:=$TOP_SRCDIR/../shared/ietf-mibs}"
: "${TCPSLEUTH_OID:=1.3.6.1.4.1.32473}"
: "${AWK:=awk}"
mib=$TOP_BUILDDIR/mibs/TCPSLEUTH-MIB.txt
gen=$TOP_SRCDIR/mibs/mibdefs.awk
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The generator on broken MIBs: a clear message naming what, exit 1.
refuses() {	# refuses WHAT SED-SCRIPT
	sed "$2" "$TOP_SRCDIR/mibs/TCPSLEUTH-MIB.txt.in" >"$tmp/bad.mib"
	if "$AWK" -v out=h -f "$gen" "$tmp/bad.mib" >/dev/null 2>"$tmp/err"; then
		ok 1 "mibdefs.awk refuses $1"
	else
		check "mibdefs.awk refuses $1: $(cat "$tmp/err")" grep -q "$3" "$tmp/err"
	fi
}
refuses "an unknown SYNTAX" 's/SYNTAX      Counter64/SYNTAX      Counter65/' Counter65
refuses "an undefined parent" 's/::= { tcpsleuthHost 26 }/::= { tcpsleuthHoast 26 }/' tcpsleuthHoast
refuses "a name defined twice" 's/^tcpsleuthHostPassiveOpens OBJECT-TYPE/tcpsleuthHostActiveOpens OBJECT-TYPE/' 'defined twice'
refuses "an unterminated string" '$s/$/ "/' 'never ends'

[ -f "$IETF_MIBS/SNMPv2-SMI.txt" ] || skip_all "IETF MIB modules missing from $IETF_MIBS (set IETF_MIBS)"
command -v smidump >/dev/null || skip_all "smidump not installed (Debian package smitools)"

# smidump's reading, in mibdump's format.
SMIPATH="$IETF_MIBS" smidump -f identifiers "$mib" >"$tmp/ids" 2>"$tmp/err1"
SMIPATH="$IETF_MIBS" smidump -f tree "$mib" >"$tmp/tree" 2>"$tmp/err2"
is "$(cat "$tmp/err1" "$tmp/err2")" "" "smidump reads the MIB without a word"
"$AWK" -v base="$TCPSLEUTH_OID." '
	FNR == 1 { file++ }
	file == 1 && $1 == "TCPSLEUTH-MIB" && NF == 4 {
		kind[$2] = $3; oid[$2] = substr($4, length(base) + 1)
	}
	file == 2 && /\+-- [r-][w-][n-] / {	# an object: access syntax name(arc)
		sub(/.*\+-- /, "")
		a = $1
		if (a == "r-n") a = "read-only"
		if (a == "--n") a = "accessible-for-notify"
		if (a == "---") a = "not-accessible"
		s = $2 == "Enumeration" ? "INTEGER" : $2
		n = $3; sub(/\(.*/, "", n)
		acc[n] = a; syn[n] = s
	}
	file == 2 && /\+--[a-zA-Z]+\([0-9]+\) \[/ {	# a row or a notification
		n = $0; sub(/.*\+--/, "", n); sub(/\(.*/, "", n)
		l = $0; sub(/.*\[/, "", l); sub(/\].*/, "", l)
		list[n] = l
	}
	END {
		for (n in kind) {
			if (kind[n] == "scalar" || kind[n] == "column")
				print oid[n], n, kind[n], acc[n], syn[n]
			else if (kind[n] == "notification")
				print oid[n], n, "notification - -", list[n]
			else if (kind[n] == "row") {
				t = oid[n]; sub(/\.[0-9]+$/, "", t)
				for (m in kind) if (oid[m] == t) tab = m
				print t, tab, "table - -", list[n]
			}
		}
	}' "$tmp/ids" "$tmp/tree" | sort >"$tmp/smidump"
"$TOP_BUILDDIR/tests/tools/mibdump" | sort >"$tmp/code"
check "smidump found the MIB's objects ($(wc -l <"$tmp/smidump"))" [ "$(wc -l <"$tmp/smidump")" -gt 100 ]
if diff -u "$tmp/smidump" "$tmp/code" >"$tmp/diff"; then
	ok 0 "the code's tables are the MIB's: every object, table and notification, OIDs, access, syntax, INDEX and OBJECTS"
else
	ok 1 "the code's tables are the MIB's"
	sed 's/^/# /' "$tmp/diff"
fi
long=$("$AWK" '{ if (length($2) > 32) print $2 }' "$tmp/smidump")
is "$long" "" "no name is longer than 32 characters (RFC 2578)"
done_testing
