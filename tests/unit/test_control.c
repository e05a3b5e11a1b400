/*
 * test_control.c - tcpsleuthd's control socket (agentx/control.c) and what
 * it says (src/ctlproto.c, src/views.c, src/capbuf.c), in-process and
 * without root: the socket file (mode, group, a stale one replaced,
 * another daemon's refused), requests answered from a hand-made snapshot
 * as text that fits and as JSON with its counts, and every bad client:
 * a bad or over-long line, one that ends early, one that says nothing
 * (dropped at its deadline, which is a parameter), one too many (busy).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "capbuf.h"
#include "control.h"
#include "ctlproto.h"
#include "tap.h"
#include "views.h"

#define SEC	TS_NS_PER_SEC
#define T0	((ts_ns)1700000000 * SEC)

static struct ts_snapshot snap;
static struct ts_snap_row rows[3];
static char dir[64], path[128];

static void
fixture(void)
{
	static const char *const addr[3] = { "127.0.0.1", "127.0.0.2", "::1" };

	for (int i = 0; i < 3; i++) {
		struct ts_snap_row *r = &rows[i];

		r->key.family = i < 2 ? TS_AF_INET : TS_AF_INET6;
		inet_pton(i < 2 ? AF_INET : AF_INET6, addr[i], r->key.addr);
		r->key.port = (uint16_t)(7211 + i);
		r->count[TS_CL_REFUSED] = (uint64_t)(10 * (i + 1));
		r->failures = r->count[TS_CL_REFUSED];
		r->rate[0] = 1000 * (uint32_t)(i + 1);
		r->last = T0 - SEC;
		r->peers = 1;
		snprintf(r->ifname, sizeof(r->ifname), "lo");
		r->loc = TS_LOC_LOCAL;
	}
	snap.rows = rows;
	snap.nrows = 3;
	snap.max_rows = 1024;
	snap.wall = T0;
	snap.cap_state = TS_CAP_RUNNING;
	snprintf(snap.cap_ifaces, sizeof(snap.cap_ifaces), "any");
	snprintf(snap.cap_linktypes, sizeof(snap.cap_linktypes), "LINUX_SLL2");
	snap.dec.frames = 4242;
	snap.cls.failures[TS_CL_REFUSED][0] = 30;
	snap.cls.failures[TS_CL_REFUSED][1] = 30;
	for (int w = 0; w < TS_RATE_WINDOWS; w++)
		snap.windows[w] = (ts_ns)(60 << (2 * w)) * SEC;
	snap.hc_ok = 1;
	snap.hc.present[TS_HC_ATTEMPT_FAILS] = 1;
	snap.hc.v[TS_HC_ATTEMPT_FAILS] = 77;
}

/* ------------------------------------------------------------ protocol */

static void
protocol(void)
{
	struct ts_ctl_req r, p;
	enum ts_view_id v;
	char line[TS_CTL_REQMAX + 1], err[256], big[700];

	ts_ctl_req_default(&r, 1);
	r.view = TS_VIEW_ALARMS;
	r.width = 80;
	r.top = 5;
	r.sort = TS_SORT_RATE;
	ok(ts_ctl_req_format(&r, line, sizeof(line)) == 0 &&
	    ts_ctl_req_parse(line, &p, err, sizeof(err)) == 0 &&
	    p.view == r.view && p.json == 1 && p.width == 80 && p.top == 5 &&
	    p.sort == TS_SORT_RATE, "a request line reads back as it was made "
	    "(%s)", line);
	ok(ts_ctl_req_parse(TS_CTL_MAGIC " show endpoints", &p, err,
	    sizeof(err)) == 0 && !p.json && p.top == TS_REPORT_TOP,
	    "defaults: text, %d rows", TS_REPORT_TOP);
	ok(ts_ctl_req_parse(TS_CTL_MAGIC " show endpoints format=json", &p,
	    err, sizeof(err)) == 0 && p.json && p.top == 0,
	    "JSON without top: every row");
	ok(ts_ctl_view_find("cap", &v, err, sizeof(err)) == 0 &&
	    v == TS_VIEW_CAPTURE, "a view by a prefix");
	ok(ts_ctl_view_find("", &v, err, sizeof(err)) == -1 &&
	    strstr(err, "endpoints, capture or alarms") != NULL,
	    "no view: the views are named (%s)", err);
#define BAD(req, want) do {						\
	int r_ = ts_ctl_req_parse(req, &p, err, sizeof(err));		\
	ok(r_ == -1 && strstr(err, want) != NULL, "refused: %s", err);	\
} while (0)
	BAD("hello", "not a request of protocol tcpsleuthctl/1");
	BAD("tcpsleuthctl/2 show endpoints", "not a request of protocol");
	BAD(TS_CTL_MAGIC " frob endpoints", "unknown command \"frob\"");
	BAD(TS_CTL_MAGIC " show", "give a view");
	BAD(TS_CTL_MAGIC " show nosuch", "no view \"nosuch\"");
	BAD(TS_CTL_MAGIC " show endpoints width=abc", "width \"abc\"");
	BAD(TS_CTL_MAGIC " show endpoints width=100001", "width");
	BAD(TS_CTL_MAGIC " show endpoints top=-1", "top \"-1\"");
	BAD(TS_CTL_MAGIC " show endpoints sort=size", "sort \"size\"");
	BAD(TS_CTL_MAGIC " show endpoints format=xml", "format \"xml\"");
	BAD(TS_CTL_MAGIC " show endpoints colour=red", "unknown option");
	BAD(TS_CTL_MAGIC " show endpoints json", "give KEY=VALUE");
	BAD(TS_CTL_MAGIC " show endpoints\t", "not printable ASCII");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	BAD(big, "512 bytes at most");
