#include "aws_meta.h"

#include <stdio.h>

enum aws_creds_status aws_meta_request(struct aws_meta *m, const char *method, const char *url,
				       const char *header, struct http_response *resp, char *err, size_t errlen)
{
	struct http_request rq = {.method = method, .url = url, .timeout_ms = m->timeout_ms, .no_proxy = true};
	int rc;

	rq.headers[0] = header;
	m->requests++;
	rc = http_do(m->http, &rq, resp);
	if (rc) {
		snprintf(err, errlen, "%s %s: %s", method, url, resp->error);
		return http_retriable(rc, resp) ? AWS_CREDS_RETRY : AWS_CREDS_FAILED;
	}
	if (resp->status == 200)
		return AWS_CREDS_OK;
	snprintf(err, errlen, "%s %s: HTTP %ld", method, url, resp->status);
	return http_retriable(rc, resp) ? AWS_CREDS_RETRY : AWS_CREDS_FAILED;
}
