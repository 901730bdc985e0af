/* Request bodies are outside input: one JSON object per entry kind,
 * checked here for shape only (known keys, JSON types, bounded size) and
 * normalised into a new object holding just those keys:
 *
 *   ruleset  {"name", "description"?, "labels"?: {key: value},
 *             "rules": [{"id", "enabled"?, "action"}]}
 *   policy   {"name", "description"?, "rulesets": [name, ...]}
 *   cluster  {"name", "orchestrator", "labels"?, "policy", "protection_version"?}
 *
 * What the values mean (name and label syntax, rule ids, actions, versions,
 * required keys) is judged by the evaluator's rule loader on the rendered
 * document (console_validate.h), so there is one validator, not two. An
 * empty or null description means none. "name" may be absent only when
 * name_optional (an update names its entry in the URL). */
#ifndef RAMPART_CONSOLE_REQUEST_H
#define RAMPART_CONSOLE_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "console_error.h"
#include "console_kind.h"

#define CONSOLE_BODY_MAX (1024 * 1024)

/* The normalised entry, or NULL with e filled (status 400, or 413). */
json_t *console_request_parse(enum console_kind kind, const char *body, size_t len, bool name_optional,
			      struct console_error *e);

#endif
