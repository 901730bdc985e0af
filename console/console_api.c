/* Routing and the read side of the API. */
#include "console_api.h"

#include <stdio.h>
#include <string.h>

#include "console_view.h"
#include "service_log.h"

#define PREFIX "/api/v1/"

int console_api_init(struct console_api *api, const struct console_config *cfg, struct console_store *store,
		     char *err, size_t errlen)
{
	api->cfg = cfg;
	api->store = store;
	if (pthread_mutex_init(&api->lock, NULL))
		return snprintf(err, errlen, "cannot create the API lock"), -1;
	return 0;
}

void console_api_destroy(struct console_api *api) { pthread_mutex_destroy(&api->lock); }

void console_api_error(struct console_reply *out, const struct console_error *e, json_t *extra)
{
	out->status = e->status;
	out->body = console_error_json(e);
	if (out->body && extra)
		json_object_update(out->body, extra);
	json_decref(extra);
}

static void reply(struct console_reply *out, int status, json_t *body)
{
	struct console_error e;

	if (!body) {
		console_fail(&e, 500, NULL, "out of memory");
		console_api_error(out, &e, NULL);
		return;
	}
	out->status = status;
	out->body = body;
}

static json_t *problems(const struct console_snapshot *s)
{
	json_t *list = json_array();
	for (size_t i = 0; list && i < s->diag.n; i++)
		json_array_append_new(list, json_string(s->diag.msgs[i]));
	return list;
}

static void list(const struct console_snapshot *s, enum console_kind k, struct console_reply *out)
{
	json_t *items = console_view_list(s, k);
	reply(out, 200, items ? json_pack("{s:o, s:o}", console_kind_plural[k], items, "problems", problems(s)) : NULL);
}

static void get_one(const struct console_snapshot *s, enum console_kind k, const char *name,
		    struct console_reply *out)
{
	struct console_error e;

	if (!console_snapshot_source(s, k, name)) {
		console_fail(&e, 404, "name", "no %s named '%s'", console_kind_single[k], name);
		console_api_error(out, &e, NULL);
	} else
		reply(out, 200, console_view_entry(s, k, name));
}

static void method_not_allowed(struct console_reply *out, const char *method)
{
	struct console_error e;
	console_fail(&e, 405, NULL, "method %s is not allowed here", method);
	console_api_error(out, &e, NULL);
}

static bool is(const struct console_call *c, const char *m) { return strcmp(c->method, m) == 0; }

/* /api/v1/{kind}[/{name}] with the snapshot loaded. */
static void route_kind(struct console_api *api, struct console_snapshot *s, enum console_kind k, const char *name,
		       const struct console_call *call, struct console_reply *out)
{
	if (!name && is(call, "GET"))
		list(s, k, out);
	else if (!name && is(call, "POST"))
		console_api_create(api, s, k, call, out);
	else if (name && is(call, "GET"))
		get_one(s, k, name, out);
	else if (name && is(call, "PUT"))
		console_api_update(api, s, k, name, call, out);
	else if (name && is(call, "DELETE"))
		console_api_delete(api, s, k, name, call, out);
	else
		method_not_allowed(out, call->method);
}

static void route(struct console_api *api, struct console_snapshot *s, const char *rest,
		  const struct console_call *call, struct console_reply *out)
{
	const char *slash = strchr(rest, '/');
	size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
	int k = console_kind_parse(rest, n);
	struct console_error e;

	if (strcmp(rest, "rules") == 0 && is(call, "GET"))
		reply(out, 200, json_pack("{s:o}", "rules", console_view_rules(s)));
	else if (k < 0 || (slash && (!slash[1] || strchr(slash + 1, '/')))) {
		console_fail(&e, 404, NULL, "no such API path: %s", call->path);
		console_api_error(out, &e, NULL);
	} else
		route_kind(api, s, (enum console_kind)k, slash ? slash + 1 : NULL, call, out);
}

static void handle_locked(struct console_api *api, const struct console_call *call, struct console_reply *out)
{
	struct console_snapshot s;
	struct console_error e;
	char err[512];

	if (console_snapshot_load(&s, api->cfg, api->store, err, sizeof(err))) {
		console_fail(&e, 503, NULL, "cannot read the rule set: %s", err);
		console_api_error(out, &e, NULL);
		return;
	}
	route(api, &s, call->path + strlen(PREFIX), call, out);
	console_snapshot_free(&s);
}

void console_api_handle(struct console_api *api, const struct console_call *call, struct console_reply *out)
{
	struct console_error e;
	bool reads = is(call, "GET") || is(call, "HEAD");

	memset(out, 0, sizeof(*out));
	if (strncmp(call->path, PREFIX, strlen(PREFIX)) != 0) {
		console_fail(&e, 404, NULL, "no such API path: %s", call->path);
		console_api_error(out, &e, NULL);
		return;
	}
	if (strcmp(call->path, PREFIX "whoami") == 0) {
		reply(out, 200, json_pack("{s:s, s:s}", "name", call->who->name, "role",
					  console_role_name(call->who->role)));
		return;
	}
	if (!reads && call->who->role != CONSOLE_ROLE_ADMIN) {
		console_fail(&e, 403, NULL, "%s may read but not change anything (role read)", call->who->name);
		console_api_error(out, &e, NULL);
		service_warn("console change refused", json_pack("{s:s, s:s, s:s, s:s, s:i, s:s}", "who",
				call->who->name, "role", "read", "method", call->method, "path", call->path,
				"status", 403, "error", e.msg));
		return;
	}
	pthread_mutex_lock(&api->lock);
	handle_locked(api, call, out);
	pthread_mutex_unlock(&api->lock);
}
