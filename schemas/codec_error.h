/* Error report of the decoders: what was wrong and the byte offset into the
 * input where it was found. Decoders fill it when they return -1. */
#ifndef RAMPART_CODEC_ERROR_H
#define RAMPART_CODEC_ERROR_H

#include <stddef.h>

struct codec_error {
	char msg[160];
	size_t offset;
};

/* printf-style; a NULL err is allowed and ignored. Always returns -1. */
int codec_fail(struct codec_error *err, size_t offset, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
