/* Documents to a compiled configuration: lists merged with their appends,
 * conditions and outputs compiled, and per cluster the decision table of
 * active (rule, ruleset, action) entries indexed by event type. */
#include <stdlib.h>
#include <string.h>

#include "action_table.h"
#include "config_internal.h"

struct act_tmp {
	uint32_t rule, ruleset, order;
	enum rp_action action;
};

static int merge_lists(struct eval_config *cfg, const struct rules_doc *doc, struct cond_list **out, size_t *n)
{
	struct cond_list *ls = arena_alloc(&cfg->arena, (doc->nlists + 1) * sizeof(*ls));
	*n = 0;
	if (!(*out = ls))
		return -1;
	for (size_t i = 0; i < doc->nlists; i++) {
		const struct doc_list *b = &doc->lists[i];
		size_t total = 0, k = 0;
		if (b->append)
			continue;
		for (size_t j = 0; j < doc->nlists; j++)
			if (strcmp(doc->lists[j].name, b->name) == 0 && (j == i || doc->lists[j].append))
				total += doc->lists[j].nitems;
		const char **items = arena_alloc(&cfg->arena, (total + 1) * sizeof(*items));
		if (!items)
			return -1;
		for (size_t j = 0; j < doc->nlists; j++) /* base first, then appends in load order */
			if (strcmp(doc->lists[j].name, b->name) == 0 && (j == i || doc->lists[j].append))
				for (size_t m = 0; m < doc->lists[j].nitems; m++)
					items[k++] = doc->lists[j].items[m];
		ls[(*n)++] = (struct cond_list){b->name, items, k};
	}
	return 0;
}

static int compile_rules(struct eval_config *cfg, const struct rules_doc *doc, struct cond_compiler *cc,
			 struct diag *d)
{
	struct arena *a = &cfg->arena;
	cfg->rules = arena_alloc(a, (doc->nrules + 1) * sizeof(*cfg->rules));
	if (!cfg->rules)
		return -1;
	for (size_t i = 0; i < doc->nrules; i++) {
		const struct doc_rule *dr = &doc->rules[i];
		struct crule *r = &cfg->rules[i];
		char where[96];
		r->id = arena_strdup(a, dr->id), r->name = arena_strdup(a, dr->name);
		r->technique = arena_strdup(a, dr->technique), r->tactic = arena_strdup(a, dr->tactic);
		r->severity = dr->severity, r->events = dr->events, r->enabled = dr->enabled;
		snprintf(where, sizeof(where), "rule %s", dr->id);
		const char *w = arena_strdup(a, where);
		if (!r->id || !r->name || !r->technique || !r->tactic || !w)
			return -1;
		cond_compile_rule(cc, &dr->cond, dr->events, w, &r->code, &r->ncode);
		tmpl_compile(a, &dr->output, &r->output, d);
	}
	cfg->nrules = (uint32_t)doc->nrules;
	if (program_finish(&cfg->prog) < 0)
		return -1;
	for (size_t i = 0; i < doc->nrules; i++)
		if (program_fast_rule(&cfg->prog, cfg->rules[i].code, cfg->rules[i].ncode) < 0)
			return -1;
	return 0;
}

