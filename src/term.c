/*
 * term.c - terminal size and single keys for the live view.
 */
#include "config.h"

#include <sys/ioctl.h>

#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "term.h"

static struct termios saved;
static int saved_fd = -1;	/* set: restore at exit */
static int registered;

/* A positive number in the environment, or 0. */
static unsigned
env_num(const char *name)
{
	const char *s = getenv(name);
	char *end;
	unsigned long v;

	if (s == NULL || *s == '\0')
		return 0;
	v = strtoul(s, &end, 10);
	return *end == '\0' && v > 0 && v <= 100000 ? (unsigned)v : 0;
}

void
ts_term_size(int fd, unsigned *cols, unsigned *lines)
{
	struct winsize ws;

	*cols = *lines = 0;
	if (!isatty(fd))
		return;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0) {
		*cols = ws.ws_col;
		*lines = ws.ws_row;
	}
	if (env_num("COLUMNS") != 0)
		*cols = env_num("COLUMNS");
	if (env_num("LINES") != 0)
		*lines = env_num("LINES");
}

void
ts_term_restore(void)
{
	if (saved_fd != -1)
		(void)tcsetattr(saved_fd, TCSANOW, &saved);
	saved_fd = -1;
}

int
ts_term_keys(int fd)
{
	struct termios t;

	if (!isatty(fd) || tcgetattr(fd, &saved) == -1)
		return -1;
	t = saved;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	if (!registered && atexit(ts_term_restore) != 0)
		return -1;
	registered = 1;
	if (tcsetattr(fd, TCSANOW, &t) == -1)
		return -1;
	saved_fd = fd;
	return 0;
}

int
ts_term_getkey(int fd)
{
	unsigned char c;

	return read(fd, &c, 1) == 1 ? c : -1;
}
