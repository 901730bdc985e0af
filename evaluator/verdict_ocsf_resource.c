/* device, resources and cloud: where the finding happened. */
#include <stdio.h>
#include <string.h>

#include "verdict_format_json.h"
#include "verdict_ocsf_internal.h"

json_t *ocsf_device(json_t *ej)
{
	const char *node = vf_str(ej, "node");

	return *node ? json_pack("{s:s, s:i, s:s}", "hostname", node, "type_id", 1, "type", "Server") : json_null();
}

/* arn:PARTITION:ecs:REGION:ACCOUNT:task/...: field i (0-based), "" if none. */
static void arn_field(const char *arn, int i, char *out, size_t n)
{
	const char *p = arn, *end;

	out[0] = '\0';
	if (strncmp(arn, "arn:", 4))
		return;
	for (; i > 0 && p; i--)
		p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL;
	if (!p)
		return;
	end = strchr(p, ':');
	snprintf(out, n, "%.*s", end ? (int)(end - p) : (int)strlen(p), p);
}

static json_t *labels(json_t *map)
{
	json_t *a = json_array(), *value;
	const char *key;

	json_object_foreach(map, key, value) {
		char kv[512];

		snprintf(kv, sizeof(kv), "%s=%s", key, json_string_value(value) ? json_string_value(value) : "");
		if (!a || json_array_append_new(a, json_string(kv))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *pod(json_t *w)
{
	return json_pack("{s:O, s:O, s:O, s:s, s:o, s:{s:O, s:O, s:O}}", "uid", json_object_get(w, "uid"), "name",
			 json_object_get(w, "name"), "namespace", json_object_get(w, "namespace"), "type",
			 "Kubernetes Pod", "labels", labels(json_object_get(w, "labels")), "data", "owner_kind",
			 json_object_get(w, "owner_kind"), "owner_name", json_object_get(w, "owner_name"),
			 "service_account", json_object_get(w, "service_account"));
}

static json_t *ecs_task(json_t *w)
{
	const char *arn = vf_str(w, "task_arn");
	char partition[32], region[32];

	arn_field(arn, 1, partition, sizeof(partition));
	arn_field(arn, 3, region, sizeof(region));
	return json_pack("{s:s, s:O, s:O, s:s, s:s, s:s, s:{s:O, s:O}}", "uid", arn, "name",
			 json_object_get(w, "family"), "namespace", json_object_get(w, "cluster"), "type", "ECS Task",
			 "cloud_partition", partition, "region", region, "data", "service",
			 json_object_get(w, "service"), "revision", json_object_get(w, "revision"));
}

json_t *ocsf_resources(const struct rp_verdict *v, json_t *ej)
{
	json_t *w = json_object_get(ej, "workload"), *r;
	const char *kind = vf_str(w, "kind");

	if (!strcmp(kind, "pod"))
		r = pod(w);
	else if (!strcmp(kind, "ecs_task"))
		r = ecs_task(w);
	else if (v->workload_id.len)
		r = json_pack("{s:o, s:s, s:s}", "uid", vf_view(v->workload_id), "name", vf_str(ej, "container.name"),
			      "type", "Container");
	else
		return json_null();
	return r ? json_pack("[o]", r) : NULL;
}

json_t *ocsf_cloud(json_t *ej)
{
	const char *arn = vf_str(ej, "workload.task_arn");
	char region[32], account[32];

	if (strcmp(vf_str(ej, "workload.kind"), "ecs_task"))
		return json_null();
	arn_field(arn, 3, region, sizeof(region));
	arn_field(arn, 4, account, sizeof(account));
	return json_pack("{s:s, s:s, s:{s:s}}", "provider", "AWS", "region", region, "account", "uid", account);
}
