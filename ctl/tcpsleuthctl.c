/*
 * tcpsleuthctl - read the running tcpsleuthd through its control socket
 * (tcpsleuthctl(8)), as lldpcli reads lldpd and relayctl relayd: one
 * request line (src/ctlproto.h), one JSON document back, printed as the
 * text the daemon fitted to this terminal or as the view's JSON.  No SNMP.
 *
 * Exit status: 0 shown; 1 tcpsleuthd answered with an error, or with what
 * is not a reply; 2 bad usage; 3 no tcpsleuthd answers at the socket;
 * 4 permission denied (not in the socket's group).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "clock.h"
#include "ctlproto.h"
#include "optparse.h"
#include "term.h"

enum { EX_SHOWN, EX_ANSWER, EX_USAGE, EX_NODAEMON, EX_DENIED };

/* A reply is at most this (tcpsleuthd's cap, and room for the envelope). */
#define REPLY_MAX	((size_t)65 << 20)

static __attribute__((noreturn)) void
usage(int status)
{
	FILE *fp = status ? stderr : stdout;

	fprintf(fp, "usage: tcpsleuthctl [-j] [-n rows] [-s socket] "
	    "[-t seconds] [-w width]\n"
	    "                    [--sort key] show VIEW\n");
	if (status) {
		fprintf(fp, "tcpsleuthctl -h lists the options and views\n");
		exit(status);
	}
	fprintf(fp,
"  -j, --json          the view as JSON (tcpsleuth --json's shapes)\n"
"  -n, --top N         rows to show, 0 for all (default %d; JSON: all)\n"
"  -s, --socket PATH   tcpsleuthd's control socket\n"
"                      (default " TS_CTL_SOCKET ")\n"
"  -t, --timeout S     give up after S seconds (default 10)\n"
"  -w, --width N       text columns to fit, 0 for all (default: the\n"
"                      terminal's)\n"
"      --sort KEY      endpoints by count, rate, last or name (default count)\n"
"  -V, --version       print the version\n"
"  -h, --help          print this\n"
"Views (a prefix will do):\n", TS_REPORT_TOP);
	for (int v = 0; v < TS_VIEW__COUNT; v++)
		fprintf(fp, "  %-10s  %s\n", ts_ctl_view_name(v),
		    ts_ctl_view_help(v));
	exit(status);
}