static int cmp_act(const void *x, const void *y)
{
	const struct act_tmp *a = x, *b = y;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Groups the activations by rule and lays the groups out per event type. */
static int table_build(struct eval_config *cfg, struct ctable *t, struct act_tmp *v, size_t n,
		       const unsigned version[4])
{
	struct arena *a = &cfg->arena;
	size_t ngroups = 0, nent = 0;
	if (n)
		qsort(v, n, sizeof(*v), cmp_act);
	t->acts = arena_alloc(a, (n + 1) * sizeof(*t->acts));
	struct centry *groups = arena_alloc(a, (n + 1) * sizeof(*groups));
	if (!t->acts || !groups)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char reason[256];
		enum rp_action eff = action_effective(t->orch, version, v[i].action, reason, sizeof(reason));
		t->acts[i] = (struct cact){v[i].ruleset, v[i].action, eff, arena_strdup(a, reason)};
		if (!t->acts[i].reason)
			return -1;
		if (ngroups == 0 || groups[ngroups - 1].rule != v[i].rule)
			groups[ngroups++] = (struct centry){v[i].rule, (uint32_t)i, 0};
		groups[ngroups - 1].nact++;
	}
	for (size_t g = 0; g < ngroups; g++)
		nent += (size_t)__builtin_popcountll(cfg->rules[groups[g].rule].events);
	t->entries = arena_alloc(a, (nent + 1) * sizeof(*t->entries));
	if (!t->entries)
		return -1;
	nent = 0;
	for (int ty = 0; ty < RP_EV__COUNT; ty++) {
		t->by_type[ty] = (uint32_t)nent;
		for (size_t g = 0; g < ngroups; g++)
			if (cfg->rules[groups[g].rule].events >> ty & 1)
				t->entries[nent++] = groups[g];
	}
	t->by_type[RP_EV__COUNT] = (uint32_t)nent;
	return 0;
}

static bool labels_match(const struct doc_ruleset *rs, const struct doc_cluster *c)
{
	if (c->orchestrator == RP_ORCH_ECS)
		return true; /* §5: on ECS ruleset labels have no effect */
	for (size_t i = 0; i < rs->nlabels; i++) {
		bool found = false;
		for (size_t j = 0; j < c->nlabels && !found; j++)
			found = strcmp(rs->labels[i].key, c->labels[j].key) == 0 &&
				strcmp(rs->labels[i].value, c->labels[j].value) == 0;
		if (!found)
			return false;
	}
	return true;
}

static int cluster_build(struct eval_config *cfg, const struct rules_doc *doc, const struct doc_cluster *c,
			 struct ctable *t)
{
	const struct doc_policy *p = doc_find_policy(doc, c->policy);
	size_t cap = 0, n = 0;
	struct act_tmp *v = NULL;

	t->name = arena_strdup(&cfg->arena, c->name);
	t->policy = arena_strdup(&cfg->arena, c->policy);
	t->orch = c->orchestrator;
	for (size_t i = 0; p && i < p->nrulesets; i++) {
		const struct doc_ruleset *rs = doc_find_ruleset(doc, p->rulesets[i]);
		if (!rs || !labels_match(rs, c))
			continue;
		for (size_t k = 0; k < rs->nrules; k++) {
			const struct doc_rule *r = doc_find_rule(doc, rs->rules[k].id);
			if (!r || !rs->rules[k].enabled)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				struct act_tmp *q = realloc(v, cap * sizeof(*v));
				if (!q)
					return free(v), -1;
				v = q;
			}
			v[n] = (struct act_tmp){(uint32_t)(r - doc->rules), (uint32_t)(rs - doc->rulesets), (uint32_t)n,
						rs->rules[k].action};
			n++;
		}
	}
	int rc = t->name && t->policy ? table_build(cfg, t, v, n, c->version) : -1;
	free(v);
	return rc;
}

static int catalog_build(struct eval_config *cfg)
{
	static const unsigned none[4];
	struct act_tmp *v = calloc(cfg->nrules + 1, sizeof(*v));
	size_t n = 0;
	if (!v)
		return -1;
	for (uint32_t i = 0; i < cfg->nrules; i++)
		if (cfg->rules[i].enabled)
			v[n] = (struct act_tmp){i, UINT32_MAX, (uint32_t)n, RP_ACTION_LOG}, n++;
	cfg->catalog.name = "", cfg->catalog.policy = "", cfg->catalog.orch = RP_ORCH_NONE;
	int rc = table_build(cfg, &cfg->catalog, v, n, none);
	free(v);
	return rc;
}

