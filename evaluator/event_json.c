#include "event_json.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "fields.h"

static const enum rp_args_kind avail_kind[FA__COUNT] = {
	[FA_FILE] = RP_ARGS_FILE, [FA_NET] = RP_ARGS_NET, [FA_PROC] = RP_ARGS_PROC,
	[FA_NS] = RP_ARGS_NS, [FA_KERNEL] = RP_ARGS_KERNEL};

static struct rp_str js(json_t *v)
{
	return (struct rp_str){json_string_value(v), (uint32_t)json_string_length(v)};
}

static int set_enum(const char *key, json_t *v, const char *const *names, int count, int *out, char *err, size_t n)
{
	for (int i = 0; json_is_string(v) && i < count; i++)
		if (strcmp(json_string_value(v), names[i]) == 0)
			return *out = i, 0;
	snprintf(err, n, "%s: unknown value", key);
	return -1;
}

static int add_label(struct rp_event *ev, struct event_json_store *st, struct rp_str k, json_t *v, char *err,
		     size_t n)
{
	struct rp_pod *p = &ev->workload.pod;
	if (!json_is_string(v) || p->nlabels >= RP_MAX_LABELS)
		return snprintf(err, n, "k8s.pod.label: expected string values"), -1;
	st->labels[p->nlabels++] = (struct rp_label){k, js(v)};
	p->labels = st->labels;
	ev->workload_kind = RP_WORKLOAD_POD;
	return 0;
}

static int set_list(const struct field_def *f, json_t *v, struct rp_event *ev, struct event_json_store *st,
		    char *err, size_t n)
{
	bool is_args = f->off == offsetof(struct rp_event, process.args);
	struct rp_str *dst = is_args ? st->args : st->env;
	size_t cap = is_args ? RP_MAX_ARGS : RP_MAX_ENV, i;
	json_t *e;
	if (!json_is_array(v) || json_array_size(v) > cap)
		return snprintf(err, n, "%s: expected an array of at most %zu strings", f->name, cap), -1;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			return snprintf(err, n, "%s: expected strings", f->name), -1;
		dst[i] = js(e);
	}
	if (is_args)
		ev->process.args = dst, ev->process.nargs = (uint32_t)json_array_size(v);
	else
		ev->process.env = dst, ev->process.nenv = (uint32_t)json_array_size(v);
	return 0;
}

static int set_keyed(const struct field_def *f, struct rp_str key, json_t *v, struct rp_event *ev,
		     struct event_json_store *st, const char *name, char *err, size_t n)
{
	if (strcmp(f->name, "k8s.pod.label") == 0)
		return add_label(ev, st, key, v, err, n);
	/* proc.env[NAME]: the full "NAME=value" must live somewhere: keep the
	 * JSON key "proc.env[NAME]" out of it and require proc.env instead */
	snprintf(err, n, "%s: give the variable in proc.env as \"NAME=value\"", name);
	return -1;
}

static int set_field(const char *key, json_t *v, struct rp_event *ev, struct event_json_store *st, char *err,
		     size_t n)
{
	struct rp_str k;
	const struct field_def *f = field_lookup(key, strlen(key), &k);
	char *base = (char *)ev;
	int x;

	if (strcmp(key, "evt.type") == 0) {
		if (set_enum(key, v, rp_event_type_names, RP_EV__COUNT, &x, err, n) < 0)
			return -1;
		ev->type = (enum rp_event_type)x;
		if (ev->args_kind == RP_ARGS_NONE)
			ev->args_kind = field_args_kind_of(ev->type);
		return 0;
	}
	if (strcmp(key, "orchestrator") == 0) {
		if (set_enum(key, v, rp_orchestrator_names, RP_ORCH__COUNT, &x, err, n) < 0)
			return -1;
		return ev->orchestrator = (enum rp_orchestrator)x, 0;
	}
	if (strcmp(key, "k8s.pod.label") == 0 && json_is_object(v)) {
		const char *lk;
		json_t *lv;
		json_object_foreach(v, lk, lv)
			if (add_label(ev, st, (struct rp_str){lk, (uint32_t)strlen(lk)}, lv, err, n) < 0)
				return -1;
		return 0;
	}
	if (!f)
		return snprintf(err, n, "unknown field '%s' (see `rampart rules fields`)", key), -1;
	if (f->avail >= FA_FILE && f->avail <= FA_KERNEL)
		ev->args_kind = avail_kind[f->avail];
	else if (f->avail == FA_POD)
		ev->workload_kind = RP_WORKLOAD_POD;
	else if (f->avail == FA_ECS)
		ev->workload_kind = RP_WORKLOAD_ECS_TASK;
	if (f->keyed)
		return set_keyed(f, k, v, ev, st, key, err, n);
	switch (f->store) {
	case FS_STR:
		if (!json_is_string(v))
			break;
		struct rp_str s = js(v);
		memcpy(base + f->off, &s, sizeof(s));
		return 0;
	case FS_I32:
		if (!json_is_integer(v))
			break;
		int32_t i32 = (int32_t)json_integer_value(v);
		memcpy(base + f->off, &i32, sizeof(i32));
		return 0;
	case FS_I64:
		if (!json_is_integer(v))
			break;
		int64_t i64 = json_integer_value(v);
		memcpy(base + f->off, &i64, sizeof(i64));
		return 0;
	case FS_BOOL:
		if (!json_is_boolean(v))
			break;
		bool b = json_is_true(v);
		memcpy(base + f->off, &b, sizeof(b));
		return 0;
	case FS_STRLIST:
		return set_list(f, v, ev, st, err, n);
	case FS_DERIVED:
		return snprintf(err, n, "%s is derived from other fields and cannot be set", key), -1;
	}
	return snprintf(err, n, "%s: expected a %s value", key, field_type_names[f->type]), -1;
}

int event_json_parse(const char *text, struct rp_event *ev, struct event_json_store *st, char *err, size_t n)
{
	json_error_t je;
	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	const char *key;
	json_t *v;

	memset(ev, 0, sizeof(*ev));
	ev->process.loginuid = -1;
	st->json = root;
	if (!root)
		return snprintf(err, n, "line %d column %d: %s", je.line, je.column, je.text), -1;
	if (!json_is_object(root))
		return snprintf(err, n, "expected a JSON object of field: value"), -1;
	json_object_foreach(root, key, v)
		if (set_field(key, v, ev, st, err, n) < 0)
			return -1;
	return 0;
}

void event_json_free(struct event_json_store *st)
{
	json_decref(st->json);
	st->json = NULL;
}
