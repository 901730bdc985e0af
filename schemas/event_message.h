/* Framed Event messages: the call every consumer of rampart.events uses.
 *
 * event_encode_message appends a single-object-encoded Event (header with
 * the current Event schema fingerprint, then the body).
 *
 * event_decode_message accepts single-object or Confluent framing. Writer =
 * current Event schema: fast zero-copy decode of the payload (views into p).
 * Writer = an older Event schema registered in the store: the payload is
 * checked, resolved through avro-c into resolve_buf with the reader's
 * defaults filled in, and resolve_buf is fast-decoded (views into
 * resolve_buf, valid until it is next used). Unknown writer, non-Event
 * writer, malformed data: -1 with *err. Offsets in errors count from the
 * start of the message (of resolve_buf for resolved data). */
#ifndef RAMPART_EVENT_MESSAGE_H
#define RAMPART_EVENT_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "codec_error.h"
#include "event.h"
#include "schema_store.h"

int event_encode_message(const struct rp_event *ev, struct rp_buf *out);
int event_decode_message(struct schema_store *st, const uint8_t *p, size_t n, struct rp_event *ev,
			 struct event_scratch *scratch, struct rp_buf *resolve_buf,
			 struct codec_error *err);

#endif
