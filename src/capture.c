/*
 * capture.c - opening live interfaces and capture files with libpcap.
 */
#include "config.h"

#include <net/if.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "pcapread.h"

#define TS_FILE_IOBUF	(1u << 20)

#define ARPHRD_LOOPBACK_BE0	0x03	/* ARPHRD_LOOPBACK, 772, big-endian */
#define ARPHRD_LOOPBACK_BE1	0x04

/* Live captures running in this process: with two, a packet can be in both. */
static atomic_int live_running;

/*
 * SYN, FIN or RST for IPv4; ICMP unreachable; for IPv6 the same when TCP or
 * ICMPv6 follows the fixed header, and anything with extension headers
 * (other than UDP) so the decoder can walk the chain: tcp[tcpflags] only
 * matches IPv4.
 */
#define BASE_FILTER							\
	"(ip and tcp[13] & 7 != 0) or (icmp and icmp[0] = 3) or "	\
	"(ip6 and ((ip6[6] = 6 and ip6[53] & 7 != 0) or "		\
	"(ip6[6] = 58 and ip6[40] = 1) or "				\
	"(ip6[6] != 6 and ip6[6] != 58 and ip6[6] != 17)))"

void
ts_capture_conf_default(struct ts_capture_conf *cc)
{
	memset(cc, 0, sizeof(*cc));
	cc->snaplen = 256;
	cc->buffer_kib = 8192;
	cc->timeout_ms = 100;
}

const char *
ts_capture_base_filter(void)
{
	return BASE_FILTER;
}

static void
cap_init(struct ts_capture *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
}

/* Close the handle, then free the stdio buffer its file was using. */
static void
cap_release(struct ts_capture *c)
{
	if (c->counted)
		atomic_fetch_sub(&live_running, 1);
	c->counted = 0;
	if (c->p != NULL)
		pcap_close(c->p);
	c->p = NULL;
	free(c->iobuf);
	c->iobuf = NULL;
	if (c->rd != NULL) {
		ts_pcapread_fini(c->rd);
		free(c->rd);
		c->rd = NULL;
	}
	if (c->rfp != NULL && c->rfp != stdin)
		fclose(c->rfp);
	c->rfp = NULL;
}

static int
fail(struct ts_capture *c, int state, const char *what, const char *detail)
{
	c->state = state;
	snprintf(c->err, sizeof(c->err), "%s: %s: %s", c->name, what, detail);
	cap_release(c);
	return -1;
}

/*
 * After libpcap's "vlan" keyword every later offset in the expression is
 * moved past the tag, so the extra filter is repeated on each side of it:
 * (E and B) or (vlan and (E and B)); putting it after the vlan clause only
 * would apply it at the wrong offsets to untagged frames.
 */
int
ts_capture_filter_text(char *buf, size_t len, const char *extra, int vlan)
{
	char one[2048];
	int n;

	if (extra != NULL)
		n = snprintf(one, sizeof(one), "(%s) and (%s)", extra, BASE_FILTER);
	else
		n = snprintf(one, sizeof(one), "(%s)", BASE_FILTER);
	if (n < 0 || (size_t)n >= sizeof(one))
		return -1;
	if (vlan)
		n = snprintf(buf, len, "(%s) or (vlan and (%s))", one, one);
	else
		n = snprintf(buf, len, "%s", one);
	return n >= 0 && (size_t)n < len ? 0 : -1;
}

/*
 * Compile the program for p's link type: base (and VLAN-tagged base where
 * the link type has tags) and extra, its text in prog.  0, or -1 with
 * what went wrong in err.
 */
static int
compile_filter(pcap_t *p, const char *extra, char *prog, size_t len,
    struct bpf_program *bpf, const char **err)
{
	for (int vlan = 1; vlan >= 0; vlan--) {
		if (ts_capture_filter_text(prog, len, extra, vlan) == -1) {
			*err = "too long";
			return -1;
		}
		if (pcap_compile(p, bpf, prog, 1, PCAP_NETMASK_UNKNOWN) == 0)
			return 0;
	}
	*err = pcap_geterr(p);	/* only the extra filter can be at fault */
	return -1;
}

