/*
 * test_pcapread.c - our reader of classic pcap records against libpcap's,
 * record by record (stamp, lengths, bytes) and in how it ends (the end, or
 * the same error message): every classic capture in tests/fixtures, in
 * both byte orders and both stamp resolutions, cut short at every length,
 * and with thousands of corrupted record headers.
 */
#include "config.h"

#include <byteswap.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "pcapread.h"
#include "tap.h"

struct buf {
	uint8_t		*b;
	size_t		 n;
};

/* Read both ways; 1 when they agree on every record and on the end. */
static int
same(const struct buf *f, char *why, size_t whylen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct ts_pcapread rd;
	struct pcap_pkthdr *lh, oh;
	const u_char *ld;
	const uint8_t *od;
	FILE *lf, *of;
	pcap_t *p;
	int lr, or_, n = 0, agree = 1;

	snprintf(why, whylen, "ok");
	if ((lf = fmemopen(f->b, f->n, "rb")) == NULL)
		return 0;
	if ((p = pcap_fopen_offline_with_tstamp_precision(lf,
	    PCAP_TSTAMP_PRECISION_NANO, ebuf)) == NULL) {
		fclose(lf);
		return 1;	/* a bad header: libpcap's to refuse, not ours */
	}
	if ((of = fmemopen(f->b, f->n, "rb")) == NULL ||
	    fseek(of, TS_PCAPREAD_HDR, SEEK_SET) != 0 ||
	    ts_pcapread_init(&rd, of, f->b, (uint32_t)pcap_snapshot(p)) == -1) {
		pcap_close(p);
		return 0;
	}
	for (;;) {
		lr = pcap_next_ex(p, &lh, &ld);
		or_ = ts_pcapread_next(&rd, &oh, &od);
		if (lr == 1 && or_ == 1) {
			n++;
			if (lh->ts.tv_sec != oh.ts.tv_sec ||
			    lh->ts.tv_usec != oh.ts.tv_usec ||
			    lh->caplen != oh.caplen || lh->len != oh.len ||
			    memcmp(ld, od, oh.caplen) != 0) {
				snprintf(why, whylen, "record %d differs", n);
				agree = 0;
				break;
			}
			continue;
		}
		if (lr == PCAP_ERROR_BREAK && or_ == 0)
			break;
		if (lr == PCAP_ERROR && or_ == -1 &&
		    strcmp(pcap_geterr(p), rd.err) == 0)
			break;
		snprintf(why, whylen, "after %d records: libpcap %d \"%s\", "
		    "ours %d \"%s\"", n, lr, lr == PCAP_ERROR ? pcap_geterr(p) :
		    "", or_, or_ == -1 ? rd.err : "");
		agree = 0;
		break;
	}
	ts_pcapread_fini(&rd);
	fclose(of);
	pcap_close(p);
	return agree;
}

