/*
 * test_snapwire.c - a snapshot across the process boundary: the flat
 * format (snapwire.c) gives back what was written, every member of the
 * struct (lsnstat and the kernel event source's state, reason, counters
 * and programs among them) and every array of TS_SNAP_ARRAYS (rows with
 * their kernel columns, ports, namespaces, listeners, groups, callers,
 * the bounded view), and refuses
 * every truncation, every corrupted header field and a bounded view
 * member that is no row; a sealed memfd (snapfd.c) maps back, an unsealed or
 * writable one is refused; the socketpair's messages (agentx/chan.c) pass
 * a descriptor with a snapshot only, and refuse a wrong size, a stray or
 * a missing descriptor.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chan.h"
#include "snapfd.h"
#include "snapwire.h"
#include "tap.h"

/*
 * A snapshot with n rows, n / 2 ports, n / 4 namespaces, n / 3 listeners,
 * n / 5 listener groups, n / 6 callers (each array's elements every
 * byte set too) and a bounded view of up to 10 rows; its fixed
 * part (the struct's members that are not arrays: lsnstat, dec, cls ...)
 * every byte set, so that any member added crosses or fails the test.
 */
/* Every byte of an element set (padding too), differently for each. */
static void
fill(void *e, size_t len, size_t i)
{
	uint8_t *p = e;

	for (size_t k = 0; k < len; k++)
		p[k] = (uint8_t)(k * 13 + i * 5 + 3);
}

/* Every time of TS_SNAP_*TIMES a value of its own, in range. */
static void
set_times(struct ts_snapshot *s)
{
	ts_ns t = 1;

#define SET(f)	s->f = t++ * TS_NS_PER_SEC;
	TS_SNAP_FIXED_TIMES(SET)
#undef SET
	s->wall = 1700000000LL * TS_NS_PER_SEC;
	s->mono_off = s->mono - s->wall;
#define ELEM(f)	e_->f = t++ * TS_NS_PER_SEC;
#define X(arr, LIST)							\
	for (size_t i = 0; i < s->n##arr; i++) {			\
		__typeof__(*s->arr) *e_ = &s->arr[i];			\
									\
		LIST(ELEM)						\
	}
	TS_SNAP_TIMES(X)
#undef X
#undef ELEM
}

