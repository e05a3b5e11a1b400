/*
 * test_sandbox.c - the SNMP process's confinement (agentx/sandbox.c,
 * agentx/seccomp.c), one row of the privilege table at a time, in forked
 * children confined exactly as tcpsleuthd confines its SNMP process:
 * /proc/PID/status shows no capability in any set, no_new_privs, seccomp
 * filter mode and nobody's uid, and /proc/PID/root is another root; it
 * cannot read /etc/shadow (not in its root), open a raw or packet socket,
 * write outside what it keeps read-write, run a program, ptrace, make
 * executable memory, signal another process, push into a terminal,
 * mount, make namespaces or fork; it can do what serving needs (serving
 * tcpsleuthctl's control socket, made before, among it).  Both
 * ways of making the root: with CAP_SYS_ADMIN (root's start) and, without
 * any capability, in a user namespace.  Needs root.
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "privs.h"
#include "sandbox.h"
#include "seccomp.h"
#include "tap.h"

#define NOBODY	65534

static char rwdir[64], rodir[64];

/* Confine this (child) process as tcpsleuthd does; exit 100 if it cannot. */
static void
confine(int with_caps)
{
	struct ts_sandbox sb;
	char why[512];

	if (with_caps) {	/* nobody, CAP_SYS_ADMIN permitted: a root start */
		if (ts_privs_set((uint64_t)1 << CAP_SYS_ADMIN, 0, NOBODY, NOBODY,
		    why, sizeof(why)) == -1)
			_exit(100);
	} else if (ts_privs_set(0, 0, NOBODY, NOBODY, why, sizeof(why)) == -1)
		_exit(100);		/* nobody with nothing at all */
	memset(&sb, 0, sizeof(sb));
	ts_sandbox_keep(&sb, rwdir, 1);
	ts_sandbox_keep(&sb, rodir, 0);
	ts_sandbox_keep(&sb, "/proc/net", 0);
	if (ts_sandbox_enter(&sb, why, sizeof(why)) != 0) {
		fprintf(stderr, "sandbox: %s\n", why);
		_exit(100);
	}
}

/* An action's outcome: 0, an errno, or -SIG when it was killed. */
static int
outcome(int with_caps, int (*act)(void))
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int e;

		confine(with_caps);
		errno = 0;
		e = act();
		_exit(e);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 255;
	if (WIFSIGNALED(st))
		return -WTERMSIG(st);
	return WEXITSTATUS(st);
}

static int res(int r) { return r == -1 ? errno : 0; }
static int a_shadow(void) { return res(open("/etc/shadow", O_RDONLY)); }
static int a_raw(void) { return res(socket(AF_INET, SOCK_RAW, IPPROTO_TCP)); }
static int a_packet(void) { return res(socket(AF_PACKET, SOCK_RAW, 0)); }
static int a_netlink(void) { return res(socket(AF_NETLINK, SOCK_RAW, 0)); }
static int a_unix(void) { return res(socket(AF_UNIX, SOCK_STREAM, 0)); }
static int a_udp(void) { return res(socket(AF_INET6, SOCK_DGRAM, 0)); }
static int a_exec(void) { return res(execl("/bin/true", "true", (char *)NULL)); }
static int a_ptrace(void) { return res((int)ptrace(PTRACE_TRACEME, 0, NULL, NULL)); }
static int a_fork(void) { pid_t p = fork(); if (p == 0) _exit(0); return p == -1 ? errno : 0; }
static int a_kill_parent(void) { return res(kill(getppid(), 0)); }
static int a_kill_self(void) { return res(kill(getpid(), 0)); }
static int a_mount(void) { return res(mount("none", "/", "tmpfs", 0, NULL)); }
static int a_unshare(void) { return res(unshare(CLONE_NEWUSER)); }
static int a_setuid(void) { return res(setuid(0)); }
static int a_prctl(void) { return res(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)); }
static int a_bpf(void) { return res((int)syscall(SYS_bpf, 0, NULL, 0)); }

static int
a_tiocsti(void)
{
	char c = 'x';

	return res(ioctl(0, TIOCSTI, &c));
}

static int
a_mmap_exec(void)
{
	return mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0) == MAP_FAILED ? errno : 0;
}

static int
a_mprotect_exec(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? errno : res(mprotect(p, 4096, PROT_READ | PROT_EXEC));
}

