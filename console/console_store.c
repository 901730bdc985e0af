/* The store's common part: names to keys and files, listing, dispatch. */
#include "console_store_internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int console_store_key(enum console_kind k, const char *name, char *out, size_t n)
{
	int len = k == CONSOLE_RULESETS ? snprintf(out, n, "%s", name)
					: snprintf(out, n, "%s/%s", console_kind_plural[k], name);
	return len < 0 || (size_t)len >= n ? -1 : 0;
}

/* As evaluator/service_topic.c names the file of a topic key. */
int console_store_file(const char *dir, const char *key, char *out, size_t n)
{
	size_t len = (size_t)snprintf(out, n, "%s/", dir);

	if (!*key || len >= n)
		return -1;
	for (size_t i = 0; key[i]; i++) {
		unsigned char c = (unsigned char)key[i];
		int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
			    c == '-' || (c == '.' && i > 0);
		if (len + 4 >= n)
			return -1;
		len += (size_t)snprintf(out + len, n - len, plain ? "%c" : "%%%02x", c);
	}
	return len + 6 < n ? (snprintf(out + len, n - len, ".yaml"), 0) : -1;
}

int console_store_path(const struct console_store *s, enum console_kind k, const char *name, char *out, size_t n)
{
	char key[512];

	if (s->kind == CONSOLE_STORE_DIR)
		return console_store_file(s->dirs[k], name, out, n);
	return console_store_key(k, name, key, sizeof(key)) ? -1 : console_store_file(s->dirs[k], key, out, n);
}

static int is_document(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return e->d_name[0] != '.' && e->d_type != DT_DIR &&
	       ((n > 5 && strcmp(e->d_name + n - 5, ".yaml") == 0) || (n > 4 && strcmp(e->d_name + n - 4, ".yml") == 0));
}

static int list_dir(const char *dir, struct console_strv *out, char *err, size_t errlen)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, is_document, alphasort), rc = 0;

	if (n < 0)
		return snprintf(err, errlen, "%s: %s", dir, strerror(errno)), -1;
	for (int i = 0; i < n; i++) {
		char path[2048];
		if (rc == 0 && (size_t)snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name) < sizeof(path) &&
		    console_strv_push(out, path))
			rc = (snprintf(err, errlen, "out of memory"), -1);
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int console_store_files(const struct console_store *s, struct console_strv *out, char *err, size_t errlen)
{
	for (int k = 0; k < CONSOLE_KINDS; k++) {
		int seen = 0;
		for (int j = 0; j < k; j++)
			seen |= strcmp(s->dirs[j], s->dirs[k]) == 0;
		if (!seen && list_dir(s->dirs[k], out, err, errlen))
			return -1;
	}
	return 0;
}

struct console_store *console_store_open(const struct console_config *c, char *err, size_t errlen)
{
	struct console_store *s = calloc(1, sizeof(*s));

	if (!s)
		return snprintf(err, errlen, "out of memory"), NULL;
	s->kind = c->store;
	if (c->store == CONSOLE_STORE_DIR ? console_store_dir_open(s, c, err, errlen)
					  : console_store_kafka_open(s, c, err, errlen)) {
		console_store_close(s);
		return NULL;
	}
	return s;
}

void console_store_close(struct console_store *s)
{
	if (!s)
		return;
	if (s->kind == CONSOLE_STORE_KAFKA)
		console_store_kafka_close(s);
	free(s);
}

const char *console_store_kind(const struct console_store *s) { return s->kind == CONSOLE_STORE_DIR ? "dir" : "kafka"; }

int console_store_put(struct console_store *s, enum console_kind k, const char *name, const char *text, size_t len,
		      char *err, size_t errlen)
{
	char path[2048], key[512];

	if (console_store_path(s, k, name, path, sizeof(path)) || console_store_key(k, name, key, sizeof(key)))
		return snprintf(err, errlen, "name too long for the store"), -1;
	if (s->kind == CONSOLE_STORE_DIR)
		return console_store_dir_put(path, text, len, err, errlen);
	return console_store_kafka_put(s, key, path, text, len, err, errlen);
}

int console_store_delete(struct console_store *s, enum console_kind k, const char *name, char *err, size_t errlen)
{
	char path[2048], key[512];

	if (console_store_path(s, k, name, path, sizeof(path)) || console_store_key(k, name, key, sizeof(key)))
		return snprintf(err, errlen, "name too long for the store"), -1;
	if (s->kind == CONSOLE_STORE_KAFKA)
		return console_store_kafka_put(s, key, path, NULL, 0, err, errlen);
	if (unlink(path) && errno != ENOENT)
		return snprintf(err, errlen, "%s: %s", path, strerror(errno)), -1;
	return 0;
}
