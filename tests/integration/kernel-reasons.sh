#!/bin/sh
# kernel-reasons.sh - tcpsleuth's class of every RST this host sends,
# checked against the kernel's own reason for sending it: the tracepoint
# tcp:tcp_send_reset (reason NO_SOCKET, TCP_ABORT_ON_LINGER,
# TCP_ABORT_ON_CLOSE, ...), read from a tracefs instance of the test's own
# in a private mount namespace, while tcpsleuth --events captures the
# same traffic on loopback in a network namespace of its own.
. "$(dirname "$0")/../lib.sh"
need_root
if [ -z "${TS_IN_MNTNS:-}" ]; then
	TS_IN_MNTNS=1 exec unshare -m -n sh "$0" "$@"
fi
ip link set lo up
tmp=$(mktemp -d)
mkdir "$tmp/tracing"
mount -t tracefs nodev "$tmp/tracing" 2>/dev/null ||
    skip_all "cannot mount tracefs"
ev=$tmp/tracing/events/tcp/tcp_send_reset
[ -f "$ev/format" ] && grep -q 'reason' "$ev/format" ||
    skip_all "this kernel's tcp:tcp_send_reset has no reason field"
inst=$tmp/tracing/instances/tcpsleuth$$
mkdir "$inst" || skip_all "cannot make a tracefs instance"
spid= tpid=
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null
	[ -n "$tpid" ] && kill "$tpid" 2>/dev/null
	echo 0 >"$inst/events/tcp/tcp_send_reset/enable" 2>/dev/null
	rmdir "$inst" 2>/dev/null
	umount "$tmp/tracing" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

echo 1 >"$inst/events/tcp/tcp_send_reset/enable"
cat "$inst/trace_pipe" >"$tmp/trace" &
tpid=$!
"$TCPSLEUTH" -i lo --events >"$tmp/events" 2>"$tmp/err" &
spid=$!
wait_for 10 grep -q "capturing on" "$tmp/err"

# Each kind of reset this host can send, on ports of their own.
"$TCPPROBE" connect 127.0.0.1 7101 -n 3 >/dev/null               # nothing listens
"$TCPPROBE" connect ::1 7101 -n 2 >/dev/null
"$TCPPROBE" listen 127.0.0.1 7102 -n 2 >/dev/null &
wait_for 5 sh -c 'ss -Hltn "sport = :7102" | grep -q .'
"$TCPPROBE" connect 127.0.0.1 7102 -n 2 -d 100 -a >/dev/null       # client SO_LINGER 0
"$TCPPROBE" listen 127.0.0.1 7103 -n 2 -a >/dev/null &
wait_for 5 sh -c 'ss -Hltn "sport = :7103" | grep -q .'
"$TCPPROBE" connect 127.0.0.1 7103 -n 2 -d 10 -w >/dev/null        # server SO_LINGER 0
"$TCPPROBE" listen 127.0.0.1 7104 -n 2 -u >/dev/null &
wait_for 5 sh -c 'ss -Hltn "sport = :7104" | grep -q .'
"$TCPPROBE" connect 127.0.0.1 7104 -n 2 -d 10 -w >/dev/null        # closed with data unread

# 5 refused, 2 client and 2 server SO_LINGER 0 aborts, 2 closed unread.
resets() { [ "$(grep 'reason=' "$tmp/trace" | grep -E 'src=(127\.0\.0\.1|\[::1\]):' | grep -c ':710[1-4] ')" -ge 11 ]; }
check "the kernel reported its resets" wait_for 10 resets
classified() { [ "$(grep -c '"class"' "$tmp/events")" -ge 11 ]; }
check "tcpsleuth classified them" wait_for 10 classified

# Join: each traced RST (src -> dest, reason) with tcpsleuth's event for
# the same service/peer pair and the sender's side.
awk '
function ep(s) { sub(/^\[/, "", s); sub(/\]:/, " ", s); if (s !~ / /) { n = split(s, p, ":"); s = p[1] " " p[2] } return s }
FNR == NR {
	# {"ts":...,"class":"refused",...,"rst_by":"service",...,"service":"127.0.0.1","service_port":7101,"peer":"127.0.0.1","peer_port":41234,...}
	line = $0
	c = line; sub(/.*"class":"/, "", c); sub(/".*/, "", c)
	b = line; sub(/.*"rst_by":"/, "", b); sub(/".*/, "", b)
	sv = line; sub(/.*"service":"/, "", sv); sub(/".*/, "", sv)
	sp = line; sub(/.*"service_port":/, "", sp); sub(/,.*/, "", sp)
	pv = line; sub(/.*"peer":"/, "", pv); sub(/".*/, "", pv)
	pp = line; sub(/.*"peer_port":/, "", pp); sub(/,.*/, "", pp)
	if (b == "service") key = sv " " sp " " pv " " pp
	else key = pv " " pp " " sv " " sp
	cls[key] = c
	next
}
/reason=/ {
	src = $0; sub(/.*src=/, "", src); sub(/ .*/, "", src)
	dst = $0; sub(/.*dest=/, "", dst); sub(/ .*/, "", dst)
	# The tracepoint sees every namespace: keep the ports used here, on
	# loopback (others scan or flood every port, on their own addresses).
	if (src !~ /:710[1-4]$/ && dst !~ /:710[1-4]$/) next
	if (src !~ /^(127\.0\.0\.1|\[::1\]):/ || dst !~ /^(127\.0\.0\.1|\[::1\]):/) next
	r = $0; sub(/.*reason=/, "", r); sub(/ .*/, "", r)
	key = ep(src) " " ep(dst)
	if (!(key in cls)) { print "MISSING", r, key; next }
	print (cls[key] == expect(r) ? "AGREE" : "DISAGREE"), r, cls[key], key
}
function expect(r) {
	if (r == "NO_SOCKET") return "refused"
	if (r ~ /^TCP_ABORT_ON_|^TCP_DISCONNECT_WITH_DATA|^TCP_STATE|^TCP_KEEPALIVE/) return "abort"
	return "?" r
}' "$tmp/events" "$tmp/trace" >"$tmp/joined"
sed 's/^/# /' "$tmp/joined"
echo "# reasons: $(awk '{ print $2 "->" $3 }' "$tmp/joined" | sort | uniq -c | tr '\n' ' ')"
is "$(grep -c '^AGREE' "$tmp/joined")" "$(grep -c . "$tmp/joined")" \
    "every reset the kernel sent: tcpsleuth's class agrees with its reason"
check "refused (NO_SOCKET) seen for IPv4 and IPv6" sh -c \
    "grep -q '^AGREE NO_SOCKET refused 127.0.0.1' '$tmp/joined' && grep -q '^AGREE NO_SOCKET refused ::1' '$tmp/joined'"
# SO_LINGER 0 reads TCP_STATE on recent kernels, TCP_ABORT_ON_LINGER on some.
check "aborts by SO_LINGER 0 and by unread data seen" sh -c \
    "grep -q '^AGREE TCP_\(STATE\|ABORT_ON_LINGER\) abort' '$tmp/joined' && grep -q '^AGREE TCP_ABORT_ON_CLOSE' '$tmp/joined'"
is "$(grep -c . "$tmp/joined")" 11 "all 11 resets joined (none missing)"
done_testing
