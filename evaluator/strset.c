#include "strset.h"

#include <stdlib.h>
#include <string.h>

#define r8 str_r8
#define r4 str_r4

static inline uint64_t mum(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

#define K0 0xa0761d6478bd642full
#define K1 0xe7037ed1a0b428dbull

uint64_t str_hash(struct rp_str s)
{
	const char *p = s.ptr;
	uint32_t n = s.len;
	uint64_t seed = K0 ^ n, a, b;
	if (n <= 16) {
		if (n >= 4) {
			uint32_t d = (n >> 3) << 2; /* 0 or 4: the two 4-byte reads overlap to cover n */
			a = r4(p) << 32 | r4(p + d);
			b = r4(p + n - 4) << 32 | r4(p + n - 4 - d);
		} else if (n > 0) {
			a = (uint64_t)(uint8_t)p[0] << 16 | (uint64_t)(uint8_t)p[n >> 1] << 8 | (uint8_t)p[n - 1];
			b = 0;
		} else
			a = b = 0;
	} else {
		uint32_t i = n;
		while (i > 16) {
			seed = mum(r8(p) ^ K1, r8(p + 8) ^ seed);
			p += 16, i -= 16;
		}
		a = r8(p + i - 16), b = r8(p + i - 8);
	}
	return mum(K1 ^ n, mum(a ^ K1, b ^ seed));
}

static bool eq(struct rp_str a, struct rp_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline uint32_t len_bit(uint32_t len)
{
	return len < 63 ? len : 63;
}

int strset_build(struct arena *a, struct strset *s, const struct rp_str *items, uint32_t n)
{
	uint32_t cap = 8;
	while (cap < n * 2 + 2)
		cap *= 2; /* load factor <= 1/2 keeps probes short */
	s->slots = arena_alloc(a, cap * sizeof(*s->slots));
	if (!s->slots)
		return -1;
	s->mask = cap - 1;
	s->n = 0;
	s->lens = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct rp_str it = items[i];
		if (!it.ptr)
			it.ptr = ""; /* an empty slot is ptr NULL */
		uint64_t h = str_hash(it);
		uint32_t k = (uint32_t)(h >> 32) & s->mask;
		while (s->slots[k].ptr &&
		       !eq((struct rp_str){s->slots[k].ptr, s->slots[k].len}, it))
			k = (k + 1) & s->mask;
		if (!s->slots[k].ptr) {
			s->slots[k] = (struct strset_slot){it.ptr, it.len, (uint32_t)h};
			s->lens |= 1ull << len_bit(it.len);
			s->n++;
		}
	}
	return 0;
}

bool strset_probe(const struct strset *s, struct rp_str x)
{
	uint64_t h = str_hash(x);
	uint32_t k = (uint32_t)(h >> 32) & s->mask, tag = (uint32_t)h;
	for (const struct strset_slot *sl; (sl = &s->slots[k])->ptr; k = (k + 1) & s->mask)
		if (sl->hash == tag && sl->len == x.len && (x.len == 0 || memcmp(sl->ptr, x.ptr, x.len) == 0))
			return true;
	return false;
}

/* Byte i of s counted from the end when suffix. */
static inline uint8_t at(struct rp_str s, uint32_t i, bool suffix)
{
	return (uint8_t)s.ptr[suffix ? s.len - 1 - i : i];
}

static int cmp(struct rp_str a, struct rp_str b, bool suffix)
{
	uint32_t n = a.len < b.len ? a.len : b.len;
	for (uint32_t i = 0; i < n; i++)
		if (at(a, i, suffix) != at(b, i, suffix))
			return at(a, i, suffix) < at(b, i, suffix) ? -1 : 1;
	return a.len < b.len ? -1 : a.len > b.len;
}

static bool starts(struct rp_str s, struct rp_str p, bool suffix)
{
	return s.len >= p.len && cmp((struct rp_str){suffix ? s.ptr + s.len - p.len : s.ptr, p.len}, p, suffix) == 0;
}

static int cmp_pre(const void *a, const void *b) { return cmp(*(const struct rp_str *)a, *(const struct rp_str *)b, false); }
static int cmp_suf(const void *a, const void *b) { return cmp(*(const struct rp_str *)a, *(const struct rp_str *)b, true); }

static inline uint64_t affix_mask(uint32_t len, bool suffix)
{
	uint32_t k = len < 8 ? len : 8;
	if (k == 0)
		return 0;
	if (k == 8)
		return ~0ull;
	return suffix ? ~0ull << (8 * (8 - k)) : (1ull << (8 * k)) - 1;
}

/* Sorted and prefix-free: a member that extends a shorter member is
 * redundant for "any member matches". Then the only candidate for s is the
 * greatest member <= s. */
int affix_build(struct arena *a, struct affix *x, const struct rp_str *items, uint32_t n, bool suffix)
{
	struct rp_str *tmp = arena_alloc(a, (n + 1) * sizeof(*tmp));
	x->v = arena_alloc(a, (n + 1) * sizeof(*x->v));
	x->suffix = suffix;
	x->n = 0;
	x->minlen = UINT32_MAX;
	if (!x->v || !tmp)
		return -1;
	if (n == 0)
		return 0;
	memcpy(tmp, items, n * sizeof(*items));
	qsort(tmp, n, sizeof(*tmp), suffix ? cmp_suf : cmp_pre);
	uint32_t m = 0;
	for (uint32_t i = 0; i < n; i++)
		if (m == 0 || !starts(tmp[i], tmp[m - 1], suffix))
			tmp[m++] = tmp[i];
	for (uint32_t i = 0; i < m; i++) {
		struct rp_str t = tmp[i];
		if (!t.ptr)
			t.ptr = "";
		x->v[i] = (struct affix_member){affix_word(t, suffix), affix_mask(t.len, suffix), t.ptr, t.len};
		if (t.len < x->minlen)
			x->minlen = t.len;
	}
	x->n = m;
	return 0;
}

bool affix_search(const struct affix *x, struct rp_str s, uint64_t w)
{
	uint32_t lo = 0, hi = x->n; /* find the last member <= s */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (cmp((struct rp_str){x->v[mid].ptr, x->v[mid].len}, s, x->suffix) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && affix_member_match(&x->v[lo - 1], s, w, x->suffix);
}

/* A run of '*' then a literal then a run of '*' is an equality, affix or
 * substring test; ? and [ classes (and inner '*') need the matcher. */
static struct glob_pat glob_classify(struct rp_str p)
{
	uint32_t lead = 0, trail = 0;
	for (uint32_t i = 0; i < p.len; i++)
		if (p.ptr[i] == '?' || p.ptr[i] == '[')
			return (struct glob_pat){GLOB_GENERIC, p};
	while (lead < p.len && p.ptr[lead] == '*')
		lead++;
	if (lead == p.len && p.len)
		return (struct glob_pat){GLOB_ANY, {p.ptr, 0}};
	while (trail < p.len - lead && p.ptr[p.len - 1 - trail] == '*')
		trail++;
	struct rp_str lit = {p.ptr + lead, p.len - lead - trail};
	if (lit.len && memchr(lit.ptr, '*', lit.len))
		return (struct glob_pat){GLOB_GENERIC, p};
	enum glob_kind k = lead ? (trail ? GLOB_CONTAINS : GLOB_SUFFIX) : (trail ? GLOB_PREFIX : GLOB_EQ);
	return (struct glob_pat){k, lit};
}

int globset_build(struct arena *a, struct globset *g, const struct rp_str *pats, uint32_t n)
{
	g->v = arena_alloc(a, (n + 1) * sizeof(*g->v));
	g->n = n;
	if (!g->v)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		struct rp_str p = pats[i];
		if (!p.ptr)
			p.ptr = "";
		g->v[i] = glob_classify(p);
	}
	return 0;
}

bool globset_match(const struct globset *g, struct rp_str s)
{
	for (uint32_t i = 0; i < g->n; i++) {
		const struct glob_pat *p = &g->v[i];
		struct rp_str l = p->lit;
		switch (p->kind) {
		case GLOB_EQ:
			if (eq(s, l))
				return true;
			break;
		case GLOB_PREFIX:
			if (s.len >= l.len && (l.len == 0 || memcmp(s.ptr, l.ptr, l.len) == 0))
				return true;
			break;
		case GLOB_SUFFIX:
			if (s.len >= l.len && (l.len == 0 || memcmp(s.ptr + s.len - l.len, l.ptr, l.len) == 0))
				return true;
			break;
		case GLOB_CONTAINS:
			if (str_contains(s, l))
				return true;
			break;
		case GLOB_ANY:
			return true;
		case GLOB_GENERIC:
			if (glob_match(l, s))
				return true;
			break;
		}
	}
	return false;
}

static bool class_match(const char *p, uint32_t *pi, uint32_t pn, uint8_t c)
{
	uint32_t i = *pi + 1;
	bool neg = i < pn && (p[i] == '!' || p[i] == '^'), hit = false;
	if (neg)
		i++;
	for (bool first = true; i < pn && (first || p[i] != ']'); first = false, i++) {
		if (i + 2 < pn && p[i + 1] == '-' && p[i + 2] != ']') {
			hit |= c >= (uint8_t)p[i] && c <= (uint8_t)p[i + 2];
			i += 2;
		} else
			hit |= c == (uint8_t)p[i];
	}
	*pi = i; /* at ']' (or pn when unterminated) */
	return hit != neg;
}

/* Iterative with one backtrack point per '*': linear in practice, no
 * recursion on attacker-controlled paths. */
bool glob_match(struct rp_str pat, struct rp_str s)
{
	uint32_t pi = 0, si = 0, star = UINT32_MAX, mark = 0;
	while (si < s.len) {
		if (pi < pat.len && pat.ptr[pi] == '*') {
			star = pi++, mark = si;
			continue;
		}
		if (pi < pat.len) {
			uint32_t next = pi;
			bool ok = pat.ptr[pi] == '?' ||
				  (pat.ptr[pi] == '[' ? class_match(pat.ptr, &next, pat.len, (uint8_t)s.ptr[si])
						      : pat.ptr[pi] == s.ptr[si]);
			if (ok && next < pat.len) {
				pi = next + 1, si++;
				continue;
			}
		}
		if (star == UINT32_MAX)
			return false;
		pi = star + 1, si = ++mark;
	}
	while (pi < pat.len && pat.ptr[pi] == '*')
		pi++;
	return pi == pat.len;
}

/* memchr for the first byte, then the last, then the rest: short needles
 * in short haystacks, where memmem's setup dominates. */
bool str_contains(struct rp_str hay, struct rp_str needle)
{
	if (needle.len == 0)
		return true;
	if (hay.len < needle.len)
		return false;
	const char *p = hay.ptr, *end = hay.ptr + (hay.len - needle.len) + 1; /* candidate starts < end */
	char c0 = needle.ptr[0], cl = needle.ptr[needle.len - 1];
	while (p < end && (p = memchr(p, c0, (size_t)(end - p))) != NULL) {
		if (p[needle.len - 1] == cl && memcmp(p + 1, needle.ptr + 1, needle.len - 1) == 0)
			return true;
		p++;
	}
	return false;
}

static inline uint8_t lower(uint8_t c)
{
	return (uint8_t)(c - 'A') < 26 ? c | 0x20 : c;
}

/* ASCII case folding, like tolower() in the C locale the evaluator runs in. */
bool str_icontains(struct rp_str hay, struct rp_str needle)
{
	if (needle.len == 0)
		return true;
	if (hay.len < needle.len)
		return false;
	const uint8_t *h = (const uint8_t *)hay.ptr, *n = (const uint8_t *)needle.ptr;
	uint8_t c0 = n[0], u0 = (uint8_t)(c0 - 'a') < 26 ? c0 & 0xdf : c0;
	for (uint32_t i = 0, last = hay.len - needle.len; i <= last; i++) {
		if (h[i] != c0 && h[i] != u0)
			continue;
		uint32_t k = 1;
		while (k < needle.len && lower(h[i + k]) == n[k])
			k++;
		if (k == needle.len)
			return true;
	}
	return false;
}
