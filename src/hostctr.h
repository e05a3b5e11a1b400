/*
 * hostctr.h - the kernel's TCP counters, from /proc/net/snmp (Tcp) and
 * /proc/net/netstat (TcpExt), found by their header names, never by
 * position.  A counter this kernel does not have is marked absent, not 0.
 * The /proc root is a parameter, so tests can give a fake one.
 */
#ifndef TS_HOSTCTR_H
#define TS_HOSTCTR_H

#include <stdint.h>

/* id, section, kernel name */
#define TS_HOSTCTRS(X)							\
	X(ACTIVE_OPENS,		"Tcp",    "ActiveOpens")		\
	X(PASSIVE_OPENS,	"Tcp",    "PassiveOpens")		\
	X(ATTEMPT_FAILS,	"Tcp",    "AttemptFails")		\
	X(ESTAB_RESETS,		"Tcp",    "EstabResets")		\
	X(IN_ERRS,		"Tcp",    "InErrs")			\
	X(OUT_RSTS,		"Tcp",    "OutRsts")			\
	X(RETRANS_SEGS,		"Tcp",    "RetransSegs")		\
	X(IN_CSUM_ERRORS,	"Tcp",    "InCsumErrors")		\
	X(LISTEN_OVERFLOWS,	"TcpExt", "ListenOverflows")		\
	X(LISTEN_DROPS,		"TcpExt", "ListenDrops")		\
	X(ABORT_ON_DATA,	"TcpExt", "TCPAbortOnData")		\
	X(ABORT_ON_CLOSE,	"TcpExt", "TCPAbortOnClose")		\
	X(ABORT_ON_MEMORY,	"TcpExt", "TCPAbortOnMemory")		\
	X(ABORT_ON_TIMEOUT,	"TcpExt", "TCPAbortOnTimeout")		\
	X(ABORT_ON_LINGER,	"TcpExt", "TCPAbortOnLinger")		\
	X(ABORT_FAILED,		"TcpExt", "TCPAbortFailed")		\
	X(REQQ_FULL_DROP,	"TcpExt", "TCPReqQFullDrop")		\
	X(SYNCOOKIES_SENT,	"TcpExt", "SyncookiesSent")		\
	X(SYNCOOKIES_RECV,	"TcpExt", "SyncookiesRecv")		\
	X(SYNCOOKIES_FAILED,	"TcpExt", "SyncookiesFailed")		\
	X(EMBRYONIC_RSTS,	"TcpExt", "EmbryonicRsts")		\
	X(SYN_CHALLENGE,	"TcpExt", "TCPSYNChallenge")		\
	X(CHALLENGE_ACK,	"TcpExt", "TCPChallengeACK")		\
	X(BACKLOG_DROP,		"TcpExt", "TCPBacklogDrop")		\
	X(SYN_RETRANS,		"TcpExt", "TCPSynRetrans")

#define X(id, sec, name) TS_HC_##id,
enum ts_hc { TS_HOSTCTRS(X) TS_HC__COUNT };
#undef X

struct ts_hostctr {
	uint64_t	v[TS_HC__COUNT];
	uint8_t		present[TS_HC__COUNT];
};

/*
 * Read both files under procroot ("/proc").  Returns 0, or -1 with a
 * reason in err when neither file gave a Tcp or TcpExt section; a file
 * that is missing or laid out unexpectedly leaves its counters absent.
 */
int		 ts_hostctr_read(struct ts_hostctr *, const char *procroot,
		    char *err, size_t errlen);
const char	*ts_hostctr_name(enum ts_hc);

#endif
