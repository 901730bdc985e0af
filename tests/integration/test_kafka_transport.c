/* Kafka transport against a real broker (run under tests/integration/with-kafka,
 * which sets RAMPART_TEST_BROKERS). Every run uses fresh topic and group
 * names, so reruns against one broker do not see each other's data. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "event_message.h"
#include "kafka_admin.h"
#include "transport.h"

#define PARTITIONS 6
#define ERRLEN 512

struct env {
	const char *brokers;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void unique_name(char *buf, size_t len, const char *what)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(buf, len, "rampart-test-%s-%d-%lld%09ld", what, (int)getpid(), (long long)ts.tv_sec,
		 ts.tv_nsec);
}

static struct transport_config kafka_config(const struct env *e, const char *group,
					    const struct transport_prop *props, size_t nprops)
{
	struct transport_config cfg = {
		.kind = TRANSPORT_KAFKA,
		.brokers = e->brokers,
		.group_id = group,
		.client_id = "rampart-test",
		.props = props,
		.nprops = nprops,
	};
	return cfg;
}

/* Known partition count, independent of the broker's auto-create default. */
static void create_topic(const struct env *e, const char *topic, int partitions)
{
	char err[ERRLEN];

	if (kafka_create_topic(e->brokers, topic, partitions, 1, NULL, 0, 30000, err, sizeof(err)))
		fail_msg("%s", err);
}

/* Every message is a real framed Event: the key is its container id and
 * the per-key sequence travels as Event.sequence, so the consumer checks
 * order, gaps and duplicates on what the codec decodes. */
static int make_payload(struct rp_buf *out, int key, unsigned seq)
{
	static const struct rp_str args[] = {RP_STR("/bin/sh"), RP_STR("-c"), RP_STR("id; cat /etc/shadow")};
	char id[12];
	struct rp_event ev = {
		.node = RP_STR("node-1"), .cluster = RP_STR("prod"), .orchestrator = RP_ORCH_KUBERNETES,
		.boot_id = RP_STR("boot-1"), .sequence = seq, .time_ns = 1764374400000000000LL + seq,
		.type = RP_EV_EXEC, .syscall = RP_STR("sched_process_exec"),
		.process = {.pid = 4242, .ppid = 1, .comm = RP_STR("sh"), .exe = RP_STR("/bin/sh"),
			    .args = args, .nargs = 3, .cwd = RP_STR("/"), .parent_comm = RP_STR("nginx")},
	};

	snprintf(id, sizeof(id), "k%02d", key);
	ev.container.id = (struct rp_str){id, 3};
	buf_reset(out);
	return event_encode_message(&ev, out);
}

/* Decoder state shared by the tests, freed by teardown(). */
static struct event_scratch scratch;
static struct rp_buf resolved;
static struct schema_store *store;

static int parse_payload(const struct transport_msg *m, int *key, unsigned *seq)
{
	struct codec_error cerr;
	struct rp_event ev;

	if (!store && !(store = schema_store_new(&cerr)))
		fail_msg("schema store: %s", cerr.msg);
	if (event_decode_message(store, m->value, m->value_len, &ev, &scratch, &resolved, &cerr))
		fail_msg("undecodable event at %s[%d]@%lld: %s", m->topic, m->partition, (long long)m->offset,
			 cerr.msg);
	if (ev.container.id.len != 3 || sscanf(ev.container.id.ptr, "k%2d", key) != 1 || ev.sequence < 0)
		return -1;
	*seq = (unsigned)ev.sequence;
	/* The message key must be the container id the event carries. */
	return m->key_len == 3 && !memcmp(m->key, ev.container.id.ptr, 3) ? 0 : -1;
}