static __attribute__((noreturn, format(printf, 2, 3))) void
die(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("tcpsleuthctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

/* Why connect() failed, for a person; exits. */
static __attribute__((noreturn)) void
no_daemon(const char *path, int err)
{
	struct stat st;
	struct group *gr;

	switch (err) {
	case ENOENT:
		die(EX_NODAEMON, "no tcpsleuthd at %s (no such socket): is it "
		    "running, with control-socket there?", path);
	case ECONNREFUSED:
		die(EX_NODAEMON, "no tcpsleuthd answers at %s (the socket of "
		    "one that stopped?)", path);
	case EACCES:
	case EPERM:
		if (stat(path, &st) == 0 && (gr = getgrgid(st.st_gid)) != NULL)
			die(EX_DENIED, "%s: permission denied: it is for root "
			    "and the members of group %s (tcpsleuthd's "
			    "control-group)", path, gr->gr_name);
		die(EX_DENIED, "%s: permission denied: it is for root and the "
		    "members of its group (tcpsleuthd's control-group)", path);
	case EAGAIN:
	case ETIMEDOUT:
		die(EX_NODAEMON, "tcpsleuthd at %s is busy: no answer in time",
		    path);
	default:
		die(EX_NODAEMON, "cannot reach tcpsleuthd at %s: %s", path,
		    strerror(err));
	}
}

static int
connect_to(const char *path, ts_ns timeout)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { (time_t)(timeout / TS_NS_PER_SEC),
	    (suseconds_t)(timeout % TS_NS_PER_SEC / 1000) };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		die(EX_USAGE, "%s: a socket path of %zu bytes at most", path,
		    sizeof(sun.sun_path) - 1);
	memcpy(sun.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		die(EX_NODAEMON, "socket: %s", strerror(errno));
	/* A connect to a full backlog waits this long too. */
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		no_daemon(path, errno);
	return fd;
}

/* Send line, read the whole reply until the daemon closes; exits on failure. */
static char *
exchange(int fd, const char *path, const char *line, ts_ns timeout,
    size_t *len)
{
	ts_ns until = ts_now_mono() + timeout;
	size_t size = 65536;
	char *buf = malloc(size);
	int send_err = 0;

	if (buf == NULL)
		die(EX_ANSWER, "out of memory");
	/* A daemon that refuses (busy) may close first: its answer says why. */
	if (send(fd, line, strlen(line), MSG_NOSIGNAL) != (ssize_t)strlen(line))
		send_err = errno;
	*len = 0;
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		ts_ns left = until - ts_now_mono();
		ssize_t r;

		if (left <= 0 || poll(&pfd, 1, (int)(left / 1000000) + 1) == 0)
			die(EX_NODAEMON, "tcpsleuthd at %s did not answer in "
			    "time", path);
		if (*len + 1 >= size) {
			if (size >= REPLY_MAX)
				die(EX_ANSWER, "tcpsleuthd's answer is over %zu "
				    "bytes", REPLY_MAX);
			size *= 2;
			if ((buf = realloc(buf, size)) == NULL)
				die(EX_ANSWER, "out of memory");
		}
		r = recv(fd, buf + *len, size - *len - 1, 0);
		if (r == -1 && errno == EINTR)
			continue;
		/* After its reply, a daemon may close with our bytes unread. */
		if (r == 0 || (r == -1 && errno == ECONNRESET && *len > 0))
			break;
		if (r == -1 && send_err == 0)
			die(EX_NODAEMON, "reading from tcpsleuthd at %s: %s",
			    path, strerror(errno));
		if (r == -1)
			break;
		*len += (size_t)r;
	}
	if (*len == 0 && send_err != 0)
		die(EX_NODAEMON, "cannot send to tcpsleuthd at %s: %s", path,
		    strerror(send_err));
	buf[*len] = '\0';
	return buf;
}

/* Print the reply's view; its error, or what is not a reply, exits. */
static void
print_reply(const char *buf, size_t len, int json)
{
	json_error_t jerr;
	json_t *o = json_loadb(buf, len, 0, &jerr), *v;
	const char *err;

	if (o == NULL || !json_is_object(o))
		die(EX_ANSWER, "tcpsleuthd's answer is not a JSON object (%s)",
		    o == NULL ? jerr.text : "another value");
	if (json_integer_value(json_object_get(o, "protocol")) !=
	    TS_CTL_VERSION)
		die(EX_ANSWER, "tcpsleuthd answers in another protocol than "
		    "%s: are tcpsleuthctl and tcpsleuthd of one version?",
		    TS_CTL_MAGIC);
	if ((err = json_string_value(json_object_get(o, "error"))) != NULL)
		die(EX_ANSWER, "tcpsleuthd: %s", err);
	if (json) {
		if ((v = json_object_get(o, "json")) == NULL)
			die(EX_ANSWER, "tcpsleuthd's answer holds no JSON view");
		json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
	} else {
		if ((v = json_object_get(o, "text")) == NULL ||
		    !json_is_string(v))
			die(EX_ANSWER, "tcpsleuthd's answer holds no text view");
		fwrite(json_string_value(v), 1, json_string_length(v), stdout);
	}
	json_decref(o);
	if (fflush(stdout) != 0 || ferror(stdout))
		die(EX_ANSWER, "cannot write the view: %s", strerror(errno));
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "top", required_argument, NULL, 'n' },
		{ "socket", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "width", required_argument, NULL, 'w' },
		{ "sort", required_argument, NULL, 'S' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = TS_CTL_SOCKET;
	struct ts_ctl_req req;
	ts_ns timeout = 10 * TS_NS_PER_SEC;
	int ch, json = 0, top_set = 0, width_set = 0, fd;
	unsigned top = 0, width = 0, lines;
	enum ts_sort sort = TS_SORT_COUNT;
	char line[TS_CTL_REQMAX + 1], err[256], *reply;
	size_t len;

	ts_opt_prog("tcpsleuthctl");
	while ((ch = getopt_long(argc, argv, "hjn:s:t:Vw:", lopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'j': json = 1; break;
		case 'n':
			top = (unsigned)ts_opt_num("--top", optarg, 0,
			    TS_CTL_TOPMAX);
			top_set = 1;
			break;
		case 's': path = optarg; break;
		case 't': timeout = ts_opt_secs("--timeout", optarg, 0.001); break;
		case 'w':
			width = (unsigned)ts_opt_num("--width", optarg, 0,
			    TS_CTL_WIDTHMAX);
			width_set = 1;
			break;
		case 'S':
			if (ts_sort_parse(optarg, &sort) == -1)
				ts_bad_option("--sort: \"%s\": give count, rate, "
				    "last or name", optarg);
			break;
		case 'V':
			printf("tcpsleuthctl %s\n", PACKAGE_VERSION);
			return 0;
		case 'h':
			usage(0);
		default:
			usage(EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage(EX_USAGE);
	if (argv[0][0] == '\0' || strncmp("show", argv[0], strlen(argv[0])) != 0)
		ts_bad_option("unknown command \"%s\": give show", argv[0]);
	if (argc != 2) {
		fprintf(stderr, "tcpsleuthctl: show what? give one view\n");
		usage(EX_USAGE);
	}
	ts_ctl_req_default(&req, json);
	if (ts_ctl_view_find(argv[1], &req.view, err, sizeof(err)) == -1)
		ts_bad_option("%s", err);
	if (top_set)
		req.top = top;
	req.sort = sort;
	if (!width_set)
		ts_term_size(STDOUT_FILENO, &width, &lines);
	req.width = width;
	if (ts_ctl_req_format(&req, line, sizeof(line)) == -1)
		die(EX_USAGE, "the request is too long");

	fd = connect_to(path, timeout);
	reply = exchange(fd, path, line, timeout, &len);
	close(fd);
	print_reply(reply, len, json);
	free(reply);
	return EX_SHOWN;
}
