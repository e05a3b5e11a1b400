#!/bin/sh
# package.sh - the Debian packages, built, installed, run as their units
# say, and purged.  dpkg-buildpackage builds the .debs from a clean copy of
# the tree (or PACKAGE_DEBS=DIR names .debs built earlier in the run);
# lintian reports nothing that is not overridden with a reason; apt-get
# installs them.  Then snmpd and tcpsleuthd start the way their units
# would, without systemd: each ExecStartPre and the ExecStart, under the
# unit's User=, Group=, AmbientCapabilities=, CapabilityBoundingSet= and
# NoNewPrivileges= (setpriv), with Environment=, a clean environment,
# RuntimeDirectory=/StateDirectory= made, and Type=notify's READY=1 awaited
# on a stand-in notification socket.  Two deviations, both appended to
# ExecStart: snmpd reads a private configuration (-C -c: a loopback port,
# the AgentX socket in $tmp, plus the snippet the package ships as an
# example), and tcpsleuthd is pointed at that socket (-x).  All of it runs
# in a network and mount namespace of the test's own, with a private /run
# (so no systemd is seen and the postinst starts nothing).  The seed
# scenario's row is read through snmpd.  Purging removes every file the
# packages installed; the system user stays.  It installs packages
# system-wide: it runs only with CI=true.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
[ "${CI:-}" = true ] ||
    skip_all "installs and purges Debian packages system-wide: runs only with CI=true"
need_root
need_snmp
for t in dpkg-buildpackage lintian apt-get setpriv flock jq; do
	command -v $t >/dev/null || skip_all "needs $t (tools/packages)"
done
: "${NOTIFYSOCK:=$TOP_BUILDDIR/tests/tools/notifysock}"
if [ -z "${TS_IN_NETNS:-}" ]; then
	TS_IN_NETNS=1 exec unshare -n -m --propagation private sh "$0" "$@"
fi
mount -t tmpfs -o mode=0755 tmpfs /run
agent_test "$@"
t0=$(date +%s)
PKGS="tcpsleuth tcpsleuthd"
NOTIFY_PIDS=
MADE_DIRS=

apt_get() {	# one apt at a time on this machine (tools/packages' lock)
	flock /tmp/apt.lock env DEBIAN_FRONTEND=noninteractive apt-get -y -q \
	    -o DPkg::Lock::Timeout=300 "$@" >>"$tmp/apt.log" 2>&1
}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
known() {	# installed, or its configuration files left
	case $(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null) in
	''|un*|pn*) return 1 ;;
	esac
}
gone() { ! known "$1"; }
test_cleanup() {
	sleuthd_stop
	snmpd_stop
	for p in $NOTIFY_PIDS; do kill "$p" 2>/dev/null; done
	for p in $PKGS; do
		if known $p; then apt_get purge $PKGS; break; fi
	done
	for d in $MADE_DIRS; do rm -rf "$d"; done
}

# ---------------------------------------------------------------- build
if [ -n "${PACKAGE_DEBS:-}" ]; then
	debs=$(cd "$PACKAGE_DEBS" && pwd)
