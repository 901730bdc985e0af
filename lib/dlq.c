#include "dlq.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int dlq_send(struct producer *p, const char *dlq_topic, const struct transport_msg *m, const char *why, char *err,
	     size_t errlen)
{
	char part[16], off[24];
	const char *topic = m->topic ? m->topic : "";
	struct transport_header h[] = {
		{"rampart.error", why, strlen(why)},
		{"rampart.source.topic", topic, strlen(topic)},
		{"rampart.source.partition", part, 0},
		{"rampart.source.offset", off, 0},
	};

	h[2].value_len = (size_t)snprintf(part, sizeof(part), "%" PRId32, m->partition);
	h[3].value_len = (size_t)snprintf(off, sizeof(off), "%" PRId64, m->offset);
	return producer_send_with_headers(p, dlq_topic, m->key, m->key_len, m->value, m->value_len, h,
					  sizeof(h) / sizeof(h[0]), err, errlen);
}
