/* Where managed entries live: one rule document per entry.
 *
 *   dir    <dir of the kind>/<name>.yaml, written atomically (temporary
 *          file + fsync + rename) into directories `rampart run` and
 *          file-based evaluators load and hot-reload.
 *   kafka  the compacted rulesets topic: key <name> for a ruleset,
 *          policies/<name>, clusters/<name> (a policy and a ruleset may share
 *          a name), value the document, tombstone on delete. The topic is
 *          read to its end at open and followed into a local directory
 *          exactly as rampart-evaluator keeps it (evaluator/service_topic.c);
 *          put/delete return once the change has come back from the broker.
 *
 * Names are escaped into file names as the evaluator escapes topic keys:
 * [A-Za-z0-9_-], '.' except first, anything else %xx. The store does not
 * validate: callers hand it only documents the loader accepted. */
#ifndef RAMPART_CONSOLE_STORE_H
#define RAMPART_CONSOLE_STORE_H

#include <stddef.h>

#include "console_config.h"
#include "console_kind.h"
#include "console_strv.h"

struct console_store;

struct console_store *console_store_open(const struct console_config *c, char *err, size_t errlen);
void console_store_close(struct console_store *s);
const char *console_store_kind(const struct console_store *s);

/* The file where entry (k, name) lives or would live; -1 if it does not fit. */
int console_store_path(const struct console_store *s, enum console_kind k, const char *name, char *out, size_t n);
/* Appends every managed file present now, in name order. 0 or -1 (err). */
int console_store_files(const struct console_store *s, struct console_strv *out, char *err, size_t errlen);
/* 0, or -1 with err. */
int console_store_put(struct console_store *s, enum console_kind k, const char *name, const char *text, size_t len,
		      char *err, size_t errlen);
int console_store_delete(struct console_store *s, enum console_kind k, const char *name, char *err, size_t errlen);

#endif