/* Compile as a live capture of link type dlt would, without one. */
static int
compile_dead(int dlt, const char *extra, char *prog, size_t len, char *err,
    size_t errlen)
{
	struct bpf_program bpf;
	const char *why;
	pcap_t *p;
	int r;

	if ((p = pcap_open_dead(dlt, 256)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if ((r = compile_filter(p, extra, prog, len, &bpf, &why)) == 0)
		pcap_freecode(&bpf);
	else
		snprintf(err, errlen, "%s", why);
	pcap_close(p);
	return r;
}

int
ts_capture_filter_for(int dlt, const char *extra, char *buf, size_t len)
{
	char err[PCAP_ERRBUF_SIZE];

	return compile_dead(dlt, extra, buf, len, err, sizeof(err));
}

/* Compile and set the filter. */
static int
set_filter(struct ts_capture *c, const char *extra)
{
	char prog[4096];
	struct bpf_program bpf;
	const char *err;
	int r;

	if (compile_filter(c->p, extra, prog, sizeof(prog), &bpf, &err) == -1)
		return fail(c, TS_CAP_BAD_FILTER, "filter", err);
	r = pcap_setfilter(c->p, &bpf);
	pcap_freecode(&bpf);
	if (r != 0)
		return fail(c, TS_CAP_BAD_FILTER, "filter", pcap_geterr(c->p));
	return 0;
}

int
ts_capture_check_filter(const char *extra, int dlt, char *err, size_t errlen)
{
	char prog[4096];

	return compile_dead(dlt, extra, prog, sizeof(prog), err, errlen);
}

int
ts_capture_dev_dlt(const char *dev)
{
	char path[64 + IF_NAMESIZE];
	FILE *fp;
	int type = -1;

	if (strcmp(dev, "any") == 0)
		return DLT_LINUX_SLL2;
	if (strchr(dev, '/') != NULL || strlen(dev) >= IF_NAMESIZE)
		return -1;
	snprintf(path, sizeof(path), "/sys/class/net/%s/type", dev);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	if (fscanf(fp, "%d", &type) != 1)
		type = -1;
	fclose(fp);
	switch (type) {
	case 1:		/* ARPHRD_ETHER */
	case 772:	/* ARPHRD_LOOPBACK */
		return DLT_EN10MB;
	case 65534:	/* ARPHRD_NONE: tun, wireguard */
		return DLT_RAW;
	default:
		return -1;
	}
}

int
ts_capture_open_live(struct ts_capture *c, const char *dev,
    const struct ts_capture_conf *cc)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	int r, state;

	cap_init(c, dev);
	c->steady = cc->steady;
	if ((c->p = pcap_create(dev, ebuf)) == NULL)
		return fail(c, TS_CAP_ERROR, "pcap_create", ebuf);
	pcap_set_snaplen(c->p, cc->snaplen);
	pcap_set_promisc(c->p, cc->promisc);
	pcap_set_timeout(c->p, cc->timeout_ms);
	pcap_set_immediate_mode(c->p, 0);
	pcap_set_buffer_size(c->p, cc->buffer_kib * 1024);
	pcap_set_tstamp_precision(c->p, PCAP_TSTAMP_PRECISION_NANO);
	r = pcap_activate(c->p);
	if (r < 0) {
		switch (r) {
		case PCAP_ERROR_PERM_DENIED:
			state = TS_CAP_PERM_DENIED;
			break;
		case PCAP_ERROR_NO_SUCH_DEVICE:
			state = TS_CAP_NO_DEVICE;
			break;
		case PCAP_ERROR_IFACE_NOT_UP:
			state = TS_CAP_IFACE_DOWN;
			break;
		default:
			state = TS_CAP_ERROR;
		}
		snprintf(ebuf, sizeof(ebuf), "%s%s", pcap_geterr(c->p),
		    state == TS_CAP_PERM_DENIED ? " (capturing needs root or "
		    "CAP_NET_RAW)" : "");
		if (pcap_geterr(c->p)[0] == '\0')
			snprintf(ebuf, sizeof(ebuf), "%s", pcap_statustostr(r));
		return fail(c, state, "cannot capture", ebuf);
	}
	/* "any" gives SLL v1 unless asked for v2, which names the interface. */
	if (strcmp(dev, "any") == 0) {
		(void)pcap_set_datalink(c->p, DLT_LINUX_SLL2);
		c->copies = TS_COPIES_NOT_LOOPBACK;
	} else {
		c->ifindex = if_nametoindex(dev);
		c->copies = TS_COPIES_NONE;
	}
	c->dlt = pcap_datalink(c->p);
	c->nano = pcap_get_tstamp_precision(c->p) == PCAP_TSTAMP_PRECISION_NANO;
	if (!ts_decode_linktype_ok(c->dlt))
		return fail(c, TS_CAP_ERROR, "unsupported link type",
		    ts_dlt_name(c->dlt));
	if (pcap_setnonblock(c->p, 1, ebuf) != 0)
		return fail(c, TS_CAP_ERROR, "pcap_setnonblock", ebuf);
	if (set_filter(c, cc->filter) == -1)
		return -1;
	c->state = TS_CAP_RUNNING;
	c->counted = 1;
	atomic_fetch_add(&live_running, 1);
	return 0;
}

/*
 * A stream that gives back the bytes already read from the start of a
 * file, then the rest of it: libpcap reads a file whose header we looked
 * at, even a pipe.
 */
struct replay {
	FILE		*fp;
	uint8_t		 head[TS_PCAPREAD_HDR];
	size_t		 n, off;
};

static ssize_t
replay_read(void *cookie, char *buf, size_t len)
{
	struct replay *rp = cookie;
	size_t k;

	if (rp->off < rp->n) {
		k = rp->n - rp->off < len ? rp->n - rp->off : len;
		memcpy(buf, rp->head + rp->off, k);
		rp->off += k;
		return (ssize_t)k;
	}
	k = fread(buf, 1, len, rp->fp);
	return k == 0 && ferror(rp->fp) ? -1 : (ssize_t)k;
}

static int
replay_close(void *cookie)
{
	struct replay *rp = cookie;

	if (rp->fp != stdin)
		fclose(rp->fp);
	free(rp);
	return 0;
}

/* Hand fp, head[0..n) already read from it, to libpcap. */
static pcap_t *
open_replay(struct ts_capture *c, FILE *fp, const uint8_t *head, size_t n,
    char *ebuf)
{
	static const cookie_io_functions_t io = {
		.read = replay_read, .close = replay_close,
	};
	struct replay *rp;
	FILE *rf;
	pcap_t *p;

	if ((rp = calloc(1, sizeof(*rp))) == NULL ||
	    (rf = fopencookie(rp, "rb", io)) == NULL) {
		free(rp);
		if (fp != stdin)
			fclose(fp);
		snprintf(ebuf, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
		return NULL;
	}
	rp->fp = fp;
	memcpy(rp->head, head, n);
	rp->n = n;
	/* libpcap reads each record with two fread()s: 1 MiB, not 4 KiB. */
	if ((c->iobuf = malloc(TS_FILE_IOBUF)) != NULL)
		(void)setvbuf(rf, c->iobuf, _IOFBF, TS_FILE_IOBUF);
	if ((p = pcap_fopen_offline_with_tstamp_precision(rf,
	    PCAP_TSTAMP_PRECISION_NANO, ebuf)) == NULL)
		fclose(rf);
	return p;
}

/*
 * A classic pcap file without an extra filter: libpcap checks a copy of
 * its header (link type, snapshot length), the records are ours to read
 * (pcapread.h).
 */
static pcap_t *
open_records(struct ts_capture *c, FILE *fp, const uint8_t *head, char *ebuf)
{
	FILE *hf;
	pcap_t *p;

	if ((c->rd = calloc(1, sizeof(*c->rd))) == NULL)
		return NULL;
	memcpy(c->rdhead, head, TS_PCAPREAD_HDR);
	if ((hf = fmemopen(c->rdhead, TS_PCAPREAD_HDR, "rb")) == NULL)
		goto no;
	if ((p = pcap_fopen_offline_with_tstamp_precision(hf,
	    PCAP_TSTAMP_PRECISION_NANO, ebuf)) == NULL) {
		fclose(hf);
		goto no;
	}
	if (ts_pcapread_init(c->rd, fp, head, (uint32_t)pcap_snapshot(p)) == -1) {
		pcap_close(p);
		goto no;
	}
	c->rfp = fp;
	return p;
no:
	free(c->rd);
	c->rd = NULL;
	return NULL;
}

int
ts_capture_open_stream(struct ts_capture *c, FILE *fp, const char *name,
    const struct ts_capture_conf *cc)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	uint8_t head[TS_PCAPREAD_HDR];
	size_t n;

	cap_init(c, name);
	n = fread(head, 1, sizeof(head), fp);
	if (n == sizeof(head) && cc->filter == NULL && ts_pcapread_handles(head))
		c->p = open_records(c, fp, head, ebuf);
	/* Anything else (pcapng, a bad or short header): libpcap reads it. */
	if (c->p == NULL && (c->p = open_replay(c, fp, head, n, ebuf)) == NULL)
		return fail(c, TS_CAP_ERROR, "cannot read capture", ebuf);
	c->is_file = 1;
	c->nano = 1;
	c->dlt = pcap_datalink(c->p);
	/* pcapng (libpcap calls it version 1.0) may hold several interfaces. */
	c->copies = c->dlt == DLT_LINUX_SLL || c->dlt == DLT_LINUX_SLL2 ||
	    pcap_major_version(c->p) < 2 ? TS_COPIES_ALL : TS_COPIES_NONE;
	if (!ts_decode_linktype_ok(c->dlt))
		return fail(c, TS_CAP_ERROR, "unsupported link type",
		    ts_dlt_name(c->dlt));
	if (cc->filter != NULL) {
		struct bpf_program bpf;

		if (pcap_compile(c->p, &bpf, cc->filter, 1,
		    PCAP_NETMASK_UNKNOWN) != 0)
			return fail(c, TS_CAP_BAD_FILTER, "filter",
			    pcap_geterr(c->p));
		if (pcap_setfilter(c->p, &bpf) != 0) {
			pcap_freecode(&bpf);
			return fail(c, TS_CAP_BAD_FILTER, "filter",
			    pcap_geterr(c->p));
		}
		pcap_freecode(&bpf);
	}
	c->state = TS_CAP_RUNNING;
	return 0;
}

int
ts_capture_open_file(struct ts_capture *c, const char *path,
    const struct ts_capture_conf *cc)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	FILE *fp;

	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "rb")) == NULL) {
		cap_init(c, path);
		snprintf(ebuf, sizeof(ebuf), "%s: %s", path, strerror(errno));
		return fail(c, TS_CAP_ERROR, "cannot read capture", ebuf);
	}
	return ts_capture_open_stream(c, fp, path, cc);
}

