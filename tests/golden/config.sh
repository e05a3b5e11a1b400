#!/bin/sh
# config.sh - tcpsleuthd.conf: the example is valid, every error names
# file:line (inside sections, the offending line), `tcpsleuthd -n` checks
# what a start needs and exits, a start with a filter that cannot compile
# fails at once, -V, --help and a bad option answer whatever the file
# holds, the command line completes and overrides the file.  (That the file
# and the command line take the same values is tests/unit/test_conf.)
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
bad 3 "a typo inside a section" 'alarm {\n\trate = 1\n\thodl = 60\n}\n'
check "...names it, and what was meant" says "unknown setting 'hodl' in alarm { } (did you mean 'hold'?)"
bad 2 "a namespace list of nothing" 'listeners = 64\nnamespaces = ","\n'
bad 3 "a listener-alarm clear above its rate" '\n\nlistener-alarm { rate = 1 clear = 2 }\n'
bad 5 "a port with two alarm-port sections" '\nalarm-port 7211 { rate = 1 }\n\n# again\nalarm-port "7211" { rate = 2 }\n'
check "...says so, with both lines" says "port 7211 has two alarm-port sections (lines 2 and 5)"

# -n checks what a start needs, not only the syntax.
bad 2 "a filter that does not compile" 'rows = 5\nfilter = "tcp port"\n'
bad 1 "a user that does not exist" 'user = "nosuchuser-ts"\n'
check "...says so" says '"nosuchuser-ts": no such user'
bad 1 "a listen address with a bad port" 'listen = "udp:1.2.3.4:abc"\ncommunity = "c"\n'
check "...names it" says '"abc" is not a port'
bad 1 "a relative AgentX socket" 'agentx-socket = "agentx/master"\n'
printf 'filter = "ether host 00:00:5e:00:53:01"\n' >"$tmp/ether.conf"
chk "$tmp/ether.conf"
check "a filter that cannot compile for any (Linux cooked): refused" [ "$rc" = 1 ]
check "...saying for which interface" says 'does not compile for any (LINUX_SLL2)'
chk "$tmp/ether.conf" -i lo
is "$rc" 0 "...and accepted for lo (Ethernet)"
timeout 20 "$TCPSLEUTHD" -f -c "$tmp/ether.conf" -x "$tmp/agentx.sock" >"$tmp/out" 2>&1
is "$?" 1 "a start with that filter fails at once, exit 1"
check "...saying why" says 'does not compile for any'

# With a broken file, what is asked is answered.
printf 'rows = 0\n' >"$tmp/broken.conf"
"$TCPSLEUTHD" -c "$tmp/broken.conf" -V >"$tmp/out" 2>&1
is "$?/$(cat "$tmp/out")" "0/tcpsleuthd $(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"/\1/p' "$TOP_BUILDDIR/config.h")" \
    "-V with a broken file: the version, nothing else"
"$TCPSLEUTHD" -c "$tmp/broken.conf" --help >"$tmp/out" 2>&1
rc=$?
check "--help with a broken file: the usage, exit 0" [ "$rc" = 0 ] && says "usage: tcpsleuthd" && ! says "broken.conf"
"$TCPSLEUTHD" -c "$tmp/broken.conf" --bogus >"$tmp/out" 2>&1
rc=$?
check "a bad option with a broken file: that option's error, exit 2" [ "$rc" = 2 ] && says "'--bogus'" && ! says "broken.conf"

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
