/* The Falco webhook's poster thread: take an alert, add the rules' tags,
 * POST it with retries. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "doc.h"
#include "falco_webhook_internal.h"
#include "http.h"
#include "service_log.h"
#include "verdict_falco.h"

#define BACKOFF_FIRST_MS 200
#define BACKOFF_MAX_MS 5000
#define LOG_EVERY_MS 10000

/* The next alert; NULL once stopping and the queue is empty or the drain
 * deadline has passed. */
static struct falco_alert *next_alert(struct falco_webhook *wh)
{
	struct falco_alert *a = NULL;

	pthread_mutex_lock(&wh->mu);
	while (!wh->queue.head && !wh->stopping)
		pthread_cond_wait(&wh->cv, &wh->mu);
	if (wh->queue.head && !(wh->stopping && falco_webhook_now_ms() >= wh->deadline_ms)) {
		a = wh->queue.head;
		wh->queue.head = a->next;
		if (!wh->queue.head)
			wh->queue.tail = NULL;
		wh->queue.n--;
	}
	pthread_mutex_unlock(&wh->mu);
	return a;
}

/* Sleeps ms unless that would pass the drain deadline: false then. */
static bool backoff_wait(struct falco_webhook *wh, long ms)
{
	int64_t wake = falco_webhook_now_ms() + ms;
	bool ok = true;

	pthread_mutex_lock(&wh->mu);
	while (ok && falco_webhook_now_ms() < wake) {
		struct timespec ts = {(time_t)(wake / 1000), (long)(wake % 1000) * 1000000L};

		if (wh->stopping && wake > wh->deadline_ms)
			ok = false;
		else
			pthread_cond_timedwait(&wh->cv, &wh->mu, &ts);
	}
	pthread_mutex_unlock(&wh->mu);
	return ok;
}

/* The rules' tags follow the configuration; a load with errors keeps the
 * previous tags, as the evaluator keeps its previous rules. */
static void refresh_tags(struct falco_webhook *wh)
{
	uint64_t gen = atomic_load(&wh->rules_gen);
	struct diag d = {0};
	struct rules_doc *doc;

	if (wh->tags && gen == wh->tags_gen)
		return;
	wh->tags_gen = gen;
	doc = doc_load_paths(wh->cfg.rule_paths, wh->cfg.nrule_paths, &d);
	if (doc && (diag_count(&d) == 0 || !wh->tags)) {
		doc_free(wh->tags);
		wh->tags = doc;
	} else {
		doc_free(doc);
	}
	diag_free(&d);
}

static void log_failure(struct falco_webhook *wh, int rc, const struct http_response *resp, int attempts)
{
	int64_t now = falco_webhook_now_ms();
	uint64_t total = atomic_fetch_add(&wh->failed, 1) + 1;

	if (now - wh->fail_logged_ms < LOG_EVERY_MS)
		return;
	wh->fail_logged_ms = now;
	service_warn("falco webhook: post failed",
		     json_pack("{s:I, s:s, s:i, s:I}", "status", (json_int_t)(rc ? 0 : resp->status), "error",
			       rc ? resp->error : "unexpected status", "attempts", attempts, "failed_total",
			       (json_int_t)total));
}

static void post(struct falco_webhook *wh, const char *text)
{
	struct http_response resp = {0};
	long backoff = BACKOFF_FIRST_MS;

	for (int attempt = 1;; attempt++) {
		struct http_request rq = {.method = "POST", .url = wh->url,
					  .headers = {"Content-Type: application/json"}, .body = text,
					  .body_len = strlen(text), .timeout_ms = wh->cfg.timeout_ms};
		int rc = http_do(wh->http, &rq, &resp);

		if (!rc && resp.status >= 200 && resp.status < 300) {
			atomic_fetch_add(&wh->posted, 1);
			break;
		}
		if (!http_retriable(rc, &resp) || attempt >= wh->cfg.max_attempts || !backoff_wait(wh, backoff)) {
			log_failure(wh, rc, &resp, attempt);
			break;
		}
		atomic_fetch_add(&wh->retries, 1);
		backoff = backoff * 2 < BACKOFF_MAX_MS ? backoff * 2 : BACKOFF_MAX_MS;
	}
	http_response_free(&resp);
}

void *falco_webhook_poster(void *arg)
{
	struct falco_webhook *wh = arg;
	struct falco_alert *a;

	while ((a = next_alert(wh))) {
		char *text;

		refresh_tags(wh);
		text = verdict_falco_add_rule_tags(a->body, wh->tags) ? NULL : json_dumps(a->body, JSON_COMPACT);
		if (text)
			post(wh, text);
		else
			atomic_fetch_add(&wh->dropped, 1); /* out of memory */
		free(text);
		json_decref(a->body);
		free(a);
	}
	return NULL;
}
