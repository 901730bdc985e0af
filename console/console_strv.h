/* A growable list of owned strings. */
#ifndef RAMPART_CONSOLE_STRV_H
#define RAMPART_CONSOLE_STRV_H

#include <stddef.h>

struct console_strv {
	char **v;
	size_t n, cap;
};

/* 0, or -1 when out of memory (s is then unchanged). */
int console_strv_push(struct console_strv *s, const char *str);
void console_strv_free(struct console_strv *s);

#endif