static int tables_build(struct eval_config *cfg, const struct rules_doc *doc)
{
	cfg->rulesets = arena_alloc(&cfg->arena, (doc->nrulesets + 1) * sizeof(char *));
	cfg->clusters = arena_alloc(&cfg->arena, (doc->nclusters + 1) * sizeof(*cfg->clusters));
	if (!cfg->rulesets || !cfg->clusters)
		return -1;
	for (size_t i = 0; i < doc->nrulesets; i++)
		if (!(cfg->rulesets[i] = arena_strdup(&cfg->arena, doc->rulesets[i].name)))
			return -1;
	cfg->nrulesets = (uint32_t)doc->nrulesets;
	for (size_t i = 0; i < doc->nclusters; i++) {
		if (cluster_build(cfg, doc, &doc->clusters[i], &cfg->clusters[i]) < 0)
			return -1;
		if (strcmp(doc->clusters[i].name, "default") == 0)
			cfg->fallback = &cfg->clusters[i];
	}
	cfg->nclusters = (uint32_t)doc->nclusters;
	return catalog_build(cfg);
}

struct eval_config *eval_config_compile(const struct rules_doc *doc, struct diag *d)
{
	struct eval_config *cfg = calloc(1, sizeof(*cfg));
	size_t before = diag_count(d), nlists = 0;
	struct cond_list *lists;
	int rc = -1;

	if (!cfg)
		return NULL;
	atomic_init(&cfg->refs, 1);
	if (merge_lists(cfg, doc, &lists, &nlists) == 0) {
		struct cond_compiler cc = {{&cfg->arena, d, lists, nlists, doc->macros, doc->nmacros}, &cfg->prog, NULL};
		if (cond_compile_init(&cc) == 0) {
			rc = compile_rules(cfg, doc, &cc, d);
			cond_compile_fini(&cc);
		}
	}
	if (rc == 0 && diag_count(d) == before)
		rc = tables_build(cfg, doc);
	if (rc < 0 && diag_count(d) == before)
		diag_add(d, (struct src_pos){"<config>", 1, 1}, "out of memory compiling the configuration");
	if (rc < 0 || diag_count(d) != before) {
		eval_config_unref(cfg);
		return NULL;
	}
	return cfg;
}

struct eval_config *eval_config_load(const char *const *paths, size_t n, struct diag *d)
{
	size_t before = diag_count(d);
	struct rules_doc *doc = doc_load_paths(paths, n, d);
	struct eval_config *cfg = NULL;
	if (!doc)
		return NULL;
	/* compile even after document errors so every error is reported */
	cfg = eval_config_compile(doc, d);
	doc_free(doc);
	if (cfg && diag_count(d) != before) {
		eval_config_unref(cfg);
		cfg = NULL;
	}
	return cfg;
}

struct eval_config *eval_config_ref(struct eval_config *cfg)
{
	atomic_fetch_add(&cfg->refs, 1);
	return cfg;
}

void eval_config_unref(struct eval_config *cfg)
{
	if (!cfg || atomic_fetch_sub(&cfg->refs, 1) != 1)
		return;
	program_free(&cfg->prog);
	arena_free(&cfg->arena);
	free(cfg);
}

size_t eval_config_rules_for_type(const struct eval_config *cfg, const char *cluster, enum rp_event_type type)
{
	const struct ctable *t = config_table_for(cfg, (struct rp_str){cluster, (uint32_t)strlen(cluster)});

	if (!t || type >= RP_EV__COUNT)
		return 0;
	return t->by_type[type + 1] - t->by_type[type];
}

void eval_config_info(const struct eval_config *cfg, struct eval_config_info *out)
{
	out->rules = cfg->nrules, out->predicates = cfg->prog.npreds, out->instructions = cfg->prog.ncode;
	out->clusters = cfg->nclusters;
	out->bytes = cfg->arena.used + cfg->prog.pcap * sizeof(struct cpred) + cfg->prog.ccap * sizeof(struct insn);
}
