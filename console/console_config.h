/* rampart-console configuration: YAML file + RAMPART_* environment
 * (lib/config.h) validated into typed options. Keys and defaults are listed
 * in console_config_help(). */
#ifndef RAMPART_CONSOLE_CONFIG_H
#define RAMPART_CONSOLE_CONFIG_H

#include <stddef.h>

#include "console_kind.h"
#include "transport.h"

#define CONSOLE_MAX_RULE_PATHS 64
#define CONSOLE_MAX_PROPS 64

enum console_store_kind { CONSOLE_STORE_DIR, CONSOLE_STORE_KAFKA };

struct console_config {
	struct config *raw;
	const char *listen;
	const char *tls_cert, *tls_key; /* PEM files; both or neither */
	const char *tokens_file;
	enum console_store_kind store;
	/* The rule paths evaluators load besides the managed entries (catalog,
	 * unmanaged rulesets/policies/clusters): read for validation. */
	const char *rule_paths[CONSOLE_MAX_RULE_PATHS];
	size_t nrule_paths;
	/* dir store: one directory per kind, <dir>/<name>.yaml per entry */
	const char *dirs[CONSOLE_KINDS];
	/* kafka store: the compacted topic and where it is kept as files
	 * (NULL: a temporary directory removed at exit) */
	const char *topic;
	const char *state_dir;
	struct transport_config kafka;
	struct transport_prop props[CONSOLE_MAX_PROPS];
	size_t nprops;
	char *owned[CONSOLE_KINDS + 1]; /* strings the pointers above may point into */
};

/* 0, or -1 with err (file:line:col for YAML errors, key: reason otherwise). */
int console_config_load(struct console_config *c, const char *path, char *const *envp, char *err, size_t errlen);
void console_config_free(struct console_config *c);
const char *console_config_help(void);

#endif
