/*
 * pcapread.c - classic pcap records, read in blocks (pcapread.h).
 */
#include "config.h"

#include <byteswap.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pcapread.h"

#define MAGIC_USEC	0xa1b2c3d4u
#define MAGIC_NSEC	0xa1b23c4du
#define REC_HDR		TS_PCAPREAD_REC
#define MAX_CAPLEN	TS_PCAPREAD_MAX
#define BUF_SIZE	(1u << 20)	/* holds any record whole */

_Static_assert(BUF_SIZE >= REC_HDR + MAX_CAPLEN, "a record fits the buffer");

static uint32_t
get32(const uint8_t *p, int swapped)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swapped ? bswap_32(v) : v;
}

int
ts_pcapread_handles(const uint8_t *hdr)
{
	uint32_t magic;
	uint16_t major, minor;
	int swapped;

	memcpy(&magic, hdr, 4);
	if (magic == MAGIC_USEC || magic == MAGIC_NSEC)
		swapped = 0;
	else if (magic == bswap_32(MAGIC_USEC) || magic == bswap_32(MAGIC_NSEC))
		swapped = 1;
	else
		return 0;
	memcpy(&major, hdr + 4, 2);
	memcpy(&minor, hdr + 6, 2);
	if (swapped) {
		major = bswap_16(major);
		minor = bswap_16(minor);
	}
	/* Older versions may have the two lengths swapped: libpcap's job. */
	return major == 2 && minor == 4;
}

int
ts_pcapread_init(struct ts_pcapread *r, FILE *fp, const uint8_t *hdr,
    uint32_t snaplen)
{
	uint32_t magic;

	memset(r, 0, sizeof(*r));
	if ((r->buf = malloc(BUF_SIZE)) == NULL)
		return -1;
	r->fp = fp;
	memcpy(&magic, hdr, 4);
	r->swapped = magic != MAGIC_USEC && magic != MAGIC_NSEC;
	r->usec = magic == MAGIC_USEC || magic == bswap_32(MAGIC_USEC);
	r->snaplen = snaplen;
	return 0;
}

void
ts_pcapread_fini(struct ts_pcapread *r)
{
	free(r->buf);
	r->buf = NULL;
}

/* Have at least want bytes unread if the file has them: 0, or -1 (error). */
static int
fill(struct ts_pcapread *r, size_t want)
{
	size_t n, ask;

	if (r->end - r->off >= want || r->eof)
		return 0;
	memmove(r->buf, r->buf + r->off, r->end - r->off);
	r->end -= r->off;
	r->off = 0;
	while (r->end < want && !r->eof) {
		ask = BUF_SIZE - r->end;
		n = fread(r->buf + r->end, 1, ask, r->fp);
		r->end += n;
		if (n < ask) {
			if (ferror(r->fp)) {
				snprintf(r->err, sizeof(r->err),
				    "error reading dump file: %s", strerror(errno));
				return -1;
			}
			r->eof = 1;
		}
	}
	return 0;
}

/* The next record is not whole in the buffer: read on, or say why not. */
static int
next_slow(struct ts_pcapread *r)
{
	uint32_t caplen, want;
	size_t have;

	if (fill(r, REC_HDR) == -1)
		return -1;
	if ((have = r->end - r->off) < REC_HDR) {
		if (have == 0)
			return 0;
		snprintf(r->err, sizeof(r->err), "truncated dump file; tried "
		    "to read %u header bytes, only got %zu", REC_HDR, have);
		return -1;
	}
	caplen = get32(r->buf + r->off + 8, r->swapped);
	if (caplen > MAX_CAPLEN) {
		if (caplen > r->snaplen)
			snprintf(r->err, sizeof(r->err), "invalid packet capture "
			    "length %u, bigger than snaplen of %u", caplen,
			    r->snaplen);
		else
			snprintf(r->err, sizeof(r->err), "invalid packet capture "
			    "length %u, bigger than maximum of %u", caplen,
			    MAX_CAPLEN);
		return -1;
	}
	if (fill(r, REC_HDR + (size_t)caplen) == -1)
		return -1;
	have = r->end - r->off - REC_HDR;
	if (have < caplen) {
		/* Past the snapshot length libpcap reads that much first. */
		want = caplen > r->snaplen && have < r->snaplen ? r->snaplen :
		    caplen;
		snprintf(r->err, sizeof(r->err), "truncated dump file; tried "
		    "to read %u captured bytes, only got %zu", want, have);
		return -1;
	}
	return 1;
}

int
ts_pcapread_slow(struct ts_pcapread *r, struct pcap_pkthdr *h,
    const uint8_t **data)
{
	const uint8_t *p;
	uint32_t caplen;
	int k;

	if ((k = next_slow(r)) != 1)
		return k;
	p = r->buf + r->off;
	caplen = get32(p + 8, r->swapped);
	h->ts.tv_sec = (int32_t)get32(p, r->swapped);
	h->ts.tv_usec = (int32_t)get32(p + 4, r->swapped);
	if (r->usec)
		h->ts.tv_usec *= 1000;
	h->caplen = caplen > r->snaplen ? r->snaplen : caplen;
	h->len = get32(p + 12, r->swapped);
	*data = p + REC_HDR;
	r->off += REC_HDR + caplen;
	return 1;
}
