/* libFuzzer target: framed Event messages through event_decode_message
 * (framing, store lookup, fast decoder, and the avro-c resolution path for a
 * registered older writer), plus the raw decoders of all three records.
 * Decoding must never crash, leak or read out of bounds, and whatever
 * decodes must re-encode to the same bytes (the encoding is canonical). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "event_codec.h"
#include "event_message.h"
#include "verdict.h"

#include <stdio.h>

struct ctx {
	struct schema_store *st;
	struct rp_buf resolved, out, out2;
	struct event_scratch es;
	struct verdict_scratch vs;
};

/* The older writer schema (tests/data/event.v0.avsc), registered so the
 * avro-c resolution path is fuzzed too: fingerprint or Confluent id 41. */
static void add_v0(struct schema_store *st)
{
	char json[65536];
	FILE *fp = fopen(RP_FUZZ_V0_PATH, "rb");
	size_t n = fp ? fread(json, 1, sizeof(json), fp) : 0;
	struct codec_error err;

	if (fp)
		fclose(fp);
	if (n == 0 || n == sizeof(json) || schema_store_add(st, json, n, 41, NULL, &err))
		abort();
}

/* libFuzzer has no teardown hook: this one context lives for the process. */
static struct ctx *ctx_get(void)
{
	static struct ctx *c;
	struct codec_error err;

	if (c)
		return c;
	c = calloc(1, sizeof(*c));
	if (!c || !(c->st = schema_store_new(&err)))
		abort();
	add_v0(c->st);
	return c;
}

/* Inputs may use non-minimal varints or split blocks, so compare a second
 * encode/decode round rather than the input bytes. */
static void check_reencode(struct ctx *c, const struct rp_event *ev)
{
	struct codec_error err;
	struct rp_event again;

	buf_reset(&c->out);
	buf_reset(&c->out2);
	if (event_encode(ev, &c->out))
		abort();
	if (event_decode(c->out.data, c->out.len, &again, &c->es, &err) ||
	    event_encode(&again, &c->out2) || c->out.len != c->out2.len ||
	    memcmp(c->out.data, c->out2.data, c->out.len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctx *c = ctx_get();
	struct codec_error err;
	struct rp_event ev;
	struct rp_verdict v;
	struct rp_action_result a;

	if (event_decode_message(c->st, data, size, &ev, &c->es, &c->resolved, &err) == 0)
		check_reencode(c, &ev);
	if (event_decode(data, size, &ev, &c->es, &err) == 0)
		check_reencode(c, &ev);
	(void)verdict_decode(data, size, &v, &c->vs, &err);
	(void)action_decode(data, size, &a, &err);
	return 0;
}
