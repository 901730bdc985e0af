#include "console_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

const char *console_config_help(void)
{
	return "configuration keys (YAML file; RAMPART_<KEY> environment overrides, '.' as '_'):\n"
	       "  console.listen          host:port, default 127.0.0.1:8443 with TLS, 127.0.0.1:8080\n"
	       "                          without; port 0 picks a free one\n"
	       "  console.tls_cert        PEM certificate chain; with console.tls_key: HTTPS\n"
	       "  console.tls_key         PEM private key\n"
	       "  console.tokens_file     lines `TOKEN ROLE NAME` (ROLE admin|read; # comments),\n"
	       "                          required; NAME is who the audit log names\n"
	       "  console.rules           rule paths the evaluators load besides the managed\n"
	       "                          entries (the catalog, unmanaged files): a YAML list or\n"
	       "                          comma-separated; required; must not contain the\n"
	       "                          managed directories\n"
	       "  console.store           dir (default) or kafka\n"
	       "  console.rulesets_dir    dir store: managed rulesets, <dir>/<name>.yaml (required)\n"
	       "  console.policies_dir    dir store: default <rulesets_dir>/policies\n"
	       "  console.clusters_dir    dir store: default <rulesets_dir>/clusters\n"
	       "  console.rulesets_topic  kafka store: compacted topic, default rampart.rulesets\n"
	       "                          (key = ruleset name, policies/<name>, clusters/<name>)\n"
	       "  console.state_dir       kafka store: local copy of the topic, default a\n"
	       "                          temporary directory\n"
	       "  kafka.<property>        librdkafka property, e.g. kafka.bootstrap.servers\n";
}

static int split_paths(struct console_config *c, const char *list, char *err, size_t errlen)
{
	char *save = NULL;

	if (!list || !*list)
		return snprintf(err, errlen, "console.rules: required (the catalog at least)"), -1;
	if (!(c->owned[CONSOLE_KINDS] = strdup(list)))
		return snprintf(err, errlen, "out of memory"), -1;
	for (char *tok = strtok_r(c->owned[CONSOLE_KINDS], ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		if (c->nrule_paths == CONSOLE_MAX_RULE_PATHS)
			return snprintf(err, errlen, "console.rules: more than %d paths", CONSOLE_MAX_RULE_PATHS), -1;
		c->rule_paths[c->nrule_paths++] = tok;
	}
	return c->nrule_paths ? 0 : (snprintf(err, errlen, "console.rules: required (the catalog at least)"), -1);
}

static int dir_store(struct console_config *c, char *err, size_t errlen)
{
	static const char *const keys[CONSOLE_KINDS] = {"console.rulesets_dir", "console.policies_dir",
							"console.clusters_dir"};
	const char *base = config_get(c->raw, keys[CONSOLE_RULESETS], NULL);

	if (!base || !*base)
		return snprintf(err, errlen, "console.rulesets_dir: required with console.store: dir"), -1;
	c->dirs[CONSOLE_RULESETS] = base;
	for (int k = CONSOLE_POLICIES; k < CONSOLE_KINDS; k++) {
		c->dirs[k] = config_get(c->raw, keys[k], NULL);
		if (c->dirs[k] && *c->dirs[k])
			continue;
		size_t n = strlen(base) + strlen(console_kind_plural[k]) + 2;
		if (!(c->owned[k] = malloc(n)))
			return snprintf(err, errlen, "out of memory"), -1;
		snprintf(c->owned[k], n, "%s/%s", base, console_kind_plural[k]);
		c->dirs[k] = c->owned[k];
	}
	return 0;
}

static int kafka_store(struct console_config *c, char *err, size_t errlen)
{
	size_t n = config_section(c->raw, "kafka.", c->props, CONSOLE_MAX_PROPS);

	if (n > CONSOLE_MAX_PROPS)
		return snprintf(err, errlen, "kafka.*: more than %d properties", CONSOLE_MAX_PROPS), -1;
	c->nprops = n;
	c->topic = config_get(c->raw, "console.rulesets_topic", "rampart.rulesets");
	c->state_dir = config_get(c->raw, "console.state_dir", NULL);
	c->kafka = (struct transport_config){
		.kind = TRANSPORT_KAFKA,
		.brokers = config_get(c->raw, "kafka.bootstrap.servers", NULL),
		.client_id = "rampart-console",
		.props = c->props,
		.nprops = n,
	};
	if (!c->kafka.brokers || !*c->kafka.brokers)
		return snprintf(err, errlen, "kafka.bootstrap.servers: required with console.store: kafka"), -1;
	return 0;
}

static int server_keys(struct console_config *c, char *err, size_t errlen)
{
	c->tls_cert = config_get(c->raw, "console.tls_cert", NULL);
	c->tls_key = config_get(c->raw, "console.tls_key", NULL);
	if (!c->tls_cert != !c->tls_key)
		return snprintf(err, errlen, "console.tls_cert and console.tls_key: set both or neither"), -1;
	c->listen = config_get(c->raw, "console.listen", c->tls_cert ? "127.0.0.1:8443" : "127.0.0.1:8080");
	c->tokens_file = config_get(c->raw, "console.tokens_file", NULL);
	if (!c->tokens_file || !*c->tokens_file)
		return snprintf(err, errlen, "console.tokens_file: required (every request is authenticated)"), -1;
	return 0;
}

int console_config_load(struct console_config *c, const char *path, char *const *envp, char *err, size_t errlen)
{
	const char *store;

	memset(c, 0, sizeof(*c));
	if (!(c->raw = config_load(path, envp, err, errlen)))
		return -1;
	store = config_get(c->raw, "console.store", "dir");
	if (strcmp(store, "dir") == 0)
		c->store = CONSOLE_STORE_DIR;
	else if (strcmp(store, "kafka") == 0)
		c->store = CONSOLE_STORE_KAFKA;
	else {
		snprintf(err, errlen, "console.store: unknown store '%s' (expected dir or kafka)", store);
		console_config_free(c);
		return -1;
	}
	if (server_keys(c, err, errlen) || split_paths(c, config_get(c->raw, "console.rules", NULL), err, errlen) ||
	    (c->store == CONSOLE_STORE_DIR ? dir_store(c, err, errlen) : kafka_store(c, err, errlen))) {
		console_config_free(c);
		return -1;
	}
	return 0;
}

void console_config_free(struct console_config *c)
{
	config_free(c->raw);
	for (size_t i = 0; i < sizeof(c->owned) / sizeof(c->owned[0]); i++)
		free(c->owned[i]);
	memset(c, 0, sizeof(*c));
}
