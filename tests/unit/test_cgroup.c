/*
 * test_cgroup.c - cgroup v2 paths and process information: the owner
 * classifier over path fixtures (systemd units, docker, containerd, podman,
 * kubepods with both cgroup drivers), mountinfo and /proc/PID files from a
 * fake /proc, socket owners and network namespaces found in a fake /proc,
 * and the real ones of this process.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "netns.h"
#include "procinfo.h"
#include "sockowner.h"
#include "tap.h"

#define ID64	"3f2a9c1b7d0e5a6b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d"

static const struct {
	const char	*path;
	enum ts_cg_kind	 kind;
	const char	*name;
} cases[] = {
	{ "", TS_CG_NONE, "" },
	{ "/", TS_CG_NONE, "" },
	{ "/system.slice/cron.service", TS_CG_SERVICE, "cron.service" },
	{ "/system.slice", TS_CG_SLICE, "system.slice" },
	{ "/init.scope", TS_CG_SCOPE, "init.scope" },
	{ "/user.slice/user-1000.slice/session-3.scope", TS_CG_SCOPE,
	  "session-3.scope" },
	{ "/user.slice/user-1000.slice", TS_CG_SLICE, "user-1000.slice" },
	/* The innermost unit, below a user manager. */
	{ "/user.slice/user-1000.slice/user@1000.service/app.slice/"
	  "app-gnome-firefox-4242.scope", TS_CG_SCOPE,
	  "app-gnome-firefox-4242.scope" },
	{ "/user.slice/user-1000.slice/user@1000.service/init.scope",
	  TS_CG_SCOPE, "init.scope" },
	/* A delegated subtree below a service names the service. */
	{ "/system.slice/lm-collector.service/worker", TS_CG_SERVICE,
	  "lm-collector.service" },
	{ "/system.slice/docker.service", TS_CG_SERVICE, "docker.service" },
	{ "/system.slice/docker-" ID64 ".scope", TS_CG_DOCKER,
	  "docker 3f2a9c1b7d0e" },
	{ "/docker/" ID64, TS_CG_DOCKER, "docker 3f2a9c1b7d0e" },
	{ "/docker", TS_CG_OTHER, "/docker" },
	{ "/system.slice/docker-notanid.scope", TS_CG_SCOPE,
	  "docker-notanid.scope" },
	{ "/system.slice/cri-containerd-" ID64 ".scope", TS_CG_CONTAINERD,
	  "containerd 3f2a9c1b7d0e" },
	{ "/machine.slice/libpod-" ID64 ".scope", TS_CG_PODMAN,
	  "podman 3f2a9c1b7d0e" },
	{ "/machine.slice/libpod-" ID64 ".scope/container", TS_CG_PODMAN,
	  "podman 3f2a9c1b7d0e" },
	{ "/libpod_parent/libpod-" ID64, TS_CG_PODMAN,
	  "podman 3f2a9c1b7d0e" },
	{ "/machine.slice/libpod-conmon-" ID64 ".scope", TS_CG_SCOPE,
	  "libpod-conmon-" ID64 ".scope" },
	/* kubepods, systemd driver: the pod uid has '_' for '-'. */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
	  "0f1e2d3c_4b5a_6978_8796_a5b4c3d2e1f0.slice/cri-containerd-" ID64
	  ".scope", TS_CG_KUBEPODS,
	  "pod 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 3f2a9c1b7d0e" },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	  "0f1e2d3c_4b5a_6978_8796_a5b4c3d2e1f0.slice/docker-" ID64 ".scope",
	  TS_CG_KUBEPODS,
	  "pod 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 3f2a9c1b7d0e" },
	{ "/kubepods.slice/kubepods-pod0f1e2d3c_4b5a_6978_8796_a5b4c3d2e1f0"
	  ".slice/crio-" ID64 ".scope", TS_CG_KUBEPODS,
	  "pod 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 3f2a9c1b7d0e" },
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
	  "0f1e2d3c_4b5a_6978_8796_a5b4c3d2e1f0.slice", TS_CG_KUBEPODS,
	  "pod 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" },
	{ "/kubepods.slice/kubepods-burstable.slice", TS_CG_SLICE,
	  "kubepods-burstable.slice" },
	/* kubepods, cgroupfs driver. */
	{ "/kubepods/burstable/pod0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/" ID64,
	  TS_CG_KUBEPODS,
	  "pod 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 3f2a9c1b7d0e" },
	{ "/kubepods/pod0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/" ID64,
	  TS_CG_KUBEPODS,
	  "pod 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 3f2a9c1b7d0e" },
	/* "pod..." outside kubepods is nobody's pod. */
	{ "/pod0f1e2d3c/" ID64, TS_CG_OTHER, "/pod0f1e2d3c/" ID64 },
	{ "/process_api/2550e0ee38e8ca32a54ca97b23afed92", TS_CG_OTHER,
	  "/process_api/2550e0ee38e8ca32a54ca97b23afed92" },
	{ "//system.slice//cron.service/", TS_CG_SERVICE, "cron.service" },
	{ "/.service", TS_CG_OTHER, "/.service" },
	/* A cgroup gone before its path was read: the kernel event source
	 * names it by the kernel's name of it, its last part (kevfeed.c). */
	{ "cron.service", TS_CG_SERVICE, "cron.service" },
	{ "docker-" ID64 ".scope", TS_CG_DOCKER, "docker 3f2a9c1b7d0e" },
	{ "cri-containerd-" ID64 ".scope", TS_CG_CONTAINERD,
	  "containerd 3f2a9c1b7d0e" },
	{ "tcpsleuth-kev-1", TS_CG_OTHER, "tcpsleuth-kev-1" },
};

