/* rampart-evaluator configuration: YAML file + RAMPART_* environment
 * (lib/config.h) validated into typed options. Keys and defaults are listed
 * in service_config_help(). */
#ifndef RAMPART_SERVICE_CONFIG_H
#define RAMPART_SERVICE_CONFIG_H

#include <stddef.h>

#include "transport.h"
#include "verdict_format.h"

#define SERVICE_MAX_PROPS 64
#define SERVICE_MAX_RULE_PATHS 64

struct service_config {
	struct config *raw;
	const char *node;
	const char *events_topic, *verdicts_topic, *dlq_topic;
	const char *group;
	char transactional_id[512]; /* group + "-" + instance id: stable per instance */
	long batch;                 /* messages per transaction */
	long batch_ms;              /* longest a transaction stays open */
	const char *rule_paths[SERVICE_MAX_RULE_PATHS];
	size_t nrule_paths;
	char *rule_store; /* owned copy rule_paths point into */
	const char *rulesets_topic; /* NULL: configuration from files only */
	const char *rulesets_dir;   /* where that topic is materialised (a rule path) */
	const char *metrics_addr;   /* /metrics, /healthz, /readyz; "off": none */
	enum verdict_format_kind verdicts_format; /* verdicts.format */
	const char *schema_registry;              /* avro-confluent: the registry's URL */
	const char *falco_webhook;                /* NULL: no Falco sidecar output */
	long falco_webhook_timeout_ms, falco_webhook_queue;
	struct transport_config producer, consumer;
	struct transport_prop props[SERVICE_MAX_PROPS + 1]; /* +1: the consumer's isolation.level */
	size_t nprops;
};

/* 0, or -1 with err (file:line:col for YAML errors, key: reason otherwise). */
int service_config_load(struct service_config *sc, const char *path, char *const *envp, char *err,
			size_t errlen);
void service_config_free(struct service_config *sc);
const char *service_config_help(void);

#endif
