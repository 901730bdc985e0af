/* Clock readings in the units the code compares: monotonic for intervals
 * and deadlines (immune to clock steps), real time for timestamps that
 * leave the process (events, verdicts, outcomes). */
#ifndef RAMPART_CLOCK_H
#define RAMPART_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t clock_read_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int64_t clock_mono_ns(void) { return clock_read_ns(CLOCK_MONOTONIC); }
static inline int64_t clock_mono_ms(void) { return clock_mono_ns() / 1000000; }
static inline int64_t clock_real_ns(void) { return clock_read_ns(CLOCK_REALTIME); }

#endif
