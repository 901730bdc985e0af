#include "codec_error.h"

#include <stdarg.h>
#include <stdio.h>

int codec_fail(struct codec_error *err, size_t offset, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->offset = offset;
	return -1;
}