#undef BAD
}

static void
capbuf(void)
{
	struct ts_capbuf cb;
	FILE *fp = ts_capbuf_open(&cb, 10);

	fputs("0123456789abcdefghij", fp);
	ok(ts_capbuf_close(fp, &cb) == -1 && cb.over && cb.len == 10 &&
	    strcmp(cb.buf, "0123456789") == 0,
	    "a capped stream keeps its cap and says it dropped the rest");
	free(cb.buf);
	fp = ts_capbuf_open(&cb, 10);
	ok(ts_capbuf_close(fp, &cb) == 0 && cb.buf != NULL &&
	    cb.buf[0] == '\0', "... and an empty one is \"\"");
	free(cb.buf);
}

/* --------------------------------------------------------------- views */

/* The reply to req from d, parsed; NULL if it is not JSON. */
static json_t *
reply_of(const char *req, const struct ts_view_data *d)
{
	struct ts_ctl_req r;
	struct ts_capbuf cb;
	char err[256];
	FILE *fp = ts_capbuf_open(&cb, TS_CTL_REPLYMAX);
	json_t *o;

	if (ts_ctl_req_parse(req, &r, err, sizeof(err)) == -1)
		ts_view_error(fp, err);
	else if (ts_view_reply(fp, &r, d, TS_CTL_REPLYMAX, err,
	    sizeof(err)) == -1) {
		ts_capbuf_close(fp, &cb);
		free(cb.buf);
		fp = ts_capbuf_open(&cb, TS_CTL_REPLYMAX);
		ts_view_error(fp, err);
	}
	ts_capbuf_close(fp, &cb);
	o = json_loads(cb.buf, 0, NULL);
	free(cb.buf);
	return o;
}

/* Lines of text no wider than w (and at least one). */
static int
fits(const char *text, size_t w, size_t *widest)
{
	size_t n = 0;

	*widest = 0;
	for (const char *p = text; *p != '\0'; p++, n++)
		if (*p == '\n') {
			if (n > *widest)
				*widest = n;
			n = (size_t)-1;
		}
	return *text != '\0' && *widest <= w;
}

static void
no_sink(void *arg, const struct ts_alarm_event *ev)
{
	(void)arg;
	(void)ev;
}

