#include "cli_replay_kafka_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define META_TIMEOUT_MS 10000

static int kr_connect(struct kreader *kr, char *err, size_t errlen)
{
	static const char *const props[][2] = {
		{"client.id", "rampart-replay"},          {"enable.auto.commit", "false"},
		{"enable.auto.offset.store", "false"},    {"enable.partition.eof", "true"},
		{"auto.offset.reset", "earliest"},
	};
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	struct timespec now;
	char why[512], group[96];

	/* librdkafka's assign() wants a group id; a fresh one that is never
	 * joined (no subscribe) nor committed to leaves every real group alone. */
	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(group, sizeof(group), "rampart-replay-%d-%lld%09ld", (int)getpid(), (long long)now.tv_sec, now.tv_nsec);
	if (rd_kafka_conf_set(conf, "bootstrap.servers", kr->k->brokers, why, sizeof(why)) != RD_KAFKA_CONF_OK ||
	    rd_kafka_conf_set(conf, "group.id", group, why, sizeof(why)) != RD_KAFKA_CONF_OK)
		goto fail;
	for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++)
		if (rd_kafka_conf_set(conf, props[i][0], props[i][1], why, sizeof(why)) != RD_KAFKA_CONF_OK)
			goto fail;
	kr->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, why, sizeof(why));
	if (!kr->rk)
		goto fail;
	rd_kafka_poll_set_consumer(kr->rk);
	return 0;
fail:
	rd_kafka_conf_destroy(conf);
	return snprintf(err, errlen, "kafka: %s", why), -1;
}

static int copy_partitions(struct kreader *kr, const rd_kafka_metadata_topic_t *t)
{
	kr->parts = calloc((size_t)t->partition_cnt + 1, sizeof(*kr->parts));
	if (!kr->parts)
		return -1;
	for (int i = 0; i < t->partition_cnt; i++)
		kr->parts[kr->nparts++].id = t->partitions[i].id;
	return 0;
}

static int kr_partitions(struct kreader *kr, char *err, size_t errlen)
{
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_topic_t *t = rd_kafka_topic_new(kr->rk, kr->k->topic, NULL);
	rd_kafka_resp_err_t code = t ? rd_kafka_metadata(kr->rk, 0, t, &md, META_TIMEOUT_MS)
				     : RD_KAFKA_RESP_ERR__INVALID_ARG;
	int rc = -1;

	if (!code && (md->topic_cnt != 1 || md->topics[0].err))
		code = md->topic_cnt == 1 ? md->topics[0].err : RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;
	if (code)
		snprintf(err, errlen, "kafka: topic %s: %s", kr->k->topic, rd_kafka_err2str(code));
	else if (copy_partitions(kr, &md->topics[0]))
		snprintf(err, errlen, "out of memory");
	else
		rc = 0;
	if (md)
		rd_kafka_metadata_destroy(md);
	if (t)
		rd_kafka_topic_destroy(t);
	return rc;
}

/* Moves each partition's start to its first message at or after --from. */
static int kr_seek_from(struct kreader *kr, char *err, size_t errlen)
{
	rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(kr->nparts);
	rd_kafka_resp_err_t code;

	for (int i = 0; i < kr->nparts; i++)
		rd_kafka_topic_partition_list_add(list, kr->k->topic, kr->parts[i].id)->offset = kr->from_ms;
	code = rd_kafka_offsets_for_times(kr->rk, list, META_TIMEOUT_MS);
	for (int i = 0; !code && i < list->cnt; i++) {
		const rd_kafka_topic_partition_t *e = &list->elems[i];
		struct kpart *p = kreader_part(kr, e->partition);

		if (e->err)
			code = e->err;
		else if (p && (e->offset < 0 || e->offset > p->end)) /* nothing at or after --from */
			p->start = p->end;
		else if (p && e->offset > p->start)
			p->start = e->offset;
	}
	rd_kafka_topic_partition_list_destroy(list);
	if (code)
		snprintf(err, errlen, "kafka: offsets for --from on %s: %s", kr->k->topic, rd_kafka_err2str(code));
	return code ? -1 : 0;
}

static int kr_bounds(struct kreader *kr, char *err, size_t errlen)
{
	for (int i = 0; i < kr->nparts; i++) {
		struct kpart *p = &kr->parts[i];
		rd_kafka_resp_err_t code =
			rd_kafka_query_watermark_offsets(kr->rk, kr->k->topic, p->id, &p->start, &p->end, META_TIMEOUT_MS);

		if (code)
			return snprintf(err, errlen, "kafka: offsets of %s [%d]: %s", kr->k->topic, (int)p->id,
					rd_kafka_err2str(code)),
			       -1;
	}
	return kr->from_ms > 0 ? kr_seek_from(kr, err, errlen) : 0;
}

static int kr_assign(struct kreader *kr, char *err, size_t errlen)
{
	rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(kr->nparts);
	rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR_NO_ERROR;

	for (int i = 0; i < kr->nparts; i++) {
		struct kpart *p = &kr->parts[i];

		p->next = p->start;
		p->done = p->start >= p->end;
		if (p->done)
			continue;
		kr->total += (uint64_t)(p->end - p->start);
		kr->open++;
		rd_kafka_topic_partition_list_add(list, kr->k->topic, p->id)->offset = p->start;
	}
	if (list->cnt)
		code = rd_kafka_assign(kr->rk, list);
	rd_kafka_topic_partition_list_destroy(list);
	if (code)
		snprintf(err, errlen, "kafka: assign %s: %s", kr->k->topic, rd_kafka_err2str(code));
	return code ? -1 : 0;
}
static int kr_open(struct kreader *kr, char *err, size_t errlen)
{
	const struct replay_filter *f = kr->k->filter;
	struct codec_error cerr;

	/* whole milliseconds inside the window: from rounded up, to down */
	kr->from_ms = f->from_ns == INT64_MIN ? 0 : f->from_ns / 1000000 + (f->from_ns % 1000000 > 0);
	kr->to_ms = f->to_ns == INT64_MAX ? INT64_MAX : f->to_ns / 1000000 - (f->to_ns % 1000000 < 0);
	if (!(kr->store = schema_store_new(&cerr)))
		return snprintf(err, errlen, "schema store: %s", cerr.msg), -1;
	return kr_connect(kr, err, errlen) || kr_partitions(kr, err, errlen) || kr_bounds(kr, err, errlen) ||
			       kr_assign(kr, err, errlen)
		       ? -1
		       : 0;
}

int replay_kafka(const struct replay_kafka *k, char *err, size_t errlen)
{
	struct kreader *kr = calloc(1, sizeof(*kr));
	int rc;

	if (!kr)
		return snprintf(err, errlen, "out of memory"), -1;
	kr->k = k;
	rc = kr_open(kr, err, errlen);
	if (!rc) {
		progress_start(k->progress, stderr, kr->total);
		rc = kreader_consume(kr, err, errlen);
		progress_end(k->progress);
	}
	if (kr->rk) {
		rd_kafka_consumer_close(kr->rk);
		rd_kafka_destroy(kr->rk);
	}
	if (kr->store)
		schema_store_free(kr->store);
	buf_free(&kr->resolve);
	free(kr->parts);
	free(kr);
	return rc;
}
