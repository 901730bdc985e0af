/* Predicates: FIELD op operand, type-checked against the field table. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "parser_internal.h"

/* Operators each field type accepts, as a bit per enum cond_op. */
#define B(o) (1u << (o))
static const unsigned allowed_ops[FT__COUNT] = {
	[FT_STR] = B(OP_EQ) | B(OP_NE) | B(OP_IN) | B(OP_STARTSWITH) | B(OP_ENDSWITH) | B(OP_CONTAINS) |
		   B(OP_ICONTAINS) | B(OP_GLOB) | B(OP_EXISTS),
	[FT_STRLIST] = B(OP_EQ) | B(OP_NE) | B(OP_IN) | B(OP_STARTSWITH) | B(OP_ENDSWITH) | B(OP_CONTAINS) |
		       B(OP_ICONTAINS) | B(OP_GLOB) | B(OP_EXISTS),
	[FT_INT] = B(OP_EQ) | B(OP_NE) | B(OP_LT) | B(OP_LE) | B(OP_GT) | B(OP_GE) | B(OP_IN) | B(OP_EXISTS),
	[FT_BOOL] = B(OP_EQ) | B(OP_NE) | B(OP_EXISTS) | B(OP_TRUTH),
};
#define SET_OPS (B(OP_IN) | B(OP_STARTSWITH) | B(OP_ENDSWITH) | B(OP_CONTAINS) | B(OP_ICONTAINS) | B(OP_GLOB))

struct operands {
	struct rp_str *strs;
	size_t nstrs, scap;
	int64_t *ints;
	size_t nints, icap;
	bool b, failed;
};

static int grow(void *pp, size_t *cap, size_t n, size_t el)
{
	void **p = pp;
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 8;
	void *q = realloc(*p, c * el);
	if (!q)
		return -1;
	*p = q, *cap = c;
	return 0;
}

static enum cond_op op_of(struct parser *p, bool *found)
{
	static const char *const ops[] = {"=", "!=", "<", "<=", ">", ">="};
	const char *s = p->t->text + p->tok.off;
	*found = true;
	if (p->tok.kind == TK_OP) {
		if (p->tok.len == 2 && memcmp(s, "==", 2) == 0)
			return OP_EQ;
		for (int i = 0; i < 6; i++)
			if (strlen(ops[i]) == p->tok.len && memcmp(ops[i], s, p->tok.len) == 0)
				return (enum cond_op)i;
	}
	for (int o = OP_IN; o <= OP_EXISTS; o++)
		if (tok_is(p, cond_op_names[o]))
			return (enum cond_op)o;
	*found = false;
	return OP_TRUTH;
}

static bool parse_int(const char *s, size_t n, int64_t *out)
{
	char buf[32], *end;
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = 0;
	if (!isdigit((unsigned char)buf[buf[0] == '-' ? 1 : 0]))
		return false;
	*out = strtoll(buf, &end, 0);
	return *end == 0;
}

/* One literal value converted to the field's type and appended. */
static void add_value(struct parser *p, const struct field_def *f, const char *s, size_t n, bool quoted, size_t at,
		      struct operands *o)
{
	int64_t v;
	if (f->type == FT_INT) {
		if (quoted || !parse_int(s, n, &v)) {
			perr(p, at, "expected an integer for int field '%s', found %s'%.*s'", f->name,
			     quoted ? "string " : "", (int)n, s);
			return;
		}
		if (grow(&o->ints, &o->icap, o->nints, sizeof(v)) == 0)
			o->ints[o->nints++] = v;
		return;
	}
	if (f->type == FT_BOOL) {
		if (quoted || !((n == 4 && !memcmp(s, "true", 4)) || (n == 5 && !memcmp(s, "false", 5))))
			perr(p, at, "expected true or false for bool field '%s', found '%.*s'", f->name, (int)n, s);
		o->b = n == 4;
		return;
	}
	char *c = arena_strndup(p->env->arena, s, n);
	if (c && grow(&o->strs, &o->scap, o->nstrs, sizeof(*o->strs)) == 0)
		o->strs[o->nstrs++] = (struct rp_str){c, (uint32_t)n};
}

static bool is_ident(const char *s, size_t n)
{
	if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return false;
	return true;
}

static void add_list(struct parser *p, const struct field_def *f, const char *s, size_t n, size_t at,
		     struct operands *o)
{
	for (size_t i = 0; i < p->env->nlists; i++) {
		const struct cond_list *l = &p->env->lists[i];
		if (strlen(l->name) != n || memcmp(l->name, s, n) != 0)
			continue;
		for (size_t k = 0; k < l->n; k++)
			add_value(p, f, l->items[k], strlen(l->items[k]), false, at, o);
		return;
	}
	perr(p, at, "unknown list '%.*s' (expected a list name; quote plain string values)", (int)n, s);
}

