#include "falco_webhook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "doc.h"
#include "falco_webhook_internal.h"
#include "http.h"
#include "service_log.h"
#include "verdict_falco.h"

#define LOG_EVERY_MS 10000

int64_t falco_webhook_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t alert_list_free(struct alert_list *l)
{
	size_t n = 0;

	for (struct falco_alert *a = l->head, *next; a; a = next, n++) {
		next = a->next;
		json_decref(a->body);
		free(a);
	}
	*l = (struct alert_list){0};
	return n;
}

static void count_drops(struct falco_webhook *wh, size_t n, const char *why)
{
	int64_t now = falco_webhook_now_ms();
	uint64_t total = atomic_fetch_add(&wh->dropped, n) + n;

	if (n == 0 || now - wh->drop_logged_ms < LOG_EVERY_MS)
		return;
	wh->drop_logged_ms = now;
	service_warn("falco webhook: alerts dropped",
		     json_pack("{s:s, s:I, s:I}", "reason", why, "dropped", (json_int_t)n, "dropped_total",
			       (json_int_t)total));
}

void falco_webhook_stage(struct falco_webhook *wh, const struct rp_verdict *v)
{
	struct falco_alert *a;

	atomic_fetch_add(&wh->staged_total, 1);
	if (wh->staged.n >= wh->cfg.queue_max)
		return count_drops(wh, 1, "queue full");
	a = calloc(1, sizeof(*a));
	if (!a || !(a->body = verdict_falco(v))) {
		free(a);
		return count_drops(wh, 1, "out of memory");
	}
	if (wh->staged.tail)
		wh->staged.tail->next = a;
	else
		wh->staged.head = a;
	wh->staged.tail = a;
	wh->staged.n++;
}

/* Splits the first n alerts off l into *front. */
static void alert_list_split(struct alert_list *l, size_t n, struct alert_list *front)
{
	struct falco_alert *last = NULL;

	*front = (struct alert_list){0};
	if (n == 0)
		return;
	front->head = l->head;
	for (struct falco_alert *a = l->head; a && front->n < n; a = a->next)
		last = a, front->n++;
	front->tail = last;
	l->head = last->next;
	last->next = NULL;
	l->n -= front->n;
	if (!l->head)
		l->tail = NULL;
}

void falco_webhook_release(struct falco_webhook *wh)
{
	struct alert_list moved;
	size_t room;

	if (!wh->staged.n)
		return;
	pthread_mutex_lock(&wh->mu);
	room = wh->cfg.queue_max > wh->queue.n ? wh->cfg.queue_max - wh->queue.n : 0;
	alert_list_split(&wh->staged, room < wh->staged.n ? room : wh->staged.n, &moved);
	if (moved.n) {
		if (wh->queue.tail)
			wh->queue.tail->next = moved.head;
		else
			wh->queue.head = moved.head;
		wh->queue.tail = moved.tail;
		wh->queue.n += moved.n;
		pthread_cond_signal(&wh->cv);
	}
	pthread_mutex_unlock(&wh->mu);
	count_drops(wh, alert_list_free(&wh->staged), "queue full");
}

void falco_webhook_discard(struct falco_webhook *wh)
{
	atomic_fetch_add(&wh->discarded, alert_list_free(&wh->staged));
}

size_t falco_webhook_pending(const struct falco_webhook *wh)
{
	return wh->staged.n;
}

void falco_webhook_rules_changed(struct falco_webhook *wh, uint64_t generation)
{
	atomic_store(&wh->rules_gen, generation);
}

void falco_webhook_stats(const struct falco_webhook *wh, struct falco_webhook_stats *out)
{
	struct falco_webhook *w = (struct falco_webhook *)wh; /* atomic loads only */

	*out = (struct falco_webhook_stats){
		.staged = atomic_load(&w->staged_total), .discarded = atomic_load(&w->discarded),
		.posted = atomic_load(&w->posted), .retries = atomic_load(&w->retries),
		.failed = atomic_load(&w->failed), .dropped = atomic_load(&w->dropped),
	};
}
