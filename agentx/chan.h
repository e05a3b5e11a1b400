/*
 * chan.h - the socketpair between tcpsleuthd's two processes (a
 * SOCK_SEQPACKET pair: one message per send, and the end of the stream
 * when the other process is gone).  Each message is a type and, for some,
 * a body of the type's exact size; only a snapshot carries a descriptor.
 * What arrives is checked as untrusted input: a message of the wrong
 * size, a descriptor where none belongs or none where one does, is
 * refused (EBADMSG) and any descriptor that came with it closed.
 *
 *   capture -> SNMP   SNAPSHOT (a sealed memfd, snapfd.h), ALARMS (the
 *                     thresholds, at a reload), STOP (stop and exit 0)
 *   SNMP -> capture   READY (serving: the capture tells systemd), ACK (a
 *                     snapshot taken: the next may be sent)
 */
#ifndef TS_CHAN_H
#define TS_CHAN_H

#include <stddef.h>
#include <stdint.h>

#include "alarm.h"

enum ts_chan_type {
	TS_CH_SNAPSHOT = 1,
	TS_CH_ALARMS,
	TS_CH_STOP,
	TS_CH_READY,
	TS_CH_ACK,
};

struct ts_chan_msg {
	uint32_t	type;		/* enum ts_chan_type */
	uint32_t	zero;
	union {
		struct ts_alarm_conf	alarms;		/* TS_CH_ALARMS */
	} u;
};

/* Send a message (fd: the descriptor to pass, or -1); -1 with errno. */
int	ts_chan_send(int sock, enum ts_chan_type, const void *body, size_t len,
	    int fd);
/*
 * Receive one message (non-blocking if the socket is): 1 with *m filled
 * and *fd the descriptor it carried (or -1), 0 at the end of the stream,
 * -1 with errno (EAGAIN: nothing yet; EBADMSG: a message refused).
 */
int	ts_chan_recv(int sock, struct ts_chan_msg *m, int *fd);
/* The thresholds are in range (the SNMP process checks what it is sent). */
int	ts_chan_alarms_ok(const struct ts_alarm_conf *);

#endif
