/* What a console request did wrong, as the API reports it:
 *   {"error": msg, "field": field}   with an HTTP status.
 * field is a path into the request body ("name", "labels[1].value",
 * "rules[3].action") or empty when the error concerns no single field. */
#ifndef RAMPART_CONSOLE_ERROR_H
#define RAMPART_CONSOLE_ERROR_H

#include <jansson.h>

struct console_error {
	int status;
	char field[128];
	char msg[768];
};

/* Fills e and returns -1, so callers can `return console_fail(...)`. */
int console_fail(struct console_error *e, int status, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* {"error": ..., "field": ... or null}; NULL when out of memory. */
json_t *console_error_json(const struct console_error *e);

#endif
