/* Schema-specific Avro binary codec for io.rampart.Event (schemas/event.avsc),
 * the pipeline's hot path. Plain Avro binary only: framing.h adds the
 * single-object / Confluent header, event_message.h does both.
 *
 * event_encode appends the Avro encoding of *ev to out; -1 if an enum or union
 * kind is out of range or the buffer cannot grow (out->len is then restored).
 * event_decode decodes exactly n bytes into *ev without allocating: strings
 * are views into p, lists live in *scratch. Every length, count and index is
 * checked; -1 with *err filled on any malformed or over-capacity input.
 * event_record_size returns the length of the one Event that starts at p,
 * or 0 if none decodes there: the file transport's record_size callback for
 * recordings (its ctx is a struct event_scratch). */
#ifndef RAMPART_EVENT_CODEC_H
#define RAMPART_EVENT_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "codec_error.h"
#include "event.h"

int event_encode(const struct rp_event *ev, struct rp_buf *out);
int event_decode(const uint8_t *p, size_t n, struct rp_event *ev, struct event_scratch *scratch,
		 struct codec_error *err);
size_t event_record_size(const uint8_t *p, size_t n, void *scratch);

#endif
