/* Entry points the record codecs share with each other (Verdict embeds an
 * Event); not part of the public API. */
#ifndef RAMPART_CODEC_INTERNAL_H
#define RAMPART_CODEC_INTERNAL_H

#include "avro_binary.h"

#define TRY(expr)                \
	do {                     \
		if ((expr) != 0) \
			return -1; \
	} while (0)

int event_write(struct rp_buf *b, const struct rp_event *ev);
int event_read(struct avro_rd *r, struct rp_event *ev, struct event_scratch *s);

#endif