static void produce_keyed(const struct env *e, const char *topic, int nkeys, unsigned per_key)
{
	char err[ERRLEN], key[8];
	struct rp_buf value = {0};
	struct transport_config cfg = kafka_config(e, NULL, NULL, 0);
	struct producer *p = producer_open(&cfg, err, sizeof(err));
	struct producer_stats st;
	uint64_t total = (uint64_t)nkeys * per_key;

	if (!p)
		fail_msg("%s", err);
	for (unsigned seq = 0; seq < per_key; seq++)
		for (int k = 0; k < nkeys; k++) {
			assert_int_equal(make_payload(&value, k, seq), 0);
			snprintf(key, sizeof(key), "k%02d", k);
			if (producer_send(p, topic, key, 3, value.data, value.len, err, sizeof(err)))
				fail_msg("send: %s", err);
		}
	buf_free(&value);
	assert_int_equal(producer_flush(p, 60000), 0);
	producer_stats(p, &st);
	assert_int_equal(st.sent, total);
	assert_int_equal(st.delivered, total);
	assert_int_equal(st.failed, 0);
	producer_close(p);
}

/* Last message seen per partition, committed together: the batching that
 * consumer_commit's contract allows. */
struct pending {
	int64_t offset[PARTITIONS];
};

static void pending_reset(struct pending *pd)
{
	for (int i = 0; i < PARTITIONS; i++)
		pd->offset[i] = -1;
}

static int pending_commit(struct consumer *c, const char *topic, struct pending *pd, char *err,
			  size_t errlen)
{
	for (int i = 0; i < PARTITIONS; i++) {
		struct transport_msg m = {.topic = topic, .partition = i, .offset = pd->offset[i]};

		if (pd->offset[i] >= 0 && consumer_commit(c, &m, err, errlen))
			return -1;
	}
	pending_reset(pd);
	return 0;
}

/* ---- (a) everything delivered, in order per key, once ------------------ */

#define A_KEYS 50
#define A_PER_KEY 2000

static void test_roundtrip_order_no_loss_no_dup(void **state)
{
	const struct env *e = *state;
	char topic[128], group[128], err[ERRLEN];
	unsigned next[A_KEYS] = {0};
	uint64_t got = 0, total = (uint64_t)A_KEYS * A_PER_KEY;
	struct pending pd;
	struct transport_config cfg;
	struct consumer *c;
	const char *topics[1] = {topic};
	int64_t t0, deadline, idle_until;

	unique_name(topic, sizeof(topic), "order");
	unique_name(group, sizeof(group), "order-g");
	create_topic(e, topic, PARTITIONS);
	t0 = now_ms();
	produce_keyed(e, topic, A_KEYS, A_PER_KEY);
	printf("(a) produced %llu in %lld ms\n", (unsigned long long)total, (long long)(now_ms() - t0));

	cfg = kafka_config(e, group, NULL, 0);
	c = consumer_open(&cfg, topics, 1, err, sizeof(err));
	if (!c)
		fail_msg("%s", err);
	pending_reset(&pd);
	t0 = now_ms();
	deadline = t0 + 180000;
	idle_until = 0;
	/* After the last expected message, keep polling a while: a duplicate
	 * would arrive then. */
	while (now_ms() < deadline && (got < total || now_ms() < idle_until)) {
		struct transport_msg m;
		int key = -1;
		unsigned seq = 0;
		int r = consumer_poll(c, &m, 500, err, sizeof(err));

		if (r < 0)
			fail_msg("poll: %s", err);
		if (r == 0)
			continue;
		if (parse_payload(&m, &key, &seq) || key < 0 || key >= A_KEYS)
			fail_msg("malformed message at %s[%d]@%lld", m.topic, m.partition, (long long)m.offset);
		if (seq != next[key])
			fail_msg("key k%02d: got seq %u, expected %u (%s)", key, seq, next[key],
				 seq < next[key] ? "duplicate or reorder" : "gap");
		next[key]++;
		pd.offset[m.partition] = m.offset;
		consumer_release(c, &m);
		if (++got % 5000 == 0 && pending_commit(c, topic, &pd, err, sizeof(err)))
			fail_msg("commit: %s", err);
		if (got == total)
			idle_until = now_ms() + 2000;
	}
	printf("(a) consumed %llu in %lld ms (incl. group join and 2 s idle check)\n",
	       (unsigned long long)got, (long long)(now_ms() - t0));
	assert_int_equal(got, total);
	for (int k = 0; k < A_KEYS; k++)
		assert_int_equal(next[k], A_PER_KEY);
	if (pending_commit(c, topic, &pd, err, sizeof(err)))
		fail_msg("commit: %s", err);
	consumer_close(c);
}