else
	debs=$tmp/pkg
	src=$debs/tcpsleuth
	mkdir -p "$src"
	# A clean tree: what git tracks (and new files it does not ignore).
	if git -C "$TOP_SRCDIR" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$TOP_SRCDIR" && git ls-files --cached --others --exclude-standard |
		    while IFS= read -r f; do [ -e "$f" ] && printf '%s\n' "$f"; done |
		    tar -cf - -T -) | tar -xf - -C "$src"
	else
		(cd "$TOP_SRCDIR" && tar -cf - --exclude=./.git --exclude='./build*' \
		    --exclude=./debian/build --exclude=./debian/tmp .) | tar -xf - -C "$src"
	fi
	# The whole suite runs in this very run: nocheck.
	(cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
	    dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1
	rc=$?
	ok $rc "dpkg-buildpackage -us -uc -b builds the packages"
	[ $rc -eq 0 ] || tail -20 "$tmp/build.log" | sed 's/^/# /'
	echo "# built in $(($(date +%s) - t0)) s"
fi
for p in $PKGS; do
	check "$p's .deb is there" sh -c "ls '$debs'/${p}_*.deb >/dev/null 2>&1"
done
ls "$debs"/tcpsleuthd_*.deb >/dev/null 2>&1 || { done_testing; exit 1; }

lint=$(lintian -I -E --pedantic "$debs"/tcpsleuth_*.deb "$debs"/tcpsleuthd_*.deb 2>&1 |
    grep -v 'running with root privileges')
is "$lint" "" "lintian: no tag that debian/*.lintian-overrides does not justify"

# ---------------------------------------------------------------- install
for p in $PKGS; do known $p && apt_get purge $p; done	# a run that died
apt_get install --no-install-recommends "$debs"/tcpsleuth_*.deb "$debs"/tcpsleuthd_*.deb
for p in $PKGS; do
	check "apt-get installs $p" installed $p
done
installed tcpsleuthd || { tail -20 "$tmp/apt.log" | sed 's/^/# /'; done_testing; exit 1; }
files=$(dpkg -L $PKGS | while IFS= read -r f; do [ -d "$f" ] || echo "$f"; done)
dpkg -L $PKGS | grep -v -e '^/usr/share/doc/' -e '^/usr/share/man/' | sed 's/^/# /'
version=$(dpkg-query -W -f='${Version}' tcpsleuthd)
is "$(/usr/sbin/tcpsleuthd -V)" "tcpsleuthd ${version%-*}" \
    "tcpsleuthd -V is the package's upstream version"
unit=/lib/systemd/system/tcpsleuthd.service
check "the unit is contrib/tcpsleuthd.service" cmp -s "$unit" "$TOP_SRCDIR/contrib/tcpsleuthd.service"
user=$(sed -n 's/^User=//p' "$unit" | tail -1)
check "systemd-sysusers made the unit's user ($user)" getent passwd "$user"
is "$(dpkg-query -W -f='${Conffiles}' tcpsleuthd | awk 'NF { print $1 }')" /etc/tcpsleuthd.conf \
    "/etc/tcpsleuthd.conf is the one conffile"
is "$(stat -c '%U:%G %a' /etc/tcpsleuthd.conf)" "root:$user 640" \
    "/etc/tcpsleuthd.conf: root:$user, 0640 (it may hold SNMP secrets)"
is "$(dpkg -L tcpsleuthd | grep '^/etc/snmp')" "" "nothing installed under /etc/snmp"
is "$(snmptranslate -M "+$IETF_MIBS" -m TCPSLEUTH-MIB -On TCPSLEUTH-MIB::tcpsleuthEpName 2>&1)" \
    "$EP.4" "net-snmp finds TCPSLEUTH-MIB where the package put it"
for m in tcpsleuth.1 tcpsleuthd.8 tcpsleuthd.conf.5; do
	check "man page $m" test -f "/usr/share/man/man${m##*.}/$m.gz"
done
snippet=/usr/share/doc/tcpsleuthd/examples/snmpd.conf.d-tcpsleuth.conf
check "the snmpd snippet is an example" test -f "$snippet"

# ---------------------------------------------------------------- units
# unit_vals UNIT KEY: each value of KEY= in UNIT's [Service] section.
unit_vals() {
	awk -v k="$2" '/^[ \t]*[#;]/ { next } /^\[/ { s = $0; next }
	    s == "[Service]" && index($0, k "=") == 1 { print substr($0, length(k) + 2) }' "$1"
}
unit_val() { unit_vals "$1" "$2" | tail -1; }
caps() {	# "CAP_NET_RAW CAP_X" -> "+net_raw,+x"
	echo "$*" | tr ' ' '\n' | sed -n 's/^CAP_\(.*\)/+\L\1/p' | paste -sd, -
}
# unit_setpriv UNIT: setpriv's options for the unit's credentials.
unit_setpriv() {
	_u=$(unit_val "$1" User)
	_g=$(unit_val "$1" Group)
	if [ -n "$_u" ]; then
		echo "--reuid=$_u --regid=${_g:-$(id -gn "$_u")} --init-groups"
	fi
	_a=$(caps $(unit_vals "$1" AmbientCapabilities))
	[ -z "$_a" ] || echo "--inh-caps=$_a --ambient-caps=$_a"
	if [ -n "$(unit_vals "$1" CapabilityBoundingSet)" ]; then
		_b=$(caps $(unit_vals "$1" CapabilityBoundingSet))
		echo "--bounding-set=-all${_b:+,$_b}"
	fi
	case $(unit_val "$1" NoNewPrivileges) in yes|true|on|1) echo --no-new-privs ;; esac
}
# What this emulation does not do fails, so a unit that starts to need it
# is seen here rather than silently run otherwise.
unit_supported() {
	_bad=$(awk '/^[ \t]*[#;]/ { next }
	    /\\$/ { print "continued lines" }
	    /^(DynamicUser|SupplementaryGroups|EnvironmentFile|ExecStartPost|RootDirectory|RootImage|PAMName|CacheDirectory|LogsDirectory|ConfigurationDirectory)=/ { sub(/=.*/, ""); print }
	    /^(Ambient|Capability)[A-Za-z]*=.*~/ { print "inverted capability lists" }
	    /^Exec[A-Za-z]*=[@:+!]/ { print "ExecStart prefixes @ : + !" }
	    /^Type=/ && !/^Type=(simple|exec|notify)$/ { print $0 }' "$1" | sort -u | paste -sd, -)
	is "$_bad" "" "$(basename "$1"): the test emulates every directive it uses"
}
# unit_env UNIT: the environment systemd gives the service (as NAME=VALUE words).
unit_env() {
	echo "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin LANG=C.UTF-8"
	unit_vals "$1" Environment
	case $(unit_val "$1" Type) in notify) echo "NOTIFY_SOCKET=$tmp/$(basename "$1").notify" ;; esac
	_w=$(unit_val "$1" WatchdogSec)
	_w=${_w%s}
	case $_w in ''|*[!0-9]*) ;; *) echo "WATCHDOG_USEC=${_w}000000" ;; esac
}
# unit_exec UNIT COMMAND-LINE [EXTRA-ENV]: one Exec line, as the unit's
# user, in place of the calling (sub)shell, so a PID is the service's.
unit_exec() {
	_ru=$1 _rx=${3:-}
	eval "set -- $2"
	exec env -i $(unit_env "$_ru") $_rx setpriv $(unit_setpriv "$_ru") -- "$@"
}
# unit_start UNIT EXTRA-ARGS [EXTRA-ENV]: ExecStartPre lines, then
# ExecStart in the background (its PID in $UNIT_PID), READY=1 awaited.
unit_start() {
	_unit=$1 _n=$(basename "$1")
	unit_supported "$_unit"
	_user=$(unit_val "$_unit" User)
	# (a unit may name the same directory in both: /run/X and /var/lib/X)
	for _p in $(unit_vals "$_unit" RuntimeDirectory | sed 's|^|/run/|') \
	    $(unit_vals "$_unit" StateDirectory | sed 's|^|/var/lib/|'); do
		[ -d "$_p" ] || MADE_DIRS="$MADE_DIRS $_p"
		mkdir -p "$_p" && chown "${_user:-root}:" "$_p"
	done
	if [ "$(unit_val "$_unit" Type)" = notify ]; then
		"$NOTIFYSOCK" "$tmp/$_n.notify" >"$tmp/$_n.notes" &
		NOTIFY_PIDS="$NOTIFY_PIDS $!"
		wait_for 5 grep -q listening "$tmp/$_n.notes"
		chmod 0777 "$tmp/$_n.notify"	# the service's user sends to it
	fi
	unit_vals "$_unit" ExecStartPre >"$tmp/$_n.pre"
	while IFS= read -r _l; do
		case $_l in -*) _ign=1; _l=${_l#-} ;; *) _ign=0 ;; esac	# "-": failure ignored
		(unit_exec "$_unit" "$_l" "${3:-}") >>"$tmp/$_n.log" 2>&1
		_rc=$?
		[ $_ign -eq 1 ] || ok $_rc "$_n: ExecStartPre=$_l"
	done <"$tmp/$_n.pre"
	_l=$(unit_val "$_unit" ExecStart)
	unit_exec "$_unit" "${_l#-} $2" "${3:-}" >>"$tmp/$_n.log" 2>&1 &
	UNIT_PID=$!
	if [ "$(unit_val "$_unit" Type)" = notify ]; then
		check "$_n: READY=1 (Type=notify)" wait_for 20 grep -q '^READY=1' "$tmp/$_n.notes"
	fi
}

