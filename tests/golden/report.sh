#!/bin/sh
# report.sh - what a report holds and how it fits: a file report lists
# every endpoint the file holds (two weeks, a day-1 refusal) and JSON
# lists every row unless --top says otherwise; text fits a terminal's
# width (COLUMNS, the terminal's size) and the width --width gives.
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tw=$FIXTURES/two-weeks.pcap

j() { "$TCPSLEUTH" -r "$tw" --json "$@" >"$tmp/json" && jq -r "$Q" "$tmp/json"; }
Q='[(.endpoints | length), .table.rows, .table.omitted, .table.expiries] | map(tostring) | join(" ")'
is "$(j)" "25 25 0 0" "two weeks, --json: all 25 rows, none omitted, none expired"
is "$(j --top 3)" "3 25 22 0" "--json --top 3: 3 rows, 22 said to be omitted"
Q='.endpoints[] | select(.endpoint == "10.3.0.2:6633") | .counts.refused'
is "$(j)" 3 "the day-1 endpoint (6633) is a row with its 3 refusals, 13 days on"
Q='[(.endpoints | length), .table.expiries, .other.counts.refused] | map(tostring) | join(" ")'
is "$(j --rows 10)" "10 15 17" "a full table (10 rows) expires idle rows to make room, into other"

"$TCPSLEUTH" -r "$tw" >"$tmp/text"
check "text: keeps its top 20 and says 5 rows were left out" \
    grep -qx '(5 more rows; --top 0 shows all)' "$tmp/text"
check "text: lists 10.3.0.2:6633" grep -q '^10\.3\.0\.2:6633 ' "$tmp/text"

widest() { awk '{ if (length > m) m = length } END { print m + 0 }' "$1"; }
for w in 40 60 80 100; do
	for f in ip6-ext.pcap veth-any.pcap two-weeks.pcap; do
		"$TCPSLEUTH" -r "$FIXTURES/$f" --width $w >"$tmp/w"
		[ "$(widest "$tmp/w")" -le $w ] || { echo "# $f: $(widest "$tmp/w") > $w"; break 2; }
	done
done
is "$w/$f" "100/two-weeks.pcap" "--width 40 .. 100: no line wider than asked"
"$TCPSLEUTH" -r "$tw" --width 40 >"$tmp/w"
check "--width 40: every row still names its endpoint" \
    grep -q '^10\.3\.0\.2:6633 ' "$tmp/w"

COLUMNS=80 "$TCPSLEUTH" -r "$tw" >"$tmp/w"
check "not a terminal: COLUMNS is not a limit (a pipe gets every column)" \
    grep -q 'LAST SEEN$' "$tmp/w"
if command -v script >/dev/null; then
	COLUMNS=80 script -qec "\"$TCPSLEUTH\" -r \"$tw\"" /dev/null | tr -d '\r' >"$tmp/tty"
	n=$(widest "$tmp/tty")
	in_80() { [ "$n" -le 80 ] && [ "$n" -gt 70 ]; }
	check "on a terminal, COLUMNS=80: the table fits 80 columns ($n)" in_80
	check "on a terminal: rows still listed" grep -q '^10\.3\.0\.2:6633 ' "$tmp/tty"
	COLUMNS=80 script -qec "\"$TCPSLEUTH\" -r \"$tw\" --width 0" /dev/null | tr -d '\r' >"$tmp/tty"
	check "on a terminal, --width 0: every column" grep -q 'LAST SEEN$' "$tmp/tty"
else
	ok 1 "script(1) (bsdutils) is needed for the terminal checks"
fi

"$TCPSLEUTH" -r "$tw" --sort size >"$tmp/out" 2>"$tmp/err"
is "$?" 2 "--sort with an unknown key: exit 2"
check "--sort: the message names the keys" grep -q 'is not count, rate, last or name' "$tmp/err"
done_testing