static void
classify(void)
{
	struct ts_cg_owner o;
	char longp[400];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ts_cgroup_classify(cases[i].path, &o);
		if (!ok(o.kind == cases[i].kind && strcmp(o.name,
		    cases[i].name) == 0, "classify %s", cases[i].path))
			printf("#   got %s \"%s\", want %s \"%s\"\n",
			    ts_cgroup_kind_name(o.kind), o.name,
			    ts_cgroup_kind_name(cases[i].kind), cases[i].name);
	}
	ts_cgroup_classify(NULL, &o);
	ok(o.kind == TS_CG_NONE && o.name[0] == '\0', "classify NULL");
	/* A long unknown path keeps its innermost end. */
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 2] = 'z';
	longp[sizeof(longp) - 1] = '\0';
	ts_cgroup_classify(longp, &o);
	ok(o.kind == TS_CG_OTHER && strlen(o.name) == sizeof(o.name) - 1 &&
	    strncmp(o.name, "...", 3) == 0 &&
	    o.name[sizeof(o.name) - 2] == 'z', "long path keeps its end");
	/* A name longer than the owner's room is cut, not overrun. */
	snprintf(longp, sizeof(longp), "/system.slice/%0300d.service", 7);
	ts_cgroup_classify(longp, &o);
	ok(o.kind == TS_CG_SERVICE && strlen(o.name) == sizeof(o.name) - 1,
	    "long unit name cut to the room");
	ok(strcmp(ts_cgroup_kind_name(TS_CG_KUBEPODS), "kubepods") == 0 &&
	    strcmp(ts_cgroup_kind_name((enum ts_cg_kind)99), "?") == 0,
	    "kind names");
}

static char root[] = "/tmp/test_cgroupXXXXXX";

