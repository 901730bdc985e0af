/* The Falco webhook's lifecycle: start the poster thread, drain and stop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "falco_webhook_internal.h"
#include "http.h"
#include "service_log.h"

static void free_webhook(struct falco_webhook *wh)
{
	alert_list_free(&wh->staged);
	alert_list_free(&wh->queue);
	http_client_free(wh->http);
	doc_free(wh->tags);
	pthread_cond_destroy(&wh->cv);
	pthread_mutex_destroy(&wh->mu);
	free(wh->url);
	free(wh);
}

static void apply_defaults(struct falco_webhook_config *c)
{
	c->timeout_ms = c->timeout_ms > 0 ? c->timeout_ms : 5000;
	c->queue_max = c->queue_max > 0 ? c->queue_max : 10000;
	c->max_attempts = c->max_attempts > 0 ? c->max_attempts : 5;
	c->drain_ms = c->drain_ms > 0 ? c->drain_ms : 5000;
}

/* The condition variable times its waits on CLOCK_MONOTONIC. */
static int init_sync(struct falco_webhook *wh)
{
	pthread_condattr_t ca;
	int rc;

	if (pthread_condattr_init(&ca))
		return -1;
	rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) || pthread_cond_init(&wh->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (rc)
		return -1;
	if (pthread_mutex_init(&wh->mu, NULL)) {
		pthread_cond_destroy(&wh->cv);
		return -1;
	}
	return 0;
}

struct falco_webhook *falco_webhook_start(const struct falco_webhook_config *cfg, char *err, size_t errlen)
{
	struct falco_webhook *wh = calloc(1, sizeof(*wh));

	if (!wh || init_sync(wh)) {
		free(wh);
		return snprintf(err, errlen, "falco webhook: out of memory"), NULL;
	}
	wh->cfg = *cfg;
	apply_defaults(&wh->cfg);
	wh->url = strdup(cfg->url ? cfg->url : "");
	wh->cfg.url = wh->url;
	wh->http = http_client_new();
	if (!wh->url || !wh->http) {
		free_webhook(wh);
		return snprintf(err, errlen, "falco webhook: out of memory"), NULL;
	}
	if (pthread_create(&wh->thread, NULL, falco_webhook_poster, wh)) {
		free_webhook(wh);
		return snprintf(err, errlen, "falco webhook: cannot start its thread"), NULL;
	}
	return wh;
}

void falco_webhook_stop(struct falco_webhook *wh)
{
	struct falco_webhook_stats st;
	size_t left;

	if (!wh)
		return;
	falco_webhook_discard(wh);
	pthread_mutex_lock(&wh->mu);
	wh->stopping = true;
	wh->deadline_ms = falco_webhook_now_ms() + wh->cfg.drain_ms;
	pthread_cond_broadcast(&wh->cv);
	pthread_mutex_unlock(&wh->mu);
	pthread_join(wh->thread, NULL);
	left = alert_list_free(&wh->queue);
	atomic_fetch_add(&wh->dropped, left);
	falco_webhook_stats(wh, &st);
	service_info("falco webhook stopped",
		     json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "staged", (json_int_t)st.staged, "discarded",
			       (json_int_t)st.discarded, "posted", (json_int_t)st.posted, "retries",
			       (json_int_t)st.retries, "failed", (json_int_t)st.failed, "dropped",
			       (json_int_t)st.dropped, "left_at_stop", (json_int_t)left));
	free_webhook(wh);
}
