/*
 * check_lsn.c - check_snmp's fixture and expectations for
 * tcpsleuthNsTable, tcpsleuthLsnTable and tcpsleuthLsnGroupTable: five
 * namespaces (host, tcpsleuthd's own, a gone ip netns one, a container's
 * it may not enter, a unit's not read yet), four listening sockets (one
 * with its queue full and dropping, an SO_REUSEPORT pair, a link-local
 * IPv6 one) and their three groups.  Each cell's value is written here by
 * object name from the fixture, and each row's index from the addresses
 * as text, independently of the agent's code.
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "check_snmp.h"
#include "values.h"

#define NNS	5
#define NLSN	4
#define NGRP	3

static struct ts_snap_ns ns[NNS];
static struct ts_snap_lsn lsn[NLSN];
static struct ts_snap_lgrp grp[NGRP];

static const struct place {
	uint32_t	netns;
	const char	*addr;
	uint32_t	zone;
	uint16_t	port;
} places[NGRP] = {
	{ 4026532100u, "127.0.0.1", 0, 8080 },
	{ 4026532100u, "0.0.0.0", 0, 22 },
	{ 4026531840u, "fe80::1", 3, 443 },
};
static const int lsn_place[NLSN] = { 0, 1, 1, 2 };
static const uint32_t lsn_inode[NLSN] = { 5001, 6001, 6002, 7001 };

static void
key_of(const struct place *p, struct ts_epkey *k)
{
	memset(k, 0, sizeof(*k));
	k->family = strchr(p->addr, ':') != NULL ? TS_AF_INET6 : TS_AF_INET;
	inet_pton(k->family == TS_AF_INET ? AF_INET : AF_INET6, p->addr,
	    k->addr);
	k->scope = p->zone;
	k->port = p->port;
}

void
lsn_fixture(struct ts_snapshot *s)
{
	static const char *names[NNS] = { "host", "pid 77 sh", "tsl1a",
	    "docker 3f2a9c1b7d0e", "cron.service" };
	static const uint8_t src[NNS] = { TS_NSN_HOST, TS_NSN_PROCESS,
	    TS_NSN_NETNS, TS_NSN_UNIT, TS_NSN_UNIT };
	static const uint8_t state[NNS] = { TS_NSS_OK, TS_NSS_OK, TS_NSS_GONE,
	    TS_NSS_NOACCESS, TS_NSS_NEW };
	static const uint32_t ino[NNS] = { 4026531840u, 4026532100u,
	    4026532500u, 4026532600u, 4026532700u };

	for (int i = 0; i < NNS; i++) {
		struct ts_snap_ns *n = &ns[i];

		n->ino = ino[i];
		n->cookie = i == 0 ? 1 : i == 1 ? 4096 : 0;
		snprintf(n->name, sizeof(n->name), "%s", names[i]);
		if (src[i] == TS_NSN_NETNS)
			snprintf(n->ipname, sizeof(n->ipname), "%s", names[i]);
		n->namesrc = src[i];
		n->unitkind = i == 3 ? TS_CG_DOCKER : i == 4 ? TS_CG_SERVICE : 0;
		n->self = i == 1;
		n->state = state[i];
		if (state[i] == TS_NSS_NOACCESS)
			snprintf(n->err, sizeof(n->err), "Operation not permitted");
		n->pid = i == 0 ? 1 : i == 1 ? 77 : i == 3 ? 900 : 0;
		n->created = T_FIRST - SEC;
		n->discont = T_FIRST + (ts_ns)i * SEC;
		n->last_read = state[i] == TS_NSS_OK || state[i] == TS_NSS_GONE ?
		    T_FIRST + 5 * SEC : 0;
		n->gone_since = state[i] == TS_NSS_GONE ? T_FIRST + 3 * SEC : 0;
		for (int c = 0; c < TS_NSC__COUNT; c++) {
			n->v[c] = 1000 * (uint64_t)(i + 1) + (uint64_t)c;
			for (int w = 0; w < TS_RATE_WINDOWS; w++)
				n->rate[c][w] = 100 * (uint32_t)(i + 1) +
				    10 * (uint32_t)c + (uint32_t)w;
		}
		n->cov_lsn_drops = 140 + (uint64_t)i;
		n->cov_listen_drops = 144 + 2 * (uint64_t)i;
		n->listeners = 2 + (uint32_t)i;
		n->unlisted = (uint32_t)i;
	}
	for (int i = 0; i < NLSN; i++) {
		struct ts_snap_lsn *l = &lsn[i];

		l->netns = places[lsn_place[i]].netns;
		l->inode = lsn_inode[i];
		key_of(&places[lsn_place[i]], &l->key);
		l->ifindex = places[lsn_place[i]].zone;
		l->uid = 100 * (uint32_t)i;
		l->v6only = l->key.family == TS_AF_INET6;
		l->learnt = i == 0;
		l->has_drops = 1;
		l->queue = i == 0 ? 2 : (uint32_t)i;
		l->backlog = i == 0 ? 1 : 128;
		l->queue_max = i == 0 ? 2 : 3 + (uint32_t)i;
		l->full_polls = i == 0 ? 7 : 0;
		l->group_size = lsn_place[i] == 1 ? 2 : 1;
		l->drops = i == 0 ? 144 : (uint64_t)i;
		for (int w = 0; w < TS_RATE_WINDOWS; w++)
			l->rate[w] = 4800 / (uint32_t)(w + 1) + (uint32_t)i;
		l->created = T_FIRST;
		l->last_drop = i == 0 ? T_FIRST + 2 * SEC : 0;
		if (i < 3) {
			l->owner_state = TS_OWN_FOUND;
			l->pid = i == 0 ? 4242 : 1;
			l->holders = i == 0 ? 1 : 2;
			snprintf(l->comm, sizeof(l->comm), "%s", i == 0 ?
			    "lsnhold" : "systemd");
			snprintf(l->unit, sizeof(l->unit), "%s", i == 0 ? "" :
			    "init.scope");
			snprintf(l->owner, sizeof(l->owner), "%s", i == 0 ?
			    "pid 4242 lsnhold" : "pid 1 systemd (init.scope) +1");
		} else {
			l->owner_state = TS_OWN_UNKNOWN;
			snprintf(l->owner, sizeof(l->owner), "unknown");
		}
		snprintf(l->name, sizeof(l->name), "listener %d", i);
	}
	for (int i = 0; i < NGRP; i++) {
		struct ts_snap_lgrp *g = &grp[i];

		g->netns = places[i].netns;
		key_of(&places[i], &g->key);
		g->members = i == 1 ? 2 : 1;
		g->full = i == 0;
		g->queue = 2 + (uint32_t)i;
		g->backlog = i == 0 ? 1 : 128 * g->members;
		g->queue_max = 5 + (uint32_t)i;
		g->drops = 144 + (uint64_t)i;
		for (int w = 0; w < TS_RATE_WINDOWS; w++)
			g->rate[w] = i == 2 ? 0 :	/* no alarm */
			    4800 / (uint32_t)(w + 1) + 10 * (uint32_t)i;
		g->created = T_FIRST - (ts_ns)i * SEC;
		g->last_drop = i == 0 ? T_FIRST + 2 * SEC : 0;
		snprintf(g->owner, sizeof(g->owner), "owner of %d", i);
		snprintf(g->name, sizeof(g->name), "group %d", i);
	}
	s->ns = ns;
	s->nns = NNS;
	s->lsn = lsn;
	s->nlsn = NLSN;
	s->lgrp = grp;
	s->nlgrp = NGRP;
}

