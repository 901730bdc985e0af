/* The default rule catalog, data-driven (tests/data/rules/fixtures, *.json):
 *
 *   {"base": {field: value, ...},                 merged under every event
 *    "cases": [{"rule": "RP1001", "expect": "match" | "miss", "why": "...",
 *               "host": true,                     optional: no container/pod
 *               "event": {field: value, ...}}],    null removes a base field
 *    "baseline": [{"why": "...", "event": {...}}]}
 *
 * Every case is evaluated with the shipped rules/ (cluster "fixtures" is not
 * configured, so the "default" cluster's log_only policy applies: every rule
 * enabled). A "match" case must list its rule among the verdict's matches,
 * a "miss" case must not. Every catalog rule needs at least one of each.
 * Baseline events (benign workloads) are evaluated in cluster
 * "quiet-baseline" (policy recommended -> recommended.v1) and must produce
 * no verdict. The rulesets all_rules.log and recommended.v1 must name every
 * catalog rule, enabled. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "doc.h"
#include "evaluator.h"
#include "event_json.h"

static struct eval_config *cfg;
static struct rules_doc *doc;

struct cover {
	unsigned match, miss;
};
static struct cover *cover; /* per doc->rules index */

static int setup(void **s)
{
	(void)s;
	struct diag d = {0};
	const char *paths[] = {RP_RULES_DIR, RP_TEST_DATA_DIR "/rules/quiet_cluster.yaml"};
	cfg = eval_config_load(paths, 2, &d);
	diag_print(&d, stderr);
	diag_free(&d);
	struct diag d2 = {0};
	doc = doc_load_paths(paths, 1, &d2);
	diag_print(&d2, stderr);
	int bad = d2.n > 0;
	diag_free(&d2);
	if (!cfg || !doc || bad)
		return -1;
	cover = calloc(doc->nrules, sizeof(*cover));
	return cover ? 0 : -1;
}

static int teardown(void **s)
{
	(void)s;
	eval_config_unref(cfg);
	doc_free(doc);
	free(cover);
	return 0;
}

