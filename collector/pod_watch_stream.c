#include "pod_watch_stream.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "pod_watch_json.h"

/* Line buffer capacity kept between events. */
#define LINE_KEEP (256u << 10)

static const char *const type_names[] = {
	[POD_EV_ADDED] = "ADDED", [POD_EV_MODIFIED] = "MODIFIED", [POD_EV_DELETED] = "DELETED",
	[POD_EV_BOOKMARK] = "BOOKMARK", [POD_EV_ERROR] = "ERROR",
};

void pod_watch_stream_init(struct pod_watch_stream *s, pod_watch_event_fn on_event, void *ctx)
{
	memset(s, 0, sizeof(*s));
	s->on_event = on_event;
	s->ctx = ctx;
}

void pod_watch_stream_reset(struct pod_watch_stream *s)
{
	buf_reset(&s->line);
	s->error[0] = 0;
}

void pod_watch_stream_free(struct pod_watch_stream *s)
{
	buf_free(&s->line);
}

static int parse_type(const char *name, enum pod_watch_event_type *type)
{
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
		if (!strcmp(name, type_names[i])) {
			*type = (enum pod_watch_event_type)i;
			return 0;
		}
	}
	return -1;
}

/* ERROR carries a metav1.Status: its code says what went wrong. */
static int parse_status(const json_t *obj, struct pod_watch_event *ev, char *err, size_t errlen)
{
	const json_t *code = json_object_get(obj, "code");
	const char *msg = json_string_value(json_object_get(obj, "message"));

	if (!json_is_integer(code))
		return snprintf(err, errlen, "ERROR event without a Status code"), -1;
	ev->code = (long)json_integer_value(code);
	snprintf(ev->message, sizeof(ev->message), "%s", msg ? msg : "");
	return 0;
}

static int parse_object(const json_t *obj, struct pod_watch_event *ev, char *err, size_t errlen)
{
	const char *rv = json_string_value(json_object_get(json_object_get(obj, "metadata"), "resourceVersion"));

	if (!json_is_object(obj))
		return snprintf(err, errlen, "%s event without an object", type_names[ev->type]), -1;
	if (rv && strlen(rv) >= sizeof(ev->resource_version))
		return snprintf(err, errlen, "resourceVersion longer than %zu bytes", sizeof(ev->resource_version) - 1),
		       -1;
	snprintf(ev->resource_version, sizeof(ev->resource_version), "%s", rv ? rv : "");
	if (ev->type == POD_EV_ERROR)
		return parse_status(obj, ev, err, errlen);
	if (ev->type == POD_EV_BOOKMARK)
		return 0;
	if (pod_meta_from_json(obj, &ev->pod, ev->message, sizeof(ev->message)))
		ev->pod.uid[0] = 0;
	return 0;
}

int pod_watch_event_parse(const char *json, size_t len, struct pod_watch_event *ev, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *doc = json_loadb(json, len, 0, &jerr);
	const char *type;
	int rc = -1;

	ev->resource_version[0] = ev->message[0] = 0;
	ev->code = 0;
	if (!doc) {
		snprintf(err, errlen, "watch event is not JSON: %s (column %d)", jerr.text, jerr.column);
		return -1;
	}
	type = json_string_value(json_object_get(doc, "type"));
	if (!type || parse_type(type, &ev->type))
		snprintf(err, errlen, "watch event of unknown type \"%s\"", type ? type : "");
	else
		rc = parse_object(json_object_get(doc, "object"), ev, err, errlen);
	json_decref(doc);
	return rc;
}

static bool blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return false;
	return true;
}

static int handle_line(struct pod_watch_stream *s, const char *p, size_t n)
{
	if (blank(p, n))
		return 0;
	if (pod_watch_event_parse(p, n, &s->ev, s->error, sizeof(s->error)))
		return -1;
	return s->on_event(s->ctx, &s->ev);
}

static int fail(struct pod_watch_stream *s, const char *why)
{
	snprintf(s->error, sizeof(s->error), "%s", why);
	buf_reset(&s->line);
	return -1;
}

int pod_watch_stream_feed(struct pod_watch_stream *s, const char *data, size_t len)
{
	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t take = nl ? (size_t)(nl - data) : len;
		int rc;

		if (s->line.len + take > POD_WATCH_MAX_LINE)
			return fail(s, "watch event longer than 4 MiB");
		if (!nl || s->line.len) { /* only a line split across calls is copied */
			if (buf_append(&s->line, data, take))
				return fail(s, "out of memory");
			if (!nl)
				return 0;
			rc = handle_line(s, (const char *)s->line.data, s->line.len);
			buf_reset(&s->line);
			if (s->line.cap > LINE_KEEP) /* one huge object must not pin its memory */
				buf_free(&s->line);
		} else {
			rc = handle_line(s, data, take);
		}
		if (rc)
			return rc;
		data += take + 1;
		len -= take + 1;
	}
	return 0;
}
