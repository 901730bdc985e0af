/* AWS credentials for the actuator's ECS driver, found as the AWS SDKs'
 * default chain finds them; the first source that is configured is used:
 *  1. the environment: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (and
 *     AWS_SESSION_TOKEN); static, never refreshed;
 *  2. the ECS task-role endpoint: http://169.254.170.2 +
 *     AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, else
 *     AWS_CONTAINER_CREDENTIALS_FULL_URI (https, or http only to loopback or
 *     the ECS/EKS agent addresses), with an Authorization header from
 *     AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (re-read at every fetch: it
 *     rotates) or AWS_CONTAINER_AUTHORIZATION_TOKEN;
 *  3. IMDSv2 at AWS_EC2_METADATA_SERVICE_ENDPOINT (default
 *     http://169.254.169.254; AWS_EC2_METADATA_DISABLED=true turns it off).
 * When a task-role endpoint is configured and fails, IMDS is not tried: it
 * would hand out the instance's role, not the task's.
 *
 * Temporary credentials are cached until refresh_before_s before their
 * Expiration, then fetched again; if that fails while the cached ones have
 * not expired yet, those are still used. Metadata requests time out after
 * timeout_ms. The environment is read once, in aws_creds_new; non-NULL
 * options replace it (tests). Not thread-safe: one per driver. */
#ifndef RAMPART_AWS_CREDS_H
#define RAMPART_AWS_CREDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct aws_credentials {
	char access_key_id[128];
	char secret_access_key[128];
	char session_token[4096]; /* "" for long-term keys */
	int64_t expires_at;       /* Unix seconds; 0: does not expire */
};

struct aws_creds_options {
	bool ignore_env_keys;       /* skip source 1 */
	const char *container_url;  /* task-role endpoint instead of the variables; "" disables */
	const char *container_auth; /* its Authorization value (with container_url) */
	const char *imds_endpoint;  /* instead of the variables; "" disables IMDS */
	long timeout_ms;            /* per metadata request; 0: 1000 */
	int refresh_before_s;       /* 0: 300 */
};

enum aws_creds_status {
	AWS_CREDS_OK,
	AWS_CREDS_RETRY,  /* a metadata endpoint did not answer, or answered 5xx */
	AWS_CREDS_FAILED, /* no source is configured, or one refused (4xx, bad document) */
};

struct aws_creds;

/* NULL with err filled when memory runs out or a configured URL is not allowed. */
struct aws_creds *aws_creds_new(const struct aws_creds_options *o, char *err, size_t errlen);
void aws_creds_free(struct aws_creds *c);

/* Current credentials in *out (owned by c, valid until the next call),
 * fetched or refreshed when needed; err says why when not AWS_CREDS_OK. */
enum aws_creds_status aws_creds_get(struct aws_creds *c, const struct aws_credentials **out, char *err,
				    size_t errlen);

/* Forgets cached temporary credentials (the API said they expired), so the
 * next aws_creds_get fetches new ones. */
void aws_creds_invalidate(struct aws_creds *c);

/* Who the credentials act as: "iam:role/<name>" when the source names the
 * role, else "iam:<first characters of the access key id>...", or
 * "iam:unresolved" before any credentials were had. Never NULL. */
const char *aws_creds_actor(const struct aws_creds *c);

/* HTTP requests sent to metadata endpoints so far (tests, metrics). */
uint64_t aws_creds_requests(const struct aws_creds *c);

#endif
