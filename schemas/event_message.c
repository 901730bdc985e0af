#include "event_message.h"

#include "codec_internal.h"
#include "event_codec.h"
#include "framing.h"
#include "schema_defs.h"
#include "schema_resolve.h"

int event_encode_message(const struct rp_event *ev, struct rp_buf *out)
{
	size_t mark = out->len;

	if (frame_write_single_object(out, schema_event_fingerprint) || event_write(out, ev)) {
		out->len = mark;
		return -1;
	}
	return 0;
}

static const struct schema_entry *writer_of(struct schema_store *st, const struct rp_frame *f,
					    struct codec_error *err)
{
	const struct schema_entry *e;

	if (f->framing == RP_FRAMING_SINGLE_OBJECT) {
		e = schema_store_by_fingerprint(st, f->fingerprint);
		if (!e)
			codec_fail(err, 2, "unknown writer schema fingerprint %016llx",
				   (unsigned long long)f->fingerprint);
	} else {
		e = schema_store_by_id(st, f->schema_id);
		if (!e)
			codec_fail(err, 1, "unknown Confluent schema id %u", f->schema_id);
	}
	if (e && !e->is_event) {
		codec_fail(err, 0, "writer schema %016llx is not an io.rampart.Event",
			   (unsigned long long)e->fingerprint);
		return NULL;
	}
	return e;
}

/* Decodes the payload with offsets counted from the message start. */
static int decode_at(const uint8_t *msg, const struct rp_frame *f, struct rp_event *ev,
		     struct event_scratch *s, struct codec_error *err)
{
	struct avro_rd r;

	rd_init(&r, f->payload, f->len, err);
	r.base = msg;
	TRY(event_read(&r, ev, s));
	return rd_done(&r, "Event");
}

int event_decode_message(struct schema_store *st, const uint8_t *p, size_t n, struct rp_event *ev,
			 struct event_scratch *scratch, struct rp_buf *resolve_buf,
			 struct codec_error *err)
{
	const struct schema_entry *e;
	struct rp_frame f;

	TRY(frame_parse(p, n, &f, err));
	if (f.framing == RP_FRAMING_SINGLE_OBJECT && f.fingerprint == schema_event_fingerprint)
		return decode_at(p, &f, ev, scratch, err);
	e = writer_of(st, &f, err);
	if (!e)
		return -1;
	if (!e->to_event)
		return decode_at(p, &f, ev, scratch, err);
	TRY(schema_resolver_run(e->to_event, f.payload, f.len, resolve_buf, err));
	return event_decode(resolve_buf->data, resolve_buf->len, ev, scratch, err);
}
