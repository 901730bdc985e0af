/* Test helper of test_evaluator_*.sh: reads the verdicts and DLQ topics
 * from the beginning as a read_committed consumer (no group, every
 * partition assigned) and prints one line per record:
 *
 *   V <event sequence> <verdict id> <rule id>[,<rule id>...]
 *   D <key> <rampart.source.offset> <rampart.error>
 *
 *   evaluator_check BROKERS VERDICTS DLQ MIN_VERDICTS TIMEOUT_S
 *
 * Stops once at least MIN_VERDICTS verdicts were read and every partition
 * has been at its end for 2 s (exit 0), or at the timeout (exit 1). The
 * shell test draws its conclusions from the lines. */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "framing.h"
#include "verdict.h"

#define MAX_PARTS 64

static struct verdict_scratch scratch;

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int add_topic(rd_kafka_t *rk, rd_kafka_topic_partition_list_t *list, const char *topic)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_topic_t *t = rd_kafka_topic_new(rk, topic, NULL);
	int n = -1;

	if (rd_kafka_metadata(rk, 0, t, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
		if (md->topic_cnt == 1 && !md->topics[0].err)
			n = md->topics[0].partition_cnt;
		rd_kafka_metadata_destroy(md);
	}
	rd_kafka_topic_destroy(t);
	for (int i = 0; i < n; i++)
		rd_kafka_topic_partition_list_add(list, topic, i)->offset = RD_KAFKA_OFFSET_BEGINNING;
	return n;
}

static void header(const rd_kafka_message_t *m, const char *name, char *out, size_t len)
{
	rd_kafka_headers_t *h = NULL;
	const void *v = NULL;
	size_t n = 0;

	snprintf(out, len, "-");
	if (!rd_kafka_message_headers(m, &h) && !rd_kafka_header_get_last(h, name, &v, &n) && v)
		snprintf(out, len, "%.*s", (int)n, (const char *)v);
}

static void print_verdict(const rd_kafka_message_t *m)
{
	struct rp_frame f;
	struct rp_verdict v;
	struct codec_error err;

	if (frame_parse(m->payload, m->len, &f, &err) || verdict_decode(f.payload, f.len, &v, &scratch, &err)) {
		printf("X undecodable-verdict %s\n", err.msg);
		return;
	}
	printf("V %lld %.*s ", (long long)v.event.sequence, (int)v.verdict_id.len, v.verdict_id.ptr);
	for (uint32_t i = 0; i < v.nmatches; i++)
		printf("%s%.*s", i ? "," : "", (int)v.matches[i].rule_id.len, v.matches[i].rule_id.ptr);
	printf("\n");
}

static void print_dlq(const rd_kafka_message_t *m)
{
	char off[32], why[512];

	header(m, "rampart.source.offset", off, sizeof(off));
	header(m, "rampart.error", why, sizeof(why));
	printf("D %.*s %s %s\n", (int)m->key_len, (const char *)m->key, off, why);
}

int main(int argc, char **argv)
{
	char why[512];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(16);
	rd_kafka_t *rk;
	long verdicts = 0, min;
	int64_t deadline, quiet_since;
	int nparts, at_end = 0;

	if (argc != 6)
		return fprintf(stderr, "usage: evaluator_check BROKERS VERDICTS DLQ MIN TIMEOUT_S\n"), 2;
	min = atol(argv[4]);
	deadline = now_ms() + atol(argv[5]) * 1000;
	rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], why, sizeof(why));
	rd_kafka_conf_set(conf, "group.id", "evaluator-check", why, sizeof(why));
	rd_kafka_conf_set(conf, "isolation.level", "read_committed", why, sizeof(why));
	rd_kafka_conf_set(conf, "enable.partition.eof", "true", why, sizeof(why));
	rd_kafka_conf_set(conf, "enable.auto.commit", "false", why, sizeof(why));
	rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, why, sizeof(why));
	if (!rk)
		return fprintf(stderr, "check: %s\n", why), 2;
	nparts = add_topic(rk, list, argv[2]);
	nparts += add_topic(rk, list, argv[3]);
	if (nparts <= 0 || nparts > MAX_PARTS || rd_kafka_assign(rk, list))
		return fprintf(stderr, "check: cannot assign %s and %s\n", argv[2], argv[3]), 2;
	quiet_since = now_ms();
	while (now_ms() < deadline) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 200);

		if (m && m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
			at_end++;
		else if (m && !m->err) {
			if (!strcmp(rd_kafka_topic_name(m->rkt), argv[2]))
				print_verdict(m), verdicts++;
			else
				print_dlq(m);
			quiet_since = now_ms();
		}
		if (m)
			rd_kafka_message_destroy(m);
		/* EOF events repeat per partition; "quiet" = nothing new for 2 s. */
		if (verdicts >= min && at_end >= nparts && now_ms() - quiet_since > 2000)
			break;
	}
	fflush(stdout);
	rd_kafka_topic_partition_list_destroy(list);
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return verdicts >= min ? 0 : 1;
}
