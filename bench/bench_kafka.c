/* Kafka transport throughput against a real broker:
 *   tests/integration/with-kafka build/bench/bench_kafka [MESSAGES]
 * Produces MESSAGES (default 500000) 150-byte messages over 1000 keys to a
 * fresh topic (broker default partition count), timed until producer_flush
 * returns, then consumes them back with a fresh group, committing every
 * 10000 messages, timed from the first message to the last.
 * Baseline in the same run: librdkafka used directly with the same producer
 * settings (idempotence, acks=all, zstd, murmur2_random) and the same commit
 * cadence, on its own topic; the ratio ours/raw is the transport's cost. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#include "transport.h"

#define VALUE_LEN 150
#define KEYS 1000
#define MAX_PARTITIONS 256
#define COMMIT_EVERY 10000

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Rates (msgs/s) of the run, for the ratio lines. */
struct rates {
	double produce, consume;
};

static double report(const char *what, long n, double secs)
{
	printf("%-12s %ld msgs in %.2f s: %.0f msgs/s, %.1f MB/s (payload)\n", what, n, secs, n / secs,
	       n * (double)VALUE_LEN / secs / 1e6);
	return n / secs;
}

static int produce(const struct transport_config *cfg, const char *topic, long n, double *rate)
{
	char err[512], key[16], value[VALUE_LEN];
	struct producer *p = producer_open(cfg, err, sizeof(err));
	struct producer_stats st;
	double t0;
	int rc = 0;

	if (!p)
		return fprintf(stderr, "bench_kafka: %s\n", err), -1;
	memset(value, 'e', sizeof(value));
	t0 = now_s();
	for (long i = 0; i < n && rc == 0; i++) {
		int klen = snprintf(key, sizeof(key), "c%04ld", i % KEYS);

		snprintf(value, sizeof(value), "%ld", i); /* distinct payloads, like real events */
		rc = producer_send(p, topic, key, (size_t)klen, value, sizeof(value), err, sizeof(err));
	}
	if (rc)
		fprintf(stderr, "bench_kafka: send: %s\n", err);
	else if (producer_flush(p, 120000))
		rc = -1, fprintf(stderr, "bench_kafka: flush failed or timed out\n");
	producer_stats(p, &st);
	*rate = report("produce", n, now_s() - t0);
	printf("         sent %llu delivered %llu failed %llu queue-full waits %llu\n",
	       (unsigned long long)st.sent, (unsigned long long)st.delivered,
	       (unsigned long long)st.failed, (unsigned long long)st.queue_full);
	producer_close(p);
	return rc;
}

/* Commits the last message seen on each partition. */
static int commit_all(struct consumer *c, const char *topic, int64_t *last, char *err, size_t errlen)
{
	for (int i = 0; i < MAX_PARTITIONS; i++) {
		struct transport_msg m = {.topic = topic, .partition = i, .offset = last[i]};

		if (last[i] >= 0 && consumer_commit(c, &m, err, errlen))
			return -1;
		last[i] = -1;
	}
	return 0;
}

static int consume(const struct transport_config *cfg, const char *topic, long n, double *rate)
{
	char err[512];
	const char *topics[1] = {topic};
	struct consumer *c = consumer_open(cfg, topics, 1, err, sizeof(err));
	int64_t last[MAX_PARTITIONS];
	double t0 = 0, give_up = now_s() + 300;
	long got = 0;
	int rc = 0;

	if (!c)
		return fprintf(stderr, "bench_kafka: %s\n", err), -1;
	for (int i = 0; i < MAX_PARTITIONS; i++)
		last[i] = -1;
	while (got < n && rc == 0 && now_s() < give_up) {
		struct transport_msg m;
		int r = consumer_poll(c, &m, 1000, err, sizeof(err));

		if (r <= 0) {
			rc = r < 0 ? -1 : 0;
			continue;
		}
		if (got++ == 0)
			t0 = now_s();
		if (m.partition >= 0 && m.partition < MAX_PARTITIONS)
			last[m.partition] = m.offset;
		consumer_release(c, &m);
		if (got % COMMIT_EVERY == 0 || got == n)
			rc = commit_all(c, topic, last, err, sizeof(err));
	}
	if (rc)
		fprintf(stderr, "bench_kafka: consume: %s\n", err);
	else if (got < n)
		rc = -1, fprintf(stderr, "bench_kafka: consumed only %ld of %ld\n", got, n);
	else
		*rate = report("consume", got, now_s() - t0);
	consumer_close(c);
	return rc;
}

/* ---- baseline: librdkafka without the transport ---- */

