/*
 * fuzz_pcap.c - libFuzzer target: the input is a capture file (pcap or
 * pcapng, as libpcap reads it) fed through the whole pipeline (decoder,
 * deduplication, classifier, endpoint table, snapshot) with small tables,
 * so eviction, expiry and the "other" row are exercised.  Seeds: the
 * golden captures in tests/fixtures.
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
	char ebuf[PCAP_ERRBUF_SIZE];

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
	memset(&cap, 0, sizeof(cap));
	cap.p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (cap.p == NULL) {
		fclose(fp);
		return 0;
	}
	cap.is_file = 1;
	cap.nano = 1;
	cap.dlt = pcap_datalink(cap.p);
	cap.state = TS_CAP_RUNNING;
	if (ts_decode_linktype_ok(cap.dlt) && (e = ts_engine_new(&ec)) != NULL) {
		while (ts_capture_dispatch(&cap, e, 64) > 0)
			;
		ts_engine_tick(e, e->st.last_ts + 60 * TS_NS_PER_SEC);
		if ((s = ts_snapshot_build(e, e->st.last_ts, NULL)) != NULL)
			ts_snapshot_free(s);
		ts_engine_free(e);
	}
	pcap_close(cap.p);	/* closes fp */
	return 0;
}
