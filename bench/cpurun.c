/*
 * cpurun CMD ARGS... - run CMD and print "WALL CPU" in seconds, CPU being
 * its user + system time from wait4()'s resource usage: microseconds,
 * where /usr/bin/time rounds to hundredths.  CMD's output goes where
 * cpurun's does; cpurun's own line goes to file descriptor 3.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <stdio.h>
#include <unistd.h>

#include "now.h"

int
main(int argc, char **argv)
{
	struct rusage ru;
	double t0;
	FILE *out;
	pid_t pid;
	int st;

	if (argc < 2 || (out = fdopen(3, "w")) == NULL) {
		fprintf(stderr, "usage: cpurun CMD ARGS... 3>FILE\n");
		return 2;
	}
	t0 = now();
	if ((pid = fork()) == -1) {
		perror("cpurun: fork");
		return 1;
	}
	if (pid == 0) {
		fclose(out);
		execvp(argv[1], argv + 1);
		perror("cpurun: exec");
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) == -1) {
		perror("cpurun: wait4");
		return 1;
	}
	fprintf(out, "%.6f %.6f\n", now() - t0,
	    (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
