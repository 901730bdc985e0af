/* The REST API, JSON over HTTP, under /api/v1:
 *
 *   GET    /whoami                        {name, role}
 *   GET    /rules                         {"rules": [...]}   the catalog
 *   GET    /{kind}                        {"<kind>": [...], "problems": [...]}
 *   POST   /{kind}[?dry_run=true]         create          201 entry
 *   GET    /{kind}/{name}                 one entry       200 | 404
 *   PUT    /{kind}/{name}[?dry_run=true]  update          200 entry
 *   DELETE /{kind}/{name}[?dry_run=true]  delete          204
 *
 * kind: rulesets | policies | clusters (views: console_view.h; bodies:
 * console_request.h). A dry run validates and answers 200 {"valid": true}
 * without storing. Errors: {"error", "field", "errors"?: [{error, field}]}
 * with 400 invalid, 403 the read role changing something, 404 no such
 * entry or path, 405 method, 409 name taken, entry in use (naming its
 * users) or not managed by the console, 413 body too large, 503 store
 * unavailable. A name cannot be changed: an update naming another is 400.
 * Every change, and every refused change, is logged with who asked.
 *
 * Requests are served one at a time (a lock around load, validate, store),
 * so a change validates against exactly the set it replaces. */
#ifndef RAMPART_CONSOLE_API_H
#define RAMPART_CONSOLE_API_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "console_config.h"
#include "console_error.h"
#include "console_kind.h"
#include "console_snapshot.h"
#include "console_store.h"
#include "console_tokens.h"

#define CONSOLE_NAME_MAX 128 /* the store's limit: a file name and a topic key */

struct console_api {
	const struct console_config *cfg;
	struct console_store *store;
	pthread_mutex_t lock;
};

struct console_call {
	const char *method, *path; /* path without the query */
	bool dry_run;
	const char *body;
	size_t body_len;
	const struct console_principal *who;
};

struct console_reply {
	int status;
	json_t *body; /* NULL: no body (204) */
};

/* 0, or -1 (err). */
int console_api_init(struct console_api *api, const struct console_config *cfg, struct console_store *store,
		     char *err, size_t errlen);
void console_api_destroy(struct console_api *api);
/* Always fills out (500 with a message when out of memory). */
void console_api_handle(struct console_api *api, const struct console_call *call, struct console_reply *out);

/* console_api_write.c: create, update, delete of entry (k, name); called
 * with the lock held and a loaded snapshot. */
void console_api_create(struct console_api *api, struct console_snapshot *s, enum console_kind k,
			const struct console_call *call, struct console_reply *out);
void console_api_update(struct console_api *api, struct console_snapshot *s, enum console_kind k, const char *name,
			const struct console_call *call, struct console_reply *out);
void console_api_delete(struct console_api *api, struct console_snapshot *s, enum console_kind k, const char *name,
			const struct console_call *call, struct console_reply *out);

/* An error reply from e (and extra members, consumed; may be NULL). */
void console_api_error(struct console_reply *out, const struct console_error *e, json_t *extra);

#endif
