/* Parser state and helpers shared by parser.c (expressions) and
 * parse_pred.c (predicates and their operands). */
#ifndef RAMPART_EVAL_PARSER_INTERNAL_H
#define RAMPART_EVAL_PARSER_INTERNAL_H

#include "cond.h"
#include "lexer.h"

struct parser {
	struct cond_env *env;
	const struct doc_text *t;
	struct lexer lx;
	struct token tok;
	bool syntax_failed; /* stop: the rest cannot be parsed meaningfully */
	bool bad;	    /* an error was reported: keep parsing, return NULL */
};

void perr(struct parser *p, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void advance(struct parser *p);
bool tok_is(const struct parser *p, const char *word);
bool is_keyword(const struct parser *p);
void describe(const struct parser *p, char *out, size_t n);
void syntax(struct parser *p, const char *expected);
struct cond_node *node(struct parser *p, enum cond_kind k, struct cond_node *a, struct cond_node *b);
struct cond_node *parse_pred(struct parser *p, const struct field_def *f, struct rp_str key, size_t at);

#endif
