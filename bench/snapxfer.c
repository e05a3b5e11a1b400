/*
 * snapxfer.c - what the process boundary costs a snapshot: an engine with
 * ROWS endpoint rows (one refusal each, Ethernet frames through the whole
 * pipeline), then RUNS times: build a snapshot (ts_snapshot_build, the
 * cost before the split too), write it into a sealed memfd
 * (ts_snapfd_make), pass it over a SOCK_SEQPACKET socketpair (chan.c),
 * map and check it (ts_snapfd_map), and read every row once (as the SNMP
 * process's table rebuild does).  Prints the median of each step in µs
 * of the thread's CPU time (user and system: page faults included, other
 * processes' load not) and the snapshot's bytes.
 *   snapxfer [ROWS (10000)] [RUNS (21)]
 */
#include "config.h"

#include <sys/socket.h>

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chan.h"
#include "clock.h"
#include "collector.h"
#include "engine.h"
#include "frames.h"
#include "snapfd.h"

static ts_ns
now(void)
{
	return ts_clock(CLOCK_THREAD_CPUTIME_ID);
}

static int
cmp(const void *a, const void *b)
{
	ts_ns x = *(const ts_ns *)a, y = *(const ts_ns *)b;

	return x < y ? -1 : x > y;
}

static double
median_us(ts_ns *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return (double)v[n / 2] / 1000.0;
}

/* A SYN to port and the RST that refuses it, from and to 10.0.0.0/8. */
static void
refusal(struct ts_engine *e, uint16_t port, ts_ns t)
{
	struct fb f;

	fb_reset(&f);
	fb_ether(&f, 0x0800);
	fb_ip4(&f, "10.1.0.1", "10.2.0.1", 6, 0, 0, 0);
	fb_tcp(&f, 40000, port, 1000, 0, 0x02, 5, 0);
	fb_done(&f);
	ts_engine_frame(e, DLT_EN10MB, f.b, f.n, f.n, t, 1);
	fb_reset(&f);
	fb_ether(&f, 0x0800);
	fb_ip4(&f, "10.2.0.1", "10.1.0.1", 6, 0, 0, 0);
	fb_tcp(&f, port, 40000, 0, 1001, 0x14, 5, 0);
	fb_done(&f);
	ts_engine_frame(e, DLT_EN10MB, f.b, f.n, f.n, t + 1000, 1);
}

int
main(int argc, char **argv)
{
	int rows = argc > 1 ? atoi(argv[1]) : 10000;
	int runs = argc > 2 ? atoi(argv[2]) : 21;
	struct ts_engine_conf ec;
	struct ts_engine *e;
	ts_ns t = 1700000000LL * TS_NS_PER_SEC;
	ts_ns *build, *make, *pass, *map, *use;
	size_t bytes = 0, got_rows = 0;
	int sv[2];
	volatile uint64_t sum = 0;

	if (rows < 1 || runs < 1) {
		fprintf(stderr, "usage: snapxfer [ROWS] [RUNS]\n");
		return 2;
	}
	ts_engine_conf_default(&ec);
	ec.eptab.max_rows = (uint32_t)rows;
	if ((e = ts_engine_new(&ec)) == NULL ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return 1;
	for (int i = 0; i < rows; i++)
		refusal(e, (uint16_t)(1024 + i % 64000), t + (ts_ns)i * 10000);
	build = calloc((size_t)runs, sizeof(*build));
	make = calloc((size_t)runs, sizeof(*make));
	pass = calloc((size_t)runs, sizeof(*pass));
	map = calloc((size_t)runs, sizeof(*map));
	use = calloc((size_t)runs, sizeof(*use));
	for (int r = 0; r < runs; r++) {
		struct ts_snapshot *s, *m;
		struct ts_chan_msg msg;
		ts_ns t0, t1, t2, t3, t4, t5;
		char err[256];
		int fd, rfd;

		t0 = now();
		s = ts_snapshot_build(e, t + TS_NS_PER_SEC, NULL);
		t1 = now();
		fd = ts_snapfd_make(s, &bytes);
		t2 = now();
		if (fd == -1 || ts_chan_send(sv[0], TS_CH_SNAPSHOT, NULL, 0, fd) == -1 ||
		    ts_chan_recv(sv[1], &msg, &rfd) != 1)
			return 1;
		close(fd);
		t3 = now();
		m = ts_snapfd_map(rfd, err, sizeof(err));
		close(rfd);
		t4 = now();
		if (m == NULL) {
			fprintf(stderr, "snapxfer: %s\n", err);
			return 1;
		}
		for (size_t i = 0; i < m->nrows; i++)
			sum += m->rows[i].failures + m->rows[i].key.port;
		t5 = now();
		got_rows = m->nrows;
		ts_snapshot_free(m);
		ts_snapshot_free(s);
		build[r] = t1 - t0;
		make[r] = t2 - t1;
		pass[r] = t3 - t2;
		map[r] = t4 - t3;
		use[r] = t5 - t4;
	}
	printf("rows %zu, snapshot %zu bytes (%.1f per row), median CPU time of %d runs:\n",
	    got_rows, bytes, (double)bytes / (double)(got_rows ? got_rows : 1),
	    runs);
	printf("  build (as before the split)  %9.1f us\n", median_us(build, runs));
	printf("  write into a sealed memfd    %9.1f us\n", median_us(make, runs));
	printf("  pass it (SCM_RIGHTS)         %9.1f us\n", median_us(pass, runs));
	printf("  map and check it             %9.1f us\n", median_us(map, runs));
	printf("  read every row once          %9.1f us\n", median_us(use, runs));
	ts_engine_free(e);
	return sum == 0;
}
