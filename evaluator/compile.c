/* Condition trees to flat code: macro expansion with cycle detection,
 * predicate compilation (hash sets, affix arrays), short-circuit jumps. */
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

static uint8_t str_test_of(enum cond_op op, uint32_t nstrs)
{
	switch (op) {
	case OP_EQ: return PT_S_EQ;
	case OP_NE: return PT_S_NE;
	case OP_IN: return nstrs == 0 ? PT_FALSE : nstrs == 1 ? PT_S_EQ : PT_S_IN;
	case OP_STARTSWITH:
	case OP_ENDSWITH: return PT_S_AFFIX;
	case OP_CONTAINS: return PT_S_CONTAINS;
	case OP_ICONTAINS: return PT_S_ICONTAINS;
	case OP_GLOB: return PT_S_GLOB;
	case OP_EXISTS: return PT_TRUE;
	default: return PT_FALSE;
	}
}

/* Flattens the field's access and picks the test, so evaluation is two
 * switches on small numbers and no lookups. Must agree with cpred_eval_ref. */
static void specialise(struct cpred *c)
{
	const struct field_def *f = c->field;
	enum cond_op op = (enum cond_op)c->op;

	c->off = f->off, c->count_off = f->count_off, c->memo = f->memo;
	switch (f->avail) {
	case FA_ALWAYS: c->avail = 0; break;
	case FA_POD: c->avail = 2, c->avail_val = RP_WORKLOAD_POD; break;
	case FA_ECS: c->avail = 2, c->avail_val = RP_WORKLOAD_ECS_TASK; break;
	case FA_FILE: c->avail = 1, c->avail_val = RP_ARGS_FILE; break;
	case FA_NET: c->avail = 1, c->avail_val = RP_ARGS_NET; break;
	case FA_PROC: c->avail = 1, c->avail_val = RP_ARGS_PROC; break;
	case FA_NS: c->avail = 1, c->avail_val = RP_ARGS_NS; break;
	case FA_KERNEL: c->avail = 1, c->avail_val = RP_ARGS_KERNEL; break;
	default: c->avail = 0; break;
	}
	switch (f->store) {
	case FS_STR: c->fetch = PF_STR; break;
	case FS_I32: c->fetch = PF_I32; break;
	case FS_I64: c->fetch = PF_I64; break;
	case FS_BOOL: c->fetch = PF_BOOL; break;
	case FS_STRLIST: c->fetch = PF_LIST; break;
	case FS_DERIVED: c->fetch = f->type == FT_STR ? PF_DSTR : f->type == FT_INT ? PF_DNUM : PF_DBOOL; break;
	}
	c->i = c->nints ? c->ints[0] : 0;
	switch (f->type) {
	case FT_STR: c->test = str_test_of(op, c->nstrs); break;
	case FT_STRLIST:
		c->test = op == OP_EXISTS ? PT_L_EXISTS : op == OP_NE ? PT_L_NE : PT_L_ANY;
		c->stest = str_test_of(op, c->nstrs);
		break;
	case FT_INT:
		switch (op) {
		case OP_EQ: c->test = PT_I_EQ; break;
		case OP_NE: c->test = PT_I_NE; break;
		case OP_LT: c->test = PT_I_LT; break;
		case OP_LE: c->test = PT_I_LE; break;
		case OP_GT: c->test = PT_I_GT; break;
		case OP_GE: c->test = PT_I_GE; break;
		case OP_IN: c->test = c->nints == 1 ? PT_I_EQ : PT_I_IN; break;
		case OP_EXISTS: c->test = PT_TRUE; break;
		default: c->test = PT_FALSE; break;
		}
		break;
	case FT_BOOL:
		switch (op) {
		case OP_EQ: c->test = PT_B_EQ; break;
		case OP_NE: c->test = PT_B_NE; break;
		case OP_TRUTH: c->test = PT_B_EQ, c->b = true; break;
		default: c->test = PT_TRUE; break; /* exists */
		}
		break;
	default: c->test = PT_FALSE; break;
	}
}

/* Globs that are all equalities, all prefixes or all suffixes (or contain
 * a bare "*") run as the equivalent set: "*.so" is endswith ".so". */
