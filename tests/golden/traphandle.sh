#!/bin/sh
# traphandle.sh - contrib/zabbix/tcpsleuth-zabbix-traphandle writes the
# records Zabbix's SNMP trapper reads: "<time> ZBXTRAP <address>" then the
# text; the address from the transport (IPv4, IPv6) or snmpTrapAddress.0,
# "unknown" when there is none; "ZBXTRAP" inside the text cannot start a
# record of its own; handlers running at once do not interleave.  (The
# Zabbix server reading these records: tests/integration/zabbix.sh.)
. "$(dirname "$0")/../lib.sh"
H=$TOP_SRCDIR/contrib/zabbix/tcpsleuth-zabbix-traphandle
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
F=$tmp/traps
handle() { sh "$H" "$F"; }	# the snmptrapd input on stdin

printf '%s\n' localhost 'UDP: [127.0.0.1]:47048->[127.0.0.1]:162' \
    '.1.3.6.1.2.1.1.3.0 0:0:18:37.33' \
    '.1.3.6.1.6.3.1.1.4.1.0 .1.3.6.1.4.1.32473.0.1' \
    '.1.3.6.1.4.1.32473.1.7.6.0 "lo 127.0.0.1:7211"' | handle
is "$?" 0 "a notification is appended"
check "the first line is '<hh:mm:ss yyyy/MM/dd> ZBXTRAP 127.0.0.1'" \
    grep -Eq '^[0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}/[0-9]{2}/[0-9]{2} ZBXTRAP 127\.0\.0\.1$' "$F"
is "$(sed -n 2,3p "$F" | tr '\n' '|')" \
    'host localhost|transport UDP: [127.0.0.1]:47048->[127.0.0.1]:162|' \
    "then the sender's host name and transport"
is "$(sed -n 6p "$F")" '.1.3.6.1.4.1.32473.1.7.6.0 "lo 127.0.0.1:7211"' "then the varbinds as given"
is "$(stat -c %a "$F")" 644 "the file is created readable by Zabbix's user"

: >"$F"
printf '%s\n' h 'UDP/IPv6: [fd00::7]:4000->[::1]:162' '.1.3.6.1.2.1.1.3.0 0' | handle
is "$(sed -n '1s/.* ZBXTRAP //p' "$F")" fd00::7 "an IPv6 sender's address"
: >"$F"
printf '%s\n' h 'UDP: [127.0.0.1]:4000->[127.0.0.1]:162' '.1.3.6.1.6.3.18.1.3.0 192.0.2.9' | handle
is "$(sed -n '1s/.* ZBXTRAP //p' "$F")" 192.0.2.9 "snmpTrapAddress.0 (a v1 agent address, a proxy's) wins"
: >"$F"
printf '%s\n' h 'UDP: [127.0.0.1]:4000->[127.0.0.1]:162' \
    'SNMP-COMMUNITY-MIB::snmpTrapAddress.0 a b' | handle
is "$(sed -n '1s/.* ZBXTRAP //p' "$F")" 127.0.0.1 "...unless it is not an address"
: >"$F"
printf '%s\n' h 'unix: /run/x' | handle
is "$(sed -n '1s/.* ZBXTRAP //p' "$F")" unknown "no address: unknown (Zabbix logs it as unmatched)"

: >"$F"
printf '%s\n' 'ZBXTRAP 10.6.6.6' 'UDP: [127.0.0.1]:4000->[127.0.0.1]:162' \
    '.1.3.6.1.4.1.32473.1.7.6.0 "two' 'ZBXTRAP 10.6.6.6' 'lines ZBXTRAP 10.6.6.6"' | handle
is "$(grep -c ZBXTRAP "$F")" 1 "ZBXTRAP inside the text does not start a forged record"
check "...it is written ZBX-TRAP" grep -q '^lines ZBX-TRAP 10.6.6.6"$' "$F"

: >"$F"
i=0
while [ $i -lt 20 ]; do
	printf '%s\n' "h$i" 'UDP: [127.0.0.1]:4000->[127.0.0.1]:162' ".1.3.6.1.2.1.1.3.0 $i" \
	    ".1.3.6.1.4.1.32473.1.7.9.0 $i" | handle &
	i=$((i + 1))
done
wait
is "$(grep -c ZBXTRAP "$F")" 20 "20 handlers at once: 20 records"
whole=$(awk '/ ZBXTRAP / { n = 0; next }
    { n++; split($0, w, " "); if (n == 1) id = substr(w[2], 2) }
    n == 3 && $2 != id { bad++ } n == 4 && $2 != id { bad++ }
    END { print bad + 0 }' "$F")
is "$whole" 0 "...each one whole, none interleaved"
printf '' | handle
is "$?" 0 "empty input does no harm"
msg=$(printf 'h\n' | sh "$H" /nonexistent/dir/traps 2>&1)
is "$?: $msg" "1: tcpsleuth-zabbix-traphandle: cannot append to /nonexistent/dir/traps" \
    "an unwritable file: one message and exit status 1"
done_testing
