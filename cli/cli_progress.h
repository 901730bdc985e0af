/* A progress line for long replays, drawn on a stream only when that
 * stream is a terminal (so logs and pipes never see it):
 *
 *    37% [##########..................] 1.21M events  402k/s  ETA 0:14
 *
 * "done" and "total" are in the source's own unit (bytes of a recording,
 * offsets of a topic); the rate counts events. Redrawn at most five times
 * a second and the clock is read only every few calls, so calling
 * progress_update per event costs next to nothing. progress_hide erases the
 * line (before other output goes to the same terminal; the next update
 * redraws it); progress_end erases it for good. */
#ifndef RAMPART_CLI_PROGRESS_H
#define RAMPART_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct progress {
	FILE *out;
	bool on, drawn;
	uint64_t total;
	unsigned calls;
	double t0, last_draw;
};

/* total 0: unknown (no bar, no ETA). */
void progress_start(struct progress *p, FILE *out, uint64_t total);
void progress_update(struct progress *p, uint64_t done, uint64_t events);
void progress_hide(struct progress *p);
void progress_end(struct progress *p);

#endif
