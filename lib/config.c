#include "config.h"

#include "buf.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define CONFIG_MAX_DEPTH 16

struct config_entry {
	char *key;
	char *value;
};

struct config {
	struct config_entry *entries;
	size_t n, cap;
};

/* Parser state: the dotted path of enclosing mapping keys. */
struct config_parser {
	const char *path;
	yaml_parser_t yaml;
	struct config *cfg;
	char *keys[CONFIG_MAX_DEPTH]; /* key awaiting its value at each depth */
	int depth;                    /* open mappings */
	char *err;
	size_t errlen;
};

static int parser_fail(struct config_parser *p, const yaml_mark_t *m, const char *msg, const char *arg)
{
	snprintf(p->err, p->errlen, "%s:%zu:%zu: %s%s%s", p->path, m->line + 1, m->column + 1, msg,
		 arg ? " " : "", arg ? arg : "");
	return -1;
}

/* '.' and '_' are one separator: an environment name cannot say which it
 * meant (RAMPART_COLLECTOR_CONTAINER_ONLY is collector.container_only). */
static bool key_equal(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		if (*a != *b && !((*a == '.' || *a == '_') && (*b == '.' || *b == '_')))
			return false;
	}
	return *a == *b;
}

static struct config_entry *config_find(const struct config *cfg, const char *key)
{
	for (size_t i = 0; i < cfg->n; i++) {
		if (key_equal(cfg->entries[i].key, key))
			return &cfg->entries[i];
	}
	return NULL;
}

/* Takes ownership of key and value, also on failure. */
static int config_set(struct config *cfg, char *key, char *value)
{
	struct config_entry *e = config_find(cfg, key);

	if (e) {
		free(key);
		free(e->value);
		e->value = value;
		return 0;
	}
	if (cfg->n == cfg->cap) {
		size_t cap = cfg->cap ? cfg->cap * 2 : 16;
		struct config_entry *p = realloc(cfg->entries, cap * sizeof(*p));

		if (!p) {
			free(key);
			free(value);
			return -1;
		}
		cfg->entries = p;
		cfg->cap = cap;
	}
	cfg->entries[cfg->n++] = (struct config_entry){key, value};
	return 0;
}

/* The full dotted key for the value now being read. */
static char *parser_current_key(const struct config_parser *p)
{
	struct rp_buf b = {0};

	for (int i = 0; i < p->depth; i++) {
		if ((i && buf_append(&b, ".", 1)) || buf_append(&b, p->keys[i], strlen(p->keys[i]))) {
			buf_free(&b);
			return NULL;
		}
	}
	if (buf_append(&b, "", 1)) {
		buf_free(&b);
		return NULL;
	}
	return (char *)b.data;
}

static int parser_store(struct config_parser *p, const yaml_mark_t *m, char *value)
{
	char *key = parser_current_key(p);

	if (!key || !value) {
		free(key);
		free(value);
		return parser_fail(p, m, "out of memory", NULL);
	}
	if (config_find(p->cfg, key)) {
		parser_fail(p, m, "duplicate key", key);
		free(key);
		free(value);
		return -1;
	}
	if (config_set(p->cfg, key, value))
		return parser_fail(p, m, "out of memory", NULL);
	return 0;
}

