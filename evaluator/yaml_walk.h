/* Walking a libyaml document with friendly errors: every helper reports
 * what it expected at the node's file:line:col and returns a failure the
 * caller can ignore to keep validating the rest of the file. */
#ifndef RAMPART_EVAL_YAML_WALK_H
#define RAMPART_EVAL_YAML_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "diag.h"
#include "doc.h"

struct ywalk {
	yaml_document_t *ydoc;
	const char *file;
	const char *src; /* whole file, for doc_text raw slices */
	size_t srclen;
	struct diag *d;
};

typedef void (*yw_entry_fn)(struct ywalk *w, const char *key, yaml_node_t *val, void *ctx);

struct src_pos yw_pos(const struct ywalk *w, const yaml_node_t *n);
yaml_node_t *yw_node(const struct ywalk *w, int idx);
/* Walks a mapping: reports unknown keys (naming the allowed ones),
 * duplicate keys and missing required keys (`required`, NULL-terminated);
 * calls fn for every other entry. false if n is not a mapping. */
bool yw_map(struct ywalk *w, yaml_node_t *n, const char *what, const char *const *allowed,
	    const char *const *required, yw_entry_fn fn, void *ctx);
bool yw_is_seq(struct ywalk *w, yaml_node_t *n, const char *what);
/* Scalar as a new string; NULL (reported) if n is not a non-empty scalar. */
char *yw_str(struct ywalk *w, yaml_node_t *n, const char *what);
int yw_bool(struct ywalk *w, yaml_node_t *n, const char *what, bool *out);
/* Index of the scalar in names[0..count) or -1 (reported, listing names). */
int yw_enum(struct ywalk *w, yaml_node_t *n, const char *what, const char *const *names, size_t count);
int yw_text(struct ywalk *w, yaml_node_t *n, const char *what, struct doc_text *out);
/* A sequence of non-empty scalars; *n set; NULL with *n = 0 on error. */
char **yw_strlist(struct ywalk *w, yaml_node_t *n, const char *what, size_t *count);
/* key: value mapping, keys and values validated as Kubernetes labels. */
struct doc_label *yw_labels(struct ywalk *w, yaml_node_t *n, const char *what, size_t *count);

/* Grows *p (elements of size el) to hold n + 1; -1 on no memory. */
int yw_grow(void *p, size_t *cap, size_t n, size_t el);

#endif