static void
put(const char *rel, const char *text)
{
	char fn[512], *slash;
	FILE *fp;

	snprintf(fn, sizeof(fn), "%s/%s", root, rel);
	for (slash = strchr(fn + strlen(root) + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(fn, 0755);
		*slash = '/';
	}
	if ((fp = fopen(fn, "w")) == NULL) {
		perror(fn);
		exit(1);
	}
	fputs(text, fp);
	fclose(fp);
}

static void
link_at(const char *rel, const char *target)
{
	char fn[512];

	snprintf(fn, sizeof(fn), "%s/%s", root, rel);
	if (symlink(target, fn) == -1)
		perror(fn);
}

/* A process of the fake /proc: stat with a start time, a netns link. */
static void
fake_pid(int pid, const char *comm, unsigned start, unsigned ns)
{
	char rel[64], text[256];

	snprintf(rel, sizeof(rel), "%d/stat", pid);
	snprintf(text, sizeof(text), "%d (%s) S 1 2 3 4 5 6 7 8 9 10 11 12 13 "
	    "14 15 16 17 18 %u\n", pid, comm, start);
	put(rel, text);
	snprintf(rel, sizeof(rel), "%d/fd/.keep", pid);
	put(rel, "");
	snprintf(rel, sizeof(rel), "%d/ns/.keep", pid);
	put(rel, "");
	snprintf(rel, sizeof(rel), "%d/ns/net", pid);
	snprintf(text, sizeof(text), "net:[%u]", ns);
	link_at(rel, text);
}

static void
owners_and_namespaces(void)
{
	struct ts_sockowner w[3];
	struct ts_sockowner_stats st;
	struct ts_ns_list l;
	const struct ts_ns_found *f;
	int r;

	/* 500 and 501 hold socket 9001 (501 started first); 502 holds 9002
	 * twice; nobody holds 9003. */
	fake_pid(500, "worker", 50, 4026532010u);
	fake_pid(501, "master", 40, 4026532010u);
	fake_pid(502, "other", 60, 4026532011u);
	link_at("500/fd/3", "socket:[9001]");
	link_at("500/fd/4", "pipe:[9001]");
	link_at("501/fd/7", "socket:[9001]");
	link_at("502/fd/3", "socket:[9002]");
	link_at("502/fd/5", "socket:[9002]");
	link_at("502/fd/6", "socket:[90020]");
	link_at("502/fd/7", "socket:[9003x]");
	memset(w, 0, sizeof(w));
	w[0].inode = 9003;
	w[1].inode = 9002;
	w[2].inode = 9001;
	r = ts_sockowner_find(root, w, 3, &st);
	is_u(r, 2, "two of three sockets have owners");
	ok(w[0].inode == 9001 && w[0].proc.pid == 501 && w[0].holders == 2 &&
	    strcmp(w[0].proc.comm, "master") == 0,
	    "held by two: the first started owns it");
	ok(w[1].inode == 9002 && w[1].proc.pid == 502 && w[1].holders == 1,
	    "an fd twice is one holder");
	ok(w[2].inode == 9003 && w[2].proc.pid == 0 && w[2].holders == 0,
	    "not held: no owner");
	ok(st.procs >= 3 && st.fds >= 7, "looked at %u processes, %llu fds",
	    st.procs, (unsigned long long)st.fds);
	ok(ts_sockowner_find("/nonexistent", w, 1, NULL) == -1,
	    "no /proc: -1");

	memset(&l, 0, sizeof(l));
	r = ts_netns_discover(root, "/nonexistent", &l);
	ok(r == 0, "namespaces in the fake /proc");
	f = ts_ns_list_find(&l, 4026532010u);
	ok(f != NULL && f->pid == 500 && f->ipname[0] == '\0',
	    "one entry per namespace, its lowest pid");
	f = ts_ns_list_find(&l, 4026532011u);
	ok(f != NULL && f->pid == 502, "the other namespace");
	ok(ts_ns_list_find(&l, 4026532012u) == NULL, "no such namespace");
	ts_ns_list_free(&l);
}

static void
fake_proc(void)
{
	char buf[256], fn[512];
	struct ts_proc p;
	uint32_t ino;
	int r;

	if (mkdtemp(root) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	/* Hybrid layout: cgroup v1 controllers, cgroup2 at .../unified. */
	put("self/mountinfo",
	    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw\n"
	    "32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
	    "40 31 0:37 / /sys/fs/cgroup/systemd rw shared:9 - cgroup "
	    "cgroup rw,name=systemd\n"
	    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:10 - "
	    "cgroup2 cgroup2 rw\n");
	r = ts_cgroup2_mount(root, buf, sizeof(buf));
	ok(r == 0 && strcmp(buf, "/sys/fs/cgroup/unified") == 0,
	    "cgroup2 mount in a hybrid layout: %s", buf);
	ok(ts_cgroup2_mount(root, buf, 10) == -1 && errno == ENAMETOOLONG &&
	    buf[0] == '\0', "cgroup2 mount: no room");
	/* A mount of a subtree comes after one of the root; escapes. */
	put("self/mountinfo",
	    "50 1 0:40 /sub /mnt/sub rw - cgroup2 cgroup2 rw\n"
	    "51 1 0:40 / /mnt/cg\\0402 rw - cgroup2 cgroup2 rw\n"
	    "52 1 0:41 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
	r = ts_cgroup2_mount(root, buf, sizeof(buf));
	ok(r == 0 && strcmp(buf, "/mnt/cg 2") == 0, "cgroup2 mount of its root, "
	    "unescaped: %s", buf);
	put("self/mountinfo", "garbage\n\n31 23 0:28 / /x rw - tmpfs t rw\n"
	    "1 2 3 4 5 6 7 8\n");
	ok(ts_cgroup2_mount(root, buf, sizeof(buf)) == -1 && errno == ENOENT,
	    "no cgroup2 mounted: ENOENT");

	put("4242/cgroup", "9:name=systemd:/\n4:memory:/m\n"
	    "0::/system.slice/lm-collector.service\n");
	put("self/cgroup", "0::/\n");
	put("77/cgroup", "4:memory:/m\n");
	ok(ts_cgroup_of_pid(root, 4242, buf, sizeof(buf)) == 0 &&
	    strcmp(buf, "/system.slice/lm-collector.service") == 0,
	    "cgroup of a pid: the 0:: line");
	ok(ts_cgroup_of_pid(root, 0, buf, sizeof(buf)) == 0 &&
	    strcmp(buf, "/") == 0, "cgroup of self");
	ok(ts_cgroup_of_pid(root, 77, buf, sizeof(buf)) == -1 &&
	    errno == ENOENT, "cgroup v1 only: ENOENT");
	ok(ts_cgroup_of_pid(root, 78, buf, sizeof(buf)) == -1 &&
	    errno == ENOENT, "no such pid: ENOENT");
	ok(ts_cgroup_of_pid(root, 4242, buf, 8) == -1 &&
	    errno == ENAMETOOLONG && buf[0] == '\0', "cgroup: no room");

	/* comm with ") " in it; start time is field 22. */
	put("4242/stat", "4242 (lm) c (x)) S 1 4242 4242 0 -1 4194560 100 0 "
	    "0 0 1 2 0 0 20 0 1 0 987654321 1000 100 18446744073709551615\n");
	put("4242/status", "Name:\tlm\nUmask:\t0022\nState:\tS\n"
	    "Uid:\t1001\t0\t0\t0\nGid:\t0\t0\t0\t0\n");
	snprintf(fn, sizeof(fn), "%s/4242/ns", root);
	mkdir(fn, 0755);
	snprintf(fn, sizeof(fn), "%s/4242/ns/net", root);
	if (symlink("net:[4026532001]", fn) == -1)
		perror(fn);
	r = ts_proc_read(root, 4242, &p);
	ok(r == 0, "proc read (fake)");
	ok(strcmp(p.comm, "lm) c (x)") == 0, "comm with parentheses: %s",
	    p.comm);
	is_u(p.start, 987654321, "start time");
	is_u(p.uid, 1001, "real uid");
	ok(strcmp(p.cgroup, "/system.slice/lm-collector.service") == 0,
	    "cgroup");
	is_u(p.netns_ino, 4026532001u, "netns inode");
	ok(ts_proc_netns(root, 4242, &ino) == 0 && ino == 4026532001u,
	    "netns only");
	/* Truncated stat: an error, not garbage. */
	put("4243/stat", "4243 (short) S 1 2 3\n");
	ok(ts_proc_read(root, 4243, &p) == -1 && errno == EINVAL &&
	    p.comm[0] == '\0', "short stat: EINVAL");
	put("4244/stat", "4244 no parentheses S 1 2 3\n");
	ok(ts_proc_read(root, 4244, &p) == -1 && errno == EINVAL,
	    "stat without comm: EINVAL");
	ok(ts_proc_read(root, 4245, &p) == -1 && errno == ENOENT,
	    "gone: ENOENT");
	ok(ts_proc_read(root, -3, &p) == -1 && errno == EINVAL, "pid < 0");
	/* Only stat: the rest unknown. */
	put("4246/stat", "4246 (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 "
	    "17 18 5\n");
	ok(ts_proc_read(root, 4246, &p) == 0 && p.start == 5 &&
	    p.uid == UINT32_MAX && p.cgroup[0] == '\0' && p.netns_ino == 0,
	    "missing status, cgroup, ns: unknown, not failure");

	is_u(ts_proc_ns_inode("net:[4026531833]", "net"), 4026531833u,
	    "ns link");
	is_u(ts_proc_ns_inode("mnt:[4026531833]", "net"), 0, "ns link type");
	is_u(ts_proc_ns_inode("net:[12x]", "net"), 0, "ns link junk");
	is_u(ts_proc_ns_inode("net:[]", "net"), 0, "ns link empty");
	is_u(ts_proc_ns_inode("net:[99999999999]", "net"), 0, "ns link big");

	owners_and_namespaces();
	snprintf(buf, sizeof(buf), "rm -rf %s", root);
	if (system(buf) != 0)
		printf("# could not remove %s\n", root);
}

/* This process, and the real cgroup2 tree when it is mounted. */
static void
real(void)
{
	char mnt[256], cg[256], back[256], dir[600], buf[80];
	struct ts_proc p;
	struct stat st;
	int r;

	r = ts_proc_read("/proc", getpid(), &p);
	ok(r == 0 &&
	    strcmp(p.comm, "test_cgroup") == 0 && p.uid == getuid() &&
	    p.netns_ino != 0 && p.start > 0, "this process: %s uid %u "
	    "net:[%u]", p.comm, p.uid, p.netns_ino);
	if (stat("/proc/self/ns/net", &st) == 0)
		is_u(p.netns_ino, st.st_ino, "netns inode = ns/net's inode");
	if (ts_cgroup2_mount("/proc", mnt, sizeof(mnt)) == -1) {
		printf("ok %d # SKIP no cgroup2 mounted\n", ++tap_n);
		return;
	}
	r = ts_cgroup_of_pid("/proc", getpid(), cg, sizeof(cg));
	ok(r == 0 && cg[0] == '/', "own cgroup %s (mounted at %s)", cg, mnt);
	ok(strcmp(cg, p.cgroup) == 0, "procinfo's cgroup is the same");
	/* Its id is its directory's inode; the walk finds it again. */
	snprintf(dir, sizeof(dir), "%s%s", mnt, cg);
	r = stat(dir, &st) == 0 ? ts_cgroup_path_of_id(mnt, st.st_ino, back,
	    sizeof(back)) : -1;
	ok(r == 0 && strcmp(back, cg) == 0,
	    "path of own cgroup id %llu: %s", (unsigned long long)st.st_ino,
	    back);
	ok(ts_cgroup_path_of_id(mnt, 1, back, sizeof(back)) == 0 &&
	    strcmp(back, "/") == 0, "id 1 is the root");
	ok(ts_cgroup_path_of_id(mnt, 0xfffffffffffull, back, sizeof(back)) ==
	    -1 && errno == ENOENT && back[0] == '\0', "unknown id: ENOENT");
	/* A cgroup of our own two levels down (root can make one). */
	snprintf(dir, sizeof(dir), "%s/tcpsleuth-test-%d", mnt, (int)getpid());
	if (mkdir(dir, 0755) == -1) {
		printf("ok %d # SKIP cannot make a cgroup: %s\n", ++tap_n,
		    strerror(errno));
		return;
	}
	strcat(dir, "/inner.service");
	r = mkdir(dir, 0755);
	r = r == 0 && stat(dir, &st) == 0 ? ts_cgroup_path_of_id(mnt,
	    st.st_ino, back, sizeof(back)) : -1;
	ok(r == 0, "a made cgroup is found");
	snprintf(buf, sizeof(buf), "/tcpsleuth-test-%d/inner.service",
	    (int)getpid());
	ok(strcmp(back, buf) == 0, "its path: %s", back);
	ok(ts_cgroup_path_of_id(mnt, st.st_ino, back, 10) == -1 &&
	    errno == ENAMETOOLONG, "no room for the path: ENAMETOOLONG");
	rmdir(dir);
	*strrchr(dir, '/') = '\0';
	rmdir(dir);
}

int
main(void)
{
	classify();
	fake_proc();
	real();
	return tap_done();
}
