/* Helpers shared by the test_rules_* tests: rule YAML written to a file
 * under a fixed name, loaded, and the diagnostics searched. */
#ifndef TEST_RULES_UTIL_H
#define TEST_RULES_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "doc.h"
#include "evaluator.h"

static inline const char *tr_write(const char *name, const char *yaml)
{
	static char path[256];
	snprintf(path, sizeof(path), "/tmp/rp_test_rules_%d_%s", (int)getpid(), name);
	FILE *f = fopen(path, "w");
	if (!f)
		return NULL;
	fputs(yaml, f);
	fclose(f);
	return path;
}

/* Compiles yaml (written as NAME); returns the config or NULL, diag in d. */
static inline struct eval_config *tr_load(const char *name, const char *yaml, struct diag *d)
{
	const char *p = tr_write(name, yaml);
	const char *paths[] = {p};
	struct eval_config *cfg = p ? eval_config_load(paths, 1, d) : NULL;
	if (p)
		unlink(p);
	return cfg;
}

/* Whether some diagnostic ends-with-path "NAME:line:col: " and contains msg. */
static inline int tr_has(const struct diag *d, const char *name, unsigned line, unsigned col, const char *msg)
{
	char want[128];
	snprintf(want, sizeof(want), "%s:%u:%u: ", name, line, col);
	for (size_t i = 0; i < d->n; i++) {
		const char *at = strstr(d->msgs[i], want);
		if (at && (at == d->msgs[i] || at[-1] == '_') && strstr(at + strlen(want), msg))
			return 1;
	}
	fprintf(stderr, "missing %s%s; have:\n", want, msg);
	diag_print(d, stderr);
	return 0;
}

#endif
