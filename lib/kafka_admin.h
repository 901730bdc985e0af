/* Topic administration through librdkafka's admin API: what tests, the
 * local launcher and the topic-creation job need to lay out the topics of
 * ARCHITECTURE §3 with a known partition count. */
#ifndef RAMPART_KAFKA_ADMIN_H
#define RAMPART_KAFKA_ADMIN_H

#include <stddef.h>

#include "transport.h"

/* Creates topic with the given partitions and replication factor and topic
 * configs (e.g. {"cleanup.policy","compact"}); an existing topic is an
 * error. Waits up to timeout_ms. 0, or -1 with err filled. */
int kafka_create_topic(const char *brokers, const char *topic, int partitions, int replication,
		       const struct transport_prop *configs, size_t nconfigs, int timeout_ms, char *err,
		       size_t errlen);

#endif
