/* The temporary-credentials document that both the ECS task-role endpoint
 * and IMDS serve:
 *   {"AccessKeyId", "SecretAccessKey", "Token", "Expiration", "RoleArn"?, "Code"?}
 * Expiration is ISO 8601 in UTC ("2026-11-29T10:00:00Z", fractional
 * seconds allowed). A document whose Code is present and not "Success", or
 * that lacks a key or secret, is rejected. */
#ifndef RAMPART_AWS_CRED_JSON_H
#define RAMPART_AWS_CRED_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aws_creds.h"

/* Credentials as one source handed them out. */
struct aws_fetched {
	struct aws_credentials creds; /* expires_at 0 when the document had no usable Expiration */
	char role[128];               /* role name when the source says it, else "" */
};

/* 0, or -1 with err filled. out is zeroed first. */
int aws_cred_json_parse(const char *json, struct aws_fetched *out, char *err, size_t errlen);

/* Seconds since the epoch for an ISO 8601 UTC time; -1 when unparseable. */
int64_t aws_iso8601_seconds(const char *s);

#endif
