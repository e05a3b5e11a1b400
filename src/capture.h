/*
 * capture.h - libpcap sources: a live interface ("any" included) or a
 * capture file, feeding a struct ts_engine.
 */
#ifndef TS_CAPTURE_H
#define TS_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include <pcap/pcap.h>

#include "clock.h"
#include "engine.h"
#include "pcapread.h"

enum ts_cap_state {
	TS_CAP_CLOSED = 0,
	TS_CAP_RUNNING,
	TS_CAP_PERM_DENIED,	/* no CAP_NET_RAW */
	TS_CAP_NO_DEVICE,
	TS_CAP_IFACE_DOWN,
	TS_CAP_BAD_FILTER,
	TS_CAP_ERROR,
	TS_CAP_EOF,		/* file read to its end */
};

struct ts_capture_conf {
	int		snaplen;	/* default 256 */
	int		buffer_kib;	/* kernel ring, default 8192 */
	int		timeout_ms;	/* default 100 */
	int		promisc;
	const char	*filter;	/* extra BPF, ANDed; NULL for none */
	/* live: stamps are placed on this clock (NULL: kept as they are) */
	const struct ts_steady *steady;
};

/*
 * Where one packet can be captured twice, so the engine deduplicates
 * (engine.h): ALL, where frames may repeat (a capture file of "any" or
 * pcapng with interfaces of its own; one interface among several live);
 * NOT_LOOPBACK, live "any", whose loopback frames libpcap delivers once
 * (it drops the outgoing copy) and never from another interface; NONE, one
 * live interface alone or a classic capture file of one.
 */
enum ts_copies {
	TS_COPIES_ALL = 0,
	TS_COPIES_NOT_LOOPBACK,
	TS_COPIES_NONE,
};

struct ts_capture {
	pcap_t		*p;
	int		 dlt;
	int		 state;		/* enum ts_cap_state */
	uint32_t	 ifindex;	/* the device's, 0 for any and files */
	int		 is_file;
	int		 nano;		/* stamps in nanoseconds */
	int		 copies;	/* enum ts_copies */
	int		 counted;	/* among the live captures running */
	char		 name[256];	/* device or file */
	char		 err[2 * PCAP_ERRBUF_SIZE + 512];
	uint64_t	 frames;
	const struct ts_steady *steady;		/* from the conf */
	ts_ns		 st_wall, st_mono;	/* when this read began */
	char		*iobuf;		/* a file's stdio buffer */
	/* a classic pcap file: its records read by us from rfp */
	struct ts_pcapread *rd;
	FILE		*rfp;
	uint8_t		 rdhead[TS_PCAPREAD_HDR];	/* libpcap's copy */
};

void		ts_capture_conf_default(struct ts_capture_conf *);
/* The BPF program text the live capture uses (before any extra filter). */
const char	*ts_capture_base_filter(void);
/* The whole program: base, VLAN-tagged base if vlan, extra ANDed. */
int		ts_capture_filter_text(char *buf, size_t len, const char *extra,
		    int vlan);
/* The program a live capture of link type dlt sets (the benchmarks'). */
int		ts_capture_filter_for(int dlt, const char *extra, char *buf,
		    size_t len);
/*
 * Whether the extra filter compiles as a live capture of link type dlt
 * would compile it (no capture needed): 0, or -1 with libpcap's why.
 */
int		ts_capture_check_filter(const char *extra, int dlt, char *err,
		    size_t errlen);
/*
 * The link type a live capture of dev will have, from sysfs (no privilege
 * needed): "any" is LINUX_SLL2; -1 when dev does not exist (yet) or its
 * type is not one tcpsleuth knows.
 */
int		ts_capture_dev_dlt(const char *dev);
int		ts_capture_open_live(struct ts_capture *, const char *dev,
		    const struct ts_capture_conf *);
/* A capture file by name, "-" for the standard input. */
int		ts_capture_open_file(struct ts_capture *, const char *path,
		    const struct ts_capture_conf *);
/* The same from an open stream, which the capture then owns. */
int		ts_capture_open_stream(struct ts_capture *, FILE *fp,
		    const char *name, const struct ts_capture_conf *);
/*
 * Feed up to cnt frames (-1: what is buffered, or a file to its end) and
 * flush the engine's batch.  Returns frames fed, or -1 with c->err set;
 * c->state is TS_CAP_EOF at the end of a file.
 */
int		ts_capture_dispatch(struct ts_capture *, struct ts_engine *, int cnt);
int		ts_capture_fd(const struct ts_capture *);
int		ts_capture_stats(struct ts_capture *, uint64_t *recv, uint64_t *drop);
void		ts_capture_close(struct ts_capture *);
const char	*ts_cap_state_name(int);
const char	*ts_dlt_name(int dlt);

#endif
