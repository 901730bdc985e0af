#include "collector_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture_env.h"
#include "config.h"

static const char help[] =
	"Configuration keys (YAML file; each overridable as RAMPART_<KEY>, '.' and '_' written '_',\n"
	"e.g. RAMPART_COLLECTOR_CONTAINER_ONLY=false, RAMPART_KAFKA_BOOTSTRAP_SERVERS=host:9092):\n"
	"  node                          node name on every event (default: hostname)\n"
	"  cluster                       cluster name on every event (default: \"\")\n"
	"  orchestrator                  none | kubernetes | ecs (default: none)\n"
	"  transport                     kafka | file (default: kafka)\n"
	"  kafka.<property>              librdkafka producer property, e.g. kafka.bootstrap.servers\n"
	"                                (collector defaults: kafka.queue.buffering.max.kbytes=8192,\n"
	"                                kafka.queue.buffering.max.messages=100000)\n"
	"  collector.topic               topic (default: rampart.events)\n"
	"  collector.record              file transport: Avro container file to write\n"
	"  collector.container_only      true | false: drop host processes in the kernel (default: true)\n"
	"  collector.syscalls            comma-separated syscalls to capture (default: all covered)\n"
	"  collector.sensitive_paths     comma-separated prefixes; read-only opens elsewhere are dropped\n"
	"                                in the kernel (default: none = every open is reported)\n"
	"  collector.env                 comma-separated environment NAMEs kept at exec as NAME=value\n"
	"                                (matched in the kernel; \"none\" = no environment capture).\n"
	"                                Default: http_proxy https_proxy ftp_proxy all_proxy no_proxy,\n"
	"                                the same in upper case, PROXYCHAINS_CONF_FILE, TORSOCKS_CONF_FILE,\n"
	"                                LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT, GLIBC_TUNABLES,\n"
	"                                npm_lifecycle_event, npm_lifecycle_script, npm_package_name,\n"
	"                                PIP_INDEX_URL, PIP_EXTRA_INDEX_URL. Names are at most 31 bytes, at\n"
	"                                most 64 of them; an entry is cut to 511 bytes, and only the first\n"
	"                                256 entries / 32 KiB of a process's environment are examined\n"
	"  collector.state_dirs          comma-separated container runtime state roots searched for\n"
	"                                OCI bundles (default: containerd, CRI-O, Docker defaults)\n"
	"  collector.cgroup2_root        cgroup v2 mount (default: /sys/fs/cgroup/unified, else /sys/fs/cgroup)\n"
	"  collector.ringbuf_kb          ring buffer size in KiB, a power of two >= 4 (default: 8192)\n"
	"  collector.send_timeout_ms     longest wait for producer queue space before an event is\n"
	"                                counted lost (default: 50)\n"
	"  collector.metrics_addr        host:port of the /metrics, /healthz, /readyz server, or \"off\"\n"
	"                                (default: 0.0.0.0:9464; port 0 picks a free one, logged at start)\n"
	"  collector.ecs_agent_url       ECS agent introspection API for task ARN, family, revision,\n"
	"                                container name and cluster, or \"off\"/\"\" (default: off;\n"
	"                                http://localhost:51678 when orchestrator is ecs)\n"
	"  collector.kubernetes.enabled  auto | true | false: pod labels, owner and service account from\n"
	"                                the API server, watching the pods whose spec.nodeName is `node`\n"
	"                                (RBAC: pods get, list, watch; deploy/kubernetes/collector-rbac.yaml).\n"
	"                                auto (default): on when orchestrator is kubernetes and either\n"
	"                                KUBERNETES_SERVICE_HOST is set (in a pod) or a kubeconfig is given;\n"
	"                                then a failure to start is logged and the collector runs without\n"
	"                                them. true: a failure to start is fatal\n"
	"  collector.kubernetes.kubeconfig  kubeconfig file (default: in-cluster service account)\n"
	"  collector.kubernetes.context  kubeconfig context (default: its current-context)\n"
	"  collector.kubernetes.token_file  in-cluster bearer token, re-read every 60 s and after a 401\n"
	"                                (default: /var/run/secrets/kubernetes.io/serviceaccount/token)\n"
	"  collector.kubernetes.ca_file  in-cluster API server CA (default: .../serviceaccount/ca.crt)\n"
	"  collector.kubernetes.watch_timeout_s  seconds after which the server ends each watch and the\n"
	"                                collector resumes it (1..3600, default: 300)\n";

const char *collector_config_help(void)
{
	return help;
}

/* Splits a comma list into owned strings; returns the count or -1. */
static int split_list(const char *s, const char **out, char **store)
{
	int n = 0;
	char *copy, *save = NULL;

	if (!s || !*s)
		return 0;
	copy = strdup(s);
	if (!copy)
		return -1;
	*store = copy;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (*tok == '\0')
			continue;
		if (n == COLLECTOR_MAX_LIST)
			return -1;
		out[n++] = tok;
	}
	return n;
}

static int parse_bool(const char *v, int *out)
{
	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1"))
		return *out = 1, 0;
	if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "0"))
		return *out = 0, 0;
	return -1;
}

