/*
 * fuzz_pcap.c - libFuzzer target: the input is a capture file (classic
 * pcap, whose records pcapread.c reads, or pcapng, which libpcap reads)
 * fed through the whole pipeline (decoder, deduplication, classifier,
 * endpoint table, snapshot) with small tables, so eviction, expiry and the
 * "other" row are exercised.  Seeds: the golden captures in tests/fixtures.
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "collector.h"
#include "engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ts_engine_conf ec;
	struct ts_capture_conf cc;
	struct ts_capture cap;
	struct ts_engine *e;
	struct ts_snapshot *s;
	FILE *fp;

	if (size == 0 || (fp = fmemopen((void *)(uintptr_t)data, size, "r")) == NULL)
		return 0;
	ts_engine_conf_default(&ec);
	ec.classify.max_flows = 32;
	ec.classify.syn_timeout = TS_NS_PER_SEC;
	ec.classify.done_ttl = 2 * TS_NS_PER_SEC;
	ec.eptab.max_rows = 4;
	ec.eptab.sketch_size = 4;
	ec.eptab.ttl = 5 * TS_NS_PER_SEC;
	ts_capture_conf_default(&cc);
	/* Classic pcap records are read by pcapread.c, the rest by libpcap. */
	if (ts_capture_open_stream(&cap, fp, "fuzz", &cc) == -1)
		return 0;	/* it closed fp */
	if ((e = ts_engine_new(&ec)) != NULL) {
		while (ts_capture_dispatch(&cap, e, 64) > 0)
			;
		ts_engine_tick(e, e->st.last_ts + 60 * TS_NS_PER_SEC);
		if ((s = ts_snapshot_build(e, e->st.last_ts, NULL)) != NULL)
			ts_snapshot_free(s);
		ts_engine_free(e);
	}
	ts_capture_close(&cap);	/* closes fp */
	return 0;
}
