/* Bearer tokens: a file of lines `TOKEN ROLE NAME` (blank lines and #
 * comments ignored), ROLE `admin` (read and change) or `read` (read only),
 * NAME who the audit log names. Tokens must be at least 16 characters.
 * console_tokens_find compares against every token in constant time per
 * byte, so timing tells nothing about which prefix matched. */
#ifndef RAMPART_CONSOLE_TOKENS_H
#define RAMPART_CONSOLE_TOKENS_H

#include <stdbool.h>
#include <stddef.h>

#define CONSOLE_TOKEN_MIN 16

enum console_role { CONSOLE_ROLE_READ, CONSOLE_ROLE_ADMIN };

struct console_principal {
	char *token, *name;
	enum console_role role;
};

struct console_tokens {
	struct console_principal *p;
	size_t n;
};

/* 0, or -1 with err naming the file and line. */
int console_tokens_load(struct console_tokens *t, const char *path, char *err, size_t errlen);
void console_tokens_free(struct console_tokens *t);
/* The principal whose token is token[0..len), or NULL. */
const struct console_principal *console_tokens_find(const struct console_tokens *t, const char *token, size_t len);
const char *console_role_name(enum console_role r);

#endif