static int glob_simplify(struct arena *a, struct cpred *c)
{
	const struct globset *g = &c->glob;
	uint8_t *test = c->field->type == FT_STRLIST ? &c->stest : &c->test;
	uint32_t count[GLOB_GENERIC + 1] = {0};
	if (g->n == 0)
		return 0;
	for (uint32_t i = 0; i < g->n; i++)
		count[g->v[i].kind]++;
	if (count[GLOB_ANY]) {
		*test = PT_TRUE;
		return 0;
	}
	enum glob_kind k = g->v[0].kind;
	if (count[k] != g->n || k == GLOB_CONTAINS || k == GLOB_GENERIC)
		return 0;
	struct rp_str *lits = arena_alloc(a, g->n * sizeof(*lits));
	if (!lits)
		return -1;
	for (uint32_t i = 0; i < g->n; i++)
		lits[i] = g->v[i].lit;
	if (k == GLOB_EQ) {
		if (g->n == 1) {
			c->s = lits[0];
			*test = PT_S_EQ;
			return 0;
		}
		*test = PT_S_IN;
		return strset_build(a, &c->set, lits, g->n);
	}
	*test = PT_S_AFFIX;
	return affix_build(a, &c->affix, lits, g->n, k == GLOB_SUFFIX);
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
	specialise(c);
	switch (p->op) {
	case OP_IN:
		return c->field->type == FT_INT ? 0 : strset_build(a, &c->set, p->strs, p->nstrs);
	case OP_STARTSWITH:
	case OP_ENDSWITH:
		return affix_build(a, &c->affix, p->strs, p->nstrs, p->op == OP_ENDSWITH);
	case OP_GLOB:
		return globset_build(a, &c->glob, p->strs, p->nstrs) < 0 ? -1 : glob_simplify(a, c);
	case OP_ICONTAINS:
		for (uint32_t i = 0; i < p->nstrs; i++) /* operands are arena copies: ours to lower (ASCII) */
			for (uint32_t k = 0; k < p->strs[i].len; k++) {
				char *ch = (char *)p->strs[i].ptr + k;
				if (*ch >= 'A' && *ch <= 'Z')
					*ch = (char)(*ch | 0x20);
			}
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

/* Follows jumps that land on jumps: with acc unchanged, a JF reaching a JF
 * takes it too, and a JF reaching a JT falls through it (JT and JF alike). */
static uint32_t thread_jump(const struct insn *c, uint32_t n, uint32_t op, uint32_t t)
{
	while (t < n) {
		if (c[t].op == op)
			t = c[t].arg;
		else if (c[t].op == (op == I_JF ? I_JT : I_JF))
			t = t + 1;
		else
			break;
	}
	return t;
}

/* One rule: code c[0..n) to fast code f[0..n). */
static int fast_rule(const struct insn *c, struct finsn *f, uint32_t n, const struct cpred *preds)
{
	bool *target = calloc((size_t)n + 1, sizeof(*target));
	uint32_t *at = calloc((size_t)n + 1, sizeof(*at)); /* old pc -> new pc */
	uint32_t *jt = calloc((size_t)n + 1, sizeof(*jt)); /* threaded targets */
	if (!target || !at || !jt)
		return free(target), free(at), free(jt), -1;
	for (uint32_t pc = 0; pc < n; pc++)
		if (c[pc].op == I_JF || c[pc].op == I_JT) {
			jt[pc] = thread_jump(c, n, c[pc].op, c[pc].arg);
			target[jt[pc] < n ? jt[pc] : n] = true;
		}
	uint32_t k = 0;
	for (uint32_t pc = 0; pc < n;) {
		at[pc] = k;
		struct finsn in = {0};
		switch (c[pc].op) {
		case I_PRED:
		case I_PREDM:
			in.op = F_PRED, in.pred = c[pc].arg;
			in.flags = preds[c[pc].arg].refs > 1 ? FF_MEMO : 0;
			pc++;
			if (pc < n && c[pc].op == I_NOT && !target[pc]) {
				in.flags |= FF_NEG;
				at[pc++] = k;
			}
			if (pc < n && (c[pc].op == I_JF || c[pc].op == I_JT) && !target[pc]) {
				in.op = c[pc].op == I_JF ? F_PRED_JF : F_PRED_JT;
				in.target = jt[pc]; /* old pc for now */
				at[pc++] = k;
			}
			break;
		case I_NOT: in.op = F_NOT, pc++; break;
		case I_JF:
		case I_JT:
			in.op = c[pc].op == I_JF ? F_JF : F_JT, in.target = jt[pc];
			pc++;
			break;
		default: /* unknown: keep the slot so positions stay meaningful */
			in.op = F_END, pc++;
			break;
		}
		f[k++] = in;
	}
	at[n] = k;
	for (uint32_t i = 0; i < k; i++)
		if (f[i].op == F_PRED_JF || f[i].op == F_PRED_JT || f[i].op == F_JF || f[i].op == F_JT)
			f[i].target = f[i].target >= n ? n : at[f[i].target]; /* n: leave (acc is the result) */
	for (uint32_t i = k; i < n; i++)
		f[i] = (struct finsn){F_END, 0, 0, 0};
	free(target), free(at), free(jt);
	return 0;
}

int program_finish(struct program *p)
{
	for (uint32_t i = 0; i < p->npreds; i++)
		p->preds[i].refs = 0;
	for (uint32_t i = 0; i < p->ncode; i++)
		if (p->code[i].op == I_PRED || p->code[i].op == I_PREDM)
			p->preds[p->code[i].arg].refs++;
	for (uint32_t i = 0; i < p->ncode; i++)
		if (p->code[i].op == I_PRED || p->code[i].op == I_PREDM)
			p->code[i].op = p->preds[p->code[i].arg].refs > 1 ? I_PREDM : I_PRED;
	free(p->fast);
	p->fast = calloc((size_t)p->ncode + 1, sizeof(*p->fast));
	return p->fast ? 0 : -1;
}

/* Fast code for the rule at code[start .. start+n); after program_finish. */
int program_fast_rule(struct program *p, uint32_t start, uint32_t n)
{
	return n ? fast_rule(p->code + start, p->fast + start, n, p->preds) : 0;
}

void program_free(struct program *p)
{
	free(p->preds);
	free(p->code);
	free(p->fast);
	memset(p, 0, sizeof(*p));
}
