/* Daemon configuration: a YAML file of nested mappings with scalar leaves,
 * flattened to dotted keys, then overridden by the environment.
 *
 *   kafka:                              kafka.bootstrap.servers
 *     bootstrap.servers: b1:9092   ->   kafka.security.protocol
 *     security.protocol: SASL_SSL
 *
 * An environment variable RAMPART_<KEY> overrides <key>: the name after the
 * prefix is lower-cased and each '_' read as '.', so
 * RAMPART_KAFKA_SECURITY_PROTOCOL=SSL sets kafka.security.protocol. Since
 * a variable name cannot tell '.' from '_', keys are matched treating the
 * two as one separator (RAMPART_COLLECTOR_CONTAINER_ONLY sets
 * collector.container_only).
 * Errors are reported as file:line:col: message. A config is immutable once
 * loaded; daemons swap a whole new one on reload. */
#ifndef RAMPART_CONFIG_H
#define RAMPART_CONFIG_H

#include <stddef.h>

#include "transport.h"

struct config;

/* path may be NULL (environment only). envp is the environment to read
 * overrides from (environ in daemons, a fixed list in tests). */
struct config *config_load(const char *path, char *const *envp, char *err, size_t errlen);
void config_free(struct config *cfg);

const char *config_get(const struct config *cfg, const char *key, const char *fallback);
/* 0 and *out set, or -1 with err when the value is not an integer in range. */
int config_get_int(const struct config *cfg, const char *key, long fallback, long min, long max, long *out,
		   char *err, size_t errlen);

/* Fills out[0..max) with the entries whose key starts with prefix (e.g.
 * "kafka."), prefix stripped, in key order; returns how many there are (which
 * may exceed max). The strings live as long as cfg. */
size_t config_section(const struct config *cfg, const char *prefix, struct transport_prop *out, size_t max);

#endif
