/*
 * floor - the least any libpcap reader does: open a capture and
 * pcap_dispatch() through it with a callback that only counts.
 *
 *   floor FILE
 */
#include <pcap/pcap.h>
#include <stdio.h>

static void
count(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	unsigned long *n = (unsigned long *)(void *)arg;

	(void)bytes;
	n[0]++;
	n[1] += h->caplen;
}

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	unsigned long n[2] = { 0, 0 };
	pcap_t *p;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: floor FILE\n");
		return 2;
	}
	if ((p = pcap_open_offline(argv[1], err)) == NULL) {
		fprintf(stderr, "floor: %s\n", err);
		return 1;
	}
	while ((r = pcap_dispatch(p, -1, count, (u_char *)n)) > 0)
		;
	if (r == PCAP_ERROR) {
		fprintf(stderr, "floor: %s\n", pcap_geterr(p));
		return 1;
	}
	pcap_close(p);
	printf("%lu packets, %lu bytes\n", n[0], n[1]);
	return 0;
}