/* A literal token (string or word); in_set: identifiers name lists. */
static void literal(struct parser *p, const struct field_def *f, bool in_set, struct operands *o)
{
	const char *s = p->t->text + p->tok.off;
	size_t at = p->tok.off;

	if (p->tok.kind == TK_STRING) {
		char *buf = arena_alloc(p->env->arena, p->tok.len + 1);
		if (!buf)
			return;
		size_t n = lex_unquote(p->t->text, p->tok, buf, p->tok.len + 1);
		add_value(p, f, buf, n, true, at, o);
	} else if (p->tok.kind == TK_WORD && !is_keyword(p)) {
		if (in_set && is_ident(s, p->tok.len))
			add_list(p, f, s, p->tok.len, at, o);
		else
			add_value(p, f, s, p->tok.len, false, at, o);
	} else {
		syntax(p, in_set ? "a value or list name" : "a value");
		o->failed = true;
		return;
	}
	advance(p);
}

static void set_operand(struct parser *p, const struct field_def *f, struct operands *o)
{
	size_t open = p->tok.off;
	advance(p);
	while (!p->syntax_failed && p->tok.kind != TK_RPAREN) {
		literal(p, f, true, o);
		if (o->failed || p->syntax_failed)
			return;
		if (p->tok.kind == TK_COMMA)
			advance(p);
		else if (p->tok.kind != TK_RPAREN) {
			struct src_pos at = doc_text_pos(p->t, open);
			char found[96];
			describe(p, found, sizeof(found));
			perr(p, p->tok.off, "expected ',' or ')' to close the '(' at %u:%u, found %s", at.line, at.col,
			     found);
			p->syntax_failed = true;
			return;
		}
	}
	if (!p->syntax_failed)
		advance(p);
}

static bool check_op(struct parser *p, const struct field_def *f, enum cond_op op, size_t at)
{
	char exp[256];
	size_t k = 0;
	if (allowed_ops[f->type] & B(op))
		return true;
	exp[0] = 0;
	for (int o = 0; o < OP_TRUTH; o++)
		if (allowed_ops[f->type] & B(o))
			k += (size_t)snprintf(exp + k, sizeof(exp) - k, "%s%s", k ? ", " : "", cond_op_names[o]);
	perr(p, at, "type mismatch: operator '%s' does not apply to %s field '%s' (expected one of: %s)",
	     cond_op_names[op], field_type_names[f->type], f->name, exp);
	return false;
}

static void operand(struct parser *p, const struct field_def *f, enum cond_op op, struct operands *o)
{
	if (p->tok.kind == TK_LPAREN) {
		if (!(SET_OPS & B(op)))
			perr(p, p->tok.off, "operator '%s' takes a single value (expected a value; use 'in (...)' for a "
			     "set)", cond_op_names[op]);
		set_operand(p, f, o);
	} else if (op == OP_IN)
		syntax(p, "'(' after 'in'");
	else
		literal(p, f, false, o);
}

static struct cond_pred *make_pred(struct parser *p, const struct field_def *f, struct rp_str key, enum cond_op op,
				   struct operands *o, size_t at)
{
	struct arena *a = p->env->arena;
	struct cond_pred *pr = arena_alloc(a, sizeof(*pr));
	if (!pr)
		return NULL;
	pr->field = f, pr->op = op, pr->b = o->b, pr->text = p->t, pr->off = at;
	pr->key = (struct rp_str){arena_strndup(a, key.ptr, key.len), key.len};
	pr->strs = arena_alloc(a, (o->nstrs + 1) * sizeof(*pr->strs));
	pr->ints = arena_alloc(a, (o->nints + 1) * sizeof(*pr->ints));
	if (!pr->key.ptr || !pr->strs || !pr->ints)
		return NULL;
	if (o->nstrs) /* memcpy's source may not be NULL, even for 0 bytes */
		memcpy(pr->strs, o->strs, o->nstrs * sizeof(*pr->strs));
	if (o->nints)
		memcpy(pr->ints, o->ints, o->nints * sizeof(*pr->ints));
	pr->nstrs = (uint32_t)o->nstrs, pr->nints = (uint32_t)o->nints;
	size_t end = p->lx.pos;
	if (p->tok.kind != TK_EOF)
		end = p->tok.off; /* the span ends before the next token */
	while (end > at && strchr(" \t\r\n", p->t->text[end - 1]))
		end--;
	pr->len = end - at;
	return pr;
}

struct cond_node *parse_pred(struct parser *p, const struct field_def *f, struct rp_str key, size_t at)
{
	struct operands o = {0};
	bool found;
	size_t op_at = p->tok.off;
	enum cond_op op = op_of(p, &found);
	struct cond_node *n = NULL;

	if (!found && f->type != FT_BOOL) {
		syntax(p, "an operator (=, !=, <, <=, >, >=, in, startswith, endswith, contains, icontains, glob, exists)");
		return NULL;
	}
	bool ok = check_op(p, f, op, op_at);
	if (found)
		advance(p);
	if (op != OP_EXISTS && op != OP_TRUTH && !p->syntax_failed)
		operand(p, f, op, &o);
	if (!p->syntax_failed && !o.failed && ok) {
		struct cond_pred *pr = make_pred(p, f, key, op, &o, at);
		if ((n = node(p, CN_PRED, NULL, NULL)))
			n->pred = pr;
	}
	free(o.strs);
	free(o.ints);
	return n;
}
