/* Kafka transport throughput against a real broker:
 *   tests/integration/with-kafka build/bench/bench_kafka [MESSAGES]
 * Produces MESSAGES (default 500000) 150-byte messages over 1000 keys to a
 * fresh topic (broker default partition count), timed until producer_flush
 * returns, then consumes them back with a fresh group, committing every
 * 10000 messages, timed from the first message to the last. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

static void report(const char *what, long n, double secs)
{
	printf("%-8s %ld msgs in %.2f s: %.0f msgs/s, %.1f MB/s (payload)\n", what, n, secs, n / secs,
	       n * (double)VALUE_LEN / secs / 1e6);
}

static int produce(const struct transport_config *cfg, const char *topic, long n)
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
	report("produce", n, now_s() - t0);
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

static int consume(const struct transport_config *cfg, const char *topic, long n)
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
		report("consume", got, now_s() - t0);
	consumer_close(c);
	return rc;
}

int main(int argc, char **argv)
{
	const char *brokers = getenv("RAMPART_TEST_BROKERS");
	long n = argc > 1 ? atol(argv[1]) : 500000;
	char topic[96], group[128];
	struct transport_config cfg = {.kind = TRANSPORT_KAFKA, .client_id = "bench_kafka"};

	if (!brokers || n <= 0) {
		fprintf(stderr, "usage: tests/integration/with-kafka bench_kafka [MESSAGES]\n"
				"(needs RAMPART_TEST_BROKERS)\n");
		return 2;
	}
	snprintf(topic, sizeof(topic), "rampart-bench-%d-%ld", (int)getpid(), (long)time(NULL));
	snprintf(group, sizeof(group), "%s-g", topic);
	cfg.brokers = brokers;
	cfg.group_id = group;
	if (produce(&cfg, topic, n) || consume(&cfg, topic, n))
		return 1;
	return 0;
}
