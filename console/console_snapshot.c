#include "console_snapshot.h"

#include <stdio.h>
#include <string.h>

int console_snapshot_paths(const struct console_config *c, const struct console_store *store, const char *skip,
			   const char *extra, struct console_strv *out, char *err, size_t errlen)
{
	struct console_strv files = {0};
	int rc = 0;

	for (size_t i = 0; i < c->nrule_paths && rc == 0; i++)
		rc = console_strv_push(out, c->rule_paths[i]);
	if (rc == 0 && console_store_files(store, &files, err, errlen))
		return console_strv_free(&files), -1;
	for (size_t i = 0; i < files.n && rc == 0; i++)
		if (!skip || strcmp(files.v[i], skip) != 0)
			rc = console_strv_push(out, files.v[i]);
	if (rc == 0 && extra)
		rc = console_strv_push(out, extra);
	console_strv_free(&files);
	return rc ? (snprintf(err, errlen, "out of memory"), -1) : 0;
}

int console_snapshot_load(struct console_snapshot *s, const struct console_config *c,
			  const struct console_store *store, char *err, size_t errlen)
{
	struct console_strv paths = {0};

	memset(s, 0, sizeof(*s));
	s->store = store;
	if (console_snapshot_paths(c, store, NULL, NULL, &paths, err, errlen))
		return console_strv_free(&paths), -1;
	s->doc = doc_load_paths((const char *const *)paths.v, paths.n, &s->diag);
	console_strv_free(&paths);
	if (!s->doc) {
		diag_free(&s->diag);
		return snprintf(err, errlen, "out of memory"), -1;
	}
	return 0;
}

void console_snapshot_free(struct console_snapshot *s)
{
	doc_free(s->doc);
	diag_free(&s->diag);
	memset(s, 0, sizeof(*s));
}

static const struct src_pos *entry_pos(const struct rules_doc *doc, enum console_kind k, const char *name)
{
	const struct doc_ruleset *r;
	const struct doc_policy *p;
	const struct doc_cluster *c;

	switch (k) {
	case CONSOLE_RULESETS: return (r = doc_find_ruleset(doc, name)) ? &r->pos : NULL;
	case CONSOLE_POLICIES: return (p = doc_find_policy(doc, name)) ? &p->pos : NULL;
	default: return (c = doc_find_cluster(doc, name)) ? &c->pos : NULL;
	}
}

const char *console_snapshot_source(const struct console_snapshot *s, enum console_kind k, const char *name)
{
	const struct src_pos *at = entry_pos(s->doc, k, name);
	return at ? at->file : NULL;
}

#define COUNT_IN(arr, n, file, total) \
	for (size_t i_ = 0; i_ < (n); i_++) \
		(total) += (arr)[i_].pos.file == (file)

/* Entries of every kind a file defines (positions share the file's name). */
static size_t entries_in(const struct rules_doc *doc, const char *file)
{
	size_t total = 0;
	COUNT_IN(doc->lists, doc->nlists, file, total);
	COUNT_IN(doc->macros, doc->nmacros, file, total);
	COUNT_IN(doc->rules, doc->nrules, file, total);
	COUNT_IN(doc->rulesets, doc->nrulesets, file, total);
	COUNT_IN(doc->policies, doc->npolicies, file, total);
	COUNT_IN(doc->clusters, doc->nclusters, file, total);
	return total;
}

bool console_snapshot_managed(const struct console_snapshot *s, enum console_kind k, const char *name)
{
	const char *file = console_snapshot_source(s, k, name);
	char path[2048];

	return file && console_store_path(s->store, k, name, path, sizeof(path)) == 0 && strcmp(file, path) == 0 &&
	       entries_in(s->doc, file) == 1;
}
