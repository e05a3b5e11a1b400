#!/bin/sh
# agent-namespaces.sh - tcpsleuthNsTable against the kernel, through a real
# snmpd: two `ip netns` namespaces of this test's own, each with its own
# refusals, show each one's AttemptFails as `ip netns exec NS nstat -az
# TcpAttemptFails` does; deleting one marks it gone; a third has a row
# within one poll interval; tcpsleuthd's own namespace is kind self and
# reads what the host scalars read.  After the traffic stops, a walk of
# the namespace and listener tables with snmp_exporter (the modules of
# contrib/prometheus/snmp.yml) and with net-snmp's snmpbulkwalk give the
# same values.  tcpsleuthd serves every namespace of the host (the
# default), those of tests running beside this one too: only this test's
# are asserted on.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
need nstat curl python3
EXPORTER=$(command -v prometheus-snmp-exporter)
[ -n "$EXPORTER" ] || skip_all "needs prometheus-snmp-exporter (Debian package)"
python3 -c 'import yaml' 2>/dev/null || skip_all "needs python3-yaml"
agent_test "$@"
export NSTAT_HISTORY="$tmp/nstat.history"
A=tsn$$a B=tsn$$b C=tsn$$c
hpid= epid=
test_cleanup() {
	for p in $epid $hpid; do kill "$p" 2>/dev/null; done
	del_netns "$A" "$B" "$C"
}
NSE=$MIB.1.10.1
POLL=2		# seconds: the poll interval
EXP=127.0.0.1:9116

{ ip netns add "$A" && ip netns add "$B"; } || skip_all "cannot create namespaces"
ip -n "$A" link set lo up
ip -n "$B" link set lo up
IA=$(netns_ino "$A") IB=$(netns_ino "$B") NS=$(netns_ino)
kernel() {	# kernel NS COUNTER: ip netns exec NS nstat's value
	if [ "$1" = self ]; then nstat -asz "$2"
	else ip netns exec "$1" nstat -asz "$2"; fi | awk -v c="$2" '$1 == c { print $2 }'
}
refuse() { ip netns exec "$1" "$TCPPROBE" connect 127.0.0.1 7311 -n "$2" >/dev/null; }
refuse "$A" 3
refuse "$B" 5
"$TCPPROBE" connect 127.0.0.1 7311 -n 2 >/dev/null	# and this one's own
# A listener in A with two connections waiting in its queue.
ip netns exec "$A" "$LSNDUMP" hold 127.0.0.1 7410 4 -N lsnheld >"$tmp/hold" &
hpid=$!
wait_for 5 grep -q listening "$tmp/hold"
ip netns exec "$A" "$TCPPROBE" connect 127.0.0.1 7410 -n 2 >/dev/null

snmpd_start "$tmp"
# Every namespace of the host, each read at every poll, however many
# other tests (or anything else) made.
check "tcpsleuthd registered, serving every namespace (poll interval $POLL s)" \
    sleuthd_start "$tmp" --poll-interval $POLL --namespaces-max 4096 \
    --namespaces-per-poll 4096
ns() { get "$NSE.$1.$2"; }	# ns COLUMN INODE
both() { [ "$(ns 5 "$IA"),$(ns 5 "$IB")" = "1,1" ]; }
check "rows for both, present(1)" wait_for 10 both
is "$(ns 3 "$IA"),$(ns 4 "$IA")" "$A,2" "A is named by its ip netns name, kind netns(2)"
is "$(ns 9 "$IA")" "$(kernel "$A" TcpAttemptFails)" \
    "A's tcpsleuthNsAttemptFails is ip netns exec A nstat's TcpAttemptFails"
is "$(ns 9 "$IB")" "$(kernel "$B" TcpAttemptFails)" \
    "B's is B's"
is "$(ns 9 "$IA"),$(ns 9 "$IB")" "3,5" "each its own refusals"
is "$(ns 11 "$IB")" "$(kernel "$B" TcpOutRsts)" "B's tcpsleuthNsOutRsts is nstat's"
cookie=$(ns 2 "$IA")
check "A has a netns cookie ($cookie), not B's" \
    sh -c "[ -n '$cookie' ] && [ '$cookie' != '$(ns 2 "$IB")' ]"

# tcpsleuthd's own namespace: kind self, the host scalars' figures.
is "$(ns 4 "$NS")" 1 "this namespace (tcpsleuthd's): kind self(1)"
is "$(ns 9 "$NS"),$(ns 11 "$NS"),$(ns 13 "$NS")" \
    "$(get $MIB.1.1.3.0),$(get $MIB.1.1.6.0),$(get $MIB.1.1.10.0)" \
    "its AttemptFails, OutRsts, ListenDrops are tcpsleuthHostAttemptFails, OutRsts, ListenDrops"
is "$(ns 9 "$NS")" "$(kernel self TcpAttemptFails)" "...and nstat's (2)"

# The listener in A, owner and all.
LA=$MIB.1.11.1 PA=$IA.1.4.127.0.0.1.7410
lsn() {
	snmpbulkwalk -v2c -c public -On -Oqv 127.0.0.1:$SNMP_PORT "$LA.$1.$PA" \
	    2>/dev/null | sed -e 's/^"//' -e 's/"$//'
}
lsn_row() { [ "$(lsn 13)" = 2 ]; }
check "A's listener: its row, two waiting" wait_for 10 lsn_row
is "$(lsn 14),$(lsn 8)" "4,lsnheld" "...backlog 4, its owner's comm"

