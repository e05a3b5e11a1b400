#!/bin/sh
# agent-top.sh - tcpsleuthTopTable through a private snmpd, tcpsleuthd
# its subagent with a view of 3 (--top 3, 6 s rate windows): clients
# fail at 20, 10, 8 (IPv6), 5 and 2 per second; the view holds the three
# fastest, indexed as tcpsleuthEpTable (netns, type, address, port) and
# ranked by rate, with its twelve columns and no others, each the value
# of the endpoint row of the same index; its indexes stay put across
# polls; a member that stops failing leaves once its 1-minute rate reads
# 0 (6 s here), its endpoint row staying in tcpsleuthEpTable; a newcomer
# failing a little faster than the slowest member (5.5/s against 5/s,
# less than the quarter the hysteresis asks) does not displace it.
# (Fast clients: a rate over 6 s of 5/s moves by a few per cent when a
# loaded machine delays a client, well inside the quarter.)
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
agent_test "$@"
TOP=$MIB.1.16.1		# tcpsleuthTopEntry
pids=
test_cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
}

snmpd_start "$tmp"
check "tcpsleuthd registered, a view of 3 rows" \
    sleuthd_start "$tmp" --top 3 --windows 6,12,18
client() {	# client ADDRESS PORT MS: a connect every MS ms; its pid in $cpid
	"$TCPPROBE" connect "$1" "$2" -n 0 -i "$3" >/dev/null &
	cpid=$!
	pids="$pids $cpid"
}
client 127.0.0.1 7301 50; c7301=$cpid
client 127.0.0.1 7302 100
client ::1 7304 125
client 127.0.0.1 7303 200
client 127.0.0.1 7305 500

i7301=$(ep_index 127.0.0.1 7301) i7302=$(ep_index 127.0.0.1 7302)
i7303=$(ep_index 127.0.0.1 7303) i7304=$(ep_index ::1 7304)
walk() { snmpwalk -v2c -c public -On -Oq -t 2 -r 1 127.0.0.1:$SNMP_PORT "$@" 2>/dev/null; }
view() {	# "INDEX RANK" lines of tcpsleuthTopRank, sorted by rank
	walk "$TOP.1" | sed -n "s/^$(echo "$TOP.1." | sed 's/\./\\./g')//p" |
	    sort -k2n >"$tmp/view"
	cat "$tmp/view"
}
view_is() { [ "$(view | tr '\n' ' ')" = "$1" ]; }
check "the view: 127.0.0.1:7301 (20/s), :7302 (10/s), [::1]:7304 (8/s), ranked 1 to 3" \
    wait_for 30 view_is "$i7301 1 $i7302 2 $i7304 3 "
sed 's/^/# /' "$tmp/view"

walk "$TOP" >"$tmp/table"
is "$(wc -l <"$tmp/table")" 36 "a walk of the table: 12 columns of 3 rows"
is "$(sed "s/^$(echo "$TOP." | sed 's/\./\\./g')\([0-9]*\)\..*/\1/" "$tmp/table" | uniq | tr '\n' ' ')" \
    "1 4 7 8 12 14 15 16 17 23 24 25 " \
    "...its columns: rank, then tcpsleuthEpTable's numbers (name, location, listener, last seen, failures, refused, unreachable, timed out, rates)"
same() {	# same INDEX COLUMN...: each column is the endpoint row's (one GET)
	_ix=$1 _q=
	shift
	for c in "$@"; do _q="$_q $TOP.$c.$_ix $EP.$c.$_ix"; done
	snmpget -v2c -c public -On -Oqv -t 2 -r 1 127.0.0.1:$SNMP_PORT $_q 2>/dev/null |
	    paste - - | awk -F'\t' -v n=$# '$1 != $2 || $1 ~ /No Such/ { bad = 1 }
		END { exit bad || NR != n }'
}
for ix in $i7301 $i7304; do
	check "the row $ix: name, location, listener, last seen, counts and rates are its tcpsleuthEpTable row's" \
	    same "$ix" 4 7 8 12 14 15 16 17 23 24 25
done
is "$(get "$TOP.4.$i7304")" "lo [::1]:7304" "the IPv6 row's name reads lo [::1]:7304"

stable() {	# the same three indexes on 10 polls, 0.3 s apart
	_first=$(view | cut -d' ' -f1 | sort | tr '\n' ' ')
	for k in 1 2 3 4 5 6 7 8 9; do
		sleep 0.3
		[ "$(view | cut -d' ' -f1 | sort | tr '\n' ' ')" = "$_first" ] || return 1
	done
}
check "the indexes stay put over 10 polls" stable

# 7301 stops, 7303 takes its place; then 5.5/s does not displace 5/s.
kill "$c7301"
wait "$c7301" 2>/dev/null
check "127.0.0.1:7301 stopped: once its rate reads 0 it leaves, and 127.0.0.1:7303 (5/s) enters third" \
    wait_for 30 view_is "$i7302 1 $i7304 2 $i7303 3 "
is "$(get "$TOP.1.$i7301")" "" "...a GET of its rank: no such instance"
check "...while its endpoint row stays in tcpsleuthEpTable" [ -n "$(get "$EP.15.$i7301")" ]
client 127.0.0.1 7306 182
i7306=$(ep_index 127.0.0.1 7306)
ep_rate() { get "$EP.23.$1"; }
fast() { [ "$(ep_rate "$i7306")" -gt "$(ep_rate "$i7303")" ]; }
check "127.0.0.1:7306 (5.5/s) reads faster than 127.0.0.1:7303 (5/s)" wait_for 20 fast
echo "# rates: 7306 $(ep_rate "$i7306"), 7303 $(ep_rate "$i7303") thousandths"
kept() {	# 7303 stays and 7306 stays out for 20 polls, 0.3 s apart
	for k in $(seq 20); do
		view_is "$i7302 1 $i7304 2 $i7303 3 " || return 1
		sleep 0.3
	done
}
if kept; then
	ok 0 "...and does not displace it: 20 polls over 6 s show the same view"
else
	ok 1 "...and does not displace it: 20 polls over 6 s show the same view"
	sed 's/^/# view: /' "$tmp/view"
	echo "# rates: 7306 $(ep_rate "$i7306"), 7303 $(ep_rate "$i7303") thousandths"
fi
done_testing
