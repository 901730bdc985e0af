/* Managed-ruleset documents: `rulesets`, `policies` and `clusters`. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"

/* Names: only letters, digits, '_' and '.' (cluster names may also carry
 * '-': they are the collectors' cluster names, often DNS-like); the first
 * bad character is reported at its own column. */
static char *checked_name(struct ywalk *w, yaml_node_t *v, const char *what, bool dash)
{
	char *s = yw_str(w, v, what);
	if (!s)
		return NULL;
	for (size_t i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) || c == '_' || c == '.' || (dash && c == '-'))
			continue;
		struct src_pos at = yw_pos(w, v);
		bool quoted = v->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
			      v->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		at.col += (unsigned)i + (quoted ? 1 : 0);
		if (isprint(c))
			diag_add(w->d, at, "invalid %s '%s': character '%c' is not allowed (expected letters, digits, "
				 "'_'%s or '.'; no spaces)", what, s, c, dash ? ", '-'" : "");
		else
			diag_add(w->d, at, "invalid %s '%s': character 0x%02x is not allowed (expected letters, "
				 "digits, '_'%s or '.'; no spaces)", what, s, c, dash ? ", '-'" : "");
		break;
	}
	return s;
}

static char *name_of(struct ywalk *w, yaml_node_t *v, const char *what)
{
	return checked_name(w, v, what, false);
}

static void rs_rule_entry(struct ywalk *w, const char *key, yaml_node_t *v, void *ctx)
{
	struct doc_rs_rule *r = ctx;
	int i;
	if (strcmp(key, "id") == 0)
		r->id = yw_str(w, v, "rule id");
	else if (strcmp(key, "enabled") == 0)
		yw_bool(w, v, "enabled", &r->enabled);
	else if (strcmp(key, "action") == 0 && (i = yw_enum(w, v, "action", rp_action_names, RP_ACTION__COUNT)) >= 0)
		r->action = (enum rp_action)i;
}

static void rs_rules(struct ywalk *w, yaml_node_t *seq, struct doc_ruleset *rs)
{
	static const char *const keys[] = {"id", "enabled", "action", NULL};
	static const char *const req[] = {"id", "action", NULL};
	size_t cap = 0;

	if (!yw_is_seq(w, seq, "ruleset rules"))
		return;
	for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *e = yw_node(w, *it);
		struct doc_rs_rule r = {.enabled = true, .action = RP_ACTION_LOG};
		r.pos = yw_pos(w, e);
		if (!yw_map(w, e, "ruleset rule", keys, req, rs_rule_entry, &r) || !r.id) {
			free(r.id);
			continue;
		}
		for (size_t j = 0; j < rs->nrules; j++)
			if (strcmp(rs->rules[j].id, r.id) == 0) {
				diag_add(w->d, r.pos, "duplicate rule id '%s' in ruleset", r.id);
				break;
			}
		if (yw_grow(&rs->rules, &cap, rs->nrules, sizeof(r)) < 0) {
			free(r.id);
			return;
		}
		rs->rules[rs->nrules++] = r;
	}
}

static void ruleset_entry(struct ywalk *w, const char *key, yaml_node_t *v, void *ctx)
{
	struct doc_ruleset *rs = ctx;
	if (strcmp(key, "name") == 0)
		rs->name = name_of(w, v, "ruleset name");
	else if (strcmp(key, "description") == 0)
		rs->description = yw_str(w, v, "ruleset description");
	else if (strcmp(key, "labels") == 0)
		rs->labels = yw_labels(w, v, "ruleset labels", &rs->nlabels);
	else if (strcmp(key, "rules") == 0)
		rs_rules(w, v, rs);
}

void doc_rulesets(struct ywalk *w, yaml_node_t *seq, struct rules_doc *doc)
{
	static const char *const keys[] = {"name", "description", "labels", "rules", NULL};
	static const char *const req[] = {"name", "rules", NULL};
	size_t cap = doc->nrulesets;

	if (!yw_is_seq(w, seq, "rulesets"))
		return;
	for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *e = yw_node(w, *it);
		struct doc_ruleset rs = {0};
		rs.pos = yw_pos(w, e);
		if (yw_map(w, e, "ruleset", keys, req, ruleset_entry, &rs) && rs.name &&
		    yw_grow(&doc->rulesets, &cap, doc->nrulesets, sizeof(rs)) == 0) {
			doc->rulesets[doc->nrulesets++] = rs;
			continue;
		}
		doc_ruleset_free(&rs);
	}
}

