/* Condition trees to flat code: macro expansion with cycle detection,
 * predicate compilation (hash sets, affix arrays), short-circuit jumps. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"

enum { MS_NEW, MS_VISITING, MS_OK, MS_BAD };

struct macro_state {
	struct cond_node *ast;
	int state;
};

static int grow(void *pp, uint32_t *cap, uint32_t n, size_t el)
{
	void **p = pp;
	if (n < *cap)
		return 0;
	uint32_t c = *cap ? *cap * 2 : 64;
	void *q = realloc(*p, (size_t)c * el);
	if (!q)
		return -1;
	*p = q, *cap = c;
	return 0;
}

static void cycle_path(struct cond_compiler *cc, size_t *stack, size_t depth, size_t to, char *out, size_t n)
{
	size_t k = 0, i = 0;
	while (i < depth && stack[i] != to)
		i++;
	for (; i < depth && k < n; i++)
		k += (size_t)snprintf(out + k, n - k, "%s -> ", cc->env.macros[stack[i]].name);
	if (k < n)
		snprintf(out + k, n - k, "%s", cc->env.macros[to].name);
}

static bool visit(struct cond_compiler *cc, size_t m, size_t *stack, size_t depth);

/* Walks a macro's tree for references; false if any is bad or cyclic. */
static bool visit_refs(struct cond_compiler *cc, size_t m, const struct cond_node *n, size_t *stack, size_t depth)
{
	if (!n)
		return true;
	if (n->kind == CN_MACRO) {
		struct macro_state *r = &cc->macros[n->macro];
		if (r->state == MS_VISITING) {
			char path[512];
			cycle_path(cc, stack, depth, n->macro, path, sizeof(path));
			diag_add(cc->env.d, doc_text_pos(&cc->env.macros[m].cond, n->off), "macro cycle: %s", path);
			return false;
		}
		return visit(cc, n->macro, stack, depth);
	}
	bool a = visit_refs(cc, m, n->a, stack, depth);
	return visit_refs(cc, m, n->b, stack, depth) && a;
}

static bool visit(struct cond_compiler *cc, size_t m, size_t *stack, size_t depth)
{
	struct macro_state *s = &cc->macros[m];
	if (s->state != MS_NEW)
		return s->state == MS_OK;
	s->state = MS_VISITING;
	stack[depth] = m;
	s->ast = cond_parse(&cc->env, &cc->env.macros[m].cond);
	bool ok = s->ast && visit_refs(cc, m, s->ast, stack, depth + 1);
	s->state = ok ? MS_OK : MS_BAD;
	return ok;
}

