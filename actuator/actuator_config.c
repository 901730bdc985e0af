#include "actuator_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actuator.h"
#include "config.h"

const char *actuator_config_help(void)
{
	return "configuration keys (YAML file; RAMPART_<KEY> environment overrides, '.' as '_'):\n"
	       "  node                              name in the start-up log line (optional)\n"
	       "  kafka.<property>                  librdkafka property, e.g. kafka.bootstrap.servers\n"
	       "                                    (required)\n"
	       "  actuator.verdicts_topic           default rampart.verdicts (read_committed)\n"
	       "  actuator.actions_topic            audit trail, default rampart.actions\n"
	       "  actuator.dlq_topic                undecodable verdicts, default rampart.verdicts.dlq\n"
	       "  actuator.group                    consumer group, default rampart-actuator\n"
	       "  actuator.rules                    rule documents with the clusters, for the actuator's\n"
	       "                                    own action-table check (list or comma-separated);\n"
	       "                                    default none: the event's orchestrator decides and\n"
	       "                                    ECS terminate is not allowed (version unknown)\n"
	       "  actuator.dry_run                  true: decide and record, call nothing (default false)\n"
	       "  actuator.exclude_namespaces       never touched, default kube-system,rampart\n"
	       "  actuator.max_actions_per_minute   isolate+terminate per namespace / ECS cluster / host\n"
	       "                                    per minute, default 10; 0: no limit\n"
	       "  actuator.max_attempts             per action, default 5 (timeouts, 429, 5xx)\n"
	       "  actuator.backoff_ms               first retry delay cap, default 200 (doubles, full jitter)\n"
	       "  actuator.backoff_max_ms           default 5000\n"
	       "  actuator.dedupe_capacity          verdict ids remembered, default 200000\n"
	       "  actuator.seed_from_actions        read the audit trail at start so ids acted on before\n"
	       "                                    a restart are not acted on again, default true\n"
	       "  actuator.batch                    verdicts per offset commit, default 64\n"
	       "  actuator.workers                  verdicts acted on in parallel (one workload's in order),\n"
	       "                                    default 8\n"
	       "  actuator.request_timeout_ms       per API call, default 5000\n"
	       "  actuator.metrics_addr             /metrics /healthz /readyz, default 0.0.0.0:9466; off\n"
	       "  actuator.<driver>.enabled         auto (default): on when its credentials are found;\n"
	       "                                    true: required (no credentials: exit 3); false: off\n"
	       "  actuator.kubernetes.enabled       auto: a kubeconfig is set or KUBERNETES_SERVICE_HOST\n"
	       "  actuator.kubernetes.kubeconfig    out-of-cluster credentials; default: in-cluster\n"
	       "                                    (service-account token, KUBERNETES_SERVICE_HOST/PORT)\n"
	       "  actuator.kubernetes.context       kubeconfig context, default its current-context\n"
	       "  actuator.kubernetes.token_file    in-cluster token, default the service account's\n"
	       "  actuator.kubernetes.ca_file       in-cluster CA, default the service account's\n"
	       "  actuator.kubernetes.grace_period_s  pod deletion grace period, default 5\n"
	       "  actuator.ecs.enabled              auto: a region or endpoint is set, or AWS_REGION,\n"
	       "                                    AWS_DEFAULT_REGION or ECS_CONTAINER_METADATA_URI_V4\n"
	       "  actuator.ecs.region               default from the task ARN, then AWS_REGION\n"
	       "  actuator.ecs.endpoint             default https://ecs.<region>.amazonaws.com\n"
	       "  actuator.local.enabled            auto: running as root\n"
	       "  actuator.local.cgroup2_root       default: detected\n"
	       "  actuator.local.state_dir          isolated containers, default /run/rampart/isolated\n";
}

