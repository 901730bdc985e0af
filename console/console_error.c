#include "console_error.h"

#include <stdarg.h>
#include <stdio.h>

int console_fail(struct console_error *e, int status, const char *field, const char *fmt, ...)
{
	va_list ap;

	e->status = status;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

json_t *console_error_json(const struct console_error *e)
{
	return json_pack("{s:s, s:o}", "error", e->msg, "field", e->field[0] ? json_string(e->field) : json_null());
}
