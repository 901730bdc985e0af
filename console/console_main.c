/* rampart-console: the ruleset management API and web UI (console.h). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "console_config.h"
#include "service_log.h"

extern char **environ;

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2, EXIT_CONFIG = 3, EXIT_START = 4 };

static void usage(FILE *out)
{
	fprintf(out,
		"usage: rampart-console --config FILE\n\n"
		"Serves the ruleset management REST API (/api/v1) and web UI (/). Changes are\n"
		"validated with the evaluator's own loader and written to the rules directory\n"
		"(store dir) or the compacted rulesets topic (store kafka) that the evaluators\n"
		"follow. SIGINT/SIGTERM: stop.\n\n"
		"%s\n"
		"exit codes: 0 stopped on request, 2 usage, 3 invalid configuration,\n"
		"4 could not start (port, TLS material, tokens, store)\n",
		console_config_help());
}

static int wait_for_signal(void)
{
	sigset_t set;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	return sigwait(&set, &sig);
}

static int serve(const struct console_config *cfg)
{
	char err[1024];
	sigset_t set;
	struct console *c;

	/* Block the stop signals in every thread; main waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (!(c = console_start(cfg, err, sizeof(err)))) {
		service_error("console cannot start", json_pack("{s:s}", "error", err));
		return EXIT_START;
	}
	service_info("console started", json_pack("{s:s, s:i, s:s, s:b}", "listen", cfg->listen, "port",
						   console_port(c), "store",
						   cfg->store == CONSOLE_STORE_DIR ? "dir" : "kafka", "tls",
						   cfg->tls_cert != NULL));
	int rc = wait_for_signal();
	console_stop(c);
	service_info("console stopped", NULL);
	return rc ? EXIT_RUNTIME : EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
	const char *path = NULL;
	struct console_config cfg;
	char err[1024];
	int opt, code;

	while ((opt = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		if (opt == 'h')
			return usage(stdout), EXIT_OK;
		if (opt != 'c')
			return usage(stderr), EXIT_USAGE;
		path = optarg;
	}
	if (!path || optind != argc)
		return usage(stderr), EXIT_USAGE;
	if (console_config_load(&cfg, path, environ, err, sizeof(err))) {
		service_error("invalid configuration", json_pack("{s:s}", "error", err));
		return EXIT_CONFIG;
	}
	code = serve(&cfg);
	console_config_free(&cfg);
	return code;
}
