/* One request to a credentials metadata endpoint (ECS task-role endpoint,
 * IMDS), with the short timeout those endpoints get and the outcome sorted
 * the way the credential chain needs it:
 *   AWS_CREDS_OK      200; resp->body holds the answer (NUL-terminated)
 *   AWS_CREDS_RETRY   no answer (refused, timed out) or 408/429/5xx
 *   AWS_CREDS_FAILED  any other status: the endpoint refused
 * err names the URL and the reason whenever the result is not OK. */
#ifndef RAMPART_AWS_META_H
#define RAMPART_AWS_META_H

#include <stddef.h>
#include <stdint.h>

#include "aws_creds.h"
#include "http.h"

struct aws_meta {
	struct http_client *http;
	long timeout_ms;
	uint64_t requests;
};

/* header: one "Name: value" line or NULL. */
enum aws_creds_status aws_meta_request(struct aws_meta *m, const char *method, const char *url,
				       const char *header, struct http_response *resp, char *err, size_t errlen);

#endif
