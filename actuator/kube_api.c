#include "kube_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

json_t *kube_response_json(const struct http_response *resp)
{
	json_t *doc;

	if (!resp->body.len)
		return NULL;
	doc = json_loadb((const char *)resp->body.data, resp->body.len, 0, NULL);
	if (doc && !json_is_object(doc)) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

void kube_status_message(const struct http_response *resp, char *out, size_t outlen)
{
	json_t *doc = kube_response_json(resp);
	const char *msg = json_string_value(json_object_get(doc, "message"));

	if (msg)
		snprintf(out, outlen, "%s", msg);
	else
		snprintf(out, outlen, "%.200s", resp->body.len ? (const char *)resp->body.data : "(no body)");
	json_decref(doc);
	for (char *c = out; *c; c++) {
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	}
}

enum act_status kube_reply_status(struct act_reply *reply, const struct http_response *resp, const char *what)
{
	char msg[700];

	kube_status_message(resp, msg, sizeof(msg));
	reply->api_status = resp->status;
	act_reply_detail(reply, "%s: %ld: %s", what, resp->status, msg);
	reply->status = http_retriable(0, resp) ? ACT_RETRY : ACT_FAILED;
	return reply->status;
}

static int decide_no_response(struct act_reply *reply, const struct http_response *resp, const char *what)
{
	reply->api_status = 0;
	if (resp->tls_error) {
		reply->status = ACT_FAILED;
		act_reply_detail(reply, "TLS: %s: %s", what, resp->error);
	} else {
		reply->status = ACT_RETRY;
		act_reply_detail(reply, "%s: %s%s", what, resp->timed_out ? "timed out: " : "", resp->error);
	}
	return -1;
}

struct kube_call {
	const char *method, *url, *what;
	const char *content_type_header; /* NULL without a body */
	const char *body;
};

/* One exchange with fresh credentials; -1 with reply decided when the
 * credentials could not be had or no response came. */
static int exchange(struct kube_api *api, const struct kube_call *c, struct http_response *resp,
		    struct act_reply *reply)
{
	struct http_request rq = {.method = c->method, .url = c->url, .timeout_ms = api->timeout_ms,
				  .headers = {"Accept: application/json", "User-Agent: rampart-actuator",
					      c->content_type_header},
				  .body = c->body, .body_len = c->body ? strlen(c->body) : 0};
	enum kube_cred_status st;
	char err[512];

	st = kube_auth_prepare(api->auth, time(NULL), &rq, err, sizeof(err));
	if (st != KUBE_CRED_OK) {
		reply->api_status = 0;
		reply->status = st == KUBE_CRED_RETRY ? ACT_RETRY : ACT_FAILED;
		act_reply_detail(reply, "%s: credentials: %s", c->what, err);
		return -1;
	}
	if (http_do(api->http, &rq, resp))
		return decide_no_response(reply, resp, c->what);
	reply->api_status = resp->status;
	return 0;
}

int kube_request(struct kube_api *api, const char *method, const char *path, const char *content_type,
		 const json_t *body, struct http_response *resp, struct act_reply *reply)
{
	char url[1024], ctype[96], what[600];
	struct kube_call c = {.method = method, .url = url, .what = what};
	int rc;

	snprintf(what, sizeof(what), "%s %s", method, path);
	if ((size_t)snprintf(url, sizeof(url), "%s%s", kube_auth_server(api->auth), path) >= sizeof(url)) {
		reply->status = ACT_FAILED;
		act_reply_detail(reply, "%s: the URL is longer than %zu bytes", what, sizeof(url) - 1);
		return -1;
	}
	if (body) {
		snprintf(ctype, sizeof(ctype), "Content-Type: %s", content_type);
		c.content_type_header = ctype;
		if (!(c.body = json_dumps(body, JSON_COMPACT))) {
			reply->status = ACT_FAILED;
			act_reply_detail(reply, "%s: out of memory", what);
			return -1;
		}
	}
	rc = exchange(api, &c, resp, reply);
	if (!rc && resp->status == 401 && !api->reauthed && kube_auth_on_unauthorized(api->auth)) {
		api->reauthed = true;
		rc = exchange(api, &c, resp, reply);
	}
	free((char *)c.body);
	if (!rc && resp->status == 401) {
		kube_reply_status(reply, resp, what);
		return -1;
	}
	return rc;
}
