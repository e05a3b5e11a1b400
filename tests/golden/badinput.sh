#!/bin/sh
# badinput.sh - bad input gets one clear message and a non-zero exit;
# a capture full of garbage is analysed and the garbage counted.
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {	# run ARGS...: exit status in $rc, output in $tmp/out, $tmp/err
	"$TCPSLEUTH" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
err_has() { grep -q -e "$1" "$tmp/err"; }
one_line() { [ "$(wc -l < "$tmp/err")" -eq 1 ]; }

run -r "$FIXTURES/does-not-exist.pcap"
is "$rc" 1 "missing file: exit 1"
check "missing file: says so" err_has "No such file or directory"
check "missing file: one line" one_line

run -r "$FIXTURES/not-a-capture.txt"
is "$rc" 1 "not a capture: exit 1"
check "not a capture: says unknown file format" err_has "unknown file format"

: >"$tmp/empty.pcap"
run -r "$tmp/empty.pcap"
is "$rc" 1 "empty file: exit 1"
check "empty file: says truncated" err_has "truncated"

run -r "$FIXTURES/truncated.pcap" --json
is "$rc" 1 "truncated capture: exit 1"
check "truncated capture: says truncated" err_has "truncated dump file"
is "$(jq '.endpoints[0].counts.refused' "$tmp/out")" 4 \
    "truncated capture: what was read is still reported (4 of 5 refusals)"

run -r "$FIXTURES/unsupported-link.pcap"
is "$rc" 1 "unsupported link type: exit 1"
check "unsupported link type: named" err_has "unsupported link type: DLT 147"

run -r "$FIXTURES/mixed-linktypes.pcapng"
is "$rc" 1 "pcapng with two link types: exit 1"
check "pcapng with two link types: explained" err_has "one link type only"

run -r "$FIXTURES/malformed.pcap" --json
is "$rc" 0 "malformed frames: analysed, exit 0"
is "$(jq '.totals.malformed.total' "$tmp/out")" 13 "malformed frames: all 13 counted"
is "$(jq '[.totals.malformed[]] | map(select(. == 1)) | length' "$tmp/out")" 13 \
    "malformed frames: each under its own reason"
is "$(jq '.endpoints[0].counts.refused' "$tmp/out")" 1 \
    "malformed frames: the good attempt beside them is counted"

run -r "$FIXTURES/refused-v4-lo.pcap" --top nope
is "$rc" 2 "bad option value: exit 2"
check "bad option value: named" err_has "--top: invalid number"
run -r a.pcap -i lo
is "$rc" 2 "-r and -i together: exit 2"
run --windows 60,300
is "$rc" 2 "--windows with two windows: exit 2"
run -r x --local not-an-address
is "$rc" 2 "--local with a bad address: exit 2"

if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	    --bounding-set=-all "$TCPSLEUTH" -i lo -d 1 >"$tmp/out" 2>"$tmp/err"
	rc=$?
	is "$rc" 1 "no CAP_NET_RAW: exit 1"
	check "no CAP_NET_RAW: says permission and what is needed" \
	    err_has "CAP_NET_RAW"
	unshare -n "$TCPSLEUTH" -i nosuchdev0 -d 1 >"$tmp/out" 2>"$tmp/err"
	rc=$?
	is "$rc" 1 "no such interface: exit 1"
	check "no such interface: named" err_has "nosuchdev0"
else
	echo "# not root: privilege cases left out"
fi

# A file named like the marker the JSON report streams its rows in place of.
cp "$FIXTURES/refused-v4-lo.pcap" "$tmp/@@tcpsleuth-rows@@"
run -r "$tmp/@@tcpsleuth-rows@@" --json
is "$rc/$(jq -c '[.source.name, (.endpoints | length), .endpoints[0].failures]' "$tmp/out" 2>/dev/null)" \
    '0/["@@tcpsleuth-rows@@",1,5]' "a file named like the JSON row marker: its rows in place"
done_testing
