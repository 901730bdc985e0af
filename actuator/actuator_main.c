/* rampart-actuator: verdicts in, actions through the orchestrators, an
 * audit trail out (see actuator_service.h); `release` undoes a local
 * isolation. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act_limit.h"
#include "act_policy.h"
#include "actuator.h"
#include "actuator_config.h"
#include "actuator_drivers.h"
#include "actuator_service.h"
#include "config.h"
#include "local_driver.h"
#include "service_log.h"

extern char **environ;

/* The one piece of process state a signal handler may touch. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: rampart-actuator --config FILE [--dry-run]\n"
		"       rampart-actuator release CONTAINER_ID [--config FILE]\n\n"
		"Consumes verdicts and carries out each one's action once: log, isolate (Kubernetes\n"
		"NetworkPolicy + pod label; the container's network namespace on a plain host) or\n"
		"terminate (pod deletion with a UID precondition, ECS StopTask, killing the\n"
		"container's cgroup). Every outcome goes to the actions topic and the log.\n"
		"release: lifts a local isolation of CONTAINER_ID on this host.\n"
		"SIGINT/SIGTERM: finish and commit the batch in hand, then stop.\n\n"
		"%s\n"
		"exit codes: 0 stopped on request, 1 fatal runtime error (the audit trail cannot be\n"
		"written), 2 usage, 3 invalid configuration, rules or driver credentials, 4 Kafka\n"
		"clients could not start\n",
		actuator_config_help());
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static struct act_policy *load_policy(const struct actuator_config *ac)
{
	struct diag d = {0};
	struct act_policy *p = act_policy_load(ac->rule_paths, ac->nrule_paths, &d);

	for (size_t i = 0; i < d.n; i++)
		service_error("invalid rule documents", json_pack("{s:s}", "error", d.msgs[i]));
	diag_free(&d);
	return p;
}

/* One actuator per worker, all sharing one blast-radius limit. */
static int start_workers(const struct actuator_config *ac, const struct actuator_options *o,
			 struct actuator **acts, char *err, size_t errlen)
{
	for (long i = 0; i < ac->workers; i++) {
		acts[i] = actuator_new(o, err, errlen);
		if (!acts[i] || actuator_drivers_install(acts[i], ac, err, errlen))
			return -1;
	}
	return 0;
}

static int run(const struct actuator_config *ac)
{
	struct act_policy *policy = load_policy(ac);
	struct actuator_options o;
	struct actuator **acts = calloc((size_t)ac->workers, sizeof(*acts));
	struct act_limit *limit = NULL;
	char err[1024] = "out of memory";
	int code = ACTUATOR_EXIT_CONFIG;

	actuator_config_options(ac, &o);
	limit = act_limit_new(o.limit_max, o.limit_window_ms > 0 ? o.limit_window_ms : 60000);
	o.policy = policy;
	o.stop = &stop_requested;
	o.shared_limit = limit;
	if (policy && acts && limit && start_workers(ac, &o, acts, err, sizeof(err)) == 0)
		code = actuator_service_run(ac, acts, (size_t)ac->workers, &stop_requested);
	else if (policy)
		service_error("cannot start the actuator", json_pack("{s:s}", "error", err));
	for (long i = 0; acts && i < ac->workers; i++)
		actuator_free(acts[i]);
	free(acts);
	act_limit_free(limit);
	act_policy_free(policy);
	return code;
}

/* release needs no broker: only the local driver's settings are read. */
static int release(const char *path, const char *container_id)
{
	struct local_driver_options o = {0};
	char msg[512] = "";
	struct config *cfg = config_load(path, environ, msg, sizeof(msg));
	int rc;

	if (!cfg) {
		fprintf(stderr, "rampart-actuator: %s\n", msg);
		return ACTUATOR_EXIT_CONFIG;
	}
	o.cgroup2_root = config_get(cfg, "actuator.local.cgroup2_root", NULL);
	o.state_dir = config_get(cfg, "actuator.local.state_dir", "/run/rampart/isolated");
	rc = local_driver_release(&o, container_id, msg, sizeof(msg));
	if (rc < 0) {
		fprintf(stderr, "rampart-actuator: release %s: %s\n", container_id, msg);
		config_free(cfg);
		return ACTUATOR_EXIT_FATAL;
	}
	printf("%s\n", rc == 1 ? "not isolated: no isolation is recorded for this container" : msg[0] ? msg : "released");
	config_free(cfg);
	return ACTUATOR_EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
					     {"dry-run", no_argument, NULL, 'n'},
					     {"help", no_argument, NULL, 'h'},
					     {0, 0, 0, 0}};
	const char *path = NULL;
	struct actuator_config ac;
	char err[1024];
	int opt, code, dry_run = 0;

	while ((opt = getopt_long(argc, argv, "c:nh", opts, NULL)) != -1) {
		if (opt == 'h')
			return usage(stdout), ACTUATOR_EXIT_OK;
		if (opt == 'c')
			path = optarg;
		else if (opt == 'n')
			dry_run = 1;
		else
			return usage(stderr), ACTUATOR_EXIT_USAGE;
	}
	if (optind + 2 == argc && strcmp(argv[optind], "release") == 0)
		return release(path, argv[optind + 1]);
	if (optind != argc || !path)
		return usage(stderr), ACTUATOR_EXIT_USAGE;
	if (actuator_config_load(&ac, path, environ, err, sizeof(err))) {
		service_error("invalid configuration", json_pack("{s:s}", "error", err));
		return ACTUATOR_EXIT_CONFIG;
	}
	if (dry_run)
		ac.dry_run = true;
	install_signals();
	code = run(&ac);
	actuator_config_free(&ac);
	return code;
}
