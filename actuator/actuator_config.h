/* rampart-actuator configuration: YAML file + RAMPART_* environment
 * (lib/config.h) validated into typed options. Keys and defaults are listed
 * in actuator_config_help(). Strings point into raw (or rule_store,
 * exclude_store) and live until actuator_config_free. */
#ifndef RAMPART_ACTUATOR_CONFIG_H
#define RAMPART_ACTUATOR_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "transport.h"

#define ACT_MAX_PROPS 64
#define ACT_MAX_LIST 64

/* A driver: on when its credentials are found (auto), required, or off. */
enum act_enable { ACT_ENABLE_AUTO, ACT_ENABLE_ON, ACT_ENABLE_OFF };

struct actuator_config {
	struct config *raw;
	const char *node;
	const char *verdicts_topic, *actions_topic, *dlq_topic, *group;
	const char *metrics_addr;
	bool dry_run, seed_from_actions;
	const char *rule_paths[ACT_MAX_LIST];
	size_t nrule_paths;
	const char *excluded[ACT_MAX_LIST];
	size_t nexcluded;
	long max_actions_per_minute, max_attempts, backoff_ms, backoff_max_ms, dedupe_capacity, batch, workers;
	/* drivers */
	enum act_enable kubernetes, ecs, local;
	const char *kubeconfig, *kube_context, *kube_token_file, *kube_ca_file;
	long kube_grace_period_s, request_timeout_ms;
	const char *ecs_region, *ecs_endpoint;
	const char *cgroup2_root, *state_dir;
	struct transport_config producer, consumer;
	struct transport_prop props[ACT_MAX_PROPS];
	struct transport_prop producer_props[ACT_MAX_PROPS + 1]; /* + linger.ms */
	struct transport_prop consumer_props[ACT_MAX_PROPS + 1]; /* + isolation.level */
	char *rule_store, *exclude_store;
};

/* 0, or -1 with err (file:line:col for YAML errors, key: reason otherwise). */
int actuator_config_load(struct actuator_config *ac, const char *path, char *const *envp, char *err, size_t errlen);
/* The actuator.* keys only, for `rampart run` (no Kafka: the topics and
 * kafka.* keys are read but not required). */
int actuator_config_load_embedded(struct actuator_config *ac, const char *path, char *const *envp, char *err,
				  size_t errlen);
/* actuator_options (actuator.h) from the configuration; policy and stop are
 * the caller's. */
struct actuator_options;
void actuator_config_options(const struct actuator_config *ac, struct actuator_options *o);
void actuator_config_free(struct actuator_config *ac);
const char *actuator_config_help(void);
/* "a, b,c" -> out[]; 0, or -1 with err naming key. store is a malloc'd
 * copy out points into. */
int actuator_config_split(const char *key, const char *list, char **store, const char **out, size_t max,
			  size_t *n, char *err, size_t errlen);

#endif