struct feed {
	struct ts_capture	*c;
	struct ts_engine	*e;
	int			 copies;	/* enum ts_copies, this read */
};

/* SLL and SLL2 headers name the device's hardware type. */
static int
from_loopback(int dlt, const u_char *b, bpf_u_int32 caplen)
{
	if (dlt == DLT_LINUX_SLL2)
		return caplen >= 20 && b[8] == ARPHRD_LOOPBACK_BE0 &&
		    b[9] == ARPHRD_LOOPBACK_BE1;
	if (dlt == DLT_LINUX_SLL)
		return caplen >= 16 && b[2] == ARPHRD_LOOPBACK_BE0 &&
		    b[3] == ARPHRD_LOOPBACK_BE1;
	return 0;
}

static void
feed_one(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct feed *f = (struct feed *)(void *)arg;
	ts_ns ts = (ts_ns)h->ts.tv_sec * TS_NS_PER_SEC +
	    (ts_ns)h->ts.tv_usec * (f->c->nano ? 1 : 1000);
	int may_copy = f->copies == TS_COPIES_ALL ||
	    (f->copies == TS_COPIES_NOT_LOOPBACK &&
	    !from_loopback(f->c->dlt, bytes, h->caplen));

	f->c->frames++;
	if (f->c->steady != NULL)
		ts = ts_steady_stamp(f->c->steady, ts, f->c->st_wall,
		    f->c->st_mono);
	ts_engine_queue(f->e, f->c->dlt, bytes, h->caplen, h->len, ts,
	    f->c->ifindex, may_copy);
}

