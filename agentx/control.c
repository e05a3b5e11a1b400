/*
 * control.c - tcpsleuthd's control socket (see control.h).  Bounded in
 * every way, so that no client can hold up the loop it is served from
 * (the SNMP side's): the sockets are non-blocking; a client has a buffer
 * of TS_CTL_REQMAX bytes for its request line and gets one reply, made
 * at once from the snapshot the loop holds and at most TS_CTL_REPLYMAX
 * bytes, written as the client reads it, one view made per turn of the
 * loop; TS_CTL_CLIENTS at once, one more is told "busy" and closed; each
 * is dropped TS_CTL_TIMEOUT after it connected, whatever it was doing.  Permission is the socket file's:
 * mode 0660, owned by the configured group.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capbuf.h"
#include "control.h"
#include "ctlproto.h"
#include "log.h"

void
ts_control_conf_default(struct ts_control_conf *c)
{
	c->path = TS_CTL_SOCKET;
	c->group = NULL;
}

static int
sun_of(const char *path, struct sockaddr_un *sun, char *err, size_t errlen)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		snprintf(err, errlen, "%s: a path of %zu bytes at most", path,
		    sizeof(sun->sun_path) - 1);
		return -1;
	}
	memcpy(sun->sun_path, path, strlen(path));
	return 0;
}

/* The directory of path, made if it is missing (only it: not its parents). */
static int
make_dir(const char *path, char *err, size_t errlen)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) == 0 || errno == EEXIST)
		return 0;
	snprintf(err, errlen, "cannot make %s: %s", dir, strerror(errno));
	return -1;
}

/*
 * What is at path already: nothing, or a socket nobody answers on (left
 * by a tcpsleuthd that died), which goes.  Anything else is an error.
 */
