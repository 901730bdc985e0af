/* Shared by console_store*.c; not part of the public API. */
#ifndef RAMPART_CONSOLE_STORE_INTERNAL_H
#define RAMPART_CONSOLE_STORE_INTERNAL_H

#include "console_store.h"

struct producer;
struct service_topic;

struct console_store {
	enum console_store_kind kind;
	char dirs[CONSOLE_KINDS][1024]; /* kafka: all three are the state directory */
	/* kafka */
	struct producer *producer;
	struct service_topic *follower;
	const char *topic;
	int remove_state_dir; /* a temporary state directory is removed at close */
};

/* The topic key of an entry: name, policies/<name>, clusters/<name>. */
int console_store_key(enum console_kind k, const char *name, char *out, size_t n);
/* <dir>/<escaped key>.yaml; -1 if it does not fit. */
int console_store_file(const char *dir, const char *key, char *out, size_t n);

int console_store_dir_open(struct console_store *s, const struct console_config *c, char *err, size_t errlen);
int console_store_dir_put(const char *path, const char *text, size_t len, char *err, size_t errlen);
int console_store_kafka_open(struct console_store *s, const struct console_config *c, char *err, size_t errlen);
int console_store_kafka_put(struct console_store *s, const char *key, const char *path, const char *text,
			    size_t len, char *err, size_t errlen);
void console_store_kafka_close(struct console_store *s);

#endif