static struct ts_snapshot *
make(size_t n)
{
	struct ts_snapshot *s = calloc(1, sizeof(*s));
	uint8_t *p = (uint8_t *)s;

	for (size_t i = 0; i < sizeof(*s); i++)
		p[i] = (uint8_t)(i * 7 + 1);
	s->refs = 0;
	s->stale = 0;
	s->wire = NULL;
	s->wire_len = 0;
	s->serial = 42;
	s->wall = 1700000000LL * TS_NS_PER_SEC;
	s->dec.frames = 12345;
	snprintf(s->cap_ifaces, sizeof(s->cap_ifaces), "any");
	snprintf(s->other.name, sizeof(s->other.name), "other");
	s->lsnstat.ok = 1;
	s->lsnstat.rows = 7;
	s->lsnstat.polls = 99;
	snprintf(s->lsnstat.err, sizeof(s->lsnstat.err), "an error");
	s->kev_state = 1;
	snprintf(s->kev_reason, sizeof(s->kev_reason), "running: 5 programs");
	for (size_t i = 0; i < KEV__COUNTERS; i++)
		s->kev_c[i] = 1000 + i;
	s->kev_bad_records = 3;
	s->kev_failures = 77;
	s->kev_unknown = 5;
	for (size_t i = 0; i < KEV__PROGS; i++) {
		s->kprog[i].state = TS_KPROG_LOADED;
		s->kprog[i].err = (int)i;
		snprintf(s->kprog[i].name, sizeof(s->kprog[i].name), "prog%zu",
		    i);
		snprintf(s->kprog[i].hook, sizeof(s->kprog[i].hook),
		    "tp_btf/hook%zu", i);
	}
	s->rows = calloc(n ? n : 1, sizeof(*s->rows));
	s->nrows = n;
	for (size_t i = 0; i < n; i++) {
		struct ts_snap_row *r = &s->rows[i];

		fill(r, sizeof(*r), i);
		r->netns = 4026531840u;
		r->key.family = TS_AF_INET;
		r->key.port = (uint16_t)(7000 + i);
		r->failures = i * 3;
		r->count[TS_CL_REFUSED] = i;
		snprintf(r->name, sizeof(r->name), "lo 127.0.0.1:%zu", 7000 + i);
		r->k.attempts = i * 2;
		r->k.errs[0] = i;
		snprintf(r->k.last_caller, sizeof(r->k.last_caller),
		    "pid %zu lm-collector", 100 + i);
		snprintf(r->k.last_listener, sizeof(r->k.last_listener),
		    "pid %zu santaba", 200 + i);
	}
	s->nports = n / 2;
	s->ports = calloc(s->nports ? s->nports : 1, sizeof(*s->ports));
	for (size_t i = 0; i < s->nports; i++) {
		s->ports[i].port = (uint16_t)(7000 + i);
		s->ports[i].failures = i;
	}
	s->nns = n / 4;
	s->ns = calloc(s->nns ? s->nns : 1, sizeof(*s->ns));
	for (size_t i = 0; i < s->nns; i++) {
		s->ns[i].ino = (uint32_t)(4026531840u + i);
		s->ns[i].listeners = (uint32_t)i;
		snprintf(s->ns[i].name, sizeof(s->ns[i].name), "ns%zu", i);
	}
	s->nlsn = n / 3;
	s->lsn = calloc(s->nlsn ? s->nlsn : 1, sizeof(*s->lsn));
	for (size_t i = 0; i < s->nlsn; i++) {
		s->lsn[i].inode = (uint32_t)(1000 + i);
		s->lsn[i].drops = i;
		snprintf(s->lsn[i].owner, sizeof(s->lsn[i].owner), "pid %zu x",
		    i);
	}
	s->nlgrp = n / 5;
	s->lgrp = calloc(s->nlgrp ? s->nlgrp : 1, sizeof(*s->lgrp));
	for (size_t i = 0; i < s->nlgrp; i++) {
		s->lgrp[i].members = 2;
		snprintf(s->lgrp[i].name, sizeof(s->lgrp[i].name), "g%zu", i);
	}
	s->ncallers = n / 6;
	s->callers = calloc(s->ncallers ? s->ncallers : 1,
	    sizeof(*s->callers));
	for (size_t i = 0; i < s->ncallers; i++) {
		struct ts_snap_caller *c = &s->callers[i];

		fill(c, sizeof(*c), i);
		c->key = s->rows[i].key;
		c->id = (uint32_t)i + 1;
		c->netns = 4026531840u;
		c->pid = (uint32_t)(300 + i);
		c->count = i + 1;
		snprintf(c->comm, sizeof(c->comm), "caller%u", (unsigned)(i % 1000));
		snprintf(c->cgroup, sizeof(c->cgroup), "/system.slice/c%zu", i);
		snprintf(c->owner, sizeof(c->owner), "c%zu.service", i);
		snprintf(c->line, sizeof(c->line), "pid %zu caller%zu",
		    300 + i, i);
	}
	s->ntop = n < 10 ? n : 10;
	s->top = calloc(s->ntop ? s->ntop : 1, sizeof(*s->top));
	for (size_t i = 0; i < s->ntop; i++) {
		s->top[i].row = (uint32_t)(n - 1 - i);
		s->top[i].rank = (uint32_t)i + 1;
	}
	set_times(s);
	return s;
}

/* The fixed part, but for what is the process's own (pointers, counts). */
static void
fixed(const struct ts_snapshot *s, struct ts_snapshot *f)
{
	memcpy(f, s, sizeof(*f));
	f->refs = 0;
	f->stale = 0;
	f->wire = NULL;
	f->wire_len = 0;
#define X(a, c, T) f->a = NULL;
	TS_SNAP_ARRAYS(X)
#undef X
}

