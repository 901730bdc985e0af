/* The `local` transport: bounded in-memory FIFOs between threads of one
 * process (see local_bus.h for the bus lifecycle).
 *
 * Semantics chosen here:
 *  - producer_send copies key and value into one allocation and enqueues it;
 *    when the topic's queue is full it blocks (counted once in queue_full)
 *    for up to send_timeout_ms (0 = LOCAL_BUS_DEFAULT_SEND_TIMEOUT_MS,
 *    negative = forever) and then fails. It also fails once the bus is closed.
 *    Nothing is ever dropped silently.
 *  - "delivered" = handed to the bus queue, which owns the message from then
 *    on (it outlives the producer), so delivered == sent, failed stays 0 and
 *    producer_flush returns 0 at once.
 *  - consumer_poll takes the oldest message of one subscribed topic (round
 *    robin across topics); timeout_ms < 0 waits forever, 0 does not wait.
 *    The message is the caller's until consumer_release frees it.
 *    consumer_commit is a successful no-op: in-process there is nothing to
 *    resume from after a restart, a taken message is finished when released.
 *  - offset = per-topic sequence number starting at 0; partition = 0.
 * Producers are thread-safe; a consumer is used by one thread at a time
 * (release may happen on any thread). All waiting is on condition variables
 * against CLOCK_MONOTONIC, never polling. */
#include "local_bus.h"
#include "transport_impl.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct local_msg {
	int64_t offset;
	int64_t timestamp_ms;
	size_t key_len;
	size_t value_len;
	uint8_t data[]; /* key then value: one allocation per message */
};

struct local_topic {
	struct local_topic *next;
	char *name;
	struct local_msg **ring;
	size_t head;
	size_t count;
	int64_t next_offset;
	pthread_cond_t not_full;  /* producers of this topic wait here */
	pthread_cond_t not_empty; /* single-topic consumers wait here */
};

struct local_bus {
	pthread_mutex_t mu; /* guards everything below and every topic */
	pthread_condattr_t cattr;
	/* Consumers of several topics cannot wait on several condvars; they
	 * wait here and producers broadcast only while some are waiting. */
	pthread_cond_t any_cv;
	size_t multi_waiters;
	struct local_topic *topics;
	size_t capacity;
	bool closed;
};

struct local_producer {
	struct producer hdr;
	struct local_bus *bus;
	int timeout_ms;
	struct producer_stats st; /* guarded by bus->mu */
};

struct local_consumer {
	struct consumer hdr;
	struct local_bus *bus;
	struct local_topic **topics;
	size_t ntopics;
	size_t next; /* round-robin start, so one busy topic cannot starve others */
};

/* ---- bus ---- */

struct local_bus *local_bus_new(size_t capacity_per_topic)
{
	struct local_bus *bus;

	if (capacity_per_topic == 0)
		return NULL;
	bus = calloc(1, sizeof(*bus));
	if (!bus)
		return NULL;
	bus->capacity = capacity_per_topic;
	if (pthread_condattr_init(&bus->cattr))
		goto fail_bus;
	if (pthread_condattr_setclock(&bus->cattr, CLOCK_MONOTONIC) ||
	    pthread_mutex_init(&bus->mu, NULL))
		goto fail_attr;
	if (pthread_cond_init(&bus->any_cv, &bus->cattr))
		goto fail_mutex;
	return bus;
fail_mutex:
	pthread_mutex_destroy(&bus->mu);
fail_attr:
	pthread_condattr_destroy(&bus->cattr);
fail_bus:
	free(bus);
	return NULL;
}

void local_bus_close(struct local_bus *bus)
{
	struct local_topic *t;

	pthread_mutex_lock(&bus->mu);
	bus->closed = true;
	for (t = bus->topics; t; t = t->next) {
		pthread_cond_broadcast(&t->not_full);
		pthread_cond_broadcast(&t->not_empty);
	}
	pthread_cond_broadcast(&bus->any_cv);
	pthread_mutex_unlock(&bus->mu);
}

