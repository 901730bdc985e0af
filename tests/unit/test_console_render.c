/* console_request + console_render without a server: shapes accepted and
 * refused, the rendered document is JSON and loads as a rule document with
 * the same content, hostile text stays data, and loader errors map back to
 * the request's fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "console_render.h"
#include "console_request.h"
#include "doc.h"

static json_t *parse(enum console_kind k, const char *body, int status, const char *field)
{
	struct console_error e = {0};
	json_t *o = console_request_parse(k, body, strlen(body), false, &e);

	if (status == 0) {
		if (!o)
			print_error("refused: %s (%s)\n", e.msg, e.field);
		assert_non_null(o);
		return o;
	}
	assert_null(o);
	assert_int_equal(e.status, status);
	assert_string_equal(e.field, field);
	return NULL;
}

/* Loads the rendered text with the evaluator's loader from a file. */
static struct rules_doc *load(const struct console_render *r, struct diag *d, char *path, size_t n)
{
	struct rules_doc *doc = calloc(1, sizeof(*doc));
	snprintf(path, n, "%s/console-render-XXXXXX.yaml", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, r->text, r->len), (ssize_t)r->len);
	close(fd);
	assert_int_equal(doc_load_file(doc, path, d), 0);
	return doc;
}

static void test_shapes(void **state)
{
	(void)state;
	json_decref(parse(CONSOLE_RULESETS, "{\"name\":\"a\",\"description\":null,\"rules\":[]}", 0, NULL));
	parse(CONSOLE_RULESETS, "{\"name\":\"a\",\"labels\":{\"k\":true},\"rules\":[]}", 400, "labels[0].value");
	parse(CONSOLE_RULESETS, "{\"name\":\"a\",\"rules\":{}}", 400, "rules");
	parse(CONSOLE_RULESETS, "{\"name\":\"a\",\"rules\":[7]}", 400, "rules[0]");
	parse(CONSOLE_POLICIES, "{\"name\":\"p\",\"rulesets\":[\"a\",3]}", 400, "rulesets[1]");
	parse(CONSOLE_CLUSTERS, "{\"name\":\"c\",\"rules\":[]}", 400, "rules");
	parse(CONSOLE_CLUSTERS, "{\"name\":null}", 400, "name");
	parse(CONSOLE_RULESETS, "nope", 400, "");
}

static void test_roundtrip(void **state)
{
	const char *body = "{\"name\":\"web.strict\",\"description\":\"quote \\\" back\\\\slash\\nnew line \\u00e9 "
			   "\\ud83d\\ude00 \\u0001\",\"labels\":{\"env\":\"prod\",\"team\":\"pay\"},"
			   "\"rules\":[{\"id\":\"RP1\",\"enabled\":false,\"action\":\"isolate\"},{\"id\":\"RP2\",\"action\":\"log\"}]}";
	json_t *entry = parse(CONSOLE_RULESETS, body, 0, NULL);
	struct console_render r;
	struct diag d = {0};
	char path[256];
	json_error_t je;

	(void)state;
	assert_int_equal(console_render(CONSOLE_RULESETS, entry, &r), 0);
	json_t *as_json = json_loads(r.text, 0, &je); /* the topic carries JSON */
	assert_non_null(as_json);
	assert_true(json_equal(json_array_get(json_object_get(as_json, "rulesets"), 0), entry));
	struct rules_doc *doc = load(&r, &d, path, sizeof(path));
	diag_print(&d, stdout);
	assert_int_equal(diag_count(&d), 0);
	assert_int_equal(doc->nrulesets, 1);
	const struct doc_ruleset *rs = &doc->rulesets[0];
	assert_string_equal(rs->name, "web.strict");
	assert_string_equal(rs->description, json_string_value(json_object_get(entry, "description")));
	assert_int_equal(rs->nlabels, 2);
	assert_string_equal(rs->labels[1].value, "pay");
	assert_int_equal(rs->nrules, 2);
	assert_false(rs->rules[0].enabled);
	assert_true(rs->rules[1].enabled);
	/* fields of positions: rule 1's action, label 0's value, the name */
	char field[CONSOLE_FIELD_MAX];
	console_render_field(&r, rs->rules[1].pos.line, 200, "unknown action", field, sizeof(field));
	assert_string_equal(field, "rules[1].action");
	console_render_field(&r, rs->rules[1].pos.line, rs->rules[1].pos.col, "unknown rule id", field, sizeof(field));
	assert_string_equal(field, "rules[1].id");
	console_render_field(&r, rs->labels[0].pos.line, rs->labels[0].pos.col, "x", field, sizeof(field));
	assert_string_equal(field, "labels[0].key");
	console_render_field(&r, rs->labels[0].pos.line, rs->labels[0].pos.col + 8, "x", field, sizeof(field));
	assert_string_equal(field, "labels[0].value");
	console_render_field(&r, rs->pos.line, rs->pos.col, "missing key 'rules' in ruleset", field, sizeof(field));
	assert_string_equal(field, "rules");
	console_render_field(&r, 2, 10, "x", field, sizeof(field));
	assert_string_equal(field, "name");
	unlink(path);
	doc_free(doc);
	diag_free(&d);
	json_decref(as_json);
	console_render_free(&r);
	json_decref(entry);
}

static void test_cluster_and_policy(void **state)
{
	json_t *c = parse(CONSOLE_CLUSTERS, "{\"name\":\"ecs-1\",\"orchestrator\":\"ecs\",\"policy\":\"p\","
			  "\"protection_version\":\"2.2.3\",\"labels\":{}}", 0, NULL);
	json_t *p = parse(CONSOLE_POLICIES, "{\"name\":\"p\",\"rulesets\":[]}", 0, NULL);
	struct console_render rc, rp;
	struct diag d = {0};
	char path[256];

	(void)state;
	assert_int_equal(console_render(CONSOLE_CLUSTERS, c, &rc), 0);
	assert_int_equal(console_render(CONSOLE_POLICIES, p, &rp), 0);
	struct rules_doc *doc = load(&rc, &d, path, sizeof(path));
	unlink(path);
	assert_int_equal(diag_count(&d), 0);
	assert_int_equal(doc->nclusters, 1);
	assert_string_equal(doc->clusters[0].protection_version, "2.2.3");
	doc_free(doc);
	doc = load(&rp, &d, path, sizeof(path));
	unlink(path);
	assert_int_equal(diag_count(&d), 0);
	assert_int_equal(doc->npolicies, 1);
	doc_free(doc);
	diag_free(&d);
	console_render_free(&rc);
	console_render_free(&rp);
	json_decref(c);
	json_decref(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_shapes), cmocka_unit_test(test_roundtrip),
					   cmocka_unit_test(test_cluster_and_policy)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
