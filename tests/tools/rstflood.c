/*
 * rstflood DST SECONDS [SRCNET] - send forged TCP RST segments to DST as
 * fast as possible for SECONDS: random source addresses in SRCNET (a /16,
 * default 10.250.0.0), random ports and sequence numbers.  For load tests
 * in a network namespace of the test's own.  Prints the count sent.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint32_t rnd = 2463534242u;

static uint32_t
xorshift(void)
{
	rnd ^= rnd << 13;
	rnd ^= rnd >> 17;
	rnd ^= rnd << 5;
	return rnd;
}

static uint16_t
csum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in dst;
	uint8_t pkt[40];
	struct in_addr net;
	unsigned long long sent = 0;
	time_t end;
	int fd, on = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: rstflood DST SECONDS [SRCNET]\n");
		return 2;
	}
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	if (inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1 ||
	    inet_pton(AF_INET, argc > 3 ? argv[3] : "10.250.0.0", &net) != 1) {
		fprintf(stderr, "rstflood: bad address\n");
		return 2;
	}
	if ((fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW)) == -1 ||
	    setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &on, sizeof(on)) == -1) {
		perror("rstflood: raw socket");
		return 1;
	}
	end = time(NULL) + atoi(argv[2]);
	while (time(NULL) < end) {
		for (int burst = 0; burst < 1000; burst++) {
			uint32_t src = ntohl(net.s_addr) | (xorshift() & 0xffff);
			uint8_t ph[12];
			uint16_t c;

			memset(pkt, 0, sizeof(pkt));
			pkt[0] = 0x45;
			pkt[3] = 40;
			pkt[8] = 64;
			pkt[9] = IPPROTO_TCP;
			src = htonl(src);
			memcpy(pkt + 12, &src, 4);
			memcpy(pkt + 16, &dst.sin_addr, 4);
			c = csum(pkt, 20, 0);
			pkt[10] = (uint8_t)(c >> 8);
			pkt[11] = (uint8_t)c;
			uint32_t r = xorshift();
			pkt[20] = (uint8_t)(r >> 24);	/* random ports */
			pkt[21] = (uint8_t)(r >> 16);
			pkt[22] = (uint8_t)(r >> 8);
			pkt[23] = (uint8_t)r;
			r = xorshift();
			memcpy(pkt + 24, &r, 4);	/* seq */
			r = xorshift();
			memcpy(pkt + 28, &r, 4);	/* ack */
			pkt[32] = 0x50;
			pkt[33] = 0x14;			/* RST|ACK */
			memcpy(ph, pkt + 12, 8);
			ph[8] = 0;
			ph[9] = IPPROTO_TCP;
			ph[10] = 0;
			ph[11] = 20;
			{
				uint32_t s = 0;

				for (int i = 0; i < 12; i += 2)
					s += (uint32_t)(ph[i] << 8 | ph[i + 1]);
				c = csum(pkt + 20, 20, s);
			}
			pkt[36] = (uint8_t)(c >> 8);
			pkt[37] = (uint8_t)c;
			if (sendto(fd, pkt, 40, 0, (struct sockaddr *)&dst,
			    sizeof(dst)) == 40)
				sent++;
		}
	}
	printf("%llu\n", sent);
	return 0;
}
