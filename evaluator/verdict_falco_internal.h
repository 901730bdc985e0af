/* The output_fields object of a Falco alert (verdict_falco.h): Falco's
 * field names filled from the verdict, its stable JSON (vj, verdict_json.h)
 * and its primary rule's entry there; ids = every matched rule id,
 * comma-separated. NULL only when out of memory. */
#ifndef RAMPART_EVAL_VERDICT_FALCO_INTERNAL_H
#define RAMPART_EVAL_VERDICT_FALCO_INTERNAL_H

#include <jansson.h>

#include "verdict.h"

json_t *falco_output_fields(const struct rp_verdict *v, json_t *vj, json_t *rule, const char *ids);

#endif
