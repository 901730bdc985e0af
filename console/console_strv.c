#include "console_strv.h"

#include <stdlib.h>
#include <string.h>

int console_strv_push(struct console_strv *s, const char *str)
{
	char *copy = strdup(str);

	if (!copy)
		return -1;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **v = realloc(s->v, cap * sizeof(*v));
		if (!v) {
			free(copy);
			return -1;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = copy;
	return 0;
}

void console_strv_free(struct console_strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}
