#!/bin/sh
# zabbix.sh - Zabbix 6.0 for real, with everything it needs started by the
# test in its own network and mount namespaces, its state in $tmp:
# PostgreSQL 15 (initdb, run as postgres, socket in $tmp) with Debian's
# Zabbix schema, zabbix_server (a private configuration, 1 s cache
# updates, an SNMP trapper reading $tmp's trap file), and the frontend's
# api_jsonrpc.php under `php -S` (its zabbix.conf.php bind-mounted over
# /etc/zabbix in this mount namespace only).  Through the API it imports
# contrib's template, adds a host with an SNMPv2 interface at a private
# snmpd with tcpsleuthd as its subagent, and shortens the template's
# intervals with host macros.  In the seed scenario: discovery creates the
# endpoint's items; their values are what snmpget reads at the items' own
# OIDs; the rate trigger fires, and resolves after the client stops; the
# endpoint's rate-high notification reaches the template's SNMP trap item
# through snmptrapd and contrib/zabbix/tcpsleuth-zabbix-traphandle.
# Discovery walks the bounded view (tcpsleuthTopTable): once the endpoint
# stops failing it leaves the view and its items are due for deletion;
# with {$TCPSLEUTH.LLD.TABLE} set to 4 discovery walks every row of
# tcpsleuthEpTable and finds it again.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
PGBIN=/usr/lib/postgresql/15/bin
ZSQL=/usr/share/zabbix-server-pgsql
ZUI=/usr/share/zabbix
ZSERVER=/usr/sbin/zabbix_server
TEMPLATE=$TOP_SRCDIR/contrib/zabbix/tcpsleuth_template_zabbix6.yaml
TRAPHANDLE=$TOP_SRCDIR/contrib/zabbix/tcpsleuth-zabbix-traphandle
[ -x $PGBIN/postgres ] || skip_all "needs PostgreSQL 15 (Debian package postgresql-15)"
[ -x $ZSERVER ] && [ -f $ZSQL/schema.sql.gz ] ||
    skip_all "needs zabbix_server (Debian package zabbix-server-pgsql)"
[ -f $ZUI/api_jsonrpc.php ] && [ -d /etc/zabbix ] ||
    skip_all "needs the Zabbix frontend (Debian package zabbix-frontend-php)"
command -v php >/dev/null && php -m | grep -qx pgsql ||
    skip_all "needs php with pgsql (Debian packages php8.2-cli, php8.2-pgsql)"
command -v snmptrapd >/dev/null || skip_all "needs snmptrapd (Debian package snmptrapd)"
for t in curl jq python3 setpriv; do
	command -v $t >/dev/null || skip_all "needs $t"
done
for u in postgres zabbix www-data; do
	id $u >/dev/null 2>&1 || skip_all "needs the user $u (made by the Debian packages)"
done
# A mount namespace of our own, so that the frontend's configuration can
# be bind-mounted over /etc/zabbix without the host seeing it.
unshare -m true 2>/dev/null || skip_all "cannot create mount namespaces"
if [ -z "${TS_IN_MNTNS:-}" ]; then
	TS_IN_MNTNS=1 exec unshare -m --propagation private sh "$0" "$@"
fi
agent_test "$@"
pg_pid= zs_pid= php_pid= cpid=
test_cleanup() {
	if [ "$tap_failed" -gt 0 ]; then
		for l in pg.log import.log zabbix/server.log php.log; do
			[ -s "$tmp/$l" ] || continue
			echo "# $l, last lines:"
			tail -8 "$tmp/$l" | sed 's/^/#   /'
		done
	fi
	for p in $cpid $php_pid $zs_pid; do kill "$p" 2>/dev/null; done
	for p in $cpid $php_pid $zs_pid; do wait "$p" 2>/dev/null; done
	if [ -n "$pg_pid" ]; then kill -INT "$pg_pid"; wait "$pg_pid"; fi 2>/dev/null
}
# Without its servers the rest cannot pass: stop at the first that fails.
servers_up() { [ "$tap_failed" -eq 0 ] || { echo "Bail out! $1"; exit 1; }; }
AS_PG="setpriv --reuid=postgres --regid=postgres --init-groups --"	# exec, so $! is postgres
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
t0=$(date +%s%N)

