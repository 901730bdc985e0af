/* The condition language: every operator with its edge cases (empty
 * strings, absent fields, globs, case, lists, macros), and error positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "event_json.h"
#include "test_rules_util.h"

static const char *prelude =
	"lists:\n"
	"  - {name: shells, items: [bash, sh]}\n"
	"  - {name: shells, append: true, items: [zsh]}\n"
	"  - {name: etc_dirs, items: [/etc/, /usr/etc/]}\n"
	"  - {name: empty, items: []}\n"
	"  - {name: ports, items: [\"22\", \"0x50\"]}\n"
	"macros:\n"
	"  - {name: container, condition: container.id != \"\"}\n"
	"  - {name: shell, condition: proc.name in (shells)}\n"
	"  - {name: shell_in_container, condition: shell and container}\n"
	"policies:\n  - {name: p, rulesets: [r]}\n"
	"clusters:\n  - {name: t, orchestrator: none, policy: p}\n"
	"rulesets:\n  - {name: r, rules: [{id: RP1, action: log}]}\n";

/* 1 match, 0 no match, -1 the condition did not compile */
static int eval(const char *cond, const char *event_json)
{
	char yaml[4096], err[256];
	struct diag d = {0};
	snprintf(yaml, sizeof(yaml), "%srules:\n  - id: RP1\n    name: n\n    technique: T1059\n    tactic: TA0002\n"
		 "    severity: low\n    events: [exec, open, connect, ptrace]\n    condition: '%s'\n    output: o\n",
		 prelude, cond);
	struct eval_config *cfg = tr_load("cond.yaml", yaml, &d);
	if (!cfg) {
		diag_print(&d, stderr);
		diag_free(&d);
		return -1;
	}
	struct event_json_store *st = calloc(1, sizeof(*st));
	struct evaluator *e = evaluator_new();
	struct rp_event ev;
	struct rp_verdict v;
	assert_int_equal(event_json_parse(event_json, &ev, st, err, sizeof(err)), 0);
	ev.cluster = RP_STR("t");
	int n = evaluator_eval(e, cfg, &ev, &v);
	event_json_free(st);
	free(st);
	evaluator_free(e);
	eval_config_unref(cfg);
	diag_free(&d);
	return n > 0;
}

#define EXEC(extra) "{\"evt.type\":\"exec\",\"proc.name\":\"bash\",\"container.id\":\"c1\"" extra "}"
#define OPEN(path) "{\"evt.type\":\"open\",\"proc.name\":\"cat\",\"file.path\":\"" path "\"}"

static void equality(void **s)
{
	(void)s;
	assert_int_equal(eval("proc.name = bash", EXEC("")), 1);
	assert_int_equal(eval("proc.name == \"bash\"", EXEC("")), 1);
	assert_int_equal(eval("proc.name = Bash", EXEC("")), 0); /* case-sensitive */
	assert_int_equal(eval("proc.name != bash", EXEC("")), 0);
	assert_int_equal(eval("proc.cwd = \"\"", EXEC("")), 1); /* empty string is a value */
	assert_int_equal(eval("proc.cwd != \"\"", EXEC("")), 0);
	assert_int_equal(eval("container.privileged = false", EXEC("")), 1);
	assert_int_equal(eval("container.privileged", EXEC(",\"container.privileged\":true")), 1);
	assert_int_equal(eval("not container.privileged", EXEC("")), 1);
}

static void integers(void **s)
{
	(void)s;
	const char *ev = EXEC(",\"proc.uid\":1000,\"proc.loginuid\":-1");
	assert_int_equal(eval("proc.uid = 1000", ev), 1);
	assert_int_equal(eval("proc.uid < 1000", ev), 0);
	assert_int_equal(eval("proc.uid <= 1000", ev), 1);
	assert_int_equal(eval("proc.uid > 999", ev), 1);
	assert_int_equal(eval("proc.uid >= 1001", ev), 0);
	assert_int_equal(eval("proc.loginuid = -1", ev), 1);
	assert_int_equal(eval("proc.uid in (0, 0x3e8)", ev), 1);
	assert_int_equal(eval("proc.uid in (ports)", ev), 0);
	assert_int_equal(eval("proc.uid = 01750", ev), 1); /* octal, C syntax */
}

