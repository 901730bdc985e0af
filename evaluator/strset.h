/* Constant string sets built once per configuration and probed without
 * allocating:
 *   strset  an open-addressing hash set (for `in`): a length bitmap rejects
 *           most probes before hashing; slots keep the 32-bit hash and the
 *           length so a probe compares bytes only on a likely hit.
 *   affix   a sorted, prefix-free array answering "does any member start
 *           (or end) the string?" (startswith / endswith). Every member
 *           carries its first (last) up to 8 bytes as a word, so a small
 *           set is a few word compares; a large one is one binary search.
 *   globset the operands of `glob`, each classified once: a pattern without
 *           ? or [ is an equality, prefix, suffix or substring test
 *           ("*.so" is endswith ".so"), the rest run glob_match.
 * The generic functions (glob_match, str_contains, str_icontains) are the
 * reference semantics; the fast paths must agree with them. */
#ifndef RAMPART_EVAL_STRSET_H
#define RAMPART_EVAL_STRSET_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "event.h"

struct strset_slot {
	const char *ptr; /* NULL = empty */
	uint32_t len, hash;
};

struct strset {
	struct strset_slot *slots;
	uint64_t lens; /* bit min(len, 63) set for some member */
	uint32_t mask;
	uint32_t n;
};

struct affix_member {
	uint64_t word, wmask; /* first (last) min(len, 8) bytes, see affix_word */
	const char *ptr;
	uint32_t len;
};

struct affix {
	struct affix_member *v; /* sorted (by reversed bytes for suffixes), prefix-free */
	uint32_t n;
	uint32_t minlen;
	bool suffix;
};

enum glob_kind { GLOB_EQ, GLOB_PREFIX, GLOB_SUFFIX, GLOB_CONTAINS, GLOB_ANY, GLOB_GENERIC };

struct glob_pat {
	enum glob_kind kind;
	struct rp_str lit; /* the literal part; the whole pattern for GLOB_GENERIC */
};

struct globset {
	struct glob_pat *v;
	uint32_t n;
};

/* 64-bit hash of short strings (wyhash-style, 8 bytes per step). */
uint64_t str_hash(struct rp_str s);

int strset_build(struct arena *a, struct strset *s, const struct rp_str *items, uint32_t n);
int affix_build(struct arena *a, struct affix *x, const struct rp_str *items, uint32_t n, bool suffix);
/* The out-of-line parts of strset_has / affix_match below. */
bool strset_probe(const struct strset *s, struct rp_str x);
bool affix_search(const struct affix *x, struct rp_str s, uint64_t w);
int globset_build(struct arena *a, struct globset *g, const struct rp_str *pats, uint32_t n);
bool globset_match(const struct globset *g, struct rp_str s);

#define AFFIX_LINEAR 8 /* up to this many members: scan, no binary search */

static inline bool strset_has(const struct strset *s, struct rp_str x)
{
	if (!(s->lens >> (x.len < 63 ? x.len : 63) & 1))
		return false; /* no member has this length: no hashing */
	return strset_probe(s, x);
}

static inline uint64_t str_r8(const char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline uint64_t str_r4(const char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

/* Bytes p[0..k) (k <= 8) in the low k bytes of a word, the rest zero. */
static inline uint64_t str_head_word(const char *p, uint32_t k)
{
	if (k >= 8)
		return str_r8(p);
	if (k >= 4)
		return str_r4(p) | str_r4(p + k - 4) << (8 * (k - 4)); /* overlapping bytes are equal */
	uint64_t v = 0;
	for (uint32_t i = 0; i < k; i++)
		v |= (uint64_t)(uint8_t)p[i] << (8 * i);
	return v;
}

/* The word affix members and probes compare: the first min(len, 8) bytes
 * in the low bytes (prefixes), or the last min(len, 8) in the high bytes
 * (suffixes); everything else zero. */
static inline uint64_t affix_word(struct rp_str s, bool suffix)
{
	uint32_t k = s.len < 8 ? s.len : 8;
	if (!suffix)
		return str_head_word(s.ptr, k);
	return k ? str_head_word(s.ptr + s.len - k, k) << (8 * (8 - k)) : 0;
}

static inline bool affix_member_match(const struct affix_member *m, struct rp_str s, uint64_t w, bool suffix)
{
	if (s.len < m->len || (w & m->wmask) != m->word)
		return false;
	if (m->len <= 8)
		return true;
	return memcmp(suffix ? s.ptr + s.len - m->len : s.ptr + 8, suffix ? m->ptr : m->ptr + 8, m->len - 8) == 0;
}

static inline bool affix_match(const struct affix *x, struct rp_str s)
{
	if (s.len < x->minlen)
		return false; /* also the empty set: minlen UINT32_MAX */
	uint64_t w = affix_word(s, x->suffix);
	if (x->n > AFFIX_LINEAR)
		return affix_search(x, s, w);
	for (uint32_t i = 0; i < x->n; i++)
		if (affix_member_match(&x->v[i], s, w, x->suffix))
			return true;
	return false;
}

/* glob: * any run, ? one byte, [..] classes with ranges and ! or ^ negation. */
bool glob_match(struct rp_str pat, struct rp_str s);
/* needle must already be lower-case (ASCII). */
bool str_icontains(struct rp_str hay, struct rp_str lower_needle);
bool str_contains(struct rp_str hay, struct rp_str needle);

#endif
