#include "actuator_workers.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "actuator_audit.h"

struct worker {
	struct actuator *act;
	struct verdict_scratch *scratch;
	size_t *own; /* indices of this batch's items it owns */
	size_t nown;
	struct act_item *items;
	int failed;
	bool threaded; /* ran on its own thread: to be joined */
	pthread_t thread;
};

struct act_workers {
	struct worker *w;
	size_t n;
	size_t *slots; /* every worker's `own`, carved from one allocation */
};

struct act_workers *act_workers_new(struct actuator *const *acts, size_t n, char *err, size_t errlen)
{
	struct act_workers *ws = calloc(1, sizeof(*ws));

	if (!ws || !(ws->w = calloc(n, sizeof(*ws->w))))
		goto oom;
	ws->n = n;
	for (size_t i = 0; i < n; i++) {
		ws->w[i].act = acts[i];
		if (!(ws->w[i].scratch = malloc(sizeof(*ws->w[i].scratch))))
			goto oom;
	}
	return ws;
oom:
	act_workers_free(ws);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

void act_workers_free(struct act_workers *ws)
{
	if (!ws)
		return;
	for (size_t i = 0; ws->w && i < ws->n; i++)
		free(ws->w[i].scratch);
	free(ws->w);
	free(ws->slots);
	free(ws);
}

static void handle(struct worker *w, struct act_item *it)
{
	struct codec_error cerr;
	struct rp_verdict v;

	it->undecodable = audit_decode_verdict(&it->m, &v, w->scratch, &cerr) != 0;
	if (it->undecodable) {
		snprintf(it->why, sizeof(it->why), "%s", cerr.msg);
		return;
	}
	/* The outcome's strings point into the message, which outlives the batch. */
	if (actuator_handle(w->act, &v, &it->out))
		w->failed = 1;
}

static void *work(void *arg)
{
	struct worker *w = arg;

	for (size_t i = 0; i < w->nown; i++)
		handle(w, &w->items[w->own[i]]);
	return NULL;
}

/* Hands each item to its workload's worker. */
static int assign(struct act_workers *ws, struct act_item *items, size_t n)
{
	size_t *slots = realloc(ws->slots, n * ws->n * sizeof(*slots));

	if (!slots)
		return -1;
	ws->slots = slots;
	for (size_t i = 0; i < ws->n; i++)
		ws->w[i] = (struct worker){.act = ws->w[i].act, .scratch = ws->w[i].scratch, .own = slots + i * n,
					   .items = items};
	for (size_t i = 0; i < n; i++) {
		struct rp_str key = {items[i].m.key, (uint32_t)items[i].m.key_len};
		struct worker *w = &ws->w[actuator_worker_of(key, ws->n)];
		w->own[w->nown++] = i;
	}
	return 0;
}

int act_workers_run(struct act_workers *ws, struct act_item *items, size_t n)
{
	size_t last = 0;
	int rc = 0;

	if (n == 0)
		return 0;
	if (assign(ws, items, n))
		return -1;
	/* Every busy worker but the last gets a thread; the caller runs that one. */
	for (size_t i = 0; i < ws->n; i++)
		if (ws->w[i].nown)
			last = i;
	for (size_t i = 0; i < last; i++) {
		if (!ws->w[i].nown)
			continue;
		ws->w[i].threaded = pthread_create(&ws->w[i].thread, NULL, work, &ws->w[i]) == 0;
		if (!ws->w[i].threaded)
			work(&ws->w[i]); /* no thread to be had: do it here rather than not at all */
	}
	work(&ws->w[last]);
	for (size_t i = 0; i < last; i++)
		if (ws->w[i].threaded)
			pthread_join(ws->w[i].thread, NULL);
	for (size_t i = 0; i < ws->n; i++)
		rc |= ws->w[i].failed;
	return rc ? -1 : 0;
}
