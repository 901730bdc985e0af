#include "buf.h"

#include <stdlib.h>
#include <string.h>

int buf_reserve(struct rp_buf *b, size_t extra)
{
	size_t need, cap;
	uint8_t *p;

	if (extra > SIZE_MAX - b->len)
		return -1;
	need = b->len + extra;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (!p)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int buf_append(struct rp_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (buf_reserve(b, n))
		return -1;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

void buf_free(struct rp_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
