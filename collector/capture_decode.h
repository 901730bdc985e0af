/* Kernel record (bpf/rampart_event.h) -> struct rp_event.
 *
 * Fills everything the kernel knows: type and syscall name, result, time,
 * the process block (ids, creds, comm/exe of the process and two ancestors,
 * argv, cwd and the allow-listed environment at exec, the process's current
 * argv on syscall events (first RK_SYS_ARGV_MAX bytes), drift flags) and the
 * typed arguments with paths made absolute and addresses as text (for
 * finit_module the module name derived from the file's path; init_module
 * carries no name: the image is in user memory and its .modinfo is not
 * parsed). Node, cluster, sequence, boot id and the
 * container/workload are the caller's. String views point into *st and
 * *scratch, valid until their next use. */
#ifndef RAMPART_CAPTURE_DECODE_H
#define RAMPART_CAPTURE_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "rampart_event.h"

#define CAPTURE_TEXT_MAX (2 * RK_PATH_MAX + 2)

struct capture_strings {
	char comm[RK_COMM_LEN + 1], pcomm[RK_COMM_LEN + 1], gpcomm[RK_COMM_LEN + 1];
	char exe[CAPTURE_TEXT_MAX], pexe[CAPTURE_TEXT_MAX], gpexe[CAPTURE_TEXT_MAX];
	char cwd[CAPTURE_TEXT_MAX], path[CAPTURE_TEXT_MAX], target[CAPTURE_TEXT_MAX];
	char name[RK_NAME_MAX + 1];
	char laddr[64], raddr[64];
	char argv[RK_ARGV_MAX + 1];
	char env[RK_DATA_MAX + 1];
};

/* A view of one string slot of a record (bounds-checked). */
struct capture_slot {
	const char *p;
	size_t n;
	int comp; /* leaf-first component list */
	int present;
};

/* 0, or -1 when the record is malformed (short, slot out of bounds, unknown
 * kind). boot_to_epoch_ns converts CLOCK_BOOTTIME to Unix time. */
int capture_decode(const void *data, size_t len, int64_t boot_to_epoch_ns, struct rp_event *ev,
		   struct capture_strings *st, struct event_scratch *scratch);

/* Internal to the decoder (capture_decode_args.c). */
struct capture_slot capture_slot(const struct rk_record *r, enum rk_str s);
/* A slot as text: component lists become absolute paths. */
size_t capture_slot_text(const struct rk_record *r, enum rk_str s, char *out, size_t cap);
/* Absolute path of PATH/PATH2 (resolved against BASE/BASE2) into out. */
size_t capture_slot_path(const struct rk_record *r, enum rk_str path, enum rk_str base, char *out, size_t cap);
void capture_decode_args(const struct rk_record *r, struct rp_event *ev, struct capture_strings *st);

#endif
