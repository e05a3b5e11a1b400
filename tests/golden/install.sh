#!/bin/sh
# install.sh - make install (into a DESTDIR) puts the programs, the man
# pages, the documents the man pages point at (classification.md, json.md,
# security.md) and the examples in place; make uninstall takes every file
# away and leaves no empty directory of tcpsleuth's own (docdir, examples,
# pkgdatadir).
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
d=$tmp/root

make -C "$TOP_BUILDDIR" install DESTDIR="$d" >"$tmp/out" 2>&1
is "$?" 0 "make install DESTDIR=..."
has() { [ -n "$(find "$d" -path "*/$1" -type f)" ]; }
for f in bin/tcpsleuth man1/tcpsleuth.1 doc/tcpsleuth/classification.md \
    doc/tcpsleuth/json.md doc/tcpsleuth/security.md; do
	check "installs $f" has "$f"
done
if [ "${DAEMON:-yes}" != no ]; then
	for f in sbin/tcpsleuthd man8/tcpsleuthd.8 man5/tcpsleuthd.conf.5 \
	    sbin/tcpsleuthctl man8/tcpsleuthctl.8 \
	    doc/tcpsleuth/examples/tcpsleuthd.conf mibs/TCPSLEUTH-MIB.txt; do
		check "installs $f" has "$f"
	done
fi
make -C "$TOP_BUILDDIR" uninstall DESTDIR="$d" >"$tmp/out" 2>&1
is "$?" 0 "make uninstall DESTDIR=..."
is "$(find "$d" -type f | wc -l)" 0 "...takes every file away"
is "$(find "$d" -type d \( -path '*/doc/tcpsleuth*' -o -path '*/share/tcpsleuth' \) | wc -l)" 0 \
    "...and leaves no empty directory of its own (docdir, examples, pkgdatadir)"
done_testing
