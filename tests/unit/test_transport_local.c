/* The local transport: exactly-once FIFO delivery under contention,
 * backpressure that blocks and then fails (never drops), poll timeouts,
 * shared and multi-topic consumers, and bus close semantics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "local_bus.h"
#include "transport.h"

#define NPROD 4
#define PER_PROD 100000

struct tag {
	uint32_t producer;
	uint32_t seq;
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_us(long us)
{
	struct timespec ts = {us / 1000000, (us % 1000000) * 1000};

	nanosleep(&ts, NULL);
}

static struct transport_config local_cfg(struct local_bus *bus, int send_timeout_ms)
{
	return (struct transport_config){
		.kind = TRANSPORT_LOCAL, .bus = bus, .send_timeout_ms = send_timeout_ms};
}

static struct consumer *open_consumer(struct local_bus *bus, const char *const *topics, size_t n)
{
	struct transport_config cfg = local_cfg(bus, 0);
	char err[256] = "";
	struct consumer *c = consumer_open(&cfg, topics, n, err, sizeof(err));

	assert_non_null(c);
	return c;
}

/* ---- many producers, one slow consumer ---- */

struct prod_arg {
	struct local_bus *bus;
	uint32_t id;
	uint32_t count;
	const char *topic;
	struct producer_stats stats;
	int failures;
};

static void *produce(void *arg)
{
	struct prod_arg *a = arg;
	struct transport_config cfg = local_cfg(a->bus, -1);
	char err[256];
	struct producer *p = producer_open(&cfg, err, sizeof(err));

	if (!p) {
		a->failures++;
		return NULL;
	}
	for (uint32_t i = 0; i < a->count; i++) {
		struct tag t = {a->id, i};

		if (producer_send(p, a->topic, &t.producer, sizeof(t.producer), &t, sizeof(t), err,
				  sizeof(err)))
			a->failures++;
	}
	if (producer_flush(p, 1000))
		a->failures++;
	producer_stats(p, &a->stats);
	producer_close(p);
	return NULL;
}

static void check_tagged(const struct transport_msg *m, uint32_t *next)
{
	struct tag t;

	assert_int_equal(m->value_len, sizeof(t));
	memcpy(&t, m->value, sizeof(t));
	assert_true(t.producer < NPROD);
	assert_int_equal(m->key_len, sizeof(uint32_t));
	assert_memory_equal(m->key, &t.producer, sizeof(uint32_t));
	/* FIFO per producer and nothing lost or duplicated: seq is exactly the
	 * next one expected from that producer. */
	assert_int_equal(t.seq, next[t.producer]);
	next[t.producer]++;
}

static void test_multi_producer_slow_consumer(void **state)
{
	struct local_bus *bus = local_bus_new(64);
	const char *topics[] = {"events"};
	struct prod_arg args[NPROD];
	pthread_t th[NPROD];
	uint32_t next[NPROD] = {0};
	uint64_t queue_full = 0;
	struct consumer *c;
	struct transport_msg m;
	char err[256];

	(void)state;
	assert_non_null(bus);
	c = open_consumer(bus, topics, 1);
	for (uint32_t i = 0; i < NPROD; i++) {
		args[i] = (struct prod_arg){.bus = bus, .id = i, .count = PER_PROD, .topic = "events"};
		assert_int_equal(pthread_create(&th[i], NULL, produce, &args[i]), 0);
	}
	for (int64_t n = 0; n < (int64_t)NPROD * PER_PROD; n++) {
		assert_int_equal(consumer_poll(c, &m, 10000, err, sizeof(err)), 1);
		assert_int_equal(m.offset, n);
		assert_string_equal(m.topic, "events");
		check_tagged(&m, next);
		assert_int_equal(consumer_commit(c, &m, err, sizeof(err)), 0);
		consumer_release(c, &m);
		if (n % 512 == 0)
			sleep_us(200); /* slow consumer: producers must hit a full queue */
	}
	for (int i = 0; i < NPROD; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(args[i].failures, 0);
		assert_int_equal(next[i], PER_PROD);
		assert_int_equal(args[i].stats.sent, PER_PROD);
		assert_int_equal(args[i].stats.delivered, PER_PROD);
		assert_int_equal(args[i].stats.failed, 0);
		queue_full += args[i].stats.queue_full;
	}
	assert_true(queue_full > 0);
	assert_int_equal(consumer_poll(c, &m, 0, err, sizeof(err)), 0);
	consumer_close(c);
	local_bus_free(bus);
}

/* ---- consumers sharing a topic ---- */

#define SHARED_PER_PROD 20000

struct cons_arg {
	struct local_bus *bus;
	uint8_t *seen; /* [producer * SHARED_PER_PROD + seq], shared, distinct slots */
	uint32_t got;
	int last_rc;
};

