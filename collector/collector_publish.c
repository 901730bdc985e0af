#include "collector_publish.h"

#include <stdio.h>
#include <string.h>

#include "event_codec.h"
#include "event_message.h"
#include "schema_defs.h"

/* A fresh random id per collector instance: with the sequence it names an
 * event uniquely across restarts. */
static int new_boot_id(char *out, size_t n)
{
	FILE *f = fopen("/proc/sys/kernel/random/uuid", "r");
	int ok = f && fgets(out, (int)n, f);

	if (f)
		fclose(f);
	if (!ok)
		return -1;
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

int collector_publisher_init(struct collector_publisher *pb, const struct transport_config *tc, const char *topic,
			     const char *node, const char *cluster, enum rp_orchestrator orch, char *err,
			     size_t errlen)
{
	struct transport_config cfg = *tc;

	memset(pb, 0, sizeof(*pb));
	if (new_boot_id(pb->boot_id, sizeof(pb->boot_id))) {
		snprintf(err, errlen, "cannot read /proc/sys/kernel/random/uuid for the boot id");
		return -1;
	}
	cfg.schema_json = schema_event_json;
	pb->producer = producer_open(&cfg, err, errlen);
	if (!pb->producer)
		return -1;
	pb->plain_avro = tc->kind == TRANSPORT_FILE;
	pb->topic = topic;
	pb->node = (struct rp_str){node, (uint32_t)strlen(node)};
	pb->cluster = (struct rp_str){cluster, (uint32_t)strlen(cluster)};
	pb->orchestrator = orch;
	snprintf(pb->host_key, sizeof(pb->host_key), "host/%s", node);
	/* Lengths once, not per event. */
	pb->host_key_len = strlen(pb->host_key);
	pb->boot_id_s = (struct rp_str){pb->boot_id, (uint32_t)strlen(pb->boot_id)};
	return 0;
}

int collector_publish(struct collector_publisher *pb, struct rp_event *ev)
{
	const struct rp_str *cid = &ev->container.id;
	const void *key = cid->len ? (const void *)cid->ptr : pb->host_key;
	size_t key_len = cid->len ? cid->len : pb->host_key_len;
	char err[256];

	ev->node = pb->node, ev->cluster = pb->cluster, ev->orchestrator = pb->orchestrator;
	ev->boot_id = pb->boot_id_s;
	ev->sequence = pb->sequence++;
	buf_reset(&pb->buf);
	if ((pb->plain_avro ? event_encode(ev, &pb->buf) : event_encode_message(ev, &pb->buf)) != 0) {
		metrics_inc(&pb->encode_failed);
		return -1;
	}
	if (!pb->discard &&
	    producer_send(pb->producer, pb->topic, key, key_len, pb->buf.data, pb->buf.len, err, sizeof(err))) {
		/* Queue full past the send timeout, or a fatal producer error:
		 * the event is lost, counted, and its sequence number stays a gap. */
		metrics_inc(&pb->send_failed);
		return -1;
	}
	metrics_set(&pb->last_sequence, (uint64_t)ev->sequence);
	metrics_inc(&pb->published);
	return 0;
}

void collector_publish_gap(struct collector_publisher *pb, uint64_t n)
{
	pb->sequence += (int64_t)n;
}

void collector_publisher_close(struct collector_publisher *pb, int flush_ms)
{
	if (pb->producer) {
		producer_flush(pb->producer, flush_ms); /* failures show in producer_stats */
		producer_close(pb->producer);
	}
	buf_free(&pb->buf);
	memset(pb, 0, sizeof(*pb));
}
