#include "driver.h"

#include <stdarg.h>
#include <stdio.h>

void act_reply_detail(struct act_reply *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
}

void act_reply_target(struct act_reply *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->target, sizeof(r->target), fmt, ap);
	va_end(ap);
}
