/*
 * tcpprobe - a test helper that makes the kernel produce each kind of
 * connection outcome: repeated connects (refused, unreachable, timed out),
 * connections that send data and abort with SO_LINGER 0, and a listener
 * that accepts, reads and closes or aborts.
 *
 *   tcpprobe connect ADDR PORT [ADDR PORT]... [-n COUNT] [-i MS] [-t MS]
 *            [-d BYTES] [-a] [-w] [-k] [-c COMM] [-g CGROUP]
 *   tcpprobe listen ADDR PORT [-n COUNT] [-a] [-u] [-c COMM] [-g CGROUP]
 *
 * connect prints "refused N timeout N unreachable N connected N other N";
 * with several destinations, each round tries each in turn (COUNT rounds).
 * COUNT 0 means until killed.  -w waits for the peer to close after
 * sending.  listen accepts COUNT connections, reads until EOF (or, with
 * -a, until the first data) and closes (or aborts); with -u it waits for
 * data and closes without reading it (the kernel then resets).  -k keeps
 * each connection made open until killed.  -c names the process COMM
 * (prctl PR_SET_NAME: what the kernel reports as its comm); -g moves it
 * into the cgroup v2 directory CGROUP (writes its pid to cgroup.procs)
 * first.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int
mkaddr(const char *host, const char *port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	char h[128], *zone;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)atoi(port));
		*len = sizeof(*s4);
		return 0;
	}
	snprintf(h, sizeof(h), "%s", host);	/* fe80::1%veth0 */
	if ((zone = strchr(h, '%')) != NULL)
		*zone++ = '\0';
	if (inet_pton(AF_INET6, h, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_scope_id = zone != NULL ? if_nametoindex(zone) : 0;
		s6->sin6_port = htons((uint16_t)atoi(port));
		*len = sizeof(*s6);
		return 0;
	}
	fprintf(stderr, "tcpprobe: bad address %s\n", host);
	return -1;
}

/* -c and -g: who the kernel sees calling. */
static int
set_identity(const char *comm, const char *cgroup)
{
	char path[4096];
	FILE *f;

	if (cgroup != NULL) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
		if ((f = fopen(path, "w")) == NULL ||
		    fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) != 0) {
			fprintf(stderr, "tcpprobe: %s: %s\n", path,
			    strerror(errno));
			return -1;
		}
	}
	if (comm != NULL && prctl(PR_SET_NAME, comm, 0, 0, 0) != 0) {
		perror("tcpprobe: PR_SET_NAME");
		return -1;
	}
	return 0;
}

static void
abort_close(int fd)
{
	struct linger l = { 1, 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

static void
msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR && !stop)
		;
}

enum { R_REFUSED, R_TIMEOUT, R_UNREACH, R_CONNECTED, R_OTHER };

static int
one_connect(const struct sockaddr_storage *ss, socklen_t len, int tmo_ms,
    int data, int abort_it, int wait_close, int keep)
{
	struct pollfd pfd;
	socklen_t elen = sizeof(int);
	int fd, err = 0, r;
	char buf[512];

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return R_OTHER;
	if (connect(fd, (const struct sockaddr *)ss, len) == -1 &&
	    errno != EINPROGRESS) {
		err = errno;
		goto done;
	}
	pfd.fd = fd;
	pfd.events = POLLOUT;
	r = poll(&pfd, 1, tmo_ms);
	if (r == 0) {
		err = ETIMEDOUT;
		goto done;
	}
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
	if (err != 0)
		goto done;
	if (data > 0) {
		memset(buf, 'x', sizeof(buf));
		if (write(fd, buf, (size_t)data < sizeof(buf) ? (size_t)data :
		    sizeof(buf)) < 0)
			err = errno;
	}
	if (wait_close) {
		pfd.events = POLLIN;
		while (poll(&pfd, 1, 5000) == 1 && read(fd, buf, sizeof(buf)) > 0)
			;
	}
	if (abort_it) {
		abort_close(fd);
		return R_CONNECTED;
	}
	if (keep)
		return R_CONNECTED;	/* left open until the process ends */
done:
	close(fd);
	switch (err) {
	case 0:
		return R_CONNECTED;
	case ECONNREFUSED:
		return R_REFUSED;
	case ETIMEDOUT:
		return R_TIMEOUT;
	case EHOSTUNREACH: case ENETUNREACH: case EACCES: case EPERM:
	case EHOSTDOWN: case ENETDOWN:
		return R_UNREACH;
	default:
		return R_OTHER;
	}
}

