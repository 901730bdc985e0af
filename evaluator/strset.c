#include "strset.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static uint32_t hash(struct rp_str s)
{
	uint32_t h = 2166136261u; /* FNV-1a: short keys, no setup */
	for (uint32_t i = 0; i < s.len; i++)
		h = (h ^ (uint8_t)s.ptr[i]) * 16777619u;
	return h;
}

static bool eq(struct rp_str a, struct rp_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
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
	for (uint32_t i = 0; i < n; i++) {
		uint32_t h = hash(items[i]) & s->mask;
		while (s->slots[h].ptr && !eq(s->slots[h], items[i]))
			h = (h + 1) & s->mask;
		if (!s->slots[h].ptr) {
			s->slots[h] = items[i];
			s->n++;
		}
	}
	return 0;
}

bool strset_has(const struct strset *s, struct rp_str x)
{
	uint32_t h = hash(x) & s->mask;
	while (s->slots[h].ptr) {
		if (eq(s->slots[h], x))
			return true;
		h = (h + 1) & s->mask;
	}
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

/* Sorted and prefix-free: a member that extends a shorter member is
 * redundant for "any member matches". Then the only candidate for s is the
 * greatest member <= s. */
int affix_build(struct arena *a, struct affix *x, const struct rp_str *items, uint32_t n, bool suffix)
{
	x->v = arena_alloc(a, (n + 1) * sizeof(*x->v));
	x->suffix = suffix;
	x->n = 0;
	if (!x->v)
		return -1;
	if (n == 0)
		return 0;
	memcpy(x->v, items, n * sizeof(*items));
	qsort(x->v, n, sizeof(*x->v), suffix ? cmp_suf : cmp_pre);
	for (uint32_t i = 0; i < n; i++)
		if (x->n == 0 || !starts(x->v[i], x->v[x->n - 1], suffix))
			x->v[x->n++] = x->v[i];
	return 0;
}

bool affix_match(const struct affix *x, struct rp_str s)
{
	uint32_t lo = 0, hi = x->n; /* find the last member <= s */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (cmp(x->v[mid], s, x->suffix) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && starts(s, x->v[lo - 1], x->suffix);
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

bool str_contains(struct rp_str hay, struct rp_str needle)
{
	if (needle.len == 0)
		return true;
	return hay.len >= needle.len && memmem(hay.ptr, hay.len, needle.ptr, needle.len) != NULL;
}

bool str_icontains(struct rp_str hay, struct rp_str needle)
{
	if (needle.len == 0)
		return true;
	for (uint32_t i = 0; i + needle.len <= hay.len; i++) {
		uint32_t k = 0;
		while (k < needle.len && tolower((uint8_t)hay.ptr[i + k]) == (uint8_t)needle.ptr[k])
			k++;
		if (k == needle.len)
			return true;
	}
	return false;
}
