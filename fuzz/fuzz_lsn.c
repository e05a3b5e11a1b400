/*
 * fuzz_lsn.c - libFuzzer target for what the listener and namespace code
 * reads: the input as one sock_diag message payload (ts_sockdiag_parse), as
 * a "namespaces" setting (ts_netns_conf_parse), and as raw listener
 * samples fed to the listener table over a few polls of two namespaces,
 * with failure verdicts asked in between (ts_lsntab_update, _overflow).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lsntab.h"
#include "nstab.h"
#include "sockdiag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ts_netns_conf nc;
	struct ts_lsntab_conf lc;
	struct ts_lsntab *t;
	struct ts_lsn_update u;
	struct ts_sd_sock s, *v;
	char err[256], *text;
	size_t n = size / sizeof(*v);

	(void)ts_sockdiag_parse(data, size, &s);
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ts_netns_conf_default(&nc);
	(void)ts_netns_conf_parse(&nc, text, err, sizeof(err));
	free(text);

	ts_lsntab_conf_default(&lc);
	lc.max_rows = 8;
	if ((t = ts_lsntab_new(&lc)) == NULL)
		return 0;
	if (n > 0 && (v = malloc(n * sizeof(*v))) != NULL) {
		memcpy(v, data, n * sizeof(*v));
		for (int poll = 0; poll < 4; poll++) {
			ts_ns now = (ts_ns)(poll + 1) * TS_NS_PER_SEC;
			size_t k = poll == 3 ? n / 2 : n;	/* some close */

			(void)ts_lsntab_update(t, 1 + (uint32_t)(poll & 1), v,
			    k, poll < 2 ? 0 : now - 2 * TS_NS_PER_SEC, now, &u);
			(void)ts_lsntab_overflow(t, 1, v[0].l.family,
			    v[0].l.addr, v[0].l.port, 0, now, NULL);
			for (size_t i = 0; i < n; i++)
				v[i].drops += (uint32_t)i * 7919u;
		}
		free(v);
	}
	ts_lsntab_forget(t, 1, 10 * TS_NS_PER_SEC);
	ts_lsntab_free(t);
	return 0;
}
