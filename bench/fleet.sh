#!/bin/sh
# bench/fleet.sh OUT - part 7: a fleet.  N hosts, each a network namespace
# of its own with snmpd and tcpsleuthd as its AgentX subagent (or
# tcpsleuthd's standalone agent alone), product defaults, and a failure
# pattern of its own (plan below, run by bench/fleetload).  One snmp_exporter and one Prometheus, in the
# bench's own namespace with throwaway state, scrape every host every
# BENCH_FLEET_INTERVAL (15) s for BENCH_FLEET_SECONDS (300) s, with the
# module contrib/prometheus/snmp.yml ships for fleets (tcpsleuth_top: the
# summary scalars and the bounded view), and in one run the whole-table
# module (tcpsleuth) for contrast.  Hosts reach the poller over a veth
# each (10.X.Y.2, the poller 10.X.Y.1): nothing outside the namespaces is
# touched.  Each run: BENCH_FLEET_IDLE (60) s polled by nobody (the
# agents' idle CPU), then the polling; CPU seconds per process from
# /proc/PID/stat (the machine is shared: the rest of its busy time is
# given as noise), bytes from each host's veth counters, scrapes and their
# durations from Prometheus itself.
#
# Every tcpsleuthd runs with --kernel-events no (the capture alone) and
# --namespaces self: the fleet's hosts share this machine's one kernel, so
# N daemons with the kernel event source would each load eBPF programs
# that see every namespace's events, and with the default "namespaces
# all" each would serve every other host's namespace (and the other
# benches' on this machine): N times the work of N real hosts.  A real
# host's agent loads its programs once for its own kernel (that cost is
# measured on its own: bench/kevcost.sh, doc/kernel-events.md) and serves
# its own containers' namespaces.  (Its once-a-second look through /proc
# for namespaces still sees every process of this machine: about as many
# as a real server has.)
#
# BENCH_FLEET_RUNS lists the runs, N:AGENT:MODULE each (AGENT subagent or
# standalone, MODULE top or full); the subagent runs with the top module
# go on to larger N only while the previous one failed no scrape, took
# less than 1.8 of the 2 cores itself (other helpers' load is noise, not
# counted) and left BENCH_FLEET_MEM_MIN (6144) MiB of memory for the
# machine's other work.  Every process started
# is stopped by its PID and every namespace deleted, also on failure.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/snmp.sh"
out=$1
enter_netns "$@"	# the poller's namespace; hosts get namespaces of their own
runs=${BENCH_FLEET_RUNS:-"25:subagent:top 50:subagent:top 100:subagent:top 200:subagent:top 400:subagent:top 100:standalone:top 25:subagent:full"}
poll=${BENCH_FLEET_SECONDS:-300}
idle=${BENCH_FLEET_IDLE:-60}
interval=${BENCH_FLEET_INTERVAL:-15}
LOAD=$TOP_BUILDDIR/bench/fleetload
EXPORTER=$(command -v prometheus-snmp-exporter)
PROMETHEUS=$(command -v prometheus)
for t in "$LOAD" "$EXPORTER" "$PROMETHEUS"; do
	[ -x "$t" ] || { echo "fleet: needs $t (make bench builds bench/fleetload)" >&2; exit 1; }
done
for t in curl jq ip snmpget; do
	command -v $t >/dev/null || { echo "fleet: needs $t" >&2; exit 1; }
done
tmp=$(mktemp -d)
chmod 755 "$tmp"
HZ=$(getconf CLK_TCK)
pfx=tsfleet$$-		# this run's namespaces: tsfleet<pid>-<host>
poller_pids= sleep_pid=
# pause SECONDS: a sleep a signal interrupts (the trap runs at once).
pause() {
	sleep "$1" &
	sleep_pid=$!
	wait "$sleep_pid"
	sleep_pid=
}

cleanup_run() {	# stop what the run started, by PID; delete its namespaces
	[ -z "$sleep_pid" ] || kill "$sleep_pid" 2>/dev/null
	for p in $poller_pids $(awk '{ print $3 }' "$tmp/pids" 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
	for p in $poller_pids $(awk '{ print $3 }' "$tmp/pids" 2>/dev/null); do
		wait "$p" 2>/dev/null
	done
	poller_pids=
	: >"$tmp/pids"
	for _ns in $(ip netns list 2>/dev/null | awk -v p="$pfx" 'index($1, p) == 1 { print $1 }'); do
		ip netns del "$_ns"
	done
}
trap 'cleanup_run; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

addr() { echo "10.$((100 + $1 / 250)).$(($1 % 250))"; }	# addr HOST: its /24
rows_of() { case $(($1 % 3)) in 0) echo 10 ;; 1) echo 100 ;; *) echo 1000 ;; esac; }

