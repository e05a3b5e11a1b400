/*
 * engine.c - glue between decoder, deduplication, classifier and table.
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "engine.h"

#define DEDUP_SLOTS	4096

void
ts_engine_conf_default(struct ts_engine_conf *conf)
{
	memset(conf, 0, sizeof(*conf));
	ts_classify_conf_default(&conf->classify);
	ts_eptab_conf_default(&conf->eptab);
	conf->dedup_window = 20 * 1000000LL;	/* 20 ms */
}

/* Where the service is: this host's addresses beat capture direction. */
static uint8_t
locate(const struct ts_engine *e, const struct ts_event *ev)
{
	const struct ts_localaddr *la = &e->local;

	if (ts_localaddr_is_local(la, ev->family, ev->svc))
		return TS_LOC_LOCAL;
	if (ts_localaddr_is_local(la, ev->family, ev->peer))
		return TS_LOC_REMOTE;
	if (la->known)
		return TS_LOC_TRANSIT;
	return ev->loc;
}

int
ts_ignore_add_net(struct ts_ignore *ig, const char *s)
{
	char buf[64], *slash, *end;
	uint8_t a[16];
	long plen;
	int fam;

	if (ig->nnets == TS_IGNORE_MAX)
		return -1;
	snprintf(buf, sizeof(buf), "%s", s);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	memset(a, 0, sizeof(a));
	if (inet_pton(AF_INET, buf, a) == 1)
		fam = TS_AF_INET;
	else if (inet_pton(AF_INET6, buf, a) == 1)
		fam = TS_AF_INET6;
	else
		return -1;
	plen = fam == TS_AF_INET ? 32 : 128;
	if (slash != NULL) {
		plen = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || plen < 0 ||
		    plen > (fam == TS_AF_INET ? 32 : 128))
			return -1;
	}
	ig->nets[ig->nnets].family = (uint8_t)fam;
	ig->nets[ig->nnets].plen = (uint8_t)plen;
	memcpy(ig->nets[ig->nnets].addr, a, 16);
	ig->nnets++;
	return 0;
}

static int
in_net(const uint8_t *addr, const uint8_t *net, int plen)
{
	int bytes = plen / 8, bits = plen % 8;

	if (memcmp(addr, net, (size_t)bytes) != 0)
		return 0;
	return bits == 0 ||
	    ((addr[bytes] ^ net[bytes]) & (0xff << (8 - bits)) & 0xff) == 0;
}

int
ts_ignore_match(const struct ts_ignore *ig, uint8_t family, const uint8_t *svc,
    uint16_t port, const uint8_t *peer)
{
	for (int i = 0; i < ig->nports; i++)
		if (ig->ports[i] == port)
			return 1;
	for (int i = 0; i < ig->nnets; i++)
		if (ig->nets[i].family == family &&
		    (in_net(svc, ig->nets[i].addr, ig->nets[i].plen) ||
		    in_net(peer, ig->nets[i].addr, ig->nets[i].plen)))
			return 1;
	return 0;
}

void
ts_engine_set_ignore(struct ts_engine *e, const struct ts_ignore *ig)
{
	e->conf.ignore = *ig;
}

static void
on_event(void *arg, const struct ts_event *cev)
{
	struct ts_engine *e = arg;
	struct ts_event ev = *cev;
	const char *ifname = NULL;

	if (ts_ignore_match(&e->conf.ignore, ev.family, ev.svc, ev.svc_port,
	    ev.peer)) {
		e->st.ignored++;
		return;
	}
	ev.loc = locate(e, &ev);
	if (ev.ifindex != 0 && e->conf.ifname != NULL)
		ifname = e->conf.ifname(e->conf.ifname_arg, ev.ifindex);
	ts_eptab_event(e->ep, &ev, ifname);
	if (e->conf.on_event != NULL)
		e->conf.on_event(e->conf.event_arg, &ev, ifname);
	if (ev.cls < TS_CL__FAILURES) {
		e->st.failures[ev.family == TS_AF_INET6]++;
		/* What the kernel's AttemptFails would count: our SYN died. */
		if (ev.cls <= TS_CL_HSRESET &&
		    ts_localaddr_is_local(&e->local, ev.family, ev.peer))
			e->st.host_attempt_fails++;
		ts_rate_add(&e->host_rate, &e->conf.eptab.rates, ev.ts, 1);
	}
}

