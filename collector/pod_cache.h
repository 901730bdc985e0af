/* The pod watcher's store: what the API server says about each pod on this
 * node, keyed by the uid the container runtime sees (collector/pod_watch.h).
 *
 * struct pod_set is a plain sorted array of owned entries, used by one
 * thread (the watcher builds a fresh one while it LISTs). struct pod_cache
 * wraps the live set in a rwlock: the watcher thread writes, readers copy
 * an entry out (pod_cache_get), so nothing of the store escapes the lock.
 * Every change bumps a generation counter readers may poll without the
 * lock to learn that something changed. Bounded: at most POD_CACHE_MAX pods,
 * POD_MAX_LABELS labels and POD_LABEL_TEXT bytes of label text per pod. */
#ifndef RAMPART_COLLECTOR_POD_CACHE_H
#define RAMPART_COLLECTOR_POD_CACHE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POD_MAX_LABELS 32
#define POD_LABEL_TEXT 2048
/* Far above any node's pod capacity (kubelet default 110, most clusters <= 250). */
#define POD_CACHE_MAX 4096

struct pod_meta {
	char uid[40];             /* metadata.uid, or a mirror pod's kubernetes.io/config.mirror */
	char namespace_[64], name[256];
	char owner_kind[32], owner_name[256]; /* the controller ownerReference, else the first */
	char service_account[256];
	bool finished;            /* status.phase Succeeded or Failed: no container runs any more */
	bool labels_truncated;    /* more labels than fit: the rest (in key order) were dropped */
	uint32_t nlabels;
	/* label i: key at label_text + label_key[i], value at label_text + label_value[i] */
	uint16_t label_key[POD_MAX_LABELS], label_value[POD_MAX_LABELS];
	char label_text[POD_LABEL_TEXT];
};

static inline const char *pod_meta_label_key(const struct pod_meta *m, uint32_t i)
{
	return m->label_text + m->label_key[i];
}

static inline const char *pod_meta_label_value(const struct pod_meta *m, uint32_t i)
{
	return m->label_text + m->label_value[i];
}

struct pod_set {
	struct pod_meta **items;  /* sorted by uid */
	size_t n, cap;
};

/* Inserts or replaces m (by uid). 0, or -1 when full or out of memory. */
int pod_set_put(struct pod_set *s, const struct pod_meta *m);
/* Whether uid was there. */
bool pod_set_remove(struct pod_set *s, const char *uid);
const struct pod_meta *pod_set_find(const struct pod_set *s, const char *uid);
void pod_set_free(struct pod_set *s);

struct pod_cache {
	pthread_rwlock_t lock;
	struct pod_set set;
	_Atomic uint64_t generation;
};

/* 0, or -1 when the lock cannot be created. */
int pod_cache_init(struct pod_cache *c);
void pod_cache_destroy(struct pod_cache *c);
/* Writer side (one thread). */
int pod_cache_put(struct pod_cache *c, const struct pod_meta *m);
void pod_cache_remove(struct pod_cache *c, const char *uid);
/* Makes *fresh the contents (a relist); fresh is left empty. */
void pod_cache_replace(struct pod_cache *c, struct pod_set *fresh);
/* Reader side (any thread): copies the entry for uid into *out. */
bool pod_cache_get(struct pod_cache *c, const char *uid, struct pod_meta *out);
size_t pod_cache_count(struct pod_cache *c);
uint64_t pod_cache_generation(const struct pod_cache *c);

#endif
