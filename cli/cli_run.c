/* `rampart run`: the embedded single-node pipeline (cli_run_stages.h) with
 * its configuration, signals and closing summary. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "act_policy.h"
#include "actuator_config.h"
#include "actuator_drivers.h"
#include "cli.h"
#include "cli_run_stages.h"
#include "cli_summary.h"
#include "config.h"
#include "service_rules.h"

extern char **environ;

#define MAX_RULE_PATHS 32

/* The one piece of process state a signal handler may touch. */
static volatile sig_atomic_t run_stop;

static void on_signal(int sig)
{
	(void)sig;
	run_stop = 1;
}

struct run_args {
	const char *config, *record, *output;
	const char *rules[MAX_RULE_PATHS];
	size_t nrules;
	int json, dry_run;
};

static void run_usage(FILE *out)
{
	fprintf(out,
		"usage: rampart run [--config FILE] [--rules PATH]... [--record FILE] [--output FILE] [--json]\n"
		"                   [--dry-run]\n\n"
		"Collector, evaluator and actuator in one process, joined in memory (no Kafka).\n"
		"Prints each verdict as it happens with the action taken and its outcome: one line\n"
		"per verdict on a terminal, JSON lines otherwise (or with --json).\n\n"
		"  --config FILE   YAML: the collector's keys (node, cluster, collector.*), evaluator.rules\n"
		"                  and the actuator's keys (actuator.*); see rampart-collector --help and\n"
		"                  rampart-actuator --help. RAMPART_* environment variables override.\n"
		"  --rules PATH    rule files or directories (repeatable; reloaded on change); default\n"
		"                  evaluator.rules, else %s\n"
		"  --record FILE   also write every event to an Avro container file (rampart replay)\n"
		"  --output FILE   also write every verdict with its outcome to FILE as JSON lines\n"
		"  --json          JSON lines even on a terminal\n"
		"  --dry-run       decide and report, act on nothing\n\n"
		"Default cluster: \"local\" (orchestrator none), which the shipped rules give the\n"
		"recommended ruleset. SIGINT/SIGTERM: drain, close the recording, print a summary.\n"
		"exit codes: 0 stopped on request, 1 runtime error (capture lost), 2 usage,\n"
		"3 invalid configuration or rules\n",
		RAMPART_DEFAULT_RULES);
}

