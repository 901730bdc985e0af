/* One compiled predicate against one event. Never allocates.
 *
 * cpred_eval is the hot path: the field access and the test were chosen at
 * compile time (compile.c: specialise), so it is two switches on small
 * numbers, then a compiled set (hash set, affix words, classified globs).
 * cpred_eval_ref keeps the plain route (field_get, linear scans, the
 * generic glob matcher) as the reference the tests hold the fast path to. */
#include <string.h>

#include "program.h"

#define str_eq cpred_str_eq

bool cpred_any_contains(const struct cpred *p, struct rp_str s)
{
	for (uint32_t i = 0; i < p->nstrs; i++)
		if (str_contains(s, p->strs[i]))
			return true;
	return false;
}

bool cpred_any_icontains(const struct cpred *p, struct rp_str s)
{
	for (uint32_t i = 0; i < p->nstrs; i++)
		if (str_icontains(s, p->strs[i]))
			return true;
	return false;
}

bool cpred_list_test(const struct cpred *p, const struct rp_str *v, uint32_t n)
{
	switch (p->test) {
	case PT_L_EXISTS: return n > 0;
	case PT_L_NE: /* no element equals */
		for (uint32_t i = 0; i < n; i++)
			if (str_eq(v[i], p->s))
				return false;
		return true;
	default:
		for (uint32_t i = 0; i < n; i++)
			if (cpred_str_test(p, p->stest, v[i]))
				return true;
		return false;
	}
}

bool cpred_eval(const struct cpred *p, const struct rp_event *ev, struct field_scratch *sc)
{
	return cpred_eval_inline(p, ev, sc);
}

/* ---- reference: the straightforward semantics of cond.h ---- */

static bool ref_starts(struct rp_str s, struct rp_str pre)
{
	return s.len >= pre.len && (pre.len == 0 || memcmp(s.ptr, pre.ptr, pre.len) == 0);
}

static bool ref_ends(struct rp_str s, struct rp_str suf)
{
	return s.len >= suf.len && (suf.len == 0 || memcmp(s.ptr + s.len - suf.len, suf.ptr, suf.len) == 0);
}

static bool ref_str(const struct cpred *p, struct rp_str s)
{
	switch ((enum cond_op)p->op) {
	case OP_EQ: return str_eq(s, p->s);
	case OP_NE: return !str_eq(s, p->s);
	case OP_EXISTS: return true;
	default: break;
	}
	for (uint32_t i = 0; i < p->nstrs; i++) {
		struct rp_str o = p->strs[i];
		bool hit;
		switch ((enum cond_op)p->op) {
		case OP_IN: hit = str_eq(s, o); break;
		case OP_STARTSWITH: hit = ref_starts(s, o); break;
		case OP_ENDSWITH: hit = ref_ends(s, o); break;
		case OP_CONTAINS: hit = str_contains(s, o); break;
		case OP_ICONTAINS: hit = str_icontains(s, o); break;
		case OP_GLOB: hit = glob_match(o, s); break;
		default: hit = false; break;
		}
		if (hit)
			return true;
	}
	return false;
}

static bool ref_int(const struct cpred *p, int64_t x)
{
	int64_t y = p->nints ? p->ints[0] : 0;
	switch ((enum cond_op)p->op) {
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

bool cpred_eval_ref(const struct cpred *p, const struct rp_event *ev, struct field_scratch *sc)
{
	struct field_val v;
	if (!field_get(p->field, ev, p->key, sc, &v))
		return false;
	switch (p->field->type) {
	case FT_STR: return ref_str(p, v.s);
	case FT_STRLIST:
		if (p->op == OP_EXISTS)
			return v.list.n > 0;
		if (p->op == OP_NE) {
			for (uint32_t i = 0; i < v.list.n; i++)
				if (str_eq(v.list.v[i], p->s))
					return false;
			return true;
		}
		for (uint32_t i = 0; i < v.list.n; i++)
			if (ref_str(p, v.list.v[i]))
				return true;
		return false;
	case FT_INT: return ref_int(p, v.i);
	case FT_BOOL:
		switch ((enum cond_op)p->op) {
		case OP_EQ: return v.b == p->origin->b;
		case OP_NE: return v.b != p->origin->b;
		case OP_TRUTH: return v.b;
		default: return true; /* exists */
		}
	default: return false;
	}
}