struct ts_engine *
ts_engine_new(const struct ts_engine_conf *conf)
{
	struct ts_engine *e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->conf = *conf;
	ts_localaddr_init(&e->local);
	ts_rate_init(&e->host_rate);
	e->cl = ts_classify_new(&conf->classify, on_event, e);
	e->ep = ts_eptab_new(&conf->eptab);
	e->dd = ts_dedup_new(DEDUP_SLOTS, conf->dedup_window);
	if (e->cl == NULL || e->ep == NULL || e->dd == NULL) {
		ts_engine_free(e);
		return NULL;
	}
	return e;
}

void
ts_engine_free(struct ts_engine *e)
{
	if (e == NULL)
		return;
	ts_classify_free(e->cl);
	ts_eptab_free(e->ep);
	ts_dedup_free(e->dd);
	free(e);
}

void
ts_engine_queue(struct ts_engine *e, int dlt, const uint8_t *data,
    size_t caplen, size_t wirelen, ts_ns ts, uint32_t ifindex, int may_copy)
{
	struct ts_engine_qent *q = &e->q[e->nq++];

	q->res = (uint8_t)ts_decode(dlt, data, caplen, wirelen, ts, ifindex,
	    &q->pkt, &e->dec);
	if (q->res != TS_DEC_OK)
		q->pkt.ts = ts;
	q->may_copy = may_copy != 0;
	if (e->nq == TS_ENGINE_BATCH)
		ts_engine_flush(e);
}

/* One frame of the batch, as it came. */
static void
handle(struct ts_engine *e, const struct ts_engine_qent *q)
{
	const struct ts_pkt *pkt = &q->pkt;
	ts_ns ts = pkt->ts;

	if (e->st.first_ts == 0)
		e->st.first_ts = ts;
	if (ts > e->st.last_ts)
		e->st.last_ts = ts;
	if (q->res != TS_DEC_OK) {
		ts_classify_tick(e->cl, ts);
		ts_eptab_tick(e->ep, ts);
		return;
	}
	if (q->may_copy && ts_dedup_check(e->dd, &q->fp)) {
		e->st.duplicates++;
		return;
	}
	if (pkt->kind == TS_PKT_TCP && (pkt->tcpflags & TS_TH_RST) &&
	    ts_localaddr_is_local(&e->local, pkt->family, pkt->src))
		e->st.rsts_from_host++;
	ts_classify_packet_prep(e->cl, pkt, &q->prep);
	ts_eptab_tick(e->ep, ts);
}

/*
 * The batch's flows are looked up in stages so their loads overlap: each
 * frame's fingerprint and key (its dedup slot and bucket requested), the
 * flows new attempts would evict, each frame's flow (its bucket is in by
 * then), its list neighbours; then each frame in order.
 */
void
ts_engine_flush(struct ts_engine *e)
{
	int n = e->nq, syns = 0;

	e->nq = 0;
	for (int i = 0; i < n; i++)
		if (e->q[i].res == TS_DEC_OK) {
			if (e->q[i].may_copy)
				ts_dedup_prepare(e->dd, &e->q[i].pkt, &e->q[i].fp);
			ts_classify_prepare(e->cl, &e->q[i].pkt, &e->q[i].prep);
			syns += (e->q[i].pkt.tcpflags & (TS_TH_SYN | TS_TH_ACK)) ==
			    TS_TH_SYN;
		}
	if (syns > 0)
		ts_classify_prefetch_victims(e->cl, syns);
	for (int stage = 1; stage <= 2; stage++)
		for (int i = 0; i < n; i++)
			if (e->q[i].res == TS_DEC_OK)
				ts_classify_prefetch(e->cl, &e->q[i].prep, stage);
	for (int i = 0; i < n; i++)
		handle(e, &e->q[i]);
}

void
ts_engine_frame(struct ts_engine *e, int dlt, const uint8_t *data,
    size_t caplen, size_t wirelen, ts_ns ts, uint32_t ifindex)
{
	ts_engine_queue(e, dlt, data, caplen, wirelen, ts, ifindex, 1);
	ts_engine_flush(e);
}

void
ts_engine_tick(struct ts_engine *e, ts_ns now)
{
	ts_engine_flush(e);
	ts_classify_tick(e->cl, now);
	ts_eptab_tick(e->ep, now);
}