static void topic_free(struct local_topic *t, size_t capacity)
{
	for (size_t i = 0; i < t->count; i++)
		free(t->ring[(t->head + i) % capacity]);
	pthread_cond_destroy(&t->not_full);
	pthread_cond_destroy(&t->not_empty);
	free(t->ring);
	free(t->name);
	free(t);
}

void local_bus_free(struct local_bus *bus)
{
	struct local_topic *t, *next;

	if (!bus)
		return;
	for (t = bus->topics; t; t = next) {
		next = t->next;
		topic_free(t, bus->capacity);
	}
	pthread_cond_destroy(&bus->any_cv);
	pthread_mutex_destroy(&bus->mu);
	pthread_condattr_destroy(&bus->cattr);
	free(bus);
}

static struct local_topic *topic_new(struct local_bus *bus, const char *name)
{
	struct local_topic *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->name = strdup(name);
	t->ring = calloc(bus->capacity, sizeof(*t->ring));
	if (!t->name || !t->ring)
		goto fail;
	if (pthread_cond_init(&t->not_full, &bus->cattr))
		goto fail;
	if (pthread_cond_init(&t->not_empty, &bus->cattr)) {
		pthread_cond_destroy(&t->not_full);
		goto fail;
	}
	return t;
fail:
	free(t->ring);
	free(t->name);
	free(t);
	return NULL;
}

/* Caller holds bus->mu. Topics are never removed before local_bus_free, so
 * the returned pointer stays valid for producers and consumers. */
static struct local_topic *topic_get(struct local_bus *bus, const char *name)
{
	struct local_topic *t;

