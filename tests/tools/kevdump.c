/*
 * kevdump - a test tool: loads the kernel event source (src/kevload.h),
 * learns the listeners of its network namespace (kevlearn.h), prints one
 * JSON line for its state, one per record, and on SIGUSR1 or at
 * its end its counters, then one line per endpoint with its callers and
 * its last listener, and one per listener (src/kevfeed.h).
 *
 *   kevdump [-d SECONDS] [-n] [-N self|INODE] [-r RING_KIB] [-s SOCKETS]
 *
 * -n leaves the syscall-exit program out (kernel-connect-errors = no);
 * -N follows only one network namespace (self: this process's), filtered
 * in the kernel: the programs see every namespace and tests run in
 * parallel.  Lines:
 *   {"state":"running","reason":"...","progs":[{"name":..,"attached":..}]}
 *   {"type":"connect-fail","err":111,"errno":"ECONNREFUSED","reason":..}
 *   {"counters":{"events":..,"ring_full":..,...,"losses":0}}
 *   {"endpoint":{"addr":..,"port":..,"total":..,"callers":[..],..}}
 *   {"listener":{"addr":..,"port":..,"comm":..,"stopped_ns":..}}
 *   {"end":true}
 * Times (_ns) are the wall clock, in ns.
 * Exits 0 after SIGTERM/SIGINT or SECONDS; 2 on bad usage.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "clock.h"
#include "kevfeed.h"
#include "kevlearn.h"
#include "kevload.h"
#include "kevreason.h"
#include "log.h"

static volatile sig_atomic_t stop, dump;
static uint32_t only_netns;
static struct kev_feed *feed;
static struct ts_steady wall;	/* CLOCK_MONOTONIC to the wall clock */

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		dump = 1;
	else
		stop = 1;
}

static void
print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT);

	if (s != NULL) {
		puts(s);
		fflush(stdout);
		free(s);
	}
	json_decref(o);
}

static const char *
addr_str(int family, const uint8_t *a, char *buf, size_t len)
{
	return inet_ntop(family, a, buf, (socklen_t)len) != NULL ? buf : "?";
}

static json_t *
flags_json(unsigned f)
{
	static const char *const names[] = { "rst", "nfdrop", "nopkt",
	    "inferred", "nocaller", "abandoned", "kthread", "v6only",
	    "errreport", "softerr", "icmp" };
	json_t *a = json_array();
	unsigned i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (f & (1u << i))
			json_array_append_new(a, json_string(names[i]));
	return a;
}

/* The capture classes that agree with reason r (doc/kernel-events.md),
 * "unseen" when a capture may see nothing. */
static json_t *
pcap_json(enum kev_reason r)
{
	json_t *a = json_array();
	unsigned c;

	for (c = 0; c < TS_CL__COUNT; c++)
		if (kev_reason_agrees(r, c))
			json_array_append_new(a, json_string(ts_class_name(c)));
	if (kev_reason_pcap(r) & KEV_PCAP_UNSEEN)
		json_array_append_new(a, json_string("unseen"));
	return a;
}

static void
on_event(void *arg, const struct kev_event *e)
{
	char sa[INET6_ADDRSTRLEN], da[INET6_ADDRSTRLEN];
	const char *en = e->err != 0 ? strerrorname_np(e->err) : NULL;
	json_t *o;

	(void)arg;
	if (only_netns != 0 && e->netns_ino != only_netns)
		return;
	o = json_pack("{s:s, s:I, s:i, s:s?, s:o, s:i, s:s, s:i, s:s, s:i, "
	    "s:I, s:I, s:I, s:i, s:i, s:i, s:s, s:I, s:s, s:I, s:i, s:i}",
	    "type", kev_type_name(e->type),
	    "ts_ns", (json_int_t)e->ts_ns,
	    "err", e->err,
	    "errno", en,
	    "flags", flags_json(e->flags),
	    "family", e->family == AF_INET ? 4 : 6,
	    "saddr", addr_str(e->family, e->saddr, sa, sizeof(sa)),
	    "sport", e->sport,
	    "daddr", addr_str(e->family, e->daddr, da, sizeof(da)),
	    "dport", e->dport,
	    "netns", (json_int_t)e->netns_ino,
	    "netns_cookie", (json_int_t)e->netns_cookie,
	    "sock_cookie", (json_int_t)e->sock_cookie,
	    "pid", (int)e->caller.pid,
	    "tid", (int)e->caller.tid,
	    "uid", (int)e->caller.uid,
	    "comm", e->caller.comm,
	    "cgroup_id", (json_int_t)e->caller.cgroup_id,
	    "cgname", e->caller.cgname,
	    "start_ns", (json_int_t)e->caller.start_ns,
	    "syn_retx", (int)e->syn_retx,
	    "nf_drops", (int)e->nf_drops);
	if (o == NULL)
		return;
	if (e->type == KEV_CONNECT_FAIL || e->type == KEV_CONNECT_ERR) {
		enum kev_reason r = kev_reason_of(e);

		json_object_set_new(o, "reason",
		    json_string(kev_reason_name(r)));
		json_object_set_new(o, "attemptfails",
		    json_boolean(kev_in_attemptfails(e)));
		json_object_set_new(o, "pcap", pcap_json(r));
	}
	if (e->flags & KEV_F_ICMP) {
		json_object_set_new(o, "icmp_type", json_integer(e->icmp_type));
		json_object_set_new(o, "icmp_code", json_integer(e->icmp_code));
	}
	print_json(o);
	kev_feed_event(feed, e, ts_steady_at(&wall, (ts_ns)e->ts_ns));
}

