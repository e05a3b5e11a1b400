/*
 * lsndump - a test harness for the namespace and listener tables.
 *
 *   lsndump poll [-i MS] [-o FILE] [-n NAMESPACES] [-t TTL_S] [-w A,B,C]
 *                [-m ROWS] [-P PER_POLL] [-c COUNT]
 *                [-a ADDR -p PORT -s SECONDS]
 *   lsndump hold ADDR PORT BACKLOG [-r SOCKETS] [-N COMM] [-F]
 *
 * poll runs the poller (lsnpoll.h) every MS milliseconds (default 500)
 * and after each poll writes the JSON report to FILE (through a rename, so
 * a reader never sees half of one); with -a/-p/-s it also prints, per poll,
 * {"poll":N,"verdict":"overflow|quiet|none"}: whether the listener for
 * ADDR:PORT in its own namespace dropped in the last SECONDS.  COUNT polls,
 * or until SIGTERM.  hold listens on ADDR:PORT with BACKLOG and never
 * accepts (-r: that many SO_REUSEPORT sockets; -N: the comm to take; -F:
 * then forks, and the child holds them too), prints "listening CHILDPID"
 * and waits for SIGTERM (each of the two).
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "lsnpoll.h"
#include "lsnreport.h"
#include "optparse.h"

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void
sleep_ns(ts_ns ns)
{
	struct timespec ts = { (time_t)(ns / TS_NS_PER_SEC),
	    (long)(ns % TS_NS_PER_SEC) };

	while (!stop && nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static int
parse_addr(const char *s, uint8_t *family, uint8_t *addr)
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, s, addr) == 1) {
		*family = TS_AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, addr) == 1) {
		*family = TS_AF_INET6;
		return 0;
	}
	return -1;
}

static int
write_report(const char *out, const struct ts_lsnpoll *p, ts_ns now)
{
	char tmp[4096];
	FILE *fp;
	int r;

	if (out == NULL)
		return ts_lsnreport_json(stdout, p, now, 1);
	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	if ((fp = fopen(tmp, "w")) == NULL)
		return -1;
	r = ts_lsnreport_json(fp, p, now, 0);
	if (fclose(fp) != 0 || r != 0)
		return -1;
	return rename(tmp, out);
}

static int
do_poll(int argc, char **argv)
{
	struct ts_lsnpoll_conf c;
	struct ts_lsnpoll *p;
	struct ts_steady st;
	const char *out = NULL, *vaddr = NULL;
	ts_ns interval = TS_NS_PER_SEC / 2, vspan = 0;
	unsigned long long count = 0, n;
	uint8_t vfam = 0, va[16];
	unsigned vport = 0;
	char err[256];
	int ch, rc = 0;

	ts_lsnpoll_conf_default(&c);
	while ((ch = getopt(argc, argv, "i:o:n:t:w:m:P:c:a:p:s:")) != -1) {
		switch (ch) {
		case 'i':
			interval = (ts_ns)ts_opt_num("-i", optarg, 10, 600000) *
			    1000000;
			break;
		case 'o':
			out = optarg;
			break;
		case 'n':
			if (ts_netns_conf_parse(&c.netns, optarg, err,
			    sizeof(err)) == -1)
				ts_bad_option("%s", err);
			break;
		case 't':
			c.netns.ttl = ts_opt_secs("-t", optarg, 0.001);
			break;
		case 'w':
			ts_opt_windows("-w", optarg, &c.lsn.rates);
			c.netns.rates = c.lsn.rates;
			break;
		case 'm':
			c.lsn.max_rows = (uint32_t)ts_opt_num("-m", optarg, 1,
			    1u << 20);
			break;
		case 'P':
			c.netns.per_poll = (uint32_t)ts_opt_num("-P", optarg, 1,
			    4096);
			break;
		case 'c':
			count = ts_opt_num("-c", optarg, 1, ~0ULL);
			break;
		case 'a':
			vaddr = optarg;
			if (parse_addr(optarg, &vfam, va) == -1)
				ts_bad_option("-a: \"%s\" is not an address",
				    optarg);
			break;
		case 'p':
			vport = (unsigned)ts_opt_num("-p", optarg, 1, 65535);
			break;
		case 's':
			vspan = ts_opt_secs("-s", optarg, 0.001);
			break;
		default:
			return 2;
		}
	}
	if ((p = ts_lsnpoll_new(&c)) == NULL) {
		perror("lsndump: poller");
		return 1;
	}
	ts_steady_init(&st, ts_now_wall(), ts_now_mono());
	for (n = 0; !stop && (count == 0 || n < count); n++) {
		ts_ns t0 = ts_now_mono(), now = ts_steady_at(&st, t0);
		int r = ts_lsnpoll_run(p, now);

		if (r == -2) {
			fprintf(stderr, "lsndump: lost our namespace\n");
			rc = 1;
			break;
		}
		if (r == -1)
			fprintf(stderr, "lsndump: %s\n", p->st.err);
		if (write_report(out, p, now) == -1) {
			perror("lsndump: report");
			rc = 1;
			break;
		}
		if (vaddr != NULL) {
			enum ts_lsn_verdict v = ts_lsntab_overflow(p->lsn,
			    p->ns->self_ino, vfam, va, (uint16_t)vport,
			    now - vspan, now, NULL);

			printf("{\"poll\":%llu,\"verdict\":\"%s\"}\n",
			    (unsigned long long)p->st.polls,
			    v == TS_LSN_OVERFLOW ? "overflow" :
			    v == TS_LSN_QUIET ? "quiet" : "none");
		}
		fflush(stdout);
		if (count == 0 || n + 1 < count)
			sleep_ns(interval - (ts_now_mono() - t0));
	}
	ts_lsnpoll_free(p);
	return rc;
}

static int
do_hold(int argc, char **argv)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	const char *comm = NULL;
	long nsock = 1, backlog;
	socklen_t len;
	int ch, on = 1, forks = 0;
	pid_t child = 0;

	while ((ch = getopt(argc, argv, "r:N:F")) != -1) {
		switch (ch) {
		case 'F':
			forks = 1;
			break;
		case 'r':
			nsock = (long)ts_opt_num("-r", optarg, 1, 64);
			break;
		case 'N':
			comm = optarg;
			break;
		default:
			return 2;
		}
	}
	if (argc - optind != 3)
		return 2;
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, argv[optind], &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)atoi(argv[optind + 1]));
		len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, argv[optind], &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)atoi(argv[optind + 1]));
		len = sizeof(*s6);
	} else {
		fprintf(stderr, "lsndump: bad address %s\n", argv[optind]);
		return 2;
	}
	backlog = atol(argv[optind + 2]);
	if (comm != NULL)
		prctl(PR_SET_NAME, comm, 0, 0, 0);
	for (long i = 0; i < nsock; i++) {
		int fd = socket(ss.ss_family, SOCK_STREAM, 0);

		if (fd == -1 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on,
		    sizeof(on)) == -1 || (nsock > 1 && setsockopt(fd,
		    SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) == -1) ||
		    bind(fd, (struct sockaddr *)&ss, len) == -1 ||
		    listen(fd, (int)backlog) == -1) {
			perror("lsndump: listen");
			return 1;
		}
	}
	if (forks && (child = fork()) == -1) {
		perror("lsndump: fork");
		return 1;
	}
	if (child == 0 && forks) {
		while (!stop)
			pause();
		return 0;
	}
	printf("listening %d\n", (int)child);
	fflush(stdout);
	while (!stop)
		pause();
	return 0;
}

int
main(int argc, char **argv)
{
	ts_opt_prog("lsndump");
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	if (argc >= 2 && strcmp(argv[1], "poll") == 0)
		return do_poll(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "hold") == 0)
		return do_hold(argc - 1, argv + 1);
	fprintf(stderr, "usage: lsndump poll [-i MS] [-o FILE] [-n NS] "
	    "[-t TTL] [-w A,B,C] [-m ROWS] [-P PER_POLL] [-c COUNT]\n"
	    "                    [-a ADDR -p PORT -s S]\n"
	    "       lsndump hold ADDR PORT BACKLOG [-r SOCKETS] [-N COMM] [-F]\n");
	return 2;
}