static int parse_orchestrator(const char *v, enum rp_orchestrator *o)
{
	for (int i = 0; i < RP_ORCH__COUNT; i++)
		if (!strcmp(v, rp_orchestrator_names[i]))
			return *o = (enum rp_orchestrator)i, 0;
	return -1;
}

static int parse_transport(struct collector_config *cc, const char *kind, const char *record, char *err,
			   size_t errlen)
{
	struct transport_config *t = &cc->transport;
	size_t n = config_section(cc->raw, "kafka.", cc->props, COLLECTOR_MAX_PROPS);

	if (n > COLLECTOR_MAX_PROPS)
		return snprintf(err, errlen, "kafka.*: more than %d properties", COLLECTOR_MAX_PROPS), -1;
	/* Bound librdkafka's queue (default 1 GiB): the collector's memory budget
	 * is 64 MiB; a full queue is counted loss after send_timeout_ms. 8 MiB
	 * is about 40 ms of events at 500 000/s, and replays at that rate into
	 * a broker on the same two cores ran without a failed send. */
	if (!config_get(cc->raw, "kafka.queue.buffering.max.kbytes", NULL) && n < COLLECTOR_MAX_PROPS)
		cc->props[n++] = (struct transport_prop){"queue.buffering.max.kbytes", "8192"};
	if (!config_get(cc->raw, "kafka.queue.buffering.max.messages", NULL) && n < COLLECTOR_MAX_PROPS)
		cc->props[n++] = (struct transport_prop){"queue.buffering.max.messages", "100000"};
	t->props = cc->props, t->nprops = n;
	t->brokers = config_get(cc->raw, "kafka.bootstrap.servers", NULL);
	t->client_id = "rampart-collector";
	t->path = record;
	if (record || !strcmp(kind, "file")) {
		t->kind = TRANSPORT_FILE;
		if (!record)
			return snprintf(err, errlen, "transport file needs --record FILE or collector.record"), -1;
	} else if (!strcmp(kind, "kafka")) {
		t->kind = TRANSPORT_KAFKA;
		if (!t->brokers)
			return snprintf(err, errlen, "transport kafka needs kafka.bootstrap.servers"), -1;
	} else if (!strcmp(kind, "local")) {
		t->kind = TRANSPORT_LOCAL; /* the embedding process (`rampart run`) sets the bus */
	} else {
		return snprintf(err, errlen, "transport: '%s' is not kafka or file", kind), -1;
	}
	return 0;
}

/* collector.env: unset = the default list (options left NULL), "none" or
 * empty = off, else the names (checked against the kernel's bounds). */
static int parse_env(struct collector_config *cc, char *err, size_t errlen)
{
	struct capture_options *o = &cc->capture;
	const char *v = config_get(cc->raw, "collector.env", NULL);
	struct rk_env_key k;
	int n;

	if (!v)
		return 0;
	o->env_names = cc->env_names, o->nenv_names = 0;
	if (!strcmp(v, "none"))
		return 0;
	n = split_list(v, cc->env_names, &cc->list_store[3]);
	if (n < 0 || n > RK_ENV_NAMES_MAX)
		return snprintf(err, errlen, "collector.env: more than %d names", RK_ENV_NAMES_MAX), -1;
	for (int i = 0; i < n; i++)
		if (capture_env_key(cc->env_names[i], &k))
			return snprintf(err, errlen, "collector.env: '%s' must be 1..%d bytes without '='",
					cc->env_names[i], RK_ENV_NAME_LEN - 1), -1;
	o->nenv_names = (size_t)n;
	return 0;
}

static int parse_capture(struct collector_config *cc, char *err, size_t errlen)
{
	struct capture_options *o = &cc->capture;
	int co = 1, ns, np;
	long kb = 8192, tmo = 50;

	if (parse_bool(config_get(cc->raw, "collector.container_only", "true"), &co))
		return snprintf(err, errlen, "collector.container_only: expected true or false"), -1;
	/* 8 MiB: 40 ms of events at 500 000/s (~400 B each), while the reader
	 * drains 1.6 M/s and wakes at an eighth full; half the old 16 MiB (the
	 * ring is mapped twice, so it weighs on RSS). */
	if (config_get_int(cc->raw, "collector.ringbuf_kb", 8192, 4, 1 << 20, &kb, err, errlen) ||
	    config_get_int(cc->raw, "collector.send_timeout_ms", 50, 0, 60000, &tmo, err, errlen))
		return -1;
	if (kb & (kb - 1))
		return snprintf(err, errlen, "collector.ringbuf_kb: %ld is not a power of two", kb), -1;
	ns = split_list(config_get(cc->raw, "collector.syscalls", NULL), cc->syscalls, &cc->list_store[0]);
	np = split_list(config_get(cc->raw, "collector.sensitive_paths", NULL), cc->prefixes, &cc->list_store[1]);
	int nd = split_list(config_get(cc->raw, "collector.state_dirs", NULL), cc->state_dirs, &cc->list_store[2]);

	if (parse_env(cc, err, errlen))
		return -1;

	if (ns < 0 || np < 0 || nd < 0)
		return snprintf(err, errlen, "collector.syscalls/sensitive_paths: more than %d entries", COLLECTOR_MAX_LIST), -1;
	cc->nstate_dirs = (size_t)nd;
	cc->cgroup2_root = config_get(cc->raw, "collector.cgroup2_root", NULL);
	cc->metrics_listen = config_get(cc->raw, "collector.metrics_addr", "0.0.0.0:9464");
	if (!strcmp(cc->metrics_listen, "off"))
		cc->metrics_listen = NULL;
	o->container_only = co;
	o->ringbuf_bytes = (uint32_t)kb << 10;
	o->syscalls = ns > 0 ? cc->syscalls : NULL, o->nsyscalls = (size_t)ns;
	o->ro_prefixes = cc->prefixes, o->nprefixes = (size_t)np;
	cc->transport.send_timeout_ms = (int)tmo;
	return 0;
}

