/*
 * refuser ADDR PORT[-LAST] SECONDS - connect to ADDR:PORT, where nothing
 * listens, over and over for SECONDS as fast as one core allows; every
 * attempt is refused by the kernel (SYN, then RST|ACK).  With a range, the
 * attempts go to PORT..LAST in turn.  Prints "refused N other M"
 * (M: attempts that ended any other way) and the rate on stderr.  The
 * benchmark's live storm: run it in a network namespace of the bench's own.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "now.h"

int
main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	unsigned long long refused = 0, other = 0;
	socklen_t sslen;
	double start, end, secs;
	char *ep;
	long port, first, last;

	if (argc != 4) {
		fprintf(stderr, "usage: refuser ADDR PORT[-LAST] SECONDS\n");
		return 2;
	}
	memset(&ss, 0, sizeof(ss));
	first = last = port = strtol(argv[2], &ep, 10);
	if (*ep == '-')
		last = strtol(ep + 1, &ep, 10);
	secs = strtod(argv[3], NULL);
	if (*ep != '\0' || first < 1 || last > 65535 || last < first ||
	    secs <= 0) {
		fprintf(stderr, "refuser: bad port or seconds\n");
		return 2;
	}
	if (inet_pton(AF_INET, argv[1], &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		sslen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, argv[1], &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		sslen = sizeof(*sin6);
	} else {
		fprintf(stderr, "refuser: %s: not an address\n", argv[1]);
		return 2;
	}
	start = now();
	end = start + secs;
	do {
		/* A batch between clock reads. */
		for (int i = 0; i < 64; i++) {
			int fd = socket(ss.ss_family, SOCK_STREAM, 0);

			if (fd == -1) {
				perror("refuser: socket");
				return 1;
			}
			if (ss.ss_family == AF_INET)
				sin->sin_port = htons((uint16_t)port);
			else
				sin6->sin6_port = htons((uint16_t)port);
			if (++port > last)
				port = first;
			if (connect(fd, (struct sockaddr *)&ss, sslen) == -1 &&
			    errno == ECONNREFUSED)
				refused++;
			else
				other++;
			close(fd);
		}
	} while (now() < end);
	secs = now() - start;
	printf("refused %llu other %llu\n", refused, other);
	fprintf(stderr, "refuser: %llu refused in %.2f s, %.0f/s\n", refused,
	    secs, (double)refused / secs);
	return 0;
}
