/* Tokens of the condition language. Words are field names, keywords,
 * macro and list names and unquoted literals (paths, addresses, numbers);
 * a word may carry a bracketed key (k8s.pod.label[app.kubernetes.io/name]).
 * Strings are '...' or "..." with \\ \' \" \n \t escapes. Offsets are byte
 * offsets into the condition text, for file:line:col errors. */
#ifndef RAMPART_EVAL_LEXER_H
#define RAMPART_EVAL_LEXER_H

#include <stddef.h>

enum tok_kind { TK_EOF, TK_WORD, TK_STRING, TK_LPAREN, TK_RPAREN, TK_COMMA, TK_OP, TK_ERROR };

struct token {
	enum tok_kind kind;
	size_t off, len; /* span in the source, quotes included */
	const char *err; /* TK_ERROR: what was wrong */
};

struct lexer {
	const char *src;
	size_t len, pos;
};

struct token lex_next(struct lexer *lx);
/* The value of a TK_STRING token, unescaped, into out (cap bytes, NUL
 * terminated); returns its length. */
size_t lex_unquote(const char *src, struct token t, char *out, size_t cap);
const char *tok_kind_name(enum tok_kind k);

#endif
