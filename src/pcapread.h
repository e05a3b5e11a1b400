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

#include <pcap/pcap.h>

#define TS_PCAPREAD_HDR	24	/* the file header */

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
/*
 * The next record: 1 with *h and *data (valid until the next call; the
 * stamp in nanoseconds, as libpcap gives it when asked for nanosecond
 * precision), 0 at the end, -1 with err set.
 */
int	ts_pcapread_next(struct ts_pcapread *, struct pcap_pkthdr *h,
	    const uint8_t **data);
/* Frees the buffer; fp is the caller's. */
void	ts_pcapread_fini(struct ts_pcapread *);

#endif
