#include "verdict_falco.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verdict_falco_internal.h"
#include "verdict_format_json.h"
#include "verdict_json.h"

const char *verdict_falco_priority(enum rp_severity s)
{
	static const char *const names[RP_SEV__COUNT] = {
		[RP_SEV_INFO] = "Informational", [RP_SEV_LOW] = "Notice", [RP_SEV_MEDIUM] = "Warning",
		[RP_SEV_HIGH] = "Error", [RP_SEV_CRITICAL] = "Critical",
	};

	return (unsigned)s < RP_SEV__COUNT ? names[s] : "Debug";
}

/* Falco's own output line: "HH:MM:SS.nnnnnnnnn: Priority text". */
static char *falco_output(int64_t time_ns, const char *priority, const char *text)
{
	int64_t frac = ((time_ns % 1000000000) + 1000000000) % 1000000000;
	time_t secs = (time_t)((time_ns - frac) / 1000000000);
	struct tm tm;
	size_t n = strlen(priority) + strlen(text) + 48;
	char *out = malloc(n);

	if (!out)
		return NULL;
	gmtime_r(&secs, &tm);
	snprintf(out, n, "%02d:%02d:%02d.%09lld: %s %s", tm.tm_hour, tm.tm_min, tm.tm_sec, (long long)frac, priority,
		 text);
	return out;
}

static int add_tag(json_t *tags, const char *tag)
{
	size_t i;
	json_t *t;

	if (!*tag)
		return 0;
	json_array_foreach(tags, i, t)
		if (!strcmp(json_string_value(t), tag))
			return 0;
	return json_array_append_new(tags, json_string(tag));
}

static json_t *mitre_tags(json_t *rules)
{
	json_t *tags = json_array(), *r;
	size_t i;

	json_array_foreach(rules, i, r)
		if (!tags || add_tag(tags, vf_str(r, "technique")) || add_tag(tags, vf_str(r, "tactic"))) {
			json_decref(tags);
			return NULL;
		}
	return tags;
}

/* Every matched rule id, comma-separated (malloc'd). */
static char *rule_ids(json_t *rules)
{
	json_t *ids = json_array(), *r;
	size_t i;
	char *joined;

	json_array_foreach(rules, i, r)
		if (!ids || json_array_append(ids, json_object_get(r, "id"))) {
			json_decref(ids);
			return NULL;
		}
	joined = vf_join(ids, 0, ',');
	json_decref(ids);
	return joined;
}

static json_t *alert(const struct rp_verdict *v, json_t *vj)
{
	const struct rp_rule_match *p = vf_primary(v);
	json_t *rules = json_object_get(vj, "rules"), *rule = json_array_get(rules, p ? (size_t)(p - v->matches) : 0);
	const char *priority = verdict_falco_priority(verdict_severity(v));
	char *output = falco_output(v->event.time_ns, priority, vf_str(rule, "output")), *ids = rule_ids(rules);
	json_t *a = NULL;

	if (output && ids)
		a = json_pack("{s:O, s:s, s:s, s:s, s:O, s:s, s:O, s:o, s:o}", "uuid",
			      json_object_get(vj, "verdict_id"), "rule", vf_str(rule, "name"), "priority", priority,
			      "output", output, "time", vf_get(vj, "event.time"), "source", "syscall", "hostname",
			      json_object_get(vj, "node"), "tags", mitre_tags(rules), "output_fields",
			      falco_output_fields(v, vj, rule, ids));
	free(output);
	free(ids);
	return a;
}

json_t *verdict_falco(const struct rp_verdict *v)
{
	json_t *vj = verdict_json(v), *a = vj ? alert(v, vj) : NULL;

	json_decref(vj);
	return a;
}
