#!/bin/sh
# ctl-sockets.sh - every tcpsleuthd that a test, a benchmark or the demo
# starts is given a control socket of its own (--control-socket PATH, or
# a configuration file with -c): tests run side by side, and a second
# tcpsleuthd on the default /run/tcpsleuthd/control refuses to start
# (another one answers there), which would fail only when two met.
. "$(dirname "$0")/../lib.sh"

# The commands (continuation lines joined) that start a daemon: tcpsleuthd
# followed by options, -f, -x or --listen among them (not only -n, -V, -h);
# a variable of options may come first ("$TCPSLEUTHD" $SLEUTHD_KEV -f).
starts() {
	awk '
	/\\$/ { line = line substr($0, 1, length($0) - 1) " "; next }
	{ line = line $0
	  if (line ~ /(TCPSLEUTHD|\/tcpsleuthd)"( +\$[A-Za-z_][A-Za-z_0-9]*)* +-/ &&
	      line ~ /( -f | -f$| -x | --listen )/ &&
	      line !~ /--control-socket / && line !~ / -c /)
		print FILENAME ": " line
	  line = "" }' "$@"
}

files=$(ls "$TOP_SRCDIR"/tests/*.sh "$TOP_SRCDIR"/tests/integration/*.sh \
    "$TOP_SRCDIR"/tests/golden/*.sh "$TOP_SRCDIR"/bench/*.sh \
    "$TOP_SRCDIR"/tools/demo | grep -v '/ctl-sockets\.sh$')
bad=$(starts $files)
is "$bad" "" "every tcpsleuthd started by tests, benchmarks and the demo has a control socket of its own"
# The check itself finds one that has none.
printf '%s\n' '"$TCPSLEUTHD" -f -x "$tmp/agentx.sock" \' '    --rows 8 &' >"${TMPDIR:-/tmp}/ctl-sockets.$$"
check "...and would find one without" [ -n "$(starts "${TMPDIR:-/tmp}/ctl-sockets.$$")" ]
rm -f "${TMPDIR:-/tmp}/ctl-sockets.$$"
done_testing
