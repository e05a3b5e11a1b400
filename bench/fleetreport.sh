#!/bin/sh
# bench/fleetreport.sh RESULTS POLL IDLE INTERVAL - part 7's section of
# bench/RESULTS.md from what bench/fleet.sh measured (RESULTS: its lines
# DATE, RUN, GROUP, DUR, PROBE, LOADGEN, LIMIT, SKIP, FAIL, and NOTE, a
# line of text added by hand; fleet.sh keeps them beside the section as
# OUT.raw, so the section can be written again).
res=$1 poll=$2 idle=$3 interval=$4
kv() { tr ' ' '\n' | sed -n "s/^$1=//p"; }	# kv KEY <LINE

cat <<MD
## Goal 7. A fleet

\`bench/fleet.sh\` (\`make bench BENCH_PARTS=fleet\`; not part of \`make
check\`): N hosts on this machine, each a network namespace with snmpd and
tcpsleuthd as its AgentX subagent (or tcpsleuthd's standalone agent
alone), the product's defaults (\`rows\` 1024, \`top\` 10, publish 0.5 s,
poll 1 s), and a failure pattern of its own from \`bench/fleetload\` (one
process for the whole fleet): 2, 6 or 14 local ports refused at 0.2 to 2
per second each (the bounded view, 10 rows, is full on a third of the
hosts), a remote attempt timing out every 20 s, and a one-off scan that
brings the endpoint table to 10, 100 or 1000 rows (a third of the hosts
each).  One prometheus-snmp-exporter 0.21 and one Prometheus 2.42, with
throwaway state, in the bench's own namespace, reach each host over a veth
of its own (10.X.Y.2); every ${interval} s they scrape every host with
contrib/prometheus/snmp.yml's \`tcpsleuth_top\` module (the summary
scalars and tcpsleuthTopTable), and in one run with \`tcpsleuth\` (the
summary scalars, and seven columns of every row with its name for a
label) for contrast.  Each
run: ${idle} s with nobody polling (the agents' idle cost), then ${poll} s
of scrapes.  CPU is user + system seconds per process from
/proc/PID/stat, 10 ms ticks; the agent's cost of a scrape is its CPU while
polled less its idle rate over the same time.  Bytes are Ethernet frames
both ways on the host's link, less the idle rate (the timeouts' SYNs).
Scrapes, their failures and durations are Prometheus's own (\`up\`,
\`scrape_duration_seconds\`: wall time, exporter and agent included).
This 2-core machine is shared with other work: "others" is the share of
the machine's busy time that was not this bench's processes, and wall
times (scrape durations) suffer from it where CPU seconds do not.  The
fleet-wide "agent CPU ms per scrape" is the agents' CPU while polled less
their idle rate: a difference of two large numbers (an agent's idle CPU
over 15 s is many times one scrape's), so it swings either way with the
noise; the back-to-back figures of the second table are the agent's cost
of a scrape.

Every tcpsleuthd runs with \`--kernel-events no\` (the capture alone,
as in goal 1's pcap rows) and \`--namespaces self\`.  The simulated
hosts share one kernel: with the kernel event source each of the N
daemons would load eBPF programs that see every namespace's events, and
with the default \`namespaces all\` each would serve every other
simulated host's namespace (and those of the other work on this
machine), N times the work of N real hosts.  A real host's agent loads
its programs once for its own kernel and serves its own containers'
namespaces; the kernel source's cost, per host and not per poll, is
measured apart (bench/kevcost.sh, doc/kernel-events.md) and adds to the
idle figures here.  Each agent's once-a-second look through /proc for
namespaces still reads every process of this machine (about 100 besides
the fleet's 2 per host: as many as a real server has, or more).

Run on $(sed -n 's/^DATE \([^ ]*\) \(.*\)/\1, Linux \2/p' "$res" | head -1).

### Each run

MD
echo "| hosts | agent | module | scrapes | failed | goal 0 | scrape p50 / p99 ms | poller CPU ms per host-scrape (exporter + Prometheus) | agent CPU ms per scrape (tcpsleuthd + snmpd) | idle CPU ms/s per host (tcpsleuthd + snmpd) | RSS KiB per host (tcpsleuthd / snmpd; Pss) | poller RSS MiB (exporter / Prometheus) | this bench, cores | machine busy %, others' share |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
grep '^RUN ' "$res" | while read -r line; do
	set -- $line
	n=$2 agent=$3 mod=$4
	dur=$(grep "^DUR $n $agent $mod rows=all " "$res" | head -1)
	f=$(echo "$line" | kv failed)
	verdict=met
	[ "$f" = 0 ] || verdict="NOT met"
	printf '| %s | %s | %s | %s | %s | %s | %.1f / %.1f | %s + %s | %s (%s + %s) | %s + %s | %s / %s (%s / %s) | %.0f / %.0f | %s | %s, %s |\n' \
	    "$n" "$agent" "$mod" "$(echo "$line" | kv scrapes)" "$f" "$verdict" \
	    "$(echo "$dur" | kv p50)" "$(echo "$dur" | kv p99)" \
	    "$(echo "$line" | kv exporter_ms)" "$(echo "$line" | kv prometheus_ms)" \
	    "$(echo "$line" | kv agent_ms)" "$(echo "$line" | kv sleuthd_ms)" "$(echo "$line" | kv snmpd_ms)" \
	    "$(echo "$line" | kv sleuthd_idle_ms)" "$(echo "$line" | kv snmpd_idle_ms)" \
	    "$(echo "$line" | kv sleuthd_rss)" "$(echo "$line" | kv snmpd_rss)" \
	    "$(echo "$line" | kv sleuthd_pss)" "$(echo "$line" | kv snmpd_pss)" \
	    "$(($(echo "$line" | kv exporter_rss) / 1024))" "$(($(echo "$line" | kv prometheus_rss) / 1024))" \
	    "$(echo "$line" | kv cores_ours)" "$(echo "$line" | kv busy)" "$(echo "$line" | kv noise)"
done
grep -q '^SKIP \|^FAIL \|^LIMIT \|^NOTE ' "$res" && {
	echo
	sed -n 's/^NOTE /- /p' "$res"
	grep '^SKIP ' "$res" | while read -r _ n agent mod why; do
		echo "- $n hosts ($agent, $mod): not run, $why."
	done
	grep '^FAIL ' "$res" | while read -r _ n agent mod; do
		echo "- $n hosts ($agent, $mod): the run did not complete (hosts not ready or no poller)."
	done
	grep '^LIMIT ' "$res" | while read -r _ n agent mod why; do
		echo "- $agent, $mod: stopped adding hosts, $why."
	done
}

cat <<MD

### How each grows with table rows

One host of each table size, scraped back to back through the exporter
alone after the run (40 scrapes of \`tcpsleuth_top\`, 10 of
\`tcpsleuth\`); then, for every host of that table size in the fleet,
its scrapes' durations while Prometheus polled, its agents' CPU while
nobody polled (its failure pattern running) and their RSS at the end.

| hosts | agent | module | rows in the table | varbinds per scrape | bytes on the wire per scrape | wall ms per scrape | agent CPU ms per scrape (tcpsleuthd + snmpd) | exporter CPU ms per scrape | fleet: scrape p50 / p99 ms | fleet: idle CPU ms/s per host (tcpsleuthd + snmpd) | fleet: RSS KiB per host (tcpsleuthd / snmpd) |
|---|---|---|---|---|---|---|---|---|---|---|---|
MD
grep '^PROBE ' "$res" | while read -r line; do
	set -- $line
	n=$2 agent=$3 mod=$4 rows=$(echo "$line" | kv rows)
	dur=$(grep "^DUR $n $agent $mod rows=$rows " "$res" | head -1)
	grp=$(grep "^GROUP $n $agent $mod rows=$rows " "$res" | head -1)
	printf '| %s | %s | %s | %s | %s | %s | %s | %s (%s + %s) | %s | %.1f / %.1f | %s + %s | %s / %s |\n' \
	    "$n" "$agent" "$mod" "$rows" "$(echo "$line" | kv varbinds)" \
	    "$(echo "$line" | kv bytes)" "$(echo "$line" | kv wall_ms)" \
	    "$(echo "$line" | kv agent_ms)" "$(echo "$line" | kv sleuthd_ms)" \
	    "$(echo "$line" | kv snmpd_ms)" "$(echo "$line" | kv exporter_ms)" \
	    "$(echo "$dur" | kv p50)" "$(echo "$dur" | kv p99)" \
	    "$(echo "$grp" | kv sleuthd_idle_ms)" "$(echo "$grp" | kv snmpd_idle_ms)" \
	    "$(echo "$grp" | kv sleuthd_rss)" "$(echo "$grp" | kv snmpd_rss)"
done

# The limit: the largest subagent run with the bounded view, its cost per
# host, and where 2 cores run out.
big=$(grep '^RUN [0-9]* subagent tcpsleuth_top ' "$res" | sort -k2n | tail -1)
[ -n "$big" ] || exit 0
n_big=$(echo "$big" | cut -d' ' -f2)
probe_ms=$(grep "^PROBE $n_big subagent tcpsleuth_top " "$res" |
    awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^agent_ms=/) { s += substr($i, 10); k++ } }
	END { if (k) printf "%.3f", s / k }')
echo "$big" | awk -v interval="$interval" -v probe="$probe_ms" '
function kv(k,   i, a) { for (i = 1; i <= NF; i++) if (split($i, a, "=") == 2 && a[1] == k) return a[2] }
{
	n = $2
	idle = (kv("sleuthd_idle_ms") + kv("snmpd_idle_ms")) / 1000	# cores per host
	agent = (probe != "" ? probe : kv("agent_ms")) / interval / 1000	# the back-to-back figure when there is one
	poller = (kv("exporter_ms") + kv("prometheus_ms")) / interval / 1000
	load = kv("load_cpu") / n
	per = idle + agent + poller + load
	printf "\n### The limit\n\n"
	printf "The largest run (%d hosts, subagents, the bounded view) took %.2f of the\n", n, kv("cores_ours")
	printf "2 cores.  Per host, in thousandths of a core: the agents idle %.2f\n", idle * 1000
	printf "(tcpsleuthd %.2f: its poll of /proc and the listeners every second and\n", kv("sleuthd_idle_ms")
	printf "a snapshot when they changed; snmpd %.2f), the agents serving scrapes\n", kv("snmpd_idle_ms")
	printf "%.2f, the poller %.2f (exporter and Prometheus), the failure generator\n", agent * 1000, poller * 1000
	printf "%.2f: %.2f in all, so 2 cores carry about %d such hosts on one machine,\n", load * 1000, per * 1000, 2 / per
	printf "and %.0f%% of that is the %s.  On real hosts the share of the agents is\n", \
	    (idle > agent + poller ? idle : agent + poller) / per * 100, \
	    (idle > agent + poller ? "agents idling, not the polling" : "polling")
	printf "spread over the fleet: what one poller carries is its own %.2f\n", poller * 1000
	printf "thousandths of a core per host at one scrape every %d s (doc/scaling.md).\n", interval
}'
