/* Reading a recording (an Avro Object Container File of plain Events, as
 * `rampart run --record` and `rampart-collector --record` write it) for
 * `rampart replay FILE` and `rampart events inspect FILE`.
 *
 * Every record is counted as read; those whose event time is inside the
 * filter's window and that pass its event filters are counted as selected
 * and handed to fn (the event's strings point into the current block: valid
 * during the call). A record that does not decode is counted as
 * undecodable and skipped; when a block's record boundaries are lost, the
 * rest of that block is (the next block starts at its sync marker). Only
 * the current Event schema is read: a file written with another schema is
 * refused at open. Progress is reported in bytes of the file.
 *
 * Returns 0 at the end of the file, 1 when *stop was set, -1 with err when
 * the file cannot be opened, is not a recording, ends in a damaged block
 * (everything before it was handed out), or fn failed. */
#ifndef RAMPART_CLI_REPLAY_FILE_H
#define RAMPART_CLI_REPLAY_FILE_H

#include <signal.h>
#include <stddef.h>

#include "cli_progress.h"
#include "cli_replay_filter.h"
#include "cli_replay_summary.h"

/* 0, or -1 with err to stop reading. */
typedef int (*recording_fn)(void *ctx, struct rp_event *ev, char *err, size_t errlen);

struct recording_read {
	const char *path;
	const struct replay_filter *filter;
	recording_fn fn;
	void *ctx;
	struct replay_counts *counts; /* read, selected, undecodable */
	struct progress *progress;    /* may be NULL */
	const volatile sig_atomic_t *stop;
};

int recording_read(const struct recording_read *r, char *err, size_t errlen);

#endif