static int
same(const struct ts_snapshot *a, const struct ts_snapshot *b)
{
	struct ts_snapshot fa, fb;

	fixed(a, &fa);
	fixed(b, &fb);
	if (memcmp(&fa, &fb, sizeof(fa)) != 0)
		return 0;
#define X(f, c, T)							\
	if (a->c != b->c || (a->c > 0 &&				\
	    memcmp(a->f, b->f, a->c * sizeof(T)) != 0))			\
		return 0;
	TS_SNAP_ARRAYS(X)
#undef X
	return 1;
}

/* An aligned copy, as a mapping would be. */
static void *
aligned(const void *p, size_t n)
{
	void *q = NULL;

	if (posix_memalign(&q, 4096, n ? n : 1) != 0)
		return NULL;
	memcpy(q, p, n);
	return q;
}

static void
test_roundtrip(void)
{
	struct ts_snapshot *s = make(1000), *e = make(0), *back;
	size_t n = ts_snapwire_size(s), bad = 0;
	uint8_t *buf = calloc(1, n), *cut;
	char err[256];

	is_u(ts_snapwire_write(s, buf, n), n, "written: %zu bytes for 1000 rows", n);
	ok(ts_snapwire_write(s, buf, n - 1) == 0, "a buffer one byte short is refused");
	cut = aligned(buf, n);
	back = ts_snapwire_read(cut, n, err, sizeof(err));
	ok(back != NULL && same(s, back), "read back: every member of the "
	    "struct, every array of TS_SNAP_ARRAYS");
	ok(back != NULL && back->nns == 250 && back->nlsn == 333 &&
	    back->nlgrp == 200 && back->ntop == 10 && back->top[0].row == 999 &&
	    strcmp(back->lsn[332].owner, "pid 332 x") == 0 &&
	    strcmp(back->ns[249].name, "ns249") == 0,
	    "...the namespaces, listeners, groups and the bounded view among "
	    "them");
	ok(back != NULL && back->lsnstat.ok == 1 && back->lsnstat.rows == 7 &&
	    back->lsnstat.polls == 99 &&
	    strcmp(back->lsnstat.err, "an error") == 0 &&
	    back->dec.frames == 12345, "...and the listener poll's status");
	ok(back != NULL && back->ncallers == 166 &&
	    back->callers[165].id == 166 && back->callers[165].pid == 465 &&
	    strcmp(back->callers[165].line, "pid 465 caller165") == 0 &&
	    strcmp(back->callers[165].cgroup, "/system.slice/c165") == 0 &&
	    back->callers[165].key.port == 7165,
	    "...the callers of the kernel event source");
	ok(back != NULL && back->rows[999].k.attempts == 1998 &&
	    strcmp(back->rows[999].k.last_caller, "pid 1099 lm-collector") == 0 &&
	    strcmp(back->rows[999].k.last_listener, "pid 1199 santaba") == 0,
	    "...the rows' kernel columns (last caller, last listener)");
	ok(back != NULL && back->kev_state == 1 &&
	    strcmp(back->kev_reason, "running: 5 programs") == 0 &&
	    back->kev_c[KEV__COUNTERS - 1] == 1000 + KEV__COUNTERS - 1 &&
	    back->kev_bad_records == 3 && back->kev_failures == 77 &&
	    back->kev_unknown == 5 &&
	    back->kprog[KEV__PROGS - 1].state == TS_KPROG_LOADED &&
	    strcmp(back->kprog[KEV__PROGS - 1].hook,
	    s->kprog[KEV__PROGS - 1].hook) == 0,
	    "...and the kernel event source's state, reason, counters and "
	    "programs");
	ok(back != NULL && back->rows != s->rows && back->rows ==
	    (void *)(cut + ((uint8_t *)back->rows - cut)),
	    "...its arrays point into the buffer, not at the writer's memory");
	ok(back != NULL && back->refs == 0 && back->wire == NULL,
	    "...with no reference count or mapping of the writer's");
	free(back);
	/* Nothing of the writer's addresses crosses. */
	{
		uintptr_t addr[] = { (uintptr_t)s->rows, (uintptr_t)s->ports,
		    (uintptr_t)s->ns, (uintptr_t)s->lsn, (uintptr_t)s->lgrp,
		    (uintptr_t)s->callers, (uintptr_t)s->top, (uintptr_t)s };
		int found = 0;

		for (size_t k = 0; k + sizeof(uintptr_t) <= n; k++)
			for (size_t j = 0; j < sizeof(addr) / sizeof(addr[0]); j++)
				found += memcmp(buf + k, &addr[j], sizeof(addr[j])) == 0;
		is_u(found, 0, "no address of the writer's is in the buffer");
	}
	/* Every truncation. */
	for (size_t k = 0; k < n; k += (k < 4096 ? 1 : 97)) {
		uint8_t *t = aligned(cut, k);

		if (ts_snapwire_read(t, k, err, sizeof(err)) != NULL)
			bad++;
		free(t);
	}
	is_u(bad, 0, "every truncation is refused");
	/* Empty arrays. */
	{
		size_t m = ts_snapwire_size(e);
		uint8_t *b2 = calloc(1, m), *a2;

		ts_snapwire_write(e, b2, m);
		a2 = aligned(b2, m);
		back = ts_snapwire_read(a2, m, err, sizeof(err));
		ok(back != NULL && back->nrows == 0 && back->rows == NULL &&
		    back->nports == 0 && back->nns == 0 && back->ns == NULL &&
		    back->nlsn == 0 && back->nlgrp == 0 && back->ntop == 0 &&
		    back->top == NULL && back->ncallers == 0 &&
		    back->callers == NULL, "an empty snapshot reads back empty");
		free(back);
		free(a2);
		free(b2);
	}
	free(cut);
	free(buf);
	ts_snapshot_free(s);
	ts_snapshot_free(e);
}