static json_t *
who_json(const struct kev_who *w, uint32_t pid)
{
	char line[256];

	kev_who_line(w, pid, line, sizeof(line));
	return json_pack("{s:s, s:i, s:i, s:s, s:s}", "comm", w->comm, "pid",
	    (int)pid, "uid", (int)w->uid, "cgroup", w->cgroup, "line", line);
}

static void
print_endpoint(const struct kev_epcallers *ep)
{
	const struct kev_callrow *top[KEV_CALLERS_MAX];
	const struct kev_listener *l;
	char a[INET6_ADDRSTRLEN];
	json_t *o, *callers = json_array(), *reasons = json_object();
	size_t i, n = kev_callers_top(ep, top, KEV_CALLERS_MAX);

	for (i = 0; i < n; i++) {
		json_t *c = who_json(&top[i]->who, top[i]->pid);

		json_object_set_new(c, "count", json_integer((json_int_t)
		    top[i]->count));
		json_object_set_new(c, "created_ns", json_integer(
		    (json_int_t)top[i]->created));
		json_array_append_new(callers, c);
	}
	for (i = 0; i < KEV_R__COUNT; i++)
		if (ep->reasons[i] != 0)
			json_object_set_new(reasons, kev_reason_name(i),
			    json_integer((json_int_t)ep->reasons[i]));
	o = json_pack("{s:I, s:i, s:s, s:i, s:I, s:I, s:I, s:o, s:o}",
	    "netns", (json_int_t)ep->netns_ino,
	    "family", ep->key.family,
	    "addr", addr_str(ep->key.family == TS_AF_INET ? AF_INET : AF_INET6,
	    ep->key.addr, a, sizeof(a)),
	    "port", ep->key.port,
	    "total", (json_int_t)ep->total,
	    "other", (json_int_t)ep->other,
	    "unknown", (json_int_t)ep->unknown,
	    "reasons", reasons,
	    "callers", callers);
	if (ep->has_last)
		json_object_set_new(o, "last_caller", who_json(
		    &ep->last_caller.who, ep->last_caller.pid));
	if ((l = kev_listen_last(kev_feed_listen(feed), &ep->key)) != NULL) {
		json_t *lj = who_json(&l->who, l->pid);

		json_object_set_new(lj, "active", json_integer(l->active));
		json_object_set_new(lj, "stopped_ns",
		    json_integer((json_int_t)l->stopped));
		json_object_set_new(o, "last_listener", lj);
	}
	print_json(json_pack("{s:o}", "endpoint", o));
}

static void
print_tables(void)
{
	const struct kev_epcallers *ep = NULL;
	const struct kev_listener *l = NULL;
	char a[INET6_ADDRSTRLEN];

	while ((ep = kev_callers_next(kev_feed_callers(feed), ep)) != NULL)
		print_endpoint(ep);
	while ((l = kev_listen_next(kev_feed_listen(feed), l)) != NULL) {
		json_t *o = who_json(&l->who, l->pid);

		json_object_set_new(o, "netns", json_integer(l->netns_ino));
		json_object_set_new(o, "addr", json_string(addr_str(
		    l->key.family == TS_AF_INET ? AF_INET : AF_INET6,
		    l->key.addr, a, sizeof(a))));
		json_object_set_new(o, "port", json_integer(l->key.port));
		json_object_set_new(o, "active", json_integer(l->active));
		json_object_set_new(o, "learnt", json_boolean(l->learnt));
		json_object_set_new(o, "started_ns",
		    json_integer((json_int_t)l->started));
		json_object_set_new(o, "stopped_ns",
		    json_integer((json_int_t)l->stopped));
		print_json(json_pack("{s:o}", "listener", o));
	}
	print_json(json_pack("{s:b}", "end", 1));
}

