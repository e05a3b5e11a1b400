/*
 * connloop ADDR PORT SRCS RATE SECONDS - healthy traffic: a server on
 * ADDR:PORT (a child process that accepts each connection and closes it)
 * and a client making short connections to it for SECONDS: SYN, SYN-ACK,
 * ACK, the server's FIN, the client's.  The client closes once it has read
 * the server's FIN: when the client closed first, the server's kernel now
 * and then answered a late duplicate ACK with a RST (about 3 in 1000
 * connections here).  The client binds each connection to one of SRCS
 * loopback addresses in turn (127.1.0.1 on), so TIME_WAIT does not use up
 * the ports of one; RATE connections a second (0: as fast as one core
 * allows).  Prints "connections N failed M" and the rate on stderr.  Run
 * it in a network namespace of the benchmark's own.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "now.h"

#define SRC_BASE	0x7f010001u	/* 127.1.0.1 */

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * Accept and close until told to stop, then take what is still queued:
 * closing the listener with connections in its queue would reset them.
 */
static void
serve(int ls)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	for (;;) {
		int s = accept(ls, NULL, NULL);

		if (s >= 0)
			close(s);
		else if (errno == EAGAIN)
			_exit(0);
		else if (errno != EINTR && errno != ECONNABORTED)
			_exit(1);
		if (stop)
			(void)fcntl(ls, F_SETFL, O_NONBLOCK);
	}
}

int
main(int argc, char **argv)
{
	struct sockaddr_in dst, src;
	unsigned long long made = 0, failed = 0;
	long port, srcs;
	double rate, secs, start, end;
	int ls, one = 1;
	char eof;
	pid_t srv;

	if (argc != 6) {
		fprintf(stderr, "usage: connloop ADDR PORT SRCS RATE SECONDS\n");
		return 2;
	}
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	port = strtol(argv[2], NULL, 10);
	srcs = strtol(argv[3], NULL, 10);
	rate = strtod(argv[4], NULL);
	secs = strtod(argv[5], NULL);
	if (inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1 || port < 1 ||
	    port > 65535 || srcs < 1 || srcs > 65000 || rate < 0 || secs <= 0) {
		fprintf(stderr, "connloop: bad address, port, sources, rate or "
		    "seconds\n");
		return 2;
	}
	dst.sin_port = htons((uint16_t)port);
	if ((ls = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(ls, (struct sockaddr *)&dst, sizeof(dst)) == -1 ||
	    listen(ls, 4096) == -1) {
		perror("connloop: listen");
		return 1;
	}
	if ((srv = fork()) == -1) {
		perror("connloop: fork");
		return 1;
	}
	if (srv == 0)
		serve(ls);
	close(ls);
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	start = now();
	end = start + secs;
	do {
		/* A batch between clock reads. */
		for (int i = 0; i < 64; i++) {
			int s = socket(AF_INET, SOCK_STREAM, 0);

			if (s == -1) {
				perror("connloop: socket");
				kill(srv, SIGTERM);
				return 1;
			}
			/* The port is chosen at connect(), by the whole 4-tuple. */
			(void)setsockopt(s, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT,
			    &one, sizeof(one));
			src.sin_addr.s_addr = htonl(SRC_BASE +
			    (uint32_t)((made + failed) % (unsigned long)srcs));
			if (bind(s, (struct sockaddr *)&src, sizeof(src)) == 0 &&
			    connect(s, (struct sockaddr *)&dst, sizeof(dst)) == 0 &&
			    read(s, &eof, 1) == 0)
				made++;
			else
				failed++;
			close(s);
		}
		pace(start, made + failed, rate);
	} while (now() < end);
	secs = now() - start;
	kill(srv, SIGTERM);
	waitpid(srv, NULL, 0);
	printf("connections %llu failed %llu\n", made, failed);
	fprintf(stderr, "connloop: %llu connections in %.2f s, %.0f/s\n", made,
	    secs, (double)made / secs);
	return 0;
}
