/* Test helper of test_replay.sh: a large recording made of a small real one,
 * to measure how fast `rampart replay` reads.
 *
 *   replay_amplify IN.avro OUT.avro COUNT
 *
 * Writes COUNT events to OUT: IN's events over and over, with sequence
 * numbers renumbered 0..COUNT-1 so every event stays distinct. Exit 0, 1 on
 * error, 2 on usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event_codec.h"
#include "schema_defs.h"
#include "transport.h"

struct events {
	struct rp_buf *v;
	size_t n, cap;
};

static int load(const char *path, struct events *out)
{
	static struct event_scratch split;
	struct transport_config tc = {.kind = TRANSPORT_FILE, .path = path, .record_size = event_record_size,
				      .record_ctx = &split};
	const char *topics[] = {"events"};
	char err[256];
	struct consumer *c = consumer_open(&tc, topics, 1, err, sizeof(err));
	struct transport_msg m;
	int rc;

	if (!c)
		return fprintf(stderr, "replay_amplify: %s: %s\n", path, err), -1;
	while ((rc = consumer_poll(c, &m, 0, err, sizeof(err))) == 1) {
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 1024;
			out->v = realloc(out->v, out->cap * sizeof(*out->v));
			if (!out->v)
				return fprintf(stderr, "replay_amplify: out of memory\n"), -1;
		}
		memset(&out->v[out->n], 0, sizeof(out->v[0]));
		if (buf_append(&out->v[out->n++], m.value, m.value_len))
			return fprintf(stderr, "replay_amplify: out of memory\n"), -1;
		consumer_release(c, &m);
	}
	consumer_close(c);
	if (rc != -2 || out->n == 0)
		return fprintf(stderr, "replay_amplify: %s: %s\n", path, rc == -1 ? err : "empty"), -1;
	return 0;
}

static int write_events(const char *path, const struct events *in, long count)
{
	static struct event_scratch scratch;
	struct transport_config tc = {.kind = TRANSPORT_FILE, .path = path, .schema_json = schema_event_json};
	char err[256];
	struct producer *p = producer_open(&tc, err, sizeof(err));
	struct rp_buf out = {0};
	struct codec_error cerr;
	struct rp_event ev;
	int rc = 0;

	if (!p)
		return fprintf(stderr, "replay_amplify: %s\n", err), -1;
	for (long i = 0; i < count && !rc; i++) {
		const struct rp_buf *b = &in->v[(size_t)i % in->n];

		buf_reset(&out);
		if (event_decode(b->data, b->len, &ev, &scratch, &cerr))
			rc = fprintf(stderr, "replay_amplify: %s\n", cerr.msg);
		ev.sequence = i;
		if (!rc && (event_encode(&ev, &out) ||
			    producer_send(p, "events", NULL, 0, out.data, out.len, err, sizeof(err))))
			rc = fprintf(stderr, "replay_amplify: %s\n", err);
	}
	if (!rc && producer_flush(p, 60000))
		rc = fprintf(stderr, "replay_amplify: flush failed\n");
	producer_close(p);
	buf_free(&out);
	return rc ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct events in = {0};
	int rc;

	if (argc != 4 || atol(argv[3]) <= 0)
		return fprintf(stderr, "usage: replay_amplify IN.avro OUT.avro COUNT\n"), 2;
	rc = load(argv[1], &in) || write_events(argv[2], &in, atol(argv[3])) ? 1 : 0;
	for (size_t i = 0; i < in.n; i++)
		buf_free(&in.v[i]);
	free(in.v);
	return rc;
}
