/* What spans files: unique names, list appends, references between
 * rulesets, policies and clusters. Also lookups and version arithmetic. */
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"

#define FIND(arr, n, field, key)                                   \
	for (size_t i_ = 0; i_ < (n); i_++)                        \
		if (strcmp((arr)[i_].field, (key)) == 0)           \
			return &(arr)[i_];                         \
	return NULL

const struct doc_rule *doc_find_rule(const struct rules_doc *doc, const char *id) { FIND(doc->rules, doc->nrules, id, id); }
const struct doc_ruleset *doc_find_ruleset(const struct rules_doc *doc, const char *name) { FIND(doc->rulesets, doc->nrulesets, name, name); }
const struct doc_policy *doc_find_policy(const struct rules_doc *doc, const char *name) { FIND(doc->policies, doc->npolicies, name, name); }
const struct doc_cluster *doc_find_cluster(const struct rules_doc *doc, const char *name) { FIND(doc->clusters, doc->nclusters, name, name); }

/* Reports the second of two equal names; stride walks any doc_* array whose
 * name is a char * at name_off and position at pos_off. */
static void unique(const void *arr, size_t n, size_t stride, size_t name_off, size_t pos_off, const char *what,
		   struct diag *d)
{
	const char *base = arr;
	for (size_t i = 1; i < n; i++) {
		const char *a = *(char *const *)(base + i * stride + name_off);
		for (size_t j = 0; j < i; j++) {
			const char *b = *(char *const *)(base + j * stride + name_off);
			if (strcmp(a, b) != 0)
				continue;
			const struct src_pos *pa = (const void *)(base + i * stride + pos_off);
			const struct src_pos *pb = (const void *)(base + j * stride + pos_off);
			diag_add(d, *pa, "duplicate %s '%s' (first defined at %s:%u:%u)", what, a, pb->file, pb->line,
				 pb->col);
			break;
		}
	}
}

#define UNIQUE(arr, n, T, field, what) \
	unique(arr, n, sizeof(T), offsetof(T, field), offsetof(T, pos), what, d)

static void check_lists(const struct rules_doc *doc, struct diag *d)
{
	for (size_t i = 0; i < doc->nlists; i++) {
		const struct doc_list *l = &doc->lists[i];
		bool base = false;
		for (size_t j = 0; j < doc->nlists && !base; j++)
			base = j != i && !doc->lists[j].append && strcmp(doc->lists[j].name, l->name) == 0;
		if (l->append && !base)
			diag_add(d, l->pos, "append to unknown list '%s' (expected a list defined without append)",
				 l->name);
		if (!l->append)
			for (size_t j = 0; j < i; j++)
				if (!doc->lists[j].append && strcmp(doc->lists[j].name, l->name) == 0) {
					diag_add(d, l->pos, "duplicate list '%s' (first defined at %s:%u:%u; use "
						 "append: true to add items)", l->name, doc->lists[j].pos.file,
						 doc->lists[j].pos.line, doc->lists[j].pos.col);
					break;
				}
	}
}

static void check_refs(const struct rules_doc *doc, struct diag *d)
{
	for (size_t i = 0; i < doc->nrulesets; i++)
		for (size_t j = 0; j < doc->rulesets[i].nrules; j++) {
			const struct doc_rs_rule *r = &doc->rulesets[i].rules[j];
			if (!doc_find_rule(doc, r->id))
				diag_add(d, r->pos, "unknown rule id '%s' in ruleset '%s'", r->id, doc->rulesets[i].name);
		}
	for (size_t i = 0; i < doc->npolicies; i++)
		for (size_t j = 0; j < doc->policies[i].nrulesets; j++)
			if (!doc_find_ruleset(doc, doc->policies[i].rulesets[j]))
				diag_add(d, doc->policies[i].rs_pos[j], "unknown ruleset '%s' in policy '%s'",
					 doc->policies[i].rulesets[j], doc->policies[i].name);
	for (size_t i = 0; i < doc->nclusters; i++)
		if (!doc_find_policy(doc, doc->clusters[i].policy))
			diag_add(d, doc->clusters[i].policy_pos, "unknown policy '%s' in cluster '%s'",
				 doc->clusters[i].policy, doc->clusters[i].name);
}

void doc_check(const struct rules_doc *doc, struct diag *d)
{
	check_lists(doc, d);
	UNIQUE(doc->macros, doc->nmacros, struct doc_macro, name, "macro");
	UNIQUE(doc->rules, doc->nrules, struct doc_rule, id, "rule id");
	UNIQUE(doc->rulesets, doc->nrulesets, struct doc_ruleset, name, "ruleset");
	UNIQUE(doc->policies, doc->npolicies, struct doc_policy, name, "policy");
	UNIQUE(doc->clusters, doc->nclusters, struct doc_cluster, name, "cluster");
	check_refs(doc, d);
}

int doc_version_parse(const char *s, unsigned out[4])
{
	memset(out, 0, 4 * sizeof(unsigned));
	for (int i = 0; i < 4; i++) {
		char *end;
		if (*s < '0' || *s > '9')
			return -1;
		unsigned long v = strtoul(s, &end, 10);
		if (v > 1000000 || end - s > 7)
			return -1;
		out[i] = (unsigned)v;
		if (*end == 0)
			return 0;
		if (*end != '.')
			return -1;
		s = end + 1;
	}
	return -1;
}

int doc_version_cmp(const unsigned a[4], const unsigned b[4])
{
	for (int i = 0; i < 4; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* Walks the scalar's source next to its value: folding and indentation
 * only drop or turn whitespace into spaces, so each value character is the
 * next equal source character (a space may stand for a line break). */
struct src_pos doc_text_pos(const struct doc_text *t, size_t off)
{
	struct src_pos at = t->pos;
	const char *raw = t->raw ? t->raw : "";
	size_t i = 0, rn = strlen(raw), tn = strlen(t->text);

	if (t->style == YAML_LITERAL_SCALAR_STYLE || t->style == YAML_FOLDED_SCALAR_STYLE) {
		while (i < rn && raw[i] != '\n')
			i++;
	} else if (t->style == YAML_SINGLE_QUOTED_SCALAR_STYLE || t->style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
		i = 0; /* the quote itself is matched away below */
	}
	for (size_t k = 0; k <= off && k < tn; k++) {
		char c = t->text[k];
		while (i < rn && raw[i] != c && !(c == ' ' && raw[i] == '\n')) {
			if (raw[i] == '\n')
				at.line++, at.col = 1;
			else
				at.col++;
			i++;
		}
		if (k == off || i >= rn)
			return at;
		if (raw[i] == '\n')
			at.line++, at.col = 1;
		else
			at.col++;
		i++;
	}
	return at;
}
