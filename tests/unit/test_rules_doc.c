/* Rule documents: every validation error class, each at its exact
 * file:line:col with the expected wording; all errors of a file reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test_rules_util.h"

#define RULE(id, cond) \
	"  - id: " id "\n    name: n\n    technique: T1059\n    tactic: TA0002\n    severity: low\n" \
	"    events: [exec]\n    condition: " cond "\n    output: o\n"

static void expect(const char *yaml, unsigned line, unsigned col, const char *msg)
{
	struct diag d = {0};
	struct eval_config *cfg = tr_load("doc.yaml", yaml, &d);
	assert_null(cfg);
	assert_true(tr_has(&d, "doc.yaml", line, col, msg));
	diag_free(&d);
}

static void valid_minimal(void **s)
{
	(void)s;
	struct diag d = {0};
	struct eval_config *cfg = tr_load("doc.yaml", "rules:\n" RULE("RP1", "proc.name = sh"), &d);
	assert_non_null(cfg);
	assert_int_equal(diag_count(&d), 0);
	eval_config_unref(cfg);
	diag_free(&d);
}

static void unknown_keys(void **s)
{
	(void)s;
	expect("rulez: []\n", 1, 1, "unknown key 'rulez' in rules file (top level) (expected one of: lists, macros");
	expect("rules:\n" RULE("RP1", "proc.name = sh") "    severty: low\n", 10, 5,
	       "unknown key 'severty' in rule (expected one of: id, name, description");
}

static void missing_and_bad_values(void **s)
{
	(void)s;
	expect("rules:\n  - id: RP1\n    name: n\n", 2, 5, "missing key 'technique' in rule");
	expect("rules:\n" RULE("RP1", "proc.name = sh") "    enabled: maybe\n", 10, 14,
	       "unknown rule enabled 'maybe' (expected false|true)");
	expect("rules:\n  - id: RP1\n    name: n\n    technique: T59\n    tactic: TA0002\n    severity: low\n"
	       "    events: [exec]\n    condition: a\n    output: o\n", 4, 16, "invalid MITRE technique 'T59'");
	expect("rules:\n  - id: RP1\n    name: n\n    technique: T1059\n    tactic: TA2\n    severity: low\n"
	       "    events: [exec]\n    condition: proc.name = a\n    output: o\n", 5, 13, "invalid MITRE tactic 'TA2'");
	expect("rules:\n  - id: RP1\n    name: n\n    technique: T1059\n    tactic: TA0002\n    severity: urgent\n"
	       "    events: [exec]\n    condition: proc.name = a\n    output: o\n", 6, 15,
	       "unknown severity 'urgent' (expected info|low|medium|high|critical)");
	expect("rules:\n  - id: RP1\n    name: n\n    technique: T1059\n    tactic: TA0002\n    severity: low\n"
	       "    events: [exec, opne]\n    condition: proc.name = a\n    output: o\n", 7, 20,
	       "unknown event type 'opne' (expected exec|fork");
	expect("rules: {a: 1}\n", 1, 8, "expected a sequence for rules, found a mapping");
}

static void yaml_syntax(void **s)
{
	(void)s;
	expect("rules:\n  - id: [unclosed\n", 3, 1, "YAML syntax error");
}

static void all_errors_reported(void **s)
{
	(void)s;
	struct diag d = {0};
	assert_null(tr_load("doc.yaml", "rules:\n" RULE("RP1", "proc.nam = a") RULE("RP2", "proc.name = a and (") 
			    "bogus: 1\n", &d));
	assert_true(tr_has(&d, "doc.yaml", 8, 16, "unknown field 'proc.nam'"));
	assert_true(tr_has(&d, "doc.yaml", 16, 35, "expected a field, a macro, 'not' or '(', found end of condition"));
	assert_true(tr_has(&d, "doc.yaml", 18, 1, "unknown key 'bogus'"));
	diag_print(&d, stderr);
	assert_int_equal(diag_count(&d), 3);
	diag_free(&d);
}

static const char *rs_head = "rules:\n" RULE("RP1", "proc.name = sh");

static void ruleset_names(void **s)
{
	(void)s;
	char y[1024];
	snprintf(y, sizeof(y), "%srulesets:\n  - name: bad name\n    rules: []\n", rs_head);
	expect(y, 11, 14, "invalid ruleset name 'bad name': character ' ' is not allowed");
	snprintf(y, sizeof(y), "%srulesets:\n  - name: \"a/b\"\n    rules: []\n", rs_head);
	expect(y, 11, 13, "character '/' is not allowed");
	snprintf(y, sizeof(y), "%srulesets:\n  - name: a.b\n    rules: []\n  - name: a.b\n    rules: []\n", rs_head);
	expect(y, 13, 5, "duplicate ruleset 'a.b' (first defined at");
}

static void ruleset_rules(void **s)
{
	(void)s;
	char y[1024];
	snprintf(y, sizeof(y), "%srulesets:\n  - name: r\n    rules:\n      - {id: RP9, action: log}\n", rs_head);
	expect(y, 13, 9, "unknown rule id 'RP9' in ruleset 'r'");
	snprintf(y, sizeof(y), "%srulesets:\n  - name: r\n    rules:\n      - {id: RP1, action: kill}\n", rs_head);
	expect(y, 13, 27, "unknown action 'kill' (expected log|isolate|terminate)");
	snprintf(y, sizeof(y), "%srulesets:\n  - name: r\n    rules:\n      - {id: RP1, action: log, on: true}\n", rs_head);
	expect(y, 13, 32, "unknown key 'on' in ruleset rule (expected one of: id, enabled, action)");
	snprintf(y, sizeof(y), "%srulesets:\n  - name: r\n    labels: {\"Bad Key\": x}\n    rules: []\n", rs_head);
	expect(y, 12, 14, "invalid label key 'Bad Key' in ruleset labels");
	snprintf(y, sizeof(y), "%srulesets:\n  - name: r\n    labels: {app: \"-x\"}\n    rules: []\n", rs_head);
	expect(y, 12, 19, "invalid label value '-x' for 'app'");
}

static void policies_clusters(void **s)
{
	(void)s;
	char y[1024];
	snprintf(y, sizeof(y), "%spolicies:\n  - name: p\n    rulesets: [nope]\n", rs_head);
	expect(y, 12, 16, "unknown ruleset 'nope' in policy 'p'");
	snprintf(y, sizeof(y), "%spolicies:\n  - {name: p, rulesets: []}\nclusters:\n  - {name: c, orchestrator: k8s, "
		 "policy: p}\n", rs_head);
	expect(y, 13, 29, "unknown orchestrator 'k8s' (expected none|kubernetes|ecs)");
	snprintf(y, sizeof(y), "%spolicies:\n  - {name: p, rulesets: []}\nclusters:\n  - {name: c, orchestrator: none, "
		 "policy: q}\n", rs_head);
	expect(y, 13, 43, "unknown policy 'q' in cluster 'c'");
	snprintf(y, sizeof(y), "%spolicies:\n  - {name: p, rulesets: []}\nclusters:\n  - {name: c, orchestrator: ecs, "
		 "policy: p}\n", rs_head);
	expect(y, 13, 5, "missing key 'protection_version' in ECS cluster 'c'");
	snprintf(y, sizeof(y), "%spolicies:\n  - {name: p, rulesets: []}\nclusters:\n  - {name: c, orchestrator: ecs, "
		 "policy: p, protection_version: 2.x}\n", rs_head);
	expect(y, 13, 65, "invalid protection_version '2.x' (expected a version like 2.2.3)");
}

static void lists_and_macros(void **s)
{
	(void)s;
	expect("lists:\n  - {name: a, items: [x]}\n  - {name: a, items: [y]}\n", 3, 5, "duplicate list 'a'");
	expect("lists:\n  - {name: b, append: true, items: [y]}\n", 2, 5, "append to unknown list 'b'");
	expect("macros:\n  - {name: m, condition: proc.name = a}\n  - {name: m, condition: proc.name = b}\n", 3, 5,
	       "duplicate macro 'm'");
	expect("rules:\n" RULE("RP1", "proc.name = a") RULE("RP1", "proc.name = b"), 10, 5, "duplicate rule id 'RP1'");
}

static void versions(void **s)
{
	(void)s;
	unsigned a[4], b[4];
	assert_int_equal(doc_version_parse("2.10.0", a), 0);
	assert_int_equal(doc_version_parse("2.2.3", b), 0);
	assert_true(doc_version_cmp(a, b) > 0); /* not a string compare */
	assert_int_equal(doc_version_parse("2.2", a), 0);
	assert_true(doc_version_cmp(a, b) < 0);
	assert_int_equal(doc_version_parse("v2", a), -1);
	assert_int_equal(doc_version_parse("2..1", a), -1);
	assert_int_equal(doc_version_parse("", a), -1);
}

static void shipped_rules_valid(void **s)
{
	(void)s;
	struct diag d = {0};
	const char *paths[] = {RP_RULES_DIR};
	struct eval_config *cfg = eval_config_load(paths, 1, &d);
	diag_print(&d, stderr);
	assert_non_null(cfg);
	eval_config_unref(cfg);
	diag_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_minimal),    cmocka_unit_test(unknown_keys),
		cmocka_unit_test(missing_and_bad_values), cmocka_unit_test(yaml_syntax),
		cmocka_unit_test(all_errors_reported), cmocka_unit_test(ruleset_names),
		cmocka_unit_test(ruleset_rules),    cmocka_unit_test(policies_clusters),
		cmocka_unit_test(lists_and_macros), cmocka_unit_test(versions),
		cmocka_unit_test(shipped_rules_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
