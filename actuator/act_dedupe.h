/* The verdict ids the actuator has already acted on, so a verdict delivered
 * twice (a redelivery after a crash, a replayed partition) is acted on once.
 *
 * A bounded set: it remembers the last `capacity` ids and forgets the
 * oldest first. Ids are kept as 64-bit hashes; two distinct ids collide
 * with probability about n^2 / 2^65 (1e-9 for 200 000 ids), and a collision
 * only costs one verdict being treated as already handled. Seeded at start
 * from the audit trail (rampart.actions), so dedupe survives restarts. */
#ifndef RAMPART_ACT_DEDUPE_H
#define RAMPART_ACT_DEDUPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct act_dedupe;

/* NULL when out of memory; capacity 0 means the default, 200 000. */
struct act_dedupe *act_dedupe_new(size_t capacity);
void act_dedupe_free(struct act_dedupe *d);
bool act_dedupe_seen(const struct act_dedupe *d, struct rp_str id);
/* Adds id (no-op when present), evicting the oldest when full. */
void act_dedupe_add(struct act_dedupe *d, struct rp_str id);
size_t act_dedupe_size(const struct act_dedupe *d);

#endif
