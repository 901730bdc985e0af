/* The condition language: syntax tree and parser.
 *
 *   expr     := and_expr ('or' and_expr)*
 *   and_expr := unary ('and' unary)*
 *   unary    := 'not' unary | '(' expr ')' | MACRO | FIELD [op operand | 'exists']
 *   op       := = == != < <= > >= in startswith endswith contains icontains glob
 *   operand  := literal | '(' [item (',' item)*] ')'
 *   item     := literal | LIST_NAME          (lists expand in place)
 *
 * Literals are quoted strings, integers (C syntax: 42, -1, 0x1f, 0755) or
 * unquoted words (/etc/shadow, 169.254.169.254, true). Inside '(...)' an
 * unquoted identifier ([A-Za-z_][A-Za-z0-9_]*) must name a list, so a typo
 * in a list name is an error rather than a silent literal: quote plain words.
 * A bool field on its own means `field = true`.
 *
 * Semantics: a comparison with an absent field is false (see fields.h); on a
 * string-list field (proc.args, proc.env) an operator holds if it holds for
 * any element, except != which holds if no element equals the value (so
 * `not (x = v)` and `x != v` agree when x is present). `exists` holds when
 * the field is present (a list: when it has an element). `in` tests
 * membership, startswith/endswith/contains/icontains/glob hold if any of
 * their operands does. glob: * any run (including '/'), ? one character,
 * [abc] [a-z] [!x] classes; case-sensitive like every operator but
 * icontains. Macros are expanded at compile time; cycles are errors.
 *
 * cond_parse reports every semantic error (unknown field, macro or list,
 * type mismatch) and the first syntax error at file:line:col inside the
 * YAML scalar, and returns NULL when there was any. */
#ifndef RAMPART_EVAL_COND_H
#define RAMPART_EVAL_COND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "doc.h"
#include "fields.h"

enum cond_op {
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_STARTSWITH, OP_ENDSWITH, OP_CONTAINS,
	OP_ICONTAINS, OP_GLOB, OP_EXISTS, OP_TRUTH, OP__COUNT
};
extern const char *const cond_op_names[OP__COUNT];

struct cond_pred {
	const struct field_def *field;
	struct rp_str key; /* [KEY] of keyed fields */
	enum cond_op op;
	struct rp_str *strs; /* string operands (one for a scalar operand) */
	uint32_t nstrs;
	int64_t *ints;
	uint32_t nints;
	bool b;
	const struct doc_text *text; /* the condition it is written in */
	size_t off, len;	     /* its span there */
};

enum cond_kind { CN_AND, CN_OR, CN_NOT, CN_PRED, CN_MACRO };

struct cond_node {
	enum cond_kind kind;
	struct cond_node *a, *b;
	struct cond_pred *pred;
	size_t macro; /* CN_MACRO: index into cond_env.macros */
	size_t off;   /* CN_MACRO: position of the reference */
};

struct cond_list {
	const char *name;
	const char *const *items;
	size_t n;
};

struct cond_env {
	struct arena *arena; /* the tree lives here */
	struct diag *d;
	const struct cond_list *lists;
	size_t nlists;
	const struct doc_macro *macros;
	size_t nmacros;
};

struct cond_node *cond_parse(struct cond_env *env, const struct doc_text *text);

#endif
