/* rampart-collector configuration: YAML file + RAMPART_* environment
 * (lib/config.h), validated into typed options. Keys are listed in
 * collector_config_help(). */
#ifndef RAMPART_COLLECTOR_CONFIG_H
#define RAMPART_COLLECTOR_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture_loader.h"
#include "event.h"
#include "transport.h"

#define COLLECTOR_MAX_LIST 128
#define COLLECTOR_MAX_PROPS 64

/* collector.kubernetes.*: the pod watcher (collector/pod_watch.h). */
struct collector_kubernetes {
	bool enabled;
	bool required;              /* enabled: true (not auto): failing to start is fatal */
	const char *kubeconfig;     /* NULL: in-cluster */
	const char *context, *token_file, *ca_file; /* NULL: defaults */
	uint32_t watch_timeout_s;
};

struct collector_config {
	struct config *raw;
	char node[256];
	const char *cluster;
	enum rp_orchestrator orchestrator;
	const char *topic;
	struct transport_config transport;
	struct transport_prop props[COLLECTOR_MAX_PROPS];
	struct capture_options capture;
	const char *syscalls[COLLECTOR_MAX_LIST];
	const char *prefixes[COLLECTOR_MAX_LIST];
	const char *state_dirs[COLLECTOR_MAX_LIST]; /* runtime state roots for identity */
	const char *env_names[COLLECTOR_MAX_LIST];  /* collector.env */
	size_t nstate_dirs;
	const char *cgroup2_root;
	char *list_store[4]; /* owned copies the four lists above point into */
	const char *metrics_listen; /* collector.metrics_addr; NULL = no metrics server */
	const char *ecs_agent_url;  /* collector.ecs_agent_url; NULL = no ECS agent lookups */
	struct collector_kubernetes kubernetes;
};

/* 0, or -1 with err (file:line:col for YAML errors, key: reason otherwise).
 * transport_override / record_path come from the command line (may be NULL). */
int collector_config_load(struct collector_config *cc, const char *path, const char *transport_override,
			  const char *record_path, char *const *envp, char *err, size_t errlen);
void collector_config_free(struct collector_config *cc);
const char *collector_config_help(void);

#endif
