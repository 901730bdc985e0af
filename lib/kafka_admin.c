#include "kafka_admin.h"

#include <librdkafka/rdkafka.h>
#include <stdio.h>

static rd_kafka_NewTopic_t *new_topic(const char *topic, int partitions, int replication,
				      const struct transport_prop *configs, size_t nconfigs, char *err,
				      size_t errlen)
{
	rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(topic, partitions, replication, err, errlen);

	for (size_t i = 0; nt && i < nconfigs; i++) {
		if (rd_kafka_NewTopic_set_config(nt, configs[i].name, configs[i].value)) {
			snprintf(err, errlen, "topic config %s=%s rejected", configs[i].name, configs[i].value);
			rd_kafka_NewTopic_destroy(nt);
			return NULL;
		}
	}
	return nt;
}

/* The admin call's own error, then the topic's. */
static int create_result(rd_kafka_event_t *ev, const char *topic, char *err, size_t errlen)
{
	const rd_kafka_topic_result_t **res;
	size_t n = 0;

	if (!ev) {
		snprintf(err, errlen, "CreateTopics %s: timed out", topic);
		return -1;
	}
	if (rd_kafka_event_error(ev)) {
		snprintf(err, errlen, "CreateTopics %s: %s", topic, rd_kafka_event_error_string(ev));
		return -1;
	}
	res = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
	if (n != 1 || rd_kafka_topic_result_error(res[0])) {
		snprintf(err, errlen, "CreateTopics %s: %s", topic,
			 n == 1 ? rd_kafka_topic_result_error_string(res[0]) : "no result");
		return -1;
	}
	return 0;
}

int kafka_create_topic(const char *brokers, const char *topic, int partitions, int replication,
		       const struct transport_prop *configs, size_t nconfigs, int timeout_ms, char *err,
		       size_t errlen)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_NewTopic_t *nt;
	rd_kafka_queue_t *q;
	rd_kafka_event_t *ev;
	rd_kafka_t *rk;
	int rc;

	if (rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, errlen) != RD_KAFKA_CONF_OK) {
		rd_kafka_conf_destroy(conf);
		return -1;
	}
	rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, errlen);
	if (!rk) {
		rd_kafka_conf_destroy(conf);
		return -1;
	}
	nt = new_topic(topic, partitions, replication, configs, nconfigs, err, errlen);
	if (!nt) {
		rd_kafka_destroy(rk);
		return -1;
	}
	q = rd_kafka_queue_new(rk);
	rd_kafka_CreateTopics(rk, &nt, 1, NULL, q);
	ev = rd_kafka_queue_poll(q, timeout_ms);
	rc = create_result(ev, topic, err, errlen);
	if (ev)
		rd_kafka_event_destroy(ev);
	rd_kafka_queue_destroy(q);
	rd_kafka_NewTopic_destroy(nt);
	rd_kafka_destroy(rk);
	return rc;
}