static void *consume_until_end(void *arg)
{
	struct cons_arg *a = arg;
	const char *topics[] = {"shared"};
	struct transport_config cfg = local_cfg(a->bus, 0);
	char err[256];
	struct consumer *c = consumer_open(&cfg, topics, 1, err, sizeof(err));
	struct transport_msg m;
	struct tag t;

	if (!c)
		return NULL;
	while ((a->last_rc = consumer_poll(c, &m, 5000, err, sizeof(err))) == 1) {
		memcpy(&t, m.value, sizeof(t));
		/* each slot is written by whichever consumer got the message;
		 * the atomic add makes a duplicate visible as a 2 */
		__atomic_fetch_add(&a->seen[t.producer * SHARED_PER_PROD + t.seq], 1,
				   __ATOMIC_RELAXED);
		a->got++;
		consumer_release(c, &m);
	}
	consumer_close(c);
	return NULL;
}

static void test_shared_topic_each_message_once(void **state)
{
	struct local_bus *bus = local_bus_new(16);
	uint8_t *seen = calloc(2 * SHARED_PER_PROD, 1);
	struct prod_arg pa[2];
	struct cons_arg ca[2];
	pthread_t pt[2], ct[2];

	(void)state;
	assert_non_null(bus);
	assert_non_null(seen);
	for (int i = 0; i < 2; i++) {
		ca[i] = (struct cons_arg){.bus = bus, .seen = seen};
		assert_int_equal(pthread_create(&ct[i], NULL, consume_until_end, &ca[i]), 0);
	}
	for (uint32_t i = 0; i < 2; i++) {
		pa[i] = (struct prod_arg){.bus = bus, .id = i, .count = SHARED_PER_PROD, .topic = "shared"};
		assert_int_equal(pthread_create(&pt[i], NULL, produce, &pa[i]), 0);
	}
	for (int i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(pt[i], NULL), 0);
		assert_int_equal(pa[i].failures, 0);
	}
	local_bus_close(bus); /* consumers drain what is queued, then see -2 */
	for (int i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(ct[i], NULL), 0);
		assert_int_equal(ca[i].last_rc, -2);
	}
	assert_int_equal(ca[0].got + ca[1].got, 2 * SHARED_PER_PROD);
	for (size_t i = 0; i < 2 * SHARED_PER_PROD; i++)
		assert_int_equal(seen[i], 1);
	free(seen);
	local_bus_free(bus);
}

/* ---- backpressure ---- */

static void test_send_times_out_when_nobody_consumes(void **state)
{
	struct local_bus *bus = local_bus_new(2);
	struct transport_config cfg = local_cfg(bus, 100);
	struct producer_stats st;
	char err[256] = "";
	struct producer *p = producer_open(&cfg, err, sizeof(err));
	int64_t t0;

	(void)state;
	assert_non_null(p);
	assert_int_equal(producer_send(p, "t", NULL, 0, "a", 1, err, sizeof(err)), 0);
	assert_int_equal(producer_send(p, "t", NULL, 0, "b", 1, err, sizeof(err)), 0);
	t0 = mono_ms();
	assert_int_equal(producer_send(p, "t", NULL, 0, "c", 1, err, sizeof(err)), -1);
	assert_true(mono_ms() - t0 >= 90);
	assert_non_null(strstr(err, "full"));
	producer_stats(p, &st);
	assert_int_equal(st.sent, 2);
	assert_int_equal(st.queue_full, 1);
	assert_int_equal(st.failed, 0);
	producer_close(p);
	local_bus_free(bus); /* frees the two queued messages */
}

static void test_poll_honours_timeout(void **state)
{
	struct local_bus *bus = local_bus_new(4);
	const char *topics[] = {"empty"};
	struct consumer *c = open_consumer(bus, topics, 1);
	struct transport_msg m;
	char err[64];
	int64_t t0 = mono_ms();

	(void)state;
	assert_int_equal(consumer_poll(c, &m, 80, err, sizeof(err)), 0);
	assert_true(mono_ms() - t0 >= 70);
	assert_int_equal(consumer_poll(c, &m, 0, err, sizeof(err)), 0);
	consumer_close(c);
	local_bus_free(bus);
}

/* ---- close ---- */

struct blocked_arg {
	struct local_bus *bus;
	int rc;
	char err[256];
};

static void *send_blocked(void *arg)
{
	struct blocked_arg *a = arg;
	struct transport_config cfg = local_cfg(a->bus, -1);
	struct producer *p = producer_open(&cfg, a->err, sizeof(a->err));

	a->rc = p ? producer_send(p, "full", NULL, 0, "x", 1, a->err, sizeof(a->err)) : -3;
	producer_close(p);
	return NULL;
}

