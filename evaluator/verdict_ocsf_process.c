/* actor and evidences: the acting process, its container and what the
 * event touched. */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict_format_json.h"
#include "verdict_ocsf_internal.h"

/* OCSF file: name and type_id are required; absent without a path. */
static json_t *file(const char *path, bool regular)
{
	const char *slash = strrchr(path, '/');

	if (!*path)
		return json_null();
	return json_pack("{s:s, s:s, s:i, s:s}", "name", slash && slash[1] ? slash + 1 : path, "path", path,
			 "type_id", regular ? 1 : 0, "type", regular ? "Regular File" : "Unknown");
}

static json_t *parent(const struct rp_process *p, json_t *pj)
{
	json_t *o;

	if (p->ppid <= 0)
		return json_null();
	o = json_pack("{s:i, s:s}", "pid", (int)p->ppid, "name", vf_str(pj, "parent_comm"));
	if (o && vf_set_opt(o, "file", file(vf_str(pj, "parent_exe"), true))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *process(const struct rp_process *p, json_t *pj)
{
	char uid[16];
	char *cmd = vf_join(json_object_get(pj, "args"), 0, ' ');
	json_t *o = NULL;

	snprintf(uid, sizeof(uid), "%d", (int)p->uid);
	if (cmd)
		o = json_pack("{s:i, s:s, s:s, s:{s:s}}", "pid", (int)p->pid, "name", vf_str(pj, "comm"), "cmd_line",
			      cmd, "user", "uid", uid);
	free(cmd);
	if (o && (vf_set_opt(o, "tid", p->tid > 0 ? json_integer(p->tid) : json_null()) ||
		  vf_set_opt(o, "file", file(vf_str(pj, "exe"), true)) ||
		  vf_set_opt(o, "working_directory", vf_nonempty(pj, "cwd")) ||
		  vf_set_opt(o, "created_time", p->start_time_ns > 0 ? json_integer(p->start_time_ns / 1000000)
								      : json_null()) ||
		  vf_set_opt(o, "parent_process", parent(p, pj)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *ocsf_actor(const struct rp_event *ev, json_t *ej)
{
	json_t *p = process(&ev->process, json_object_get(ej, "process"));

	return p ? json_pack("{s:o, s:O}", "process", p, "user", json_object_get(p, "user")) : NULL;
}

/* Kubernetes pod uids are UUIDs; OCSF's pod_uuid must be one. */
static bool is_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == '-' ? s[i] != '-' : !strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	return true;
}

static json_t *image(json_t *cj)
{
	const char *name = vf_str(cj, "image"), *digest = vf_str(cj, "image_digest");

	if (!*name && !*digest)
		return json_null();
	return json_pack("{s:s, s:s}", "name", name, "uid", *digest ? digest : name);
}

static json_t *container(const struct rp_event *ev, json_t *ej)
{
	static const char *const orchestrators[RP_ORCH__COUNT] = {[RP_ORCH_KUBERNETES] = "Kubernetes",
								   [RP_ORCH_ECS] = "ECS"};
	json_t *cj = json_object_get(ej, "container"), *o;
	const char *pod_uid = ev->workload_kind == RP_WORKLOAD_POD ? vf_str(ej, "workload.uid") : "";

	if (!*vf_str(cj, "id") && !*vf_str(cj, "name"))
		return json_null();
	o = json_pack("{s:O, s:O}", "uid", json_object_get(cj, "id"), "name", json_object_get(cj, "name"));
	if (o && (vf_set_opt(o, "image", image(cj)) || vf_set_opt(o, "runtime", vf_nonempty(cj, "runtime")) ||
		  vf_set_opt(o, "orchestrator", (unsigned)ev->orchestrator < RP_ORCH__COUNT &&
							 orchestrators[ev->orchestrator]
						 ? json_string(orchestrators[ev->orchestrator])
						 : json_null()) ||
		  vf_set_opt(o, "pod_uuid", is_uuid(pod_uid) ? json_string(pod_uid) : json_null()))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* A remote address that is an IP (OCSF checks the form). */
static json_t *endpoint(const struct rp_event *ev, json_t *args)
{
	const char *addr = vf_str(args, "remote_addr");
	unsigned char bin[16];

	if (ev->args_kind != RP_ARGS_NET || (inet_pton(AF_INET, addr, bin) != 1 && inet_pton(AF_INET6, addr, bin) != 1))
		return json_null();
	return json_pack("{s:s, s:i}", "ip", addr, "port", (int)ev->args.net.remote_port);
}

json_t *ocsf_evidences(const struct rp_event *ev, json_t *ej)
{
	json_t *args = vf_get(ej, "event.args");
	json_t *e = json_pack("{s:o}", "process", process(&ev->process, json_object_get(ej, "process")));
	bool touched_file = ev->args_kind == RP_ARGS_FILE;

	if (e && (vf_set_opt(e, "container", container(ev, ej)) ||
		  vf_set_opt(e, "file", touched_file ? file(vf_str(args, "path"), false) : json_null()) ||
		  vf_set_opt(e, "dst_endpoint", endpoint(ev, args)))) {
		json_decref(e);
		return NULL;
	}
	return e ? json_pack("[o]", e) : NULL;
}
