/* The write side of the API: create, update, delete. Each change is parsed
 * (console_request.h), rendered (console_render.h), validated against the
 * whole would-be set (console_validate.h), stored (console_store.h) and
 * logged with who made it. */
#include <stdio.h>
#include <string.h>

#include "console_api.h"
#include "console_render.h"
#include "console_request.h"
#include "console_validate.h"
#include "console_view.h"
#include "service_log.h"

static const char *const verbs[] = {"create", "update", "delete"};
enum verb { CREATE, UPDATE, DELETE };

static void audit(const struct console_api *api, const struct console_call *call, enum verb v, enum console_kind k,
		  const char *name, const struct console_reply *out)
{
	char msg[64];
	json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "who", call->who->name, "role",
			      console_role_name(call->who->role), "change", verbs[v], "kind", console_kind_single[k],
			      "name", name ? name : "", "store", console_store_kind(api->store), "status", out->status);
	json_t *error = out->body ? json_object_get(out->body, "error") : NULL;

	if (call->dry_run) { /* validation as the form is typed: not a change */
		json_decref(f);
		return;
	}
	if (out->status >= 400) {
		if (f && error)
			json_object_set(f, "error", error);
		service_info("console change refused", f);
		return;
	}
	snprintf(msg, sizeof(msg), "%s %sd", console_kind_single[k], verbs[v]);
	service_info(msg, f);
}

static void fail(struct console_reply *out, int status, const char *field, const char *msg, json_t *extra)
{
	struct console_error e;
	console_fail(&e, status, field, "%s", msg);
	console_api_error(out, &e, extra);
}

/* Renders and validates entry as the replacement of file `replaced`
 * (NULL: a new entry). 0 valid (*r filled), -1 out filled. */
static int check(struct console_api *api, enum console_kind k, const json_t *entry, const char *replaced,
		 struct console_render *r, struct console_reply *out)
{
	json_t *errors = NULL;
	char err[512];
	int rc;

	if (console_render(k, entry, r))
		return fail(out, 500, NULL, "out of memory", NULL), -1;
	rc = console_validate(api->cfg, api->store, replaced, r, &errors, err, sizeof(err));
	if (rc == 0 && json_string_length(json_object_get(entry, "name")) > CONSOLE_NAME_MAX) {
		snprintf(err, sizeof(err), "the name is longer than %d characters", CONSOLE_NAME_MAX);
		rc = 2;
	}
	if (rc == 0)
		return 0;
	if (rc == 1) {
		json_t *first = json_array_get(errors, 0);
		struct console_error e = {.status = 400};
		snprintf(e.msg, sizeof(e.msg), "%s", json_string_value(json_object_get(first, "error")));
		snprintf(e.field, sizeof(e.field), "%s",
			 json_is_string(json_object_get(first, "field")) ? json_string_value(json_object_get(first, "field")) : "");
		console_api_error(out, &e, json_pack("{s:o}", "errors", errors));
	} else
		fail(out, rc == 2 ? 400 : 500, rc == 2 ? "name" : NULL, err, NULL);
	console_render_free(r);
	return -1;
}

/* Stores r as entry (k, name) (r NULL: deletes it) and answers status with
 * the stored entry (204: no body). */
static void store(struct console_api *api, struct console_snapshot *s, enum console_kind k, const char *name,
		  const struct console_render *r, int status, struct console_reply *out)
{
	char err[512];
	int rc = r ? console_store_put(api->store, k, name, r->text, r->len, err, sizeof(err))
		   : console_store_delete(api->store, k, name, err, sizeof(err));

	if (rc) {
		fail(out, 503, NULL, err, NULL);
		return;
	}
	out->status = status;
	if (status == 204)
		return;
	console_snapshot_free(s);
	if (console_snapshot_load(s, api->cfg, api->store, err, sizeof(err)) == 0)
		out->body = console_view_entry(s, k, name);
	if (!out->body)
		out->body = json_pack("{s:s}", "name", name);
}

static void dry_run_ok(struct console_reply *out)
{
	out->status = 200;
	out->body = json_pack("{s:b}", "valid", 1);
}

void console_api_create(struct console_api *api, struct console_snapshot *s, enum console_kind k,
			const struct console_call *call, struct console_reply *out)
{
	struct console_error e;
	struct console_render r;
	json_t *entry = console_request_parse(k, call->body, call->body_len, false, &e);
	const char *name = entry ? json_string_value(json_object_get(entry, "name")) : NULL;
	char msg[CONSOLE_NAME_MAX + 64];

	if (!entry)
		console_api_error(out, &e, NULL);
	else if (console_snapshot_source(s, k, name)) {
		snprintf(msg, sizeof(msg), "the name '%.*s' is taken: a %s of that name exists", CONSOLE_NAME_MAX, name,
			 console_kind_single[k]);
		fail(out, 409, "name", msg, NULL);
	} else if (check(api, k, entry, NULL, &r, out) == 0) {
		if (call->dry_run)
			dry_run_ok(out);
		else
			store(api, s, k, name, &r, 201, out);
		console_render_free(&r);
	}
	audit(api, call, CREATE, k, name, out);
	json_decref(entry);
}