static void
views(void)
{
	struct ts_alarm_conf ac;
	struct ts_alarms *al;
	struct ts_view_data d = { &snap, NULL };
	json_t *o, *eps;
	const char *text;
	size_t widest = 0;
	int fit;

	o = reply_of(TS_CTL_MAGIC " show endpoints format=json", &d);
	eps = json_object_get(json_object_get(o, "json"), "endpoints");
	ok(json_integer_value(json_object_get(o, "protocol")) == 1 &&
	    strcmp(json_string_value(json_object_get(o, "view")),
	    "endpoints") == 0 && json_array_size(eps) == 3,
	    "endpoints as JSON: the envelope, and every row");
	ok(json_integer_value(json_object_get(json_array_get(eps, 0),
	    "failures")) == 30 && strcmp(json_string_value(json_object_get(
	    json_array_get(eps, 0), "endpoint")), "[::1]:7213") == 0 &&
	    json_integer_value(json_object_get(json_object_get(
	    json_array_get(eps, 2), "counts"), "refused")) == 10,
	    "... most failures first, with the snapshot's counts");
	ok(json_integer_value(json_object_get(json_object_get(json_object_get(
	    o, "json"), "totals"), "frames")) == 4242 &&
	    strcmp(json_string_value(json_object_get(json_object_get(
	    json_object_get(o, "json"), "source"), "name")), "any") == 0,
	    "... and tcpsleuth --json's totals and source");
	json_decref(o);

	o = reply_of(TS_CTL_MAGIC " show endpoints format=json top=1 sort=name",
	    &d);
	eps = json_object_get(json_object_get(o, "json"), "endpoints");
	ok(json_array_size(eps) == 1 && strcmp(json_string_value(
	    json_object_get(json_array_get(eps, 0), "endpoint")),
	    "127.0.0.1:7211") == 0 && json_integer_value(json_object_get(
	    json_object_get(json_object_get(o, "json"), "table"),
	    "omitted")) == 2, "top=1 sort=name: the first by address, 2 "
	    "omitted");
	json_decref(o);

	o = reply_of(TS_CTL_MAGIC " show endpoints width=80", &d);
	text = json_string_value(json_object_get(o, "text"));
	fit = text != NULL && fits(text, 80, &widest);
	ok(fit && text != NULL &&
	    strstr(text, "127.0.0.1:7211") != NULL &&
	    strstr(text, "source: live any (LINUX_SLL2)") != NULL,
	    "endpoints as text: fits 80 columns (%zu)", widest);
	json_decref(o);
	/* A row of another namespace: named by the namespace table. */
	{
		struct ts_snap_row more[4];
		struct ts_snap_ns ns = { .ino = 4026532301u };

		memcpy(more, rows, sizeof(rows));
		more[3] = rows[0];
		more[3].netns = ns.ino;
		more[3].ifname[0] = '\0';
		snprintf(more[3].name, sizeof(more[3].name),
		    "net:[4026532301] 127.0.0.1:7211");
		snprintf(ns.name, sizeof(ns.name), "docker 3f2a9c1b7d0e");
		snap.rows = more;
		snap.nrows = 4;
		o = reply_of(TS_CTL_MAGIC " show endpoints width=0", &d);
		text = json_string_value(json_object_get(o, "text"));
		ok(text != NULL && strstr(text,
		    "net:[4026532301] 127.0.0.1:7211") != NULL,
		    "a row of a namespace the table has not named: as "
		    "tcpsleuthEpName names it");
		json_decref(o);
		snap.ns = &ns;
		snap.nns = 1;
		o = reply_of(TS_CTL_MAGIC " show endpoints width=0", &d);
		text = json_string_value(json_object_get(o, "text"));
		ok(text != NULL && strstr(text,
		    "docker 3f2a9c1b7d0e 127.0.0.1:7211") != NULL,
		    "...and once it has: by the namespace's name");
		json_decref(o);
		snap.ns = NULL;
		snap.nns = 0;
		snap.rows = rows;
		snap.nrows = 3;
	}
	o = reply_of(TS_CTL_MAGIC " show endpoints width=0", &d);
	text = json_string_value(json_object_get(o, "text"));
	fit = text != NULL && fits(text, 80, &widest);
	ok(!fit && text != NULL &&
	    strstr(text, "LAST SEEN") != NULL,
	    "... and width=0: every column (%zu wide)", widest);
	json_decref(o);

	o = reply_of(TS_CTL_MAGIC " show capture width=60", &d);
	text = json_string_value(json_object_get(o, "text"));
	fit = text != NULL && fits(text, 60, &widest);
	ok(fit && text != NULL &&
	    strstr(text, "capture: running on any") != NULL &&
	    strstr(text, "AttemptFails 77") != NULL,
	    "capture as text: state, counters, fits 60 columns (%zu)", widest);
	json_decref(o);
	o = reply_of(TS_CTL_MAGIC " show capture format=json", &d);
	ok(json_integer_value(json_object_get(json_object_get(json_object_get(
	    json_object_get(o, "json"), "kernel_counters"), "values"),
	    "AttemptFails")) == 77 && json_integer_value(json_object_get(
	    json_object_get(json_object_get(o, "json"), "capture"),
	    "frames")) == 4242, "capture as JSON");
	json_decref(o);

	ts_alarm_conf_default(&ac);
	ac.endpoint.raise = 1500;	/* 1.5/s: two rows above */
	ac.endpoint.clear = 1000;
	ac.endpoint.hold = 0;
	al = ts_alarms_new(&ac);
	ts_alarms_eval(al, &snap, 1000 * SEC, no_sink, NULL);
	d.alarms = al;
	o = reply_of(TS_CTL_MAGIC " show alarms format=json", &d);
	eps = json_object_get(json_object_get(o, "json"), "alarms");
	ok(json_integer_value(json_object_get(json_object_get(o, "json"),
	    "raised")) == 2 && json_array_size(eps) == 2 &&
	    strcmp(json_string_value(json_object_get(json_array_get(eps, 0),
	    "kind")), "endpoint-rate") == 0 && json_integer_value(
	    json_object_get(json_array_get(eps, 0), "threshold_milli")) == 1500,
	    "alarms as JSON: the two endpoints above 1.5/s");
	json_decref(o);
	o = reply_of(TS_CTL_MAGIC " show alarms width=50", &d);
	text = json_string_value(json_object_get(o, "text"));
	fit = text != NULL && fits(text, 50, &widest);
	ok(fit && text != NULL &&
	    strstr(text, "alarms raised: 2") != NULL &&
	    strstr(text, "1.500/s") != NULL,
	    "alarms as text, fitting 50 columns (%zu)", widest);
	json_decref(o);
	ts_alarms_free(al);

	d.snap = NULL;
	o = reply_of(TS_CTL_MAGIC " show endpoints", &d);
	ok(strstr(json_string_value(json_object_get(o, "error")),
	    "no table yet") != NULL, "no snapshot yet: an error reply");
	json_decref(o);
}