int cond_compile_init(struct cond_compiler *cc)
{
	size_t n = cc->env.nmacros;
	size_t *stack = calloc(n + 1, sizeof(*stack));
	cc->macros = calloc(n + 1, sizeof(*cc->macros));
	if (!stack || !cc->macros) {
		free(stack);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		visit(cc, i, stack, 0);
	free(stack);
	return 0;
}

void cond_compile_fini(struct cond_compiler *cc)
{
	free(cc->macros);
	cc->macros = NULL;
}

static int fill_pred(struct arena *a, struct cpred *c, const struct cond_pred *p)
{
	c->field = p->field, c->key = p->key, c->op = (uint8_t)p->op, c->b = p->b, c->origin = p;
	c->strs = p->strs, c->nstrs = p->nstrs, c->ints = p->ints, c->nints = p->nints;
	if (p->nstrs)
		c->s = p->strs[0];
	c->src = arena_strndup(a, p->text->text + p->off, p->len);
	if (!c->src)
		return -1;
	switch (p->op) {
	case OP_IN:
		return c->field->type == FT_INT ? 0 : strset_build(a, &c->set, p->strs, p->nstrs);
	case OP_STARTSWITH:
	case OP_ENDSWITH:
		return affix_build(a, &c->affix, p->strs, p->nstrs, p->op == OP_ENDSWITH);
	case OP_ICONTAINS:
		for (uint32_t i = 0; i < p->nstrs; i++) /* operands are arena copies: ours to lower */
			for (uint32_t k = 0; k < p->strs[i].len; k++)
				((char *)p->strs[i].ptr)[k] = (char)tolower((unsigned char)p->strs[i].ptr[k]);
		return 0;
	default:
		return 0;
	}
}

static bool rp_str_eq(struct rp_str a, struct rp_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* The same test written in several rules (not proc.name in (list)) is one
 * pool entry too, so the per-event memo evaluates it once. */
static bool same_pred(const struct cond_pred *a, const struct cond_pred *b)
{
	if (a == b)
		return true;
	if (a->field != b->field || a->op != b->op || a->b != b->b || a->nstrs != b->nstrs || a->nints != b->nints ||
	    !rp_str_eq(a->key, b->key))
		return false;
	for (uint32_t i = 0; i < a->nstrs; i++)
		if (!rp_str_eq(a->strs[i], b->strs[i]))
			return false;
	return a->nints == 0 || memcmp(a->ints, b->ints, a->nints * sizeof(*a->ints)) == 0;
}

static int pred_index(struct cond_compiler *cc, const struct cond_pred *p, const char *where, uint32_t *out)
{
	struct program *g = cc->prog;
	for (uint32_t i = 0; i < g->npreds; i++)
		if (same_pred(g->preds[i].origin, p))
			return *out = i, 0; /* shared: a macro's, or written alike */
	if (grow(&g->preds, &g->pcap, g->npreds, sizeof(*g->preds)) < 0)
		return -1;
	struct cpred *c = &g->preds[g->npreds];
	memset(c, 0, sizeof(*c));
	c->where = where;
	if (fill_pred(cc->env.arena, c, p) < 0)
		return -1;
	*out = g->npreds++;
	return 0;
}

static int emit(struct cond_compiler *cc, uint32_t op, uint32_t arg, uint32_t *at)
{
	struct program *g = cc->prog;
	if (grow(&g->code, &g->ccap, g->ncode, sizeof(*g->code)) < 0)
		return -1;
	g->code[g->ncode] = (struct insn){op, arg};
	if (at)
		*at = g->ncode;
	g->ncode++;
	return 0;
}

struct emit_ctx {
	uint32_t base;
	uint64_t events;
	const char *where;
	bool in_macro;
};

static bool applies(const struct field_def *f, uint64_t events)
{
	for (int t = 1; t < RP_EV__COUNT; t++)
		if ((events >> t & 1) && field_applies_to(f, (enum rp_event_type)t))
			return true;
	return false;
}

static int emit_tree(struct cond_compiler *cc, const struct cond_node *n, struct emit_ctx *ec)
{
	uint32_t j, idx;
	switch (n->kind) {
	case CN_PRED:
		if (!ec->in_macro && !applies(n->pred->field, ec->events)) {
			diag_add(cc->env.d, doc_text_pos(n->pred->text, n->pred->off), "field '%s' applies to %s, none "
				 "of this rule's event types (it would never match)", n->pred->field->name,
				 field_avail_names[n->pred->field->avail]);
			return -2;
		}
		if (pred_index(cc, n->pred, ec->where, &idx) < 0)
			return -1;
		return emit(cc, I_PRED, idx, NULL);
	case CN_NOT: {
		int r = emit_tree(cc, n->a, ec);
		return r ? r : emit(cc, I_NOT, 0, NULL);
	}
	case CN_AND:
	case CN_OR: {
		int r = emit_tree(cc, n->a, ec);
		if (r || (r = emit(cc, n->kind == CN_AND ? I_JF : I_JT, 0, &j)) || (r = emit_tree(cc, n->b, ec)))
			return r;
		cc->prog->code[j].arg = cc->prog->ncode - ec->base;
		return 0;
	}
	case CN_MACRO: {
		bool was = ec->in_macro;
		ec->in_macro = true;
		int r = emit_tree(cc, cc->macros[n->macro].ast, ec);
		ec->in_macro = was;
		return r;
	}
	}
	return -1;
}

/* Macro references a rule makes to macros that failed: one error each. */
static bool refs_ok(struct cond_compiler *cc, const struct doc_text *t, const struct cond_node *n)
{
	if (!n)
		return true;
	if (n->kind == CN_MACRO && cc->macros[n->macro].state != MS_OK) {
		const struct doc_macro *m = &cc->env.macros[n->macro];
		diag_add(cc->env.d, doc_text_pos(t, n->off), "macro '%s' is invalid (see the errors at %s:%u:%u)",
			 m->name, m->pos.file, m->pos.line, m->pos.col);
		return false;
	}
	bool a = refs_ok(cc, t, n->a);
	return refs_ok(cc, t, n->b) && a;
}

int cond_compile_rule(struct cond_compiler *cc, const struct doc_text *cond, uint64_t events, const char *where,
		      uint32_t *start, uint32_t *len)
{
	struct cond_node *ast = cond_parse(&cc->env, cond);
	if (!ast || !refs_ok(cc, cond, ast))
		return -1;
	struct emit_ctx ec = {cc->prog->ncode, events, where, false};
	int r = emit_tree(cc, ast, &ec);
	if (r) {
		cc->prog->ncode = ec.base; /* drop the partial rule */
		if (r == -1)
			diag_add(cc->env.d, cond->pos, "out of memory compiling condition");
		return -1;
	}
	*start = ec.base;
	*len = cc->prog->ncode - ec.base;
	return 0;
}

void program_free(struct program *p)
{
	free(p->preds);
	free(p->code);
	memset(p, 0, sizeof(*p));
}