/* collector.ecs_agent_url: unset = on (the agent's port) only under ECS. */
static int parse_ecs_agent(struct collector_config *cc, char *err, size_t errlen)
{
	const char *def = cc->orchestrator == RP_ORCH_ECS ? "http://localhost:51678" : "";
	const char *v = config_get(cc->raw, "collector.ecs_agent_url", def);

	cc->ecs_agent_url = NULL;
	if (!*v || !strcmp(v, "off"))
		return 0;
	if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8))
		return snprintf(err, errlen, "collector.ecs_agent_url: '%s' is not an http:// or https:// URL", v), -1;
	cc->ecs_agent_url = v;
	return 0;
}

static const char *env_value(char *const *envp, const char *name)
{
	size_t n = strlen(name);

	if (!envp)
		return getenv(name);
	for (; *envp; envp++)
		if (!strncmp(*envp, name, n) && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

static const char *optional(const struct config *raw, const char *key)
{
	const char *v = config_get(raw, key, NULL);

	return v && *v ? v : NULL;
}

/* collector.kubernetes.*: auto = on under Kubernetes when the API server
 * can be found (in a pod, or through a kubeconfig). */
static int parse_kubernetes(struct collector_config *cc, char *const *envp, char *err, size_t errlen)
{
	struct collector_kubernetes *k = &cc->kubernetes;
	const char *v = config_get(cc->raw, "collector.kubernetes.enabled", "auto"), *host;
	long tmo;
	int on;

	k->kubeconfig = optional(cc->raw, "collector.kubernetes.kubeconfig");
	k->context = optional(cc->raw, "collector.kubernetes.context");
	k->token_file = optional(cc->raw, "collector.kubernetes.token_file");
	k->ca_file = optional(cc->raw, "collector.kubernetes.ca_file");
	if (config_get_int(cc->raw, "collector.kubernetes.watch_timeout_s", 300, 1, 3600, &tmo, err, errlen))
		return -1;
	k->watch_timeout_s = (uint32_t)tmo;
	if (!strcmp(v, "auto")) {
		host = env_value(envp, "KUBERNETES_SERVICE_HOST");
		k->enabled = cc->orchestrator == RP_ORCH_KUBERNETES && (k->kubeconfig || (host && *host));
		return 0;
	}
	if (parse_bool(v, &on))
		return snprintf(err, errlen, "collector.kubernetes.enabled: '%s' is not auto, true or false", v), -1;
	k->enabled = k->required = on;
	return 0;
}

int collector_config_load(struct collector_config *cc, const char *path, const char *transport_override,
			  const char *record_path, char *const *envp, char *err, size_t errlen)
{
	const char *orch, *node;
	char host[256];

	memset(cc, 0, sizeof(*cc));
	cc->raw = config_load(path, envp, err, errlen);
	if (!cc->raw)
		return -1;
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	node = config_get(cc->raw, "node", host);
	snprintf(cc->node, sizeof(cc->node), "%s", node);
	cc->cluster = config_get(cc->raw, "cluster", "");
	cc->topic = config_get(cc->raw, "collector.topic", "rampart.events");
	orch = config_get(cc->raw, "orchestrator", "none");
	if (parse_orchestrator(orch, &cc->orchestrator)) {
		snprintf(err, errlen, "orchestrator: '%s' is not none, kubernetes or ecs", orch);
		goto fail;
	}
	if (!record_path)
		record_path = config_get(cc->raw, "collector.record", NULL);
	if (parse_transport(cc, transport_override ? transport_override : config_get(cc->raw, "transport", "kafka"),
			    record_path, err, errlen) ||
	    parse_capture(cc, err, errlen) || parse_ecs_agent(cc, err, errlen) ||
	    parse_kubernetes(cc, envp, err, errlen))
		goto fail;
	return 0;
fail:
	collector_config_free(cc);
	return -1;
}

void collector_config_free(struct collector_config *cc)
{
	free(cc->list_store[0]);
	free(cc->list_store[1]);
	free(cc->list_store[2]);
	free(cc->list_store[3]);
	config_free(cc->raw);
	memset(cc, 0, sizeof(*cc));
}