/* -------------------------------------------------------------- socket */

static struct ts_control *ctl;
static struct ts_control_sock cs;
static struct ts_view_data data = { &snap, NULL };

/* One turn of a loop serving the socket, at time now. */
static void
serve(ts_ns now, int ms)
{
	struct pollfd pfd[TS_CTL_MAXFDS];
	ts_ns deadline;
	int n = ts_control_fds(ctl, pfd, TS_CTL_MAXFDS, &deadline);

	if (poll(pfd, (nfds_t)n, ms) == -1)
		for (int i = 0; i < n; i++)
			pfd[i].revents = 0;
	ts_control_io(ctl, pfd, n, now, &data);
}

static int
dial(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);

	memcpy(sun.sun_path, path, strlen(path));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* What fd reads until the daemon closes, serving meanwhile; "" if nothing. */
static char *
read_all(int fd, ts_ns now)
{
	static char buf[1 << 20];
	size_t n = 0;

	for (int turn = 0; turn < 2000; turn++) {
		ssize_t r = recv(fd, buf + n, sizeof(buf) - 1 - n, 0);

		if (r > 0) {
			n += (size_t)r;
			continue;
		}
		if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			break;
		serve(now, 5);
	}
	buf[n] = '\0';
	return buf;
}

static char *
ask(const char *req)
{
	int fd = dial();
	char *out;

	if (fd == -1)
		return (char *)"(no connection)";
	(void)!send(fd, req, strlen(req), MSG_NOSIGNAL);
	out = read_all(fd, T0);
	close(fd);
	return out;
}

static void
sockfile(void)
{
	struct ts_control_conf cc;
	struct ts_control_sock other;
	struct group *gr = getgrgid(getegid());
	struct stat st;
	char err[256];
	int fd;

	snprintf(dir, sizeof(dir), "/tmp/test_control.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/run/control", dir);
	ts_control_conf_default(&cc);
	ok(strcmp(cc.path, "/run/tcpsleuthd/control") == 0 && cc.group == NULL,
	    "the default socket: /run/tcpsleuthd/control, the process's group");
	cc.path = path;
	cc.group = "no-such-group-tcpsleuth";
	ok(ts_control_open(&cc, &cs, err, sizeof(err)) == -1 &&
	    strstr(err, "no such group") != NULL, "a group that does not "
	    "exist: %s", err);
	cc.group = gr != NULL ? gr->gr_name : NULL;
	ok(ts_control_open(&cc, &cs, err, sizeof(err)) == 0 && cs.fd != -1,
	    "made in a directory it makes (group %s)", cc.group ? cc.group :
	    "?");
	memset(&st, 0, sizeof(st));
	fd = stat(path, &st);
	ok(fd == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & 07777) == 0660 &&
	    st.st_gid == getegid(), "mode 0660, the group's (%o)",
	    (unsigned)(st.st_mode & 07777));
	ok(ts_control_open(&cc, &other, err, sizeof(err)) == -1 &&
	    strstr(err, "another tcpsleuthd answers") != NULL,
	    "a second daemon on it is refused: %s", err);
	ok(stat(path, &st) == 0, "... and the first one's socket is left");

	/* A stale socket (its daemon gone without removing it) is replaced. */
	snprintf(path, sizeof(path), "%s/stale", dir);
	{
		struct sockaddr_un sun = { .sun_family = AF_UNIX };

		memcpy(sun.sun_path, path, strlen(path));
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		(void)!bind(fd, (struct sockaddr *)&sun, sizeof(sun));
		close(fd);
	}
	ok(ts_control_open(&cc, &other, err, sizeof(err)) == 0,
	    "a stale socket is replaced");
	/* tcpsleuthd's capture process: the SNMP process serves it. */
	ts_control_release(&other);
	ok(other.fd == -1 && stat(path, &st) == 0 && S_ISSOCK(st.st_mode),
	    "releasing it closes the descriptor only: the file stays");
	ts_control_close(&other);
	ok(stat(path, &st) == -1 && errno == ENOENT,
	    "closing removes its socket file (released or not)");
	ts_control_close(&other);
	ok(other.fd == -1 && other.path[0] == '\0', "...once");
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	ok(ts_control_open(&cc, &other, err, sizeof(err)) == -1 &&
	    strstr(err, "is not a socket") != NULL, "a file that is not a "
	    "socket is left alone: %s", err);
	unlink(path);
	cc.path = NULL;
	ok(ts_control_open(&cc, &other, err, sizeof(err)) == 0 &&
	    other.fd == -1, "no path: no socket");
	snprintf(path, sizeof(path), "%s/run/control", dir);
}

