#include "act_limit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Per scope, the times of its last `max` actions in a ring: the action is
 * allowed when the oldest of them left the window. */
struct scope {
	char *name;
	int64_t *times;
	unsigned next, used;
};

struct act_limit {
	pthread_mutex_t lock; /* one limit is shared by the actuator's workers */
	unsigned max;
	int64_t window_ms;
	struct scope *scopes;
	size_t nscopes, cap;
};

struct act_limit *act_limit_new(unsigned max, int64_t window_ms)
{
	struct act_limit *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->max = max;
	l->window_ms = window_ms;
	if (pthread_mutex_init(&l->lock, NULL)) {
		free(l);
		return NULL;
	}
	return l;
}

void act_limit_free(struct act_limit *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nscopes; i++) {
		free(l->scopes[i].name);
		free(l->scopes[i].times);
	}
	free(l->scopes);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

static struct scope *scope_get(struct act_limit *l, const char *name)
{
	struct scope *s;

	for (size_t i = 0; i < l->nscopes; i++)
		if (strcmp(l->scopes[i].name, name) == 0)
			return &l->scopes[i];
	if (l->nscopes == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		s = realloc(l->scopes, cap * sizeof(*s));
		if (!s)
			return NULL;
		l->scopes = s;
		l->cap = cap;
	}
	s = &l->scopes[l->nscopes];
	*s = (struct scope){.name = strdup(name), .times = calloc(l->max, sizeof(int64_t))};
	if (!s->name || !s->times) {
		free(s->name);
		free(s->times);
		return NULL;
	}
	l->nscopes++;
	return s;
}

static bool take_locked(struct act_limit *l, const char *scope, int64_t now_ms)
{
	struct scope *s = scope_get(l, scope);

	if (!s)
		return false;
	/* With the ring full, times[next] is the oldest recorded action. */
	if (s->used == l->max && now_ms - s->times[s->next] < l->window_ms)
		return false;
	s->times[s->next] = now_ms;
	s->next = (s->next + 1) % l->max;
	if (s->used < l->max)
		s->used++;
	return true;
}

bool act_limit_take(struct act_limit *l, const char *scope, int64_t now_ms)
{
	bool ok;

	if (l->max == 0)
		return true;
	pthread_mutex_lock(&l->lock);
	ok = take_locked(l, scope, now_ms);
	pthread_mutex_unlock(&l->lock);
	return ok;
}
