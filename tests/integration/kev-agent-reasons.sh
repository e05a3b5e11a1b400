#!/bin/sh
# kev-agent-reasons.sh - tcpsleuthd counts each failure with the kernel's
# reason, through snmpd (TCPSLEUTH-MIB): EADDRNOTAVAIL (ip_local_port_range
# narrowed to two ports, both held), no route (ENETUNREACH in connect(),
# with kernel-connect-errors), a SYN this host's nftables output rule drops
# (tcp_syn_retries=1, --syn-timeout beyond the kernel's) against one a peer
# namespace drops, which stays a plain timeout; those no capture sees are
# the row's failures all the same, and the first two stay out of the
# coverage figure.  The same port failing in two namespaces is two rows,
# each in its namespace.  Over refusals, ICMP port unreachables and
# timeouts, the capture's classes and the kernel's errnos agree as
# doc/kernel-events.md maps them; no record is lost.  With namespaces =
# self the kernel source follows its own namespace alone.
. "$(dirname "$0")/../lib.sh"
SLEUTHD_KEV=
. "$TOP_SRCDIR/tests/snmp.sh"
need_root
need_snmp
command -v nft >/dev/null || skip_all "needs nft (nftables)"
agent_test "$@"
. "$TOP_SRCDIR/tests/kev.sh"
peer=kevagent$$
test_cleanup() {
	del_netns "$peer"
	return 0
}

snmpd_start "$tmp"
# Other tests fail at will in namespaces of their own, in floods: this
# daemon serves its own namespace and the peer's alone (the programs
# filter the others out before the ring).
check "tcpsleuthd starts with the kernel source and kernel-connect-errors" \
    sleuthd_start "$tmp" --kernel-events yes --kernel-connect-errors \
    --namespaces "$peer" --kernel-ring 4096 --rows 65536 --syn-timeout 4
# served NS: the daemon serves namespace NS (present(1) in tcpsleuthNsTable),
# so the kernel source follows it.
served() { [ "$(get "$(mib NsState).$(netns_ino "$1")")" = 1 ]; }
case $(kernel KernelState) in
1|2) ;;
*) skip_all "kernel events do not run here: $(kernel KernelReason)" ;;
esac
is "$(kernel KernelState)" 1 "every program runs, connect-errors too: $(kernel KernelReason)"
cov0=$(get "$(mib CovFailsSeen).0")

# Two ephemeral ports, both held by connections to one listener.
pa=$(kev_exhaust 7301 portless)
check "ports exhausted: counted with EADDRNOTAVAIL" \
    wait_for 10 kcol_is EpErrAddrNotAvail 127.0.0.1 7301 1
# (Closing the held connections may abort them: failures the capture sees.)
set -- $(kcols 127.0.0.1 7301 EpFailures EpRefused EpUnreachable EpTimedOut \
    EpHandshakeResets EpAborts EpKernelOnly)
is "$(($1 - $2 - $3 - $4 - $5 - $6)) $7 $(kcol EpLastCaller 127.0.0.1 7301)" \
    "1 1 pid $pa portless" "...a failure of the row beside the capture's, the kernel's alone (no packet), by its caller"

# No route to TEST-NET-1 here: connect() fails before any packet.
pr=$(probe connect 192.0.2.1 7302 -c routeless)
check "no route: counted with ENETUNREACH" wait_for 10 kcol_is EpErrNetUnreach 192.0.2.1 7302 1
is_soon "1 1 3 pid $pr routeless" "...a failure of a remote(3) row, the kernel's alone, by its caller" \
    kcols 192.0.2.1 7302 EpFailures EpKernelOnly EpLocation EpLastCaller
is "$(get "$(mib CovFailsSeen).0")" "$cov0" \
    "neither is in the coverage figure (the kernel counts neither in AttemptFails)"

# A peer namespace: SYNs to 7303 dropped here on their way out, to 7304
# dropped there; 7305 refused there by an ICMP port unreachable.
kev_peer "$peer"
kev_drops "$peer"
check "the peer namespace is served" wait_for 10 served "$peer"
"$TCPPROBE" connect 10.77.0.2 7303 -t 20000 -c dropped-here >/dev/null &
d1=$!
"$TCPPROBE" connect 10.77.0.2 7304 -t 20000 -c dropped-there >/dev/null &
d2=$!
"$TCPPROBE" connect 10.77.0.2 7305 -n 3 -c rejected >/dev/null
"$TCPPROBE" connect 127.0.0.1 7211 -n 2 -c refused >/dev/null
wait $d1 $d2
check "a SYN this host's netfilter dropped: counted as such" \
    wait_for 10 kcol_is EpNetfilterDrops 10.77.0.2 7303 1
is_soon "0 1 0 1" "...not a plain timeout; no SYN reached a device: the kernel's alone, one failure" \
    kcols 10.77.0.2 7303 EpErrTimedOut EpKernelOnly EpTimedOut EpFailures
