#include "console_tokens.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *console_role_name(enum console_role r) { return r == CONSOLE_ROLE_ADMIN ? "admin" : "read"; }

static int add(struct console_tokens *t, const char *token, const char *role, const char *name)
{
	struct console_principal *p = realloc(t->p, (t->n + 1) * sizeof(*p));

	if (!p)
		return -1;
	t->p = p;
	p = &t->p[t->n];
	p->role = strcmp(role, "admin") == 0 ? CONSOLE_ROLE_ADMIN : CONSOLE_ROLE_READ;
	p->token = strdup(token);
	p->name = strdup(name);
	if (!p->token || !p->name) {
		free(p->token);
		free(p->name);
		return -1;
	}
	t->n++;
	return 0;
}

static int parse_line(struct console_tokens *t, char *line, const char *path, unsigned no, char *err,
		      size_t errlen)
{
	char *save = NULL, *token = strtok_r(line, " \t\r\n", &save);
	char *role = strtok_r(NULL, " \t\r\n", &save), *name = strtok_r(NULL, " \t\r\n", &save);

	if (!token || token[0] == '#')
		return 0;
	if (!role || !name || strtok_r(NULL, " \t\r\n", &save))
		return snprintf(err, errlen, "%s:%u: expected `TOKEN ROLE NAME`", path, no), -1;
	if (strlen(token) < CONSOLE_TOKEN_MIN)
		return snprintf(err, errlen, "%s:%u: token shorter than %d characters", path, no,
				CONSOLE_TOKEN_MIN), -1;
	if (strcmp(role, "admin") != 0 && strcmp(role, "read") != 0)
		return snprintf(err, errlen, "%s:%u: unknown role '%s' (expected admin or read)", path, no, role), -1;
	if (add(t, token, role, name))
		return snprintf(err, errlen, "out of memory"), -1;
	return 0;
}

int console_tokens_load(struct console_tokens *t, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	unsigned no = 0;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	if (!f)
		return snprintf(err, errlen, "%s: %s", path, strerror(errno)), -1;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		if (!strchr(line, '\n') && !feof(f))
			rc = (snprintf(err, errlen, "%s:%u: line longer than %zu characters", path, no + 1,
				       sizeof(line) - 2), -1);
		else
			rc = parse_line(t, line, path, ++no, err, errlen);
	}
	memset(line, 0, sizeof(line)); /* no token copy left on the stack */
	fclose(f);
	if (rc == 0 && t->n == 0)
		rc = (snprintf(err, errlen, "%s: no tokens", path), -1);
	if (rc)
		console_tokens_free(t);
	return rc;
}

void console_tokens_free(struct console_tokens *t)
{
	for (size_t i = 0; i < t->n; i++) {
		/* the token leaves no copy behind in freed memory */
		memset(t->p[i].token, 0, strlen(t->p[i].token));
		free(t->p[i].token);
		free(t->p[i].name);
	}
	free(t->p);
	memset(t, 0, sizeof(*t));
}

static int same(const char *a, size_t alen, const char *b, size_t blen)
{
	unsigned char diff = alen != blen;

	for (size_t i = 0; i < blen; i++)
		diff |= (unsigned char)(b[i] ^ (i < alen ? a[i] : 0));
	return diff == 0;
}

const struct console_principal *console_tokens_find(const struct console_tokens *t, const char *token, size_t len)
{
	const struct console_principal *found = NULL;

	for (size_t i = 0; i < t->n; i++)
		if (same(token, len, t->p[i].token, strlen(t->p[i].token)))
			found = &t->p[i];
	return found;
}
