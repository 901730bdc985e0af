/* Catalog entries: `lists`, `macros` and `rules` sequences of a file. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"

static bool matches(const char *re, const char *s)
{
	regex_t r;
	bool ok = false;
	if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB) == 0) {
		ok = regexec(&r, s, 0, NULL, 0) == 0;
		regfree(&r);
	}
	return ok;
}

static void list_entry(struct ywalk *w, const char *key, yaml_node_t *v, void *ctx)
{
	struct doc_list *l = ctx;
	if (strcmp(key, "name") == 0)
		l->name = yw_str(w, v, "list name");
	else if (strcmp(key, "append") == 0)
		yw_bool(w, v, "list append", &l->append);
	else if (strcmp(key, "items") == 0) {
		if (v->type == YAML_SEQUENCE_NODE && v->data.sequence.items.start == v->data.sequence.items.top)
			return; /* an empty list is allowed */
		l->items = yw_strlist(w, v, "list items", &l->nitems);
	}
}

void doc_lists(struct ywalk *w, yaml_node_t *seq, struct rules_doc *doc)
{
	static const char *const keys[] = {"name", "items", "append", NULL};
	static const char *const req[] = {"name", "items", NULL};
	size_t cap = doc->nlists;

	if (!yw_is_seq(w, seq, "lists"))
		return;
	for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *e = yw_node(w, *it);
		struct doc_list l = {0};
		l.pos = yw_pos(w, e);
		if (yw_map(w, e, "list", keys, req, list_entry, &l) && l.name &&
		    yw_grow(&doc->lists, &cap, doc->nlists, sizeof(l)) == 0) {
			doc->lists[doc->nlists++] = l;
			continue;
		}
		doc_list_free(&l);
	}
}

static void macro_entry(struct ywalk *w, const char *key, yaml_node_t *v, void *ctx)
{
	struct doc_macro *m = ctx;
	if (strcmp(key, "name") == 0) {
		m->name = yw_str(w, v, "macro name");
		if (m->name && !matches("^[a-z_][a-z0-9_]*$", m->name))
			diag_add(w->d, yw_pos(w, v), "macro name '%s' must match ^[a-z_][a-z0-9_]*$", m->name);
	} else if (strcmp(key, "condition") == 0)
		yw_text(w, v, "macro condition", &m->cond);
}

void doc_macros(struct ywalk *w, yaml_node_t *seq, struct rules_doc *doc)
{
	static const char *const keys[] = {"name", "condition", NULL};
	size_t cap = doc->nmacros;

	if (!yw_is_seq(w, seq, "macros"))
		return;
	for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *e = yw_node(w, *it);
		struct doc_macro m = {0};
		m.pos = yw_pos(w, e);
		if (yw_map(w, e, "macro", keys, keys, macro_entry, &m) && m.name && m.cond.text &&
		    yw_grow(&doc->macros, &cap, doc->nmacros, sizeof(m)) == 0) {
			doc->macros[doc->nmacros++] = m;
			continue;
		}
		doc_macro_free(&m);
	}
}

static void rule_events(struct ywalk *w, yaml_node_t *v, struct doc_rule *r)
{
	if (!yw_is_seq(w, v, "rule events"))
		return;
	if (v->data.sequence.items.start == v->data.sequence.items.top)
		diag_add(w->d, yw_pos(w, v), "expected at least one event type in rule events");
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		/* index 0 is "unknown", which no rule may ask for */
		int t = yw_enum(w, yw_node(w, *it), "event type", rp_event_type_names + 1, RP_EV__COUNT - 1);
		if (t >= 0)
			r->events |= 1ull << (t + 1);
	}
}

static char *checked(struct ywalk *w, yaml_node_t *v, const char *what, const char *re, const char *example)
{
	char *s = yw_str(w, v, what);
	if (s && !matches(re, s))
		diag_add(w->d, yw_pos(w, v), "invalid %s '%s' (expected %s, e.g. %s)", what, s, re, example);
	return s;
}

static void rule_entry(struct ywalk *w, const char *key, yaml_node_t *v, void *ctx)
{
	struct doc_rule *r = ctx;
	int i;
	if (strcmp(key, "id") == 0)
		r->id = checked(w, v, "rule id", "^[A-Z][A-Z0-9_]*[0-9]+$", "RP1001");
	else if (strcmp(key, "name") == 0)
		r->name = yw_str(w, v, "rule name");
	else if (strcmp(key, "description") == 0)
		r->description = yw_str(w, v, "rule description");
	else if (strcmp(key, "technique") == 0)
		r->technique = checked(w, v, "MITRE technique", "^T[0-9]{4}(\\.[0-9]{3})?$", "T1059.004");
	else if (strcmp(key, "tactic") == 0)
		r->tactic = checked(w, v, "MITRE tactic", "^TA[0-9]{4}$", "TA0002");
	else if (strcmp(key, "severity") == 0) {
		if ((i = yw_enum(w, v, "severity", rp_severity_names, RP_SEV__COUNT)) >= 0)
			r->severity = (enum rp_severity)i;
	} else if (strcmp(key, "events") == 0)
		rule_events(w, v, r);
	else if (strcmp(key, "condition") == 0)
		yw_text(w, v, "rule condition", &r->cond);
	else if (strcmp(key, "output") == 0)
		yw_text(w, v, "rule output", &r->output);
	else if (strcmp(key, "tags") == 0)
		r->tags = yw_strlist(w, v, "rule tags", &r->ntags);
	else if (strcmp(key, "enabled") == 0)
		yw_bool(w, v, "rule enabled", &r->enabled);
}

void doc_rules(struct ywalk *w, yaml_node_t *seq, struct rules_doc *doc)
{
	static const char *const keys[] = {"id", "name", "description", "technique", "tactic", "severity",
					   "events", "condition", "output", "tags", "enabled", NULL};
	static const char *const req[] = {"id", "name", "technique", "tactic", "severity", "events",
					  "condition", "output", NULL};
	size_t cap = doc->nrules;

	if (!yw_is_seq(w, seq, "rules"))
		return;
	for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *e = yw_node(w, *it);
		struct doc_rule r = {.enabled = true};
		r.pos = yw_pos(w, e);
		if (yw_map(w, e, "rule", keys, req, rule_entry, &r) && r.id && r.name && r.cond.text &&
		    r.output.text && r.technique && r.tactic && r.events &&
		    yw_grow(&doc->rules, &cap, doc->nrules, sizeof(r)) == 0) {
			doc->rules[doc->nrules++] = r;
			continue;
		}
		doc_rule_free(&r);
	}
}
