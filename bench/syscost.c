/*
 * syscost - what a syscall costs, for measuring the kernel event
 * source's programs: run it with kevdump running, with kevdump -n (no
 * syscall-exit program) and with neither, and compare.
 *
 *   syscost ok|fail|noroute|connect N
 *
 * ok: getppid() (succeeds: the syscall-exit program returns at once);
 * fail: close(-1) (fails: the program reads the syscall number);
 * noroute: connect() to 192.0.2.1 with no route (ENETUNREACH: the whole
 * connect-error path; run in a namespace with no route there);
 * connect: a loopback connection made and closed (the state program at
 * SYN_SENT, ESTABLISHED and CLOSE).  Prints "MODE N ns/call".
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "now.h"

static int
one_connect(int lfd, const struct sockaddr_in *sa)
{
	int c = socket(AF_INET, SOCK_STREAM, 0), a;

	if (c == -1 || connect(c, (const struct sockaddr *)sa,
	    sizeof(*sa)) == -1 || (a = accept(lfd, NULL, NULL)) == -1) {
		perror("syscost: connect");
		return -1;
	}
	close(a);
	close(c);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	long i, n;
	int lfd = -1, fd, on = 1;
	double t0, t;

	if (argc != 3 || (n = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: syscost ok|fail|noroute|connect N\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	if (strcmp(argv[1], "connect") == 0) {
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
		    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &on,
		    sizeof(on)) == -1 ||
		    bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
		    listen(lfd, 128) == -1 ||
		    getsockname(lfd, (struct sockaddr *)&sa, &len) == -1) {
			perror("syscost: listen");
			return 1;
		}
	} else {
		inet_pton(AF_INET, "192.0.2.1", &sa.sin_addr);
		sa.sin_port = htons(9);
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		if (strcmp(argv[1], "ok") == 0)
			(void)getppid();
		else if (strcmp(argv[1], "fail") == 0)
			(void)close(-1);
		else if (strcmp(argv[1], "noroute") == 0) {
			if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
				return 1;
			if (connect(fd, (struct sockaddr *)&sa,
			    sizeof(sa)) == 0 || errno != ENETUNREACH) {
				fprintf(stderr, "syscost: connect to 192.0.2.1 "
				    "did not fail with ENETUNREACH\n");
				return 1;
			}
			close(fd);
		} else if (strcmp(argv[1], "connect") == 0) {
			if (one_connect(lfd, &sa) == -1)
				return 1;
		} else {
			fprintf(stderr, "syscost: unknown mode %s\n", argv[1]);
			return 2;
		}
	}
	t = now() - t0;
	printf("%s %ld %.1f ns/call\n", argv[1], n, t * 1e9 / (double)n);
	return 0;
}
