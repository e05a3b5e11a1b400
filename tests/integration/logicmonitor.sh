#!/bin/sh
# logicmonitor.sh - the LogicMonitor DataSources of contrib/logicmonitor
# (TCPSleuth_TopEndpoints.xml: discovery over the bounded view,
# tcpsleuthTopTable; TCPSleuth_Endpoints.xml: over every endpoint row) run
# the way a LogicMonitor collector runs an SNMP DataSource, against a
# private snmpd with tcpsleuthd as its subagent, every OID and setting
# taken from the XML (xmllint): Active Discovery walks the discovery OID
# (ad_snmp, type "value": the index after the OID is the instance's
# wildvalue, the value its wildalias, descOid's value at that index, if
# any, its description); collection GETs each datapoint's userparam1 with
# ##WILDVALUE## replaced, gauges as read, counters and derives as a rate
# between two polls; the rate's alertexpr gives the alert level.  In the
# seed scenario the instance lo 127.0.0.1:7211 is discovered by each and
# its datapoints say what the seed does (refused twice a second, nothing
# else, nothing listening, warning level), so a wrong OID in the XML
# fails here.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
command -v xmllint >/dev/null || skip_all "needs xmllint (Debian package libxml2-utils)"
command -v jq >/dev/null || skip_all "needs jq"
agent_test "$@"
cpid=
test_cleanup() { [ -z "$cpid" ] || kill "$cpid" 2>/dev/null; }
DS="TCPSleuth_TopEndpoints TCPSleuth_Endpoints"
x() { xmllint --xpath "$1" "$tmp/$ds.xml"; }	# of DataSource $ds
xs() { x "string($1)"; }
cmdarg() { xs //entry/wildcardlinuxcmdline | sed -n "s/.* $1=\"\([^\"]*\)\".*/\1/p"; }

# Each DataSource's own settings.
settings() {
	is "$(xs //entry/collector)/$(xs //entry/hasMultiInstances)/$(xs //entry/wildcardauto)" \
	    snmp/true/true "$ds: an SNMP DataSource, multi-instance, with Active Discovery"
	is "$(xs //entry/wildcardlinuxscript)/$(xs //entry/wildcardwinscript)" ad_snmp/ad_snmp \
	    "$ds: Active Discovery method ad_snmp on Linux and Windows collectors"
	adtype=$(cmdarg type)
	adoid=$(cmdarg oid)
	descoid=$(cmdarg descOid)
	is "$(xs //entry/wildcardwincmdline)" "$(xs //entry/wildcardlinuxcmdline)" \
	    "$ds: the Windows collector's discovery is the Linux one's"
	is "$(xs //entry/adlist | jq -r '.params | "\(.type) \(.oid) \(.descOid) \(.method // "")"')" \
	    "$adtype $adoid $descoid " "$ds: adlist's parameters are the command line's"
	is "$(xs //entry/adlist | jq -r .method)" ad_snmp "$ds: adlist's method is ad_snmp"
	is "$adtype" value "$ds: discovery type value (wildvalue: the index; wildalias: the value)"
	ndp=$(x 'count(//entry/datapoints/datapoint)')
	check "$ds: $ndp datapoints, each polling an OID with ##WILDVALUE##" \
	    [ "$ndp" -gt 0 ] && [ "$(x "count(//datapoint/userparam1[contains(., '##WILDVALUE##')])")" = "$ndp" ]
}
for ds in $DS; do
	sed "s/1\.3\.6\.1\.4\.1\.32473/$TCPSLEUTH_OID/g" \
	    "$TOP_SRCDIR/contrib/logicmonitor/$ds.xml" >"$tmp/$ds.xml"
	settings
done
ds=TCPSleuth_TopEndpoints
is "$(xs //entry/appliesTo)" 'hasCategory("tcpsleuth")' \
    "$ds applies to the category tcpsleuth (the default: the bounded view)"
is "$(cmdarg oid)" ".$TCPSLEUTH_OID.1.16.1.4" "...and discovers from tcpsleuthTopName"
ds=TCPSleuth_Endpoints
is "$(xs //entry/appliesTo)" 'hasCategory("tcpsleuth_all")' \
    "$ds applies to the category tcpsleuth_all (every row), so a device gets one of them"
is "$(cmdarg oid)" ".$TCPSLEUTH_OID.1.4.1.4" "...and discovers from tcpsleuthEpName"

snmpd_start "$tmp"
check "tcpsleuthd registered with the private snmpd" sleuthd_start "$tmp" --windows 6,12,18
"$TCPPROBE" connect 127.0.0.1 7211 -n 0 -i 500 >/dev/null &
cpid=$!
snmp() { _c=$1; shift; $_c -v2c -c public -On -Oq -t 1 -r 1 127.0.0.1:$SNMP_PORT "$@"; }

# Active Discovery, as ad_snmp type value does it.
discover() {
	adoid=$(cmdarg oid) descoid=$(cmdarg descOid)
	snmp snmpwalk "$adoid" 2>/dev/null | awk -v p="$adoid." '
	    index($0, p) == 1 {
		rest = substr($0, length(p) + 1)
		sp = index(rest, " ")
		alias = substr(rest, sp + 1); gsub(/^"|"$/, "", alias)
		print substr(rest, 1, sp - 1) "\t" alias
	    }' >"$tmp/instances"
	grep -q '	lo 127.0.0.1:7211$' "$tmp/instances"
}
# Collection: each datapoint's OID with the wildvalue.
poll() {	# poll: every datapoint's raw value, "name value" lines
	for n in $(x '//datapoint/name/text()'); do
		o=$(xs "//datapoint[name='$n']/userparam1" | sed "s/##WILDVALUE##/$wv/")
		v=$(snmp snmpget "$o" 2>/dev/null | sed -n "s/^$o //p")
		echo "$n ${v:-none}"
	done
}
raw() { awk -v n="$1" '$1 == n { print $2 }' "$2"; }
moved() {	# a second poll, once Refused has grown by 4 (about 2 s)
	poll >"$tmp/p2"
	t2=$(date +%s%N)
	[ "$(raw Refused "$tmp/p2")" -ge $(($(raw Refused "$tmp/p1") + 4)) ]
}
# A collector's value: gauges (2) as read; counters (1), derives (3) per second.
value() {
	case $(xs "//datapoint[name='$1']/type") in
	2) raw "$1" "$tmp/p2" ;;
	1 | 3) awk -v a="$(raw "$1" "$tmp/p1")" -v b="$(raw "$1" "$tmp/p2")" \
	    -v ns=$((t2 - t1)) 'BEGIN { if (a !~ /^[0-9]+$/ || b !~ /^[0-9]+$/) print "none"
		else printf "%.2f\n", (b - a) / (ns / 1e9) }' ;;
	*) echo "unknown-type" ;;
	esac
}
in_range() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v + 0 >= lo && v + 0 <= hi) }'; }
# The rate's thresholds, as the collector reads alertexpr ("> W E C").
level() {	# level VALUE: the alert level alertexpr gives VALUE
	set -- "$1" $(xs "//datapoint[name='FailureRate1']/alertexpr")
	[ "$2" = ">" ] || { echo "alertexpr-not-understood"; return; }
	case $1 in '' | *[!0-9]*) echo "no-value"; return ;; esac
	awk -v v="$1" -v w="$3" -v e="$4" -v c="$5" 'BEGIN {
		print (v > c ? "critical" : v > e ? "error" : v > w ? "warning" : "none") }'
}
# The 1-minute rate of a new row reads its failures over at least 5 s, so
# the first seconds read below 2/s: poll as the collector would.
warned() { poll >"$tmp/p3" && [ "$(level "$(raw FailureRate1 "$tmp/p3")")" = warning ]; }

