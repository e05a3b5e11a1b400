#!/bin/sh
# golden.sh - "input capture -> expected output": each line of
# tests/golden/cases runs tcpsleuth on a committed capture and compares its
# output with NAME.out.  GOLDEN_UPDATE=1 rewrites the expected files.
. "$(dirname "$0")/../lib.sh"
here=$TOP_SRCDIR/tests/golden
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

grep -v '^#' "$here/cases" | while IFS='|' read -r name args; do
	name=$(echo $name)
	[ -n "$name" ] || continue
	(cd "$FIXTURES" && eval "\"\$TCPSLEUTH\" $args") >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
		cp "$tmp/$name.out" "$here/$name.out"
	fi
	if [ $rc -eq 0 ] && diff -u "$here/$name.out" "$tmp/$name.out" >"$tmp/diff"; then
		echo "ok - $name"
	else
		echo "not ok - $name (exit $rc)"
		sed 's/^/# /' "$tmp/$name.err" "$tmp/diff" | head -40
	fi
done >"$tmp/results"
cat "$tmp/results"
n=$(grep -c '^ok\|^not ok' "$tmp/results")
echo "1..$n"
! grep -q '^not ok' "$tmp/results"
