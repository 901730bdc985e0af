#include "service_rules.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "evaluator.h"
#include "service_log.h"

#define RULES_POLL_MS 500
#define RULES_MAX_DEPTH 8

struct service_rules {
	const char *const *paths;
	size_t npaths;
	struct eval_config *current;            /* the evaluating thread's */
	_Atomic(struct eval_config *) published; /* loaded, not yet adopted */
	atomic_uint_fast64_t reloads, failures;
	atomic_bool last_ok; /* the last reload attempt's result (true before any) */
	pthread_t thread;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop; /* under mu */
};

/* ---- change detection ----------------------------------------------------- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t stat_sig(uint64_t h, const char *path, const struct stat *st)
{
	int64_t meta[4] = {st->st_size, st->st_mtim.tv_sec, st->st_mtim.tv_nsec, (int64_t)st->st_ino};

	h = fnv(h, path, strlen(path) + 1);
	return fnv(h, meta, sizeof(meta));
}

/* A missing path hashes differently from any present one, so removal and
 * re-creation are changes too. */
static uint64_t path_sig(uint64_t h, const char *path, int depth)
{
	struct stat st;
	DIR *dir;
	struct dirent *de;
	char sub[4096];

	if (stat(path, &st))
		return fnv(h, path, strlen(path)) ^ 0x5bd1e995;
	h = stat_sig(h, path, &st);
	if (!S_ISDIR(st.st_mode) || depth >= RULES_MAX_DEPTH || !(dir = opendir(path)))
		return h;
	/* Entry order is the directory's own, stable while it is unchanged. */
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		h = path_sig(h, sub, depth + 1);
	}
	closedir(dir);
	return h;
}

static uint64_t rules_sig(const struct service_rules *r)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < r->npaths; i++)
		h = path_sig(h, r->paths[i], 0);
	return h;
}

/* ---- loading -------------------------------------------------------------- */

void service_rules_log_diag(const char *msg, const struct diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		service_error(msg, json_pack("{s:s}", "error", d->msgs[i]));
	service_error(msg, json_pack("{s:I, s:I}", "errors", (json_int_t)d->n, "errors_lost",
				     (json_int_t)d->lost));
}

static void log_loaded(const char *msg, const struct eval_config *cfg)
{
	struct eval_config_info info;

	eval_config_info(cfg, &info);
	service_info(msg, json_pack("{s:I, s:I, s:I}", "rules", (json_int_t)info.rules, "clusters",
				    (json_int_t)info.clusters, "predicates", (json_int_t)info.predicates));
}

static void reload(struct service_rules *r)
{
	struct diag d = {0};
	struct eval_config *cfg = eval_config_load(r->paths, r->npaths, &d);

	if (!cfg) {
		atomic_fetch_add(&r->failures, 1);
		atomic_store(&r->last_ok, false);
		service_rules_log_diag("rule configuration rejected; previous one stays in force", &d);
	} else {
		log_loaded("rule configuration reloaded", cfg);
		atomic_fetch_add(&r->reloads, 1);
		atomic_store(&r->last_ok, true);
		/* Replaces one the evaluating thread has not adopted yet. */
		eval_config_unref(atomic_exchange(&r->published, cfg));
	}
	diag_free(&d);
}

/* ---- watcher thread --------------------------------------------------------- */

/* false when asked to stop */
static bool wait_poll(struct service_rules *r)
{
	struct timespec until;
	bool stop;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += RULES_POLL_MS * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&r->mu);
	while (!r->stop && pthread_cond_timedwait(&r->cv, &r->mu, &until) == 0)
		;
	stop = r->stop;
	pthread_mutex_unlock(&r->mu);
	return !stop;
}

/* Loads a state once it has been seen unchanged by two polls in a row, so a
 * file caught half-written is not reported as broken. */
static void *watch(void *arg)
{
	struct service_rules *r = arg;
	uint64_t loaded = rules_sig(r), seen = loaded;

	while (wait_poll(r)) {
		uint64_t now = rules_sig(r);

		if (now == seen && now != loaded) {
			reload(r);
			loaded = now;
		}
		seen = now;
	}
	return NULL;
}

/* ---- public ------------------------------------------------------------------ */

struct service_rules *service_rules_start(const char *const *paths, size_t n, struct diag *d)
{
	struct service_rules *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->paths = paths, r->npaths = n;
	r->current = eval_config_load(paths, n, d);
	if (!r->current) {
		free(r);
		return NULL;
	}
	log_loaded("rule configuration loaded", r->current);
	atomic_init(&r->last_ok, true);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	r->started = pthread_create(&r->thread, NULL, watch, r) == 0;
	if (!r->started) {
		service_error("cannot start the rule watcher thread", NULL);
		service_rules_stop(r);
		return NULL;
	}
	return r;
}

const struct eval_config *service_rules_current(struct service_rules *r)
{
	struct eval_config *next;

	/* Cheap test first: a relaxed load on every event, an exchange rarely. */
	if (atomic_load_explicit(&r->published, memory_order_relaxed) &&
	    (next = atomic_exchange(&r->published, NULL))) {
		eval_config_unref(r->current);
		r->current = next;
	}
	return r->current;
}

void service_rules_stats(struct service_rules *r, struct service_rules_stats *out)
{
	out->reloads = atomic_load(&r->reloads);
	out->reload_failures = atomic_load(&r->failures);
	out->last_reload_ok = atomic_load(&r->last_ok);
}

void service_rules_stop(struct service_rules *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->mu);
	r->stop = true;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
	if (r->started)
		pthread_join(r->thread, NULL);
	eval_config_unref(atomic_exchange(&r->published, NULL));
	eval_config_unref(r->current);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	free(r);
}
