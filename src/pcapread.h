/*
 * pcapread.h - the records of a classic pcap file (format version 2.4,
 * micro- or nanosecond stamps, either byte order), read in 1 MiB blocks
 * and handed over where they lie in the block: no copy and no stdio call
 * per record, where libpcap's reader makes two fread()s and a copy.
 *
 * The 24-byte file header is libpcap's to read and check (capture.c has
 * it parse a copy); this takes the stream after it.  What a record may be
 * and the messages a bad one fails with are libpcap's (pcap-savefile(5),
 * its sf-pcap.c): a record cut short is "truncated dump file; ...", a
 * captured length above 262144 is invalid, one above the file's snapshot
 * length is cut to it.
 */
#ifndef TS_PCAPREAD_H
#define TS_PCAPREAD_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#define TS_PCAPREAD_HDR	24	/* the file header */
#define TS_PCAPREAD_REC	16u	/* a record's: stamp, captured and wire lengths */
#define TS_PCAPREAD_MAX	262144u	/* libpcap's most, for our link types */

struct ts_pcapread {
	FILE		*fp;
	uint8_t		*buf;
	size_t		 off, end;	/* the bytes not yet taken */
	int		 eof;		/* fp has no more */
	int		 swapped;	/* written in the other byte order */
	int		 usec;		/* stamps in microseconds */
	uint32_t	 snaplen;	/* the file's, as libpcap takes it */
	char		 err[PCAP_ERRBUF_SIZE];
};

/*
 * Is this file header (TS_PCAPREAD_HDR bytes) one whose records this
 * reads?  Anything else (pcapng, other versions and variants) is left to
 * libpcap.
 */
int	ts_pcapread_handles(const uint8_t *hdr);
/* fp is read from its current place, after the header.  0, or -1. */
int	ts_pcapread_init(struct ts_pcapread *, FILE *fp, const uint8_t *hdr,
	    uint32_t snaplen);
/* ts_pcapread_next() for all but a whole record in this host's order. */
int	ts_pcapread_slow(struct ts_pcapread *, struct pcap_pkthdr *h,
	    const uint8_t **data);

/*
 * The next record: 1 with *h and *data (valid until the next call; the
 * stamp in nanoseconds, as libpcap gives it when asked for nanosecond
 * precision), 0 at the end, -1 with err set.  Inline for the common case:
 * the record whole in the buffer, in this host's byte order.
 */
static inline int
ts_pcapread_next(struct ts_pcapread *r, struct pcap_pkthdr *h,
    const uint8_t **data)
{
	const uint8_t *p = r->buf + r->off;
	uint32_t v[4];

	if (r->swapped || r->end - r->off < TS_PCAPREAD_REC)
		return ts_pcapread_slow(r, h, data);
	memcpy(v, p, sizeof(v));	/* seconds, fraction, caplen, len */
	if (v[2] > TS_PCAPREAD_MAX ||
	    r->end - r->off - TS_PCAPREAD_REC < v[2])
		return ts_pcapread_slow(r, h, data);
	/* The stamp's fields are signed 32-bit, as libpcap reads them. */
	h->ts.tv_sec = (int32_t)v[0];
	h->ts.tv_usec = r->usec ? (long)(int32_t)v[1] * 1000 : (int32_t)v[1];
	/* A record longer than the file's snapshot length is cut to it. */
	h->caplen = v[2] > r->snaplen ? r->snaplen : v[2];
	h->len = v[3];
	*data = p + TS_PCAPREAD_REC;
	r->off += TS_PCAPREAD_REC + v[2];
	return 1;
}
/* Frees the buffer; fp is the caller's. */
void	ts_pcapread_fini(struct ts_pcapread *);

#endif