# Deleting B marks it gone; a third has a row within one poll interval.
ip netns del "$B"
gone() { [ "$(ns 5 "$IB")" = 2 ]; }
check "B deleted: gone(2)" wait_for $((POLL * 2 + 2)) gone
gt=$(ns 7 "$IB")
check "...with a gone time ($gt)" [ "${gt:-0}" -gt 0 ]
is "$(ns 9 "$IB")" 5 "...its counters kept"
t0=$(date +%s%N)
ip netns add "$C"
IC=$(netns_ino "$C")
row_c() { [ "$(ns 3 "$IC")" = "$C" ]; }
wait_for $((POLL * 3)) row_c
ms=$((($(date +%s%N) - t0) / 1000000))
check "C made: a row within one poll interval ($ms ms; $POLL s, and 1 s to publish and ask)" \
    [ "$ms" -le $((POLL * 1000 + 1000)) ]

# snmp_exporter and net-snmp read the same (rates, which move while they
# read, aside): every row of this test's namespaces (this one's listening
# sockets aside: the exporter and the tools come and go in it).
sed "s/1\.3\.6\.1\.4\.1\.32473/$TCPSLEUTH_OID/g" \
    "$TOP_SRCDIR/contrib/prometheus/snmp.yml" >"$tmp/snmp.yml"
"$EXPORTER" --config.file="$tmp/snmp.yml" --web.listen-address=$EXP \
    >"$tmp/exporter.log" 2>&1 &
epid=$!
scrape() {	# scrape MODULE
	curl -sf "http://$EXP/snmp?target=127.0.0.1:$SNMP_PORT&module=$1" \
	    >"$tmp/$1.prom"
}
check "snmp_exporter scrapes the namespace module" wait_for 10 scrape tcpsleuth_namespaces
scrape tcpsleuth_listeners
snmpbulkwalk -v2c -c public -On -Oq -Ot -Oe 127.0.0.1:$SNMP_PORT $MIB.1.10 >"$tmp/walk"
snmpbulkwalk -v2c -c public -On -Oq -Ot -Oe 127.0.0.1:$SNMP_PORT $MIB.1.11 >>"$tmp/walk"
snmpbulkwalk -v2c -c public -On -Oq -Ot -Oe 127.0.0.1:$SNMP_PORT $MIB.1.12 >>"$tmp/walk"
compare() {	# compare MODULE NETNS...: "N compared, M differ"; SKIP: NAME{INDEX}...
	_m=$1
	shift
	python3 - "$tmp/snmp.yml" "$_m" "$tmp/$_m.prom" "$tmp/walk" "$@" <<'PY'
import ipaddress, re, sys, yaml
import os
conf, module, prom, walk, ours = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], set(sys.argv[5:])
skip = set(os.environ.get("SKIP", "").split())
metrics = {m["name"]: m for m in yaml.safe_load(open(conf))[module]["metrics"]}
cells = {}
for line in open(walk):
    oid, _, val = line.strip().partition(" ")
    cells[oid.lstrip(".")] = val.strip('"')
def index(labels, m):
    out = []
    for ix in m["indexes"]:
        v = labels[ix["labelname"]]
        if ix["type"] == "InetAddress":
            a = ipaddress.ip_address(v)
            out += [1 if a.version == 4 else 2, len(a.packed)] + list(a.packed)
        else:
            out.append(int(v))
    return ".".join(map(str, out))
n = bad = 0
for line in open(prom):
    mm = re.match(r"(\w+)\{(.*)\} (\S+)$", line.strip())
    if not mm or mm.group(1) not in metrics or "Rate" in mm.group(1):
        continue
    m = metrics[mm.group(1)]
    labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', mm.group(2)))
    # the first index label is the namespace: tcpsleuthNsInode,
    # tcpsleuthLsnNetns or tcpsleuthLsnGroupNetns (the generator names
    # index labels after the MIB's INDEX objects)
    if labels.get(m["indexes"][0]["labelname"]) not in ours:
        continue
    ix = index(labels, m)
    if "%s{%s}" % (mm.group(1), ix) in skip:
        continue
    got = cells.get(m["oid"] + "." + ix)
    n += 1
    if got is None or float(got) != float(mm.group(3)):
        bad += 1
        print("# %s{%s}: exporter %s, snmpbulkwalk %s" % (mm.group(1), ix, mm.group(3), got))
    for lk in m.get("lookups", []):
        n += 1
        if cells.get(lk["oid"] + "." + ix) != labels.get(lk["labelname"]):
            bad += 1
            print("# %s{%s} label %s: exporter %r, snmpbulkwalk %r" % (mm.group(1), ix,
                  lk["labelname"], labels.get(lk["labelname"]), cells.get(lk["oid"] + "." + ix)))
print("%d compared, %d differ" % (n, bad))
PY
}
out=$(SKIP="tcpsleuthNsListeners{$NS} tcpsleuthNsUnlisted{$NS}" \
    compare tcpsleuth_namespaces "$NS" "$IA" "$IB" "$IC")
echo "$out" | grep '^#'
res=$(echo "$out" | tail -1)
check "tcpsleuth_namespaces: this test's 4 namespaces, exporter = snmpbulkwalk ($res)" \
    sh -c "echo '$res' | grep -q '^[1-9][0-9]* compared, 0 differ'"
out=$(compare tcpsleuth_listeners "$IA")
echo "$out" | grep '^#'
res=$(echo "$out" | tail -1)
check "tcpsleuth_listeners: A's listener and its group, exporter = snmpbulkwalk ($res)" \
    sh -c "echo '$res' | grep -q '^[1-9][0-9]* compared, 0 differ'"
grep "^tcpsleuthNsAttemptFails{" "$tmp/tcpsleuth_namespaces.prom" |
    grep -e "tcpsleuthNsInode=\"$IA\"" -e "tcpsleuthNsInode=\"$IB\"" | sed 's/^/# /'
done_testing
