/* Loading rule documents from files and directories, the cross-file checks,
 * and freeing. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "doc_internal.h"

static void top_entry(struct ywalk *w, const char *key, yaml_node_t *v, void *ctx)
{
	struct rules_doc *doc = ctx;
	if (strcmp(key, "lists") == 0)
		doc_lists(w, v, doc);
	else if (strcmp(key, "macros") == 0)
		doc_macros(w, v, doc);
	else if (strcmp(key, "rules") == 0)
		doc_rules(w, v, doc);
	else if (strcmp(key, "rulesets") == 0)
		doc_rulesets(w, v, doc);
	else if (strcmp(key, "policies") == 0)
		doc_policies(w, v, doc);
	else if (strcmp(key, "clusters") == 0)
		doc_clusters(w, v, doc);
}

static void load_documents(struct ywalk *w, yaml_parser_t *p, struct rules_doc *doc)
{
	static const char *const keys[] = {"lists", "macros", "rules", "rulesets", "policies", "clusters", NULL};
	yaml_document_t yd;

	for (;;) {
		if (!yaml_parser_load(p, &yd)) {
			struct src_pos at = {w->file, (unsigned)p->problem_mark.line + 1,
					     (unsigned)p->problem_mark.column + 1};
			diag_add(w->d, at, "YAML syntax error: %s%s%s", p->problem ? p->problem : "unknown",
				 p->context ? " " : "", p->context ? p->context : "");
			return;
		}
		yaml_node_t *root = yaml_document_get_root_node(&yd);
		if (!root) {
			yaml_document_delete(&yd);
			return; /* end of stream */
		}
		w->ydoc = &yd;
		yw_map(w, root, "rules file (top level)", keys, NULL, top_entry, doc);
		yaml_document_delete(&yd);
	}
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			size_t c = cap ? cap * 2 : 16384;
			char *b = realloc(buf, c);
			if (!b)
				break;
			buf = b;
			cap = c;
		}
		size_t k = fread(buf + n, 1, cap - n - 1, f);
		n += k;
		if (k == 0) {
			buf[n] = 0;
			*len = n;
			fclose(f);
			return buf;
		}
	}
	free(buf);
	fclose(f);
	return NULL;
}

int doc_load_file(struct rules_doc *doc, const char *path, struct diag *d)
{
	size_t len = 0, cap = doc->nfiles;
	char *src = slurp(path, &len), *name = strdup(path);
	yaml_parser_t p;

	if (!src || !name || yw_grow(&doc->files, &cap, doc->nfiles, sizeof(char *)) < 0) {
		diag_add(d, (struct src_pos){path, 1, 1}, "cannot read file: %s", strerror(errno ? errno : ENOMEM));
		free(src);
		free(name);
		return -1;
	}
	doc->files[doc->nfiles++] = name;
	struct ywalk w = {NULL, name, src, len, d};
	if (yaml_parser_initialize(&p)) {
		yaml_parser_set_input_string(&p, (const unsigned char *)src, len);
		load_documents(&w, &p, doc);
		yaml_parser_delete(&p);
	}
	free(src);
	return 0;
}

static int yaml_name(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	if (e->d_name[0] == '.')
		return 0;
	if (e->d_type == DT_DIR)
		return 1;
	return (n > 5 && strcmp(e->d_name + n - 5, ".yaml") == 0) || (n > 4 && strcmp(e->d_name + n - 4, ".yml") == 0);
}

static void load_path(struct rules_doc *doc, const char *path, struct diag *d, int depth)
{
	struct stat st;
	struct dirent **ents;
	int n;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode) || depth > 8) {
		doc_load_file(doc, path, d);
		return;
	}
	if ((n = scandir(path, &ents, yaml_name, alphasort)) < 0) {
		diag_add(d, (struct src_pos){path, 1, 1}, "cannot read directory: %s", strerror(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		char sub[4096];
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, ents[i]->d_name) < sizeof(sub))
			load_path(doc, sub, d, depth + 1);
		free(ents[i]);
	}
	free(ents);
}

struct rules_doc *doc_load_paths(const char *const *paths, size_t n, struct diag *d)
{
	struct rules_doc *doc = calloc(1, sizeof(*doc));
	if (!doc)
		return NULL;
	for (size_t i = 0; i < n; i++)
		load_path(doc, paths[i], d, 0);
	doc_check(doc, d);
	return doc;
}

void doc_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void doc_text_free(struct doc_text *t)
{
	free(t->text);
	free(t->raw);
}

void doc_list_free(struct doc_list *l)
{
	free(l->name);
	doc_strv_free(l->items, l->nitems);
}

void doc_macro_free(struct doc_macro *m)
{
	free(m->name);
	doc_text_free(&m->cond);
}

void doc_rule_free(struct doc_rule *r)
{
	free(r->id), free(r->name), free(r->description), free(r->technique), free(r->tactic);
	doc_text_free(&r->cond);
	doc_text_free(&r->output);
	doc_strv_free(r->tags, r->ntags);
}

static void labels_free(struct doc_label *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i].key), free(l[i].value);
	free(l);
}

void doc_ruleset_free(struct doc_ruleset *r)
{
	free(r->name), free(r->description);
	labels_free(r->labels, r->nlabels);
	for (size_t i = 0; i < r->nrules; i++)
		free(r->rules[i].id);
	free(r->rules);
}

void doc_policy_free(struct doc_policy *p)
{
	free(p->name), free(p->description), free(p->rs_pos);
	doc_strv_free(p->rulesets, p->nrulesets);
}

void doc_cluster_free(struct doc_cluster *c)
{
	free(c->name), free(c->policy), free(c->protection_version);
	labels_free(c->labels, c->nlabels);
}

void doc_free(struct rules_doc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->nlists; i++)
		doc_list_free(&doc->lists[i]);
	for (size_t i = 0; i < doc->nmacros; i++)
		doc_macro_free(&doc->macros[i]);
	for (size_t i = 0; i < doc->nrules; i++)
		doc_rule_free(&doc->rules[i]);
	for (size_t i = 0; i < doc->nrulesets; i++)
		doc_ruleset_free(&doc->rulesets[i]);
	for (size_t i = 0; i < doc->npolicies; i++)
		doc_policy_free(&doc->policies[i]);
	for (size_t i = 0; i < doc->nclusters; i++)
		doc_cluster_free(&doc->clusters[i]);
	free(doc->lists), free(doc->macros), free(doc->rules), free(doc->rulesets), free(doc->policies);
	free(doc->clusters);
	doc_strv_free(doc->files, doc->nfiles);
	free(doc);
}
