/* finding_info.attacks: MITRE ATT&CK objects of the matched rules. */
#include <stdio.h>
#include <string.h>

#include "verdict_format_json.h"
#include "verdict_ocsf.h"
#include "verdict_ocsf_internal.h"

static const struct {
	const char *uid, *name;
} enterprise_tactics[] = {
	{"TA0043", "Reconnaissance"},   {"TA0042", "Resource Development"}, {"TA0001", "Initial Access"},
	{"TA0002", "Execution"},        {"TA0003", "Persistence"},          {"TA0004", "Privilege Escalation"},
	{"TA0005", "Defense Evasion"},  {"TA0006", "Credential Access"},    {"TA0007", "Discovery"},
	{"TA0008", "Lateral Movement"}, {"TA0009", "Collection"},           {"TA0011", "Command and Control"},
	{"TA0010", "Exfiltration"},     {"TA0040", "Impact"},
};

const char *verdict_ocsf_tactic_name(const char *uid)
{
	for (size_t i = 0; i < sizeof(enterprise_tactics) / sizeof(enterprise_tactics[0]); i++)
		if (!strcmp(enterprise_tactics[i].uid, uid))
			return enterprise_tactics[i].name;
	return NULL;
}

static json_t *tactic(const char *uid)
{
	char url[96];

	if (!*uid)
		return json_null();
	snprintf(url, sizeof(url), "https://attack.mitre.org/tactics/%s/", uid);
	return json_pack("{s:s, s:s*, s:s}", "uid", uid, "name", verdict_ocsf_tactic_name(uid), "src_url", url);
}

/* "T1059.004": technique T1059 and sub-technique T1059.004; "T1059": the
 * technique alone. */
static int add_techniques(json_t *attack, const char *id)
{
	char base[32], url[128];
	const char *dot = strchr(id, '.');
	int n = dot ? (int)(dot - id) : (int)strlen(id);

	if (!*id)
		return 0;
	snprintf(base, sizeof(base), "%.*s", n, id);
	snprintf(url, sizeof(url), "https://attack.mitre.org/techniques/%s/", base);
	if (json_object_set_new(attack, "technique", json_pack("{s:s, s:s}", "uid", base, "src_url", url)))
		return -1;
	if (!dot)
		return 0;
	snprintf(url, sizeof(url), "https://attack.mitre.org/techniques/%s/%s/", base, dot + 1);
	return json_object_set_new(attack, "sub_technique", json_pack("{s:s, s:s}", "uid", id, "src_url", url));
}

static json_t *attack(json_t *rule)
{
	const char *technique = json_string_value(json_object_get(rule, "technique"));
	const char *tactic_id = json_string_value(json_object_get(rule, "tactic"));
	json_t *a = json_object();

	if (a && (add_techniques(a, technique ? technique : "") ||
		  vf_set_opt(a, "tactic", tactic(tactic_id ? tactic_id : "")))) {
		json_decref(a);
		return NULL;
	}
	return a;
}

json_t *ocsf_attacks(json_t *rules)
{
	json_t *all = json_array(), *a;

	for (size_t i = 0; all && i < json_array_size(rules); i++) {
		a = attack(json_array_get(rules, i));
		if (a && json_object_size(a) == 0) {
			json_decref(a);
			continue;
		}
		if (json_array_append_new(all, a)) {
			json_decref(all);
			return NULL;
		}
	}
	return all;
}