/* ---- (b) a consumer dies between commits -------------------------------- */

#define B_KEYS 60
#define B_PER_KEY 200
#define B_COMMITTED 4000   /* consumed and committed by the child */
#define B_UNCOMMITTED 2000 /* consumed after the last commit, then _exit */

struct crash_report {
	int64_t committed[PARTITIONS]; /* next offset to read per partition */
	int64_t seen[PARTITIONS];      /* highest offset the child consumed */
};

/* Short session so the dead member is evicted in seconds, not 45 s. */
static const struct transport_prop crash_props[] = {
	{"kafka.session.timeout.ms", "6000"},
	{"kafka.heartbeat.interval.ms", "1000"},
	{"kafka.max.poll.interval.ms", "6000"},
};

static int child_consume(const struct env *e, const char *topic, const char *group,
			 struct crash_report *rep)
{
	char err[ERRLEN];
	struct transport_config cfg = kafka_config(e, group, crash_props, 3);
	const char *topics[1] = {topic};
	struct consumer *c = consumer_open(&cfg, topics, 1, err, sizeof(err));
	struct pending pd;
	int got = 0;
	int64_t deadline = now_ms() + 120000;

	if (!c)
		return fprintf(stderr, "child: %s\n", err), -1;
	pending_reset(&pd);
	for (int i = 0; i < PARTITIONS; i++)
		rep->committed[i] = 0, rep->seen[i] = -1;
	while (got < B_COMMITTED + B_UNCOMMITTED && now_ms() < deadline) {
		struct transport_msg m;
		int r = consumer_poll(c, &m, 500, err, sizeof(err));

		if (r < 0)
			return fprintf(stderr, "child: poll: %s\n", err), -1;
		if (r == 0)
			continue;
		pd.offset[m.partition] = m.offset;
		rep->seen[m.partition] = m.offset;
		consumer_release(c, &m);
		if (++got % 1000 || got > B_COMMITTED)
			continue;
		for (int i = 0; i < PARTITIONS; i++)
			if (pd.offset[i] >= 0)
				rep->committed[i] = pd.offset[i] + 1;
		if (pending_commit(c, topic, &pd, err, sizeof(err)))
			return fprintf(stderr, "child: commit: %s\n", err), -1;
	}
	/* No consumer_close: the process dies as if killed. */
	return got == B_COMMITTED + B_UNCOMMITTED ? 0 : (fprintf(stderr, "child: only %d\n", got), -1);
}

static void run_crashing_child(const struct env *e, const char *topic, const char *group,
			       struct crash_report *rep)
{
	int fds[2], status;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int ok;

		close(fds[0]);
		ok = child_consume(e, topic, group, rep) == 0 &&
		     write(fds[1], rep, sizeof(*rep)) == (ssize_t)sizeof(*rep);
		_exit(ok ? 0 : 1);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], rep, sizeof(*rep)), (ssize_t)sizeof(*rep));
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_crash_before_commit_redelivers_uncommitted(void **state)
{
	const struct env *e = *state;
	char topic[128], group[128], err[ERRLEN];
	struct crash_report rep;
	int64_t next[PARTITIONS], expected = 0, got = 0, redelivered_seen = 0;
	struct transport_config cfg;
	struct consumer *c;
	const char *topics[1] = {topic};
	int64_t t0, deadline, idle_until = 0;

	unique_name(topic, sizeof(topic), "crash");
	unique_name(group, sizeof(group), "crash-g");
	create_topic(e, topic, PARTITIONS);
	/* Every librdkafka instance is gone before fork(): the child starts clean. */
	produce_keyed(e, topic, B_KEYS, B_PER_KEY);
	run_crashing_child(e, topic, group, &rep);

	for (int i = 0; i < PARTITIONS; i++) {
		next[i] = rep.committed[i];
		expected += rep.committed[i];
		redelivered_seen += rep.seen[i] + 1 - rep.committed[i];
	}
	assert_int_equal(expected, B_COMMITTED);
	assert_int_equal(redelivered_seen, B_UNCOMMITTED);
	expected = (int64_t)B_KEYS * B_PER_KEY - expected;

	t0 = now_ms();
	cfg = kafka_config(e, group, NULL, 0);
	c = consumer_open(&cfg, topics, 1, err, sizeof(err));
	if (!c)
		fail_msg("%s", err);
	deadline = t0 + 120000;
	while (now_ms() < deadline && (got < expected || now_ms() < idle_until)) {
		struct transport_msg m;
		int r = consumer_poll(c, &m, 500, err, sizeof(err));

		if (r < 0)
			fail_msg("poll: %s", err);
		if (r == 0)
			continue;
		/* Resumes exactly at the last commit and continues without gaps. */
		if (m.offset != next[m.partition])
			fail_msg("partition %d: got offset %lld, expected %lld (committed %lld)",
				 m.partition, (long long)m.offset, (long long)next[m.partition],
				 (long long)rep.committed[m.partition]);
		next[m.partition]++;
		consumer_release(c, &m);
		if (++got == expected)
			idle_until = now_ms() + 2000;
	}
	printf("(b) child committed %d, left %d uncommitted; new member got %lld in %lld ms\n",
	       B_COMMITTED, B_UNCOMMITTED, (long long)got, (long long)(now_ms() - t0));
	assert_int_equal(got, expected);
	consumer_close(c);
}