/* netns, type, length, octets, port of place p, as its text says. */
static size_t
place_index(const struct place *p, oid *o)
{
	uint8_t a[16];
	size_t n = 0;
	int v6 = strchr(p->addr, ':') != NULL;

	inet_pton(v6 ? AF_INET6 : AF_INET, p->addr, a);
	o[n++] = p->netns;
	o[n++] = !v6 ? 1 : p->zone ? 4 : 2;
	o[n++] = !v6 ? 4 : p->zone ? 20 : 16;
	for (int i = 0; i < (v6 ? 16 : 4); i++)
		o[n++] = a[i];
	if (v6 && p->zone)
		for (int s = 24; s >= 0; s -= 8)
			o[n++] = (p->zone >> s) & 0xff;
	o[n++] = p->port;
	return n;
}

size_t
lsn_group_index(int i, oid *o)
{
	return place_index(&places[i], o);
}

static int
same(const oid *a, size_t na, const oid *b, size_t nb)
{
	return na == nb && memcmp(a, b, na * sizeof(oid)) == 0;
}

#define NUM(x)		do { w->num = (uint64_t)(x); return 1; } while (0)
#define TXT(s)		do { w->slen = strlen(s); memcpy(w->str, (s), w->slen); \
			    return 1; } while (0)
#define STAMP(t)	NUM((t) != 0 ? UP(MONO(t)) : 0)