static int parse_args(int argc, char **argv, struct run_args *a)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'}, {"rules", required_argument, NULL, 'r'},
		{"record", required_argument, NULL, 'o'}, {"json", no_argument, NULL, 'j'},
		{"output", required_argument, NULL, 'O'},
		{"dry-run", no_argument, NULL, 'n'},      {"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0}};
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "c:r:o:O:jnh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': a->config = optarg; break;
		case 'o': a->record = optarg; break;
		case 'O': a->output = optarg; break;
		case 'j': a->json = 1; break;
		case 'n': a->dry_run = 1; break;
		case 'h': run_usage(stdout); exit(0);
		case 'r':
			if (a->nrules == MAX_RULE_PATHS)
				return fprintf(stderr, "rampart run: too many --rules\n"), -1;
			a->rules[a->nrules++] = optarg;
			break;
		default: return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

struct run_ctx {
	struct collector_config cc;
	struct actuator_config ac;
	const char *rule_paths[MAX_RULE_PATHS];
	size_t nrule_paths;
	char *rule_store;
	struct service_rules *rules;
	struct act_policy *policy;
	struct actuator *act;
};

/* --rules, else evaluator.rules, else the shipped catalog and rulesets. */
static int choose_rules(struct run_ctx *x, const struct run_args *a, char *err, size_t errlen)
{
	const char *list = config_get(x->cc.raw, "evaluator.rules", NULL);

	if (a->nrules) {
		memcpy(x->rule_paths, a->rules, a->nrules * sizeof(*a->rules));
		x->nrule_paths = a->nrules;
		return 0;
	}
	if (list)
		return actuator_config_split("evaluator.rules", list, &x->rule_store, x->rule_paths, MAX_RULE_PATHS,
					     &x->nrule_paths, err, errlen);
	x->rule_paths[0] = RAMPART_DEFAULT_RULES;
	x->nrule_paths = 1;
	return 0;
}

static int load_configs(struct run_ctx *x, const struct run_args *a)
{
	char err[1024];

	if (collector_config_load(&x->cc, a->config, "local", NULL, environ, err, sizeof(err)) ||
	    actuator_config_load_embedded(&x->ac, a->config, environ, err, sizeof(err)) ||
	    choose_rules(x, a, err, sizeof(err))) {
		fprintf(stderr, "rampart run: %s\n", err);
		return 3;
	}
	/* One process on one machine: no listening ports unless asked for. */
	if (!config_get(x->cc.raw, "collector.metrics_addr", NULL))
		x->cc.metrics_listen = NULL;
	if (!*x->cc.cluster)
		x->cc.cluster = "local";
	return 0;
}

static int start_decisions(struct run_ctx *x, const struct run_args *a)
{
	struct actuator_options o;
	struct diag d = {0};
	char err[1024] = "";

	x->rules = service_rules_start(x->rule_paths, x->nrule_paths, &d);
	if (x->rules)
		x->policy = act_policy_load(x->rule_paths, x->nrule_paths, &d);
	if (!x->rules || !x->policy) {
		diag_print(&d, stderr);
		diag_free(&d);
		return 3;
	}
	diag_free(&d);
	actuator_config_options(&x->ac, &o);
	o.policy = x->policy;
	o.stop = &run_stop;
	o.quiet = true; /* the verdict lines say it all */
	o.dry_run = o.dry_run || a->dry_run;
	x->act = actuator_new(&o, err, sizeof(err));
	if (!x->act || actuator_drivers_install(x->act, &x->ac, err, sizeof(err))) {
		fprintf(stderr, "rampart run: actuator: %s\n", err);
		return 3;
	}
	return 0;
}

static void free_ctx(struct run_ctx *x)
{
	actuator_free(x->act);
	act_policy_free(x->policy);
	service_rules_stop(x->rules);
	free(x->rule_store);
	actuator_config_free(&x->ac);
	collector_config_free(&x->cc);
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

static int run_pipeline(struct run_ctx *x, const struct run_args *a)
{
	struct run_stages_config sc = {
		.cc = &x->cc, .rules = x->rules, .act = x->act, .record_path = a->record,
		.printer = {.out = stdout, .json = a->json || !isatty(STDOUT_FILENO),
			    .color = !a->json && isatty(STDOUT_FILENO)},
	};
	const struct timespec tick = {0, 100 * 1000000};
	struct run_summary sum;
	struct run_stages *st;
	char err[512];

	if (a->output && !(sc.copy.out = fopen(a->output, "w")))
		return fprintf(stderr, "rampart run: %s: %m\n", a->output), 1;
	sc.copy.json = true;
	install_signals();
	st = run_stages_start(&sc, err, sizeof(err));
	if (!st) {
		if (sc.copy.out)
			fclose(sc.copy.out);
		return fprintf(stderr, "rampart run: %s\n", err), 1;
	}
	fprintf(stderr, "rampart run: node %s, cluster %s; rules %s%s; %s%s%s. Ctrl-C stops.\n", x->cc.node,
		x->cc.cluster, x->rule_paths[0], x->nrule_paths > 1 ? " …" : "",
		a->dry_run || x->ac.dry_run ? "dry-run (acting on nothing)" : "acting", a->record ? "; recording to " : "",
		a->record ? a->record : "");
	while (!run_stop && !run_stages_collector_done(st))
		nanosleep(&tick, NULL);
	run_stages_stop(st, &sum);
	run_summary_print(stderr, &sum, actuator_stats(x->act), a->record);
	if (sc.printer.json)
		run_summary_json(stdout, &sum, actuator_stats(x->act));
	if (sc.copy.out) {
		run_summary_json(sc.copy.out, &sum, actuator_stats(x->act));
		if (fclose(sc.copy.out))
			return fprintf(stderr, "rampart run: %s: %m\n", a->output), 1;
	}
	return sum.collector_exit ? 1 : 0;
}

int cli_run(int argc, char **argv)
{
	struct run_args a = {0};
	struct run_ctx x;
	int code;

	memset(&x, 0, sizeof(x));
	if (parse_args(argc, argv, &a))
		return run_usage(stderr), 2;
	code = load_configs(&x, &a);
	if (!code)
		code = start_decisions(&x, &a);
	if (!code)
		code = run_pipeline(&x, &a);
	free_ctx(&x);
	return code;
}
