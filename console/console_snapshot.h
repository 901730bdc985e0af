/* The rule set as the evaluators would load it now: the configured rule
 * paths plus every managed file of the store, loaded and checked by the
 * evaluator's own loader (doc_load_paths). Built per request under the
 * console's lock, so what a request reads is what a change validates
 * against. An entry is managed (the console may change or delete it) when
 * it is the only entry of the file the store keeps for its name; entries of
 * other files are shown read-only. */
#ifndef RAMPART_CONSOLE_SNAPSHOT_H
#define RAMPART_CONSOLE_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

#include "console_config.h"
#include "console_kind.h"
#include "console_store.h"
#include "diag.h"
#include "doc.h"

struct console_snapshot {
	struct rules_doc *doc;
	struct diag diag; /* problems of the current set (normally none) */
	const struct console_store *store;
};

/* 0, or -1 with err (out of memory, unreadable store). */
int console_snapshot_load(struct console_snapshot *s, const struct console_config *c,
			  const struct console_store *store, char *err, size_t errlen);
void console_snapshot_free(struct console_snapshot *s);

/* The file defining entry (k, name), or NULL when there is none. */
const char *console_snapshot_source(const struct console_snapshot *s, enum console_kind k, const char *name);
bool console_snapshot_managed(const struct console_snapshot *s, enum console_kind k, const char *name);

/* The rule paths plus every managed file except skip (NULL: none) plus
 * extra (NULL: none), for the loader. 0 or -1 (err). */
int console_snapshot_paths(const struct console_config *c, const struct console_store *store, const char *skip,
			   const char *extra, struct console_strv *out, char *err, size_t errlen);

#endif
