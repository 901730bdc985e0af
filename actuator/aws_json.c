#include "aws_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Error types AWS documents as transient (the SDKs retry them too). */
static const char *const transient_types[] = {
	"ThrottlingException", "Throttling", "ThrottledException", "RequestThrottledException",
	"TooManyRequestsException", "RequestLimitExceeded", "ProvisionedThroughputExceededException",
	"ServerException", "ServiceUnavailable", "ServiceUnavailableException", "InternalFailure",
	"InternalError", "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
};

static const char *const expired_types[] = {"ExpiredToken", "ExpiredTokenException", "RequestExpired"};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* "com.amazonaws.ecs#ClientException" and "ClientException:http://..." name "ClientException". */
static void set_type(struct aws_call_result *r, const char *t)
{
	const char *hash = strrchr(t, '#');

	if (hash)
		t = hash + 1;
	snprintf(r->type, sizeof(r->type), "%.*s", (int)strcspn(t, ":"), t);
}

/* The text between <tag> and </tag> of an XML error, or NULL. */
static const char *xml_element(const char *body, const char *tag, int *len)
{
	char open[32], close[32];
	const char *s, *e;

	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	s = strstr(body, open);
	if (!s)
		return NULL;
	s += strlen(open);
	e = strstr(s, close);
	if (!e)
		return NULL;
	*len = (int)(e - s);
	return s;
}

static void parse_error(struct aws_call_result *r, const char *body)
{
	json_t *doc = json_loads(body, 0, NULL);
	const char *type = json_string_value(json_object_get(doc, "__type"));
	const char *msg = json_string_value(json_object_get(doc, "message"));
	const char *x;
	int n;

	if (!msg)
		msg = json_string_value(json_object_get(doc, "Message"));
	if (type)
		set_type(r, type);
	if (msg)
		snprintf(r->message, sizeof(r->message), "%s", msg);
	json_decref(doc);
	if (!type && (x = xml_element(body, "Code", &n)))
		snprintf(r->type, sizeof(r->type), "%.*s", n, x);
	if (!msg && (x = xml_element(body, "Message", &n)))
		snprintf(r->message, sizeof(r->message), "%.*s", n, x);
	if (!r->type[0] && !r->message[0])
		snprintf(r->message, sizeof(r->message), "%.200s", body[0] ? body : "(empty body)");
}

static void classify(struct aws_call_result *r, int rc, const struct http_response *resp)
{
	const char *body = (const char *)resp->body.data;
	bool transient;

	r->http_status = rc ? 0 : resp->status;
	if (rc) {
		snprintf(r->message, sizeof(r->message), "%s", resp->error);
		r->status = http_retriable(rc, resp) ? AWS_CALL_RETRY : AWS_CALL_FAILED;
		return;
	}
	if (resp->status >= 200 && resp->status < 300) {
		r->doc = json_loads(body, 0, NULL);
		if (json_is_object(r->doc))
			return (void)(r->status = AWS_CALL_OK);
		json_decref(r->doc);
		r->doc = NULL;
		snprintf(r->message, sizeof(r->message), "HTTP %ld with a body that is not a JSON object", resp->status);
		r->status = AWS_CALL_RETRY;
		return;
	}
	parse_error(r, body);
	r->expired_token = in_list(r->type, expired_types, sizeof(expired_types) / sizeof(*expired_types));
	transient = http_retriable(rc, resp) || r->expired_token ||
		    in_list(r->type, transient_types, sizeof(transient_types) / sizeof(*transient_types));
	r->status = transient ? AWS_CALL_RETRY : AWS_CALL_FAILED;
}

enum aws_call_status aws_json_call(struct http_client *h, const struct aws_call *call, struct aws_call_result *r)
{
	struct http_request rq = {.method = "POST", .url = call->endpoint, .timeout_ms = call->timeout_ms};
	struct http_response resp = {0};
	char sigv4[128], target[160], token[4200], userpwd[260];
	char *body = json_dumps(call->body, JSON_COMPACT);
	size_t nh = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	r->status = AWS_CALL_FAILED;
	if (!body)
		return snprintf(r->message, sizeof(r->message), "cannot encode the request"), r->status;
	snprintf(sigv4, sizeof(sigv4), "aws:amz:%s:%s", call->region, call->service);
	snprintf(target, sizeof(target), "X-Amz-Target: %s", call->target);
	snprintf(userpwd, sizeof(userpwd), "%s:%s", call->creds->access_key_id, call->creds->secret_access_key);
	rq.headers[nh++] = "Content-Type: application/x-amz-json-1.1";
	rq.headers[nh++] = target;
	if (call->creds->session_token[0]) {
		snprintf(token, sizeof(token), "X-Amz-Security-Token: %s", call->creds->session_token);
		rq.headers[nh++] = token;
	}
	rq.body = body;
	rq.body_len = strlen(body);
	rq.aws_sigv4 = sigv4;
	rq.aws_userpwd = userpwd;
	rc = http_do(h, &rq, &resp);
	classify(r, rc, &resp);
	http_response_free(&resp);
	explicit_bzero(userpwd, sizeof(userpwd));
	explicit_bzero(token, sizeof(token));
	free(body);
	return r->status;
}

void aws_call_result_free(struct aws_call_result *r)
{
	json_decref(r->doc);
	r->doc = NULL;
}
