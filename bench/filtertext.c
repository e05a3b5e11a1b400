/*
 * filtertext LINKTYPE|base - the BPF program text tcpsleuth's live capture
 * sets on a link of LINKTYPE (a libpcap name: LINUX_SLL2 for "any",
 * EN10MB), or its base filter alone, so a benchmark can give tcpdump the
 * same.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "capture.h"

int
main(int argc, char **argv)
{
	char buf[4096];
	int dlt;

	if (argc == 2 && strcmp(argv[1], "base") == 0) {
		printf("%s\n", ts_capture_base_filter());
		return 0;
	}
	if (argc != 2 || (dlt = pcap_datalink_name_to_val(argv[1])) < 0) {
		fprintf(stderr, "usage: filtertext LINKTYPE|base (LINUX_SLL2, EN10MB)\n");
		return 2;
	}
	if (ts_capture_filter_for(dlt, NULL, buf, sizeof(buf)) == -1) {
		fprintf(stderr, "filtertext: no program for %s\n", argv[1]);
		return 1;
	}
	printf("%s\n", buf);
	return 0;
}
