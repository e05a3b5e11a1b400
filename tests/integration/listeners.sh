#!/bin/sh
# listeners.sh - the listener table against the kernel, in a network
# namespace of its own: a listener with backlog 1 that never accepts (the
# kernel lets two connections wait) hit by 50 connects at once, clients
# with tcp_syn_retries=1.  Its row must show the queue past its limit,
# drops equal to the namespace's TcpExtListenDrops growth (nstat), its
# owner's pid and comm; the namespace's coverage must be whole; a failure
# in the flood must be tied to it ("overflow") and one after it not.  Also
# a SO_REUSEPORT group, and tcpsleuth --listeners in text (80 columns) and
# JSON.  tcpsleuth capturing live meanwhile puts every client that timed
# out down to the listener overflow (its row's listener_overflows, the
# LSNOVF column, the events' reason).
. "$(dirname "$0")/../lib.sh"
need_root
need nstat jq
enter_netns "$@"
sysctl -qw net.ipv4.tcp_syn_retries=1
tmp=$(mktemp -d)
export NSTAT_HISTORY="$tmp/nstat.history"
hpid='' gpid='' ppid='' fpid='' fchild='' lpid='' epid='' tpid=''
cleanup() {
	for p in $hpid $gpid $ppid $fpid $fchild $lpid $epid $tpid; do
		kill "$p" 2>/dev/null
	done
	wait
	rm -rf "$tmp"
}
trap cleanup EXIT
PORT=7400
GPORT=7401

kernel() { nstat -asz "$1" | awk -v c="$1" '$1 == c { print $2 }'; }
# jq on the harness's newest report (written whole, through a rename)
q() { jq -r "$1" "$tmp/lsn.json" 2>/dev/null; }
lsn() { q ".listeners[] | select(.port == $PORT) | $1"; }
verdict() { tail -n 1 "$tmp/verdict" | jq -r .verdict 2>/dev/null; }

"$LSNDUMP" hold 127.0.0.1 $PORT 1 -N lsnhold >"$tmp/hold" &
hpid=$!
check "the listener is up" wait_for 5 grep -q listening "$tmp/hold"
before=$(kernel TcpExtListenDrops)
fails_before=$(kernel TcpAttemptFails)

"$LSNDUMP" poll -i 200 -o "$tmp/lsn.json" -n self -w 6,30,60 \
    -a 127.0.0.1 -p $PORT -s 3 >"$tmp/verdict" 2>"$tmp/poll.err" &
ppid=$!
row() { [ "$(lsn .backlog)" = 1 ]; }
check "its row appears" wait_for 5 row
is "$(lsn .learnt)" true "listening before the first poll: learnt"
is "$(verdict)" quiet "before the flood: not dropping"

# A SO_REUSEPORT group of three, started after the first poll.
"$LSNDUMP" hold 127.0.0.1 $GPORT 16 -r 3 -N lsngroup >"$tmp/ghold" &
gpid=$!
wait_for 5 grep -q listening "$tmp/ghold"
group() { [ "$(q ".groups[] | select(.port == $GPORT) | .members")" = 3 ]; }
check "a reuseport group of three members" wait_for 5 group
is "$(q ".groups[] | select(.port == $GPORT) | .backlog")" 48 \
    "the group's backlog sums its members'"
is "$(q "[.listeners[] | select(.port == $GPORT) | .learnt] | unique | .[]")" \
    false "a listener opened later is not learnt"

# tcpsleuth live on lo meanwhile: every client gives up within 3 s of its
# first SYN, so --syn-timeout 4 classifies each as a timeout.
"$TCPSLEUTH" -i lo -t 4 -d 12 -q --json -f "tcp port $PORT" \
    >"$tmp/live.json" 2>"$tmp/live.err" &
lpid=$!
"$TCPSLEUTH" -i lo -t 4 -d 12 --events -f "tcp port $PORT" \
    >"$tmp/events" 2>"$tmp/events.err" &
epid=$!
"$TCPSLEUTH" -i lo -t 4 -d 12 -q --width 0 -f "tcp port $PORT" \
    >"$tmp/live.txt" 2>"$tmp/text.err" &
tpid=$!
capturing() {
	grep -q capturing "$tmp/live.err" && grep -q capturing "$tmp/events.err" &&
	    grep -q capturing "$tmp/text.err"
}
check "tcpsleuth captures live on lo, three times" wait_for 5 capturing

# The flood: 50 connects at once; two fit in the queue, the rest time out.
flood 127.0.0.1 $PORT 50 "$tmp"
flooding() { [ "$(verdict)" = overflow ]; }
check "during the flood the listener is dropping" wait_for 10 flooding
flood_wait
# Half-open requests whose final ACK was dropped retransmit their SYN-ACK,
# and the clients' ACKs are dropped again until the clients' sockets are
# gone: wait until the namespace's count stops moving (a loaded machine
# stretches this), then compare.
settled() {
	_d0=$(kernel TcpExtListenDrops)
	sleep 1.5
	[ "$(kernel TcpExtListenDrops)" = "$_d0" ]
}
check "the namespace's ListenDrops settles after the flood" wait_for 60 settled
after=$(kernel TcpExtListenDrops)
growth=$((after - before))
timeouts=$(flood_timeouts "$tmp")
check "the kernel dropped SYNs ($growth) and clients timed out ($timeouts)" \
    positive "$growth" "$timeouts"

