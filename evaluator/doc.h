/* The rule documents as loaded from YAML, before compilation.
 *
 * One file may hold any of the top-level keys `lists`, `macros`, `rules`
 * (the catalog and user rule files), `rulesets`, `policies`, `clusters`.
 * doc_load_paths reads files and directories (every *.yaml / *.yml below a
 * directory, in name order) into one struct rules_doc, reports every error
 * of every file to *d as file:line:col, and then checks what spans files:
 * duplicate names, list appends without a base list, unknown rule ids in
 * rulesets, unknown rulesets in policies, unknown policies in clusters.
 * Conditions and output templates are only stored here; compile.h parses
 * them. The result is usable (for listing) even when errors were reported;
 * a configuration is only built from an error-free document. */
#ifndef RAMPART_EVAL_DOC_H
#define RAMPART_EVAL_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "diag.h"
#include "event.h"
#include "verdict.h"

/* A scalar whose characters need source positions (conditions, outputs). */
struct doc_text {
	char *text;
	struct src_pos pos; /* of the scalar's first source character */
	char *raw;	    /* the scalar's source text, indicators included */
	int style;	    /* yaml_scalar_style_t */
};

struct doc_label {
	char *key, *value;
	struct src_pos pos;
};

struct doc_list {
	char *name;
	struct src_pos pos;
	bool append;
	char **items;
	size_t nitems;
};

struct doc_macro {
	char *name;
	struct src_pos pos;
	struct doc_text cond;
};

struct doc_rule {
	char *id, *name, *description, *technique, *tactic;
	struct src_pos pos;
	enum rp_severity severity;
	uint64_t events; /* bit per enum rp_event_type */
	struct doc_text cond, output;
	char **tags;
	size_t ntags;
	bool enabled; /* enabled by default (explain without --cluster, list) */
};

struct doc_rs_rule {
	char *id;
	struct src_pos pos;
	bool enabled;
	enum rp_action action;
};

struct doc_ruleset {
	char *name, *description;
	struct src_pos pos;
	struct doc_label *labels;
	size_t nlabels;
	struct doc_rs_rule *rules;
	size_t nrules;
};

struct doc_policy {
	char *name, *description;
	struct src_pos pos;
	char **rulesets;
	struct src_pos *rs_pos;
	size_t nrulesets;
};

struct doc_cluster {
	char *name, *policy, *protection_version;
	struct src_pos pos, policy_pos;
	enum rp_orchestrator orchestrator;
	struct doc_label *labels;
	size_t nlabels;
	unsigned version[4]; /* protection_version, numerically */
};

struct rules_doc {
	char **files; /* owned names every src_pos.file points to */
	size_t nfiles;
	struct doc_list *lists;
	size_t nlists;
	struct doc_macro *macros;
	size_t nmacros;
	struct doc_rule *rules;
	size_t nrules;
	struct doc_ruleset *rulesets;
	size_t nrulesets;
	struct doc_policy *policies;
	size_t npolicies;
	struct doc_cluster *clusters;
	size_t nclusters;
};

/* Loads and checks; returns NULL only when out of memory. */
struct rules_doc *doc_load_paths(const char *const *paths, size_t n, struct diag *d);
/* Adds one file's documents (no cross-file checks); -1 if unreadable. */
int doc_load_file(struct rules_doc *doc, const char *path, struct diag *d);
/* The cross-file checks doc_load_paths runs after loading every file. */
void doc_check(const struct rules_doc *doc, struct diag *d);
void doc_free(struct rules_doc *doc);

/* Source position of byte off of t->text. */
struct src_pos doc_text_pos(const struct doc_text *t, size_t off);

/* Versions like 2.10.0: <0, 0, >0 as a is older, equal, newer. */
int doc_version_cmp(const unsigned a[4], const unsigned b[4]);
/* Parses "1", "2.2", "2.2.3" or "1.2.3.4"; -1 on anything else. */
int doc_version_parse(const char *s, unsigned out[4]);

/* Lookups by name; NULL when absent. */
const struct doc_rule *doc_find_rule(const struct rules_doc *doc, const char *id);
const struct doc_ruleset *doc_find_ruleset(const struct rules_doc *doc, const char *name);
const struct doc_policy *doc_find_policy(const struct rules_doc *doc, const char *name);
const struct doc_cluster *doc_find_cluster(const struct rules_doc *doc, const char *name);

#endif