static void string_ops(void **s)
{
	(void)s;
	assert_int_equal(eval("file.path startswith /etc/", OPEN("/etc/shadow")), 1);
	assert_int_equal(eval("file.path startswith (etc_dirs)", OPEN("/usr/etc/x")), 1);
	assert_int_equal(eval("file.path startswith (etc_dirs)", OPEN("/etc")), 0);
	assert_int_equal(eval("file.path startswith \"\"", OPEN("/x")), 1); /* empty prefix */
	assert_int_equal(eval("file.path endswith (\".so\", \"/shadow\")", OPEN("/etc/shadow")), 1);
	assert_int_equal(eval("file.path endswith .so", OPEN("/etc/shadow")), 0);
	assert_int_equal(eval("file.path contains sha", OPEN("/etc/shadow")), 1);
	assert_int_equal(eval("file.path contains SHA", OPEN("/etc/shadow")), 0);
	assert_int_equal(eval("file.path icontains SHA", OPEN("/etc/shadow")), 1);
	assert_int_equal(eval("file.name = shadow and file.directory = /etc", OPEN("/etc/shadow")), 1);
	assert_int_equal(eval("file.directory = /", OPEN("/x")), 1);
	assert_int_equal(eval("file.path in (\"/etc/passwd\", \"/etc/shadow\")", OPEN("/etc/shadow")), 1);
	assert_int_equal(eval("file.path in (empty)", OPEN("/etc/shadow")), 0);
}

static void globs(void **s)
{
	(void)s;
	assert_int_equal(eval("file.path glob \"/etc/*\"", OPEN("/etc/a/b")), 1); /* * crosses '/' */
	assert_int_equal(eval("file.path glob \"/etc/?hadow\"", OPEN("/etc/shadow")), 1);
	assert_int_equal(eval("file.path glob \"/etc/[a-r]hadow\"", OPEN("/etc/shadow")), 0);
	assert_int_equal(eval("file.path glob \"/etc/[!a-r]hadow\"", OPEN("/etc/shadow")), 1);
	assert_int_equal(eval("file.path glob \"*shadow\"", OPEN("/etc/shadow")), 1);
	assert_int_equal(eval("file.path glob \"*shadow?\"", OPEN("/etc/shadow")), 0);
	assert_int_equal(eval("file.path glob \"\"", OPEN("")), 1);
	assert_int_equal(eval("file.path glob (\"*.so\", \"/etc/*\")", OPEN("/etc/x")), 1);
}

static void absent_fields(void **s)
{
	(void)s;
	const char *ev = EXEC(""); /* exec: no file args, no pod */
	assert_int_equal(eval("file.path = /x", ev), 0);
	assert_int_equal(eval("file.path != /x", ev), 0); /* absent: comparisons false */
	assert_int_equal(eval("not file.path = /x", ev), 1);
	assert_int_equal(eval("file.path exists", ev), 0);
	assert_int_equal(eval("file.path exists", OPEN("/x")), 1);
	assert_int_equal(eval("k8s.ns exists", ev), 0);
	assert_int_equal(eval("k8s.ns exists", EXEC(",\"k8s.ns\":\"\"")), 1);
	assert_int_equal(eval("k8s.pod.label[app] = web", EXEC(",\"k8s.pod.label\":{\"app\":\"web\"}")), 1);
	assert_int_equal(eval("k8s.pod.label[team] exists", EXEC(",\"k8s.pod.label\":{\"app\":\"web\"}")), 0);
	assert_int_equal(eval("proc.age_ns > 0", ev), 0); /* start unknown */
}

static void lists_fields(void **s)
{
	(void)s;
	const char *ev = EXEC(",\"proc.args\":[\"nc\",\"-e\",\"/bin/sh\"],\"proc.env\":[\"HTTP_PROXY=x:3128\"]");
	assert_int_equal(eval("proc.args = -e", ev), 1); /* any element */
	assert_int_equal(eval("proc.args != -e", ev), 0); /* no element equals */
	assert_int_equal(eval("proc.args != -x", ev), 1);
	assert_int_equal(eval("proc.args startswith /bin", ev), 1);
	assert_int_equal(eval("proc.cmdline = \"nc -e /bin/sh\"", ev), 1);
	assert_int_equal(eval("proc.argc = 3", ev), 1);
	assert_int_equal(eval("proc.env[HTTP_PROXY] = x:3128", ev), 1);
	assert_int_equal(eval("proc.env glob \"*_PROXY=*\"", ev), 1);
	assert_int_equal(eval("proc.args exists", EXEC("")), 0);
}

