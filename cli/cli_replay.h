/* Shared by `rampart replay` and `rampart events inspect`: the one piece of
 * process state either keeps, the flag SIGINT/SIGTERM set so a long read
 * stops between events and still prints its summary. SIGPIPE is ignored so
 * a closed output is a write error, not a silent death. */
#ifndef RAMPART_CLI_REPLAY_H
#define RAMPART_CLI_REPLAY_H

#include <signal.h>

/* Installs the handlers; returns the flag they set. */
const volatile sig_atomic_t *replay_install_signals(void);

#endif