static int
a_write_rw(void)
{
	char p[128];
	int fd;

	snprintf(p, sizeof(p), "%s/state", rwdir);
	if ((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		return errno;
	if (write(fd, "x", 1) != 1)
		return errno;
	close(fd);
	return res(rename(p, p));
}

static int
a_write_ro(void)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/x", rodir);
	return res(open(p, O_WRONLY | O_CREAT, 0600));
}

static int a_mkdir_root(void) { return res(mkdir("/new", 0755)); }

static int
a_read_ro(void)
{
	char p[128], buf[8];
	int fd;

	snprintf(p, sizeof(p), "%s/hello", rodir);
	if ((fd = open(p, O_RDONLY)) == -1)
		return errno;
	return read(fd, buf, sizeof(buf)) == 5 ? 0 : EIO;
}

static int
a_proc_net(void)
{
	char buf[64];
	int fd = open("/proc/net/snmp", O_RDONLY);

	if (fd == -1)
		return errno;
	return read(fd, buf, sizeof(buf)) > 0 ? 0 : EIO;
}

static int a_proc_self(void) { return res(open("/proc/self/status", O_RDONLY)); }

/*
 * tcpsleuthctl's control socket: made before the process is confined (its
 * file is not in the root), served after through the descriptor: accept a
 * client, read its request, see who it is, answer.
 */
static int ctl_lfd = -1;

static int
a_serve(void)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);
	char buf[64];
	ssize_t n;
	int fd = accept4(ctl_lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd == -1)
		return errno;
	if ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) != 5 ||
	    memcmp(buf, "show\n", 5) != 0)
		return n == -1 ? errno : EIO;
	/* (Its uid: 0, or in a user namespace the overflow uid.) */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1)
		return errno;
	if (send(fd, "reply\n", 6, MSG_DONTWAIT | MSG_NOSIGNAL) != 6)
		return errno;
	return res(close(fd));
}

