/* Renders a normalised entry (console_request.h) as the rule document the
 * evaluators load: JSON, which is also YAML, one field per line so that the
 * loader's file:line:col errors map back to the request's fields.
 *
 *   {"rulesets": [{
 *       "name": "web.strict",
 *       "labels": {
 *         "env": "prod"},
 *       "rules": [
 *         {"id": "RP1001", "enabled": true, "action": "isolate"}]}]}
 *
 * Strings are double-quoted with \" \\ and \uXXXX escapes for control and
 * non-ASCII BMP characters (valid for JSON and YAML alike), so no value can
 * change the document's structure. This text is what the dir store writes
 * and what the kafka store publishes. */
#ifndef RAMPART_CONSOLE_RENDER_H
#define RAMPART_CONSOLE_RENDER_H

#include <stddef.h>

#include <jansson.h>

#include "console_kind.h"

#define CONSOLE_FIELD_MAX 64

struct console_line_seg {
	unsigned col; /* 1-based, in characters as libyaml counts them */
	char field[CONSOLE_FIELD_MAX];
};

struct console_line {
	char base[CONSOLE_FIELD_MAX]; /* field of the whole line ("" = the entry) */
	struct console_line_seg seg[4];
	unsigned nseg;
};

struct console_render {
	char *text; /* NUL-terminated */
	size_t len;
	struct console_line *lines; /* lines[0] is line 1 */
	size_t nlines, cap;
};

/* 0, or -1 when out of memory. */
int console_render(enum console_kind kind, const json_t *entry, struct console_render *out);
void console_render_free(struct console_render *r);
/* The request field an error at line:col with message msg concerns ("" if
 * none): the line's last segment starting at or before col, else its base;
 * "missing key 'k'" errors name k under the line's base. */
void console_render_field(const struct console_render *r, unsigned line, unsigned col, const char *msg, char *out,
			  size_t n);

#endif
