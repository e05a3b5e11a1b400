#!/bin/sh
# static.sh - static analysis, clean: cppcheck (warnings, portability,
# performance), clang-tidy (.clang-tidy, warnings as errors) and
# gcc -fanalyzer over src/ and agentx/ (src/ alone when configured
# --disable-daemon: agentx/ needs net-snmp's headers); packet bytes read
# only through src/extract.h's checking accessors.
. "$(dirname "$0")/../lib.sh"
cd "$TOP_SRCDIR" || exit 1
B=$TOP_BUILDDIR
FL="-std=gnu11 -I$B -I$B/agentx -I$B/src/bpf -Isrc -Iagentx $(pkg-config --cflags libpcap jansson libconfuse libcap-ng libsystemd netsnmp-agent libbpf 2>/dev/null) -DSYSCONFDIR=\"/etc\""
dirs="src agentx"
[ "${DAEMON:-yes}" = no ] && dirs=src
# src/kevload.c needs the eBPF skeleton the build made (not in a build
# without kernel events); src/bpf/ is BPF code (clang -target bpf).
srcs=$(for d in $dirs; do ls $d/*.c; done)
[ -f "$B/src/bpf/kev.skel.h" ] || srcs=$(echo "$srcs" | grep -v '^src/kevload\.c$')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Decoders read packet bytes through TS_GET_* (src/extract.h), which check
# their bounds: no raw indexing (x->p[i], x.p[i]) anywhere else, and no use
# of the cursor's byte pointer at all in the decoders.
{
	grep -nE '(->|\.)p *\[' src/*.[ch] agentx/*.[ch] | grep -v '^src/extract\.h:'
	grep -nE '(->|\.)p\b' src/decode*.[ch]
} >"$tmp/raw"
! test -s "$tmp/raw"
ok $? "packet bytes are read only through src/extract.h's checking accessors"
sed 's/^/# raw read: /' "$tmp/raw" | head -20

if command -v cppcheck >/dev/null; then
	cppcheck --quiet --enable=warning,performance,portability --inline-suppr \
	    --error-exitcode=1 -I "$B" -I "$B/agentx" -I "$B/src/bpf" -I src -I agentx \
	    --suppress=missingIncludeSystem -i src/bpf $dirs \
	    >"$tmp/cppcheck" 2>&1
	ok $? "cppcheck: clean"
	sed 's/^/# /' "$tmp/cppcheck" | head -20
else
	ok 1 "cppcheck not installed (Debian package cppcheck)"
fi
if command -v clang-tidy >/dev/null; then
	: >"$tmp/tidy"
	for f in $srcs; do
		# shellcheck disable=SC2086
		clang-tidy --quiet "$f" -- $FL >>"$tmp/tidy" 2>/dev/null
	done
	! grep -q 'error:\|warning:' "$tmp/tidy"
	ok $? "clang-tidy (.clang-tidy): clean"
	grep -A2 'error:\|warning:' "$tmp/tidy" | sed 's/^/# /' | head -20
else
	ok 1 "clang-tidy not installed (Debian package clang-tidy)"
fi
: >"$tmp/analyzer"
for f in $srcs; do
	# shellcheck disable=SC2086
	gcc $FL -fanalyzer -Wno-analyzer-too-complex -c "$f" -o /dev/null >>"$tmp/analyzer" 2>&1
done
! grep -q 'warning:\|error:' "$tmp/analyzer"
ok $? "gcc -fanalyzer: clean"
grep -A3 'warning:\|error:' "$tmp/analyzer" | sed 's/^/# /' | head -20
done_testing