check "a SYN the peer dropped: a plain timeout for both (the capture's after --syn-timeout)" \
    wait_for 10 kcol_is EpTimedOut 10.77.0.2 7304 1
is_soon "1 0 0 1" "...ETIMEDOUT, not this host's netfilter, one failure" \
    kcols 10.77.0.2 7304 EpErrTimedOut EpNetfilterDrops EpKernelOnly EpFailures

# The capture's classes against the kernel's errnos, attempt for attempt:
# refused (RST) and unreachable (ICMP port unreachable) are ECONNREFUSED,
# timeout is ETIMEDOUT.
check "the ICMP port unreachables: 3 in both" wait_for 10 kcol_is EpUnreachable 10.77.0.2 7305 3
is_soon "3 0 3" "...unreachable to the capture, ECONNREFUSED to the kernel: 3 failures" \
    kcols 10.77.0.2 7305 EpErrConnRefused EpKernelOnly EpFailures
check "the refusals: 2 in both" wait_for 10 kcol_is EpErrConnRefused 127.0.0.1 7211 2
is_soon "2 0 2" "...refused to the capture, ECONNREFUSED to the kernel: 2 failures" \
    kcols 127.0.0.1 7211 EpRefused EpKernelOnly EpFailures

# The same port failing in the peer namespace: a row of its own.
pp=$(ip netns exec "$peer" sh -c "'$TCPPROBE' connect 127.0.0.1 7211 -n 3 -c lm-collector >/dev/null & echo \$!; wait")
EP_NETNS=$(netns_ino "$peer")	# ep_index: the peer's rows
check "127.0.0.1:7211 in the peer namespace: a row of its own, 3 failures" \
    wait_for 10 kcol_is EpFailures 127.0.0.1 7211 3
is_soon "3 net:[$EP_NETNS] 127.0.0.1:7211" "...all the kernel's (the capture is not there), named with its namespace" \
    kcols 127.0.0.1 7211 EpKernelOnly EpName
is "$(kcol EpLastCaller 127.0.0.1 7211)" "pid $pp lm-collector" "...its caller"
is "$(callers 127.0.0.1 7211 CallerNetns)" "$EP_NETNS" "...in that namespace"
# A listener there comes and goes: that row knows it too.
ip netns exec "$peer" "$TCPPROBE" listen 127.0.0.1 7215 -n 1 -c santaba >/dev/null &
pl=$!
wait_for 5 sh -c "ip netns exec '$peer' ss -Hltn 'sport = :7215' | grep -q ."
ip netns exec "$peer" "$TCPPROBE" connect 127.0.0.1 7215 -n 1 >/dev/null
wait $pl
ip netns exec "$peer" "$TCPPROBE" connect 127.0.0.1 7215 -n 1 >/dev/null
check "the peer namespace's refused 127.0.0.1:7215 names its last listener" \
    wait_for 10 kcol_is EpLastListener 127.0.0.1 7215 "pid $pl santaba"
is "$(kcol EpListener 127.0.0.1 7215)" 3 "...notListening(3), as the kernel saw it stop"

# The peer namespace goes, and a new one comes: the kernel gives it the
# lowest inode free, often the gone one's.  Its row counts its own alone.
old=$EP_NETNS
ip netns del "$peer"
ip netns add "$peer"
ip -n "$peer" link set lo up
check "the new peer namespace is served" wait_for 10 served "$peer"
EP_NETNS=$(netns_ino "$peer")
ip netns exec "$peer" "$TCPPROBE" connect 127.0.0.1 7211 -n 1 -c lm-collector >/dev/null
check "a new namespace (inode $EP_NETNS, $([ "$EP_NETNS" = "$old" ] && echo "the gone one's" || echo "another")): its row has its 1 failure alone" \
    wait_for 10 kcol_is EpKernelAttempts 127.0.0.1 7211 1
check "...1 failure" wait_for 5 kcol_is EpFailures 127.0.0.1 7211 1
unset EP_NETNS
is "$(kcol EpFailures 127.0.0.1 7211)" 2 "this namespace's row keeps its own 2"

is "$(kernel_losses)" 0 "no kernel record lost (ring, maps, bad records)"

# namespaces = self: the kernel source follows this namespace alone, so
# the peer's failures make no row (none the namespace table leaves out).
sleuthd_stop
check "tcpsleuthd starts again with --namespaces self" \
    sleuthd_start "$tmp" --kernel-events yes --namespaces self \
    --kernel-ring 4096 --rows 65536
ip netns exec "$peer" "$TCPPROBE" connect 127.0.0.1 7216 -n 2 >/dev/null
"$TCPPROBE" connect 127.0.0.1 7216 -n 1 >/dev/null
check "namespaces self: this namespace's failure is counted" \
    wait_for 10 kcol_is EpKernelAttempts 127.0.0.1 7216 1
EP_NETNS=$(netns_ino "$peer")
is "$(kcol EpFailures 127.0.0.1 7216)" "" "...the peer namespace's two make no row"
unset EP_NETNS
done_testing
