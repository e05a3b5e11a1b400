/*
 * holdconns PORT N - open N TCP connections to a listener of its own on
 * 127.0.0.1:PORT and hold them (2N + 1 rows in the kernel's connection
 * table) until killed.  Prints "ready N" when all are established.  For
 * the benchmark's SNMP part, in a network namespace of the bench's own.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_in sin;
	struct rlimit rl;
	long n, port;
	int lfd, on = 1;

	if (argc != 3 || (port = strtol(argv[1], NULL, 10)) < 1 || port > 65535 ||
	    (n = strtol(argv[2], NULL, 10)) < 1 || n > 500000) {
		fprintf(stderr, "usage: holdconns PORT N\n");
		return 2;
	}
	rl.rlim_cur = rl.rlim_max = (rlim_t)(2 * n + 64);
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1) {
		perror("holdconns: setrlimit (2N + 64 descriptors)");
		return 1;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(lfd, 4096) == -1) {
		perror("holdconns: listen");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0);

		if (c == -1 || connect(c, (struct sockaddr *)&sin,
		    sizeof(sin)) == -1 || accept(lfd, NULL, NULL) == -1) {
			perror("holdconns: connect/accept");
			return 1;
		}
	}
	printf("ready %ld\n", n);
	fflush(stdout);
	for (;;)
		pause();
}