/* ---- (e) a rebalance hands partitions over at the last commit ---------- */

#define E_KEYS 60
#define E_PER_KEY 200
#define E_COMMITTED 2000
#define E_BEFORE_JOIN 3000

struct member {
	struct consumer *c;
	int64_t first[PARTITIONS]; /* first offset this member got, -1 none */
	int64_t next[PARTITIONS];
	int64_t got;
};

/* 1 when a message arrived. Per partition, offsets are contiguous or restart
 * at the last commit (an eager rebalance revokes and re-assigns everything). */
static int member_poll(struct member *mb, const char *who, int timeout_ms, char *seen,
		       const int64_t *committed)
{
	char err[ERRLEN];
	struct transport_msg m;
	int r = consumer_poll(mb->c, &m, timeout_ms, err, sizeof(err));

	if (r < 0)
		fail_msg("%s: poll: %s", who, err);
	if (r == 0)
		return 0;
	assert_in_range(m.partition, 0, PARTITIONS - 1);
	assert_in_range(m.offset, 0, E_KEYS * E_PER_KEY - 1);
	if (mb->first[m.partition] < 0)
		mb->first[m.partition] = m.offset;
	else if (m.offset != mb->next[m.partition] && m.offset != committed[m.partition])
		fail_msg("%s: partition %d jumped from %lld to %lld", who, m.partition,
			 (long long)mb->next[m.partition], (long long)m.offset);
	mb->next[m.partition] = m.offset + 1;
	seen[m.partition * E_KEYS * E_PER_KEY + m.offset] = 1;
	mb->got++;
	consumer_release(mb->c, &m);
	return 1;
}

static struct member member_open(const struct env *e, const char *topic, const char *group,
				  const struct transport_prop *props, size_t nprops)
{
	char err[ERRLEN];
	struct transport_config cfg = kafka_config(e, group, props, nprops);
	const char *topics[1] = {topic};
	struct member mb = {.c = consumer_open(&cfg, topics, 1, err, sizeof(err))};

	if (!mb.c)
		fail_msg("%s", err);
	for (int i = 0; i < PARTITIONS; i++)
		mb.first[i] = -1, mb.next[i] = 0;
	return mb;
}

static int64_t seen_count(const char *seen, const int64_t *hw)
{
	int64_t n = 0;

	for (int p = 0; p < PARTITIONS; p++)
		for (int64_t o = 0; o < hw[p]; o++)
			n += seen[p * E_KEYS * E_PER_KEY + o];
	return n;
}

