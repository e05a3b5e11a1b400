/*
 * term.h - the terminal the live view draws on: its size, and keys read
 * one at a time.  Used only when stdout (size) or stdin (keys) is one.
 */
#ifndef TS_TERM_H
#define TS_TERM_H

/*
 * Columns and lines of the terminal on fd: COLUMNS and LINES when set to
 * a number, else what the terminal says; 0 for what is not known (fd is
 * not a terminal: no limit).
 */
void	ts_term_size(int fd, unsigned *cols, unsigned *lines);
/*
 * Keys one at a time, without echo, from the terminal on fd (signals
 * still work); ts_term_restore() undoes it, and so does exit().  -1 if fd
 * is not a terminal.
 */
int	ts_term_keys(int fd);
void	ts_term_restore(void);
/* A key read from fd, or -1 if none is waiting. */
int	ts_term_getkey(int fd);

#endif
