/* One Kubernetes API request, as the driver's actions make them, and how
 * an unwanted answer becomes a driver status.
 *
 * kube_request sends method path (relative to the server) with an optional
 * JSON body of content_type, after kube_auth_prepare. A 401 makes it
 * refresh the credential (token file re-read, plugin re-run) and send once
 * more: at most once per act() call (kube_api.reauthed, reset by the
 * driver), so a revoked identity costs two requests, not a loop.
 * Returns 0 when a response arrived that the caller must judge (status in
 * resp->status and reply->api_status), or -1 when the outcome is already
 * decided and written into reply:
 *   no response (refused, timeout)      ACT_RETRY
 *   TLS verification failed             ACT_FAILED "TLS: ..."
 *   credential plugin failed            ACT_RETRY or ACT_FAILED (kube_exec.h)
 *   401 again after the refresh         ACT_FAILED with the API's message
 *
 * kube_reply_status classifies any other unwanted status: 408, 429, 5xx
 * ACT_RETRY; everything else ACT_FAILED; detail "<what>: <status>: <the
 * API's Status message>". */
#ifndef RAMPART_KUBE_API_H
#define RAMPART_KUBE_API_H

#include <jansson.h>
#include <stdbool.h>

#include "driver.h"
#include "http.h"
#include "kube_auth.h"

struct kube_api {
	struct kube_auth *auth;
	struct http_client *http;
	long timeout_ms;
	bool reauthed;
};

int kube_request(struct kube_api *api, const char *method, const char *path, const char *content_type,
		 const json_t *body, struct http_response *resp, struct act_reply *reply);

enum act_status kube_reply_status(struct act_reply *reply, const struct http_response *resp, const char *what);

/* The API's Status.message (or the start of a non-JSON body) into out. */
void kube_status_message(const struct http_response *resp, char *out, size_t outlen);

/* The response body as a JSON object, or NULL. */
json_t *kube_response_json(const struct http_response *resp);

#endif