/* One corruption: 8 bytes at off replaced by v; the read must refuse it. */
static int
refused(const uint8_t *good, size_t n, size_t off, uint64_t v, char *err,
    size_t errlen)
{
	uint8_t *b = aligned(good, n);
	struct ts_snapshot *s;

	memcpy(b + off, &v, sizeof(v));
	s = ts_snapwire_read(b, n, err, errlen);
	free(b);
	free(s);
	return s == NULL;
}

static void
test_corrupt(void)
{
	struct ts_snapshot *s = make(10);
	size_t n = ts_snapwire_size(s);
	uint8_t *b = calloc(1, n), *a;
	char err[256];
	/* The header: magic, snap_size, size, narrays, then per array off, count, elem. */
	const size_t arr = 24;

	ts_snapwire_write(s, b, n);
	a = aligned(b, n);
	ok(refused(a, n, 0, 0x1234, err, sizeof(err)), "bad magic: %s", err);
	ok(refused(a, n, 8, n + 64, err, sizeof(err)), "a size it does not have: %s", err);
	ok(refused(a, n, 16, 5, err, sizeof(err)), "another number of arrays: %s", err);
	ok(refused(a, n, 24 + 0, 1, err, sizeof(err)), "rows at an unaligned offset: %s", err);
	ok(refused(a, n, 24 + 0, 0, err, sizeof(err)), "rows over the header: %s", err);
	ok(refused(a, n, 24 + 8, (uint64_t)-1 / 2, err, sizeof(err)),
	    "rows: a count past the end: %s", err);
	ok(refused(a, n, 24 + 8, 11, err, sizeof(err)),
	    "rows: one more than there is room for before the ports: %s", err);
	ok(refused(a, n, 24 + 16, 8, err, sizeof(err)), "rows: another element size: %s", err);
	ok(refused(a, n, 24 + arr + 0, 64, err, sizeof(err)),
	    "ports before the rows' end: %s", err);
	ok(refused(a, n, 24 + arr + 8, n, err, sizeof(err)), "ports: past the end: %s", err);
	ok(refused(a, n, n - 8, (uint64_t)-1, err, sizeof(err)),
	    "no zero byte at the end: %s", err);
	/* The last array's (top's) header, then its first element's row. */
	{
		uint64_t top_off, top_count;
#define X(f, c, T) + 1
		const size_t t = 24 + (0 TS_SNAP_ARRAYS(X) - 1) * arr;
#undef X

		memcpy(&top_off, a + t, sizeof(top_off));
		memcpy(&top_count, a + t + 8, sizeof(top_count));
		ok(top_count == 10, "the bounded view is the last array (%llu "
		    "members)", (unsigned long long)top_count);
		ok(refused(a, n, t + 16, 4, err, sizeof(err)),
		    "top: another element size: %s", err);
		ok(refused(a, n, t + 8, top_count + (n - top_off) /
		    sizeof(struct ts_snap_top), err, sizeof(err)),
		    "top: a count past the end: %s", err);
		ok(refused(a, n, top_off, 10 | (uint64_t)1 << 32, err,
		    sizeof(err)), "top: a member that is no row (row 10 of "
		    "10): %s", err);
		ok(!refused(a, n, top_off, 9 | (uint64_t)1 << 32, err,
		    sizeof(err)), "...row 9 is one");
	}
	free(a);
	free(b);
	ts_snapshot_free(s);
}