int actuator_config_split(const char *key, const char *list, char **store, const char **out, size_t max,
			  size_t *n, char *err, size_t errlen)
{
	char *save = NULL;

	*n = 0;
	if (!list || !*list)
		return 0;
	*store = strdup(list);
	if (!*store)
		return snprintf(err, errlen, "out of memory"), -1;
	for (char *tok = strtok_r(*store, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		if (*n == max)
			return snprintf(err, errlen, "%s: more than %zu entries", key, max), -1;
		out[(*n)++] = tok;
	}
	return 0;
}

static int get_bool(const struct config *c, const char *key, bool fallback, bool *out, char *err, size_t errlen)
{
	const char *v = config_get(c, key, NULL);

	if (!v) {
		*out = fallback;
		return 0;
	}
	if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes"))
		return *out = true, 0;
	if (!strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "no"))
		return *out = false, 0;
	return snprintf(err, errlen, "%s: expected true or false, got \"%s\"", key, v), -1;
}

/* The verdicts come from transactional evaluators: read only what committed.
 * Each outcome is flushed before its offset commits, so no linger. */
static int parse_transport(struct actuator_config *ac, char *err, size_t errlen)
{
	size_t n = config_section(ac->raw, "kafka.", ac->props, ACT_MAX_PROPS);

	if (n > ACT_MAX_PROPS)
		return snprintf(err, errlen, "kafka.*: more than %d properties", ACT_MAX_PROPS), -1;
	struct transport_config t = {
		.kind = TRANSPORT_KAFKA,
		.brokers = config_get(ac->raw, "kafka.bootstrap.servers", NULL),
		.client_id = "rampart-actuator",
		.props = ac->props,
		.nprops = n,
	};
	if (!t.brokers || !*t.brokers)
		return snprintf(err, errlen, "kafka.bootstrap.servers: required"), -1;
	memcpy(ac->producer_props, ac->props, n * sizeof(*ac->props));
	memcpy(ac->consumer_props, ac->props, n * sizeof(*ac->props));
	ac->producer = t;
	ac->producer.props = ac->producer_props;
	if (!config_get(ac->raw, "kafka.linger.ms", NULL))
		ac->producer_props[ac->producer.nprops++] = (struct transport_prop){"linger.ms", "0"};
	ac->consumer = t;
	ac->consumer.props = ac->consumer_props;
	ac->consumer.group_id = ac->group;
	if (!config_get(ac->raw, "kafka.isolation.level", NULL))
		ac->consumer_props[ac->consumer.nprops++] = (struct transport_prop){"isolation.level", "read_committed"};
	return 0;
}

static int get_enable(const struct config *c, const char *key, enum act_enable *out, char *err, size_t errlen)
{
	const char *v = config_get(c, key, "auto");

	if (!strcmp(v, "auto"))
		return *out = ACT_ENABLE_AUTO, 0;
	if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes"))
		return *out = ACT_ENABLE_ON, 0;
	if (!strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "no"))
		return *out = ACT_ENABLE_OFF, 0;
	return snprintf(err, errlen, "%s: expected auto, true or false, got \"%s\"", key, v), -1;
}

static int parse_drivers(struct actuator_config *ac, char *err, size_t errlen)
{
	const struct config *c = ac->raw;

	ac->kubeconfig = config_get(c, "actuator.kubernetes.kubeconfig", NULL);
	ac->kube_context = config_get(c, "actuator.kubernetes.context", NULL);
	ac->kube_token_file = config_get(c, "actuator.kubernetes.token_file", NULL);
	ac->kube_ca_file = config_get(c, "actuator.kubernetes.ca_file", NULL);
	ac->ecs_region = config_get(c, "actuator.ecs.region", NULL);
	ac->ecs_endpoint = config_get(c, "actuator.ecs.endpoint", NULL);
	ac->cgroup2_root = config_get(c, "actuator.local.cgroup2_root", NULL);
	ac->state_dir = config_get(c, "actuator.local.state_dir", "/run/rampart/isolated");
	return get_enable(c, "actuator.kubernetes.enabled", &ac->kubernetes, err, errlen) ||
	       get_enable(c, "actuator.ecs.enabled", &ac->ecs, err, errlen) ||
	       get_enable(c, "actuator.local.enabled", &ac->local, err, errlen) ||
	       config_get_int(c, "actuator.kubernetes.grace_period_s", 5, 0, 3600, &ac->kube_grace_period_s, err,
			      errlen);
}