collect() {	# Active Discovery and collection for DataSource $ds
	check "$ds: Active Discovery finds the instance lo 127.0.0.1:7211" wait_for 15 discover
	sed 's/^/# wildvalue /; s/\t/  wildalias /' "$tmp/instances"
	wv=$(awk -F'\t' '$2 == "lo 127.0.0.1:7211" { print $1 }' "$tmp/instances")
	is "$wv" "$(ep_index 127.0.0.1 7211)" "$ds: its wildvalue is the row's index"
	if [ -n "$descoid" ]; then
		desc=$(snmp snmpget "$descoid.$wv" 2>/dev/null)
		check "$ds: its description comes from descOid at the wildvalue ($desc)" \
		    sh -c "echo '$desc' | grep -q '^$descoid\.$wv '"
	fi

	# Collection.
	poll >"$tmp/p1"
	t1=$(date +%s%N)
	check "$ds: a second poll, once the seed's refusals have moved on" wait_for 10 moved
	bad=$(awk '$2 !~ /^[0-9]+$/' "$tmp/p2")
	check "$ds: every datapoint's OID answers a number" [ -z "$bad" ]
	[ -z "$bad" ] || echo "$bad" | sed 's/^/#   /'
	for n in $(x '//datapoint/name/text()'); do
		echo "# $ds $n ($(xs "//datapoint[name='$n']/type")): raw $(raw "$n" "$tmp/p2"), value $(value "$n")"
	done
	check "$ds: Refused: about 2/s" in_range "$(value Refused)" 1 3
	check "$ds: Failures: about 2/s, as Refused" in_range "$(value Failures)" 1 3
	for n in Unreachable TimedOut HandshakeResets Aborts; do
		is "$(value $n)" 0.00 "$ds: $n: 0/s"
	done
	is "$(value Listener)" 3 "$ds: Listener: 3 (nothing listens on 127.0.0.1:7211)"

	# The rate's alert level.
	check "$ds: FailureRate1 alerts at warning level in the seed scenario" wait_for 15 warned
	check "$ds: FailureRate1: about 2000 (2/s in thousandths)" in_range "$(raw FailureRate1 "$tmp/p3")" 1000 3000
	tr=$(xs "//datapoint[name='FailureRate1']/alertTransitionIval")
	echo "# ...after $tr polls of $(xs //entry/schedule) s ($((tr * $(xs //entry/schedule))) s)"
}
for ds in $DS; do
	collect
done
kill "$cpid"
wait "$cpid"
cpid=
calm() { poll >"$tmp/p2" && [ "$(level "$(raw FailureRate1 "$tmp/p2")")" = none ]; }
for ds in $DS; do
	check "$ds: no alert once the client stopped (6 s windows)" wait_for 20 calm
done
done_testing
