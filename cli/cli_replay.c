/* `rampart replay`: recorded events (a recording, or the events topic by
 * time) through the current rules into a separate output, never into the
 * actuator. Arguments and dispatch; the parts are cli_replay_*.h. */
#include "cli_replay.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_replay_engine.h"
#include "cli_replay_file.h"
#include "cli_replay_kafka.h"

#define MAX_RULE_PATHS 32
#define DEFAULT_EVENTS_TOPIC "rampart.events"

static volatile sig_atomic_t replay_stop;

static void on_signal(int sig)
{
	(void)sig;
	replay_stop = 1;
}

const volatile sig_atomic_t *replay_install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return &replay_stop;
}

struct replay_args {
	const char *file, *brokers, *topic, *cluster, *from, *to;
	const char *rules[MAX_RULE_PATHS];
	size_t nrules;
	struct replay_output_config out;
	struct replay_filter filter;
};

static void replay_usage(FILE *out)
{
	fprintf(out,
		"usage: rampart replay FILE.avro [OPTIONS]\n"
		"       rampart replay --brokers HOST:PORT[,...] [--topic T] [--from TIME] [--to TIME] [OPTIONS]\n\n"
		"Re-evaluates recorded events with the current rules and writes the verdicts they get\n"
		"now. Never acts: a replay has no actuator and refuses to write to rampart.verdicts.\n\n"
		"input\n"
		"  FILE.avro           a recording (rampart run --record, rampart-collector --record)\n"
		"  --brokers LIST      read the events topic from Kafka instead: no consumer group, no commits\n"
		"  --topic T           the events topic (default " DEFAULT_EVENTS_TOPIC ")\n"
		"selection\n"
		"  --from TIME         start of the window (inclusive); default: the beginning\n"
		"  --to TIME           end of the window (inclusive); default: the end (Kafka: as of the start)\n"
		"                      A recording is windowed by event time, Kafka by message timestamp.\n"
		"                      TIME: RFC 3339 (2026-11-29T04:47:14Z, 2026-11-29T06:47:14.25+02:00;\n"
		"                      without an offset: UTC; a date alone: its midnight UTC) or relative\n"
		"                      to now: now, -45s, -15m, -2h, -1h30m, -7d, -1w\n"
		"  --namespace NS      only events of pods in Kubernetes namespace NS\n"
		"  --container ID      only events of containers whose id starts with ID\n"
		"  --rule ID           only verdicts that matched rule ID (repeatable)\n"
		"rules\n"
		"  --rules PATH        rule files or directories (repeatable); default %s\n"
		"  --cluster NAME      evaluate every event as coming from cluster NAME (its policy and\n"
		"                      rulesets apply); recordings of `rampart run` name cluster \"local\"\n"
		"output (stdout by default: one line per verdict on a terminal, JSON lines otherwise)\n"
		"  --json              JSON lines even on a terminal\n"
		"  --output FILE       JSON lines to FILE\n"
		"  --output-topic T    single-object framed Avro Verdicts to topic T on --brokers, keyed by\n"
		"                      workload id (refused: rampart.verdicts, which the actuator acts on)\n\n"
		"On a terminal, stderr shows progress (events/s, time left); a summary by rule and by\n"
		"MITRE tactic follows on stderr. SIGINT stops early, still with the summary.\n"
		"exit codes: 0 done, 1 runtime error (unreadable or damaged input, broker error, output\n"
		"failed, interrupted), 2 usage, 3 invalid rules\n",
		RAMPART_DEFAULT_RULES);
}

static int add_rules_path(struct replay_args *a, const char *path)
{
	if (a->nrules == MAX_RULE_PATHS)
		return fprintf(stderr, "rampart replay: too many --rules\n"), -1;
	a->rules[a->nrules++] = path;
	return 0;
}

static int parse_args(int argc, char **argv, struct replay_args *a)
{
	static const struct option opts[] = {
		{"brokers", required_argument, NULL, 'b'},   {"topic", required_argument, NULL, 'T'},
		{"from", required_argument, NULL, 'f'},      {"to", required_argument, NULL, 't'},
		{"namespace", required_argument, NULL, 'n'}, {"container", required_argument, NULL, 'c'},
		{"rule", required_argument, NULL, 'R'},      {"rules", required_argument, NULL, 'r'},
		{"cluster", required_argument, NULL, 'C'},   {"json", no_argument, NULL, 'j'},
		{"output", required_argument, NULL, 'o'},    {"output-topic", required_argument, NULL, 'O'},
		{"help", no_argument, NULL, 'h'},            {0, 0, 0, 0}};
	char err[256];
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'b': a->brokers = optarg; break;
		case 'T': a->topic = optarg; break;
		case 'f': a->from = optarg; break;
		case 't': a->to = optarg; break;
		case 'n': a->filter.namespace_ = optarg; break;
		case 'c': a->filter.container = optarg; break;
		case 'C': a->cluster = optarg; break;
		case 'j': a->out.json = true; break;
		case 'o': a->out.path = optarg; break;
		case 'O': a->out.topic = optarg; break;
		case 'h': replay_usage(stdout); exit(0);
		case 'r':
			if (add_rules_path(a, optarg))
				return -1;
			break;
		case 'R':
			if (replay_filter_add_rule(&a->filter, optarg, err, sizeof(err)))
				return fprintf(stderr, "rampart replay: %s\n", err), -1;
			break;
		default: return -1;
		}
	}
	if (optind < argc)
		a->file = argv[optind++];
	return optind == argc ? 0 : -1;
}

