#include "pod_watch_http.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_curl.h"

/* An error Status body is short; anything beyond this is not needed. */
#define ERROR_BODY_MAX 4096

struct pod_watch_conn {
	CURL *h;
};

struct transfer {
	CURL *h;
	struct pod_watch_stream *stream;
	const atomic_bool *stop;
	long status;
	int stream_rc;
	char body[ERROR_BODY_MAX];
	size_t body_len;
};

struct pod_watch_conn *pod_watch_conn_new(void)
{
	struct pod_watch_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->h = curl_easy_init();
	if (!c->h) {
		free(c);
		return NULL;
	}
	return c;
}

void pod_watch_conn_free(struct pod_watch_conn *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->h);
	free(c);
}

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	size_t len = size * n, room = sizeof(t->body) - 1 - t->body_len;

	if (!t->status)
		curl_easy_getinfo(t->h, CURLINFO_RESPONSE_CODE, &t->status);
	if (t->status != 200) {
		memcpy(t->body + t->body_len, p, len < room ? len : room);
		t->body_len += len < room ? len : room;
		return len;
	}
	t->stream_rc = pod_watch_stream_feed(t->stream, p, len);
	return t->stream_rc ? 0 : len; /* 0: libcurl ends the transfer */
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	const struct transfer *t = arg;

	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return atomic_load(t->stop) ? 1 : 0;
}

static int configure(CURL *h, const struct http_request *rq, struct curl_slist *hdrs, struct transfer *t,
		     char *errbuf)
{
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, rq->url);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, rq->timeout_ms);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	/* A peer that vanished without a FIN is noticed in about a minute,
	 * not at the end of the watch's timeout. */
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPIDLE, 30L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPINTVL, 10L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, t);
	return http_curl_tls(h, rq->tls);
}

void pod_watch_status_text(long status, const char *body, size_t len, char *out, size_t outlen)
{
	json_t *doc = json_loadb(body, len, 0, NULL);
	const char *msg = json_string_value(json_object_get(doc, "message"));
	int shown = len > 200 ? 200 : (int)len;

	if (msg)
		snprintf(out, outlen, "HTTP %ld: %s", status, msg);
	else
		snprintf(out, outlen, "HTTP %ld: %.*s", status, shown, body);
	json_decref(doc);
}

static enum pod_watch_get finish(CURLcode cc, const struct transfer *t, const char *errbuf,
				 struct pod_watch_get_result *res)
{
	res->status = t->status;
	res->stream_rc = t->stream_rc;
	if (cc == CURLE_ABORTED_BY_CALLBACK)
		return POD_GET_STOPPED;
	if (t->stream_rc)
		return POD_GET_STREAM;
	if (cc != CURLE_OK) {
		snprintf(res->error, sizeof(res->error), "%s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
		return POD_GET_TRANSPORT;
	}
	curl_easy_getinfo(t->h, CURLINFO_RESPONSE_CODE, &res->status);
	if (res->status != 200)
		pod_watch_status_text(res->status, t->body, t->body_len, res->error, sizeof(res->error));
	return POD_GET_DONE;
}

enum pod_watch_get pod_watch_conn_get(struct pod_watch_conn *c, const struct http_request *rq,
				      struct pod_watch_stream *s, const atomic_bool *stop,
				      struct pod_watch_get_result *res)
{
	struct transfer *t = calloc(1, sizeof(*t));
	char errbuf[CURL_ERROR_SIZE] = "";
	int oom = 0;
	struct curl_slist *hdrs = http_curl_headers(rq, &oom);
	enum pod_watch_get rc = POD_GET_TRANSPORT;

	memset(res, 0, sizeof(*res));
	if (!t || oom) {
		snprintf(res->error, sizeof(res->error), "out of memory");
	} else {
		t->h = c->h, t->stream = s, t->stop = stop;
		if (configure(c->h, rq, hdrs, t, errbuf))
			snprintf(res->error, sizeof(res->error), "cannot set the TLS material");
		else
			rc = finish(curl_easy_perform(c->h), t, errbuf, res);
	}
	/* errbuf and hdrs are gone before the handle's next use */
	curl_easy_setopt(c->h, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdrs);
	free(t);
	return rc;
}