/* A time out of range, then read: refused, naming the field? */
static int
time_refused(struct ts_snapshot *s, const char *what, char *err,
    size_t errlen)
{
	size_t n = ts_snapwire_size(s);
	uint8_t *b = calloc(1, n), *a;
	struct ts_snapshot *back;

	ts_snapwire_write(s, b, n);
	a = aligned(b, n);
	back = ts_snapwire_read(a, n, err, errlen);
	free(a);
	free(b);
	free(back);
	set_times(s);
	return back == NULL && strstr(err, what) != NULL;
}

/*
 * The times the SNMP process subtracts (now - last, t - mono_off): a
 * capture process gone wrong cannot make them overflow.
 */
static void
test_times(void)
{
	struct ts_snapshot *s = make(12);
	char err[256];

	s->wall = -1;
	ok(time_refused(s, "(wall)", err, sizeof(err)), "wall before 1970: %s", err);
	s->wall = INT64_MAX;
	ok(time_refused(s, "(wall)", err, sizeof(err)), "wall far ahead: %s", err);
	s->mono_off = INT64_MIN;
	ok(time_refused(s, "(mono_off)", err, sizeof(err)), "mono_off: %s", err);
	s->rows[11].last = INT64_MIN;
	ok(time_refused(s, "(last)", err, sizeof(err)), "a row's last: %s", err);
	s->rows[0].k.listener_stopped = -5;
	ok(time_refused(s, "(k.listener_stopped)", err, sizeof(err)),
	    "a row's listener stopped: %s", err);
	s->other.first = -1;
	ok(time_refused(s, "(other.first)", err, sizeof(err)), "other's first: %s", err);
	s->callers[1].pid_start = (ts_ns)1 << 62;
	ok(time_refused(s, "(pid_start)", err, sizeof(err)), "a caller's pid start: %s", err);
	s->ns[2].gone_since = -1;
	ok(time_refused(s, "(gone_since)", err, sizeof(err)), "a namespace's gone since: %s", err);
	s->lgrp[1].last_drop = -1;
	ok(time_refused(s, "(last_drop)", err, sizeof(err)), "a group's last drop: %s", err);
	s->lsnstat.took = -1;
	ok(time_refused(s, "(lsnstat.took)", err, sizeof(err)), "the poll's duration: %s", err);
	ok(!time_refused(s, "", err, sizeof(err)), "all in range: read");
	ts_snapshot_free(s);
}