static void policy_rulesets(struct ywalk *w, yaml_node_t *v, struct doc_policy *p)
{
	if (!yw_is_seq(w, v, "policy rulesets"))
		return;
	size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	p->rulesets = calloc(n ? n : 1, sizeof(*p->rulesets));
	p->rs_pos = calloc(n ? n : 1, sizeof(*p->rs_pos));
	if (!p->rulesets || !p->rs_pos)
		return;
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *e = yw_node(w, *it);
		char *s = yw_str(w, e, "ruleset name");
		if (!s)
			continue;
		p->rs_pos[p->nrulesets] = yw_pos(w, e);
		p->rulesets[p->nrulesets++] = s;
	}
}

static void policy_entry(struct ywalk *w, const char *key, yaml_node_t *v, void *ctx)
{
	struct doc_policy *p = ctx;
	if (strcmp(key, "name") == 0)
		p->name = name_of(w, v, "policy name");
	else if (strcmp(key, "description") == 0)
		p->description = yw_str(w, v, "policy description");
	else if (strcmp(key, "rulesets") == 0)
		policy_rulesets(w, v, p);
}

void doc_policies(struct ywalk *w, yaml_node_t *seq, struct rules_doc *doc)
{
	static const char *const keys[] = {"name", "description", "rulesets", NULL};
	static const char *const req[] = {"name", "rulesets", NULL};
	size_t cap = doc->npolicies;

	if (!yw_is_seq(w, seq, "policies"))
		return;
	for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *e = yw_node(w, *it);
		struct doc_policy p = {0};
		p.pos = yw_pos(w, e);
		if (yw_map(w, e, "policy", keys, req, policy_entry, &p) && p.name &&
		    yw_grow(&doc->policies, &cap, doc->npolicies, sizeof(p)) == 0) {
			doc->policies[doc->npolicies++] = p;
			continue;
		}
		doc_policy_free(&p);
	}
}

struct cluster_ctx {
	struct doc_cluster c;
	yaml_node_t *version_node;
};

static void cluster_entry(struct ywalk *w, const char *key, yaml_node_t *v, void *ctx)
{
	struct cluster_ctx *cc = ctx;
	int i;
	if (strcmp(key, "name") == 0)
		cc->c.name = checked_name(w, v, "cluster name", true);
	else if (strcmp(key, "orchestrator") == 0) {
		if ((i = yw_enum(w, v, "orchestrator", rp_orchestrator_names, RP_ORCH__COUNT)) >= 0)
			cc->c.orchestrator = (enum rp_orchestrator)i;
	} else if (strcmp(key, "labels") == 0)
		cc->c.labels = yw_labels(w, v, "cluster labels", &cc->c.nlabels);
	else if (strcmp(key, "policy") == 0) {
		cc->c.policy = yw_str(w, v, "cluster policy");
		cc->c.policy_pos = yw_pos(w, v);
	} else if (strcmp(key, "protection_version") == 0) {
		cc->version_node = v;
		cc->c.protection_version = yw_str(w, v, "protection_version");
		if (cc->c.protection_version && doc_version_parse(cc->c.protection_version, cc->c.version) < 0)
			diag_add(w->d, yw_pos(w, v), "invalid protection_version '%s' (expected a version like 2.2.3)",
				 cc->c.protection_version);
	}
}

static void cluster_check(struct ywalk *w, yaml_node_t *e, struct cluster_ctx *cc)
{
	if (cc->c.orchestrator == RP_ORCH_ECS && !cc->version_node)
		diag_add(w->d, yw_pos(w, e), "missing key 'protection_version' in ECS cluster '%s' (expected a version "
			 "like 2.2.3)", cc->c.name ? cc->c.name : "");
	if (cc->c.orchestrator != RP_ORCH_ECS && cc->version_node)
		diag_add(w->d, yw_pos(w, cc->version_node), "protection_version applies only to orchestrator: ecs");
}

void doc_clusters(struct ywalk *w, yaml_node_t *seq, struct rules_doc *doc)
{
	static const char *const keys[] = {"name", "orchestrator", "labels", "policy", "protection_version", NULL};
	static const char *const req[] = {"name", "orchestrator", "policy", NULL};
	size_t cap = doc->nclusters;

	if (!yw_is_seq(w, seq, "clusters"))
		return;
	for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *e = yw_node(w, *it);
		struct cluster_ctx cc = {0};
		cc.c.pos = yw_pos(w, e);
		if (yw_map(w, e, "cluster", keys, req, cluster_entry, &cc)) {
			cluster_check(w, e, &cc);
			if (cc.c.name && cc.c.policy && yw_grow(&doc->clusters, &cap, doc->nclusters, sizeof(cc.c)) == 0) {
				doc->clusters[doc->nclusters++] = cc.c;
				continue;
			}
		}
		doc_cluster_free(&cc.c);
	}
}
