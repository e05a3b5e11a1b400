#!/bin/sh
# crosscheck.sh - tcpsleuth against tshark on every well-formed fixture:
#  - RST segments: tcpsleuth --dedup-ms 0 vs every RST frame tshark shows;
#  - refusals per endpoint: RST+ACK acknowledging the SYN (relative ack 1)
#    in a conversation without SYN-ACK (two-pass tcp.completeness), each
#    distinct segment once (a bridge shows each frame twice);
#  - Zeek's S0 idea, "SYN never answered by TCP": streams where only the
#    caller spoke, vs tcpsleuth's timeouts plus unreachables (an ICMP
#    answer is not a TCP answer, so Zeek and tshark see S0 there too).
# The tshark settings are pinned below; ICMP-quoted headers are excluded.
. "$(dirname "$0")/../lib.sh"
command -v tshark >/dev/null || skip_all "tshark not installed (Debian package tshark)"
command -v jq >/dev/null || skip_all "jq not installed"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TSHARK="tshark -n -o ip.defragment:FALSE -o ipv6.defragment:FALSE \
-o tcp.relative_sequence_numbers:TRUE -o tcp.analyze_sequence_numbers:TRUE"

# fixture and the tcpsleuth options it needs
set -- refused-v4-lo.pcap "" refused-v6-lo-sll.pcap "" abort-linger0.pcap "" \
    blackhole-timeout.pcap "--syn-timeout 2.5" reject-icmp.pcap "" \
    reject-tcp-reset.pcap "" veth-any.pcap "" bridge-any.pcap "" \
    vlan-qinq.pcap "" ip6-ext.pcap "" bsd-null.pcap ""
printf '# %-22s %11s %15s %11s\n' fixture "rsts ts/tsh" "refused ts/tsh" "S0 ts/tsh"
while [ $# -gt 0 ]; do
	f=$1 opts=$2
	shift 2
	p=$FIXTURES/$f
	# shellcheck disable=SC2086
	"$TCPSLEUTH" -r "$p" --json --top 0 $opts >"$tmp/ts.json" 2>/dev/null
	# shellcheck disable=SC2086
	"$TCPSLEUTH" -r "$p" --json --top 0 --dedup-ms 0 $opts >"$tmp/ts0.json" 2>/dev/null
	$TSHARK -r "$p" -Y 'tcp.flags.reset == 1 && !icmp && !icmpv6' \
	    -T fields -e frame.number 2>/dev/null | wc -l >"$tmp/tsh.rsts"
	ts_rsts=$(jq '.totals.rsts.ipv4 + .totals.rsts.ipv6' "$tmp/ts0.json")
	tsh_rsts=$(cat "$tmp/tsh.rsts")
	is "$ts_rsts" "$tsh_rsts" "$f: RST segments (tcpsleuth $ts_rsts, tshark $tsh_rsts)"

	jq -r '.endpoints[] | select(.counts.refused > 0) |
	    "\(.endpoint) \(.counts.refused)"' "$tmp/ts.json" | sort >"$tmp/ts.ref"
	$TSHARK -2 -r "$p" -Y 'tcp.flags.reset == 1 && tcp.flags.ack == 1 &&
	    tcp.ack == 1 && !(tcp.completeness & 2) && !icmp && !icmpv6' -T fields \
	    -e ip.src -e ipv6.src -e tcp.srcport -e ip.dst -e ipv6.dst \
	    -e tcp.dstport -e tcp.ack_raw 2>/dev/null | sort -u |
	    awk -F'\t' '{ ep = $1 != "" ? $1 ":" $3 : "[" $2 "]:" $3; n[ep]++ }
	    END { for (e in n) print e, n[e] }' | sort >"$tmp/tsh.ref"
	if diff "$tmp/ts.ref" "$tmp/tsh.ref" >"$tmp/diff"; then
		ok 0 "$f: refusals per endpoint"
	else
		ok 1 "$f: refusals per endpoint"
		sed 's/^/#   /' "$tmp/diff"
	fi

	ts_s0=$(jq '[.totals.classes.timeout[], .totals.classes.unreachable[]] | add' "$tmp/ts.json")
	tsh_s0=$($TSHARK -r "$p" -Y 'tcp && !icmp && !icmpv6' -T fields \
	    -e tcp.stream -e tcp.flags.syn -e tcp.flags.ack -e ip.src \
	    -e ipv6.src -e tcp.srcport 2>/dev/null | awk -F'\t' '
	    { src = $4 $5 ":" $6 }
	    !($1 in orig) && $2 == 1 && $3 == 0 { orig[$1] = src }
	    ($1 in orig) && src != orig[$1] { answered[$1] = 1 }
	    END { for (s in orig) if (!(s in answered)) n++; print n + 0 }')
	is "$ts_s0" "$tsh_s0" "$f: SYN never answered by TCP, Zeek S0 (tcpsleuth $ts_s0, tshark $tsh_s0)"
	printf '# %-22s %5s/%-5s %7s/%-7s %5s/%-5s\n' "$f" "$ts_rsts" "$tsh_rsts" \
	    "$(awk '{ s += $2 } END { print s + 0 }' "$tmp/ts.ref")" \
	    "$(awk '{ s += $2 } END { print s + 0 }' "$tmp/tsh.ref")" "$ts_s0" "$tsh_s0"
done
done_testing
