/*
 * snapfd.c - a snapshot in a sealed memfd, written by the capture process
 * and mapped read-only by the SNMP process (snapfd.h).
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "snapfd.h"
#include "snapwire.h"

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL	0x0008U		/* Linux 6.3 */
#endif

#define SEALS	(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

int
ts_snapfd_make(const struct ts_snapshot *s, size_t *bytes)
{
	size_t n = ts_snapwire_size(s);
	void *p;
	int fd, saved;

	/* Never executable; kernels before 6.3 do not know the flag. */
	fd = memfd_create("tcpsleuth-snapshot", MFD_CLOEXEC |
	    MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL);
	if (fd == -1 && errno == EINVAL)
		fd = memfd_create("tcpsleuth-snapshot", MFD_CLOEXEC |
		    MFD_ALLOW_SEALING);
	if (fd == -1)
		return -1;
	if (ftruncate(fd, (off_t)n) == -1)
		goto fail;
	if ((p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
	    fd, 0)) ==
	    MAP_FAILED)
		goto fail;
	ts_snapwire_write(s, p, n);
	munmap(p, n);		/* before F_SEAL_WRITE, which a mapping blocks */
	if (fcntl(fd, F_ADD_SEALS, SEALS) == -1)
		goto fail;
	if (bytes != NULL)
		*bytes = n;
	return fd;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

struct ts_snapshot *
ts_snapfd_map(int fd, char *err, size_t errlen)
{
	struct ts_snapshot *s;
	struct stat st;
	void *p;
	int seals;

	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "fstat: %s", strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (unsigned long long)st.st_size > TS_WIRE_MAX) {
		snprintf(err, errlen, "not a snapshot (mode 0%o, %lld bytes)",
		    (unsigned)st.st_mode, (long long)st.st_size);
		return NULL;
	}
	if ((seals = fcntl(fd, F_GET_SEALS)) == -1 ||
	    (seals & (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)) !=
	    (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)) {
		snprintf(err, errlen, "not sealed against writing, shrinking "
		    "and growing");
		return NULL;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "mmap: %s", strerror(errno));
		return NULL;
	}
	if ((s = ts_snapwire_read(p, (size_t)st.st_size, err, errlen)) == NULL) {
		munmap(p, (size_t)st.st_size);
		return NULL;
	}
	s->wire = p;
	s->wire_len = (size_t)st.st_size;
	return s;
}
