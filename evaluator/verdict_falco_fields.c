/* A Falco alert's output_fields: Falco's field names, rampart's values. */
#include <stdlib.h>
#include <string.h>

#include "verdict_falco_internal.h"
#include "verdict_format_json.h"

/* The string at path, JSON null when empty (Falco's "not available"). */
static json_t *or_null(json_t *vj, const char *path)
{
	const char *s = vf_str(vj, path);

	return *s ? json_string(s) : json_null();
}

/* proc.cmdline: the process name, then its arguments after argv[0]. */
static json_t *cmdline(json_t *vj)
{
	char *args = vf_join(vf_get(vj, "process.args"), 1, ' ');
	const char *comm = vf_str(vj, "process.comm");
	size_t n = strlen(comm) + (args ? strlen(args) : 0) + 2;
	char *line = args ? malloc(n) : NULL;
	json_t *j = NULL;

	if (line) {
		strcpy(line, comm);
		if (*args)
			strcat(strcat(line, " "), args);
		j = json_string(line);
	}
	free(line);
	free(args);
	return j;
}

static json_t *k8s_fields(const struct rp_verdict *v, json_t *vj)
{
	int pod = v->event.workload_kind == RP_WORKLOAD_POD;

	return json_pack("{s:o, s:o, s:o}", "k8s.ns.name", pod ? or_null(vj, "workload.namespace") : json_null(),
			 "k8s.pod.name", pod ? or_null(vj, "workload.name") : json_null(), "k8s.pod.uid",
			 pod ? or_null(vj, "workload.uid") : json_null());
}

static json_t *container_fields(json_t *vj)
{
	int host = !*vf_str(vj, "container.id");

	return json_pack("{s:o, s:o, s:o, s:o}", "container.id",
			 host ? json_string("host") : or_null(vj, "container.id"), "container.name",
			 host ? json_string("host") : or_null(vj, "container.name"),
			 "container.image", or_null(vj, "container.image"), "container.image.digest",
			 or_null(vj, "container.image_digest"));
}

static json_t *proc_fields(const struct rp_verdict *v, json_t *vj)
{
	const struct rp_process *p = &v->event.process;

	return json_pack("{s:O, s:O, s:o, s:i, s:i, s:o, s:o, s:i, s:I, s:o}", "proc.name",
			 vf_get(vj, "process.comm"), "proc.exepath", vf_get(vj, "process.exe"), "proc.cmdline",
			 cmdline(vj), "proc.pid", (int)p->pid, "proc.ppid", (int)p->ppid, "proc.pname",
			 or_null(vj, "process.parent_comm"), "proc.cwd", or_null(vj, "process.cwd"), "user.uid",
			 (int)p->uid, "user.loginuid", (json_int_t)p->loginuid, "fd.name",
			 or_null(vj, "event.touched"));
}

static json_t *rampart_fields(json_t *vj, json_t *rule, const char *ids)
{
	return json_pack("{s:O, s:s, s:O, s:O, s:O, s:O}", "rampart.rule.id", json_object_get(rule, "id"),
			 "rampart.rules", ids, "rampart.ruleset", json_object_get(rule, "ruleset"), "rampart.policy",
			 json_object_get(vj, "policy"), "rampart.action", vf_get(vj, "action.effective"),
			 "rampart.requested_action", vf_get(vj, "action.requested"));
}

json_t *falco_output_fields(const struct rp_verdict *v, json_t *vj, json_t *rule, const char *ids)
{
	json_t *f = json_pack("{s:I, s:O}", "evt.time", (json_int_t)v->event.time_ns, "evt.type",
			      vf_get(vj, "event.syscall"));
	json_t *parts[] = {container_fields(vj), k8s_fields(v, vj), proc_fields(v, vj),
			   rule ? rampart_fields(vj, rule, ids) : json_object()};
	int rc = f ? 0 : -1;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (!rc && (!parts[i] || json_object_update(f, parts[i])))
			rc = -1;
		json_decref(parts[i]);
	}
	if (rc) {
		json_decref(f);
		return NULL;
	}
	return f;
}