# PostgreSQL, socket only, with the schema, images and data Debian ships.
mkdir "$tmp/pg" "$tmp/pgsock"
chown postgres: "$tmp/pg" "$tmp/pgsock"
$AS_PG $PGBIN/initdb -D "$tmp/pg" -A trust -U postgres -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$tmp/initdb.log" 2>&1
$AS_PG $PGBIN/postgres -D "$tmp/pg" -c listen_addresses= \
    -c unix_socket_directories="$tmp/pgsock" -c fsync=off \
    -c synchronous_commit=off -c full_page_writes=off >"$tmp/pg.log" 2>&1 &
pg_pid=$!
check "postgres runs in $tmp" wait_for 30 $PGBIN/pg_isready -q -h "$tmp/pgsock"
servers_up "postgres did not start"
psql() { command psql -X -q -v ON_ERROR_STOP=1 -h "$tmp/pgsock" "$@"; }
psql -U postgres -c 'CREATE ROLE zabbix LOGIN' \
    -c "CREATE DATABASE zabbix OWNER zabbix ENCODING 'UTF8' TEMPLATE template0"
zcat $ZSQL/schema.sql.gz $ZSQL/images.sql.gz $ZSQL/data.sql.gz |
    psql -U zabbix zabbix >"$tmp/import.log" 2>&1
is "$?" 0 "the Zabbix schema is imported ($(ms_since "$t0") ms since the start)"
servers_up "no database"

# zabbix_server: private files, short cache updates, an SNMP trapper.
Z=$tmp/zabbix
mkdir "$Z"
chown zabbix: "$Z"
cat >"$Z/zabbix_server.conf" <<CONF
ListenIP=127.0.0.1
LogType=file
LogFile=$Z/server.log
LogFileSize=0
PidFile=$Z/server.pid
SocketDir=$Z
TmpDir=$Z
DBHost=$tmp/pgsock
DBName=zabbix
DBUser=zabbix
CacheUpdateFrequency=1
HousekeepingFrequency=0
StartPollers=2
StartPollersUnreachable=1
StartPreprocessors=1
StartHistoryPollers=0
StartTrappers=1
StartPingers=0
StartDiscoverers=0
StartHTTPPollers=0
StartTimers=1
StartEscalators=1
StartAlerters=1
StartDBSyncers=1
StartLLDProcessors=1
StartReportWriters=0
StartSNMPTrapper=1
SNMPTrapperFile=$Z/snmptraps.log
Timeout=3
CONF
$ZSERVER -f -c "$Z/zabbix_server.conf" >"$Z/stdout.log" 2>&1 &
zs_pid=$!
zs_up() { grep -q 'started \[snmp trapper #1\]' "$Z/server.log"; }
check "zabbix_server is up, with its SNMP trapper" wait_for 30 zs_up
servers_up "zabbix_server did not start"
echo "# $(sed -n 's/.*\(Starting Zabbix Server\..*\)/\1/p' "$Z/server.log" | head -1)"

# The frontend's API, its configuration in this mount namespace only.
[ "$(readlink /proc/self/ns/mnt)" != "$(readlink /proc/1/ns/mnt)" ] ||
    { echo "Bail out! not in a mount namespace of our own"; exit 1; }
mkdir "$tmp/webconf"
cat >"$tmp/webconf/zabbix.conf.php" <<CONF
<?php
\$DB['TYPE'] = 'POSTGRESQL';
\$DB['SERVER'] = '$tmp/pgsock';
\$DB['PORT'] = '0';
\$DB['DATABASE'] = 'zabbix';
\$DB['USER'] = 'zabbix';
\$DB['PASSWORD'] = '';
\$DB['SCHEMA'] = '';
\$DB['ENCRYPTION'] = false;
\$DB['KEY_FILE'] = '';
\$DB['CERT_FILE'] = '';
\$DB['CA_FILE'] = '';
\$DB['VERIFY_HOST'] = false;
\$DB['CIPHER_LIST'] = '';
\$DB['VAULT_URL'] = '';
\$DB['VAULT_DB_PATH'] = '';
\$DB['VAULT_TOKEN'] = '';
\$DB['DOUBLE_IEEE754'] = true;
\$ZBX_SERVER = '127.0.0.1';
\$ZBX_SERVER_PORT = '10051';
\$ZBX_SERVER_NAME = 'tcpsleuth test';
\$IMAGE_FORMAT_DEFAULT = IMAGE_FORMAT_PNG;
CONF
chmod 755 "$tmp/webconf"
chmod 644 "$tmp/webconf/zabbix.conf.php"
mount --bind "$tmp/webconf" /etc/zabbix
setpriv --reuid=www-data --regid=www-data --init-groups -- \
    php -S 127.0.0.1:8080 -t $ZUI >"$tmp/php.log" 2>&1 &
