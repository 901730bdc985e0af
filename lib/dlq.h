/* The dead-letter record every stage writes for input it cannot decode:
 * the original key and bytes, unchanged, with headers saying why and where
 * they came from (rampart.error, rampart.source.topic,
 * rampart.source.partition, rampart.source.offset). Undecodable input is
 * never dropped silently. */
#ifndef RAMPART_DLQ_H
#define RAMPART_DLQ_H

#include <stddef.h>

#include "transport.h"

/* producer_send's contract: 0 accepted, -1 with err. */
int dlq_send(struct producer *p, const char *dlq_topic, const struct transport_msg *m, const char *why, char *err,
	     size_t errlen);

#endif
