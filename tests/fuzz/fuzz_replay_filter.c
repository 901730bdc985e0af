/* libFuzzer target: `rampart replay` and `rampart events inspect` parse
 * --from/--to from the command line (cli/cli_replay_filter.c). Any bytes
 * must give a time or a clean error: no crash, no read past the string, a
 * NUL-terminated message that fits its buffer, and an accepted window that
 * is never inverted. Input: FROM, optionally "\n" TO. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli_replay_filter.h"

#define NOW_NS INT64_C(1795927634000000000)

static void check_message(const char *err, size_t cap)
{
	if (strnlen(err, cap) == cap || !*err)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), err[96], *to;
	struct replay_filter f;
	int64_t t;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	/* a small buffer: messages are cut, never overrun */
	if (replay_parse_time(s, NOW_NS, &t, err, sizeof(err)))
		check_message(err, sizeof(err));
	to = strchr(s, '\n');
	if (to)
		*to++ = 0;
	replay_filter_init(&f);
	if (replay_filter_window(&f, s, to, NOW_NS, err, sizeof(err)))
		check_message(err, sizeof(err));
	else if (f.from_ns > f.to_ns)
		abort();
	free(s);
	return 0;
}