/*
 * ts_capture_dispatch() for a file whose records are ours to read: what
 * feed_one() does, for a file (nanosecond stamps, no steady clock, no
 * device, copies possible in every frame or in none), in the loop.
 */
static int
read_records(struct ts_capture *c, struct ts_engine *e, int cnt)
{
	int may_copy = c->copies == TS_COPIES_ALL, n = 0, r = 0;
	struct pcap_pkthdr h;
	const uint8_t *data;

	while ((cnt <= 0 || n < cnt) &&
	    (r = ts_pcapread_next(c->rd, &h, &data)) == 1) {
		ts_engine_queue(e, c->dlt, data, h.caplen, h.len,
		    (ts_ns)h.ts.tv_sec * TS_NS_PER_SEC + h.ts.tv_usec, 0,
		    may_copy);
		n++;
	}
	c->frames += (uint64_t)n;
	ts_engine_flush(e);
	if (r == -1) {
		snprintf(c->err, sizeof(c->err), "%s: %s", c->name, c->rd->err);
		c->state = TS_CAP_ERROR;
		return -1;
	}
	if (n == 0)
		c->state = TS_CAP_EOF;
	return n;
}

int
ts_capture_dispatch(struct ts_capture *c, struct ts_engine *e, int cnt)
{
	struct feed f = { c, e, c->copies };
	int r;

	if (c->p == NULL)
		return -1;
	if (!c->is_file && atomic_load(&live_running) > 1)
		f.copies = TS_COPIES_ALL;
	if (c->rd != NULL)
		return read_records(c, e, cnt);
	if (c->steady != NULL) {
		c->st_wall = ts_now_wall();
		c->st_mono = ts_now_mono();
	}
	r = pcap_dispatch(c->p, cnt, feed_one, (u_char *)&f);
	ts_engine_flush(e);
	if (r == PCAP_ERROR) {
		snprintf(c->err, sizeof(c->err), "%s: %s", c->name,
		    pcap_geterr(c->p));
		c->state = TS_CAP_ERROR;
		return -1;
	}
	if (r == 0 && c->is_file)
		c->state = TS_CAP_EOF;
	return r < 0 ? 0 : r;
}

