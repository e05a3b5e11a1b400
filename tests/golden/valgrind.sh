#!/bin/sh
# valgrind.sh - the unit tests, tcpsleuth on every capture (good and bad)
# and the configuration checker under valgrind memcheck: no invalid
# access, no uninitialised use, 0 bytes definitely or indirectly lost.
# No suppressions are needed.  (Not in the sanitizer build: ASan and
# valgrind do not mix.)
. "$(dirname "$0")/../lib.sh"
command -v valgrind >/dev/null || skip_all "needs valgrind (Debian package valgrind)"
if ! grep -q 'D_FORTIFY_SOURCE=3\|enable_sanitizers=no' "$TOP_BUILDDIR/Makefile" 2>/dev/null &&
    grep -q 'fsanitize=address' "$TOP_BUILDDIR/Makefile"; then
	echo "1..0 # SKIP a sanitizer build: valgrind does not run ASan binaries"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --track-origins=yes"

vg() {	# vg NAME COMMAND...: clean under memcheck (its own exit status kept)
	n=$1
	shift
	$VG "$@" >/dev/null 2>"$tmp/vg"
	if [ $? -eq 99 ]; then
		ok 1 "memcheck: $n"
		sed 's/^/# /' "$tmp/vg" | head -30
	else
		ok 0 "memcheck: $n"
	fi
}
for t in "$TOP_BUILDDIR"/tests/unit/test_*; do
	[ -x "$t" ] && case $t in *.o|*.log|*.trs) ;; *) vg "$(basename "$t")" "$t" ;; esac
done
for f in "$FIXTURES"/*.pcap "$FIXTURES"/*.pcapng "$FIXTURES"/not-a-capture.txt; do
	vg "tcpsleuth -r $(basename "$f")" "$TCPSLEUTH" -r "$f" --json --top 0
done
if [ "${DAEMON:-yes}" != no ]; then	# not configured --disable-daemon
	: "${TCPSLEUTHD:=$TOP_BUILDDIR/agentx/tcpsleuthd}"
	vg "tcpsleuthd -n on the example configuration" "$TCPSLEUTHD" -n -c "$TOP_SRCDIR/contrib/tcpsleuthd.conf"
	printf 'rows = 0\n' >"$tmp/bad.conf"
	vg "tcpsleuthd -n on a bad configuration" "$TCPSLEUTHD" -n -c "$tmp/bad.conf"
fi
done_testing
