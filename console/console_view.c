#include "console_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action_table.h"

static const char *const tactics[][2] = {
	{"TA0043", "Reconnaissance"},	 {"TA0042", "Resource Development"}, {"TA0001", "Initial Access"},
	{"TA0002", "Execution"},	 {"TA0003", "Persistence"},	     {"TA0004", "Privilege Escalation"},
	{"TA0005", "Defense Evasion"},	 {"TA0006", "Credential Access"},    {"TA0007", "Discovery"},
	{"TA0008", "Lateral Movement"},	 {"TA0009", "Collection"},	     {"TA0011", "Command and Control"},
	{"TA0010", "Exfiltration"},	 {"TA0040", "Impact"},
};

static const char *tactic_name(const char *id)
{
	for (size_t i = 0; i < sizeof(tactics) / sizeof(tactics[0]); i++)
		if (strcmp(tactics[i][0], id) == 0)
			return tactics[i][1];
	return id;
}

/* T1059.004 -> https://attack.mitre.org/techniques/T1059/004/ */
static json_t *technique_url(const char *t)
{
	char url[128];
	const char *dot = strchr(t, '.');

	if (dot)
		snprintf(url, sizeof(url), "https://attack.mitre.org/techniques/%.*s/%s/", (int)(dot - t), t, dot + 1);
	else
		snprintf(url, sizeof(url), "https://attack.mitre.org/techniques/%s/", t);
	return json_string(url);
}

static json_t *rule_json(const struct doc_rule *r)
{
	json_t *events = json_array();

	for (int t = 0; t < RP_EV__COUNT; t++)
		if (r->events & (1ull << t))
			json_array_append_new(events, json_string(rp_event_type_names[t]));
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:b}", "id", r->id, "name", r->name,
			 "description", r->description ? r->description : "", "technique", r->technique,
			 "technique_url", technique_url(r->technique), "tactic", r->tactic, "tactic_name",
			 tactic_name(r->tactic), "severity", rp_severity_names[r->severity], "events", events,
			 "enabled", r->enabled);
}

json_t *console_view_rules(const struct console_snapshot *s)
{
	json_t *out = json_array();

	for (size_t i = 0; out && i < s->doc->nrules; i++)
		json_array_append_new(out, rule_json(&s->doc->rules[i]));
	return out;
}

static json_t *labels_json(const struct doc_label *l, size_t n)
{
	json_t *o = json_object();
	for (size_t i = 0; o && i < n; i++)
		json_object_set_new(o, l[i].key, json_string(l[i].value));
	return o;
}

static bool policy_uses(const struct doc_policy *p, const char *ruleset)
{
	for (size_t i = 0; i < p->nrulesets; i++)
		if (strcmp(p->rulesets[i], ruleset) == 0)
			return true;
	return false;
}

json_t *console_view_users(const struct console_snapshot *s, enum console_kind k, const char *name)
{
	const struct rules_doc *d = s->doc;
	json_t *out = json_array();

	for (size_t i = 0; out && k == CONSOLE_RULESETS && i < d->npolicies; i++)
		if (policy_uses(&d->policies[i], name))
			json_array_append_new(out, json_string(d->policies[i].name));
	for (size_t i = 0; out && k == CONSOLE_POLICIES && i < d->nclusters; i++)
		if (strcmp(d->clusters[i].policy, name) == 0)
			json_array_append_new(out, json_string(d->clusters[i].name));
	return out;
}

static json_t *ecs_json(const struct rules_doc *d, const char *ruleset)
{
	json_t *out = json_array();
	char why_iso[256], why_term[256];

	for (size_t i = 0; out && i < d->nclusters; i++) {
		const struct doc_cluster *c = &d->clusters[i];
		const struct doc_policy *p = doc_find_policy(d, c->policy);
		if (c->orchestrator != RP_ORCH_ECS || !p || !policy_uses(p, ruleset))
			continue;
		enum rp_action iso = action_effective(RP_ORCH_ECS, c->version, RP_ACTION_ISOLATE, why_iso, sizeof(why_iso));
		enum rp_action term = action_effective(RP_ORCH_ECS, c->version, RP_ACTION_TERMINATE, why_term, sizeof(why_term));
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "cluster", c->name,
						     "policy", p->name, "protection_version",
						     c->protection_version ? c->protection_version : "", "isolate",
						     rp_action_names[iso], "terminate", rp_action_names[term],
						     "isolate_reason", why_iso, "terminate_reason", why_term));
	}
	return out;
}