# snmpd: a private configuration, the packaged snippet at its end (its
# AgentX socket moved into $tmp: the system's snmpd is not touched).
mkdir -p "$tmp/persist"
chown Debian-snmp: "$tmp/persist"
{
	echo "agentaddress udp:127.0.0.1:$SNMP_PORT"
	echo "view systemonly included .1.3.6.1.2.1.1"
	echo "rocommunity public 127.0.0.1 -V systemonly"
	sed "s|^agentXSocket .*|agentXSocket $tmp/agentx/master|" "$snippet"
} >"$tmp/snmpd.conf"
grep -q "^agentXSocket $tmp" "$tmp/snmpd.conf" ||
    echo "agentXSocket $tmp/agentx/master" >>"$tmp/snmpd.conf"
unit_start /lib/systemd/system/snmpd.service "-C -c $tmp/snmpd.conf" \
    "MIBS= SNMP_PERSISTENT_DIR=$tmp/persist"
SNMPD_PID=$UNIT_PID
check "snmpd answers on 127.0.0.1:$SNMP_PORT" wait_for 10 registered_master

unit_start "$unit" "-x $tmp/agentx/master"
SLEUTHD_PID=$UNIT_PID
check "tcpsleuthd registers with snmpd and captures" wait_for 20 capturing
sed 's/^/# /' "$tmp/tcpsleuthd.service.log"
st=/proc/$SLEUTHD_PID/status
is "$(awk '/^Uid:/ { print $3 }' "$st")" "$(id -u "$user")" "tcpsleuthd runs as $user"
grep -E '^(Uid|Gid|Groups|Cap(Eff|Prm|Bnd|Amb)|NoNewPrivs):' "$st" | sed 's/^/# /'
# Of the unit's capabilities, the capture process (the main one) keeps its
# running rows of the privilege table (with the packaged configuration,
# namespaces all: CAP_NET_RAW, CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH for
# the listeners' owners, CAP_SYS_ADMIN for the other namespaces), the SNMP
# process none (doc/security.md).
is "$(awk '/^CapEff:/ { print $2 }' "$st")" 0000000000282004 \
    "the capture process keeps CAP_NET_RAW, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH and CAP_SYS_ADMIN of the unit's capabilities"
