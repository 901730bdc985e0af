/* rampart: one binary, subcommands for people at a terminal. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: rampart COMMAND [ARGS...]\n\n"
		     "commands:\n"
		     "  run      the whole pipeline in one process: capture, evaluate, act\n"
		     "  rules    validate, list and explain rules; print the field table\n"
		     "  replay   re-evaluate recorded events (file or Kafka) with the current rules; never acts\n"
		     "  events   inspect a recording: its events as JSON lines\n\n"
		     "`rampart COMMAND --help` describes a command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "rules") == 0)
		return cli_rules(argc - 1, argv + 1);
	if (strcmp(argv[1], "run") == 0)
		return cli_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "replay") == 0)
		return cli_replay(argc - 1, argv + 1);
	if (strcmp(argv[1], "events") == 0)
		return cli_events(argc - 1, argv + 1);
	fprintf(stderr, "rampart: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
