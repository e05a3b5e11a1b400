#!/bin/sh
# nodaemon.sh - ./configure --disable-daemon builds tcpsleuth(1) and passes
# its tests on a machine without net-snmp, libConfuse, libcap-ng and
# libsystemd for development: in a private mount namespace their headers
# and pkg-config files are hidden (an empty directory over the header
# directories, an #error over the single headers, a copy of the pkg-config
# directory without their .pc files), then configure, make and make check
# (unit and golden tests) run in a fresh build directory, and ldd and nm
# show that nothing links net-snmp (readelf: nor the other three).
# Root (unshare -m); about a minute and a half.
. "$(dirname "$0")/../lib.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (a private mount namespace)"
command -v unshare >/dev/null || skip_all "needs unshare (util-linux)"
if grep -q 'fsanitize=address' "$TOP_BUILDDIR/Makefile" 2>/dev/null; then
	echo "1..0 # SKIP a sanitizer build: the main build runs this one"
	exit 0
fi

if [ -z "${TS_NODAEMON_NS:-}" ]; then
	TS_NODAEMON_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Hide them.
mkdir "$tmp/empty"
echo '#error hidden by tests/golden/nodaemon.sh' >"$tmp/hidden.h"
for d in /usr/include/net-snmp /usr/include/systemd; do
	[ -d "$d" ] && mount --bind "$tmp/empty" "$d"
done
for h in /usr/include/confuse.h /usr/include/cap-ng.h; do
	[ -f "$h" ] && mount --bind "$tmp/hidden.h" "$h"
done
pcdir=$(pkg-config --variable=pcfiledir libpcap)
cp -a "$pcdir" "$tmp/pc"
rm -f "$tmp/pc"/netsnmp*.pc "$tmp/pc"/libconfuse.pc "$tmp/pc"/libcap-ng.pc \
    "$tmp/pc"/libsystemd.pc
mount --bind "$tmp/pc" "$pcdir"
hidden() { ! pkg-config --exists "$1" && ! [ -e "$2" ]; }
check "net-snmp is hidden (no netsnmp.pc, no net-snmp-config.h)" \
    hidden netsnmp /usr/include/net-snmp/net-snmp-config.h
check "libConfuse, libcap-ng, libsystemd are hidden" sh -c \
    '! pkg-config --exists libconfuse && ! pkg-config --exists libcap-ng &&
     ! pkg-config --exists libsystemd && ! echo "#include <confuse.h>" |
     cc -E - >/dev/null 2>&1 && ! [ -e /usr/include/systemd/sd-daemon.h ]'

# Build and test in a fresh directory (the source tree stays as it is),
# with none of the make running this test's flags (TESTS=..., -j).
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
mkdir "$tmp/b"
cd "$tmp/b" || exit 1
"$TOP_SRCDIR/configure" --disable-daemon --disable-integration \
    --with-ietf-mibs="${IETF_MIBS:-}" >configure.out 2>&1
rc=$?
is "$rc" 0 "./configure --disable-daemon"
[ $rc -eq 0 ] || tail -20 configure.out | sed 's/^/# /'
check "...did not look for the daemon's libraries" sh -c \
    '! grep -q -i "netsnmp\|libconfuse\|libcap-ng\|libsystemd" configure.out'
make -j"$(nproc)" >make.out 2>&1
is "$?" 0 "make builds tcpsleuth"
tail -20 make.out | sed 's/^/# /'
check "...and no tcpsleuthd" [ ! -e agentx/tcpsleuthd ]
make -j"$(nproc)" check >check.out 2>&1
rc=$?
is "$rc" 0 "make check passes (unit and golden tests)"
grep -E '^(# [A-Z]+:|FAIL|ERROR)' check.out | sed 's/^/# /'
check "...and ran the unit tests" grep -q '^PASS: tests/unit/test_settings' check.out
check "...and the golden ones" grep -q '^PASS: tests/golden/golden.sh' check.out
check "ldd: nothing tcpsleuth loads is net-snmp's" sh -c \
    '! ldd src/tcpsleuth | grep -q -i "libnetsnmp"'
# (libsystemd comes with libpcap's libdbus: only direct needs count)
for l in confuse cap-ng systemd; do
	check "tcpsleuth does not need lib$l" sh -c \
	    "! readelf -dW src/tcpsleuth | grep NEEDED | grep -q 'lib$l'"
done
check "nm: no net-snmp symbol in tcpsleuth or its tests" sh -c \
    '! nm -D src/tcpsleuth tests/unit/test_* 2>/dev/null | grep -q -i "netsnmp\|snmp_"'
done_testing
