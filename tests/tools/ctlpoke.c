/*
 * ctlpoke SOCKET MODE [ARG] - a raw client of tcpsleuthd's control socket
 * for tests, good or bad, printing on stdout what the daemon sent back:
 *   say TEXT      send TEXT and a newline, read the reply to the end
 *   idle SECONDS  send nothing; read what comes until closed or SECONDS
 *   flood SECONDS send bytes without a newline as fast as the socket takes
 *                 them for SECONDS (or until the daemon closes), then read
 *   noread SECONDS send a request for every row as JSON and read nothing
 *                 for SECONDS, then read what is left
 * Exit 0 if it could connect (whatever the daemon said), 1 if not.
 * Prints "sent N" on stderr for flood.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Print what fd reads until EOF, an error or until (0: no limit). */
static void
drain(int fd, double until)
{
	char buf[65536];

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		int ms = until > 0 ? (int)((until - now()) * 1000) : 10000;
		ssize_t r;

		if (ms <= 0 || poll(&p, 1, ms) <= 0)
			return;
		if ((r = read(fd, buf, sizeof(buf))) <= 0)
			return;
		fwrite(buf, 1, (size_t)r, stdout);
	}
}

int
main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	double secs = argc > 3 ? atof(argv[3]) : 0, until;
	unsigned long long sent = 0;
	char buf[65536];
	int fd;

	if (argc != 4 || strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "usage: ctlpoke SOCKET say TEXT | idle S | "
		    "flood S | noread S\n");
		return 2;
	}
	memcpy(sun.sun_path, argv[1], strlen(argv[1]));
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		perror("ctlpoke: connect");
		return 1;
	}
	until = now() + secs;
	if (strcmp(argv[2], "say") == 0) {
		(void)!write(fd, argv[3], strlen(argv[3]));
		(void)!write(fd, "\n", 1);
		drain(fd, 0);
	} else if (strcmp(argv[2], "idle") == 0) {
		drain(fd, until);
	} else if (strcmp(argv[2], "flood") == 0) {
		memset(buf, 'A', sizeof(buf));
		while (now() < until) {
			struct pollfd p = { fd, POLLOUT, 0 };
			ssize_t w;

			if (poll(&p, 1, 100) <= 0)
				continue;
			if ((w = send(fd, buf, sizeof(buf), MSG_DONTWAIT |
			    MSG_NOSIGNAL)) <= 0) {
				if (errno == EAGAIN)
					continue;
				break;	/* the daemon closed */
			}
			sent += (unsigned long long)w;
		}
		fprintf(stderr, "sent %llu\n", sent);
		drain(fd, now() + 1);
	} else if (strcmp(argv[2], "noread") == 0) {
		static const char req[] =
		    "tcpsleuthctl/1 show endpoints format=json top=0\n";

		(void)!write(fd, req, sizeof(req) - 1);
		while (now() < until)
			usleep(10000);
		drain(fd, now() + 1);
	} else {
		fprintf(stderr, "ctlpoke: unknown mode %s\n", argv[2]);
		return 2;
	}
	close(fd);
	return 0;
}
