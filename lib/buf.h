/* A growable byte buffer. Encoders append to it; callers reuse one buffer
 * across messages (buf_reset keeps the allocation) so steady state allocates
 * nothing. All functions return 0 or -1 on allocation failure. */
#ifndef RAMPART_BUF_H
#define RAMPART_BUF_H

#include <stddef.h>
#include <stdint.h>

struct rp_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

int buf_reserve(struct rp_buf *b, size_t extra);
int buf_append(struct rp_buf *b, const void *p, size_t n);
static inline void buf_reset(struct rp_buf *b) { b->len = 0; }
void buf_free(struct rp_buf *b);

#endif
