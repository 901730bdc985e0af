/* rampart-collector: the node agent. Parses the command line, loads the
 * configuration, runs the pipeline until SIGINT/SIGTERM, prints counters. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "collector_config.h"
#include "collector_run.h"

extern char **environ;

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: rampart-collector [--config FILE] [--transport kafka|file] [--record FILE]\n"
		"Captures container activity with eBPF and publishes Avro events (needs root and kernel BTF).\n"
		"  --config FILE      YAML configuration (keys below)\n"
		"  --transport KIND   kafka (default) or file\n"
		"  --record FILE      write events to an Avro container file (implies --transport file)\n"
		"  --help             this text\n"
		"Exit codes: 0 stopped by a signal, 1 runtime error, 2 bad usage or configuration,\n"
		"            3 capture unavailable (no BTF, not root, hook missing), 4 transport unavailable.\n\n%s",
		collector_config_help());
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, 0, 'c'}, {"transport", required_argument, 0, 't'},
		{"record", required_argument, 0, 'r'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
	const char *path = NULL, *transport = NULL, *record = NULL;
	struct collector_counters n = {0};
	struct collector_config cc;
	char err[512];
	int o, rc;

	while ((o = getopt_long(argc, argv, "c:t:r:h", opts, NULL)) != -1) {
		switch (o) {
		case 'c': path = optarg; break;
		case 't': transport = optarg; break;
		case 'r': record = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return COLLECTOR_ERR_USAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return COLLECTOR_ERR_USAGE;
	}
	if (collector_config_load(&cc, path, transport, record, environ, err, sizeof(err))) {
		fprintf(stderr, "rampart-collector: %s\n", err);
		return COLLECTOR_ERR_USAGE;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	rc = collector_run(&cc, &stop_flag, &n, stderr);
	collector_counters_print(&n, stderr);
	collector_config_free(&cc);
	return rc;
}