static uint32_t
get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* The same capture in the other byte order (this host's files only). */
static void
swap_order(struct buf *f)
{
	size_t off = TS_PCAPREAD_HDR;
	uint16_t v;

	put32(f->b, bswap_32(get32(f->b)));
	for (int i = 4; i < 8; i += 2) {
		memcpy(&v, f->b + i, 2);
		v = bswap_16(v);
		memcpy(f->b + i, &v, 2);
	}
	for (int i = 8; i < 24; i += 4)
		put32(f->b + i, bswap_32(get32(f->b + i)));
	while (off + 16 <= f->n) {
		uint32_t caplen = get32(f->b + off + 8);

		for (int i = 0; i < 16; i += 4)
			put32(f->b + off + i, bswap_32(get32(f->b + off + i)));
		off += 16 + caplen;
	}
}

/* Nanosecond stamps as microseconds or back (the magic says which). */
static void
flip_resolution(struct buf *f)
{
	put32(f->b, get32(f->b) == 0xa1b2c3d4u ? 0xa1b23c4du : 0xa1b2c3d4u);
}

/* libc's generator, seeded in main(): the same cases every run. */
static uint32_t
next_rand(void)
{
	return (uint32_t)random();
}

/* Offsets of the record headers. */
static size_t
records(const struct buf *f, size_t *at, size_t max)
{
	size_t off = TS_PCAPREAD_HDR, n = 0;

	while (off + 16 <= f->n && n < max) {
		at[n++] = off;
		off += 16 + get32(f->b + off + 8);
	}
	return n;
}

static void
check_file(const char *path, const char *name)
{
	FILE *fp = fopen(path, "rb");
	struct buf f, g;
	size_t at[4096], nrec, bad_cut = 0, bad_mut = 0;
	char why[512], why2[1024] = "";
	long len;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 24) {
		if (fp != NULL)
			fclose(fp);
		return;
	}
	rewind(fp);
	f.n = (size_t)len;
	f.b = malloc(f.n);
	g.b = malloc(f.n);
	if (f.b == NULL || g.b == NULL || fread(f.b, 1, f.n, fp) != f.n ||
	    !ts_pcapread_handles(f.b) || get32(f.b) != 0xa1b2c3d4u) {
		fclose(fp);
		free(f.b);
		free(g.b);
		return;	/* pcapng, or not written by this host's libpcap */
	}
	fclose(fp);
	ok(same(&f, why, sizeof(why)), "%s: as libpcap reads it (%s)", name, why);
	memcpy(g.b, f.b, f.n);
	g.n = f.n;
	swap_order(&g);
	ok(same(&g, why, sizeof(why)), "%s: other byte order (%s)", name, why);
	memcpy(g.b, f.b, f.n);
	flip_resolution(&g);
	ok(same(&g, why, sizeof(why)), "%s: nanosecond magic (%s)", name, why);
	/* Cut short at every length. */
	for (size_t n = TS_PCAPREAD_HDR; n < f.n; n++) {
		g.n = n;
		memcpy(g.b, f.b, n);
		if (!same(&g, why, sizeof(why)) && bad_cut++ == 0)
			snprintf(why2, sizeof(why2), "cut at %zu: %s", n, why);
	}
	ok(bad_cut == 0, "%s: cut at each of %zu lengths (%s)", name,
	    f.n - TS_PCAPREAD_HDR, bad_cut ? why2 : "all agree");
	/* Corrupted record headers: lengths and stamps. */
	nrec = records(&f, at, sizeof(at) / sizeof(at[0]));
	for (int i = 0; i < 500 && nrec > 0; i++) {
		size_t r = at[next_rand() % nrec];
		uint32_t v, snap = get32(f.b + 16);

		memcpy(g.b, f.b, f.n);
		g.n = f.n;
		switch (next_rand() % 7) {
		case 0:		/* any captured length */
			v = next_rand();
			break;
		case 1:		/* past the snapshot length, up to the maximum */
			v = snap + next_rand() % 300000;
			break;
		case 2:		/* a little longer or shorter */
			v = get32(f.b + r + 8) + next_rand() % 64 - 32;
			break;
		case 3:		/* the wire length */
			put32(g.b + r + 12, next_rand());
			v = get32(f.b + r + 8);
			break;
		case 4:		/* the stamp */
			put32(g.b + r, next_rand());
			put32(g.b + r + 4, next_rand());
			v = get32(f.b + r + 8);
			break;
		case 5:		/* the file's snapshot length */
			put32(g.b + 16, next_rand() % 512);
			v = get32(f.b + r + 8);
			break;
		default:	/* a short one, and the file cut in a record */
			put32(g.b + 16, 20 + next_rand() % 100);
			v = get32(f.b + r + 8);
			g.n = r + 16 + next_rand() % (v + 1);
			if (g.n > f.n)	/* a truncated capture's last record */
				g.n = f.n;
			break;
		}
		put32(g.b + r + 8, v);
		if (!same(&g, why, sizeof(why)) && bad_mut++ == 0)
			snprintf(why2, sizeof(why2), "mutation %d: %s", i, why);
	}
	ok(bad_mut == 0, "%s: 500 corrupted headers and cuts (%s)", name,
	    bad_mut ? why2 : "all agree");
	free(f.b);
	free(g.b);
}

int
main(void)
{
	const char *top = getenv("TOP_SRCDIR");
	char dir[1024], path[2048];
	struct dirent **de;
	int n;

	srandom(1);
	snprintf(dir, sizeof(dir), "%s/tests/fixtures", top ? top : "..");
	if ((n = scandir(dir, &de, NULL, alphasort)) < 0) {
		ok(0, "fixtures in %s", dir);
		return tap_done();
	}
	for (int i = 0; i < n; i++) {
		size_t l = strlen(de[i]->d_name);

		if (l > 5 && strcmp(de[i]->d_name + l - 5, ".pcap") == 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, de[i]->d_name);
			check_file(path, de[i]->d_name);
		}
		free(de[i]);
	}
	free(de);
	ok(tap_n >= 20, "classic captures checked: %d points", tap_n);
	return tap_done();
}