static void rebalance_handover(const struct env *e, const struct transport_prop *props, size_t nprops)
{
	char topic[128], group[128], err[ERRLEN];
	const int64_t total = (int64_t)E_KEYS * E_PER_KEY;
	char *seen = calloc((size_t)PARTITIONS * total, 1);
	int64_t committed[PARTITIONS] = {0}, hw[PARTITIONS], deadline, idle_until = 0;
	struct member a, b;
	struct pending pd;
	int b_partitions = 0;

	assert_non_null(seen);
	unique_name(topic, sizeof(topic), "rebalance");
	unique_name(group, sizeof(group), "rebalance-g");
	create_topic(e, topic, PARTITIONS);
	produce_keyed(e, topic, E_KEYS, E_PER_KEY);

	a = member_open(e, topic, group, props, nprops);
	deadline = now_ms() + 60000;
	pending_reset(&pd);
	while (a.got < E_BEFORE_JOIN && now_ms() < deadline)
		if (member_poll(&a, "A", 500, seen, committed) && a.got == E_COMMITTED) {
			for (int p = 0; p < PARTITIONS; p++)
				pd.offset[p] = a.first[p] < 0 ? -1 : a.next[p] - 1;
			for (int p = 0; p < PARTITIONS; p++)
				committed[p] = a.next[p];
			if (pending_commit(a.c, topic, &pd, err, sizeof(err)))
				fail_msg("A: commit: %s", err);
		}
	assert_int_equal(a.got, E_BEFORE_JOIN);

	/* A keeps consuming without committing while B joins: both must poll for
	 * the (possibly two-round cooperative) rebalance to complete. */
	b = member_open(e, topic, group, props, nprops);
	deadline = now_ms() + 120000;
	while (now_ms() < deadline && (!idle_until || now_ms() < idle_until)) {
		/* Non-blocking first: a wait on the idle member must not throttle the other. */
		int any = member_poll(&a, "A", 0, seen, committed) | member_poll(&b, "B", 0, seen, committed);

		if (!any)
			any = member_poll(&a, "A", 20, seen, committed) |
			      member_poll(&b, "B", 20, seen, committed);

		for (int p = 0; p < PARTITIONS; p++)
			hw[p] = a.next[p] > b.next[p] ? a.next[p] : b.next[p];
		if (any)
			idle_until = 0;
		else if (!idle_until && b.got > 0 && seen_count(seen, hw) == total)
			idle_until = now_ms() + 3000;
	}
	for (int p = 0; p < PARTITIONS; p++) {
		if (b.first[p] < 0)
			continue;
		b_partitions++;
		if (b.first[p] != committed[p])
			fail_msg("B started partition %d at %lld, last commit was %lld", p,
				 (long long)b.first[p], (long long)committed[p]);
	}
	printf("(e) A got %lld, B got %lld from %d partitions handed over at the last commit\n",
	       (long long)a.got, (long long)b.got, b_partitions);
	assert_true(b_partitions > 0);
	assert_int_equal(seen_count(seen, hw), total);
	consumer_close(b.c);
	consumer_close(a.c);
	free(seen);
}

static void test_rebalance_cooperative(void **state)
{
	rebalance_handover(*state, NULL, 0);
}

static void test_rebalance_eager(void **state)
{
	static const struct transport_prop eager[] = {{"kafka.partition.assignment.strategy", "range"}};

	rebalance_handover(*state, eager, 1);
}

/* ---- (c) a full local queue makes the caller wait, never drops -------- */

static void test_tiny_queue_waits_not_drops(void **state)
{
	const struct env *e = *state;
	static const struct transport_prop props[] = {{"kafka.queue.buffering.max.messages", "10"}};
	char topic[128], err[ERRLEN], key[8];
	struct rp_buf value = {0};
	struct transport_config cfg = kafka_config(e, NULL, props, 1);
	struct producer *p;
	struct producer_stats st;
	const unsigned n = 5000;

	unique_name(topic, sizeof(topic), "queue");
	create_topic(e, topic, PARTITIONS);
	cfg.send_timeout_ms = 10000;
	p = producer_open(&cfg, err, sizeof(err));
	if (!p)
		fail_msg("%s", err);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(make_payload(&value, (int)(i % 50), i), 0);
		snprintf(key, sizeof(key), "k%02d", (int)(i % 50));
		if (producer_send(p, topic, key, 3, value.data, value.len, err, sizeof(err)))
			fail_msg("send %u: %s", i, err);
	}
	buf_free(&value);
	assert_int_equal(producer_flush(p, 30000), 0);
	producer_stats(p, &st);
	printf("(c) sent %llu delivered %llu failed %llu queue_full %llu\n", (unsigned long long)st.sent,
	       (unsigned long long)st.delivered, (unsigned long long)st.failed,
	       (unsigned long long)st.queue_full);
	assert_int_equal(st.sent, n);
	assert_int_equal(st.sent, st.delivered + st.failed);
	assert_int_equal(st.failed, 0);
	assert_true(st.queue_full > 0);
	producer_close(p);
}

