#include "act_dedupe.h"

#include <stdlib.h>

/* Open addressing with linear probing over a table at most half full;
 * eviction order is kept in a ring of the inserted hashes. Hash 0 marks an
 * empty slot, so a real hash of 0 is stored as 1. Deletion uses backward
 * shifting, which keeps probe chains intact without tombstones. */
struct act_dedupe {
	uint64_t *slots;
	size_t mask;
	uint64_t *ring;
	size_t capacity, head, count;
};

static uint64_t id_hash(struct rp_str id)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a, then a final mix */

	for (uint32_t i = 0; i < id.len; i++)
		h = (h ^ (uint8_t)id.ptr[i]) * 0x100000001b3ull;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h ? h : 1;
}

struct act_dedupe *act_dedupe_new(size_t capacity)
{
	struct act_dedupe *d = calloc(1, sizeof(*d));
	size_t n = 16;

	if (!d)
		return NULL;
	d->capacity = capacity ? capacity : 200000;
	while (n < d->capacity * 2)
		n <<= 1;
	d->mask = n - 1;
	d->slots = calloc(n, sizeof(*d->slots));
	d->ring = calloc(d->capacity, sizeof(*d->ring));
	if (!d->slots || !d->ring) {
		act_dedupe_free(d);
		return NULL;
	}
	return d;
}

void act_dedupe_free(struct act_dedupe *d)
{
	if (!d)
		return;
	free(d->slots);
	free(d->ring);
	free(d);
}

static size_t find_slot(const struct act_dedupe *d, uint64_t h)
{
	size_t i = h & d->mask;

	while (d->slots[i] && d->slots[i] != h)
		i = (i + 1) & d->mask;
	return i;
}

bool act_dedupe_seen(const struct act_dedupe *d, struct rp_str id)
{
	return d->slots[find_slot(d, id_hash(id))] != 0;
}

static void remove_hash(struct act_dedupe *d, uint64_t h)
{
	size_t i = find_slot(d, h), j = i;

	if (!d->slots[i])
		return;
	d->slots[i] = 0;
	for (;;) {
		j = (j + 1) & d->mask;
		if (!d->slots[j])
			return;
		size_t home = d->slots[j] & d->mask;
		/* Move j back into the hole at i unless its home lies in (i, j]. */
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			d->slots[i] = d->slots[j];
			d->slots[j] = 0;
			i = j;
		}
	}
}

void act_dedupe_add(struct act_dedupe *d, struct rp_str id)
{
	uint64_t h = id_hash(id);
	size_t i = find_slot(d, h);

	if (d->slots[i])
		return;
	if (d->count == d->capacity) {
		remove_hash(d, d->ring[d->head]);
		d->head = (d->head + 1) % d->capacity;
		d->count--;
		i = find_slot(d, h);
	}
	d->slots[i] = h;
	d->ring[(d->head + d->count) % d->capacity] = h;
	d->count++;
}

size_t act_dedupe_size(const struct act_dedupe *d) { return d->count; }
