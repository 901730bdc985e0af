/* The syscalls the capture covers: number, name, the event type and argument
 * family they decode to, and whether read-only opens are prefix-filtered.
 * One table drives both the kernel interest map and the decoder. */
#ifndef RAMPART_CAPTURE_SYSCALLS_H
#define RAMPART_CAPTURE_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>

#include "event.h"

struct capture_syscall {
	int nr;
	const char *name;
	enum rp_event_type type;
	enum rp_args_kind args;
};

/* NULL when nr is not covered. */
const struct capture_syscall *capture_syscall_by_nr(int nr);
/* NULL when name is not covered. */
const struct capture_syscall *capture_syscall_by_name(const char *name);
/* All covered syscalls, *n entries. */
const struct capture_syscall *capture_syscalls_all(size_t *n);
/* True for the open family (subject to the read-only path-prefix filter). */
bool capture_syscall_is_open(int nr);

#endif