static void
test_control(int with_caps)
{
	const char *how = with_caps ? "root start" : "user namespace";
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char buf[16] = "";
	int cfd, got;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/control", rodir);
	unlink(sun.sun_path);
	ctl_lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ctl_lfd == -1 || cfd == -1 ||
	    bind(ctl_lfd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(ctl_lfd, 4) == -1 ||
	    connect(cfd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    send(cfd, "show\n", 5, MSG_NOSIGNAL) != 5) {
		ok(0, "%s: a control socket and a client: %s", how,
		    strerror(errno));
		return;
	}
	got = outcome(with_caps, a_serve);
	if (!ok(got == 0, "%s: serves a control socket made before it was "
	    "confined (accept4, recv, SO_PEERCRED, send)", how))
		printf("#   got %d (%s)\n", got, got > 0 ? strerror(got) :
		    got < 0 ? strsignal(-got) : "ok");
	/* The child has ended: its reply is there, or none will come. */
	ok(recv(cfd, buf, sizeof(buf) - 1, MSG_DONTWAIT) == 6 &&
	    strcmp(buf, "reply\n") == 0, "%s: ...its client has the reply",
	    how);
	close(cfd);
	close(ctl_lfd);
	ctl_lfd = -1;
	unlink(sun.sun_path);
}

/* A child confined, waiting: its /proc/PID/status and root, as seen from here. */
static void
test_status(int with_caps)
{
	const char *how = with_caps ? "with CAP_SYS_ADMIN" : "in a user namespace";
	int go[2];
	pid_t pid;
	char path[64], line[256];
	struct stat r, me;
	FILE *fp;
	int nnp = -1, sc = -1, n = 0, entries = 0;
	unsigned long long caps[5] = { 1, 1, 1, 1, 1 };
	unsigned uid = 0;

	if (pipe(go) == -1)
		return;
	if ((pid = fork()) == 0) {
		char c;

		close(go[1]);
		confine(with_caps);
		(void)!read(go[0], &c, 1);
		_exit(0);
	}
	close(go[0]);
	/* Confined once its root is not ours (poll: it takes a moment). */
	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	for (int i = 0; i < 500; i++) {
		fp = fopen(path, "r");
		sc = -1;
		while (fp != NULL && fgets(line, sizeof(line), fp) != NULL)
			if (sscanf(line, "Seccomp: %d", &sc) == 1)
				break;
		if (fp != NULL)
			fclose(fp);
		if (sc == 2)
			break;
		usleep(10000);
	}
	if ((fp = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL) {
			n += sscanf(line, "CapInh: %llx", &caps[0]);
			n += sscanf(line, "CapPrm: %llx", &caps[1]);
			n += sscanf(line, "CapEff: %llx", &caps[2]);
			n += sscanf(line, "CapBnd: %llx", &caps[3]);
			n += sscanf(line, "CapAmb: %llx", &caps[4]);
			n += sscanf(line, "NoNewPrivs: %d", &nnp);
			n += sscanf(line, "Seccomp: %d", &sc);
			n += sscanf(line, "Uid: %u", &uid);
		}
		fclose(fp);
	}
	ok(n == 8, "%s: /proc/PID/status read", how);
	ok(caps[0] == 0 && caps[1] == 0 && caps[2] == 0 && caps[3] == 0 &&
	    caps[4] == 0, "%s: CapInh, CapPrm, CapEff, CapBnd, CapAmb all 0 "
	    "(%llx %llx %llx %llx %llx)", how, caps[0], caps[1], caps[2],
	    caps[3], caps[4]);
	ok(nnp == 1, "%s: NoNewPrivs 1", how);
	ok(sc == 2, "%s: Seccomp 2 (a filter)", how);
	is_u(uid, NOBODY, "%s: uid nobody", how);
	snprintf(path, sizeof(path), "/proc/%ld/root", (long)pid);
	ok(stat(path, &r) == 0 && stat("/", &me) == 0 &&
	    (r.st_dev != me.st_dev || r.st_ino != me.st_ino),
	    "%s: its root is not /", how);
	{
		DIR *d = opendir(path);
		struct dirent *e;
		char names[256] = "";
		size_t len = 0;

		while (d != NULL && (e = readdir(d)) != NULL)
			if (e->d_name[0] != '.') {
				entries++;
				if (len < sizeof(names))
					len += (size_t)snprintf(names + len,
					    sizeof(names) - len, "%s ", e->d_name);
			}
		if (d != NULL)
			closedir(d);
		ok(entries == 2, "%s: its root holds only what it keeps: %s",
		    how, names);
	}
	close(go[1]);
	waitpid(pid, NULL, 0);
}

static void
rows(int with_caps)
{
	const char *how = with_caps ? "root start" : "user namespace";
	static const struct {
		int	(*act)(void);
		int	 want;		/* errno, 0, or -SIGSYS */
		const char *what;
	} t[] = {
		{ a_shadow, ENOENT, "cannot read /etc/shadow (not in its root)" },
		{ a_raw, EPERM, "cannot open a raw socket (no CAP_NET_RAW)" },
		{ a_packet, EAFNOSUPPORT, "cannot open a packet socket (filter: EAFNOSUPPORT)" },
		{ a_netlink, EAFNOSUPPORT, "cannot open a netlink socket (filter)" },
		{ a_unix, 0, "opens a unix socket (AgentX, syslog)" },
		{ a_udp, 0, "opens a UDP socket (notifications)" },
		{ a_exec, -SIGSYS, "cannot run a program (killed, SIGSYS)" },
		{ a_ptrace, -SIGSYS, "cannot ptrace (killed)" },
		{ a_fork, -SIGSYS, "cannot fork (killed)" },
		{ a_kill_parent, -SIGSYS, "cannot signal another process (killed)" },
		{ a_kill_self, 0, "signals itself" },
		{ a_mount, -SIGSYS, "cannot mount (killed)" },
		{ a_unshare, -SIGSYS, "cannot make namespaces (killed)" },
		{ a_setuid, -SIGSYS, "cannot change its uid (killed)" },
		{ a_prctl, -SIGSYS, "cannot prctl, e.g. become dumpable (killed)" },
		{ a_bpf, -SIGSYS, "cannot bpf (killed)" },
		{ a_mmap_exec, -SIGSYS, "cannot map executable memory (killed)" },
		{ a_mprotect_exec, -SIGSYS, "cannot make memory executable (killed)" },
		{ a_tiocsti, ENOTTY, "cannot push input into a terminal (TIOCSTI: ENOTTY)" },
		{ a_write_rw, 0, "writes and renames in what it keeps read-write (the state directory)" },
		{ a_write_ro, EROFS, "cannot write in what it keeps read-only (the AgentX socket's directory)" },
		{ a_read_ro, 0, "reads what it keeps read-only" },
		{ a_mkdir_root, EROFS, "cannot write in its root" },
		{ a_proc_net, 0, "reads /proc/net/snmp (the host counters)" },
		{ a_proc_self, ENOENT, "sees no other /proc" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int got = outcome(with_caps, t[i].act);

		if (!ok(got == t[i].want, "%s: %s", how, t[i].what))
			printf("#   got %d (%s), want %d\n", got, got > 0 ?
			    strerror(got) : got < 0 ? strsignal(-got) : "ok",
			    t[i].want);
	}
}

int
main(void)
{
	char p[128];
	FILE *fp;

	if (geteuid() != 0)
		return tap_skip_all("needs root (namespaces, changing users)");
	snprintf(rwdir, sizeof(rwdir), "/tmp/ts-sandbox-rw.XXXXXX");
	snprintf(rodir, sizeof(rodir), "/tmp/ts-sandbox-ro.XXXXXX");
	if (mkdtemp(rwdir) == NULL || mkdtemp(rodir) == NULL)
		return 1;
	/* Both nobody's: only the read-only bind keeps it from writing. */
	if (chown(rwdir, NOBODY, NOBODY) == -1 || chown(rodir, NOBODY, NOBODY) == -1)
		return 1;
	chmod(rodir, 0755);
	snprintf(p, sizeof(p), "%s/hello", rodir);
	if ((fp = fopen(p, "w")) != NULL) {
		fputs("hello", fp);
		fclose(fp);
	}
	chmod(p, 0644);
	test_status(1);
	rows(1);
	test_control(1);
	test_status(0);
	rows(0);
	test_control(0);
	unlink(p);
	snprintf(p, sizeof(p), "%s/state", rwdir);
	unlink(p);
	rmdir(rwdir);
	rmdir(rodir);
	return tap_done();
}
