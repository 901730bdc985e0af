#include "verdict_ocsf.h"

#include <string.h>

#include "verdict_format_json.h"
#include "verdict_json.h"
#include "verdict_ocsf_internal.h"

#ifndef RP_PRODUCT_VERSION
#define RP_PRODUCT_VERSION "0.0.0"
#endif

struct ocsf_enum verdict_ocsf_severity(enum rp_severity s)
{
	static const struct ocsf_enum map[RP_SEV__COUNT] = {
		[RP_SEV_INFO] = {1, "Informational"}, [RP_SEV_LOW] = {2, "Low"}, [RP_SEV_MEDIUM] = {3, "Medium"},
		[RP_SEV_HIGH] = {4, "High"}, [RP_SEV_CRITICAL] = {5, "Critical"},
	};

	return (unsigned)s < RP_SEV__COUNT ? map[s] : (struct ocsf_enum){0, "Unknown"};
}

void verdict_ocsf_action(enum rp_action a, struct ocsf_enum *action, struct ocsf_enum *disposition)
{
	switch (a) {
	case RP_ACTION_LOG:
		*action = (struct ocsf_enum){3, "Observed"}, *disposition = (struct ocsf_enum){17, "Logged"};
		return;
	case RP_ACTION_ISOLATE:
		*action = (struct ocsf_enum){2, "Denied"}, *disposition = (struct ocsf_enum){4, "Isolated"};
		return;
	case RP_ACTION_TERMINATE:
		*action = (struct ocsf_enum){2, "Denied"}, *disposition = (struct ocsf_enum){2, "Blocked"};
		return;
	default:
		*action = (struct ocsf_enum){0, "Unknown"}, *disposition = (struct ocsf_enum){0, "Unknown"};
	}
}

static json_t *analytic(json_t *rule)
{
	return json_pack("{s:O, s:O, s:i, s:s}", "uid", json_object_get(rule, "id"), "name",
			 json_object_get(rule, "name"), "type_id", 1, "type", "Rule");
}

static json_t *related_analytics(json_t *rules, size_t primary)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < json_array_size(rules); i++)
		if (i != primary && json_array_append_new(a, analytic(json_array_get(rules, i)))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *finding_info(const struct rp_verdict *v, json_t *vj)
{
	const struct rp_rule_match *p = vf_primary(v);
	size_t primary = p ? (size_t)(p - v->matches) : 0;
	json_t *rules = json_object_get(vj, "rules"), *rule = json_array_get(rules, primary), *fi;
	char type[64];
	json_int_t seen = v->event.time_ns / 1000000;

	snprintf(type, sizeof(type), "runtime/%s", vf_str(vj, "event.type"));
	fi = json_pack("{s:O, s:s, s:s, s:[s], s:I, s:I, s:I, s:o}", "uid", json_object_get(vj, "verdict_id"),
		       "title", vf_str(rule, "name"), "desc", vf_str(rule, "output"), "types", type, "created_time",
		       (json_int_t)(v->time_ns / 1000000), "first_seen_time", seen, "last_seen_time", seen, "attacks",
		       ocsf_attacks(rules));
	if (fi && (vf_set_opt(fi, "analytic", rule ? analytic(rule) : json_null()) ||
		   vf_set_opt(fi, "related_analytics",
			      v->nmatches > 1 ? related_analytics(rules, primary) : json_null()))) {
		json_decref(fi);
		return NULL;
	}
	return fi;
}

static json_t *metadata(json_t *vj, const struct rp_verdict *v)
{
	int ecs = v->event.workload_kind == RP_WORKLOAD_ECS_TASK;

	return json_pack("{s:s, s:{s:s, s:s, s:s, s:{s:s}}, s:[s, s, s, s*], s:O, s:I, s:I}", "version",
			 VERDICT_OCSF_VERSION, "product", "name", "rampart", "vendor_name", "rampart", "version",
			 RP_PRODUCT_VERSION, "feature", "name", "evaluator", "profiles", "host", "security_control",
			 "container", ecs ? "cloud" : NULL, "uid", json_object_get(vj, "verdict_id"), "logged_time",
			 (json_int_t)(v->time_ns / 1000000), "sequence", (json_int_t)v->event.sequence);
}

static json_t *unmapped(const struct rp_verdict *v, json_t *vj)
{
	return json_pack("{s:o, s:O, s:O, s:O, s:O, s:O, s:O}", "workload_id",
			 vf_view(v->workload_id), "cluster", json_object_get(vj, "cluster"),
			 "orchestrator", json_object_get(vj, "orchestrator"), "policy", json_object_get(vj, "policy"),
			 "action", json_object_get(vj, "action"), "rules", json_object_get(vj, "rules"), "event",
			 json_object_get(vj, "event"));
}

/* The class, its activity and the outcome: what every finding carries. */
static json_t *classification(const struct rp_verdict *v, json_t *vj)
{
	struct ocsf_enum sev = verdict_ocsf_severity(verdict_severity(v)), act, disp;
	const struct rp_rule_match *p = vf_primary(v);
	json_t *rule = json_array_get(json_object_get(vj, "rules"), p ? (size_t)(p - v->matches) : 0);

	verdict_ocsf_action(v->effective_action, &act, &disp);
	return json_pack("{s:i, s:s, s:i, s:s, s:i, s:s, s:i, s:s, s:I, s:i, s:s, s:i, s:s, s:b, s:s, s:i, s:s, "
			 "s:i, s:s}",
			 "class_uid", 2004, "class_name", "Detection Finding", "category_uid", 2, "category_name",
			 "Findings", "activity_id", 1, "activity_name", "Create", "type_uid", 200401, "type_name",
			 "Detection Finding: Create", "time", (json_int_t)(v->time_ns / 1000000), "severity_id", sev.id,
			 "severity", sev.caption, "status_id", 1, "status", "New", "is_alert", 1, "message",
			 vf_str(rule, "output"), "action_id", act.id, "action", act.caption, "disposition_id",
			 disp.id, "disposition", disp.caption);
}

static json_t *finding(const struct rp_verdict *v, json_t *vj, json_t *ej)
{
	json_t *f = classification(v, vj);

	if (!f || json_object_set_new(f, "finding_info", finding_info(v, vj)) ||
	    json_object_set_new(f, "metadata", metadata(vj, v)) || vf_set_opt(f, "device", ocsf_device(ej)) ||
	    json_object_set_new(f, "actor", ocsf_actor(&v->event, ej)) ||
	    json_object_set_new(f, "evidences", ocsf_evidences(&v->event, ej)) ||
	    vf_set_opt(f, "resources", ocsf_resources(v, ej)) || vf_set_opt(f, "cloud", ocsf_cloud(ej)) ||
	    json_object_set_new(f, "unmapped", unmapped(v, vj))) {
		json_decref(f);
		return NULL;
	}
	return f;
}

json_t *verdict_ocsf(const struct rp_verdict *v)
{
	json_t *vj = verdict_json(v), *ej = event_to_json(&v->event), *f = NULL;

	if (vj && ej)
		f = finding(v, vj, ej);
	json_decref(vj);
	json_decref(ej);
	return f;
}
