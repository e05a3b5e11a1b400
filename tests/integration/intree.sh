#!/bin/sh
# intree.sh - after README's in-tree build ("Building by hand":
# autoreconf, ./configure and make in the source tree), git status is
# clean (.gitignore covers it), and tools/demo still works: tools/bootstrap
# cleans the in-tree build away (make distclean) and builds in build/, and
# the demo prints its report without autoreconf's chatter.  On a copy of
# the source tree (tracked and new files, as git sees them) made a git
# repository of its own.  Root (the demo); about a minute.
. "$(dirname "$0")/../lib.sh"
need_root
command -v git >/dev/null || skip_all "needs git"
git -C "$TOP_SRCDIR" rev-parse --git-dir >/dev/null 2>&1 ||
    skip_all "the source tree is not a git checkout"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

src=$tmp/src
mkdir "$src"
(cd "$TOP_SRCDIR" && git ls-files -co --exclude-standard -z |
    tar --null -T - -cf -) | tar -xf - -C "$src"
git -C "$src" init -q
git -C "$src" add -A
git -C "$src" -c user.name=t -c user.email=t@localhost commit -q -m copy
clean() { [ -z "$(git -C "$src" status --porcelain)" ]; }
check "the copy starts clean" clean

(cd "$src" && autoreconf -fi && ./configure && make -j"$(nproc)" &&
    make -j"$(nproc)" check TESTS="tests/unit/test_settings tests/golden/golden.sh") \
    >"$tmp/intree.out" 2>&1
is "$?" 0 "README's in-tree build: autoreconf, configure, make, make check"
tail -5 "$tmp/intree.out" | sed 's/^/# /'
check "git status is clean after it (.gitignore covers an in-tree build)" clean
git -C "$src" status --porcelain | head -10 | sed 's/^/#   /'

DEMO_SECONDS=3 "$src/tools/demo" >"$tmp/demo.out" 2>"$tmp/demo.err"
is "$?" 0 "tools/demo works after an in-tree build"
sed 's/^/# /' "$tmp/demo.err"
check "...it builds in build/, the in-tree build cleaned away" \
    [ -x "$src/build/agentx/tcpsleuthd" ] && [ ! -e "$src/config.status" ]
check "...and reports the refusals it made" \
    grep -q "tcpsleuthEpRefused *[1-9]" "$tmp/demo.out"
check "...without autoreconf's or configure's chatter" sh -c \
    "! grep -q \"installing '\\|configure.ac:\\|^checking \" '$tmp/demo.out' '$tmp/demo.err'"
check "git status is still clean" clean
done_testing