static void
clients(void)
{
#define HEAD	"{\"protocol\":1,\"view\":\"endpoints\",\"json\":{"
	int idle[TS_CTL_CLIENTS], fd;
	char *out, big[2048];

	ctl = ts_control_new(cs.fd);
	out = ask(TS_CTL_MAGIC " show endpoints format=json\n");
	ok(strncmp(out, HEAD, strlen(HEAD)) == 0 &&
	    strstr(out, "\"127.0.0.1:7211\"") != NULL,
	    "a request: one JSON reply, then the socket closes");
	out = ask("hello\n");
	ok(strstr(out, "\"error\":\"not a request of protocol") != NULL,
	    "a bad request: an error reply (%.60s)", out);
	out = ask(TS_CTL_MAGIC " show\n");
	ok(strstr(out, "\"error\":\"show what?") != NULL,
	    "no view: an error reply");
	memset(big, 'x', sizeof(big));
	fd = dial();
	(void)!send(fd, big, sizeof(big), MSG_NOSIGNAL);
	out = read_all(fd, T0);
	close(fd);
	ok(strstr(out, "a request line of 512 bytes at most") != NULL,
	    "a line without end: an error reply after 512 bytes");
	fd = dial();
	(void)!send(fd, TS_CTL_MAGIC " show", 19, MSG_NOSIGNAL);
	shutdown(fd, SHUT_WR);
	out = read_all(fd, T0);
	close(fd);
	ok(strstr(out, "ended without a newline") != NULL,
	    "a request cut short: an error reply");

	/* Clients that say nothing: 8 at once, then one more is busy. */
	for (int i = 0; i < TS_CTL_CLIENTS; i++) {
		idle[i] = dial();
		serve(T0, 5);
	}
	fd = dial();
	out = read_all(fd, T0);
	close(fd);
	ok(strstr(out, "busy") != NULL, "%d silent clients, one more: "
	    "\"busy\"", TS_CTL_CLIENTS);
	serve(T0 + TS_CTL_TIMEOUT - 1, 0);
	ok(recv(idle[0], big, sizeof(big), MSG_DONTWAIT) == -1 &&
	    errno == EAGAIN, "... still held just before their time");
	serve(T0 + TS_CTL_TIMEOUT + SEC, 0);
	out = read_all(idle[0], T0 + TS_CTL_TIMEOUT + SEC);
	ok(strstr(out, "no request line within the time allowed") != NULL,
	    "... then told why and dropped");
	for (int i = 0; i < TS_CTL_CLIENTS; i++)
		close(idle[i]);
	out = ask(TS_CTL_MAGIC " show capture\n");
	ok(strstr(out, "capture: running on any") != NULL,
	    "... and the next one is served");
	ts_control_free(ctl);
	ts_control_close(&cs);
}

int
main(void)
{
	char cmd[128];

	fixture();
	protocol();
	capbuf();
	views();
	sockfile();
	if (cs.fd != -1)
		clients();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	(void)!system(cmd);
	return tap_done();
}
