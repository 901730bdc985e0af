/* Subcommands of the `rampart` binary; each returns the process exit code
 * (0 success, 1 failure such as validation errors, 2 usage error). */
#ifndef RAMPART_CLI_H
#define RAMPART_CLI_H

int cli_rules(int argc, char **argv);
int cli_run(int argc, char **argv);
/* `rampart replay` (cli_replay.c) and `rampart events inspect` (cli_inspect.c). */
int cli_replay(int argc, char **argv);
int cli_events(int argc, char **argv);

#endif
