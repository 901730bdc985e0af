#include "aws_imds.h"

#include <stdio.h>
#include <string.h>

#define IMDS_CREDS_PATH "/latest/meta-data/iam/security-credentials/"

/* Six hours, the longest IMDS grants: one token serves every fetch of a refresh. */
#define IMDS_TOKEN_TTL "21600"

static enum aws_creds_status imds_token(struct aws_meta *m, const char *base, char *header, size_t hlen,
					char *err, size_t errlen)
{
	struct http_response resp = {0};
	enum aws_creds_status st;
	char url[1024];
	const char *tok;

	snprintf(url, sizeof(url), "%s/latest/api/token", base);
	st = aws_meta_request(m, "PUT", url, "X-aws-ec2-metadata-token-ttl-seconds: " IMDS_TOKEN_TTL, &resp,
			      err, errlen);
	tok = (const char *)resp.body.data;
	if (st == AWS_CREDS_OK && (!tok[0] || strpbrk(tok, "\r\n") ||
				   snprintf(header, hlen, "X-aws-ec2-metadata-token: %s", tok) >= (int)hlen)) {
		snprintf(err, errlen, "IMDS: the session token is empty, too long or not one line");
		st = AWS_CREDS_FAILED;
	}
	http_response_free(&resp);
	return st;
}

/* The first line of the role listing into role. */
static enum aws_creds_status imds_role(struct aws_meta *m, const char *base, const char *header, char *role,
				       size_t rlen, char *err, size_t errlen)
{
	struct http_response resp = {0};
	enum aws_creds_status st;
	char url[1024];
	size_t n;

	snprintf(url, sizeof(url), "%s" IMDS_CREDS_PATH, base);
	st = aws_meta_request(m, "GET", url, header, &resp, err, errlen);
	if (st == AWS_CREDS_FAILED && resp.status == 404)
		snprintf(err, errlen, "IMDS: the instance has no IAM role (%s: HTTP 404)", url);
	if (st == AWS_CREDS_OK) {
		n = strcspn((const char *)resp.body.data, "\r\n");
		/* The name becomes a path segment: refuse anything that could leave it. */
		if (!n || n >= rlen || memchr(resp.body.data, '/', n) || memchr(resp.body.data, '?', n)) {
			snprintf(err, errlen, "IMDS: unusable role name in %s", url);
			st = AWS_CREDS_FAILED;
		} else {
			memcpy(role, resp.body.data, n);
			role[n] = '\0';
		}
	}
	http_response_free(&resp);
	return st;
}

static enum aws_creds_status imds_document(struct aws_meta *m, const char *base, const char *header,
					   const char *role, struct aws_fetched *out, char *err, size_t errlen)
{
	struct http_response resp = {0};
	enum aws_creds_status st;
	char url[1024];

	snprintf(url, sizeof(url), "%s" IMDS_CREDS_PATH "%s", base, role);
	st = aws_meta_request(m, "GET", url, header, &resp, err, errlen);
	if (st == AWS_CREDS_OK && aws_cred_json_parse((const char *)resp.body.data, out, err, errlen))
		st = AWS_CREDS_FAILED;
	http_response_free(&resp);
	return st;
}

enum aws_creds_status aws_imds_fetch(struct aws_meta *m, const char *endpoint, struct aws_fetched *out,
				     char *err, size_t errlen)
{
	char base[512], header[1024], role[128];
	size_t n = strlen(endpoint);
	enum aws_creds_status st;

	while (n && endpoint[n - 1] == '/')
		n--;
	if (n >= sizeof(base))
		return snprintf(err, errlen, "IMDS: endpoint URL too long"), AWS_CREDS_FAILED;
	memcpy(base, endpoint, n);
	base[n] = '\0';
	st = imds_token(m, base, header, sizeof(header), err, errlen);
	if (st == AWS_CREDS_OK)
		st = imds_role(m, base, header, role, sizeof(role), err, errlen);
	if (st == AWS_CREDS_OK)
		st = imds_document(m, base, header, role, out, err, errlen);
	if (st == AWS_CREDS_OK)
		snprintf(out->role, sizeof(out->role), "%s", role);
	return st;
}