/* 0 when (k, name) exists and the console manages it, else -1 with out. */
static int changeable(const struct console_snapshot *s, enum console_kind k, const char *name,
		      struct console_reply *out)
{
	const char *file = console_snapshot_source(s, k, name);
	char msg[1200];

	if (!file) {
		snprintf(msg, sizeof(msg), "no %s named '%.*s'", console_kind_single[k], CONSOLE_NAME_MAX, name);
		return fail(out, 404, "name", msg, NULL), -1;
	}
	if (!console_snapshot_managed(s, k, name)) {
		snprintf(msg, sizeof(msg), "%s '%s' is defined in %s, which the console does not manage; change it "
			 "there", console_kind_single[k], name, file);
		return fail(out, 409, "name", msg, NULL), -1;
	}
	return 0;
}

static int same_name(json_t *entry, const char *name, enum console_kind k, struct console_reply *out)
{
	json_t *given = json_object_get(entry, "name");
	char msg[2 * CONSOLE_NAME_MAX + 160];

	if (!given)
		return json_object_set_new(entry, "name", json_string(name)) ? (fail(out, 500, NULL, "out of memory",
										       NULL), -1) : 0;
	if (strcmp(json_string_value(given), name) == 0)
		return 0;
	snprintf(msg, sizeof(msg), "the name of a %s cannot be changed ('%.*s' to '%.*s'); duplicate it under the "
		 "new name instead", console_kind_single[k], CONSOLE_NAME_MAX, name, CONSOLE_NAME_MAX,
		 json_string_value(given));
	fail(out, 400, "name", msg, NULL);
	return -1;
}

void console_api_update(struct console_api *api, struct console_snapshot *s, enum console_kind k, const char *name,
			const struct console_call *call, struct console_reply *out)
{
	struct console_error e;
	struct console_render r;
	json_t *entry = console_request_parse(k, call->body, call->body_len, true, &e);
	char path[2048];

	if (!entry)
		console_api_error(out, &e, NULL);
	else if (same_name(entry, name, k, out) == 0 && changeable(s, k, name, out) == 0 &&
		 console_store_path(api->store, k, name, path, sizeof(path)) == 0 &&
		 check(api, k, entry, path, &r, out) == 0) {
		if (call->dry_run)
			dry_run_ok(out);
		else
			store(api, s, k, name, &r, 200, out);
		console_render_free(&r);
	}
	audit(api, call, UPDATE, k, name, out);
	json_decref(entry);
}

/* 409 naming the users when a policy uses the ruleset / a cluster the policy. */
static int unused(const struct console_snapshot *s, enum console_kind k, const char *name,
		  struct console_reply *out)
{
	json_t *users = console_view_users(s, k, name);
	char msg[1024];
	size_t n = users ? json_array_size(users) : 0, len;

	if (n == 0)
		return json_decref(users), 0;
	len = (size_t)snprintf(msg, sizeof(msg), "%s '%s' is used by %s", console_kind_single[k], name,
			       k == CONSOLE_RULESETS ? (n > 1 ? "policies" : "policy") : (n > 1 ? "clusters" : "cluster"));
	for (size_t i = 0; i < n && len < sizeof(msg); i++)
		len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s '%s'", i ? "," : "",
					json_string_value(json_array_get(users, i)));
	if (len < sizeof(msg))
		snprintf(msg + len, sizeof(msg) - len, "; remove it from %s first",
			 k == CONSOLE_RULESETS ? (n > 1 ? "those policies" : "that policy")
					       : (n > 1 ? "those clusters" : "that cluster"));
	fail(out, 409, "name", msg, json_pack("{s:o}", k == CONSOLE_RULESETS ? "policies" : "clusters", users));
	return -1;
}

void console_api_delete(struct console_api *api, struct console_snapshot *s, enum console_kind k, const char *name,
			const struct console_call *call, struct console_reply *out)
{
	json_t *errors = NULL;
	char path[2048], err[512];
	int rc;

	if (changeable(s, k, name, out) || unused(s, k, name, out))
		goto done;
	if (console_store_path(api->store, k, name, path, sizeof(path))) {
		fail(out, 500, NULL, "name too long for the store", NULL);
		goto done;
	}
	rc = console_validate(api->cfg, api->store, path, NULL, &errors, err, sizeof(err));
	if (rc == 1)
		fail(out, 409, "name", json_string_value(json_object_get(json_array_get(errors, 0), "error")),
		     json_pack("{s:O}", "errors", errors));
	else if (rc < 0)
		fail(out, 500, NULL, err, NULL);
	else if (call->dry_run)
		dry_run_ok(out);
	else
		store(api, s, k, name, NULL, 204, out);
	json_decref(errors);
done:
	audit(api, call, DELETE, k, name, out);
}
