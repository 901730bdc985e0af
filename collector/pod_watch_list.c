/* LIST: the node's pods, page by page, into a fresh set that replaces the
 * store only once the whole list arrived (a half list would drop pods). */
#include "pod_watch_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pod_watch_json.h"

#define LIST_PAGE 500
/* Bounds how long pod_watch_stop may wait for a LIST in flight. */
#define LIST_TIMEOUT_MS 20000
#define CONTINUE_MAX 4096

static void add_item(struct pod_watch *w, const json_t *item, struct pod_set *fresh)
{
	struct pod_meta m;
	char why[256];

	if (pod_meta_from_json(item, &m, why, sizeof(why))) {
		metrics_inc(&w->stats.errors);
		pod_watch_log(w, "list: skipped a pod: %s", why);
	} else if (!m.finished && pod_set_put(fresh, &m)) {
		metrics_inc(&w->stats.errors);
		pod_watch_log(w, "list: pod %s/%s not stored: %zu pods already, or out of memory", m.namespace_,
			      m.name, fresh->n);
	}
}

/* A PodList page: its pods into fresh, its resourceVersion into rv and its
 * continue token into cont ("" on the last page). */
static enum pod_watch_outcome store_page(struct pod_watch *w, const struct rp_buf *body, struct pod_set *fresh,
					 char *rv, char *cont)
{
	json_error_t jerr;
	json_t *doc = json_loadb((const char *)body->data, body->len, 0, &jerr), *item;
	const json_t *meta = json_object_get(doc, "metadata");
	const char *v = json_string_value(json_object_get(meta, "resourceVersion"));
	const char *c = json_string_value(json_object_get(meta, "continue"));
	size_t i;

	if (!doc || !v || !*v || strlen(v) >= sizeof(w->rv) || (c && strlen(c) >= CONTINUE_MAX)) {
		pod_watch_log(w, "list: not a PodList with a resourceVersion%s%s", doc ? "" : ": ",
			      doc ? "" : jerr.text);
		json_decref(doc);
		return POD_WATCH_FAILED;
	}
	json_array_foreach(json_object_get(doc, "items"), i, item)
		add_item(w, item, fresh);
	memcpy(rv, v, strlen(v) + 1);
	snprintf(cont, CONTINUE_MAX, "%s", c ? c : "");
	json_decref(doc);
	return POD_WATCH_OK;
}

/* The first page from the watch cache (resourceVersion=0), later ones by
 * continue token (which carries its own version). */
static char *page_url(const struct pod_watch *w, const char *cont)
{
	char *enc = cont[0] ? pod_watch_url_encode(cont) : NULL, *url;

	if (cont[0] && !enc)
		return NULL;
	if (asprintf(&url, "%s/api/v1/pods?fieldSelector=%s&limit=%d&%s%s", kube_auth_server(w->auth), w->selector,
		     LIST_PAGE, enc ? "continue=" : "resourceVersion=0", enc ? enc : "") < 0)
		url = NULL;
	free(enc);
	return url;
}

static enum pod_watch_outcome list_page(struct pod_watch *w, struct pod_set *fresh, char *rv, char *cont)
{
	struct http_request rq = {.method = "GET", .timeout_ms = LIST_TIMEOUT_MS};
	struct http_response resp = {0};
	enum pod_watch_outcome o = POD_WATCH_FAILED;
	char *url = page_url(w, cont), why[512];

	if (!url) {
		pod_watch_log(w, "list: out of memory");
		return o;
	}
	if (pod_watch_prepare(w, &rq, url) == 0) {
		if (http_do(w->http, &rq, &resp)) {
			pod_watch_log(w, "list: %s", resp.error);
		} else if (resp.status != 200) {
			pod_watch_status_text(resp.status, (const char *)resp.body.data, resp.body.len, why, sizeof(why));
			pod_watch_log(w, "list: %s", why);
			o = pod_watch_status_outcome(resp.status);
		} else {
			o = store_page(w, &resp.body, fresh, rv, cont);
		}
	}
	http_response_free(&resp);
	free(url);
	return o;
}

enum pod_watch_outcome pod_watch_list(struct pod_watch *w)
{
	struct pod_set fresh = {0};
	char rv[sizeof(w->rv)] = "", *cont = calloc(1, CONTINUE_MAX);
	enum pod_watch_outcome o = POD_WATCH_FAILED;
	size_t n;

	if (!cont)
		return pod_watch_log(w, "list: out of memory"), o;
	do
		o = list_page(w, &fresh, rv, cont);
	while (o == POD_WATCH_OK && cont[0] && !atomic_load(&w->stop));
	free(cont);
	if (o == POD_WATCH_OK && atomic_load(&w->stop))
		o = POD_WATCH_STOPPED;
	/* 410 here is an expired continue token, not a stale watch: retry the
	 * list after a back-off like any other failure. */
	if (o == POD_WATCH_GONE)
		o = POD_WATCH_FAILED;
	if (o == POD_WATCH_OK) {
		n = fresh.n;
		pod_cache_replace(&w->cache, &fresh);
		memcpy(w->rv, rv, sizeof(rv));
		metrics_inc(&w->stats.lists);
		metrics_set(&w->stats.pods, n);
		metrics_set(&w->stats.synced, 1);
		pod_watch_log(w, "listed %zu pods on node %s (resourceVersion %s)", n, w->node, rv);
	}
	pod_set_free(&fresh);
	return o;
}