static json_t *ruleset_json(const struct console_snapshot *s, const struct doc_ruleset *r)
{
	json_t *rules = json_array();
	size_t enabled = 0;

	for (size_t i = 0; rules && i < r->nrules; i++) {
		enabled += r->rules[i].enabled;
		json_array_append_new(rules, json_pack("{s:s, s:b, s:s}", "id", r->rules[i].id, "enabled",
						       r->rules[i].enabled, "action",
						       rp_action_names[r->rules[i].action]));
	}
	return json_pack("{s:s, s:s, s:o, s:o, s:I, s:o, s:o}", "name", r->name, "description",
			 r->description ? r->description : "", "labels", labels_json(r->labels, r->nlabels), "rules",
			 rules, "enabled_rules", (json_int_t)enabled, "policies",
			 console_view_users(s, CONSOLE_RULESETS, r->name), "ecs", ecs_json(s->doc, r->name));
}

static json_t *policy_json(const struct console_snapshot *s, const struct doc_policy *p)
{
	json_t *rulesets = json_array();

	for (size_t i = 0; rulesets && i < p->nrulesets; i++)
		json_array_append_new(rulesets, json_string(p->rulesets[i]));
	return json_pack("{s:s, s:s, s:o, s:o}", "name", p->name, "description", p->description ? p->description : "",
			 "rulesets", rulesets, "clusters", console_view_users(s, CONSOLE_POLICIES, p->name));
}

static json_t *cluster_json(const struct doc_cluster *c)
{
	return json_pack("{s:s, s:s, s:o, s:s, s:s}", "name", c->name, "orchestrator",
			 rp_orchestrator_names[c->orchestrator], "labels", labels_json(c->labels, c->nlabels), "policy",
			 c->policy, "protection_version", c->protection_version ? c->protection_version : "");
}

json_t *console_view_entry(const struct console_snapshot *s, enum console_kind k, const char *name)
{
	const struct doc_ruleset *r;
	const struct doc_policy *p;
	const struct doc_cluster *c;
	json_t *o = NULL;

	if (k == CONSOLE_RULESETS && (r = doc_find_ruleset(s->doc, name)))
		o = ruleset_json(s, r);
	else if (k == CONSOLE_POLICIES && (p = doc_find_policy(s->doc, name)))
		o = policy_json(s, p);
	else if (k == CONSOLE_CLUSTERS && (c = doc_find_cluster(s->doc, name)))
		o = cluster_json(c);
	if (o && (json_object_set_new(o, "managed", json_boolean(console_snapshot_managed(s, k, name))) ||
		  json_object_set_new(o, "source", json_string(console_snapshot_source(s, k, name))))) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

json_t *console_view_list(const struct console_snapshot *s, enum console_kind k)
{
	const struct rules_doc *d = s->doc;
	size_t n = k == CONSOLE_RULESETS ? d->nrulesets : k == CONSOLE_POLICIES ? d->npolicies : d->nclusters;
	const char **names = calloc(n ? n : 1, sizeof(*names));
	json_t *out = names ? json_array() : NULL;

	for (size_t i = 0; names && i < n; i++)
		names[i] = k == CONSOLE_RULESETS ? d->rulesets[i].name
			   : k == CONSOLE_POLICIES ? d->policies[i].name : d->clusters[i].name;
	if (names)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; out && i < n; i++) {
		json_t *e = console_view_entry(s, k, names[i]);
		if (!e || json_array_append_new(out, e)) {
			json_decref(out);
			out = NULL;
		}
	}
	free(names);
	return out;
}
