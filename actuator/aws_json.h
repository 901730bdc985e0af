/* One call over AWS's JSON 1.1 protocol (ECS and friends): POST <endpoint>
 * with Content-Type application/x-amz-json-1.1 and X-Amz-Target, signed
 * with SigV4 by libcurl. The scope is always given in full,
 * "aws:amz:<region>:<service>": without it curl guesses region and service
 * from the host name, which is wrong for anything but an AWS host (a VPC
 * endpoint, a proxy, an emulator on loopback). A session token travels in
 * X-Amz-Security-Token.
 *
 * The outcome:
 *   AWS_CALL_OK      2xx with a JSON object (r->doc, the caller's to free
 *                    with aws_call_result_free)
 *   AWS_CALL_RETRY   no answer (other than a TLS verification failure),
 *                    408/429/5xx, or an error type that is transient
 *                    (throttling, service unavailable, expired token)
 *   AWS_CALL_FAILED  any other answer
 * On error r->type and r->message come from the body: the JSON 1.1
 * {"__type", "message"|"Message"} (the type without its "namespace#" prefix
 * or ":uri" suffix), or an XML <Code>/<Message> error, which some front
 * ends (and moto's authentication layer) send even to JSON clients. */
#ifndef RAMPART_AWS_JSON_H
#define RAMPART_AWS_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include "aws_creds.h"
#include "http.h"

struct aws_call {
	const char *endpoint; /* full URL, e.g. https://ecs.us-east-1.amazonaws.com/ */
	const char *region, *service;
	const char *target;   /* e.g. AmazonEC2ContainerServiceV20141113.StopTask */
	const struct aws_credentials *creds;
	const json_t *body;
	long timeout_ms;      /* 0: http.h's default */
};

enum aws_call_status { AWS_CALL_OK, AWS_CALL_RETRY, AWS_CALL_FAILED };

struct aws_call_result {
	enum aws_call_status status;
	long http_status;     /* 0 when no answer came */
	json_t *doc;          /* AWS_CALL_OK only */
	bool expired_token;   /* the credentials must be fetched again */
	char type[128];       /* error type, "" when none */
	char message[512];    /* error message, or why no answer came */
};

/* Fills *r (always) and returns r->status. */
enum aws_call_status aws_json_call(struct http_client *h, const struct aws_call *call, struct aws_call_result *r);
void aws_call_result_free(struct aws_call_result *r);

#endif