#define MAX_DESTS	8

static int
do_connect(int argc, char **argv)
{
	struct sockaddr_storage ss[MAX_DESTS];
	socklen_t len[MAX_DESTS];
	long count = 1, interval = 0, tmo = 5000, data = 0, i;
	int nd, d;
	int abort_it = 0, wait_close = 0, keep = 0, ch;
	unsigned long res[5] = { 0 };
	const char *comm = NULL, *cgroup = NULL;

	while ((ch = getopt(argc, argv, "n:i:t:d:awkc:g:")) != -1) {
		switch (ch) {
		case 'k': keep = 1; break;
		case 'c': comm = optarg; break;
		case 'g': cgroup = optarg; break;
		case 'n': count = atol(optarg); break;
		case 'i': interval = atol(optarg); break;
		case 't': tmo = atol(optarg); break;
		case 'd': data = atol(optarg); break;
		case 'a': abort_it = 1; break;
		case 'w': wait_close = 1; break;
		default: return 2;
		}
	}
	nd = (argc - optind) / 2;
	if (nd < 1 || nd > MAX_DESTS || (argc - optind) % 2 != 0)
		return 2;
	for (d = 0; d < nd; d++)
		if (mkaddr(argv[optind + 2 * d], argv[optind + 2 * d + 1],
		    &ss[d], &len[d]) == -1)
			return 2;
	if (set_identity(comm, cgroup) == -1)
		return 1;
	for (i = 0; (count == 0 || i < count) && !stop; i++) {
		if (i > 0 && interval > 0)
			msleep(interval);
		for (d = 0; d < nd && !stop; d++)
			res[one_connect(&ss[d], len[d], (int)tmo, (int)data,
			    abort_it, wait_close, keep)]++;
	}
	printf("refused %lu timeout %lu unreachable %lu connected %lu other %lu\n",
	    res[R_REFUSED], res[R_TIMEOUT], res[R_UNREACH], res[R_CONNECTED],
	    res[R_OTHER]);
	fflush(stdout);
	while (keep && !stop)
		pause();
	return 0;
}

static int
do_listen(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len;
	long count = 1, i;
	int abort_it = 0, unread = 0, ch, fd, on = 1;
	char buf[4096];
	const char *comm = NULL, *cgroup = NULL;

	while ((ch = getopt(argc, argv, "n:auc:g:")) != -1) {
		switch (ch) {
		case 'c': comm = optarg; break;
		case 'g': cgroup = optarg; break;
		case 'n': count = atol(optarg); break;
		case 'a': abort_it = 1; break;
		case 'u': unread = 1; break;
		default: return 2;
		}
	}
	if (argc - optind != 2 || mkaddr(argv[optind], argv[optind + 1], &ss,
	    &len) == -1)
		return 2;
	if (set_identity(comm, cgroup) == -1)
		return 1;
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (fd == -1 || bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(fd, 64) == -1) {
		perror("tcpprobe: listen");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	for (i = 0; (count == 0 || i < count) && !stop; i++) {
		int c = accept(fd, NULL, NULL);
		ssize_t n;

		if (c == -1)
			break;
		if (unread) {
			struct pollfd p = { c, POLLIN, 0 };

			poll(&p, 1, 5000);
			close(c);
			continue;
		}
		while ((n = read(c, buf, sizeof(buf))) > 0)
			if (abort_it)
				break;
		if (abort_it)
			abort_close(c);
		else
			close(c);
	}
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 2 && strcmp(argv[1], "connect") == 0)
		return do_connect(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "listen") == 0)
		return do_listen(argc - 1, argv + 1);
	fprintf(stderr, "usage: tcpprobe connect|listen ADDR PORT [options]\n");
	return 2;
}
