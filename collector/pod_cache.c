#include "pod_cache.h"

#include <stdlib.h>
#include <string.h>

/* Index of uid in s, or of where it would go; *found says which. */
static size_t position(const struct pod_set *s, const char *uid, bool *found)
{
	size_t lo = 0, hi = s->n;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(s->items[mid]->uid, uid);

		if (cmp == 0) {
			*found = true;
			return mid;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int grow(struct pod_set *s)
{
	size_t cap = s->cap ? s->cap * 2 : 16;
	struct pod_meta **items;

	if (cap > POD_CACHE_MAX)
		cap = POD_CACHE_MAX;
	items = realloc(s->items, cap * sizeof(*items));
	if (!items)
		return -1;
	s->items = items;
	s->cap = cap;
	return 0;
}

int pod_set_put(struct pod_set *s, const struct pod_meta *m)
{
	bool found;
	size_t i = position(s, m->uid, &found);
	struct pod_meta *copy;

	if (found) {
		memcpy(s->items[i], m, sizeof(*m));
		return 0;
	}
	if (s->n == POD_CACHE_MAX || (s->n == s->cap && grow(s)))
		return -1;
	copy = malloc(sizeof(*copy));
	if (!copy)
		return -1;
	memcpy(copy, m, sizeof(*m));
	memmove(&s->items[i + 1], &s->items[i], (s->n - i) * sizeof(*s->items));
	s->items[i] = copy;
	s->n++;
	return 0;
}

bool pod_set_remove(struct pod_set *s, const char *uid)
{
	bool found;
	size_t i = position(s, uid, &found);

	if (!found)
		return false;
	free(s->items[i]);
	memmove(&s->items[i], &s->items[i + 1], (s->n - i - 1) * sizeof(*s->items));
	s->n--;
	return true;
}

const struct pod_meta *pod_set_find(const struct pod_set *s, const char *uid)
{
	bool found;
	size_t i = position(s, uid, &found);

	return found ? s->items[i] : NULL;
}

void pod_set_free(struct pod_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->items[i]);
	free(s->items);
	memset(s, 0, sizeof(*s));
}

int pod_cache_init(struct pod_cache *c)
{
	memset(c, 0, sizeof(*c));
	return pthread_rwlock_init(&c->lock, NULL) ? -1 : 0;
}

void pod_cache_destroy(struct pod_cache *c)
{
	pod_set_free(&c->set);
	pthread_rwlock_destroy(&c->lock);
}

int pod_cache_put(struct pod_cache *c, const struct pod_meta *m)
{
	int rc;

	pthread_rwlock_wrlock(&c->lock);
	rc = pod_set_put(&c->set, m);
	atomic_fetch_add(&c->generation, 1);
	pthread_rwlock_unlock(&c->lock);
	return rc;
}

void pod_cache_remove(struct pod_cache *c, const char *uid)
{
	pthread_rwlock_wrlock(&c->lock);
	if (pod_set_remove(&c->set, uid))
		atomic_fetch_add(&c->generation, 1);
	pthread_rwlock_unlock(&c->lock);
}

void pod_cache_replace(struct pod_cache *c, struct pod_set *fresh)
{
	struct pod_set old;

	pthread_rwlock_wrlock(&c->lock);
	old = c->set;
	c->set = *fresh;
	atomic_fetch_add(&c->generation, 1);
	pthread_rwlock_unlock(&c->lock);
	memset(fresh, 0, sizeof(*fresh));
	pod_set_free(&old); /* outside the lock: readers need not wait for free() */
}

bool pod_cache_get(struct pod_cache *c, const char *uid, struct pod_meta *out)
{
	const struct pod_meta *m;

	pthread_rwlock_rdlock(&c->lock);
	m = pod_set_find(&c->set, uid);
	if (m)
		memcpy(out, m, sizeof(*m));
	pthread_rwlock_unlock(&c->lock);
	return m != NULL;
}

size_t pod_cache_count(struct pod_cache *c)
{
	size_t n;

	pthread_rwlock_rdlock(&c->lock);
	n = c->set.n;
	pthread_rwlock_unlock(&c->lock);
	return n;
}

uint64_t pod_cache_generation(const struct pod_cache *c)
{
	return atomic_load(&((struct pod_cache *)c)->generation);
}
