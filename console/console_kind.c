#include "console_kind.h"

#include <string.h>

const char *const console_kind_plural[CONSOLE_KINDS] = {"rulesets", "policies", "clusters"};
const char *const console_kind_single[CONSOLE_KINDS] = {"ruleset", "policy", "cluster"};

int console_kind_parse(const char *s, size_t n)
{
	for (int k = 0; k < CONSOLE_KINDS; k++)
		if (strlen(console_kind_plural[k]) == n && memcmp(console_kind_plural[k], s, n) == 0)
			return k;
	return -1;
}
