/* The evaluator's fast paths against their reference semantics:
 *   - string sets (hash set with length filter, affix words and binary
 *     search, glob classification, contains / icontains) against linear
 *     scans and glob_match, with edge cases: empty strings and sets, long
 *     strings, members sharing prefixes and hashes, > 8 affix members;
 *   - compiled predicates (cpred_eval: flattened access, specialised tests,
 *     memoised derived fields) against cpred_eval_ref, and rules run as
 *     fast code (threaded jumps, fused PRED/NOT/JF, memo) against the plain
 *     code interpreted with the reference predicates, over random
 *     conditions and random events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "arena.h"
#include "config_internal.h"
#include "strset.h"
#include "test_rules_util.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

/* A random string over a small alphabet (so sets and events meet). */
static struct rp_str rstr(struct arena *a, const char *alpha, uint32_t maxlen)
{
	uint32_t n = rnd(maxlen + 1), k = (uint32_t)strlen(alpha);
	char *s = arena_alloc(a, n + 1);
	for (uint32_t i = 0; i < n; i++)
		s[i] = alpha[rnd(k)];
	return (struct rp_str){s, n};
}

static bool eq(struct rp_str a, struct rp_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static bool lin_affix(const struct rp_str *v, uint32_t n, struct rp_str s, bool suffix)
{
	for (uint32_t i = 0; i < n; i++)
		if (s.len >= v[i].len &&
		    (v[i].len == 0 || memcmp(suffix ? s.ptr + s.len - v[i].len : s.ptr, v[i].ptr, v[i].len) == 0))
			return true;
	return false;
}

static void sets_edge_cases(void **st)
{
	(void)st;
	struct arena a = {0};
	struct strset s;
	struct affix x;
	const struct rp_str none[1] = {{"", 0}};
	const struct rp_str empty_only[] = {RP_STR("")};

	assert_int_equal(strset_build(&a, &s, none, 0), 0); /* in () */
	assert_false(strset_has(&s, RP_STR("")));
	assert_false(strset_has(&s, RP_STR("a")));
	assert_int_equal(strset_build(&a, &s, empty_only, 1), 0);
	assert_true(strset_has(&s, RP_STR("")));
	assert_true(strset_has(&s, (struct rp_str){NULL, 0})); /* an absent-valued empty string */
	assert_false(strset_has(&s, RP_STR("x")));

	assert_int_equal(affix_build(&a, &x, none, 0, false), 0);
	assert_false(affix_match(&x, RP_STR("")));
	assert_int_equal(affix_build(&a, &x, empty_only, 1, true), 0);
	assert_true(affix_match(&x, RP_STR("")));
	assert_true(affix_match(&x, (struct rp_str){NULL, 0}));
	assert_true(affix_match(&x, RP_STR("anything")));

	/* lengths around the 8-byte word and the 63+ length bucket */
	char big[300];
	memset(big, 'q', sizeof(big));
	struct rp_str longs[] = {{big, 63}, {big, 64}, {big, 200}, {big, 7}, {big, 8}, {big, 9}};
	assert_int_equal(strset_build(&a, &s, longs, 6), 0);
	for (uint32_t n = 0; n <= 300; n++)
		assert_int_equal(strset_has(&s, (struct rp_str){big, n}),
				 n == 63 || n == 64 || n == 200 || n == 7 || n == 8 || n == 9);
	struct rp_str pre[] = {RP_STR("/etc/sudoers.d/"), RP_STR("/etc/"), RP_STR("/e"), RP_STR("/usr/lib/x86_64/")};
	assert_int_equal(affix_build(&a, &x, pre, 4, false), 0);
	assert_true(affix_match(&x, RP_STR("/e")));
	assert_true(affix_match(&x, RP_STR("/etc/shadow")));
	assert_false(affix_match(&x, RP_STR("/")));
	assert_true(affix_match(&x, RP_STR("/usr/lib/x86_64/libc.so")));
	assert_false(affix_match(&x, RP_STR("/usr/lib/x86_64")));
	assert_false(affix_match(&x, RP_STR("/usr/lib/x86_65/libc.so"))); /* differs after the first word */
	struct rp_str suf[] = {RP_STR(".so"), RP_STR("_history"), RP_STR("a.very.long.suffix.tar.gz")};
	assert_int_equal(affix_build(&a, &x, suf, 3, true), 0);
	assert_true(affix_match(&x, RP_STR("libc.so")));
	assert_true(affix_match(&x, RP_STR(".so")));
	assert_false(affix_match(&x, RP_STR("so")));
	assert_true(affix_match(&x, RP_STR("/root/.bash_history")));
	assert_true(affix_match(&x, RP_STR("x/a.very.long.suffix.tar.gz")));
	assert_false(affix_match(&x, RP_STR("x/b.very.long.suffix.tar.gz")));
	assert_false(affix_match(&x, RP_STR("a.very.long.suffix.tar.g")));

	assert_true(str_contains(RP_STR("abc"), RP_STR("")));
	assert_true(str_contains(RP_STR("--workers --payload-3"), RP_STR("--payload-3")));
	assert_false(str_contains(RP_STR("--payload-"), RP_STR("--payload-3")));
	assert_true(str_contains(RP_STR("aab"), RP_STR("ab")));
	assert_true(str_icontains(RP_STR("xx STRATUM+TCP://pool"), RP_STR("stratum+tcp://")));
	assert_false(str_icontains(RP_STR("stratum+tc"), RP_STR("stratum+tcp://")));
	assert_true(str_icontains(RP_STR(""), RP_STR("")));
	arena_free(&a);
}

/* Many random members: every hash slot path (collisions, wrap-around,
 * long probe runs) against a linear scan; > 8 affix members take the
 * binary search. Equal 64-bit hashes are not constructible here, but equal
 * slots are frequent with 8-slot tables and short strings. */
static void sets_random(void **st)
{
	(void)st;
	for (int round = 0; round < 400; round++) {
		struct arena a = {0};
		uint32_t n = rnd(round % 3 == 0 ? 40 : 6);
		const char *alpha = round % 2 ? "ab/" : "abcdefgh/._-XY";
		uint32_t maxlen = round % 5 == 0 ? 40 : 10;
		struct rp_str *v = arena_alloc(&a, (n + 1) * sizeof(*v));
		for (uint32_t i = 0; i < n; i++)
			v[i] = rstr(&a, alpha, maxlen);
		struct strset s;
		struct affix pre, suf;
		assert_int_equal(strset_build(&a, &s, v, n), 0);
		assert_int_equal(affix_build(&a, &pre, v, n, false), 0);
		assert_int_equal(affix_build(&a, &suf, v, n, true), 0);
		for (int k = 0; k < 200; k++) {
			struct rp_str x = k < (int)n ? v[k] : rstr(&a, alpha, maxlen + 4);
			bool in = false;
			for (uint32_t i = 0; i < n && !in; i++)
				in = eq(v[i], x);
			assert_int_equal(strset_has(&s, x), in);
			assert_int_equal(affix_match(&pre, x), lin_affix(v, n, x, false));
			assert_int_equal(affix_match(&suf, x), lin_affix(v, n, x, true));
		}
		arena_free(&a);
	}
	assert_int_not_equal(str_hash(RP_STR("ab")), str_hash(RP_STR("ba")));
	assert_int_equal(str_hash(RP_STR("")), str_hash((struct rp_str){NULL, 0}));
}

/* Classified globs (equality, prefix, suffix, substring, "*") against the
 * generic matcher, patterns and strings over an alphabet with the meta
 * characters. */
static void globs_random(void **st)
{
	(void)st;
	struct arena a = {0};
	for (int round = 0; round < 20000; round++) {
		struct rp_str pat = rstr(&a, round % 2 ? "ab**" : "ab*?[]!-", 6);
		struct globset g;
		assert_int_equal(globset_build(&a, &g, &pat, 1), 0);
		for (int k = 0; k < 8; k++) {
			struct rp_str s = rstr(&a, "ab*?[", 7);
			assert_int_equal(globset_match(&g, s), glob_match(pat, s));
		}
		if (round % 1000 == 999) {
			arena_free(&a);
			memset(&a, 0, sizeof(a));
		}
	}
	arena_free(&a);
}

/* ---- whole predicates and rules ---- */

static const char *alpha = "abA/.-";

static void put_lit(char *out, size_t cap, struct arena *a, bool glob)
{
	struct rp_str s = rstr(a, glob ? "ab/*?" : alpha, 5);
	snprintf(out, cap, "\"%.*s\"", (int)s.len, s.ptr);
}

/* A random predicate over fields of every access kind. */
static void rand_pred(char *out, size_t cap, struct arena *a)
{
	static const char *sfields[] = {"proc.name", "file.path", "file.name", "file.directory", "proc.cmdline",
					"proc.exe_name", "k8s.ns", "proc.env[K]", "k8s.pod.label[app]", "evt.type",
					"proc.args", "proc.env", "orchestrator"};
	static const char *sops[] = {"=", "!=", "in", "startswith", "endswith", "contains", "icontains", "glob", "exists"};
	static const char *ifields[] = {"proc.uid", "net.rport", "proc.argc", "proc.age_ns", "file.flags"};
	static const char *iops[] = {"=", "!=", "<", "<=", ">", ">=", "in", "exists"};
	static const char *bfields[] = {"container.privileged", "file.is_write", "file.is_create", "proc.exe_upper_layer"};
	char l1[32], l2[32], l3[32];
	uint32_t kind = rnd(10);
	if (kind < 7) {
		const char *f = sfields[rnd(13)], *op = sops[rnd(9)];
		bool glob = strcmp(op, "glob") == 0;
		put_lit(l1, sizeof(l1), a, glob), put_lit(l2, sizeof(l2), a, glob), put_lit(l3, sizeof(l3), a, glob);
		if (strcmp(op, "exists") == 0)
			snprintf(out, cap, "%s exists", f);
		else if (strcmp(op, "=") == 0 || strcmp(op, "!=") == 0)
			snprintf(out, cap, "%s %s %s", f, op, l1);
		else if (rnd(2) && strcmp(op, "in") != 0)
			snprintf(out, cap, "%s %s %s", f, op, l1);
		else if (rnd(2))
			snprintf(out, cap, "%s %s (%s)", f, op, l1);
		else
			snprintf(out, cap, "%s %s (%s, %s, %s)", f, op, l1, l2, l3);
	} else if (kind < 9) {
		const char *f = ifields[rnd(5)], *op = iops[rnd(8)];
		if (strcmp(op, "exists") == 0)
			snprintf(out, cap, "%s exists", f);
		else if (strcmp(op, "in") == 0)
			snprintf(out, cap, "%s in (%u, %u)", f, rnd(4), rnd(4));
		else
			snprintf(out, cap, "%s %s %d", f, op, (int)rnd(5) - 1);
	} else {
		const char *f = bfields[rnd(4)];
		switch (rnd(3)) {
		case 0: snprintf(out, cap, "%s", f); break;
		case 1: snprintf(out, cap, "%s = %s", f, rnd(2) ? "true" : "false"); break;
		default: snprintf(out, cap, "%s != %s", f, rnd(2) ? "true" : "false"); break;
		}
	}
}

static void fmt(char *out, size_t cap, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	vsnprintf(out, cap, f, ap); /* depth <= 3 keeps conditions far below cap */
	va_end(ap);
}

/* A random condition: and / or / not / parentheses over a few predicates,
 * some of them shared through macros. */
static void rand_cond(char *out, size_t cap, struct arena *a, int depth)
{
	char x[512], y[512];
	uint32_t k = depth > 2 ? 0 : rnd(6);
	switch (k) {
	case 0:
	case 1:
		if (rnd(4) == 0)
			fmt(out, cap, "m%u", rnd(3));
		else
			rand_pred(out, cap, a);
		break;
	case 2: rand_cond(x, sizeof(x), a, depth + 1), fmt(out, cap, "not %s", x); break;
	case 3: rand_cond(x, sizeof(x), a, depth + 1), fmt(out, cap, "(%s)", x); break;
	case 4:
		rand_cond(x, sizeof(x), a, depth + 1), rand_cond(y, sizeof(y), a, depth + 1);
		fmt(out, cap, "%s and %s", x, y);
		break;
	default:
		rand_cond(x, sizeof(x), a, depth + 1), rand_cond(y, sizeof(y), a, depth + 1);
		fmt(out, cap, "%s or %s", x, y);
		break;
	}
}

static void rand_event(struct rp_event *ev, struct arena *a, struct rp_str *args, struct rp_str *env,
		       struct rp_label *labels)
{
	static const enum rp_event_type types[] = {RP_EV_EXEC, RP_EV_OPEN, RP_EV_CONNECT};
	memset(ev, 0, sizeof(*ev));
	ev->type = types[rnd(3)];
	ev->args_kind = rnd(8) == 0 ? (enum rp_args_kind)rnd(RP_ARGS__COUNT) : field_args_kind_of(ev->type);
	ev->workload_kind = (enum rp_workload_kind)rnd(RP_WORKLOAD__COUNT);
	ev->orchestrator = (enum rp_orchestrator)rnd(RP_ORCH__COUNT);
	ev->process.comm = rstr(a, alpha, 5);
	ev->process.exe = rstr(a, alpha, 8);
	ev->process.uid = (int32_t)rnd(4);
	ev->process.start_time_ns = rnd(2);
	ev->time_ns = rnd(3);
	ev->process.exe_upper_layer = rnd(2);
	ev->container.privileged = rnd(2);
	ev->process.nargs = rnd(4);
	for (uint32_t i = 0; i < ev->process.nargs; i++)
		args[i] = rstr(a, alpha, 4);
	ev->process.args = args;
	ev->process.nenv = rnd(3);
	for (uint32_t i = 0; i < ev->process.nenv; i++) {
		struct rp_str v = rstr(a, alpha, 3);
		char *e = arena_alloc(a, v.len + 3);
		memcpy(e, rnd(2) ? "K=" : "J=", 2);
		memcpy(e + 2, v.ptr, v.len);
		env[i] = (struct rp_str){e, v.len + 2};
	}
	ev->process.env = env;
	if (ev->workload_kind == RP_WORKLOAD_POD) {
		ev->workload.pod.namespace_ = rstr(a, alpha, 3);
		labels[0] = (struct rp_label){rnd(2) ? RP_STR("app") : RP_STR("ap"), rstr(a, alpha, 3)};
		ev->workload.pod.labels = labels;
		ev->workload.pod.nlabels = rnd(2);
	}
	if (ev->args_kind == RP_ARGS_FILE) {
		ev->args.file.path = rstr(a, alpha, 9);
		ev->args.file.flags = rnd(4) == 0 ? 0101 : rnd(3);
	} else if (ev->args_kind == RP_ARGS_NET) {
		ev->args.net.remote_port = (int32_t)rnd(4);
	}
}

/* The plain code, interpreted with the reference predicates. */
static bool ref_rule(const struct eval_config *cfg, const struct crule *r, const struct rp_event *ev,
		     struct field_scratch *sc)
{
	const struct insn *code = cfg->prog.code + r->code;
	bool acc = false;
	for (uint32_t pc = 0; pc < r->ncode;) {
		const struct insn in = code[pc++];
		switch (in.op) {
		case I_PRED:
		case I_PREDM: acc = cpred_eval_ref(&cfg->prog.preds[in.arg], ev, sc); break;
		case I_NOT: acc = !acc; break;
		case I_JF: if (!acc) pc = in.arg; break;
		case I_JT: if (acc) pc = in.arg; break;
		}
	}
	return acc;
}

static void preds_and_rules_random(void **st)
{
	(void)st;
	static char yaml[1 << 18];
	struct rp_str args[8], env[8];
	struct rp_label labels[2];
	unsigned checked_rules = 0, true_rules = 0, checked_preds = 0, true_preds = 0;

	for (int round = 0; round < 30; round++) {
		struct arena a = {0};
		size_t k = 0;
		char cond[4096];
		k += (size_t)snprintf(yaml + k, sizeof(yaml) - k, "macros:\n");
		for (int m = 0; m < 3; m++) {
			rand_pred(cond, sizeof(cond), &a);
			k += (size_t)snprintf(yaml + k, sizeof(yaml) - k, "  - name: m%d\n    condition: '%s'\n", m, cond);
		}
		k += (size_t)snprintf(yaml + k, sizeof(yaml) - k, "rules:\n");
		for (int r = 0; r < 60; r++) {
			rand_cond(cond, sizeof(cond), &a, 0);
			k += (size_t)snprintf(yaml + k, sizeof(yaml) - k,
					      "  - id: RP%d\n    name: n\n    technique: T1059\n    tactic: TA0002\n"
					      "    severity: low\n    events: [exec, open, connect]\n    condition: '%s'\n"
					      "    output: o\n", 1000 + r, cond);
		}
		struct diag d = {0};
		struct eval_config *cfg = tr_load("fast.yaml", yaml, &d);
		if (!cfg) {
			diag_print(&d, stderr);
			fputs(yaml, stderr);
		}
		assert_non_null(cfg);
		diag_free(&d);

		struct field_scratch *fs = calloc(1, sizeof(*fs)), *rs = calloc(1, sizeof(*rs));
		struct pred_memo memo = {calloc(cfg->prog.npreds + 1, sizeof(uint32_t)), calloc(cfg->prog.npreds + 1, 1), 0};
		for (int e = 0; e < 300; e++) {
			struct rp_event ev;
			rand_event(&ev, &a, args, env, labels);
			fs->of = rs->of = NULL;
			memo.now++;
			for (uint32_t i = 0; i < cfg->nrules; i++) {
				const struct crule *r = &cfg->rules[i];
				bool want = ref_rule(cfg, r, &ev, rs);
				bool got = program_run(&cfg->prog, r->code, r->ncode, &ev, fs, &memo);
				if (want != got)
					fprintf(stderr, "rule %s: fast %d, reference %d\n", r->id, got, want);
				assert_int_equal(got, want);
				checked_rules++, true_rules += want;
			}
			for (uint32_t i = 0; i < cfg->prog.npreds; i++) {
				const struct cpred *p = &cfg->prog.preds[i];
				bool want = cpred_eval_ref(p, &ev, rs), got = cpred_eval(p, &ev, fs);
				if (want != got)
					fprintf(stderr, "`%s`: fast %d, reference %d\n", p->src, got, want);
				assert_int_equal(got, want);
				checked_preds++, true_preds += want;
			}
		}
		free(memo.stamp), free(memo.val), free(fs), free(rs);
		eval_config_unref(cfg);
		arena_free(&a);
	}
	/* the random mix must exercise both outcomes */
	assert_true(true_rules > checked_rules / 20 && true_rules < checked_rules - checked_rules / 20);
	assert_true(true_preds > checked_preds / 20 && true_preds < checked_preds - checked_preds / 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sets_edge_cases),
		cmocka_unit_test(sets_random),
		cmocka_unit_test(globs_random),
		cmocka_unit_test(preds_and_rules_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