static int parse_numbers(struct actuator_config *ac, char *err, size_t errlen)
{
	const struct config *c = ac->raw;

	return config_get_int(c, "actuator.max_actions_per_minute", 10, 0, 1000000, &ac->max_actions_per_minute,
			      err, errlen) ||
	       config_get_int(c, "actuator.max_attempts", 5, 1, 100, &ac->max_attempts, err, errlen) ||
	       config_get_int(c, "actuator.backoff_ms", 200, 1, 60000, &ac->backoff_ms, err, errlen) ||
	       config_get_int(c, "actuator.backoff_max_ms", 5000, 1, 600000, &ac->backoff_max_ms, err, errlen) ||
	       config_get_int(c, "actuator.dedupe_capacity", 200000, 16, 100000000, &ac->dedupe_capacity, err,
			      errlen) ||
	       config_get_int(c, "actuator.batch", 64, 1, 100000, &ac->batch, err, errlen) ||
	       config_get_int(c, "actuator.workers", 8, 1, 64, &ac->workers, err, errlen) ||
	       config_get_int(c, "actuator.request_timeout_ms", 5000, 100, 600000, &ac->request_timeout_ms, err,
			      errlen);
}

static int load(struct actuator_config *ac, const char *path, char *const *envp, bool kafka, char *err,
		size_t errlen)
{
	memset(ac, 0, sizeof(*ac));
	ac->raw = config_load(path, envp, err, errlen);
	if (!ac->raw)
		return -1;
	ac->node = config_get(ac->raw, "node", NULL);
	ac->verdicts_topic = config_get(ac->raw, "actuator.verdicts_topic", "rampart.verdicts");
	ac->actions_topic = config_get(ac->raw, "actuator.actions_topic", "rampart.actions");
	ac->dlq_topic = config_get(ac->raw, "actuator.dlq_topic", "rampart.verdicts.dlq");
	ac->group = config_get(ac->raw, "actuator.group", "rampart-actuator");
	ac->metrics_addr = config_get(ac->raw, "actuator.metrics_addr", "0.0.0.0:9466");
	if (get_bool(ac->raw, "actuator.dry_run", false, &ac->dry_run, err, errlen) ||
	    get_bool(ac->raw, "actuator.seed_from_actions", true, &ac->seed_from_actions, err, errlen) ||
	    parse_numbers(ac, err, errlen) || parse_drivers(ac, err, errlen) ||
	    actuator_config_split("actuator.rules", config_get(ac->raw, "actuator.rules", NULL), &ac->rule_store,
				  ac->rule_paths, ACT_MAX_LIST, &ac->nrule_paths, err, errlen) ||
	    actuator_config_split("actuator.exclude_namespaces",
				  config_get(ac->raw, "actuator.exclude_namespaces", "kube-system,rampart"),
				  &ac->exclude_store, ac->excluded, ACT_MAX_LIST, &ac->nexcluded, err, errlen) ||
	    (kafka && parse_transport(ac, err, errlen))) {
		actuator_config_free(ac);
		return -1;
	}
	return 0;
}

int actuator_config_load(struct actuator_config *ac, const char *path, char *const *envp, char *err, size_t errlen)
{
	return load(ac, path, envp, true, err, errlen);
}

int actuator_config_load_embedded(struct actuator_config *ac, const char *path, char *const *envp, char *err,
				  size_t errlen)
{
	return load(ac, path, envp, false, err, errlen);
}

void actuator_config_options(const struct actuator_config *ac, struct actuator_options *o)
{
	*o = (struct actuator_options){
		.dry_run = ac->dry_run, .excluded_namespaces = ac->excluded, .nexcluded = ac->nexcluded,
		.limit_max = (unsigned)ac->max_actions_per_minute, .max_attempts = (int)ac->max_attempts,
		.backoff_base_ms = (int)ac->backoff_ms, .backoff_max_ms = (int)ac->backoff_max_ms,
		.dedupe_capacity = (size_t)ac->dedupe_capacity,
	};
}

void actuator_config_free(struct actuator_config *ac)
{
	config_free(ac->raw);
	free(ac->rule_store);
	free(ac->exclude_store);
	memset(ac, 0, sizeof(*ac));
}
