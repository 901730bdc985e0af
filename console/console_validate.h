/* Validates a change before it may reach an evaluator: the would-be rule
 * set (the configured rule paths, every managed file except the one the
 * change replaces or deletes, and the candidate document written to a
 * temporary file) goes through the evaluator's loader and checker
 * (doc_load_paths) and compiler (eval_config_compile), exactly as an
 * evaluator would load it. Each file:line:col error in the candidate is
 * mapped back to the request field it concerns (console_render_field);
 * errors elsewhere keep their file:line:col and name no field. */
#ifndef RAMPART_CONSOLE_VALIDATE_H
#define RAMPART_CONSOLE_VALIDATE_H

#include <stddef.h>

#include <jansson.h>

#include "console_config.h"
#include "console_render.h"
#include "console_store.h"

/* replaced: the managed file the change replaces or deletes (NULL: none);
 * candidate: the new document (NULL for a delete). 0 valid, 1 invalid with
 * *errors an array of {"error", "field"}, -1 internal error (err). */
int console_validate(const struct console_config *c, const struct console_store *store, const char *replaced,
		     const struct console_render *candidate, json_t **errors, char *err, size_t errlen);

#endif