static rd_kafka_t *raw_client(rd_kafka_type_t type, const char *brokers, const char *group)
{
	static const char *const producer_props[][2] = {
		{"enable.idempotence", "true"}, {"acks", "all"}, {"compression.type", "zstd"},
		{"partitioner", "murmur2_random"}};
	static const char *const consumer_props[][2] = {
		{"enable.auto.commit", "false"}, {"auto.offset.reset", "earliest"},
		{"partition.assignment.strategy", "cooperative-sticky"}};
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char err[512];
	rd_kafka_t *rk;
	int ok = rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, sizeof(err)) == RD_KAFKA_CONF_OK;

	for (size_t i = 0; ok && type == RD_KAFKA_PRODUCER && i < 4; i++)
		ok = rd_kafka_conf_set(conf, producer_props[i][0], producer_props[i][1], err, sizeof(err)) ==
		     RD_KAFKA_CONF_OK;
	for (size_t i = 0; ok && type == RD_KAFKA_CONSUMER && i < 3; i++)
		ok = rd_kafka_conf_set(conf, consumer_props[i][0], consumer_props[i][1], err, sizeof(err)) ==
		     RD_KAFKA_CONF_OK;
	if (ok && group)
		ok = rd_kafka_conf_set(conf, "group.id", group, err, sizeof(err)) == RD_KAFKA_CONF_OK;
	rk = ok ? rd_kafka_new(type, conf, err, sizeof(err)) : NULL;
	if (!rk) {
		if (!ok)
			rd_kafka_conf_destroy(conf);
		fprintf(stderr, "bench_kafka: raw client: %s\n", err);
	}
	return rk;
}

static int raw_produce(const char *brokers, const char *topic, long n, double *rate)
{
	rd_kafka_t *rk = raw_client(RD_KAFKA_PRODUCER, brokers, NULL);
	char key[16], value[VALUE_LEN];
	rd_kafka_resp_err_t e = RD_KAFKA_RESP_ERR_NO_ERROR;
	double t0;

	if (!rk)
		return -1;
	memset(value, 'e', sizeof(value));
	t0 = now_s();
	for (long i = 0; i < n && !e; i++) {
		int klen = snprintf(key, sizeof(key), "c%04ld", i % KEYS);

		snprintf(value, sizeof(value), "%ld", i);
		while ((e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key, (size_t)klen),
					     RD_KAFKA_V_VALUE(value, sizeof(value)),
					     RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END)) ==
		       RD_KAFKA_RESP_ERR__QUEUE_FULL)
			rd_kafka_poll(rk, 10);
		rd_kafka_poll(rk, 0);
	}
	if (!e)
		e = rd_kafka_flush(rk, 120000);
	if (!e)
		*rate = report("raw produce", n, now_s() - t0);
	else
		fprintf(stderr, "bench_kafka: raw produce: %s\n", rd_kafka_err2str(e));
	rd_kafka_destroy(rk);
	return e ? -1 : 0;
}

static int raw_consume(const char *brokers, const char *topic, const char *group, long n, double *rate)
{
	rd_kafka_t *rk = raw_client(RD_KAFKA_CONSUMER, brokers, group);
	rd_kafka_topic_partition_list_t *subs;
	double t0 = 0, give_up = now_s() + 300;
	long got = 0;

	if (!rk)
		return -1;
	rd_kafka_poll_set_consumer(rk);
	subs = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(subs, topic, RD_KAFKA_PARTITION_UA);
	if (rd_kafka_subscribe(rk, subs))
		give_up = 0;
	rd_kafka_topic_partition_list_destroy(subs);
	while (got < n && now_s() < give_up) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 1000);

		if (!m)
			continue;
		if (!m->err && got++ == 0)
			t0 = now_s();
		rd_kafka_message_destroy(m);
		if (got % COMMIT_EVERY == 0 || got == n)
			rd_kafka_commit(rk, NULL, 0);
	}
	if (got == n)
		*rate = report("raw consume", got, now_s() - t0);
	else
		fprintf(stderr, "bench_kafka: raw consume got only %ld of %ld\n", got, n);
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return got == n ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *brokers = getenv("RAMPART_TEST_BROKERS");
	long n = argc > 1 ? atol(argv[1]) : 500000;
	char topic[96], group[160];
	struct transport_config cfg = {.kind = TRANSPORT_KAFKA, .client_id = "bench_kafka"};
	struct rates ours = {0}, raw = {0};

	if (!brokers || n <= 0) {
		fprintf(stderr, "usage: tests/integration/with-kafka bench_kafka [MESSAGES]\n"
				"(needs RAMPART_TEST_BROKERS)\n");
		return 2;
	}
	snprintf(topic, sizeof(topic), "rampart-bench-%d-%ld", (int)getpid(), (long)time(NULL));
	snprintf(group, sizeof(group), "%s-g", topic);
	cfg.brokers = brokers;
	cfg.group_id = group;
	if (produce(&cfg, topic, n, &ours.produce) || consume(&cfg, topic, n, &ours.consume))
		return 1;
	strcat(topic, "-raw");
	strcat(group, "-raw");
	if (raw_produce(brokers, topic, n, &raw.produce) || raw_consume(brokers, topic, group, n, &raw.consume))
		return 1;
	printf("ratio ours/raw librdkafka: produce %.2f, consume %.2f\n", ours.produce / raw.produce,
	       ours.consume / raw.consume);
	return 0;
}
