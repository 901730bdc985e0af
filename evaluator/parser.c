/* Recursive-descent parser of conditions into struct cond_node trees. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "lexer.h"
#include "parser_internal.h"

const char *const cond_op_names[OP__COUNT] = {"=", "!=", "<", "<=", ">", ">=", "in", "startswith", "endswith",
					      "contains", "icontains", "glob", "exists", "(is true)"};



void perr(struct parser *p, size_t off, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add(p->env->d, doc_text_pos(p->t, off), "%s", msg);
	p->bad = true;
}

void advance(struct parser *p)
{
	p->tok = lex_next(&p->lx);
	if (p->tok.kind == TK_ERROR) {
		perr(p, p->tok.off, "%s", p->tok.err);
		p->syntax_failed = true;
	}
}

bool tok_is(const struct parser *p, const char *word)
{
	size_t n = strlen(word);
	return p->tok.kind == TK_WORD && p->tok.len == n && memcmp(p->t->text + p->tok.off, word, n) == 0;
}

static const char *const keywords[] = {"and", "or", "not", "in", "startswith", "endswith", "contains",
				       "icontains", "glob", "exists", NULL};

bool is_keyword(const struct parser *p)
{
	for (const char *const *k = keywords; *k; k++)
		if (tok_is(p, *k))
			return true;
	return false;
}

/* "found ..." text for errors */
void describe(const struct parser *p, char *out, size_t n)
{
	if (p->tok.kind == TK_EOF)
		snprintf(out, n, "end of condition");
	else
		snprintf(out, n, "%s '%.*s'", is_keyword(p) ? "keyword" : tok_kind_name(p->tok.kind),
			 (int)(p->tok.len > 60 ? 60 : p->tok.len), p->t->text + p->tok.off);
}

void syntax(struct parser *p, const char *expected)
{
	char found[96];
	describe(p, found, sizeof(found));
	perr(p, p->tok.off, "expected %s, found %s", expected, found);
	p->syntax_failed = true;
}

struct cond_node *node(struct parser *p, enum cond_kind k, struct cond_node *a, struct cond_node *b)
{
	struct cond_node *n = arena_alloc(p->env->arena, sizeof(*n));
	if (!n) {
		perr(p, 0, "out of memory");
		p->syntax_failed = true;
		return NULL;
	}
	n->kind = k, n->a = a, n->b = b;
	return n;
}

static struct cond_node *parse_or(struct parser *p);

static const struct doc_macro *find_macro(const struct parser *p, const char *s, size_t n, size_t *idx)
{
	for (size_t i = 0; i < p->env->nmacros; i++)
		if (strlen(p->env->macros[i].name) == n && memcmp(p->env->macros[i].name, s, n) == 0)
			return *idx = i, &p->env->macros[i];
	return NULL;
}

/* After an unknown field: step over "op operand" so the rest of the
 * condition is still checked without a cascade of follow-on errors. */
static void skip_pred_tail(struct parser *p)
{
	static const char *const ops[] = {"in", "startswith", "endswith", "contains", "icontains", "glob", NULL};
	bool op = p->tok.kind == TK_OP;
	for (const char *const *o = ops; *o && !op; o++)
		op = tok_is(p, *o);
	if (tok_is(p, "exists")) {
		advance(p);
		return;
	}
	if (!op)
		return;
	advance(p);
	if (p->tok.kind == TK_LPAREN) {
		while (!p->syntax_failed && p->tok.kind != TK_RPAREN && p->tok.kind != TK_EOF)
			advance(p);
		if (p->tok.kind == TK_RPAREN)
			advance(p);
	} else if (p->tok.kind == TK_WORD || p->tok.kind == TK_STRING) {
		if (!is_keyword(p))
			advance(p);
	}
}

static struct cond_node *parse_word(struct parser *p)
{
	const char *s = p->t->text + p->tok.off;
	size_t n = p->tok.len, at = p->tok.off, mi;
	struct rp_str key;
	const struct field_def *f = field_lookup(s, n, &key);

	if (is_keyword(p)) {
		syntax(p, "a field, a macro, 'not' or '('");
		return NULL;
	}
	advance(p);
	if (f)
		return parse_pred(p, f, key, at);
	if (find_macro(p, s, n, &mi)) {
		struct cond_node *m = node(p, CN_MACRO, NULL, NULL);
		if (m)
			m->macro = mi, m->off = at;
		return m;
	}
	if (memchr(s, '.', n) || memchr(s, '[', n))
		perr(p, at, "unknown field '%.*s' (see `rampart rules fields`)", (int)n, s);
	else
		perr(p, at, "unknown macro or field '%.*s'", (int)n, s);
	skip_pred_tail(p);
	return node(p, CN_MACRO, NULL, NULL); /* placeholder; the parse is already bad */
}

static struct cond_node *parse_unary(struct parser *p)
{
	if (p->syntax_failed)
		return NULL;
	if (tok_is(p, "not")) {
		advance(p);
		struct cond_node *a = parse_unary(p);
		return a ? node(p, CN_NOT, a, NULL) : NULL;
	}
	if (p->tok.kind == TK_LPAREN) {
		size_t open = p->tok.off;
		advance(p);
		struct cond_node *e = parse_or(p);
		if (!e)
			return NULL;
		if (p->tok.kind != TK_RPAREN) {
			struct src_pos o = doc_text_pos(p->t, open);
			char found[96];
			describe(p, found, sizeof(found));
			perr(p, p->tok.off, "unbalanced parenthesis: expected ')' to close the '(' at %u:%u, found %s",
			     o.line, o.col, found);
			p->syntax_failed = true;
			return NULL;
		}
		advance(p);
		return e;
	}
	if (p->tok.kind == TK_WORD)
		return parse_word(p);
	if (p->tok.kind == TK_RPAREN)
		perr(p, p->tok.off, "unbalanced parenthesis: unexpected ')'"), p->syntax_failed = true;
	else
		syntax(p, "a field, a macro, 'not' or '('");
	return NULL;
}

static struct cond_node *parse_and(struct parser *p)
{
	struct cond_node *l = parse_unary(p);
	while (l && !p->syntax_failed && tok_is(p, "and")) {
		advance(p);
		struct cond_node *r = parse_unary(p);
		l = r ? node(p, CN_AND, l, r) : NULL;
	}
	return l;
}

static struct cond_node *parse_or(struct parser *p)
{
	struct cond_node *l = parse_and(p);
	while (l && !p->syntax_failed && tok_is(p, "or")) {
		advance(p);
		struct cond_node *r = parse_and(p);
		l = r ? node(p, CN_OR, l, r) : NULL;
	}
	return l;
}

struct cond_node *cond_parse(struct cond_env *env, const struct doc_text *text)
{
	struct parser p = {env, text, {text->text, strlen(text->text), 0}, {0}, false, false};
	struct cond_node *root;

	advance(&p);
	if (p.syntax_failed)
		return NULL;
	if (p.tok.kind == TK_EOF) {
		syntax(&p, "a condition");
		return NULL;
	}
	root = parse_or(&p);
	if (root && !p.syntax_failed && p.tok.kind != TK_EOF) {
		if (p.tok.kind == TK_RPAREN)
			perr(&p, p.tok.off, "unbalanced parenthesis: unexpected ')'");
		else
			syntax(&p, "'and', 'or' or end of condition");
	}
	return p.bad || p.syntax_failed ? NULL : root;
}