static void
test_memfd(void)
{
	struct ts_snapshot *s = make(100), *back;
	char err[256];
	size_t bytes = 0;
	int fd = ts_snapfd_make(s, &bytes), raw;

	ok(fd >= 0 && bytes == ts_snapwire_size(s), "a sealed memfd of %zu bytes", bytes);
	ok(fd >= 0 && (fcntl(fd, F_GET_SEALS) & (F_SEAL_WRITE | F_SEAL_SHRINK |
	    F_SEAL_GROW | F_SEAL_SEAL)) == (F_SEAL_WRITE | F_SEAL_SHRINK |
	    F_SEAL_GROW | F_SEAL_SEAL), "...sealed against writing, resizing and new seals");
	ok(fd >= 0 && write(fd, "x", 1) == -1 && errno == EPERM, "...a write is refused");
	back = fd >= 0 ? ts_snapfd_map(fd, err, sizeof(err)) : NULL;
	ok(back != NULL && same(s, back) && back->wire != NULL,
	    "mapped back read-only: the same snapshot");
	ts_snapshot_free(back);		/* unmaps */
	close(fd);
	/* The same bytes, unsealed: refused. */
	raw = memfd_create("t", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	{
		uint8_t *b = calloc(1, bytes);

		ts_snapwire_write(s, b, bytes);
		ok(write(raw, b, bytes) == (ssize_t)bytes, "an unsealed copy");
		free(b);
	}
	ok(ts_snapfd_map(raw, err, sizeof(err)) == NULL, "an unsealed memfd is refused: %s", err);
	fcntl(raw, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW);
	ok(ts_snapfd_map(raw, err, sizeof(err)) == NULL,
	    "...and one still writable: %s", err);
	close(raw);
	raw = open("/dev/null", O_RDONLY);
	ok(ts_snapfd_map(raw, err, sizeof(err)) == NULL, "a device is refused: %s", err);
	close(raw);
	ts_snapshot_free(s);
}

static void
test_chan(void)
{
	struct ts_alarm_conf ac;
	struct ts_chan_msg m;
	int sv[2], fd = -1, r, pfd[2];

	socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv);
	ok(pipe(pfd) == 0, "a pipe to pass");
	memset(&ac, 0, sizeof(ac));
	ac.storm = 77;
	ts_chan_send(sv[0], TS_CH_ALARMS, &ac, sizeof(ac), -1);
	r = ts_chan_recv(sv[1], &m, &fd);
	ok(r == 1 && m.type == TS_CH_ALARMS && m.u.alarms.storm == 77 && fd == -1,
	    "alarm thresholds cross");
	ts_chan_send(sv[0], TS_CH_SNAPSHOT, NULL, 0, pfd[0]);
	r = ts_chan_recv(sv[1], &m, &fd);
	ok(r == 1 && m.type == TS_CH_SNAPSHOT && fd >= 0 && fd != pfd[0],
	    "a snapshot brings its descriptor");
	if (fd >= 0)
		close(fd);
	ts_chan_send(sv[0], TS_CH_ACK, NULL, 0, pfd[0]);
	r = ts_chan_recv(sv[1], &m, &fd);
	ok(r == -1 && errno == EBADMSG && fd == -1, "a descriptor where none belongs: refused");
	ts_chan_send(sv[0], TS_CH_SNAPSHOT, NULL, 0, -1);
	r = ts_chan_recv(sv[1], &m, &fd);
	ok(r == -1 && errno == EBADMSG, "a snapshot without its descriptor: refused");
	ts_chan_send(sv[0], TS_CH_ALARMS, &ac, sizeof(ac) - 1, -1);
	r = ts_chan_recv(sv[1], &m, &fd);
	ok(r == -1 && errno == EBADMSG, "a body of the wrong size: refused");
	ts_chan_send(sv[0], (enum ts_chan_type)99, NULL, 0, -1);
	r = ts_chan_recv(sv[1], &m, &fd);
	ok(r == -1 && errno == EBADMSG, "an unknown type: refused");
	r = ts_chan_recv(sv[1], &m, &fd);
	ok(r == -1 && errno == EAGAIN, "nothing more: EAGAIN");
	ac.window = 3;
	ok(!ts_chan_alarms_ok(&ac), "a rate window out of range is caught");
	ac.window = 0;
	ac.nports = TS_ALARM_MAX_PORTS + 1;
	ok(!ts_chan_alarms_ok(&ac), "a port count out of range is caught");
	close(sv[0]);
	r = ts_chan_recv(sv[1], &m, &fd);
	ok(r == 0, "the other end closed: 0");
	close(sv[1]);
	close(pfd[0]);
	close(pfd[1]);
}

int
main(void)
{
	test_roundtrip();
	test_corrupt();
	test_times();
	test_memfd();
	test_chan();
	return tap_done();
}