static int
want_ns(enum tsm_id id, const struct ts_snap_ns *n, struct want *w)
{
	static const enum tsm_id ctr[TS_NSC__COUNT] = {
		TSM_ID_NsAttemptFails, TSM_ID_NsEstabResets, TSM_ID_NsOutRsts,
		TSM_ID_NsListenOverflows, TSM_ID_NsListenDrops };
	static const enum tsm_id rate[TS_NSC__COUNT][3] = {
		{ TSM_ID_NsAttemptFailsRate1, TSM_ID_NsAttemptFailsRate5,
		  TSM_ID_NsAttemptFailsRate15 },
		{ TSM_ID_NsEstabResetsRate1, TSM_ID_NsEstabResetsRate5,
		  TSM_ID_NsEstabResetsRate15 },
		{ TSM_ID_NsOutRstsRate1, TSM_ID_NsOutRstsRate5,
		  TSM_ID_NsOutRstsRate15 },
		{ TSM_ID_NsListenOvflRate1, TSM_ID_NsListenOvflRate5,
		  TSM_ID_NsListenOvflRate15 },
		{ TSM_ID_NsListenDropsRate1, TSM_ID_NsListenDropsRate5,
		  TSM_ID_NsListenDropsRate15 } };
	/* MIB order of the fixture: host(6), self(1), netns(2),
	 * container(3), unit(4); present(1) present gone(2) noaccess(3)
	 * new(5) */
	static const int kind[NNS] = { 6, 1, 2, 3, 4 };
	static const int state[NNS] = { 1, 1, 2, 3, 5 };
	int i = (int)(n - ns);

	for (int c = 0; c < TS_NSC__COUNT; c++) {
		if (ctr[c] == id)
			NUM(n->v[c]);
		for (int k = 0; k < 3; k++)
			if (rate[c][k] == id)
				NUM(n->rate[c][k]);
	}
	switch (id) {
	case TSM_ID_NsCookie: TXT(i == 0 ? "1" : i == 1 ? "4096" : "");
	case TSM_ID_NsName: TXT(n->name);
	case TSM_ID_NsKind: NUM(kind[i]);
	case TSM_ID_NsState: NUM(state[i]);
	case TSM_ID_NsCreated: STAMP(n->created);
	case TSM_ID_NsGoneTime: STAMP(n->gone_since);
	case TSM_ID_NsDiscontinuity: STAMP(n->discont);
	case TSM_ID_NsListeners: NUM(n->listeners);
	case TSM_ID_NsUnlisted: NUM(n->unlisted);
	case TSM_ID_NsCovLsnDrops: NUM(n->cov_lsn_drops);
	case TSM_ID_NsCovListenDrops: NUM(n->cov_listen_drops);
	case TSM_ID_NsCovPermille:
		NUM(n->cov_lsn_drops * 1000 / n->cov_listen_drops);
	case TSM_ID_NsPid: NUM(n->pid);
	case TSM_ID_NsLastRead: STAMP(n->last_read);
	case TSM_ID_NsError: TXT(n->err);
	default: return 0;
	}
}

