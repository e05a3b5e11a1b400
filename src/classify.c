/*
 * classify.c - the failure classifier.  See doc/classification.md for the
 * rules and their Zeek conn_state equivalents.
 */
#include "config.h"

#include <endian.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "flowtab.h"

/* A sequence number this far past an ISN is not of this connection. */
#define SEQ_PLAUSIBLE	(1u << 30)

struct ts_classify {
	struct ts_classify_conf	 conf;
	struct ts_flowtab	*ft;
	ts_event_sink		 sink;
	void			*arg;
	struct ts_classify_stats st;
	ts_ns			 due;	/* no deadline falls before this... */
	uint32_t		 gen;	/* ...while the flow table's gen is this */
};

void
ts_classify_conf_default(struct ts_classify_conf *conf)
{
	conf->max_flows = 65536;
	conf->syn_timeout = 30 * TS_NS_PER_SEC;
	conf->flow_ttl = 3600 * TS_NS_PER_SEC;
	conf->done_ttl = 120 * TS_NS_PER_SEC;
}

struct ts_classify *
ts_classify_new(const struct ts_classify_conf *conf, ts_event_sink sink,
    void *arg)
{
	struct ts_classify *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->conf = *conf;
	if (c->conf.flow_ttl < c->conf.syn_timeout)
		c->conf.flow_ttl = c->conf.syn_timeout;
	c->sink = sink;
	c->arg = arg;
	if ((c->ft = ts_flowtab_new(conf->max_flows)) == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void
ts_classify_free(struct ts_classify *c)
{
	if (c == NULL)
		return;
	ts_flowtab_free(c->ft);
	free(c);
}

static int
fam_idx(uint8_t family)
{
	return family == TS_AF_INET6;
}

/* memcmp(a, b, 16) < 0, = 0, > 0 as -1, 0, 1, a word at a time. */
static int
addr_cmp(const uint8_t *a, const uint8_t *b)
{
	uint64_t x, y;

	for (int i = 0; i < 16; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return be64toh(x) < be64toh(y) ? -1 : 1;
	}
	return 0;
}

/* Build the canonical key; return which end (0/1) sent the packet. */
static int
make_key(const struct ts_pkt *p, struct ts_flowkey *k)
{
	int cmp = addr_cmp(p->src, p->dst), end;
	uint16_t port[2];
	uint64_t w0;

	if (cmp == 0)
		cmp = (int)p->sport - (int)p->dport;
	end = cmp > 0;
	port[end] = p->sport;
	port[!end] = p->dport;
	/* The first word in one store: the hash and compares read it whole. */
	w0 = 0;
	memcpy(&w0, &p->family, 1);
	memcpy((uint8_t *)&w0 + offsetof(struct ts_flowkey, port), port, 4);
	memcpy(k, &w0, 8);
	memcpy(k->addr[end], p->src, 16);
	memcpy(k->addr[!end], p->dst, 16);
	return end;
}

/*
 * Where the service is, from the capture direction of a packet that went
 * towards the service (to_service) or away from it.
 */
static uint8_t
loc_from_dir(uint8_t dir, int to_service)
{
	switch (dir) {
	case TS_DIR_IN:
		return to_service ? TS_LOC_LOCAL : TS_LOC_REMOTE;
	case TS_DIR_OUT:
		return to_service ? TS_LOC_REMOTE : TS_LOC_LOCAL;
	case TS_DIR_OTHERHOST:
		return TS_LOC_TRANSIT;
	default:
		return TS_LOC_UNKNOWN;
	}
}

static void
emit(struct ts_classify *c, struct ts_event *ev)
{
	c->st.failures[ev->cls][fam_idx(ev->family)]++;
	c->sink(c->arg, ev);
}

/* An event about a followed attempt: the service is the end not client. */
static void
emit_flow(struct ts_classify *c, const struct ts_flow *f, ts_ns ts,
    enum ts_class cls, enum ts_rst_by by, const struct ts_pkt *p)
{
	struct ts_event ev;
	int s = !f->client;

	memset(&ev, 0, sizeof(ev));
	ev.ts = ts;
	ev.start = f->first_syn;
	ev.cls = (uint8_t)cls;
	ev.family = f->key.family;
	ev.rst_by = (uint8_t)by;
	ev.loc = loc_from_dir(f->syn_dir, 1);
	ev.svc_port = f->key.port[s];
	ev.peer_port = f->key.port[f->client];
	memcpy(ev.svc, f->key.addr[s], 16);
	memcpy(ev.peer, f->key.addr[f->client], 16);
	ev.ifindex = f->ifindex;
	ev.syn_retx = f->syn_retx;
	if (p != NULL && p->kind == TS_PKT_ICMP_UNREACH) {
		ev.icmp_type = p->icmp_type;
		ev.icmp_code = p->icmp_code;
		memcpy(ev.icmp_from, p->icmp_from, 16);
	}
	emit(c, &ev);
}

/*
 * A RST with no connection to place it in.  Guess the service side from
 * the ports: the lower port listens (the sender on a tie).
 */
static void
emit_unsolicited(struct ts_classify *c, const struct ts_pkt *p)
{
	struct ts_event ev;
	int sender_is_svc = p->sport <= p->dport;

	memset(&ev, 0, sizeof(ev));
	ev.ts = p->ts;
	ev.cls = TS_CL_UNSOLICITED;
	ev.family = p->family;
	ev.guessed = 1;
	ev.rst_by = sender_is_svc ? TS_BY_SERVICE : TS_BY_CLIENT;
	ev.loc = loc_from_dir(p->dir, !sender_is_svc);
	ev.ifindex = p->ifindex;
	if (sender_is_svc) {
		memcpy(ev.svc, p->src, 16);
		memcpy(ev.peer, p->dst, 16);
		ev.svc_port = p->sport;
		ev.peer_port = p->dport;
	} else {
		memcpy(ev.svc, p->dst, 16);
		memcpy(ev.peer, p->src, 16);
		ev.svc_port = p->dport;
		ev.peer_port = p->sport;
	}
	emit(c, &ev);
}

static void
make_room(struct ts_classify *c)
{
	struct ts_flow *old;

	if (!ts_flowtab_full(c->ft) || (old = ts_flowtab_victim(c->ft)) == NULL)
		return;
	if (old->queue == TS_Q_PENDING)
		c->st.attempts_lost++;
	if (old->state != TS_FLOW_DONE)
		c->st.flows_evicted++;
	ts_flowtab_remove(c->ft, old);
}

/*
 * The attempt is classified: remember it a while, so that SYNs the caller
 * retransmits and the answers to them are not counted again.
 */
static void
finish_attempt(struct ts_classify *c, struct ts_flow *f, ts_ns when)
{
	f->state = TS_FLOW_DONE;
	ts_flowtab_enqueue(c->ft, f, TS_Q_DONE, when);
}

static void
on_syn(struct ts_classify *c, const struct ts_pkt *p,
    const struct ts_flowkey *k, uint32_t hash, int end, struct ts_flow *f)
{
	if (f != NULL) {
		if (f->client != end) {		/* simultaneous open */
			ts_flowtab_touch(c->ft, f, p->ts);
			return;
		}
		if ((f->state == TS_FLOW_SYN_SENT || f->state == TS_FLOW_DONE) &&
		    p->seq == f->cisn) {
			f->syn_retx++;
			c->st.syn_retx++;
			ts_flowtab_touch(c->ft, f, p->ts);
			return;
		}
		/* A new ISN: the old attempt was given up, or the tuple reused. */
		if (f->state == TS_FLOW_SYN_SENT)
			emit_flow(c, f, p->ts, TS_CL_TIMEOUT, TS_BY_NONE, NULL);
		ts_flowtab_remove(c->ft, f);
	}
	make_room(c);
	if ((f = ts_flowtab_insert_h(c->ft, k, hash)) == NULL)
		return;
	f->client = (uint8_t)end;
	f->state = TS_FLOW_SYN_SENT;
	f->syn_dir = p->dir;
	f->cisn = p->seq;
	f->syn_len = p->paylen;
	f->ifindex = p->ifindex;
	f->first_syn = p->ts;
	ts_flowtab_touch(c->ft, f, p->ts);
	ts_flowtab_enqueue(c->ft, f, TS_Q_PENDING, p->ts);
	c->st.attempts[fam_idx(p->family)]++;
}

/* Does ack acknowledge the client's SYN (and any data it carried)? */
static int
acks_syn(const struct ts_flow *f, uint32_t ack)
{
	return ack == f->cisn + 1 || ack == f->cisn + 1 + f->syn_len;
}

static void
on_synack(struct ts_classify *c, const struct ts_pkt *p, int end,
    struct ts_flow *f)
{
	if (f == NULL) {
		c->st.synack_nostate++;
		return;
	}
	if (f->client == end)
		return;
	if (f->state == TS_FLOW_SYN_SENT || f->state == TS_FLOW_DONE) {
		if (!acks_syn(f, p->ack))
			return;
		if (f->state == TS_FLOW_DONE)	/* answered after all */
			c->st.late_synacks++;
		f->state = TS_FLOW_SYNACK;
		f->sisn = p->seq;
		ts_flowtab_dequeue(c->ft, f);
		c->st.synacks++;
	}
	ts_flowtab_touch(c->ft, f, p->ts);
}

static void
on_rst(struct ts_classify *c, const struct ts_pkt *p, int end,
    struct ts_flow *f)
{
	enum ts_rst_by by;
	enum ts_class cls;
	uint32_t d, next;

	c->st.rsts[fam_idx(p->family)]++;
	if (f == NULL) {
		emit_unsolicited(c, p);
		return;
	}
	by = end == f->client ? TS_BY_CLIENT : TS_BY_SERVICE;
	if (f->state == TS_FLOW_DONE) {
		/* A retransmitted SYN refused again: already counted. */
		if (by == TS_BY_SERVICE && (p->tcpflags & TS_TH_ACK) &&
		    acks_syn(f, p->ack))
			c->st.late_answers++;
		else
			emit_unsolicited(c, p);
		return;
	}
	if (f->state == TS_FLOW_SYN_SENT) {
		if (by == TS_BY_SERVICE) {
			/* A reset answering a SYN carries ACK = SYN.seq + 1 (+len). */
			if (!(p->tcpflags & TS_TH_ACK) || !acks_syn(f, p->ack)) {
				emit_unsolicited(c, p);
				return;
			}
			cls = TS_CL_REFUSED;
		} else {
			/* The caller gave up before any answer (Zeek RSTOS0). */
			if ((uint32_t)(p->seq - f->cisn) >= SEQ_PLAUSIBLE) {
				emit_unsolicited(c, p);
				return;
			}
			cls = TS_CL_HSRESET;
		}
	} else {
		/*
		 * After the SYN-ACK.  The RST's sequence number is the
		 * sender's next byte: past ISN+1 means it sent data.  An ACK
		 * bit means the sender had synchronized with its peer; a RST
		 * without it answers a segment the sender had no connection
		 * for (a stale SYN-ACK, an ACK refused in SYN-RECV).
		 */
		next = by == TS_BY_SERVICE ? f->sisn + 1 :
		    f->cisn + 1 + f->syn_len;
		d = p->seq - next;
		if (d >= SEQ_PLAUSIBLE && (uint32_t)(next - p->seq) > f->syn_len) {
			emit_unsolicited(c, p);
			return;
		}
		if (f->state == TS_FLOW_ESTABLISHED ||
		    (d > 0 && d < SEQ_PLAUSIBLE) || (p->tcpflags & TS_TH_ACK))
			cls = TS_CL_ABORT;
		else
			cls = TS_CL_HSRESET;
	}
	emit_flow(c, f, p->ts, cls, by, p);
	if (cls == TS_CL_REFUSED)
		finish_attempt(c, f, p->ts);
	else
		ts_flowtab_remove(c->ft, f);
}

static void
on_icmp(struct ts_classify *c, const struct ts_pkt *p,
    const struct ts_classify_prep *pp)
{
	struct ts_flow *f;
	int end = pp->end;	/* the quote is client -> service */

	f = ts_flowtab_find_h(c->ft, &pp->key, pp->hash);
	if (f != NULL && f->state == TS_FLOW_DONE && f->client == end &&
	    p->seq == f->cisn) {
		c->st.late_answers++;	/* a retransmitted SYN bounced again */
		return;
	}
	if (f == NULL || f->state != TS_FLOW_SYN_SENT || f->client != end ||
	    p->seq != f->cisn) {
		c->st.icmp_unmatched++;
		return;
	}
	emit_flow(c, f, p->ts, TS_CL_UNREACH, TS_BY_NONE, p);
	finish_attempt(c, f, p->ts);
}

void
ts_classify_prepare(struct ts_classify *c, const struct ts_pkt *p,
    struct ts_classify_prep *pp)
{
	pp->end = make_key(p, &pp->key);
	pp->hash = ts_flowtab_hash(c->ft, &pp->key);
	ts_flowtab_prefetch(c->ft, pp->hash);
}

void
ts_classify_prefetch(struct ts_classify *c, const struct ts_classify_prep *pp,
    int stage)
{
	if (stage == 1)
		ts_flowtab_prefetch_flow(c->ft, pp->hash);
	else
		ts_flowtab_prefetch_links(c->ft, pp->hash);
}

void
ts_classify_prefetch_victims(struct ts_classify *c, int n)
{
	if (ts_flowtab_full(c->ft))
		ts_flowtab_prefetch_victims(c->ft, n);
}

void
ts_classify_packet(struct ts_classify *c, const struct ts_pkt *p)
{
	struct ts_classify_prep pp;

	ts_classify_prepare(c, p, &pp);
	ts_classify_packet_prep(c, p, &pp);
}

void
ts_classify_packet_prep(struct ts_classify *c, const struct ts_pkt *p,
    const struct ts_classify_prep *pp)
{
	const struct ts_flowkey *k = &pp->key;
	struct ts_flow *f;
	int end = pp->end;

	ts_classify_tick(c, p->ts);
	if (p->kind == TS_PKT_ICMP_UNREACH) {
		on_icmp(c, p, pp);
		return;
	}
	f = ts_flowtab_find_h(c->ft, k, pp->hash);
	if (p->tcpflags & TS_TH_RST) {
		on_rst(c, p, end, f);
		return;
	}
	if ((p->tcpflags & (TS_TH_SYN | TS_TH_ACK)) == TS_TH_SYN)
		on_syn(c, p, k, pp->hash, end, f);
	else if (p->tcpflags & TS_TH_SYN)
		on_synack(c, p, end, f);
	if (p->tcpflags & TS_TH_FIN) {
		c->st.fins++;
		/* A SYN above may have replaced or added the flow. */
		if (p->tcpflags & TS_TH_SYN)
			f = ts_flowtab_find_h(c->ft, k, pp->hash);
		if (f != NULL &&
		    (f->state == TS_FLOW_SYNACK ||
		    f->state == TS_FLOW_ESTABLISHED)) {
			f->state = TS_FLOW_ESTABLISHED;
			f->fins |= (uint8_t)(1u << end);
			ts_flowtab_touch(c->ft, f, p->ts);
		}
	}
}

void
ts_classify_tick(struct ts_classify *c, ts_ns now)
{
	struct ts_flow *f;
	ts_ns deadline;
	uint32_t gen;

	/*
	 * Most packets come before any deadline, and leave the lists' heads
	 * as they were: two comparisons for them.
	 */
	if (now < c->due && ts_flowtab_gen(c->ft) == c->gen)
		return;
	/* Each loop stops at the first deadline still ahead: the next due. */
	for (;;) {
		if ((f = ts_flowtab_queue_first(c->ft, TS_Q_PENDING)) == NULL) {
			c->due = INT64_MAX;
			break;
		}
		if ((c->due = f->since + c->conf.syn_timeout) > now)
			break;
		emit_flow(c, f, c->due, TS_CL_TIMEOUT, TS_BY_NONE, NULL);
		finish_attempt(c, f, c->due);
	}
	while ((f = ts_flowtab_queue_first(c->ft, TS_Q_DONE)) != NULL) {
		if ((deadline = f->since + c->conf.done_ttl) > now) {
			if (deadline < c->due)
				c->due = deadline;
			break;
		}
		ts_flowtab_remove(c->ft, f);
	}
	/*
	 * Idle flows go oldest first; a pending one stops that until its SYN
	 * deadline, which is counted above.  One that was also the oldest
	 * classified attempt leaves a new one, not yet looked at: then the
	 * next tick looks at everything again (gen differs).
	 */
	gen = ts_flowtab_gen(c->ft);
	while ((f = ts_flowtab_oldest(c->ft)) != NULL &&
	    f->queue != TS_Q_PENDING) {
		if ((deadline = f->last + c->conf.flow_ttl) > now) {
			if (deadline < c->due)
				c->due = deadline;
			break;
		}
		c->st.flows_expired++;
		ts_flowtab_remove(c->ft, f);
	}
	c->gen = ts_flowtab_gen(c->ft) == gen ? gen : gen - 1;
}

uint32_t
ts_classify_pending(struct ts_classify *c)
{
	return ts_flowtab_queue_len(c->ft, TS_Q_PENDING);
}

uint32_t
ts_classify_flows(struct ts_classify *c)
{
	return ts_flowtab_count(c->ft);
}

const struct ts_classify_stats *
ts_classify_stats(const struct ts_classify *c)
{
	return &c->st;
}

const char *
ts_class_name(enum ts_class cls)
{
	static const char *const names[TS_CL__COUNT] = {
		"refused", "unreachable", "timeout", "handshake-reset",
		"abort", "unsolicited",
	};

	return (unsigned)cls < TS_CL__COUNT ? names[cls] : "?";
}

const char *
ts_class_zeek(enum ts_class cls, enum ts_rst_by by)
{
	switch (cls) {
	case TS_CL_REFUSED:
	case TS_CL_UNREACH:
		return "REJ";
	case TS_CL_TIMEOUT:
		return "S0";
	case TS_CL_HSRESET:
		return by == TS_BY_SERVICE ? "RSTR" : "RSTOS0";
	case TS_CL_ABORT:
		return by == TS_BY_SERVICE ? "RSTR" : "RSTO";
	case TS_CL_UNSOLICITED:
		return "RSTRH";
	default:
		return "OTH";
	}
}

const char *
ts_rst_by_name(enum ts_rst_by by)
{
	switch (by) {
	case TS_BY_SERVICE:
		return "service";
	case TS_BY_CLIENT:
		return "client";
	default:
		return "none";
	}
}

const char *
ts_loc_name(enum ts_loc loc)
{
	switch (loc) {
	case TS_LOC_LOCAL:
		return "local";
	case TS_LOC_REMOTE:
		return "remote";
	case TS_LOC_TRANSIT:
		return "transit";
	default:
		return "unknown";
	}
}
