/* Stamps node/cluster/boot id/sequence on an event, encodes it and hands it
 * to the producer keyed by container id (host/<node> for host processes).
 *
 * The sequence advances for every event the collector read, and also by the
 * kernel's ring-buffer drops as they are observed (collector_publish_gap),
 * so a consumer measures loss end to end as gaps: a send that fails leaves
 * its number unused, and dropped records leave theirs. */
#ifndef RAMPART_COLLECTOR_PUBLISH_H
#define RAMPART_COLLECTOR_PUBLISH_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "event.h"
#include "metrics_http.h"
#include "transport.h"

struct collector_publisher {
	struct producer *producer;
	const char *topic;
	bool plain_avro; /* file transport: records without single-object framing */
	struct rp_str node, cluster;
	enum rp_orchestrator orchestrator;
	bool discard; /* benchmarks only: encode, then drop (isolates the collector's own cost) */
	char boot_id[40];
	char host_key[300];
	struct rp_str boot_id_s;
	size_t host_key_len;
	int64_t sequence;
	struct rp_buf buf;
	/* Written by the publishing thread only; read by the metrics thread. */
	metrics_u64 published, send_failed, encode_failed;
	metrics_u64 last_sequence; /* of the last event handed to the producer */
};

/* 0, or -1 with err. */
int collector_publisher_init(struct collector_publisher *pb, const struct transport_config *tc, const char *topic,
			     const char *node, const char *cluster, enum rp_orchestrator orch, char *err,
			     size_t errlen);
/* 0 published (accepted by the producer), -1 lost (counted). */
int collector_publish(struct collector_publisher *pb, struct rp_event *ev);
/* n events were lost before reaching the collector: skip their numbers. */
void collector_publish_gap(struct collector_publisher *pb, uint64_t n);
void collector_publisher_close(struct collector_publisher *pb, int flush_ms);

#endif
