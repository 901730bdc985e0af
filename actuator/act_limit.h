/* The blast-radius limit: at most `max` disruptive actions (isolate,
 * terminate) per scope in any sliding window of `window_ms`, where a scope
 * is a Kubernetes namespace of a cluster, an ECS cluster, or a host. A rule
 * gone wrong, or an attacker baiting the actuator, then cannot take down a
 * whole namespace: past the limit, verdicts are logged, not acted on, and
 * an alert metric rises.
 *
 * act_limit_take records one action at now_ms and returns true when it is
 * allowed; false (nothing recorded) when the scope is at its limit. max 0
 * disables the limit. Scopes are kept until the process ends; their count
 * is bounded by the namespaces and clusters one actuator serves. Thread-safe:
 * the workers of one actuator share one limit. */
#ifndef RAMPART_ACT_LIMIT_H
#define RAMPART_ACT_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct act_limit;

struct act_limit *act_limit_new(unsigned max, int64_t window_ms);
void act_limit_free(struct act_limit *l);
/* false also when out of memory: the safe answer. */
bool act_limit_take(struct act_limit *l, const char *scope, int64_t now_ms);

#endif