static int
clear_path(const char *path, const struct sockaddr_un *sun, char *err,
    size_t errlen)
{
	struct stat st;
	int fd, r;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	r = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (r == 0 || errno == EAGAIN) {	/* EAGAIN: its backlog is full */
		snprintf(err, errlen, "another tcpsleuthd answers at %s (set "
		    "control-socket to another path, or \"\" for none)", path);
		return -1;
	}
	if (unlink(path) == -1 && errno != ENOENT) {
		snprintf(err, errlen, "cannot remove the stale %s: %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
ts_control_open(const struct ts_control_conf *conf, struct ts_control_sock *s,
    char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct group *gr = NULL;
	struct stat st;
	mode_t old;
	int r;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	if (conf->path == NULL)
		return 0;
	if (sun_of(conf->path, &sun, err, errlen) == -1)
		return -1;
	if (conf->group != NULL && (gr = getgrnam(conf->group)) == NULL) {
		snprintf(err, errlen, "control-group \"%s\": no such group",
		    conf->group);
		return -1;
	}
	if (make_dir(conf->path, err, errlen) == -1 ||
	    clear_path(conf->path, &sun, err, errlen) == -1)
		return -1;
	if ((s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	old = umask(0177);	/* born 0600: no one else until chmod */
	r = bind(s->fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (r == -1) {
		snprintf(err, errlen, "cannot bind %s: %s", conf->path,
		    strerror(errno));
		goto fail;
	}
	if (gr != NULL && chown(conf->path, (uid_t)-1, gr->gr_gid) == -1) {
		snprintf(err, errlen, "cannot give %s to group %s: %s",
		    conf->path, conf->group, strerror(errno));
		unlink(conf->path);
		goto fail;
	}
	if (chmod(conf->path, 0660) == -1 || listen(s->fd, 16) == -1 ||
	    stat(conf->path, &st) == -1) {
		snprintf(err, errlen, "%s: %s", conf->path, strerror(errno));
		unlink(conf->path);
		goto fail;
	}
	snprintf(s->path, sizeof(s->path), "%s", conf->path);
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	return 0;
fail:
	close(s->fd);
	s->fd = -1;
	return -1;
}

void
ts_control_close(struct ts_control_sock *s)
{
	struct stat st;

	if (s->fd == -1)
		return;
	close(s->fd);
	s->fd = -1;
	/* Only ours: a tcpsleuthd started since may have replaced it. */
	if (stat(s->path, &st) == 0 && st.st_dev == s->dev &&
	    st.st_ino == s->ino)
		(void)unlink(s->path);
}

/* ------------------------------------------------------------ serving */

struct client {
	int	 fd;		/* -1: a free slot */
	ts_ns	 deadline;
	size_t	 inlen;
	char	 in[TS_CTL_REQMAX];
	char	*out;		/* the reply; NULL while reading */
	size_t	 outlen, outoff;
};

struct ts_control {
	int		lfd;
	ts_ns		paused_until;	/* out of descriptors: accept later */
	struct client	c[TS_CTL_CLIENTS];
};

struct ts_control *
ts_control_new(int fd)
{
	struct ts_control *ctl = calloc(1, sizeof(*ctl));

	if (ctl == NULL)
		return NULL;
	ctl->lfd = fd;
	for (int i = 0; i < TS_CTL_CLIENTS; i++)
		ctl->c[i].fd = -1;
	return ctl;
}

static void
drop(struct client *c)
{
	if (c->fd != -1)
		close(c->fd);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

void
ts_control_free(struct ts_control *ctl)
{
	if (ctl == NULL)
		return;
	for (int i = 0; i < TS_CTL_CLIENTS; i++)
		drop(&ctl->c[i]);
	free(ctl);
}

int
ts_control_fds(struct ts_control *ctl, struct pollfd *pfd, int max,
    ts_ns *deadline)
{
	int n = 0;

	*deadline = ctl->paused_until;
	if (ctl->paused_until == 0 && n < max)
		pfd[n++] = (struct pollfd){ ctl->lfd, POLLIN, 0 };
	for (int i = 0; i < TS_CTL_CLIENTS && n < max; i++) {
		struct client *c = &ctl->c[i];

		if (c->fd == -1)
			continue;
		pfd[n++] = (struct pollfd){ c->fd, c->out ? POLLOUT : POLLIN,
		    0 };
		if (*deadline == 0 || c->deadline < *deadline)
			*deadline = c->deadline;
	}
	return n;
}

/* Write what the socket takes now; the whole reply written: drop it. */
static void
flush_out(struct client *c)
{
	while (c->outoff < c->outlen) {
		ssize_t w = send(c->fd, c->out + c->outoff,
		    c->outlen - c->outoff, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (w == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (w <= 0)
			break;		/* gone */
		c->outoff += (size_t)w;
	}
	drop(c);
}

/* Take a finished reply from cb; an incomplete one becomes msg. */
static void
set_reply(struct client *c, struct ts_capbuf *cb, FILE *fp, const char *msg)
{
	if (ts_capbuf_close(fp, cb) == -1) {
		free(cb->buf);
		if ((fp = ts_capbuf_open(cb, TS_CTL_REPLYMAX)) == NULL) {
			drop(c);
			return;
		}
		ts_view_error(fp, msg);
		if (ts_capbuf_close(fp, cb) == -1) {
			free(cb->buf);
			drop(c);
			return;
		}
	}
	c->out = cb->buf;
	c->outlen = cb->len;
	c->outoff = 0;
	flush_out(c);
}

static void
reply_error(struct client *c, const char *msg)
{
	struct ts_capbuf cb;
	FILE *fp = ts_capbuf_open(&cb, TS_CTL_REPLYMAX);

	if (fp == NULL) {
		drop(c);
		return;
	}
	ts_view_error(fp, msg);
	set_reply(c, &cb, fp, msg);
}

/* An error reply sent at once, if the socket takes it, to a client dropped. */
static void
send_error_now(int fd, const char *msg)
{
	char buf[256];
	FILE *fp = fmemopen(buf, sizeof(buf), "w");
	long len;

	if (fp == NULL)
		return;
	ts_view_error(fp, msg);
	len = ftell(fp);
	if (fclose(fp) == 0 && len > 0 && (size_t)len < sizeof(buf))
		(void)!send(fd, buf, (size_t)len, MSG_DONTWAIT | MSG_NOSIGNAL);
}

/* Who asked, for the log. */
static long
peer_uid(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1)
		return -1;
	return (long)cr.uid;
}

/* Returns 1 if it made a view (not only an error). */
static int
answer(struct client *c, const char *line, const struct ts_view_data *d)
{
	struct ts_ctl_req req;
	struct ts_capbuf cb;
	char err[256], over[96];
	FILE *fp;

	if (ts_ctl_req_parse(line, &req, err, sizeof(err)) == -1) {
		log_debug("control: uid %ld: bad request: %s", peer_uid(c->fd),
		    err);
		reply_error(c, err);
		return 0;
	}
	log_debug("control: uid %ld: show %s", peer_uid(c->fd),
	    ts_ctl_view_name(req.view));
	if ((fp = ts_capbuf_open(&cb, TS_CTL_REPLYMAX)) == NULL) {
		drop(c);
		return 0;
	}
	if (ts_view_reply(fp, &req, d, TS_CTL_REPLYMAX, err,
	    sizeof(err)) == -1) {
		fclose(fp);	/* what it holds goes */
		free(cb.buf);
		reply_error(c, err);
		return 1;
	}
	snprintf(over, sizeof(over), "the reply is over %zu bytes: ask for "
	    "fewer rows (top)", TS_CTL_REPLYMAX);
	set_reply(c, &cb, fp, over);
	return 1;
}

/* Returns 1 if it made a view. */
static int
read_in(struct client *c, const struct ts_view_data *d)
{
	ssize_t r = recv(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen,
	    MSG_DONTWAIT);
	char *nl;

	if (r == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (r <= 0) {
		if (r == 0 && c->inlen > 0)	/* its side closed mid-line */
			reply_error(c, "the request ended without a newline");
		else
			drop(c);
		return 0;
	}
	c->inlen += (size_t)r;
	if ((nl = memchr(c->in, '\n', c->inlen)) != NULL) {
		*nl = '\0';	/* what follows is not read */
		return answer(c, c->in, d);
	}
	if (c->inlen == sizeof(c->in)) {
		char msg[64];

		snprintf(msg, sizeof(msg), "a request line of %d bytes at most",
		    TS_CTL_REQMAX);
		reply_error(c, msg);
	}
	return 0;
}

/* Take the clients waiting, up to the room there is (one more: "busy"). */
static void
accept_new(struct ts_control *ctl, ts_ns now)
{
	for (int k = 0; k < 2 * TS_CTL_CLIENTS; k++) {
		struct client *c = NULL;
		int fd = accept4(ctl->lfd, NULL, NULL, SOCK_NONBLOCK |
		    SOCK_CLOEXEC);

		if (fd == -1) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				log_warn("control: accept (waiting 1 s)");
				ctl->paused_until = now + TS_NS_PER_SEC;
			}
			return;
		}
		for (int i = 0; i < TS_CTL_CLIENTS && c == NULL; i++)
			if (ctl->c[i].fd == -1)
				c = &ctl->c[i];
		if (c == NULL) {
			send_error_now(fd, "busy: too many tcpsleuthctl at "
			    "once; try again");
			close(fd);
			continue;
		}
		c->fd = fd;
		c->deadline = now + TS_CTL_TIMEOUT;
	}
}

void
ts_control_io(struct ts_control *ctl, const struct pollfd *pfd, int n,
    ts_ns now, const struct ts_view_data *d)
{
	int listening = 0, made = 0;

	/*
	 * The clients first: a descriptor freed here is not looked up again.
	 * One view made a turn at most (its cost grows with the table), so
	 * the SNMP requests of the next turn come before the next one.
	 */
	for (int k = 0; k < n; k++) {
		if (pfd[k].fd == ctl->lfd) {
			listening = pfd[k].revents != 0;
			continue;
		}
		for (int i = 0; i < TS_CTL_CLIENTS; i++) {
			struct client *c = &ctl->c[i];

			if (c->fd != pfd[k].fd || pfd[k].revents == 0)
				continue;
			if (c->out != NULL)
				flush_out(c);
			else if (!made)
				made = read_in(c, d);
			break;
		}
	}
	for (int i = 0; i < TS_CTL_CLIENTS; i++) {
		struct client *c = &ctl->c[i];

		if (c->fd == -1 || now < c->deadline)
			continue;
		if (c->out == NULL)	/* a word, if it listens */
			send_error_now(c->fd, "no request line within the "
			    "time allowed");
		drop(c);
	}
	if (ctl->paused_until != 0 && now >= ctl->paused_until)
		ctl->paused_until = 0;
	if (listening)
		accept_new(ctl, now);
}
