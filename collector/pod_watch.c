/* The pod watcher's thread (list, then watch, with back-off), its
 * lifecycle and lookups. */
#include "pod_watch_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BACKOFF_MIN_MS 500
#define DEFAULT_BACKOFF_MAX_MS 30000
#define DEFAULT_WATCH_TIMEOUT_S 300

/* Sleeps ms, or less when stop is asked for. */
static void pause_ms(struct pod_watch *w, uint32_t ms)
{
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&w->mu);
	while (!atomic_load(&w->stop) && pthread_cond_timedwait(&w->cv, &w->mu, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&w->mu);
}

static uint32_t random_below(struct pod_watch *w, uint32_t n)
{
	/* xorshift64*: enough to spread a fleet's retries, and per watcher */
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return n ? (uint32_t)((w->rng * 0x2545f4914f6cdd1dULL >> 32) % n) : 0;
}

/* Equal jitter: half the current step, plus up to as much again at random,
 * so collectors that lost the API server together do not return together. */
static void back_off(struct pod_watch *w)
{
	uint32_t step = w->backoff_ms ? w->backoff_ms : BACKOFF_MIN_MS;

	pause_ms(w, step / 2 + random_below(w, step / 2 + 1));
	w->backoff_ms = step >= w->backoff_max_ms / 2 ? w->backoff_max_ms : step * 2;
}

static void next_step(struct pod_watch *w, enum pod_watch_outcome o, bool listed)
{
	switch (o) {
	case POD_WATCH_OK:
		if (!listed) /* a list alone proves little: the watch after it may fail */
			w->backoff_ms = 0;
		return;
	case POD_WATCH_GONE:
		w->rv[0] = 0;
		if (w->backoff_ms) /* 410 again without a good watch between: slow down */
			back_off(w);
		else
			w->backoff_ms = BACKOFF_MIN_MS;
		return;
	case POD_WATCH_UNAUTHORIZED:
		if (!kube_auth_on_unauthorized(w->auth))
			pod_watch_log(w, "the credential is static; retrying in case it is accepted again");
		/* fall through */
	case POD_WATCH_FAILED:
		metrics_inc(&w->stats.errors);
		back_off(w);
		return;
	case POD_WATCH_STOPPED:
		return;
	}
}

static void *run(void *arg)
{
	struct pod_watch *w = arg;
	bool watched = false;

	while (!atomic_load(&w->stop)) {
		bool listing = !w->rv[0];

		if (!listing && watched)
			metrics_inc(&w->stats.watch_restarts);
		next_step(w, listing ? pod_watch_list(w) : pod_watch_follow(w), listing);
		watched = !listing;
	}
	return NULL;
}

static struct kube_auth *open_auth(const struct pod_watch_config *cfg, char *err, size_t errlen)
{
	const char *ctx = cfg->context && *cfg->context ? cfg->context : NULL;

	if (cfg->kubeconfig && *cfg->kubeconfig)
		return kube_auth_from_kubeconfig(cfg->kubeconfig, ctx, err, errlen);
	return kube_auth_in_cluster(cfg->token_file && *cfg->token_file ? cfg->token_file : NULL,
				    cfg->ca_file && *cfg->ca_file ? cfg->ca_file : NULL, err, errlen);
}

/* The lock, condition and store; 0, or -1 with nothing left to undo. */
static int init_sync(struct pod_watch *w)
{
	pthread_condattr_t ca;
	int rc = -1;

	if (pthread_condattr_init(&ca))
		return -1;
	if (!pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) && !pthread_cond_init(&w->cv, &ca)) {
		if (pthread_mutex_init(&w->mu, NULL)) {
			pthread_cond_destroy(&w->cv);
		} else if (pod_cache_init(&w->cache)) {
			pthread_mutex_destroy(&w->mu);
			pthread_cond_destroy(&w->cv);
		} else {
			rc = 0;
		}
	}
	pthread_condattr_destroy(&ca);
	return rc;
}

/* Everything but the thread and the sync objects. */
static void free_parts(struct pod_watch *w)
{
	kube_auth_free(w->auth);
	http_client_free(w->http);
	pod_watch_conn_free(w->conn);
	pod_watch_stream_free(&w->stream);
	free(w->selector);
	free(w->node);
}

static int init_parts(struct pod_watch *w, const struct pod_watch_config *cfg, char *err, size_t errlen)
{
	char *selector = NULL;

	w->auth = open_auth(cfg, err, errlen);
	if (!w->auth)
		return -1;
	w->http = http_client_new(); /* first: it runs curl_global_init */
	w->conn = pod_watch_conn_new();
	w->node = strdup(cfg->node);
	if (asprintf(&selector, "spec.nodeName=%s", cfg->node) >= 0) {
		w->selector = pod_watch_url_encode(selector);
		free(selector);
	}
	if (!w->http || !w->conn || !w->node || !w->selector)
		return snprintf(err, errlen, "pod watch: out of memory"), -1;
	pod_watch_stream_init(&w->stream, pod_watch_apply, w);
	w->watch_timeout_s = cfg->watch_timeout_s ? cfg->watch_timeout_s : DEFAULT_WATCH_TIMEOUT_S;
	w->backoff_max_ms = cfg->backoff_max_ms ? cfg->backoff_max_ms : DEFAULT_BACKOFF_MAX_MS;
	if (w->backoff_max_ms < BACKOFF_MIN_MS)
		w->backoff_max_ms = BACKOFF_MIN_MS;
	w->log = cfg->log;
	w->rng = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32 ^ (uint64_t)(uintptr_t)w;
	w->rng = w->rng ? w->rng : 1;
	return 0;
}

struct pod_watch *pod_watch_start(const struct pod_watch_config *cfg, char *err, size_t errlen)
{
	struct pod_watch *w;

	if (!cfg->node || !*cfg->node)
		return snprintf(err, errlen, "pod watch: no node name to select pods by"), NULL;
	w = calloc(1, sizeof(*w));
	if (!w || init_sync(w)) {
		free(w);
		return snprintf(err, errlen, "pod watch: out of memory"), NULL;
	}
	if (init_parts(w, cfg, err, errlen) == 0) {
		if (pthread_create(&w->thread, NULL, run, w) == 0) {
			w->running = true;
			return w;
		}
		snprintf(err, errlen, "pod watch: cannot start its thread");
	}
	pod_watch_stop(w);
	return NULL;
}

void pod_watch_stop(struct pod_watch *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	atomic_store(&w->stop, true);
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	if (w->running)
		pthread_join(w->thread, NULL);
	free_parts(w);
	pod_cache_destroy(&w->cache);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}

bool pod_watch_lookup(struct pod_watch *w, const char *pod_uid, struct pod_meta *out)
{
	return pod_uid && *pod_uid && pod_cache_get(&w->cache, pod_uid, out);
}

bool pod_watch_synced(const struct pod_watch *w)
{
	return metrics_get(&w->stats.synced) != 0;
}

uint64_t pod_watch_generation(const struct pod_watch *w)
{
	return pod_cache_generation(&w->cache);
}

const struct pod_watch_stats *pod_watch_stats(const struct pod_watch *w)
{
	return &w->stats;
}
