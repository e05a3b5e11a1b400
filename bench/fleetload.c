/*
 * fleetload PLAN SECONDS - the fleet benchmark's failure patterns
 * (bench/fleet.sh), one process for every host of the fleet.  PLAN has
 * one line per pattern:
 *
 *   NETNS ADDR PORT[-LAST] PERIOD_MS COUNT
 *
 * a connect to ADDR:PORT from inside the network namespace NETNS (a path,
 * /run/netns/NAME) every PERIOD_MS, COUNT times (0: until SECONDS are
 * over), the first at a random point of the first period; with a range,
 * each attempt goes to the next port of it.  Connects are non-blocking:
 * a refused one ends at once (or when its RST comes); one still in
 * progress after 3.5 s (no answer: the SYN and two retransmissions, a
 * timeout to whoever captures) is closed.  Prints "connects N refused N
 * timedout N other N" when SECONDS are over or at SIGTERM.  Bad input: a
 * one-line message naming it, exit 2.
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "now.h"

#define MAX_PATTERNS	65536
#define MAX_PENDING	4096
#define HOLD		3.5	/* seconds a connect in progress is kept */

struct pattern {
	int		nsfd;
	struct sockaddr_storage ss;
	socklen_t	sslen;
	unsigned	first, last, port;
	double		period, due;
	unsigned long	left;		/* 0: forever */
	int		forever;
};

static struct pattern pat[MAX_PATTERNS];
static size_t npat;
static struct pollfd pfd[MAX_PENDING];
static double deadline[MAX_PENDING];
static size_t npend;
static unsigned long long connects, refused, timedout, other;
static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int
ns_open(const char *path)
{
	static char *paths[MAX_PATTERNS];
	static int fds[MAX_PATTERNS];
	static size_t n;

	for (size_t i = 0; i < n; i++)
		if (strcmp(paths[i], path) == 0)
			return fds[i];
	if (n == MAX_PATTERNS || (fds[n] = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	paths[n] = strdup(path);
	return fds[n++];
}

static int
parse(const char *line, unsigned lineno)
{
	char ns[512], addr[64], ports[32], *ep;
	double period;
	unsigned long count;
	struct pattern *p = &pat[npat];
	struct sockaddr_in *sin = (struct sockaddr_in *)&p->ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&p->ss;
	long first, last;

	if (sscanf(line, "%511s %63s %31s %lf %lu", ns, addr, ports, &period,
	    &count) != 5 || period <= 0) {
		fprintf(stderr, "fleetload: line %u: want NETNS ADDR PORT[-LAST] "
		    "PERIOD_MS COUNT\n", lineno);
		return -1;
	}
	first = last = strtol(ports, &ep, 10);
	if (*ep == '-')
		last = strtol(ep + 1, &ep, 10);
	if (*ep != '\0' || first < 1 || last > 65535 || last < first) {
		fprintf(stderr, "fleetload: line %u: bad port %s\n", lineno, ports);
		return -1;
	}
	if (npat == MAX_PATTERNS) {
		fprintf(stderr, "fleetload: line %u: more than %d patterns\n",
		    lineno, MAX_PATTERNS);
		return -1;
	}
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		p->sslen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		p->sslen = sizeof(*sin6);
	} else {
		fprintf(stderr, "fleetload: line %u: %s is not an address\n",
		    lineno, addr);
		return -1;
	}
	if ((p->nsfd = ns_open(ns)) == -1) {
		fprintf(stderr, "fleetload: line %u: %s: %s\n", lineno, ns,
		    strerror(errno));
		return -1;
	}
	p->first = p->port = (unsigned)first;
	p->last = (unsigned)last;
	p->period = period / 1000;
	p->left = count;
	p->forever = count == 0;
	npat++;
	return 0;
}

static void
attempt(struct pattern *p, double t)
{
	static int cur = -1;
	int fd;

	if (p->nsfd != cur) {
		if (setns(p->nsfd, CLONE_NEWNET) == -1) {
			perror("fleetload: setns");
			exit(1);
		}
		cur = p->nsfd;
	}
	if (p->ss.ss_family == AF_INET)
		((struct sockaddr_in *)&p->ss)->sin_port = htons((uint16_t)p->port);
	else
		((struct sockaddr_in6 *)&p->ss)->sin6_port = htons((uint16_t)p->port);
	p->port = p->port == p->last ? p->first : p->port + 1;
	connects++;
	if ((fd = socket(p->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		other++;
		return;
	}
	if (connect(fd, (struct sockaddr *)&p->ss, p->sslen) == 0)
		other++;
	else if (errno == ECONNREFUSED)
		refused++;
	else if (errno == EINPROGRESS && npend < MAX_PENDING) {
		pfd[npend].fd = fd;
		pfd[npend].events = POLLOUT;
		pfd[npend].revents = 0;
		deadline[npend++] = t + HOLD;
		return;
	} else
		other++;
	close(fd);
}

/* Connects in progress: answered ones counted, old ones given up. */
static void
settle(double t)
{
	for (size_t i = 0; i < npend;) {
		int err = 0;
		socklen_t len = sizeof(err);

		if (pfd[i].revents != 0) {
			getsockopt(pfd[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
			if (err == ECONNREFUSED)
				refused++;
			else
				other++;
		} else if (t >= deadline[i])
			timedout++;
		else {
			i++;
			continue;
		}
		close(pfd[i].fd);
		pfd[i] = pfd[--npend];
		deadline[i] = deadline[npend];
	}
}

int
main(int argc, char **argv)
{
	char line[1024];
	unsigned lineno = 0;
	double start, end, secs;
	FILE *f;

	if (argc != 3 || (secs = strtod(argv[2], NULL)) <= 0) {
		fprintf(stderr, "usage: fleetload PLAN SECONDS\n");
		return 2;
	}
	if ((f = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "fleetload: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	while (fgets(line, sizeof(line), f) != NULL)
		if (++lineno, line[0] != '#' && line[0] != '\n' &&
		    parse(line, lineno) == -1)
			return 2;
	fclose(f);
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_term;	/* no SA_RESTART: poll() returns */
		sigaction(SIGTERM, &sa, NULL);
	}
	start = now();
	end = start + secs;
	srand((unsigned)getpid());
	for (size_t i = 0; i < npat; i++)
		pat[i].due = start + pat[i].period * rand() / ((double)RAND_MAX + 1);
	for (;;) {
		double t = now(), next = end;
		int ms;

		if (t >= end || stop)
			break;
		for (size_t i = 0; i < npat; i++) {
			struct pattern *p = &pat[i];

			if (!p->forever && p->left == 0)
				continue;
			while (p->due <= t && (p->forever || p->left > 0)) {
				attempt(p, t);
				p->due += p->period;
				if (!p->forever)
					p->left--;
			}
			if ((p->forever || p->left > 0) && p->due < next)
				next = p->due;
		}
		for (size_t i = 0; i < npend; i++)
			if (deadline[i] < next)
				next = deadline[i];
		ms = (int)((next - now()) * 1000) + 1;
		if (poll(pfd, npend, ms < 0 ? 0 : ms) == -1 && errno != EINTR)
			perror("fleetload: poll");
		settle(now());
	}
	printf("connects %llu refused %llu timedout %llu other %llu\n",
	    connects, refused, timedout, other);
	fflush(stdout);
	return 0;
}