php_pid=$!
ZAPI=http://127.0.0.1:8080/api_jsonrpc.php
AUTH=null
api() {	# api METHOD PARAMS: the result (JSON), or fail saying why
	_r=$(jq -nc --arg m "$1" --argjson p "$2" --argjson a "$AUTH" \
	    '{jsonrpc: "2.0", method: $m, params: $p, auth: $a, id: 1}' |
	    curl -sf -H 'Content-Type: application/json-rpc' --data-binary @- "$ZAPI") ||
	    { echo "# $1: no answer from the API" >&2; return 1; }
	if printf '%s' "$_r" | jq -e 'has("error")' >/dev/null; then
		echo "# $1: $(printf '%s' "$_r" | jq -c .error)" >&2
		return 1
	fi
	printf '%s' "$_r" | jq -c .result
}
api_up() { api apiinfo.version '{}' >/dev/null 2>&1; }
check "api_jsonrpc.php answers under php -S" wait_for 20 api_up
echo "# Zabbix API $(api apiinfo.version '{}')"
AUTH=$(api user.login '{"username": "Admin", "password": "zabbix"}')
check "user.login as Admin" [ -n "$AUTH" ]
servers_up "no Zabbix API"
# The data's own "Zabbix server" host polls an agent nobody runs: disable it.
zsh=$(api host.get '{"filter": {"host": ["Zabbix server"]}, "output": ["hostid"]}' | jq -r '.[0].hostid')
api host.update "{\"hostid\": \"$zsh\", \"status\": 1}" >/dev/null

# The template, with this build's OID arc if it is not the default.
python3 - "$TEMPLATE" "$TCPSLEUTH_OID" >"$tmp/template.yaml" <<'PY'
import sys
s, oid = open(sys.argv[1]).read(), sys.argv[2]
s = s.replace("1.3.6.1.4.1.32473", oid)
s = s.replace(r"\.3\.6\.1\.4\.1\.32473", oid[1:].replace(".", r"\."))
sys.stdout.write(s)
PY
jq -n --rawfile src "$tmp/template.yaml" '{format: "yaml", source: $src, rules: {
    groups: {createMissing: true},
    templates: {createMissing: true, updateExisting: true},
    items: {createMissing: true, updateExisting: true},
    discoveryRules: {createMissing: true, updateExisting: true},
    triggers: {createMissing: true, updateExisting: true},
    valueMaps: {createMissing: true, updateExisting: true}}}' >"$tmp/import.json"
api_ok() { api "$@" >/dev/null; }
check "configuration.import takes contrib's template" \
    api_ok configuration.import "$(cat "$tmp/import.json")"
tid=$(api template.get '{"filter": {"host": ["TCPSleuth by SNMP"]}, "output": ["templateid"]}' |
    jq -r '.[0].templateid')
gid=$(api hostgroup.get '{"filter": {"name": ["Templates/Applications"]}, "output": ["groupid"]}' |
    jq -r '.[0].groupid')
