/*
 * control.h - tcpsleuthd's control socket, which tcpsleuthctl(8) reads
 * the running daemon through (src/ctlproto.h says what is said on it).
 * The socket is made before privileges are dropped (its group and mode:
 * who may connect); the SNMP side's loop then serves it through
 * ts_control_fds() and ts_control_io(), never waiting on a client.  No
 * net-snmp here.
 */
#ifndef TS_CONTROL_H
#define TS_CONTROL_H

#include <poll.h>
#include <sys/types.h>

#include "pkt.h"
#include "views.h"

struct ts_control_conf {
	const char	*path;		/* control-socket; NULL: none */
	const char	*group;		/* control-group; NULL: the process's */
};

#define TS_CTL_CLIENTS	8		/* at once; one more is told "busy" */
#define TS_CTL_TIMEOUT	(5 * TS_NS_PER_SEC)	/* a client's whole turn */
#define TS_CTL_REPLYMAX	((size_t)64 << 20)	/* bytes of one reply */
#define TS_CTL_MAXFDS	(TS_CTL_CLIENTS + 1)

void	ts_control_conf_default(struct ts_control_conf *);

/* The listening socket, made by ts_control_open(). */
struct ts_control_sock {
	int		 fd;		/* -1: none */
	char		 path[108];
	dev_t		 dev;		/* the socket file's, to unlink it only */
	ino_t		 ino;		/* while it is still ours */
};

/*
 * Make the socket at conf->path: its directory made if missing (0755),
 * a stale socket replaced, mode 0660 and conf->group's group.  Returns 0
 * (s->fd -1 when conf->path is NULL), or -1 with why in err (another
 * tcpsleuthd answers there, no such group, cannot bind...).
 */
int	ts_control_open(const struct ts_control_conf *, struct ts_control_sock *,
	    char *err, size_t errlen);
/* Close it, and remove the file if it is still the one made. */
void	ts_control_close(struct ts_control_sock *);

/* Serving: clients on the listening socket fd (not owned). */
struct ts_control;
struct ts_control *ts_control_new(int fd);
void	ts_control_free(struct ts_control *);
/*
 * What to wait for: up to TS_CTL_MAXFDS descriptors with POLLIN and/or
 * POLLOUT; *deadline: the earliest (monotonic) time a client must be
 * dropped by, 0 for none.  Returns how many.
 */
int	ts_control_fds(struct ts_control *, struct pollfd *, int max,
	    ts_ns *deadline);
/*
 * After the wait: pfd as ts_control_fds() made it, revents set.  Accepts,
 * reads, answers from d and writes without blocking; drops clients past
 * their time.
 */
void	ts_control_io(struct ts_control *, const struct pollfd *, int n,
	    ts_ns now, const struct ts_view_data *d);

#endif
