/* The rule field table: every name a condition or output template may use,
 * its type, which events it applies to, how to read it from a decoded
 * struct rp_event, and a one-line doc. `rampart rules fields` prints this
 * table; nothing else documents the names.
 *
 * A field is "absent" for an event it does not apply to (file.path on a
 * connect, k8s.ns on an ECS task, a missing label key): comparisons with an
 * absent field are false and only `exists` tests for it. Reading a field
 * never allocates: derived strings (proc.cmdline) are built in the caller's
 * struct field_scratch, and derived strings are memoised there per event. */
#ifndef RAMPART_EVAL_FIELDS_H
#define RAMPART_EVAL_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

enum field_type { FT_STR, FT_INT, FT_BOOL, FT_STRLIST, FT__COUNT };

/* What must hold for the field to apply to an event. */
enum field_avail {
	FA_ALWAYS, FA_FILE, FA_NET, FA_PROC, FA_NS, FA_KERNEL, /* Event.args branch */
	FA_POD, FA_ECS, /* Event.workload branch */
	FA__COUNT
};

/* How the value is stored in struct rp_event (or derived from it). */
enum field_store { FS_STR, FS_I32, FS_I64, FS_BOOL, FS_STRLIST, FS_DERIVED };

struct field_val {
	enum field_type type;
	union {
		struct rp_str s;
		int64_t i;
		bool b;
		struct {
			const struct rp_str *v;
			uint32_t n;
		} list;
	};
};

#define FIELD_CMDLINE_MAX 4096

/* Derived fields, by id (field_def.derived; FD_NONE for stored fields). */
enum field_derived {
	FD_NONE, FD_EVT_TYPE, FD_ORCHESTRATOR, FD_CMDLINE, FD_ARGC, FD_AGE, FD_EXE_NAME, FD_ENV_VAR, FD_POD_LABEL,
	FD_FILE_NAME, FD_FILE_DIR, FD_IS_WRITE, FD_IS_CREATE, FD_MODE_EXEC, FD_MODE_SUID, FD__COUNT
};

/* Derived strings worth computing once per event: their memo slots. */
enum field_memo { FM_EVT_TYPE, FM_ORCHESTRATOR, FM_CMDLINE, FM_EXE_NAME, FM_FILE_NAME, FM_FILE_DIR, FM__COUNT,
		  FM_NONE = 0xff };

/* Per-thread scratch for derived fields: memo[m] holds the value of memo
 * slot m for event `of` when bit m of `have` is set. Whoever reuses a
 * scratch for another event at the same address sets `of` to NULL first
 * (evaluator_eval does, once per event). */
struct field_scratch {
	const struct rp_event *of;
	uint32_t have;
	struct rp_str memo[FM__COUNT];
	char cmdline[FIELD_CMDLINE_MAX];
};

struct field_def {
	const char *name;
	enum field_type type;
	enum field_avail avail;
	enum field_store store;
	uint16_t off, count_off; /* offsetof in struct rp_event; count_off for lists */
	bool keyed;		 /* name[KEY] */
	uint8_t derived;	 /* enum field_derived (FS_DERIVED) */
	uint8_t memo;		 /* enum field_memo: FM_NONE unless a memoised derived string */
	const char *doc;
};

extern const struct field_def field_table[];
extern const size_t field_count;
extern const char *const field_type_names[FT__COUNT];
extern const char *const field_avail_names[FA__COUNT];

/* Looks up "name" or "name[KEY]" (n bytes); *key receives KEY (a view into
 * name) for keyed fields. NULL when unknown or keyed-ness does not match. */
const struct field_def *field_lookup(const char *name, size_t n, struct rp_str *key);
/* Reads f from ev; false when the field is absent for this event. */
bool field_get(const struct field_def *f, const struct rp_event *ev, struct rp_str key, struct field_scratch *sc,
	       struct field_val *out);
/* Whether f applies to ev (its args / workload branch is there). */
bool field_available(const struct field_def *f, const struct rp_event *ev);
/* A derived string field (f->type FT_STR, f->store FS_DERIVED); false when
 * absent. Memoised slots are filled in sc. */
bool field_derived_str(const struct field_def *f, const struct rp_event *ev, struct rp_str key,
		       struct field_scratch *sc, struct rp_str *out);
/* The Event.args branch an event type carries (RP_ARGS_NONE for exec). */
enum rp_args_kind field_args_kind_of(enum rp_event_type t);
/* Whether f can apply to events of type t at all (compile-time check). */
bool field_applies_to(const struct field_def *f, enum rp_event_type t);

#endif
