/*
 * fuzz_conf.c - libFuzzer target: the input is a tcpsleuthd.conf.  Seeds:
 * contrib/tcpsleuthd.conf and the bad files of tests/golden/config.sh.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ts_dconf dc;
	char err[512], *text;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ts_dconf_default(&dc);
	(void)ts_dconf_load(&dc, "fuzz.conf", text, err, sizeof(err));
	ts_dconf_free(&dc);
	free(text);
	return 0;
}