static long rule_index(const char *id)
{
	for (size_t i = 0; i < doc->nrules; i++)
		if (strcmp(doc->rules[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* base + event (event wins; null deletes), forced cluster when given. */
static char *merged_event(json_t *base, json_t *c, const char *cluster)
{
	json_t *event = json_object_get(c, "event");
	json_t *m = base ? json_deep_copy(base) : json_object();
	if (json_is_true(json_object_get(c, "host"))) { /* a host process: no container, no pod */
		static const char *const drop[] = {"container.name", "container.image", "container.image_digest",
						   "container.privileged", "k8s.ns", "k8s.pod", "k8s.pod.uid",
						   "k8s.owner.kind", "k8s.owner.name", "k8s.sa"};
		for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
			json_object_del(m, drop[i]);
		json_object_set_new(m, "container.id", json_string(""));
	}
	json_object_update(m, event);
	const char *k;
	json_t *v;
	void *tmp;
	json_object_foreach_safe(m, tmp, k, v) if (json_is_null(v)) json_object_del(m, k);
	if (cluster)
		json_object_set_new(m, "cluster", json_string(cluster));
	else if (!json_object_get(m, "cluster"))
		json_object_set_new(m, "cluster", json_string("fixtures"));
	char *text = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(m);
	return text;
}

/* Evaluates text; returns the number of matches (-2 on a parse error) and
 * fills ids (space separated) with the matched rule ids. */
static int eval_text(struct evaluator *e, const char *text, char *ids, size_t n, int explain)
{
	struct rp_event ev;
	struct event_json_store st;
	char err[256];
	memset(&ev, 0, sizeof(ev));
	memset(&st, 0, sizeof(st));
	if (event_json_parse(text, &ev, &st, err, sizeof(err)) != 0) {
		fprintf(stderr, "  bad fixture event: %s\n  %s\n", err, text);
		event_json_free(&st);
		return -2;
	}
	struct rp_verdict v;
	int r = evaluator_eval(e, cfg, &ev, &v);
	ids[0] = '\0';
	size_t k = 0;
	for (int i = 0; i < r; i++)
		k += (size_t)snprintf(ids + k, k < n ? n - k : 0, "%s%.*s", i ? " " : "", (int)v.matches[i].rule_id.len,
				      v.matches[i].rule_id.ptr);
	if (explain)
		eval_explain(e, cfg, NULL, &ev, stderr);
	event_json_free(&st);
	return r;
}

static int has_id(const char *ids, const char *id)
{
	size_t n = strlen(id);
	for (const char *p = ids; (p = strstr(p, id)); p += n)
		if ((p == ids || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The fixture files, sorted; callback per file's root object. */
static int each_fixture(int (*fn)(const char *file, json_t *root, struct evaluator *e), struct evaluator *e)
{
	const char *dir = RP_TEST_DATA_DIR "/rules/fixtures";
	DIR *d = opendir(dir);
	assert_non_null(d);
	char *names[256];
	size_t nn = 0;
	struct dirent *de;
	while ((de = readdir(d)) && nn < 256) {
		size_t l = strlen(de->d_name);
		if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0)
			names[nn++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, nn, sizeof(names[0]), cmp_str);
	int fails = 0;
	for (size_t i = 0; i < nn; i++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		json_error_t je;
		json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
		if (!root) {
			fprintf(stderr, "%s:%d:%d: %s\n", path, je.line, je.column, je.text);
			fails++;
		} else {
			fails += fn(names[i], root, e);
			json_decref(root);
		}
		free(names[i]);
	}
	assert_true(nn > 0);
	return fails;
}

static unsigned ncases, nbaseline;

static int run_cases(const char *file, json_t *root, struct evaluator *e)
{
	json_t *base = json_object_get(root, "base"), *cases = json_object_get(root, "cases"), *c;
	size_t i;
	int fails = 0;
	json_array_foreach(cases, i, c) {
		const char *rule = json_string_value(json_object_get(c, "rule"));
		const char *expect = json_string_value(json_object_get(c, "expect"));
		json_t *event = json_object_get(c, "event");
		long ri = rule ? rule_index(rule) : -1;
		int want = expect && strcmp(expect, "match") == 0;
		if (ri < 0 || !expect || (!want && strcmp(expect, "miss") != 0) || !json_is_object(event)) {
			fprintf(stderr, "%s: case %zu: needs a known \"rule\", \"expect\": match|miss and an \"event\"\n",
				file, i);
			fails++;
			continue;
		}
		char *text = merged_event(base, c, NULL);
		char ids[2048];
		int r = eval_text(e, text, ids, sizeof(ids), 0);
		ncases++;
		if (r < -1 || r == -1 || has_id(ids, rule) != want) {
			fprintf(stderr, "%s: case %zu (%s %s%s%s): matched [%s]\n  event %s\n", file, i, rule, expect,
				json_object_get(c, "why") ? ": " : "",
				json_object_get(c, "why") ? json_string_value(json_object_get(c, "why")) : "", ids, text);
			if (r >= 0)
				eval_text(e, text, ids, sizeof(ids), 1);
			fails++;
		} else if (want) {
			cover[ri].match++;
		} else {
			cover[ri].miss++;
		}
		free(text);
	}
	return fails;
}

static int run_baseline(const char *file, json_t *root, struct evaluator *e)
{
	json_t *base = json_object_get(root, "base"), *cases = json_object_get(root, "baseline"), *c;
	size_t i;
	int fails = 0;
	json_array_foreach(cases, i, c) {
		char *text = merged_event(base, c, "quiet-baseline");
		char ids[2048];
		int r = eval_text(e, text, ids, sizeof(ids), 0);
		nbaseline++;
		if (r != 0) {
			const char *why = json_string_value(json_object_get(c, "why"));
			fprintf(stderr, "%s: baseline %zu (%s): %d verdict match(es) [%s]\n  event %s\n", file, i,
				why ? why : "", r, ids, text);
			fails++;
		}
		free(text);
	}
	return fails;
}

static void fixtures(void **s)
{
	(void)s;
	struct evaluator *e = evaluator_new();
	int fails = each_fixture(run_cases, e);
	evaluator_free(e);
	printf("catalog fixtures: %u cases, %d failed\n", ncases, fails);
	assert_int_equal(fails, 0);
}

static void coverage(void **s)
{
	(void)s;
	size_t full = 0, nmatch = 0, nmiss = 0;
	for (size_t i = 0; i < doc->nrules; i++) {
		nmatch += cover[i].match, nmiss += cover[i].miss;
		if (cover[i].match && cover[i].miss)
			full++;
		else
			fprintf(stderr, "rule %s (%s) lacks %s%s%s fixture\n", doc->rules[i].id, doc->rules[i].name,
				cover[i].match ? "" : "a trigger", !cover[i].match && !cover[i].miss ? " and " : "",
				cover[i].miss ? "" : "a near-miss");
	}
	printf("catalog coverage: %zu/%zu rules with a trigger and a near-miss (%zu trigger, %zu near-miss cases)\n",
	       full, doc->nrules, nmatch, nmiss);
	assert_int_equal(full, doc->nrules);
	assert_true(doc->nrules >= 85);
}

static void quiet_baseline(void **s)
{
	(void)s;
	struct evaluator *e = evaluator_new();
	int fails = each_fixture(run_baseline, e);
	evaluator_free(e);
	printf("quiet baseline: %u benign events, %d produced a verdict under recommended.v1\n", nbaseline, fails);
	assert_true(nbaseline >= 10);
	assert_int_equal(fails, 0);
}

static void check_ruleset(const char *name, int log_only)
{
	const struct doc_ruleset *rs = doc_find_ruleset(doc, name);
	assert_non_null(rs);
	int missing = 0, terminate = 0;
	for (size_t i = 0; i < doc->nrules; i++) {
		const struct doc_rs_rule *found = NULL;
		for (size_t j = 0; j < rs->nrules; j++)
			if (strcmp(rs->rules[j].id, doc->rules[i].id) == 0)
				found = &rs->rules[j];
		if (!found || !found->enabled || (log_only && found->action != RP_ACTION_LOG)) {
			fprintf(stderr, "ruleset %s: rule %s missing, disabled or not log\n", name, doc->rules[i].id);
			missing++;
		} else if (found->action != RP_ACTION_LOG) {
			terminate++;
		}
	}
	assert_int_equal(missing, 0);
	if (!log_only)
		assert_true(terminate >= 5);
}

static void rulesets_complete(void **s)
{
	(void)s;
	check_ruleset("all_rules.log", 1);
	check_ruleset("recommended.v1", 0);
	const struct doc_policy *p = doc_find_policy(doc, "recommended");
	assert_non_null(p);
	assert_int_equal(p->nrulesets, 1);
	assert_string_equal(p->rulesets[0], "recommended.v1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rulesets_complete),
		cmocka_unit_test(fixtures),
		cmocka_unit_test(coverage),
		cmocka_unit_test(quiet_baseline),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
