/* Compiled conditions: a flat pool of predicates and a flat instruction
 * array, no tree. A rule's condition is code[start .. start+len):
 *
 *   PRED i   acc = predicate i holds for the event (PREDM: memoised)
 *   NOT      acc = !acc
 *   JF t     if !acc jump to t   (a and b: a; JF end; b; end:)
 *   JT t     if acc jump to t    (a or b:  a; JT end; b; end:)
 *
 * so and/or short-circuit with one accumulator and no stack. Jump targets
 * are relative to the rule's start. Predicates that come from one macro are
 * one pool entry, shared by every rule that uses the macro, so an evaluator
 * can memoise them per event. cond_compile_* report errors to env->d. */
#ifndef RAMPART_EVAL_PROGRAM_H
#define RAMPART_EVAL_PROGRAM_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cond.h"
#include "fields.h"
#include "strset.h"

/* I_PREDM is I_PRED for a predicate the program references more than
 * once (a macro's, or one written alike in several rules): its value is
 * memoised per event. program_finish assigns it. */
enum insn_op { I_PRED, I_NOT, I_JF, I_JT, I_PREDM };

struct insn {
	uint32_t op, arg;
};

/* The form the hot path runs (program.fast, parallel to program.code: a
 * rule's fast code starts where its code does and is no longer). Built by
 * program_finish from the code: jumps threaded (a JF landing on a JF goes
 * straight to its target), a PRED fused with a following NOT (FF_NEG) and
 * JF/JT (F_PRED_JF / F_PRED_JT), shared predicates flagged FF_MEMO. A
 * jump to the rule's end (or past its last instruction) finishes it; F_END
 * pads the rest of the range. */
enum finsn_op { F_PRED, F_PRED_JF, F_PRED_JT, F_NOT, F_JF, F_JT, F_END };
enum { FF_NEG = 1, FF_MEMO = 2 };

struct finsn {
	uint8_t op, flags;
	uint32_t pred, target; /* target relative to the rule's start */
};

/* How a predicate reads its field (from field_def, flattened). */
enum pred_fetch {
	PF_STR, PF_DSTR, PF_I32, PF_I64, PF_DNUM, PF_BOOL, PF_DBOOL, PF_LIST
};

/* What a predicate tests once it has the value. */
enum pred_test {
	PT_FALSE, PT_TRUE,					     /* constant once present (exists, ...) */
	PT_S_EQ, PT_S_NE, PT_S_IN, PT_S_AFFIX, PT_S_CONTAINS, PT_S_ICONTAINS, PT_S_GLOB, /* strings */
	PT_L_EXISTS, PT_L_NE, PT_L_ANY,				     /* string lists (PT_L_ANY: any element str_test) */
	PT_I_EQ, PT_I_NE, PT_I_LT, PT_I_LE, PT_I_GT, PT_I_GE, PT_I_IN,	     /* ints */
	PT_B_EQ, PT_B_NE						     /* bools (b: the operand) */
};

struct cpred {
	/* hot: what evaluation reads */
	uint8_t fetch;	     /* enum pred_fetch */
	uint8_t test;	     /* enum pred_test */
	uint8_t stest;	     /* PT_L_ANY: the per-element string test */
	uint8_t avail;	     /* 0 always, 1 args branch, 2 workload branch must be avail_val */
	uint8_t avail_val;
	bool b;
	uint8_t memo;	     /* the field's memo slot (enum field_memo) */
	uint16_t off, count_off;
	int64_t i;	     /* int operand (first) */
	struct rp_str s;     /* = and != operand; contains: the needle when there is one */
	const struct rp_str *strs; /* contains / icontains (lower-cased) / glob */
	uint32_t nstrs;
	const int64_t *ints;
	uint32_t nints;
	struct strset set;   /* in */
	struct affix affix;  /* startswith / endswith */
	struct globset glob; /* glob */
	const struct field_def *field;
	struct rp_str key;
	/* cold */
	uint8_t op; /* enum cond_op */
	uint32_t refs;	     /* references in the program's code */
	const char *src;     /* the predicate's text, for explain */
	const char *where;   /* "rule RP1001" or "macro container" */
	const struct cond_pred *origin;
};

struct program {
	struct cpred *preds;
	uint32_t npreds, pcap;
	struct insn *code;
	uint32_t ncode, ccap;
	struct finsn *fast; /* ncode entries once program_finish ran */
};

struct macro_state;
struct cond_compiler {
	struct cond_env env;
	struct program *prog;
	struct macro_state *macros; /* one per env.macros */
};

/* Parses every macro and reports cycles; -1 only when out of memory. */
int cond_compile_init(struct cond_compiler *cc);
void cond_compile_fini(struct cond_compiler *cc);
/* Compiles a rule's condition; checks that fields written in it can apply
 * to at least one of its event types. 0 with *start and *len set, or -1. */
int cond_compile_rule(struct cond_compiler *cc, const struct doc_text *cond, uint64_t events, const char *where,
		      uint32_t *start, uint32_t *len);
/* After the last rule: marks predicates referenced more than once (I_PREDM)
 * and builds program.fast; -1 when out of memory. */
int program_finish(struct program *p);
/* Fast code of the rule at code[start .. start+n); after program_finish. */
int program_fast_rule(struct program *p, uint32_t start, uint32_t n);
void program_free(struct program *p);

/* Evaluation (pred_eval.c); never allocates. */
bool cpred_eval(const struct cpred *p, const struct rp_event *ev, struct field_scratch *sc);
/* The same by the generic route (field_get and the reference string
 * matchers, no compiled sets): for tests of the fast paths. */