static int check_args(struct replay_args *a)
{
	struct timespec now;
	char err[768];

	if (!a->file && !a->brokers)
		return fprintf(stderr, "rampart replay: give a recording FILE or --brokers\n"), -1;
	if (a->file && a->brokers && !a->out.topic)
		return fprintf(stderr, "rampart replay: with a FILE, --brokers serves only --output-topic\n"), -1;
	if (a->file && a->topic)
		return fprintf(stderr, "rampart replay: --topic reads Kafka; a FILE was given\n"), -1;
	if (a->cluster && !*a->cluster)
		return fprintf(stderr, "rampart replay: --cluster: empty name\n"), -1;
	if (!a->topic)
		a->topic = DEFAULT_EVENTS_TOPIC;
	a->out.brokers = a->brokers;
	a->out.events_topic = a->file ? NULL : a->topic;
	clock_gettime(CLOCK_REALTIME, &now);
	if (replay_filter_window(&a->filter, a->from, a->to, (int64_t)now.tv_sec * 1000000000 + now.tv_nsec, err,
				 sizeof(err)) ||
	    replay_output_check(&a->out, err, sizeof(err)))
		return fprintf(stderr, "rampart replay: %s\n", err), -1;
	return 0;
}

static struct eval_config *load_rules(const struct replay_args *a)
{
	const char *shipped[] = {RAMPART_DEFAULT_RULES};
	struct diag d = {0};
	struct eval_config *cfg = a->nrules ? eval_config_load(a->rules, a->nrules, &d) : eval_config_load(shipped, 1, &d);

	diag_print(&d, stderr);
	diag_free(&d);
	return cfg;
}

static int read_source(struct replay_args *a, struct replay_engine *e, struct progress *pg, char *err,
		       size_t errlen)
{
	const volatile sig_atomic_t *stop = replay_install_signals();

	if (a->file) {
		struct recording_read r = {.path = a->file, .filter = &a->filter, .fn = replay_engine_event,
					   .ctx = e, .counts = &e->counts, .progress = pg, .stop = stop};
		return recording_read(&r, err, errlen);
	}
	struct replay_kafka k = {.brokers = a->brokers, .topic = a->topic, .filter = &a->filter, .engine = e,
				 .progress = pg, .stop = stop};
	return replay_kafka(&k, err, errlen);
}

static int run(struct replay_args *a, const struct eval_config *cfg)
{
	struct replay_output out;
	struct replay_engine e;
	struct progress pg = {0};
	char err[1024], cerr[512];
	int rc;

	if (replay_output_open(&out, &a->out, &pg, err, sizeof(err)))
		return fprintf(stderr, "rampart replay: %s\n", err), 1;
	rc = replay_engine_init(&e, cfg, &a->filter, a->cluster, &out, err, sizeof(err));
	if (!rc)
		rc = read_source(a, &e, &pg, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "rampart replay: %s\n", err);
	else if (rc > 0)
		fprintf(stderr, "rampart replay: interrupted\n");
	if (replay_output_close(&out, cerr, sizeof(cerr)))
		rc = (fprintf(stderr, "rampart replay: %s\n", cerr), -1);
	if (rc >= 0 || e.counts.read)
		replay_summary_print(stderr, &e.counts, e.eval ? evaluator_stats(e.eval) : NULL);
	replay_engine_free(&e);
	return rc ? 1 : 0;
}

int cli_replay(int argc, char **argv)
{
	struct replay_args a;
	struct eval_config *cfg;
	int code;

	memset(&a, 0, sizeof(a));
	replay_filter_init(&a.filter);
	if (parse_args(argc, argv, &a) || check_args(&a))
		return fprintf(stderr, "usage: rampart replay FILE.avro | --brokers LIST [OPTIONS]; "
				       "rampart replay --help lists them\n"),
		       2;
	cfg = load_rules(&a);
	if (!cfg)
		return 3;
	code = run(&a, cfg);
	eval_config_unref(cfg);
	return code;
}
