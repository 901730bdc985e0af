#include "aws_cred_json.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t aws_iso8601_seconds(const char *s)
{
	struct tm tm = {0};
	int n = 0;

	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
			 &tm.tm_min, &tm.tm_sec, &n) != 6 || n != 19)
		return -1;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

/* Copies a string member into dst; false when absent, empty or too long. */
static bool copy_member(const json_t *doc, const char *key, char *dst, size_t dstlen)
{
	const char *v = json_string_value(json_object_get(doc, key));

	if (!v || !v[0] || strlen(v) >= dstlen)
		return false;
	memcpy(dst, v, strlen(v) + 1);
	return true;
}

/* The name of arn:aws:iam::<account>:role/<path/>name (last component). */
static void role_of_arn(const char *arn, char *out, size_t outlen)
{
	const char *slash = arn ? strrchr(arn, '/') : NULL;

	if (slash && strstr(arn, ":role/"))
		snprintf(out, outlen, "%s", slash + 1);
}

static int parse_doc(const json_t *doc, struct aws_fetched *out, char *err, size_t errlen)
{
	const char *code = json_string_value(json_object_get(doc, "Code"));
	int64_t exp;

	if (!json_is_object(doc))
		return snprintf(err, errlen, "credentials: not a JSON object"), -1;
	if (code && strcmp(code, "Success") != 0)
		return snprintf(err, errlen, "credentials: Code %s", code), -1;
	if (!copy_member(doc, "AccessKeyId", out->creds.access_key_id, sizeof(out->creds.access_key_id)) ||
	    !copy_member(doc, "SecretAccessKey", out->creds.secret_access_key,
			 sizeof(out->creds.secret_access_key)))
		return snprintf(err, errlen, "credentials: AccessKeyId or SecretAccessKey missing or too long"), -1;
	if (json_object_get(doc, "Token") &&
	    !copy_member(doc, "Token", out->creds.session_token, sizeof(out->creds.session_token)))
		return snprintf(err, errlen, "credentials: Token empty or too long"), -1;
	exp = aws_iso8601_seconds(json_string_value(json_object_get(doc, "Expiration")));
	out->creds.expires_at = exp > 0 ? exp : 0;
	role_of_arn(json_string_value(json_object_get(doc, "RoleArn")), out->role, sizeof(out->role));
	return 0;
}

int aws_cred_json_parse(const char *json, struct aws_fetched *out, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *doc;
	int rc;

	memset(out, 0, sizeof(*out));
	doc = json_loads(json, 0, &jerr);
	if (!doc)
		return snprintf(err, errlen, "credentials: invalid JSON: %s", jerr.text), -1;
	rc = parse_doc(doc, out, err, errlen);
	json_decref(doc);
	return rc;
}
