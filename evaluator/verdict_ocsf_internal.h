/* The OCSF objects of a Detection Finding, built from a verdict's event as
 * event_to_json lays it out (ej; numbers are read from the event itself) —
 * see verdict_ocsf.h for the mapping.
 * Optional ones return json_null() when the event has nothing for them
 * (verdict_format_json.h); every builder returns NULL only when out of
 * memory. */
#ifndef RAMPART_EVAL_VERDICT_OCSF_INTERNAL_H
#define RAMPART_EVAL_VERDICT_OCSF_INTERNAL_H

#include <jansson.h>

#include "verdict.h"

json_t *ocsf_attacks(json_t *rules); /* verdict_json's "rules" */
json_t *ocsf_device(json_t *ej); /* optional */
json_t *ocsf_actor(const struct rp_event *ev, json_t *ej);
json_t *ocsf_evidences(const struct rp_event *ev, json_t *ej);
json_t *ocsf_resources(const struct rp_verdict *v, json_t *ej); /* optional */
json_t *ocsf_cloud(json_t *ej); /* optional: ECS tasks only */

#endif