host_start() {	# host_start I AGENT: namespace, link, snmpd and/or tcpsleuthd
	_i=$1 _ns=$pfx$1 _d=$tmp/h$1 _a=$(addr "$1")
	mkdir -p "$_d/persist" "$_d/state"
	ip netns add "$_ns" || return 1
	ip link add "h$_i" type veth peer name eth0 netns "$_ns" || return 1
	ip addr add "$_a.1/24" dev "h$_i"
	ip link set "h$_i" up
	ip -n "$_ns" link set lo up
	ip -n "$_ns" addr add "$_a.2/24" dev eth0
	ip -n "$_ns" link set eth0 up
	ip -n "$_ns" route add default via "$_a.1"
	if [ "$2" = subagent ]; then
		cat >"$_d/snmpd.conf" <<CONF
master agentx
agentXSocket $_d/agentx.sock
agentXPerms 0777 0777
agentaddress udp:$_a.2:161
rocommunity public 10.0.0.0/8
CONF
		ip netns exec "$_ns" env SNMP_PERSISTENT_DIR="$_d/persist" MIBS= \
		    snmpd -f -C -c "$_d/snmpd.conf" -Lf "$_d/snmpd.log" &
		echo "snmpd $_i $!" >>"$tmp/pids"
		ip netns exec "$_ns" "$TCPSLEUTHD" -f -x "$_d/agentx.sock" \
		    --kernel-events no --namespaces self \
		    --control-socket "$_d/control" >"$_d/sleuthd.log" 2>&1 &
	else
		ip netns exec "$_ns" "$TCPSLEUTHD" -f --listen "udp:$_a.2:161" \
		    --community public --state-dir "$_d/state" \
		    --kernel-events no --namespaces self \
		    --control-socket "$_d/control" >"$_d/sleuthd.log" 2>&1 &
	fi
	echo "sleuthd $_i $!" >>"$tmp/pids"
}

host_ready() {	# the host answers with its capture running
	[ "$(snmpget -v2c -c public -On -Oqv -t 1 -r 0 "$(addr "$1").2" $MIB.1.3.1.0 2>/dev/null)" = 1 ]
}

# plan I: the host's failure pattern, for bench/fleetload: 2, 6 or 14
# local ports refused, each at 0.2 to 2 per second (so the bounded view,
# 10 rows, is full on a third of the hosts), one remote attempt timing
# out every 20 s, and a one-off scan that brings the table to 10, 100 or
# 1000 rows (those rows stop failing: after a minute they are in the
# table, not in the bounded view).
plan() {
	_ns=/run/netns/$pfx$1 _r=$(rows_of "$1")
	case $_r in 10) _k=2 ;; 100) _k=6 ;; *) _k=14 ;; esac
	for j in $(seq $_k); do
		echo "$_ns 127.0.0.1 $((7000 + j)) $((500 * (1 + ($1 + j) % 10))) 0"
	done
	echo "$_ns 10.250.0.1 8080 20000 0"
	_n=$((_r - _k - 1))
	echo "$_ns 127.0.0.1 20000-$((20000 + _n - 1)) 2 $_n"
}

# (sh has no local variables: the helpers' own begin with _.)
sample() {
	while read -r _kind _i _pid; do
		[ -r "/proc/$_pid/stat" ] || continue
		echo "$_kind $_i $(awk '{ print $14 + $15 }' "/proc/$_pid/stat")"
	done <"$tmp/pids" >"$1"
}
rss() {	# "KIND HOST VmRSS-KiB Pss-KiB" (Pss: shared pages divided among their users)
	while read -r _kind _i _pid; do
		echo "$_kind $_i $(awk '/^VmRSS:/ { print $2 }' "/proc/$_pid/status" 2>/dev/null) \
$(awk '/^Pss:/ { print $2 }' "/proc/$_pid/smaps_rollup" 2>/dev/null)"
	done <"$tmp/pids"
}
bytes() {	# "HOST BYTES" both ways on each host's link (this namespace's /proc/net/dev)
	awk -F'[: ]+' '{ sub(/^ +/, "") } $1 ~ /^h[0-9]+$/ { print substr($1, 2), $2 + $10 }' /proc/net/dev
}
machine() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
memavail() { awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo; }