is "$(awk '/^CapPrm:/ { print $2 }' "$st")" 0000000000282004 \
    "...and no more permitted: CAP_BPF and CAP_PERFMON (start rows) are gone"
# The unit's grant loads the kernel event source (kernel-events auto),
# where the kernel can run it (BTF): its start rows were enough.
kev=0
if [ -r /sys/kernel/btf/vmlinux ]; then
	kev=1
	case $(get "$MIB.1.13.1.0") in 1|2) _r=0 ;; *) _r=1 ;; esac
	ok $_r "the kernel event source runs under the unit (tcpsleuthKernelState $(get "$MIB.1.13.1.0"): $(get "$MIB.1.13.2.0"))"
else
	echo "# no BTF here: the kernel event source cannot run"
fi

# The seed: a client retrying 127.0.0.1:7211, where nothing listens.
"$TCPPROBE" connect 127.0.0.1 7211 -n 6 -i 500 >"$tmp/client"
check "the seed's row is served through snmpd: 6 refusals" wait_for 10 col_is 127.0.0.1 7211 15 6
is "$(col 127.0.0.1 7211 4)" "lo 127.0.0.1:7211" "tcpsleuthEpName"
caller_is_probe() { case $(col 127.0.0.1 7211 46) in "pid "*" tcpprobe") return 0 ;; esac; return 1; }
[ $kev -eq 0 ] || check "tcpsleuthEpLastCaller is the client (pid N tcpprobe): the kernel's caller crossed to the SNMP process" \
    wait_for 10 caller_is_probe
echo "# tcpsleuthEpRate1 $(col 127.0.0.1 7211 23)"
# tcpsleuthctl, through the unit's /run/tcpsleuthd (RuntimeDirectory=).
# (namespaces all: other tests' namespaces have rows for 127.0.0.1:7211 too;
# this one's is the row of the test's own namespace)
is "$(/usr/sbin/tcpsleuthctl -j show endpoints | jq -r --argjson ns "$(netns_ino)" \
    '.endpoints[] | select(.endpoint == "127.0.0.1:7211" and .netns == $ns) | .counts.refused')" \
    6 "tcpsleuthctl reads the same row through /run/tcpsleuthd/control"
setpriv --reuid=nobody --regid="$user" --clear-groups /usr/sbin/tcpsleuthctl \
    show capture >/dev/null
is "$?" 0 "a member of group $user may use tcpsleuthctl"
sleuthd_stop
ok $? "tcpsleuthd stops on SIGTERM, status 0"
check "...and removes its control socket" test ! -e /run/tcpsleuthd/control
snmpd_stop

# ---------------------------------------------------------------- purge
apt_get purge $PKGS
for p in $PKGS; do
	check "apt-get purge removes $p" gone $p
done
left=$(for f in $files; do [ -e "$f" ] || [ -L "$f" ] && echo "$f"; done)
is "$left" "" "purge: no file of the packages is left"
check "purge: /etc/tcpsleuthd.conf is gone" test ! -e /etc/tcpsleuthd.conf
check "purge: the unit's enablement is gone" \
    test ! -e /etc/systemd/system/multi-user.target.wants/tcpsleuthd.service
check "purge: /var/lib/tcpsleuthd is gone" test ! -e /var/lib/tcpsleuthd
check "purge: the system user $user stays" getent passwd "$user"
echo "# package.sh took $(($(date +%s) - t0)) s"
done_testing
