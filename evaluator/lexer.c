#include "lexer.h"

#include <string.h>

const char *tok_kind_name(enum tok_kind k)
{
	static const char *const n[] = {"end of condition", "word", "string", "'('", "')'", "','", "operator",
					"invalid input"};
	return n[k];
}

static int is_word_char(char c)
{
	return c && !strchr(" \t\r\n()=,<>!'\"", c);
}

static struct token lex_string(struct lexer *lx)
{
	struct token t = {TK_STRING, lx->pos, 0, NULL};
	char q = lx->src[lx->pos++];
	while (lx->pos < lx->len && lx->src[lx->pos] != q) {
		if (lx->src[lx->pos] == '\\' && lx->pos + 1 < lx->len)
			lx->pos++;
		lx->pos++;
	}
	if (lx->pos >= lx->len)
		return (struct token){TK_ERROR, t.off, lx->len - t.off, "unterminated string (expected a closing quote)"};
	lx->pos++;
	t.len = lx->pos - t.off;
	return t;
}

static struct token lex_word(struct lexer *lx)
{
	struct token t = {TK_WORD, lx->pos, 0, NULL};
	while (lx->pos < lx->len && is_word_char(lx->src[lx->pos])) {
		if (lx->src[lx->pos] == '[') {
			const char *close = memchr(lx->src + lx->pos, ']', lx->len - lx->pos);
			if (!close)
				return (struct token){TK_ERROR, lx->pos, 1, "unterminated '[' (expected ']')"};
			lx->pos = (size_t)(close - lx->src);
		}
		lx->pos++;
	}
	t.len = lx->pos - t.off;
	return t;
}

struct token lex_next(struct lexer *lx)
{
	while (lx->pos < lx->len && strchr(" \t\r\n", lx->src[lx->pos]))
		lx->pos++;
	if (lx->pos >= lx->len)
		return (struct token){TK_EOF, lx->len, 0, NULL};
	size_t at = lx->pos;
	char c = lx->src[at], n = at + 1 < lx->len ? lx->src[at + 1] : 0;
	switch (c) {
	case '(': lx->pos++; return (struct token){TK_LPAREN, at, 1, NULL};
	case ')': lx->pos++; return (struct token){TK_RPAREN, at, 1, NULL};
	case ',': lx->pos++; return (struct token){TK_COMMA, at, 1, NULL};
	case '\'': case '"': return lex_string(lx);
	case '=':
		lx->pos += n == '=' ? 2 : 1;
		return (struct token){TK_OP, at, lx->pos - at, NULL};
	case '<': case '>': case '!':
		if (c == '!' && n != '=')
			return lx->pos++, (struct token){TK_ERROR, at, 1, "unexpected '!' (expected '!=' or 'not')"};
		lx->pos += n == '=' ? 2 : 1;
		return (struct token){TK_OP, at, lx->pos - at, NULL};
	default:
		if (c == 0)
			return lx->pos++, (struct token){TK_ERROR, at, 1, "NUL character in condition"};
		return lex_word(lx);
	}
}

size_t lex_unquote(const char *src, struct token t, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = t.off + 1; i + 1 < t.off + t.len && k + 1 < cap; i++) {
		char c = src[i];
		if (c == '\\' && i + 2 < t.off + t.len) {
			c = src[++i];
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
		}
		out[k++] = c;
	}
	out[k] = 0;
	return k;
}