/* With nothing draining the queue, send gives up after send_timeout_ms. */
static void test_full_queue_without_broker_fails_in_time(void **state)
{
	static const struct transport_prop props[] = {{"kafka.queue.buffering.max.messages", "5"}};
	struct env dead = {.brokers = "127.0.0.1:1"};
	char err[ERRLEN] = "";
	struct transport_config cfg = kafka_config(&dead, NULL, props, 1);
	struct producer *p;
	struct producer_stats st;
	int64_t t0;
	int i;

	(void)state;
	cfg.send_timeout_ms = 300;
	p = producer_open(&cfg, err, sizeof(err));
	if (!p)
		fail_msg("%s", err);
	for (i = 0; i < 5; i++)
		assert_int_equal(producer_send(p, "rampart-test-nowhere", "k", 1, "v", 1, err, sizeof(err)), 0);
	t0 = now_ms();
	assert_int_equal(producer_send(p, "rampart-test-nowhere", "k", 1, "v", 1, err, sizeof(err)), -1);
	assert_in_range(now_ms() - t0, 250, 3000);
	assert_non_null(strstr(err, "queue"));
	producer_stats(p, &st);
	assert_int_equal(st.sent, 5);
	assert_true(st.queue_full >= 1);
	assert_int_equal(producer_flush(p, 100), -1);
	producer_close(p);
}

/* ---- (d) configuration errors name the culprit -------------------------- */

static void expect_open_error(const struct env *e, const struct transport_prop *prop, const char *needle)
{
	char err[ERRLEN] = "";
	struct transport_config cfg = kafka_config(e, "rampart-test-never-joins", prop, 1);
	const char *topics[1] = {"rampart-test-never-created"};

	assert_null(producer_open(&cfg, err, sizeof(err)));
	if (!strstr(err, needle))
		fail_msg("producer error \"%s\" does not name %s", err, needle);
	err[0] = '\0';
	assert_null(consumer_open(&cfg, topics, 1, err, sizeof(err)));
	if (!strstr(err, needle))
		fail_msg("consumer error \"%s\" does not name %s", err, needle);
}

static void test_invalid_property_is_named(void **state)
{
	static const struct transport_prop unknown = {"kafka.no.such.property", "1"};
	static const struct transport_prop bad_value = {"kafka.compression.type", "bogus"};

	expect_open_error(*state, &unknown, "no.such.property");
	expect_open_error(*state, &bad_value, "compression.type");
}

static int setup(void **state)
{
	static struct env e;

	e.brokers = getenv("RAMPART_TEST_BROKERS");
	if (!e.brokers || !*e.brokers) {
		fprintf(stderr, "RAMPART_TEST_BROKERS is not set; run under tests/integration/with-kafka\n");
		return -1;
	}
	*state = &e;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	schema_store_free(store);
	buf_free(&resolved);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invalid_property_is_named),
		cmocka_unit_test(test_full_queue_without_broker_fails_in_time),
		cmocka_unit_test(test_tiny_queue_waits_not_drops),
		cmocka_unit_test(test_roundtrip_order_no_loss_no_dup),
		cmocka_unit_test(test_crash_before_commit_redelivers_uncommitted),
		cmocka_unit_test(test_rebalance_cooperative),
		cmocka_unit_test(test_rebalance_eager),
	};

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* e.g. RAMPART_TEST_FILTER='*rebalance*' to run a subset */
	if (getenv("RAMPART_TEST_FILTER"))
		cmocka_set_test_filter(getenv("RAMPART_TEST_FILTER"));
	return cmocka_run_group_tests(tests, setup, teardown);
}
