#!/bin/sh
# config.sh - tcpsleuthd.conf: the example is valid, every error names
# file:line, `tcpsleuthd -n` checks and exits, the command line completes
# and overrides the file.
. "$(dirname "$0")/../lib.sh"
: "${TCPSLEUTHD:=$TOP_BUILDDIR/agentx/tcpsleuthd}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

chk() {	# chk FILE [ARGS]: run -n; status in $rc, stderr+stdout in $tmp/out
	f=$1
	shift
	"$TCPSLEUTHD" -n -c "$f" "$@" >"$tmp/out" 2>&1
	rc=$?
}
says() { grep -q -F -e "$1" "$tmp/out"; }

chk "$TOP_SRCDIR/contrib/tcpsleuthd.conf"
is "$rc" 0 "the example configuration is valid"
check "-n says so" says "configuration OK"

bad() {	# bad LINE WHAT TEXT: a file whose line LINE is wrong
	printf '%b' "$3" >"$tmp/bad.conf"
	chk "$tmp/bad.conf"
	is "$rc" 1 "$2: exit 1"
	check "$2: names bad.conf:$1" says "bad.conf:$1:"
	sed 's/^/# /' "$tmp/out"
}
bad 3 "an unknown option" 'rows = 10\n# a comment\nbogus = 3\n'
bad 2 "rows = 0" 'ttl = 5\nrows = 0\n'
bad 1 "a word where a number goes" 'rows = many\n'
bad 4 "clear above rate" '\n\n\nalarm { rate = 1 clear = 2 }\n'
bad 2 "a bad ignored address" 'ignore-ports = { 22 }\nignore-addresses = { "10.0.0.0/33" }\n'
bad 1 "a port out of range" 'ignore-ports = { 70000 }\n'
bad 1 "two rate windows" 'windows = { 60, 300 }\n'
bad 2 "an alarm-port that is not a port" '\nalarm-port http { rate = 1 }\n'
bad 1 "a short v3 pass phrase" 'v3-user "ops" { auth = "short" priv = "privpass123" }\n'
bad 1 "a window of 2 minutes" 'alarm { minutes = 2 }\n'
bad 2 "an unterminated section" 'rows = 5\nalarm {\n'

chk "$tmp/does-not-exist.conf"
is "$rc" 1 "a missing file: exit 1"
check "...says so" says "does-not-exist.conf: No such file or directory"

printf 'listen = "udp:127.0.0.1:1161"\n' >"$tmp/listen.conf"
chk "$tmp/listen.conf"
check "listen without a community: refused" [ "$rc" = 1 ] && says "listen needs a community"
chk "$tmp/listen.conf" --community s3cret
is "$rc" 0 "...the command line completes the file"
printf 'rows = 5\ntrap-sink = { "127.0.0.1:162" }\n' >"$tmp/sink.conf"
chk "$tmp/sink.conf"
check "trap-sink without listen: refused" [ "$rc" = 1 ] && says "trap-sink is for the standalone agent"
"$TCPSLEUTHD" -n -c "$TOP_SRCDIR/contrib/tcpsleuthd.conf" --rows 0 >"$tmp/out" 2>&1
rc=$?
is "$rc" 2 "a bad command-line value: exit 2 (usage)"
done_testing