caught_up() { [ "$(lsn .drops)" = "$growth" ]; }
check "drops equal the namespace's ListenDrops growth ($growth)" \
    wait_for 5 caught_up
echo "#   row: $(lsn '[.queue, .backlog, .queue_max, .drops] | @csv')"
is "$(lsn .queue)" 2 "the accept queue holds two"
is "$(lsn .full)" true "and is full (queue > backlog)"
is "$(lsn .queue_max)" 2 "highest queue sampled: 2"
is "$(lsn .owner.pid)" "$hpid" "owner pid"
is "$(lsn .owner.comm)" lsnhold "owner comm"
is "$(lsn .owner.holders)" 1 "one holder"
ns=$(stat -L -c %i /proc/self/ns/net)
is "$(lsn .netns)" "$ns" "the row names this namespace's inode"
nsq() { q ".namespaces[] | select(.inode == $ns) | $1"; }
is "$(nsq .counters.ListenDrops)" "$after" \
    "the namespace's ListenDrops is the kernel's"
is "$(nsq .coverage.listener_drops),$(nsq .coverage.listen_drops)" \
    "$growth,$growth" "coverage: every ListenDrop seen on a listener"
is "$(nsq .counters.AttemptFails)" "$(kernel TcpAttemptFails)" \
    "AttemptFails as nstat says ($((fails_before)) before)"
rate=$(lsn '.drop_rate_milli["1m"]')
check "a drop rate ($rate milli/s over 6 s)" [ "${rate:-0}" -gt 0 ]
span() { q ".groups[] | select(.port == $PORT) | .dropping | length"; }
check "the group remembers when it dropped" [ "$(span)" -ge 1 ]

# tcpsleuth's live view: the timeouts, each put down to the listener.
wait "$lpid" "$epid" "$tpid"
lpid='' epid='' tpid=''
lq() { jq -r ".endpoints[] | select(.port == $PORT) | $1" "$tmp/live.json"; }
is "$(lq .counts.timeout),$(lq .listener_overflows)" "$timeouts,$timeouts" \
    "tcpsleuth -i lo --json: $timeouts timeouts, each a listener overflow"
is "$(grep -c '"reason":"listener-overflow"' "$tmp/events")" "$timeouts" \
    "tcpsleuth --events: each timeout's reason is listener-overflow"
ovf=$(awk '$1 == "ENDPOINT" { for (i = 1; i <= NF; i++) if ($i == "LSNOVF") c = i }
    c && $1 == "127.0.0.1:'$PORT'" { print $c }' "$tmp/live.txt")
is "$ovf" "$timeouts" "tcpsleuth's live view: the LSNOVF column"

# After the flood: the verdict window (3 s) passes without drops.
quiet() { [ "$(verdict)" = quiet ]; }
check "after the flood: quiet again" wait_for 10 quiet
is "$(lsn .drops)" "$growth" "drops stay"

# Owners follow processes: a holder that forked, then its parent exits.
"$LSNDUMP" hold 127.0.0.1 7402 8 -N lsnfork -F >"$tmp/fhold" &
fpid=$!
wait_for 5 grep -q listening "$tmp/fhold"
fchild=$(awk '{ print $2 }' "$tmp/fhold")
fown() { q ".listeners[] | select(.port == 7402) | .owner | \"\\(.pid) \\(.holders)\""; }
fown_is() { [ "$(fown)" = "$1" ]; }
check "held by parent and child: the parent, first started, owns it" \
    wait_for 5 fown_is "$fpid 2"
kill "$fpid"
wait "$fpid"
fpid=''
check "the parent gone: the child owns it" wait_for 5 fown_is "$fchild 1"
kill "$fchild"
fchild=''

# tcpsleuth --listeners, one poll of its own.
"$TCPSLEUTH" --listeners --json >"$tmp/cli.json" 2>"$tmp/cli.err"
ok $? "tcpsleuth --listeners --json"
cq() { jq -r ".listeners[] | select(.netns == $ns and .port == $PORT) | $1" \
    "$tmp/cli.json"; }
is "$(cq '[.queue, .backlog, .drops, .owner.pid, .owner.comm] | @csv')" \
    "2,1,$growth,$hpid,\"lsnhold\"" "the CLI's row: queue, limit, drops, owner"
"$TCPSLEUTH" --listeners >"$tmp/cli.txt" 2>>"$tmp/cli.err"
ok $? "tcpsleuth --listeners (text)"
check "its row names the owner" grep -q "127.0.0.1:$PORT .* pid $hpid lsnhold" \
    "$tmp/cli.txt"
check "a group line for the reuseport group" grep -q "127.0.0.1:$GPORT x3" \
    "$tmp/cli.txt"
wide=$(awk 'length > 80' "$tmp/cli.txt" | wc -l)
is "$wide" 0 "every line fits 80 columns"
sed 's/^/#   /' "$tmp/cli.txt" | head -12
"$TCPSLEUTH" --listeners -r x >/dev/null 2>&1
is $? 2 "--listeners with -r: a usage error"
is "$(cat "$tmp/poll.err")" "" "the harness said nothing on stderr"
done_testing