static void *poll_blocked(void *arg)
{
	struct blocked_arg *a = arg;
	const char *topics[] = {"idle"};
	struct transport_config cfg = local_cfg(a->bus, 0);
	struct consumer *c = consumer_open(&cfg, topics, 1, a->err, sizeof(a->err));
	struct transport_msg m;

	a->rc = c ? consumer_poll(c, &m, -1, a->err, sizeof(a->err)) : -3;
	consumer_close(c);
	return NULL;
}

static void test_close_wakes_and_drains(void **state)
{
	struct local_bus *bus = local_bus_new(1);
	struct transport_config cfg = local_cfg(bus, 0);
	const char *topics[] = {"full"};
	struct blocked_arg sa = {.bus = bus}, pa = {.bus = bus};
	struct consumer *c = open_consumer(bus, topics, 1);
	char err[256];
	struct producer *p = producer_open(&cfg, err, sizeof(err));
	struct transport_msg m;
	pthread_t st, pt;

	(void)state;
	assert_int_equal(producer_send(p, "full", "k", 1, "queued", 6, err, sizeof(err)), 0);
	assert_int_equal(pthread_create(&st, NULL, send_blocked, &sa), 0);
	assert_int_equal(pthread_create(&pt, NULL, poll_blocked, &pa), 0);
	sleep_us(50000); /* let both block */
	local_bus_close(bus);
	assert_int_equal(pthread_join(st, NULL), 0);
	assert_int_equal(pthread_join(pt, NULL), 0);
	assert_int_equal(sa.rc, -1);
	assert_non_null(strstr(sa.err, "closed"));
	assert_int_equal(pa.rc, -2);
	assert_int_equal(producer_send(p, "full", NULL, 0, "late", 4, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "closed"));
	/* what was queued before close is still delivered, then end of input */
	assert_int_equal(consumer_poll(c, &m, 1000, err, sizeof(err)), 1);
	assert_int_equal(m.value_len, 6);
	assert_memory_equal(m.value, "queued", 6);
	consumer_release(c, &m);
	assert_int_equal(consumer_poll(c, &m, 1000, err, sizeof(err)), -2);
	assert_int_equal(consumer_poll(c, &m, 0, err, sizeof(err)), -2);
	local_bus_close(bus); /* idempotent */
	producer_close(p);
	consumer_close(c);
	local_bus_free(bus);
}

/* ---- multi-topic consumer, copies ---- */

struct wait_arg {
	struct consumer *c;
	int rc;
	struct transport_msg m;
};

static void *poll_long(void *arg)
{
	struct wait_arg *a = arg;
	char err[64];

	a->rc = consumer_poll(a->c, &a->m, 5000, err, sizeof(err));
	return NULL;
}

static void test_multi_topic_consumer_and_copies(void **state)
{
	struct local_bus *bus = local_bus_new(8);
	struct transport_config cfg = local_cfg(bus, 0);
	const char *topics[] = {"a", "b"};
	struct wait_arg wa = {.c = open_consumer(bus, topics, 2)};
	char err[64], value[] = "hello";
	struct producer *p = producer_open(&cfg, err, sizeof(err));
	pthread_t th;

	(void)state;
	assert_int_equal(pthread_create(&th, NULL, poll_long, &wa), 0);
	sleep_us(30000); /* the consumer waits for any of its topics */
	assert_int_equal(producer_send(p, "b", "key", 3, value, 5, err, sizeof(err)), 0);
	value[0] = 'J'; /* the bus holds its own copy */
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(wa.rc, 1);
	assert_string_equal(wa.m.topic, "b");
	assert_memory_equal(wa.m.key, "key", 3);
	assert_memory_equal(wa.m.value, "hello", 5);
	assert_int_equal(wa.m.offset, 0);
	consumer_release(wa.c, &wa.m);
	assert_null(wa.m.handle);
	producer_close(p);
	consumer_close(wa.c);
	local_bus_free(bus);
}

static void test_invalid_configuration(void **state)
{
	struct transport_config cfg = local_cfg(NULL, 0);
	const char *topics[] = {"a"};
	char err[128] = "";

	(void)state;
	assert_null(local_bus_new(0));
	assert_null(producer_open(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "bus"));
	assert_null(consumer_open(&cfg, topics, 1, err, sizeof(err)));
	local_bus_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_multi_producer_slow_consumer),
		cmocka_unit_test(test_shared_topic_each_message_once),
		cmocka_unit_test(test_send_times_out_when_nobody_consumes),
		cmocka_unit_test(test_poll_honours_timeout),
		cmocka_unit_test(test_close_wakes_and_drains),
		cmocka_unit_test(test_multi_topic_consumer_and_copies),
		cmocka_unit_test(test_invalid_configuration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
