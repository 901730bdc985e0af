/* rampart-console as a library: from a loaded configuration to a serving
 * console (tokens, TLS material, store, API, HTTP server) and back.
 * rampart-console's main and the API tests use the same calls. */
#ifndef RAMPART_CONSOLE_H
#define RAMPART_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#include "console_config.h"

struct console;

/* NULL with err when something cannot start; the console serves on return. */
struct console *console_start(const struct console_config *cfg, char *err, size_t errlen);
uint16_t console_port(const struct console *c);
/* Stops serving and frees everything; NULL is fine. */
void console_stop(struct console *c);

#endif
