#include "cli_replay_output.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "framing.h"
#include "schema_defs.h"

#define FLUSH_TIMEOUT_MS 60000

int replay_output_check(const struct replay_output_config *c, char *err, size_t errlen)
{
	if (c->path && c->topic)
		return snprintf(err, errlen, "--output and --output-topic exclude each other"), -1;
	if (!c->topic)
		return 0;
	if (!*c->topic)
		return snprintf(err, errlen, "--output-topic: empty topic name"), -1;
	if (strcmp(c->topic, REPLAY_ACTUATOR_TOPIC) == 0)
		return snprintf(err, errlen,
				"refusing --output-topic %s: the actuator consumes that topic and acts on every "
				"verdict in it; a replay must never reach it (choose another topic)",
				REPLAY_ACTUATOR_TOPIC),
		       -1;
	if (c->events_topic && strcmp(c->topic, c->events_topic) == 0)
		return snprintf(err, errlen, "refusing --output-topic %s: it is the events topic being replayed",
				c->topic),
		       -1;
	if (!c->brokers)
		return snprintf(err, errlen, "--output-topic needs --brokers"), -1;
	return 0;
}

static int open_producer(struct replay_output *o, const struct replay_output_config *c, char *err, size_t errlen)
{
	struct transport_config tc = {.kind = TRANSPORT_KAFKA, .brokers = c->brokers, .client_id = "rampart-replay"};

	o->producer = producer_open(&tc, err, errlen);
	o->topic = c->topic;
	return o->producer ? 0 : -1;
}

int replay_output_open(struct replay_output *o, const struct replay_output_config *c, struct progress *progress,
		       char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	if (c->topic)
		return open_producer(o, c, err, errlen);
	if (c->path && !(o->file = fopen(c->path, "w")))
		return snprintf(err, errlen, "--output %s: %s", c->path, strerror(errno)), -1;
	o->printer.out = o->file ? o->file : stdout;
	o->printer.json = c->json || !isatty(fileno(o->printer.out));
	o->printer.color = !o->printer.json;
	if (isatty(fileno(o->printer.out)))
		o->progress = progress;
	return 0;
}

static int send_verdict(struct replay_output *o, const struct rp_verdict *v, char *err, size_t errlen)
{
	buf_reset(&o->buf);
	if (frame_write_single_object(&o->buf, schema_verdict_fingerprint) || verdict_encode(v, &o->buf))
		return snprintf(err, errlen, "verdict encoding: out of memory or invalid enum"), -1;
	return producer_send(o->producer, o->topic, v->workload_id.ptr, v->workload_id.len, o->buf.data, o->buf.len,
			     err, errlen);
}

int replay_output_write(struct replay_output *o, const struct rp_verdict *v, char *err, size_t errlen)
{
	if (o->producer)
		return send_verdict(o, v, err, errlen);
	if (o->progress)
		progress_hide(o->progress);
	if (verdict_print(&o->printer, v, NULL))
		return snprintf(err, errlen, "writing a verdict: %s", errno ? strerror(errno) : "failed"), -1;
	return 0;
}

static int close_producer(struct replay_output *o, char *err, size_t errlen)
{
	struct producer_stats st;
	int rc = producer_flush(o->producer, FLUSH_TIMEOUT_MS);

	producer_stats(o->producer, &st);
	if (rc)
		snprintf(err, errlen, "%s: %llu of %llu verdicts not delivered", o->topic,
			 (unsigned long long)(st.sent - st.delivered), (unsigned long long)st.sent);
	producer_close(o->producer);
	return rc ? -1 : 0;
}

int replay_output_close(struct replay_output *o, char *err, size_t errlen)
{
	int rc = 0;

	if (o->producer)
		rc = close_producer(o, err, errlen);
	if (o->file && fclose(o->file))
		rc = (snprintf(err, errlen, "--output: %s", strerror(errno)), -1);
	buf_free(&o->buf);
	memset(o, 0, sizeof(*o));
	return rc;
}
