#!/bin/sh
# kev-noprivs.sh - without the privilege to load eBPF programs the kernel
# event source says "unavailable" and why (the capabilities missing), one
# log line per program with its errno: as root with cap_bpf, cap_perfmon
# and cap_sys_admin dropped, and as a non-root user keeping CAP_NET_RAW.
. "$(dirname "$0")/../lib.sh"
need_root
command -v jq >/dev/null || skip_all "needs jq"
command -v capsh >/dev/null || skip_all "needs capsh (libcap2-bin)"
command -v setpriv >/dev/null || skip_all "needs setpriv (util-linux)"
enter_netns
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: "${KEVDUMP:=$TOP_BUILDDIR/tests/tools/kevdump}"
"$KEVDUMP" -d 1 >"$tmp/root" 2>/dev/null
case $(head -1 "$tmp/root" | jq -r .state) in
running|partial) ;;
*) skip_all "kernel events do not run here even as root: $(head -1 "$tmp/root" | jq -r .reason)" ;;
esac

capsh --drop=cap_bpf,cap_perfmon,cap_sys_admin -- -c "'$KEVDUMP' -d 1" \
    >"$tmp/drop" 2>"$tmp/drop.err"
is "$(head -1 "$tmp/drop" | jq -r .state)" unavailable \
    "root without cap_bpf, cap_perfmon, cap_sys_admin: unavailable"
is "$(head -1 "$tmp/drop" | jq -r .reason)" \
    "no privilege to load eBPF programs: they need CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN; missing: CAP_BPF CAP_PERFMON CAP_SYS_ADMIN" \
    "... the reason names the capabilities"
is "$(head -1 "$tmp/drop" | jq -r '[.progs[] | select(.attached == false and .errno == "EPERM")] | length')" 5 \
    "... each program refused with EPERM"
is "$(grep -c 'not loaded: Operation not permitted (EPERM)' "$tmp/drop.err")" 5 \
    "... one log line per program, with its errno"
is "$(grep -c . "$tmp/drop.err")" 6 "... and one line for the state"

setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all,+net_raw \
    --ambient-caps=+net_raw "$KEVDUMP" -d 1 >"$tmp/user" 2>/dev/null
is "$(head -1 "$tmp/user" | jq -r '.state + ": " + .reason')" \
    "unavailable: no privilege to load eBPF programs: they need CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN; missing: CAP_BPF CAP_PERFMON CAP_SYS_ADMIN" \
    "a user with CAP_NET_RAW only: unavailable, with the reason"
is "$(tail -1 "$tmp/user")" '{"end":true}' "... and it runs on (exits cleanly)"
done_testing