	for (t = bus->topics; t; t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	t = topic_new(bus, name);
	if (t) {
		t->next = bus->topics;
		bus->topics = t;
	}
	return t;
}

/* ---- time ---- */

static void deadline_after(int ms, struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* deadline NULL waits without limit. Returns ETIMEDOUT once it passed. */
static int wait_until(pthread_cond_t *cv, pthread_mutex_t *mu, const struct timespec *deadline)
{
	if (!deadline)
		return pthread_cond_wait(cv, mu);
	return pthread_cond_timedwait(cv, mu, deadline);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- producer ---- */

static struct producer *local_producer_open(const struct transport_config *cfg, char *err,
					    size_t errlen)
{
	struct local_producer *p;

	if (!cfg->bus) {
		snprintf(err, errlen, "local transport: no bus in configuration");
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "local transport: out of memory");
		return NULL;
	}
	p->bus = cfg->bus;
	p->timeout_ms = cfg->send_timeout_ms ? cfg->send_timeout_ms : LOCAL_BUS_DEFAULT_SEND_TIMEOUT_MS;
	return &p->hdr;
}

static struct local_msg *msg_new(const void *key, size_t key_len, const void *value,
				 size_t value_len)
{
	struct local_msg *m;

	if (value_len > SIZE_MAX - sizeof(*m) || key_len > SIZE_MAX - sizeof(*m) - value_len)
		return NULL;
	m = malloc(sizeof(*m) + key_len + value_len);
	if (!m)
		return NULL;
	m->key_len = key_len;
	m->value_len = value_len;
	if (key_len)
		memcpy(m->data, key, key_len);
	if (value_len)
		memcpy(m->data + key_len, value, value_len);
	m->timestamp_ms = now_ms();
	return m;
}

/* Caller holds bus->mu. 0 space available, -1 bus closed, -2 timed out. */
static int wait_for_space(struct local_producer *p, struct local_topic *t)
{
	struct local_bus *bus = p->bus;
	struct timespec dl;
	int rc = 0;

	if (!bus->closed && t->count == bus->capacity) {
		p->st.queue_full++;
		if (p->timeout_ms > 0)
			deadline_after(p->timeout_ms, &dl);
	}
	while (!bus->closed && t->count == bus->capacity) {
		if (rc == ETIMEDOUT)
			return -2;
		rc = wait_until(&t->not_full, &bus->mu, p->timeout_ms > 0 ? &dl : NULL);
	}
	return bus->closed ? -1 : 0;
}

/* Caller holds bus->mu and checked there is space. */
static void enqueue(struct local_bus *bus, struct local_topic *t, struct local_msg *m)
{
	m->offset = t->next_offset++;
	t->ring[(t->head + t->count) % bus->capacity] = m;
	t->count++;
	pthread_cond_signal(&t->not_empty);
	if (bus->multi_waiters)
		pthread_cond_broadcast(&bus->any_cv);
}

/* Caller holds bus->mu. */
static int send_locked(struct local_producer *p, const char *topic, struct local_msg *m,
		       char *err, size_t errlen)
{
	struct local_topic *t = topic_get(p->bus, topic);
	int rc;

	if (!t) {
		snprintf(err, errlen, "local transport: out of memory creating topic %s", topic);
		return -1;
	}
	rc = wait_for_space(p, t);
	if (rc == -1) {
		snprintf(err, errlen, "local transport: bus closed");
		return -1;
	}
	if (rc == -2) {
		snprintf(err, errlen, "local transport: topic %s full for %d ms (capacity %zu)",
			 topic, p->timeout_ms, p->bus->capacity);
		return -1;
	}
	enqueue(p->bus, t, m);
	p->st.sent++;
	p->st.delivered++;
	return 0;
}

static int local_producer_send(struct producer *hdr, const char *topic, const void *key,
			       size_t key_len, const void *value, size_t value_len, char *err,
			       size_t errlen)
{
	struct local_producer *p = (struct local_producer *)hdr;
	struct local_msg *m;
	int rc;

	if (!topic || (!key && key_len) || (!value && value_len)) {
		snprintf(err, errlen, "local transport: invalid arguments");
		return -1;
	}
	/* Allocate and copy outside the lock: the critical section stays short. */
	m = msg_new(key, key_len, value, value_len);
	if (!m) {
		snprintf(err, errlen, "local transport: cannot allocate %zu-byte message",
			 key_len + value_len);
		return -1;
	}
	pthread_mutex_lock(&p->bus->mu);
	rc = send_locked(p, topic, m, err, errlen);
	pthread_mutex_unlock(&p->bus->mu);
	if (rc)
		free(m);
	return rc;
}

static int local_producer_flush(struct producer *p, int timeout_ms)
{
	(void)p;
	(void)timeout_ms;
	return 0; /* accepted == delivered: queued messages belong to the bus */
}

static void local_producer_stats(struct producer *hdr, struct producer_stats *out)
{
	struct local_producer *p = (struct local_producer *)hdr;

	pthread_mutex_lock(&p->bus->mu);
	*out = p->st;
	pthread_mutex_unlock(&p->bus->mu);
}

static void local_producer_close(struct producer *hdr)
{
	free(hdr);
}

/* ---- consumer ---- */

static int resolve_topics(struct local_consumer *c, const char *const *topics, char *err,
			  size_t errlen)
{
	int rc = 0;

	pthread_mutex_lock(&c->bus->mu);
	for (size_t i = 0; i < c->ntopics; i++) {
		c->topics[i] = topics[i] ? topic_get(c->bus, topics[i]) : NULL;
		if (!c->topics[i]) {
			snprintf(err, errlen, "local transport: cannot subscribe to topic %zu", i);
			rc = -1;
			break;
		}
	}
	pthread_mutex_unlock(&c->bus->mu);
	return rc;
}

static struct consumer *local_consumer_open(const struct transport_config *cfg,
					    const char *const *topics, size_t ntopics, char *err,
					    size_t errlen)
{
	struct local_consumer *c;

	if (!cfg->bus || !topics || ntopics == 0) {
		snprintf(err, errlen, "local transport: consumer needs a bus and at least one topic");
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c)
		c->topics = calloc(ntopics, sizeof(*c->topics));
	if (!c || !c->topics) {
		snprintf(err, errlen, "local transport: out of memory");
		goto fail;
	}
	c->bus = cfg->bus;
	c->ntopics = ntopics;
	if (resolve_topics(c, topics, err, errlen))
		goto fail;
	return &c->hdr;
fail:
	if (c)
		free(c->topics);
	free(c);
	return NULL;
}

/* Caller holds bus->mu. The oldest message of the first non-empty topic,
 * starting after the topic served last time. */
static struct local_msg *take(struct local_consumer *c, struct local_topic **from)
{
	struct local_bus *bus = c->bus;

	for (size_t i = 0; i < c->ntopics; i++) {
		struct local_topic *t = c->topics[(c->next + i) % c->ntopics];
		struct local_msg *m;

		if (!t->count)
			continue;
		m = t->ring[t->head];
		t->ring[t->head] = NULL;
		t->head = (t->head + 1) % bus->capacity;
		t->count--;
		c->next = (c->next + i + 1) % c->ntopics;
		pthread_cond_signal(&t->not_full);
		*from = t;
		return m;
	}
	return NULL;
}

/* Caller holds bus->mu. */
static int wait_for_message(struct local_consumer *c, const struct timespec *deadline)
{
	struct local_bus *bus = c->bus;
	int rc;

	if (c->ntopics == 1)
		return wait_until(&c->topics[0]->not_empty, &bus->mu, deadline);
	bus->multi_waiters++;
	rc = wait_until(&bus->any_cv, &bus->mu, deadline);
	bus->multi_waiters--;
	return rc;
}

/* Caller holds bus->mu. 1 taken, 0 timed out, -2 closed and drained. */
static int poll_locked(struct local_consumer *c, int timeout_ms, struct local_msg **m,
		       struct local_topic **t)
{
	struct timespec dl;
	int rc = 0;

	if (timeout_ms > 0)
		deadline_after(timeout_ms, &dl);
	for (;;) {
		*m = take(c, t);
		if (*m)
			return 1;
		if (c->bus->closed)
			return -2;
		if (timeout_ms == 0 || rc == ETIMEDOUT)
			return 0;
		rc = wait_for_message(c, timeout_ms > 0 ? &dl : NULL);
	}
}

static int local_consumer_poll(struct consumer *hdr, struct transport_msg *msg, int timeout_ms,
			       char *err, size_t errlen)
{
	struct local_consumer *c = (struct local_consumer *)hdr;
	struct local_topic *t = NULL;
	struct local_msg *m = NULL;
	int rc;

	(void)err;
	(void)errlen;
	pthread_mutex_lock(&c->bus->mu);
	rc = poll_locked(c, timeout_ms, &m, &t);
	pthread_mutex_unlock(&c->bus->mu);
	if (rc != 1)
		return rc;
	*msg = (struct transport_msg){
		.topic = t->name,
		.key = m->data,
		.key_len = m->key_len,
		.value = m->data + m->key_len,
		.value_len = m->value_len,
		.partition = 0,
		.offset = m->offset,
		.timestamp_ms = m->timestamp_ms,
		.handle = m,
	};
	return 1;
}

static int local_consumer_commit(struct consumer *c, const struct transport_msg *msg, char *err,
				 size_t errlen)
{
	(void)c;
	(void)msg;
	(void)err;
	(void)errlen;
	return 0; /* nothing to persist in-process; see the top comment */
}

static void local_consumer_release(struct consumer *c, struct transport_msg *msg)
{
	(void)c;
	free(msg->handle);
	msg->handle = NULL;
}

static void local_consumer_close(struct consumer *hdr)
{
	struct local_consumer *c = (struct local_consumer *)hdr;

	free(c->topics);
	free(c);
}

const struct transport_ops transport_local_ops = {
	.name = "local",
	.producer_open = local_producer_open,
	.producer_send = local_producer_send,
	.producer_flush = local_producer_flush,
	.producer_stats = local_producer_stats,
	.producer_close = local_producer_close,
	.consumer_open = local_consumer_open,
	.consumer_poll = local_consumer_poll,
	.consumer_commit = local_consumer_commit,
	.consumer_release = local_consumer_release,
	.consumer_close = local_consumer_close,
};
