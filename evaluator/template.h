/* Output templates: text with %field references (%proc.name,
 * %k8s.pod.label[app]); "%%" is a literal '%'. A reference is the longest
 * run of field-name characters after '%', trailing dots excluded, so
 * "opened %file.path." works. Compiled once; rendered into a caller buffer
 * without allocating. Absent fields render as <NA>, lists space-joined. */
#ifndef RAMPART_EVAL_TEMPLATE_H
#define RAMPART_EVAL_TEMPLATE_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "doc.h"
#include "fields.h"

struct tmpl_seg {
	const struct field_def *field; /* NULL: literal */
	struct rp_str text;	       /* literal text or the field's key */
};

struct tmpl {
	struct tmpl_seg *segs;
	uint32_t n;
};

/* -1 after reporting unknown fields at their file:line:col. */
int tmpl_compile(struct arena *a, const struct doc_text *t, struct tmpl *out, struct diag *d);
/* Renders at most cap - 1 bytes plus NUL; returns the length. */
size_t tmpl_render(const struct tmpl *t, const struct rp_event *ev, struct field_scratch *sc, char *out, size_t cap);

#endif