static int
want_lsn(enum tsm_id id, const struct ts_snap_lsn *l, struct want *w)
{
	static const uint8_t dt_first[11] = { 0x07, 0xea, 11, 21, 18, 43, 51, 3,
	    '+', 0, 0 };

	switch (id) {
	case TSM_ID_LsnName: TXT(l->name);
	case TSM_ID_LsnOwnerPid: NUM(l->pid);
	case TSM_ID_LsnOwnerComm: TXT(l->comm);
	case TSM_ID_LsnOwnerUnit: TXT(l->unit);
	case TSM_ID_LsnOwner: TXT(l->owner);
	case TSM_ID_LsnHolders: NUM(l->holders);
	case TSM_ID_LsnUid: NUM(l->uid);
	case TSM_ID_LsnQueue: NUM(l->queue);
	case TSM_ID_LsnBacklog: NUM(l->backlog);
	case TSM_ID_LsnQueueMax: NUM(l->queue_max);
	case TSM_ID_LsnFullPolls: NUM(l->full_polls);
	case TSM_ID_LsnDrops: NUM(l->drops);
	case TSM_ID_LsnDropRate1: NUM(l->rate[0]);
	case TSM_ID_LsnDropRate5: NUM(l->rate[1]);
	case TSM_ID_LsnDropRate15: NUM(l->rate[2]);
	case TSM_ID_LsnSince:
		w->slen = 11;
		memcpy(w->str, dt_first, 11);
		return 1;
	case TSM_ID_LsnCreated: STAMP(l->created);
	case TSM_ID_LsnLearnt: NUM(l->learnt ? 1 : 2);
	case TSM_ID_LsnGroupSize: NUM(l->group_size);
	case TSM_ID_LsnLastDrop: STAMP(l->last_drop);
	case TSM_ID_LsnIfIndex: NUM(l->ifindex);
	case TSM_ID_LsnV6Only: NUM(l->v6only ? 1 : 2);
	default: return 0;
	}
}

static int
want_grp(enum tsm_id id, const struct ts_snap_lgrp *g, struct want *w)
{
	switch (id) {
	case TSM_ID_LsnGroupName: TXT(g->name);
	case TSM_ID_LsnGroupMembers: NUM(g->members);
	case TSM_ID_LsnGroupFull: NUM(g->full);
	case TSM_ID_LsnGroupQueue: NUM(g->queue);
	case TSM_ID_LsnGroupBacklog: NUM(g->backlog);
	case TSM_ID_LsnGroupQueueMax: NUM(g->queue_max);
	case TSM_ID_LsnGroupDrops: NUM(g->drops);
	case TSM_ID_LsnGroupDropRate1: NUM(g->rate[0]);
	case TSM_ID_LsnGroupDropRate5: NUM(g->rate[1]);
	case TSM_ID_LsnGroupDropRate15: NUM(g->rate[2]);
	case TSM_ID_LsnGroupCreated: STAMP(g->created);
	case TSM_ID_LsnGroupLastDrop: STAMP(g->last_drop);
	case TSM_ID_LsnGroupOwner: TXT(g->owner);
	default: return 0;
	}
}

int
lsn_table(const struct tsm_object *o)
{
	return o->kind != TSM_SCALAR && (o->oid[1] == TSM_NsTable ||
	    o->oid[1] == TSM_LsnTable || o->oid[1] == TSM_LsnGroupTable);
}

int
lsn_want(enum tsm_id id, const oid *in, size_t nin, struct want *w)
{
	const struct tsm_object *o = &tsm_objects[id];
	oid x[32];
	size_t n;

	memset(w, 0, sizeof(*w));
	switch (o->oid[1]) {
	case TSM_NsTable:
		for (int i = 0; i < NNS; i++)
			if (nin == 1 && in[0] == ns[i].ino)
				return want_ns(id, &ns[i], w);
		return 0;
	case TSM_LsnTable:
		for (int i = 0; i < NLSN; i++) {
			n = place_index(&places[lsn_place[i]], x);
			x[n++] = lsn_inode[i];
			if (same(in, nin, x, n))
				return want_lsn(id, &lsn[i], w);
		}
		return 0;
	case TSM_LsnGroupTable:
		for (int i = 0; i < NGRP; i++) {
			n = place_index(&places[i], x);
			if (same(in, nin, x, n))
				return want_grp(id, &grp[i], w);
		}
		return 0;
	default:
		return 0;
	}
}

int
lsn_instances(const struct tsm_object *o)
{
	switch (o->oid[1]) {
	case TSM_NsTable:	return NNS;
	case TSM_LsnTable:	return NLSN;
	case TSM_LsnGroupTable:	return NGRP;
	default:		return 0;
	}
}