prom() {	# prom QUERY: the API's result vector/matrix at the end of the run
	curl -sf --data-urlencode "query=$1" --data-urlencode "time=$t_end" \
	    "http://127.0.0.1:9090/api/v1/query" | jq -c '.data.result'
}
q() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END {
	if (NR == 0) { print "-"; exit } k = int(p * NR + 0.999999); if (k < 1) k = 1; print v[k] }'; }

# run N AGENT MODULE: one run; its figures appended to $tmp/results.
run() {
	n=$1 agent=$2 module=$3
	mod=tcpsleuth_top
	[ "$module" = full ] && mod=tcpsleuth
	echo "fleet: $n hosts, $agent, module $mod" >&2
	: >"$tmp/pids"
	limit=
	for i in $(seq "$n"); do
		if [ "$(memavail)" -lt "${BENCH_FLEET_MEM_MIN:-6144}" ]; then
			limit="memory: $(memavail) MiB left after $((i - 1)) hosts"
			n=$((i - 1))
			break
		fi
		host_start "$i" "$agent" || { limit="host $i did not start"; n=$((i - 1)); break; }
	done
	for i in $(seq "$n"); do
		wait_for 60 host_ready "$i" || { echo "fleet: host $i not ready" >&2; return 1; }
	done
	for i in $(seq "$n"); do plan "$i"; done >"$tmp/plan"
	# (Its deadline is far past the run's end, where it is stopped by its
	# PID: on a saturated machine settling and sampling take minutes.)
	"$LOAD" "$tmp/plan" $((idle + poll + 1800)) >"$tmp/load.out" 2>&1 &
	echo "load 0 $!" >>"$tmp/pids"
	settled() {	# the scans are in: every host's table holds its rows
		for i in $(seq "$n"); do
			[ "$(snmpget -v2c -c public -On -Oqv -t 2 -r 1 "$(addr "$i").2" \
			    $MIB.1.3.8.0 2>/dev/null)" -ge "$(rows_of "$i")" ] || return 1
		done
	}
	wait_for 120 settled || echo "fleet: not every table filled" >&2
	# The scan's rows fail no more: once their 1-minute rates read 0 they
	# are out of the bounded view and the tables are steady.
	pause 65

	# Nobody polls: the agents' own cost.
	sample "$tmp/idle0"; bytes >"$tmp/b_idle0"; set -- $(machine); m0=$1 mt0=$2
	pause "$idle"
	sample "$tmp/idle1"; bytes >"$tmp/b_idle1"; set -- $(machine); m1=$1 mt1=$2

	# The poller.
	{
		echo "global: {scrape_interval: ${interval}s, scrape_timeout: 10s}"
		echo "scrape_configs:"
		echo "- job_name: fleet"
		echo "  metrics_path: /snmp"
		echo "  params: {module: [$mod]}"
		echo "  static_configs:"
		echo "  - targets:"
		for i in $(seq "$n"); do echo "    - $(addr "$i").2:161"; done
		echo "  relabel_configs:"
		echo "  - {source_labels: [__address__], target_label: __param_target}"
		echo "  - {source_labels: [__param_target], target_label: instance}"
		echo "  - {target_label: __address__, replacement: '127.0.0.1:9116'}"
	} >"$tmp/prometheus.yml"
	rm -rf "$tmp/tsdb"
	sed "s/1\.3\.6\.1\.4\.1\.32473/$TCPSLEUTH_OID/g" \
	    "$TOP_SRCDIR/contrib/prometheus/snmp.yml" >"$tmp/snmp.yml"
	"$EXPORTER" --config.file="$tmp/snmp.yml" \
	    --web.listen-address=127.0.0.1:9116 >"$tmp/exporter.log" 2>&1 &
	epid=$!
	"$PROMETHEUS" --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
	    --web.listen-address=127.0.0.1:9090 >"$tmp/prometheus.log" 2>&1 &
	ppid=$!
	poller_pids="$epid $ppid"
	echo "exporter 0 $epid" >>"$tmp/pids"
	echo "prometheus 0 $ppid" >>"$tmp/pids"
	wait_for 60 curl -sf http://127.0.0.1:9090/-/ready >/dev/null ||
	    { echo "fleet: prometheus did not start" >&2; return 1; }
	sample "$tmp/poll0"; bytes >"$tmp/b_poll0"; set -- $(machine); m2=$1 mt2=$2
	t_start=$(date +%s)
	pause "$poll"
	t_end=$(date +%s)
	sample "$tmp/poll1"; bytes >"$tmp/b_poll1"; set -- $(machine); m3=$1 mt3=$2
	rss >"$tmp/rss"
	d=$((t_end - t_start))

	# What Prometheus saw: per host scrapes, successes, durations, varbinds.
	prom "count_over_time(up[${d}s])" | jq -r '.[] | "\(.metric.instance) \(.value[1])"' >"$tmp/scrapes"
	prom "sum_over_time(up[${d}s])" | jq -r '.[] | "\(.metric.instance) \(.value[1])"' >"$tmp/ups"
	prom "scrape_duration_seconds[${d}s]" |
	    jq -r '.[] | .metric.instance as $i | .values[] | "\($i) \(.[1])"' >"$tmp/durations"
	prom "avg_over_time(snmp_scrape_pdus_returned[${d}s])" |
	    jq -r '.[] | "\(.metric.instance) \(.value[1])"' >"$tmp/pdus"
	curl -sf http://127.0.0.1:9116/metrics | awk '/^snmp_request_errors_total/ { s += $2 } END { print s + 0 }' >"$tmp/exporter_errors"

	# Per scrape, by table size: one host of each, scraped back to back
	# through the exporter alone (Prometheus stopped), its CPU less its
	# idle rate, its link's bytes less their idle rate.
	kill "$ppid"
	wait "$ppid" 2>/dev/null
	poller_pids=$epid
	k=40
	[ "$mod" = tcpsleuth ] && k=10
	for i in 3 1 2; do	# 10, 100 and 1000 rows
		[ "$i" -le "$n" ] || continue
		sample "$tmp/pr0"; bytes >"$tmp/bp0"; w0=$(date +%s%N)
		for j in $(seq $k); do
			curl -sf "http://127.0.0.1:9116/snmp?target=$(addr "$i").2:161&module=$mod" \
			    >"$tmp/probe.out"
		done
		w1=$(date +%s%N); sample "$tmp/pr1"; bytes >"$tmp/bp1"
		awk -v hz="$HZ" -v idle="$idle" -v i="$i" -v k="$k" -v w="$(((w1 - w0) / 1000))" \
		    -v tag="$n $agent $mod" -v rows="$(rows_of "$i")" \
		    -v pdus="$(awk '/^snmp_scrape_pdus_returned / { print $2 }' "$tmp/probe.out")" \
		    -v samples="$(grep -vc '^#' "$tmp/probe.out")" '
		{ nf = split(FILENAME, p, "/"); f = p[nf] }
		f ~ /^bp|^b_idle/ { if ($1 == i) b[f] = $2; next }
		$2 == i || $1 == "exporter" { t[f, $1] = $3 }
		END {
			ws = w / 1e6
			split("sleuthd snmpd exporter", ks, " ")
			for (x = 1; x <= 3; x++) {
				kd = ks[x]
				rate = (t["idle1", kd] - t["idle0", kd]) / hz / idle
				c[kd] = ((t["pr1", kd] - t["pr0", kd]) / hz - (kd == "exporter" ? 0 : rate * ws)) * 1000 / k
			}
			brate = (b["b_idle1"] - b["b_idle0"]) / idle
			printf "PROBE %s rows=%d scrapes=%d varbinds=%s samples=%s bytes=%.0f wall_ms=%.1f", \
			    tag, rows, k, pdus, samples, (b["bp1"] - b["bp0"] - brate * ws) / k, w / 1000 / k
			printf " agent_ms=%.2f sleuthd_ms=%.2f snmpd_ms=%.2f exporter_ms=%.2f\n", \
			    c["sleuthd"] + c["snmpd"], c["sleuthd"], c["snmpd"], c["exporter"]
		}' "$tmp/b_idle0" "$tmp/b_idle1" "$tmp/bp0" "$tmp/bp1" \
		    "$tmp/idle0" "$tmp/idle1" "$tmp/pr0" "$tmp/pr1" >>"$tmp/results"
	done
	cleanup_run

	# Per host: its group (rows), scrapes, CPU idle and polled, bytes.
	# One line "RUN key=value..." and one "GROUP ..." per table size.
	for i in $(seq "$n"); do echo "$(addr "$i").2:161 $i $(rows_of "$i")"; done >"$tmp/hosts"
	awk -v hz="$HZ" -v idle="$idle" -v d="$d" -v n="$n" -v interval="$interval" \
	    -v ncpu="$(nproc)" -v tag="$n $agent $mod" -v errors="$(cat "$tmp/exporter_errors")" \
	    -v mach="$((m1 - m0)) $((mt1 - mt0)) $((m3 - m2)) $((mt3 - mt2))" '
	function cpu(f, k) { return (f SUBSEP k) in t ? t[f, k] : 0 }
	function dcpu(a, b, k) { return (cpu(b, k) - cpu(a, k)) / hz }	# seconds
	FILENAME ~ /hosts$/ { host[$1] = $2; grp[$2] = $3; groups[$3] = 1; next }
	FILENAME ~ /scrapes$/ { sc[host[$1]] = $2; next }
	FILENAME ~ /ups$/ { up[host[$1]] = $2; next }
	FILENAME ~ /pdus$/ { pdu[host[$1]] = $2; next }
	FILENAME ~ /rss$/ { rss[$1] += $3; pss[$1] += $4; nrss[$1]++; if ($3 > maxrss[$1]) maxrss[$1] = $3
		hrss[$1, $2] = $3; next }
	{ nf = split(FILENAME, p, "/"); f = p[nf] }
	f ~ /^b_/ { b[f, $1] = $2; next }
	{ t[f, $1 " " $2] = $3 }
	END {
		split(mach, mm, " ")
		for (i = 1; i <= n; i++) {
			g = grp[i]
			scr += sc[i]; ok += up[i]
			for (k = 1; k <= 2; k++) {
				kind = k == 1 ? "sleuthd" : "snmpd"
				il = dcpu("idle0", "idle1", kind " " i)
				pl = dcpu("poll0", "poll1", kind " " i)
				idlecpu[kind] += il
				gidle[g, kind] += il
				extra = pl - il / idle * d	# polled minus idle, over d
				gcpu[g] += extra
				polled[kind] += extra
				ours += pl
			}
			bi = (b["b_idle1", i] - b["b_idle0", i]) / idle
			gbytes[g] += b["b_poll1", i] - b["b_poll0", i] - bi * d
			gscr[g] += sc[i]; gpdu[g] += pdu[i]; gn[g]++
			grss[g, "sleuthd"] += hrss["sleuthd", i]; grss[g, "snmpd"] += hrss["snmpd", i]
		}
		ex = dcpu("poll0", "poll1", "exporter 0")
		pr = dcpu("poll0", "poll1", "prometheus 0")
		ld = dcpu("poll0", "poll1", "load 0")
		ours += ex + pr + ld
		busy = mm[4] ? mm[3] / mm[4] * 100 : 0
		oursp = ours / d / ncpu * 100
		printf "RUN %s hosts=%d scrapes=%d failed=%d expected=%d exporter_errors=%s", \
		    tag, n, scr, scr - ok, int(n * d / interval), errors
		printf " exporter_ms=%.2f prometheus_ms=%.2f load_cpu=%.3f", \
		    scr ? ex * 1000 / scr : 0, scr ? pr * 1000 / scr : 0, ld / d
		printf " sleuthd_idle_ms=%.2f snmpd_idle_ms=%.2f", \
		    idlecpu["sleuthd"] * 1000 / idle / n, idlecpu["snmpd"] * 1000 / idle / n
		printf " agent_ms=%.2f sleuthd_ms=%.2f snmpd_ms=%.2f", \
		    scr ? (polled["sleuthd"] + polled["snmpd"]) * 1000 / scr : 0, \
		    scr ? polled["sleuthd"] * 1000 / scr : 0, scr ? polled["snmpd"] * 1000 / scr : 0
		printf " sleuthd_rss=%.0f sleuthd_rss_max=%.0f snmpd_rss=%.0f snmpd_rss_max=%.0f", \
		    nrss["sleuthd"] ? rss["sleuthd"] / nrss["sleuthd"] : 0, maxrss["sleuthd"], \
		    nrss["snmpd"] ? rss["snmpd"] / nrss["snmpd"] : 0, maxrss["snmpd"]
		printf " sleuthd_pss=%.0f snmpd_pss=%.0f exporter_rss=%.0f prometheus_rss=%.0f", \
		    nrss["sleuthd"] ? pss["sleuthd"] / nrss["sleuthd"] : 0, \
		    nrss["snmpd"] ? pss["snmpd"] / nrss["snmpd"] : 0, rss["exporter"], rss["prometheus"]
		printf " busy=%.1f ours=%.1f noise=%.1f idle_busy=%.1f cores_ours=%.2f\n", \
		    busy, oursp, busy - oursp, mm[2] ? mm[1] / mm[2] * 100 : 0, ours / d
		for (g in groups)
			printf "GROUP %s rows=%d varbinds=%.0f bytes=%.0f agent_ms=%.2f scrapes=%d" \
			    " sleuthd_idle_ms=%.2f snmpd_idle_ms=%.2f sleuthd_rss=%.0f snmpd_rss=%.0f\n", \
			    tag, g, gn[g] ? gpdu[g] / gn[g] : 0, gscr[g] ? gbytes[g] / gscr[g] : 0, \
			    gscr[g] ? gcpu[g] * 1000 / gscr[g] : 0, gscr[g], \
			    gn[g] ? gidle[g, "sleuthd"] * 1000 / idle / gn[g] : 0, \
			    gn[g] ? gidle[g, "snmpd"] * 1000 / idle / gn[g] : 0, \
			    gn[g] ? grss[g, "sleuthd"] / gn[g] : 0, gn[g] ? grss[g, "snmpd"] / gn[g] : 0
	}' "$tmp/hosts" "$tmp/scrapes" "$tmp/ups" "$tmp/pdus" "$tmp/rss" \
	    "$tmp/b_idle0" "$tmp/b_idle1" "$tmp/b_poll0" "$tmp/b_poll1" \
	    "$tmp/idle0" "$tmp/idle1" "$tmp/poll0" "$tmp/poll1" >>"$tmp/results"
	[ -z "$limit" ] || echo "LIMIT $n $agent $mod $limit" >>"$tmp/results"
	# Durations by group, in ms: "GROUPMS N AGENT MOD ROWS p50 p99", and all.
	awk 'FILENAME ~ /hosts$/ { g[$1] = $3; next } { print g[$1], $2 * 1000 }' \
	    "$tmp/hosts" "$tmp/durations" >"$tmp/dur"
	for g in all 10 100 1000; do
		if [ $g = all ]; then sel=.; else sel="^$g "; fi
		grep "$sel" "$tmp/dur" | awk '{ print $2 }' >"$tmp/dur.g"
		echo "DUR $n $agent $mod rows=$g p50=$(q 0.5 <"$tmp/dur.g") p99=$(q 0.99 <"$tmp/dur.g")"
	done >>"$tmp/results"
	echo "LOADGEN $n $agent $mod $(cat "$tmp/load.out")" >>"$tmp/results"
	grep "^RUN $n $agent $mod \|^DUR $n $agent $mod rows=all\|^PROBE $n $agent $mod " "$tmp/results" >&2
}

