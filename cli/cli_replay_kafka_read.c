#include "cli_replay_kafka_reader.h"

#include <stdio.h>
#include <time.h>

#include "event_message.h"

#define POLL_MS 200
#define STALL_S 60
#define MAX_WARNINGS 5

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct kpart *kreader_part(struct kreader *kr, int32_t id)
{
	if (id >= 0 && id < kr->nparts && kr->parts[id].id == id)
		return &kr->parts[id];
	for (int i = 0; i < kr->nparts; i++)
		if (kr->parts[i].id == id)
			return &kr->parts[i];
	return NULL;
}

static void finish(struct kreader *kr, struct kpart *p)
{
	rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(1);

	kr->consumed += (uint64_t)(p->end - p->next);
	p->next = p->end;
	p->done = true;
	kr->open--;
	/* Stop fetching what will only be thrown away. */
	rd_kafka_topic_partition_list_add(list, kr->k->topic, p->id);
	rd_kafka_pause_partitions(kr->rk, list);
	rd_kafka_topic_partition_list_destroy(list);
}

static void warn(struct kreader *kr, const rd_kafka_message_t *m, const char *why)
{
	if (kr->warnings++ >= MAX_WARNINGS)
		return;
	progress_hide(kr->k->progress);
	fprintf(stderr, "rampart replay: %s [%d] offset %lld: %s%s\n", kr->k->topic, (int)m->partition,
		(long long)m->offset, why, kr->warnings == MAX_WARNINGS ? " (further ones are only counted)" : "");
}

static int evaluate(struct kreader *kr, const rd_kafka_message_t *m, char *err, size_t errlen)
{
	struct replay_counts *c = &kr->k->engine->counts;
	struct codec_error cerr;
	struct rp_event ev;

	c->read++;
	if (event_decode_message(kr->store, m->payload, m->len, &ev, &kr->scratch, &kr->resolve, &cerr)) {
		c->undecodable++;
		warn(kr, m, cerr.msg);
		return 0;
	}
	if (!replay_filter_event(kr->k->filter, &ev))
		return 0;
	c->selected++;
	return replay_engine_event(kr->k->engine, &ev, err, errlen);
}

static int on_message(struct kreader *kr, const rd_kafka_message_t *m, char *err, size_t errlen)
{
	struct kpart *p = kreader_part(kr, m->partition);
	int64_t ts = rd_kafka_message_timestamp(m, NULL);
	int rc = 0;

	if (!p || p->done)
		return 0;
	if (m->offset >= p->end || (ts >= 0 && ts > kr->to_ms)) {
		finish(kr, p);
		return 0;
	}
	if (ts >= 0 && ts < kr->from_ms)
		kr->k->engine->counts.read++; /* before the window: its producer's clock was behind */
	else
		rc = evaluate(kr, m, err, errlen);
	kr->consumed += (uint64_t)(m->offset + 1 - p->next);
	p->next = m->offset + 1;
	if (p->next >= p->end)
		finish(kr, p);
	progress_update(kr->k->progress, kr->consumed, kr->k->engine->counts.read);
	return rc;
}

static int on_event(struct kreader *kr, const rd_kafka_message_t *m, char *err, size_t errlen)
{
	struct kpart *p = kreader_part(kr, m->partition);

	switch (m->err) {
	case RD_KAFKA_RESP_ERR_NO_ERROR:
		return on_message(kr, m, err, errlen);
	case RD_KAFKA_RESP_ERR__PARTITION_EOF: /* past transaction markers and aborted messages too */
		if (p && !p->done && m->offset >= p->end)
			finish(kr, p);
		return 0;
	case RD_KAFKA_RESP_ERR__TRANSPORT:
	case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
	case RD_KAFKA_RESP_ERR__RESOLVE:
	case RD_KAFKA_RESP_ERR__TIMED_OUT:
		return 0; /* librdkafka reconnects; a lasting outage ends as a stall */
	default:
		return snprintf(err, errlen, "kafka: %s: %s", kr->k->topic, rd_kafka_message_errstr(m)), -1;
	}
}

int kreader_consume(struct kreader *kr, char *err, size_t errlen)
{
	double last = now_s();
	int rc = 0;

	while (!rc && kr->open > 0) {
		rd_kafka_message_t *m;

		if (*kr->k->stop)
			return 1;
		m = rd_kafka_consumer_poll(kr->rk, POLL_MS);
		if (!m) {
			if (now_s() - last > STALL_S)
				return snprintf(err, errlen, "kafka: no data from %s for %d s", kr->k->brokers, STALL_S), -1;
			continue;
		}
		last = now_s();
		rc = on_event(kr, m, err, errlen);
		rd_kafka_message_destroy(m);
	}
	return rc;
}
