/* rampart-evaluator: the evaluator as a Kafka service (see service.h). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "service.h"
#include "service_config.h"
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
		"usage: rampart-evaluator --config FILE\n\n"
		"Consumes events, evaluates them against the rules, produces verdicts in Kafka\n"
		"transactions together with the consumed offsets (exactly once inside Kafka).\n"
		"Undecodable events go to the DLQ topic. Rule files are reloaded on change.\n"
		"SIGINT/SIGTERM: commit the open transaction and stop.\n\n"
		"%s\n"
		"exit codes: 0 stopped on request, 1 fatal runtime error (e.g. fenced by a newer\n"
		"instance), 2 usage, 3 invalid configuration or rules, 4 Kafka clients could not start\n",
		service_config_help());
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

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
	const char *path = NULL;
	struct service_config sc;
	char err[1024];
	int opt, code;

	while ((opt = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		if (opt == 'h')
			return usage(stdout), SERVICE_EXIT_OK;
		if (opt != 'c')
			return usage(stderr), SERVICE_EXIT_USAGE;
		path = optarg;
	}
	if (!path || optind != argc)
		return usage(stderr), SERVICE_EXIT_USAGE;
	if (service_config_load(&sc, path, environ, err, sizeof(err))) {
		service_error("invalid configuration", json_pack("{s:s}", "error", err));
		return SERVICE_EXIT_CONFIG;
	}
	install_signals();
	code = service_run(&sc, &stop_requested);
	service_config_free(&sc);
	return code;
}