static void logic_and_macros(void **s)
{
	(void)s;
	assert_int_equal(eval("shell_in_container", EXEC("")), 1);
	assert_int_equal(eval("shell_in_container", "{\"evt.type\":\"exec\",\"proc.name\":\"zsh\"}"), 0);
	assert_int_equal(eval("proc.name in (shells)", "{\"evt.type\":\"exec\",\"proc.name\":\"zsh\"}"), 1);
	assert_int_equal(eval("not (shell and not container) and (proc.name = x or shell)", EXEC("")), 1);
	assert_int_equal(eval("proc.name = x or proc.name = y or proc.name = bash", EXEC("")), 1);
	assert_int_equal(eval("proc.name = bash and proc.name = x", EXEC("")), 0);
	assert_int_equal(eval("not not shell", EXEC("")), 1);
}

static void expect_err(const char *cond, unsigned line, unsigned col, const char *msg)
{
	char yaml[4096];
	struct diag d = {0};
	snprintf(yaml, sizeof(yaml), "%srules:\n  - id: RP1\n    name: n\n    technique: T1059\n    tactic: TA0002\n"
		 "    severity: low\n    events: [exec]\n    condition: %s\n    output: o\n", prelude, cond);
	assert_null(tr_load("cond.yaml", yaml, &d));
	assert_true(tr_has(&d, "cond.yaml", line, col, msg));
	diag_free(&d);
}

/* prelude is 16 lines; the condition is on line 24 at column 16 */
static void errors(void **s)
{
	(void)s;
	expect_err("proc.nme = a", 24, 16, "unknown field 'proc.nme'");
	expect_err("proc.name = a and shel", 24, 34, "unknown macro or field 'shel'");
	expect_err("proc.name in (shellz)", 24, 30, "unknown list 'shellz'");
	expect_err("(proc.name = a", 24, 30, "unbalanced parenthesis: expected ')' to close the '(' at 24:16");
	expect_err("proc.name = a)", 24, 29, "unbalanced parenthesis: unexpected ')'");
	expect_err("proc.uid = root", 24, 27, "expected an integer for int field 'proc.uid', found 'root'");
	expect_err("proc.name < 3", 24, 26, "type mismatch: operator '<' does not apply to string field 'proc.name'");
	expect_err("proc.uid startswith 1", 24, 25, "type mismatch: operator 'startswith'");
	expect_err("container.privileged = yes", 24, 39, "expected true or false for bool field");
	expect_err("proc.name", 24, 25, "expected an operator");
	expect_err("proc.name = a and", 24, 33, "found end of condition");
	expect_err("proc.name = \"a", 24, 28, "unterminated string");
	expect_err("proc.name in bash", 24, 29, "expected '(' after 'in'");
	expect_err("file.path = /x", 24, 16, "field 'file.path' applies to file events, none of this rule's event types");
	expect_err("k8s.pod.label = a", 24, 16, "unknown field 'k8s.pod.label'");
}

static void macro_errors(void **s)
{
	(void)s;
	struct diag d = {0};
	const char *y = "macros:\n  - {name: a, condition: b and proc.name = x}\n  - {name: b, condition: proc.uid = 0 or a}\n"
			"  - {name: c, condition: proc.uid = }\n"
			"rules:\n  - id: RP1\n    name: n\n    technique: T1059\n    tactic: TA0002\n    severity: low\n"
			"    events: [exec]\n    condition: a or c\n    output: o %proc.nme\n";
	assert_null(tr_load("macro.yaml", y, &d));
	assert_true(tr_has(&d, "macro.yaml", 3, 42, "macro cycle: a -> b -> a"));
	assert_true(tr_has(&d, "macro.yaml", 4, 36, "expected a value, found end of condition"));
	assert_true(tr_has(&d, "macro.yaml", 12, 16, "macro 'a' is invalid"));
	assert_true(tr_has(&d, "macro.yaml", 12, 21, "macro 'c' is invalid"));
	assert_true(tr_has(&d, "macro.yaml", 13, 15, "unknown field 'proc.nme' in output"));
	diag_free(&d);
}

static void folded_condition_positions(void **s)
{
	(void)s;
	struct diag d = {0};
	const char *y = "rules:\n  - id: RP1\n    name: n\n    technique: T1059\n    tactic: TA0002\n    severity: low\n"
			"    events: [exec]\n    condition: >\n      proc.name = a\n        and proc.bogus = 1\n    output: o\n";
	assert_null(tr_load("fold.yaml", y, &d));
	assert_true(tr_has(&d, "fold.yaml", 10, 13, "unknown field 'proc.bogus'"));
	diag_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(equality),	 cmocka_unit_test(integers),	 cmocka_unit_test(string_ops),
		cmocka_unit_test(globs),	 cmocka_unit_test(absent_fields), cmocka_unit_test(lists_fields),
		cmocka_unit_test(logic_and_macros), cmocka_unit_test(errors),	 cmocka_unit_test(macro_errors),
		cmocka_unit_test(folded_condition_positions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
