#include "labels.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int name_check(const char *s, size_t len, const char *what, char *why, size_t n)
{
	if (len == 0)
		return snprintf(why, n, "%s must not be empty", what), -1;
	if (len > 63)
		return snprintf(why, n, "%s is longer than 63 characters", what), -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool edge = i == 0 || i == len - 1;
		if (isalnum(c) || (!edge && (c == '-' || c == '_' || c == '.')))
			continue;
		return snprintf(why, n, "character '%c' at offset %zu of the %s is not allowed (expected [A-Za-z0-9] at "
				"both ends, '-', '_', '.' inside)", c, i, what), -1;
	}
	return 0;
}

static int prefix_check(const char *s, size_t len, char *why, size_t n)
{
	if (len == 0 || len > 253)
		return snprintf(why, n, "prefix must be 1 to 253 characters"), -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool edge = i == 0 || i == len - 1 || s[i - 1] == '.' || s[i + 1] == '.';
		if (islower(c) || isdigit(c) || (c == '.' && i > 0 && i < len - 1) || (c == '-' && !edge))
			continue;
		return snprintf(why, n, "character '%c' at offset %zu of the prefix is not allowed (expected a "
				"lower-case DNS subdomain)", c, i), -1;
	}
	return 0;
}

int labels_key_check(const char *key, char *why, size_t n)
{
	const char *slash = strchr(key, '/');
	if (!slash)
		return name_check(key, strlen(key), "name", why, n);
	if (prefix_check(key, (size_t)(slash - key), why, n) < 0)
		return -1;
	return name_check(slash + 1, strlen(slash + 1), "name", why, n);
}

int labels_value_check(const char *value, char *why, size_t n)
{
	size_t len = strlen(value);
	return len == 0 ? 0 : name_check(value, len, "value", why, n);
}
