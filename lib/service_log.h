/* Structured logs of the rampart daemons: one JSON object per line on stderr,
 *
 *   {"time":"2025-01-31T12:00:00.123Z","level":"info","msg":"...", ...fields}
 *
 * Fields come as a jansson object built by the caller (json_pack) and are
 * merged after the three fixed keys; service_log takes ownership of it
 * (NULL: no fields). A line is written with one fwrite, so lines of
 * different threads never interleave. Logging never fails
 * the caller: a line that cannot be built is dropped. */
#ifndef RAMPART_SERVICE_LOG_H
#define RAMPART_SERVICE_LOG_H

#include <jansson.h>

void service_log(const char *level, const char *msg, json_t *fields);

#define service_info(msg, fields) service_log("info", (msg), (fields))
#define service_warn(msg, fields) service_log("warn", (msg), (fields))
#define service_error(msg, fields) service_log("error", (msg), (fields))

#endif