/* A sequence of scalars becomes one comma-separated value (broker lists). */
static int parser_read_sequence(struct config_parser *p, const yaml_mark_t *start)
{
	struct rp_buf joined = {0};
	yaml_event_t ev;
	int rc = 0;

	for (;;) {
		if (!yaml_parser_parse(&p->yaml, &ev)) {
			buf_free(&joined);
			return parser_fail(p, &p->yaml.problem_mark, p->yaml.problem, NULL);
		}
		if (ev.type == YAML_SEQUENCE_END_EVENT)
			break;
		if (ev.type != YAML_SCALAR_EVENT) {
			rc = parser_fail(p, &ev.start_mark, "expected a scalar in this list", NULL);
			break;
		}
		if ((joined.len && buf_append(&joined, ",", 1)) ||
		    buf_append(&joined, ev.data.scalar.value, ev.data.scalar.length)) {
			rc = parser_fail(p, &ev.start_mark, "out of memory", NULL);
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_event_delete(&ev);
	if (rc || buf_append(&joined, "", 1)) {
		buf_free(&joined);
		return rc ? rc : parser_fail(p, start, "out of memory", NULL);
	}
	return parser_store(p, start, (char *)joined.data);
}

static int parser_on_scalar(struct config_parser *p, const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;

	if (p->depth == 0)
		return parser_fail(p, &ev->start_mark, "expected a mapping at the top level", NULL);
	if (!p->keys[p->depth - 1]) {
		if (!*s || strchr(s, ' '))
			return parser_fail(p, &ev->start_mark, "invalid key", s);
		p->keys[p->depth - 1] = strdup(s);
		return p->keys[p->depth - 1] ? 0 : parser_fail(p, &ev->start_mark, "out of memory", NULL);
	}
	if (parser_store(p, &ev->start_mark, strdup(s)))
		return -1;
	free(p->keys[p->depth - 1]);
	p->keys[p->depth - 1] = NULL;
	return 0;
}

static int parser_on_mapping_start(struct config_parser *p, const yaml_event_t *ev)
{
	if (p->depth > 0 && !p->keys[p->depth - 1])
		return parser_fail(p, &ev->start_mark, "a key must be a scalar", NULL);
	if (p->depth == CONFIG_MAX_DEPTH)
		return parser_fail(p, &ev->start_mark, "mappings nested too deeply", NULL);
	p->keys[p->depth++] = NULL;
	return 0;
}

static void parser_on_mapping_end(struct config_parser *p)
{
	free(p->keys[--p->depth]);
	p->keys[p->depth] = NULL;
	if (p->depth > 0) {
		free(p->keys[p->depth - 1]);
		p->keys[p->depth - 1] = NULL;
	}
}

static int parser_on_event(struct config_parser *p, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return parser_on_scalar(p, ev);
	case YAML_MAPPING_START_EVENT:
		return parser_on_mapping_start(p, ev);
	case YAML_MAPPING_END_EVENT:
		parser_on_mapping_end(p);
		return 0;
	case YAML_SEQUENCE_START_EVENT:
		if (p->depth == 0 || !p->keys[p->depth - 1])
			return parser_fail(p, &ev->start_mark, "a list is allowed only as a value", NULL);
		if (parser_read_sequence(p, &ev->start_mark))
			return -1;
		free(p->keys[p->depth - 1]);
		p->keys[p->depth - 1] = NULL;
		return 0;
	case YAML_ALIAS_EVENT:
		return parser_fail(p, &ev->start_mark, "aliases are not supported", NULL);
	default:
		return 0;
	}
}

static int config_parse_file(struct config *cfg, const char *path, char *err, size_t errlen)
{
	struct config_parser p = {.path = path, .cfg = cfg, .err = err, .errlen = errlen};
	FILE *f = fopen(path, "r");
	yaml_event_t ev;
	int rc = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	yaml_parser_initialize(&p.yaml);
	yaml_parser_set_input_file(&p.yaml, f);
	do {
		if (!yaml_parser_parse(&p.yaml, &ev)) {
			rc = parser_fail(&p, &p.yaml.problem_mark, p.yaml.problem, NULL);
			break;
		}
		rc = parser_on_event(&p, &ev);
		if (ev.type == YAML_STREAM_END_EVENT)
			break;
		yaml_event_delete(&ev);
	} while (!rc);
	yaml_event_delete(&ev);
	for (int i = 0; i < CONFIG_MAX_DEPTH; i++)
		free(p.keys[i]);
	yaml_parser_delete(&p.yaml);
	fclose(f);
	return rc;
}

/* RAMPART_KAFKA_SECURITY_PROTOCOL=x -> kafka.security.protocol = x */
static int config_apply_env(struct config *cfg, char *const *envp)
{
	static const char prefix[] = "RAMPART_";

	for (; envp && *envp; envp++) {
		const char *eq = strchr(*envp, '=');
		char *key, *value;

		if (strncmp(*envp, prefix, sizeof(prefix) - 1) || !eq || eq - *envp <= (long)sizeof(prefix) - 1)
			continue;
		key = strndup(*envp + sizeof(prefix) - 1, (size_t)(eq - *envp) - (sizeof(prefix) - 1));
		value = strdup(eq + 1);
		if (!key || !value) {
			free(key);
			free(value);
			return -1;
		}
		for (char *c = key; *c; c++)
			*c = *c == '_' ? '.' : (char)tolower((unsigned char)*c);
		if (config_set(cfg, key, value))
			return -1;
	}
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct config_entry *)a)->key, ((const struct config_entry *)b)->key);
}

struct config *config_load(const char *path, char *const *envp, char *err, size_t errlen)
{
	struct config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (path && config_parse_file(cfg, path, err, errlen)) {
		config_free(cfg);
		return NULL;
	}
	if (config_apply_env(cfg, envp)) {
		snprintf(err, errlen, "out of memory");
		config_free(cfg);
		return NULL;
	}
	if (cfg->n)
		qsort(cfg->entries, cfg->n, sizeof(*cfg->entries), entry_cmp);
	return cfg;
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n; i++) {
		free(cfg->entries[i].key);
		free(cfg->entries[i].value);
	}
	free(cfg->entries);
	free(cfg);
}

const char *config_get(const struct config *cfg, const char *key, const char *fallback)
{
	const struct config_entry *e = config_find(cfg, key);

	return e ? e->value : fallback;
}

int config_get_int(const struct config *cfg, const char *key, long fallback, long min, long max, long *out,
		   char *err, size_t errlen)
{
	const char *s = config_get(cfg, key, NULL);
	char *end;
	long v;

	if (!s) {
		*out = fallback;
		return 0;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		snprintf(err, errlen, "%s: expected an integer in [%ld, %ld], got '%s'", key, min, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

size_t config_section(const struct config *cfg, const char *prefix, struct transport_prop *out, size_t max)
{
	size_t plen = strlen(prefix), n = 0;

	for (size_t i = 0; i < cfg->n; i++) {
		const struct config_entry *e = &cfg->entries[i];

		if (strncmp(e->key, prefix, plen) || !e->key[plen])
			continue;
		if (n < max)
			out[n] = (struct transport_prop){e->key + plen, e->value};
		n++;
	}
	return n;
}