nproto=$(python3 -c 'import sys, yaml
t = yaml.safe_load(open(sys.argv[1]))["zabbix_export"]["templates"][0]
print(sum(len(r["item_prototypes"]) for r in t["discovery_rules"]))' "$TEMPLATE")
trapkey=$(python3 -c 'import sys, yaml
t = yaml.safe_load(open(sys.argv[1]))["zabbix_export"]["templates"][0]
print([i["key"] for i in t["items"] if i["type"] == "SNMP_TRAP"][0])' "$tmp/template.yaml")

# The agent: snmpd, tcpsleuthd as its subagent raising an endpoint alarm
# at 1/s after 2 s, snmptrapd running the shipped traphandle.
check "snmptrapd runs tcpsleuth-zabbix-traphandle" snmptrapd_start "$tmp" \
    "traphandle default /bin/sh $TRAPHANDLE $Z/snmptraps.log"
snmpd_start "$tmp"
check "tcpsleuthd registered with the private snmpd" \
    sleuthd_start "$tmp" --windows 6,12,18 --alarm-rate 1 --alarm-clear 0.5 --alarm-hold 2

# The host: SNMPv2 at the private snmpd; the template's intervals and
# hold shortened through its macros, set on the host.
jq -n --arg tid "$tid" --arg gid "$gid" --arg port "$SNMP_PORT" '{
    host: "tcpsleuth-seed", groups: [{groupid: $gid}], templates: [{templateid: $tid}],
    interfaces: [{type: 2, main: 1, useip: 1, ip: "127.0.0.1", dns: "", port: $port,
        details: {version: 2, bulk: 1, community: "{$SNMP_COMMUNITY}"}}],
    macros: [{macro: "{$SNMP_COMMUNITY}", value: "public"},
        {macro: "{$TCPSLEUTH.INTERVAL}", value: "2s"},
        {macro: "{$TCPSLEUTH.LLD.INTERVAL}", value: "3s"},
        {macro: "{$TCPSLEUTH.HOLD}", value: "6s"}]}' >"$tmp/host.json"
hid=$(api host.create "$(cat "$tmp/host.json")" | jq -r '.hostids[0]')
check "host.create: SNMPv2 interface 127.0.0.1:$SNMP_PORT, the template, short macros" [ -n "$hid" ]
items() {	# items JSON-FILTER: the host's items (itemid key_ name snmp_oid value_type lastvalue lastclock)
	api item.get "{\"hostids\": [\"$hid\"], \"output\": [\"itemid\", \"key_\", \"name\", \"snmp_oid\",
	    \"value_type\", \"lastvalue\", \"lastclock\", \"flags\"]}" | jq -rc "$1"
}
polled() { [ "$(items '.[] | select(.key_ == "tcpsleuth.capture.state") | .lastvalue')" = 1 ]; }
check "zabbix polls the host's items every 2 s (capture state running)" wait_for 30 polled

# The seed: a client retries 127.0.0.1:7211 twice a second.
"$TCPPROBE" connect 127.0.0.1 7211 -n 0 -i 500 >/dev/null &
cpid=$!
t1=$(date +%s%N)
ep_items() { items '[.[] | select(.flags == "4" and (.name | contains("lo 127.0.0.1:7211")))]'; }
discovered() { [ "$(ep_items | jq length)" = "$nproto" ]; }
check "low-level discovery creates the endpoint's $nproto items" wait_for 40 discovered
echo "# discovered $(ms_since "$t1") ms after the client started"
ep_items >"$tmp/ep.json"
jq -r '.[] | "# \(.key_)  \(.snmp_oid)"' "$tmp/ep.json"
item() { jq -r --arg k "$1" '.[] | select(.key_ | startswith($k + "[")) | .'"$2" "$tmp/ep.json"; }
snmpval() { get ".$(item "$1" snmp_oid)"; }
history() {	# history KEY: the item's latest value in history.get, "clock value"
	api history.get "{\"itemids\": [\"$(item "$1" itemid)\"], \"history\": $(item "$1" value_type),
	    \"sortfield\": \"clock\", \"sortorder\": \"DESC\", \"limit\": 1}" |
	    jq -r '.[0] // empty | "\(.clock) \(.value)"'
}
rate_seen() { history tcpsleuth.endpoint.rate1 | awk '{ v = $2 } END { exit !(NR && v + 0 >= 1) }'; }
check "the endpoint's rate item is polled (history.get)" wait_for 30 rate_seen
same_rate() {	# zabbix's latest rate1 and snmpget's at its OID agree within 0.25/s
	zr=$(history tcpsleuth.endpoint.rate1 | cut -d' ' -f2)
	sr=$(snmpval tcpsleuth.endpoint.rate1)
	awk -v z="$zr" -v s="$sr" 'BEGIN { d = z - s / 1000; exit !(z != "" && d < 0.25 && d > -0.25) }'
}
check "rate1 in zabbix is snmpget's value at the item's OID, scaled by 0.001" wait_for 20 same_rate
echo "# rate1: zabbix $zr/s, snmpget $sr thousandths"
refused_ps() { history tcpsleuth.endpoint.refused | awk '{ v = $2 } END { exit !(NR && v + 0 >= 1 && v + 0 <= 3) }'; }
check "refused per second (CHANGE_PER_SECOND on the counter) is about 2" wait_for 20 refused_ps

problems() { api problem.get "{\"hostids\": [\"$hid\"], \"output\": [\"name\"]}"; }
problem() { problems | jq -e '.[] | select(.name | startswith("Endpoint lo 127.0.0.1:7211 is failing"))' >/dev/null; }
check "the rate trigger fires: a problem for lo 127.0.0.1:7211 (problem.get)" wait_for 40 problem
echo "# problem $(ms_since "$t1") ms after the client started"
pname=$(problems | jq -r '.[] | select(.name | startswith("Endpoint lo 127.0.0.1:7211")) | .name')
check "...named with the rate and its unit once ($pname)" \
    sh -c "echo '$pname' | grep -Eq '^Endpoint lo 127.0.0.1:7211 is failing: [0-9.]+ /s\$'"
trig() { api trigger.get "{\"hostids\": [\"$hid\"], \"output\": [\"value\"], \"search\": {\"description\": \"lo 127.0.0.1:7211\"}}" | jq -r '.[0].value'; }
is "$(trig)" 1 "...and the trigger's value is PROBLEM (trigger.get)"

trapitem=$(items ".[] | select(.key_ == $(printf '%s' "$trapkey" | jq -R .)) | .itemid")
trapped() {	# trapped N: notification N about lo 127.0.0.1:7211 is in the trap item
	api history.get "{\"itemids\": [\"$trapitem\"], \"history\": 2, \"sortfield\": \"clock\"}" \
	    >"$tmp/traps.json" &&
	    jq -e --arg n "$TCPSLEUTH_OID.0.$1" '.[] | select((.value | contains(".\($n)\n")) and
	        (.value | contains("\"lo 127.0.0.1:7211\"")))' "$tmp/traps.json" >/dev/null
}
check "the endpoint-high notification arrives in the SNMP trap item" wait_for 30 trapped 1
echo "# trap item after $(ms_since "$t1") ms:"
jq -r '.[0].value' "$tmp/traps.json" | sed 's/^/#   /'
check "...with its time stamp read by the item's logtimefmt" \
    sh -c "jq -e '.[0].timestamp | tonumber > 0' '$tmp/traps.json' >/dev/null"

