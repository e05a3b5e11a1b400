#!/bin/sh
# hardening.sh - the binaries are built hardened (the default): PIE, full
# RELRO (BIND_NOW), a stack protector and FORTIFY_SOURCE's checked calls.
# A --disable-hardening or --enable-sanitizers build says so and is skipped.
. "$(dirname "$0")/../lib.sh"
command -v readelf >/dev/null || skip_all "needs readelf (binutils)"
if grep -q -- '--enable-sanitizers\|--disable-hardening' "$TOP_BUILDDIR/config.log" 2>/dev/null &&
    ! grep -q 'D_FORTIFY_SOURCE=3' "$TOP_BUILDDIR/Makefile"; then
	echo "1..0 # SKIP built without hardening (sanitizers or --disable-hardening)"
	exit 0
fi
bins=$TOP_BUILDDIR/src/tcpsleuth
[ "${DAEMON:-yes}" = no ] || bins="$bins $TOP_BUILDDIR/agentx/tcpsleuthd"
for b in $bins; do
	n=$(basename "$b")
	check "$n: PIE (ELF type DYN)" sh -c "readelf -h '$b' | grep -q 'Type:.*DYN'"
	check "$n: RELRO segment" sh -c "readelf -lW '$b' | grep -q GNU_RELRO"
	check "$n: BIND_NOW (full RELRO)" sh -c "readelf -dW '$b' | grep -q 'BIND_NOW\|FLAGS_1.*NOW'"
	check "$n: stack protector" sh -c "readelf -sW '$b' | grep -q __stack_chk_fail"
	check "$n: FORTIFY_SOURCE checked calls" sh -c "readelf -sW '$b' | grep -q '__[a-z]*_chk@'"
	check "$n: no executable stack" sh -c "readelf -lW '$b' | grep GNU_STACK | grep -qv RWE"
done
done_testing
