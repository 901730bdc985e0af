/* Shared by falco_webhook.c (staging, queue, lifecycle) and
 * falco_webhook_post.c (the poster thread). Who touches what:
 *   evaluating thread only: staged list, drop_logged_ms
 *   under mu:               queue, nqueued, stopping, deadline_ms
 *   poster thread only:     http, tags, tags_gen, fail_logged_ms
 *   atomics:                rules_gen and the counters */
#ifndef RAMPART_EVAL_FALCO_WEBHOOK_INTERNAL_H
#define RAMPART_EVAL_FALCO_WEBHOOK_INTERNAL_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "falco_webhook.h"

struct falco_alert {
	struct falco_alert *next;
	json_t *body;
};

struct alert_list {
	struct falco_alert *head, *tail;
	size_t n;
};

struct falco_webhook {
	struct falco_webhook_config cfg;
	char *url;
	struct alert_list staged;
	int64_t drop_logged_ms;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct alert_list queue;
	bool stopping;
	int64_t deadline_ms;
	pthread_t thread;
	struct http_client *http;
	struct rules_doc *tags;
	uint64_t tags_gen;
	int64_t fail_logged_ms;
	_Atomic uint64_t rules_gen;
	_Atomic uint64_t staged_total, discarded, posted, retries, failed, dropped;
};

void *falco_webhook_poster(void *arg);
int64_t falco_webhook_now_ms(void);
/* Frees every alert of l; returns how many there were. */
size_t alert_list_free(struct alert_list *l);

#endif