kill "$cpid"
wait "$cpid"
cpid=
t2=$(date +%s)
resolved() { ! problem && [ "$(trig)" = 0 ]; }
check "after the client stops the problem resolves" wait_for 40 resolved
echo "# resolved $(($(date +%s) - t2)) s after the client stopped"
fresh() { [ "$(history tcpsleuth.endpoint.failures | cut -d' ' -f1)" -ge $((t2 + 2)) ]; }
check "zabbix polls the endpoint after the client stopped" wait_for 20 fresh
f=$(history tcpsleuth.endpoint.failures | cut -d' ' -f2)
is "$f" "$(snmpval tcpsleuth.endpoint.failures)" "failures in zabbix ($f) are snmpget's count at its OID"
is "$(history tcpsleuth.endpoint.listener | cut -d' ' -f2)" "$(snmpval tcpsleuth.endpoint.listener)" \
    "listener in zabbix is snmpget's (3, notListening)"
check "the endpoint-normal notification arrives too" wait_for 30 trapped 2

# Which table discovery walks: the endpoint's 1-minute rate is 0 (6 s
# windows), so it has left tcpsleuthTopTable; it stays in tcpsleuthEpTable.
ts_delete() {	# the endpoint's rate item: when it is due for deletion (0: found by discovery)
	api item.get "{\"itemids\": [\"$(item tcpsleuth.endpoint.rate1 itemid)\"],
	    \"selectItemDiscovery\": [\"ts_delete\", \"lastcheck\"], \"output\": [\"itemid\"]}" |
	    jq -r '.[0].itemDiscovery.ts_delete'
}
lost() { [ "$(ts_delete)" -gt 0 ]; }
check "discovery over the bounded view no longer finds the idle endpoint: its items are due for deletion" \
    wait_for 30 lost
echo "# ts_delete $(ts_delete) (in {\$TCPSLEUTH.LLD.LIFETIME})"
api_ok usermacro.create "{\"hostid\": \"$hid\", \"macro\": \"{\$TCPSLEUTH.LLD.TABLE}\", \"value\": \"4\"}"
found() { [ "$(ts_delete)" = 0 ]; }
check "with {\$TCPSLEUTH.LLD.TABLE} 4 discovery walks tcpsleuthEpTable and finds it again" \
    wait_for 30 found
echo "# traps no item matched (snmpd's own coldStart): $(grep -c 'unmatched trap' "$Z/server.log")"
echo "# whole test: $(ms_since "$t0") ms"
done_testing
