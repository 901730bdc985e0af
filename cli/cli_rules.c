/* `rampart rules validate|list|fields|explain`. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "doc.h"
#include "event_json.h"
#include "evaluator.h"
#include "fields.h"

#define DEFAULT_RULES "rules"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: rampart rules SUBCOMMAND\n\n"
		"  validate PATH...                       check rule files/directories; every error as\n"
		"                                         file:line:col: message; exit 0 valid, 1 invalid\n"
		"  list [--json] [PATH...]                rules: id, name, technique, tactic, severity\n"
		"                                         (--json adds description and event types)\n"
		"                                         (default PATH: ./" DEFAULT_RULES ")\n"
		"  fields [--json]                        the fields conditions and outputs may use\n"
		"  explain EVENT.json [--rules PATH]... [--cluster NAME]\n"
		"                                         which rules match the event (JSON object of\n"
		"                                         field: value) and, for the others of its type,\n"
		"                                         the first predicate that was false\n");
}

static bool want_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

static int cmd_validate(int argc, char **argv)
{
	struct diag d = {0};
	if (argc < 2) {
		fprintf(stderr, "usage: rampart rules validate PATH...\n");
		return 2;
	}
	struct eval_config *cfg = eval_config_load((const char *const *)argv + 1, (size_t)argc - 1, &d);
	diag_print(&d, stderr);
	size_t nerr = diag_count(&d);
	if (cfg) {
		struct eval_config_info info;
		eval_config_info(cfg, &info);
		printf("ok: %zu rules, %zu predicates, %zu clusters\n", info.rules, info.predicates, info.clusters);
	} else
		fprintf(stderr, "%zu error(s)\n", nerr);
	eval_config_unref(cfg);
	diag_free(&d);
	return cfg ? 0 : 1;
}

static json_t *event_names_json(uint64_t events)
{
	json_t *a = json_array();

	for (int t = 0; t < RP_EV__COUNT; t++)
		if (events & (UINT64_C(1) << t))
			json_array_append_new(a, json_string(rp_event_type_names[t]));
	return a;
}

static void list_json(const struct rules_doc *doc)
{
	json_t *a = json_array();
	for (size_t i = 0; i < doc->nrules; i++) {
		const struct doc_rule *r = &doc->rules[i];
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:b}", "id", r->id, "name",
						   r->name, "description", r->description ? r->description : "",
						   "technique", r->technique, "tactic", r->tactic, "severity",
						   rp_severity_names[r->severity], "events",
						   event_names_json(r->events), "enabled", r->enabled));
	}
	char *s = json_dumps(a, JSON_INDENT(2));
	if (s)
		puts(s);
	free(s);
	json_decref(a);
}

static int cmd_list(int argc, char **argv)
{
	bool json = false;
	const char *paths[64];
	size_t n = 0;
	struct diag d = {0};

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (n < 64)
			paths[n++] = argv[i];
	}
	if (!n)
		paths[n++] = DEFAULT_RULES;
	struct rules_doc *doc = doc_load_paths(paths, n, &d);
	diag_print(&d, stderr);
	if (doc && json)
		list_json(doc);
	for (size_t i = 0; doc && !json && i < doc->nrules; i++) {
		const struct doc_rule *r = &doc->rules[i];
		printf("%-8s %-10s %-7s %-9s %s%s\n", r->id, r->technique, r->tactic, rp_severity_names[r->severity],
		       r->name, r->enabled ? "" : " (disabled by default)");
	}
	int rc = doc && diag_count(&d) == 0 ? 0 : 1;
	doc_free(doc);
	diag_free(&d);
	return rc;
}

static const char *applies(const struct field_def *f)
{
	return field_avail_names[f->avail];
}

static int cmd_fields(int argc, char **argv)
{
	bool json = argc > 1 && strcmp(argv[1], "--json") == 0;
	json_t *a = json ? json_array() : NULL;
	for (size_t i = 0; i < field_count; i++) {
		const struct field_def *f = &field_table[i];
		char name[64];
		snprintf(name, sizeof(name), "%s%s", f->name, f->keyed ? "[KEY]" : "");
		if (json)
			json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:b,s:s}", "name", name, "type",
							   field_type_names[f->type], "applies_to", applies(f),
							   "derived", f->store == FS_DERIVED, "doc", f->doc));
		else
			printf("%-24s %-11s %-24s %s\n", name, field_type_names[f->type], applies(f), f->doc);
	}
	if (json) {
		char *s = json_dumps(a, JSON_INDENT(2));
		if (s)
			puts(s);
		free(s);
		json_decref(a);
	}
	return 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n)
		buf[n] = 0;
	else
		free(buf), buf = NULL;
	fclose(f);
	return buf;
}

static int explain_run(const char *event_path, const char *const *paths, size_t n, const char *cluster)
{
	struct diag d = {0};
	struct event_json_store *st = calloc(1, sizeof(*st));
	struct evaluator *e = evaluator_new();
	struct rp_event ev;
	char err[256], *text = slurp(event_path);
	int rc = 1;

	struct eval_config *cfg = eval_config_load(paths, n, &d);
	diag_print(&d, stderr);
	if (!text)
		fprintf(stderr, "%s: cannot read\n", event_path);
	else if (cfg && st && e && event_json_parse(text, &ev, st, err, sizeof(err)) < 0)
		fprintf(stderr, "%s: %s\n", event_path, err);
	else if (cfg && st && e)
		rc = eval_explain(e, cfg, cluster, &ev, stdout) < 0;
	if (st)
		event_json_free(st);
	free(st), free(text);
	evaluator_free(e);
	eval_config_unref(cfg);
	diag_free(&d);
	return rc;
}

static int cmd_explain(int argc, char **argv)
{
	const char *event = NULL, *cluster = NULL, *paths[64];
	size_t n = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc && n < 64)
			paths[n++] = argv[++i];
		else if (strcmp(argv[i], "--cluster") == 0 && i + 1 < argc)
			cluster = argv[++i];
		else if (!event && argv[i][0] != '-')
			event = argv[i];
		else {
			fprintf(stderr, "rampart rules explain: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (!event) {
		fprintf(stderr, "usage: rampart rules explain EVENT.json [--rules PATH]... [--cluster NAME]\n");
		return 2;
	}
	if (!n)
		paths[n++] = DEFAULT_RULES;
	return explain_run(event, paths, n, cluster);
}

int cli_rules(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (want_help(argc - 1, argv + 1)) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "validate") == 0)
		return cmd_validate(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "fields") == 0)
		return cmd_fields(argc - 1, argv + 1);
	if (strcmp(argv[1], "explain") == 0)
		return cmd_explain(argc - 1, argv + 1);
	fprintf(stderr, "rampart rules: unknown subcommand '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