echo "DATE $(date -u +%Y-%m-%d) $(uname -r)" >"$tmp/results"
stop_growing=
for r in $runs; do
	set -- $(echo "$r" | tr ':' ' ')
	if [ "$2:$3" = subagent:top ] && [ -n "$stop_growing" ]; then
		echo "fleet: $1 hosts skipped: $stop_growing" >&2
		echo "SKIP $1 $2 $3 $stop_growing" >>"$tmp/results"
		continue
	fi
	run "$1" "$2" "$3" || { cleanup_run; echo "FAIL $1 $2 $3" >>"$tmp/results"; }
	set -- $(echo "$r" | tr ':' ' ')
	last=$(grep "^RUN $1 subagent tcpsleuth_top " "$tmp/results" | tail -1)
	if [ "$2:$3" = subagent:top ] && [ -n "$last" ]; then
		kv() { echo "$last" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
		[ "$(kv failed)" -gt 0 ] && stop_growing="$1 hosts failed $(kv failed) scrapes"
		awk -v c="$(kv cores_ours)" 'BEGIN { exit !(c >= 1.8) }' &&
		    stop_growing="$1 hosts took $(kv cores_ours) of the 2 cores"
		grep -q "^LIMIT $1 subagent" "$tmp/results" &&
		    stop_growing=$(grep "^LIMIT $1 subagent" "$tmp/results" | cut -d' ' -f5-)
	elif [ "$2:$3" = subagent:top ]; then
		stop_growing="$1 hosts did not complete"
	fi
done
cp "$tmp/results" "${out}.raw"
sh "$TOP_SRCDIR/bench/fleetreport.sh" "$tmp/results" "$poll" "$idle" "$interval" >"$out"