static void
print_state(const struct kev *k)
{
	json_t *progs = json_array();
	unsigned id;

	for (id = 0; id < KEV__PROGS; id++) {
		const struct kev_prog_status *p = kev_prog(k, id);

		json_array_append_new(progs, json_pack("{s:s, s:s, s:b, s:b, "
		    "s:i, s:s?, s:s?}", "name", p->name, "hook", p->hook,
		    "wanted", p->wanted, "attached", p->attached, "err",
		    p->err, "errno", p->err ? strerrorname_np(p->err) : NULL,
		    "stage", p->err ? p->stage : NULL));
	}
	print_json(json_pack("{s:s, s:s, s:o}", "state",
	    kev_state_name(kev_state(k)), "reason", kev_reason(k),
	    "progs", progs));
}

static void
print_counters(const struct kev *k)
{
	static const char *const names[KEV__COUNTERS] = { "events",
	    "ring_full", "syn_full", "tid_full", "nf_syn_drops",
	    "sysexit_seen" };
	struct kev_counters c;
	json_t *o;
	unsigned i;

	if (kev_counters(k, &c) != 0) {
		print_json(json_pack("{s:n}", "counters"));
		return;
	}
	o = json_object();
	for (i = 0; i < KEV__COUNTERS; i++)
		json_object_set_new(o, names[i], json_integer((json_int_t)c.c[i]));
	json_object_set_new(o, "bad_records",
	    json_integer((json_int_t)c.bad_records));
	json_object_set_new(o, "losses", json_integer((json_int_t)kev_losses(&c)));
	print_json(json_pack("{s:o}", "counters", o));
}

static int
usage(void)
{
	fprintf(stderr, "usage: kevdump [-d SECONDS] [-n] [-N self|INODE] "
	    "[-r RING_KIB] [-s SOCKETS]\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct kev_feed_conf fconf;
	struct kev_conf conf;
	struct sigaction sa;
	struct kev *k;
	const char *bad;
	long secs = 0;
	time_t end;
	int ch;

	log_init("kevdump", 1, 0);
	kev_conf_default(&conf);
	conf.enable = KEV_WANT_YES;
	conf.connect_errors = 1;	/* the setting's default is no */
	while ((ch = getopt(argc, argv, "d:nN:r:s:v")) != -1) {
		switch (ch) {
		case 'd': secs = atol(optarg); break;
		case 'n': conf.connect_errors = 0; break;
		case 'N':
			if (strcmp(optarg, "self") == 0) {
				struct stat st;

				if (stat("/proc/self/ns/net", &st) != 0) {
					perror("kevdump: /proc/self/ns/net");
					return 1;
				}
				only_netns = (uint32_t)st.st_ino;
				conf.netns_filter = 1;
			} else if ((only_netns = (uint32_t)strtoul(optarg,
			    NULL, 10)) == 0) {
				fprintf(stderr, "kevdump: -N %s: not a namespace "
				    "inode\n", optarg);
				return 2;
			} else
				conf.netns_filter = 1;
			break;
		case 'r': conf.ring_kib = (uint32_t)atol(optarg); break;
		case 's': conf.syn_sockets = (uint32_t)atol(optarg); break;
		case 'v': log_init("kevdump", 1, 1); break;
		default: return usage();
		}
	}
	if (optind != argc)
		return usage();
	if ((bad = kev_conf_check(&conf)) != NULL) {
		fprintf(stderr, "kevdump: %s\n", bad);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	kev_feed_conf_default(&fconf, "/proc");
	ts_steady_init(&wall, ts_now_wall(), ts_now_mono());
	if ((feed = kev_feed_new(&fconf)) == NULL ||
	    (k = kev_open(&conf, on_event, NULL)) == NULL) {
		perror("kevdump");
		return 1;
	}
	if (only_netns != 0 && kev_state(k) != KEV_ST_UNAVAILABLE &&
	    kev_netns_allow(k, only_netns, 1) != 0) {
		perror("kevdump: following the namespace");
		return 1;
	}
	if (kev_state(k) != KEV_ST_UNAVAILABLE &&
	    kev_learn_listeners(feed, "/proc", ts_now_wall()) < 0)
		fprintf(stderr, "kevdump: learning the listeners: %s\n",
		    strerror(errno));
	print_state(k);
	end = secs > 0 ? time(NULL) + secs : 0;
	while (!stop && (end == 0 || time(NULL) < end)) {
		struct pollfd p = { kev_fd(k), POLLIN, 0 };

		if (dump) {
			dump = 0;
			kev_consume(k);
			print_counters(k);
			print_tables();
		}
		if (poll(&p, p.fd >= 0 ? 1 : 0, 200) < 0 && errno != EINTR)
			break;
		if (kev_consume(k) < 0)
			fprintf(stderr, "kevdump: reading records: %s\n",
			    strerror(errno));
	}
	kev_consume(k);
	print_counters(k);
	print_tables();
	kev_close(k);
	kev_feed_free(feed);
	return 0;
}
