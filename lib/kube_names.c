#include "kube_names.h"

#include <string.h>

static bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

static bool alnum(char c) { return lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

bool kube_dns_label(const char *s, size_t len)
{
	if (len == 0 || len > 63 || !lower_alnum(s[0]) || !lower_alnum(s[len - 1]))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!lower_alnum(s[i]) && s[i] != '-')
			return false;
	}
	return true;
}

bool kube_dns_subdomain(const char *s, size_t len)
{
	size_t start = 0;

	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		/* each dot-separated part is a label (of any length up to the total) */
		if (i == start || !lower_alnum(s[start]) || !lower_alnum(s[i - 1]))
			return false;
		for (size_t j = start; j < i; j++) {
			if (!lower_alnum(s[j]) && s[j] != '-')
				return false;
		}
		start = i + 1;
	}
	return true;
}

static bool qualified_name(const char *s, size_t len)
{
	if (len == 0 || len > 63 || !alnum(s[0]) || !alnum(s[len - 1]))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	}
	return true;
}

bool kube_label_key(const char *s)
{
	const char *slash = strchr(s, '/');

	if (!slash)
		return qualified_name(s, strlen(s));
	return kube_dns_subdomain(s, (size_t)(slash - s)) && qualified_name(slash + 1, strlen(slash + 1));
}

bool kube_label_value(const char *s) { return !*s || qualified_name(s, strlen(s)); }
