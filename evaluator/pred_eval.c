/* One compiled predicate against one event. Never allocates. */
#include <string.h>

#include "program.h"

static bool str_eq(struct rp_str a, struct rp_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static bool any_of(const struct cpred *p, struct rp_str s, bool (*fn)(struct rp_str, struct rp_str), bool pat_first)
{
	for (uint32_t i = 0; i < p->nstrs; i++)
		if (pat_first ? fn(p->strs[i], s) : fn(s, p->strs[i]))
			return true;
	return false;
}

static bool str_test(const struct cpred *p, struct rp_str s)
{
	switch (p->op) {
	case OP_EQ: return str_eq(s, p->s);
	case OP_NE: return !str_eq(s, p->s);
	case OP_IN: return strset_has(&p->set, s);
	case OP_STARTSWITH:
	case OP_ENDSWITH: return affix_match(&p->affix, s);
	case OP_CONTAINS: return any_of(p, s, str_contains, false);
	case OP_ICONTAINS: return any_of(p, s, str_icontains, false);
	case OP_GLOB: return any_of(p, s, glob_match, true);
	case OP_EXISTS: return true;
	default: return false;
	}
}

static bool list_test(const struct cpred *p, const struct rp_str *v, uint32_t n)
{
	if (p->op == OP_EXISTS)
		return n > 0;
	if (p->op == OP_NE) { /* no element equals */
		for (uint32_t i = 0; i < n; i++)
			if (str_eq(v[i], p->s))
				return false;
		return true;
	}
	for (uint32_t i = 0; i < n; i++)
		if (str_test(p, v[i]))
			return true;
	return false;
}

static bool int_test(const struct cpred *p, int64_t x)
{
	int64_t y = p->nints ? p->ints[0] : 0;
	switch (p->op) {
	case OP_EQ: return x == y;
	case OP_NE: return x != y;
	case OP_LT: return x < y;
	case OP_LE: return x <= y;
	case OP_GT: return x > y;
	case OP_GE: return x >= y;
	case OP_IN:
		for (uint32_t i = 0; i < p->nints; i++)
			if (p->ints[i] == x)
				return true;
		return false;
	case OP_EXISTS: return true;
	default: return false;
	}
}

bool cpred_eval(const struct cpred *p, const struct rp_event *ev, struct field_scratch *sc)
{
	struct field_val v;
	if (!field_get(p->field, ev, p->key, sc, &v))
		return false; /* absent: every comparison is false, exists too */
	switch (p->field->type) {
	case FT_STR: return str_test(p, v.s);
	case FT_STRLIST: return list_test(p, v.list.v, v.list.n);
	case FT_INT: return int_test(p, v.i);
	case FT_BOOL:
		switch (p->op) {
		case OP_EQ: return v.b == p->b;
		case OP_NE: return v.b != p->b;
		case OP_TRUTH: return v.b;
		default: return true; /* exists */
		}
	default: return false;
	}
}
