/* `rampart events inspect FILE.avro`: a recording's events as JSON lines
 * (event_to_json, evaluator/verdict_json.h), through the same window and
 * event filters as `rampart replay`. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "cli_replay.h"
#include "cli_replay_file.h"
#include "verdict_json.h"

static void inspect_usage(FILE *out)
{
	fprintf(out,
		"usage: rampart events inspect FILE.avro [--from TIME] [--to TIME] [--namespace NS]\n"
		"                              [--container ID]\n\n"
		"Prints the events of a recording (rampart run --record, rampart-collector --record) as\n"
		"JSON lines: node, cluster, orchestrator, container, workload, process (args, env, ...),\n"
		"and the event (type, syscall, result, sequence, time, typed args).\n\n"
		"  --from, --to TIME   window on event time, inclusive: RFC 3339 (2026-11-29T04:47:14Z;\n"
		"                      no offset: UTC) or relative to now (now, -15m, -2h, -1h30m, -7d)\n"
		"  --namespace NS      only events of pods in Kubernetes namespace NS\n"
		"  --container ID      only events of containers whose id starts with ID\n\n"
		"A count of what was read goes to stderr. exit codes: 0 done, 1 unreadable or damaged\n"
		"recording, output failed or interrupted, 2 usage\n");
}

static int parse_args(int argc, char **argv, const char **file, struct replay_filter *f)
{
	static const struct option opts[] = {
		{"from", required_argument, NULL, 'f'},      {"to", required_argument, NULL, 't'},
		{"namespace", required_argument, NULL, 'n'}, {"container", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},            {0, 0, 0, 0}};
	const char *from = NULL, *to = NULL;
	struct timespec now;
	char err[768];
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'n': f->namespace_ = optarg; break;
		case 'c': f->container = optarg; break;
		case 'h': inspect_usage(stdout); exit(0);
		default: return -1;
		}
	}
	if (optind + 1 != argc)
		return -1;
	*file = argv[optind];
	clock_gettime(CLOCK_REALTIME, &now);
	if (replay_filter_window(f, from, to, (int64_t)now.tv_sec * 1000000000 + now.tv_nsec, err, sizeof(err)))
		return fprintf(stderr, "rampart events inspect: %s\n", err), -1;
	return 0;
}

/* json_dumpf writes its FILE token by token: one fwrite per event instead. */
static int append(const char *p, size_t n, void *buf)
{
	return buf_append(buf, p, n);
}

static int print_event(void *ctx, struct rp_event *ev, char *err, size_t errlen)
{
	struct rp_buf *line = ctx;
	json_t *j = event_to_json(ev);
	int rc;

	if (!j)
		return snprintf(err, errlen, "out of memory"), -1;
	buf_reset(line);
	rc = json_dump_callback(j, append, line, JSON_COMPACT | JSON_PRESERVE_ORDER) || buf_append(line, "\n", 1);
	json_decref(j);
	if (rc)
		return snprintf(err, errlen, "out of memory"), -1;
	if (fwrite(line->data, 1, line->len, stdout) != line->len)
		return snprintf(err, errlen, "writing an event: %s", strerror(errno)), -1;
	return 0;
}

static int inspect(const char *file, const struct replay_filter *f)
{
	struct replay_counts counts = {0};
	struct rp_buf line = {0};
	struct progress pg = {0};
	/* the progress line would be torn apart by events on the same terminal */
	struct recording_read r = {.path = file, .filter = f, .fn = print_event, .ctx = &line, .counts = &counts,
				   .progress = isatty(STDOUT_FILENO) ? NULL : &pg, .stop = replay_install_signals()};
	char err[1024];
	int rc = recording_read(&r, err, sizeof(err));

	buf_free(&line);
	if (rc < 0)
		fprintf(stderr, "rampart events inspect: %s\n", err);
	else if (rc > 0)
		fprintf(stderr, "rampart events inspect: interrupted\n");
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "rampart events inspect: writing events: %s\n", strerror(errno));
		rc = -1;
	}
	fprintf(stderr, "rampart events inspect: %llu events read, %llu printed, %llu undecodable\n",
		(unsigned long long)counts.read, (unsigned long long)counts.selected,
		(unsigned long long)counts.undecodable);
	return rc ? 1 : 0;
}

int cli_events(int argc, char **argv)
{
	struct replay_filter f;
	const char *file;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return inspect_usage(stdout), 0;
	if (argc < 2 || strcmp(argv[1], "inspect") != 0) {
		fprintf(stderr, "usage: rampart events inspect FILE.avro [OPTIONS] (--help lists them)\n");
		return 2;
	}
	replay_filter_init(&f);
	if (parse_args(argc - 1, argv + 1, &file, &f)) {
		fprintf(stderr, "usage: rampart events inspect FILE.avro [OPTIONS] (--help lists them)\n");
		return 2;
	}
	return inspect(file, &f);
}
