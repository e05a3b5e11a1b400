#!/bin/sh
# debian.sh - debian/ agrees with the facts it repeats: debian/changelog's
# version is configure.ac's AC_INIT version (plus a Debian revision), the
# users and groups the units run as, the snmpd snippet gives its AgentX
# socket to and the postinst gives the configuration file to are the ones
# contrib/sysusers.d creates, the programs the units start are ones the
# package installs, and every file of debian/ goes into the release
# tarball.  (tests/integration/package.sh builds and installs the package.)
. "$(dirname "$0")/../lib.sh"
d=$TOP_SRCDIR/debian

# AC_INIT([tcpsleuth], [0.1.0], ...) and "tcpsleuth (0.1.0-1) bookworm; ..."
ac=$(sed -n 's/^AC_INIT(\[\([^]]*\)\], *\[\([^]]*\)\].*/\1 \2/p' "$TOP_SRCDIR/configure.ac")
cl=$(sed -n '1s/^\([^ ]*\) (\([^)]*\)).*/\1 \2/p' "$d/changelog")
is "${cl%-*}" "$ac" "debian/changelog's source and upstream version are AC_INIT's ($ac)"
check "the version has a Debian revision (3.0 (quilt))" \
    sh -c 'case "$1" in *-[0-9]*) exit 0 ;; esac; exit 1' x "$cl"
is "$(cat "$d/source/format")" "3.0 (quilt)" "source format 3.0 (quilt)"

# Users and groups: contrib/sysusers.d/*.conf ("u NAME ..." makes a user
# and its group, "g NAME ..." a group).
users=$(cat "$TOP_SRCDIR"/contrib/sysusers.d/*.conf | awk '$1 == "u" { print $2 }')
groups=$(cat "$TOP_SRCDIR"/contrib/sysusers.d/*.conf | awk '$1 == "u" || $1 == "g" { print $2 }')
has() { echo "$1" | grep -qx -e "$2"; }
check "contrib/sysusers.d creates a user" [ -n "$users" ]
for unit in "$TOP_SRCDIR"/contrib/*.service; do
	n=$(basename "$unit")
	for u in $(sed -n 's/^User=//p' "$unit"); do
		check "$n: User=$u is created by contrib/sysusers.d" has "$users" "$u"
	done
	for g in $(sed -n 's/^Group=//p' "$unit"); do
		check "$n: Group=$g is created by contrib/sysusers.d" has "$groups" "$g"
	done
	for p in $(sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\([^ ]*\).*/\1/p' "$unit" | sort -u); do
		case $p in
		/bin/*|/usr/bin/kill) continue ;;	# the system's, e.g. ExecReload's kill
		esac
		check "$n: $p is installed by the package" \
		    grep -qx -e "${p#/}" -e "${p#/} .*" "$d"/*.install
	done
done
# Every file of debian/ (not what a build leaves there) is in the release
# tarball: Makefile.am lists them in DEBIAN_DIST.
for f in "$d"/* "$d"/source/*; do
	[ -f "$f" ] || continue
	f=debian/${f#"$d"/}
	case $f in
	debian/files|debian/debhelper-build-stamp|debian/autoreconf.*|*.substvars|*.debhelper|*.debhelper.log) continue ;;
	esac
	check "$f is in the release tarball (Makefile.am's DEBIAN_DIST)" \
	    grep -q -e "[ 	]$f\([ 	]\|\$\)" "$TOP_SRCDIR/Makefile.am"
done
g=$(awk '$1 == "agentXPerms" { print $5 }' "$TOP_SRCDIR/contrib/snmpd.conf.d-tcpsleuth.conf")
check "the snmpd snippet's agentXPerms group ($g) is created by contrib/sysusers.d" \
    has "$groups" "$g"
g=$(sed -n 's/.*chown root:\([^ ]*\) .*/\1/p' "$d/tcpsleuthd.postinst")
check "the postinst's group for /etc/tcpsleuthd.conf ($g) is created by contrib/sysusers.d" \
    has "$groups" "$g"
done_testing