int
ts_capture_fd(const struct ts_capture *c)
{
	return c->p == NULL ? -1 : pcap_get_selectable_fd(c->p);
}

int
ts_capture_stats(struct ts_capture *c, uint64_t *recv, uint64_t *drop)
{
	struct pcap_stat ps;

	if (c->p == NULL || pcap_stats(c->p, &ps) != 0)
		return -1;
	*recv = ps.ps_recv;
	*drop = ps.ps_drop + ps.ps_ifdrop;
	return 0;
}

void
ts_capture_close(struct ts_capture *c)
{
	cap_release(c);
	c->state = TS_CAP_CLOSED;
}

const char *
ts_cap_state_name(int s)
{
	switch (s) {
	case TS_CAP_CLOSED:
		return "closed";
	case TS_CAP_RUNNING:
		return "running";
	case TS_CAP_PERM_DENIED:
		return "permission-denied";
	case TS_CAP_NO_DEVICE:
		return "no-such-device";
	case TS_CAP_IFACE_DOWN:
		return "interface-down";
	case TS_CAP_BAD_FILTER:
		return "bad-filter";
	case TS_CAP_EOF:
		return "end-of-file";
	default:
		return "error";
	}
}

const char *
ts_dlt_name(int dlt)
{
	const char *n = pcap_datalink_val_to_name(dlt);
	static char buf[32];

	if (n != NULL)
		return n;
	snprintf(buf, sizeof(buf), "DLT %d", dlt);
	return buf;
}
