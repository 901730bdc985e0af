#include "ecs_arn.h"

#include <stdio.h>
#include <string.h>

#define LOWER_DIGITS "abcdefghijklmnopqrstuvwxyz0123456789"
#define ID_CHARS LOWER_DIGITS "ABCDEFGHIJKLMNOPQRSTUVWXYZ-"
#define CLUSTER_CHARS ID_CHARS "_"

/* Copies [s, s+n) into dst when it is 1..dstlen-1 characters out of allowed. */
static bool take(char *dst, size_t dstlen, const char *s, size_t n, const char *allowed)
{
	if (!n || n >= dstlen)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr(allowed, s[i]))
			return false;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return true;
}

/* The next ':'-separated field of [*p, end) into dst. */
static bool field(const char **p, const char *end, char *dst, size_t dstlen, const char *allowed)
{
	const char *colon = memchr(*p, ':', (size_t)(end - *p));

	if (!colon || !take(dst, dstlen, *p, (size_t)(colon - *p), allowed))
		return false;
	*p = colon + 1;
	return true;
}

/* "task/<cluster>/<id>" or "task/<id>". */
static bool task_resource(const char *p, const char *end, struct ecs_task_ref *out)
{
	const char *slash;

	if ((size_t)(end - p) < 5 || memcmp(p, "task/", 5) != 0)
		return false;
	p += 5;
	slash = memchr(p, '/', (size_t)(end - p));
	if (!slash)
		return take(out->id, sizeof(out->id), p, (size_t)(end - p), ID_CHARS);
	return take(out->cluster, sizeof(out->cluster), p, (size_t)(slash - p), CLUSTER_CHARS) &&
	       take(out->id, sizeof(out->id), slash + 1, (size_t)(end - slash - 1), ID_CHARS);
}

int ecs_task_ref_parse(const char *s, size_t len, struct ecs_task_ref *out)
{
	const char *p = s, *end = s + len;
	char service[8];

	memset(out, 0, sizeof(*out));
	if (len < 4 || memcmp(s, "arn:", 4) != 0)
		return take(out->id, sizeof(out->id), s, len, ID_CHARS) ? 0 : -1;
	p += 4;
	if (field(&p, end, out->partition, sizeof(out->partition), LOWER_DIGITS "-") &&
	    field(&p, end, service, sizeof(service), LOWER_DIGITS) && strcmp(service, "ecs") == 0 &&
	    field(&p, end, out->region, sizeof(out->region), LOWER_DIGITS "-") &&
	    field(&p, end, out->account, sizeof(out->account), "0123456789") && task_resource(p, end, out))
		return 0;
	memset(out, 0, sizeof(*out));
	return -1;
}

bool ecs_region_valid(const char *region)
{
	size_t n = strlen(region);

	return n > 0 && n < 32 && strspn(region, LOWER_DIGITS "-") == n;
}

const char *ecs_cluster_name(const char *name_or_arn)
{
	const char *slash = strrchr(name_or_arn, '/');

	return strncmp(name_or_arn, "arn:", 4) == 0 && slash ? slash + 1 : name_or_arn;
}

void ecs_default_endpoint(const char *partition, const char *region, char *out, size_t outlen)
{
	const char *suffix = strcmp(partition, "aws-cn") == 0 ? ".cn" : "";

	snprintf(out, outlen, "https://ecs.%s.amazonaws.com%s/", region, suffix);
}
