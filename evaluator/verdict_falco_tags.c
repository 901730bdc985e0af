/* The rules' own tags on a Falco alert, looked up in the rule documents. */
#include <string.h>

#include "verdict_falco.h"

static const struct doc_rule *find_rule(const struct rules_doc *doc, const char *id, size_t len)
{
	for (size_t i = 0; i < doc->nrules; i++)
		if (strlen(doc->rules[i].id) == len && !strncmp(doc->rules[i].id, id, len))
			return &doc->rules[i];
	return NULL;
}

static int add_tags(json_t *tags, const struct doc_rule *r)
{
	for (size_t i = 0; i < r->ntags; i++) {
		size_t j;
		json_t *t;
		int present = 0;

		json_array_foreach(tags, j, t)
			present |= !strcmp(json_string_value(t), r->tags[i]);
		if (!present && json_array_append_new(tags, json_string(r->tags[i])))
			return -1;
	}
	return 0;
}

int verdict_falco_add_rule_tags(json_t *alert, const struct rules_doc *doc)
{
	/* "rampart.rules" has dots in its name: no dotted path (vf_get) for it. */
	const char *ids = json_string_value(json_object_get(json_object_get(alert, "output_fields"), "rampart.rules"));
	json_t *tags = json_object_get(alert, "tags");
	const char *p;
	if (!doc || !ids || !json_is_array(tags))
		return 0;
	for (p = ids; *p; p += *p == ',') {
		size_t n = strcspn(p, ",");
		const struct doc_rule *r = find_rule(doc, p, n);

		if (r && add_tags(tags, r))
			return -1;
		p += n;
	}
	return 0;
}
