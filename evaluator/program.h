/* Compiled conditions: a flat pool of predicates and a flat instruction
 * array, no tree. A rule's condition is code[start .. start+len):
 *
 *   PRED i   acc = predicate i holds for the event
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

#include "cond.h"
#include "fields.h"
#include "strset.h"

enum insn_op { I_PRED, I_NOT, I_JF, I_JT };

struct insn {
	uint32_t op, arg;
};

struct cpred {
	const struct field_def *field;
	struct rp_str key;
	uint8_t op; /* enum cond_op */
	bool b;
	struct rp_str s;	   /* = and != operand */
	const struct rp_str *strs; /* contains / icontains (lower-cased) / glob */
	uint32_t nstrs;
	const int64_t *ints;
	uint32_t nints;
	struct strset set;   /* in */
	struct affix affix;  /* startswith / endswith */
	const char *src;     /* the predicate's text, for explain */
	const char *where;   /* "rule RP1001" or "macro container" */
	const struct cond_pred *origin;
};

struct program {
	struct cpred *preds;
	uint32_t npreds, pcap;
	struct insn *code;
	uint32_t ncode, ccap;
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
void program_free(struct program *p);

/* Evaluation (pred_eval.c); never allocates. */
bool cpred_eval(const struct cpred *p, const struct rp_event *ev, struct field_scratch *sc);

#endif