bool cpred_eval_ref(const struct cpred *p, const struct rp_event *ev, struct field_scratch *sc);

/* Per-event memo of shared predicates: value of pred i valid when
 * stamp[i] == now (the caller bumps now per event). */
struct pred_memo {
	uint32_t *stamp;
	uint8_t *val;
	uint32_t now;
};

/* ---- the hot path, inline so evaluator_eval runs rules without calls ----
 * The field access and the test were chosen at compile time (compile.c:
 * specialise): two switches on small numbers, then a compiled set. */
bool cpred_list_test(const struct cpred *p, const struct rp_str *v, uint32_t n);
bool cpred_any_contains(const struct cpred *p, struct rp_str s);
bool cpred_any_icontains(const struct cpred *p, struct rp_str s);

static inline bool cpred_str_eq(struct rp_str a, struct rp_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline bool cpred_str_test(const struct cpred *p, uint8_t test, struct rp_str s)
{
	switch (test) {
	case PT_TRUE: return true;
	case PT_S_EQ: return cpred_str_eq(s, p->s);
	case PT_S_NE: return !cpred_str_eq(s, p->s);
	case PT_S_IN: return strset_has(&p->set, s);
	case PT_S_AFFIX: return affix_match(&p->affix, s);
	case PT_S_CONTAINS: return cpred_any_contains(p, s);
	case PT_S_ICONTAINS: return cpred_any_icontains(p, s);
	case PT_S_GLOB: return globset_match(&p->glob, s);
	default: return false;
	}
}

static inline bool cpred_int_test(const struct cpred *p, int64_t x)
{
	switch (p->test) {
	case PT_TRUE: return true;
	case PT_I_EQ: return x == p->i;
	case PT_I_NE: return x != p->i;
	case PT_I_LT: return x < p->i;
	case PT_I_LE: return x <= p->i;
	case PT_I_GT: return x > p->i;
	case PT_I_GE: return x >= p->i;
	case PT_I_IN:
		for (uint32_t i = 0; i < p->nints; i++)
			if (p->ints[i] == x)
				return true;
		return false;
	default: return false;
	}
}

static inline bool cpred_bool_test(const struct cpred *p, bool b)
{
	switch (p->test) {
	case PT_B_EQ: return b == p->b;
	case PT_B_NE: return b != p->b;
	case PT_FALSE: return false;
	default: return true; /* exists */
	}
}

static inline __attribute__((always_inline)) bool cpred_eval_inline(const struct cpred *p, const struct rp_event *ev,
								    struct field_scratch *sc)
{
	const char *base = (const char *)ev;
	struct rp_str s;

	/* absent: every comparison is false, exists too */
	if (p->avail && (p->avail == 1 ? ev->args_kind : ev->workload_kind) != p->avail_val)
		return false;
	switch (p->fetch) {
	case PF_STR:
		memcpy(&s, base + p->off, sizeof(s));
		return cpred_str_test(p, p->test, s);
	case PF_DSTR:
		if (p->memo != FM_NONE && sc->of == ev && (sc->have >> p->memo & 1))
			s = sc->memo[p->memo];
		else if (!field_derived_str(p->field, ev, p->key, sc, &s))
			return false;
		return cpred_str_test(p, p->test, s);
	case PF_I32: {
		int32_t x;
		memcpy(&x, base + p->off, sizeof(x));
		return cpred_int_test(p, x);
	}
	case PF_I64: {
		int64_t x;
		memcpy(&x, base + p->off, sizeof(x));
		return cpred_int_test(p, x);
	}
	case PF_BOOL: {
		bool b;
		memcpy(&b, base + p->off, sizeof(b));
		return cpred_bool_test(p, b);
	}
	case PF_LIST: {
		const struct rp_str *v;
		uint32_t n;
		memcpy(&v, base + p->off, sizeof(v));
		memcpy(&n, base + p->count_off, sizeof(n));
		return cpred_list_test(p, v, n);
	}
	default: { /* PF_DNUM, PF_DBOOL: cheap, computed every time */
		struct field_val v;
		if (!field_get(p->field, ev, p->key, sc, &v))
			return false;
		return p->fetch == PF_DBOOL ? cpred_bool_test(p, v.b) : cpred_int_test(p, v.i);
	}
	}
}

/* Runs the fast code of the rule whose code is code[start .. start+n). */
static inline bool program_run(const struct program *g, uint32_t start, uint32_t n, const struct rp_event *ev,
			       struct field_scratch *sc, struct pred_memo *m)
{
	const struct finsn *code = g->fast + start;
	const struct cpred *preds = g->preds;
	bool acc = false;
	for (uint32_t pc = 0; pc < n;) {
		const struct finsn *in = &code[pc++];
		if (in->op <= F_PRED_JT) {
			uint32_t i = in->pred;
			if (!(in->flags & FF_MEMO))
				acc = cpred_eval_inline(&preds[i], ev, sc);
			else if (m->stamp[i] == m->now)
				acc = m->val[i];
			else {
				acc = cpred_eval_inline(&preds[i], ev, sc);
				m->val[i] = acc;
				m->stamp[i] = m->now;
			}
			acc ^= in->flags & FF_NEG;
			if (in->op == F_PRED_JF ? !acc : in->op == F_PRED_JT && acc)
				pc = in->target;
			continue;
		}
		switch (in->op) {
		case F_NOT: acc = !acc; break;
		case F_JF: if (!acc) pc = in->target; break;
		case F_JT: if (acc) pc = in->target; break;
		default: return acc; /* F_END */
		}
	}
	return acc;
}

#endif
